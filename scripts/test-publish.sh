#!/usr/bin/env bash
# What a publish of the Rust crates would ship (README "Publishing"): roei-core and roei-cli are
# published, every other crate says `publish = false`.
#   1. every file `cargo package --list` puts in a published crate is allowed by a line of its
#      reviewed list scripts/publish/CRATE.files (file names and globs: `*` within a folder, `**` at
#      any depth), and every line matches a file: a new source module needs nothing, a new kind of
#      file entering a package (data, a test fixture, a script) is a decision to review here;
#   2. `cargo publish --dry-run` of both together: roei-cli depends on roei-core by path, and cargo
#      (1.90+) packages the two together, verifying roei-cli against the packaged roei-core.
# The npm package's checks (npm pack file list, the packed tarball imported in Node, esbuild and
# Chromium) are tests/js/package.test.mjs, run by scripts/test-wasm.sh once the package is built.
# Picked up by scripts/test.sh. Fails on the first failure.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== test-publish: %s\n' "$*"; }

published=(roei-core roei-cli)
step "every other crate says publish = false"
cargo metadata --no-deps --format-version 1 | node -e '
let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
  const want = new Set(process.argv.slice(1));
  const bad = JSON.parse(s).packages.filter((p) => !want.has(p.name) && !(Array.isArray(p.publish) && p.publish.length === 0));
  if (bad.length) { console.error("publishable but not meant to be:", bad.map((p) => p.name).join(", ")); process.exit(1); }
});' "${published[@]}"

for crate in "${published[@]}"; do
  step "cargo package --list -p $crate matches scripts/publish/$crate.files"
  # --allow-dirty: the list is what matters here; a clean clone (CI) has nothing dirty anyway.
  cargo package --allow-dirty --list -p "$crate" 2>/dev/null | grep -v '^\.cargo_vcs_info\.json$' | node -e '
const fs = require("fs");
const [list] = process.argv.slice(1);
const patterns = fs.readFileSync(list, "utf8").split("\n").filter(Boolean);
// `**` any depth, `*` within one folder.
const re = (p) => new RegExp("^" + p.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*\*/g, "\0").replace(/\*/g, "[^/]*").replace(/\0/g, ".*") + "$");
const files = fs.readFileSync(0, "utf8").split("\n").filter(Boolean);
const stray = files.filter((f) => !patterns.some((p) => re(p).test(f)));
const unused = patterns.filter((p) => !files.some((f) => re(p).test(f)));
if (stray.length || unused.length) {
  console.error(`test-publish: ${list}: files no line allows: ${stray.join(", ") || "none"}; lines that match nothing: ${unused.join(", ") || "none"}`);
  process.exit(1);
}
console.log(`${files.length} files, each allowed by ${list}`);' "scripts/publish/$crate.files"
done

step "cargo publish --dry-run -p roei-core -p roei-cli"
# Cargo unpacks the packaged roei-core into its registry cache under a directory named for the
# temporary registry (`registry/src/-<hash>/`) and builds it as a registry crate, which it never
# rebuilds at the same version: a second run would verify roei-cli against the first run's roei-core.
# So the dry run gets a target directory of its own, emptied first, and the unpacked copies of our
# own crates go (only the temporary registry's directories start with "-"). About a minute on CI.
target_dir=$(cargo metadata --no-deps --format-version 1 | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
rm -rf "$target_dir/publish-check" "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/roei-*
CARGO_TARGET_DIR="$target_dir/publish-check" cargo publish --dry-run --allow-dirty -p roei-core -p roei-cli
