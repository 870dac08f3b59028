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
    /// How often (seconds) the background job looks for due reminders.
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
