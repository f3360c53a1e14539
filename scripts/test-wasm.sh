#!/usr/bin/env bash
# The WASM package and the widget: build wasm/pkg, check the generated TypeScript types are fresh,
# then the Node tests (CLI parity, API, hostile input, the drill module) and the Chromium tests of
# <roei-incident> and <roei-drill>.
# Picked up by scripts/test.sh. Fails on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== test-wasm: %s\n' "$*"; }

# Before the build regenerates it: the checked-in wasm/types/interchange.d.ts must match the Rust types.
step "cargo test -p roei-wasm --features ts (TypeScript declarations are fresh)"
cargo test -q -p roei-wasm --features ts
# The three modules are crates of their own (wasm/, wasm/reports, wasm/drill, sharing wasm/bridge),
# built without features: scripts/test.sh's workspace clippy and tests already cover them.
step "build the package"
bash scripts/build-wasm.sh
step "CLI for parity, roei-server for the shared-record page"
cargo build -q -p roei-cli -p roei-server
if [ ! -d tests/js/node_modules/playwright-core ]; then
  step "npm ci (tests/js)"
  (cd tests/js && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
fi
step "node --test tests/js"
cd tests/js
node --test --test-reporter=spec --test-concurrency=1 parity.test.mjs api.test.mjs modules.test.mjs widget.test.mjs incident-work.test.mjs \
  tabs.test.mjs timeline.test.mjs hostile.test.mjs arguments.test.mjs durability.test.mjs last-view.test.mjs size.test.mjs drill-api.test.mjs drill.test.mjs shared.test.mjs package.test.mjs
