//! Whose duty an event records, read from the catalog: an event type that completes an obligation
//! (`done_by.event`) may be recorded only by the party that owes it (`owed_by`, or `jointly_with`),
//! in the profiles this record's contracts bring in (their own clauses and their national layers).
//! Event types that complete no obligation (detection, facts, instructions, …) may be recorded by
//! either party. Nothing here is a hard-coded list: a profile that makes the contractor notify the
//! data subjects lets the contractor record `subjects_notified` on that record.
use roei_core::vocab::{EventType, Party};
use roei_core::{Catalog, Record};

/// The obligations an event of `event_type` would complete on `rec`, as (party that may record
/// it, clause id). Empty when the event type completes no obligation.
pub fn owners(rec: &Record, event_type: EventType, catalog: &Catalog) -> Vec<(Party, String)> {
    let mut out = Vec::new();
    let mut seen_profiles: Vec<&str> = Vec::new();
    for c in &rec.contracts {
        let Some(p) = catalog.profile(&c.profile) else {
            continue;
        };
        let layers: Vec<&str> = match &c.national {
            Some(list) => list.iter().map(String::as_str).collect(),
            None => p.national.iter().map(|s| &**s).collect(),
        };
        for id in std::iter::once(&*p.id).chain(layers) {
            if seen_profiles.contains(&id) {
                continue;
            }
            seen_profiles.push(id);
            let Some(profile) = catalog.profile(id) else {
                continue;
            };
            for clause in profile.incident_clauses() {
                if clause.done_by.as_ref().map(|d| d.event) != Some(event_type) {
                    continue;
                }
                out.push((clause.owed_by, clause.id.to_string()));
                if let Some(j) = clause.jointly_with {
                    out.push((j, clause.id.to_string()));
                }
            }
        }
    }
    out
}

/// `None` when `party` may record an event of `event_type` on `rec`; otherwise the clause whose
/// duty it is (the first one owed by another party).
pub fn refused_clause(rec: &Record, event_type: EventType, party: Party) -> Option<String> {
    let owners = owners(rec, event_type, Catalog::builtin());
    if owners.is_empty() || owners.iter().any(|(p, _)| *p == party) {
        return None;
    }
    owners.into_iter().next().map(|(_, clause)| clause)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(profile: &str) -> Record {
        Record::parse(&format!(
            r#"{{"format":"roei/incident@1","id":"I","contracts":[{{"id":"C","profile":"{profile}","principal":"市"}}],"events":[]}}"#
        ))
        .unwrap()
    }

    #[test]
    fn ppc_reports_are_the_principals_and_the_report_to_the_principal_is_the_contractors() {
        let r = record("nagaoka");
        for t in [
            EventType::PpcPreliminaryReported,
            EventType::PpcFinalReported,
        ] {
            assert!(refused_clause(&r, t, Party::Contractor).is_some(), "{t:?}");
            assert_eq!(refused_clause(&r, t, Party::Principal), None);
        }
        let c = refused_clause(&r, EventType::ReportedToPrincipal, Party::Principal).unwrap();
        assert!(c.starts_with("nagaoka:"), "{c}");
        assert_eq!(
            refused_clause(&r, EventType::ReportedToPrincipal, Party::Contractor),
            None
        );
        for t in [EventType::Detected, EventType::Facts, EventType::Closed] {
            assert_eq!(refused_clause(&r, t, Party::Contractor), None);
            assert_eq!(refused_clause(&r, t, Party::Principal), None);
        }
    }
}
