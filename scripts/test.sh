#!/usr/bin/env bash
# Runs every test: formatting, lints, Rust unit/doc/conformance/property tests, then the WASM build with
# its Node and browser tests when their parts exist. Assumes scripts/setup.sh has run.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== test: %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check
step "cargo clippy --all-targets -D warnings"
cargo clippy --workspace --all-targets -- -D warnings
step "cargo test --workspace"
cargo test --workspace
for s in scripts/test-*.sh; do
  [ -e "$s" ] || continue
  step "$s"
  bash "$s"
done
