// Reading a saved record and the status kept beside it from the browser's database: the part of
// roei-store.js a saved incident's first view waits for, in a module of its own so that it can start
// before the widget's script has arrived. The store (roei-store.js) reads through it; the boot script
// (roei-incident-boot.js, an optional first script tag) starts the same read for each key this
// browser's hints name before the page is parsed, and hands it to the widget (`takeFirstRead`). Opening
// the database and the first read are most of a saved incident's wait (20–30 ms on a slow machine), and
// the widget's script, 20 times this module's size, is evaluated 15–20 ms later than a small one.
//
// The hand-over lives on `globalThis` under a registered symbol, because the built widget carries its
// own copy of this module (scripts/build-widget.mjs): the boot script's read and the widget's are two
// module instances. What is handed over is only ever a read of the database that the widget itself
// would have made, a little earlier: the record and its kept status read in one transaction, the
// status checked against the record's SHA-256 here, as the store's own read does. A read that another
// page's write may have outdated (a "roei-store" message for its key arrived after it started) is not
// used; the widget reads again.

export const DB_NAME = "roei";
export const STORE = "records";
/** The BroadcastChannel on which a store tells other pages which key it wrote. */
export const CHANNEL = "roei-store";
/** What a kept view says it is (a widget that draws views of another shape ignores it). */
export const VIEW_FORMAT = "roei/widget-view@1";

/** The key of the last computed view of the record under `key`. */
export const viewKey = (key) => `${key}#view`;

/** The localStorage hint that something is saved under `key` (roei-store.js, LocalRecordStore). */
export const SAVED_HINT_PREFIX = "roei:saved:";
export const savedHintKey = (key) => `${SAVED_HINT_PREFIX}${key}`;

/**
 * SHA-256 of `text` (UTF-8) in hex: what ties a kept view to the exact record text it was computed
 * from. null where the browser has no SubtleCrypto (a page not served over HTTPS or from localhost):
 * views are then neither kept nor drawn.
 */
export async function textHash(text) {
  if (!globalThis.crypto?.subtle) return null;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The boot script's hand-over (roei-incident-boot.js): { db: Promise<IDBDatabase | false>, reads:
 *  Map<key, { read, outdated, taken }>, done() }. */
export const FIRST_READ = Symbol.for("roei-incident.first-read");

// The database, opened once per page (the boot script's connection when it opened one first); every
// store shares it. `false` when IndexedDB is unavailable (some private modes).
let dbReady = null;
export function openDb() {
  dbReady ??= globalThis[FIRST_READ]?.db ?? new Promise((resolve) => {
    try {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(false);
    } catch { resolve(false); }
  });
  return dbReady;
}

/**
 * The record under `key` and, with `view`, the view kept beside it, read in one transaction (a view
 * read here was kept beside this very text or beside an earlier one, never beside a later one this
 * read missed): { text, view } with `view` null unless its hash is the hash of `text`; text null when
 * nothing is stored.
 */
export async function readSaved(db, key, view) {
  const [text, kept] = await new Promise((resolve, reject) => {
    const t = db.transaction(STORE, "readonly");
    const s = t.objectStore(STORE);
    const r = s.get(key);
    const v = view ? s.get(viewKey(key)) : null;
    // A transaction's requests are answered in the order they were placed, each with what it read: once
    // the last has succeeded, both values are in (a readonly transaction's `complete`, a moment later,
    // adds nothing to what was read; waiting for it cost 0.1–5 ms, BENCHMARKS.md session 8).
    (v ?? r).onsuccess = () => resolve([r.result ?? null, v?.result ?? null]);
    t.onerror = t.onabort = () => reject(t.error ?? r.error);
  });
  const verified = text !== null && kept?.format === VIEW_FORMAT && kept.hash && kept.hash === (await textHash(text));
  return { text, view: verified ? kept : null };
}

/**
 * The read the boot script started for `key` (once), as `readSaved(db, key, true)` returns it; null
 * when there is none, it failed, or another page wrote the key since it started: read again then.
 */
export async function takeFirstRead(key) {
  const first = globalThis[FIRST_READ];
  const entry = first?.reads.get(key);
  if (!entry || entry.taken) return null;
  entry.taken = true;
  const got = await entry.read;
  first.done();
  return got && !entry.outdated ? got : null;
}
