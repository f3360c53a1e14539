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
