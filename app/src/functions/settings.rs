//! Settings: pipelines and stages, sources, lost reasons, users.

use crate::error::AppError;
use crate::models::{
    CustomField, CustomFieldForm, Direction, EmailStatus, ListEntry, ManagedList, Pipeline, Role,
    StaffUser, StageForm,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[server(prefix = "/rpc", endpoint = "settings/pipelines")]
pub async fn list_pipelines() -> Result<Vec<Pipeline>, AppError> {
    let (state, _, _) = super::ctx::signed_in()?;
    crate::server::settings::pipelines(&state.store.db).await
}

/// Pipeline commands from the settings page, one server function for the whole family.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum PipelineCommand {
    Create {
        name: String,
    },
    Rename {
        id: i64,
        name: String,
    },
    MakeDefault {
        id: i64,
    },
    Move {
        id: i64,
        direction: Direction,
    },
    Delete {
        id: i64,
    },
    AddStage {
        pipeline: i64,
        form: StageForm,
    },
    UpdateStage {
        id: i64,
        form: StageForm,
    },
    MoveStage {
        id: i64,
        direction: Direction,
    },
    /// `move_to`: the stage of the same pipeline its leads go to.
    DeleteStage {
        id: i64,
        move_to: Option<i64>,
    },
}

#[server(prefix = "/rpc", endpoint = "settings/pipelines/edit", input = Json)]
pub async fn edit_pipelines(command: PipelineCommand) -> Result<(), AppError> {
    use crate::server::settings as s;
    let (state, _, actor) = super::ctx::signed_in()?;
    let db = &state.store.db;
    match command {
        PipelineCommand::Create { name } => s::create_pipeline(db, &actor, &name).await.map(drop),
        PipelineCommand::Rename { id, name } => s::rename_pipeline(db, &actor, id, &name).await,
        PipelineCommand::MakeDefault { id } => s::set_default_pipeline(db, &actor, id).await,
        PipelineCommand::Move { id, direction } => {
            s::move_pipeline(db, &actor, id, direction).await
        }
        PipelineCommand::Delete { id } => s::delete_pipeline(db, &actor, id).await,
        PipelineCommand::AddStage { pipeline, form } => {
            s::create_stage(db, &actor, pipeline, &form).await.map(drop)
        }
        PipelineCommand::UpdateStage { id, form } => s::update_stage(db, &actor, id, &form).await,
        PipelineCommand::MoveStage { id, direction } => {
            s::move_stage(db, &actor, id, direction).await
        }
        PipelineCommand::DeleteStage { id, move_to } => {
            s::delete_stage(&state.store, &actor, id, move_to).await
        }
    }
}

#[server(prefix = "/rpc", endpoint = "settings/list", input = Json)]
pub async fn list_entries(list: ManagedList) -> Result<Vec<ListEntry>, AppError> {
    let (state, _, _) = super::ctx::signed_in()?;
    crate::server::settings::entries(&state.store.db, list).await
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum EntryCommand {
    Create { name: String },
    Rename { id: i64, name: String },
    MakeDefault { id: i64 },
    Move { id: i64, direction: Direction },
    Delete { id: i64 },
}

#[server(prefix = "/rpc", endpoint = "settings/list/edit", input = Json)]
pub async fn edit_entries(list: ManagedList, command: EntryCommand) -> Result<(), AppError> {
    use crate::server::settings as s;
    let (state, _, actor) = super::ctx::signed_in()?;
    let db = &state.store.db;
    match command {
        EntryCommand::Create { name } => s::create_entry(db, &actor, list, &name).await.map(drop),
        EntryCommand::Rename { id, name } => s::rename_entry(db, &actor, list, id, &name).await,
        EntryCommand::MakeDefault { id } => s::set_default_entry(db, &actor, list, id).await,
        EntryCommand::Move { id, direction } => {
            s::move_entry(db, &actor, list, id, direction).await
        }
        EntryCommand::Delete { id } => s::delete_entry(db, &actor, list, id).await,
    }
}

#[server(prefix = "/rpc", endpoint = "settings/users")]
pub async fn list_users() -> Result<Vec<StaffUser>, AppError> {
    let (state, user, _) = super::ctx::signed_in()?;
    if !user.is_admin() {
        return Err(AppError::Forbidden);
    }
    crate::server::users::list(&state.store.db).await
}

#[server(prefix = "/rpc", endpoint = "settings/users/create")]
pub async fn create_user(
    email: String,
    name: String,
    role: String,
    password: String,
    language: String,
) -> Result<(), AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    let input = crate::server::users::NewUser {
        email,
        name,
        role,
        password,
        language,
    };
    crate::server::users::create(&state.store.db, &actor, input)
        .await
        .map(drop)
}

#[server(prefix = "/rpc", endpoint = "settings/users/access", input = Json)]
pub async fn update_user_access(id: i64, role: Role, active: bool) -> Result<(), AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::users::update_access(&state.store, &actor, id, role, active).await
}

/// The fields the duplicate check compares (the email always).
#[server(prefix = "/rpc", endpoint = "settings/duplicates")]
pub async fn read_duplicate_fields() -> Result<Vec<String>, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    actor.require_admin()?;
    let fields = crate::server::form::duplicate_fields(&state.store.db).await?;
    Ok(fields.into_iter().map(String::from).collect())
}

/// Chooses which fields besides the email the duplicate check compares.
#[server(prefix = "/rpc", endpoint = "settings/duplicates/save", input = Json)]
pub async fn save_duplicate_fields(fields: Vec<String>) -> Result<(), AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    crate::server::form::set_duplicate_fields(&state.store.db, &actor, &fields).await
}

/// Every custom field with how many leads hold a value (admins: the settings page).
#[server(prefix = "/rpc", endpoint = "settings/custom-fields")]
pub async fn list_custom_fields() -> Result<Vec<CustomField>, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    actor.require_admin()?;
    crate::server::custom_fields::all(&state.store.db).await
}

/// Custom field commands from the settings page.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum CustomFieldCommand {
    Create { form: CustomFieldForm },
    Update { id: i64, form: CustomFieldForm },
    Move { id: i64, direction: Direction },
    Delete { id: i64 },
}

#[server(prefix = "/rpc", endpoint = "settings/custom-fields/edit", input = Json)]
pub async fn edit_custom_fields(command: CustomFieldCommand) -> Result<(), AppError> {
    use crate::server::custom_fields as cf;
    let (state, _, actor) = super::ctx::signed_in()?;
    let db = &state.store.db;
    match command {
        CustomFieldCommand::Create { form } => cf::create(db, &actor, &form).await.map(drop),
        CustomFieldCommand::Update { id, form } => cf::update(db, &actor, id, &form).await,
        CustomFieldCommand::Move { id, direction } => {
            cf::move_field(db, &actor, id, direction).await
        }
        CustomFieldCommand::Delete { id } => cf::delete(db, &actor, id).await,
    }
}

/// Whether notifications are emailed, and through which server (admins).
#[server(prefix = "/rpc", endpoint = "settings/email")]
pub async fn read_email_status() -> Result<EmailStatus, AppError> {
    let (state, _, actor) = super::ctx::signed_in()?;
    actor.require_admin()?;
    Ok(match &state.mailer {
        Some(mailer) => EmailStatus {
            server: Some(mailer.server.clone()),
            from: Some(mailer.from_address()),
        },
        None => EmailStatus::default(),
    })
}

/// Sends a test email to the signed-in admin; answers with the address it went to.
#[server(prefix = "/rpc", endpoint = "settings/email/test")]
pub async fn send_test_email() -> Result<String, AppError> {
    let (state, user, actor) = super::ctx::signed_in()?;
    actor.require_admin()?;
    let t = user.locale.t();
    let mailer = state
        .mailer
        .as_ref()
        .ok_or_else(|| AppError::Refused(t.email_off.to_string()))?;
    mailer
        .send(
            &user.email,
            &user.name,
            t.test_email_subject,
            t.test_email_body.to_string(),
        )
        .await
        .map_err(|reason| {
            AppError::Refused(crate::i18n::fill(
                t.err_email_failed,
                &[("reason", &reason)],
            ))
        })?;
    Ok(user.email)
}
