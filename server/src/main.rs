//! `leadline`: see `leadline --help`.

use clap::Parser;
use server::cli::{Cli, Command};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    server::telemetry::init();
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let mut leptos_options = leptos::config::get_configuration(None)?.leptos_options;
            leptos_options.site_addr = cli.settings.site_addr;
            let running = server::start(&cli.settings, leptos_options).await?;
            tracing::info!("listening on http://{}", running.addr);
            running.task.await?;
        }
        Command::Migrate => server::cli::migrate(&cli.settings).await?,
        Command::User { command } => server::cli::add_user(&cli.settings, command).await?,
        Command::Token { command } => server::cli::create_token(&cli.settings, command).await?,
        Command::Demo { leads, seed } => server::demo::run(&cli.settings, leads, seed).await?,
    }
    Ok(())
}
