//! The one trait a component implements, and the adapter that exports it.

use core::marker::PhantomData;

use crate::bindings::{ComponentError, ComponentInfo, Guest, NamedValue, RunContext};
use crate::{Inputs, Outputs};

/// A flow component: metadata for the catalogue and the UI, and one `run`.
///
/// Register the implementing type with [`export_component!`](crate::export_component).
/// A component keeps no state: the host creates a fresh instance for every run.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a Flowhost component",
    label = "`export_component!` needs a type that implements `Component`",
    note = "add `impl flowhost_components_sdk::Component for {Self}` with `fn metadata() -> ComponentInfo` and `fn run(ctx: &RunContext, inputs: &Inputs) -> Result<Outputs, ComponentError>`"
)]
pub trait Component {
    /// Describes the component. Must be pure: the host calls it once at load time.
    fn metadata() -> ComponentInfo;

    /// Executes one vertex. `inputs` already holds the metadata defaults of every
    /// field the flow left empty (missing or null): the host fills them from the
    /// metadata it cached at load time.
    fn run(ctx: &RunContext, inputs: &Inputs) -> Result<Outputs, ComponentError>;

    /// Runs the component the way the host would: defaults applied, outputs
    /// lowered. Handy in native unit tests.
    fn call(ctx: &RunContext, inputs: Vec<NamedValue>) -> Result<Vec<NamedValue>, ComponentError> {
        let info = Self::metadata();
        let inputs = Inputs::new(inputs).with_defaults(&info.inputs);
        Self::run(ctx, &inputs)?.into_named_values()
    }
}

/// Bridges a [`Component`] to the generated `Guest` trait. A separate type keeps
/// wit-bindgen's owned-argument signatures out of the public API.
#[doc(hidden)]
pub struct Export<T>(PhantomData<T>);

impl<T: Component> Guest for Export<T> {
    fn metadata() -> ComponentInfo {
        T::metadata()
    }

    fn run(ctx: RunContext, inputs: Vec<NamedValue>) -> Result<Vec<NamedValue>, ComponentError> {
        // The host has already applied the defaults; calling `metadata()` again
        // here would cost every run tens of thousands of fuel.
        T::run(&ctx, &Inputs::new(inputs))?.into_named_values()
    }
}

/// Exports a type implementing [`Component`] as this crate's Wasm component.
///
/// Use it once per crate (the crate must be a `cdylib`); see the crate docs for
/// a complete component. A type that does not implement `Component` is a
/// compile error naming that type:
///
/// ```compile_fail
/// use flowhost_components_sdk::export_component;
///
/// struct NotAComponent;
/// export_component!(NotAComponent); // error: `NotAComponent` is not a Flowhost component
/// ```
#[macro_export]
macro_rules! export_component {
    ($component:ty $(,)?) => {
        const _: () = {
            // Checked first so the error names the author's type, not the adapter.
            fn __flowhost_assert_component<T: $crate::Component>() {}
            let _ = __flowhost_assert_component::<$component>;
        };
        const _: () = {
            // wit-bindgen's macro takes an identifier, so name the adapter type.
            type __FlowhostExport = $crate::__private::Export<$component>;
            $crate::__private::bindings::export!(
                __FlowhostExport with_types_in $crate::__private::bindings
            );

            // The WIT version this component was built against, readable from the
            // .wasm without instantiating it.
            #[cfg(target_arch = "wasm32")]
            #[unsafe(link_section = "flowhost:api-version")]
            #[used]
            static __FLOWHOST_API_VERSION: [u8; $crate::__private::API_VERSION.len()] =
                *$crate::__private::API_VERSION;
        };
    };
}
