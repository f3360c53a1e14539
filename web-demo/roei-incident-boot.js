// <roei-incident>'s boot module (optional, 1 KB): a page that puts
//
//   <script type="module" src="/roei/roei-incident-boot.js"></script>
//
// before the widget's script tag has each saved incident's record and kept status read from the
// browser's database while the widget's much larger script is still arriving; the widget takes the read
// when it connects (roei-store-read.js, `takeFirstRead`) instead of starting it then. A module script
// runs once the page is parsed, so the page's <roei-incident> elements are there to be found; one
// with `endpoint` keeps its record on a service and is left to the widget. Without this script the
// widget reads when it connects, as before: same view, a little later.
import { CHANNEL, FIRST_READ, openDb, readSaved, savedHintKey } from "./roei-store-read.js";

/**
 * Starts, for each key in `keys` that this browser's hint says holds a record, the read
 * `readSaved(db, key, true)`, to be taken (once) by the first store that loads that key.
 */
function startFirstReads(keys) {
  if (globalThis[FIRST_READ]) return;
  const reads = new Map();
  const db = openDb();
  globalThis[FIRST_READ] = { db, reads };
  let channel = null;
  try {
    // Another page's write to a key after its read started: that read is not handed over.
    channel = new BroadcastChannel(CHANNEL);
    channel.onmessage = (e) => { const entry = reads.get(e.data?.key); if (entry) entry.outdated = true; };
  } catch { /* no BroadcastChannel: no other page writes that this one would hear of either */ }
  for (const key of keys) {
    try { if (localStorage.getItem(savedHintKey(key)) === null) continue; } catch { continue; }
    const entry = { outdated: false, read: null };
    entry.read = db.then((conn) => (conn ? readSaved(conn, key, true) : null)).catch(() => null);
    reads.set(key, entry);
  }
  // Once every read has been taken or has waited long enough, nothing more is listened for.
  const done = () => { if (![...reads.values()].some((e) => !e.taken)) channel?.close(); };
  globalThis[FIRST_READ].done = done;
  setTimeout(() => { for (const e of reads.values()) e.taken = true; done(); }, 10_000);
  done();
}

startFirstReads([...document.querySelectorAll("roei-incident:not([endpoint])")].map((el) => el.getAttribute("storage-key") || "roei-incident"));
