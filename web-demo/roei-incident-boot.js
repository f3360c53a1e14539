// <roei-incident>'s boot script (optional, 1.8 KB gzip): a page that puts
//
//   <script src="/roei/roei-incident-boot.js"></script>
//
// first in its <head> (before its stylesheets) has each saved incident's record and kept status read
// from the browser's database while the rest of the page and the widget's much larger script are still
// arriving; the widget takes the read when it connects (roei-store-read.js, `takeFirstRead`) instead
// of starting it then. A plain script, not a module: the parser runs it as soon as it has arrived,
// before the page is parsed and without waiting for stylesheets (a module script waits for both). Sent
// that early, the database's open is answered as fast as on an empty page; sent once the page is parsed,
// it waited behind the page's own loading, about twice as long (BENCHMARKS.md "Load to interactive",
// session 8). The page's elements are not parsed yet, so the keys read are those this browser's hints
// say hold a record (`roei:saved:<key>`, set by the local store only), at most MAX_KEYS of them; a key
// no element of the page shows costs one unused read. Built (scripts/build-widget.mjs) as one script
// whose names stay inside it; the same file also works as a module script tag, later. A record read
// without a kept status needs the engine before its first view: the engine's fetch is then started too
// (`fetchEngine`). Without this script the widget reads when it connects, as before: same view, a
// little later.
import { CHANNEL, FIRST_READ, SAVED_HINT_PREFIX, openDb, readSaved } from "./roei-store-read.js";

/** The most records read before the widget asks (a browser rarely holds more than one per page). */
const MAX_KEYS = 8;

/** The keys this browser's hints say hold a record (roei-store.js sets a hint before a record's first
 *  write and removes it after the record is archived), at most MAX_KEYS. */
function hintedKeys() {
  const keys = [];
  try {
    for (let i = 0; i < localStorage.length && keys.length < MAX_KEYS; i++) {
      const name = localStorage.key(i);
      if (name?.startsWith(SAVED_HINT_PREFIX)) keys.push(name.slice(SAVED_HINT_PREFIX.length));
    }
  } catch { /* no localStorage: nothing is known to be saved */ }
  return keys;
}

/** This script's folder, the package's, where the engine's two files are (null when run as a module). */
const PACKAGE = globalThis.document?.currentScript?.src ? new URL("./", document.currentScript.src) : null;

/**
 * Starts fetching the engine's glue and module, as a page's preload hints would (docs/WIDGET.md,
 * "Loading fast"); the widget's own fetches of the same URLs take them. Only for a saved record whose
 * first view needs the engine: with a kept status, the view waits for the widget's script instead,
 * which the engine's 320 KB would delay, and the widget fetches the engine once the view is drawn.
 */
function fetchEngine() {
  if (!PACKAGE || fetchEngine.started) return;
  fetchEngine.started = true;
  const glue = document.createElement("link");
  glue.rel = "modulepreload";
  glue.href = new URL("roei_wasm.js", PACKAGE).href;
  const module = document.createElement("link");
  module.rel = "preload";
  module.as = "fetch";
  module.type = "application/wasm";
  module.crossOrigin = "anonymous";
  module.href = new URL("roei_wasm_bg.wasm", PACKAGE).href;
  document.head.append(glue, module);
}

/**
 * Opens the database (for the widget too, which shares the connection) and starts, for each key the
 * hints name, the read `readSaved(db, key, true)`, to be taken (once) by the first store that loads
 * that key.
 */
function startFirstReads() {
  if (globalThis[FIRST_READ]) return;
  // The open first, before localStorage (whose first use on a page may load it from the browser) and
  // the BroadcastChannel: nothing else here is worth a place ahead of it in the browser's queue.
  const db = openDb();
  const keys = hintedKeys();
  const reads = new Map();
  globalThis[FIRST_READ] = { db, reads };
  let channel = null;
  try {
    // Another page's write to a key after its read started: that read is not handed over.
    channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (e) => { const entry = reads.get(e.data?.key); if (entry) entry.outdated = true; };
  } catch { /* no BroadcastChannel: no other page writes that this one would hear of either */ }
  for (const key of keys) {
    const entry = { outdated: false, read: null };
    entry.read = db.then((conn) => (conn ? readSaved(conn, key, true) : null)).catch(() => null);
    entry.read.then((got) => { if (got?.text != null && !got.view) fetchEngine(); });
    reads.set(key, entry);
  }
  // Once every read has been taken or has waited long enough, nothing more is listened for.
  const done = () => { if (![...reads.values()].some((e) => !e.taken)) channel?.close(); };
  globalThis[FIRST_READ].done = done;
  setTimeout(() => { for (const e of reads.values()) e.taken = true; done(); }, 10_000);
  done();
}

// Run after the widget's script (a tag placed after it, or added late): the widget reads for itself.
if (!globalThis.customElements?.get("roei-incident")) startFirstReads();
