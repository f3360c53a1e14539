// CPU per record of two engine builds, A against B, in one Node process: `process.cpuUsage()` (user +
// system) around each pass, the builds alternated ROUNDS times on the same N records of gen.mjs, the
// median per path (BENCHMARKS.md: CPU time is less moved than wall time by the other work on a
// shared machine). Each directory holds `roei_wasm.js` and `roei_wasm_bg.wasm` (a wasm/pkg, or the
// engine module built alone with scripts/build-wasm.sh's flags).
//
//   node cpu-ab.mjs <dirA> <dirB> [N=500] [ROUNDS=14]
//
// `validate(text)` is `Record::parse` and its warnings; `check(text)` the widget's path;
// `checkManyStates(texts)` the batch path.
import { loadRoei } from "./roei.mjs";
import { records } from "./gen.mjs";

const [A, B, n = "500", rounds = "14"] = process.argv.slice(2);
if (!A || !B) {
  console.error("usage: node cpu-ab.mjs <dirA> <dirB> [N] [ROUNDS]");
  process.exit(2);
}
const engines = [await loadRoei(A), await loadRoei(B)];
const texts = records(+n).map((r) => JSON.stringify(r));
const at = "2026-11-10T12:00:00+09:00";
const paths = {
  "validate(text)": (roei) => texts.forEach((t) => roei.validate(t)),
  "check(text)": (roei) => texts.forEach((t) => roei.check(t, at)),
  "checkManyStates(texts)": (roei) => roei.checkManyStates(texts, at),
};
/** Microseconds of CPU per record for one pass of `run`. */
function cpu(run) {
  const start = process.cpuUsage();
  run();
  const d = process.cpuUsage(start);
  return (d.user + d.system) / texts.length;
}
const median = (xs) => [...xs].sort((p, q) => p - q)[xs.length >> 1];
for (const [name, run] of Object.entries(paths)) {
  engines.forEach(run); // warm up both
  const times = [[], []];
  for (let i = 0; i < +rounds; i++) engines.forEach((roei, k) => times[k].push(cpu(() => run(roei))));
  const [a, b] = times.map(median);
  console.log(`${name}: A ${a.toFixed(1)} µs, B ${b.toFixed(1)} µs per record (${((100 * (b - a)) / a).toFixed(1)} %)`);
}
