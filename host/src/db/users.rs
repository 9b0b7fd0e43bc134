//! Users. Usernames are unique case-insensitively (`COLLATE NOCASE` index).

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::{is_unique_violation, now, Database};
use crate::error::{ApiError, ApiResult};

/// Role of a user; enforced by the `Superuser` extractor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Superuser,
    User,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Superuser => "superuser",
            Role::User => "user",
        }
    }

    fn parse(text: &str) -> Self {
        if text == "superuser" { Role::Superuser } else { Role::User }
    }
}

/// A user as stored (the hash never leaves the server: it is not serialised).
#[derive(Debug, Clone)]
pub struct UserRow {
    pub id: String,
    pub username: String,
    pub password_hash: Option<String>,
    pub role: Role,
    pub is_active: bool,
    pub profile_image: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub last_login_at: Option<String>,
}

#[derive(sqlx::FromRow)]
struct RawUser {
    id: String,
    username: String,
    password_hash: Option<String>,
    role: String,
    is_active: bool,
    profile_image: Option<String>,
    created_at: String,
    updated_at: String,
    last_login_at: Option<String>,
}

impl From<RawUser> for UserRow {
    fn from(raw: RawUser) -> Self {
        Self {
            id: raw.id,
            username: raw.username,
            password_hash: raw.password_hash,
            role: Role::parse(&raw.role),
            is_active: raw.is_active,
            profile_image: raw.profile_image,
            created_at: raw.created_at,
            updated_at: raw.updated_at,
            last_login_at: raw.last_login_at,
        }
    }
}

/// A user to create.
pub struct NewUser {
    pub username: String,
    pub password_hash: Option<String>,
    pub role: Role,
    pub is_active: bool,
    pub profile_image: Option<String>,
    pub oidc: Option<(String, String)>,
}

/// Changes to a user; `None` keeps the value.
#[derive(Default)]
pub struct UserPatch {
    pub username: Option<String>,
    pub password_hash: Option<String>,
    pub role: Option<Role>,
    pub is_active: Option<bool>,
    pub profile_image: Option<String>,
}

const USER_COLUMNS: &str = "id, username, password_hash, role, is_active, profile_image, created_at, updated_at, last_login_at";

fn taken(username: &str) -> ApiError {
    ApiError::Conflict(format!("username '{username}' is already taken"))
}

impl Database {
    pub async fn create_user(&self, user: NewUser) -> ApiResult<UserRow> {
        let id = Uuid::new_v4().to_string();
        let stamp = now();
        let (issuer, subject) = user.oidc.clone().unzip();
        let result = sqlx::query(
            "INSERT INTO users (id, username, password_hash, role, is_active, profile_image, oidc_issuer, oidc_subject, created_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id).bind(&user.username).bind(&user.password_hash).bind(user.role.as_str()).bind(user.is_active)
        .bind(&user.profile_image).bind(issuer).bind(subject).bind(&stamp).bind(&stamp)
        .execute(&self.pool)
        .await;
        match result {
            Ok(_) => self.user_by_id(&id).await?.ok_or_else(|| ApiError::not_found("user")),
            Err(error) if is_unique_violation(&error) => Err(taken(&user.username)),
            Err(error) => Err(error.into()),
        }
    }

    pub async fn user_by_id(&self, id: &str) -> ApiResult<Option<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = ?");
        let raw: Option<RawUser> = sqlx::query_as(&sql).bind(id).fetch_optional(&self.pool).await?;
        Ok(raw.map(UserRow::from))
    }

    pub async fn user_by_username(&self, username: &str) -> ApiResult<Option<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = ? COLLATE NOCASE");
        let raw: Option<RawUser> = sqlx::query_as(&sql).bind(username).fetch_optional(&self.pool).await?;
        Ok(raw.map(UserRow::from))
    }

    pub async fn user_by_oidc(&self, issuer: &str, subject: &str) -> ApiResult<Option<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE oidc_issuer = ? AND oidc_subject = ?");
        let raw: Option<RawUser> = sqlx::query_as(&sql).bind(issuer).bind(subject).fetch_optional(&self.pool).await?;
        Ok(raw.map(UserRow::from))
    }

    pub async fn count_superusers(&self) -> ApiResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'superuser'").fetch_one(&self.pool).await?)
    }

    /// A page of users (oldest first) and the total.
    pub async fn list_users(&self, limit: i64, offset: i64) -> ApiResult<(Vec<UserRow>, i64)> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY created_at, id LIMIT ? OFFSET ?");
        let rows: Vec<RawUser> = sqlx::query_as(&sql).bind(limit).bind(offset).fetch_all(&self.pool).await?;
        let total = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(&self.pool).await?;
        Ok((rows.into_iter().map(UserRow::from).collect(), total))
    }

    pub async fn update_user(&self, id: &str, patch: UserPatch) -> ApiResult<Option<UserRow>> {
        let Some(current) = self.user_by_id(id).await? else {
            return Ok(None);
        };
        let username = patch.username.unwrap_or(current.username);
        let result = sqlx::query(
            "UPDATE users SET username = ?, password_hash = ?, role = ?, is_active = ?, profile_image = ?, updated_at = ? WHERE id = ?",
        )
        .bind(&username)
        .bind(patch.password_hash.or(current.password_hash))
        .bind(patch.role.unwrap_or(current.role).as_str())
        .bind(patch.is_active.unwrap_or(current.is_active))
        .bind(patch.profile_image.or(current.profile_image))
        .bind(now())
        .bind(id)
        .execute(&self.pool)
        .await;
        match result {
            Ok(_) => self.user_by_id(id).await,
            Err(error) if is_unique_violation(&error) => Err(taken(&username)),
            Err(error) => Err(error.into()),
        }
    }

    pub async fn record_login(&self, id: &str) -> ApiResult<()> {
        sqlx::query("UPDATE users SET last_login_at = ? WHERE id = ?").bind(now()).bind(id).execute(&self.pool).await?;
        Ok(())
    }

    /// Deletes a user and everything they own, in one transaction. (Callers
    /// flush the run recorder first, so no run of theirs lands afterwards.)
    pub async fn delete_user(&self, id: &str) -> ApiResult<bool> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM runs WHERE user_id = ?").bind(id).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM flows WHERE user_id = ?").bind(id).execute(&mut *tx).await?;
        // api_keys, token families and refresh tokens go by ON DELETE CASCADE.
        let deleted = sqlx::query("DELETE FROM users WHERE id = ?").bind(id).execute(&mut *tx).await?.rows_affected();
        tx.commit().await?;
        Ok(deleted > 0)
    }

    /// Gives flows and runs saved before users existed (no owner) to `user_id`.
    pub async fn adopt_unowned(&self, user_id: &str) -> ApiResult<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE flows SET user_id = ? WHERE user_id IS NULL").bind(user_id).execute(&mut *tx).await?;
        sqlx::query("UPDATE runs SET user_id = ? WHERE user_id IS NULL").bind(user_id).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    }
}
