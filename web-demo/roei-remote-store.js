// The shared record: <roei-incident endpoint="/roei-api/"> keeps its record in roei-server
// (docs/SERVER.md) instead of this browser, through the same interface as roei-store.js, so the
// element does not know where its record lives. The key is the incident id.
//
//   load(key)               GET incidents/{key}; the head is the ETag (the record's hash-chain head)
//   append(key, text, head) the events of `text` beyond those stored at `head`, each POSTed with
//                           If-Match: head; a 409 (the other party appended first) is a StoreConflict
//                           carrying the current record, which the element re-validates on and retries.
//                           A new record (head null) is created first ({id, title, contracts}).
//   replace / archive /     refused: the shared record is append-only; corrections are new events
//   remove
//   subscribe(key, fn)      the service's event stream (server-sent events): fn() on every append,
//                           the other party's included, within a second
//
// Offline: an append the network did not carry (fetch failed) is kept in this browser (IndexedDB,
// database "roei-remote-queue") and sent when the network returns, in order; each send is an ordinary
// append with If-Match, so a conflict is retried on the new head (the service validates every append
// with roei-core) and an event already stored (its answer was lost) is recognised by the service and
// not doubled. The element shows the event at once; the status line says it is waiting to be sent.
// An entry whose id the other party took meanwhile is sent under the record's next free id.
// An event the service refuses for good (another party's duty, an event the record can no longer
// hold, an event the service's roei-core refuses on the new head) is kept in "refused" with the service's answer and a "refused" event is dispatched: the
// element shows each one (which event, the code and message) until the user exports or dismisses it.
//
//   refused(key)            the refused entries of this incident: [{ id, ev, status, code, message, path, clause }]
//   dismiss(id)             forgets one (the user has exported it or entered it again)
//
// Each append's answer carries the service's signed receipt; they are kept in `receipts` (and in
// IndexedDB beside the queue) so the client holds proof of what the service acknowledged.
import { StoreConflict } from "./roei-store.js";

const QUEUE_DB = "roei-remote-queue";

/** An error answer of the service: its `code`, `message`, `path` and `clause` (docs/SERVER.md). */
export class RemoteStoreError extends Error {
  constructor(status, body) {
    super(body?.message ?? `HTTP ${status}`);
    this.name = "RemoteStoreError";
    this.status = status;
    this.code = body?.code ?? "http_error";
    this.path = body?.path ?? "";
    this.clause = body?.clause ?? null;
  }
}

function queueDb() {
  return new Promise((resolve) => {
    try {
      const req = indexedDB.open(QUEUE_DB, 1);
      req.onupgradeneeded = () => {
        req.result.createObjectStore("queue", { autoIncrement: true });
        req.result.createObjectStore("receipts", { autoIncrement: true });
        req.result.createObjectStore("refused", { autoIncrement: true });
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => resolve(null);
    } catch { resolve(null); }
  });
}

function tx(db, store, mode, fn) {
  return new Promise((resolve, reject) => {
    const t = db.transaction(store, mode, { durability: "strict" });
    const out = fn(t.objectStore(store));
    t.oncomplete = () => resolve(out?.result ?? out);
    t.onerror = () => reject(t.error);
  });
}

/** The id after the largest `e<number>` of a record's text (the engine's `nextEventId` rule). */
function nextFreeId(text) {
  let max = 0;
  for (const { id } of JSON.parse(text).events) {
    const n = /^e(\d+)$/.exec(id)?.[1];
    if (n) max = Math.max(max, Number(n));
  }
  return `e${max + 1}`;
}

export class RemoteRecordStore extends EventTarget {
  #base;
  #token;
  #counts = new Map(); // head -> number of events stored at that head
  #db = queueDb();
  #flushing = null;
  /** Signed receipts of this page's appends (roei/receipt@1). */
  receipts = [];

  constructor(endpoint, token = null) {
    super();
    const base = new URL(endpoint, location.href);
    if (!base.pathname.endsWith("/")) base.pathname += "/";
    this.#base = base;
    this.#token = token;
    addEventListener("online", () => this.flush());
    this.flush();
  }

  get kind() { return "roei-server"; }
  mayHold() { return true; }

  #url(path) { return new URL(path, this.#base); }
  #headers(extra = {}) {
    const h = { ...extra };
    if (this.#token) h.authorization = `Bearer ${this.#token}`;
    return h;
  }
  async #fail(r) {
    let body = null;
    try { body = await r.json(); } catch { /* not JSON */ }
    return new RemoteStoreError(r.status, body);
  }

  async load(key) {
    const r = await fetch(this.#url(`incidents/${encodeURIComponent(key)}`), { headers: this.#headers(), cache: "no-store" });
    if (r.status === 404) return null;
    if (!r.ok) throw await this.#fail(r);
    const text = await r.text();
    const head = (r.headers.get("etag") ?? "").replace(/^W\//, "").replace(/"/g, "");
    this.#counts.set(head, JSON.parse(text).events.length);
    return { text, head };
  }

  async list() {
    const r = await fetch(this.#url("incidents"), { headers: this.#headers(), cache: "no-store" });
    if (!r.ok) throw await this.#fail(r);
    const out = [];
    for (const i of (await r.json()).incidents) {
      const rec = await this.load(i.id);
      if (rec) out.push({ key: i.id, text: rec.text });
    }
    return out;
  }

  /** POSTs one event with If-Match; → the new head. Throws StoreConflict on 409. */
  async #post(key, ev, head) {
    // The page's engine seals an event appended to a sealed record; the service seals it itself
    // (after adding received_at), so the page's seal is not sent.
    const { seal: _, ...plain } = ev;
    const r = await fetch(this.#url(`incidents/${encodeURIComponent(key)}/events`), {
      method: "POST",
      headers: this.#headers({ "content-type": "application/json", "if-match": `"${head}"` }),
      body: JSON.stringify(plain),
    });
    if (r.status === 409) throw new StoreConflict(key, await this.load(key));
    if (!r.ok) throw await this.#fail(r);
    const a = await r.json();
    this.#counts.set(a.head, a.seq);
    this.receipts.push(a.receipt);
    const db = await this.#db;
    if (db) await tx(db, "receipts", "readwrite", (s) => s.add(a.receipt)).catch(() => {});
    return a.head;
  }

  async append(key, text, head) {
    const rec = JSON.parse(text);
    if (rec.id !== key) throw new Error(`the shared record's id must be the element's storage-key ("${key}"), not "${rec.id}"`);
    let stored;
    if (head?.startsWith("pending:")) {
      // Events are already waiting to be sent: later ones queue behind them, in order.
      const queued = this.#counts.get(head);
      await this.#enqueue(key, rec.events.slice(queued));
      const pending = `pending:${head.split(":")[1]}:${rec.events.length}`;
      this.#counts.set(pending, rec.events.length);
      this.flush();
      return pending;
    }
    if (head === null) {
      const r = await fetch(this.#url("incidents"), {
        method: "POST",
        headers: this.#headers({ "content-type": "application/json" }),
        body: JSON.stringify({ id: rec.id, title: rec.title ?? null, contracts: rec.contracts }),
      });
      if (r.status === 409) throw new StoreConflict(key, await this.load(key));
      if (!r.ok) throw await this.#fail(r);
      head = (await r.json()).head;
      stored = 0;
    } else {
      stored = this.#counts.get(head);
      if (stored === undefined) {
        const now = await this.load(key);
        if (now?.head !== head) throw new StoreConflict(key, now);
        stored = this.#counts.get(head);
      }
    }
    for (const ev of rec.events.slice(stored)) {
      try {
        head = await this.#post(key, ev, head);
      } catch (e) {
        if (!(e instanceof TypeError)) throw e; // fetch's network failure is a TypeError
        await this.#enqueue(key, rec.events.slice(rec.events.indexOf(ev)));
        // The element goes on from its own record; the queue sends it when the network returns.
        const pending = `pending:${head}:${rec.events.length}`;
        this.#counts.set(pending, rec.events.length);
        return pending;
      }
    }
    return head;
  }

  async #enqueue(key, events) {
    const db = await this.#db;
    if (!db) throw new Error("offline, and this browser cannot keep the event (IndexedDB unavailable)");
    await tx(db, "queue", "readwrite", (s) => { for (const ev of events) s.add({ key, ev }); });
  }

  /** Sends queued events, oldest first; each retried on the current head after a conflict. */
  flush() {
    this.#flushing ??= (async () => {
      const db = await this.#db;
      if (!db) return;
      for (;;) {
        const ids = await tx(db, "queue", "readonly", (s) => s.getAllKeys());
        if (!ids?.length) return;
        const item = await tx(db, "queue", "readonly", (s) => s.get(ids[0]));
        let done = false;
        for (let attempt = 0; attempt < 16 && !done; attempt++) {
          let now;
          try {
            now = await this.load(item.key);
            if (!now) break;
            await this.#post(item.key, item.ev, now.head);
            done = true;
          } catch (e) {
            if (e instanceof TypeError) return; // still offline: the next "online" tries again
            if (e instanceof StoreConflict) continue;
            if (e.code === "duplicate_id" && now) {
              // The other party used this id while the entry waited (both pages number events e1,
              // e2, … from the record they hold). Nothing refers to an event by its id, so the entry
              // goes again under the shared record's next free id. The new id is written to the
              // queue first: if the answer to that send is lost, the next try repeats the same event
              // (which the service recognises) instead of sending it once more under a third id.
              item.ev = { ...item.ev, id: nextFreeId(now.text) };
              await tx(db, "queue", "readwrite", (s) => s.put(item, ids[0]));
              continue;
            }
            // Refused for good (another party's duty, an event the record cannot hold): set aside in
            // "refused" with the service's answer, never dropped.
            if (e.status === 401 || e.status >= 500) return; // not a refusal: tried again later
            const { status, code, message, path, clause } = e;
            const refused = { ...item, status, code, message, path, clause };
            await tx(db, "refused", "readwrite", (s) => s.add(refused));
            this.dispatchEvent(new CustomEvent("refused", { detail: refused }));
            done = true;
          }
        }
        if (!done) return;
        await tx(db, "queue", "readwrite", (s) => s.delete(ids[0]));
      }
    })().finally(() => { this.#flushing = null; });
    return this.#flushing;
  }

  async refused(key) {
    const db = await this.#db;
    if (!db) return [];
    const [ids, items] = await Promise.all(["getAllKeys", "getAll"].map((m) => tx(db, "refused", "readonly", (s) => s[m]())));
    return items.map((r, i) => ({ ...r, id: ids[i] })).filter((r) => r.key === key);
  }

  async dismiss(id) {
    const db = await this.#db;
    if (db) await tx(db, "refused", "readwrite", (s) => s.delete(id));
  }

  async replace() { throw Object.assign(new Error("the shared record is append-only: record a correction as a new event"), { code: "append_only" }); }
  async remove() { throw Object.assign(new Error("the shared record is append-only: it is never deleted"), { code: "append_only" }); }
  async archive() { throw Object.assign(new Error("the shared record is append-only: it cannot be set aside"), { code: "append_only" }); }

  subscribe(key, fn) {
    const url = this.#url(`incidents/${encodeURIComponent(key)}/stream`);
    if (this.#token) url.searchParams.set("access_token", this.#token);
    const es = new EventSource(url);
    es.addEventListener("append", () => fn());
    return () => es.close();
  }
}
