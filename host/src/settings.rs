//! Typed settings: defaults < environment (`FLOWHOST_*`) < CLI flags (clap does the layering).
//! Tests build a `Settings` directly (port 0, a temporary data directory).

use std::path::PathBuf;

use clap::Args;

/// Everything the server needs to start.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// Address to listen on.
    #[arg(long, env = "FLOWHOST_HOST", default_value = "127.0.0.1")]
    pub host: String,

    /// Port to listen on (0 picks a free one).
    #[arg(long, env = "FLOWHOST_PORT", default_value_t = 7860)]
    pub port: u16,

    /// Directory for the database and the compiled-component cache.
    #[arg(long, env = "FLOWHOST_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// Directory scanned for third-party `.wasm` components at start-up.
    #[arg(long, env = "FLOWHOST_PLUGINS_DIR", default_value = "./plugins")]
    pub plugins_dir: PathBuf,

    /// Where compiled components are cached (default: `<data-dir>/cache`).
    #[arg(long, env = "FLOWHOST_CACHE_DIR")]
    pub cache_dir: Option<PathBuf>,

    /// Largest request body accepted, in bytes.
    #[arg(long, env = "FLOWHOST_MAX_BODY_BYTES", default_value_t = 16 * 1024 * 1024)]
    pub max_body_bytes: usize,

    #[command(flatten)]
    pub limits: ComponentLimits,

    #[command(flatten)]
    pub auth: AuthSettings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum JwtAlgorithm {
    /// HMAC-SHA256 with `--secret-key` (generated into the data dir when not given).
    Hs256,
    /// RSA-SHA256 with `--jwt-private-key` and `--jwt-public-key` (PEM files).
    Rs256,
}

/// Users, tokens and login protection.
#[derive(Clone, Args)]
pub struct AuthSettings {
    /// Secret for HS256 tokens (at least 32 bytes). Default: generated on first
    /// start into `<data-dir>/secret_key` with 0600 permissions.
    #[arg(long, env = "FLOWHOST_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,

    /// How tokens are signed; only this algorithm is accepted.
    #[arg(long, env = "FLOWHOST_JWT_ALGORITHM", value_enum, default_value_t = JwtAlgorithm::Hs256)]
    pub jwt_algorithm: JwtAlgorithm,

    /// PEM private key for RS256.
    #[arg(long, env = "FLOWHOST_JWT_PRIVATE_KEY")]
    pub jwt_private_key: Option<PathBuf>,

    /// PEM public key for RS256.
    #[arg(long, env = "FLOWHOST_JWT_PUBLIC_KEY")]
    pub jwt_public_key: Option<PathBuf>,

    /// Lifetime of access tokens, in seconds.
    #[arg(long, env = "FLOWHOST_ACCESS_TOKEN_EXPIRE_SECONDS", default_value_t = 3600)]
    pub access_token_expire_seconds: i64,

    /// Lifetime of refresh tokens, in seconds.
    #[arg(long, env = "FLOWHOST_REFRESH_TOKEN_EXPIRE_SECONDS", default_value_t = 7 * 24 * 3600)]
    pub refresh_token_expire_seconds: i64,

    /// Username of the superuser created on first start (alias: LANGFLOW_SUPERUSER).
    #[arg(long, env = "FLOWHOST_SUPERUSER", default_value = "admin")]
    pub superuser: String,

    /// Its password (alias: LANGFLOW_SUPERUSER_PASSWORD). Default: generated and printed once.
    #[arg(long, env = "FLOWHOST_SUPERUSER_PASSWORD", hide_env_values = true)]
    pub superuser_password: Option<String>,

    /// Let anyone sign up with `POST /api/v1/users`; new users stay inactive until a superuser activates them.
    #[arg(long, env = "FLOWHOST_ENABLE_SIGNUP")]
    pub enable_signup: bool,

    /// Single-user desktop mode: `GET /api/v1/auto_login` hands out superuser
    /// tokens. Refused unless the server listens on loopback only (alias: LANGFLOW_AUTO_LOGIN).
    #[arg(long, env = "FLOWHOST_AUTO_LOGIN")]
    pub auto_login: bool,

    /// Issuer (`iss`) of external OIDC tokens to accept.
    #[arg(long, env = "FLOWHOST_OIDC_ISSUER")]
    pub oidc_issuer: Option<String>,

    /// Audience (`aud`) those tokens must carry.
    #[arg(long, env = "FLOWHOST_OIDC_AUDIENCE")]
    pub oidc_audience: Option<String>,

    /// Where the provider publishes its signing keys (JWKS).
    #[arg(long, env = "FLOWHOST_OIDC_JWKS_URL")]
    pub oidc_jwks_url: Option<String>,

    /// Failed logins for one username before it is locked (an address gets four times as many).
    #[arg(long, env = "FLOWHOST_LOGIN_MAX_FAILURES", default_value_t = 5)]
    pub login_max_failures: i64,

    /// Window in which failures are counted, in seconds.
    #[arg(long, env = "FLOWHOST_LOGIN_WINDOW_SECONDS", default_value_t = 900)]
    pub login_window_seconds: i64,

    /// How long a locked username or address must wait, in seconds.
    #[arg(long, env = "FLOWHOST_LOGIN_LOCKOUT_SECONDS", default_value_t = 900)]
    pub login_lockout_seconds: i64,
}

// Secrets stay out of Debug output (and so out of logs).
impl std::fmt::Debug for AuthSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthSettings")
            .field("jwt_algorithm", &self.jwt_algorithm)
            .field("superuser", &self.superuser)
            .field("enable_signup", &self.enable_signup)
            .field("auto_login", &self.auto_login)
            .field("oidc_issuer", &self.oidc_issuer)
            .finish_non_exhaustive()
    }
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            secret_key: None,
            jwt_algorithm: JwtAlgorithm::Hs256,
            jwt_private_key: None,
            jwt_public_key: None,
            access_token_expire_seconds: 3600,
            refresh_token_expire_seconds: 7 * 24 * 3600,
            superuser: "admin".into(),
            superuser_password: None,
            enable_signup: false,
            auto_login: false,
            oidc_issuer: None,
            oidc_audience: None,
            oidc_jwks_url: None,
            login_max_failures: 5,
            login_window_seconds: 900,
            login_lockout_seconds: 900,
        }
    }
}

/// Langflow's environment names, accepted when ours are not set.
pub const LANGFLOW_ALIASES: &[(&str, &str)] = &[
    ("LANGFLOW_SUPERUSER", "FLOWHOST_SUPERUSER"),
    ("LANGFLOW_SUPERUSER_PASSWORD", "FLOWHOST_SUPERUSER_PASSWORD"),
    ("LANGFLOW_AUTO_LOGIN", "FLOWHOST_AUTO_LOGIN"),
    ("LANGFLOW_SECRET_KEY", "FLOWHOST_SECRET_KEY"),
    ("LANGFLOW_HOST", "FLOWHOST_HOST"),
    ("LANGFLOW_PORT", "FLOWHOST_PORT"),
];

/// Copies each set Langflow variable to our name unless ours is set. Call
/// before parsing the CLI, while the process is still single-threaded.
pub fn apply_langflow_aliases() {
    for (langflow, ours) in LANGFLOW_ALIASES {
        if std::env::var_os(ours).is_none() {
            if let Some(value) = std::env::var_os(langflow) {
                std::env::set_var(ours, value);
            }
        }
    }
    // Langflow's settings accept Python's spellings (`True`, `1`, `no`, ...);
    // clap's flags want `true` / `false`.
    for flag in BOOLEAN_ENV {
        if let Some(value) = std::env::var(flag).ok().and_then(|v| normal_bool(&v)) {
            std::env::set_var(flag, value);
        }
    }
}

const BOOLEAN_ENV: &[&str] = &["FLOWHOST_AUTO_LOGIN", "FLOWHOST_ENABLE_SIGNUP"];

fn normal_bool(value: &str) -> Option<&'static str> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some("true"),
        "0" | "false" | "no" | "off" | "" => Some("false"),
        _ => None,
    }
}

/// Limits applied to every component call (one vertex run).
#[derive(Debug, Clone, Args)]
pub struct ComponentLimits {
    /// Fuel (roughly, Wasm instructions) one vertex run may burn.
    #[arg(long = "component-fuel", env = "FLOWHOST_COMPONENT_FUEL", default_value_t = 2_000_000_000)]
    pub fuel: u64,

    /// Linear memory one component instance may grow to, in bytes.
    #[arg(long = "component-memory-bytes", env = "FLOWHOST_COMPONENT_MEMORY_BYTES", default_value_t = 64 * 1024 * 1024)]
    pub memory_bytes: u64,

    /// Wall-clock deadline of one vertex run, in milliseconds.
    #[arg(long = "component-timeout-ms", env = "FLOWHOST_COMPONENT_TIMEOUT_MS", default_value_t = 30_000)]
    pub timeout_ms: u64,

    /// Total size of the values one vertex run may return, in bytes.
    #[arg(long = "component-output-bytes", env = "FLOWHOST_COMPONENT_OUTPUT_BYTES", default_value_t = 4 * 1024 * 1024)]
    pub output_bytes: u64,

    /// Total size of the values all vertices of one run may return, in bytes.
    #[arg(long = "run-output-bytes", env = "FLOWHOST_RUN_OUTPUT_BYTES", default_value_t = 64 * 1024 * 1024)]
    pub run_output_bytes: u64,

    /// Runs one user may have in progress at once; more get 429.
    #[arg(long = "max-concurrent-runs-per-user", env = "FLOWHOST_MAX_CONCURRENT_RUNS_PER_USER", default_value_t = 8)]
    pub max_concurrent_runs_per_user: u32,

    /// Component instances that may be alive at once (pooling allocator slots).
    #[arg(long = "component-instances", env = "FLOWHOST_COMPONENT_INSTANCES", default_value_t = 1000)]
    pub max_instances: u32,
}

impl Settings {
    /// Settings for a server on `127.0.0.1:0` with the given directories and default limits.
    pub fn for_tests(data_dir: PathBuf, plugins_dir: PathBuf) -> Self {
        Self {
            host: "127.0.0.1".into(),
            port: 0,
            data_dir,
            plugins_dir,
            cache_dir: None,
            max_body_bytes: 16 * 1024 * 1024,
            limits: ComponentLimits::default(),
            auth: AuthSettings::default(),
        }
    }

    /// True when the listen address only accepts local connections.
    pub fn listens_on_loopback(&self) -> bool {
        self.host == "localhost" || self.host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
    }

    /// The compiled-component cache directory.
    pub fn cache_dir(&self) -> PathBuf {
        self.cache_dir.clone().unwrap_or_else(|| self.data_dir.join("cache"))
    }
}

impl Default for ComponentLimits {
    fn default() -> Self {
        Self {
            fuel: 2_000_000_000,
            memory_bytes: 64 * 1024 * 1024,
            timeout_ms: 30_000,
            output_bytes: 4 * 1024 * 1024,
            run_output_bytes: 64 * 1024 * 1024,
            max_concurrent_runs_per_user: 8,
            max_instances: 1000,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        settings: Settings,
    }

    #[test]
    fn langflow_names_fill_in_for_ours_but_never_override_them() {
        std::env::set_var("LANGFLOW_SUPERUSER", "langflow-admin");
        std::env::set_var("LANGFLOW_SUPERUSER_PASSWORD", "from-langflow-env");
        std::env::set_var("FLOWHOST_SUPERUSER_PASSWORD", "ours-wins");
        std::env::set_var("LANGFLOW_AUTO_LOGIN", "False");
        apply_langflow_aliases();
        let settings = Cli::parse_from(["flowhost"]).settings;
        assert_eq!(settings.auth.superuser, "langflow-admin");
        assert_eq!(settings.auth.superuser_password.as_deref(), Some("ours-wins"));
        assert!(!settings.auth.auto_login, "Python's `False` is accepted and means off");
        assert!(!format!("{:?}", settings.auth).contains("ours-wins"), "Debug must not show secrets");
    }
}
