//! Bearer JWTs issued by an external OpenID Connect provider, checked against
//! its JWKS (fetched, cached, refetched when an unknown `kid` shows up, so key
//! rotation needs no restart).

use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{decode, Algorithm, DecodingKey, Header, Validation};
use serde::Deserialize;
use tokio::sync::RwLock;

/// Keys are refreshed at least this often.
const JWKS_TTL: Duration = Duration::from_secs(600);
/// An unknown `kid` triggers a refetch at most this often (a flood of bogus
/// `kid`s must not become a flood of requests to the provider).
const MIN_REFETCH_INTERVAL: Duration = Duration::from_secs(5);

/// Asymmetric algorithms only: a provider's public key must never be usable as an HMAC secret.
const ALLOWED: &[Algorithm] = &[
    Algorithm::RS256, Algorithm::RS384, Algorithm::RS512,
    Algorithm::PS256, Algorithm::PS384, Algorithm::PS512,
    Algorithm::ES256, Algorithm::ES384, Algorithm::EdDSA,
];

#[derive(Debug, Clone, Deserialize)]
pub struct OidcClaims {
    pub sub: String,
    pub iss: String,
    #[serde(default)]
    pub preferred_username: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
}

pub struct OidcVerifier {
    pub issuer: String,
    audience: String,
    jwks_url: String,
    client: reqwest::Client,
    keys: RwLock<Option<(Instant, JwkSet)>>,
}

impl OidcVerifier {
    pub fn new(issuer: String, audience: String, jwks_url: String) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder().timeout(Duration::from_secs(10)).build()?;
        Ok(Self { issuer, audience, jwks_url, client, keys: RwLock::new(None) })
    }

    /// Does this token's header look like one of the provider's (it names a key)?
    pub fn claims_token(header: &Header) -> bool {
        header.kid.is_some()
    }

    /// Verifies signature (by `kid`), algorithm, issuer, audience and expiry.
    pub async fn verify(&self, token: &str, header: &Header) -> Option<OidcClaims> {
        if !ALLOWED.contains(&header.alg) {
            return None;
        }
        let kid = header.kid.as_deref()?;
        let jwk = self.key(kid).await?;
        if jwk.common.key_algorithm.is_some_and(|alg| alg.to_string() != format!("{:?}", header.alg)) {
            return None;
        }
        let key = DecodingKey::from_jwk(&jwk).ok()?;
        let mut validation = Validation::new(header.alg);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        // RFC 7519 4.1.5: a token before its `nbf` must not be accepted.
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp", "sub", "iss", "aud"]);
        match decode::<OidcClaims>(token, &key, &validation) {
            Ok(data) => Some(data.claims),
            Err(error) => {
                tracing::debug!(%error, "OIDC token refused");
                None
            }
        }
    }

    async fn key(&self, kid: &str) -> Option<Jwk> {
        {
            let keys = self.keys.read().await;
            if let Some((fetched, set)) = keys.as_ref() {
                let found = set.find(kid).cloned();
                let fresh = fetched.elapsed() < JWKS_TTL;
                if found.is_some() && fresh {
                    return found;
                }
                if found.is_none() && fetched.elapsed() < MIN_REFETCH_INTERVAL {
                    return None;
                }
            }
        }
        let mut keys = self.keys.write().await;
        // Another request may have refreshed while we waited for the lock.
        if let Some((fetched, set)) = keys.as_ref() {
            if fetched.elapsed() < MIN_REFETCH_INTERVAL {
                return set.find(kid).cloned();
            }
        }
        match self.fetch().await {
            Ok(set) => {
                let found = set.find(kid).cloned();
                *keys = Some((Instant::now(), set));
                found
            }
            Err(error) => {
                tracing::warn!(%error, url = %self.jwks_url, "could not fetch the OIDC provider's keys");
                keys.as_ref().and_then(|(_, set)| set.find(kid).cloned())
            }
        }
    }

    async fn fetch(&self) -> anyhow::Result<JwkSet> {
        Ok(self.client.get(&self.jwks_url).send().await?.error_for_status()?.json().await?)
    }
}
