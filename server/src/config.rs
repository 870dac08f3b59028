//! Settings from the environment (and CLI flags), with the defaults the README documents.

use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// `sqlite://path/to/file.db` (created if missing) or `postgres://user@host/db`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/leadline.db"
    )]
    pub database_url: String,

    /// Address to listen on.
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000")]
    pub site_addr: std::net::SocketAddr,

    /// Email of the admin created on first start (empty database).
    #[arg(long, env = "LEADLINE_ADMIN_EMAIL")]
    pub admin_email: Option<String>,

    /// Password of that admin; without it a password is generated and printed once.
    #[arg(long, env = "LEADLINE_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,

    /// Mark session cookies `Secure` (serve over HTTPS).
    #[arg(long, env = "LEADLINE_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,

    /// Sign-in attempts allowed per minute, per email address and per client address.
    #[arg(long, env = "LEADLINE_LOGIN_PER_MINUTE", default_value_t = 10)]
    pub login_per_minute: u32,

    /// REST API requests allowed per minute per token (then 429 with Retry-After).
    #[arg(long, env = "LEADLINE_API_PER_MINUTE", default_value_t = 600)]
    pub api_per_minute: u32,
    /// Where Leadline keeps files (attachments); relative paths are from the working directory.
    #[arg(long, env = "LEADLINE_DATA_DIR", default_value = "data")]
    pub data_dir: std::path::PathBuf,

    /// The largest file a user or the API may attach to a lead, in MiB.
    #[arg(long, env = "LEADLINE_MAX_UPLOAD_MB", default_value_t = 25)]
    pub max_upload_mb: u64,

    /// SMTP server for emailing notifications (off when unset): `smtp://host:25`,
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS) or `smtps://user:pass@host` (TLS).
    #[arg(long, env = "LEADLINE_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// The sender of notification emails.
    #[arg(
        long,
        env = "LEADLINE_SMTP_FROM",
        default_value = "Leadline <leadline@localhost>"
    )]
    pub smtp_from: String,

    /// The address users open Leadline at, for links in emails (default: http://<site addr>).
    #[arg(long, env = "LEADLINE_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// How often (seconds) the background jobs look for due reminders and emails to send.
    #[arg(long, env = "LEADLINE_REMINDER_SECONDS", default_value_t = 15)]
    pub reminder_seconds: u64,
}

impl Settings {
    /// Settings as the environment gives them (used by tests and `serve`'s defaults).
    pub fn from_env() -> Settings {
        #[derive(clap::Parser)]
        struct Only {
            #[command(flatten)]
            settings: Settings,
        }
        <Only as clap::Parser>::parse_from(["leadline"]).settings
    }
}
