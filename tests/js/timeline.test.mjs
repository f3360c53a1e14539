// The timeline picture (issue 13.16) as the widget and the reports get it from roei/reports: a linear
// time axis, and labels of events minutes apart laid out in lanes so that none overprints another.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadReports } from "./helpers.mjs";

test("13.16 close events: labels in lanes without overlap; a linear axis", async () => {
  const reports = await loadReports();
  const minutes = [0, 1, 2, 3, 5, 8, 60];
  const record = {
    format: "roei/incident@1", id: "INC-T", title: "時系列", contracts: [{ id: "C", profile: "nagaoka", principal: "長岡市" }],
    events: minutes.map((m, i) => ({ id: `e${i + 1}`, at: `2026-11-02T${String(10 + Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}:00+09:00`,
      type: i === 0 ? "detected" : "evidence_preserved", actor: "contractor", data: i === 0 ? { kind: "loss", signs_only: true } : { what: "記録" } })),
  };
  for (const lang of ["ja", "en"]) {
    const svg = reports.timeline(JSON.stringify(record), "2026-11-04T10:00:00+09:00", lang);
    const labels = [...svg.matchAll(/<text class="small" x="([\d.]+)" y="([\d.]+)" data-width="([\d.]+)">/g)].map((m) => m.slice(1).map(Number));
    assert.equal(labels.length, minutes.length, "one label per event");
    for (const [i, a] of labels.entries()) {
      for (const b of labels.slice(i + 1)) {
        const sameLane = Math.abs(a[1] - b[1]) < 1;
        assert.ok(!sameLane || a[0] + a[2] <= b[0] || b[0] + b[2] <= a[0], `labels overlap: ${a} ${b}`);
      }
    }
    assert.ok(new Set(labels.map((l) => l[1])).size > 1, "close labels use more than one lane");
    const xs = [...svg.matchAll(/<circle cx="([\d.]+)"/g)].map((m) => Number(m[1]));
    assert.ok(Math.abs((xs[6] - xs[0]) / (xs[5] - xs[0]) - 7.5) < 0.6, `linear axis: ${xs}`);
    assert.match(svg, lang === "ja" ? /時間軸は線形/ : /linear axis/);
  }
});
