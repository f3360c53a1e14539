// Durability of the widget's autosave (write-ahead to IndexedDB). Events are appended through the
// widget's own "other records" form; each one counts as acknowledged when the widget fires
// `roei-change` (documented as "after each saved append"). Right after triggering the next append
// the page is killed — closed without unload, its renderer crashed (CDP Page.crash), or the whole
// browser SIGKILLed — at several delays, and a new page is opened on the same profile. Every
// acknowledged event must be there, and the stored record must parse (nothing half-written).
// A second test submits two forms at once: both acknowledged, both must be kept.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "../../web-demo/serve.mjs";
import { launch } from "./browser.mjs";
import { ROOT } from "./helpers.mjs";

let server;
let dir;
let session = null; // { browser, page }
const acked = []; // notes whose append the widget acknowledged
const problems = [];

before(async () => {
  server = await serve(0);
  dir = mkdtempSync(join(tmpdir(), "roei-durability-"));
});

after(async () => {
  await session?.browser.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The Chromium processes started on our profile directory (found by their own command line). */
function profilePids() {
  const pids = [];
  for (const p of readdirSync("/proc")) {
    if (!/^\d+$/.test(p)) continue;
    try {
      if (readFileSync(`/proc/${p}/cmdline`, "utf8").includes(`--user-data-dir=${dir}`)) pids.push(Number(p));
    } catch { /* gone */ }
  }
  return pids;
}

async function openPage(context) {
  const page = await context.newPage();
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  // Acknowledgements reach Node through a binding as soon as the widget fires roei-change.
  await page.exposeBinding("__roeiAck", (_src, note) => { acked.push(note); });
  await page.addInitScript(() => {
    document.addEventListener("roei-change", (e) => {
      const ev = JSON.parse(e.detail.record).events.at(-1);
      window.__roeiAck(ev.data?.what ?? ev.data?.subjects_count ?? ev.type);
    });
    // Submits the widget's "other records" form with `note` (as a user pressing 記録する would).
    window.__append = (note) => {
      const root = document.querySelector("roei-incident").shadowRoot;
      const sec = [...root.querySelectorAll("section")].find((s) => s.querySelector("h3")?.textContent === "その他の記録");
      const form = sec.querySelector("form");
      form.querySelector("[name=type]").value = "evidence_preserved";
      form.querySelector("[name=note]").value = note;
      form.requestSubmit();
    };
  });
  await page.goto(server.url);
  await page.waitForSelector("roei-incident[ready]");
  await page.evaluate(() => document.querySelector("roei-incident").settled);
  return page;
}

async function openSession() {
  const browser = await launch({ dir });
  for (const p of browser.context.pages()) await p.close();
  session = { browser, page: await openPage(browser.context) };
  return session;
}

/** What the reopened widget holds, and the raw stored text, both parsed. */
async function stored(page) {
  return page.evaluate(async () => {
    const w = document.querySelector("roei-incident");
    await w.settled; // the stored record read (the registration form may come first: see the widget's Store)
    const raw = await new Promise((ok, fail) => {
      const req = indexedDB.open("roei", 1);
      req.onsuccess = () => {
        const g = req.result.transaction("records").objectStore("records").get("roei-incident");
        g.onsuccess = () => { ok(g.result ?? null); req.result.close(); };
        g.onerror = () => fail(g.error);
      };
      req.onerror = () => fail(req.error);
    });
    return { shown: w.record, raw, live: w.shadowRoot.querySelector("[role=status]").textContent };
  });
}

async function assertIntact(page, where) {
  const s = await stored(page);
  assert.notEqual(s.raw, null, `${where}: nothing stored`);
  const doc = JSON.parse(s.raw); // throws on a half-written record
  assert.equal(s.shown, s.raw, `${where}: the widget did not load what is stored (${s.live})`);
  const ids = doc.events.map((e) => e.id);
  assert.deepEqual(ids, ids.map((_, i) => `e${i + 1}`), `${where}: event ids`);
  const notes = doc.events.map((e) => e.data?.what ?? e.data?.subjects_count ?? e.type);
  for (const n of acked) assert.ok(notes.includes(n), `${where}: acknowledged event "${n}" lost (stored: ${notes.join(", ")})`);
  // Nothing beyond the acknowledged events and at most the one in flight when the page died.
  assert.ok(doc.events.length <= acked.length + 2, `${where}: ${doc.events.length} events for ${acked.length} acknowledged`);
  return doc;
}

/** Appends `note` and waits for its acknowledgement. */
async function appendAcked(page, note) {
  const n = acked.length;
  await page.evaluate((t) => window.__append(t), note);
  const t0 = Date.now();
  while (!acked.includes(note)) {
    assert.ok(Date.now() - t0 < 15000, `no acknowledgement for ${note}`);
    await new Promise((r) => setTimeout(r, 2));
  }
  assert.equal(acked.length, n + 1);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test("killing the page during autosave never loses an acknowledged event", async () => {
  let { browser, page } = await openSession();
  // A started incident: the example's detection only, imported through the widget.
  const example = JSON.parse(readFileSync(join(ROOT, "examples", "nagaoka-usb-loss.json"), "utf8"));
  example.events = example.events.slice(0, 1);
  await page.locator("roei-incident input[type=file]").setInputFiles({ name: "r.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(example)) });
  await page.locator("roei-incident li.card").first().waitFor();

  // [how, delay in ms, whether another append is in flight]: without one, the kill comes at once
  // after an acknowledgement (a widget that acknowledged before its write completed loses it there).
  const rounds = [
    ["close", 0, true], ["crash", 0, true], ["sigkill", 0, true], ["close", 0, false], ["crash", 8, true],
    ["sigkill", 15, true], ["sigkill", 0, false], ["close", 40, true], ["crash", 0, false], ["sigkill", 2, true],
  ];
  for (const [r, [how, delay, inflight]] of rounds.entries()) {
    // A burst of appends, each awaited only until the widget acknowledges it.
    for (let i = 0; i < 3; i++) await appendAcked(page, `r${r}-${i}`);
    // The next append, then the kill while it is (likely) being written.
    if (inflight) await page.evaluate((t) => window.__append(t), `r${r}-inflight`);
    if (delay) await sleep(delay);
    if (how === "close") {
      await page.close({ runBeforeUnload: false });
      page = await openPage(browser.context);
    } else if (how === "crash") {
      const cdp = await browser.context.newCDPSession(page);
      cdp.send("Page.crash").catch(() => {});
      await page.waitForEvent("crash", { timeout: 10000 }).catch(() => {});
      await page.close().catch(() => {});
      page = await openPage(browser.context);
    } else {
      const pids = profilePids();
      assert.ok(pids.length > 0, "chromium processes of the profile");
      for (const pid of pids) { try { process.kill(pid, "SIGKILL"); } catch { /* already gone */ } }
      await browser.close();
      for (let i = 0; i < 200 && profilePids().length; i++) await sleep(25);
      ({ browser, page } = await openSession());
    }
    const doc = await assertIntact(page, `round ${r} (${how} after ${delay} ms)`);
    // The in-flight append either landed whole or not at all; if it did, count it from now on.
    const last = doc.events.at(-1);
    if (last.data?.what === `r${r}-inflight` && !acked.includes(last.data.what)) acked.push(last.data.what);
  }
  assert.ok(acked.length >= rounds.length * 3);
  // The widget still works on the recovered record, and a reload shows it.
  await appendAcked(page, "final");
  await page.reload();
  await page.waitForSelector("roei-incident[ready]");
  await assertIntact(page, "final reload");
  assert.deepEqual(problems, []);
});

test("two forms submitted together: both acknowledged, both kept", async () => {
  const { page } = session;
  for (let round = 0; round < 3; round++) {
    const before = acked.length;
    // Two submits in the same task, as a user clicking the 記録する buttons of two forms faster than
    // the write completes (requestSubmit ignores the form's busy button, so one form stands in for two).
    await page.evaluate((r) => {
      window.__append(`pair${r}-a`);
      window.__append(`pair${r}-b`);
    }, round);
    const t0 = Date.now();
    while (Date.now() - t0 < 3000 && acked.length < before + 2) await sleep(10);
    await sleep(200);
    assert.equal(acked.length, before + 2, "both appends acknowledged");
    const s = await stored(page);
    const notes = JSON.parse(s.raw).events.map((e) => e.data?.what);
    for (const n of acked.slice(before)) assert.ok(notes.includes(n), `acknowledged "${n}" not stored (stored: ${notes.slice(-4).join(", ")}; ${s.live})`);
    assert.equal(s.shown, s.raw, "shown record = stored record");
    await page.reload();
    await page.waitForSelector("roei-incident[ready]");
    await assertIntact(page, `pair ${round}`);
  }
  assert.deepEqual(problems, []);
});
