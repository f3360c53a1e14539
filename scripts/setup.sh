#!/usr/bin/env bash
# Installs what a fresh machine lacks for roei's build and tests; skips what is already there.
# Used by .ci/run and by the README's two commands. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n== setup: %s\n' "$*"; }

# The static Linux release binary (scripts/test-release.sh): rustup's musl target, which brings its
# own libc and linker objects (no musl-tools needed for roei, which has no C code).
if ! rustup target list --installed 2>/dev/null | grep -qx x86_64-unknown-linux-musl; then
  say "rustup target add x86_64-unknown-linux-musl"
  rustup target add x86_64-unknown-linux-musl
fi
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

# The WASM build rebuilds std from source for a smaller bundle (scripts/build-wasm.sh).
if ! rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
  say "rustup component add rust-src"
  rustup component add rust-src
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock 2>/dev/null || true)
if [ -n "$want" ]; then
  have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have" != "$want" ]; then
    say "cargo install wasm-bindgen-cli --version $want (about 4 minutes)"
    cargo install wasm-bindgen-cli --version "$want"
  fi
fi

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v wasm-opt >/dev/null 2>&1 || need_apt+=(binaryen)
command -v tmux >/dev/null 2>&1 || need_apt+=(tmux)
# A Japanese font, so the widget's screenshots and the demo in Chromium show text rather than boxes.
fc-list :lang=ja 2>/dev/null | grep -q . || need_apt+=(fonts-ipafont-gothic)
# PostgreSQL for roei-server's tests: they start their own throwaway cluster (initdb/pg_ctl in a temp
# dir, on a free port) and remove it; Debian's package must not start a cluster of its own.
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need_apt+=(postgresql)
  if [ ! -e /etc/postgresql-common/createcluster.conf ] && [ "$(id -u)" = 0 ]; then
    mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
  fi
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  say "apt-get install ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# Re-run when a devDependency added later (the holiday_jp data of scripts/test-holidays.sh, esbuild for
# the packed-package test tests/js/package.test.mjs) is missing.
if [ -f tests/js/package.json ] && { [ ! -d tests/js/node_modules ] || [ ! -d tests/js/node_modules/@holiday-jp/holiday_jp ] || [ ! -d tests/js/node_modules/esbuild ]; }; then
  say "npm ci (tests/js)"
  (cd tests/js && npm ci --no-audit --no-fund)
fi

# initdb refuses to run as root: as root, the PostgreSQL tests run the cluster as this user.
if [ "$(id -u)" = 0 ] && ! id roeitest >/dev/null 2>&1; then
  say "useradd roeitest (owner of the tests' throwaway PostgreSQL clusters)"
  useradd --system --no-create-home --shell /usr/sbin/nologin roeitest
fi
