// The <roei-incident> widget in Chromium: one nagaoka incident from detection through the report to
// the principal, the facts, containment and the notice to data subjects; then a reload finds it intact.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { CSP, serve } from "../../web-demo/serve.mjs";
import { forgetRecords, launch, watchedPage } from "./browser.mjs";
import { ROOT } from "./helpers.mjs";

const ARTIFACTS = join(ROOT, "tests", "js", "artifacts");
let server, browser, page;
const problems = [];

before(async () => {
  server = await serve(0);
  browser = await launch();
  page = await watchedPage(browser, problems);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const widget = () => page.locator("roei-incident");
const card = (obligation) => widget().locator(`li[data-obligation="${obligation}"]`);
// The record the widget holds once it has read the store (`settled`).
const record = () => page.evaluate(async () => { const w = document.querySelector("roei-incident"); await w.settled; return w.record; });

test("a nagaoka incident, detection to notice, survives a reload", async () => {
  await page.goto(server.url);
  await page.waitForSelector("roei-incident[ready]");
  // Japanese by default.
  await widget().getByRole("heading", { name: "事案の登録" }).waitFor();

  // Detection: contract, signs of a loss.
  await widget().getByLabel(/^nagaoka — /).check();
  await widget().locator(".contract:not([hidden])").getByLabel("契約番号").fill("R8-0123");
  await widget().getByLabel("件名").fill("USBメモリの所在不明");
  await widget().getByLabel("事故の種類").selectOption("loss");
  await widget().getByLabel("兆候・おそれ（未確認）").check();
  await widget().getByLabel("概要").fill("保管庫のUSBメモリが見当たらない");
  await widget().getByRole("button", { name: "事案を開始" }).click();

  const report = card("nagaoka:13-1");
  await report.and(page.locator("[data-status=pending]")).waitFor();
  await assert.doesNotReject(report.getByText("直ちに", { exact: true }).waitFor());
  assert.match(await report.locator(".countdown").innerText(), /^残り 0:\d\d:\d\d$/);
  assert.match(await report.innerText(), /期限/);

  // Report to the principal, in writing, with the four contents of 13-1.
  await report.getByLabel("個人情報の内容").fill("住民の氏名・住所");
  await report.getByLabel("件数・数量").fill("約1,200件");
  await report.getByLabel("発生場所").fill("受託者作業場所");
  await report.getByLabel("発生状況").fill("朝の点検で所在不明と判明");
  // Not ticked for the user (13.14): a report is in writing only when they say so.
  assert.equal(await report.getByLabel("書面で行った").isChecked(), false);
  await report.getByLabel("書面で行った").check();
  await report.getByRole("button", { name: "記録する" }).click();
  await report.and(page.locator("[data-status=done]")).waitFor();
  assert.match(await report.innerText(), /完了/);

  // The national duties wait for facts; answer them (submitting with Enter from the keyboard).
  await card("appi-local-gov:68-2").and(page.locator("[data-status=undetermined]")).waitFor();
  const facts = widget().locator("section", { has: page.getByRole("heading", { name: "事実の評価" }) });
  for (const [label, v] of [["要配慮個人情報", "false"], ["財産的被害のおそれ", "false"], ["不正の目的によるおそれ", "false"], ["高度な暗号化", "false"],
    ["特定個人情報（マイナンバー）", "false"], ["マイナンバー利用事務系システム", "false"], ["不特定多数が閲覧可能", "false"]]) {
    const sel = facts.getByLabel(label, { exact: true });
    if (await sel.count()) await sel.selectOption(v);
  }
  await facts.getByLabel("本人の数").fill("1200");
  await facts.getByLabel("本人の数").press("Enter");
  const notice = card("appi-local-gov:68-2");
  await notice.and(page.locator("[data-status=pending]")).waitFor();
  await card("mynumber:29-4-2").and(page.locator("[data-status=not_applicable]")).waitFor({ state: "attached" });

  // Containment (no clause card under nagaoka: recorded from "other records").
  const other = widget().locator("section", { has: page.getByRole("heading", { name: "その他の記録" }) });
  await other.getByLabel("種類").selectOption("containment_started");
  await other.getByLabel("内容").fill("作業場所・搬送経路の捜索");
  await other.getByRole("button", { name: "記録する" }).click();
  await widget().locator("table.log").getByText("被害拡大防止措置の開始").waitFor();

  // Notice to the data subjects (the city's duty under APPI 68-2).
  await notice.getByLabel("方法").selectOption("individual");
  await notice.getByLabel("記録者").selectOption("principal");
  await notice.getByRole("button", { name: "記録する" }).click();
  await notice.and(page.locator("[data-status=done]")).waitFor();

  const saved = await record();
  const doc = JSON.parse(saved);
  assert.deepEqual(doc.events.map((e) => e.type), ["detected", "reported_to_principal", "facts", "containment_started", "subjects_notified"]);
  assert.deepEqual(doc.events.map((e) => e.id), ["e1", "e2", "e3", "e4", "e5"]);
  for (const e of doc.events) assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+09:00$/);
  assert.equal(doc.events[1].data.written, true);
  assert.equal(doc.events[1].data.contract, doc.contracts[0].id);
  assert.equal(doc.events[4].actor, "principal");

  // Reload: everything is still there, from IndexedDB.
  await page.reload();
  await page.waitForSelector("roei-incident[ready]");
  assert.equal(await record(), saved);
  await card("nagaoka:13-1").and(page.locator("[data-status=done]")).waitFor();
  await card("appi-local-gov:68-2").and(page.locator("[data-status=done]")).waitFor();
  await card("appi-local-gov:68-1-preliminary").and(page.locator("[data-status=pending]")).waitFor();
  assert.match(await card("appi-local-gov:68-1-preliminary").locator(".countdown").innerText(), /^残り 2日 2\d:\d\d:\d\d$/);

  // Styled under the strict CSP: the built widget applies roei-incident.css as a constructed sheet.
  assert.equal(await card("nagaoka:13-1").evaluate((el) => getComputedStyle(el).borderLeftWidth), "6px");
  assert.equal(await page.evaluate(() => document.querySelector("roei-incident").shadowRoot.adoptedStyleSheets.length), 1);

  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, "widget.png"), fullPage: true });

  // English on request.
  await widget().getByRole("button", { name: "English" }).click();
  await widget().getByRole("heading", { name: "Response steps (obligations)" }).waitFor();
  assert.match(await card("nagaoka:13-1").innerText(), /Report to the principal/);
  await card("appi-local-gov:68-1-preliminary").getByRole("button", { name: "Record" }).waitFor();
  assert.match(await card("appi-local-gov:68-1-preliminary").locator(".countdown").innerText(), /^2d 2\d:\d\d:\d\d left$|^left 2d/);
  await widget().getByRole("button", { name: "日本語" }).click();

  assert.deepEqual(problems, []);
});

test("record text is never parsed as HTML", async () => {
  const hostile = "<img src=x onerror=\"window.__pwned=1\"><b>太字</b>";
  await page.evaluate(() => localStorage.clear());
  const other = widget().locator("section", { has: page.getByRole("heading", { name: "その他の記録" }) });
  await other.getByLabel("種類").selectOption("evidence_preserved");
  await other.getByLabel("内容").fill(hostile);
  await other.getByRole("button", { name: "記録する" }).click();
  await widget().locator("table.log").getByText(hostile).waitFor();
  assert.equal(await page.evaluate(() => window.__pwned ?? null), null);
  assert.equal(await widget().locator("table.log img").count(), 0);
  assert.deepEqual(problems, []);
});

test("report preview and timeline load the reports module on first use", async () => {
  // The engine alone is loaded at start: no request for the reports module yet.
  const requested = [];
  page.on("request", (r) => requested.push(r.url()));
  await page.reload();
  await page.waitForSelector("roei-incident[ready]");
  assert.equal(requested.some((u) => u.includes("roei_reports")), false);
  await widget().getByRole("button", { name: "報告書プレビュー" }).click();
  await widget().locator(".preview").getByText(/個人情報事故報告書/).first().waitFor();
  assert.match(await widget().locator(".preview").innerText(), /nagaoka:13-1/);
  assert.equal(requested.some((u) => u.includes("roei_reports_bg.wasm")), true);
  await widget().getByRole("button", { name: "時系列図" }).click();
  await widget().locator("section.timeline img").waitFor();
  assert.deepEqual(problems, []);
});

test("with nothing saved, the registration form is usable before the engine has loaded", async () => {
  // Nothing saved: the record deleted through the widget's store (which also drops its hint).
  await forgetRecords(page);
  assert.equal(await page.evaluate(() => localStorage.getItem("roei:saved:roei-incident")), null);
  // The engine arrives 1.5 s late (a slow network); the form must not wait for it.
  let release;
  const late = new Promise((r) => { release = r; });
  await page.route("**/roei_wasm_bg.wasm", async (route) => { await late; await route.continue(); });
  await page.reload();
  await page.waitForSelector("roei-incident[ready]");
  assert.equal(await page.evaluate(() => performance.getEntriesByName("roei:wasm").length), 0, "ready before the engine");
  await widget().getByRole("heading", { name: "事案の登録" }).waitFor();
  await widget().getByLabel(/^nagaoka — /).check();
  await widget().locator(".contract:not([hidden])").getByLabel("契約番号").fill("R8-0123");
  await widget().getByLabel("件名").fill("エンジン読込前に入力");
  await widget().getByRole("button", { name: "事案を開始" }).click(); // waits for the engine
  setTimeout(release, 300);
  await card("nagaoka:13-1").waitFor();
  await page.unroute("**/roei_wasm_bg.wasm");
  const doc = JSON.parse(await record());
  assert.equal(doc.title, "エンジン読込前に入力");
  assert.equal(doc.events.length, 1);
  assert.equal(await page.evaluate(() => localStorage.getItem("roei:saved:roei-incident")), "1");
  assert.deepEqual(problems, []);
});

test("a saved record whose hint is gone is still loaded (and the hint restored)", async () => {
  const saved = await record();
  // As after a browser killed before it wrote localStorage: the record in IndexedDB, no hint.
  await page.evaluate(() => localStorage.removeItem("roei:saved:roei-incident"));
  await page.reload();
  await page.waitForSelector("roei-incident[ready]");
  assert.equal(await record(), saved);
  await card("nagaoka:13-1").waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem("roei:saved:roei-incident")), "1");
  // A hint without a record (the database cleared by other means): the form, and the hint dropped.
  await page.evaluate(() => new Promise((r) => {
    const q = indexedDB.open("roei", 1);
    q.onsuccess = () => { const t = q.result.transaction("records", "readwrite"); t.objectStore("records").delete("roei-incident"); t.oncomplete = () => { q.result.close(); r(); }; };
  }));
  await page.reload();
  await page.waitForSelector("roei-incident[ready]");
  await page.evaluate(() => document.querySelector("roei-incident").settled);
  await widget().getByRole("heading", { name: "事案の登録" }).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem("roei:saved:roei-incident")), null);
  assert.deepEqual(problems, []);
});

test("the unbuilt source (development) runs too: same form, styles linked", async () => {
  // web-demo/roei-incident.js as served from web-demo/, with roei-dom.js, the stylesheet and pkg/ beside it.
  await page.route(`${server.url}dev.html`, async (route) => {
    const index = (await (await fetch(server.url)).text()).replace('src="pkg/roei-incident.js"', 'src="roei-incident.js"');
    assert.match(index, /src="roei-incident\.js"/);
    await route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: index, headers: { "content-security-policy": CSP } });
  });
  await forgetRecords(page);
  await page.goto(`${server.url}dev.html`);
  await page.waitForSelector("roei-incident[ready]");
  await widget().getByRole("heading", { name: "事案の登録" }).waitFor();
  assert.equal(await widget().locator("link[rel=stylesheet]").count(), 1);
  assert.equal(await widget().getByRole("button", { name: "事案を開始" }).evaluate((el) => getComputedStyle(el).color), "rgb(255, 255, 255)");
  await page.unroute(`${server.url}dev.html`);
  assert.deepEqual(problems, []);
});

test("a portal whose CSP forbids WebAssembly gets a message that says what to add", async () => {
  const strict = CSP.replace(" 'wasm-unsafe-eval'", "");
  assert.notEqual(strict, CSP);
  await page.route(`${server.url}nowasm.html`, async (route) => {
    const index = (await (await fetch(server.url)).text()).replace(" 'wasm-unsafe-eval'", "");
    await route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: index, headers: { "content-security-policy": strict } });
  });
  const seen = problems.length;
  await page.goto(`${server.url}nowasm.html`);
  await page.evaluate(() => document.querySelector("roei-incident").settled);
  const alert = widget().getByRole("alert");
  await alert.waitFor();
  assert.match(await alert.innerText(), /判定エンジン（WebAssembly）を読み込めませんでした。.*'wasm-unsafe-eval'/);
  await page.unroute(`${server.url}nowasm.html`);
  // The browser reports the blocked compilation itself (console and securitypolicyviolation); nothing else.
  assert.ok(problems.slice(seen).every((p) => /wasm-unsafe-eval|WebAssembly|CSP script-src/.test(p)), problems.slice(seen).join("\n"));
  problems.length = seen;
});
