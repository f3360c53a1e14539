// Debian's Chromium driven by playwright-core. Playwright never downloads a browser here: the
// executable is given, and every profile is a fresh temporary directory.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

export const CHROMIUM = process.env.ROEI_CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** A persistent context in a fresh user-data-dir (IndexedDB survives reloads within it). */
export async function launch() {
  const dir = mkdtempSync(join(tmpdir(), "roei-chromium-"));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1180, height: 900 }, locale: "ja-JP", timezoneId: "Asia/Tokyo",
  });
  return { context, close: async () => { await context.close(); rmSync(dir, { recursive: true, force: true }); } };
}
