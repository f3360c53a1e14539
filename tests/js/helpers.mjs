// Shared by the Node tests: the built package (wasm/pkg, loaded with initSync) and the CLI binary.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const PKG = join(ROOT, "wasm", "pkg");

let roei = null;
/** The package as Node users load it: ES module + initSync with the .wasm bytes. */
export async function loadPkg() {
  if (roei) return roei;
  if (!existsSync(join(PKG, "roei_wasm_bg.wasm"))) throw new Error("wasm/pkg is missing: run bash scripts/build-wasm.sh");
  const mod = await import(join(PKG, "roei_wasm.js"));
  mod.initSync({ module: readFileSync(join(PKG, "roei_wasm_bg.wasm")) });
  roei = mod;
  return mod;
}

let reports = null;
/** The second module, `roei/reports` (report, timeline, ics, readiness, graph), loaded the same way. */
export async function loadReports() {
  if (reports) return reports;
  const mod = await import(join(PKG, "roei_reports.js"));
  mod.initSync({ module: readFileSync(join(PKG, "roei_reports_bg.wasm")) });
  reports = mod;
  return mod;
}

let drill = null;
/** The third module, `roei/drill` (the drill mode's engine), loaded the same way. */
export async function loadDrill() {
  if (drill) return drill;
  const mod = await import(join(PKG, "roei_drill.js"));
  mod.initSync({ module: readFileSync(join(PKG, "roei_drill_bg.wasm")) });
  drill = mod;
  return mod;
}

let cli = null;
/** target/debug/roei (built once if absent; ROEI_CLI overrides). */
export function cliPath() {
  if (cli) return cli;
  if (process.env.ROEI_CLI) return (cli = process.env.ROEI_CLI);
  const meta = JSON.parse(execFileSync("cargo", ["metadata", "--no-deps", "--format-version", "1"], { cwd: ROOT, encoding: "utf8" }));
  const bin = join(meta.target_directory, "debug", "roei");
  execFileSync("cargo", ["build", "-q", "-p", "roei-cli"], { cwd: ROOT, stdio: "inherit" });
  return (cli = bin);
}

/** Runs the CLI; returns { code, stdout, stderr }. */
export function runCli(args) {
  const r = spawnSync(cliPath(), args, { encoding: "utf8", maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A seeded PRNG (mulberry32), so a failing generated record can be reproduced from its seed. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    chance: (p) => next() < p,
  };
}

/** RFC 3339 in +09:00 for a millisecond time. */
export function jst(ms) {
  return new Date(ms + 9 * 3600e3).toISOString().slice(0, 19) + "+09:00";
}
