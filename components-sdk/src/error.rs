//! Conveniences on the WIT `component-error`.

use crate::bindings::ComponentError;

impl ComponentError {
    /// An input is missing, empty when required, or of the wrong shape.
    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::InvalidInput(message.into())
    }

    /// A capability the component needs was not granted.
    pub fn capability_denied(message: impl Into<String>) -> Self {
        Self::CapabilityDenied(message.into())
    }

    /// A service the component called failed.
    pub fn upstream(message: impl Into<String>) -> Self {
        Self::Upstream(message.into())
    }

    /// A bug or unexpected state inside the component.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::Internal(message.into())
    }

    /// The message, without the variant.
    pub fn message(&self) -> &str {
        match self {
            Self::InvalidInput(m)
            | Self::CapabilityDenied(m)
            | Self::Upstream(m)
            | Self::Internal(m) => m,
        }
    }
}
