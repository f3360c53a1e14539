// A/B of two builds of the package on one path, by CPU time (BENCHMARKS.md, issue 17 "Levers"):
// `process.cpuUsage()` counts this process's own CPU, which the other jobs on a shared machine do
// not inflate as they inflate wall time. The two builds are loaded into one Node process and
// alternated (A, B, A, B, …) on the same records, and the medians of the passes are compared.
//
//   node ab.mjs --a DIR --b DIR [--module roei_wasm|roei_fast] [--path check-text] [--n 500] [--passes 14]
//
// Paths: validate-text (`Record::parse` and its warnings), check-text (the widget's path),
// check-object, checkMany-texts, checkManyStates-texts (the batch path), checkManyStates-objects,
// checkJSON-text. Both builds must give the same answers (compared on the first pass; exit 1 if not).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { records } from "./gen.mjs";

const { values: opt } = parseArgs({
  options: {
    a: { type: "string" },
    b: { type: "string" },
    module: { type: "string", default: "roei_wasm" },
    path: { type: "string", default: "check-text" },
    n: { type: "string", default: "500" },
    passes: { type: "string", default: "14" },
    at: { type: "string", default: "2026-11-10T12:00:00+09:00" },
  },
});
const AT = opt.at, N = Number(opt.n), PASSES = Number(opt.passes);

async function load(dir) {
  // A query string makes Node load the glue twice when both builds sit in folders of the same name.
  const m = await import(`${join(dir, `${opt.module}.js`)}?${dir}`);
  m.initSync({ module: readFileSync(join(dir, `${opt.module}_bg.wasm`)) });
  return m;
}
const builds = { A: await load(opt.a), B: await load(opt.b) };
const recs = records(N), texts = recs.map((r) => JSON.stringify(r));
const PATHS = {
  "validate-text": (m) => texts.map((t) => m.validate(t)),
  "check-text": (m) => texts.map((t) => m.check(t, AT)),
  "check-object": (m) => recs.map((r) => m.check(r, AT)),
  "checkJSON-text": (m) => texts.map((t) => m.checkJSON(t, AT)),
  "checkMany-texts": (m) => m.checkMany(texts, AT),
  "checkManyStates-texts": (m) => m.checkManyStates(texts, AT),
  "checkManyStates-objects": (m) => m.checkManyStates(recs, AT),
};
const run = PATHS[opt.path];
if (!run) throw new Error(`--path: one of ${Object.keys(PATHS).join(", ")}`);

const same = JSON.stringify(run(builds.A)) === JSON.stringify(run(builds.B));
for (let k = 0; k < 3; k++) for (const m of Object.values(builds)) run(m); // warm-up
const us = { A: [], B: [] };
for (let p = 0; p < PASSES; p++) {
  for (const [name, m] of Object.entries(builds)) {
    const c0 = process.cpuUsage();
    run(m);
    const c = process.cpuUsage(c0);
    us[name].push((c.user + c.system) / N);
  }
}
const median = (xs) => { const s = xs.slice().sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const a = median(us.A), b = median(us.B);
console.log(JSON.stringify({ module: opt.module, path: opt.path, records: N, passes: PASSES, "A µs/record": +a.toFixed(1), "B µs/record": +b.toFixed(1), change: `${(((b - a) / a) * 100).toFixed(1)} %`, same_answers: same }));
if (!same) process.exitCode = 1;
