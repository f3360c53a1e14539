// Loads the built roei package (wasm/pkg) in Node as tests/js/helpers.mjs does: ES module + initSync.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const PKG = join(ROOT, "wasm", "pkg");

/** The module `name` (`roei_wasm`, or `roei_fast`) of the package in `pkg`, initialised. */
export async function loadRoei(pkg = PKG, name = "roei_wasm") {
  if (!existsSync(join(pkg, `${name}_bg.wasm`))) throw new Error(`${pkg}/${name}_bg.wasm is missing: run bash scripts/build-wasm.sh`);
  const mod = await import(join(pkg, `${name}.js`));
  mod.initSync({ module: readFileSync(join(pkg, `${name}_bg.wasm`)) });
  return mod;
}
