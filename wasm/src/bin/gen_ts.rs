//! Writes wasm/types/interchange.d.ts from the Rust types (see `roei_wasm::ts`).
fn main() -> std::process::ExitCode {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("types/interchange.d.ts");
    match std::fs::write(&path, roei_wasm::ts::declarations()) {
        Ok(()) => {
            println!("wrote {}", path.display());
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{}: {e}", path.display());
            std::process::ExitCode::FAILURE
        }
    }
}
