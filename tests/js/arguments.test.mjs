// Arguments from JS that the three modules must refuse cleanly (issue 14, point 8 and the writers'
// limits): every text argument of the engine, `roei/reports` and `roei/drill` is measured before it
// is copied into WASM memory, so a string of hundreds of megabytes is a RoeiError `too_large` (or, for
// an instant, `invalid_value`) naming the argument, and the same instance answers the next call.
// Also the head hash and the anchor check from JS (`Incident.headHash`, `verifyAnchor` of roei/reports), and `Incident.append`
// refusing to grow the record past what the reader takes (8 MiB), with the record unchanged.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, loadDrill, loadPkg, loadReports, runCli } from "./helpers.mjs";

const roei = await loadPkg();
const reports = await loadReports();
const drill = await loadDrill();
const EXAMPLE = readFileSync(join(ROOT, "examples", "nagaoka-usb-loss.json"), "utf8");
const AT = "2026-11-02T18:00:00+09:00";
/** 300 MiB of text: before the fix each export copied it into WASM memory first (several of them in
 * one call made the allocation fail: `RuntimeError: unreachable`, the call aborted). */
const HUGE = "x".repeat(300 * 1024 * 1024);

/** Asserts `f` throws a RoeiError with `code` (one of `codes`) at `path`. */
function refused(name, f, path, codes = ["too_large"]) {
  let e = null;
  try {
    f();
  } catch (x) {
    e = x;
  }
  assert.ok(e, `${name}: accepted`);
  assert.equal(e.name, "RoeiError", `${name}: ${e}`);
  assert.ok(codes.includes(e.code), `${name}: code ${e.code} (${e.message.slice(0, 120)})`);
  assert.equal(e.path, path, name);
}

test("roei/reports: a huge text argument is too_large, named, and the instance still answers", () => {
  const calls = [
    ["report kind", () => reports.report(EXAMPLE, HUGE, "ja", "md", AT), "kind"],
    ["report lang", () => reports.report(EXAMPLE, "principal", HUGE, "md", AT), "lang"],
    ["report format", () => reports.report(EXAMPLE, "principal", "ja", HUGE, AT), "format"],
    ["report kind, lang and format at once", () => reports.report(EXAMPLE, HUGE, HUGE, HUGE, HUGE), "kind"],
    ["timeline lang", () => reports.timeline(EXAMPLE, AT, HUGE), "lang"],
    ["ics lang", () => reports.ics(EXAMPLE, AT, HUGE), "lang"],
    ["readiness profiles[1]", () => reports.readiness(["nagaoka", HUGE]), "profiles[1]"],
    ["readiness lang", () => reports.readiness(["nagaoka"], HUGE), "lang"],
    ["readiness format", () => reports.readiness(["nagaoka"], "ja", HUGE), "format"],
    ["graph profile", () => reports.graph(HUGE, "dot"), "profile"],
    ["graph format", () => reports.graph("nagaoka", HUGE), "format"],
  ];
  for (const [name, f, path] of calls) {
    refused(name, f, path);
    assert.match(reports.graph("nagaoka", "dot"), /^digraph/, `after ${name}`);
  }
  // An instant is measured too (over 100 units it cannot be RFC 3339).
  for (const [name, f] of [["report at", () => reports.report(EXAMPLE, "principal", "ja", "md", HUGE)],
    ["timeline at", () => reports.timeline(EXAMPLE, HUGE)], ["ics at", () => reports.ics(EXAMPLE, HUGE)]]) {
    refused(name, f, "at", ["invalid_value"]);
  }
  refused("readiness with 101 profiles", () => reports.readiness(Array(101).fill("nagaoka")), "profiles", ["too_many"]);
  refused("readiness with a number", () => reports.readiness(["nagaoka", 5]), "profiles[1]", ["invalid_value"]);
  assert.match(reports.report(EXAMPLE, "principal", "ja", "md", AT), /INC-2026-0042/);
  assert.match(reports.readiness(["nagaoka"], "ja", "md"), /\S/);
});

test("roei/drill: a huge text argument is too_large, named, and the instance still answers", () => {
  const sc = readFileSync(join(ROOT, "examples", "drills", "nagaoka-usb-loss.json"), "utf8");
  const pt = drill.briefing(sc).playthrough;
  const calls = [
    ["act role", () => drill.act(sc, pt, 60, HUGE, "closed", {}), "role"],
    ["act eventType", () => drill.act(sc, pt, 60, "lead", HUGE, {}), "eventType"],
    ["act role and eventType at once", () => drill.act(sc, pt, 60, HUGE, HUGE, HUGE), "role"],
    ["debrief lang", () => drill.debrief(sc, pt, HUGE), "lang"],
    ["debrief format", () => drill.debrief(sc, pt, "ja", HUGE), "format"],
    ["prompts eventType", () => drill.prompts(sc, HUGE), "eventType"],
    ["scenario", () => drill.briefing(HUGE), "scenario"],
    ["playthrough", () => drill.score(sc, HUGE), "playthrough"],
    ["answers", () => drill.act(sc, pt, 60, "lead", "closed", HUGE), "answers"],
  ];
  for (const [name, f, path] of calls) {
    refused(name, f, path);
    assert.equal(drill.drillState(sc, pt, 600).now.offset, "T+10m", `after ${name}`);
  }
  assert.match(drill.debrief(sc, pt, "en", "md"), /\S/);
  assert.ok(drill.prompts(sc, "closed").length >= 0);
});

test("the engine: id, title, anchor and at are measured before they are copied", () => {
  const C = [{ id: "C", profile: "nagaoka", principal: "P" }];
  refused("create id", () => roei.Incident.create(HUGE, null, C), "id");
  refused("create title", () => roei.Incident.create("I", HUGE, C), "title");
  const inc = roei.Incident.fromJSON(EXAMPLE);
  refused("verifyAnchor anchor", () => reports.verifyAnchor(EXAMPLE, HUGE), "anchor");
  refused("status at", () => inc.status(HUGE), "at", ["invalid_value"]);
  refused("check at", () => roei.check(EXAMPLE, HUGE), "at", ["invalid_value"]);
  assert.equal(inc.status(AT).incident, "INC-2026-0042");
  inc.free();
});

test("headHash and roei/reports' verifyAnchor: the CLI's head; extended ok; an edit named; stripped seals", () => {
  const dir = mkdtempSync(join(tmpdir(), "roei-anchor-"));
  try {
    const file = join(dir, "r.json");
    writeFileSync(file, EXAMPLE);
    const sealed = runCli(["seal", file]);
    assert.equal(sealed.code, 0, sealed.stderr);
    writeFileSync(file, sealed.stdout);
    const verified = runCli(["verify", file]);
    assert.equal(verified.code, 0, verified.stderr);
    const cliHead = verified.stdout.match(/head ([0-9a-f]{64})/)[1];

    const inc = roei.Incident.fromJSON(sealed.stdout);
    const head = inc.headHash();
    assert.equal(head, cliHead, "the widget's head hash is the one roei verify prints");
    assert.deepEqual(reports.verifyAnchor(inc.toJSON(), head), { events: 7, event: "e7", later: 0 });
    assert.deepEqual(reports.verifyAnchor(JSON.parse(inc.toJSON()), `sha256:${head.toUpperCase()}`), { events: 7, event: "e7", later: 0 });
    // Extended: the anchor still holds, with one event after it; the head moves on.
    inc.append({ id: "e8", at: "2026-11-02T17:00:00+09:00", type: "facts", actor: "contractor", data: { summary: "追記" } }, AT);
    assert.deepEqual(reports.verifyAnchor(inc.toJSON(), head), { events: 7, event: "e7", later: 1 });
    assert.notEqual(inc.headHash(), head);
    refused("verifyAnchor of a non-hash", () => reports.verifyAnchor(inc.toJSON(), "abc"), "--anchor", ["invalid_value"]);
    inc.free();

    // An early event edited under its old seal: the anchor check names it.
    const doc = JSON.parse(sealed.stdout);
    doc.events[1].data = { ...doc.events[1].data, note: "edited" };
    const edited = roei.Incident.fromJSON(JSON.stringify(doc));
    assert.throws(() => reports.verifyAnchor(edited.toJSON(), head), (e) => e.code === "invalid_value" && e.path === "events[1]" && /'e2' was changed/.test(e.message));
    edited.free();

    // Seals stripped, content unchanged: the head is the same and the anchor holds.
    const stripped = JSON.parse(sealed.stdout);
    for (const e of stripped.events) delete e.seal;
    const plain = roei.Incident.fromJSON(JSON.stringify(stripped));
    assert.equal(plain.headHash(), head);
    assert.deepEqual(reports.verifyAnchor(plain.toJSON(), head), { events: 7, event: "e7", later: 0 });
    plain.free();
    // Seals stripped and an event edited: nothing carries the anchor any more, and no prefix hashes to it.
    stripped.events[1].data = { ...stripped.events[1].data, note: "edited" };
    const both = roei.Incident.fromJSON(JSON.stringify(stripped));
    assert.throws(() => reports.verifyAnchor(both.toJSON(), head), { code: "invalid_value", path: "events" });
    assert.equal(roei.Incident.prototype.verifyAnchor, undefined, "the engine no longer carries it");
    both.free();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("Incident.append refuses to grow the record past 8 MiB and leaves it unchanged", () => {
  const inc = roei.Incident.create("I", null, [{ id: "C", profile: "nagaoka", principal: "P" }]);
  const filler = "y".repeat(250 * 1024);
  let n = 0;
  let refusal = null;
  for (; n < 40; n++) {
    const before = inc.toJSON();
    const count = inc.eventCount;
    try {
      inc.append({ id: `e${n + 1}`, at: AT, type: "facts", actor: "contractor", data: { summary: filler } }, AT);
    } catch (e) {
      refusal = e;
      assert.equal(inc.toJSON(), before, "the refused append changed the record");
      assert.equal(inc.eventCount, count);
      break;
    }
  }
  assert.ok(refusal, "every append was accepted");
  assert.equal(refusal.code, "too_large", refusal.message);
  assert.ok(n > 25, `refused after ${n} appends`);
  const text = inc.toJSON();
  assert.ok(text.length <= 8 * 1024 * 1024, `${text.length} bytes kept`);
  // What was kept reads back, and a small event still fits.
  assert.equal(roei.Incident.fromJSON(text).eventCount, n);
  inc.append({ id: `e${n + 1}`, at: AT, type: "closed", actor: "contractor" }, AT);
  assert.equal(inc.eventCount, n + 1);
  inc.free();
});
