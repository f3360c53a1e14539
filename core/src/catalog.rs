//! The clause catalog: profiles as data (`core/data/profiles/*.toml`, embedded at build time).
//!
//! Each profile lists its clauses with the stage, who owes what to whom, the trigger, the legal term,
//! the written form, the required fields and the seed text they come from. Nothing here names a city:
//! a new municipality is a new data file.
use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::error::Error;
pub use crate::static_or_owned::{List, Map, Str};
use crate::vocab::*;

#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// Text in both languages, Japanese first.
pub struct Text {
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    /// Japanese.
    pub ja: Str,
    #[cfg_attr(feature = "ts", ts(as = "String"))]
    /// English.
    pub en: Str,
}

impl Text {
    /// The text in `lang`.
    pub fn in_lang(&self, lang: crate::lang::Lang) -> &str {
        lang.pick(&self.ja, &self.en)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
/// Whether a profile belongs to a contract or is a national layer.
pub enum ProfileKind {
    /// Special provisions attached to an outsourcing contract.
    Contract,
    /// A national layer owed by the principal itself (APPI Art. 68, 番号法 29-4).
    National,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// What a profile's contract calls its parties (受注者/発注者, 乙/甲, …).
pub struct Parties {
    /// The contractor's name in the contract.
    pub contractor: Str,
    /// The principal's name in the contract.
    pub principal: Str,
}

/// What counts as an incident under a profile.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// The clause that defines the trigger words.
    pub clause: Str,
    /// The incident kinds this profile counts.
    pub kinds: List<IncidentKind>,
    /// Whether signs or a suspicion (兆候・おそれ) already trigger the obligations.
    pub signs: bool,
    /// 帰責の有無に関わらず: stated in the clause (fault never matters to roei; this is for display).
    #[serde(default)]
    pub regardless_of_fault: bool,
}

/// One test on a fact. Booleans are true-tests; `gt` makes it a "more than" test on a count.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Predicate {
    /// The fact tested.
    pub fact: Fact,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// A count the fact must exceed ("more than 100 persons").
    pub gt: Option<u64>,
    /// Read an unrecorded fact as false instead of unknown.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub absent_is_false: bool,
}

/// `all` of these and `any` of these and `none` of these (three-valued: unknown facts propagate).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// The clause this condition belongs to (for citations).
    pub clause: Str,
    #[serde(default)]
    /// Every one of these must hold.
    pub all: List<Predicate>,
    #[serde(default)]
    /// At least one of these must hold (when not empty).
    pub any: List<Predicate>,
    #[serde(default)]
    /// None of these may hold.
    pub none: List<Predicate>,
    /// And at least one of these other conditions of the same profile (when not empty): a rule
    /// whose items are themselves conjunctions (My Number rule Art. 2: items 1 and 4(イ) need a
    /// 漏えい等, items 2(ロ) and 4(ロ)(ハ) a misuse) is written as named parts.
    #[serde(default, skip_serializing_if = "List::is_empty")]
    pub any_of: List<Str>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// A shorter or longer day count when a fact holds (Rules Art. 44: 60 days for improper purpose).
pub struct DaysIf {
    /// The fact.
    pub fact: Fact,
    /// The day count when it holds.
    pub days: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// The event that discharges an obligation.
pub struct DoneBy {
    /// Its event type.
    pub event: EventType,
    /// For `published`: who must have published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by: Option<Party>,
    /// Further events that complete the obligation when they carry every required field (a
    /// complete 確報 made early also serves as the 速報: the PPC's guidance lets one report be both).
    #[serde(default, skip_serializing_if = "List::is_empty")]
    pub also: List<EventType>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// A variant of a profile (a clause worded differently in some contracts).
pub struct Variant {
    /// Its id (a contract's `variant`).
    pub id: Str,
    /// What it is, in Japanese.
    pub ja: Str,
    /// What it is, in English.
    pub en: Str,
}

/// One obligation read from one clause.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Clause {
    /// The citation, `profile:article-paragraph(item)`.
    pub id: Str,
    /// Unique obligation id; defaults to `id`. A clause that yields several obligations (nerima
    /// 19-1(1): contain and report) gives each a suffix (`nerima:19-1(1)/contain`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub obligation: Option<Str>,
    /// The article as the document numbers it (第13条第1項).
    pub article: Str,
    /// The lifecycle stage.
    pub stage: Stage,
    /// Who owes it.
    pub owed_by: Party,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// Who owes it together with `owed_by`, if anyone.
    pub jointly_with: Option<Party>,
    /// To whom it is owed.
    pub owed_to: Party,
    /// What starts its clock.
    pub trigger: Trigger,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The condition (of the profile's `conditions`) under which it applies.
    pub applies_if: Option<Str>,
    /// The clause's time word.
    pub term: Term,
    /// The time word as the clause writes it (直ちに, 30日以内, …).
    pub legal_term: Str,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The day count of a `days` term.
    pub days: Option<u32>,
    #[serde(default, skip_serializing_if = "List::is_empty")]
    /// Other day counts depending on facts.
    pub days_if: List<DaysIf>,
    #[serde(default)]
    /// Whether it must be done in writing (書面).
    pub written: bool,
    /// Required to count as done.
    #[serde(default)]
    pub fields: List<FieldKey>,
    /// What the document should contain (for reports), beyond what is required.
    #[serde(default, skip_serializing_if = "List::is_empty")]
    pub contents: List<FieldKey>,
    /// Elements of a standing duty (the emergency plan's five parts, …).
    #[serde(default, skip_serializing_if = "List::is_empty")]
    pub elements: List<Str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// The event that discharges it.
    pub done_by: Option<DoneBy>,
    /// "Cannot start before" edges of the lifecycle graph.
    #[serde(default, skip_serializing_if = "List::is_empty")]
    pub after: List<Str>,
    /// A contract may leave this out (hirono's 別表 picks 特記事項 items per 類型).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub omittable: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// How firm the reading is (text, guidance, roei's reading).
    pub basis: Option<Basis>,
    /// What it asks, in both languages.
    pub summary: Text,
    /// The seed's (or the law's) wording.
    pub text: Str,
}

impl Clause {
    /// The unique obligation id (the clause id, or `clause/suffix` when a clause yields several).
    pub fn obligation_id(&self) -> &str {
        self.obligation.as_deref().unwrap_or(&self.id)
    }

    /// The required fields as a bit set (`FieldKey::bit`).
    pub fn required_mask(&self) -> u32 {
        self.fields.iter().fold(0, |m, f| m | f.bit())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
/// A profile: the incident clauses of one contract's special provisions, or of a national layer.
pub struct Profile {
    /// The profile id (`nagaoka`, `appi-local-gov`, …).
    pub id: Str,
    /// Contract provisions or a national layer.
    pub kind: ProfileKind,
    /// Who issued the document.
    pub issuer: Text,
    /// The document's title.
    pub title: Str,
    /// The seed document a contract profile was read from (its file name; contract profiles only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<Str>,
    /// Legal source (national profiles).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Str>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    /// What the contract calls its parties.
    pub parties: Option<Parties>,
    /// National layers a contract of this profile brings in by default (its principal is a local government).
    #[serde(default)]
    pub national: List<Str>,
    /// What counts as an incident for this profile.
    pub scope: Scope,
    #[serde(default)]
    /// Named conditions its clauses apply under.
    pub conditions: Map<Condition>,
    #[serde(default, skip_serializing_if = "List::is_empty")]
    /// Its variants.
    pub variants: List<Variant>,
    /// Its clauses.
    pub clauses: List<Clause>,
}

impl Profile {
    /// Clauses that run during an incident (all but the standing `prepare` duties).
    pub fn incident_clauses(&self) -> impl Iterator<Item = &Clause> {
        self.clauses.iter().filter(|c| c.stage != Stage::Prepare)
    }

    /// The standing duties (stage `prepare`), owed before any incident.
    pub fn standing_clauses(&self) -> impl Iterator<Item = &Clause> {
        self.clauses.iter().filter(|c| c.stage == Stage::Prepare)
    }

    /// The clause of an obligation id.
    pub fn clause(&self, obligation: &str) -> Option<&Clause> {
        self.clauses
            .iter()
            .find(|c| c.obligation_id() == obligation)
    }
}

#[derive(Debug, Clone)]
/// The clause catalog: every profile.
pub struct Catalog {
    /// The profiles.
    pub profiles: List<Profile>,
}

// The built-in catalog as a `static` (generated by build.rs; see crate::static_or_owned for why).
include!(concat!(env!("OUT_DIR"), "/catalog.rs"));

/// The same profiles as JSON, as build.rs read them from the TOML files: what
/// `tests/tests/catalog.rs` validates with [`Catalog::from_json`] and compares with the static.
#[doc(hidden)]
pub const EMBEDDED_JSON: &str = include_str!(concat!(env!("OUT_DIR"), "/catalog.json"));

impl Catalog {
    /// The profiles shipped with this build. The embedded data is checked by the crate's tests
    /// (`catalog_is_valid`), so a broken file fails CI rather than a user.
    pub fn builtin() -> &'static Catalog {
        &BUILTIN
    }

    /// Parses and validates a catalog (a JSON array of profiles).
    pub fn from_json(json: &str) -> Result<Catalog, Error> {
        let profiles: Vec<Profile> = crate::error::parse_with_path(json, "")?;
        let c = Catalog {
            profiles: profiles.into(),
        };
        c.validate()?;
        Ok(c)
    }

    /// The profile with this id.
    pub fn profile(&self, id: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.id == id)
    }

    /// The position of the profile with this id.
    pub fn profile_index(&self, id: &str) -> Option<usize> {
        self.profiles.iter().position(|p| p.id == id)
    }

    /// The one "unknown profile" error: `id` (cut to 60 characters) is not a profile of `kind` (or of
    /// any kind, for `None`) in this catalog, with the ids that are.
    pub fn unknown_profile(
        &self,
        path: impl Into<String>,
        id: &str,
        kind: Option<ProfileKind>,
    ) -> Error {
        let profile = if id.chars().count() <= 60 {
            id.to_string()
        } else {
            id.chars().take(60).collect::<String>() + "…"
        };
        let known = match kind {
            Some(k) => self.known_ids(k),
            None => self
                .profiles
                .iter()
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        };
        Error::UnknownProfile {
            path: path.into(),
            profile,
            known,
        }
    }

    /// The ids of the profiles of `kind`, comma-separated (for messages).
    pub fn known_ids(&self, kind: ProfileKind) -> String {
        self.profiles
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Dangling references, duplicate ids and inconsistent terms; every problem is reported.
    pub fn validate(&self) -> Result<(), Error> {
        let mut errs = Vec::new();
        let mut pids = HashSet::new();
        let mut oids = HashSet::new();
        for (pi, p) in self.profiles.iter().enumerate() {
            let at = |s: &str| format!("[{pi}]{s}");
            if !pids.insert(p.id.as_str()) {
                errs.push(Error::invalid(
                    at(".id"),
                    format!("duplicate profile id '{}'", p.id),
                ));
            }
            let prefix = format!("{}:", p.id);
            if !p.scope.clause.starts_with(&prefix) {
                errs.push(Error::invalid(
                    at(".scope.clause"),
                    format!("'{}' is not a clause of '{}'", p.scope.clause, p.id),
                ));
            }
            match p.kind {
                ProfileKind::Contract => {
                    if p.seed.is_none() || p.parties.is_none() {
                        errs.push(Error::invalid(
                            at(""),
                            "a contract profile names its seed file and parties",
                        ));
                    }
                }
                ProfileKind::National => {
                    if p.source.is_none() {
                        errs.push(Error::invalid(
                            at(".source"),
                            "a national profile names its legal source",
                        ));
                    }
                    if !p.national.is_empty() || !p.variants.is_empty() {
                        errs.push(Error::invalid(
                            at(""),
                            "a national profile has no national layers or variants of its own",
                        ));
                    }
                }
            }
            for (ni, n) in p.national.iter().enumerate() {
                let ok = self
                    .profiles
                    .iter()
                    .any(|q| &q.id == n && q.kind == ProfileKind::National);
                if !ok {
                    errs.push(Error::invalid(
                        at(&format!(".national[{ni}]")),
                        format!("'{n}' is not a national profile"),
                    ));
                }
            }
            for (name, c) in &p.conditions {
                if !c.clause.starts_with(&prefix) {
                    errs.push(Error::invalid(
                        at(&format!(".conditions.{name}.clause")),
                        "condition cites a clause of another profile",
                    ));
                }
                if c.all.is_empty() && c.any.is_empty() && c.any_of.is_empty() {
                    errs.push(Error::invalid(
                        at(&format!(".conditions.{name}")),
                        "condition tests nothing",
                    ));
                }
                for (k, part) in c.any_of.iter().enumerate() {
                    // Parts name conditions that have no parts of their own: one level, no cycles.
                    let ok = p
                        .conditions
                        .get(part.as_str())
                        .is_some_and(|q| q.any_of.is_empty());
                    if !ok {
                        errs.push(Error::invalid(
                            at(&format!(".conditions.{name}.any_of[{k}]")),
                            format!("'{part}' is not a condition without parts of its own"),
                        ));
                    }
                }
            }
            let local: HashSet<&str> = p.clauses.iter().map(|c| c.obligation_id()).collect();
            for (ci, c) in p.clauses.iter().enumerate() {
                let at = |s: &str| format!("[{pi}].clauses[{ci}]{s}");
                let oid = c.obligation_id();
                if !c.id.starts_with(&prefix) {
                    errs.push(Error::invalid(
                        at(".id"),
                        format!("clause id '{}' must start with '{prefix}'", c.id),
                    ));
                }
                if !oid.starts_with(c.id.as_str()) {
                    errs.push(Error::invalid(
                        at(".obligation"),
                        format!("obligation '{oid}' must extend its clause id '{}'", c.id),
                    ));
                }
                if !oids.insert(oid.to_string()) {
                    errs.push(Error::invalid(
                        at(".obligation"),
                        format!("duplicate obligation id '{oid}'"),
                    ));
                }
                if (c.stage == Stage::Prepare) != (c.trigger == Trigger::Standing) {
                    errs.push(Error::invalid(
                        at(".trigger"),
                        "trigger 'standing' goes with stage 'prepare' and only there",
                    ));
                }
                if c.stage != Stage::Prepare && c.done_by.is_none() {
                    errs.push(Error::invalid(
                        at(".done_by"),
                        "an incident obligation says which event completes it",
                    ));
                }
                if (c.term == Term::Days) != c.days.is_some() {
                    errs.push(Error::invalid(
                        at(".days"),
                        "'days' is set exactly when term is 'days'",
                    ));
                }
                if !c.days_if.is_empty() && c.term != Term::Days {
                    errs.push(Error::invalid(
                        at(".days_if"),
                        "'days_if' needs term 'days'",
                    ));
                }
                if let Some(cond) = &c.applies_if {
                    if !p.conditions.contains_key(cond) {
                        errs.push(Error::invalid(
                            at(".applies_if"),
                            format!("unknown condition '{cond}'"),
                        ));
                    }
                }
                for a in &c.after {
                    if !local.contains(a.as_str()) || a == oid {
                        errs.push(Error::invalid(
                            at(".after"),
                            format!("'{a}' is not another obligation of '{}'", p.id),
                        ));
                    }
                }
                if c.omittable && p.kind != ProfileKind::Contract {
                    errs.push(Error::invalid(
                        at(".omittable"),
                        "only contract clauses can be omitted",
                    ));
                }
                if let Some(d) = &c.done_by {
                    if d.by.is_some() && d.event != EventType::Published {
                        errs.push(Error::invalid(
                            at(".done_by.by"),
                            "'by' applies to 'published' only",
                        ));
                    }
                }
                if c.text.trim().is_empty() || c.legal_term.trim().is_empty() {
                    errs.push(Error::invalid(
                        at(".text"),
                        "every clause quotes its source and its legal term",
                    ));
                }
            }
        }
        Error::from_list(errs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_is_valid() {
        let c = Catalog::from_json(EMBEDDED_JSON).expect("embedded catalog validates");
        let ids: Vec<_> = c.profiles.iter().map(|p| p.id.as_str()).collect();
        for want in [
            "nagaoka",
            "kimitsu",
            "sapporo",
            "nerima",
            "hirono",
            "appi-local-gov",
            "mynumber",
        ] {
            assert!(ids.contains(&want), "{want} missing");
        }
        // The static that build.rs generated is the validated parse of the same files, field for
        // field (Debug prints every field, including those JSON output skips when empty).
        let builtin = Catalog::builtin();
        assert_eq!(builtin.profiles.len(), c.profiles.len());
        for (a, b) in builtin.profiles.iter().zip(c.profiles.iter()) {
            assert_eq!(format!("{a:?}"), format!("{b:?}"), "{}", a.id);
        }
        builtin.validate().expect("the static catalog validates");
    }

    fn embedded_value() -> serde_json::Value {
        serde_json::from_str(EMBEDDED_JSON).unwrap()
    }

    #[test]
    fn unknown_field_names_fail() {
        let mut v = embedded_value();
        v[0]["clauses"][0]["deadline_hours"] = 1.into();
        let e = Catalog::from_json(&v.to_string()).unwrap_err();
        assert!(e.to_string().contains("deadline_hours"), "{e}");
        assert!(e.path().starts_with("[0].clauses[0]"), "{}", e.path());
    }

    #[test]
    fn unknown_field_keys_in_required_fields_fail() {
        let mut v = embedded_value();
        v[0]["clauses"][0]["fields"] = serde_json::json!(["content", "kount"]);
        assert!(Catalog::from_json(&v.to_string()).is_err());
    }

    #[test]
    fn dangling_references_fail() {
        let mut v = embedded_value();
        let i = v
            .as_array()
            .unwrap()
            .iter()
            .position(|p| p["id"] == "nerima")
            .unwrap();
        let ci = v[i]["clauses"]
            .as_array()
            .unwrap()
            .iter()
            .position(|c| !c["after"].is_null())
            .unwrap();
        v[i]["clauses"][ci]["after"] = serde_json::json!(["nerima:99"]);
        let e = Catalog::from_json(&v.to_string()).unwrap_err();
        assert!(e.to_string().contains("nerima:99"), "{e}");

        let mut v = embedded_value();
        let i = v
            .as_array()
            .unwrap()
            .iter()
            .position(|p| p["id"] == "appi-local-gov")
            .unwrap();
        v[i]["clauses"][0]["applies_if"] = "rule99".into();
        assert!(Catalog::from_json(&v.to_string())
            .unwrap_err()
            .to_string()
            .contains("rule99"));

        let mut v = embedded_value();
        v[0]["national"] = serde_json::json!(["appi-private"]);
        assert!(Catalog::from_json(&v.to_string()).is_err());
    }

    #[test]
    fn duplicate_ids_fail() {
        let mut v = embedded_value();
        let dup = v[0]["clauses"][0].clone();
        v[0]["clauses"].as_array_mut().unwrap().push(dup);
        let e = Catalog::from_json(&v.to_string()).unwrap_err();
        assert!(e.to_string().contains("duplicate obligation id"), "{e}");

        let mut v = embedded_value();
        let dup = v[1].clone();
        v.as_array_mut().unwrap().push(dup);
        assert!(Catalog::from_json(&v.to_string())
            .unwrap_err()
            .to_string()
            .contains("duplicate profile id"));
    }

    #[test]
    fn a_new_municipality_is_a_data_file() {
        // A profile that no Rust code names loads, validates and evaluates.
        let mut v = embedded_value();
        let mut p = v
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == "nagaoka")
            .unwrap()
            .clone();
        let s = p.to_string().replace("nagaoka:", "exampleshi:");
        p = serde_json::from_str(&s).unwrap();
        p["id"] = "exampleshi".into();
        v.as_array_mut().unwrap().push(p);
        let c = Catalog::from_json(&v.to_string()).unwrap();
        let rec = crate::Record::parse_with(
            r#"{"format":"roei/incident@1","id":"X","contracts":[{"id":"C","profile":"exampleshi","principal":"例示市"}],
               "events":[{"id":"e1","at":"2026-11-02T10:00:00+09:00","type":"detected","actor":"contractor","data":{"kind":"leak"}}]}"#,
            &c,
            crate::Limits::default(),
        )
        .unwrap();
        let at = crate::time::parse_instant("2026-11-02T10:30:00+09:00").unwrap();
        let ev = crate::evaluate_with(&rec, &at, &crate::Policy::default(), &c);
        assert!(ev
            .obligations
            .iter()
            .any(|o| o.clause.id == "exampleshi:13-1" && o.state == crate::State::Pending));
    }
}
