// Loads the built roei package (wasm/pkg) in Node as tests/js/helpers.mjs does: ES module + initSync.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const PKG = join(ROOT, "wasm", "pkg");

export async function loadRoei() {
  if (!existsSync(join(PKG, "roei_wasm_bg.wasm"))) throw new Error("wasm/pkg is missing: run bash scripts/build-wasm.sh");
  const mod = await import(join(PKG, "roei_wasm.js"));
  mod.initSync({ module: readFileSync(join(PKG, "roei_wasm_bg.wasm")) });
  return mod;
}
