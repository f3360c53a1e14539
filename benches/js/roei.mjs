// Loads the built roei package (wasm/pkg) in Node as tests/js/helpers.mjs does: ES module + initSync.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const PKG = join(ROOT, "wasm", "pkg");

/**
 * The module `name` (`roei_wasm`, or `roei_fast`) of the package in `pkg`, initialised; `query` (a
 * `?…` suffix) makes Node load another copy of a glue already loaded from a folder of the same name.
 */
export async function loadRoei(pkg = PKG, name = "roei_wasm", query = "") {
  if (!existsSync(join(pkg, `${name}_bg.wasm`))) throw new Error(`${pkg}/${name}_bg.wasm is missing: run bash scripts/build-wasm.sh`);
  const mod = await import(join(pkg, `${name}.js`) + query);
  mod.initSync({ module: readFileSync(join(pkg, `${name}_bg.wasm`)) });
  return mod;
}

/**
 * The native side of the comparisons with `roei/fast` (`core/benches/texts.rs`), built once by
 * `cargo bench --no-run` (bench profile) and found by cargo's JSON messages, so a source edit during
 * a run cannot rebuild it. Returns a function that runs it on `file` (one record text per line) at
 * `at` and gives its JSON line: `{ records, bytes, raw_ms, states_ms, status_ms, states_cpu_ms }`.
 */
export function nativeTexts() {
  const built = execFileSync("cargo", ["bench", "-q", "-p", "roei-core", "--bench", "texts", "--no-run", "--message-format=json"],
    { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 26 });
  const exe = built.split("\n").filter(Boolean).map((l) => JSON.parse(l)).find((m) => m.reason === "compiler-artifact" && m.target?.name === "texts" && m.executable)?.executable;
  if (!exe) throw new Error("native: cargo did not name the texts bench binary");
  const run = (file, at, { runs = 1, warm = 2000 } = {}) => JSON.parse(execFileSync(exe, ["--file", file, "--at", at, "--runs", String(runs), "--warm", String(warm)],
    { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim());
  return { exe, run };
}
