// The documents of <roei-incident>, fetched with the reports module on the first click of one of its
// tools (報告書プレビュー, 印刷用の報告書, ICS, 時系列図; the widget's first load carries none of them,
// `documentTools` below). The print view: core's report (roei/report@1, the same content as its HTML
// and Markdown renderings) laid out for A4 paper. Built with DOM calls only (`h`), like everything the widget shows:
// record text never becomes markup. While it is open, printing the page prints only the report: a
// constructed print stylesheet on the portal's document hides everything but the widget, and the
// widget's own hides everything but the report (a constructed sheet is allowed under style-src 'self').
import { h } from "./roei-dom.js";

/** Dates in the Japanese calendar (令和8年11月2日) or in English, and times to the minute, Japan time. */
const DATE = {
  ja: new Intl.DateTimeFormat("ja-JP-u-ca-japanese", { timeZone: "Asia/Tokyo", era: "long", year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit" }),
  en: new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Tokyo", year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit" }),
};
const when = (iso, lang) => (iso && !Number.isNaN(Date.parse(iso)) ? `${DATE[lang].format(new Date(iso))}${lang === "en" ? " JST" : ""}` : "");

const WORDS = {
  ja: { to: "宛先", from: "報告者", person: "担当", date: "作成日", chronology: "経過", when: "日時", event: "事象", details: "内容",
    citations: "根拠となる条項と状況", missing: "未記入の必須事項", notes: "備考", unknown: "（未記入）", print: "印刷する", close: "閉じる",
    entered: "記録", page: "事案", head: "記録のハッシュ値", events: "件の記録" },
  en: { to: "To", from: "Reported by", person: "Person in charge", date: "Date", chronology: "Chronology", when: "When", event: "Event", details: "Details",
    citations: "Clauses and their state", missing: "Required items still missing", notes: "Notes", unknown: "(not given)", print: "Print", close: "Close",
    entered: "entered", page: "Incident", head: "Record head hash", events: " events" },
};

/**
 * The report as a printable element. `report`: roei/report@1; `person`: { name, department } of who
 * prints it (the widget's 記録する人), shown beside the reporting organisation.
 */
export function printView(report, lang, person, onClose) {
  const w = WORDS[lang] ?? WORDS.ja;
  const paren = (x) => (lang === "ja" ? `（${x}）` : ` (${x})`);
  const who = [person?.name, person?.department].filter(Boolean).join(lang === "ja" ? "・" : ", ");
  const sections = report.sections.map((s) => h("section", { class: "p-section" }, h("h2", {}, s.heading),
    h("dl", {}, s.items.map((it) => h("div", { class: "p-item" }, h("dt", {}, it.label),
      h("dd", {}, it.value ?? w.unknown, it.source ? h("span", { class: "p-src" }, paren(`${it.source.event} ${when(it.source.at, lang)}`)) : null))))));
  const chronology = report.chronology.length ? h("section", { class: "p-section" }, h("h2", {}, w.chronology),
    h("table", {}, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, w.when), h("th", { scope: "col" }, w.event), h("th", { scope: "col" }, w.details))),
      h("tbody", {}, report.chronology.map((c) => h("tr", {},
        h("td", {}, when(c.at, lang), c.recorded_at ? h("span", { class: "p-src" }, paren(`${w.entered} ${when(c.recorded_at, lang)}`)) : null),
        h("td", {}, `${c.event} ${c.label}`), h("td", {}, [c.text, c.recorder].filter(Boolean).join(lang === "ja" ? "／" : " / "))))))) : null;
  const citations = h("section", { class: "p-section p-last" }, h("h2", {}, w.citations),
    h("ul", {}, report.citations.map((c) => h("li", {}, `${c.article}${paren(c.obligation)} ${c.legal_term}: ${c.status_label}${c.due ? `${lang === "ja" ? "、期限 " : ", due "}${when(c.due, lang)}` : ""}`))));
  return h("article", { class: "printview", lang },
    h("div", { class: "p-tools noprint" },
      h("button", { type: "button", class: "primary", on: { click: () => window.print() } }, w.print),
      h("button", { type: "button", on: { click: onClose } }, w.close)),
    h("header", { class: "p-head" },
      h("h1", {}, report.title),
      h("p", { class: "p-date" }, `${w.date}: ${report.date.era}`),
      h("p", {}, `${w.to}: ${report.addressees.join(lang === "ja" ? "、" : ", ")}`),
      h("p", {}, `${w.from}: ${report.senders.join(lang === "ja" ? "、" : ", ")}${who ? `${lang === "ja" ? "　" : " — "}${w.person} ${who}` : ""}`),
      h("p", {}, `${w.page}: ${report.incident.id}${report.incident.title ? ` ${report.incident.title}` : ""}`)),
    sections, chronology,
    report.missing.length ? h("section", { class: "p-section" }, h("h2", {}, w.missing), h("p", {}, report.missing.join(lang === "ja" ? "、" : ", "))) : null,
    report.notes.length ? h("section", { class: "p-section" }, h("h2", {}, w.notes), report.notes.map((n) => h("p", {}, n))) : null,
    citations,
    // The record's head hash: whoever keeps the paper can later check that the record still holds
    // what it was printed from (`roei verify --anchor`).
    h("footer", { class: "p-foot" }, `${report.incident.id} — ${when(report.date.at, lang)}`,
      h("br"), `${w.head}${paren(`sha256, ${report.incident.events}${w.events}`)}: `, h("code", { class: "p-hash" }, report.incident.head)));
}

/** Rules of the widget's shadow root while the print view is open: on paper, only the report. */
export const WIDGET_PRINT_CSS = `
.printview { font-family: "IPAMincho", "Noto Serif CJK JP", "Hiragino Mincho ProN", "Yu Mincho", serif; line-height: 1.6; }
.printview h1 { font-size: 1.4rem; text-align: center; margin: .5rem 0 1rem; }
.printview h2 { font-size: 1.05rem; border-bottom: 1px solid #333; margin: 1rem 0 .4rem; break-after: avoid; }
.printview .p-head p { margin: .1rem 0; }
.printview .p-hash { font-size: .75em; overflow-wrap: anywhere; }
.printview .p-date { text-align: right; }
.printview .p-item { display: grid; grid-template-columns: minmax(7rem, 30%) 1fr; gap: .5rem; border-bottom: 1px dotted #999; padding: .2rem 0; break-inside: avoid; }
.printview dt { font-weight: 700; }
.printview dd { margin: 0; overflow-wrap: anywhere; }
.printview .p-src { display: block; color: #555; font-size: .82rem; }
.printview table { width: 100%; border-collapse: collapse; font-size: .9rem; }
.printview th, .printview td { border: 1px solid #999; padding: .2rem .35rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
.printview tr { break-inside: avoid; }
.printview .p-foot { margin-top: 1.5rem; border-top: 1px solid #333; font-size: .8rem; color: #333; }
.printview .p-tools { display: flex; gap: .5rem; justify-content: flex-end; }
@media print {
  :host { font-size: 10.5pt; }
  .shell { border: 0; }
  .shell :not(.printview):not(.printview *):not(:has(.printview)) { display: none !important; }
  .printview .noprint { display: none !important; }
  .printview .p-section { break-inside: auto; }
}`;

/** Rules of the portal's document while the print view is open: only the widget is printed. */
export const PAGE_PRINT_CSS = `
@page { size: A4; margin: 18mm 16mm 20mm; }
@media print {
  body *:not(:has([data-roei-printing])):not([data-roei-printing]) { display: none !important; }
  body { margin: 0 !important; background: #fff !important; }
  [data-roei-printing] { margin: 0 !important; }
}`;

// The constructed print stylesheets, one of each per page (shared by every element of the page).
const PRINT_SHEETS = new Map();

/**
 * The widget's document tools, each drawing into (or downloading from) what the widget lends it, `w`:
 * { docs: the reports module, record: the record (JSON text), lang, now: RFC 3339 (+09:00), t(key):
 * the widget's words, slot: where a view goes, root: its shadow root, host: the element, person: its
 * 記録する人, download(name, body, type), printView(): opens the print view through the widget }.
 */
export const documentTools = {
  /** 報告書プレビュー: core's report to the principal as Markdown text, with a button to the print view. */
  preview(w) {
    const md = w.docs.report(w.record, "principal", w.lang, "md", w.now);
    w.slot.replaceChildren(h("section", {}, h("h3", {}, w.t("preview")),
      h("div", { class: "preview", tabindex: "0" }, md),
      h("button", { type: "button", class: "noprint", on: { click: () => w.printView() } }, w.t("print"))));
  },
  /** 印刷用の報告書: while it is shown, printing the page prints only the report. */
  printView(w) {
    const report = JSON.parse(w.docs.report(w.record, "principal", w.lang, "json", w.now));
    const close = () => { w.host.removeAttribute("data-roei-printing"); w.slot.replaceChildren(); };
    const view = printView(report, w.lang, w.person, close);
    for (const [target, css] of [[w.root, WIDGET_PRINT_CSS], [document, PAGE_PRINT_CSS]]) {
      const sheet = (PRINT_SHEETS.get(css) ?? PRINT_SHEETS.set(css, new CSSStyleSheet()).get(css));
      if (!sheet.cssRules.length) sheet.replaceSync(css);
      if (!target.adoptedStyleSheets.includes(sheet)) target.adoptedStyleSheets = [...target.adoptedStyleSheets, sheet];
    }
    w.host.setAttribute("data-roei-printing", "");
    w.slot.replaceChildren(view);
    view.querySelector("button")?.focus();
  },
  /** The deadlines as an ICS calendar file, downloaded. */
  ics(w) {
    w.download(`${JSON.parse(w.record).id}.ics`, w.docs.ics(w.record, w.now, w.lang), "text/calendar");
  },
  /** 時系列図: core's SVG as an <img> from a blob, so the SVG's own text never becomes DOM in the portal's document. */
  timeline(w) {
    const url = URL.createObjectURL(new Blob([w.docs.timeline(w.record, w.now, w.lang)], { type: "image/svg+xml" }));
    w.slot.replaceChildren(h("section", { class: "timeline" }, h("h3", {}, w.t("timeline")), h("img", { src: url, alt: w.t("timeline") })));
  },
};
