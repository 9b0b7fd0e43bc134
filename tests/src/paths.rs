//! Files the tests read: fixtures, examples and the hostile test component.

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The cargo workspace root (`tests/..`).
pub fn workspace_root() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .canonicalize()
        .expect("workspace root exists")
}

/// A Langflow starter project from `../shared/fixtures/langflow/<name>`, or `None`
/// (with a note on stderr) when the shared folder is not beside the workspace.
pub fn fixture(name: &str) -> Option<Value> {
    let path = workspace_root()
        .join("../shared/fixtures/langflow")
        .join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).expect("fixture is valid JSON")),
        Err(err) => {
            eprintln!("skipping: fixture {} not readable ({err})", path.display());
            None
        }
    }
}

/// Every `examples/*.json` flow, sorted by file name.
pub fn example_files() -> Vec<PathBuf> {
    let dir = workspace_root().join("examples");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .map(|entry| entry.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

/// The hostile test component, built by `make test-components`.
pub fn hostile_wasm() -> PathBuf {
    let path = workspace_root().join("target/test-components/test_component_hostile.wasm");
    assert!(
        path.exists(),
        "{} is missing: run `make test-components` (or `make test`)",
        path.display()
    );
    path
}
