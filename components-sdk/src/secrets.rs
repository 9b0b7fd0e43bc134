//! The owner's global variables and secrets. Needs a grant per name
//! (`ComponentInfo::needs_secret`). Outside Wasm every name is `NotFound`.

pub use crate::bindings::flowhost::component::secrets::SecretError;
use crate::bindings::ComponentError;

/// The value of secret / global variable `name`.
pub fn get(name: &str) -> Result<String, SecretError> {
    #[cfg(target_arch = "wasm32")]
    return crate::bindings::flowhost::component::secrets::get(name);
    #[cfg(not(target_arch = "wasm32"))]
    return Err(SecretError::NotFound(name.to_owned()));
}

impl From<SecretError> for ComponentError {
    fn from(e: SecretError) -> Self {
        match e {
            SecretError::Denied(name) => {
                Self::CapabilityDenied(format!("secret `{name}` is not granted to this component"))
            }
            SecretError::NotFound(name) => {
                Self::InvalidInput(format!("secret `{name}` is not set"))
            }
        }
    }
}
