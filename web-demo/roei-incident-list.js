// 事案一覧 of <roei-incident>: every incident this browser keeps under the element's key (the open one
// and those closed or replaced), with its state, next due time and overdue count; open one (the shown
// one is kept in its place) or delete a kept one after confirming. Nothing else ever deletes a record.
// A module of its own, fetched by the widget on the first click of 事案一覧: no page needs it to draw.
import { h } from "./roei-dom.js";

/**
 * The list as a section. `records`: [{ key, text }] kept under the element's key; `w`: what it needs of
 * the element (roei-incident.js, `#listView`): `shown` (the key shown now), `status(text)` (core's check
 * now; throws for a record it cannot read, which is then left out), `actionable` (the states still to
 * act on), `t(key)` (a UI string), `fmt(iso)` (an instant as people read it), `open(record)`,
 * `remove(record)`.
 */
export function incidentList(records, w) {
  const rows = [];
  for (const r of records) {
    let st;
    try { st = w.status(r.text); } catch { continue; }
    const doc = JSON.parse(r.text);
    const open = st.obligations.filter((o) => w.actionable.has(o.status));
    const next = open.filter((o) => o.due && o.status === "pending").map((o) => o.due).sort()[0];
    const closed = doc.events.some((e) => e.type === "closed");
    const shown = r.key === w.shown;
    const act = shown ? w.t("shownNow") : [
      h("button", { type: "button", on: { click: () => w.open(r) } }, w.t("openIt")),
      " ",
      h("button", { type: "button", on: { click: () => { if (confirm(`${w.t("confirmDelete")} ${doc.id}`)) w.remove(r); } } }, w.t("deleteIt")),
    ];
    rows.push([shown ? 0 : 1, doc.events.at(-1)?.at ?? "", h("tr", { "data-key": r.key },
      // Each cell names its column (shown before it on phones, where the table is one block per row).
      h("td", { "data-label": w.t("id") }, doc.id), h("td", { "data-label": w.t("title") }, doc.title ?? ""),
      h("td", { "data-label": w.t("stateCol") }, w.t(closed ? "closedState" : "openState")),
      h("td", { "data-label": w.t("nextDue") }, next ? w.fmt(next) : "—"),
      h("td", { "data-label": w.t("overdueCount") }, String(open.filter((o) => o.status === "overdue").length)), h("td", {}, act))]);
  }
  rows.sort((a, b) => a[0] - b[0] || b[1].localeCompare(a[1]));
  const th = (k) => h("th", { scope: "col" }, w.t(k));
  return h("section", { class: "incidents", "aria-labelledby": "h-list" }, h("h3", { id: "h-list" }, w.t("incidentList")),
    rows.length ? h("table", { class: "log" }, h("thead", {}, h("tr", {}, th("id"), th("title"), th("stateCol"), th("nextDue"), th("overdueCount"), th("actions"))),
      h("tbody", {}, rows.map((r) => r[2]))) : h("p", { class: "note" }, w.t("noIncidents")));
}
