// The saved incident drawn before the engine has loaded (docs/WIDGET.md, "How it loads"): the status
// the engine last computed is kept beside the record (roei-store.js, key `<storage-key>#view`, with the
// SHA-256 of the exact record text), drawn at once marked 更新中, and replaced once the engine has
// evaluated the record now. A view kept beside another record (a crash between writes, another tab's
// append, an import) is never drawn. Real Chromium, the engine held back by the test.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { serve } from "../../web-demo/serve.mjs";
import { forgetRecords, launch, storedRecord, watchedPage } from "./browser.mjs";
import { ROOT } from "./helpers.mjs";

const EXAMPLE = readFileSync(join(ROOT, "examples", "nagaoka-usb-loss.json"), "utf8");
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

/** Reads (`value` undefined) or writes an entry of the widget's store, as raw IndexedDB. */
function entry(key, value) {
  return page.evaluate(([k, v]) => new Promise((ok, fail) => {
    const q = indexedDB.open("roei", 1);
    q.onupgradeneeded = () => q.result.createObjectStore("records");
    q.onsuccess = () => {
      const t = q.result.transaction("records", v === undefined ? "readonly" : "readwrite");
      const r = v === undefined ? t.objectStore("records").get(k) : t.objectStore("records").put(v, k);
      t.oncomplete = () => { ok(v === undefined ? r.result ?? null : null); q.result.close(); };
      t.onerror = () => fail(t.error);
    };
  }), [key, value]);
}

/** The SHA-256 (hex) of a text in the page, as the store ties a view to its record. */
const sha256 = (text) => page.evaluate(async (t) => Array.from(new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(t))),
  (b) => b.toString(16).padStart(2, "0")).join(""), text);

/** Holds the requests matching `glob` back until the returned function is called; that function
 *  then waits for the widget to be drawn and settled, and lifts the hold. */
async function hold(glob) {
  let release;
  const late = new Promise((r) => { release = r; });
  const wait = async (route) => { await late; await route.continue(); };
  await page.route(glob, wait);
  return async () => {
    release();
    await page.waitForSelector("roei-incident[ready]");
    await page.evaluate(() => document.querySelector("roei-incident").settled);
    await page.unroute(glob, wait);
  };
}
/** The engine's .wasm held back. */
const holdEngine = () => hold("**/roei_wasm_bg.wasm");
/** The widget's own script held back (the boot script is not). */
const holdWidgetScript = () => hold("**/pkg/roei-incident.js");

/** The example record saved, loaded once by the widget; → the view it kept beside it. */
async function savedWithView() {
  await page.goto(server.url);
  await forgetRecords(page);
  await entry("roei-incident", EXAMPLE);
  await page.evaluate(() => localStorage.setItem("roei:saved:roei-incident", "1"));
  await page.reload();
  await page.evaluate(() => document.querySelector("roei-incident").settled);
  // Kept after the engine's first evaluation (a write of its own, after the view is drawn).
  await page.waitForFunction(() => new Promise((ok) => {
    const q = indexedDB.open("roei", 1);
    q.onsuccess = () => { const r = q.result.transaction("records").objectStore("records").get("roei-incident#view"); r.onsuccess = () => { ok(Boolean(r.result)); q.result.close(); }; };
  }));
  return entry("roei-incident#view");
}

test("a saved incident is drawn from its last computed status before the engine, marked 更新中, then replaced", async () => {
  const view = await savedWithView();
  assert.equal(view.format, "roei/widget-view@1");
  assert.equal(view.hash, await sha256(EXAMPLE), "the view names the exact record it was computed from");
  const real = Object.fromEntries(view.status.obligations.map((o) => [o.obligation, o.status]));
  // Two duties the engine does not have pending now: one made pending with a due time years ahead
  // (what an old view would show), one pending with a due time already past.
  const [ahead, past] = view.status.obligations.filter((o) => o.status !== "pending" && o.status !== "not_applicable");
  assert.ok(ahead && past, "the example has two such duties");
  const at = "2026-01-05T10:00:00+09:00";
  const stale = { ...view, at, status: { ...view.status, obligations: view.status.obligations.map((o) =>
    o === ahead ? { ...o, status: "pending", due: "2099-01-05T10:00:00+09:00", done_at: null }
      : o === past ? { ...o, status: "pending", due: "2026-01-06T10:00:00+09:00", done_at: null } : o) } };
  await entry("roei-incident#view", stale);

  const release = await holdEngine();
  await page.reload();
  await page.waitForSelector("roei-incident[ready]");
  assert.equal(await page.evaluate(() => performance.getEntriesByName("roei:wasm").length), 0, "drawn before the engine");
  assert.equal(await widget().getAttribute("refreshing"), "");
  const note = await widget().locator(".refreshing").innerText();
  assert.match(note, /^更新中: 前回の判定を表示しています/);
  assert.match(note, /2026\/01\/05 10:00 JST/, "the time the status was computed at");
  assert.equal(await card(ahead.obligation).getAttribute("data-status"), "pending", "the kept status is what is drawn");
  // Its due time has passed since the view was computed: shown overdue, as the engine would say,
  // and its countdown runs from the kept due time.
  assert.equal(await card(past.obligation).getAttribute("data-status"), "overdue");
  assert.match(await card(ahead.obligation).locator(".countdown").innerText(), /^残り \d+日/);
  // The record's own parts are there too (header, log).
  assert.equal(await widget().locator("header h2").innerText(), JSON.parse(EXAMPLE).title);
  assert.equal(await widget().locator("table.log tbody tr").count(), JSON.parse(EXAMPLE).events.length);
  assert.equal(await page.evaluate(() => document.querySelector("roei-incident").record), null, "no record before it is settled");

  await release();
  await page.evaluate(() => document.querySelector("roei-incident").settled);
  await widget().locator(".refreshing").waitFor({ state: "detached" });
  assert.equal(await widget().getAttribute("refreshing"), null);
  assert.equal(await card(ahead.obligation).getAttribute("data-status"), real[ahead.obligation], "replaced by the engine's status");
  assert.equal(await card(past.obligation).getAttribute("data-status"), real[past.obligation]);
  // And the view kept again, computed now from the same record.
  await page.waitForFunction((old) => new Promise((ok) => {
    const q = indexedDB.open("roei", 1);
    q.onsuccess = () => { const r = q.result.transaction("records").objectStore("records").get("roei-incident#view"); r.onsuccess = () => { ok(r.result?.at !== old); q.result.close(); }; };
  }), at);
  assert.equal((await entry("roei-incident#view")).hash, view.hash);
  assert.deepEqual(problems, []);
});

test("a view kept beside another record is never drawn (a crash between writes, another tab, an import)", async () => {
  const view = await savedWithView();
  // The stored record is now another one (here: the example without its last event), its view not
  // written: as after a crash between the record's write and the view's, or any writer but the widget.
  const doc = JSON.parse(EXAMPLE);
  const shorter = JSON.stringify({ ...doc, events: doc.events.slice(0, -1) });
  await entry("roei-incident", shorter);
  assert.equal((await entry("roei-incident#view")).hash, view.hash);

  const release = await holdEngine();
  await page.reload();
  await widget().locator(".loading").waitFor();
  // However long the engine takes, the view of the other record is not drawn.
  await page.waitForTimeout(700);
  assert.equal(await widget().getAttribute("ready"), null, "nothing drawn without the engine");
  assert.equal(await widget().locator("li.card").count(), 0);
  assert.equal(await widget().locator(".refreshing").count(), 0);
  await release();
  await page.waitForSelector("roei-incident[ready]");
  await page.evaluate(() => document.querySelector("roei-incident").settled);
  assert.equal(await widget().locator("table.log tbody tr").count(), doc.events.length - 1, "the stored record, evaluated now");
  assert.equal(await widget().locator(".refreshing").count(), 0);
  assert.equal(await storedRecord(page), shorter);

  // An append through the widget keeps the view of the new record in the same write.
  const other = widget().locator("section[aria-labelledby=h-other]");
  await other.getByLabel("種類", { exact: true }).selectOption("instruction_received");
  await other.getByLabel("内容", { exact: true }).fill("委託者から指示");
  await other.getByRole("button", { name: "記録する" }).click();
  await widget().getByText(/記録しました/).first().waitFor();
  const after = await storedRecord(page);
  assert.equal(JSON.parse(after).events.length, doc.events.length);
  assert.equal((await entry("roei-incident#view")).hash, await sha256(after));
  assert.deepEqual(problems, []);
});

/** The page reloaded with the widget's script held back, returning once the new document has
 *  committed. The old document is marked first, so that nothing after this reads it: a poll that ran in
 *  the outgoing document while the reload committed once found the old page's read (a flaky CI run). */
async function reloadHeld() {
  await page.evaluate(() => { window.__outgoing = true; });
  await page.reload({ waitUntil: "commit" });
}

/** The boot script's read of `roei-incident` (roei-store-read.js) in the reloaded document, once it
 *  has answered: its record's length. Polled with `evaluate`, whose answer is a value: the handle
 *  `waitForFunction` answered with was a handle to `undefined` in some loads (its wait began in the
 *  outgoing document while the reload committed), although the read was there. Polled on a timer:
 *  no animation frame comes while a stylesheet holds the first render back. */
async function bootRead() {
  for (;;) {
    const length = await page.evaluate(async () => {
      if (window.__outgoing) return null;
      const read = globalThis[Symbol.for("roei-incident.first-read")]?.reads.get("roei-incident")?.read;
      return read ? (await read)?.text?.length ?? null : null;
    }).catch(() => null); // the outgoing document's context, destroyed under the evaluation
    if (length) return length;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test("the boot script reads the saved incident before the widget's script has arrived, and the widget draws that read", async () => {
  await savedWithView();
  const release = await holdWidgetScript();
  await reloadHeld();
  assert.equal(await bootRead(), EXAMPLE.length, "read while the widget's script is held back");
  assert.equal(await page.evaluate(() => performance.getEntriesByName("roei:module").length), 0, "the widget's script has not run");
  await release();
  assert.equal(await page.evaluate(() => globalThis[Symbol.for("roei-incident.first-read")].reads.get("roei-incident").taken), true, "the widget took it");
  assert.equal(await widget().locator("table.log tbody tr").count(), JSON.parse(EXAMPLE).events.length);
  assert.equal(await storedRecord(page), EXAMPLE);
  assert.deepEqual(problems, []);
});

test("the boot script, a plain script first in the head, reads before the page's stylesheet and the widget's script have arrived", async () => {
  await savedWithView();
  // A module script (the boot module up to session 8) runs only once the page's stylesheets are in.
  let styleIn;
  const styleHeld = new Promise((r) => { styleIn = r; });
  const holdStyle = async (route) => { await styleHeld; await route.continue(); };
  await page.route("**/portal.css", holdStyle);
  const release = await holdWidgetScript();
  await reloadHeld();
  assert.equal(await bootRead(), EXAMPLE.length, "read while the stylesheet is held back");
  assert.equal(await page.evaluate(() => document.querySelector('link[rel="stylesheet"]').sheet), null, "the stylesheet is not in");
  styleIn();
  await page.unroute("**/portal.css", holdStyle);
  await release();
  assert.equal(await page.evaluate(() => globalThis[Symbol.for("roei-incident.first-read")].reads.get("roei-incident").taken), true, "the widget took it");
  assert.equal(await widget().locator("table.log tbody tr").count(), JSON.parse(EXAMPLE).events.length);
  assert.deepEqual(problems, []);
});

test("the demo page fetches the engine only once a kept view is drawn: nothing competes with the widget's script", async () => {
  await savedWithView();
  await page.reload();
  await page.evaluate(() => document.querySelector("roei-incident").settled);
  // When each of the engine's two files was requested, and when the widget said the view was drawn.
  const { drawn, engine } = await page.evaluate(() => ({
    drawn: performance.getEntriesByName("roei:ready")[0]?.startTime,
    engine: performance.getEntriesByType("resource").filter((e) => /\/roei_wasm(_bg\.wasm|\.js)$/.test(new URL(e.name).pathname)).map((e) => e.startTime),
  }));
  assert.ok(drawn > 0, "the widget marks its first view");
  assert.equal(engine.length, 2, "the engine's glue and module were fetched");
  for (const t of engine) assert.ok(t >= drawn, `an engine file was requested at ${t} ms, before the kept view was drawn at ${drawn} ms`);
  assert.ok(await page.evaluate(() => Boolean(document.querySelector("roei-incident .refreshing") === null)), "refreshed by the engine");
  assert.deepEqual(problems, []);
});

test("without a kept status the boot script starts the engine's fetch before the widget's script has arrived", async () => {
  await savedWithView();
  await entry("roei-incident#view", null);
  const release = await holdWidgetScript();
  const engineRequested = page.waitForRequest((r) => new URL(r.url()).pathname.endsWith("/roei_wasm_bg.wasm"), { timeout: 15_000 });
  await reloadHeld();
  await engineRequested;
  assert.equal(await page.evaluate(() => performance.getEntriesByName("roei:module").length), 0, "the widget's script has not run");
  await release();
  assert.equal(await widget().locator("table.log tbody tr").count(), JSON.parse(EXAMPLE).events.length);
  assert.deepEqual(problems, []);
});

test("a boot read that another tab's append has outdated is not drawn: the widget reads again", async () => {
  await savedWithView();
  const release = await holdWidgetScript();
  await reloadHeld();
  await bootRead();
  // Another tab appends an event (the store tells other pages on its BroadcastChannel) after the boot read.
  const other = await browser.context.newPage();
  await other.goto(server.url);
  await other.evaluate(() => document.querySelector("roei-incident").settled);
  const form = other.locator("roei-incident section[aria-labelledby=h-other]");
  await form.getByLabel("種類", { exact: true }).selectOption("instruction_received");
  await form.getByLabel("内容", { exact: true }).fill("委託者から指示（別のタブ）");
  await form.getByRole("button", { name: "記録する" }).click();
  await other.locator("roei-incident").getByText(/記録しました/).first().waitFor();
  const grown = await storedRecord(other);
  await other.close();
  assert.equal(JSON.parse(grown).events.length, JSON.parse(EXAMPLE).events.length + 1);

  await release();
  assert.equal(await widget().locator("table.log tbody tr").count(), JSON.parse(grown).events.length, "the other tab's event is shown");
  assert.match(await widget().locator("table.log").innerText(), /別のタブ/);
  assert.equal(await page.evaluate(() => document.querySelector("roei-incident").record), grown);
  assert.deepEqual(problems, []);
});
