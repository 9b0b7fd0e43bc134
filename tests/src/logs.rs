//! Captures everything the servers of this test process log (every test's
//! server runs in-process), so a test can assert that no secret ever reaches
//! the logs.
//!
//! One global `tracing` subscriber at `debug`, installed once per process by
//! [`install_log_capture`] (called at the start of every `spawn_app_with`),
//! writes plain text into an in-memory buffer that [`captured_logs`] reads.

use std::io;
use std::sync::{Arc, Mutex, OnceLock};

type Buffer = Arc<Mutex<Vec<u8>>>;

static CAPTURE: OnceLock<Buffer> = OnceLock::new();

/// A `Write` appending to the shared buffer.
struct BufferWriter(Buffer);

impl io::Write for BufferWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Installs the capturing subscriber (once; later calls do nothing).
pub fn install_log_capture() {
    CAPTURE.get_or_init(|| {
        let buffer: Buffer = Arc::default();
        let writer = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("debug"))
            .with_ansi(false)
            .with_writer(move || BufferWriter(writer.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber)
            .expect("no other global tracing subscriber is installed");
        buffer
    });
}

/// Everything captured so far (from every test of this process).
pub fn captured_logs() -> String {
    let buffer = CAPTURE
        .get()
        .expect("the log capture is installed (spawn_app_with does it)");
    let bytes = buffer.lock().unwrap_or_else(|p| p.into_inner());
    String::from_utf8_lossy(&bytes).into_owned()
}
