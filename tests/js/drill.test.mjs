// <roei-drill> in Chromium on the demo page drill.html (same strict CSP as the portal): the
// nagaoka-usb-loss scenario from the library, the facilitator's clock (steps, "to the next inject",
// a running clock that stops at an inject), injects appearing (the branching reminder too), the
// report to the principal recorded from the form, one obligation left to go late, the score with
// that obligation late and its clause id, the debrief in a sandboxed frame, and the exported
// playthrough scored identically by `roei drill SCENARIO --play`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { serve } from "../../web-demo/serve.mjs";
import { launch, watchedPage } from "./browser.mjs";
import { ROOT, runCli } from "./helpers.mjs";

// Screenshots go under target/ (not checked in), where the build puts its other outputs.
const SHOTS = join(ROOT, "target", "drill-screenshots");
const SCENARIO = join(ROOT, "examples", "drills", "nagaoka-usb-loss.json");
let server, browser, page;
const problems = [];
const requested = [];

before(async () => {
  server = await serve(0);
  browser = await launch();
  page = await watchedPage(browser, problems);
  page.on("request", (r) => requested.push(r.url()));
  page.on("dialog", (d) => d.accept());
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const drill = () => page.locator("roei-drill");
const row = (obligation) => drill().locator(`table.board tr[data-obligation="${obligation}"]`);
const clock = () => drill().locator(".simclock");
const inject = (id) => drill().locator(`li[data-inject="${id}"]`);

test("a facilitated nagaoka drill: clock, injects, a late report, score, debrief, export", async () => {
  await page.goto(`${server.url}drill.html`);
  await page.waitForSelector("roei-drill[ready]");
  // The drill page needs only the drill module, not the engine every incident page loads.
  assert.equal(requested.some((u) => u.includes("roei_drill_bg.wasm")), true);
  assert.equal(requested.some((u) => u.includes("roei_wasm")), false);

  // Choose from the library (Japanese first), then the briefing: goals and roles.
  await drill().getByRole("heading", { name: "シナリオの選択" }).waitFor();
  await drill().getByLabel(/USBメモリの紛失/).check();
  await drill().getByRole("button", { name: "このシナリオで準備する" }).click();
  await drill().getByRole("heading", { name: "学習目標" }).waitFor();
  assert.match(await drill().locator("ul.goals").innerText(), /直ちに書面で報告する/);
  assert.match(await drill().locator("main").innerText(), /個人情報保護担当/);
  await drill().getByRole("button", { name: "訓練を開始する" }).click();

  // T+0: the first inject and the report's countdown on the simulated clock.
  await inject("i0").waitFor();
  assert.equal(await clock().innerText(), "T+0");
  assert.match(await drill().locator(".instant").innerText(), /2026\/11\/02 10:00:00 JST/);
  assert.equal(await row("nagaoka:13-1").getAttribute("data-status"), "pending");
  assert.equal(await row("nagaoka:13-1").locator(".countdown").innerText(), "残り 1:00:00");

  // +10 min from the keyboard: the countdown follows the simulated clock, not the wall clock.
  await drill().getByRole("button", { name: "+10分" }).focus();
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelector("roei-drill").shadowRoot.querySelector(".simclock").textContent === "T+10m");
  assert.equal(await row("nagaoka:13-1").locator(".countdown").innerText(), "残り 0:50:00");

  // To the next inject: T+40m, the count of residents arrives.
  await drill().getByRole("button", { name: "次の状況付与まで" }).click();
  await inject("i1").waitFor();
  assert.equal(await clock().innerText(), "T+40m");
  assert.match(await inject("i1").innerText(), /1,200人/);
  assert.equal(await inject("i2").count(), 0, "the reminder is conditional and not yet due");

  // Nobody reports: +1 h lets the report go late, and the branching reminder (i2, T+1h30m, only if
  // 13-1 is overdue) fires on the way.
  await drill().getByRole("button", { name: "+1時間" }).click();
  await inject("i2").waitFor();
  assert.equal(await clock().innerText(), "T+1h40m");
  assert.match(await inject("i2").innerText(), /書面の報告はまだですか/);
  await row("nagaoka:13-1").and(page.locator("[data-status=overdue]")).waitFor();
  assert.equal(await row("nagaoka:13-1").locator(".countdown").innerText(), "超過 0:40:00");

  // The report to the principal, in writing with the four contents, by the work lead, stamped T+1h40m.
  const form = drill().locator("form.act");
  await form.getByLabel("対応の種類").selectOption("reported_to_principal");
  await form.getByLabel("役割").selectOption("lead");
  assert.match(await form.locator(".stamp").innerText(), /^T\+1h40m/);
  await form.getByLabel("書面によるか").selectOption("y");
  await form.getByLabel("個人情報の内容").fill("住民の氏名・住所");
  await form.getByLabel("件数・数量").fill("1,200人");
  await form.getByLabel("発生場所").fill("受託者作業場所");
  // Player text is text: a payload stays characters.
  await form.getByLabel("発生状況").fill("<img src=x onerror=\"window.__xss=1\">保管庫から所在不明");
  await form.getByRole("button", { name: "記録する" }).click();
  await row("nagaoka:13-1").and(page.locator("[data-status=done_late]")).waitFor();
  await drill().locator("table.log").getByText("保管庫から所在不明", { exact: false }).waitFor();
  assert.equal(await page.evaluate(() => window.__xss ?? null), null);
  assert.equal(await drill().locator("img").count(), 0);

  // A form error names the field: a detection without its kind.
  await form.getByLabel("対応の種類").selectOption("detected");
  await form.getByRole("button", { name: "記録する" }).click();
  await form.locator("[aria-invalid=true][name=kind]").waitFor();
  assert.match(await form.locator(".err").innerText(), /data\.kind/);

  // The running clock at 3600×, pausing on the next inject (i3, T+3h): it stops exactly there.
  await drill().getByLabel("速度").selectOption("3600");
  assert.equal(await drill().getByLabel("状況付与で一時停止する").isChecked(), true);
  await drill().getByRole("button", { name: "時計を進める" }).click();
  await inject("i3").waitFor({ timeout: 15000 });
  await page.waitForFunction(() => document.querySelector("roei-drill").shadowRoot.querySelector("[aria-pressed]").getAttribute("aria-pressed") === "false");
  assert.equal(await clock().innerText(), "T+3h");
  await page.screenshot({ path: join(SHOTS, "drill-play.png"), fullPage: true });

  // The clock never goes back: the engine refuses a state before the last action.
  // (The element's state is private: the drill as this browser saved it, given to the drill module.)
  const refused = await page.evaluate(async () => {
    const drill = await import(new URL("pkg/roei_drill.js", location.href).href);
    await drill.default();
    const saved = JSON.parse(localStorage.getItem("roei-drill:roei-drill"));
    try { drill.drillState(saved.scenario, saved.playthrough, 0); return null; } catch (e) { return [e.name, e.code, e.path]; }
  });
  assert.deepEqual(refused, ["RoeiError", "invalid_value", "at"]);

  // A reload resumes the drill from this browser's copy, clock and record intact.
  await page.reload();
  await page.waitForSelector("roei-drill[ready]");
  await drill().getByRole("button", { name: /前回の訓練を再開/ }).click();
  await inject("i3").waitFor();
  assert.equal(await clock().innerText(), "T+3h");
  await row("nagaoka:13-1").and(page.locator("[data-status=done_late]")).waitFor();

  // +1 day, then end: the score shows 13-1 late, with its clause id.
  await drill().getByRole("button", { name: "+1日" }).click();
  await page.waitForFunction(() => document.querySelector("roei-drill").shadowRoot.querySelector(".simclock").textContent === "T+1d3h");
  await drill().getByRole("button", { name: "終了して採点" }).click();
  const late = drill().locator('table.score tr[data-obligation="nagaoka:13-1"]');
  await late.waitFor();
  assert.equal(await late.getAttribute("data-verdict"), "late");
  assert.match(await late.innerText(), /遅れて完了/);
  assert.match(await late.innerText(), /nagaoka:13-1/);
  assert.match(await late.innerText(), /1\.5 \/ 3/);
  assert.match(await drill().locator("section", { has: page.getByRole("heading", { name: "役割ごとの得点" }) }).innerText(), /受託者 作業責任者（lead）/);

  // The debrief: the core's HTML in a frame that cannot run script.
  const frame = drill().locator("iframe.debrief");
  assert.equal(await frame.getAttribute("sandbox"), "");
  const debrief = page.frameLocator("roei-drill >> iframe.debrief");
  await debrief.getByRole("heading", { name: "遅れたこと" }).waitFor();
  assert.match(await debrief.locator("body").innerText(), /nagaoka:13-1（長岡市 第13条第1項・直ちに）/);
  assert.equal(await debrief.locator("img").count(), 0);
  await frame.scrollIntoViewIfNeeded();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SHOTS, "drill-score.png"), fullPage: true });

  // Export the playthrough; the CLI scores the file exactly as the page did.
  const download = page.waitForEvent("download");
  await drill().getByRole("button", { name: "訓練記録（JSON）を書き出す" }).click();
  const file = await (await download).path();
  const text = readFileSync(file, "utf8");
  const exported = JSON.parse(text);
  assert.equal(exported.format, "roei/playthrough@1");
  assert.equal(exported.end, "2026-11-03T13:00:00+09:00");
  assert.deepEqual(exported.actions.map((a) => [a.at, a.role, a.type]), [["2026-11-02T11:40:00+09:00", "lead", "reported_to_principal"]]);
  const kept = join(SHOTS, "nagaoka-usb-loss.playthrough.json");
  writeFileSync(kept, text);
  const cli = runCli(["drill", SCENARIO, "--play", kept, "--json"]);
  assert.equal(cli.code, 0, cli.stderr);
  const shown = await page.evaluate(() => document.querySelector("roei-drill").result.score);
  assert.deepEqual(shown, JSON.parse(cli.stdout));
  assert.equal(JSON.parse(cli.stdout).obligations.find((o) => o.obligation === "nagaoka:13-1").verdict, "late");

  // The timeline picture comes from the reports module, fetched on this first use.
  assert.equal(requested.some((u) => u.includes("roei_reports")), false);
  await drill().getByRole("button", { name: "時系列図" }).click();
  await drill().locator(".timeline img").waitFor();
  assert.equal(requested.some((u) => u.includes("roei_reports_bg.wasm")), true);

  // English on request.
  await drill().getByRole("button", { name: "English" }).click();
  await drill().getByRole("heading", { name: "Score by role" }).waitFor();
  assert.match(await drill().locator('table.score tr[data-obligation="nagaoka:13-1"]').innerText(), /done late/);

  assert.deepEqual(problems, []);
});

test("a scenario from a file: its text is never markup, and the incident page never loads the drill module", async () => {
  const doc = JSON.parse(readFileSync(SCENARIO, "utf8"));
  const payload = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=1</script>";
  doc.title.ja = `${payload}訓練`;
  doc.goals[0].ja = payload;
  doc.roles[0].name.ja = payload;
  doc.injects[0].text.ja = payload;
  await page.goto(`${server.url}drill.html`);
  await page.waitForSelector("roei-drill[ready]");
  await drill().locator('input[type=file]').first().setInputFiles({ name: "evil.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(doc)) });
  await drill().getByRole("heading", { name: /訓練$/ }).waitFor();
  await drill().getByRole("button", { name: "訓練を開始する" }).click();
  await inject("i0").waitFor();
  assert.equal(await inject("i0").locator(".text").innerText(), payload);
  assert.equal(await drill().locator("img, script").count(), 0);
  await drill().getByRole("button", { name: "終了して採点" }).click();
  await page.frameLocator("roei-drill >> iframe.debrief").getByText(payload).first().waitFor();
  assert.equal(await page.evaluate(() => window.__xss ?? null), null);
  // A bad scenario file is refused with its path.
  await drill().getByRole("button", { name: "新しい訓練" }).click();
  doc.injects[0].at = "T+99x";
  await drill().locator('input[type=file]').first().setInputFiles({ name: "bad.json", mimeType: "application/json", buffer: Buffer.from(JSON.stringify(doc)) });
  await drill().locator(".err", { hasText: "injects[0].at" }).waitFor();

  requested.length = 0;
  await page.goto(server.url);
  await page.waitForSelector("roei-incident[ready]");
  assert.equal(requested.some((u) => u.includes("roei_drill")), false);
  assert.deepEqual(problems, []);
});
