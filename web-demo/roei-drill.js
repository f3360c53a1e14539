// <roei-drill>: the tabletop drill (机上訓練) for municipal portals, with a facilitator's clock.
//
//   <script type="module" src="/roei/roei-drill.js"></script>
//   <roei-drill library="/roei/drills/index.json"></roei-drill>
//
// Runs the scenarios of `roei drill` (roei/scenario@1) on the same obligation engine: the WASM module
// `roei_drill` (package export "roei/drill") does all the work; this file draws what it returns.
// The drill is replayed from the playthrough at every clock step (roei_core::drill::live says why), so
// the playthrough this element keeps is the drill: it is what is saved, exported and scored, and
// `roei drill SCENARIO --play` scores the exported file exactly as the page did.
//
// Same rules as <roei-incident>, whose stylesheet it shares: scenario and player text only ever goes
// in through textContent / DOM properties, styles come from stylesheets in the shadow root, no eval,
// no inline handlers; the debrief HTML is shown in an <iframe sandbox=""> (no script, opaque origin).
// It does not import roei-incident.js: that module starts downloading the engine as it loads, which
// a drill page does not need. The DOM helpers both use are in roei-dom.js.
//
// Attributes (reflected as properties): lang="ja|en" (default ja); library (URL of a
// roei/drill-library@1 list, default "drills/index.json" next to this file); scenario (URL of one
// scenario to open directly); storage-key (`storageKey`, default "roei-drill": where the drill in
// progress is kept in localStorage). Events: RoeiReadyEvent "roei-ready" once interactive;
// RoeiDrillEndEvent "roei-drill-end" (`playthrough`, `score`, also in `detail`) when the facilitator
// ends the drill. Property `result`: the same pair once ended. State in #private fields; shared
// modules: roei-dom.js, roei-store.js (LocalValue), roei-wasm.js (the loader); words in
// roei-drill-strings.js. custom-elements.json describes the API for tools.
import { h, nextId, field, say, showError, RoeiReadyEvent } from "./roei-dom.js";
import { STRINGS as UI } from "./roei-drill-strings.js";
import { LocalValue } from "./roei-store.js";
import { loadModule } from "./roei-wasm.js";

const STYLES = [new URL("./roei-incident.css", import.meta.url).href, new URL("./roei-drill.css", import.meta.url).href];
// The debrief frame links its own stylesheet: a frame inherits the page's CSP, which refuses inline styles.
const DEBRIEF_CSS = new URL("./roei-drill-debrief.css", import.meta.url).href;
const LIBRARY = new URL("./drills/index.json", import.meta.url).href;

const loadDrill = () => loadModule("roei_drill");
// The timeline picture comes from the document module, fetched only if the debrief asks for it.
const loadReports = () => loadModule("roei_reports");

// Facilitator's choices (docs/WIDGET.md, "Drill mode"): 60× by default, so an hour passes in a minute.
const SPEEDS = [1, 60, 600, 3600];
const STEPS = [["plus10m", 600], ["plus1h", 3600], ["plus1d", 86400]];
const TICK_MS = 250;
const SAVE_EVERY_MS = 5000;
// Board rows that need no action, folded away under the board.
const QUIET = new Set(["not_applicable", "waiting"]);
const LONG_TEXT = new Set(["content", "circumstances", "summary", "cause", "prevention", "measures", "text", "other",
  "secondary_damage", "subject_response", "publication_status", "reason", "what"]);


const FMT = {
  ja: new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }),
  en: new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Tokyo", year: "numeric", month: "short", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }),
};
/** An instant in Japan time whatever the browser's zone (the scenario's deadlines are office hours in Japan). */
function fmt(iso, lang) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso ?? "") : `${FMT[lang].format(d)} JST`;
}

/** Seconds as `1日 2:03:04` / `1d 2:03:04`. */
function span(secs, days) {
  const s = Math.max(0, Math.floor(secs));
  const d = Math.floor(s / 86400);
  const hh = Math.floor((s % 86400) / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return d > 0 ? `${d}${days} ${hh}:${mm}:${ss}` : `${hh}:${mm}:${ss}`;
}

/** `T+1h40m` (seconds only when there are some), as the core writes offsets. */
function offset(secs) {
  const s = Math.max(0, Math.floor(secs));
  const parts = [[Math.floor(s / 86400), "d"], [Math.floor((s % 86400) / 3600), "h"], [Math.floor((s % 3600) / 60), "m"], [s % 60, "s"]];
  const out = parts.filter(([n]) => n > 0).map(([n, u]) => `${n}${u}`).join("");
  return `T+${out || "0"}`;
}

/** Saved drill: the scenario text and the playthrough (the whole drill), in localStorage. */
class Saved {
  constructor(key) { this.value = new LocalValue(`roei-drill:${key}`); }
  get() {
    try {
      const v = JSON.parse(this.value.get() ?? "null");
      return v && typeof v.scenario === "string" && v.playthrough ? v : null;
    } catch { return null; }
  }
  put(v) { return this.value.put(JSON.stringify(v)); }
  clear() { this.value.clear(); }
}

/** `roei-drill-end`: the facilitator ended the drill; `playthrough` is the exported JSON text, `score` roei/drill-score@1. */
export class RoeiDrillEndEvent extends CustomEvent {
  constructor(playthrough, score) {
    super("roei-drill-end", { bubbles: true, composed: true, detail: { playthrough, score } });
    this.playthrough = playthrough;
    this.score = score;
  }
}

export class RoeiDrillElement extends HTMLElement {
  static observedAttributes = ["lang"];

  /** Registers the element under `tag` (once); returns the class. The module calls it with the defaults. */
  static define(tag = "roei-drill", registry = customElements) {
    if (!registry.get(tag)) registry.define(tag, this);
    return this;
  }

  // The drill's state is the element's own (#private): scripts read `result` and the events.
  #announcedOnce; #autoPause; #boardBody; #brief; #clockEl; #drill; #endBtn; #endNote; #exact; #final; #injectEmpty; #injectList; #instantEl; #lastReal; #library; #live; #logBody; #logSig; #nextBtn; #nextEl; #phase; #playBtn; #pt; #quietBody; #quietBox; #root; #rows; #runEl; #running; #saved; #savedAt; #sc; #secs; #shell; #shownInjects; #speed; #stampEl; #started; #state; #stepBtns; #timelineSlot; #timer; #warnEl;

  /** Reflects `library`: the URL of the scenario list (roei/drill-library@1). */
  get library() { return this.getAttribute("library"); }
  set library(v) { this.setAttribute("library", v); }
  /** Reflects `scenario`: the URL of one scenario to open directly. */
  get scenario() { return this.getAttribute("scenario"); }
  set scenario(v) { this.setAttribute("scenario", v); }
  /** Reflects `storage-key`: where the drill in progress is kept (default "roei-drill"). */
  get storageKey() { return this.getAttribute("storage-key") || "roei-drill"; }
  set storageKey(v) { this.setAttribute("storage-key", v); }
  /** The ended drill, `{ playthrough, score }` (as "roei-drill-end" carries them), or null. */
  get result() { return this.#final ? { playthrough: this.#final.text, score: this.#final.score } : null; }

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open" });
    this.#phase = "choose";
    this.#sc = null; // scenario text
    this.#brief = null; // roei/drill-briefing@1
    this.#pt = null; // roei/playthrough@1 as the core returned it: the drill
    this.#state = null; // roei/drill-state@1 at `secs`
    this.#secs = 0;
    this.#exact = 0; // the running clock's fractional seconds
    this.#running = false;
    this.#speed = 60;
    this.#autoPause = true;
    this.#timer = 0;
    this.#rows = new Map();
    this.#shownInjects = new Set();
    this.#final = null;
    this.#savedAt = 0;
  }

  get uiLang() { return this.getAttribute("lang") === "en" ? "en" : "ja"; }
  #t(k) { return UI[this.uiLang][k] ?? UI.ja[k] ?? k; }
  /** `{ ja, en }` text from the scenario or the core. */
  #tx(v) { return v && typeof v === "object" ? (v[this.uiLang] ?? v.ja ?? "") : (v ?? ""); }
  /** A core label of the briefing (`state`, `verdict`, `stage`, …), falling back to the key. */
  #L(group, key) { return this.#brief?.labels?.[group]?.[key]?.[this.uiLang] ?? key; }
  #roleName(id) { const r = this.#brief?.roles.find((x) => x.id === id); return r ? `${this.#tx(r.name)}` : (id ?? ""); }

  async connectedCallback() {
    if (this.#started) return;
    this.#started = true;
    this.#root.append(
      ...STYLES.map((href) => h("link", { rel: "stylesheet", href })),
      (this.#shell = h("div", { class: "shell drill", lang: this.uiLang }, h("p", { class: "loading" }, this.#t("loading")))),
      (this.#live = h("div", { class: "sr", role: "status", "aria-live": "polite" })),
    );
    this.#saved = new Saved(this.storageKey);
    try {
      const libUrl = new URL(this.library || LIBRARY, document.baseURI).href;
      const [drill, library] = await Promise.all([
        loadDrill(),
        fetch(libUrl).then((r) => (r.ok ? r.json() : null)).catch(() => null),
      ]);
      this.#drill = drill;
      this.#library = Array.isArray(library?.scenarios)
        ? library.scenarios.map((s) => ({ ...s, url: new URL(String(s.src), libUrl).href })) : null;
      const direct = this.scenario;
      if (direct) await this.#open(new URL(direct, document.baseURI).href);
      else this.#render();
      this.setAttribute("ready", "");
      this.dispatchEvent(new RoeiReadyEvent());
    } catch (e) {
      this.#shell.replaceChildren(h("p", { class: "err", role: "alert" }, `${this.#t("error")}: ${e?.message ?? e}`));
    }
  }

  disconnectedCallback() { this.#stopTimer(); }

  attributeChangedCallback() { if (this.#drill) this.#render(); }

  #announce(msg) { say(this.#live, msg); }

  #fail(e, where) { showError(this.#live, where, e, this.#t("error")); }

  // ---------- views ----------

  #render() {
    this.#shell.setAttribute("lang", this.uiLang);
    this.#rows.clear();
    this.#shownInjects.clear();
    // A redrawn feed (language switch, resume) repaints the injects already seen without announcing them.
    this.#announcedOnce = false;
    const view = { choose: () => this.#chooseView(), brief: () => this.#briefView(), play: () => this.#playView(), done: () => this.#doneView() }[this.#phase];
    this.#shell.replaceChildren(...view());
    if (this.#phase === "play") this.#update();
  }

  #focusHeading() { this.#shell.querySelector("h2")?.focus(); }

  #langButton() {
    return h("button", { type: "button", lang: this.uiLang === "ja" ? "en" : "ja", on: { click: () => this.setAttribute("lang", this.uiLang === "ja" ? "en" : "ja") } }, this.#t("lang"));
  }

  #bar(title, meta, ...tools) {
    return h("header", { class: "bar" },
      h("div", {}, h("h2", { tabindex: "-1" }, title), meta ? h("div", { class: "meta" }, meta) : null),
      h("div", { class: "tools" }, ...tools, this.#langButton()));
  }

  #chooseView() {
    const err = h("p", { class: "err", role: "alert" });
    const items = [];
    if (this.#library) {
      const group = h("div", { class: "library" });
      for (const s of this.#library) {
        const radio = h("input", { type: "radio", name: "scenario", value: s.url, id: nextId("s") });
        group.append(h("div", { class: "check" }, radio,
          h("label", { for: radio.id }, this.#tx(s.title), " ", h("span", { class: "clause" }, (s.profiles ?? []).join(" + ")))));
      }
      const form = h("form", { class: "act", novalidate: true },
        h("fieldset", {}, h("legend", {}, this.#t("library")), group),
        h("div", { class: "row" }, h("button", { type: "submit", class: "primary" }, this.#t("prepare"))));
      form.addEventListener("submit", (ev) => {
        ev.preventDefault();
        const url = new FormData(form).get("scenario");
        if (!url) { err.textContent = this.#t("pickOne"); return; }
        this.#open(String(url), err);
      });
      items.push(form);
    } else {
      items.push(h("p", { class: "note" }, this.#t("noLibrary")));
    }
    const file = h("input", { type: "file", accept: "application/json,.json" });
    file.addEventListener("change", async () => {
      const f = file.files?.[0];
      if (f) this.#useScenario(await f.text(), err);
    });
    items.push(h("div", { class: "row" }, h("label", { class: "filebtn" }, this.#t("fromFile"), file)));
    const saved = this.#saved.get();
    if (saved) {
      items.push(h("div", { class: "row" }, h("button", { type: "button", on: { click: () => this.#resumeSaved(saved, err) } },
        `${this.#t("resumeSaved")}：${this.#tx(saved.title)}（${saved.offset ?? ""}）`)));
    }
    items.push(err);
    return [this.#bar(this.#t("heading"), null),
      h("main", { class: "body" }, h("section", { "aria-labelledby": "h-choose" }, h("h3", { id: "h-choose" }, this.#t("choose")), ...items))];
  }

  async #open(url, err) {
    try {
      const r = await fetch(url);
      if (!r.ok) throw new Error(`${r.status} ${url}`);
      this.#useScenario(await r.text(), err);
    } catch (e) { this.#fail(e, err); if (!err) this.#render(); }
  }

  /** Validates a scenario (the core's strict reader) and shows its briefing. */
  #useScenario(text, err) {
    try {
      this.#brief = this.#drill.briefing(text);
    } catch (e) { this.#fail(e, err); return; }
    this.#sc = text;
    this.#phase = "brief";
    this.#render();
    this.#focusHeading();
  }

  #briefView() {
    const b = this.#brief;
    const err = h("p", { class: "err", role: "alert" });
    const file = h("input", { type: "file", accept: "application/json,.json" });
    file.addEventListener("change", async () => {
      const f = file.files?.[0];
      if (!f) return;
      try {
        const r = this.#drill.resume(this.#sc, await f.text());
        this.#startPlay(r.playthrough, r.state);
      } catch (e) { this.#fail(e, err); }
    });
    const roles = h("table", { class: "log" },
      h("thead", {}, h("tr", {}, ...["roleId", "roleName", "actor", "owes"].map((k) => h("th", { scope: "col" }, this.#t(k))))),
      h("tbody", {}, b.roles.map((r) => h("tr", {}, h("td", {}, r.id), h("td", {}, this.#tx(r.name)), h("td", {}, this.#L("actor", r.actor)),
        h("td", {}, r.owes.join("、"))))));
    return [
      this.#bar(this.#tx(b.title), `${b.id}`),
      h("main", { class: "body" },
        h("section", { "aria-labelledby": "h-brief" }, h("h3", { id: "h-brief" }, this.#t("overview")),
          h("dl", { class: "facts" },
            h("div", {}, h("dt", {}, this.#t("start")), h("dd", {}, fmt(b.start.at, this.uiLang))),
            h("div", {}, h("dt", {}, this.#t("end")), h("dd", {}, `${fmt(b.end.at, this.uiLang)}（${b.end.offset}）`)),
            h("div", {}, h("dt", {}, this.#t("contracts")), h("dd", {}, b.contracts.map((c) => `${c.id}（${c.profile}・${c.principal}）`).join("、"))),
            h("div", {}, h("dt", {}, this.#t("injectsCount")), h("dd", {}, `${b.injects}${this.#t("items")}`)),
            h("div", {}, h("dt", {}, this.#t("expectedCount")), h("dd", {}, `${b.expected}${this.#t("items")}`)))),
        b.goals.length ? h("section", { "aria-labelledby": "h-goals" }, h("h3", { id: "h-goals" }, this.#t("goals")),
          h("ul", { class: "goals" }, b.goals.map((g) => h("li", {}, this.#tx(g))))) : null,
        h("section", { "aria-labelledby": "h-roles" }, h("h3", { id: "h-roles" }, this.#t("roles")), roles),
        h("div", { class: "row" },
          h("button", { type: "button", class: "primary", on: { click: () => this.#begin(err) } }, this.#t("begin")),
          h("label", { class: "filebtn" }, this.#t("resumeFile"), file),
          h("button", { type: "button", on: { click: () => { this.#phase = "choose"; this.#render(); this.#focusHeading(); } } }, this.#t("back"))),
        err),
    ];
  }

  #begin(err) {
    try {
      const pt = this.#brief.playthrough;
      this.#startPlay(pt, this.#drill.drillState(this.#sc, pt, 0));
    } catch (e) { this.#fail(e, err); }
  }

  #startPlay(pt, state) {
    this.#pt = pt;
    this.#state = state;
    this.#secs = this.#exact = state.now.secs;
    this.#phase = "play";
    this.#render();
    this.#save(true);
    this.#focusHeading();
  }

  #resumeSaved(saved, err) {
    try {
      this.#brief = this.#drill.briefing(saved.scenario);
      this.#sc = saved.scenario;
      if (saved.ended) { this.#finish(saved.playthrough, saved.secs); return; }
      this.#startPlay(saved.playthrough, this.#drill.drillState(saved.scenario, saved.playthrough, saved.secs ?? 0));
    } catch (e) { this.#fail(e, err); }
  }

  #playView() {
    const b = this.#brief;
    this.#clockEl = h("p", { class: "simclock", role: "timer", "aria-live": "off" });
    this.#instantEl = h("p", { class: "instant" });
    this.#runEl = h("p", { class: "meta" });
    this.#nextEl = h("p", { class: "meta" });
    this.#endNote = h("p", { class: "note", role: "status" });
    this.#stepBtns = STEPS.map(([k, secs]) => h("button", { type: "button", "data-step": secs, on: { click: () => this.#jump(this.#secs + secs) } }, this.#t(k)));
    this.#nextBtn = h("button", { type: "button", on: { click: () => this.#state.next_inject && this.#jump(this.#state.next_inject.secs) } }, this.#t("toNext"));
    this.#endBtn = h("button", { type: "button", on: { click: () => this.#jump(this.#state.end.secs) } }, this.#t("toEnd"));
    this.#playBtn = h("button", { type: "button", class: "primary", "aria-pressed": "false", on: { click: () => (this.#running ? this.#pause() : this.#run()) } }, this.#t("play"));
    const speed = h("select", { name: "speed", on: { change: () => { this.#speed = Number(speed.value); this.#paintClock(); } } });
    for (const s of SPEEDS) speed.append(h("option", { value: s, props: { selected: s === this.#speed } }, `${s}${this.#t("speedX")}`));
    const auto = h("input", { type: "checkbox", id: nextId("a"), props: { checked: this.#autoPause }, on: { change: () => { this.#autoPause = auto.checked; } } });
    const clock = h("section", { class: "clockpanel", "aria-labelledby": "h-clock" },
      h("h3", { id: "h-clock" }, this.#t("facilitator")),
      h("div", { class: "clockrow" },
        h("div", { class: "clockface" }, h("span", { class: "lbl" }, this.#t("simTime")), this.#clockEl, this.#instantEl, this.#runEl, this.#nextEl),
        h("div", { class: "controls" },
          h("div", { class: "row", role: "group", "aria-label": this.#t("facilitator") }, ...this.#stepBtns, this.#nextBtn, this.#endBtn),
          h("div", { class: "row" }, this.#playBtn, field(this.#t("speed"), speed),
            h("div", { class: "check" }, auto, h("label", { for: auto.id }, this.#t("autoPause")))),
          h("p", { class: "note" }, this.#t("noBack")), this.#endNote)));
    this.#injectList = h("ol", { class: "injects" });
    this.#injectEmpty = h("p", { class: "note" }, this.#t("noInjects"));
    this.#boardBody = h("tbody");
    this.#quietBody = h("tbody");
    this.#quietBox = h("details", {}, h("summary", {}, this.#t("notApplicable")), this.#boardTable(this.#quietBody));
    this.#logBody = h("tbody");
    this.#warnEl = h("ul", { class: "warnings" });
    return [
      this.#bar(this.#tx(b.title), `${b.id} ／ ${b.contracts.map((c) => `${c.id}（${c.principal}）`).join("、")}`,
        h("button", { type: "button", on: { click: () => this.#exportNow() } }, this.#t("exportNow")),
        h("button", { type: "button", class: "danger", on: { click: () => this.#end() } }, this.#t("endDrill"))),
      h("main", { class: "body" },
        clock,
        h("div", { class: "cols" },
          h("section", { "aria-labelledby": "h-injects" }, h("h3", { id: "h-injects" }, this.#t("injects")), this.#injectEmpty, this.#injectList),
          h("section", { "aria-labelledby": "h-act" }, h("h3", { id: "h-act" }, this.#t("act")), this.#actionForm())),
        h("section", { "aria-labelledby": "h-board" }, h("h3", { id: "h-board" }, this.#t("board")), this.#boardTable(this.#boardBody), this.#quietBox, this.#warnEl),
        h("section", { "aria-labelledby": "h-log" }, h("h3", { id: "h-log" }, this.#t("log")),
          h("div", { class: "scroll" }, h("table", { class: "log" }, h("thead", {}, h("tr", {}, ...["when", "elapsed", "kind", "role", "content"].map((k) => h("th", { scope: "col" }, this.#t(k))))), this.#logBody)))),
    ];
  }

  #boardTable(body) {
    return h("div", { class: "scroll" }, h("table", { class: "board" },
      h("thead", {}, h("tr", {}, ...["status", "obligation", "contractOf", "role", "legalTerm", "due", "timeLeft", "missing"].map((k) => h("th", { scope: "col" }, this.#t(k))))),
      body));
  }

  /** The action form: type and role, then the questions the core asks for that type. */
  #actionForm() {
    const b = this.#brief;
    const type = h("select", { name: "type" });
    for (const a of b.actions) type.append(h("option", { value: a.type }, this.uiLang === "ja" ? a.ja : a.en));
    type.value = b.actions.some((a) => a.type === "reported_to_principal") ? "reported_to_principal" : b.actions[0].type;
    const role = h("select", { name: "role" });
    for (const r of b.roles) role.append(h("option", { value: r.id }, `${this.#tx(r.name)}（${r.id}）`));
    this.#stampEl = h("output", { class: "stamp" });
    const slot = h("div", { class: "prompts" });
    const err = h("p", { class: "err", role: "alert" });
    const btn = h("button", { type: "submit", class: "primary" }, this.#t("record"));
    const form = h("form", { class: "act", novalidate: true },
      h("div", { class: "row" }, field(this.#t("type"), type), field(this.#t("role"), role),
        h("div", { class: "field" }, h("span", { class: "lbl" }, this.#t("stamp")), this.#stampEl)),
      slot, err, h("div", { class: "row" }, btn));
    const fill = () => {
      const a = b.actions.find((x) => x.type === type.value);
      slot.replaceChildren(...(a.prompts.length ? a.prompts.map((p) => this.#promptField(p)) : [h("p", { class: "note" }, this.#t("nothingToAsk"))]));
      err.textContent = "";
    };
    type.addEventListener("change", fill);
    fill();
    form.addEventListener("input", () => { for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid"); });
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      const a = b.actions.find((x) => x.type === type.value);
      const f = new FormData(form);
      const answers = {};
      for (const p of a.prompts) {
        const v = String(f.get(p.key) ?? "").trim();
        if (v) answers[p.key] = v;
      }
      if (this.#record(type.value, role.value, answers, err, form)) fill();
    });
    return form;
  }

  #promptField(p) {
    const label = `${this.uiLang === "ja" ? p.ja : p.en}${p.required ? `（${this.#t("required")}）` : ""}`;
    const attrs = { name: p.key, required: p.required || null };
    if (p.kind === "bool") {
      const s = h("select", attrs, h("option", { value: "" }, this.#t("unset")), h("option", { value: "y" }, this.#t("yes")), h("option", { value: "n" }, this.#t("no")));
      return field(label, s);
    }
    if (p.kind === "choice") {
      const s = h("select", attrs, h("option", { value: "" }, p.required ? this.#t("choose1") : "—"));
      p.choices.forEach((c, i) => s.append(h("option", { value: c }, p.choice_labels?.[i] ? this.#tx(p.choice_labels[i]) : c)));
      return field(label, s);
    }
    if (p.kind === "count") return field(label, h("input", { ...attrs, type: "number", min: "0", step: "1", inputmode: "numeric" }));
    if (p.kind === "list") return field(label, h("input", { ...attrs, type: "text" }), this.#t("listHint"));
    return field(label, LONG_TEXT.has(p.key) ? h("textarea", { ...attrs, rows: "2" }) : h("input", { ...attrs, type: "text" }));
  }

  /** Appends an action at the simulated clock; the core returns the grown playthrough. */
  #record(type, role, answers, err, form) {
    let r;
    try {
      r = this.#drill.act(this.#sc, this.#pt, this.#secs, role, type, answers);
    } catch (e) {
      this.#fail(e, err);
      // `data.fields.count` / `data.kind` / `answers.kind` name the form field.
      const key = e?.path?.split(".").pop();
      const el = key && form.querySelector(`[name="${CSS.escape(key)}"]`);
      if (el) { el.setAttribute("aria-invalid", "true"); el.focus(); }
      return false;
    }
    this.#pt = r.playthrough;
    this.#state = r.state;
    err.textContent = "";
    this.#update();
    this.#save(true);
    this.#announce(`${this.#t("recorded")}: ${r.event} ${this.#L("event_type", type)}（${r.state.now.offset}）`);
    return true;
  }

  // ---------- the clock ----------

  /** The state at `secs` from the core, or null (and the error shown) if it refused. */
  #compute(secs) {
    try { return this.#drill.drillState(this.#sc, this.#pt, secs); } catch (e) { this.#fail(e, this.#endNote); this.#pause(); return null; }
  }

  /** Moves the clock forward to `target` (never back, never past the end). */
  #jump(target) {
    const st = this.#state;
    const to = Math.min(Math.max(Math.floor(target), this.#secs), st.end.secs);
    if (to === this.#secs && !this.#running) { this.#paintClock(); return; }
    const next = this.#compute(to);
    if (!next) return;
    const firedBefore = st.injects.filter((i) => i.fired).length;
    this.#secs = to;
    this.#exact = Math.max(this.#exact, to);
    this.#state = next;
    this.#update();
    this.#save(!this.#running);
    if (this.#running && ((this.#autoPause && next.injects.filter((i) => i.fired).length > firedBefore) || next.ended)) this.#pause();
  }

  #run() {
    if (this.#state.ended) return;
    this.#running = true;
    this.#exact = this.#secs;
    this.#lastReal = performance.now();
    this.#timer = setInterval(() => this.#step(), TICK_MS);
    this.#paintClock();
  }

  #pause() {
    this.#stopTimer();
    if (!this.#running) return;
    this.#running = false;
    this.#exact = this.#secs;
    this.#paintClock();
    this.#save(true);
  }

  #stopTimer() { clearInterval(this.#timer); this.#timer = 0; }

  #step() {
    const now = performance.now();
    this.#exact += ((now - this.#lastReal) / 1000) * this.#speed;
    this.#lastReal = now;
    let target = Math.floor(this.#exact);
    // Stop exactly on an inject's time, so players read it with the clock showing when it came.
    const next = this.#state.next_inject;
    if (this.#autoPause && next && target >= next.secs) { target = next.secs; this.#exact = target; }
    if (target > this.#secs) this.#jump(target);
  }

  // ---------- drawing the state ----------

  #update() {
    this.#paintClock();
    this.#paintInjects();
    this.#paintBoard();
    this.#paintLog();
  }

  #paintClock() {
    const st = this.#state;
    if (!st || !this.#clockEl) return;
    this.#clockEl.textContent = st.now.offset;
    this.#instantEl.textContent = fmt(st.now.at, this.uiLang);
    this.#runEl.textContent = this.#running ? `${this.#t("running")}（${this.#speed}${this.#t("speedX")}）` : this.#t("paused");
    this.#nextEl.textContent = `${this.#t("end")} ${st.end.offset}（${fmt(st.end.at, this.uiLang)}）・${this.#t("nextInject")} ${st.next_inject ? st.next_inject.offset : this.#t("none")}`;
    this.#playBtn.textContent = this.#running ? this.#t("pause") : this.#t("play");
    this.#playBtn.setAttribute("aria-pressed", String(this.#running));
    for (const b of [...this.#stepBtns, this.#playBtn, this.#endBtn]) b.disabled = st.ended;
    this.#nextBtn.disabled = st.ended || !st.next_inject;
    this.#endNote.textContent = st.ended ? this.#t("reachedEnd") : "";
    if (this.#stampEl) this.#stampEl.textContent = `${st.now.offset}（${fmt(st.now.at, this.uiLang)}）`;
  }

  #paintInjects() {
    const fired = this.#state.injects.filter((i) => i.fired);
    this.#injectEmpty.hidden = fired.length > 0;
    const fresh = [];
    for (const i of fired) {
      if (this.#shownInjects.has(i.id)) continue;
      this.#shownInjects.add(i.id);
      fresh.push(i);
      this.#injectList.append(h("li", { class: "inject", "data-inject": i.id },
        h("p", { class: "meta" }, h("strong", {}, i.offset), ` ${fmt(i.at, this.uiLang)} → ${i.to ? this.#roleName(i.to) : this.#t("all")}`),
        h("p", { class: "text" }, this.#tx(i.text))));
    }
    if (fresh.length) {
      for (const li of this.#injectList.querySelectorAll(".latest")) li.classList.remove("latest");
      this.#injectList.lastElementChild?.classList.add("latest");
      if (this.#announcedOnce) this.#announce(fresh.map((i) => `${this.#t("inject")} ${i.offset}: ${this.#tx(i.text)}`).join(" "));
    }
    this.#announcedOnce = true;
  }

  #paintBoard() {
    const st = this.#state;
    const seen = new Set();
    const want = { main: [], quiet: [] };
    for (const o of st.board) {
      const key = `${o.obligation}|${o.contract ?? o.principal}`;
      seen.add(key);
      let r = this.#rows.get(key);
      if (!r) { r = this.#boardRow(o); this.#rows.set(key, r); }
      this.#patchRow(r, o, st.now.secs);
      (QUIET.has(o.status) ? want.quiet : want.main).push(r.el);
    }
    for (const [k, r] of this.#rows) if (!seen.has(k)) { r.el.remove(); this.#rows.delete(k); }
    for (const [body, els] of [[this.#boardBody, want.main], [this.#quietBody, want.quiet]]) {
      els.forEach((el, i) => { if (body.children[i] !== el) body.insertBefore(el, body.children[i] ?? null); });
    }
    this.#quietBox.hidden = want.quiet.length === 0;
    this.#warnEl.replaceChildren(...st.warnings.map((w) => h("li", {}, `${this.#t("warnings")}: ${w.message}`)));
  }

  #boardRow(o) {
    const r = { badge: h("span", { class: "badge" }), due: h("td"), left: h("td", { class: "countdown" }), missing: h("td", { class: "missing" }) };
    r.el = h("tr", { "data-obligation": o.obligation },
      h("td", {}, r.badge),
      h("td", { class: "what" }, h("strong", {}, this.#L("stage", o.stage)), " ", h("span", { class: "clause" }, o.obligation),
        h("span", { class: "label" }, this.#tx(o.label))),
      h("td", {}, o.contract ? `${o.contract}（${o.principal}）` : o.principal),
      h("td", {}, o.role ? this.#roleName(o.role) : ""),
      h("td", { class: "legal" }, o.legal_term),
      r.due, r.left, r.missing);
    return r;
  }

  #patchRow(r, o, now) {
    r.el.dataset.status = o.status;
    r.el.className = `s-${o.status}`;
    r.badge.className = `badge s-${o.status}`;
    r.badge.textContent = this.#L("state", o.status);
    const due = o.due ? fmt(o.due, this.uiLang) : "—";
    r.due.textContent = o.done_at ? `${due}` : due;
    let left = "";
    if (o.done_secs !== null && o.done_secs !== undefined) left = `${this.#t("doneAt")} ${offset(o.done_secs)}`;
    else if (o.due_secs !== null && o.due_secs !== undefined && (o.status === "pending" || o.status === "overdue")) {
      const d = o.due_secs - now;
      left = this.#t(d >= 0 ? "left" : "over").replace("{x}", span(Math.abs(d), this.#t("days")));
    }
    if (r.left.textContent !== left) r.left.textContent = left;
    r.left.classList.toggle("over", o.status === "overdue");
    const miss = o.missing.map((k) => this.#L(o.status === "undetermined" ? "fact" : "field_key", k)).join("、");
    if (r.missing.textContent !== miss) r.missing.textContent = miss;
  }

  #paintLog() {
    const st = this.#state;
    const rows = [];
    st.injects.forEach((i, n) => { if (i.fired) rows.push([i.at, 0, n, [fmt(i.at, this.uiLang), i.offset, this.#t("inject"), i.to ? this.#roleName(i.to) : this.#t("all"), this.#tx(i.text)]]); });
    st.actions.forEach((a, n) => {
      const data = this.#pt.actions[n]?.data ?? {};
      rows.push([a.at, 1, n, [fmt(a.at, this.uiLang), a.offset, `${this.#t("action")} ${a.event}`, this.#roleName(a.role), `${this.#L("event_type", a.type)}${summary(data, (g, k) => this.#L(g, k), (k) => this.#t(k))}`]]);
    });
    // Instants share the +09:00 offset, so they sort as text; injects first at equal times, as they fire.
    rows.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] - y[1] || x[2] - y[2]));
    if (this.#logBody.childElementCount === rows.length && this.#logSig === this.uiLang) return;
    this.#logSig = this.uiLang;
    this.#logBody.replaceChildren(...rows.map((r) => h("tr", {}, r[3].map((c) => h("td", {}, c)))));
  }

  // ---------- ending, export ----------

  #exportNow() {
    try {
      this.#download(`${this.#brief.id}.playthrough.${this.#state.now.offset.replace("+", "")}.json`, this.#drill.exportPlaythrough(this.#sc, this.#pt, this.#secs), "application/json");
    } catch (e) { this.#fail(e, this.#endNote); }
  }

  #end() {
    if (!confirm(this.#t("confirmEnd").replace("{t}", this.#state.now.offset))) return;
    this.#pause();
    this.#finish(this.#pt, this.#secs);
  }

  /** Scores the exported playthrough (the very text a facilitator keeps) and shows the debrief. */
  #finish(pt, secs) {
    try {
      const text = this.#drill.exportPlaythrough(this.#sc, pt, secs);
      const score = this.#drill.score(this.#sc, text);
      this.#final = { text, score };
      this.#pt = pt;
      this.#secs = secs;
      this.#phase = "done";
      this.#saved.put({ scenario: this.#sc, title: this.#brief.title, playthrough: pt, secs, offset: score.offset, ended: true });
      this.#render();
      this.#focusHeading();
      this.dispatchEvent(new RoeiDrillEndEvent(text, score));
    } catch (e) { this.#fail(e, this.#endNote); }
  }

  #doneView() {
    const s = this.#final.score;
    const err = h("p", { class: "err", role: "alert" });
    const pct = (p) => (p.percent === null || p.percent === undefined ? "—" : `${p.percent}%`);
    const th = (...ks) => h("thead", {}, h("tr", {}, ks.map((k) => h("th", { scope: "col" }, this.#t(k)))));
    const obs = h("table", { class: "board score" }, th("verdict", "obligation", "contractOf", "role", "status", "due", "doneAt", "points", "missing"),
      h("tbody", {}, s.obligations.map((o) => h("tr", { "data-obligation": o.obligation, "data-verdict": o.verdict, class: `v-${o.verdict}` },
        h("td", {}, h("span", { class: `badge v-${o.verdict}` }, this.#L("verdict", o.verdict))),
        h("td", { class: "what" }, h("strong", {}, this.#L("stage", o.stage)), " ",
          h("span", { class: "clause" }, o.clause === o.obligation ? o.clause : `${o.obligation}（${o.clause}）`), " ", h("span", { class: "note" }, o.article),
          h("span", { class: "label" }, this.#tx(o.label))),
        h("td", {}, o.contract ? `${o.contract}（${o.principal}）` : o.principal),
        h("td", {}, o.role ? this.#roleName(o.role) : ""),
        h("td", {}, this.#L("state", o.status)),
        h("td", {}, o.due ? fmt(o.due, this.uiLang) : "—"),
        h("td", {}, o.done_at ? fmt(o.done_at, this.uiLang) : ""),
        h("td", {}, o.max > 0 ? `${o.points} / ${o.max}` : "—"),
        h("td", { class: "missing" }, o.missing.map((k) => this.#L(o.status === "undetermined" ? "fact" : "field_key", k)).join("、"))))));
    const roles = h("table", { class: "log" }, th("role", "points", "share"),
      h("tbody", {}, s.roles.map((r) => h("tr", { "data-role": r.role }, h("td", {}, `${this.#tx(r.name)}（${r.role}）`), h("td", {}, `${r.points} / ${r.max}`), h("td", {}, pct(r))))));
    const expected = s.expected.length ? h("table", { class: "log" }, th("expected", "role", "by", "verdict", "done", "note"),
      h("tbody", {}, s.expected.map((x) => h("tr", { "data-expected": x.id },
        h("td", {}, `${x.id} ${this.#L("event_type", x.type)}`), h("td", {}, this.#roleName(x.role)), h("td", {}, `${x.by_offset}`),
        h("td", {}, this.#L("expected_verdict", x.verdict)), h("td", {}, x.at ? fmt(x.at, this.uiLang) : ""), h("td", {}, x.note ? this.#tx(x.note) : ""))))) : null;
    this.#timelineSlot = h("div", { class: "timeline" });
    return [
      this.#bar(this.#tx(s.title), `${s.scenario} ／ ${this.#t("scoredAt")} ${s.offset}（${fmt(s.at, this.uiLang)}）`,
        h("button", { type: "button", on: { click: () => { if (confirm(this.#t("confirmNew"))) { this.#saved.clear(); this.#phase = "choose"; this.#render(); this.#focusHeading(); } } } }, this.#t("again"))),
      h("main", { class: "body" },
        h("section", { "aria-labelledby": "h-results" }, h("h3", { id: "h-results" }, this.#t("results")),
          h("p", { class: "total" }, `${this.#t("total")} ${s.total.points} / ${s.total.max}（${pct(s.total)}）`,
            h("span", { class: "meta" }, `　${this.#t("obligations")} ${s.obligations_total.points} / ${s.obligations_total.max}・${this.#t("expected")} ${s.expected_total.points} / ${s.expected_total.max}`)),
          h("div", { class: "scroll" }, obs)),
        h("section", { "aria-labelledby": "h-byrole" }, h("h3", { id: "h-byrole" }, this.#t("byRole")), roles),
        expected ? h("section", { "aria-labelledby": "h-expected" }, h("h3", { id: "h-expected" }, this.#t("expected")), expected) : null,
        h("section", { "aria-labelledby": "h-debrief" }, h("h3", { id: "h-debrief" }, this.#t("debrief")),
          h("div", { class: "row" },
            h("button", { type: "button", class: "primary", on: { click: () => this.#download(`${s.scenario}.playthrough.json`, this.#final.text, "application/json") } }, this.#t("exportPlay")),
            h("button", { type: "button", on: { click: () => this.#saveDebrief("html", err) } }, this.#t("saveHtml")),
            h("button", { type: "button", on: { click: () => this.#saveDebrief("md", err) } }, this.#t("saveMd")),
            h("button", { type: "button", on: { click: () => this.#showTimeline(err) } }, this.#t("timeline"))),
          h("p", { class: "note" }, this.#t("cliNote")), err, this.#timelineSlot, this.#debriefFrame(err))),
    ];
  }

  /** The core's debrief HTML in a frame that can run no script and reach nothing (sandbox=""). */
  #debriefFrame(err) {
    let body = "";
    try { body = this.#drill.debrief(this.#sc, this.#final.text, this.uiLang, "html-fragment"); } catch (e) { this.#fail(e, err); }
    const frame = h("iframe", { class: "debrief", sandbox: "", title: this.#t("debriefFrame"), referrerpolicy: "no-referrer" });
    // The core escaped every scenario and player text in `body`; the head is this file's own.
    frame.srcdoc = `<!doctype html><html lang="${this.uiLang}"><head><meta charset="utf-8"><link rel="stylesheet" href="${DEBRIEF_CSS}"></head><body>${body}</body></html>`;
    return frame;
  }

  #saveDebrief(format, err) {
    try {
      const text = this.#drill.debrief(this.#sc, this.#final.text, this.uiLang, format);
      this.#download(`${this.#final.score.scenario}.debrief.${this.uiLang}.${format}`, text, format === "html" ? "text/html" : "text/markdown");
    } catch (e) { this.#fail(e, err); }
  }

  async #showTimeline(err) {
    try {
      const docs = await loadReports();
      const svg = docs.timeline(JSON.stringify(this.#final.score.record), this.#final.score.at, this.uiLang);
      // An <img> from a blob: the SVG's text never becomes DOM in the page.
      const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
      this.#timelineSlot.replaceChildren(h("img", { src: url, alt: this.#t("timeline") }));
    } catch (e) { this.#fail(e, err); }
  }

  #save(now) {
    if (!this.#sc || !this.#pt || this.#phase !== "play") return;
    const t = Date.now();
    if (!now && t - this.#savedAt < SAVE_EVERY_MS) return;
    this.#savedAt = t;
    const ok = this.#saved.put({ scenario: this.#sc, title: this.#brief.title, playthrough: this.#pt, secs: this.#secs, offset: this.#state?.now.offset });
    if (!ok && this.#endNote) this.#endNote.textContent = this.#t("notSaved");
  }

  #download(name, body, type) {
    const url = URL.createObjectURL(new Blob([body], { type }));
    const a = h("a", { href: url, download: name });
    this.#root.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
}

/** ` — key: value ／ …` for an action's data, in the page's language (`L` core labels, `t` UI strings). */
function summary(data, L, t) {
  const parts = [];
  for (const [k, v] of Object.entries({ ...data, ...(data.fields ?? {}) })) {
    if (k === "fields" || v === null || v === "" || (typeof v === "object" && !Array.isArray(v))) continue;
    const name = L("field_key", k) !== k ? L("field_key", k) : L("fact", k);
    const shown = typeof v === "boolean" ? t(v ? "yes" : "no") : Array.isArray(v) ? v.join("、") : String(v);
    parts.push(`${name}: ${shown}`);
  }
  return parts.length ? ` — ${parts.join(" ／ ")}` : "";
}

RoeiDrillElement.define();
