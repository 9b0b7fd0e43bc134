//! The per-flow key-value store. Needs the `kv` grant (`ComponentInfo::needs_kv`).
//!
//! Outside Wasm every call fails with `KvError::Other`, so native tests can
//! exercise the error paths without a host.

pub use crate::bindings::flowhost::component::kv::KvError;
use crate::bindings::ComponentError;

/// The bytes stored under `key`.
pub fn get(key: &str) -> Result<Vec<u8>, KvError> {
    #[cfg(target_arch = "wasm32")]
    return crate::bindings::flowhost::component::kv::get(key);
    #[cfg(not(target_arch = "wasm32"))]
    return Err(not_in_host(key));
}

/// Stores `value` under `key`.
pub fn set(key: &str, value: &[u8]) -> Result<(), KvError> {
    #[cfg(target_arch = "wasm32")]
    return crate::bindings::flowhost::component::kv::set(key, value);
    #[cfg(not(target_arch = "wasm32"))]
    return Err(not_in_host(&format!("{key} ({} bytes)", value.len())));
}

/// The text stored under `key`, or `None` when there is none.
pub fn get_text(key: &str) -> Result<Option<String>, KvError> {
    match get(key) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(KvError::NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

pub fn set_text(key: &str, value: &str) -> Result<(), KvError> {
    set(key, value.as_bytes())
}

#[cfg(not(target_arch = "wasm32"))]
fn not_in_host(what: &str) -> KvError {
    KvError::Other(format!(
        "kv is only available inside a Flowhost host ({what})"
    ))
}

impl From<KvError> for ComponentError {
    fn from(e: KvError) -> Self {
        match e {
            KvError::Denied => Self::CapabilityDenied(
                "the key-value store is not granted to this component".into(),
            ),
            KvError::NotFound => Self::InvalidInput("key not found in the key-value store".into()),
            KvError::TooLarge => {
                Self::InvalidInput("key or value over the key-value store's size limit".into())
            }
            KvError::Other(m) => Self::Upstream(format!("key-value store: {m}")),
        }
    }
}
