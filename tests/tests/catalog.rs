//! Every clause of the catalog against an independent reading of the seeds (and the law: APPI Art. 68, 番号法 Art. 29-4): a change to a
//! clause's stage, parties, trigger, term, form or required fields fails here, and so does a quotation
//! that no longer stands in its seed.
use roei_core::vocab::*;
use roei_core::{Catalog, ProfileKind};

struct Expect {
    obligation: &'static str,
    stage: Stage,
    by: Party,
    to: Party,
    trigger: Trigger,
    term: Term,
    written: bool,
    fields: &'static [&'static str],
}

const FOUR: &[&str] = &["content", "count", "location", "circumstances"];
const NINE: &[&str] = &[
    "summary",
    "data_items",
    "subjects_count",
    "cause",
    "secondary_damage",
    "subject_response",
    "publication_status",
    "prevention",
    "other",
];

macro_rules! e {
    ($o:literal, $s:ident, $b:ident -> $t:ident, $tr:ident, $te:ident, $w:literal, $f:expr) => {
        Expect {
            obligation: $o,
            stage: Stage::$s,
            by: Party::$b,
            to: Party::$t,
            trigger: Trigger::$tr,
            term: Term::$te,
            written: $w,
            fields: $f,
        }
    };
}

/// The incident obligations, read from the seeds: 直ちに/速やかに, 書面, the listed contents.
fn expected() -> Vec<Expect> {
    vec![
        // 000 長岡市 第13条
        e!("nagaoka:13-1", Report, Contractor -> Principal, Incident, Immediately, true, FOUR),
        e!("nagaoka:13-3", Publish, Principal -> Public, PrincipalKnows, May, false, &[]),
        // 001 甲乙様式 第16条: 速やかに, no 書面
        e!("kimitsu:16-1", Report, Contractor -> Principal, Incident, Promptly, false, FOUR),
        e!("kimitsu:16-2/contain", Contain, Contractor -> Principal, Incident, Promptly, false, &[]),
        e!("kimitsu:16-2/notify", Notify, Contractor -> Subjects, Instruction, Unspecified, false, &[]),
        e!("kimitsu:16-3", Publish, Contractor -> Public, Incident, BestEffort, false, &[]),
        // 002 札幌市 特記事項 第16条
        e!("sapporo:16-1", Report, Contractor -> Principal, Incident, Immediately, true, FOUR),
        e!("sapporo:16-3", Publish, Principal -> Public, PrincipalKnows, May, false, &[]),
        // 003 練馬区 第19条・第20条
        e!("nerima:19-1(1)/contain", Contain, Contractor -> Principal, Incident, Immediately, false, &[]),
        e!("nerima:19-1(1)/report", Report, Contractor -> Principal, Incident, Immediately, false, &[]),
        e!("nerima:19-1(2)", Cause, Contractor -> Principal, Incident, Unspecified, false, &["cause"]),
        e!("nerima:19-1(3)", Prevent, Contractor -> Principal, Incident, Unspecified, false, &["measures"]),
        e!("nerima:19-1(4)", Record, Contractor -> Principal, Incident, Unspecified, true, &[]),
        e!("nerima:20", Publish, Principal -> Public, PrincipalKnows, May, false, &[]),
        // 004 洋野町 特記事項 第16 and 委託基準 第7条
        e!("hirono:16-1", Report, Contractor -> Principal, Incident, Immediately, true, FOUR),
        e!("hirono:16-2", Publish, Principal -> Public, PrincipalKnows, May, false, &[]),
        e!("hirono:std7/contain", Contain, Principal -> Subjects, PrincipalKnows, Immediately, false, &[]),
        e!("hirono:std7/notify", Notify, Principal -> Subjects, PrincipalKnows, Immediately, false, &[]),
        e!("hirono:std7/record", Record, Contractor -> Principal, PrincipalKnows, Unspecified, true, &["summary", "cause", "prevention"]),
        // APPI Art. 68 and Rules Art. 43-45
        e!("appi-local-gov:68-1-preliminary", PpcPreliminary, Principal -> Ppc, PrincipalKnows, Promptly, false, &[]),
        e!("appi-local-gov:68-1-final", PpcFinal, Principal -> Ppc, PrincipalKnows, Days, false, NINE),
        e!("appi-local-gov:68-2", Notify, Principal -> Subjects, PrincipalKnows, Promptly, false, &[]),
        // 番号法 Art. 29-4
        e!("mynumber:29-4-preliminary", PpcPreliminary, Principal -> Ppc, PrincipalKnows, Promptly, false, &[]),
        e!("mynumber:29-4-final", PpcFinal, Principal -> Ppc, PrincipalKnows, Days, false, NINE),
        e!("mynumber:29-4-2", Notify, Principal -> Subjects, PrincipalKnows, Promptly, false, &[]),
    ]
}

/// Standing duties (stage `prepare`) per profile, as the seeds list them.
const STANDING: &[(&str, &[&str])] = &[
    (
        "nagaoka",
        &[
            "nagaoka:12-1",
            "nagaoka:12-2",
            "nagaoka:13-2",
            "nagaoka:12-3",
        ],
    ),
    ("kimitsu", &["kimitsu:15", "kimitsu:17"]),
    (
        "sapporo",
        &[
            "sapporo:14-1",
            "sapporo:14-2",
            "sapporo:16-2",
            "sapporo:std6(1)",
            "sapporo:std6(2)",
            "sapporo:std6(3)",
            "sapporo:15",
        ],
    ),
    ("nerima", &["nerima:19-2", "nerima:18", "nerima:6"]),
    ("hirono", &["hirono:std6(5)", "hirono:14"]),
    ("appi-local-gov", &[]),
    ("mynumber", &[]),
];

#[test]
fn every_incident_clause_matches_the_reading_of_its_seed() {
    let cat = Catalog::builtin();
    let exp = expected();
    let mut seen = 0;
    for p in &cat.profiles {
        for c in p.incident_clauses() {
            let id = c.obligation_id();
            let e = exp
                .iter()
                .find(|e| e.obligation == id)
                .unwrap_or_else(|| panic!("{id}: in the catalog but not in the expected reading"));
            seen += 1;
            assert_eq!(c.stage, e.stage, "{id} stage");
            assert_eq!(c.owed_by, e.by, "{id} owed_by");
            assert_eq!(c.owed_to, e.to, "{id} owed_to");
            assert_eq!(c.trigger, e.trigger, "{id} trigger");
            assert_eq!(c.term, e.term, "{id} term");
            assert_eq!(c.written, e.written, "{id} written (書面)");
            let fields: Vec<&str> = c.fields.iter().map(|f| f.key()).collect();
            assert_eq!(fields, e.fields, "{id} required fields");
        }
    }
    assert_eq!(
        seen,
        exp.len(),
        "expected obligations missing from the catalog"
    );
}

#[test]
fn standing_duties_per_profile() {
    let cat = Catalog::builtin();
    for (pid, want) in STANDING {
        let p = cat.profile(pid).unwrap();
        let got: Vec<&str> = p.standing_clauses().map(|c| c.obligation_id()).collect();
        assert_eq!(&got, want, "{pid}");
    }
    // The emergency plan's five elements (nagaoka 13-2 and sapporo 16-2 word them alike).
    for id in ["nagaoka:13-2", "sapporo:16-2"] {
        let (pid, _) = id.split_once(':').unwrap();
        let c = cat.profile(pid).unwrap().clause(id).unwrap();
        assert_eq!(
            c.elements,
            [
                "委託者その他の関係者との連絡",
                "証拠保全",
                "被害拡大の防止",
                "復旧",
                "再発防止"
            ],
            "{id}"
        );
    }
    let drills = cat
        .profile("nerima")
        .unwrap()
        .clause("nerima:19-2")
        .unwrap();
    assert!(drills.text.contains("訓練"));
}

fn seeds_dir() -> std::path::PathBuf {
    let d = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/seeds");
    assert!(
        d.is_dir(),
        "../shared/seeds must sit beside the repository ({})",
        d.display()
    );
    d
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn every_quotation_stands_in_its_seed() {
    let cat = Catalog::builtin();
    for p in cat
        .profiles
        .iter()
        .filter(|p| p.kind == ProfileKind::Contract)
    {
        let seed = p.seed.as_ref().unwrap();
        let text = std::fs::read_to_string(seeds_dir().join(seed.as_str())).unwrap();
        let text = squash(&text);
        for c in &p.clauses {
            assert!(
                text.contains(&squash(&c.text)),
                "{}: quotation not found in {seed}:\n{}",
                c.id,
                c.text
            );
            // A plain time word in the legal term must be in the quoted clause itself.
            for word in ["直ちに", "速やかに", "遅滞なく"] {
                if c.legal_term.contains(word) {
                    assert!(
                        c.text.contains(word),
                        "{}: legal term {word} not in its text",
                        c.id
                    );
                }
            }
            if c.written {
                assert!(
                    c.text.contains("書面") || c.text.contains("文書") || c.text.contains("報告書"),
                    "{}: written but the text names no 書面/文書",
                    c.id
                );
            }
        }
    }
}

#[test]
fn scopes_follow_the_trigger_words() {
    use IncidentKind::*;
    let cat = Catalog::builtin();
    let s = |id: &str| &cat.profile(id).unwrap().scope;
    // Signs: nagaoka 兆候, sapporo おそれのある事案, nerima おそれ/兆候; kimitsu and hirono: occurrence.
    assert!(s("nagaoka").signs && s("sapporo").signs && s("nerima").signs);
    assert!(!s("kimitsu").signs && !s("hirono").signs);
    // Violations count only for sapporo (法違反) and nerima (違反もしくはその兆候).
    for (id, v) in [
        ("nagaoka", false),
        ("kimitsu", false),
        ("sapporo", true),
        ("nerima", true),
        ("hirono", false),
    ] {
        assert_eq!(s(id).kinds.contains(&Violation), v, "{id}");
    }
    // 帰責の有無に関わらず: nagaoka, sapporo, hirono.
    for (id, v) in [
        ("nagaoka", true),
        ("kimitsu", false),
        ("sapporo", true),
        ("nerima", false),
        ("hirono", true),
    ] {
        assert_eq!(s(id).regardless_of_fault, v, "{id}");
    }
    // kimitsu's 漏えい等 is 漏えい、き損及び滅失 only.
    assert!(!s("kimitsu").kinds.contains(&Other));
    // National: 発生したおそれ counts. APPI Rule 43: 漏えい、滅失、毀損 only. My Number rule Art. 2 adds
    // misuse (items 2(ロ), 4(ロ)(ハ)), recorded as `violation`; neither counts `other`.
    for id in ["appi-local-gov", "mynumber"] {
        assert!(s(id).signs, "{id}");
        assert!(!s(id).kinds.contains(&Other), "{id}");
    }
    assert!(!s("appi-local-gov").kinds.contains(&Violation));
    assert!(s("mynumber").kinds.contains(&Violation));
}

#[test]
fn national_layers_and_final_report_days() {
    let cat = Catalog::builtin();
    for p in cat
        .profiles
        .iter()
        .filter(|p| p.kind == ProfileKind::Contract)
    {
        assert_eq!(p.national, ["appi-local-gov", "mynumber"], "{}", p.id);
    }
    for id in ["appi-local-gov:68-1-final", "mynumber:29-4-final"] {
        let (pid, _) = id.split_once(':').unwrap();
        let c = cat.profile(pid).unwrap().clause(id).unwrap();
        assert_eq!(c.days, Some(30), "{id}");
        assert_eq!(c.days_if.len(), 1);
        assert_eq!(
            (c.days_if[0].fact, c.days_if[0].days),
            (Fact::ImproperPurpose, 60),
            "{id}"
        );
    }
    // Rule 43's five items and the encryption carve-out.
    let r43 = &cat.profile("appi-local-gov").unwrap().conditions["rule43"];
    let any: Vec<_> = r43.any.iter().map(|p| (p.fact, p.gt)).collect();
    assert_eq!(
        any,
        [
            (Fact::Sensitive, None),
            (Fact::FinancialDamageRisk, None),
            (Fact::ImproperPurpose, None),
            (Fact::SubjectsCount, Some(100)),
            (Fact::OrdinanceSensitive, None)
        ]
    );
    assert_eq!(
        r43.none.iter().map(|p| p.fact).collect::<Vec<_>>(),
        [Fact::Encrypted]
    );
    // 保有個人情報: no personal information, no Rule 43 situation.
    assert_eq!(
        r43.all.iter().map(|p| p.fact).collect::<Vec<_>>(),
        [Fact::PersonalInfo]
    );
    // My Number rule Art. 2: 「…措置を講じたものを除く。以下同じ。」 — the exclusion covers every item.
    let mns = &cat.profile("mynumber").unwrap().conditions;
    let mn = &mns["mn_reportable"];
    assert_eq!(
        mn.all.iter().map(|p| p.fact).collect::<Vec<_>>(),
        [Fact::MyNumber]
    );
    assert_eq!(
        mn.none.iter().map(|p| p.fact).collect::<Vec<_>>(),
        [Fact::Encrypted]
    );
    // Item 1 (no head count), 2(イ), 3 and 4(イ) need a 漏えい等; 2(ロ) and 4(ロ)(ハ) a misuse.
    let facts = |n: &str| {
        let c = &mns[n];
        let mut v: Vec<_> = c
            .all
            .iter()
            .chain(c.any.iter())
            .map(|p| (p.fact, p.gt))
            .collect();
        v.sort();
        v
    };
    let mut leak = vec![
        (Fact::Leaked, None),
        (Fact::MyNumberSystem, None),
        (Fact::ImproperPurpose, None),
        (Fact::PublicExposure, None),
        (Fact::SubjectsCount, Some(100)),
    ];
    leak.sort();
    assert_eq!(facts("mn_leak"), leak);
    assert_eq!(facts("mn_improper_use"), [(Fact::ImproperUse, None)]);
    let mut use9 = vec![(Fact::UnlawfulUse, None), (Fact::SubjectsCount, Some(100))];
    use9.sort();
    assert_eq!(facts("mn_unlawful_use"), use9);
    let mut prov19 = vec![
        (Fact::UnlawfulProvision, None),
        (Fact::SubjectsCount, Some(100)),
    ];
    prov19.sort();
    assert_eq!(facts("mn_unlawful_provision"), prov19);
    assert_eq!(
        mn.any_of.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
        [
            "mn_leak",
            "mn_improper_use",
            "mn_unlawful_use",
            "mn_unlawful_provision"
        ]
    );
}

#[test]
fn hirono_variants_are_configurable_not_invented() {
    let p = Catalog::builtin().profile("hirono").unwrap();
    assert_eq!(
        p.variants.iter().map(|v| v.id.as_str()).collect::<Vec<_>>(),
        ["type1", "type2", "type3"]
    );
    // 特記事項 items can be left out per contract; 委託基準 binds the town and cannot.
    for c in p.incident_clauses() {
        assert_eq!(c.omittable, !c.id.starts_with("hirono:std"), "{}", c.id);
    }
}
