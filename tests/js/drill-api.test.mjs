// The drill module `roei/drill` (roei_drill, loaded as Node users load it): scores equal to the CLI's
// `roei drill SCENARIO --play P --json` for every library scenario's good and bad playthrough and for
// playthroughs built action by action through `act` and exported with `exportPlaythrough`; the
// clock never goes back; hostile input is a RoeiError with a code, never a crash, and the instance
// still answers afterwards.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, loadDrill, runCli } from "./helpers.mjs";

const drill = await loadDrill();
const DIR = join(ROOT, "examples", "drills");
const LIBRARY = readdirSync(DIR).filter((f) => f.endsWith(".json") && !/\.(good|bad)\.json$/.test(f)).map((f) => f.slice(0, -5)).sort();
const read = (f) => readFileSync(join(DIR, f), "utf8");
const tmp = mkdtempSync(join(tmpdir(), "roei-drill-"));
process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));

/** `roei drill SCENARIO --play FILE --json`, parsed. */
function cliScore(name, playthroughText) {
  const file = join(tmp, `${name}.${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, playthroughText);
  const r = runCli(["drill", join(DIR, `${name}.json`), "--play", file, "--json"]);
  assert.equal(r.code, 0, `${name}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** The form answers (`{ key: text }`) that rebuild an action's data through the scenario's prompts. */
function answersFor(prompts, data) {
  const a = {};
  for (const p of prompts) {
    const v = p.in_fields ? data.fields?.[p.key] : data[p.key];
    if (v === undefined || v === null) continue;
    a[p.key] = typeof v === "boolean" ? (v ? "y" : "n") : Array.isArray(v) ? v.join("、") : String(v);
  }
  return a;
}

/** Seconds after the scenario's start of an action's `at` (offset or instant). */
function secsOf(brief, at) {
  const m = /^T\+(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/.exec(at);
  if (at === "T+0") return 0;
  if (m) return (Number(m[1] ?? 0) * 24 + Number(m[2] ?? 0)) * 3600 + Number(m[3] ?? 0) * 60;
  return (Date.parse(at) - Date.parse(brief.start.at)) / 1000;
}

test("every library scenario: the module scores good and bad playthroughs exactly as the CLI", () => {
  assert.ok(LIBRARY.length >= 6, LIBRARY.join(","));
  for (const name of LIBRARY) {
    const sc = read(`${name}.json`);
    assert.equal(drill.validateScenario(sc).id, JSON.parse(sc).id);
    for (const kind of ["good", "bad"]) {
      const pt = read(`${name}.${kind}.json`);
      assert.deepEqual(drill.score(sc, pt), cliScore(name, pt), `${name}.${kind}`);
      // Objects are accepted as well as text.
      assert.deepEqual(drill.score(JSON.parse(sc), JSON.parse(pt)).total, drill.score(sc, pt).total);
    }
  }
});

test("every library scenario: a drill played through act() and exported scores as the CLI scores the export", () => {
  for (const name of LIBRARY) {
    const sc = read(`${name}.json`);
    const brief = drill.briefing(sc);
    const good = JSON.parse(read(`${name}.good.json`));
    let pt = brief.playthrough;
    let secs = 0;
    for (const a of good.actions) {
      secs = secsOf(brief, a.at);
      const form = brief.actions.find((f) => f.type === a.type);
      const r = drill.act(sc, pt, secs, a.role, a.type, answersFor(form.prompts, a.data ?? {}));
      assert.match(r.event, /^act-\d+$/);
      assert.equal(r.state.now.secs, secs, `${name}: the action is stamped with the clock`);
      pt = r.playthrough;
    }
    // End a day after the last action (or at the scenario's end), as a facilitator might.
    const end = Math.min(secs + 86400, brief.end.secs);
    const text = drill.exportPlaythrough(sc, pt, end);
    const exported = JSON.parse(text);
    assert.equal(exported.format, "roei/playthrough@1");
    assert.equal(exported.scenario, brief.id);
    assert.equal(exported.actions.length, good.actions.length);
    const mine = drill.score(sc, text);
    assert.deepEqual(mine, cliScore(name, text), name);
    assert.equal(mine.offset, drill.drillState(sc, pt, end).now.offset);
    // The state at the same clock shows the same statuses as the score.
    const st = drill.drillState(sc, pt, end);
    assert.deepEqual(st.board.map((o) => [o.obligation, o.status, o.verdict]), mine.obligations.map((o) => [o.obligation, o.status, o.verdict]));
    // Resuming the export puts the clock where it stopped, with the same actions.
    const r = drill.resume(sc, text);
    assert.equal(r.state.now.secs, end);
    assert.deepEqual(r.playthrough.actions, pt.actions);
  }
});

test("the state reveals injects as the clock passes them, branching ones only when their condition holds", () => {
  const sc = read("nagaoka-usb-loss.json");
  const pt = drill.briefing(sc).playthrough;
  const fired = (st) => st.injects.filter((i) => i.fired).map((i) => i.id);
  assert.deepEqual(fired(drill.drillState(sc, pt, 0)), ["i0"]);
  assert.deepEqual(fired(drill.drillState(sc, pt, 2400)), ["i0", "i1"]);
  // Nobody reported by T+1h30m: 13-1 is overdue and the city's reminder fires.
  const late = drill.drillState(sc, pt, 5400);
  assert.deepEqual(fired(late), ["i0", "i1", "i2"]);
  assert.equal(late.board.find((o) => o.obligation === "nagaoka:13-1").status, "overdue");
  // Reported at T+50m: the reminder is skipped (logged, not shown).
  const r = drill.act(sc, pt, 3000, "lead", "reported_to_principal",
    { written: "y", content: "住民の氏名・住所", count: "1,200人", location: "作業所", circumstances: "所在不明" });
  const onTime = drill.drillState(sc, r.playthrough, 5400);
  assert.deepEqual(fired(onTime), ["i0", "i1"]);
  assert.equal(onTime.injects.find((i) => i.id === "i2").fired, false);
  assert.equal(onTime.board.find((o) => o.obligation === "nagaoka:13-1").status, "done");
  assert.equal(onTime.next_inject.offset, "T+3h");
  // The clock never goes back: not before the last action.
  assert.throws(() => drill.drillState(sc, r.playthrough, 2999), { name: "RoeiError", code: "invalid_value", path: "at" });
  assert.throws(() => drill.act(sc, r.playthrough, 60, "lead", "closed", {}), { code: "invalid_value", path: "at" });
  // Form errors name the field.
  assert.throws(() => drill.act(sc, pt, 60, "lead", "detected", {}), { code: "missing_field", path: "data.kind" });
  assert.throws(() => drill.act(sc, pt, 60, "lead", "facts", { subjects_count: "many" }), { code: "invalid_value", path: "data.subjects_count" });
  assert.throws(() => drill.act(sc, pt, 60, "ghost", "closed", {}), { code: "invalid_value", path: "role" });
  assert.throws(() => drill.act(sc, pt, 60, "lead", "teleport", {}), { code: "invalid_value", path: "type" });
});

test("the debrief fragment has no script, no style and no unescaped scenario text", () => {
  const doc = JSON.parse(read("nagaoka-usb-loss.json"));
  const evil = "<script>globalThis.__xss=1</script><img src=x onerror=alert(1)>";
  doc.title.ja = `${evil}USB`;
  doc.injects[0].text.ja = evil;
  doc.goals[0].ja = evil;
  const sc = JSON.stringify(doc);
  const pt = drill.exportPlaythrough(sc, drill.briefing(sc).playthrough, 3600);
  for (const format of ["html-fragment", "html"]) {
    const html = drill.debrief(sc, pt, "ja", format);
    assert.equal(html.includes("<script"), false, format);
    assert.equal(html.includes("<img"), false, format);
    assert.ok(html.includes("&lt;script&gt;"), format);
  }
  const frag = drill.debrief(sc, pt, "en", "html-fragment");
  assert.match(frag, /^<article lang="en">/);
  assert.equal(/<style|<head|<html/.test(frag), false);
  assert.equal(globalThis.__xss, undefined);
});

test("hostile input: a RoeiError with a code, never a crash; the module still answers", () => {
  const sc = read("nagaoka-usb-loss.json");
  const pt = drill.briefing(sc).playthrough;
  const cyclic = {}; cyclic.self = cyclic;
  let deep = {}; for (let i = 0; i < 5000; i++) deep = { d: deep };
  const deepText = "[".repeat(200) + "]".repeat(200);
  const huge = " ".repeat(2 * 1024 * 1024 + 10);
  const badScenarios = [undefined, null, 42, true, "", "{", "[]", "null", "{}", cyclic, deep, deepText, huge,
    '{"format":"roei/scenario@2"}', sc.replace('"T+4d"', '"T+999d"'), sc.replace('"nagaoka"', '"atlantis"'),
    sc.replace('"kind": "loss"', '"kind": "teleport"'), sc.slice(0, sc.length / 2)];
  const badPlaythroughs = [undefined, null, 7, "", "{", "[]", cyclic, deep, deepText, huge, '{"format":"x","actions":[]}',
    { format: "roei/playthrough@1", actions: [{ at: "T+1h", role: "lead", type: "closed" }, { at: "T+10m", role: "lead", type: "closed" }] },
    { format: "roei/playthrough@1", actions: [{ at: "yesterday", role: "lead", type: "closed" }] },
    { format: "roei/playthrough@1", actions: [{ at: "T+1h", role: "lead", type: "detected", data: { kind: 5 } }] },
    { format: "roei/playthrough@1", scenario: "OTHER", actions: [] },
    { format: "roei/playthrough@1", actions: Array.from({ length: 6000 }, () => ({ at: "T+1h", role: "lead", type: "closed" })) }];
  // (null is 0 to a JS number parameter: a valid clock.)
  const badClocks = [NaN, -1, -Infinity, Infinity, undefined, "T+1h", {}];
  const badAnswers = [null, 5, "[]", "{", cyclic, deep, { measures: 5 }, { nope: "x" }, { measures: "x".repeat(70000) }, "x".repeat(70000)];
  const calls = [];
  for (const s of badScenarios) {
    calls.push(["validateScenario", () => drill.validateScenario(s)], ["briefing", () => drill.briefing(s)],
      ["drillState", () => drill.drillState(s, pt, 0)], ["score", () => drill.score(s, pt)],
      ["debrief", () => drill.debrief(s, pt, "ja", "html")], ["prompts", () => drill.prompts(s, "closed")],
      ["monteCarlo", () => drill.monteCarlo(s, 10, 1)], ["resume", () => drill.resume(s, pt)],
      ["exportPlaythrough", () => drill.exportPlaythrough(s, pt, 0)], ["act", () => drill.act(s, pt, 0, "lead", "closed", {})]);
  }
  for (const p of badPlaythroughs) {
    calls.push(["drillState", () => drill.drillState(sc, p, 3600)], ["score", () => drill.score(sc, p)],
      ["debrief", () => drill.debrief(sc, p)], ["resume", () => drill.resume(sc, p)],
      ["exportPlaythrough", () => drill.exportPlaythrough(sc, p, 3600)], ["act", () => drill.act(sc, p, 3600, "lead", "closed", {})]);
  }
  for (const at of badClocks) {
    calls.push(["drillState", () => drill.drillState(sc, pt, at)], ["act", () => drill.act(sc, pt, at, "lead", "closed", {})],
      ["exportPlaythrough", () => drill.exportPlaythrough(sc, pt, at)]);
  }
  for (const a of badAnswers) calls.push(["act", () => drill.act(sc, pt, 60, "lead", "contained", a)]);
  calls.push(["debrief", () => drill.debrief(sc, pt, "fr", "html")], ["debrief", () => drill.debrief(sc, pt, "ja", "pdf")],
    ["prompts", () => drill.prompts(sc, "teleport")], ["monteCarlo", () => drill.monteCarlo(sc, 0, 1)],
    ["monteCarlo", () => drill.monteCarlo(sc, 4e9, 1)], ["act", () => drill.act(sc, pt, 60, "x".repeat(100000), "closed", {})],
    ["act", () => drill.act(sc, pt, 60, "lead", "\u0000", {})]);
  let errors = 0;
  for (const [name, f] of calls) {
    let e = null;
    try { f(); } catch (x) { e = x; }
    assert.ok(e, `${name} accepted hostile input`);
    assert.ok(e instanceof Error, `${name}: ${e}`);
    assert.equal(e.name, "RoeiError", `${name}: ${e?.name} ${e?.message}`);
    assert.equal(typeof e.code, "string", name);
    assert.equal(typeof e.path, "string", name);
    assert.ok("clause" in e, name);
    errors++;
  }
  assert.ok(errors > 150, `${errors} calls`);
  // Still alive after every refusal: a panic would have aborted the instance.
  assert.equal(drill.drillState(sc, pt, 600).now.offset, "T+10m");
  assert.equal(drill.score(sc, read("nagaoka-usb-loss.good.json")).ended, true);
  assert.equal(typeof drill.version(), "string");
});
