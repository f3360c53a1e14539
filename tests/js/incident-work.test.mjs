// <roei-incident> in real incident work (issue 13), in Chromium on the demo page: export after
// appends (no handler keeps a freed Incident), importing over an open incident (asks, keeps the
// replaced record, undo), declared times, visible feedback, the party attribute, safe defaults,
// phone widths; and the element's API (issue 16.10).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { serve } from "../../web-demo/serve.mjs";
import { forgetRecords, launch, storedRecord, watchedPage } from "./browser.mjs";
import { ROOT } from "./helpers.mjs";

// Screenshots for docs/WIDGET.md go under target/ (copied into docs/img by hand when the views change).
const SHOTS = join(ROOT, "target", "widget-screenshots");
mkdirSync(SHOTS, { recursive: true });
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

/** A screenshot of what the viewport shows with `at` scrolled to its top (for docs/WIDGET.md). */
async function shot(name, at) {
  await at.evaluate((el) => el.scrollIntoView({ block: "start" }));
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

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

test("the document tools are fetched on first use: 読み込み中… meanwhile; offline, an error in place, and the next click fetches again", async () => {
  await startWith(firstEvents(1));
  const fetched = () => page.evaluate(() => performance.getEntriesByType("resource").filter((r) => r.name.endsWith("/roei-incident-print.js")).length);
  assert.equal(await fetched(), 0, "not part of the first view");
  const tools = "**/roei-incident-print.js";
  const offline = (route) => route.abort("internetdisconnected");
  await page.route(tools, offline);
  await widget().getByRole("button", { name: "時系列図" }).click();
  const failed = widget().locator("p.err[role=alert]", { hasText: /^エラー: / });
  await failed.waitFor();
  await page.unroute(tools, offline);
  // The failed fetch is in the page's console: expected here, nothing else.
  const expected = (p) => /roei-incident-print\.js|ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(String(p));
  problems.splice(0, problems.length, ...problems.filter((p) => !expected(p)));
  let release;
  const late = new Promise((r) => { release = r; });
  const held = async (route) => { await late; await route.continue(); };
  await page.route(tools, held);
  await widget().getByRole("button", { name: "時系列図" }).click();
  const loading = widget().locator("p.loading[role=status]");
  assert.equal(await loading.innerText(), "読み込み中…");
  release();
  await widget().locator("section.timeline img").waitFor();
  assert.equal(await loading.count(), 0);
  assert.equal(await failed.count(), 0, "the error went with the view");
  await page.unroute(tools, held);
  problems.splice(0, problems.length, ...problems.filter((p) => !expected(p)));
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
  assert.deepEqual(got.reflected, Object.fromEntries(incident.attributes.filter((a) => a.fieldName).map((a) => [a.name, a.name === "party" ? "principal" : "x-test"])));
  assert.ok("storage-key" in got.reflected && "party" in got.reflected);
  assert.deepEqual(got.change, { typed: true, same: true });
  // The package carries the manifest of what it holds, named in its package.json.
  const pkg = JSON.parse(readFileSync(join(ROOT, "wasm", "pkg", "package.json"), "utf8"));
  assert.equal(pkg.customElements, "custom-elements.json");
  const built = JSON.parse(readFileSync(join(ROOT, "wasm", "pkg", "custom-elements.json"), "utf8"));
  assert.deepEqual(built.modules.map((m) => m.path), ["roei-incident.js", "roei-drill.js"]);
  assert.deepEqual(problems, []);
});

/** `YYYY-MM-DDTHH:MM` in Japan time, `minutes` from now (a datetime-local value). */
const jstMinute = (minutes) => new Date(Date.now() + minutes * 60e3 + 9 * 3600e3).toISOString().slice(0, 16);

/** A fresh page with nothing stored; `party` set on the element when given. */
async function fresh(party = null) {
  await page.goto(server.url);
  await page.waitForSelector("roei-incident[ready]");
  await forgetRecords(page);
  await page.evaluate(() => localStorage.removeItem("roei:lang")); // Japanese, whatever an earlier test chose
  await page.reload();
  await page.waitForSelector("roei-incident[ready]");
  if (party) await page.evaluate((p) => { document.querySelector("roei-incident").party = p; }, party);
  await widget().getByRole("heading", { name: "事案の登録" }).waitFor();
}

/** Registers a nagaoka incident through the form, found `minutesAgo` minutes ago. */
async function register({ minutesAgo = 0, name = "", department = "" } = {}) {
  await widget().getByLabel(/^nagaoka — /).check();
  await widget().locator(".contract:not([hidden])").getByLabel("契約番号").fill("R8-0123");
  await widget().getByLabel("件名").fill("USBメモリの所在不明");
  if (minutesAgo) await widget().getByLabel("把握した日時").fill(jstMinute(-minutesAgo));
  if (name) await widget().getByLabel("氏名").fill(name);
  if (department) await widget().getByLabel("所属（部署）").fill(department);
  await widget().getByRole("button", { name: "事案を開始" }).click();
  await widget().locator("li.card").first().waitFor();
}

test("13.3 each form records when it happened (default now, editable, JST, checked) apart from when it was entered", async () => {
  await fresh();
  // Signs found 40 minutes ago, entered now: the 直ちに report (target 1 hour) has about 20 minutes left.
  await register({ minutesAgo: 40 });
  let doc = JSON.parse(await shown());
  assert.equal(doc.events[0].at, `${jstMinute(-40)}:00+09:00`);
  assert.ok(Math.abs(Date.parse(doc.events[0].recorded_at) - Date.now()) < 120e3, "recorded_at is the time of entry");
  const report = widget().locator('li[data-obligation="nagaoka:13-1"]');
  assert.match(await report.locator(".countdown").innerText(), /^残り 0:(1\d|20|2[01]):\d\d$/);
  // The log shows both times.
  assert.match(await widget().locator("table.log tbody tr").first().innerText(), /入力/);
  // A form's time field: Japan time, to the minute, now by default.
  const when = other().getByLabel("日時（実際に行った・把握した時刻）");
  assert.equal(await when.getAttribute("type"), "datetime-local");
  assert.equal(await when.getAttribute("step"), "60");
  assert.equal(await when.inputValue(), jstMinute(0));
  // In the future: refused, naming the field; nothing recorded.
  await other().getByLabel("種類").selectOption("evidence_preserved");
  await other().getByLabel("内容").fill("入退室記録");
  await when.fill(jstMinute(30));
  await other().locator(".err").getByText(/「日時（実際に行った・把握した時刻）」: 未来の日時は記録できません/).waitFor();
  assert.equal(await other().getByRole("button", { name: "記録する" }).isDisabled(), true);
  // Before the incident's first record: refused too.
  await when.fill(jstMinute(-90));
  await other().locator(".err").getByText(/事案の最初の記録より前/).waitFor();
  // Ten minutes ago: recorded with that time.
  await when.fill(jstMinute(-10));
  await other().getByRole("button", { name: "記録する" }).click();
  await page.waitForFunction(() => JSON.parse(document.querySelector("roei-incident").record).events.length === 2);
  doc = JSON.parse(await shown());
  assert.equal(doc.events[1].at, `${jstMinute(-10)}:00+09:00`);
  assert.ok(Date.parse(doc.events[1].recorded_at) > Date.parse(doc.events[1].at));
  // The reports show the entry time beside the declared one.
  await widget().getByRole("button", { name: "報告書プレビュー" }).click();
  await widget().locator(".preview").getByText(/（記録 /).first().waitFor();
  assert.deepEqual(problems, []);
});

test("13.7 a save is confirmed next to the form and focus moves to the card; errors are in the UI's language and name the field", async () => {
  await fresh();
  await register();
  const report = widget().locator('li[data-obligation="nagaoka:13-1"]');
  await report.getByLabel("個人情報の内容").fill("住民の氏名・住所");
  await report.getByLabel("件数・数量").fill("約1,200件");
  await report.getByLabel("発生場所").fill("受託者作業場所");
  await report.getByLabel("発生状況").fill("所在不明");
  await report.getByRole("button", { name: "記録する" }).click();
  await report.locator(".saved-note").getByText(/^記録しました（保存済み）。 e2 /).waitFor();
  assert.equal(await report.locator(".saved-note").isVisible(), true);
  assert.equal(await page.evaluate(() => document.querySelector("roei-incident").shadowRoot.activeElement?.dataset.obligation), "nagaoka:13-1");
  // The live region says it too.
  assert.match(await widget().locator("[role=status][aria-live]").first().textContent(), /記録しました/);
  // An error: visible, Japanese, naming the field.
  await other().getByRole("button", { name: "記録する" }).click();
  await other().locator(".err").getByText("「種類」を選んでください").waitFor();
  await widget().getByRole("button", { name: "English" }).click();
  const otherEn = widget().locator("section[aria-labelledby=h-other]");
  await otherEn.getByRole("button", { name: "Record" }).click();
  await otherEn.locator(".err").getByText("choose a “Type”").waitFor();
  await widget().getByRole("button", { name: "日本語" }).click();
  assert.deepEqual(problems, []);
});

test("13.8 party: the other party's duties are read-only; name and department go with each event", async () => {
  await fresh("contractor");
  await register({ name: "佐藤 花子", department: "情報システム課" });
  const doc = JSON.parse(await shown());
  assert.deepEqual(doc.events[0].recorder, { name: "佐藤 花子", department: "情報システム課" });
  assert.equal(doc.events[0].actor, "contractor");
  await widget().locator("table.log").getByText("佐藤 花子・情報システム課").waitFor();
  // The contractor's own duty has a form; the city's notice to data subjects (once owed) does not.
  const report = widget().locator('li[data-obligation="nagaoka:13-1"]');
  await report.getByLabel("個人情報の内容").fill("住民の氏名・住所");
  await report.getByLabel("件数・数量").fill("約1,200件");
  await report.getByLabel("発生場所").fill("受託者作業場所");
  await report.getByLabel("発生状況").fill("所在不明");
  await report.getByLabel("書面で行った").check();
  await report.getByRole("button", { name: "記録する" }).click();
  await report.and(page.locator("[data-status=done]")).waitFor();
  const facts = widget().locator("section", { has: page.getByRole("heading", { name: "事実の評価" }) });
  for (const label of ["要配慮個人情報", "財産的被害のおそれ", "不正の目的によるおそれ", "高度な暗号化", "特定個人情報（マイナンバー）", "マイナンバー利用事務系システム", "不特定多数が閲覧可能"]) {
    const sel = facts.getByLabel(label, { exact: true });
    if (await sel.count()) await sel.selectOption("false");
  }
  await facts.getByLabel("本人の数").fill("1200");
  await facts.getByRole("button", { name: "記録する" }).click();
  const notice = widget().locator('li[data-obligation="appi-local-gov:68-2"]');
  await notice.and(page.locator("[data-status=pending]")).waitFor();
  assert.equal(await notice.getByRole("button", { name: "記録する" }).count(), 0);
  await notice.getByText("相手方の義務です（この画面では閲覧のみ）。").waitFor();
  // The principal's page records it.
  await page.evaluate(() => { document.querySelector("roei-incident").party = "principal"; });
  await notice.getByRole("button", { name: "記録する" }).waitFor();
  assert.equal(await widget().locator('li[data-obligation="nagaoka:13-1"]').getByRole("button", { name: "記録する" }).count(), 0);
  // A principal that learns first registers principal_aware, with what kind of incident it is.
  await fresh("principal");
  await widget().getByRole("group", { name: "把握（委託者）" }).waitFor();
  await widget().getByLabel("事故の種類").selectOption("leak");
  await register();
  const first = JSON.parse(await shown()).events[0];
  assert.deepEqual([first.type, first.actor, first.data.kind, first.data.signs_only], ["principal_aware", "principal", "leak", true]);
  assert.deepEqual(problems, []);
});

test("13.14 safe defaults: no event type, written unticked, contract id empty, recorders in a sensible order", async () => {
  await fresh();
  await widget().getByLabel(/^nagaoka — /).check();
  assert.equal(await widget().locator(".contract:not([hidden])").getByLabel("契約番号").inputValue(), "");
  await widget().getByRole("button", { name: "事案を開始" }).click();
  await widget().locator(".err").getByText(/「契約番号」/).waitFor();
  await widget().locator(".contract:not([hidden])").getByLabel("契約番号").fill("R8-0123");
  await widget().getByRole("button", { name: "事案を開始" }).click();
  await widget().locator("li.card").first().waitFor();
  assert.equal(await other().getByLabel("種類").inputValue(), "");
  assert.equal(await widget().locator('li[data-obligation="nagaoka:13-1"]').getByLabel("書面で行った").isChecked(), false);
  const actors = await other().getByLabel("記録者").locator("option").evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual(actors, ["contractor", "principal", "subject", "ppc", "other"]);
  // A stray submit records nothing.
  await other().getByRole("button", { name: "記録する" }).click();
  await page.waitForTimeout(200);
  assert.equal(JSON.parse(await shown()).events.length, 1);
  assert.deepEqual(problems, []);
});

test("13.5 phones: at 320, 390 and 1,280 px nothing is wider than the widget; 13.15 no <main> inside it", async () => {
  await startWith(JSON.stringify(EXAMPLE));
  for (const width of [320, 390, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(100);
    const over = await page.evaluate(() => {
      const host = document.querySelector("roei-incident");
      const box = host.getBoundingClientRect();
      const out = [];
      for (const el of host.shadowRoot.querySelectorAll("*")) {
        if (el.closest(".sr") || el.tagName === "STYLE" || el.tagName === "LINK") continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        if (r.right > box.right + 1 || r.left < box.left - 1) out.push(`${el.tagName.toLowerCase()}.${el.className} ${Math.round(r.left)}–${Math.round(r.right)} (widget ${Math.round(box.left)}–${Math.round(box.right)})`);
      }
      return out;
    });
    assert.deepEqual(over.slice(0, 5), [], `${width} px: elements overflow the widget`);
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), true, `${width} px: the page scrolls sideways`);
    if (width !== 320) await shot(`incident-${width}`, widget().locator("header.bar"));
  }
  await page.setViewportSize({ width: 1180, height: 900 });
  assert.equal(await widget().locator("main").count(), 0);
  assert.deepEqual(problems, []);
});

test("13.10 targets in words (1時間 / 1 hour), in the cards and the calendar file", async () => {
  await fresh();
  await register();
  const due = widget().locator('li[data-obligation="nagaoka:13-1"] dd').filter({ has: page.locator(".countdown") });
  assert.match(await due.innerText(), /（運用目標 1時間）/);
  assert.doesNotMatch(await widget().locator("ol.steps").first().innerText(), /PT\d|P\d+D/);
  const [ics] = await Promise.all([page.waitForEvent("download", { timeout: 5000 }), widget().getByRole("button", { name: "カレンダー(ICS)" }).click()]);
  const text = readFileSync(await ics.path(), "utf8");
  assert.match(text.replace(/\r\n /g, ""), /運用上の目標（ポリシー）: 1時間/);
  assert.doesNotMatch(text, /PT1H/);
  await widget().getByRole("button", { name: "English" }).click();
  await widget().getByRole("heading", { name: "Response steps (obligations)" }).waitFor();
  assert.match(await due.innerText(), / \(operating target 1 hour\)/);
  await widget().getByRole("button", { name: "日本語" }).click();
  assert.deepEqual(problems, []);
});

test("13.12 a partial report shows on its card what was reported, when, and what is missing; 13.13 cards link the facts they need", async () => {
  await fresh();
  await register();
  const report = widget().locator('li[data-obligation="nagaoka:13-1"]');
  await report.getByLabel("個人情報の内容").fill("住民の氏名・住所");
  await report.getByLabel("件数・数量").fill("約1,200件");
  await report.getByLabel("書面で行った").check();
  await report.getByRole("button", { name: "記録する" }).click();
  await report.locator(".reported").getByText(/^記録済み: e2（\d{4}\/\d\d\/\d\d \d\d:\d\d JST）: 個人情報の内容、件数・数量/).waitFor();
  assert.match(await report.locator(".missing").innerText(), /未記載: 発生場所、発生状況/);
  // An undetermined national duty links each fact it waits for to its field.
  const ppc = widget().locator('li[data-obligation="appi-local-gov:68-1-preliminary"]');
  await ppc.and(page.locator("[data-status=undetermined]")).waitFor();
  await ppc.locator(".missing").getByRole("button", { name: "本人の数" }).click();
  assert.equal(await page.evaluate(() => document.querySelector("roei-incident").shadowRoot.activeElement?.name), "subjects_count");
  assert.deepEqual(problems, []);
});

test("13.17 the English choice survives a reload; English text uses English punctuation", async () => {
  await fresh();
  await register();
  // The English words are fetched only when English is shown.
  const requested = [];
  const log = (r) => requested.push(r.url());
  page.on("request", log);
  await page.reload();
  await page.waitForSelector("roei-incident[ready]");
  assert.equal(requested.some((u) => u.includes("strings-en")), false, "no English strings for a Japanese page");
  await widget().getByRole("button", { name: "English" }).click();
  await widget().getByRole("heading", { name: "Response steps (obligations)" }).waitFor();
  assert.equal(requested.some((u) => u.includes("roei-incident-strings-en.js")), true);
  page.off("request", log);
  await page.reload();
  await page.waitForSelector("roei-incident[ready]");
  await widget().getByRole("heading", { name: "Response steps (obligations)" }).waitFor();
  const card = widget().locator('li[data-obligation="nagaoka:13-1"]');
  for (const el of [card.locator("dd").filter({ has: page.locator(".countdown") }), card.locator(".missing"), widget().locator("header .meta").first()]) {
    const t = await el.innerText();
    assert.doesNotMatch(t.replace(/長岡市/g, ""), /[、（）「」／]/, `Japanese punctuation in English text: ${t}`);
  }
  await widget().getByRole("button", { name: "日本語" }).click();
  await page.reload();
  await page.waitForSelector("roei-incident[ready]");
  await widget().getByRole("heading", { name: "対応の手順（義務）" }).waitFor();
  assert.deepEqual(problems, []);
});

/** axe-core's violations on the page as it stands (run through the inspector, so the page's CSP stays as it is). */
async function axe() {
  await page.evaluate(readFileSync(join(ROOT, "tests", "js", "node_modules", "axe-core", "axe.min.js"), "utf8"));
  return page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")}`));
}

test("13.15 axe-core: no violations on any view (registration, incident, facts, report preview, timeline, English)", async () => {
  await fresh();
  assert.deepEqual(await axe(), [], "registration form");
  await register();
  assert.deepEqual(await axe(), [], "incident view");
  await widget().getByRole("button", { name: "報告書プレビュー" }).click();
  await widget().locator(".preview").first().waitFor();
  await widget().getByRole("button", { name: "時系列図" }).click();
  await widget().locator("section.timeline img").waitFor();
  assert.deepEqual(await axe(), [], "with the report preview and the timeline");
  await widget().getByRole("button", { name: "English" }).click();
  await widget().getByRole("heading", { name: "Response steps (obligations)" }).waitFor();
  assert.deepEqual(await axe(), [], "English");
  await widget().getByRole("button", { name: "日本語" }).click();
  await page.setViewportSize({ width: 390, height: 900 });
  assert.deepEqual(await axe(), [], "phone width");
  await page.setViewportSize({ width: 1180, height: 900 });
  assert.deepEqual(problems, []);
});

test("13.6 a list of incidents: open and closed, next due, overdue; switch between them; delete only when confirmed", async () => {
  await startWith(firstEvents(2)); // INC-2026-0042, its report to the principal late by now
  answer = "accept";
  await widget().getByRole("button", { name: "新しい事案" }).click();
  await widget().getByRole("heading", { name: "事案の登録" }).waitFor();
  await register(); // a second incident, just found
  const second = JSON.parse(await shown()).id;
  await widget().getByRole("button", { name: "事案一覧" }).click();
  const list = widget().locator("section.incidents");
  await list.locator("tbody tr").nth(1).waitFor();
  assert.equal(await list.locator("tbody tr").count(), 2);
  const rowOf = (id) => list.locator("tbody tr", { has: page.getByRole("cell", { name: id, exact: true }) });
  assert.match(await rowOf(second).innerText(), /表示中/);
  assert.match(await rowOf(EXAMPLE.id).innerText(), /対応中/);
  assert.match(await rowOf(EXAMPLE.id).locator("td").nth(4).innerText(), /^[1-9]\d*$/, "overdue count");
  assert.match(await rowOf(second).locator("td").nth(3).innerText(), /JST$/, "next due time");
  // Switch: the first incident is shown, the second kept.
  await rowOf(EXAMPLE.id).getByRole("button", { name: "開く" }).click();
  await widget().locator("header h2").getByText(EXAMPLE.title).waitFor();
  assert.equal(JSON.parse(await storedRecord(page)).id, EXAMPLE.id);
  await widget().getByRole("button", { name: "事案一覧" }).click();
  await rowOf(second).waitFor();
  assert.equal(await list.locator("tbody tr").count(), 2, "nothing copied twice");
  await page.setViewportSize({ width: 1280, height: 900 });
  await shot("incident-list-1280", list);
  await page.setViewportSize({ width: 390, height: 900 });
  await shot("incident-list-390", list);
  await page.setViewportSize({ width: 1180, height: 900 });
  // Delete: declined keeps it; confirmed removes it from the browser.
  answer = "dismiss";
  await rowOf(second).getByRole("button", { name: "削除" }).click();
  await page.waitForTimeout(200);
  assert.equal(await rowOf(second).count(), 1);
  answer = "accept";
  await rowOf(second).getByRole("button", { name: "削除" }).click();
  await page.waitForFunction(() => document.querySelector("roei-incident").shadowRoot.querySelectorAll("section.incidents tbody tr").length === 1);
  answer = "dismiss";
  assert.deepEqual(problems, []);
});

test("13.9 a PPC report records its time, how it was made and the items known, showing which are unknown, after a confirmation", async () => {
  await startWith(JSON.stringify(EXAMPLE));
  const ppc = widget().locator('li[data-obligation="appi-local-gov:68-1-preliminary"]');
  await ppc.locator("form").waitFor();
  assert.match(await ppc.locator("form .note").first().innerText(), /^未判明の事項: .*原因/);
  await ppc.getByLabel("報告の方法").selectOption("online_form");
  await ppc.getByLabel("原因", { exact: true }).fill("保管庫の施錠管理の不備（調査中）");
  const before = JSON.parse(await shown()).events.length;
  // Declined: nothing recorded.
  answer = "dismiss";
  dialogs.length = 0;
  await ppc.getByRole("button", { name: "記録する" }).click();
  await page.waitForTimeout(300);
  assert.equal(dialogs.length, 1);
  assert.match(dialogs[0][1], /個人情報保護委員会へ速報[\s\S]*報告の方法: 委員会の報告フォーム（オンライン）[\s\S]*未判明の事項: /);
  assert.doesNotMatch(dialogs[0][1].split("未判明の事項")[1], /原因/, "the item given is not listed as unknown");
  assert.equal(JSON.parse(await shown()).events.length, before);
  // Confirmed: recorded with its method, principal and the item.
  answer = "accept";
  await ppc.getByRole("button", { name: "記録する" }).click();
  await page.waitForFunction((n) => JSON.parse(document.querySelector("roei-incident").record).events.length === n, before + 1);
  const ev = JSON.parse(await shown()).events.at(-1);
  assert.equal(ev.type, "ppc_preliminary_reported");
  assert.equal(ev.data.via, "online_form");
  assert.equal(ev.data.principal, EXAMPLE.contracts[0].principal);
  assert.equal(ev.data.fields.cause, "保管庫の施錠管理の不備（調査中）");
  answer = "dismiss";
  assert.deepEqual(problems, []);
});

test("13.4 the print view: core's report alone on A4 paper, 和暦 dates, readable times, who reports", async () => {
  await startWith(JSON.stringify(EXAMPLE));
  await widget().getByLabel("氏名").fill("佐藤 花子");
  await widget().getByLabel("氏名").press("Tab");
  await widget().getByLabel("所属（部署）").fill("情報システム課");
  await widget().getByLabel("所属（部署）").press("Tab");
  const pdfPages = async () => (await page.pdf({ format: "A4" })).toString("latin1").match(/\/Type\s*\/Page(?![s\w])/g)?.length ?? 0;
  const whole = await pdfPages(); // the portal page as it prints without the print view
  await widget().getByRole("button", { name: "印刷用の報告書" }).click();
  const view = widget().locator("article.printview");
  await view.waitFor();
  const text = await view.innerText();
  assert.match(text, /作成日: 令和\d+年\d+月\d+日/, "和暦 date");
  assert.match(text, /令和8年11月2日 10:15/, "readable times in the chronology");
  assert.doesNotMatch(text, /\d{4}-\d\d-\d\dT\d\d:\d\d/, "no ISO instants");
  assert.match(text, /報告者: 株式会社例示　担当 佐藤 花子・情報システム課/);
  assert.match(text, /第13条第1項/);
  // The footer carries the record's head hash, as the engine computes it for the stored record.
  const { loadPkg } = await import("./helpers.mjs");
  const engine = await loadPkg();
  const head = engine.Incident.fromJSON(await shown()).headHash();
  assert.match(await view.locator("footer .p-hash").innerText(), new RegExp(`^${head}$`));
  assert.match(await view.locator("footer").innerText(), /記録のハッシュ値（sha256, 7件の記録）/);
  // On paper: the report and nothing else of the widget or the portal.
  await page.emulateMedia({ media: "print" });
  assert.equal(await view.isVisible(), true);
  assert.equal(await view.locator(".p-last").isVisible(), true, "the last section is printed");
  assert.equal(await widget().getByRole("heading", { name: "対応の手順（義務）" }).isVisible(), false);
  assert.equal(await page.locator("header.portal").isVisible(), false);
  assert.equal(await view.getByRole("button", { name: "印刷する" }).isVisible(), false);
  await page.emulateMedia({ media: null });
  const printed = await pdfPages();
  assert.ok(printed >= 1 && printed < whole, `the report prints on ${printed} A4 pages (the whole page: ${whole})`);
  await page.setViewportSize({ width: 1280, height: 900 });
  await shot("print-1280", view);
  await page.setViewportSize({ width: 390, height: 900 });
  await shot("print-390", view);
  await page.setViewportSize({ width: 1180, height: 900 });
  await view.getByRole("button", { name: "閉じる" }).click();
  assert.equal(await view.count(), 0);
  assert.deepEqual(problems, []);
});

test("13.11 cards show the article beside the id; #12 the national clock on the card: what made it reportable, a rolled deadline, a reading's basis", async () => {
  const text = readFileSync(join(ROOT, "examples", "national", "shared-server-two-cities.json"), "utf8");
  await startWith(text);
  const final = widget().locator('li[data-obligation="appi-local-gov:68-1-final"]').filter({ hasText: "札幌市" });
  await final.waitFor();
  assert.match(await final.locator(".clause").innerText(), /^法第68条第1項; 規則第44条（確報） — appi-local-gov:68-1-final$/);
  // 札幌市's count passed 100 at e6 (11/20): the 30 days run from there; day 30 (12/20) is a Sunday.
  assert.match(await final.locator(".reportable dd").innerText(), /^e6（2026\/11\/20 16:30 JST）$/);
  assert.match(await final.innerText(), /2026\/12\/20が休日のため繰り延べ/);
  // Contract clauses rest on their text: no basis row. A reading says so (the My Number layer).
  assert.equal(await widget().locator('li[data-obligation="sapporo:16-1"] .basis').count(), 0);
  await startWith(readFileSync(join(ROOT, "examples", "national", "resident-complaint-principal-first.json"), "utf8"));
  const mn = widget().locator('li[data-obligation="mynumber:29-4-preliminary"]');
  await mn.waitFor();
  assert.match(await mn.locator(".basis dd").innerText(), /^roeiの解釈（方針で変更可）$/);
  assert.equal(await widget().locator('li[data-obligation="nagaoka:13-1"] .basis').count(), 0);
  assert.deepEqual(problems, []);
});
