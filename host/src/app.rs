//! Start-up: build every service, bind the listener, serve until a signal.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context as _;
use axum::extract::Request;

use tokio::net::TcpListener;
use tower::Layer as _;
use tower_http::normalize_path::NormalizePathLayer;

use crate::db::Database;
use crate::runtime::{Registry, Runtime};
use crate::services::auth::AuthService;
use crate::services::execution::ExecutionService;
use crate::settings::Settings;
use crate::state::AppState;

pub struct Application {
    listener: TcpListener,
    state: AppState,
}

impl Application {
    /// Opens the database, loads the components and binds the listener.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        if settings.auth.auto_login && !settings.listens_on_loopback() {
            anyhow::bail!("auto login hands out superuser tokens: it is refused unless --host is a loopback address");
        }
        let db = Database::open(&settings.data_dir).await?;
        let auth = Arc::new(AuthService::new(db.clone(), &settings)?);
        auth.ensure_superuser().await?;
        spawn_token_pruner(db.clone());
        let runtime = Arc::new(Runtime::new(settings.limits.clone(), settings.cache_dir())?);
        let registry = Arc::new(Registry::load(runtime.clone(), crate::builtins::BUILTINS, &settings.plugins_dir).await);
        let execution = Arc::new(ExecutionService::new(db.clone(), runtime.clone(), registry.clone()));
        let address = format!("{}:{}", settings.host, settings.port);
        let listener = TcpListener::bind(&address).await.with_context(|| format!("binding {address}"))?;
        let state = AppState { settings: Arc::new(settings), db, runtime, registry, execution, auth };
        Ok(Self { listener, state })
    }

    pub fn port(&self) -> u16 {
        self.local_addr().port()
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    /// Serves until Ctrl-C or SIGTERM, then drains in-flight requests.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        tracing::info!(url = %format!("http://{}", self.local_addr()), "Flowhost is listening");
        let recorder = self.state.execution.recorder.clone();
        // Trailing slashes are trimmed before routing, so `/flows` and `/flows/` both answer.
        let app = NormalizePathLayer::trim_trailing_slash().layer(crate::api::router(self.state));
        // Connect info gives the login lockout the client's address.
        let service = axum::ServiceExt::<Request>::into_make_service_with_connect_info::<SocketAddr>(app);
        let served = axum::serve(self.listener, service).with_graceful_shutdown(shutdown_signal()).await;
        // Runs answered before the shutdown are written before the process exits.
        recorder.flush().await;
        served.context("serving HTTP")
    }
}

/// Every ten minutes, forgets revoked and spent tokens that have expired anyway.
fn spawn_token_pruner(db: Database) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(600));
        loop {
            every.tick().await;
            if let Err(error) = db.prune_expired_tokens().await {
                tracing::warn!(%error, "pruning expired tokens failed");
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
    tracing::info!("shutting down");
}
