#!/usr/bin/env bash
# Builds the npm package `roei` into wasm/pkg/ (and a copy in web-demo/pkg/ for the demo page):
#   1. regenerates wasm/types/interchange.d.ts from the Rust types (ts-rs, feature `ts`);
#   2. cargo build --target wasm32-unknown-unknown of each module's crate: roei-wasm (the engine every
#      page loads) with profile wasm-engine (its dependencies tuned for speed, Cargo.toml),
#      roei-wasm-reports and roei-wasm-drill with wasm-release, roei-wasm again with wasm-fast;
#   3. wasm-bindgen --target web (browser <script type=module>, Node via initSync, bundlers), with
#      the JS the Rust imports put into each module's glue (scripts/inline-snippets.mjs);
#   4. wasm-opt -Oz when binaryen's wasm-opt is on PATH;
#   5. roei_catalog.js: the engine's labels() and profiles() as plain data (scripts/gen-catalog.mjs);
#   6. roei-incident.js and roei-drill.js: the two custom elements built as one file each
#      (scripts/build-widget.mjs);
#   7. package.json, README.md (from wasm/README.md), the licences, CHANGELOG.md and FORMATS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '== build-wasm: %s\n' "$*"; }

want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "build-wasm: wasm-bindgen-cli $want is needed (found '${have:-none}'); run scripts/setup.sh" >&2
  exit 1
fi

say "TypeScript types from the Rust types"
cargo run -q -p roei-wasm --features ts --bin roei-gen-ts

say "cargo build (wasm32, profiles wasm-engine, wasm-release, wasm-fast)"
# Without reference-types and multivalue: Debian's binaryen (108) miscompiles wasm-bindgen's externref
# table (the module then fails at init with "Table.set(): function-typed object"), and the package
# needs nothing from either feature. The profile strips symbols, so wasm-bindgen's notice that it
# cannot read the target features is expected.
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=-reference-types,-multivalue"
# Size: std rebuilt for wasm32 with panics that trap at once, so no panic-message formatting is
# linked in (the engine: 145.6 KB -> 133.7 KB gzip). Nothing in roei panics on any input, and a
# panic in WASM aborts the instance either way; only the unused message text goes. It needs the
# rust-src component and two unstable flags, which a stable rustc accepts under RUSTC_BOOTSTRAP=1
# for this build only. Without rust-src, with ROEI_WASM_STD=prebuilt, or if the toolchain refuses
# the flags, the build uses the prebuilt std (a larger but otherwise identical package) and says so.
std_mode=prebuilt
if [ "${ROEI_WASM_STD:-rebuilt}" = rebuilt ] && rustup component list --installed 2>/dev/null | grep -q '^rust-src'; then
  std_mode=rebuilt
fi
# cargo_wasm PROFILE EXTRA_RUSTFLAGS ARGS…
cargo_wasm() {
  local profile=$1 extra=$2
  shift 2
  if [ "$std_mode" = rebuilt ]; then
    if RUSTC_BOOTSTRAP=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS $extra -Zunstable-options -Cpanic=immediate-abort" \
      cargo build -q --target wasm32-unknown-unknown --profile "$profile" -Zbuild-std=std,panic_abort "$@"; then
      return 0
    fi
    say "the std rebuild failed with this toolchain: falling back to the prebuilt std"
    std_mode=prebuilt
  fi
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS $extra" \
    cargo build -q --target wasm32-unknown-unknown --profile "$profile" "$@"
}
target_dir=$(cargo metadata --no-deps --format-version 1 | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')

out=wasm/pkg
rm -rf "$out"
mkdir -p "$out"
# Three modules, each a crate of its own sharing wasm/bridge: `roei_wasm` (wasm/, roei-wasm), the
# engine every page load needs; `roei_reports` (wasm/reports), the document renderers the widget
# fetches on first use; `roei_drill` (wasm/drill), which only a page running a drill (<roei-drill>)
# loads. And `roei_fast`: the engine again, built for speed (profile wasm-fast, wasm-opt -O3), for
# servers and batch jobs (package export "roei/fast"), with WebAssembly SIMD (simd128: Node 16.4+
# and every current browser; memchr's scans use it): 5-8 % less CPU on checkManyStates
# (BENCHMARKS.md). The modules a page loads stay without it.
# ROEI_WASM_FAST=0 leaves roei_fast out (scripts/demo.sh: a page never loads it).
modules="roei_wasm roei_reports roei_drill roei_fast"
[ "${ROEI_WASM_FAST:-1}" = 0 ] && modules="roei_wasm roei_reports roei_drill"
for module in $modules; do
  # module -> its crate, its profile, the file cargo writes, the wasm-opt level and, for roei_fast,
  # SIMD (rustc's target feature and wasm-opt's), its rustc flags and its cargo features.
  fast_rustflags= simd_opt= features=
  case $module in
    roei_wasm) crate=roei-wasm profile=wasm-engine artifact=roei_wasm level=-Oz ;;
    roei_reports) crate=roei-wasm-reports profile=wasm-release artifact=roei_reports level=-Oz ;;
    roei_drill) crate=roei-wasm-drill profile=wasm-release artifact=roei_drill level=-Oz ;;
    # roei_fast also with its own allocator, a bump arena per record of a batch (wasm/src/record_arena.rs),
    # and LLVM's inliner at threshold 600 instead of 250 (its -O3 default): 4 % less CPU on checkManyStates
    # for 78 KB more wasm (BENCHMARKS.md, issue 17, session 7).
    roei_fast) crate=roei-wasm profile=wasm-fast artifact=roei_wasm level=-O3 simd_opt=--enable-simd features=record-arena \
      fast_rustflags="-C target-feature=+simd128 -C llvm-args=-inline-threshold=600" ;;
  esac
  input="$target_dir/wasm32-unknown-unknown/$profile/$artifact.wasm"
  say "cargo build $module (-p $crate, profile $profile${features:+, features $features})"
  cargo_wasm "$profile" "$fast_rustflags" -p "$crate" ${features:+--features "$features"}
  say "wasm-bindgen --target web -> $out/$module"
  wasm-bindgen --target web --remove-name-section --remove-producers-section \
    --out-dir "$out" --out-name "$module" "$input" 2> >(grep -v "target_features" >&2)
  # The JS its Rust imports (the engine's status document builder, wasm/src/status_doc.js) put into
  # its glue: one file per module, no import the page would fetch after the glue.
  node scripts/inline-snippets.mjs "$out" "$module"
  if command -v wasm-opt >/dev/null 2>&1; then
    say "wasm-opt $level $module"
    # The features rustc still emits for wasm32 once the two above are off. The size-tuned modules run
    # -Oz until it changes nothing more (--converge: the engine 347 B smaller in gzip, BENCHMARKS.md).
    converge=
    [ "$level" = -Oz ] && converge=--converge
    wasm-opt "$level" $converge --strip-debug --strip-producers --enable-bulk-memory --enable-sign-ext \
      --enable-nontrapping-float-to-int --enable-mutable-globals $simd_opt \
      -o "$out/${module}_bg.opt.wasm" "$out/${module}_bg.wasm"
    mv "$out/${module}_bg.opt.wasm" "$out/${module}_bg.wasm"
  else
    say "wasm-opt not found: $module left unoptimised (install binaryen)"
  fi
done

# The catalog's labels and profiles as plain data (roei/catalog): what a page can draw before the
# engine has loaded (the widget's registration form). Generated by calling the engine just built.
say "catalog data -> $out/roei_catalog.js"
node scripts/gen-catalog.mjs
# The two elements as one file each beside the engine (scripts/build-widget.mjs): what a portal's script tag loads.
node scripts/build-widget.mjs

version=$(awk -F'"' '/^version = /{print $2; exit}' Cargo.toml)
# The package's README (wasm/README.md), the licences, the changelog and the formats travel with it.
cp wasm/README.md "$out/README.md"
cp LICENSE-MIT LICENSE-APACHE CHANGELOG.md "$out/" 2>/dev/null || true
[ -f docs/FORMATS.md ] && cp docs/FORMATS.md "$out/FORMATS.md"
# No "repository" or "homepage": roei has no public home yet (README "Decisions", Publishing).
# "sideEffects" names the two files that register a custom element when imported, so a bundler
# keeps `import "roei/widget"`; everything else may be dropped when unused.
cat > "$out/package.json" <<JSON
{
  "name": "roei",
  "version": "$version",
  "description": "漏えい等の事故対応: incident obligations from Japanese municipal contracts (特記事項) and APPI Art. 68, in WebAssembly",
  "license": "MIT OR Apache-2.0",
  "keywords": ["incident-response", "privacy", "personal-information", "appi", "japan", "municipality", "webassembly", "custom-element", "compliance"],
  "type": "module",
  "engines": { "node": ">=20" },
  "main": "roei_wasm.js",
  "module": "roei_wasm.js",
  "types": "roei_wasm.d.ts",
  "customElements": "custom-elements.json",
  "exports": {
    ".": { "types": "./roei_wasm.d.ts", "default": "./roei_wasm.js" },
    "./reports": { "types": "./roei_reports.d.ts", "default": "./roei_reports.js" },
    "./drill": { "types": "./roei_drill.d.ts", "default": "./roei_drill.js" },
    "./catalog": { "types": "./roei_catalog.d.ts", "default": "./roei_catalog.js" },
    "./widget": "./roei-incident.js",
    "./drill-widget": "./roei-drill.js",
    "./fast": { "types": "./roei_fast.d.ts", "default": "./roei_fast.js" },
    "./roei_wasm_bg.wasm": "./roei_wasm_bg.wasm",
    "./roei_reports_bg.wasm": "./roei_reports_bg.wasm",
    "./roei_drill_bg.wasm": "./roei_drill_bg.wasm",
    "./roei_fast_bg.wasm": "./roei_fast_bg.wasm",
    "./custom-elements.json": "./custom-elements.json",
    "./package.json": "./package.json"
  },
  "files": ["roei_wasm.js", "roei_wasm.d.ts", "roei_wasm_bg.wasm", "roei_wasm_bg.wasm.d.ts", "roei_catalog.js", "roei_catalog.d.ts",
            "roei-incident.js", "roei-incident-boot.js", "roei-incident-strings-en.js", "roei-incident-print.js", "roei-incident-list.js", "roei-remote-store.js", "roei-drill.js", "roei-incident.css", "roei-drill.css", "roei-drill-debrief.css", "custom-elements.json",
            "roei_reports.js", "roei_reports.d.ts", "roei_reports_bg.wasm", "roei_reports_bg.wasm.d.ts",
            "roei_drill.js", "roei_drill.d.ts", "roei_drill_bg.wasm", "roei_drill_bg.wasm.d.ts",
            "roei_fast.js", "roei_fast.d.ts", "roei_fast_bg.wasm", "roei_fast_bg.wasm.d.ts",
            "FORMATS.md", "CHANGELOG.md", "LICENSE-MIT", "LICENSE-APACHE"],
  "sideEffects": ["./roei-incident.js", "./roei-drill.js"]
}
JSON
if [ "${ROEI_WASM_FAST:-1}" = 0 ]; then
  # Without the fast build the package does not name it (its fast entries are the lines that say roei_fast).
  node -e '
const fs = require("fs"), f = process.argv[1], p = JSON.parse(fs.readFileSync(f, "utf8"));
for (const k of Object.keys(p.exports)) if (k.includes("fast")) delete p.exports[k];
p.files = p.files.filter((x) => !x.includes("fast"));
fs.writeFileSync(f, JSON.stringify(p, null, 2) + "\n");' "$out/package.json"
fi
rm -f "$out/.gitignore"

rm -rf web-demo/pkg
cp -r "$out" web-demo/pkg

# The drill page's scenario library: the scenarios of examples/drills (not their sample
# playthroughs), copied rather than kept twice in git, with a list the page reads.
say "scenario library -> web-demo/drills/"
rm -rf web-demo/drills
mkdir -p web-demo/drills
node -e '
const fs = require("fs"), path = require("path");
const src = "examples/drills", dst = "web-demo/drills", list = [];
for (const f of fs.readdirSync(src).sort()) {
  if (!f.endsWith(".json") || /\.(good|bad)\.json$/.test(f)) continue;
  const doc = JSON.parse(fs.readFileSync(path.join(src, f), "utf8"));
  if (doc.format !== "roei/scenario@1") continue;
  fs.copyFileSync(path.join(src, f), path.join(dst, f));
  list.push({ src: f, id: doc.id, title: doc.title, profiles: [...new Set(doc.contracts.map((c) => c.profile))] });
}
fs.writeFileSync(path.join(dst, "index.json"), JSON.stringify({ format: "roei/drill-library@1", scenarios: list }, null, 2) + "\n");
console.log(`== build-wasm: ${list.length} scenarios`);
'
say "std: $std_mode"
say "done: engine $(du -b "$out/roei_wasm_bg.wasm" | cut -f1) bytes wasm, gzip wasm+js $(cat "$out/roei_wasm_bg.wasm" "$out/roei_wasm.js" | gzip -9 | wc -c) bytes; reports gzip wasm+js $(cat "$out/roei_reports_bg.wasm" "$out/roei_reports.js" | gzip -9 | wc -c) bytes"
[ -f "$out/roei_fast_bg.wasm" ] && say "fast engine gzip wasm+js $(cat "$out/roei_fast_bg.wasm" "$out/roei_fast.js" | gzip -9 | wc -c) bytes"
say "drill module gzip wasm+js $(cat "$out/roei_drill_bg.wasm" "$out/roei_drill.js" | gzip -9 | wc -c) bytes"
