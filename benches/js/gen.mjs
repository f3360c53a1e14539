// A port of core/benches/common.rs: the i-th record of a deterministic mix of realistic 12-event
// incidents (signs for one in three, leak/loss/damage, 50-249 persons, encrypted one in seven,
// sensitive one in five, improper purpose one in eleven, My Number one in thirteen, arrival times
// spread over 97 minutes). Every record is under the `nagaoka` profile here (common.rs rotates five
// profiles), since the XState machine models the Nagaoka contract.

const BASE = Date.parse("2026-11-02T10:00:00+09:00");

/** RFC 3339 in +09:00, as roei writes instants (seconds, no fraction). */
export function jst(ms) {
  return new Date(ms + 9 * 3600e3).toISOString().slice(0, 19) + "+09:00";
}

/** The i-th record, as an object (`roei/incident@1`). */
export function record(i, profile = "nagaoka") {
  const t = (m) => jst(BASE + (m + (i % 97)) * 60e3);
  const signs = i % 3 === 0;
  const kind = ["leak", "loss", "damage"][i % 3];
  const events = [
    { id: "e1", at: t(0), type: "detected", actor: "contractor", data: { kind, signs_only: signs, summary: "委託業務のデータが所在不明" } },
    { id: "e2", at: t(20), type: "containment_started", actor: "contractor", data: { measures: "アクセス遮断・捜索" } },
    { id: "e3", at: t(45), type: "reported_to_principal", actor: "contractor", data: { written: true, fields: { content: "氏名・住所", location: "作業場所", circumstances: "点検で判明" } } },
    { id: "e4", at: t(90), type: "facts", actor: "contractor", data: { subjects_count: 50 + (i % 200), encrypted: i % 7 === 0, sensitive: i % 5 === 0, financial_damage_risk: false, improper_purpose: i % 11 === 0, my_number: i % 13 === 0, my_number_system: false, public_exposure: false } },
    { id: "e5", at: t(100), type: "confirmed", actor: "contractor", data: {} },
    { id: "e6", at: t(130), type: "reported_to_principal", actor: "contractor", data: { written: true, fields: { count: "件数確定" } } },
    { id: "e7", at: t(240), type: "instruction_received", actor: "principal", data: { text: "本人通知の準備" } },
    { id: "e8", at: t(1440), type: "ppc_preliminary_reported", actor: "principal", data: { fields: { summary: "速報" } } },
    { id: "e9", at: t(2000), type: "subjects_notified", actor: "principal", data: { method: "individual", count: 120 } },
    { id: "e10", at: t(4000), type: "cause_analyzed", actor: "contractor", data: { cause: "施錠確認漏れ" } },
    { id: "e11", at: t(8000), type: "prevention_implemented", actor: "contractor", data: { measures: "二重確認" } },
    { id: "e12", at: t(9000), type: "record_submitted", actor: "contractor", data: { written: true, fields: { summary: "概要", cause: "原因", prevention: "対策" } } },
  ];
  return {
    format: "roei/incident@1",
    id: `INC-${i}`,
    contracts: [{ id: `C-${i}`, profile, principal: "例示市" }],
    events,
  };
}

export function records(n, from = 0) {
  return Array.from({ length: n }, (_, k) => record(from + k));
}
