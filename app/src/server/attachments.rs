//! Files attached to leads. The bytes are kept under the data directory by a random name
//! (`attachments/<key>`), never the uploader's; a row per file keeps the name, type and size.
//! Files are listed, served and added only for users who may see the lead, and every upload
//! and removal is on the lead's timeline.
//!
//! An upload is received first (`Files::receive`, streamed to disk within the size limit), then
//! recorded (`add`, or `record` inside a lead's creation): until the row commits, the file on
//! disk belongs to its `Received` value and goes away with it.

use super::db::{now_ms, Db, Tx};
use super::events::LeadEventKind;
use super::leads::{commit_and_publish_bumped, record_activity, visible, FieldChange, Via};
use super::state::{Actor, Store};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::models::{clean_file_name, too_large_message, Attachment, Lead};
use sqlx::FromRow;
use std::path::{Path, PathBuf};
use tokio::io::AsyncWriteExt;

/// Where attached files live, and the largest one taken.
#[derive(Debug, Clone)]
pub struct Files {
    dir: PathBuf,
    max_bytes: u64,
}

impl Files {
    /// Files under `<data_dir>/attachments`, each at most `max_bytes`.
    pub fn new(data_dir: &Path, max_bytes: u64) -> Files {
        Files {
            dir: data_dir.join("attachments"),
            max_bytes,
        }
    }

    pub fn max_bytes(&self) -> u64 {
        self.max_bytes
    }

    fn path(&self, key: &str) -> PathBuf {
        self.dir.join(key)
    }

    /// Opens a new file for an upload named `raw_name` (cleaned; a bad name is a field error
    /// before anything is written). `declared_type` is what the client said, if anything.
    pub async fn receive(
        &self,
        raw_name: &str,
        declared_type: Option<&str>,
        locale: Locale,
    ) -> Result<Incoming, AppError> {
        let name = clean_file_name(raw_name, locale).map_err(|m| AppError::field("file", m))?;
        let content_type = match declared_type.map(str::trim) {
            Some(declared)
                if !declared.is_empty()
                    && declared != "application/octet-stream"
                    && declared.len() <= 255
                    && declared.contains('/') =>
            {
                declared.to_ascii_lowercase()
            }
            _ => mime_guess::from_path(&name)
                .first_or_octet_stream()
                .essence_str()
                .to_string(),
        };
        tokio::fs::create_dir_all(&self.dir).await.map_err(io)?;
        let key = super::auth::random_token()[..40].to_string();
        let path = self.path(&key);
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await
            .map_err(io)?;
        Ok(Incoming {
            file,
            received: Received {
                path,
                key,
                name,
                content_type,
                size: 0,
                kept: false,
            },
            max_bytes: self.max_bytes,
            locale,
        })
    }
}

/// A file being written. Dropped before `finish`, it is deleted.
pub struct Incoming {
    file: tokio::fs::File,
    received: Received,
    max_bytes: u64,
    locale: Locale,
}

impl Incoming {
    /// Appends a chunk; past the size limit the upload is refused (and its file deleted).
    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), AppError> {
        self.received.size += chunk.len() as u64;
        if self.received.size > self.max_bytes {
            return Err(AppError::field(
                "file",
                too_large_message(&self.received.name, self.max_bytes, self.locale),
            ));
        }
        self.file.write_all(chunk).await.map_err(io)
    }

    /// The whole file is on disk.
    pub async fn finish(mut self) -> Result<Received, AppError> {
        self.file.flush().await.map_err(io)?;
        self.file.sync_all().await.map_err(io)?;
        Ok(self.received)
    }
}

/// A file on disk not yet recorded: dropped unrecorded, it is deleted.
#[derive(Debug)]
pub struct Received {
    path: PathBuf,
    key: String,
    name: String,
    content_type: String,
    size: u64,
    kept: bool,
}

impl Received {
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for Received {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn io(error: std::io::Error) -> AppError {
    tracing::error!(%error, "attachment storage");
    AppError::Internal("file storage error".into())
}

const ATTACHMENT_SELECT: &str =
    "SELECT a.id, a.lead_id, a.file_name, a.content_type, a.size_bytes, a.uploaded_by, \
     u.name AS uploaded_by_name, a.created_at, a.storage_key, l.assigned AS lead_owner \
     FROM attachments a JOIN leads l ON l.id = a.lead_id LEFT JOIN users u ON u.id = a.uploaded_by";

#[derive(FromRow)]
struct AttachmentRecord {
    id: i64,
    lead_id: i64,
    file_name: String,
    content_type: String,
    size_bytes: i64,
    uploaded_by: Option<i64>,
    uploaded_by_name: Option<String>,
    created_at: i64,
    storage_key: String,
    lead_owner: Option<i64>,
}

impl AttachmentRecord {
    fn into_attachment(self, actor: &Actor) -> Attachment {
        let deletable = actor.sees_all()
            || (actor.user_id.is_some()
                && (actor.user_id == self.uploaded_by || actor.user_id == self.lead_owner));
        Attachment {
            id: self.id,
            lead_id: self.lead_id,
            file_name: self.file_name,
            content_type: self.content_type,
            size_bytes: self.size_bytes,
            uploaded_by_name: self.uploaded_by_name,
            created_at: self.created_at,
            deletable,
        }
    }
}

/// The files of a lead the actor may see, newest first.
pub async fn for_lead(db: &Db, actor: &Actor, lead: i64) -> Result<Vec<Attachment>, AppError> {
    let mut tx = db.pool.begin().await?;
    visible(&mut tx, actor, lead).await?;
    let attachments = of_seen_lead(&mut *tx, actor, lead).await?;
    tx.commit().await?;
    Ok(attachments)
}

/// The files of a lead the caller has just read in the actor's scope (e.g. the API's record).
pub(super) async fn of_seen_lead<'c, E>(
    executor: E,
    actor: &Actor,
    lead: i64,
) -> Result<Vec<Attachment>, AppError>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let records: Vec<AttachmentRecord> = sqlx::query_as(&format!(
        "{ATTACHMENT_SELECT} WHERE a.lead_id = $1 ORDER BY a.created_at DESC, a.id DESC"
    ))
    .bind(lead)
    .fetch_all(executor)
    .await?;
    Ok(records
        .into_iter()
        .map(|record| record.into_attachment(actor))
        .collect())
}

/// Records received files on a lead inside the caller's transaction (with one timeline entry
/// each) and returns their ids. The files stay on disk only if that transaction commits: call
/// `keep` after it does.
pub async fn record(
    tx: &mut Tx,
    actor: &Actor,
    lead: i64,
    files: &[Received],
    now: i64,
    via: Via,
) -> Result<Vec<i64>, AppError> {
    let mut ids = Vec::with_capacity(files.len());
    for file in files {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO attachments (lead_id, file_name, content_type, size_bytes, storage_key, \
             uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(lead)
        .bind(file.name.clone())
        .bind(file.content_type.clone())
        .bind(i64::try_from(file.size).unwrap_or(i64::MAX))
        .bind(file.key.clone())
        .bind(actor.user_id)
        .bind(now)
        .fetch_one(&mut **tx)
        .await?;
        ids.push(id);
        let change = FieldChange {
            field: "file".into(),
            old: None,
            new: Some(file.name.clone()),
        };
        record_activity(tx, actor, lead, "attachment_added", &[change], now, via).await?;
    }
    Ok(ids)
}

/// The recorded files are the rows' now: they stay on disk.
pub fn keep(files: Vec<Received>) {
    for mut file in files {
        file.kept = true;
        drop(file);
    }
}

/// Attaches received files to a lead the actor may see, in one transaction.
pub async fn add(
    store: &Store,
    actor: &Actor,
    lead: i64,
    files: Vec<Received>,
    via: Via,
) -> Result<Vec<Attachment>, AppError> {
    let mut tx = store.db.begin_write().await?;
    let current = visible(&mut tx, actor, lead).await?;
    let now = now_ms();
    let ids = record(&mut tx, actor, lead, &files, now, via).await?;
    bump(&mut tx, lead, now).await?;
    commit_and_publish_bumped(store, tx, &current, LeadEventKind::Updated, actor).await?;
    keep(files);
    let mut added = for_lead(&store.db, actor, lead).await?;
    added.retain(|attachment| ids.contains(&attachment.id));
    Ok(added)
}

/// An attachment of a lead the actor may see, and that lead (else `NotFound`).
async fn reachable(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
) -> Result<(AttachmentRecord, Lead), AppError> {
    let record: AttachmentRecord = sqlx::query_as(&format!("{ATTACHMENT_SELECT} WHERE a.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let lead = visible(tx, actor, record.lead_id).await?;
    Ok((record, lead))
}

/// Deletes an attachment: whoever uploaded it, the lead's owner, admins and managers may.
pub async fn delete(store: &Store, actor: &Actor, id: i64) -> Result<(), AppError> {
    let mut tx = store.db.begin_write().await?;
    let (record, lead) = reachable(&mut tx, actor, id).await?;
    let key = record.storage_key.clone();
    let attachment = record.into_attachment(actor);
    if !attachment.deletable {
        return Err(AppError::Forbidden);
    }
    let now = now_ms();
    sqlx::query("DELETE FROM attachments WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let change = FieldChange {
        field: "file".into(),
        old: Some(attachment.file_name),
        new: None,
    };
    record_activity(
        &mut tx,
        actor,
        lead.id,
        "attachment_removed",
        &[change],
        now,
        Via::Ui,
    )
    .await?;
    bump(&mut tx, lead.id, now).await?;
    commit_and_publish_bumped(store, tx, &lead, LeadEventKind::Updated, actor).await?;
    remove_file(&store.files, &key).await;
    Ok(())
}

/// An attachment the actor may download: its row and where its bytes are.
pub async fn open(
    store: &Store,
    actor: &Actor,
    id: i64,
) -> Result<(Attachment, PathBuf), AppError> {
    let mut tx = store.db.pool.begin().await?;
    let (record, _) = reachable(&mut tx, actor, id).await?;
    tx.commit().await?;
    let path = store.files.path(&record.storage_key);
    Ok((record.into_attachment(actor), path))
}

/// Removes every file of a lead (erasing its personal data), inside the caller's transaction;
/// returns the storage keys to delete from disk once it commits.
pub async fn remove_all(tx: &mut Tx, lead: i64) -> Result<Vec<String>, AppError> {
    let keys: Vec<String> =
        sqlx::query_scalar("SELECT storage_key FROM attachments WHERE lead_id = $1")
            .bind(lead)
            .fetch_all(&mut **tx)
            .await?;
    sqlx::query("DELETE FROM attachments WHERE lead_id = $1")
        .bind(lead)
        .execute(&mut **tx)
        .await?;
    Ok(keys)
}

/// Deletes a stored file whose row is gone (a failure is logged: the row decides).
pub async fn remove_file(files: &Files, key: &str) {
    if let Err(error) = tokio::fs::remove_file(files.path(key)).await {
        if error.kind() != std::io::ErrorKind::NotFound {
            tracing::warn!(%error, key, "could not delete an attachment's file");
        }
    }
}

/// A change to a lead's files is a change to the lead (its version, for live boards).
async fn bump(tx: &mut Tx, lead: i64, now: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE leads SET version = version + 1, updated_at = $1 WHERE id = $2")
        .bind(now)
        .bind(lead)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
