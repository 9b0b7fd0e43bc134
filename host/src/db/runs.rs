//! Run records: one row per execution, success or failure.

use serde::Serialize;
use serde_json::Value as Json;
use utoipa::ToSchema;

use super::Database;
use crate::error::ApiResult;

/// A finished run to record.
pub struct RunRecord {
    pub id: String,
    pub flow_id: String,
    pub user_id: Option<String>,
    pub session_id: String,
    pub status: &'static str,
    pub inputs: Json,
    pub outputs: Option<Json>,
    pub error: Option<Json>,
    pub fuel_consumed: u64,
    pub duration_ms: f64,
    pub started_at: String,
    pub finished_at: String,
}

/// A recorded run, as the API returns it.
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct RunRow {
    pub id: String,
    pub flow_id: String,
    pub session_id: String,
    pub status: String,
    pub fuel_consumed: i64,
    pub duration_ms: f64,
    pub error: Option<String>,
    pub started_at: String,
    pub finished_at: String,
}

/// Largest inputs/outputs document kept in a run record; bigger ones are
/// replaced by a note of their size (the response carried them in full).
const MAX_RECORDED_JSON: usize = 256 * 1024;

fn capped(json: &Json) -> String {
    let text = json.to_string();
    if text.len() <= MAX_RECORDED_JSON {
        return text;
    }
    serde_json::json!({ "truncated": true, "bytes": text.len() }).to_string()
}

impl Database {
    /// Inserts several runs in one transaction (one commit instead of one per run).
    pub async fn insert_runs(&self, runs: &[RunRecord]) -> ApiResult<()> {
        let mut tx = self.pool.begin().await?;
        for run in runs {
            sqlx::query(
                "INSERT INTO runs (id, flow_id, user_id, session_id, status, inputs, outputs, error, fuel_consumed, duration_ms, started_at, finished_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&run.id)
            .bind(&run.flow_id)
            .bind(&run.user_id)
            .bind(&run.session_id)
            .bind(run.status)
            .bind(capped(&run.inputs))
            .bind(run.outputs.as_ref().map(capped))
            .bind(run.error.as_ref().map(capped))
            .bind(i64::try_from(run.fuel_consumed).unwrap_or(i64::MAX))
            .bind(run.duration_ms)
            .bind(&run.started_at)
            .bind(&run.finished_at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The owner's runs of one flow, newest first.
    pub async fn list_runs(&self, owner: Option<&str>, flow_id: &str, limit: i64) -> ApiResult<Vec<RunRow>> {
        Ok(sqlx::query_as(
            "SELECT id, flow_id, session_id, status, fuel_consumed, duration_ms, error, started_at, finished_at \
             FROM runs WHERE flow_id = ? AND user_id IS ? ORDER BY started_at DESC LIMIT ?",
        )
        .bind(flow_id)
        .bind(owner)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }
}
