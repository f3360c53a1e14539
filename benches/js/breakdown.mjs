// Where roei's time per record goes (µs, median of 5 rounds over 4,000 records), from the package's
// own exports: JSON.stringify of the object, Record::parse alone (Incident.fromJSON), evaluate with
// the status document (Incident.status on a parsed record), JSON.parse of that document in JS, and
// the lean batch. Used for BENCHMARKS.md, "WASM vs XState".
//
//   node breakdown.mjs [--n 4000] [--pkg DIR] [--module roei_wasm|roei_fast]
import { parseArgs } from "node:util";
import { loadRoei, PKG } from "./roei.mjs";
import { records } from "./gen.mjs";

const { values: opt } = parseArgs({
  options: {
    n: { type: "string", default: "4000" },
    pkg: { type: "string", default: process.env.ROEI_PKG ?? PKG },
    module: { type: "string", default: "roei_wasm" },
  },
});
const N = Number(opt.n);
const r = await loadRoei(opt.pkg, opt.module);
const at = "2026-11-10T12:00:00+09:00";
const recs = records(N);
const strs = recs.map((x) => JSON.stringify(x));
const compact = strs.map((s) => JSON.stringify(r.check(s, at)));
const incs = strs.map((s) => r.Incident.fromJSON(s));
const time = (f) => { const t = performance.now(); f(); return ((performance.now() - t) / N) * 1e3; };
const steps = {
  "JSON.stringify(record object) [JS]": () => { for (const x of recs) JSON.stringify(x); },
  "Incident.fromJSON(text): Record::parse [WASM]": () => { for (const x of strs) r.Incident.fromJSON(x).free(); },
  "inc.status(at): evaluate + to_status + serde_json + JSON.parse": () => { for (const x of incs) x.status(at); },
  "JSON.parse(status text, compact) [JS]": () => { for (const x of compact) JSON.parse(x); },
  "check(object, at)": () => { for (const x of recs) r.check(x, at); },
  "checkMany(texts, at) / N": () => r.checkMany(strs, at),
};
steps["checkManyStates(texts, at) / N: parse + evaluate, no document"] = () => r.checkManyStates(strs, at);
steps["checkManyStates(objects, at) / N"] = () => r.checkManyStates(recs, at);
if (r.checkObject) steps["EXPERIMENT checkObject(text, at): the document built as a JS object"] = () => { for (const x of strs) r.checkObject(x, at); };
steps["check(text, at)"] = () => { for (const x of strs) r.check(x, at); };
const rows = {};
for (let round = 0; round < 6; round++) for (const [k, f] of Object.entries(steps)) if (round) (rows[k] ??= []).push(time(f)); else f();
const med = (a) => a.slice().sort((x, y) => x - y)[a.length >> 1];
for (const [k, v] of Object.entries(rows)) console.log(med(v).toFixed(1).padStart(7) + " µs  " + k);
console.log(`record text ${strs[1].length} B, status text (compact) ${compact[1].length} B, obligations ${r.check(strs[1], at).obligations.length}`);
