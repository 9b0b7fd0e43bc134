//! Rust bindings for `wit/component.wit`, generated at compile time.
//!
//! The export macro is `pub` so that `export_component!`, expanded in a
//! component's crate, can reach it through `$crate::__private::bindings`.
//! Component authors never name anything in here directly.

wit_bindgen::generate!({
    path: "../wit",
    world: "flow-component",
    pub_export_macro: true,
    additional_derives: [PartialEq],
});

// The world's `use types.{..}` only lifts four types to the top; lift them all.
pub use self::flowhost::component::types::*;
