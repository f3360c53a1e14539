#!/usr/bin/env bash
# The shared record on one machine: builds the widget and roei-server, starts the service on SQLite
# (data in target/roei-demo/) with the demo portal, one contractor and one city token, and the example
# incident; prints a URL for each side. Open both (two windows): what one side records appears on the
# other's page live. Ctrl-C stops it; the data stays for the next run (delete target/roei-demo/ to start over).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${ROEI_DEMO_SKIP_SETUP:-0}" != 1 ]; then
  bash scripts/setup.sh
  ROEI_WASM_FAST=0 bash scripts/build-wasm.sh
fi
cargo build -q -p roei-server
bin=target/debug/roei-server
data=${ROEI_DEMO_DATA:-target/roei-demo}
mkdir -p "$data"
if [ ! -s "$data/demo-tokens" ]; then
  c=$("$bin" token add --data-dir "$data" --name "株式会社例示（受託者）" --party contractor --principal 長岡市 --contract R8-0123)
  p=$("$bin" token add --data-dir "$data" --name "長岡市 情報政策課（委託者）" --party principal --principal 長岡市)
  printf 'contractor=%s\nprincipal=%s\n' "$c" "$p" > "$data/demo-tokens"
  chmod 600 "$data/demo-tokens"
fi
contractor=$(sed -n 's/^contractor=//p' "$data/demo-tokens")
principal=$(sed -n 's/^principal=//p' "$data/demo-tokens")

log="$data/server.log"
"$bin" serve --data-dir "$data" --listen "127.0.0.1:${PORT:-0}" --static web-demo > "$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true' EXIT INT TERM
url=""
for _ in $(seq 100); do
  url=$(sed -n 's/^roei-server: listening on //p' "$log")
  [ -n "$url" ] && break
  kill -0 "$server" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "roei-server did not start"; cat "$log"; exit 1; }

# The example incident, registered by the contractor on first run (the first event: detection).
incident=INC-2026-0042
api() { curl -sS -H "Authorization: Bearer $contractor" "$@"; }
if [ "$(api -o /dev/null -w '%{http_code}' "$url/roei-api/incidents/$incident")" = 404 ]; then
  head=$(api -X POST "$url/roei-api/incidents" -d '{"id":"'$incident'","title":"委託業務で使用したUSBメモリの紛失","contracts":[{"id":"R8-0123","profile":"nagaoka","principal":"長岡市","contractor":"株式会社例示"}]}' \
    | sed -n 's/.*"head":"\([0-9a-f]*\)".*/\1/p')
  now=$(TZ=Asia/Tokyo date +%Y-%m-%dT%H:%M:%S+09:00)
  api -o /dev/null -X POST -H "If-Match: \"$head\"" "$url/roei-api/incidents/$incident/events" \
    -d '{"id":"e1","at":"'$now'","type":"detected","data":{"kind":"loss","signs_only":true,"summary":"作業場所の施錠保管庫からUSBメモリが所在不明"}}'
fi

echo
echo "roei-server: the shared record of a contractor and the city (SQLite in $data/)"
echo "  受託者 contractor: $url/shared.html#party=contractor&incident=$incident&token=$contractor"
echo "  委託者 city:       $url/shared.html#party=principal&incident=$incident&token=$principal"
echo "  API: $url/roei-api/ (docs/SERVER.md); the browser-only demo stays at $url/"
echo "  Ctrl-C stops the service."
wait "$server"
