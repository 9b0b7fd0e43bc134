use clap::{Parser, Subcommand};
use flowhost::telemetry::{self, LogFormat};
use flowhost::{Application, Settings};

/// Flowhost: a Langflow-compatible flow server running components as sandboxed Wasm.
#[derive(Parser)]
#[command(name = "flowhost", version, about, propagate_version = true)]
struct Cli {
    /// Log output format.
    #[arg(long, global = true, env = "FLOWHOST_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the HTTP server.
    Serve(Settings),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    flowhost::settings::apply_langflow_aliases();
    let cli = Cli::parse();
    telemetry::init(cli.log_format);
    match cli.command {
        Command::Serve(settings) => Application::build(settings).await?.run_until_stopped().await,
    }
}
