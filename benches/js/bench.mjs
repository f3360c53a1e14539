// roei (WASM, wasm/pkg) against an XState v5 machine of the same incident lifecycle, in one Node
// process (issue #6). N generated 12-event Nagaoka records (gen.mjs, a port of
// core/benches/common.rs), statuses at one instant; after a warm-up, the median of several rounds.
//
//   node bench.mjs [--n 20000] [--rounds 3] [--at 2026-11-10T12:00:00+09:00] [--pkg DIR] [--json]
//
// --pkg (or ROEI_PKG) points at another build of the package (e.g. one with checkManyStates).
// Every path's output is kept and, at the end, the statuses of the obligations both sides model
// are compared record by record (roei's checkMany against each XState form).
import { existsSync, readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PKG } from "./roei.mjs";
import { records } from "./gen.mjs";
import { machine, leanMachine, statusesAt, OBLIGATIONS } from "./machine.mjs";
import { replay, statusesOf } from "./replay.mjs";
import { sizes } from "./size.mjs";

const { values: opt } = parseArgs({
  options: {
    n: { type: "string", default: "20000" },
    rounds: { type: "string", default: "3" },
    at: { type: "string", default: "2026-11-10T12:00:00+09:00" },
    pkg: { type: "string", default: process.env.ROEI_PKG ?? PKG },
    json: { type: "boolean", default: false },
  },
});
const N = Number(opt.n), ROUNDS = Number(opt.rounds), AT = opt.at, AT_MS = Date.parse(AT);

const roei = await import(join(opt.pkg, "roei_wasm.js"));
roei.initSync({ module: readFileSync(join(opt.pkg, "roei_wasm_bg.wasm")) });

const recs = records(N);
const texts = recs.map((r) => JSON.stringify(r));
const CLAUSES = Object.values(OBLIGATIONS);
const load0 = loadavg();

// Each path maps the whole input to one result per record: statuses (object or text).
const paths = {
  "roei check(object, at)": { kind: "per-record", run: (rs) => rs.map((r) => roei.check(r, AT)) },
  "roei check(text, at)": { kind: "per-record", input: "text", run: (ts) => ts.map((t) => roei.check(t, AT)) },
  "roei checkJSON(text, at) → text": { kind: "per-record", input: "text", run: (ts) => ts.map((t) => roei.checkJSON(t, AT)) },
  "roei checkMany(objects, at)": { kind: "batch", run: (rs) => roei.checkMany(rs, AT) },
  "roei checkMany(texts, at)": { kind: "batch", input: "text", run: (ts) => roei.checkMany(ts, AT) },
};
if (typeof roei.checkManyStates === "function") {
  paths["roei checkManyStates(objects, at)"] = { kind: "batch", run: (rs) => roei.checkManyStates(rs, AT) };
  paths["roei checkManyStates(texts, at)"] = { kind: "batch", input: "text", run: (ts) => roei.checkManyStates(ts, AT) };
}
// roei/fast: the same engine built for speed (profile wasm-fast), for servers and batch jobs.
let fast = null;
if (existsSync(join(opt.pkg, "roei_fast.js"))) {
  fast = await import(join(opt.pkg, "roei_fast.js"));
  fast.initSync({ module: readFileSync(join(opt.pkg, "roei_fast_bg.wasm")) });
  paths["roei/fast check(object, at)"] = { kind: "per-record", run: (rs) => rs.map((r) => fast.check(r, AT)) };
  paths["roei/fast checkMany(objects, at)"] = { kind: "batch", run: (rs) => fast.checkMany(rs, AT) };
  paths["roei/fast checkMany(texts, at)"] = { kind: "batch", input: "text", run: (ts) => fast.checkMany(ts, AT) };
  paths["roei/fast checkManyStates(objects, at)"] = { kind: "batch", run: (rs) => fast.checkManyStates(rs, AT) };
  paths["roei/fast checkManyStates(texts, at)"] = { kind: "batch", input: "text", run: (ts) => fast.checkManyStates(ts, AT) };
}
paths["xstate machine (status regions)"] = { kind: "xstate", run: (rs) => rs.map((r) => statusesOf(replay(machine, r, AT_MS))) };
paths["xstate leanMachine + statusesAt"] = { kind: "xstate", run: (rs) => rs.map((r) => statusesAt(replay(leanMachine, r, AT_MS, false), AT_MS)) };

const inputOf = (p, n) => (p.input === "text" ? texts : recs).slice(0, n ?? N);

// warm-up: every path on 2,000 records, twice
for (let k = 0; k < 2; k++) for (const p of Object.values(paths)) p.run(inputOf(p, Math.min(N, 2000)));

const results = {};
const outputs = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const [name, p] of Object.entries(paths)) {
    const input = inputOf(p);
    const t0 = performance.now();
    const out = p.run(input);
    const ms = performance.now() - t0;
    if (out.length !== N) throw new Error(`${name}: ${out.length} results for ${N} records`);
    (results[name] ??= []).push(ms);
    outputs[name] = out;
  }
}
const load1 = loadavg();

const median = (xs) => { const s = xs.slice().sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const rows = Object.entries(results).map(([name, ms]) => ({
  path: name,
  kind: paths[name].kind,
  "median ms": +median(ms).toFixed(1),
  "incidents/s": Math.round(N / (median(ms) / 1e3)),
  "µs/incident": +(median(ms) * 1e3 / N).toFixed(1),
  "rounds (ms)": ms.map((m) => Math.round(m)).join(" "),
}));
const rate = (name) => rows.find((r) => r.path === name)?.["incidents/s"];

// Agreement at AT: roei's checkMany against both XState forms, for every record.
const agree = {};
const pick = (status) => Object.fromEntries(status.obligations.filter((o) => CLAUSES.includes(o.clause)).map((o) => [o.clause, o.status]));
const roeiStatuses = outputs["roei checkMany(objects, at)"].map(pick);
for (const x of ["xstate machine (status regions)", "xstate leanMachine + statusesAt"]) {
  let bad = 0, first = null;
  outputs[x].forEach((s, i) => {
    for (const c of CLAUSES) if (s[c] !== roeiStatuses[i][c]) { bad++; first ??= { record: i, clause: c, roei: roeiStatuses[i][c], xstate: s[c] }; }
  });
  agree[x] = { compared: N * CLAUSES.length, disagreements: bad, first };
}
if (outputs["roei checkManyStates(objects, at)"]) {
  let bad = 0;
  outputs["roei checkManyStates(objects, at)"].forEach((pairs, i) => {
    const m = Object.fromEntries(pairs);
    for (const c of CLAUSES) if (m[c] !== roeiStatuses[i][c]) bad++;
  });
  agree["roei checkManyStates vs checkMany"] = { compared: N * CLAUSES.length, disagreements: bad };
}
if (fast) {
  // The fast build must give the same statuses as the engine, record for record.
  const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
  let bad = 0;
  outputs["roei/fast checkMany(objects, at)"].forEach((s, i) => { if (!same(s, outputs["roei checkMany(objects, at)"][i])) bad++; });
  agree["roei/fast checkMany vs checkMany (whole documents)"] = { compared: N, disagreements: bad };
}
const dist = {};
for (const s of roeiStatuses) for (const c of CLAUSES) dist[`${c} ${s[c]}`] = (dist[`${c} ${s[c]}`] ?? 0) + 1;

// Ratios against XState: the faster XState form is the baseline (the conservative choice for roei).
const xs = Math.max(rate("xstate machine (status regions)"), rate("xstate leanMachine + statusesAt"));
const best = (kind) => rows.filter((r) => r.kind === kind).sort((a, b) => b["incidents/s"] - a["incidents/s"])[0];
const ratios = rows.filter((r) => r.kind !== "xstate").map((r) => ({
  path: r.path,
  "× xstate (best form)": +(r["incidents/s"] / xs).toFixed(1),
  "× xstate (status regions)": +(r["incidents/s"] / rate("xstate machine (status regions)")).toFixed(1),
}));
const batchStd = Math.max(rate("roei checkMany(objects, at)"), rate("roei checkMany(texts, at)"));
const targets = {
  "batch (checkMany) ≥ 20× xstate": { ratio: +(batchStd / xs).toFixed(1), met: batchStd / xs >= 20 },
  ...(fast ? (() => {
    const m = Math.max(rate("roei/fast checkMany(objects, at)"), rate("roei/fast checkMany(texts, at)"));
    const l = Math.max(rate("roei/fast checkManyStates(objects, at)"), rate("roei/fast checkManyStates(texts, at)"));
    return {
      "batch (roei/fast checkMany) ≥ 20× xstate": { ratio: +(m / xs).toFixed(1), met: m / xs >= 20 },
      "batch (roei/fast checkManyStates) ≥ 20× xstate": { ratio: +(l / xs).toFixed(1), met: l / xs >= 20 },
    };
  })() : {}),
  "per-record check(object) ≥ 1× xstate": { ratio: +(rate("roei check(object, at)") / xs).toFixed(1), met: rate("roei check(object, at)") >= xs },
};
if (rate("roei checkManyStates(objects, at)")) {
  const lean = Math.max(rate("roei checkManyStates(objects, at)"), rate("roei checkManyStates(texts, at)"));
  targets["batch (checkManyStates) ≥ 20× xstate"] = { ratio: +(lean / xs).toFixed(1), met: lean / xs >= 20 };
}

const env = {
  node: process.version,
  xstate: JSON.parse(readFileSync(new URL("./node_modules/xstate/package.json", import.meta.url))).version,
  pkg: opt.pkg,
  cpu: `${cpus().length} × ${cpus()[0]?.model}`,
  loadavg: `${load0.map((l) => l.toFixed(2)).join(" ")} → ${load1.map((l) => l.toFixed(2)).join(" ")}`,
  records: N, events_per_record: recs[0].events.length, at: AT, rounds: ROUNDS,
};
const size = await sizes();

if (opt.json) {
  console.log(JSON.stringify({ env, rows, ratios, targets, agree, dist, size }, null, 2));
} else {
  console.log(env);
  console.table(rows);
  console.table(ratios);
  console.table(targets);
  console.log("agreement at", AT, agree);
  console.log("roei statuses at", AT, dist);
  console.table(size);
}
const disagreements = Object.values(agree).reduce((s, a) => s + a.disagreements, 0);
if (disagreements) process.exitCode = 1;
