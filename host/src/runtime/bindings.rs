//! Host bindings for `flowhost:component@0.1.0` (see `wit/component.wit`).
//! Exports are async so that fuel yields and deadlines never block a tokio worker;
//! imports are cheap and synchronous until one needs I/O.

wasmtime::component::bindgen!({
    path: "../wit",
    world: "flow-component",
    exports: { default: async },
});

pub use self::flowhost::component::types;
