// The JS API beyond `check`: the Incident class, validate/profiles/graph, and the error contract
// (real Error objects with code/path/clause; hostile input refused without killing the instance).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, loadPkg, loadReports, runCli } from "./helpers.mjs";

const roei = await loadPkg();
const EXAMPLE = readFileSync(join(ROOT, "examples", "nagaoka-usb-loss.json"), "utf8");
const AT = "2026-11-02T18:00:00+09:00";
const NAGAOKA = [{ id: "R8-0123", profile: "nagaoka", principal: "長岡市" }];

test("Incident.fromJSON → toJSON keeps every event byte for byte", () => {
  const inc = roei.Incident.fromJSON(EXAMPLE);
  const out = inc.toJSON();
  const doc = JSON.parse(EXAMPLE);
  assert.deepEqual(JSON.parse(out), doc);
  // The events' own formatting (spaces, line breaks) survives: find each event's source text verbatim.
  for (const e of doc.events) {
    const start = EXAMPLE.indexOf(`{ "id": "${e.id}"`);
    const end = EXAMPLE.indexOf(e.id === "e7" ? "} }\n  ]" : `},\n    { "id"`, start);
    const raw = EXAMPLE.slice(start, end + (e.id === "e7" ? 3 : 1));
    assert.ok(out.includes(raw), `event ${e.id} rewritten`);
  }
  assert.equal(roei.Incident.fromJSON(out).toJSON(), out, "round trip is stable");
  assert.equal(inc.id, "INC-2026-0042");
  assert.equal(inc.eventCount, 7);
  assert.equal(inc.nextEventId(), "e8");
  assert.deepEqual(inc.status(AT), roei.check(EXAMPLE, AT));
  inc.free();
});

test("create + append: each append returns the status of the grown record", () => {
  const inc = roei.Incident.create("INC-1", "テスト", NAGAOKA);
  assert.equal(inc.eventCount, 0);
  const detected = { id: "e1", at: "2026-11-02T10:15:00+09:00", type: "detected", actor: "contractor", data: { kind: "loss", signs_only: true } };
  let s = inc.append(detected, "2026-11-02T10:30:00+09:00");
  const report = () => s.obligations.find((o) => o.clause === "nagaoka:13-1");
  assert.equal(report().status, "pending");
  assert.equal(report().due, "2026-11-02T11:15:00+09:00");
  s = inc.append(JSON.stringify({ id: "e2", at: "2026-11-02T10:50:00+09:00", type: "reported_to_principal", actor: "contractor",
    data: { contract: "R8-0123", written: true, fields: { content: "氏名・住所", count: "10件", location: "作業所", circumstances: "紛失" } } }), "2026-11-02T11:00:00+09:00");
  assert.equal(report().status, "done");
  assert.equal(report().done_at, "2026-11-02T10:50:00+09:00");
  // The same status as checking the serialised record.
  assert.deepEqual(s, roei.check(inc.toJSON(), "2026-11-02T11:00:00+09:00"));
  // An identical repeat is ignored; a different event under a used id is refused and changes nothing.
  inc.append(detected, AT);
  assert.equal(inc.eventCount, 2);
  const before = inc.toJSON();
  assert.throws(() => inc.append({ ...detected, type: "closed" }, AT), (e) => e instanceof Error && e.code === "duplicate_id" && e.path === "events[2].id");
  assert.throws(() => inc.append({ id: "e3", at: "2026-11-02T12:00:00+09:00", type: "reported_to_principal", actor: "contractor", data: { contract: "NOPE" } }), { code: "invalid_value", path: "events[2].data.contract" });
  assert.throws(() => inc.append({ id: "e3", at: "2026-11-02T12:00:00+09:00", type: "closed", actor: "contractor" }, "garbage"), { code: "invalid_value", path: "at" });
  assert.equal(inc.toJSON(), before, "a refused append leaves the record as it was");
  // checkEvent answers without appending.
  assert.equal(inc.checkEvent({ id: "e3", at: "2026-11-02T12:00:00+09:00", type: "closed", actor: "contractor" }), null);
  assert.equal(inc.checkEvent({ id: "e3", at: "2026-11-02T12:00:00+09:00", type: "detected", actor: "contractor", data: {} }).code, "missing_field");
  assert.equal(inc.eventCount, 2);
  inc.free();
});

test("status defaults to now (the JS clock) and accepts a Date", () => {
  const inc = roei.Incident.fromJSON(EXAMPLE);
  const before = Date.now();
  const s = inc.status();
  const at = Date.parse(s.at);
  assert.ok(at >= Math.floor(before / 1000) * 1000 - 1000 && at <= Date.now() + 1000, s.at);
  assert.match(s.at, /\+09:00$/);
  assert.equal(inc.status(new Date("2026-11-02T09:00:00Z")).at, AT);
  assert.throws(() => inc.status(new Date(NaN)), { code: "invalid_value", path: "at" });
  assert.throws(() => inc.status(42), { code: "invalid_value", path: "at" });
  inc.free();
});

test("create reports contract problems with paths", () => {
  assert.throws(() => roei.Incident.create("I", null, [{ id: "C", profile: "atlantis", principal: "X" }]),
    (e) => e instanceof Error && e.name === "RoeiError" && e.code === "unknown_profile" && e.path === "contracts[0].profile" && e.clause === null);
  assert.throws(() => roei.Incident.create("", null, []), (e) => e.code === "missing_field" && e.problems.length === 2);
  assert.throws(() => roei.Incident.create("I", null, [{ id: "C", profile: "nagaoka", principal: "P", omit: ["nagaoka:13-1"] }]),
    (e) => e.path === "contracts[0].omit[0]" && e.clause === "nagaoka:13-1");
});

test("validate, profiles, graph, labels", async () => {
  const docs = await loadReports();
  assert.deepEqual(roei.validate(EXAMPLE), { valid: true, warnings: [] });
  const bad = roei.validate({ format: "roei/incident@1", id: "I", contracts: [] });
  assert.equal(bad.valid, false);
  assert.equal(bad.error.code, "missing_field");
  const ps = roei.profiles();
  assert.deepEqual(ps.map((p) => p.id).sort(), JSON.parse(JSON.stringify(ps.map((p) => p.id))).sort());
  for (const id of ["nagaoka", "kimitsu", "sapporo", "nerima", "hirono", "appi-local-gov", "mynumber"]) assert.ok(ps.some((p) => p.id === id), id);
  assert.match(docs.graph("nagaoka", "mermaid"), /13-1/);
  assert.match(docs.graph("nerima", "dot"), /^digraph/);
  assert.throws(() => docs.graph("nagaoka", "svg"), { code: "invalid_value", path: "format" });
  assert.throws(() => docs.graph("atlantis", "dot"), { code: "unknown_profile", path: "profile" });
  const l = roei.labels();
  assert.equal(l.term.immediately.ja, "直ちに");
  assert.equal(l.state.overdue.en, "overdue");
});

test("roei/catalog (plain data for pages without the engine yet) equals the engine's labels() and profiles()", async () => {
  const roei = await loadPkg();
  const catalog = await import(join(ROOT, "wasm", "pkg", "roei_catalog.js"));
  assert.deepEqual(catalog.labels, roei.labels());
  assert.deepEqual(catalog.profiles, roei.profiles());
  // What the widget's registration form takes from it: every contract profile, every incident kind.
  assert.ok(catalog.profiles.filter((p) => p.kind === "contract").length >= 4);
  assert.ok(Object.keys(catalog.labels.incident_kind).includes("loss"));
  const pkg = JSON.parse(readFileSync(join(ROOT, "wasm", "pkg", "package.json"), "utf8"));
  assert.equal(pkg.exports["./catalog"].default, "./roei_catalog.js");
});

test("hostile input is refused without killing the instance", () => {
  const cyclic = { format: "roei/incident@1" };
  cyclic.self = cyclic;
  assert.throws(() => roei.check(cyclic, AT), { code: "json" });
  let deep = {};
  for (let i = 0; i < 20000; i++) deep = { a: deep };
  // "json" when serialising it overflows this engine's JS stack; else refused while reading, before
  // anything is built (the depth limit, issue 14), or by size: which one depends on the JS engine's stack.
  assert.throws(() => roei.check(deep, AT), (e) => ["json", "too_large", "invalid_value"].includes(e.code));
  // Refused by the depth limit while reading (issue 14), before the parser sees the missing brackets.
  assert.throws(() => roei.check("[".repeat(200000), AT), { code: "invalid_value" });
  assert.throws(() => roei.check(12, AT), { code: "json" });
  assert.throws(() => roei.check(undefined, AT), { code: "json" });
  const huge = " ".repeat(9 * 1024 * 1024);
  assert.throws(() => roei.check(huge, AT), { code: "too_large" });
  const inc = roei.Incident.create("I", null, [{ id: "C", profile: "nagaoka", principal: "P" }]);
  assert.throws(() => inc.append({ id: "e1", at: AT, type: "facts", actor: "contractor", data: { x: "y".repeat(300 * 1024) } }), { code: "too_large" });
  let nested = "1";
  for (let i = 0; i < 40; i++) nested = `[${nested}]`;
  assert.throws(() => inc.append(`{"id":"e1","at":"${AT}","type":"facts","actor":"contractor","data":{"x":${nested}}}`), { code: "invalid_value", path: "event" });
  assert.throws(() => inc.append({ id: "e1", at: AT, type: "facts", actor: "robot" }), { code: "json" });
  for (const junk of ["", "{", "null", "[]", "\u0000", "{\"id\":1}"]) assert.throws(() => inc.append(junk), (e) => e instanceof Error && e.name === "RoeiError" && typeof e.code === "string");
  assert.throws(() => roei.check(EXAMPLE, AT, { format: "roei/policy@2" }), { code: "unsupported_format" });
  // Still alive: a panic would have aborted the instance and every later call would trap.
  assert.equal(roei.check(EXAMPLE, AT).incident, "INC-2026-0042");
  assert.equal(inc.eventCount, 0);
  inc.free();
});

test("the reports module renders what the CLI renders", async () => {
  const docs = await loadReports();
  const rec = readFileSync(join(ROOT, "examples", "nagaoka-usb-loss.json"), "utf8");
  const at = "2026-11-02T18:00:00+09:00";
  for (const kind of ["principal", "record", "ppc-preliminary", "ppc-final", "subjects"]) {
    for (const format of ["md", "html", "json"]) {
      for (const lang of ["ja", "en"]) {
        const cli = runCli(["report", join(ROOT, "examples", "nagaoka-usb-loss.json"), "--kind", kind, "--format", format, "--lang", lang, "--at", at]);
        assert.equal(cli.code, 0, cli.stderr);
        const trim = (t) => t.replace(/\n+$/, "");
        assert.equal(trim(docs.report(rec, kind, lang, format, at)), trim(cli.stdout), `${kind} ${format} ${lang}`);
      }
    }
  }
  const svg = runCli(["timeline", join(ROOT, "examples", "nagaoka-usb-loss.json"), "--at", at]);
  assert.equal(docs.timeline(rec, at).replace(/\n+$/, ""), svg.stdout.replace(/\n+$/, ""));
  assert.match(docs.ics(rec, at), /^BEGIN:VCALENDAR\r\n/);
  assert.match(docs.readiness(["nerima"], "ja", "md"), /nerima:19-2/);
  assert.throws(() => docs.report(rec, "memo"), { name: "RoeiError", code: "invalid_value", path: "kind" });
  // The engine module does not carry the renderers.
  const roei = await loadPkg();
  assert.equal(typeof roei.report, "undefined");
});
