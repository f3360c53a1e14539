#!/usr/bin/env bash
# National holidays 2028-2050 against an independent data set: dumps the @holiday-jp/holiday_jp npm
# package (a devDependency of tests/js, installed by scripts/setup.sh) and runs the Rust test that
# compares every day with roei's computed holidays (core/tests/holidays.rs).
# Picked up by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d tests/js/node_modules/@holiday-jp/holiday_jp ]; then
  echo "tests/js/node_modules lacks @holiday-jp/holiday_jp: run (cd tests/js && npm ci)" >&2
  exit 1
fi
dump="$(mktemp --suffix=.json)"
trap 'rm -f "$dump"' EXIT
node tests/js/holiday-jp-dump.mjs "$dump"
ROEI_HOLIDAY_JP_JSON="$dump" cargo test -q -p roei-core --test holidays -- --ignored
