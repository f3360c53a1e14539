// The widget as a page loads it (issue 17 point 4): the engine, its glue and the built widget, gzip -9
// of the three files together, as `cat roei_wasm_bg.wasm roei_wasm.js roei-incident.js | gzip -9 | wc -c`
// in wasm/pkg (BENCHMARKS.md, "Package size"). What a page fetches only when it needs it (English
// words, document tools, incident list, reports module, the shared record's store, the optional boot
// module) does not count. A size, not a time: the same bytes give the same answer on every machine.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./helpers.mjs";

const PKG = join(ROOT, "wasm", "pkg");
const FILES = ["roei_wasm_bg.wasm", "roei_wasm.js", "roei-incident.js"].map((f) => join(PKG, f));

/** The budget of issue 17: 150 KB (150,000 B) gzip -9. */
const BUDGET = 150_000;
/**
 * About 1 KB above what the package last measured (2026-11-30, BENCHMARKS.md "Package size": 145,655 B
 * with the engine's dependencies at opt-level 3 and roei-core at "s" (profile `wasm-engine`: half the
 * CPU per `checkManyStates` and `check`, issue 17 target 1, for 5.7 KB of the budget; README
 * "Decisions"); 140,000 B all at "z" before; 171,709 B when this test was written). A change that makes
 * the page load more than this fails here; one that brings it down lowers this line.
 */
const CEILING = 146_700;

function asLoaded() {
  for (const f of FILES) assert.ok(existsSync(f), `${f} is missing: run bash scripts/build-wasm.sh`);
  return execFileSync("gzip", ["-9", "-c"], { input: Buffer.concat(FILES.map((f) => readFileSync(f))), maxBuffer: 1 << 28 }).length;
}

test("the widget as loaded does not grow past what it measured (engine + glue + widget, gzip -9)", () => {
  const bytes = asLoaded();
  assert.ok(bytes <= CEILING, `the widget as loaded is ${bytes} B gzip -9, more than the ${CEILING} B it measured (budget ${BUDGET} B)`);
});

test("the widget as loaded is within 150 KB gzip -9", () => {
  const bytes = asLoaded();
  assert.ok(bytes <= BUDGET, `the widget as loaded is ${bytes} B gzip -9, over the ${BUDGET} B budget by ${bytes - BUDGET} B`);
});
