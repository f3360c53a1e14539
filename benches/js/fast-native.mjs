// Issue 17 target 1, second half, by CPU time: `roei/fast` `checkManyStates(texts)` against the native
// engine's parse + evaluate (`core/benches/texts.rs`, "states") on the same texts. bench.mjs compares
// the two by wall time, which the other jobs of a shared machine inflate unevenly (a loaded round
// gave 0.58–1.12); here each side counts only its own CPU: this process's `process.cpuUsage()` for
// the WASM batch, the native thread's CPU time (Linux) for native. Rounds alternate the two; each
// figure is a median over the rounds, and the ratio is native ÷ roei/fast (≥ 0.70 is the target).
// Several --pkg (package folders with roei_fast built) are measured in the same rounds, in turn.
//
//   node fast-native.mjs --pkg DIR [--pkg DIR2 …] [--n 5000] [--rounds 10] [--at …]
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { PKG, loadRoei, nativeTexts } from "./roei.mjs";
import { records } from "./gen.mjs";

const { values: opt } = parseArgs({
  options: {
    pkg: { type: "string", multiple: true, default: [PKG] },
    n: { type: "string", default: "5000" },
    rounds: { type: "string", default: "10" },
    at: { type: "string", default: "2026-11-10T12:00:00+09:00" },
  },
});
const N = Number(opt.n), ROUNDS = Number(opt.rounds), AT = opt.at;
const texts = records(N).map((r) => JSON.stringify(r));
const dir = mkdtempSync(join(tmpdir(), "roei-fast-native-"));
const file = join(dir, "records.jsonl");
writeFileSync(file, texts.join("\n") + "\n");
const native = nativeTexts();
const builds = [];
for (const pkg of opt.pkg) {
  // A query string makes Node load a second glue when two folders hold a file of the same name.
  const fast = await loadRoei(pkg, "roei_fast", `?${pkg}`);
  for (let k = 0; k < 2; k++) fast.checkManyStates(texts, AT); // warm-up
  builds.push({ pkg, fast, ms: [] });
}
const load0 = loadavg();
const nativeMs = [];
for (let r = 0; r < ROUNDS; r++) {
  for (const b of r % 2 ? builds.slice().reverse() : builds) {
    const c0 = process.cpuUsage();
    b.fast.checkManyStates(texts, AT);
    const c = process.cpuUsage(c0);
    b.ms.push((c.user + c.system) / 1e3);
  }
  const out = native.run(file, AT, { runs: 1, warm: Math.min(N, 2000) });
  if (out.records !== N || out.states_cpu_ms?.[0] == null) throw new Error("native: no CPU time for its states run (Linux only)");
  nativeMs.push(out.states_cpu_ms[0]);
}
rmSync(dir, { recursive: true, force: true });
const median = (xs) => { const s = xs.slice().sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const spread = (xs) => { const s = xs.slice().sort((a, b) => a - b); return `${s[0].toFixed(3)} – ${median(s).toFixed(3)} – ${s.at(-1).toFixed(3)}`; };
const result = {
  records: N, rounds: ROUNDS, at: AT, native: native.exe, load_avg_1min: [load0[0], loadavg()[0]],
  "native states CPU ms (median)": +median(nativeMs).toFixed(1),
  builds: builds.map((b) => ({
    pkg: b.pkg,
    "roei/fast CPU ms (median)": +median(b.ms).toFixed(1),
    // Per round: native's CPU time ÷ roei/fast's in the same round; min – median – max.
    "ratio to native (per round)": spread(b.ms.map((ms, i) => nativeMs[i] / ms)),
    "ratio of medians": +(median(nativeMs) / median(b.ms)).toFixed(3),
  })),
};
console.log(JSON.stringify(result, null, 2));
