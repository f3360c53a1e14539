#!/usr/bin/env bash
# The main job on a fresh machine: set up, then show an incident's obligations (the widget demo
# replaces this once the WASM build lands).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cargo run -q -p roei-cli -- check examples/nagaoka-usb-loss.json --at 2026-11-02T18:00:00+09:00
