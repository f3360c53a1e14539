// <roei-incident> in real incident work (issue 13), in Chromium on the demo page: export after
// appends (no handler keeps a freed Incident), importing over an open incident (asks, keeps the
// replaced record, undo).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { serve } from "../../web-demo/serve.mjs";
import { forgetRecords, launch, storedRecord, watchedPage } from "./browser.mjs";
import { ROOT } from "./helpers.mjs";

let server, browser, page;
const problems = [];
const dialogs = []; // [type, message] of every dialog; answered by `answer`
let answer = "dismiss";

before(async () => {
  server = await serve(0);
  browser = await launch();
  page = await watchedPage(browser, problems);
  page.on("dialog", (d) => { dialogs.push([d.type(), d.message()]); (answer === "accept" ? d.accept() : d.dismiss()).catch(() => {}); });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const widget = () => page.locator("roei-incident");
const EXAMPLE = JSON.parse(readFileSync(join(ROOT, "examples", "nagaoka-usb-loss.json"), "utf8"));
/** The example's first `n` events, as a record text. */
const firstEvents = (n, patch = {}) => JSON.stringify({ ...EXAMPLE, ...patch, events: EXAMPLE.events.slice(0, n) });
const importText = (text) => widget().locator("input[type=file]").first().setInputFiles({ name: "r.json", mimeType: "application/json", buffer: Buffer.from(text) });
const shown = () => page.evaluate(async () => { const w = document.querySelector("roei-incident"); await w.settled; return w.record; });
const other = () => widget().locator("section", { has: page.getByRole("heading", { name: "その他の記録" }) });

/** A fresh page with nothing stored, then `text` imported through the registration form. */
async function startWith(text) {
  await page.goto(server.url);
  await page.waitForSelector("roei-incident[ready]");
  await forgetRecords(page);
  await page.reload();
  await page.waitForSelector("roei-incident[ready]");
  await importText(text);
  await widget().locator("li.card").first().waitFor();
}

async function appendOther(type, note) {
  const before = JSON.parse(await shown()).events.length;
  await other().getByLabel("種類").selectOption(type);
  await other().getByLabel("内容").fill(note);
  await other().getByRole("button", { name: "記録する" }).click();
  await page.waitForFunction((n) => JSON.parse(document.querySelector("roei-incident").record).events.length === n, before + 1);
}

test("13.1 export after appends: the downloaded file is the stored record; every tool still works", async () => {
  await startWith(firstEvents(1));
  await appendOther("evidence_preserved", "USBメモリの保管記録を保全");
  await appendOther("containment_started", "作業場所の捜索");
  const stored = await storedRecord(page);
  assert.equal(JSON.parse(stored).events.length, 3);
  const [download] = await Promise.all([
    page.waitForEvent("download", { timeout: 5000 }),
    widget().getByRole("button", { name: "JSON書き出し" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `${EXAMPLE.id}.json`);
  assert.equal(readFileSync(await download.path(), "utf8"), stored, "exported = stored, byte for byte");
  // Every other handler after one more append: ICS, preview, timeline, export again.
  await appendOther("evidence_preserved", "ログの保全");
  const [ics] = await Promise.all([page.waitForEvent("download", { timeout: 5000 }), widget().getByRole("button", { name: "カレンダー(ICS)" }).click()]);
  assert.match(readFileSync(await ics.path(), "utf8"), /^BEGIN:VCALENDAR/);
  await widget().getByRole("button", { name: "報告書プレビュー" }).click();
  await widget().locator(".preview").getByText(/個人情報事故報告書/).first().waitFor();
  await widget().getByRole("button", { name: "時系列図" }).click();
  await widget().locator("section.timeline img").waitFor();
  const [again] = await Promise.all([page.waitForEvent("download", { timeout: 5000 }), widget().getByRole("button", { name: "JSON書き出し" }).click()]);
  assert.equal(readFileSync(await again.path(), "utf8"), await storedRecord(page));
  assert.deepEqual(problems, []);
});

test("13.2 importing over an open incident asks first; the replaced record is kept and comes back with undo", async () => {
  await startWith(firstEvents(2));
  const original = await storedRecord(page);
  const other = firstEvents(1, { id: "INC-OTHER", title: "別の事案" });
  // Declined: nothing changes.
  answer = "dismiss";
  dialogs.length = 0;
  await importText(other);
  await page.waitForTimeout(300);
  assert.equal(dialogs.length, 1, "a confirmation was asked");
  assert.equal(dialogs[0][0], "confirm");
  assert.match(dialogs[0][1], /置き換え/);
  assert.equal(await storedRecord(page), original);
  assert.equal(await shown(), original);
  // Accepted: replaced, and the old record kept in the store.
  answer = "accept";
  await importText(other);
  await widget().locator("header h2").getByText("別の事案").waitFor();
  assert.equal(JSON.parse(await storedRecord(page)).id, "INC-OTHER");
  const kept = await page.evaluate(() => new Promise((ok) => {
    const q = indexedDB.open("roei", 1);
    q.onsuccess = () => { const r = q.result.transaction("records").objectStore("records").getAll(); r.onsuccess = () => { ok(r.result); q.result.close(); }; };
  }));
  assert.ok(kept.includes(original), "the replaced record is still in the store");
  // Undo brings it back.
  await widget().getByRole("button", { name: "元に戻す" }).click();
  await widget().locator("header h2").getByText(EXAMPLE.title).waitFor();
  assert.equal(await storedRecord(page), original);
  assert.equal(await shown(), original);
  // 新しい事案 keeps the record too (confirmed), it does not delete it.
  dialogs.length = 0;
  await widget().getByRole("button", { name: "新しい事案" }).click();
  await widget().getByRole("heading", { name: "事案の登録" }).waitFor();
  assert.equal(dialogs.length, 1);
  assert.equal(await storedRecord(page), null);
  const all = await page.evaluate(() => new Promise((ok) => {
    const q = indexedDB.open("roei", 1);
    q.onsuccess = () => { const r = q.result.transaction("records").objectStore("records").getAll(); r.onsuccess = () => { ok(r.result); q.result.close(); }; };
  }));
  assert.ok(all.includes(original), "the closed incident's record is kept");
  answer = "dismiss";
  assert.deepEqual(problems, []);
});

test("16.10 the elements' API: classes with define(), #private state, reflected attributes, typed events, as the manifest says", async () => {
  await startWith(firstEvents(1));
  const manifest = JSON.parse(readFileSync(join(ROOT, "web-demo", "custom-elements.json"), "utf8"));
  const incident = manifest.modules.find((m) => m.path === "roei-incident.js").declarations.find((d) => d.tagName === "roei-incident");
  const got = await page.evaluate(async (attrs) => {
    const mod = await import(new URL("pkg/roei-incident.js", location.href).href);
    const el = document.querySelector("roei-incident");
    const out = {
      cls: mod.RoeiIncidentElement === customElements.get("roei-incident") && el instanceof mod.RoeiIncidentElement,
      define: mod.RoeiIncidentElement.define() === mod.RoeiIncidentElement,
      internals: ["inc", "store", "head", "status", "commit", "render"].filter((k) => k in el),
      reflected: {},
    };
    for (const a of attrs.filter((x) => x.fieldName)) {
      const before = el.getAttribute(a.name);
      el[a.fieldName] = a.name === "party" ? "principal" : "x-test";
      out.reflected[a.name] = el.getAttribute(a.name);
      if (before === null) el.removeAttribute(a.name); else el.setAttribute(a.name, before);
    }
    // The change event is typed: a RoeiChangeEvent carrying the record.
    const seen = new Promise((ok) => el.addEventListener("roei-change", (e) => ok({ typed: e instanceof mod.RoeiChangeEvent, same: e.record === el.record && e.detail.record === e.record }), { once: true }));
    const form = [...el.shadowRoot.querySelectorAll("section")].find((s) => s.querySelector("h3")?.textContent === "その他の記録").querySelector("form");
    form.querySelector("[name=type]").value = "evidence_preserved";
    form.querySelector("[name=note]").value = "型付きイベント";
    form.requestSubmit();
    out.change = await seen;
    return out;
  }, incident.attributes);
  assert.equal(got.cls, true);
  assert.equal(got.define, true);
  assert.deepEqual(got.internals, [], "no internal state on the element");
  assert.deepEqual(got.reflected, { "storage-key": "x-test", policy: "x-test", party: "principal" });
  assert.deepEqual(got.change, { typed: true, same: true });
  // The package carries the manifest of what it holds, named in its package.json.
  const pkg = JSON.parse(readFileSync(join(ROOT, "wasm", "pkg", "package.json"), "utf8"));
  assert.equal(pkg.customElements, "custom-elements.json");
  const built = JSON.parse(readFileSync(join(ROOT, "wasm", "pkg", "custom-elements.json"), "utf8"));
  assert.deepEqual(built.modules.map((m) => m.path), ["roei-incident.js"]);
  assert.deepEqual(problems, []);
});
