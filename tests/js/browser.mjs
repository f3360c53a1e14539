// Debian's Chromium driven by playwright-core. Playwright never downloads a browser here: the
// executable is given, and every profile is a fresh temporary directory.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.ROEI_CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/**
 * A persistent context in a fresh user-data-dir (IndexedDB survives reloads within it).
 * `dir`: reuse that user-data-dir instead (a relaunch on the same profile); `keep`: close() leaves it.
 */
export async function launch({ dir = null, keep = false } = {}) {
  const owned = dir === null;
  dir ??= mkdtempSync(join(tmpdir(), "roei-chromium-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1180, height: 900 }, locale: "ja-JP", timezoneId: "Asia/Tokyo",
  });
  return {
    context, dir,
    close: async () => {
      await context.close().catch(() => {});
      if (owned && !keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The context's first page, with page errors, console errors and CSP violations (reported as console
 * errors: a violation means the code needs a weaker policy than the demo portal sends) collected into
 * `problems`, which a test then expects empty.
 */
export async function watchedPage(browser, problems) {
  const page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
  page.on("console", (m) => { if (m.type() === "error") problems.push(`console: ${m.text()}`); });
  await page.addInitScript(() => document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP ${e.violatedDirective} ${e.blockedURI}`)));
  return page;
}

/** The raw text the widget's store holds under `key` in this page's profile (IndexedDB), or null. */
export function storedRecord(page, key = "roei-incident") {
  return page.evaluate((k) => new Promise((ok, fail) => {
    const req = indexedDB.open("roei", 1);
    req.onsuccess = () => {
      const g = req.result.transaction("records").objectStore("records").get(k);
      g.onsuccess = () => { ok(g.result ?? null); req.result.close(); };
      g.onerror = () => fail(g.error);
    };
    req.onerror = () => fail(req.error);
  }), key);
}

/** Deletes every record the widget's store holds in this profile, and the saved-record hints. */
export function forgetRecords(page) {
  return page.evaluate(() => new Promise((ok, fail) => {
    for (const k of Object.keys(localStorage)) if (k.startsWith("roei:saved:")) localStorage.removeItem(k);
    const req = indexedDB.open("roei", 1);
    req.onsuccess = () => {
      const t = req.result.transaction("records", "readwrite");
      t.objectStore("records").clear();
      t.oncomplete = () => { req.result.close(); ok(); };
      t.onerror = () => fail(t.error);
    };
    req.onerror = () => fail(req.error);
  }));
}
