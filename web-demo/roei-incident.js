// <roei-incident>: the incident-response widget for municipal portals.
//
//   <script type="module" src="/roei/roei-incident.js"></script>
//   <roei-incident></roei-incident>
//
// Plain JS, no framework. Runs inside other people's portals, so: every piece of record text goes in
// through textContent / DOM properties (never innerHTML), styles come from a stylesheet in the shadow
// root (CSP style-src 'self'), no eval, no inline handlers. All legal logic is in roei-core (WASM);
// this file only draws its status and turns form input into events.
//
// Attributes (reflected as properties): lang="ja|en" (default ja), storage-key (`storageKey`, default
// "roei-incident"), policy (URL of a roei/policy@1 JSON file, optional), party="contractor|principal",
// endpoint (URL of roei-server's API, e.g. "/roei-api/": the record is the shared one kept by the service,
// roei-remote-store.js, with storage-key the incident id; access-token for a page without a proxy).
// Events: RoeiReadyEvent "roei-ready" once interactive, RoeiChangeEvent "roei-change" (`record`, also
// `detail.record`) after each saved append. Properties: `record` (the record as JSON text, or null) and
// `settled`, a promise that resolves once the stored record (if any) is shown and the engine has loaded.
// "roei-ready" can come first: with nothing saved, the registration form is drawn from the catalog data
// before the engine and the database have answered (see `connectedCallback`). custom-elements.json
// describes the same API for tools. The element's state is in #private fields; the modules it is made
// of: roei-dom.js (DOM helpers), roei-store.js (where records are kept), roei-wasm.js (loading the
// engine), roei-incident-strings.js (its words); fetched only by the pages that use them:
// roei-remote-store.js (`endpoint`), roei-incident-strings-en.js (English), roei-incident-print.js,
// roei-incident-list.js (事案一覧).
import { h, nextId, field, say, showError, RoeiReadyEvent } from "./roei-dom.js";
import { LocalRecordStore, LocalValue, isReplacedOf } from "./roei-store.js";
import { loadModule } from "./roei-wasm.js";
import { STRINGS } from "./roei-incident-strings.js";
// The catalog's labels and profiles as plain data, generated from the engine at build time
// (scripts/gen-catalog.mjs): enough to draw the registration form without the engine. The built
// widget carries only the labels that form uses (actors, incident kinds); the views drawn once the
// engine has loaded take every label from the engine's labels().
import { labels as LABELS, profiles as PROFILES } from "./pkg/roei_catalog.js";

performance.mark?.("roei:module");
// The browser's database opens now, before the rest of this module runs: its first read is the
// longest wait of a saved incident's first view.
LocalRecordStore.open();
// The engine, fetched and compiled once per page: started by the first element that connects, at
// once, or, when a saved incident's kept status can be drawn first, right after that (the first view
// then needs IndexedDB, not the engine, and the engine's compile would compete with it).
let roei = null;
let wasmReady = null;
function engine() {
  wasmReady ??= loadModule("roei_wasm").then((glue) => {
    roei = glue;
    performance.mark?.("roei:wasm");
  });
  return wasmReady;
}
// The document renderers (report, timeline, ICS) are a second module, loaded once on first use.
const loadReports = () => loadModule("roei_reports");
// The stylesheet. The built widget (scripts/build-widget.mjs) carries its text, applied as a constructed
// stylesheet: no request, nothing to wait for, and allowed by a strict CSP (style-src 'self'), which
// governs <style> elements and style attributes, not constructed sheets. This source, served as is
// for development, links the file instead.
const CSS_TEXT = null;
const CSS_URL = new URL("./roei-incident.css", import.meta.url).href;
let sheet = null;
/** Styles the shadow root; resolves once the styles apply. */
function style(root) {
  if (CSS_TEXT !== null) {
    if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(CSS_TEXT); }
    root.adoptedStyleSheets = [sheet];
    return Promise.resolve();
  }
  const link = h("link", { rel: "stylesheet", href: CSS_URL });
  root.append(link);
  return new Promise((resolve) => { link.onload = link.onerror = resolve; });
}

const STAGE_ORDER = ["report", "contain", "notify", "cause", "prevent", "record", "publish", "ppc_preliminary", "ppc_final", "prepare"];
// The event that discharges an obligation of each stage (docs/FORMATS.md, event types).
const STAGE_EVENT = {
  report: "reported_to_principal", contain: "contained", notify: "subjects_notified", cause: "cause_analyzed",
  prevent: "prevention_implemented", record: "record_submitted", publish: "published",
  ppc_preliminary: "ppc_preliminary_reported", ppc_final: "ppc_final_reported",
};
// Events whose contents go under data.fields; for the others, keys sit directly in data.
const FIELDS_EVENTS = new Set(["reported_to_principal", "record_submitted", "ppc_preliminary_reported", "ppc_final_reported"]);
const TOP_KEYS = new Set(["measures", "method", "what", "reason", "text"]);
// The free-text key of each event type in the "other records" form.
const NOTE_KEY = {
  containment_started: "measures", contained: "measures", evidence_preserved: "what", dismissed: "reason",
  instruction_received: "text", cause_analyzed: "cause", prevention_implemented: "measures", published: "url",
};
const OTHER_TYPES = ["confirmed", "containment_started", "contained", "evidence_preserved", "principal_aware",
  "instruction_received", "dismissed", "cause_analyzed", "prevention_implemented", "published", "closed"];
const BOOL_FACTS = new Set(["sensitive", "ordinance_sensitive", "financial_damage_risk", "improper_purpose", "encrypted",
  "my_number", "my_number_system", "public_exposure"]);
const ACTIONABLE = new Set(["pending", "overdue"]);

/**
 * Parts every view repeats (an obligation's card before its duty is put in, the actor select, the
 * declared-time field), each drawn once per page by the renderer's own code and cloned for each use:
 * a clone is one call into the DOM where drawing the part is ten to thirty. Keyed by what they show
 * (language, labels); a saved incident's are drawn while the database answers (`#drawSkeletons`).
 */
const SKELETONS = new Map();
function skeleton(key, draw) {
  let el = SKELETONS.get(key);
  if (!el) SKELETONS.set(key, (el = draw()));
  return el;
}

/** The UI strings: Japanese at once, English once `loadEnglish` has fetched them. */
const UI = { ja: STRINGS.ja, en: null };
let englishReady = null;
function loadEnglish() {
  englishReady ??= import(new URL("./roei-incident-strings-en.js", import.meta.url).href).then((m) => { UI.en = m.EN; });
  return englishReady;
}

/** The shared record's store (roei-remote-store.js), fetched only by an element with `endpoint`. */
const loadRemoteStore = () => import(new URL("./roei-remote-store.js", import.meta.url).href);

/** 事案一覧 (roei-incident-list.js), fetched on its first use: no page needs it to draw. */
const loadList = () => import(new URL("./roei-incident-list.js", import.meta.url).href);

/** The document tools (preview, print view, ICS, timeline: roei-incident-print.js), fetched on first use;
 *  after a failed fetch (offline) the next click tries again. */
let documentsReady = null;
const loadDocuments = () => (documentsReady ??= import(new URL("./roei-incident-print.js", import.meta.url).href)
  .catch((e) => { documentsReady = null; throw e; }));

/** Runs `fn` once the element has read its store and loaded the engine. */
function settledThen(el, fn) { el.settled.then(fn); }

/** The language last chosen with the widget's button, in this browser. */
const LANG_CHOICE = new LocalValue("roei:lang");

/** An ISO 8601 span in words: PT1H → 1時間 / 1 hour, P3D → 3日 / 3 days (as core's Span::words). */
function duration(iso, lang) {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(iso ?? "");
  if (!m) return iso ?? "";
  const units = lang === "ja" ? ["日", "時間", "分", "秒"] : [" day", " hour", " minute", " second"];
  const parts = m.slice(1).map((n, i) => [Number(n ?? 0), units[i]]).filter(([n]) => n > 0)
    .map(([n, u]) => `${n}${u}${lang === "en" && n !== 1 ? "s" : ""}`);
  return parts.join(lang === "ja" ? "" : " ") || iso;
}

/** The nine items a report to the PPC gives as far as known (規則第44条 / APPI Rules Art. 8). */
const PPC_ITEMS = ["summary", "data_items", "subjects_count", "cause", "secondary_damage", "subject_response", "publication_status", "prevention", "other"];

/** How a report reached the PPC (data.via, an addition to roei/incident@1: README, Decisions). */
const PPC_VIA = ["online_form", "email", "post", "other"];

/** The order actors are offered in (after the page's own party). */
const ACTOR_ORDER = ["contractor", "principal", "subject", "ppc", "other"];

/** `YYYY-MM-DDTHH:MM` in Japan time: the value of a datetime-local field. */
function jstLocal(date = new Date()) { return jstString(date).slice(0, 16); }

/** RFC 3339 in Japan time, as the record writes instants. */
export function jstString(date = new Date()) {
  const t = new Date(date.getTime() + 9 * 3600e3);
  return t.toISOString().slice(0, 19) + "+09:00";
}

function text(v) {
  if (v === null || v === undefined) return "";
  return typeof v === "string" ? v : JSON.stringify(v);
}

/** `roei-change`: after each saved append; `record` (also `detail.record`) is the whole record as JSON text. */
export class RoeiChangeEvent extends CustomEvent {
  constructor(record) {
    super("roei-change", { bubbles: true, composed: true, detail: { record } });
    this.record = record;
  }
}

export class RoeiIncidentElement extends HTMLElement {
  static observedAttributes = ["lang", "party"];

  /** Registers the element under `tag` (once); returns the class. The module calls it with the defaults. */
  static define(tag = "roei-incident", registry = customElements) {
    if (!registry.get(tag)) registry.define(tag, this);
    return this;
  }

  // Everything below is the element's own: a portal's scripts reach the record through `record`,
  // `settled` and the events, never the Incident held in WASM memory (which every save replaces).
  #root;
  #inc = null; // roei.Incident: the record shown; freed and replaced on every save
  #head = null; // the stored record's head this element last read or wrote (roei-store.js)
  #store = null;
  #key = "roei-incident";
  #policy = null;
  #labels = null;
  #profiles = null;
  #status = null;
  #cards = new Map();
  #timer = 0;
  #refreshAt = 0;
  #settle;
  #started = false;
  #ready = false;
  #saving = null;
  #minute = "";
  #rec = null; // the record as parsed at the last refresh
  #lastView = null; // the kept view drawn before the engine answered (roei-store.js), until it has
  #lastViewNote = null;
  #setupListSlot = null;
  #shell; #live; #clock; #stepsList; #naList; #naBox; #factsSlot; #logSlot; #extraSlot; #undoSlot; #refusedSlot; #factsSig = null;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open" });
    /** Resolves once the stored record (if any) is shown and the engine has loaded. */
    this.settled = new Promise((resolve) => { this.#settle = resolve; });
  }

  /** Reflects `storage-key`: the key the record is kept under (default "roei-incident"). */
  get storageKey() { return this.getAttribute("storage-key") || "roei-incident"; }
  set storageKey(v) { this.setAttribute("storage-key", v); }
  /** Reflects `policy`: the URL of a roei/policy@1 file (read when the element connects). */
  get policy() { return this.getAttribute("policy"); }
  set policy(v) { if (v === null) this.removeAttribute("policy"); else this.setAttribute("policy", v); }
  /** Reflects `party`: "contractor" or "principal", the side this page records for; the other side's
   *  duties are shown read-only. Absent (null): one page records for both (a single-user setup). */
  get party() { return this.getAttribute("party") === "contractor" || this.getAttribute("party") === "principal" ? this.getAttribute("party") : null; }
  set party(v) { if (v === null) this.removeAttribute("party"); else this.setAttribute("party", v); }
  /** Reflects `endpoint`: roei-server's API URL; the record is then the shared one (docs/SERVER.md). */
  get endpoint() { return this.getAttribute("endpoint"); }
  set endpoint(v) { if (v === null) this.removeAttribute("endpoint"); else this.setAttribute("endpoint", v); }

  /** The record shown (and stored), as JSON text; null while there is none. */
  get record() { return this.#inc ? this.#inc.toJSON() : null; }

  get uiLang() { return this.getAttribute("lang") === "en" ? "en" : "ja"; }
  #t(k) { return this.#ui(k) ?? k; }
  /** A UI string in the current language; Japanese while the English strings are still on their way. */
  #ui(k) { return (this.uiLang === "en" ? UI.en?.[k] : null) ?? UI.ja[k]; }
  /** Catalog text: a `{ ja, en }` pair or a plain string. */
  #tx(v) { return v && typeof v === "object" ? (v[this.uiLang] ?? v.ja ?? "") : (v ?? ""); }
  /** A core label (`stage`, `term`, …) in the current language, falling back to the key. */
  #L(group, key) { return this.#labels?.[group]?.[key]?.[this.uiLang] ?? key; }

  async connectedCallback() {
    if (this.#started) return;
    this.#started = true;
    // The language chosen last time in this browser, unless the page sets one.
    if (!this.hasAttribute("lang") && (LANG_CHOICE.get() === "en" || LANG_CHOICE.get() === "ja")) this.setAttribute("lang", LANG_CHOICE.get());
    // English: its strings are fetched with the engine, and the first view waits for them.
    const english = this.uiLang === "en" ? loadEnglish() : Promise.resolve();
    const styled = style(this.#root);
    this.#root.append(
      (this.#shell = h("div", { class: "shell", lang: this.uiLang }, h("p", { class: "loading" }, this.#t("loading")))),
      (this.#live = h("div", { class: "sr", role: "status", "aria-live": "polite" })),
    );
    this.#labels = LABELS;
    this.#profiles = PROFILES;
    try {
      // The store, the policy and the WASM module load in parallel; none needs the others.
      this.#store = this.endpoint ? new (await loadRemoteStore()).RemoteRecordStore(this.endpoint, this.getAttribute("access-token")) : new LocalRecordStore();
      this.#key = this.storageKey;
      const src = this.policy;
      const stored = this.#store.load(this.#key, { view: true });
      const lastViewFirst = this.#store.mayHold(this.#key) && Boolean(this.#store.keepView);
      let startEngine;
      const engineReady = new Promise((resolve) => { startEngine = () => resolve(engine()); });
      if (!lastViewFirst) startEngine();
      const loading = Promise.all([
        stored,
        src ? fetch(src).then((r) => r.json()) : null,
        engineReady,
      ]);
      // Nothing saved here, as far as this browser knows: the registration form needs only the catalog
      // data, so it is drawn as soon as its stylesheet is in, while the engine and the database load.
      // Its submit waits for them (`settled`); a record the database turns out to hold replaces it.
      loading.catch(() => {}); // awaited below; not an unhandled rejection while the form is drawn
      if (!this.#store.mayHold(this.#key)) {
        await styled;
        await english;
        this.#interactive();
      } else {
        // A saved record: the status last computed from exactly this record (the store checks its
        // hash in the same read) is drawn at once, marked 更新中, and replaced when the engine has
        // evaluated the record now. No such view (another tab's append, a crash before it was kept, a
        // different policy): the page waits for the engine, as before.
        // While the database answers: what the view's draw would otherwise start with, the two date
        // formats it shows (the first made in a page costs more than every date drawn with it) and the
        // skeletons of the parts it repeats (the first of each kind of control costs the most, too).
        format("minute", this.uiLang);
        format("second", this.uiLang);
        this.#drawSkeletons();
        const saved = await stored.catch(() => null);
        if (saved?.view && saved.view.policy === (src ?? null)) {
          await styled;
          await english;
          this.#drawLastView(saved);
        }
        startEngine();
      }
      const [saved, policy] = await loading;
      performance.mark?.("roei:loaded");
      this.#policy = policy;
      // Every vocabulary's labels, from the engine (the built file carries only the registration form's).
      this.#labels = roei.labels();
      if (saved) {
        try { this.#inc = roei.Incident.fromJSON(saved.text); this.#head = saved.head; } catch (e) { this.#fail(e); }
      }
      // Another tab or element wrote this record: show what it wrote (after any save of ours in flight).
      this.#store.subscribe(this.#key, () => this.#serially(() => this.#reload()));
      // An entry made offline that the service refused on reconnect: the record is read again (the entry
      // is not in it), the refusal is said and stays shown until exported or dismissed.
      this.#store.addEventListener?.("refused", ({ detail: r }) => this.#serially(() => this.#reload()).then(() => {
        showError(this.#live, null, r, `${this.#t("refusedTitle")} ${r.ev.id}`);
        this.#showRefused();
      }));
      if (!this.#ready) {
        await styled;
        await english;
        this.#interactive();
      } else if (this.#lastView && this.#inc && saved.view?.engine === roei.version()) {
        // The view drawn from the kept status, by this engine: patched in place with the status now
        // (forms typed into meanwhile stay), and no longer marked 更新中.
        this.#leaveLastView();
        this.#refresh();
      } else if (this.#inc || this.#lastView) {
        this.#leaveLastView();
        this.#render();
      }
      this.#settle();
    } catch (e) {
      // A portal whose CSP forbids compiling WebAssembly is the likely cause of an engine that does not
      // load: say so to whoever embeds the widget, with the browser's own message.
      const csp = e instanceof WebAssembly.CompileError && /Content.Security.Policy|wasm-unsafe-eval/i.test(e.message);
      this.#shell.replaceChildren(h("p", { class: "err", role: "alert" }, csp ? this.#t("engineFailed") : "", ` ${this.#t("error")}: ${e?.message ?? e}`));
      this.#settle();
    }
  }

  /**
   * Draws a saved incident from its kept view (`saved.view`: the status computed from this very text,
   * the labels it was drawn with) before the engine has loaded, marked 更新中 with the time it was
   * computed at. Deadlines move with time: a duty the view has pending whose due time has passed since
   * is shown overdue (`asOf`). Anything unexpected in the view: nothing is drawn, the engine is awaited.
   */
  #drawLastView(saved) {
    try {
      this.#rec = JSON.parse(saved.text);
      this.#labels = saved.view.labels;
      this.#lastView = saved.view;
      this.toggleAttribute("refreshing", true);
      this.#interactive();
    } catch {
      this.#leaveLastView();
      this.#labels = LABELS;
      this.#rec = null;
      clearInterval(this.#timer);
      this.#ready = false;
      this.removeAttribute("ready");
      this.#shell.replaceChildren(h("p", { class: "loading" }, this.#t("loading")));
    }
  }

  /** The engine has evaluated the record: the kept view and its 更新中 note go. */
  #leaveLastView() {
    this.#lastView = null;
    this.#lastViewNote?.remove();
    this.#lastViewNote = null;
    this.removeAttribute("refreshing");
  }

  /** Draws the current view and announces that the widget accepts input. */
  #interactive() {
    this.#render();
    this.#timer = setInterval(() => this.#tick(), 1000);
    this.#ready = true;
    performance.mark?.("roei:ready");
    this.setAttribute("ready", "");
    this.dispatchEvent(new RoeiReadyEvent());
  }

  disconnectedCallback() { clearInterval(this.#timer); }

  attributeChangedCallback() {
    if (!this.#ready) return;
    if (this.uiLang === "en" && !UI.en) loadEnglish().then(() => this.#render(), (e) => this.#fail(e));
    else this.#render();
  }

  #announce(msg) { say(this.#live, msg); }

  /** Shows an error where it happened and says it: ours in the UI's language, then the engine's detail. */
  #fail(e, where) {
    const shown = e?.code ? { message: `${this.#explain(e)} — ${e.message}`, path: e.path } : e;
    showError(this.#live, where, shown, this.#t("error"));
  }

  /** A RoeiError in the UI's language, naming the field by its label: 「件数・数量」: 入力が必要です. */
  #explain(e) {
    const key = String(e?.path ?? "").split(".").pop().replace(/\[\d+\]$/, "");
    const lang = this.uiLang;
    const name = this.#labels.field_key?.[key]?.[lang] ?? this.#labels.fact?.[key]?.[lang] ?? this.#ui(`key_${key}`) ?? key;
    // The engine's own sentence (English) stands in where we have no wording for the code.
    const why = this.#ui(`err_${e?.code}`) ?? e?.message ?? String(e);
    return name ? `${this.#q(name)}: ${why}` : why;
  }

  // ---------- views ----------

  /** Draws the whole view apart from the page (its status in it) and puts it in with one insertion. */
  #render() {
    this.#shell.setAttribute("lang", this.uiLang);
    this.#cards.clear();
    this.#factsSig = null;
    if (!this.#inc && !this.#lastView) { this.#shell.replaceChildren(this.#setupView()); return; }
    const view = this.#mainView();
    this.#refresh();
    this.#shell.replaceChildren(...view);
    // The forms' times were set as they were built; the next tick puts in the minute it finds.
    this.#minute = "";
    this.#showRefused();
  }

  /** The entries the service refused from this page's offline queue (roei-remote-store.js): which
   *  event, the service's code and message; each exported or dismissed by the user, never dropped. */
  async #showRefused() {
    const list = (await this.#store?.refused?.(this.#key)) ?? [];
    this.#refusedSlot?.replaceChildren(...list.length ? [h("section", { class: "refused" }, h("h3", {}, this.#t("refusedTitle")), h("p", { class: "note" }, this.#t("refusedNote")),
      h("ul", {}, list.map((r) => h("li", {}, `${r.ev.id} ${this.#L("event_type", r.ev.type)} ${fmt(r.ev.at, this.uiLang)}`, h("p", { class: "err" }, `${r.code}: ${r.message}`),
        h("button", { type: "button", on: { click: () => this.#download(`${r.ev.id}.json`, JSON.stringify(r), "application/json") } }, this.#t("exportJson")),
        h("button", { type: "button", on: { click: () => this.#store.dismiss(r.id).then(() => this.#showRefused()) } }, this.#t("dismiss"))))))] : []);
  }

  #langButton() {
    // The choice is kept in this browser (LANG_CHOICE) and applies on the next visit.
    const other = this.uiLang === "ja" ? "en" : "ja";
    return h("button", { type: "button", lang: other, on: { click: () => { LANG_CHOICE.put(other); this.setAttribute("lang", other); } } }, this.#t("lang"));
  }

  /** Text in brackets, as each language writes them: （…） / (…). */
  #paren(x) { return this.uiLang === "ja" ? `（${x}）` : ` (${x})`; }
  /** A quoted name: 「…」 / “…”. */
  #q(x) { return this.uiLang === "ja" ? `「${x}」` : `“${x}”`; }
  /** A list: 、 / , . */
  #list(xs) { return xs.join(this.uiLang === "ja" ? "、" : ", "); }
  /** Between parts of one line: ／ / / . */
  #slash() { return this.uiLang === "ja" ? " ／ " : " / ";
  }

  /** Who acts: the page's party first, then contractor, principal, data subject, PPC, other. */
  #actorSelect(selected = this.party ?? "contractor") {
    const order = this.#actorOrder();
    const s = this.#actorSkeleton(order).cloneNode(true);
    const i = order.indexOf(selected);
    if (i >= 0) s.selectedIndex = i;
    return s;
  }

  /** The actors offered; on the shared record the service records the caller's party: nothing to choose. */
  #actorOrder() {
    return this.endpoint && this.party ? [this.party]
      : [...new Set([this.party, ...ACTOR_ORDER, ...Object.keys(this.#labels.actor)])].filter((a) => a && this.#labels.actor[a]);
  }

  /** The actor select with `order`'s options in the current language, none chosen (a skeleton). */
  #actorSkeleton(order) {
    const options = order.map((a) => [a, this.#L("actor", a)]);
    return skeleton(`actor:${JSON.stringify(options)}`, () => h("select", { name: "actor" }, options.map(([a, label]) => h("option", { value: a }, label))));
  }

  /** The declared time of what a form records: now by default (kept current until edited), to the
   *  minute, in Japan time whatever the browser's zone. */
  #whenField(labelKey = "happenedAt") {
    const box = this.#whenSkeleton(labelKey).cloneNode(true);
    const [label, input, hint] = box.children;
    // The skeleton's ids are its own: each field gets page-unique ones, as `field` gives them.
    label.htmlFor = input.id = nextId("f");
    input.setAttribute("aria-describedby", (hint.id = nextId("h")));
    input.value = jstLocal();
    input.addEventListener("input", () => input.removeAttribute("data-auto"));
    return box;
  }

  /** The declared-time field (label, input, hint) without its ids and value (a skeleton). */
  #whenSkeleton(labelKey) {
    return skeleton(`when:${this.#wordsLang()}:${labelKey}`, () =>
      field(this.#t(labelKey), h("input", { type: "datetime-local", name: "at", step: "60", "data-auto": "" }), this.#t("jstHint")));
  }

  /** The declared instant of a form, or a message naming the field when it cannot be recorded. */
  #declared(form) {
    const input = form.querySelector("input[name=at]");
    if (!input) return { at: jstString() };
    // Untouched: the moment of the submit, to the second.
    if (input.hasAttribute("data-auto")) return { at: jstString() };
    const at = /^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(input.value) ? `${input.value}:00+09:00` : null;
    const name = this.#q(this.#t("happenedAt"));
    if (!at) return { problem: `${name}: ${this.#t("whenInvalid")}` };
    if (Date.parse(at) > Date.now()) return { problem: `${name}: ${this.#t("whenFuture")}` };
    const first = this.#inc ? JSON.parse(this.#inc.toJSON()).events[0]?.at : null;
    if (first && Date.parse(at) < Date.parse(first)) return { problem: `${name}: ${this.#t("whenBeforeStart")}${this.#paren(fmt(first, this.uiLang))}` };
    return { at };
  }

  /** Who is recording (name, department), kept in this browser for every event it records. */
  #recorderFields() {
    const kept = new LocalValue(`roei:recorder:${this.#key}`);
    let who = {};
    try { who = JSON.parse(kept.get() ?? "{}") ?? {}; } catch { /* a broken value: start empty */ }
    const name = h("input", { type: "text", name: "recorder-name", autocomplete: "name", props: { value: who.name ?? "" } });
    const dept = h("input", { type: "text", name: "recorder-department", autocomplete: "organization-title", props: { value: who.department ?? "" } });
    const save = () => kept.put(JSON.stringify({ name: name.value.trim(), department: dept.value.trim() }));
    name.addEventListener("change", save);
    dept.addEventListener("change", save);
    return h("fieldset", { class: "recorder" }, h("legend", {}, this.#t("recorder")),
      h("div", { class: "row" }, field(this.#t("personName"), name), field(this.#t("department"), dept)));
  }

  /** `{ recorder: { name, department } }` for an event, from the fields above; {} when both are empty. */
  #recorder() {
    const name = this.#shell.querySelector("[name=recorder-name]")?.value.trim();
    const department = this.#shell.querySelector("[name=recorder-department]")?.value.trim();
    if (!name && !department) return {};
    return { recorder: { ...(name ? { name } : {}), ...(department ? { department } : {}) } };
  }

  #setupView() {
    const contracts = this.#profiles.filter((p) => p.kind === "contract");
    const err = h("p", { class: "err", role: "alert" });
    const blocks = contracts.map((p) => {
      const box = h("input", { type: "checkbox", name: "profile", value: p.id, id: nextId("p") });
      const inner = h("div", { class: "contract", hidden: true },
        field(this.#t("contractId"), h("input", { type: "text", name: `cid-${p.id}`, required: true })),
        field(this.#t("principal"), h("input", { type: "text", name: `principal-${p.id}`, props: { value: this.#tx(p.issuer) }, required: true })),
        field(this.#t("contractor"), h("input", { type: "text", name: `contractor-${p.id}` })),
      );
      box.addEventListener("change", () => { inner.hidden = !box.checked; });
      return h("div", {}, h("div", { class: "check" }, box, h("label", { for: box.id }, `${p.id} — ${this.#tx(p.issuer)}：${this.#tx(p.title)}`)), inner);
    });
    const kind = h("select", { name: "kind" });
    for (const k of Object.keys(this.#labels.incident_kind)) kind.append(h("option", { value: k }, this.#L("incident_kind", k)));
    const signs = h("input", { type: "radio", name: "signs", value: "signs", id: nextId("r"), props: { checked: true } });
    const occ = h("input", { type: "radio", name: "signs", value: "occurred", id: nextId("r") });
    const now = new Date();
    const defId = `INC-${jstString(now).slice(0, 16).replace(/[-:T]/g, "")}`;
    const form = h("form", { class: "act", novalidate: true },
      h("fieldset", {}, h("legend", {}, this.#t("incident")),
        h("div", { class: "row" },
          field(this.#t("id"), h("input", { type: "text", name: "id", props: { value: defId }, required: true })),
          field(this.#t("title"), h("input", { type: "text", name: "title" })))),
      h("fieldset", {}, h("legend", {}, this.#t("contracts")), blocks),
      h("fieldset", {}, h("legend", {}, this.#t(this.party === "principal" ? "principalDetection" : "detection")),
        this.party === "principal" ? h("p", { class: "note" }, this.#t("principalFirst")) : null,
        h("div", { class: "row" }, field(this.#t("kind"), kind), this.party ? null : field(this.#t("actor"), this.#actorSelect()),
          this.#whenField("detectedAt")),
        h("div", { role: "radiogroup", "aria-label": this.#t("signs"), class: "row" },
          h("span", { class: "check" }, signs, h("label", { for: signs.id }, this.#t("signsOnly"))),
          h("span", { class: "check" }, occ, h("label", { for: occ.id }, this.#t("occurred")))),
        field(this.#t("summary"), h("textarea", { name: "summary" }))),
      this.#recorderFields(),
      err,
      h("div", { class: "row" }, h("button", { type: "submit", class: "primary" }, this.#t("begin")),
        h("label", { class: "filebtn" }, this.#t("importJson"), this.#importInput())),
    );
    form.addEventListener("submit", (ev) => { ev.preventDefault(); this.#begin(form, err); });
    this.#setupListSlot = h("div");
    return h("div", {},
      h("header", { class: "bar" }, h("h2", {}, this.#t("start")), h("div", { class: "tools" },
        h("button", { type: "button", on: { click: () => settledThen(this, () => this.#showList()) } }, this.#t("incidentList")), this.#langButton())),
      h("div", { class: "body" }, form, this.#setupListSlot));
  }

  async #begin(form, err) {
    // Drawn before the engine and the database answered: wait for both, and for a record the
    // database may hold after all (then already shown instead of this form).
    await this.settled;
    if (this.#inc || !roei) return;
    const f = new FormData(form);
    const chosen = f.getAll("profile");
    if (chosen.length === 0) { err.textContent = this.#t("chooseContract"); return; }
    for (const p of chosen) {
      if (!f.get(`cid-${p}`).trim()) { err.textContent = `${this.#q(this.#t("contractId"))}${this.#paren(p)}: ${this.#t("err_missing_field")}`; return; }
    }
    const when = this.#declared(form);
    if (when.problem) { err.textContent = when.problem; return; }
    const contracts = chosen.map((p) => {
      const c = { id: f.get(`cid-${p}`).trim(), profile: p, principal: f.get(`principal-${p}`).trim() };
      const who = f.get(`contractor-${p}`).trim();
      if (who) c.contractor = who;
      return c;
    });
    let inc;
    try {
      inc = roei.Incident.create(f.get("id").trim(), f.get("title").trim() || null, contracts);
      const data = { kind: f.get("kind"), signs_only: f.get("signs") === "signs" };
      if (f.get("summary").trim()) data.summary = f.get("summary").trim();
      // A principal that learns of the incident first (a resident's complaint) records that it knows:
      // the national duties run from there.
      const [type, actor] = this.party === "principal" ? ["principal_aware", "principal"] : ["detected", this.party ?? f.get("actor")];
      inc.append({ id: "e1", at: when.at, recorded_at: jstString(), type, actor, ...this.#recorder(), data });
      this.#head = await this.#store.append(this.#key, inc.toJSON(), null);
    } catch (e) {
      inc?.free();
      // Another tab registered an incident under this key first: show it rather than overwrite it.
      if (e.code === "conflict") { await this.#reload(); return; }
      this.#fail(e, err);
      return;
    }
    this.#inc = inc;
    this.#render();
    this.#announce(this.#t("saved"));
  }

  #importInput() {
    const input = h("input", { type: "file", accept: "application/json,.json" });
    input.addEventListener("change", async () => {
      const file = input.files?.[0];
      if (!file) return;
      try {
        await this.settled;
        if (!roei) return;
        // Replacing an open incident needs the user's word; the replaced record is kept (undo).
        if (this.#inc && !confirm(this.#t("confirmReplace"))) { input.value = ""; return; }
        const next = roei.Incident.fromJSON(await file.text());
        input.value = "";
        await this.#serially(() => this.#replaceWith(next));
      } catch (e) { this.#fail(e); }
    });
    return input;
  }

  /**
   * Makes `next` (an Incident) the stored and shown record, keeping the one it replaces under its own
   * key in the store (never deleted), with an undo on the status line.
   */
  async #replaceWith(next, undoing = false, from = null) {
    let kept;
    try {
      ({ head: this.#head, kept } = await this.#store.replace(this.#key, next.toJSON(), this.#head, from));
    } catch (e) {
      next.free();
      if (e.code === "conflict") await this.#reload();
      throw e;
    }
    this.#inc?.free();
    this.#inc = next;
    this.#render();
    this.#announce(this.#t(undoing ? "restored" : "imported"));
    if (kept && !undoing) this.#offerUndo(kept);
  }

  /** "元に戻す" beside the status line: brings back the record kept under `kept`. */
  #offerUndo(kept) {
    const btn = h("button", { type: "button", class: "undo", on: { click: async () => {
      try {
        const old = (await this.#store.list()).find((r) => r.key === kept);
        if (!old) return;
        await this.#serially(() => this.#replaceWith(roei.Incident.fromJSON(old.text), true, kept));
      } catch (e) { this.#fail(e); }
    } } }, this.#t("undoImport"));
    this.#undoSlot?.replaceChildren(h("p", { class: "note" }, this.#t("replacedKept"), " ", btn));
  }

  /** Runs `fn` after every save or reload already queued: one at a time, each on the last one's result. */
  #serially(fn) {
    const run = (this.#saving ?? Promise.resolve()).then(fn);
    this.#saving = run.catch(() => {});
    return run;
  }

  /** Reads the stored record again and shows it, if it differs from the one shown. */
  async #reload() {
    const saved = await this.#store.load(this.#key);
    if ((saved?.head ?? null) === this.#head) return;
    let next = null;
    if (saved) {
      try { next = roei.Incident.fromJSON(saved.text); } catch (e) { this.#fail(e); return; }
    }
    const same = this.#inc && next && this.#inc.id === next.id;
    this.#inc?.free();
    this.#inc = next;
    this.#head = saved?.head ?? null;
    // The same incident grown elsewhere: patch the view (half-filled forms stay); else draw it anew.
    if (same && this.#ready) this.#refresh();
    else if (this.#ready) this.#render();
  }

  #mainView() {
    const rec = this.#inc ? JSON.parse(this.#inc.toJSON()) : this.#rec;
    this.#clock = h("span", { class: "clock" });
    // Handlers read `this.#inc` when they run, never an Incident captured here: every save replaces
    // (and frees) the Incident, so a captured one would be freed WASM memory by the next click. Drawn
    // from the kept view, the engine may not be in yet: each waits for it (`settled`).
    const tool = (key, fn) => h("button", { type: "button", on: { click: () => settledThen(this, () => this.#inc && fn()) } }, this.#t(key));
    const tools = h("div", { class: "tools" },
      tool("exportJson", () => this.#download(`${this.#inc.id}.json`, this.#inc.toJSON(), "application/json")),
      h("label", { class: "filebtn" }, this.#t("importJson"), this.#importInput()),
      ...this.#reportTools(tool),
      tool("newIncident", () => this.#reset()),
      this.#langButton(),
    );
    const view = this.#lastView;
    this.#lastViewNote = view ? h("p", { class: "note refreshing", role: "status" }, `${this.#t("refreshing")}: ${this.#t("lastView")}`,
      this.#paren(`${this.#t("lastViewAt")} ${fmt(view.at, this.uiLang)}${this.uiLang === "ja" ? "。" : "; "}${this.#t("lastViewOverdue")}`)) : null;
    const contracts = this.#list(rec.contracts.map((c) => `${c.id}${this.#paren(`${c.profile}${this.uiLang === "ja" ? "・" : ", "}${c.principal}`)}`));
    this.#stepsList = h("ol", { class: "steps" });
    this.#naList = h("ol", { class: "steps" });
    this.#naBox = h("details", {}, h("summary", {}, this.#t("notApplicable")), this.#naList);
    this.#factsSlot = h("div");
    this.#logSlot = h("div");
    this.#extraSlot = h("div");
    this.#undoSlot = h("div", { class: "undo-slot" });
    this.#refusedSlot = h("div");
    return [
      h("header", { class: "bar" },
        h("div", {}, h("h2", {}, rec.title || rec.id), h("div", { class: "meta" }, `${rec.id}${this.#slash()}${contracts}`),
          h("div", { class: "meta" }, `${this.#t("now")} `, this.#clock)),
        tools),
      this.#lastViewNote,
      this.#refusedSlot,
      this.#undoSlot,
      h("div", { class: "body" }, this.#recorderFields()),
      h("div", { class: "body" },
        h("section", { "aria-labelledby": "h-steps" }, h("h3", { id: "h-steps" }, this.#t("steps")), this.#stepsList, this.#naBox),
        h("div", { "data-status-home": "" }, this.#factsSlot, h("p", { class: "saved-note" })),
        h("section", { "aria-labelledby": "h-other", "data-status-home": "" }, h("h3", { id: "h-other" }, this.#t("other")), this.#otherForm(rec), h("p", { class: "saved-note" })),
        this.#extraSlot,
        h("section", { "aria-labelledby": "h-log" }, h("h3", { id: "h-log" }, this.#t("log")), this.#logSlot)),
    ];
  }

  /** 事案一覧 (roei-incident-list.js): the records kept under this element's key, opened in place of
   *  the shown one (which is kept) or deleted after confirming. */
  async #listView() {
    const [{ incidentList }, records] = await Promise.all([loadList(), this.#store.list()]);
    const now = jstString();
    return incidentList(records.filter((r) => r.key === this.#key || isReplacedOf(r.key, this.#key)), {
      shown: this.#key,
      status: (text) => roei.check(text, now, this.#policy),
      actionable: ACTIONABLE,
      t: (k) => this.#t(k),
      fmt: (iso) => fmt(iso, this.uiLang),
      open: (r) => this.#serially(() => this.#replaceWith(roei.Incident.fromJSON(r.text), true, r.key)).catch((e) => this.#fail(e)),
      remove: async (r) => { await this.#store.remove(r.key); this.#showList(); },
    });
  }

  async #showList() {
    try {
      const slot = this.#inc ? this.#extraSlot : this.#setupListSlot;
      slot?.replaceChildren(await this.#listView());
    } catch (e) { this.#fail(e); }
  }

  /** 事案一覧 and the document tools. The documents' renderers are the package's second module,
   *  `roei_reports`, fetched on the first click: the widget's first paint needs only the engine. */
  #reportTools(tool) {
    return [
      tool("incidentList", () => this.#showList()),
      ...["preview", "printView", "ics", "timeline"].map((kind) => tool(kind, () => this.#document(kind))),
    ];
  }

  /**
   * 報告書プレビュー, 印刷用の報告書, ICS, 時系列図 (`kind`): drawn by roei-incident-print.js from the
   * reports module, both fetched on the first click; meanwhile 読み込み中… stands where the view goes.
   */
  async #document(kind) {
    const slot = this.#extraSlot;
    const shown = [...slot.childNodes];
    slot.replaceChildren(h("p", { class: "loading", role: "status" }, this.#t("loading")));
    try {
      const [docs, { documentTools }] = await Promise.all([loadReports(), loadDocuments()]);
      if (kind === "ics") slot.replaceChildren(...shown);
      documentTools[kind]({ docs, record: this.#inc.toJSON(), lang: this.uiLang, now: jstString(), t: (k) => this.#t(k), slot, root: this.#root,
        host: this, person: this.#recorder().recorder, download: (...a) => this.#download(...a), printView: () => this.#document("printView") });
    } catch (e) {
      // Offline before its first use, say: the error stays where the view would be; the next click tries again.
      const err = h("p", { class: "err", role: "alert" });
      slot.replaceChildren(...shown, err);
      this.#fail(e, err);
    }
  }

  #download(name, body, type) {
    const url = URL.createObjectURL(new Blob([body], { type }));
    const a = h("a", { href: url, download: name });
    this.#root.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  /** 新しい事案: the current record is kept in the store under its own key, not deleted. */
  async #reset() {
    if (!confirm(this.#t("confirmNew"))) return;
    await this.#serially(async () => {
      await this.#store.archive(this.#key);
      this.#inc?.free();
      this.#inc = null;
      this.#head = null;
      this.#render();
    });
  }

  // ---------- status ----------

  /**
   * Re-evaluates and patches the view; cards keep their half-filled forms unless what they ask changes.
   * `status`: already computed from the record shown (a save keeps it with the record); otherwise it
   * is computed now and kept beside the stored record for the next page load (roei-store.js,
   * `keepView`). Drawn from a kept view (no engine yet): that view's status as of now.
   */
  #refresh(status = null) {
    if (!this.#inc) {
      if (this.#lastView) this.#showStatus(asOf(this.#lastView.status, Date.now()));
      return;
    }
    if (!status) {
      const at = jstString();
      try { status = this.#inc.status(at, this.#policy); } catch (e) { this.#fail(e); return; }
      if (this.#head !== null) this.#store.keepView?.(this.#key, this.#head, this.#viewOf(status, at)).catch(() => {});
    }
    this.#rec = JSON.parse(this.#inc.toJSON());
    this.#showStatus(status);
  }

  /** What is kept beside the record for the next load to draw before the engine (roei-store.js). */
  #viewOf(status, at) {
    return { at, status, labels: this.#labels, policy: this.policy ?? null, engine: roei.version() };
  }

  /** Patches the cards, facts and log to `status`. */
  #showStatus(status) {
    this.#status = status;
    const obs = [...this.#status.obligations].sort((a, b) =>
      STAGE_ORDER.indexOf(a.stage) - STAGE_ORDER.indexOf(b.stage) || (a.due ?? "~").localeCompare(b.due ?? "~"));
    const seen = new Set();
    const want = { steps: [], na: [] };
    for (const o of obs) {
      const key = `${o.obligation}|${o.contract ?? o.principal}`;
      seen.add(key);
      let c = this.#cards.get(key);
      if (!c) { c = this.#card(o); this.#cards.set(key, c); }
      this.#patchCard(c, o);
      (o.status === "not_applicable" ? want.na : want.steps).push(c.el);
    }
    for (const [k, c] of this.#cards) if (!seen.has(k)) { c.el.remove(); this.#cards.delete(k); }
    for (const [list, els] of [[this.#stepsList, want.steps], [this.#naList, want.na]]) {
      els.forEach((el, i) => { if (list.children[i] !== el) list.insertBefore(el, list.children[i] ?? null); });
    }
    this.#naBox.hidden = want.na.length === 0;
    this.#renderFacts();
    this.#renderLog();
    this.#tick();
    // The next instant a status can change on its own is the earliest future due time.
    const now = Date.now();
    const dues = this.#status.obligations.filter((o) => o.due && ACTIONABLE.has(o.status)).map((o) => Date.parse(o.due)).filter((t) => t > now);
    this.#refreshAt = dues.length ? Math.min(...dues) : 0;
  }

  /** The language the UI's words are in now: English once its strings have come, else Japanese. */
  #wordsLang() { return this.uiLang === "en" && UI.en ? "en" : "ja"; }

  /** The skeletons a saved incident's view clones (SKELETONS), drawn before it is. */
  #drawSkeletons() {
    this.#cardSkeleton();
    this.#actorSkeleton(this.#actorOrder());
    this.#whenSkeleton("happenedAt");
  }

  /** What every obligation's card has before its duty is put in: its parts, the words of its labels. */
  #cardSkeleton() {
    return skeleton(`card:${this.#wordsLang()}`, () => h("li", { class: "card", tabindex: "-1", "data-status-home": "" },
      h("h4", {}, h("span", {}, ""), h("span", { class: "badge" }), h("span", { class: "clause" }, "")),
      h("dl", { class: "facts" },
        h("div", {}, h("dt", {}, this.#t("legalTerm")), h("dd", {}, h("span", { class: "legal" }, ""), "")),
        h("div", {}, h("dt", {}, this.#t("due")), h("dd", {}, h("span"), " ", h("span", { class: "countdown" }))),
        h("div", {}, h("dt", {}, this.#t("owed")), h("dd", {}, "")),
        h("div", {}, h("dt", {}, ""), h("dd", {}, ""))),
      h("p", { class: "label" }), h("p", { class: "reported" }), h("p", { class: "missing" }), h("div"), h("p", { class: "saved-note" })));
  }

  /** An obligation's card: the skeleton above with this duty's words put in its text nodes. */
  #card(o) {
    // tabindex: focused after a save from its form; data-status-home: where that save is confirmed.
    const el = this.#cardSkeleton().cloneNode(true);
    const [title, facts, label, reported, missing, formSlot, saved] = el.children;
    const [stage, badge, clause] = title.children;
    const [legal, due, owed, whose] = facts.children;
    stage.firstChild.data = this.#L("stage", o.stage);
    // The article as people cite it beside the internal id (第13条第1項 — nagaoka:13-1).
    clause.firstChild.data = o.article ? `${o.article} — ${o.obligation}` : o.obligation;
    legal.lastChild.firstChild.firstChild.data = o.legal_term ?? "";
    if (o.legal_term !== this.#L("term", o.term)) legal.lastChild.lastChild.data = this.#paren(this.#L("term", o.term));
    owed.lastChild.firstChild.data = `${this.#L("party", o.owed_by)} ${this.#t("to")} ${this.#L("party", o.owed_to)}`;
    whose.firstChild.firstChild.data = this.#t(o.contract ? "contractOf" : "principal");
    whose.lastChild.firstChild.data = o.contract ? `${o.contract}${this.#paren(o.principal)}` : o.principal ?? "";
    // The event whose facts made a conditional (national) duty reportable: its clock runs from there.
    if (o.reportable_by) {
      facts.append(h("div", { class: "reportable" }, h("dt", {}, this.#t("reportableBy")),
        h("dd", {}, `${o.reportable_by}${this.#paren(fmt(o.reportable_at, this.uiLang))}`)));
    }
    // Which dates rest on a reading: the clause's basis when it is not the text itself.
    if (o.basis && o.basis !== "text") facts.append(h("div", { class: "basis" }, h("dt", {}, this.#t("basis")), h("dd", {}, this.#t(`basis_${o.basis}`))));
    const [dueSpan, , countdown] = due.lastChild.childNodes;
    return { el, badge, due: dueSpan, countdown, missing, reported, label, formSlot, saved, sig: null };
  }

  #patchCard(c, o) {
    c.el.className = `card s-${o.status}`;
    c.el.dataset.obligation = o.obligation;
    c.el.dataset.status = o.status;
    c.badge.className = `badge s-${o.status}`;
    c.badge.textContent = o.overdue_if_applicable ? `${this.#L("state", o.status)}${this.#paren(this.#t("ifApplicable"))}` : this.#L("state", o.status);
    c.label.textContent = o.label?.[this.uiLang] ?? "";
    if (o.done_at) c.due.textContent = `${this.#t("doneAt")} ${fmt(o.done_at, this.uiLang)}${o.due ? this.#paren(`${this.#t("due")} ${fmt(o.due, this.uiLang)}`) : ""}`;
    else if (o.due) c.due.textContent = `${fmt(o.due, this.uiLang)}${this.#paren(o.hard ? this.#t("hardDue") : `${this.#t("target")} ${duration(o.target, this.uiLang)}`)}`
      + (o.due_rolled_from ? this.#paren(`${fmtDay(o.due_rolled_from, this.uiLang)}${this.#t("rolledFrom")}`) : "");
    else c.due.textContent = o.trigger_at ? `${this.#t("noDue")}${this.#paren(`${this.#t("trigger")} ${fmt(o.trigger_at, this.uiLang)}`)}` : this.#t("noDue");
    c.countdown.dataset.due = o.due && ACTIONABLE.has(o.status) ? o.due : "";
    if (o.status === "undetermined" && o.missing.length) {
      // The facts this duty waits for, each a link to its field in 事実の評価.
      const links = o.missing.map((k) => h("button", { type: "button", class: "link", on: { click: () => this.#focusFact(k) } }, this.#L("fact", k)));
      c.missing.replaceChildren(`${this.#t("missingFacts")}: `, ...links.flatMap((b, i) => (i ? [this.uiLang === "ja" ? "、" : ", ", b] : [b])));
    } else {
      const miss = o.missing.map((k) => this.#L("field_key", k));
      c.missing.textContent = miss.length ? `${this.#t("missing")}: ${this.#list(miss)}` : "";
    }
    c.reported.textContent = ACTIONABLE.has(o.status) ? this.#reportedSoFar(o) : "";
    const sig = ACTIONABLE.has(o.status) ? `${o.status === "overdue" ? "pending" : o.status}:${o.missing.join(",")}` : "";
    if (sig !== c.sig) {
      c.sig = sig;
      // The other party's duty is shown, not recorded from this page.
      const theirs = this.party && o.owed_by !== this.party;
      c.formSlot.replaceChildren(!sig ? "" : theirs ? h("p", { class: "note readonly" }, this.#t("othersDuty")) : this.#obligationForm(o));
    }
  }

  /** What was already recorded towards an open duty (a partial report): `e2 (time): item, item`. */
  #reportedSoFar(o) {
    const type = STAGE_EVENT[o.stage];
    const done = (this.#rec?.events ?? []).filter((e) => e.type === type && (!o.contract || !e.data?.contract || e.data.contract === o.contract)
      && (!type.startsWith("ppc_") || !e.data?.principal || e.data.principal === o.principal));
    if (!done.length) return "";
    const items = done.map((e) => {
      const keys = Object.keys({ ...(e.data ?? {}), ...(e.data?.fields ?? {}) }).filter((k) => k !== "written" && this.#labels.field_key?.[k]);
      return `${e.id}${this.#paren(fmt(e.at, this.uiLang))}${keys.length ? `: ${this.#list(keys.map((k) => this.#L("field_key", k)))}` : ""}`;
    });
    return `${this.#t("reportedSoFar")}: ${items.join(this.#slash())}`;
  }

  /** Which of the nine PPC items the record already gives for this report: in earlier reports of the
   *  same kind to the same principal, or as facts (data items, number of subjects, the summary). */
  #knownForPpc(o) {
    const known = new Set();
    for (const e of this.#rec?.events ?? []) {
      const d = e.data ?? {};
      if (e.type === STAGE_EVENT[o.stage] && (!d.principal || d.principal === o.principal)) for (const k of Object.keys(d.fields ?? {})) known.add(k);
      for (const k of ["data_items", "subjects_count", "summary"]) if (d[k] !== undefined && d[k] !== null && d[k] !== "") known.add(k);
    }
    return known;
  }

  /** Moves to a fact's field in 事実の評価 (from a card that waits for it). */
  #focusFact(k) {
    const input = this.#factsSlot.querySelector(`[name="${k}"]`);
    input?.scrollIntoView({ block: "center" });
    input?.focus();
  }

  #tick() {
    const minute = jstLocal();
    if (minute !== this.#minute) {
      this.#minute = minute;
      for (const el of this.#root.querySelectorAll("input[name=at][data-auto]")) el.value = minute;
    }
    if ((!this.#inc && !this.#lastView) || !this.#clock) return;
    const now = Date.now();
    this.#clock.textContent = fmt(jstString(new Date(now)), this.uiLang, true);
    for (const c of this.#cards.values()) {
      const due = c.countdown.dataset.due;
      if (!due) { c.countdown.textContent = ""; continue; }
      const ms = Date.parse(due) - now;
      c.countdown.textContent = `${ms >= 0 ? this.#t("left") : this.#t("over")} ${span(Math.abs(ms), this.#t.bind(this))}`;
      c.countdown.classList.toggle("over", ms < 0);
    }
    if (this.#refreshAt && now >= this.#refreshAt) this.#refresh();
  }

  // ---------- forms ----------

  /** The form that discharges an obligation: one input per missing field, plus the written flag. */
  #obligationForm(o) {
    const type = STAGE_EVENT[o.stage];
    if (!type) return "";
    const keys = o.missing.filter((k) => k !== "written");
    if (type === "subjects_notified" && !keys.includes("method")) keys.unshift("method");
    // A PPC report asks for the nine items of the rules (規則第44条 / Rules Art. 8) as far as known.
    const ppc = type.startsWith("ppc_");
    if (ppc) for (const k of PPC_ITEMS) if (!keys.includes(k) && !this.#knownForPpc(o).has(k)) keys.push(k);
    const controls = [];
    for (const k of keys) controls.push(this.#input(k, type));
    let written = null;
    if (o.written) {
      written = h("input", { type: "checkbox", name: "written", id: nextId("w") });
      controls.push(h("div", { class: "check" }, written, h("label", { for: written.id }, this.#t("written"))));
    }
    const actor = this.#actorSelect(this.party ?? (this.#labels.actor[o.owed_by] ? o.owed_by : "contractor"));
    // A report to the PPC: how it was made, which of the nine items are still unknown, and a confirmation.
    if (ppc) {
      const via = h("select", { name: "via" });
      for (const v of PPC_VIA) via.append(h("option", { value: v }, this.#t(`via_${v}`)));
      controls.unshift(field(this.#t("ppcVia"), via));
      if (keys.length) controls.unshift(h("p", { class: "note" }, `${this.#t("ppcUnknown")}: ${this.#list(keys.map((k) => this.#L("field_key", k)))}`));
    }
    const confirmText = ppc ? (ev) => `${this.#L("event_type", type)}${this.#paren(o.principal)}\n${this.#t("happenedAt")}: ${fmt(ev.at, this.uiLang)}\n`
      + `${this.#t("ppcVia")}: ${this.#t(`via_${ev.data.via}`)}\n${this.#t("ppcUnknown")}: ${this.#list(keys.filter((k) => !(ev.data.fields ?? {})[k]).map((k) => this.#L("field_key", k))) || "—"}\n${this.#t("ppcConfirm")}` : null;
    const build = (f) => {
      const data = {};
      if (ppc) data.via = f.get("via");
      if (o.contract && (type === "reported_to_principal" || type === "record_submitted")) data.contract = o.contract;
      if (type.startsWith("ppc_")) data.principal = o.principal;
      if (written) data.written = written.checked;
      if (type === "published") data.by = o.owed_by === "contractor" ? "contractor" : "principal";
      for (const k of keys) putValue(data, type, k, f.get(k));
      return { type, actor: f.get("actor"), data };
    };
    return this.#eventForm([...controls, field(this.#t("actor"), actor)], build, keys.length ? "" : this.#t("nothingToDo"), "", confirmText);
  }

  #input(k, type) {
    const label = this.#L("field_key", k);
    if (k === "method") {
      const s = h("select", { name: k });
      s.append(h("option", { value: "individual" }, this.#t("method_individual")), h("option", { value: "public_notice" }, this.#t("method_public_notice")));
      return field(label, s);
    }
    if (k === "count" && type === "subjects_notified") return field(this.#t("count"), h("input", { type: "number", name: k, min: "0", step: "1" }));
    const long = ["content", "circumstances", "summary", "cause", "prevention", "measures", "text", "other", "secondary_damage", "subject_response"].includes(k);
    return field(label, long ? h("textarea", { name: k }) : h("input", { type: "text", name: k }));
  }

  /**
   * A form whose submit appends the event `build(formData)` returns. It validates as the user types
   * (core's own check of the event against the record) and saves before it acknowledges.
   */
  #eventForm(controls, build, note, incomplete = "", confirmText = null) {
    const err = h("p", { class: "err", role: "alert" });
    const btn = h("button", { type: "submit", class: "primary" }, this.#t("record"));
    const form = h("form", { class: "act", novalidate: true }, note ? h("p", { class: "note" }, note) : null, ...controls,
      this.#whenField(), err, h("div", { class: "row" }, btn));
    const make = () => {
      const ev = build(new FormData(form));
      const when = this.#declared(form);
      if (!ev || when.problem) return null;
      return { id: this.#inc.nextEventId(), at: when.at, recorded_at: jstString(), ...ev, ...this.#recorder() };
    };
    const check = () => {
      // Drawn from the kept view: nothing to check the event against until the engine is in.
      if (!this.#inc) return true;
      let problem = null;
      for (const el of form.querySelectorAll("input[type=number]")) {
        const bad = !el.checkValidity();
        el.setAttribute("aria-invalid", String(bad));
        if (bad) problem = `${this.#q(el.labels?.[0]?.textContent ?? el.name)}: ${el.validationMessage}`;
      }
      const when = this.#declared(form);
      form.querySelector("input[name=at]")?.setAttribute("aria-invalid", String(Boolean(when.problem)));
      problem ??= when.problem ?? null;
      const ev = problem ? null : make();
      if (!problem && !ev) problem = incomplete || null;
      const r = ev ? this.#inc.checkEvent(ev) : null;
      if (r) problem = this.#explain(r);
      for (const el of form.querySelectorAll("[name]")) {
        if (r && r.path && r.path.endsWith(`.${el.name}`)) el.setAttribute("aria-invalid", "true");
      }
      err.textContent = problem ?? "";
      btn.disabled = Boolean(problem);
      return !problem;
    };
    form.addEventListener("input", check);
    form.addEventListener("change", check);
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      if (!this.#inc) await this.settled;
      if (!this.#inc || !check()) return;
      btn.disabled = true;
      // Where the confirmation shows: the card (or section) the form belongs to, which outlives the
      // form (a card's form goes once its duty is done).
      const home = form.closest("[data-status-home]");
      const ev = make();
      if (confirmText && !confirm(confirmText(ev))) { btn.disabled = false; return; }
      const ok = await this.#commit(ev, err);
      btn.disabled = false;
      if (!ok) return;
      form.reset();
      for (const el of form.querySelectorAll("input[name=at]")) { el.value = jstLocal(); el.setAttribute("data-auto", ""); }
      const last = JSON.parse(this.#inc.toJSON()).events.at(-1);
      const msg = `${this.#t("saved")} ${last.id} ${this.#L("event_type", last.type)}${this.#paren(fmt(last.at, this.uiLang))}`;
      const line = home?.querySelector(":scope > .saved-note");
      if (line) line.textContent = msg;
      if (home?.matches("li.card")) home.focus();
    });
    return form;
  }

  /**
   * Write-ahead append: validate on a copy, persist the copy, and only then make it current.
   * Appends run one at a time, each on the record the previous one saved: two forms submitted
   * before the first write completed would otherwise both copy the same record, and the later
   * write would drop the earlier, already acknowledged, event.
   */
  #commit(ev, errEl) {
    return this.#serially(() => this.#commitNow(ev, errEl));
  }

  /**
   * The store's append is compare-and-set on the head this element last read: when another tab
   * appended meanwhile, the store says so and hands back its record; the event is then validated
   * again on that record (with the next free id) and written on it, or refused with core's reason.
   */
  async #commitNow(ev, errEl) {
    for (let attempt = 0; ; attempt++) {
      if (!this.#inc) return false;
      // The id was taken when the form was submitted; an append queued behind another takes the next one.
      if (ev.id !== this.#inc.nextEventId()) ev = { ...ev, id: this.#inc.nextEventId() };
      let next, status;
      const at = jstString();
      try {
        next = roei.Incident.fromJSON(this.#inc.toJSON());
        next.append(ev, null, this.#policy);
        status = next.status(at, this.#policy);
      } catch (e) { next?.free(); this.#fail(e, errEl); return false; }
      const text = next.toJSON();
      try {
        // The status of the new record is kept with it, in the same write (the next load draws it at once).
        this.#head = await this.#store.append(this.#key, text, this.#head, this.#viewOf(status, at));
      } catch (e) {
        next.free();
        if (e.code === "conflict" && attempt < 8) { await this.#reload(); continue; }
        // The service's refusal (another party's duty, …) says why; anything else is a failed save.
        this.#fail(e.name === "RemoteStoreError" ? e : new Error(this.#t("saveFailed")), errEl);
        return false;
      }
      this.#inc.free();
      this.#inc = next;
      this.#status = status;
      break;
    }
    const text = this.#inc.toJSON();
    this.#refresh(this.#status);
    this.#announce(`${this.#t("saved")} ${ev.id} ${this.#L("event_type", ev.type)}`);
    this.dispatchEvent(new RoeiChangeEvent(text));
    return true;
  }

  #renderFacts() {
    const need = [];
    for (const o of this.#status.obligations) if (o.status === "undetermined") for (const k of o.missing) if (!need.includes(k)) need.push(k);
    const sig = need.join(",");
    if (sig === this.#factsSig) return;
    this.#factsSig = sig;
    if (!need.length) { this.#factsSlot.replaceChildren(); return; }
    const controls = need.map((k) => {
      const label = this.#L("fact", k);
      if (BOOL_FACTS.has(k)) {
        const s = h("select", { name: k });
        s.append(h("option", { value: "" }, this.#t("unset")), h("option", { value: "true" }, this.#t("yes")), h("option", { value: "false" }, this.#t("no")));
        return field(label, s);
      }
      if (k === "subjects_count") return field(label, h("input", { type: "number", name: k, min: "0", step: "1" }));
      return field(label, h("input", { type: "text", name: k }), k === "data_items" ? this.#t("listHint") : null);
    });
    const build = (f) => {
      const data = {};
      for (const k of need) {
        const v = String(f.get(k) ?? "").trim();
        if (!v) continue;
        if (BOOL_FACTS.has(k)) data[k] = v === "true";
        else if (k === "subjects_count") data[k] = Number(v);
        else if (k === "data_items") data[k] = v.split(/[、,，]/).map((s) => s.trim()).filter(Boolean);
        else data[k] = v;
      }
      return { type: "facts", actor: f.get("actor"), data };
    };
    this.#factsSlot.replaceChildren(h("section", { "aria-labelledby": "h-facts" },
      h("h3", { id: "h-facts" }, this.#t("facts")), h("p", { class: "note" }, this.#t("factsNote")),
      this.#eventForm([h("div", { class: "row" }, controls), field(this.#t("actor"), this.#actorSelect())], build)));
  }

  #otherForm(rec) {
    // No type until one is chosen: a stray submit must not record a confirmation or a closure.
    const type = h("select", { name: "type" }, h("option", { value: "" }, this.#t("choose")));
    for (const k of OTHER_TYPES) type.append(h("option", { value: k }, this.#L("event_type", k)));
    const contract = h("select", { name: "contract" }, h("option", { value: "" }, "—"));
    for (const c of rec.contracts) contract.append(h("option", { value: c.id }, `${c.id}${this.#paren(c.principal)}`));
    const build = (f) => {
      const t = f.get("type");
      if (!t) return null;
      const data = {};
      const note = String(f.get("note") ?? "").trim();
      if (note && NOTE_KEY[t]) data[NOTE_KEY[t]] = note;
      if (note && !NOTE_KEY[t]) data.summary = note;
      if (t === "published") data.by = f.get("actor") === "contractor" ? "contractor" : "principal";
      if (f.get("contract") && (t === "instruction_received" || t === "principal_aware")) data.contract = f.get("contract");
      return { type: t, actor: f.get("actor"), data };
    };
    return this.#eventForm([h("div", { class: "row" }, field(this.#t("type"), type), field(this.#t("contractOf"), contract), field(this.#t("actor"), this.#actorSelect())),
      field(this.#t("note"), h("textarea", { name: "note" }))], build, null, this.#t("chooseType"));
  }

  #renderLog() {
    const rec = this.#rec;
    const rows = rec.events.map((e) => {
      const d = e.data ?? {};
      const f = d.fields ?? {};
      const parts = [];
      for (const [k, v] of Object.entries({ ...d, ...f })) {
        if (k === "fields" || v === null || v === "" || typeof v === "object" && !Array.isArray(v)) continue;
        const name = this.#labels.field_key[k]?.[this.uiLang] ?? this.#labels.fact[k]?.[this.uiLang] ?? this.#ui(`key_${k}`) ?? k;
        const shown = typeof v === "boolean" ? this.#t(v ? "yes" : "no") : k === "kind" ? this.#L("incident_kind", v) : k === "method" ? this.#t(`method_${v}`) : text(v);
        parts.push(`${name}: ${shown}`);
      }
      // The declared time, and when it was entered where that is a minute or more apart.
      const entered = e.recorded_at && Math.abs(Date.parse(e.recorded_at) - Date.parse(e.at)) >= 60e3
        ? h("span", { class: "entered" }, `${this.#t("enteredAt")} ${fmt(e.recorded_at, this.uiLang)}`) : null;
      const who = [e.recorder?.name, e.recorder?.department].filter((x) => typeof x === "string" && x).join("・");
      return h("tr", {}, h("td", {}, fmt(e.at, this.uiLang), entered), h("td", {}, `${e.id} ${this.#L("event_type", e.type)}`),
        h("td", {}, this.#L("actor", e.actor), who ? h("span", { class: "who" }, who) : null), h("td", {}, parts.join(this.#slash())));
    });
    this.#logSlot.replaceChildren(h("table", { class: "log" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col" }, this.#t("when")), h("th", { scope: "col" }, this.#t("event")), h("th", { scope: "col" }, this.#t("actor")), h("th", { scope: "col" }, this.#t("note")))),
      h("tbody", {}, rows)));
  }
}

/**
 * A kept status as of `now` (ms), for the view drawn before the engine: the only parts of a status
 * that move with time alone are those core/src/eval.rs derives from a due time, and as it does (`at >
 * due`): a pending duty past its due time is overdue, an undetermined one is overdue if it applies.
 */
function asOf(status, now) {
  const moved = (o) => o.due && now > Date.parse(o.due) && (o.status === "pending" || (o.status === "undetermined" && !o.overdue_if_applicable));
  return { ...status, obligations: status.obligations.map((o) => !moved(o) ? o
    : o.status === "pending" ? { ...o, status: "overdue" } : { ...o, overdue_if_applicable: true }) };
}

function putValue(data, type, k, raw) {
  const v = String(raw ?? "").trim();
  if (!v) return;
  if (k === "count" && type === "subjects_notified") { data.count = Number(v); return; }
  if (FIELDS_EVENTS.has(type) && !TOP_KEYS.has(k)) (data.fields ??= {})[k] = v;
  else data[k] = v;
}

// Date formats in Japan time, each made on first use (a formatter costs a few milliseconds to make,
// and a page load needs one or two of the six).
const OPTIONS = {
  minute: { ja: ["ja-JP", { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }],
    en: ["en-GB", { year: "numeric", month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit" }] },
  second: { ja: ["ja-JP", { dateStyle: "medium", timeStyle: "medium" }], en: ["en-GB", { dateStyle: "medium", timeStyle: "medium" }] },
  day: { ja: ["ja-JP", { dateStyle: "medium" }], en: ["en-GB", { dateStyle: "medium" }] },
};
const FORMATS = new Map();
function format(kind, lang) {
  const key = `${kind}:${lang}`;
  if (!FORMATS.has(key)) {
    const [locale, options] = OPTIONS[kind][lang];
    FORMATS.set(key, new Intl.DateTimeFormat(locale, { timeZone: "Asia/Tokyo", ...options }));
  }
  return FORMATS.get(key);
}

/** An instant shown in Japan time whatever the browser's zone (deadlines are Japanese office time). */
function fmt(iso, lang, seconds = false) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${format(seconds ? "second" : "minute", lang).format(d)} JST`;
}

/** A calendar day (`YYYY-MM-DD`, a Japan day) as people read it. */
function fmtDay(ymd, lang) {
  const d = new Date(`${ymd}T12:00:00+09:00`);
  return Number.isNaN(d.getTime()) ? ymd : format("day", lang).format(d);
}

function span(ms, t) {
  const s = Math.floor(ms / 1000);
  const d = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return d > 0 ? `${d}${t("days")} ${hh}:${mm}:${ss}` : `${hh}:${mm}:${ss}`;
}

RoeiIncidentElement.define();
