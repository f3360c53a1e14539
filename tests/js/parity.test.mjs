// Parity between the WASM package and the CLI: for every incident record in examples/ and for
// generated records, `check` gives exactly what `roei check --json` prints, and invalid input gives
// the same error (code, path, clause, message).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, jst, loadPkg, rng, runCli } from "./helpers.mjs";

const roei = await loadPkg();
const tmp = mkdtempSync(join(tmpdir(), "roei-parity-"));

function* walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (name.endsWith(".json")) yield p;
  }
}

/** Asserts WASM == CLI for one record file at one instant (and optionally a policy file). */
function assertParity(file, text, at, policyFile) {
  const args = ["check", file, "--at", at, "--json"];
  if (policyFile) args.push("--policy", policyFile);
  const cli = runCli(args);
  const policy = policyFile ? readFileSync(policyFile, "utf8") : undefined;
  if (cli.code === 0) {
    // Byte for byte: the CLI prints checkJSON's text and a newline.
    assert.equal(roei.checkJSON(text, at, policy) + "\n", cli.stdout, `${file} at ${at}`);
    assert.deepEqual(roei.check(text, at, policy), JSON.parse(cli.stdout), `${file} at ${at}`);
    // The same record passed as a JS object gives the same status.
    assert.deepEqual(roei.check(JSON.parse(text), at, policy), JSON.parse(cli.stdout));
    return JSON.parse(cli.stdout);
  }
  assert.equal(cli.code, 2, `${file}: CLI exit ${cli.code}: ${cli.stderr}`);
  const want = JSON.parse(cli.stderr).error;
  assert.throws(() => roei.check(text, at, policy), (e) => {
    assert.ok(e instanceof Error, "a real Error");
    assert.equal(e.name, "RoeiError");
    assert.deepEqual({ code: e.code, message: e.message, path: e.path, clause: e.clause }, { code: want.code, message: want.message, path: want.path, clause: want.clause });
    assert.deepEqual(e.problems ?? [], want.problems ?? []);
    return true;
  }, file);
  return null;
}

test("every incident record in examples/ (subfolders included) checks as in the CLI", () => {
  let n = 0;
  for (const file of walk(join(ROOT, "examples"))) {
    const text = readFileSync(file, "utf8");
    let doc;
    try { doc = JSON.parse(text); } catch { continue; }
    if (doc?.format !== "roei/incident@1") continue; // statuses, policies, drill scenarios
    const times = (doc.events ?? []).map((e) => Date.parse(e.at)).filter(Number.isFinite);
    const last = times.length ? Math.max(...times) : Date.parse("2026-11-02T00:00:00+09:00");
    for (const at of ["2026-11-02T18:00:00+09:00", jst(last + 3600e3), jst(last + 40 * 86400e3)]) assertParity(file, text, at);
    n++;
  }
  assert.ok(n >= 1, "found no incident records in examples/");
});

const CONTRACT_PROFILES = ["nagaoka", "kimitsu", "sapporo", "nerima", "hirono"];
const KINDS = ["leak", "loss", "damage", "tampering", "erasure", "violation", "other"];
const FIELD_KEYS = ["content", "count", "location", "circumstances", "summary", "cause", "prevention", "data_items", "subjects_count", "secondary_damage", "subject_response", "publication_status", "other"];

/** A random but plausible record: several contracts, signs or occurrence, facts, reports, follow-ups. */
function generate(seed) {
  const r = rng(seed);
  const contracts = [];
  const n = r.int(1, 3);
  for (let i = 0; i < n; i++) {
    const profile = r.pick(CONTRACT_PROFILES);
    const c = { id: `C${i + 1}`, profile, principal: r.pick(["長岡市", "札幌市", "練馬区", "洋野町"]) };
    if (r.chance(0.2)) c.national = r.pick([[], ["appi-local-gov"], ["mynumber"], ["appi-local-gov", "mynumber"]]);
    if (profile === "hirono" && r.chance(0.5)) c.variant = r.pick(["type1", "type2", "type3"]);
    contracts.push(c);
  }
  let t = Date.parse("2026-11-02T10:15:00+09:00") + r.int(0, 90) * 86400e3;
  const start = t;
  const events = [{ id: "e1", at: jst(t), type: "detected", actor: "contractor", data: { kind: r.pick(KINDS), signs_only: r.chance(0.5), summary: "生成された事案" } }];
  const m = r.int(0, 14);
  for (let i = 0; i < m; i++) {
    t += r.pick([5, 30, 50, 90, 240, 1440, 4320, 43200]) * 60e3 * (r.chance(0.05) ? -1 : 1);
    const type = r.pick(["facts", "facts", "confirmed", "dismissed", "reported_to_principal", "reported_to_principal", "principal_aware",
      "containment_started", "contained", "evidence_preserved", "instruction_received", "subjects_notified", "cause_analyzed",
      "prevention_implemented", "record_submitted", "ppc_preliminary_reported", "ppc_final_reported", "published", "closed"]);
    const data = {};
    const someFields = () => Object.fromEntries(FIELD_KEYS.filter(() => r.chance(0.4)).map((k) => [k, r.chance(0.9) ? `${k}の内容` : ""]));
    const aContract = () => (r.chance(0.6) ? r.pick(contracts).id : undefined);
    switch (type) {
      case "facts":
        for (const k of ["sensitive", "ordinance_sensitive", "financial_damage_risk", "improper_purpose", "encrypted", "my_number", "my_number_system", "public_exposure"]) if (r.chance(0.4)) data[k] = r.chance(0.5);
        if (r.chance(0.6)) data.subjects_count = r.pick([0, 1, 99, 100, 101, 1000, 1200]);
        if (r.chance(0.4)) data.data_items = ["氏名", "住所"];
        if (r.chance(0.3)) data.location = "作業場所";
        break;
      case "reported_to_principal": case "record_submitted":
        data.contract = aContract();
        data.written = r.chance(0.7);
        data.fields = someFields();
        break;
      case "ppc_preliminary_reported": case "ppc_final_reported":
        data.fields = someFields();
        if (r.chance(0.3)) data.principal = r.pick(contracts).principal;
        break;
      case "instruction_received": data.contract = aContract(); data.text = "指示"; if (r.chance(0.5)) data.notify_subjects = r.chance(0.5); break;
      case "principal_aware": data.contract = aContract(); break;
      case "subjects_notified": data.method = r.pick(["individual", "public_notice"]); if (r.chance(0.5)) data.count = r.int(0, 2000); break;
      case "containment_started": case "contained": case "prevention_implemented": if (r.chance(0.8)) data.measures = "措置"; break;
      case "cause_analyzed": if (r.chance(0.8)) data.cause = "原因"; break;
      case "dismissed": data.reason = "誤検知"; break;
      case "published": data.by = r.pick(["principal", "contractor"]); data.names_contractor = r.chance(0.5); break;
      default: break;
    }
    for (const k of Object.keys(data)) if (data[k] === undefined) delete data[k];
    events.push({ id: `e${i + 2}`, at: jst(t), type, actor: r.pick(["contractor", "principal", "ppc", "subject", "other"]), data });
  }
  const rec = { format: "roei/incident@1", id: `GEN-${seed}`, title: `生成 ${seed}`, contracts, events };
  return { rec, start, end: t };
}

test("generated records: statuses identical to the CLI at several instants", () => {
  const states = new Set();
  for (let seed = 1; seed <= 60; seed++) {
    const { rec, start, end } = generate(seed);
    const text = seed % 2 ? JSON.stringify(rec) : JSON.stringify(rec, null, 2);
    const file = join(tmp, `gen-${seed}.json`);
    writeFileSync(file, text);
    for (const at of [jst(start + 30 * 60e3), jst(Math.max(start, end) + 3600e3), jst(Math.max(start, end) + 45 * 86400e3)]) {
      const s = assertParity(file, text, at);
      for (const o of s?.obligations ?? []) states.add(o.status);
    }
  }
  // The generator must reach the interesting states, or the parity above proves little.
  for (const s of ["pending", "overdue", "done", "undetermined", "not_applicable", "waiting"]) assert.ok(states.has(s), `no generated obligation was ${s}`);
});

test("the status document keeps any text the record holds, and no answer shares objects with the next", () => {
  // check's document is built in JS from one text cut by UTF-16 lengths, with each clause's fixed
  // parts kept from the first document that met it (wasm/src/status_doc.rs): text outside the
  // BMP, quotes, backslashes, line separators and tabs in every free-text field must come through
  // unchanged, in check and byte for byte in checkJSON, as the CLI writes them.
  const odd = "😀 \"引用\" \\ \u2028 \t 𝟘é";
  const { rec, start, end } = generate(11);
  rec.id = `INC-${odd}`;
  const renamed = new Map(rec.contracts.map((c) => [c.id, `${c.id}-${odd}`]));
  rec.contracts = rec.contracts.map((c) => ({ ...c, id: renamed.get(c.id), principal: `${c.principal}${odd}` }));
  rec.events = rec.events.map((e, i) => ({ ...e, id: `e${i}-${odd}`, data: e.data.contract ? { ...e.data, contract: renamed.get(e.data.contract) } : e.data }));
  // A report to a contract named by its odd id, and an event out of order (a warning naming it).
  rec.events.push({ id: `late-${odd}`, at: jst(start - 60e3), type: "reported_to_principal", actor: "contractor", data: { contract: rec.contracts[0].id, written: true, fields: { content: odd } } });
  const text = JSON.stringify(rec);
  const file = join(tmp, "odd-text.json");
  writeFileSync(file, text);
  for (const at of [jst(start + 30 * 60e3), jst(Math.max(start, end) + 45 * 86400e3)]) {
    const s = assertParity(file, text, at);
    assert.ok(s, "the CLI accepts the record");
    assert.ok(s.warnings.length > 0 && s.obligations.some((o) => o.contract === rec.contracts[0].id));
    // Changing an answer does not change the next one (each is built afresh).
    const mine = roei.check(text, at);
    for (const o of mine.obligations) { o.label.ja = "x"; o.clause = "y"; o.missing.push("z"); }
    mine.warnings.push({});
    assert.deepEqual(roei.check(text, at), s);
  }
});

test("a policy is applied the same way", () => {
  const policy = join(tmp, "policy.json");
  writeFileSync(policy, JSON.stringify({ format: "roei/policy@1", targets: { immediately: "PT30M", promptly: "P1D", unspecified: "P10D" }, holiday_roll_forward: true }));
  for (let seed = 100; seed < 110; seed++) {
    const { rec, end } = generate(seed);
    const file = join(tmp, `pol-${seed}.json`);
    writeFileSync(file, JSON.stringify(rec));
    assertParity(file, JSON.stringify(rec), jst(end + 7200e3), policy);
  }
});

test("invalid records: the same error as the CLI", () => {
  const base = generate(7).rec;
  const cases = {
    unknown_profile: { ...base, contracts: [{ id: "C1", profile: "atlantis", principal: "X" }] },
    bad_at: { ...base, events: [{ ...base.events[0], at: "2026-11-02 10:15" }] },
    missing_kind: { ...base, events: [{ ...base.events[0], data: {} }] },
    duplicate_id: { ...base, events: [base.events[0], { ...base.events[0], type: "closed" }] },
    wrong_format: { ...base, format: "roei/incident@9" },
    several: { format: "roei/incident@1", contracts: [], events: [] },
    wrong_type: { ...base, events: "none" },
  };
  for (const [name, rec] of Object.entries(cases)) {
    const file = join(tmp, `bad-${name}.json`);
    writeFileSync(file, JSON.stringify(rec));
    assert.equal(assertParity(file, JSON.stringify(rec), "2026-11-02T18:00:00+09:00"), null, `${name} should be invalid`);
  }
  const file = join(tmp, "not-json.json");
  writeFileSync(file, "{\"format\": ");
  assertParity(file, "{\"format\": ", "2026-11-02T18:00:00+09:00");
});

test("checkMany: one entry per record, errors in place", () => {
  const a = generate(3).rec;
  const b = { ...generate(4).rec, contracts: [] };
  const at = "2027-01-01T00:00:00+09:00";
  const out = roei.checkMany([a, JSON.stringify(b), a], at);
  assert.equal(out.length, 3);
  assert.deepEqual(out[0], roei.check(a, at));
  assert.deepEqual(out[2], out[0]);
  assert.equal(out[1].error.code, "missing_field");
  assert.equal(out[1].error.path, "contracts");
  assert.throws(() => roei.checkMany([a], "not a time"), { code: "invalid_value", path: "at" });
  assert.throws(() => roei.checkMany("nope", at), { code: "json" });
});

test("checkManyStates: the states of check, in the same order, errors in place", async () => {
  const at = "2026-11-03T12:00:00+09:00";
  const recs = [...walk(join(ROOT, "examples"))].map((f) => readFileSync(f, "utf8"))
    .filter((t) => { try { return JSON.parse(t).format === "roei/incident@1"; } catch { return false; } });
  assert.ok(recs.length >= 1);
  // Records that do not read, first, among the others and last, each answered in its place; and
  // generated records under every contract profile, in a second batch that reuses the words (ids,
  // states) the first one handed over (wasm/src/status_doc.rs).
  recs.unshift("[]");
  recs.splice(2, 0, JSON.stringify({ format: "roei/incident@1", id: "X", contracts: [{ id: "C", profile: "nowhere", principal: "市" }], events: [] }));
  recs.push("{");
  for (const batch of [recs, [...recs, ...Array.from({ length: 30 }, (_, k) => JSON.stringify(generate(200 + k).rec))]]) {
    const lean = roei.checkManyStates(batch, at);
    assert.equal(lean.length, batch.length);
    batch.forEach((t, i) => {
      let full;
      try { full = roei.check(t, at).obligations.map((o) => [o.obligation, o.status]); } catch (e) { full = { error: { code: e.code, path: e.path } }; }
      const got = lean[i].error ? { error: { code: lean[i].error.code, path: lean[i].error.path } } : lean[i];
      assert.deepEqual(got, full, `record ${i}`);
    });
    assert.deepEqual([lean[0].error.code, lean[2].error.code, lean[batch.indexOf("{")].error.code], ["json", "unknown_profile", "json"]);
  }
});

test("roei/fast (the engine built for speed) answers exactly as the engine: examples, generated records, errors", async () => {
  const fast = await import(join(ROOT, "wasm", "pkg", "roei_fast.js"));
  fast.initSync({ module: readFileSync(join(ROOT, "wasm", "pkg", "roei_fast_bg.wasm")) });
  const texts = [...walk(join(ROOT, "examples"))].map((f) => readFileSync(f, "utf8"))
    .filter((t) => { try { return JSON.parse(t).format === "roei/incident@1"; } catch { return false; } });
  for (let seed = 1; seed <= 60; seed++) texts.push(JSON.stringify(generate(seed).rec));
  texts.push("{", JSON.stringify({ format: "roei/incident@1", id: "X", contracts: [{ id: "C", profile: "nowhere", principal: "市" }], events: [] }));
  let compared = 0;
  for (const at of ["2026-11-02T10:30:00+09:00", "2026-11-03T12:00:00+09:00", "2027-03-01T00:00:00+09:00"]) {
    assert.deepEqual(fast.checkMany(texts, at), roei.checkMany(texts, at), `checkMany at ${at}`);
    assert.deepEqual(fast.checkManyStates(texts, at), roei.checkManyStates(texts, at), `checkManyStates at ${at}`);
    for (const t of texts) {
      let a, b;
      try { a = roei.checkJSON(t, at); } catch (e) { a = { code: e.code, path: e.path, message: e.message }; }
      try { b = fast.checkJSON(t, at); } catch (e) { b = { code: e.code, path: e.path, message: e.message }; }
      assert.deepEqual(b, a);
      compared++;
    }
  }
  assert.ok(compared > 150);
});

test("roei/fast's record arena (wasm/src/record_arena.rs): records beyond the arena, bad records between them and long batches answer as the engine, and memory stays bounded", async () => {
  const fast = await import(join(ROOT, "wasm", "pkg", "roei_fast.js"));
  const instance = fast.initSync({ module: readFileSync(join(ROOT, "wasm", "pkg", "roei_fast_bg.wasm")) });
  const at = "2026-11-20T12:00:00+09:00";
  // A record whose text alone (about 720 KB of UTF-8) is more than the arena's 256 KB: the rest of
  // its temporaries go to std's allocator, and the records after it use the arena again.
  const big = generate(7).rec;
  let t = Date.parse(big.events.at(-1).at) + 60e3;
  for (let i = 0; i < 6; i++, t += 60e3) {
    big.events.push({ id: `big${i}`, at: jst(t), type: "instruction_received", actor: "principal", data: { text: "指示".repeat(20000) } });
  }
  const texts = [];
  for (let seed = 1; seed <= 40; seed++) {
    texts.push(JSON.stringify(generate(seed).rec));
    if (seed % 10 === 0) texts.push(JSON.stringify(big), "{", "[1,2", JSON.stringify({ ...big, id: `BIG-${seed}` }));
  }
  assert.ok(JSON.stringify(big).length > 240_000);
  const want = roei.checkManyStates(texts, at);
  assert.ok(want.filter((x) => x.error).length === 8 && want.filter((x) => !x.error).length === 48);
  assert.deepEqual(fast.checkManyStates(texts, at), want);
  // 5,000 records per batch: after the first batches the instance's memory does not grow.
  const small = texts.filter((x) => x.length < 10_000);
  const batch = Array.from({ length: 5000 }, (_, i) => small[i % small.length]);
  fast.checkManyStates(batch, at);
  fast.checkManyStates(batch, at);
  const settled = instance.memory.buffer.byteLength;
  for (let k = 0; k < 8; k++) assert.equal(fast.checkManyStates(batch, at).length, 5000);
  assert.equal(instance.memory.buffer.byteLength, settled);
  assert.deepEqual(fast.checkManyStates(texts, at), want);
});
