//! Streaming partial output (LLM tokens, progress) to the run's event stream.

/// Appends `text` to the stream of output port `output`. Outside Wasm, a no-op.
pub fn chunk(output: &str, text: &str) {
    #[cfg(target_arch = "wasm32")]
    crate::bindings::flowhost::component::emit::chunk(output, text);
    #[cfg(not(target_arch = "wasm32"))]
    let _ = (output, text);
}
