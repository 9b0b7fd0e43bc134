//! The database service: a pool, migrations at start, and every SQL statement
//! the server runs. Handlers call these methods; no SQL lives elsewhere.

mod auth;
mod flows;
mod runs;
mod users;

use std::path::Path;
use std::time::Duration;

use anyhow::Context as _;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

pub use auth::{unix_now, AccessCheck, ApiKeyRow, Principal, RefreshSpend};
pub use flows::{now, now as now_utc, FlowPatch, FlowRow, NewFlow};
pub use users::{NewUser, Role, UserPatch, UserRow};
pub use runs::{RunRecord, RunRow};

#[derive(Clone)]
pub struct Database {
    pool: SqlitePool,
}

impl Database {
    /// Opens (creating if needed) `<data_dir>/flowhost.db` in WAL mode and migrates it.
    pub async fn open(data_dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(data_dir).with_context(|| format!("creating data directory {}", data_dir.display()))?;
        let path = data_dir.join("flowhost.db");
        // `filename`, not a URL: a path may contain `?`, `%` or spaces.
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .with_context(|| format!("opening database {}", path.display()))?;
        sqlx::migrate!("../migrations/sqlite").run(&pool).await.context("migrating the database")?;
        Ok(Self { pool })
    }

    pub async fn ping(&self) -> sqlx::Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await.map(|_| ())
    }
}

/// True when `error` is a unique-constraint violation.
fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}
