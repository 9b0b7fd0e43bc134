//! JWT access and refresh tokens: the algorithm is pinned (HS256 with a secret,
//! or RS256 with configured keys); a token of another algorithm, `alg: none`, a
//! bad signature, a wrong issuer or the wrong `type` is refused.

use std::path::Path;

use anyhow::Context as _;
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::settings::{AuthSettings, JwtAlgorithm};

pub const ISSUER: &str = "flowhost";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    Access,
    Refresh,
}

/// What our tokens carry.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// User id.
    pub sub: String,
    #[serde(rename = "type")]
    pub kind: TokenKind,
    pub jti: String,
    pub iat: i64,
    pub exp: i64,
    /// The login session (token family) this token belongs to.
    pub fam: String,
    pub iss: String,
}

pub struct TokenService {
    algorithm: Algorithm,
    encoding: EncodingKey,
    decoding: DecodingKey,
    pub access_ttl: i64,
    pub refresh_ttl: i64,
}

impl TokenService {
    pub fn from_settings(auth: &AuthSettings, data_dir: &Path) -> anyhow::Result<Self> {
        let (algorithm, encoding, decoding) = match auth.jwt_algorithm {
            JwtAlgorithm::Hs256 => {
                let secret = match &auth.secret_key {
                    Some(secret) => secret.clone().into_bytes(),
                    None => load_or_create_secret(&data_dir.join("secret_key"))?,
                };
                anyhow::ensure!(secret.len() >= 32, "the JWT secret must be at least 32 bytes");
                (Algorithm::HS256, EncodingKey::from_secret(&secret)?, DecodingKey::from_secret(&secret)?)
            }
            JwtAlgorithm::Rs256 => {
                let private = auth.jwt_private_key.as_ref().context("RS256 needs --jwt-private-key")?;
                let public = auth.jwt_public_key.as_ref().context("RS256 needs --jwt-public-key")?;
                let private = std::fs::read(private).with_context(|| format!("reading {}", private.display()))?;
                let public = std::fs::read(public).with_context(|| format!("reading {}", public.display()))?;
                (Algorithm::RS256, EncodingKey::from_rsa_pem(&private)?, DecodingKey::from_rsa_pem(&public)?)
            }
        };
        Ok(Self { algorithm, encoding, decoding, access_ttl: auth.access_token_expire_seconds, refresh_ttl: auth.refresh_token_expire_seconds })
    }

    /// Signs a new token of `kind` for `user_id` in session `family`.
    pub fn issue(&self, user_id: &str, kind: TokenKind, family: &str) -> anyhow::Result<(String, Claims)> {
        let iat = chrono::Utc::now().timestamp();
        let ttl = match kind {
            TokenKind::Access => self.access_ttl,
            TokenKind::Refresh => self.refresh_ttl,
        };
        let claims = Claims { sub: user_id.into(), kind, jti: Uuid::new_v4().to_string(), iat, exp: iat + ttl, fam: family.into(), iss: ISSUER.into() };
        let token = encode(&Header::new(self.algorithm), &claims, &self.encoding).context("signing a token")?;
        Ok((token, claims))
    }

    /// Verifies signature, algorithm, issuer, expiry and type.
    pub fn verify(&self, token: &str, expected: TokenKind) -> Option<Claims> {
        let mut validation = Validation::new(self.algorithm);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "sub", "iss"]);
        validation.leeway = 5;
        let claims = decode::<Claims>(token, &self.decoding, &validation).ok()?.claims;
        (claims.kind == expected).then_some(claims)
    }
}

/// Reads the generated secret, or creates one readable by the owner only (0600).
fn load_or_create_secret(path: &Path) -> anyhow::Result<Vec<u8>> {
    if let Ok(secret) = std::fs::read(path) {
        return Ok(secret);
    }
    let secret = {
        use rand::RngCore as _;
        let mut bytes = [0u8; 48];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        hex::encode(bytes).into_bytes()
    };
    write_private(path, &secret).with_context(|| format!("writing {}", path.display()))?;
    tracing::info!(path = %path.display(), "generated a new JWT signing secret");
    Ok(secret)
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(bytes)
}
