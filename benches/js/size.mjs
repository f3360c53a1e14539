// Bundle sizes, gzip -9: the roei widget as a page loads it (engine module + glue + the built
// <roei-incident> script, which carries its DOM helpers, the catalog data and its stylesheet; the
// reports and drill modules, and <roei-drill>, load only when used) against XState with
// the machine of machine.mjs, bundled by esbuild (--bundle --minify --format=esm).
//
//   node size.mjs
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { build } from "esbuild";
import { PKG, ROOT } from "./roei.mjs";

const HERE = new URL(".", import.meta.url).pathname;

/** gzip -9 of the files concatenated (as `cat FILES | gzip -9 | wc -c`). */
export function gzip9(files) {
  return execFileSync("gzip", ["-9", "-c"], { input: Buffer.concat(files.map((f) => readFileSync(f))), maxBuffer: 1 << 28 }).length;
}

export async function sizes() {
  const widget = [join(PKG, "roei-incident.js")].filter((f) => existsSync(f));
  const roeiFiles = [join(PKG, "roei_wasm_bg.wasm"), join(PKG, "roei_wasm.js"), ...widget];
  const dir = mkdtempSync(join(tmpdir(), "roei-xstate-"));
  const out = join(dir, "machine.min.js");
  try {
    await build({ entryPoints: [join(HERE, "machine.mjs")], bundle: true, minify: true, format: "esm", outfile: out, logLevel: "silent" });
    const rows = [
      ...roeiFiles.map((f) => ({ bundle: "roei", file: f.slice(ROOT.length + 1), bytes: readFileSync(f).length, gzip9: gzip9([f]) })),
      { bundle: "roei", file: "TOTAL (cat | gzip -9)", bytes: roeiFiles.reduce((s, f) => s + readFileSync(f).length, 0), gzip9: gzip9(roeiFiles) },
      { bundle: "xstate", file: `esbuild machine.mjs (xstate + machine) → ${basename(out)}`, bytes: readFileSync(out).length, gzip9: gzip9([out]) },
    ];
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await sizes();
  console.table(rows);
  const r = rows.find((x) => x.file.startsWith("TOTAL")).gzip9, x = rows.at(-1).gzip9;
  console.log(`roei / xstate (gzip -9): ${(r / x).toFixed(1)}x`);
}
