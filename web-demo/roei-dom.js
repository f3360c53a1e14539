// DOM helpers shared by <roei-incident> and <roei-drill>. Both run inside other people's portals and
// show text from records and scenarios, which is untrusted: `h` is the only way either builds
// elements, and it never parses HTML (attributes via setAttribute, text via text nodes).

/** Element builder: `h("p", { class: "x", on: { click: fn }, props: { value } }, "text", child)`. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "on") for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === "props") Object.assign(el, v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

let uid = 0;
/** A page-unique id with a prefix, for label/for and aria-describedby pairs. */
export const nextId = (p) => `${p}-${++uid}`;

/** A labelled form field; a hint is tied to the control with aria-describedby. */
export function field(label, control, hint) {
  const id = control.id || (control.id = nextId("f"));
  const hintEl = hint ? h("span", { class: "note", id: nextId("h") }, hint) : null;
  if (hintEl) control.setAttribute("aria-describedby", hintEl.id);
  return h("div", { class: "field" }, h("label", { for: id }, label), control, hintEl);
}

/** `roei-ready`: the element accepts input (it also gets the `ready` attribute). Both elements fire it. */
export class RoeiReadyEvent extends Event {
  constructor() { super("roei-ready", { bubbles: true, composed: true }); }
}

/** Says `msg` through an aria-live region (emptied first, so the same message is read again). */
export function say(live, msg) { live.textContent = ""; live.textContent = msg; }

/** Shows an error (a RoeiError's message and JSON path) in `where`, if given, and says it. */
export function showError(live, where, e, label) {
  const msg = `${label}: ${e?.message ?? e}${e?.path ? ` (${e.path})` : ""}`;
  if (where) where.textContent = msg;
  say(live, msg);
}
