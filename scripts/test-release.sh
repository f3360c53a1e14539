#!/usr/bin/env bash
# The Linux release binary an operator downloads: `roei` built for x86_64-unknown-linux-musl with the
# release profile. musl's libc is linked in, so the binary's dynamic dependencies are none at all —
# the strongest reading of "only libc" (README "Decisions", Release binary). A glibc build would
# need libc.so.6, libm.so.6, libgcc_s.so.1 and the loader ld-linux (measured with ldd), and a
# fully static glibc is not supported by glibc itself (NSS, dlopen).
# Checked with ldd (the brief's check) and readelf (no NEEDED entry), then run.
# Picked up by scripts/test.sh (the target is installed by scripts/setup.sh). About a minute and a
# half of CI on two idle cores (LTO, one codegen unit); 4 min 49 s measured on the shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== test-release: %s\n' "$*"; }
target=x86_64-unknown-linux-musl

step "cargo build --release --locked --target $target -p roei-cli"
cargo build -q --release --locked --target "$target" -p roei-cli
target_dir=$(cargo metadata --no-deps --format-version 1 | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
bin="$target_dir/$target/release/roei"

step "ldd $bin: no dynamic dependency"
deps=$(ldd "$bin" 2>&1 || true)
echo "$deps"
case "$deps" in
  *"statically linked"* | *"not a dynamic executable"*) ;;
  *) echo "test-release: $bin has dynamic dependencies" >&2; exit 1 ;;
esac
if readelf -d "$bin" | grep -q '(NEEDED)'; then
  readelf -d "$bin" | grep '(NEEDED)' >&2
  echo "test-release: $bin needs shared libraries" >&2
  exit 1
fi

step "the static binary runs"
"$bin" --version
"$bin" check examples/nagaoka-usb-loss.json --at 2026-11-02T18:00:00+09:00 --json | cmp - examples/nagaoka-usb-loss.status.json
