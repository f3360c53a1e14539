// The shared record in Chromium (issue 15): roei-server with the demo portal, a contractor page and a
// city page in two separate browser profiles on one incident. The contractor's report appears on the
// city's page live; the city's PPC report appears on the contractor's; the contractor cannot record the
// city's duty; an append made offline is delivered when the network returns. Real service on SQLite,
// real Chromium; nothing mocked.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { launch, watchedPage } from "./browser.mjs";
import { ROOT } from "./helpers.mjs";

const BIN = join(ROOT, "target", "debug", "roei-server");
const INC = "INC-2026-0042";
let data, server, url, tokens = {}, contractorBrowser, cityBrowser;
const problems = [];

function token(args) {
  return execFileSync(BIN, ["token", "add", "--data-dir", data, ...args]).toString().trim();
}

async function api(method, path, body, headers = {}) {
  const r = await fetch(new URL(path, url), {
    method, body: body && JSON.stringify(body),
    headers: { authorization: `Bearer ${tokens.contractor}`, "content-type": "application/json", ...headers },
  });
  return { status: r.status, body: await r.json() };
}

const serverRecord = async () => (await api("GET", `/roei-api/incidents/${INC}`)).body;

/** Records an "evidence preserved" entry with `note` through the page's その他の記録 form. */
async function recordOther(page, note) {
  const form = page.locator("roei-incident section", { has: page.getByRole("heading", { name: "その他の記録" }) });
  await form.getByLabel("種類").selectOption("evidence_preserved");
  await form.getByLabel("内容").fill(note);
  await form.getByRole("button", { name: "記録する" }).click();
}

before(async () => {
  data = mkdtempSync(join(tmpdir(), "roei-shared-"));
  tokens.contractor = token(["--name", "株式会社例示", "--party", "contractor", "--principal", "長岡市", "--contract", "R8-0123"]);
  tokens.principal = token(["--name", "長岡市", "--party", "principal", "--principal", "長岡市"]);
  server = spawn(BIN, ["serve", "--data-dir", data, "--listen", "127.0.0.1:0", "--static", join(ROOT, "web-demo")], { stdio: ["ignore", "pipe", "inherit"] });
  url = await new Promise((ok, fail) => {
    server.stdout.once("data", (d) => ok(String(d).match(/http:\/\/[0-9.:]+/)[0] + "/"));
    server.once("exit", (c) => fail(new Error(`roei-server exited ${c}`)));
  });
  // The example incident up to the contractor's confirmation, without its report to the city.
  const example = JSON.parse(readFileSync(join(ROOT, "examples", "nagaoka-usb-loss.json"), "utf8"));
  let { head } = (await api("POST", "/roei-api/incidents", { id: INC, title: example.title, contracts: example.contracts })).body;
  for (const ev of example.events.filter((e) => ["e1", "e2", "e4", "e5"].includes(e.id))) {
    const a = await api("POST", `/roei-api/incidents/${INC}/events`, ev, { "if-match": `"${head}"` });
    assert.equal(a.status, 201, JSON.stringify(a.body));
    head = a.body.head;
  }
  contractorBrowser = await launch();
  cityBrowser = await launch();
});

after(async () => {
  await contractorBrowser?.close();
  await cityBrowser?.close();
  server?.kill("SIGKILL");
  if (data) rmSync(data, { recursive: true, force: true });
});

async function open(browser, party) {
  const page = await watchedPage(browser, problems);
  page.on("dialog", (d) => d.accept()); // the PPC report form asks to confirm what is sent
  await page.goto(`${url}shared.html#party=${party}&incident=${INC}&token=${tokens[party]}`);
  await page.waitForSelector("roei-incident[ready]");
  await page.evaluate(() => document.querySelector("roei-incident").settled);
  await page.locator("roei-incident li.card").first().waitFor();
  return page;
}

const shownTypes = (page) => page.evaluate(() => JSON.parse(document.querySelector("roei-incident").record).events.map((e) => e.type));
/** Waits until the page's record holds an event of `type` (by `actor`, when given). */
const waitForEvent = (page, type, actor = null, timeout = 3000) => page.waitForFunction(
  ([t, a]) => JSON.parse(document.querySelector("roei-incident").record).events.some((e) => e.type === t && (a === null || e.actor === a)),
  [type, actor], { timeout });

/** Fills every input of the card for `obligation` with plausible text and submits it. */
async function recordDuty(page, obligation) {
  const card = page.locator("roei-incident li.card", { has: page.locator(".clause", { hasText: obligation }) }).first();
  const form = card.locator("form");
  for (const el of await form.locator("input[type=text], textarea").all()) await el.fill("記入済み");
  for (const el of await form.locator("input[type=number]").all()) await el.fill("1200");
  await form.getByRole("button", { name: "記録する" }).click();
  return card;
}

test("15 shared record: live both ways, duties per party, offline append delivered", { timeout: 120_000 }, async () => {
  const contractor = await open(contractorBrowser, "contractor");
  const city = await open(cityBrowser, "principal");

  // The contractor's report (nagaoka 13-1) appears on the city's page without a reload.
  await recordDuty(contractor, "nagaoka:13-1");
  await waitForEvent(city, "reported_to_principal", "contractor");
  assert.ok((await serverRecord()).events.some((e) => e.type === "reported_to_principal" && e.received_at));

  // The contractor cannot record the city's PPC report: its page shows the duty read-only, and the
  // service refuses the event from the contractor's token whatever page sends it.
  const ppc = "appi-local-gov:68-1-preliminary";
  const ppcCard = contractor.locator("roei-incident li.card", { has: contractor.locator(".clause", { hasText: ppc }) }).first();
  await ppcCard.waitFor();
  assert.equal(await ppcCard.locator("form").count(), 0, "the city's duty has no form on the contractor's page");
  const head = (await fetch(new URL(`/roei-api/incidents/${INC}`, url), { headers: { authorization: `Bearer ${tokens.contractor}` } })).headers.get("etag");
  const refused = await api("POST", `/roei-api/incidents/${INC}/events`, { id: "x1", at: "2026-11-02T15:00:00+09:00", type: "ppc_preliminary_reported", data: {} }, { "if-match": head });
  assert.equal(refused.status, 403);
  assert.equal(refused.body.code, "duty_of_other_party");
  assert.equal(refused.body.clause, ppc);

  // The city's PPC report appears on the contractor's page.
  await recordDuty(city, ppc);
  await waitForEvent(contractor, "ppc_preliminary_reported", "principal");

  // Offline: the contractor's entry is kept and sent when the network returns; the city then sees it.
  await contractorBrowser.context.setOffline(true);
  await recordOther(contractor, "オフライン中に保全した記録");
  await waitForEvent(contractor, "evidence_preserved");
  assert.ok(!(await serverRecord()).events.some((e) => e.type === "evidence_preserved"), "not sent while offline");
  await contractorBrowser.context.setOffline(false);
  for (let i = 0; i < 100 && !(await serverRecord()).events.some((e) => e.type === "evidence_preserved"); i++) await new Promise((r) => setTimeout(r, 100));
  const rec = await serverRecord();
  assert.equal(rec.events.filter((e) => e.type === "evidence_preserved").length, 1, "delivered once");
  assert.equal(rec.events.find((e) => e.type === "evidence_preserved").actor, "contractor");
  await waitForEvent(city, "evidence_preserved", "contractor", 5000);

  // Every event the service holds is sealed into one chain, and the pages saw no script errors beyond
  // the refused request the browser logs.
  assert.ok(rec.events.every((e) => e.seal?.hash));
  assert.deepEqual(problems.filter((p) => !/403|Failed to load resource/.test(p)), []);
});

test("15 shared record: an entry made offline whose id the city took meanwhile is delivered under the next free id", { timeout: 120_000 }, async () => {
  const contractor = await open(contractorBrowser, "contractor");
  const city = await open(cityBrowser, "principal");
  const note = "オフライン中の記録（市が同じ番号を先に使う）";

  // Offline, the contractor records an entry; meanwhile the city records one under the same next id.
  await contractorBrowser.context.setOffline(true);
  await recordOther(contractor, note);
  const id = await (await contractor.waitForFunction((note) => JSON.parse(document.querySelector("roei-incident").record).events
    .find((e) => JSON.stringify(e.data).includes(note))?.id, note)).jsonValue();
  await recordOther(city, "市の記録");
  for (let i = 0; i < 50 && !(await serverRecord()).events.some((e) => e.id === id); i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal((await serverRecord()).events.find((e) => e.id === id)?.actor, "principal");
  await contractorBrowser.context.setOffline(false);

  // On reconnect the entry is sent under the shared record's next free id: both entries are kept,
  // once each, and nothing is shown as refused.
  let mine;
  for (let i = 0; i < 100 && !mine; i++) {
    mine = (await serverRecord()).events.filter((e) => JSON.stringify(e.data ?? {}).includes(note));
    if (!mine.length) { mine = undefined; await new Promise((r) => setTimeout(r, 100)); }
  }
  assert.equal(mine?.length, 1, "the offline entry reaches the shared record once");
  assert.equal(mine[0].actor, "contractor");
  assert.notEqual(mine[0].id, id);
  assert.equal((await serverRecord()).events.find((e) => e.id === id)?.actor, "principal");
  await contractor.waitForFunction((note) => JSON.parse(document.querySelector("roei-incident").record).events
    .some((e) => JSON.stringify(e.data ?? {}).includes(note) && e.actor === "contractor"), note);
  assert.equal(await contractor.locator("roei-incident section.refused").count(), 0);
  assert.deepEqual(problems.filter((p) => !/403|422|Failed to load resource/.test(p)), []);
});

test("15 shared record: a queued entry the service refuses for good is shown, exported and dismissed, never dropped", { timeout: 120_000 }, async () => {
  const contractor = await open(contractorBrowser, "contractor");
  const refusedPanel = contractor.locator("roei-incident section.refused");

  // The widget does not offer the city's duties to the contractor, but a queue written by another
  // version of the page (or a page whose party changed) may hold one: the service refuses it for good
  // (403 duty_of_other_party) when the queue is sent.
  const ev = { id: "x-queued", at: "2026-11-02T16:00:00+09:00", type: "ppc_preliminary_reported", actor: "contractor", data: { summary: "キューに残っていた記録" } };
  await contractor.evaluate(async ({ key, ev }) => {
    const db = await new Promise((ok, fail) => { const q = indexedDB.open("roei-remote-queue", 1); q.onsuccess = () => ok(q.result); q.onerror = fail; });
    await new Promise((ok, fail) => { const t = db.transaction("queue", "readwrite"); t.objectStore("queue").add({ key, ev }); t.oncomplete = ok; t.onerror = fail; });
    db.close();
    dispatchEvent(new Event("online"));
  }, { key: INC, ev });

  // The page says so and shows which entry and why; the shared record does not hold it.
  await refusedPanel.waitFor({ timeout: 10_000 });
  const shown = await refusedPanel.innerText();
  assert.match(shown, /サービスが受け付けなかった記録/);
  assert.ok(shown.includes("x-queued") && shown.includes("duty_of_other_party"), shown);
  assert.equal((await serverRecord()).events.filter((e) => e.id === "x-queued").length, 0);

  // Still shown after a reload (kept in IndexedDB); exported as JSON with the service's answer.
  await contractor.reload();
  await contractor.waitForSelector("roei-incident[ready]");
  await refusedPanel.waitFor();
  const [download] = await Promise.all([contractor.waitForEvent("download"), refusedPanel.getByRole("button", { name: "JSON書き出し" }).click()]);
  const exported = JSON.parse(readFileSync(await download.path(), "utf8"));
  assert.equal(exported.code, "duty_of_other_party");
  assert.ok(JSON.stringify(exported.ev.data).includes("キューに残っていた記録"));

  // Dismissed by the user, and only then gone.
  await refusedPanel.getByRole("button", { name: "閉じる" }).click();
  await refusedPanel.waitFor({ state: "detached" });
  await contractor.reload();
  await contractor.waitForSelector("roei-incident[ready]");
  await contractor.evaluate(() => document.querySelector("roei-incident").settled);
  assert.equal(await refusedPanel.count(), 0);
  assert.deepEqual(problems.filter((p) => !/403|422|Failed to load resource/.test(p)), []);
});
