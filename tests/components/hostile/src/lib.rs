//! `HostileComponent`: misbehaves on request, so the test suite can prove the
//! host contains each attack and keeps serving (`mode = ok` afterwards).

use core::hint::black_box;

use flowhost_components_sdk::prelude::*;
use flowhost_components_sdk::{kv, secrets};

const MODES: &[&str] = &[
    "ok",
    "loop",
    "memory",
    "recursion",
    "huge_output",
    "trap",
    "kv",
    "secret",
];
const MIB: usize = 1 << 20;

struct Hostile;

impl Component for Hostile {
    fn metadata() -> ComponentInfo {
        ComponentInfo::new("HostileComponent", "Hostile Component")
            .description("Test-only: misbehaves on request (endless loop, memory bomb, deep recursion, ...).")
            .icon("skull")
            .category("testing")
            .version(env!("CARGO_PKG_VERSION"))
            .input(Input::dropdown("mode", "Mode", MODES).info("Which attack to run.").default_value("ok"))
            .input(Input::text("input_value", "Input").info("Echoed in `ok` mode.").input_types(&["Message"]))
            .output(Output::new("text", "Text", &["Message"]))
    }

    fn run(ctx: &RunContext, inputs: &Inputs) -> Result<Outputs, ComponentError> {
        let text = match inputs.text("mode").as_str() {
            "ok" => inputs.text("input_value"),
            "loop" => spin(),
            "memory" => hoard(),
            "recursion" => format!("depth {}", recurse(0)),
            // Plain text, not a Message: encoding 16 MiB as JSON would hit the
            // memory cap first, and this mode is meant to hit the output cap.
            "huge_output" => return Ok(Outputs::new().text("text", "x".repeat(16 * MIB))),
            "trap" => trap(),
            "kv" => kv::get_text("hostile")
                .map_err(ComponentError::from)?
                .unwrap_or_default(),
            "secret" => secrets::get("OPENAI_API_KEY")?,
            other => {
                return Err(ComponentError::invalid_input(format!(
                    "unknown mode `{other}`; one of {MODES:?}"
                )))
            }
        };
        Ok(Outputs::new().message("text", Message::machine(ctx, text)))
    }
}

/// Never returns; `black_box` keeps the optimiser from proving the loop dead.
fn spin() -> ! {
    let mut x = black_box(1u64);
    loop {
        x = black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1));
    }
}

/// Allocates and touches 1 MiB chunks until the host stops it.
fn hoard() -> ! {
    let mut chunks: Vec<Vec<u8>> = Vec::new();
    loop {
        let mut chunk = vec![0u8; MIB];
        for page in chunk.iter_mut().step_by(4096) {
            *page = 1;
        }
        chunks.push(black_box(chunk));
        black_box(&chunks);
    }
}

/// Non-tail recursion: the opaque `black_box` after the call keeps LLVM from
/// turning it into a loop. Frames stay small in linear memory (the shadow
/// stack) so the Wasm call stack overflows first, as a real runaway would.
fn recurse(depth: u64) -> u64 {
    if black_box(depth) == u64::MAX {
        return depth;
    }
    recurse(depth + 1).wrapping_add(black_box(depth))
}

fn trap() -> ! {
    #[cfg(target_arch = "wasm32")]
    core::arch::wasm32::unreachable();
    #[cfg(not(target_arch = "wasm32"))]
    panic!("trap mode");
}

export_component!(Hostile);
