//! Rows behind authentication: API keys, token families, refresh tokens, the
//! access-token denylist and failed-login counters.

use serde::Serialize;
use utoipa::ToSchema;

use super::users::{Role, UserRow};
use super::{now, Database};
use crate::error::ApiResult;

/// What one authenticated request needs to know about its user.
#[derive(Debug, Clone)]
pub struct Principal {
    pub id: String,
    pub username: String,
    pub role: Role,
    pub is_active: bool,
}

/// An API key as listed (never the key itself).
#[derive(Debug, Serialize, ToSchema, sqlx::FromRow)]
pub struct ApiKeyRow {
    pub id: String,
    pub name: String,
    /// The key's first characters followed by a mask, e.g. `sk-AbCd1234********`.
    #[sqlx(rename = "prefix")]
    pub api_key: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub total_uses: i64,
}

/// Access-token check: the user, whether this token was revoked, whether its family was.
pub struct AccessCheck {
    pub principal: Principal,
    pub revoked: bool,
}

/// Outcome of spending a refresh token.
pub enum RefreshSpend {
    /// First use: the family goes on.
    Fresh { user_id: String },
    /// Unknown, expired or revoked.
    Invalid,
    /// Already spent: the family has now been revoked.
    Reused,
}

#[derive(sqlx::FromRow)]
struct PrincipalRow {
    id: String,
    username: String,
    role: String,
    is_active: bool,
}

impl From<PrincipalRow> for Principal {
    fn from(row: PrincipalRow) -> Self {
        let role = if row.role == "superuser" { Role::Superuser } else { Role::User };
        Self { id: row.id, username: row.username, role, is_active: row.is_active }
    }
}

impl From<&UserRow> for Principal {
    fn from(user: &UserRow) -> Self {
        Self { id: user.id.clone(), username: user.username.clone(), role: user.role, is_active: user.is_active }
    }
}

pub fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}

impl Database {
    // ---- API keys ----

    pub async fn create_api_key(&self, id: &str, user_id: &str, name: &str, prefix: &str, key_hash: &str) -> ApiResult<ApiKeyRow> {
        let stamp = now();
        sqlx::query("INSERT INTO api_keys (id, user_id, name, prefix, key_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)")
            .bind(id).bind(user_id).bind(name).bind(prefix).bind(key_hash).bind(&stamp)
            .execute(&self.pool)
            .await?;
        Ok(ApiKeyRow { id: id.into(), name: name.into(), api_key: prefix.into(), created_at: stamp, last_used_at: None, total_uses: 0 })
    }

    pub async fn list_api_keys(&self, user_id: &str) -> ApiResult<Vec<ApiKeyRow>> {
        Ok(sqlx::query_as("SELECT id, name, prefix, created_at, last_used_at, total_uses FROM api_keys WHERE user_id = ? ORDER BY created_at")
            .bind(user_id)
            .fetch_all(&self.pool)
            .await?)
    }

    pub async fn delete_api_key(&self, user_id: &str, id: &str) -> ApiResult<bool> {
        let result = sqlx::query("DELETE FROM api_keys WHERE id = ? AND user_id = ?").bind(id).bind(user_id).execute(&self.pool).await?;
        Ok(result.rows_affected() > 0)
    }

    /// The owner of the key with this hash, counting the use.
    pub async fn use_api_key(&self, key_hash: &str) -> ApiResult<Option<Principal>> {
        let owner: Option<String> =
            sqlx::query_scalar("UPDATE api_keys SET total_uses = total_uses + 1, last_used_at = ? WHERE key_hash = ? RETURNING user_id")
                .bind(now())
                .bind(key_hash)
                .fetch_optional(&self.pool)
                .await?;
        let Some(user_id) = owner else {
            return Ok(None);
        };
        let row: Option<PrincipalRow> = sqlx::query_as("SELECT id, username, role, is_active FROM users WHERE id = ?")
            .bind(user_id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(Principal::from))
    }

    // ---- tokens ----

    pub async fn start_token_family(&self, family_id: &str, user_id: &str, expires_at: i64) -> ApiResult<()> {
        sqlx::query("INSERT INTO token_families (id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)")
            .bind(family_id).bind(user_id).bind(now()).bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn store_refresh_token(&self, jti: &str, family_id: &str, expires_at: i64) -> ApiResult<()> {
        sqlx::query("INSERT INTO refresh_tokens (jti, family_id, expires_at) VALUES (?, ?, ?)")
            .bind(jti).bind(family_id).bind(expires_at)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Spends a refresh token, detecting reuse. The `used_at IS NULL` guard
    /// makes two concurrent spends of one token count as a reuse.
    pub async fn spend_refresh_token(&self, jti: &str, family_id: &str) -> ApiResult<RefreshSpend> {
        // IMMEDIATE takes the write lock up front: a deferred transaction that
        // reads and then writes cannot wait for the lock and fails with "busy".
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let found: Option<(Option<String>, bool, String)> = sqlx::query_as(
            "SELECT r.used_at, f.revoked, f.user_id FROM refresh_tokens r JOIN token_families f ON f.id = r.family_id \
             WHERE r.jti = ? AND r.family_id = ? AND r.expires_at > ?",
        )
        .bind(jti)
        .bind(family_id)
        .bind(unix_now())
        .fetch_optional(&mut *tx)
        .await?;
        let outcome = match found {
            None | Some((_, true, _)) => RefreshSpend::Invalid,
            Some((used_at, false, user_id)) => {
                let spent_now = used_at.is_none()
                    && sqlx::query("UPDATE refresh_tokens SET used_at = ? WHERE jti = ? AND used_at IS NULL")
                        .bind(now())
                        .bind(jti)
                        .execute(&mut *tx)
                        .await?
                        .rows_affected()
                        == 1;
                if spent_now {
                    RefreshSpend::Fresh { user_id }
                } else {
                    sqlx::query("UPDATE token_families SET revoked = 1 WHERE id = ?").bind(family_id).execute(&mut *tx).await?;
                    RefreshSpend::Reused
                }
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }

    /// Ends a session: its access token now, and every token of its family.
    pub async fn revoke_session(&self, access_jti: &str, access_expires_at: i64, family_id: &str) -> ApiResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT OR IGNORE INTO revoked_tokens (jti, expires_at) VALUES (?, ?)")
            .bind(access_jti)
            .bind(access_expires_at)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE token_families SET revoked = 1 WHERE id = ?").bind(family_id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Revokes every session of a user except `keep` (the caller's own, if any).
    pub async fn revoke_user_sessions(&self, user_id: &str, keep: Option<&str>) -> ApiResult<()> {
        sqlx::query("UPDATE token_families SET revoked = 1 WHERE user_id = ? AND id IS NOT ?")
            .bind(user_id)
            .bind(keep)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The user behind an access token, and whether the token or its family was revoked.
    /// One query: this runs on every authenticated request.
    pub async fn check_access(&self, user_id: &str, jti: &str, family_id: &str) -> ApiResult<Option<AccessCheck>> {
        let row: Option<(String, String, String, bool, bool)> = sqlx::query_as(
            "SELECT u.id, u.username, u.role, u.is_active, \
                    EXISTS (SELECT 1 FROM revoked_tokens WHERE jti = ?) \
                    OR COALESCE((SELECT revoked FROM token_families WHERE id = ? AND user_id = u.id), 1) \
             FROM users u WHERE u.id = ?",
        )
        .bind(jti)
        .bind(family_id)
        .bind(user_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|(id, username, role, is_active, revoked)| AccessCheck {
            principal: Principal::from(PrincipalRow { id, username, role, is_active }),
            revoked,
        }))
    }

    /// Drops denylist entries, refresh tokens and families past their expiry.
    pub async fn prune_expired_tokens(&self) -> ApiResult<()> {
        let now = unix_now();
        sqlx::query("DELETE FROM revoked_tokens WHERE expires_at <= ?").bind(now).execute(&self.pool).await?;
        sqlx::query("DELETE FROM token_families WHERE expires_at <= ?").bind(now).execute(&self.pool).await?;
        sqlx::query("DELETE FROM login_failures WHERE locked_until <= ? AND window_started <= ? - 86400").bind(now).bind(now).execute(&self.pool).await?;
        Ok(())
    }

    // ---- brute force ----

    /// Seconds until `key` may try again, if it is locked.
    pub async fn login_locked_for(&self, key: &str) -> ApiResult<Option<i64>> {
        let until: Option<i64> = sqlx::query_scalar("SELECT locked_until FROM login_failures WHERE key = ?").bind(key).fetch_optional(&self.pool).await?;
        let now = unix_now();
        Ok(until.filter(|&u| u > now).map(|u| u - now))
    }

    /// Counts a failure for `key`; locks it for `lockout` seconds once `max` are reached within `window` seconds.
    pub async fn record_login_failure(&self, key: &str, max: i64, window: i64, lockout: i64) -> ApiResult<()> {
        let now = unix_now();
        sqlx::query(
            "INSERT INTO login_failures (key, failures, window_started, locked_until) VALUES (?1, 1, ?2, CASE WHEN 1 >= ?3 THEN ?2 + ?5 ELSE 0 END) \
             ON CONFLICT (key) DO UPDATE SET \
               failures = CASE WHEN window_started <= ?2 - ?4 THEN 1 ELSE failures + 1 END, \
               window_started = CASE WHEN window_started <= ?2 - ?4 THEN ?2 ELSE window_started END, \
               locked_until = CASE WHEN (CASE WHEN window_started <= ?2 - ?4 THEN 1 ELSE failures + 1 END) >= ?3 THEN ?2 + ?5 ELSE locked_until END",
        )
        .bind(key)
        .bind(now)
        .bind(max)
        .bind(window)
        .bind(lockout)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn clear_login_failures(&self, key: &str) -> ApiResult<()> {
        sqlx::query("DELETE FROM login_failures WHERE key = ?").bind(key).execute(&self.pool).await?;
        Ok(())
    }
}
