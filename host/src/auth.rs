//! Authentication as extractors: `CurrentUser` (any active user), `Superuser`,
//! and `MaybeUser` (for the few routes open to anonymous callers). Handlers
//! never check credentials or roles themselves.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};

use crate::db::{Principal, Role};
use crate::error::ApiError;
use crate::services::auth::tokens::Claims;
use crate::state::AppState;

/// Langflow's cookie for the access token, and ours for the refresh token.
pub const ACCESS_COOKIE: &str = "access_token_lf";
pub const REFRESH_COOKIE: &str = "refresh_token_lf";
const API_KEY_HEADER: &str = "x-api-key";

/// An authenticated, active user.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub principal: Principal,
    /// The access token's claims when the caller used one (needed by logout).
    pub session: Option<Claims>,
}

impl CurrentUser {
    pub fn id(&self) -> &str {
        &self.principal.id
    }

    /// The owner value every query of this user is scoped to.
    pub fn owner(&self) -> Option<&str> {
        Some(&self.principal.id)
    }
}

/// A superuser; anyone else gets 403.
#[derive(Debug, Clone)]
pub struct Superuser(pub CurrentUser);

/// A user if the request carries credentials (bad ones are still a 401).
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

enum Credential {
    Bearer(String),
    ApiKey(String),
}

fn credential(parts: &Parts) -> Option<Credential> {
    let headers = &parts.headers;
    if let Some(token) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(bearer) {
        return Some(Credential::Bearer(token.to_owned()));
    }
    if let Some(key) = headers.get(API_KEY_HEADER).and_then(|v| v.to_str().ok()) {
        return Some(Credential::ApiKey(key.to_owned()));
    }
    if let Some(key) = query_api_key(parts.uri.query()) {
        return Some(Credential::ApiKey(key));
    }
    cookie(headers, ACCESS_COOKIE).map(Credential::Bearer)
}

fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim()).filter(|t| !t.is_empty())
}

fn query_api_key(query: Option<&str>) -> Option<String> {
    url_pairs(query?).find(|(k, _)| k == API_KEY_HEADER).map(|(_, v)| v)
}

fn url_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query).unwrap_or_default().into_iter()
}

/// A cookie's value from the `Cookie` headers.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

async fn authenticate(parts: &Parts, state: &AppState) -> Result<Option<CurrentUser>, ApiError> {
    let Some(credential) = credential(parts) else {
        return Ok(None);
    };
    let authenticated = match credential {
        Credential::Bearer(token) => state.auth.authenticate_bearer(&token).await?,
        Credential::ApiKey(key) => state.auth.authenticate_api_key(&key).await?,
    };
    if !authenticated.principal.is_active {
        return Err(ApiError::Unauthorized("Inactive user".into()));
    }
    Ok(Some(CurrentUser { principal: authenticated.principal, session: authenticated.session }))
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        let user = authenticate(parts, state).await?.ok_or_else(|| ApiError::Unauthorized("Not authenticated".into()))?;
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

impl FromRequestParts<AppState> for Superuser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        if user.principal.role != Role::Superuser {
            return Err(ApiError::Forbidden("This action needs a superuser".into()));
        }
        Ok(Self(user))
    }
}

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(Self(authenticate(parts, state).await?))
    }
}
