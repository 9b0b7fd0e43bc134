//! Write [Flowhost](https://github.com/) flow components in Rust.
//!
//! A component is one type, one [`Component`] impl and one
//! [`export_component!`] call; the crate builds as a `cdylib` for
//! `wasm32-wasip2`. See `README.md` for a complete example.
//!
//! ```no_run
//! use flowhost_components_sdk::prelude::*;
//!
//! struct Upper;
//!
//! impl Component for Upper {
//!     fn metadata() -> ComponentInfo {
//!         ComponentInfo::new("Upper", "Upper Case")
//!             .category("processing")
//!             .input(Input::text("input_value", "Text").input_types(&["Message"]))
//!             .output(Output::new("text", "Text", &["Message"]))
//!     }
//!
//!     fn run(ctx: &RunContext, inputs: &Inputs) -> Result<Outputs, ComponentError> {
//!         let text = inputs.text("input_value");
//!         Ok(Outputs::new().message("text", Message::machine(ctx, text.to_uppercase())))
//!     }
//! }
//!
//! export_component!(Upper);
//! ```

#[doc(hidden)]
#[allow(missing_docs, clippy::all)]
pub mod bindings;
mod component;
mod convert;
mod data;
mod error;
mod info;
mod inputs;
mod markdown;
mod message;
mod outputs;
mod value;

pub mod emit;
pub mod http;
pub mod json;
pub mod kv;
pub mod log;
pub mod secrets;
pub mod template;

pub use bindings::{
    CapabilityRequest, ComponentError, ComponentInfo, InputKind, InputSpec, NamedValue, OutputSpec,
    RunContext, TypedJson, Value,
};
pub use component::Component;
pub use data::{Data, DataFrame};
pub use info::{Input, Output};
pub use inputs::{Fields, Inputs};
pub use message::{Message, AI, MACHINE, USER};
pub use outputs::Outputs;
pub use value::{type_name, Payload};

/// Re-exported so components need no direct dependency for JSON.
pub use serde_json;

/// The WIT package this SDK implements; also written into every component's
/// `flowhost:api-version` custom section.
pub const API_VERSION: &str = "flowhost:component@0.1.0";

/// Everything a typical component needs: `use flowhost_components_sdk::prelude::*;`.
pub mod prelude {
    pub use crate::{
        export_component, json, log, template, Component, ComponentError, ComponentInfo, Data,
        DataFrame, Input, InputKind, Inputs, Message, Output, Outputs, Payload, RunContext, Value,
    };
}

impl RunContext {
    /// A context for native unit tests: fixed ids, session `session-1`, and a
    /// fixed timestamp.
    pub fn for_tests() -> Self {
        Self {
            flow_id: "flow-1".into(),
            run_id: "run-1".into(),
            vertex_id: "Vertex-1".into(),
            session_id: "session-1".into(),
            timestamp: "2024-01-01T00:00:00Z".into(),
        }
    }
}

/// Compiles the README's examples as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// Used by `export_component!`; not part of the API.
#[doc(hidden)]
pub mod __private {
    pub use crate::bindings;
    pub use crate::component::Export;

    pub const API_VERSION: &[u8; crate::API_VERSION.len()] =
        match crate::API_VERSION.as_bytes().as_array() {
            Some(bytes) => bytes,
            None => panic!("length mismatch"),
        };
}
