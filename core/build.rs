//! Embeds the clause catalog: every `data/profiles/*.toml` becomes one element of a JSON array that
//! `roei-core` parses once at first use. Adding a municipality is adding a file here; no Rust changes.
//! Structure is checked by `Catalog::from_json` (unknown fields, dangling references, duplicate ids),
//! which the crate's tests run on the embedded data.
use std::{env, fs, path::Path};

fn main() {
    let dir = Path::new("data/profiles");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = fs::read_dir(dir)
        .expect("core/data/profiles exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    let mut profiles = Vec::new();
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let text = fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let value: toml::Value =
            toml::from_str(&text).unwrap_or_else(|e| panic!("{}: invalid TOML: {e}", f.display()));
        profiles.push(serde_json::to_value(value).expect("TOML maps to JSON"));
    }
    let out = Path::new(&env::var("OUT_DIR").unwrap()).join("catalog.json");
    fs::write(out, serde_json::to_string(&profiles).unwrap()).unwrap();
}
