//! Shared by the benchmarks: a deterministic mix of realistic incident records (12 events each,
//! across the five contract profiles, with national layers), so figures are not tuned to one example.
use serde_json::json;

const PROFILES: [&str; 5] = ["nagaoka", "kimitsu", "sapporo", "nerima", "hirono"];

/// The `i`-th record of the mix, as JSON text.
pub fn record(i: usize) -> String {
    let p = PROFILES[i % 5];
    let t = |m: i64| {
        let base = chrono::DateTime::parse_from_rfc3339("2026-11-02T10:00:00+09:00").unwrap();
        roei_core::time::fmt_jst(&(base + chrono::Duration::minutes(m + (i % 97) as i64)))
    };
    let signs = i % 3 == 0;
    let kind = ["leak", "loss", "damage"][i % 3];
    let events = json!([
        {"id": "e1", "at": t(0), "type": "detected", "actor": "contractor", "data": {"kind": kind, "signs_only": signs, "summary": "委託業務のデータが所在不明"}},
        {"id": "e2", "at": t(20), "type": "containment_started", "actor": "contractor", "data": {"measures": "アクセス遮断・捜索"}},
        {"id": "e3", "at": t(45), "type": "reported_to_principal", "actor": "contractor", "data": {"written": true, "fields": {"content": "氏名・住所", "location": "作業場所", "circumstances": "点検で判明"}}},
        {"id": "e4", "at": t(90), "type": "facts", "actor": "contractor", "data": {"subjects_count": 50 + (i % 200) as u64, "encrypted": i % 7 == 0, "sensitive": i % 5 == 0, "financial_damage_risk": false, "improper_purpose": i % 11 == 0, "my_number": i % 13 == 0, "my_number_system": false, "public_exposure": false}},
        {"id": "e5", "at": t(100), "type": "confirmed", "actor": "contractor", "data": {}},
        {"id": "e6", "at": t(130), "type": "reported_to_principal", "actor": "contractor", "data": {"written": true, "fields": {"count": "件数確定"}}},
        {"id": "e7", "at": t(240), "type": "instruction_received", "actor": "principal", "data": {"text": "本人通知の準備"}},
        {"id": "e8", "at": t(1440), "type": "ppc_preliminary_reported", "actor": "principal", "data": {"fields": {"summary": "速報"}}},
        {"id": "e9", "at": t(2000), "type": "subjects_notified", "actor": "principal", "data": {"method": "individual", "count": 120}},
        {"id": "e10", "at": t(4000), "type": "cause_analyzed", "actor": "contractor", "data": {"cause": "施錠確認漏れ"}},
        {"id": "e11", "at": t(8000), "type": "prevention_implemented", "actor": "contractor", "data": {"measures": "二重確認"}},
        {"id": "e12", "at": t(9000), "type": "record_submitted", "actor": "contractor", "data": {"written": true, "fields": {"summary": "概要", "cause": "原因", "prevention": "対策"}}}
    ]);
    json!({"format": "roei/incident@1", "id": format!("INC-{i}"), "contracts": [{"id": format!("C-{i}"), "profile": p, "principal": "例示市"}], "events": events}).to_string()
}
