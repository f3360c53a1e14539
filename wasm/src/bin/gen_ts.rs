//! Writes wasm/types/interchange.d.ts and docs/schemas/*.schema.json from the Rust types (see
//! `roei_wasm::ts`): `cargo run -p roei-wasm --features ts --bin roei-gen-ts`.
use std::path::Path;

fn write(path: &Path, text: &str) -> bool {
    match std::fs::write(path, text) {
        Ok(()) => {
            println!("wrote {}", path.display());
            true
        }
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            false
        }
    }
}

fn main() -> std::process::ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut ok = write(
        &root.join("types/interchange.d.ts"),
        &roei_wasm::ts::declarations(),
    );
    let dir = root.join("../docs/schemas");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("{}: {e}", dir.display());
        return std::process::ExitCode::FAILURE;
    }
    for (name, text) in roei_wasm::ts::schemas() {
        ok &= write(&dir.join(name), &text);
    }
    if ok {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
