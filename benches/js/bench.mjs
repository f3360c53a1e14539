// roei (WASM) against XState v5 and the native engine, in one Node process (issues #6 and #17).
// N generated 12-event Nagaoka records (gen.mjs, a port of core/benches/common.rs), statuses at one
// instant. After a warm-up, each round runs the records in chunks of 250, every path on each chunk
// in turn (so a swing in the shared machine's load hits every path alike); each path is reported as
// min – median – max over the rounds, with every ratio computed within its round.
//
//   node bench.mjs [--n 5000] [--rounds 5] [--at 2026-11-10T12:00:00+09:00] [--pkg DIR]
//                  [--no-native] [--size] [--json]
//
// The paths:
// - roei, the engine every page loads (`roei_wasm`, size-tuned) and `roei/fast` (`roei_fast`, the
//   same engine built for speed): `check` per record (object, text), `checkMany` and
//   `checkManyStates` (objects, texts);
// - XState, three forms of the same lifecycle (machine.mjs): the actor of the lean machine with the
//   statuses derived (`createActor(leanMachine).start()`, events sent, `statusesAt(snapshot)`), the
//   pure functions on the lean machine (`initialTransition` / `transition`, no actor), and the actor
//   of the machine whose status regions hold the statuses. Every ratio is against the fastest form
//   in its round, and names it;
// - native: `core/benches/texts.rs` (built once by `cargo bench --no-run`, bench profile) on the
//   very texts given to the WASM paths, written to a file: parse + evaluate (`checkManyStates`' work), with the status
//   document (`checkMany`'s work), and a bare `serde_json::Value` parse; one run per round.
//
// --pkg (or ROEI_PKG) points at another build of the package; only `roei_wasm` is required.
// Every path's output is kept and, at the end, the statuses are compared record by record (roei's
// checkMany against each XState form, checkManyStates against checkMany, roei/fast against roei);
// any disagreement sets the exit code to 1.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PKG, nativeTexts } from "./roei.mjs";
import { records } from "./gen.mjs";
import { machine, leanMachine, statusesAt, OBLIGATIONS } from "./machine.mjs";
import { replay, replayPure, statusesOf } from "./replay.mjs";

const { values: opt } = parseArgs({
  options: {
    n: { type: "string", default: "5000" },
    rounds: { type: "string", default: "5" },
    at: { type: "string", default: "2026-11-10T12:00:00+09:00" },
    pkg: { type: "string", default: process.env.ROEI_PKG ?? PKG },
    "no-native": { type: "boolean", default: false },
    size: { type: "boolean", default: false },
    json: { type: "boolean", default: false },
  },
});
const N = Number(opt.n), ROUNDS = Number(opt.rounds), AT = opt.at, AT_MS = Date.parse(AT);

const roei = await import(join(opt.pkg, "roei_wasm.js"));
roei.initSync({ module: readFileSync(join(opt.pkg, "roei_wasm_bg.wasm")) });
let fast = null;
if (existsSync(join(opt.pkg, "roei_fast.js"))) {
  fast = await import(join(opt.pkg, "roei_fast.js"));
  fast.initSync({ module: readFileSync(join(opt.pkg, "roei_fast_bg.wasm")) });
}

const recs = records(N);
const texts = recs.map((r) => JSON.stringify(r));
const CLAUSES = Object.values(OBLIGATIONS);
const load0 = loadavg();

// Each path maps the whole input to one result per record. `input`: "text" (JSON text) or objects.
const paths = {};
for (const [label, m] of [["roei", roei], ["roei/fast", fast]]) {
  if (!m) continue;
  paths[`${label} check(object)`] = { kind: "per-record", engine: label, run: (rs) => rs.map((r) => m.check(r, AT)) };
  paths[`${label} check(text)`] = { kind: "per-record", engine: label, input: "text", run: (ts) => ts.map((t) => m.check(t, AT)) };
  paths[`${label} checkMany(objects)`] = { kind: "batch", engine: label, run: (rs) => m.checkMany(rs, AT) };
  paths[`${label} checkMany(texts)`] = { kind: "batch", engine: label, input: "text", run: (ts) => m.checkMany(ts, AT) };
  paths[`${label} checkManyStates(objects)`] = { kind: "batch", engine: label, run: (rs) => m.checkManyStates(rs, AT) };
  paths[`${label} checkManyStates(texts)`] = { kind: "batch", engine: label, input: "text", run: (ts) => m.checkManyStates(ts, AT) };
}
const XSTATE = {
  "xstate actor: createActor(leanMachine) + statusesAt": (rs) => rs.map((r) => statusesAt(replay(leanMachine, r, AT_MS, false), AT_MS)),
  "xstate pure: initialTransition/transition(leanMachine) + statusesAt": (rs) => rs.map((r) => statusesAt(replayPure(leanMachine, r, AT_MS, false), AT_MS)),
  "xstate actor: createActor(machine), statuses as states": (rs) => rs.map((r) => statusesOf(replay(machine, r, AT_MS))),
};
for (const [name, run] of Object.entries(XSTATE)) paths[name] = { kind: "xstate", run };

// The native engine on the same texts: one file, the bench binary built once (its path from
// cargo's JSON messages, so a source edit during a run cannot rebuild it), one process per round.
let native = null;
const dir = mkdtempSync(join(tmpdir(), "roei-bench-"));
if (!opt["no-native"]) {
  const file = join(dir, "records.jsonl");
  writeFileSync(file, texts.join("\n") + "\n");
  const { exe, run } = nativeTexts();
  const runNative = (warm) => run(file, AT, { warm });
  const first = runNative(0);
  if (first.records !== N) throw new Error(`native: ${first.records} records for ${N}`);
  native = { exe, run: () => runNative(Math.min(N, 2000)) };
}

const inputOf = (p) => (p.input === "text" ? texts : recs);

// warm-up: every path on up to 1,000 records, twice
for (let k = 0; k < 2; k++) for (const p of Object.values(paths)) p.run(inputOf(p).slice(0, Math.min(N, 1000)));

// A round runs the records in chunks of CHUNK, every path on each chunk in turn (batch paths get the
// chunk as their batch), so a swing in the shared machine's load falls on every path alike instead
// of on whichever path ran during it. XState's pure form, ten times slower than the rest, runs on
// every fifth chunk only; its rate is over the records it ran.
const CHUNK = 250;
const SPARSE = new Set(["xstate pure: initialTransition/transition(leanMachine) + statusesAt"]);
const ms = {}; // path → [ms per round]
const done = {}; // path → records per round
const outputs = {}; // path → results of the last round (null where a sparse path skipped a chunk)
for (let round = 0; round < ROUNDS; round++) {
  const t = Object.fromEntries(Object.keys(paths).map((k) => [k, 0]));
  const got = Object.fromEntries(Object.keys(paths).map((k) => [k, 0]));
  const out = Object.fromEntries(Object.keys(paths).map((k) => [k, []]));
  for (let c = 0, i = 0; i < N; c++, i += CHUNK) {
    for (const [name, p] of Object.entries(paths)) {
      const input = inputOf(p).slice(i, i + CHUNK);
      if (SPARSE.has(name) && c % 5) {
        out[name].push(...input.map(() => null));
        continue;
      }
      const t0 = performance.now();
      const r = p.run(input);
      t[name] += performance.now() - t0;
      got[name] += input.length;
      if (r.length !== input.length) throw new Error(`${name}: ${r.length} results for ${input.length} records`);
      out[name].push(...r);
    }
  }
  for (const name of Object.keys(paths)) {
    (ms[name] ??= []).push(t[name]);
    (done[name] ??= []).push(got[name]);
  }
  Object.assign(outputs, out);
  if (native) {
    // roei/fast's batch on all N texts right before and right after the native process, so the
    // ratio to native compares neighbours in time (the native pass is short; load swings are not).
    const beside = "roei/fast checkManyStates(texts), all N beside native";
    const timeFast = () => { const t0 = performance.now(); fast?.checkManyStates(texts, AT); return performance.now() - t0; };
    const before = fast ? timeFast() : 0;
    const r = native.run();
    if (fast) {
      (ms[beside] ??= []).push((before + timeFast()) / 2);
      (done[beside] ??= []).push(N);
    }
    for (const [k, v] of [["native parse + evaluate (states)", r.states_ms[0]], ["native parse + evaluate + status JSON text", r.status_ms[0]], ["native serde_json::Value parse (floor)", r.raw_ms[0]]]) {
      (ms[k] ??= []).push(v);
      (done[k] ??= []).push(N);
    }
  }
}
const load1 = loadavg();
rmSync(dir, { recursive: true, force: true });

const sorted = (xs) => xs.slice().sort((a, b) => a - b);
const median = (xs) => { const s = sorted(xs); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const spread = (xs, digits = 1) => { const s = sorted(xs); return `${s[0].toFixed(digits)} – ${median(s).toFixed(digits)} – ${s.at(-1).toFixed(digits)}`; };
const rateOf = (name, round) => done[name][round] / (ms[name][round] / 1e3);
const rates = (name) => ms[name].map((_, i) => rateOf(name, i));
const kindOf = (name) => paths[name]?.kind ?? (name.startsWith("native") ? "native" : "batch");

const rows = Object.keys(ms).map((name) => ({
  path: name,
  kind: kindOf(name),
  "incidents/s min – median – max": spread(rates(name), 0),
  "µs/incident (median)": +(1e6 / median(rates(name))).toFixed(1),
}));

// XState's fastest form: the one with the highest median rate; ratios within each round against it.
const xforms = Object.keys(XSTATE);
const xbest = xforms.slice().sort((a, b) => median(rates(b)) - median(rates(a)))[0];
const ratio = (name, base) => ms[name].map((_, i) => rateOf(name, i) / rateOf(base, i));
const ratios = Object.keys(ms).filter((n) => kindOf(n) !== "xstate").map((name) => ({
  path: name,
  [`× ${xbest} (min – median – max)`]: spread(ratio(name, xbest)),
  ...Object.fromEntries(xforms.filter((x) => x !== xbest).map((x) => [`× ${x} (median)`, +median(ratio(name, x)).toFixed(1)])),
}));
const nativeStates = "native parse + evaluate (states)";
const target = (label, name, base, want) => {
  if (!ms[name] || !ms[base]) return null;
  const r = ratio(name, base);
  return { target: label, path: name, against: base, "ratio min – median – max": spread(r, 2), want, met: median(r) >= want };
};
const targets = [
  target("1: batch, engine every page loads ≥ 20×", "roei checkManyStates(texts)", xbest, 20),
  target("1: batch, engine every page loads ≥ 20×", "roei checkManyStates(objects)", xbest, 20),
  target("1: roei/fast ≥ 70 % of native parse+evaluate", "roei/fast checkManyStates(texts), all N beside native", nativeStates, 0.7),
  target("2: check one record ≥ 10×", "roei check(object)", xbest, 10),
  target("2: check one record ≥ 10×", "roei check(text)", xbest, 10),
].filter(Boolean);

// Agreement at AT: roei's checkMany against every XState form, for every record.
const agree = {};
const pick = (status) => Object.fromEntries(status.obligations.filter((o) => CLAUSES.includes(o.clause)).map((o) => [o.clause, o.status]));
const roeiStatuses = outputs["roei checkMany(objects)"].map(pick);
for (const x of xforms) {
  let bad = 0, first = null;
  outputs[x].forEach((s, i) => {
    if (s === null) return; // a chunk the sparse form skipped
    for (const c of CLAUSES) if (s[c] !== roeiStatuses[i][c]) { bad++; first ??= { record: i, clause: c, roei: roeiStatuses[i][c], xstate: s[c] }; }
  });
  agree[x] = { compared: outputs[x].filter((s) => s !== null).length * CLAUSES.length, disagreements: bad, first };
}
const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
for (const label of ["roei", "roei/fast"].filter((l) => paths[`${l} checkMany(objects)`])) {
  // checkManyStates gives the states of checkMany's documents, every obligation, in order.
  let bad = 0;
  outputs[`${label} checkManyStates(objects)`].forEach((pairs, i) => {
    const doc = outputs["roei checkMany(objects)"][i].obligations.map((o) => [o.obligation_id ?? o.clause, o.status]);
    if (!same(pairs.map(([, s]) => s), doc.map(([, s]) => s))) bad++;
  });
  agree[`${label} checkManyStates vs roei checkMany (every obligation)`] = { compared: N, disagreements: bad };
  // Every path of an engine gives the same documents, and both engines give the same.
  for (const p of ["check(object)", "check(text)", "checkMany(texts)"]) {
    let d = 0;
    outputs[`${label} ${p}`].forEach((s, i) => { if (!same(s, outputs["roei checkMany(objects)"][i])) d++; });
    agree[`${label} ${p} vs roei checkMany (whole documents)`] = { compared: N, disagreements: d };
  }
}
const dist = {};
for (const s of roeiStatuses) for (const c of CLAUSES) dist[`${c} ${s[c]}`] = (dist[`${c} ${s[c]}`] ?? 0) + 1;

const env = {
  node: process.version,
  xstate: JSON.parse(readFileSync(new URL("./node_modules/xstate/package.json", import.meta.url))).version,
  pkg: opt.pkg,
  cpu: `${cpus().length} × ${cpus()[0]?.model}`,
  loadavg: `${load0.map((l) => l.toFixed(2)).join(" ")} → ${load1.map((l) => l.toFixed(2)).join(" ")}`,
  records: N, bytes: texts.reduce((s, t) => s + t.length, 0), events_per_record: recs[0].events.length, at: AT, rounds: ROUNDS,
  xstate_fastest_form: xbest,
  native: native?.exe,
};
const size = opt.size ? await (await import("./size.mjs")).sizes() : undefined;

if (opt.json) {
  console.log(JSON.stringify({ env, ms, rows, ratios, targets, agree, dist, size }, null, 2));
} else {
  console.log(env);
  console.table(rows);
  console.table(ratios);
  console.table(targets);
  console.log("agreement at", AT, agree);
  console.log("roei statuses at", AT, dist);
  if (size) console.table(size);
}
const disagreements = Object.values(agree).reduce((s, a) => s + a.disagreements, 0);
if (disagreements) process.exitCode = 1;
