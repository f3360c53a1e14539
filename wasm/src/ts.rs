//! TypeScript declarations of the interchange formats, generated from the Rust types (ts-rs).
//!
//! The output types (`Status`, `Warning`, the vocabularies, event data) derive `TS` in roei-core
//! behind its `ts` feature. The envelopes that core reads with private or hand-written readers
//! (the record, an event, a policy, an error report, a profile entry) are declared here as Rust
//! types built from those core types; the tests below check them against real core output.
use roei_core::eval::{ObligationStatus, State, Status};
use roei_core::record::{
    Contract, EventData, Fields, FreeData, NotifyMethod, PublishedBy, Warning,
};
use roei_core::vocab::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `roei/incident@1`.
#[derive(TS, JsonSchema, Serialize, Deserialize)]
#[ts(optional_fields)]
pub struct IncidentRecord {
    #[ts(type = "\"roei/incident@1\"")]
    #[schemars(extend("const" = "roei/incident@1"))]
    pub format: String,
    pub id: String,
    pub title: Option<String>,
    pub contracts: Vec<Contract>,
    pub events: Vec<IncidentEvent>,
}

/// One event of a record (docs/FORMATS.md's table gives which `data` keys each type uses).
#[derive(TS, JsonSchema, Serialize, Deserialize)]
#[ts(optional_fields)]
pub struct IncidentEvent {
    pub id: String,
    /// RFC 3339 with an offset.
    pub at: String,
    /// An [`EventType`] key; a reader keeps an event of a type it does not know, with a warning.
    #[serde(rename = "type")]
    #[schemars(with = "String")]
    pub event_type: EventType,
    pub actor: Actor,
    pub data: Option<EventData>,
    /// When the event was written down, if later than `at` (RFC 3339; a roei addition).
    pub recorded_at: Option<String>,
    /// Who wrote it down (a roei addition).
    pub recorder: Option<EventRecorder>,
    /// The hash-chain link roei writes when it seals the record (`roei seal`); never sent with an append.
    pub seal: Option<EventSeal>,
}

/// `recorder` of an event: the person who recorded it.
#[derive(TS, JsonSchema, Serialize, Deserialize)]
#[ts(optional_fields)]
#[serde(deny_unknown_fields)]
pub struct EventRecorder {
    pub name: Option<String>,
    pub department: Option<String>,
}

/// `seal` of an event: `hash` = SHA-256(`prev` ‖ "\n" ‖ the canonical event without its seal).
#[derive(TS, JsonSchema, Serialize, Deserialize)]
pub struct EventSeal {
    #[ts(type = "\"sha256\"")]
    #[schemars(extend("const" = "sha256"))]
    pub alg: String,
    pub prev: String,
    pub hash: String,
}

/// `roei/policy@1` as a caller writes it (every key optional except `format`).
#[derive(TS, JsonSchema, Serialize, Deserialize)]
#[ts(optional_fields)]
pub struct PolicyInput {
    #[ts(type = "\"roei/policy@1\"")]
    #[schemars(extend("const" = "roei/policy@1"))]
    pub format: String,
    pub targets: Option<PolicyTargets>,
    #[ts(optional, type = "\"civil-code\" | \"strict\"")]
    #[schemars(extend("enum" = ["civil-code", "strict", null]))]
    pub day_count: Option<String>,
    /// Roll a day-count deadline that ends on a closed day to the next open day (default true; for
    /// the PPC the administrative holidays of 行政機関の休日に関する法律 Art. 1).
    pub holiday_roll_forward: Option<bool>,
    /// How an unrecorded `encrypted` fact reads (default `not_excluded`).
    #[ts(optional, type = "\"not_excluded\" | \"undetermined\"")]
    #[schemars(extend("enum" = ["not_excluded", "undetermined", null]))]
    pub unknown_encryption: Option<String>,
    /// Stages a dismissal rules out even after signs triggered them (default `["notify"]`).
    #[ts(optional, type = "string[]")]
    pub dismissal_rules_out: Option<Vec<String>>,
    /// The municipality's closing days, for deadlines owed to it; `extra` dates are `YYYY-MM-DD`.
    #[ts(
        optional,
        type = "{ saturday?: boolean; sunday?: boolean; national_holidays?: boolean; year_end?: boolean; extra?: string[] }"
    )]
    pub closed_days: Option<serde_json::Value>,
}

/// ISO 8601 durations (`PT1H`, `P3D`).
#[derive(TS, JsonSchema, Serialize, Deserialize)]
#[ts(optional_fields)]
pub struct PolicyTargets {
    pub immediately: Option<String>,
    pub promptly: Option<String>,
    pub without_delay: Option<String>,
    pub unspecified: Option<String>,
}

/// `roei_core::ErrorReport`: the fields of every thrown `RoeiError`.
#[derive(TS, JsonSchema, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorReport {
    #[ts(
        type = "\"json\" | \"too_large\" | \"too_many\" | \"unsupported_format\" | \"unknown_profile\" | \"missing_field\" | \"duplicate_id\" | \"duplicate_key\" | \"unsealed\" | \"invalid_value\""
    )]
    #[schemars(extend("enum" = ["json", "too_large", "too_many", "unsupported_format", "unknown_profile", "missing_field", "duplicate_id", "duplicate_key", "unsealed", "invalid_value"]))]
    pub code: String,
    pub message: String,
    pub path: String,
    pub clause: Option<String>,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problems: Option<Vec<ErrorReport>>,
}

/// One entry of `profiles()` (`roei profiles --json`).
#[derive(TS, JsonSchema, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileInfo {
    pub id: String,
    #[ts(type = "\"contract\" | \"national\"")]
    #[schemars(extend("enum" = ["contract", "national"]))]
    pub kind: String,
    pub issuer: roei_core::catalog::Text,
    pub title: String,
    pub seed: Option<String>,
    pub source: Option<String>,
    pub clauses: u32,
    pub incident_clauses: u32,
    pub national: Vec<String>,
    #[ts(type = "Array<{ id: string } & Record<string, unknown>>")]
    pub variants: Vec<serde_json::Value>,
}

/// `declare`-free declarations of every interchange type, in dependency order.
pub fn declarations() -> String {
    // Counts arrive through JSON.parse: numbers, not bigints.
    let cfg = ts_rs::Config::new().with_large_int("number");
    let decls = [
        serde_json::Value::decl(&cfg),
        FreeData::decl(&cfg),
        Stage::decl(&cfg),
        Term::decl(&cfg),
        Party::decl(&cfg),
        Trigger::decl(&cfg),
        IncidentKind::decl(&cfg),
        Actor::decl(&cfg),
        EventType::decl(&cfg),
        FieldKey::decl(&cfg),
        Fact::decl(&cfg),
        State::decl(&cfg),
        roei_core::catalog::Text::decl(&cfg),
        Warning::decl(&cfg),
        ObligationStatus::decl(&cfg),
        Status::decl(&cfg),
        Contract::decl(&cfg),
        NotifyMethod::decl(&cfg),
        PublishedBy::decl(&cfg),
        Fields::decl(&cfg),
        EventData::decl(&cfg),
        EventRecorder::decl(&cfg),
        EventSeal::decl(&cfg),
        IncidentEvent::decl(&cfg),
        IncidentRecord::decl(&cfg),
        PolicyTargets::decl(&cfg),
        PolicyInput::decl(&cfg),
        ErrorReport::decl(&cfg),
        ProfileInfo::decl(&cfg),
    ];
    let mut out = String::from(
        "// Generated from the Rust types by `cargo run -p roei-wasm --features ts --bin roei-gen-ts`.\n// Do not edit: change the Rust type and regenerate (scripts/build-wasm.sh does).\n",
    );
    for d in decls {
        out.push_str("export ");
        out.push_str(&d);
        out.push('\n');
    }
    out
}

/// The JSON Schemas of docs/schemas/, from the same Rust types as the declarations: the file name
/// and its pretty JSON text. Records and policies are described as a reader accepts them, statuses,
/// errors and profile lists as roei writes them.
pub fn schemas() -> Vec<(&'static str, String)> {
    use schemars::generate::SchemaSettings;
    fn root<T: JsonSchema>(settings: SchemaSettings, id: &str) -> String {
        finish(settings.into_generator().into_root_schema_for::<T>(), id)
    }
    fn finish(mut s: schemars::Schema, id: &str) -> String {
        s.insert(
            "$id".into(),
            format!("https://roei.invalid/schemas/{id}").into(),
        );
        s.insert(
            "$comment".into(),
            "Generated from the Rust types by `cargo run -p roei-wasm --features ts --bin roei-gen-ts`; do not edit. Described in docs/FORMATS.md.".into(),
        );
        serde_json::to_string_pretty(&s).unwrap_or_default() + "\n"
    }
    let read = || SchemaSettings::draft2020_12().for_deserialize();
    let write = || SchemaSettings::draft2020_12().for_serialize();
    vec![
        (
            "incident.schema.json",
            root::<IncidentRecord>(read(), "incident.schema.json"),
        ),
        (
            "policy.schema.json",
            root::<PolicyInput>(read(), "policy.schema.json"),
        ),
        (
            "status.schema.json",
            root::<Status>(write(), "status.schema.json"),
        ),
        (
            "scenario.schema.json",
            finish(
                roei_core::drill::scenario::scenario_schema(read()),
                "scenario.schema.json",
            ),
        ),
        (
            "playthrough.schema.json",
            finish(
                roei_core::drill::scenario::playthrough_schema(read()),
                "playthrough.schema.json",
            ),
        ),
        (
            "error.schema.json",
            root::<ErrorReport>(write(), "error.schema.json"),
        ),
        (
            "profiles.schema.json",
            root::<Vec<ProfileInfo>>(write(), "profiles.schema.json"),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// docs/schemas/ is what [`schemas`] generates now (a field added to a Rust type without
    /// regenerating fails here).
    #[test]
    fn committed_schemas_are_fresh() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/schemas");
        for (name, text) in schemas() {
            let committed = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
            assert!(
                committed == text,
                "docs/schemas/{name} is stale: run `cargo run -p roei-wasm --features ts --bin roei-gen-ts`"
            );
        }
    }

    #[test]
    fn committed_declarations_are_fresh() {
        let committed = include_str!("../types/interchange.d.ts");
        assert!(
            committed == declarations(),
            "wasm/types/interchange.d.ts is stale: run scripts/build-wasm.sh"
        );
    }

    #[test]
    fn the_envelopes_read_the_examples_and_core_output() {
        let ex = include_str!("../../examples/nagaoka-usb-loss.json");
        let r: IncidentRecord = serde_json::from_str(ex).unwrap();
        assert_eq!(r.events.len(), 7);
        let e = roei_core::Record::parse("{").unwrap_err().to_report();
        let back: ErrorReport = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
        assert_eq!(back.code, "json");
        let many = roei_core::Record::parse(r#"{"format":"roei/incident@1","contracts":[]}"#)
            .unwrap_err()
            .to_report();
        let back: ErrorReport =
            serde_json::from_str(&serde_json::to_string(&many).unwrap()).unwrap();
        assert_eq!(back.problems.map(|p| p.len()), Some(2));
        let profiles: Vec<ProfileInfo> =
            serde_json::from_value(roei_core::profiles_json()).unwrap();
        assert!(profiles
            .iter()
            .any(|p| p.id == "nagaoka" && p.kind == "contract"));
        let p: PolicyInput = serde_json::from_str(
            r#"{"format":"roei/policy@1","targets":{"immediately":"PT2H"},"day_count":"civil-code"}"#,
        )
        .unwrap();
        assert!(roei_core::Policy::from_json(&serde_json::to_string(&p).unwrap()).is_ok());
    }
}
