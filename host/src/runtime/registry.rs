//! Every component the server can run: the built-ins embedded in the binary and
//! the `.wasm` files in the plugins folder. A file that fails to load is logged
//! with its reason and skipped; it never stops the server.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;

use super::bindings::types::NamedValue;
use super::bindings::FlowComponentPre;
use super::WasmContext as _;
use super::cache::{load_component, sha256_hex};
use super::engine::Runtime;
use super::host::RunState;
use super::invoke::call_metadata;
use super::metadata::ComponentMeta;

/// A component ready to instantiate.
pub struct LoadedComponent {
    pub meta: ComponentMeta,
    /// Declared inputs that have a default, as the host passes them when a flow leaves them empty.
    pub defaults: Vec<NamedValue>,
    pub pre: FlowComponentPre<RunState>,
}

#[derive(Default)]
pub struct Registry {
    /// In load order: built-ins first, then plugins by file name.
    components: Vec<Arc<LoadedComponent>>,
    /// Name and every alias → component.
    by_name: HashMap<String, Arc<LoadedComponent>>,
}

/// A `.wasm` to load, with where it came from (for logs).
struct Source {
    origin: String,
    bytes: Vec<u8>,
    builtin: bool,
}

impl Registry {
    /// Loads the built-ins and every `.wasm` directly inside `plugins_dir`.
    pub async fn load(runtime: Arc<Runtime>, builtins: &[(&str, &[u8])], plugins_dir: &Path) -> Self {
        let mut sources: Vec<Source> = builtins
            .iter()
            .map(|(name, bytes)| Source { origin: format!("builtin:{name}"), bytes: bytes.to_vec(), builtin: true })
            .collect();
        sources.extend(plugin_sources(plugins_dir));
        let tasks: Vec<_> = sources
            .into_iter()
            .map(|source| {
                let runtime = runtime.clone();
                tokio::spawn(async move {
                    let loaded = load_one(&runtime, &source).await;
                    (source.origin, loaded)
                })
            })
            .collect();
        let mut registry = Self::default();
        for task in tasks {
            match task.await {
                Ok((origin, Ok(component))) => registry.insert(origin, component),
                Ok((origin, Err(error))) => tracing::error!(%origin, error = format!("{error:#}"), "skipping component"),
                Err(error) => tracing::error!(%error, "component loader panicked"),
            }
        }
        tracing::info!(count = registry.components.len(), "component registry ready");
        registry
    }

    fn insert(&mut self, origin: String, component: LoadedComponent) {
        let meta = &component.meta;
        let names: Vec<String> = std::iter::once(meta.name.clone()).chain(meta.aliases.iter().cloned()).collect();
        if let Some(taken) = names.iter().find(|name| self.by_name.contains_key(*name)) {
            tracing::error!(%origin, name = %taken, "skipping component: its name is already registered");
            return;
        }
        tracing::info!(%origin, name = %meta.name, version = %meta.version, "loaded component");
        let component = Arc::new(component);
        for name in names {
            self.by_name.insert(name, component.clone());
        }
        self.components.push(component);
    }

    pub fn get(&self, name: &str) -> Option<&Arc<LoadedComponent>> {
        self.by_name.get(name)
    }

    pub fn all(&self) -> &[Arc<LoadedComponent>] {
        &self.components
    }
}

async fn load_one(runtime: &Arc<Runtime>, source: &Source) -> anyhow::Result<LoadedComponent> {
    let sha256 = sha256_hex(&source.bytes);
    let component = {
        let (runtime, bytes, sha) = (runtime.clone(), source.bytes.clone(), sha256.clone());
        tokio::task::spawn_blocking(move || load_component(&runtime.engine, &bytes, &sha, &runtime.cache_dir))
            .await
            .context("compiler task failed")??
    };
    let pre = runtime
        .linker
        .instantiate_pre(&component)
        .wasm_context("component imports something Flowhost does not provide")?;
    FlowComponentPre::new(pre.clone()).wasm_context("component does not implement flowhost:component/flow-component@0.1.0")?;
    let info = call_metadata(runtime, &pre).await.context("metadata() failed")?;
    anyhow::ensure!(!info.name.is_empty(), "metadata() returned an empty name");
    let defaults = info
        .inputs
        .iter()
        .filter_map(|input| input.default.clone().map(|value| NamedValue { name: input.name.clone(), value }))
        .collect();
    let meta = ComponentMeta::from_info(info, source.builtin, sha256);
    Ok(LoadedComponent { meta, defaults, pre: FlowComponentPre::new(pre)? })
}

fn plugin_sources(dir: &Path) -> Vec<Source> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Vec::new(),
        Err(error) => {
            tracing::warn!(dir = %dir.display(), %error, "cannot read the plugins folder");
            return Vec::new();
        }
    };
    // Regular files only: a symlink could point anywhere on the host.
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "wasm"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|path| match std::fs::read(&path) {
            Ok(bytes) => Some(Source { origin: path.display().to_string(), bytes, builtin: false }),
            Err(error) => {
                tracing::error!(path = %path.display(), %error, "skipping unreadable plugin");
                None
            }
        })
        .collect()
}
