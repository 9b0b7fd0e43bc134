//! The plugins folder: bad files are rejected without breaking the registry.

use flowhost_tests::{hostile_wasm, spawn_app_with};

/// Deterministic "random" bytes (xorshift), so the garbage is the same every run.
fn garbage(len: usize) -> Vec<u8> {
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state as u8
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_plugins_are_skipped_and_good_ones_listed() {
    let hostile = hostile_wasm();
    let app = spawn_app_with(|s| {
        std::fs::write(s.plugins_dir.join("bad.wasm"), garbage(4096)).unwrap();
        std::fs::write(
            s.plugins_dir.join("empty-core-module.wasm"),
            b"\0asm\x01\0\0\0",
        )
        .unwrap();
        std::fs::write(s.plugins_dir.join("notes.txt"), b"not a plugin").unwrap();
        std::fs::copy(&hostile, s.plugins_dir.join("hostile.wasm")).unwrap();
    })
    .await;

    assert_eq!(app.get("/health").await.expect(200)["status"], "ok");
    let list = app.get("/api/v1/components").await.expect(200).clone();
    let plugins: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["builtin"] == false)
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        plugins,
        ["HostileComponent"],
        "only the valid plugin is listed"
    );
    assert!(list
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["name"] == "ChatInput" && c["builtin"] == true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_plugins_folder_lists_only_builtins() {
    let app = spawn_app_with(|_| {}).await;
    let list = app.get("/api/v1/components").await.expect(200).clone();
    let list = list.as_array().unwrap();
    assert!(list.len() >= 7, "{list:?}");
    assert!(list.iter().all(|c| c["builtin"] == true), "{list:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_plugins_folder_does_not_stop_the_server() {
    let app = spawn_app_with(|s| s.plugins_dir = s.plugins_dir.join("does-not-exist")).await;
    assert_eq!(app.get("/health").await.expect(200)["status"], "ok");
    app.component("ChatInput").await;
}
