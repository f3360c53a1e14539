//! The one integration-test binary of roei-tests: a module per area, linked once (eight binaries
//! linked roei-core eight times). `tests/Cargo.toml` sets `autotests = false`, so a new file in
//! `tests/tests/` must be declared here; [`every_file_is_a_module`] fails until it is.
//!
//! Run one area with a filter: `cargo test -p roei-tests --test integration drill::`.
mod catalog;
mod compat;
mod drill;
mod fuzz_corpus;
mod input;
mod keeps_word;
mod national;
mod props;
mod reports;
mod schemas;
mod seal;
mod status;

/// Every `tests/tests/*.rs` file is a module of this binary: with `autotests = false` an
/// undeclared file would silently never run.
#[test]
fn every_file_is_a_module() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests");
    let root = include_str!("main.rs");
    for entry in std::fs::read_dir(dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        let Some(module) = name.strip_suffix(".rs") else {
            continue;
        };
        if module == "main" {
            continue;
        }
        assert!(
            root.lines().any(|l| l == format!("mod {module};")),
            "tests/tests/{name} is not declared in tests/tests/main.rs: add `mod {module};`"
        );
    }
}
