//! The auth service: logins, token pairs with rotation and revocation, API
//! keys, external OIDC tokens, brute-force lockout and the first superuser.

pub mod oidc;
pub mod password;
pub mod tokens;

use std::net::IpAddr;
use std::sync::Arc;

use anyhow::Context as _;
use jsonwebtoken::decode_header;
use rand::RngCore as _;
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;

use self::oidc::OidcVerifier;
use self::tokens::{Claims, TokenKind, TokenService};
use crate::db::{ApiKeyRow, Database, NewUser, Principal, RefreshSpend, Role};
use crate::error::{ApiError, ApiResult};
use crate::settings::{AuthSettings, Settings};

/// Login answer (Langflow's shape).
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub token_type: &'static str,
}

/// An authenticated caller, and the session its access token belongs to (if any).
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub principal: Principal,
    pub session: Option<Claims>,
}

pub struct AuthService {
    /// One password check at a time per username, so parallel guesses cannot
    /// all pass the lockout check before the first failure is counted.
    login_gates: std::sync::Mutex<std::collections::HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    db: Database,
    tokens: TokenService,
    oidc: Option<OidcVerifier>,
    pub settings: AuthSettings,
}

const API_KEY_PREFIX: &str = "sk-";
/// Characters of a key shown in lists (after `sk-`).
const API_KEY_VISIBLE: usize = 8;

fn unauthorized(detail: &str) -> ApiError {
    ApiError::Unauthorized(detail.to_owned())
}

impl AuthService {
    pub fn new(db: Database, settings: &Settings) -> anyhow::Result<Self> {
        let auth = settings.auth.clone();
        let tokens = TokenService::from_settings(&auth, &settings.data_dir)?;
        let oidc = match (&auth.oidc_issuer, &auth.oidc_audience, &auth.oidc_jwks_url) {
            (Some(issuer), Some(audience), Some(jwks)) => Some(OidcVerifier::new(issuer.clone(), audience.clone(), jwks.clone())?),
            (None, None, None) => None,
            _ => anyhow::bail!("OIDC needs all of --oidc-issuer, --oidc-audience and --oidc-jwks-url"),
        };
        Ok(Self { login_gates: Default::default(), db, tokens, oidc, settings: auth })
    }

    // ---- login, refresh, logout ----

    /// Checks a username and password; the same 401 for a wrong user or password.
    pub async fn login(&self, username: &str, password: &str, client: Option<IpAddr>) -> ApiResult<(TokenPair, Principal)> {
        let user_key = format!("user:{}", username.to_lowercase());
        let gate = self.gate(&user_key);
        let _one_at_a_time = gate.lock().await;
        let ip_key = client.map(|ip| format!("ip:{ip}"));
        for key in std::iter::once(&user_key).chain(ip_key.as_ref()) {
            if let Some(retry_after) = self.db.login_locked_for(key).await? {
                return Err(ApiError::TooManyRequests { detail: "too many failed logins; try again later".into(), retry_after });
            }
        }
        let user = self.db.user_by_username(username).await?;
        let stored = user.as_ref().and_then(|u| u.password_hash.clone());
        let valid = password::verify(password.to_owned(), stored).await?;
        let Some(user) = user.filter(|_| valid) else {
            let s = &self.settings;
            self.db.record_login_failure(&user_key, s.login_max_failures, s.login_window_seconds, s.login_lockout_seconds).await?;
            if let Some(ip_key) = &ip_key {
                self.db.record_login_failure(ip_key, s.login_max_failures * 4, s.login_window_seconds, s.login_lockout_seconds).await?;
            }
            return Err(unauthorized("Incorrect username or password"));
        };
        if !user.is_active {
            return Err(unauthorized("Inactive user"));
        }
        self.db.clear_login_failures(&user_key).await?;
        self.db.record_login(&user.id).await?;
        Ok((self.start_session(&user.id).await?, Principal::from(&user)))
    }

    fn gate(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut gates = self.login_gates.lock().expect("login gates lock");
        if gates.len() > 10_000 {
            // Forget idle gates so a spray of usernames cannot grow the map forever.
            gates.retain(|_, gate| Arc::strong_count(gate) > 1);
        }
        gates.entry(key.to_owned()).or_default().clone()
    }

    /// Checks a signed-in user's current password (before a password change),
    /// under the same lockout as logins: a stolen token must not become a
    /// way to guess the password.
    pub async fn check_current_password(&self, user: &crate::db::UserRow, password: &str) -> ApiResult<bool> {
        let key = format!("user:{}", user.username.to_lowercase());
        let gate = self.gate(&key);
        let _one_at_a_time = gate.lock().await;
        if let Some(retry_after) = self.db.login_locked_for(&key).await? {
            return Err(ApiError::TooManyRequests { detail: "too many failed password checks; try again later".into(), retry_after });
        }
        let valid = password::verify(password.to_owned(), user.password_hash.clone()).await?;
        if !valid {
            let s = &self.settings;
            self.db.record_login_failure(&key, s.login_max_failures, s.login_window_seconds, s.login_lockout_seconds).await?;
        }
        Ok(valid)
    }

    /// A new token family and its first pair.
    pub async fn start_session(&self, user_id: &str) -> ApiResult<TokenPair> {
        let family = Uuid::new_v4().to_string();
        let expires = chrono::Utc::now().timestamp() + self.tokens.refresh_ttl;
        self.db.start_token_family(&family, user_id, expires).await?;
        self.issue_pair(user_id, &family).await
    }

    async fn issue_pair(&self, user_id: &str, family: &str) -> ApiResult<TokenPair> {
        let (access_token, _) = self.tokens.issue(user_id, TokenKind::Access, family)?;
        let (refresh_token, refresh) = self.tokens.issue(user_id, TokenKind::Refresh, family)?;
        self.db.store_refresh_token(&refresh.jti, family, refresh.exp).await?;
        Ok(TokenPair { access_token, refresh_token, token_type: "bearer" })
    }

    /// Spends a refresh token for a new pair. A second use of the same token
    /// revokes its whole family (it was stolen, or the client is confused).
    pub async fn refresh(&self, refresh_token: &str) -> ApiResult<TokenPair> {
        let claims = self.tokens.verify(refresh_token, TokenKind::Refresh).ok_or_else(|| unauthorized("Invalid refresh token"))?;
        match self.db.spend_refresh_token(&claims.jti, &claims.fam).await? {
            RefreshSpend::Fresh { user_id } => {
                let user = self.db.user_by_id(&user_id).await?.filter(|u| u.is_active).ok_or_else(|| unauthorized("Invalid refresh token"))?;
                self.issue_pair(&user.id, &claims.fam).await
            }
            RefreshSpend::Reused => {
                tracing::warn!(user_id = %claims.sub, family = %claims.fam, "refresh token reused; session revoked");
                Err(unauthorized("Refresh token already used; the session has been revoked"))
            }
            RefreshSpend::Invalid => Err(unauthorized("Invalid refresh token")),
        }
    }

    /// Revokes the presented access token and its whole session.
    pub async fn logout(&self, session: &Claims) -> ApiResult<()> {
        self.db.revoke_session(&session.jti, session.exp, &session.fam).await
    }

    // ---- authenticating a request ----

    /// A bearer token: ours (pinned algorithm) or, when configured, the OIDC provider's.
    pub async fn authenticate_bearer(&self, token: &str) -> ApiResult<Authenticated> {
        let header = decode_header(token).map_err(|_| unauthorized("Invalid token"))?;
        if let Some(oidc) = self.oidc.as_ref().filter(|_| OidcVerifier::claims_token(&header)) {
            let claims = oidc.verify(token, &header).await.ok_or_else(|| unauthorized("Invalid token"))?;
            return Ok(Authenticated { principal: self.oidc_user(&claims).await?, session: None });
        }
        let claims = self.tokens.verify(token, TokenKind::Access).ok_or_else(|| unauthorized("Invalid token"))?;
        let check = self.db.check_access(&claims.sub, &claims.jti, &claims.fam).await?.ok_or_else(|| unauthorized("Invalid token"))?;
        if check.revoked {
            return Err(unauthorized("Token has been revoked"));
        }
        Ok(Authenticated { principal: check.principal, session: Some(claims) })
    }

    pub async fn authenticate_api_key(&self, key: &str) -> ApiResult<Authenticated> {
        let principal = self.db.use_api_key(&sha256_hex(key)).await?.ok_or_else(|| unauthorized("Invalid API key"))?;
        Ok(Authenticated { principal, session: None })
    }

    /// The local user for an OIDC identity, created on first sight.
    async fn oidc_user(&self, claims: &oidc::OidcClaims) -> ApiResult<Principal> {
        if let Some(user) = self.db.user_by_oidc(&claims.iss, &claims.sub).await? {
            return Ok(Principal::from(&user));
        }
        let wanted = claims.preferred_username.clone().or_else(|| claims.email.clone()).unwrap_or_else(|| format!("oidc-{}", claims.sub));
        for attempt in 0..5 {
            let username = if attempt == 0 { wanted.clone() } else { format!("{wanted}-{}", &Uuid::new_v4().simple().to_string()[..6]) };
            let user = NewUser { username, password_hash: None, role: Role::User, is_active: true, profile_image: None, oidc: Some((claims.iss.clone(), claims.sub.clone())) };
            match self.db.create_user(user).await {
                Ok(user) => {
                    tracing::info!(user_id = %user.id, issuer = %claims.iss, "provisioned a user from the identity provider");
                    return Ok(Principal::from(&user));
                }
                Err(ApiError::Conflict(_)) => {
                    // Same identity created concurrently, or the username is taken.
                    if let Some(user) = self.db.user_by_oidc(&claims.iss, &claims.sub).await? {
                        return Ok(Principal::from(&user));
                    }
                }
                Err(error) => return Err(error),
            }
        }
        Err(ApiError::Conflict("could not find a free username for this identity".into()))
    }

    // ---- API keys ----

    /// Creates a key; the returned string is the only time it is ever shown.
    pub async fn create_api_key(&self, user_id: &str, name: &str) -> ApiResult<(ApiKeyRow, String)> {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let key = format!("{API_KEY_PREFIX}{}", hex::encode(bytes));
        let masked = format!("{}{}", &key[..API_KEY_PREFIX.len() + API_KEY_VISIBLE], "*".repeat(16));
        let row = self.db.create_api_key(&Uuid::new_v4().to_string(), user_id, name, &masked, &sha256_hex(&key)).await?;
        Ok((row, key))
    }

    // ---- first start ----

    /// Makes sure the configured superuser exists. Without a configured
    /// password one is generated and printed once; there is no fixed default.
    pub async fn ensure_superuser(&self) -> anyhow::Result<()> {
        let name = self.settings.superuser.trim().to_owned();
        anyhow::ensure!(!name.is_empty(), "the superuser name must not be empty");
        let user = match self.db.user_by_username(&name).await.map_err(anyhow_of)? {
            Some(user) => user,
            None => {
                let (secret, generated) = match &self.settings.superuser_password {
                    Some(password) => (password.clone(), false),
                    None => (generate_password(), true),
                };
                password::check_strength(&secret).map_err(|e| anyhow::anyhow!("superuser password: {e}"))?;
                let hash = password::hash(secret.clone()).await.map_err(anyhow_of)?;
                let user = NewUser { username: name.clone(), password_hash: Some(hash), role: Role::Superuser, is_active: true, profile_image: None, oidc: None };
                let user = self.db.create_user(user).await.map_err(anyhow_of).context("creating the superuser")?;
                tracing::info!(username = %name, "created the superuser");
                if generated {
                    // On the console only, once; never through the log pipeline.
                    eprintln!("\n  Flowhost superuser created: username '{name}', password '{secret}'\n  (shown once; set FLOWHOST_SUPERUSER_PASSWORD to choose it)\n");
                }
                user
            }
        };
        self.db.adopt_unowned(&user.id).await.map_err(anyhow_of)?;
        Ok(())
    }

    pub async fn superuser_session(&self) -> ApiResult<TokenPair> {
        let user = self.db.user_by_username(&self.settings.superuser).await?.ok_or_else(|| ApiError::not_found("superuser"))?;
        self.start_session(&user.id).await
    }
}

pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn generate_password() -> String {
    let mut bytes = [0u8; 18];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

fn anyhow_of(error: ApiError) -> anyhow::Error {
    anyhow::anyhow!("{error}")
}
