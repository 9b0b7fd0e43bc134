//! Flow rows. Every statement is scoped by owner (`user_id IS ?`, NULL-safe).

use serde::Serialize;
use serde_json::Value as Json;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{is_unique_violation, Database};
use crate::error::{ApiError, ApiResult};

/// A stored flow, as the API returns it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FlowRow {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    /// The Langflow graph: `{nodes, edges, viewport?}`.
    #[schema(value_type = Object)]
    pub data: Json,
    pub endpoint_name: Option<String>,
    pub is_component: bool,
    pub tags: Vec<String>,
    pub user_id: Option<String>,
    pub folder_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(sqlx::FromRow)]
struct RawFlowRow {
    id: String,
    user_id: Option<String>,
    folder_id: Option<String>,
    name: String,
    description: String,
    data: String,
    endpoint_name: Option<String>,
    is_component: bool,
    tags: String,
    created_at: String,
    updated_at: String,
}

impl TryFrom<RawFlowRow> for FlowRow {
    type Error = ApiError;
    fn try_from(raw: RawFlowRow) -> ApiResult<Self> {
        let parse_err = |e: serde_json::Error| ApiError::Internal(anyhow::anyhow!("stored flow {} is corrupt: {e}", raw.id));
        Ok(Self {
            id: Uuid::parse_str(&raw.id).map_err(|e| ApiError::Internal(e.into()))?,
            data: serde_json::from_str(&raw.data).map_err(parse_err)?,
            tags: serde_json::from_str(&raw.tags).unwrap_or_default(),
            name: raw.name,
            description: raw.description,
            endpoint_name: raw.endpoint_name,
            is_component: raw.is_component,
            user_id: raw.user_id,
            folder_id: raw.folder_id,
            created_at: raw.created_at,
            updated_at: raw.updated_at,
        })
    }
}

/// A flow to create.
pub struct NewFlow {
    pub name: String,
    pub description: String,
    pub data: Json,
    pub endpoint_name: Option<String>,
    pub is_component: bool,
    pub tags: Vec<String>,
    pub folder_id: Option<String>,
}

/// Fields to change; `None` keeps the stored value.
#[derive(Default)]
pub struct FlowPatch {
    pub name: Option<String>,
    pub description: Option<String>,
    pub data: Option<Json>,
    pub endpoint_name: Option<String>,
    pub is_component: Option<bool>,
    pub tags: Option<Vec<String>>,
    pub folder_id: Option<String>,
}

const COLUMNS: &str = "id, user_id, folder_id, name, description, data, endpoint_name, is_component, tags, created_at, updated_at";

pub fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

impl Database {
    /// Inserts a flow. A taken name becomes "name (1)", "name (2)", ... (Langflow's
    /// rule); a taken endpoint name becomes "endpoint-1", ...
    pub async fn create_flow(&self, owner: Option<&str>, flow: NewFlow) -> ApiResult<FlowRow> {
        let id = Uuid::new_v4().to_string();
        let data = flow.data.to_string();
        let tags = serde_json::to_string(&flow.tags).map_err(|e| ApiError::Internal(e.into()))?;
        for _attempt in 0..5 {
            let name = self.free_name(owner, &flow.name).await?;
            let endpoint = match &flow.endpoint_name {
                Some(endpoint) => Some(self.free_endpoint(owner, endpoint).await?),
                None => None,
            };
            let stamp = now();
            let inserted = sqlx::query(
                "INSERT INTO flows (id, user_id, folder_id, name, description, data, endpoint_name, is_component, tags, created_at, updated_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&id).bind(owner).bind(&flow.folder_id).bind(&name).bind(&flow.description).bind(&data)
            .bind(&endpoint).bind(flow.is_component).bind(&tags).bind(&stamp).bind(&stamp)
            .execute(&self.pool)
            .await;
            match inserted {
                Ok(_) => return self.get_flow(owner, &id).await?.ok_or_else(|| ApiError::not_found("flow")),
                // Another request took the name between our check and insert: pick again.
                Err(error) if is_unique_violation(&error) => continue,
                Err(error) => return Err(error.into()),
            }
        }
        Err(ApiError::Conflict(format!("could not find a free name for flow '{}'", flow.name)))
    }

    /// The first of `base`, `base (1)`, `base (2)`, ... that the owner does not use.
    async fn free_name(&self, owner: Option<&str>, base: &str) -> ApiResult<String> {
        let taken = self.names_like(owner, "name", base, &format!("{} (%)", escape_like(base))).await?;
        Ok(first_free(base, &taken, |n| format!("{base} ({n})")))
    }

    async fn free_endpoint(&self, owner: Option<&str>, base: &str) -> ApiResult<String> {
        let taken = self.names_like(owner, "endpoint_name", base, &format!("{}-%", escape_like(base))).await?;
        Ok(first_free(base, &taken, |n| format!("{base}-{n}")))
    }

    async fn names_like(&self, owner: Option<&str>, column: &str, exact: &str, pattern: &str) -> ApiResult<Vec<String>> {
        let sql = format!("SELECT {column} FROM flows WHERE user_id IS ? AND ({column} = ? OR {column} LIKE ? ESCAPE '\\')");
        Ok(sqlx::query_scalar(&sql).bind(owner).bind(exact).bind(pattern).fetch_all(&self.pool).await?)
    }

    pub async fn get_flow(&self, owner: Option<&str>, id: &str) -> ApiResult<Option<FlowRow>> {
        let sql = format!("SELECT {COLUMNS} FROM flows WHERE id = ? AND user_id IS ?");
        let raw: Option<RawFlowRow> = sqlx::query_as(&sql).bind(id).bind(owner).fetch_optional(&self.pool).await?;
        raw.map(FlowRow::try_from).transpose()
    }

    /// The flow's `updated_at`, a cheap check before using a cached graph.
    pub async fn flow_version(&self, owner: Option<&str>, id: &str) -> ApiResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT updated_at FROM flows WHERE id = ? AND user_id IS ?").bind(id).bind(owner).fetch_optional(&self.pool).await?)
    }

    /// One page of the owner's flows, newest first, and the total count.
    pub async fn list_flows(&self, owner: Option<&str>, limit: i64, offset: i64) -> ApiResult<(Vec<FlowRow>, i64)> {
        let sql = format!("SELECT {COLUMNS} FROM flows WHERE user_id IS ? ORDER BY updated_at DESC, id LIMIT ? OFFSET ?");
        let rows: Vec<RawFlowRow> = sqlx::query_as(&sql).bind(owner).bind(limit).bind(offset).fetch_all(&self.pool).await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM flows WHERE user_id IS ?").bind(owner).fetch_one(&self.pool).await?;
        let flows = rows.into_iter().map(FlowRow::try_from).collect::<ApiResult<_>>()?;
        Ok((flows, total))
    }

    /// Applies `patch`; `None` if the owner has no such flow. A name or endpoint
    /// another flow of the owner uses is a conflict.
    pub async fn update_flow(&self, owner: Option<&str>, id: &str, patch: FlowPatch) -> ApiResult<Option<FlowRow>> {
        let Some(current) = self.get_flow(owner, id).await? else {
            return Ok(None);
        };
        let data = patch.data.unwrap_or(current.data).to_string();
        let tags = serde_json::to_string(&patch.tags.unwrap_or(current.tags)).map_err(|e| ApiError::Internal(e.into()))?;
        let result = sqlx::query(
            "UPDATE flows SET name = ?, description = ?, data = ?, endpoint_name = ?, is_component = ?, tags = ?, folder_id = ?, updated_at = ? \
             WHERE id = ? AND user_id IS ?",
        )
        .bind(patch.name.unwrap_or(current.name))
        .bind(patch.description.unwrap_or(current.description))
        .bind(data)
        .bind(patch.endpoint_name.or(current.endpoint_name))
        .bind(patch.is_component.unwrap_or(current.is_component))
        .bind(tags)
        .bind(patch.folder_id.or(current.folder_id))
        .bind(now())
        .bind(id)
        .bind(owner)
        .execute(&self.pool)
        .await;
        match result {
            Ok(_) => self.get_flow(owner, id).await,
            Err(error) if is_unique_violation(&error) => Err(ApiError::Conflict("another flow already uses this name or endpoint name".into())),
            Err(error) => Err(error.into()),
        }
    }

    /// Deletes a flow; false if the owner has no such flow.
    pub async fn delete_flow(&self, owner: Option<&str>, id: &str) -> ApiResult<bool> {
        let result = sqlx::query("DELETE FROM flows WHERE id = ? AND user_id IS ?").bind(id).bind(owner).execute(&self.pool).await?;
        Ok(result.rows_affected() > 0)
    }
}

fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

fn first_free(base: &str, taken: &[String], numbered: impl Fn(u32) -> String) -> String {
    if !taken.iter().any(|t| t == base) {
        return base.to_owned();
    }
    (1..).map(numbered).find(|candidate| !taken.contains(candidate)).expect("an unbounded range has a free number")
}

#[cfg(test)]
mod tests {
    use super::first_free;

    #[test]
    fn first_free_takes_the_lowest_unused_suffix() {
        let taken = vec!["A".to_owned(), "A (1)".to_owned(), "A (3)".to_owned()];
        assert_eq!(first_free("A", &taken, |n| format!("A ({n})")), "A (2)");
        assert_eq!(first_free("B", &taken, |n| format!("B ({n})")), "B");
    }
}
