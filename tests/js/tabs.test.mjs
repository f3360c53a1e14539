// Two tabs on one profile (issue 14, point 1): appends to the widget's IndexedDB store are
// compare-and-set, so two pages appending at the same moment both keep their events; each page then
// shows the other's event without a reload (BroadcastChannel).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { serve } from "../../web-demo/serve.mjs";
import { forgetRecords, launch, storedRecord } from "./browser.mjs";
import { ROOT } from "./helpers.mjs";

let server, browser;
const problems = [];

before(async () => {
  server = await serve(0);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function open() {
  const page = await browser.context.newPage();
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  await page.addInitScript(() => {
    window.__acks = [];
    document.addEventListener("roei-change", (e) => window.__acks.push(JSON.parse(e.detail.record).events.at(-1).data?.what));
    // Fills and submits the "other records" form, as a user pressing 記録する.
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

const notesOf = (text) => JSON.parse(text).events.map((e) => e.data?.what).filter(Boolean);

test("14.1 two pages append at once: both events survive, both pages show both", async () => {
  const a = await open();
  await forgetRecords(a);
  const example = JSON.parse(readFileSync(join(ROOT, "examples", "nagaoka-usb-loss.json"), "utf8"));
  example.events = example.events.slice(0, 1);
  await a.reload();
  await a.waitForSelector("roei-incident[ready]");
  await a.locator("roei-incident input[type=file]").setInputFiles({ name: "r.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(example)) });
  await a.locator("roei-incident li.card").first().waitFor();
  const b = await open();
  await b.locator("roei-incident li.card").first().waitFor();
  for (let round = 0; round < 5; round++) {
    // Both pages submit in the same instant (each from the record it loaded, e.g. both extending e<N>).
    await Promise.all([a.evaluate((r) => window.__append(`A${r}`), round), b.evaluate((r) => window.__append(`B${r}`), round)]);
    for (const [p, note] of [[a, `A${round}`], [b, `B${round}`]]) {
      await p.waitForFunction((n) => window.__acks.includes(n), note, { timeout: 10000 });
    }
    const stored = await storedRecord(a);
    const notes = notesOf(stored);
    for (let r = 0; r <= round; r++) for (const n of [`A${r}`, `B${r}`]) assert.ok(notes.includes(n), `round ${round}: "${n}" lost (stored: ${notes.join(", ")})`);
    const ids = JSON.parse(stored).events.map((e) => e.id);
    assert.deepEqual(ids, ids.map((_, i) => `e${i + 1}`), "ids in order, none twice");
    // Each page shows the stored record: its own event and the other page's (no reload).
    for (const p of [a, b]) await p.waitForFunction((s) => document.querySelector("roei-incident").record === s, stored, { timeout: 5000 });
  }
  await b.locator("roei-incident table.log").getByText("A4").waitFor();
  await a.locator("roei-incident table.log").getByText("B4").waitFor();
  // A reload of either finds all ten.
  await b.reload();
  await b.waitForSelector("roei-incident[ready]");
  assert.equal(notesOf(await b.evaluate(async () => { const w = document.querySelector("roei-incident"); await w.settled; return w.record; })).length, 10);
  assert.deepEqual(problems, []);
});
