// Load-to-interactive time of <roei-incident> in headless Chromium (BENCHMARKS.md, "WASM and widget").
// Measures, per page load, performance.now() at the widget's "roei-ready" event, i.e. from the start of
// navigation (performance.timeOrigin) until the widget is drawn and accepts input; WASM fetch and
// compile and IndexedDB read included where the view needs them. Also the widget's own share: from
// the evaluation of the widget's script (performance mark "roei:module") to roei-ready; and when the
// engine and the store had both answered (mark "roei:loaded", the element's `settled`). The cases: an
// empty store (the registration form, drawn from the catalog data without waiting for the engine or
// IndexedDB) and a stored incident (the obligation view: without a kept status it needs both; with
// the status kept on the previous load, only IndexedDB, and `settled` comes with the engine). And, in the same run, two
// floors: the same harness on web-demo/bench/floor.html, a page like the demo with a trivial custom
// element instead of the widget (what this browser on this machine needs for any such page), and on
// bench/floor.html?idb, whose element first reads the stored record from IndexedDB (the least a saved
// incident's view can take here, before any engine or drawing).
// Usage: node tests/js/bench-load.mjs [runs]
import { serve } from "../../web-demo/serve.mjs";
import { launch } from "./browser.mjs";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./helpers.mjs";

const runs = Number(process.argv[2] ?? 15);
// Each case twice: "cold" (no-store, nothing cached) and "warm" (the files revalidated with ETags, as a
// portal serves them; Chromium then reuses the WASM it compiled on an earlier visit).
const cold = await serve(0, "127.0.0.1", { cache: "none" });
const warm = await serve(0, "127.0.0.1", { cache: "revalidate" });
let server = cold;
const browser = await launch();
const page = browser.context.pages()[0] ?? (await browser.context.newPage());
// The page tells the harness through the console when it is ready and, for the widget, settled: nothing
// of Playwright's runs in the page until then. (Up to session 7 the harness polled with
// page.waitForFunction once `load` had fired, which first compiles Playwright's injected script in the
// page: 10–50 ms of the page's main thread, during which a pending IndexedDB answer or draw waited. It
// fell inside most loads of the widget and the floors alike, but not by the same amount.)
await page.addInitScript(() => {
  document.addEventListener("roei-ready", (e) => {
    window.__ready = performance.now();
    console.debug("roei-bench:ready");
    Promise.resolve(e.target.settled).then(() => console.debug("roei-bench:settled"));
  });
});

/** Loads `path` and waits, without touching the page, until it says it is settled (roei-ready for a floor). */
async function load(path) {
  const settled = page.waitForEvent("console", { predicate: (m) => m.text() === "roei-bench:settled", timeout: 60_000 });
  await Promise.all([page.goto(server.url + path, { waitUntil: "load" }), settled]);
}

async function once(path = "") {
  await load(path);
  const r = await page.evaluate(async () => {
    const mark = (n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN;
    return { ready: window.__ready, dcl: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
      own: window.__ready - mark("roei:module"), wasm: mark("roei:wasm") - mark("roei:module"), loaded: mark("roei:loaded") };
  });
  // A saved incident's status is kept after `settled` (roei-store.js, keepView): let that write finish
  // before the next navigation, as it does when someone stays on the page.
  await page.waitForFunction(() => new Promise((ok) => {
    const q = indexedDB.open("roei", 1);
    q.onupgradeneeded = () => q.result.createObjectStore("records");
    q.onsuccess = () => {
      const s = q.result.transaction("records").objectStore("records");
      const rec = s.get("roei-incident"), view = s.get("roei-incident#view");
      view.onsuccess = () => { ok(rec.result == null || view.result != null); q.result.close(); };
    };
  }));
  return r;
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: +q(0.5).toFixed(1), p90: +q(0.9).toFixed(1), min: +s[0].toFixed(1), max: +s[s.length - 1].toFixed(1) };
};

const cases = [
  // A first visit: no database, no hint of a saved record (see the widget's Store).
  ["empty store (registration form)", () => page.evaluate(() => new Promise((r) => {
    localStorage.removeItem("roei:saved:roei-incident");
    const q = indexedDB.deleteDatabase("roei"); q.onsuccess = q.onerror = q.onblocked = () => r();
  }))],
  // A saved incident whose last computed status is not kept (as on the first load after an upgrade,
  // or after another writer): the obligation view waits for the engine and the record.
  ["stored incident (7 events, obligation view), no kept status", () => storeRecord(false)],
  // The usual case: the status the widget computed on the previous load is kept beside the record
  // (roei-store.js, `keepView`) and drawn at once, marked 更新中, until the engine has re-evaluated.
  ["stored incident (7 events), its last computed status kept", () => storeRecord(true)],
];

/** Stores the example as the widget stores it: the record in IndexedDB and the hint in localStorage;
 *  the view the previous load kept beside it is left (`keepView`) or deleted. */
function storeRecord(keepView) {
  const rec = readFileSync(join(ROOT, "examples", "nagaoka-usb-loss.json"), "utf8");
  return page.evaluate(([text, keep]) => new Promise((r) => {
    localStorage.setItem("roei:saved:roei-incident", "1");
    const q = indexedDB.open("roei", 1);
    q.onupgradeneeded = () => q.result.createObjectStore("records");
    q.onsuccess = () => {
      const t = q.result.transaction("records", "readwrite");
      t.objectStore("records").put(text, "roei-incident");
      if (!keep) t.objectStore("records").delete("roei-incident#view");
      t.oncomplete = () => { q.result.close(); r(); };
    };
  }), [rec, keepView]);
}

// Every case and both floors take turns, one load each per round, so that the ratio of a case to its
// floor compares loads made under the same conditions (the machine's load moves within a run).
const floors = [
  ["floor.html", "trivial element", async () => {}],
  ["floor.html?idb", "trivial element reading the stored record from IndexedDB", () => storeRecord(false)],
];
const out = {};
for (const srv of [cold, warm]) {
  server = srv;
  const temp = srv === cold ? "cold" : "warm";
  await once(); // the browser process and, for "warm", its caches; not counted
  const all = [
    ...cases.map(([name, prepare]) => ({ name: `${temp}, ${name}`, prepare, path: "", widget: true })),
    ...floors.map(([file, label, prepare]) => ({ name: `${temp}, floor (bench/${file}: ${label})`, prepare, path: `bench/${file}`, widget: false })),
  ];
  const m = new Map(all.map((c) => [c, { ready: [], dcl: [], own: [], wasm: [], loaded: [] }]));
  // Round 0 is not counted: what each case's previous load leaves (a kept status) is then in place.
  for (let i = 0; i <= runs; i++) {
    for (const c of all) {
      // Every measured load comes from the same page, the trivial floor (a visitor arriving from
      // another page of the portal): what the page before leaves to tear down (a widget page's engine
      // and DOM) then weighs on no case more than on another. Up to session 7 each load came from the
      // case before it, so the IndexedDB floor came from bench/floor.html and a saved incident from a
      // widget page.
      await page.goto(server.url + "bench/floor.html", { waitUntil: "load" });
      await c.prepare();
      const r = c.widget ? await once(c.path) : await load(c.path).then(() => page.evaluate(() =>
        ({ ready: window.__ready, dcl: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd })));
      if (i > 0) for (const k of Object.keys(r)) m.get(c)[k].push(r[k]);
    }
  }
  for (const c of all) {
    const x = m.get(c);
    out[c.name] = c.widget ? {
      "navigation start → roei-ready (ms)": stats(x.ready),
      "navigation start → DOMContentLoaded (ms)": stats(x.dcl),
      "widget module evaluated → roei-ready (ms)": stats(x.own),
      "widget module evaluated → engine instantiated (ms)": stats(x.wasm),
      "navigation start → engine and store answered (ms)": stats(x.loaded),
    } : {
      "navigation start → ready (ms)": stats(x.ready),
      "navigation start → DOMContentLoaded (ms)": stats(x.dcl),
    };
  }
  // The ratio issue 17 asks for: a saved incident (its status kept) to the IndexedDB floor, in this run.
  const median = (name) => out[`${temp}, ${name}`]?.["navigation start → roei-ready (ms)"]?.median ?? out[`${temp}, ${name}`]["navigation start → ready (ms)"].median;
  out[`${temp}, ratio to the IndexedDB floor (medians)`] = Object.fromEntries(cases.slice(1).map(([name]) =>
    [name, +(median(name) / median(`floor (bench/${floors[1][0]}: ${floors[1][1]})`)).toFixed(2)]));
}
console.log(JSON.stringify({ runs, chromium: browser.context.browser()?.version() ?? "(persistent context)", results: out }, null, 2));
await browser.close();
await cold.close();
await warm.close();
