//! Logs: `tracing` to stderr, filtered by `RUST_LOG` (default: info for Leadline, warn else).

pub fn init() {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        EnvFilter::new("warn,leadline=info,server=info,app=info,tower_http=warn")
    });
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}
