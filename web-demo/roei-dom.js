// DOM helpers shared by <roei-incident> and <roei-drill>. Both run inside other people's portals and
// show text from records and scenarios, which is untrusted: `h` is the only way either builds
// elements, and it never parses HTML (attributes via setAttribute, text via text nodes).

/**
 * Element builder: `h("p", { class: "x", on: { click: fn }, props: { value } }, "text", child)`.
 * Children: nodes, text (anything else, as a string), arrays of them (one level); null, undefined and
 * false are skipped. Every view is drawn through it, a few hundred elements at a time: it makes one call
 * into the DOM per attribute and one `append` for all the children (text becomes text nodes there).
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const k in attrs) {
    const v = attrs[k];
    if (v === null || v === undefined || v === false) continue;
    if (k === "on") for (const ev in v) el.addEventListener(ev, v[ev]);
    else if (k === "props") Object.assign(el, v);
    else el.setAttribute(k, v === true ? "" : v);
  }
  const kids = [];
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) { for (const d of c) if (d !== null && d !== undefined && d !== false) kids.push(d); } else kids.push(c);
  }
  if (kids.length === 1) el.append(kids[0]);
  else if (kids.length) el.append(...kids);
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
