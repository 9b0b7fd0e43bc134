//! Compiled components cached on disk, keyed by the wasm's SHA-256 and the
//! engine's compatibility hash, so a restart deserialises (~0.3 ms) instead of
//! compiling (~200 ms per component).

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use sha2::{Digest, Sha256};
use wasmtime::component::Component;
use wasmtime::Engine;

use super::WasmContext as _;

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Loads `wasm` compiled for `engine`, from the cache when possible.
pub fn load_component(engine: &Engine, wasm: &[u8], sha256: &str, cache_dir: &Path) -> anyhow::Result<Component> {
    let path = artefact_path(engine, sha256, cache_dir);
    if path.is_file() {
        // SAFETY: only this host writes into the cache directory, always from
        // `Component::serialize` for an engine with this compatibility hash.
        match unsafe { Component::deserialize_file(engine, &path) } {
            Ok(component) => return Ok(component),
            Err(error) => tracing::warn!(%error, path = %path.display(), "discarding unusable cached artefact"),
        }
    }
    let component = Component::new(engine, wasm).wasm_context("compiling the component")?;
    if let Err(error) = store_artefact(&component, &path) {
        tracing::warn!(%error, path = %path.display(), "could not cache the compiled component");
    }
    Ok(component)
}

fn artefact_path(engine: &Engine, sha256: &str, cache_dir: &Path) -> PathBuf {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    engine.precompile_compatibility_hash().hash(&mut hasher);
    cache_dir.join(format!("{sha256}-{:016x}.cwasm", hasher.finish()))
}

/// Writes to a temporary file and renames, so a concurrent reader never sees half a file.
fn store_artefact(component: &Component, path: &Path) -> anyhow::Result<()> {
    let dir = path.parent().context("cache path has no parent")?;
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(".{}.{}.tmp", std::process::id(), uuid::Uuid::new_v4()));
    std::fs::write(&tmp, component.serialize()?)?;
    std::fs::rename(&tmp, path)?;
    Ok(())
}
