//! Embeds the built-in components (`make components` puts them in
//! `target/builtin-components/`) so the binary needs no flag to find them.

use std::path::PathBuf;

fn main() {
    let dir = std::env::var_os("FLOWHOST_BUILTINS_DIR").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("../target/builtin-components")
    });
    println!("cargo:rerun-if-env-changed=FLOWHOST_BUILTINS_DIR");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut wasm: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "wasm")).collect())
        .unwrap_or_default();
    wasm.sort();
    if wasm.is_empty() {
        panic!(
            "no built-in components in {}: run `make components` (or `make build`) first, \
             or point FLOWHOST_BUILTINS_DIR at a folder of built-in .wasm files",
            dir.display()
        );
    }
    let mut code = String::from("/// (file name, wasm bytes) of every built-in component.\npub static BUILTINS: &[(&str, &[u8])] = &[\n");
    for path in &wasm {
        let path = path.canonicalize().unwrap();
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().unwrap().to_string_lossy();
        code.push_str(&format!("    ({name:?}, include_bytes!({:?})),\n", path.display().to_string()));
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("builtins.rs");
    std::fs::write(out, code).unwrap();
}
