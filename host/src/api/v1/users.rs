//! `/api/v1/users`: sign-up (when allowed), the caller's profile, and the
//! superuser's administration.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, patch};
use axum::Router;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{CurrentUser, MaybeUser, Superuser};
use crate::db::{NewUser, Role, UserPatch, UserRow};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Json, Query};
use crate::services::auth::password;
use crate::state::AppState;

const MAX_USERNAME_LEN: usize = 64;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(list_users).post(create_user))
        .route("/users/me", get(me).put(update_me).patch(update_me))
        .route("/users/whoami", get(me))
        .route("/users/{id}", patch(admin_update_user).delete(delete_user))
}

/// A user as the API shows it (Langflow's fields, plus `role`).
#[derive(Debug, Serialize, ToSchema)]
pub struct UserRead {
    pub id: String,
    pub username: String,
    pub profile_image: Option<String>,
    pub is_active: bool,
    pub is_superuser: bool,
    pub role: Role,
    pub create_at: String,
    pub updated_at: String,
    pub last_login_at: Option<String>,
}

impl From<UserRow> for UserRead {
    fn from(user: UserRow) -> Self {
        Self {
            is_superuser: user.role == Role::Superuser,
            id: user.id,
            username: user.username,
            profile_image: user.profile_image,
            is_active: user.is_active,
            role: user.role,
            create_at: user.created_at,
            updated_at: user.updated_at,
            last_login_at: user.last_login_at,
        }
    }
}

#[derive(Deserialize, ToSchema)]
pub struct UserCreate {
    pub username: String,
    pub password: String,
    #[serde(default)]
    pub profile_image: Option<String>,
    /// Only a superuser may set these.
    #[serde(default)]
    pub is_superuser: Option<bool>,
    #[serde(default)]
    pub is_active: Option<bool>,
}

fn check_username(name: &str) -> ApiResult<String> {
    let name = name.trim();
    let valid_chars = name.chars().all(|c| c.is_alphanumeric() || "._-@+".contains(c));
    if name.is_empty() || name.chars().count() > MAX_USERNAME_LEN || !valid_chars {
        return Err(ApiError::Validation(format!(
            "username must be 1 to {MAX_USERNAME_LEN} letters, digits or . _ - @ +"
        )));
    }
    Ok(name.to_owned())
}

/// Creates a user. A superuser may always; anyone else only when sign-up is
/// enabled, and then the new user is inactive until a superuser activates them.
#[utoipa::path(post, path = "/api/v1/users/", tag = "users", request_body = UserCreate,
    responses((status = 201, body = UserRead), (status = 401, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn create_user(State(state): State<AppState>, MaybeUser(caller): MaybeUser, Json(body): Json<UserCreate>) -> ApiResult<(StatusCode, Json<UserRead>)> {
    let by_superuser = caller.as_ref().is_some_and(|c| c.principal.role == Role::Superuser);
    match &caller {
        None if !state.auth.settings.enable_signup => return Err(ApiError::Unauthorized("Not authenticated".into())),
        Some(_) if !by_superuser => return Err(ApiError::Forbidden("Only a superuser can create users".into())),
        _ => {}
    }
    let username = check_username(&body.username)?;
    password::check_strength(&body.password)?;
    let role = if by_superuser && body.is_superuser == Some(true) { Role::Superuser } else { Role::User };
    let is_active = by_superuser && body.is_active.unwrap_or(true);
    let hash = password::hash(body.password).await?;
    let user = NewUser { username, password_hash: Some(hash), role, is_active, profile_image: body.profile_image, oidc: None };
    let user = state.db.create_user(user).await?;
    tracing::info!(user_id = %user.id, by_superuser, "user created");
    Ok((StatusCode::CREATED, Json(user.into())))
}

/// The caller (also Langflow's `/users/whoami`).
#[utoipa::path(get, path = "/api/v1/users/whoami", tag = "users", responses((status = 200, body = UserRead), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<UserRead>> {
    let row = state.db.user_by_id(user.id()).await?.ok_or_else(|| ApiError::Unauthorized("Not authenticated".into()))?;
    Ok(Json(row.into()))
}

#[derive(Deserialize, ToSchema)]
pub struct MeUpdate {
    pub username: Option<String>,
    pub profile_image: Option<String>,
    /// A new password; needs `current_password`.
    pub password: Option<String>,
    pub current_password: Option<String>,
}

/// Changes the caller's username, profile or password (the latter needs the current one).
#[utoipa::path(put, path = "/api/v1/users/me", tag = "users", request_body = MeUpdate,
    responses((status = 200, body = UserRead), (status = 401, body = crate::error::ErrorBody), (status = 409, body = crate::error::ErrorBody)))]
pub async fn update_me(State(state): State<AppState>, user: CurrentUser, Json(body): Json<MeUpdate>) -> ApiResult<Json<UserRead>> {
    let mut patch = UserPatch { username: body.username.as_deref().map(check_username).transpose()?, profile_image: body.profile_image, ..Default::default() };
    if let Some(new_password) = body.password {
        password::check_strength(&new_password)?;
        let current = state.db.user_by_id(user.id()).await?.ok_or_else(|| ApiError::not_found("user"))?;
        let given = body.current_password.ok_or_else(|| ApiError::Validation("changing the password needs `current_password`".into()))?;
        if !state.auth.check_current_password(&current, &given).await? {
            return Err(ApiError::Validation("current password is incorrect".into()));
        }
        patch.password_hash = Some(password::hash(new_password).await?);
    }
    let password_changed = patch.password_hash.is_some();
    let row = state.db.update_user(user.id(), patch).await?.ok_or_else(|| ApiError::not_found("user"))?;
    if password_changed {
        // Every other session ends; the caller's own goes on.
        let keep = user.session.as_ref().map(|s| s.fam.as_str());
        state.db.revoke_user_sessions(user.id(), keep).await?;
    }
    Ok(Json(row.into()))
}

#[derive(Deserialize, IntoParams)]
pub struct UsersParams {
    #[serde(default)]
    pub skip: i64,
    #[serde(default = "default_limit")]
    pub limit: i64,
}

fn default_limit() -> i64 {
    50
}

#[derive(Serialize, ToSchema)]
pub struct UsersPage {
    pub total_count: i64,
    pub users: Vec<UserRead>,
}

/// Every user, paginated with Langflow's `skip` and `limit` (superuser only).
#[utoipa::path(get, path = "/api/v1/users/", tag = "users", params(UsersParams),
    responses((status = 200, body = UsersPage), (status = 403, body = crate::error::ErrorBody)))]
pub async fn list_users(State(state): State<AppState>, _admin: Superuser, Query(params): Query<UsersParams>) -> ApiResult<Json<UsersPage>> {
    if params.skip < 0 || !(1..=1000).contains(&params.limit) {
        return Err(ApiError::Validation("skip must be >= 0 and limit between 1 and 1000".into()));
    }
    let (users, total_count) = state.db.list_users(params.limit, params.skip).await?;
    Ok(Json(UsersPage { total_count, users: users.into_iter().map(UserRead::from).collect() }))
}

#[derive(Deserialize, ToSchema)]
pub struct AdminUpdate {
    pub is_active: Option<bool>,
    pub is_superuser: Option<bool>,
    pub role: Option<Role>,
    pub username: Option<String>,
    pub password: Option<String>,
    pub profile_image: Option<String>,
}

/// Activates, deactivates, changes the role of, or renames a user (superuser only).
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", request_body = AdminUpdate,
    responses((status = 200, body = UserRead), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn admin_update_user(State(state): State<AppState>, Superuser(admin): Superuser, Path(id): Path<String>, Json(body): Json<AdminUpdate>) -> ApiResult<Json<UserRead>> {
    let role = body.role.or(body.is_superuser.map(|s| if s { Role::Superuser } else { Role::User }));
    if id == admin.id() && (body.is_active == Some(false) || role == Some(Role::User)) {
        return Err(ApiError::Forbidden("A superuser cannot deactivate or demote themself".into()));
    }
    let password_hash = match body.password {
        Some(new_password) => {
            password::check_strength(&new_password)?;
            Some(password::hash(new_password).await?)
        }
        None => None,
    };
    let ends_sessions = password_hash.is_some() || body.is_active == Some(false);
    let patch = UserPatch {
        username: body.username.as_deref().map(check_username).transpose()?,
        password_hash,
        role,
        is_active: body.is_active,
        profile_image: body.profile_image,
    };
    let row = state.db.update_user(&id, patch).await?.ok_or_else(|| ApiError::not_found("user"))?;
    if ends_sessions {
        state.db.revoke_user_sessions(&row.id, None).await?;
    }
    tracing::info!(user_id = %row.id, by = %admin.id(), "user updated by a superuser");
    Ok(Json(row.into()))
}

#[derive(Serialize, ToSchema)]
pub struct Deleted {
    pub detail: &'static str,
}

/// Deletes a user and everything they own, in one transaction (superuser only; not themself).
#[utoipa::path(delete, path = "/api/v1/users/{id}", tag = "users",
    responses((status = 200, body = Deleted), (status = 403, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn delete_user(State(state): State<AppState>, Superuser(admin): Superuser, Path(id): Path<String>) -> ApiResult<Json<Deleted>> {
    if id == admin.id() {
        return Err(ApiError::Forbidden("A superuser cannot delete themself".into()));
    }
    state.execution.recorder.flush().await;
    if !state.db.delete_user(&id).await? {
        return Err(ApiError::not_found("user"));
    }
    tracing::info!(user_id = %id, by = %admin.id(), "user deleted");
    Ok(Json(Deleted { detail: "User deleted" }))
}
