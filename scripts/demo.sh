#!/usr/bin/env bash
# The main job on a fresh machine: set up, build the widget, and serve the demo municipal portal
# (web-demo/index.html with <roei-incident>, web-demo/drill.html with <roei-drill>) on 127.0.0.1 until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# The demo pages never load roei_fast (the engine built for servers): skip building it.
ROEI_WASM_FAST=0 bash scripts/build-wasm.sh
echo
echo "roei: the incident widget in a demo portal (records stay in the browser's IndexedDB)."
echo "      CLI view of the same example: cargo run -q -p roei-cli -- check examples/nagaoka-usb-loss.json"
echo "      The tabletop drill with a facilitator's clock: drill.html on the same server (both URLs below)."
# Port 0 = a free port chosen by the OS; the server prints the URL and runs until Ctrl-C.
exec node web-demo/serve.mjs --port "${PORT:-0}"
