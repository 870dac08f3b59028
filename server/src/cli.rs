//! The `leadline` command line: serve (default), migrate, user add, token create, demo.

use crate::config::Settings;
use app::models::TokenForm;
use app::server::{tokens, users, Actor, Db};
use clap::{Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "leadline",
    version,
    about = "Leadline — the leads module of a CRM"
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: Settings,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web app and the API (the default).
    Serve,
    /// Apply database migrations and exit.
    Migrate,
    /// Manage staff users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage REST API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Fill the database with a realistic demo workspace.
    Demo {
        /// How many leads to create.
        #[arg(long, default_value_t = 1000)]
        leads: u64,
        /// Random seed, for the same data on every run.
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff user.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// admin, manager or sales
        #[arg(long)]
        role: String,
        #[arg(long)]
        password: String,
        /// en or ro
        #[arg(long, default_value = "en")]
        language: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token and print it alone on stdout (it is shown this once).
    Create {
        /// The staff user the token acts as.
        #[arg(long)]
        user: String,
        #[arg(long)]
        name: String,
        /// Days until it expires (default: never).
        #[arg(long)]
        expires_days: Option<u32>,
        /// Comma-separated subset of get,search_get,post,put,delete (default: all).
        #[arg(long, default_value = "get,search_get,post,put,delete")]
        capabilities: String,
    },
}

pub async fn migrate(settings: &Settings) -> anyhow::Result<()> {
    let db = Db::connect(&settings.database_url).await?;
    db.migrate().await?;
    println!("migrations applied to {}", redact(&settings.database_url));
    Ok(())
}

pub async fn add_user(settings: &Settings, command: UserCommand) -> anyhow::Result<()> {
    let UserCommand::Add {
        email,
        name,
        role,
        password,
        language,
    } = command;
    let db = Db::connect(&settings.database_url).await?;
    crate::http::bootstrap(&db, settings).await?;
    let input = users::NewUser {
        email: email.clone(),
        name,
        role,
        password,
        language,
    };
    let id = users::create(&db, &Actor::system(), input)
        .await
        .map_err(|error| refused(error, "user not created"))?;
    println!("created user {id} <{email}>");
    Ok(())
}

pub async fn create_token(settings: &Settings, command: TokenCommand) -> anyhow::Result<()> {
    let TokenCommand::Create {
        user,
        name,
        expires_days,
        capabilities,
    } = command;
    let db = Db::connect(&settings.database_url).await?;
    crate::http::bootstrap(&db, settings).await?;
    let Some(user_id) = users::id_by_email(&db, &user).await? else {
        anyhow::bail!("no active user with the email {user}");
    };
    let form = TokenForm {
        name,
        user: user_id.to_string(),
        expires_days: expires_days.map(|d| d.to_string()).unwrap_or_default(),
        capabilities: capabilities
            .split(',')
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty())
            .collect(),
    };
    let created = tokens::create(&db, &Actor::system(), &form)
        .await
        .map_err(|error| refused(error, "token not created"))?;
    println!("{}", created.token);
    Ok(())
}

/// A command's refusal: each field's message on stderr, then `what` as the error.
fn refused(error: app::error::AppError, what: &str) -> anyhow::Error {
    match error {
        app::error::AppError::Validation(fields) => {
            for (field, message) in fields {
                eprintln!("{field}: {message}");
            }
            anyhow::anyhow!("{what}")
        }
        error => anyhow::anyhow!(error),
    }
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            let user = credentials.split(':').next().unwrap_or("");
            format!("{}{}@{}", &url[..scheme + 3], user, &url[at + 1..])
        }
        _ => url.to_string(),
    }
}
