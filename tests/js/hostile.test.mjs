// Hostile input in the browser. A corpus of XSS payloads is put into every free-text field of a record
// (docs/FORMATS.md: title, summary, measures, cause, reason, text, what, url, fields.* values, contract
// ids, principal and contractor names) and
//   (a) imported into <roei-incident> through its own JSON import, every view rendered (obligations,
//       facts and other forms, the event log, report preview, timeline, both languages), once under
//       the strict CSP the demo portal sends and once with no CSP at all (so that a payload which
//       became markup would really run and set window.__xss, not merely be blocked);
//   (b) rendered by the CLI (`roei report --format html` for every kind and language, `roei timeline`),
//       each file loaded in Chromium from file:// as written and with its CSP <meta> removed;
//   (c) fed over the size and depth limits from JS, which must fail with a RoeiError carrying `code`
//       and `path` and leave the widget working.
// Every check asserts: window.__xss unset, no dialog, no page error / console error / CSP violation,
// no element or attribute that could run script in the DOM, and the payload present as text.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { serve } from "../../web-demo/serve.mjs";
import { launch } from "./browser.mjs";
import { ROOT, runCli } from "./helpers.mjs";

/** The XSS payloads of the shared corpus (tests/hostile-corpus.json; the Rust tests read it too). */
const PAYLOADS = JSON.parse(readFileSync(join(ROOT, "tests", "hostile-corpus.json"), "utf8")).xss;
/** Every payload at once (one string), for the fields' combined pass. */
const ALL = PAYLOADS.join(" ¦ ");
/** A very long string (~180 KB of UTF-8), within the 256 KiB per-event limit. */
const LONG = "長".repeat(60000);
const JS_URL = "javascript:window.__xss=1";
const AT = "2026-11-20T12:00:00+09:00";

/** A valid record with `P` in every free-text field; `url` for the first publication, `long` appended to two fields. */
function hostileRecord(P, { url = P, long = "" } = {}) {
  const C = `C-${P}`;
  const PR = `市-${P}`;
  const at = (m) => `2026-11-02T${String(10 + Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}:00+09:00`;
  const ppc = { summary: P, data_items: P, subjects_count: P, cause: P, secondary_damage: P, subject_response: P, publication_status: P, prevention: P, other: P };
  const ev = (i, type, actor, data) => ({ id: `e${i}`, at: at(i * 5), type, actor, data });
  return {
    format: "roei/incident@1", id: `INC-${P}`.slice(0, 200), title: P + long,
    contracts: [{ id: C, profile: "nagaoka", principal: PR, contractor: `社-${P}` }],
    events: [
      ev(1, "detected", "contractor", { kind: "leak", signs_only: true, summary: P }),
      ev(2, "confirmed", "contractor", { summary: P }),
      ev(3, "containment_started", "contractor", { measures: P }),
      ev(4, "evidence_preserved", "contractor", { what: P + long }),
      ev(5, "instruction_received", "principal", { contract: C, text: P }),
      ev(6, "reported_to_principal", "contractor", { contract: C, written: true, fields: { content: P, count: P, location: P, circumstances: P, ...ppc } }),
      ev(7, "facts", "contractor", { data_items: [P, `${P}2`], location: P, circumstances: P, subjects_count: 1200, sensitive: true, my_number: false }),
      ev(8, "contained", "contractor", { measures: P }),
      ev(9, "cause_analyzed", "contractor", { cause: P }),
      ev(10, "prevention_implemented", "contractor", { measures: P }),
      ev(11, "record_submitted", "contractor", { contract: C, written: true, fields: { summary: P, cause: P, prevention: P } }),
      ev(12, "ppc_preliminary_reported", "principal", { principal: PR, fields: ppc }),
      ev(13, "published", "principal", { by: "principal", url }),
      ev(14, "published", "contractor", { by: "contractor", url: P, names_contractor: true }),
      ev(15, "principal_aware", "principal", { contract: C }),
      ev(16, "dismissed", "contractor", { reason: P }),
    ],
  };
}

// Runs in the page: every element (through open shadow roots) that could run script or load
// something the payload named. `root` is the widget's shadow root, or the document.
function scanDom(which) {
  const root = which === "widget" ? document.querySelector("roei-incident").shadowRoot : document.documentElement;
  const bad = [];
  const BAD = new Set(["script", "iframe", "frame", "frameset", "object", "embed", "math", "mglyph", "mtext", "base"]);
  const walk = (node) => {
    for (const el of node.querySelectorAll("*")) {
      const tag = el.localName;
      if (BAD.has(tag)) bad.push(`<${tag}>`);
      if (which !== "widget" && tag === "details") bad.push("<details>");
      if (which === "widget" && (tag === "svg" || tag === "style")) bad.push(`<${tag}> in the widget`);
      if (tag === "img" && !/^(blob|data):/.test(el.getAttribute("src") ?? "")) bad.push(`<img src=${el.getAttribute("src")}>`);
      for (const a of el.attributes) {
        if (/^on/i.test(a.name)) bad.push(`<${tag} ${a.name}>`);
        if (a.name === "srcdoc" || a.name === "autofocus" && which !== "widget") bad.push(`<${tag} ${a.name}>`);
        if (/^\s*(javascript|vbscript|data:text\/html)/i.test(a.value) && a.name !== "value") bad.push(`<${tag} ${a.name}=${a.value.slice(0, 30)}>`);
      }
      if (el.shadowRoot) walk(el.shadowRoot);
    }
  };
  walk(root);
  return { bad, xss: window.__xss ?? null, text: root.textContent };
}

let server;
let browser;
let tmp;
const problems = [];
const dialogs = [];
let confirmExpected = false; // the widget's own "new incident?" confirm, opened by the test

function watch(page, tag) {
  page.on("pageerror", (e) => problems.push(`${tag} pageerror: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`${tag} console: ${m.text().slice(0, 300)}`); });
  page.on("dialog", (d) => {
    if (confirmExpected && d.type() === "confirm") { confirmExpected = false; d.accept().catch(() => {}); return; }
    dialogs.push(`${tag} ${d.type()}: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  return page;
}

before(async () => {
  server = await serve(0);
  browser = await launch();
  tmp = mkdtempSync(join(tmpdir(), "roei-hostile-"));
  // Any CSP violation in any page (widget or report) becomes a console error, hence a problem.
  await browser.context.addInitScript(() => document.addEventListener("securitypolicyviolation",
    (e) => console.error(`CSP ${e.violatedDirective} ${e.blockedURI} ${e.sample ?? ""}`)));
  // The demo portal without any CSP, header or <meta>: here a payload that became markup would run.
  const index = readFileSync(join(ROOT, "web-demo", "index.html"), "utf8").replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/, "");
  assert.ok(!index.includes("Content-Security-Policy"));
  await browser.context.route(`${server.url}nocsp.html`, (route) => route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: index }));
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function assertClean(r, where) {
  assert.equal(r.xss, null, `${where}: a payload ran (window.__xss set)`);
  assert.deepEqual(r.bad, [], `${where}: payload became markup`);
  assert.deepEqual(dialogs, [], `${where}: a dialog opened`);
  assert.deepEqual(problems, [], `${where}: errors`);
}

const W = (page) => page.locator("roei-incident");

async function openWidget(path, tag) {
  const page = watch(await browser.context.newPage(), tag);
  await page.goto(server.url + path);
  await page.waitForSelector("roei-incident[ready]");
  return page;
}

/** Imports `rec` through the widget's "JSON読み込み" file input and waits until it is drawn. */
async function importRecord(page, rec) {
  await page.evaluate(() => { document.querySelector("roei-incident").shadowRoot.querySelector("[role=status]").textContent = ""; });
  // Replacing an open incident asks first (the replaced record is kept).
  confirmExpected = (await W(page).locator("li.card").count()) > 0;
  await W(page).locator("input[type=file]").setInputFiles({ name: "hostile.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(rec)) });
  await page.waitForFunction(() => document.querySelector("roei-incident").shadowRoot.querySelector("[role=status]").textContent !== "");
  assert.equal(await W(page).locator("[role=status]").textContent(), "読み込みました。");
  assert.equal(confirmExpected, false, "the replace was confirmed");
  assert.equal(await W(page).locator("header h2").textContent(), rec.title, "the title, as text");
}

/** Every view of the widget: obligations and forms (drawn on import), report preview, timeline, English. */
async function renderViews(page, rec, where, { english = true } = {}) {
  await W(page).locator("li.card").first().waitFor();
  assert.equal(await W(page).locator("header h2").isVisible(), true);
  await W(page).getByRole("button", { name: "報告書プレビュー" }).click();
  await W(page).locator(".preview").getByText(/個人情報事故報告書/).first().waitFor();
  await W(page).getByRole("button", { name: "時系列図" }).click();
  await page.waitForFunction(() => { const img = document.querySelector("roei-incident").shadowRoot.querySelector("section.timeline img"); return img?.complete && img.naturalWidth > 0; });
  let r = await page.evaluate(scanDom, "widget");
  assertClean(r, `${where} (ja)`);
  if (english) {
    await W(page).getByRole("button", { name: "English" }).click();
    await W(page).getByRole("heading", { name: "Response steps (obligations)" }).waitFor();
    await W(page).getByRole("button", { name: "Report preview" }).click();
    await W(page).locator(".preview").getByText(/report/i).first().waitFor();
    r = await page.evaluate(scanDom, "widget");
    assertClean(r, `${where} (en)`);
    await W(page).getByRole("button", { name: "日本語" }).click();
    await W(page).getByRole("heading", { name: "対応の手順（義務）" }).waitFor();
  }
  // Delayed handlers (onerror after a failed load, ontoggle, onfocus) would have fired by now.
  await page.waitForTimeout(150);
  r = await page.evaluate(scanDom, "widget");
  assertClean(r, where);
  return r;
}

test("(a) every payload in every field, imported into the widget: rendered as text, never run", async () => {
  for (const [path, tag] of [["nocsp.html", "no-CSP"], ["", "strict CSP"]]) {
    const page = await openWidget(path, tag);
    // All payloads at once, with very long text, and a javascript: URL.
    const rec = hostileRecord(ALL, { url: JS_URL, long: LONG });
    await importRecord(page, rec);
    const r = await renderViews(page, rec, `${tag} all payloads`);
    // Visible as text: the title exactly, each payload in the views (log, cards, header, preview).
    assert.equal(await page.evaluate(() => document.querySelector("roei-incident").shadowRoot.querySelector("header h2").textContent), rec.title);
    for (const p of PAYLOADS) assert.ok(r.text.includes(p), `${tag}: payload not shown as text: ${p}`);
    for (const v of [rec.id, rec.contracts[0].id, rec.contracts[0].principal, JS_URL]) assert.ok(r.text.includes(v), `${tag}: ${v.slice(0, 40)} not shown`);
    // The preview is the Markdown report shown as text, so its payloads appear Markdown-escaped (&lt; \\_).
    await W(page).getByRole("button", { name: "報告書プレビュー" }).click();
    const preview = await W(page).locator(".preview").textContent();
    assert.ok(preview.includes("社-&lt;script&gt;window.\\_\\_xss=1&lt;/script&gt;"), "contractor name in the report preview");
    assert.equal(await W(page).locator("a[href]").count(), 0, "no link is made from a url field");

    // The widget's forms take hostile text too: a payload typed into "other records", with the hostile contract chosen.
    const other = W(page).locator("section", { has: page.getByRole("heading", { name: "その他の記録" }) });
    await other.getByLabel("種類").selectOption("instruction_received");
    await other.getByLabel("契約").selectOption(rec.contracts[0].id);
    await other.getByLabel("内容").fill(PAYLOADS[1] + PAYLOADS[8]);
    await other.getByRole("button", { name: "記録する" }).click();
    await W(page).locator("table.log tbody tr").nth(16).getByText(PAYLOADS[1] + PAYLOADS[8]).waitFor();
    // And a pending obligation's own form, when one is shown: every text box filled with a payload.
    const form = W(page).locator("li.card form").first();
    if (await form.count()) {
      const boxes = form.locator("input[type=text], textarea");
      for (let i = 0; i < await boxes.count(); i++) await boxes.nth(i).fill(PAYLOADS[(i + 2) % PAYLOADS.length]);
      if (await form.getByRole("button", { name: "記録する" }).isEnabled()) {
        confirmExpected = true; // a report to the PPC is recorded after a confirmation (its text shows the payloads as text)
        await form.getByRole("button", { name: "記録する" }).click();
        await W(page).locator("table.log tbody tr").nth(17).waitFor();
        confirmExpected = false;
      }
    }
    await page.waitForTimeout(150);
    assertClean(await page.evaluate(scanDom, "widget"), `${tag} after typing payloads`);
    // Reload: the stored hostile record is drawn again from IndexedDB.
    await page.reload();
    await page.waitForSelector("roei-incident[ready]");
    await W(page).locator("table.log tbody tr").nth(16).waitFor();
    await page.waitForTimeout(100);
    assertClean(await page.evaluate(scanDom, "widget"), `${tag} after reload`);
    await page.close();
  }
});

test("(a) each payload alone in every field, without CSP: nothing runs", async () => {
  const page = await openWidget("nocsp.html", "no-CSP single");
  for (const [i, p] of PAYLOADS.entries()) {
    const rec = hostileRecord(p, { url: i % 2 ? JS_URL : p });
    await importRecord(page, rec);
    const r = await renderViews(page, rec, `payload ${i}`, { english: i === 0 });
    assert.ok(r.text.includes(p), `payload ${i} not shown as text`);
  }
  // The widget's own setup form: the payloads typed in by a user, then the incident started.
  confirmExpected = true;
  await W(page).getByRole("button", { name: "新しい事案" }).click();
  await W(page).getByRole("heading", { name: "事案の登録" }).waitFor();
  await W(page).getByLabel(/^nagaoka — /).check();
  await W(page).getByLabel("事案番号").fill(`INC-${PAYLOADS[0]}`);
  await W(page).getByLabel("件名").fill(ALL);
  const block = W(page).locator(".contract:not([hidden])");
  await block.getByLabel("契約番号").fill(PAYLOADS[1]);
  await block.getByLabel("委託者").fill(PAYLOADS[2]);
  await block.getByLabel("受託者").fill(PAYLOADS[9]);
  await W(page).getByLabel("概要").fill(PAYLOADS[12]);
  await W(page).getByRole("button", { name: "事案を開始" }).click();
  await W(page).locator("table.log tbody tr").first().waitFor();
  assert.equal(await W(page).locator("header h2").textContent(), ALL, "the typed title, as text");
  await renderViews(page, { title: ALL }, "setup form", { english: false });
  await page.close();
});

/** Writes the CLI's documents for `rec`: each kind in each language given, as HTML, and the timeline SVG. */
function cliDocuments(rec, name, langsOf = () => ["ja", "en"]) {
  // langsOf(kindIndex): the languages to render that kind in ([] skips it).
  const file = join(tmp, `${name}.json`);
  writeFileSync(file, JSON.stringify(rec));
  const out = [];
  for (const [i, kind] of ["principal", "record", "ppc-preliminary", "ppc-final", "subjects"].entries()) {
    for (const lang of langsOf(i)) {
      const r = runCli(["report", file, "--kind", kind, "--format", "html", "--lang", lang, "--at", AT]);
      assert.equal(r.code, 0, `${name} ${kind} ${lang}: ${r.stderr}`);
      out.push({ name: `${name}.${kind}.${lang}.html`, body: r.stdout });
    }
  }
  const t = runCli(["timeline", file, "--at", AT]);
  assert.equal(t.code, 0, t.stderr);
  out.push({ name: `${name}.timeline.svg`, body: t.stdout });
  return out;
}

/** Every file to load: each document without its CSP <meta> and, when `withCsp`, as written too. */
function variants(docs, P, withCsp) {
  const out = [];
  for (const d of docs) {
    const stripped = d.body.replace(/<meta http-equiv="Content-Security-Policy"[^>]*>/i, "");
    out.push({ file: join(tmp, `nocsp.${d.name}`), body: stripped, what: `${d.name} without CSP`, P });
    if (withCsp && stripped !== d.body) out.push({ file: join(tmp, d.name), body: d.body, what: d.name, P });
  }
  return out;
}

/** Loads each file from file:// in one of `pages` (in parallel) and checks it. */
async function checkFiles(pages, files) {
  const queue = [...files];
  await Promise.all(pages.map(async (page) => {
    for (let v = queue.shift(); v; v = queue.shift()) {
      writeFileSync(v.file, v.body);
      await page.goto(pathToFileURL(v.file).href, { waitUntil: "load" });
      // Delayed handlers (onerror after a failed load, ontoggle, onfocus) get a moment to fire.
      const r = await page.evaluate(async (which) => { await new Promise((ok) => setTimeout(ok, 30)); return which; }, "document").then(() => page.evaluate(scanDom, "document"));
      assertClean(r, v.what);
      // Visible as text, with bidirectional controls shown as their flag `[U+202E]` (report/escape.rs:
      // a report shows that the record holds one rather than letting it reorder the text). The SVG
      // shortens long labels, so there only a prefix is required.
      const flagged = v.P.replace(/[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, (c) => `[U+${c.codePointAt(0).toString(16).toUpperCase().padStart(4, "0")}]`);
      const want = v.file.endsWith(".svg") ? flagged.slice(0, 12) : flagged;
      assert.ok(r.text.includes(want), `${v.what}: payload missing from the text: ${want.slice(0, 60)}`);
    }
  }));
}

test("(b) the CLI's HTML reports and timeline SVG, loaded in Chromium, run no payload", async () => {
  const pages = [];
  for (let i = 0; i < 3; i++) pages.push(watch(await browser.context.newPage(), `cli${i}`));
  // Every payload together with a javascript: URL: every kind, both languages, with and without the CSP <meta>.
  const files = variants(cliDocuments(hostileRecord(ALL, { url: JS_URL, long: LONG }), "all"), ALL, true);
  // Each payload alone (a renderer may treat a lone payload differently from a mixed string): one
  // report kind per payload, the kinds and languages rotating (each kind gets three payloads), and the timeline.
  for (const [i, p] of PAYLOADS.entries()) {
    const only = (k) => (k === i % 5 ? [i % 2 ? "en" : "ja"] : []);
    files.push(...variants(cliDocuments(hostileRecord(p, { url: i % 2 ? JS_URL : p }), `p${i}`, only), p, false));
  }
  await checkFiles(pages, files);
  for (const p of pages) await p.close();
});

test("(c) over the size and depth limits from JS: RoeiError with code and path, widget still alive", async () => {
  const page = await openWidget("", "limits");
  // Start from a known incident so the widget has a state to keep.
  const good = readFileSync(join(ROOT, "examples", "nagaoka-usb-loss.json"), "utf8");
  await importRecord(page, JSON.parse(good));
  const errors = await page.evaluate(async (AT) => {
    // The widget's own module instance: same URL, so the same WASM memory the widget uses.
    const roei = await import(new URL("/pkg/roei_wasm.js", location.href).href);
    const base = { format: "roei/incident@1", id: "I", contracts: [{ id: "C", profile: "nagaoka", principal: "P" }], events: [] };
    let nested = "1";
    for (let i = 0; i < 40; i++) nested = `[${nested}]`;
    const deepEvent = `{"id":"e1","at":"${AT}","type":"facts","actor":"contractor","data":{"x":${nested}}}`;
    let deepObj = {};
    for (let i = 0; i < 100000; i++) deepObj = { a: deepObj };
    const out = {};
    const run = (name, f) => {
      try { f(); out[name] = "no error"; } catch (e) {
        out[name] = { isError: e instanceof Error, name: e.name, code: e.code, path: e.path, message: String(e.message).slice(0, 200) };
      }
    };
    const inc = roei.Incident.fromJSON(base);
    run("fromJSON record over 8 MiB", () => roei.Incident.fromJSON(JSON.stringify({ ...base, title: "x".repeat(9 << 20) })));
    run("check record over 8 MiB", () => roei.check(" ".repeat(9 << 20), AT));
    run("fromJSON deep event", () => roei.Incident.fromJSON(`{"format":"roei/incident@1","id":"I","contracts":[{"id":"C","profile":"nagaoka","principal":"P"}],"events":[${deepEvent}]}`));
    run("check deep event", () => roei.check({ ...base, events: [JSON.parse(deepEvent)] }, AT));
    run("append deep event (text)", () => inc.append(deepEvent, AT));
    run("append deep event (object)", () => inc.append(JSON.parse(deepEvent), AT));
    run("append 100000-deep object", () => inc.append({ id: "e1", at: AT, type: "facts", actor: "contractor", data: deepObj }, AT));
    run("fromJSON 100000-deep object", () => roei.Incident.fromJSON({ ...base, events: [{ id: "e1", at: AT, type: "facts", actor: "contractor", data: deepObj }] }));
    run("append event over 256 KiB", () => inc.append({ id: "e1", at: AT, type: "facts", actor: "contractor", data: { x: "y".repeat(300 * 1024) } }, AT));
    run("check 200000 brackets", () => roei.check("[".repeat(200000), AT));
    out["checkEvent deep event"] = inc.checkEvent(deepEvent);
    out.eventCount = inc.eventCount;
    out.stillChecks = roei.check(base, AT).incident;
    inc.free();
    return out;
  }, AT);
  const expect = {
    "fromJSON record over 8 MiB": ["too_large", ""], "check record over 8 MiB": ["too_large", ""],
    "fromJSON deep event": ["invalid_value", "events[0]"], "check deep event": ["invalid_value", "events[0]"],
    "append deep event (text)": ["invalid_value", "event"], "append deep event (object)": ["invalid_value", "event"],
    // Over-deep JS objects: "json" when serialising them overflows the stack, else refused by the
    // reader's depth limit ("invalid_value", nested more than 128 levels) before anything is built.
    // Which of the three depends on the JS engine's stack.
    "append 100000-deep object": [["json", "too_large", "invalid_value"], null], "fromJSON 100000-deep object": [["json", "too_large", "invalid_value"], null],
    "append event over 256 KiB": ["too_large", "event"], "check 200000 brackets": ["invalid_value", null],
  };
  for (const [name, [code, path]] of Object.entries(expect)) {
    const e = errors[name];
    assert.equal(typeof e, "object", `${name}: ${e}`);
    assert.equal(e.isError, true, name);
    assert.equal(e.name, "RoeiError", name);
    if (Array.isArray(code)) assert.ok(code.includes(e.code), `${name}: ${e.code} ${e.message}`);
    else assert.equal(e.code, code, `${name}: ${e.message}`);
    assert.equal(typeof e.path, "string", `${name}: no path`);
    if (path !== null) assert.equal(e.path, path, name);
    assert.ok(e.message.length > 0, name);
    if (e.code !== "json") assert.match(e.message, /over the limit|nested more than 128 levels deep/, name);
  }
  assert.equal(errors["checkEvent deep event"].code, "invalid_value");
  assert.equal(errors["checkEvent deep event"].path, "event");
  assert.equal(errors.eventCount, 0, "refused appends leave the incident as it was");
  assert.equal(errors.stillChecks, "I");

  // The same through the widget's import: an error is announced, the shown incident is unchanged.
  const live = W(page).locator("[role=status]");
  confirmExpected = true; // replacing the open incident asks first
  await W(page).locator("input[type=file]").setInputFiles({ name: "big.json", mimeType: "application/json",
    buffer: Buffer.from(JSON.stringify({ ...JSON.parse(good), title: "x".repeat(9 << 20) })) });
  await page.waitForFunction(() => /over the limit/.test(document.querySelector("roei-incident").shadowRoot.querySelector("[role=status]").textContent));
  assert.match(await live.textContent(), /^エラー: .*input is \d+ bytes, over the limit of 8388608/);
  const deepRec = JSON.parse(good);
  let nested = 1;
  for (let i = 0; i < 40; i++) nested = [nested];
  deepRec.events.push({ id: "e8", at: AT, type: "facts", actor: "contractor", data: { x: nested } });
  confirmExpected = true;
  await W(page).locator("input[type=file]").setInputFiles({ name: "deep.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(deepRec)) });
  await page.waitForFunction(() => /nested \d+ levels deep/.test(document.querySelector("roei-incident").shadowRoot.querySelector("[role=status]").textContent));
  assert.match(await live.textContent(), /\(events\[7\]\)$/);
  assert.equal(await W(page).locator("header h2").textContent(), JSON.parse(good).title);

  // Still alive: it records a new event, draws it, and it survives a reload.
  const other = W(page).locator("section", { has: page.getByRole("heading", { name: "その他の記録" }) });
  await other.getByLabel("種類").selectOption("evidence_preserved");
  await other.getByLabel("内容").fill("限界試験の後も動作");
  await other.getByRole("button", { name: "記録する" }).click();
  await W(page).locator("table.log").getByText("限界試験の後も動作").waitFor();
  await W(page).getByRole("button", { name: "時系列図" }).click();
  await W(page).locator("section.timeline img").waitFor();
  await page.reload();
  await page.waitForSelector("roei-incident[ready]");
  await W(page).locator("table.log").getByText("限界試験の後も動作").waitFor();
  assert.deepEqual(problems, []);
  assert.deepEqual(dialogs, []);
  await page.close();
});
