// Where <roei-incident> keeps its records: the browser's own store (IndexedDB, or localStorage where
// IndexedDB is unavailable). The widget talks to it only through the small interface below, so that a
// remote store (the `roei serve` service) can stand behind the same calls.
//
// A record store holds record texts under keys (the element's `storage-key`), and answers:
//
//   kind                          "IndexedDB" | "localStorage" (| a remote store's name), shown to users
//   mayHold(key)                  synchronous hint: false only when nothing can be stored under key
//   load(key)                     → { text, head } | null
//   list()                        → [{ key, text }] every record held, replaced ones included
//   append(key, text, head)       compare-and-set: writes `text` only if the stored head is still
//                                 `head` (null: nothing stored yet); → the new head, or throws a
//                                 StoreConflict whose `current` is what is stored now ({ text, head } | null)
//   replace(key, text, head, from?)  the same compare-and-set, for a record that does not extend the
//                                 stored one (an import, an undo, opening another incident): the stored
//                                 record is kept under a new key (`<key>#replaced-<ms>`), never dropped;
//                                 `from`, a kept key whose record `text` is, is removed in the same
//                                 step (the record moved, not copied); → { head, kept }
//   remove(key)                   deletes a kept record (only on the user's explicit, confirmed action)
//   archive(key)                  moves the record under a `#replaced-` key (a new incident starts
//                                 empty; the old one stays recoverable); → the key it was kept under
//   subscribe(key, fn)            fn() whenever another page (tab, window, element) changed key; → unsubscribe
//
// And, optionally (the local store has them; a store without them simply draws nothing early):
//
//   load(key, { view: true })     also → `view`: the last status computed from exactly this record
//                                 (keepView), or null; see "The last computed view" below
//   append(key, text, head, view) the view computed from `text` is written in the same transaction
//   keepView(key, text, view)     keeps `view` as computed from `text`, only if `text` is still the
//                                 stored record (checked in the same transaction)
//
// A head is opaque to callers. Here it is the stored text itself (compare-and-set on the exact text);
// a remote store uses the record's head hash. Appends therefore never overwrite another tab's event:
// two tabs that both extended `e7` race for the write, one wins, the other gets a StoreConflict with
// the winner's record, re-validates its event on it and tries again (roei-incident.js, `commit`).
//
// IndexedDB: read, compare and write happen in one readwrite transaction (transactions on one store
// run one at a time across every tab), with durability "strict" where the browser offers it (the
// transaction completes only once the data is flushed to disk). localStorage: the same steps under a
// Web Lock named after the key where the browser has the Web Locks API. Other pages learn of a write
// through a BroadcastChannel ("roei-store") message naming the key.
//
// The last computed view: beside each record (key `<key>#view`), the status the engine last computed
// from it, the labels it was drawn with and the policy URL, with the SHA-256 of the exact record text
// it was computed from. `load(key, { view: true })` reads the record and the view in one transaction
// and hands the view back only when that hash is the hash of the record it read, so a page can draw a
// saved incident before the engine has loaded (roei-incident.js, `#drawLastView`) and never draws a
// status computed from another record: after a crash between two writes, after another tab's append,
// after the record was replaced, the hashes differ and the page waits for the engine as before.

import { CHANNEL, STORE, VIEW_FORMAT, openDb, readSaved, savedHintKey, takeFirstRead, textHash, viewKey } from "./roei-store-read.js";

/** Thrown by append/replace when the stored head is not the expected one. */
export class StoreConflict extends Error {
  constructor(key, current) {
    super(`the record under "${key}" was changed elsewhere`);
    this.name = "StoreConflict";
    this.code = "conflict";
    this.current = current;
  }
}

const REPLACED = "#replaced-";

/**
 * A small value kept in localStorage (a saved-record hint, a preference, a drill in progress): reads
 * and writes that never throw (storage may be disabled or full). Shared by both elements.
 */
export class LocalValue {
  #key;
  constructor(key) { this.#key = key; }
  /** The text, or null when there is none; undefined when localStorage cannot be read at all. */
  get() { try { return localStorage.getItem(this.#key); } catch { return undefined; } }
  /** Whether the write took. */
  put(text) { try { localStorage.setItem(this.#key, text); return true; } catch { return false; } }
  clear() { try { localStorage.removeItem(this.#key); } catch { /* nothing kept */ } }
}

/** The record kept for `key` when it is replaced or archived at `ms`. */
const replacedKey = (key, ms) => `${key}${REPLACED}${ms}`;
/** Whether `k` is a kept (replaced) record of `key`. */
export const isReplacedOf = (k, key) => k.startsWith(`${key}${REPLACED}`);

/**
 * The browser's store. Beside each record, a hint in localStorage (`roei:saved:<key>` = "1"), set
 * before a record is first written and removed after it is archived: its absence lets a page with
 * nothing saved draw the registration form at once (IndexedDB's first read takes 20–45 ms on a slow
 * machine, localStorage one or two). Only a hint: the database is read every time.
 */
export class LocalRecordStore {
  #db = null;
  #channel = null;
  #listeners = new Map();

  /** Starts opening the browser's database (every store shares it); a page may call it early. */
  static open() { openDb(); }

  constructor() {
    openDb();
    try {
      this.#channel = new BroadcastChannel(CHANNEL);
      this.#channel.onmessage = (e) => { for (const fn of this.#listeners.get(e.data?.key) ?? []) fn(); };
    } catch { /* no BroadcastChannel: other tabs see writes on their next read */ }
  }

  get kind() { return this.#db ? "IndexedDB" : "localStorage"; }

  mayHold(key) { return new LocalValue(savedHintKey(key)).get() !== null; }

  #hint(key, saved) {
    const hint = new LocalValue(savedHintKey(key));
    if (saved) hint.put("1");
    else hint.clear();
  }

  async #open() {
    if (this.#db === null) this.#db = await openDb();
    return this.#db;
  }

  /** Runs `steps(get, put, del)` in one readwrite transaction (or under the key's Web Lock); `durability`
   *  "strict" (complete only once on disk) unless the write can be lost without harm (a view). */
  async #atomic(key, steps, durability = "strict") {
    const db = await this.#open();
    if (!db) {
      const run = () => steps((k) => localStorage.getItem(k), (k, v) => localStorage.setItem(k, v), (k) => localStorage.removeItem(k));
      return navigator.locks ? navigator.locks.request(`roei-store:${key}`, run) : run();
    }
    return new Promise((resolve, reject) => {
      let t;
      try { t = db.transaction(STORE, "readwrite", { durability }); } catch { t = db.transaction(STORE, "readwrite"); }
      const s = t.objectStore(STORE);
      let result;
      let failure = null;
      // The steps see values through callbacks, so that the whole read-compare-write stays in this transaction.
      const get = (k) => new Promise((ok) => { s.get(k).onsuccess = (e) => ok(e.target.result ?? null); });
      steps(get, (k, v) => s.put(v, k), (k) => s.delete(k))
        .then((r) => { result = r; }, (e) => { failure = e; t.abort(); });
      t.oncomplete = () => resolve(result);
      t.onerror = t.onabort = () => reject(failure ?? t.error ?? new Error("IndexedDB"));
    });
  }

  #changed(key) { this.#channel?.postMessage({ key }); }

  async load(key, { view = false } = {}) {
    // The read the boot script started before the widget's script ran (roei-store-read.js), or one now.
    const first = view ? await takeFirstRead(key) : null;
    const db = await this.#open();
    const { text, view: kept } = first ?? (db ? await readSaved(db, key, view) : { text: localStorage.getItem(key), view: null });
    this.#hint(key, text !== null);
    if (text === null) return null;
    const out = { text, head: text };
    if (view) out.view = kept;
    return out;
  }

  /** The entry kept for `view` computed from `text`, or null when it cannot be tied to the text. */
  async #viewEntry(text, view) {
    const hash = view ? await textHash(text) : null;
    return hash ? { ...view, format: VIEW_FORMAT, hash } : null;
  }

  async keepView(key, text, view) {
    const entry = await this.#viewEntry(text, view);
    if (!entry || !(await this.#open())) return;
    // Lost in a crash, no harm done: the view kept before (if any) still matches its own record.
    await this.#atomic(key, async (get, put) => {
      if ((await get(key)) === text) put(viewKey(key), entry);
    }, "relaxed");
  }

  async list() {
    const db = await this.#open();
    if (!db) {
      const out = [];
      for (let i = 0; i < localStorage.length; i++) {
        const k = localStorage.key(i);
        if (!k.startsWith("roei:saved:")) out.push({ key: k, text: localStorage.getItem(k) });
      }
      return out;
    }
    return new Promise((resolve, reject) => {
      const out = [];
      const r = db.transaction(STORE, "readonly").objectStore(STORE).openCursor();
      r.onsuccess = () => {
        const c = r.result;
        if (!c) { resolve(out); return; }
        // Records are texts; the views kept beside them are not records.
        if (typeof c.value === "string") out.push({ key: String(c.key), text: c.value });
        c.continue();
      };
      r.onerror = () => reject(r.error);
    });
  }

  async append(key, text, head, view = null) {
    this.#hint(key, true);
    // Hashed before the transaction: an await on anything but a request would let it commit.
    const entry = (await this.#open()) ? await this.#viewEntry(text, view) : null;
    // A Promise chain inside the transaction: each request's success callback queues the next one
    // before the transaction can auto-commit.
    await this.#atomic(key, async (get, put) => {
      const stored = await get(key);
      if (stored !== head) throw new StoreConflict(key, stored === null ? null : { text: stored, head: stored });
      put(key, text);
      if (entry) put(viewKey(key), entry);
    });
    this.#changed(key);
    return text;
  }

  async replace(key, text, head, from = null) {
    this.#hint(key, true);
    const kept = replacedKey(key, Date.now());
    await this.#atomic(key, async (get, put, del) => {
      const stored = await get(key);
      if (stored !== head) throw new StoreConflict(key, stored === null ? null : { text: stored, head: stored });
      if (stored !== null) put(kept, stored);
      put(key, text);
      if (from !== null) del(from);
    });
    this.#changed(key);
    return { head: text, kept: head === null ? null : kept };
  }

  async archive(key) {
    const kept = replacedKey(key, Date.now());
    const moved = await this.#atomic(key, async (get, put, del) => {
      const stored = await get(key);
      if (stored === null) return false;
      put(kept, stored);
      del(key);
      del(viewKey(key));
      return true;
    });
    this.#hint(key, false);
    this.#changed(key);
    return moved ? kept : null;
  }

  async remove(key) {
    await this.#atomic(key, async (get, put, del) => { del(key); });
    this.#changed(key);
  }

  subscribe(key, fn) {
    const set = this.#listeners.get(key) ?? new Set();
    set.add(fn);
    this.#listeners.set(key, set);
    return () => set.delete(fn);
  }
}
