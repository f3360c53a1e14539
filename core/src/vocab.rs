//! The closed vocabularies of the formats (docs/FORMATS.md) (stages, terms, event types, field keys, facts) with
//! their Japanese and English labels. Identifiers stay English; labels are what people read.
use serde::{Deserialize, Serialize};

macro_rules! vocab {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident = $key:literal, $ja:literal, $en:literal;)* }) => {
        $(#[$m])*
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $($(#[$vm])* #[doc = concat!("`", $key, "`: ", $ja, " (", $en, ").")] #[serde(rename = $key)] $var,)* }
        impl $name {
            /// Every word, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$var,)*];
            /// The interchange key (`"report"`, `"immediately"`, …).
            pub fn key(self) -> &'static str { match self { $($name::$var => $key,)* } }
            /// The Japanese label.
            pub fn ja(self) -> &'static str { match self { $($name::$var => $ja,)* } }
            /// The English label.
            pub fn en(self) -> &'static str { match self { $($name::$var => $en,)* } }
            /// The label in `lang` (the one way to show a vocabulary word to a reader).
            pub fn label(self, lang: $crate::lang::Lang) -> &'static str { lang.pick(self.ja(), self.en()) }
            /// The word for an interchange key, or `None` for a key outside the vocabulary.
            pub fn from_key(s: &str) -> Option<$name> { match s { $($key => Some($name::$var),)* _ => None } }
        }
    };
}

vocab! {
    /// Status of one obligation at an instant (`roei/status@1`'s `status`; docs/FORMATS.md).
    State {
        /// Scope, condition or a dismissal rules it out.
        NotApplicable = "not_applicable", "対象外", "not applicable";
        /// Whether it applies depends on facts not yet recorded (`missing_facts` lists them).
        Undetermined = "undetermined", "要判断", "undetermined";
        /// Its trigger has not happened yet.
        Waiting = "waiting", "待機", "waiting";
        /// Owed, not done, and not past its due time.
        Pending = "pending", "対応中", "pending";
        /// Owed, not done, and past its due time.
        Overdue = "overdue", "期限超過", "overdue";
        /// Done in time (every required field recorded).
        Done = "done", "完了", "done";
        /// Done after its due time.
        DoneLate = "done_late", "完了（遅延）", "done late";
        /// Permitted, not required (できる).
        Optional = "optional", "任意", "optional";
    }
}

vocab! {
    /// Lifecycle stage of an obligation (`prepare` = standing duties owed before any incident).
    Stage {
        Prepare = "prepare", "平時の備え", "Preparedness";
        Report = "report", "委託者への報告", "Report to the principal";
        Contain = "contain", "被害拡大防止", "Containment";
        Notify = "notify", "本人対応", "Data subjects";
        Cause = "cause", "原因分析", "Root cause";
        Prevent = "prevent", "再発防止", "Prevention";
        Record = "record", "記録・報告書", "Written record";
        Publish = "publish", "公表", "Publication";
        PpcPreliminary = "ppc_preliminary", "委員会への速報", "PPC preliminary report";
        PpcFinal = "ppc_final", "委員会への確報", "PPC final report";
    }
}

vocab! {
    /// The time word of a clause. Only `days` is a number in law; the others get an operating target
    /// from the policy. `unspecified` (no time word at all, e.g. nerima 19-1(2)) is roei's addition.
    Term {
        Immediately = "immediately", "直ちに", "immediately";
        Promptly = "promptly", "速やかに", "promptly";
        WithoutDelay = "without_delay", "遅滞なく", "without delay";
        Days = "days", "日数", "fixed days";
        May = "may", "任意（できる）", "may";
        BestEffort = "best_effort", "努力義務", "best effort";
        Unspecified = "unspecified", "期限の定めなし", "no time stated";
    }
}

vocab! {
    /// Who owes a duty and to whom.
    Party {
        Contractor = "contractor", "受託者", "contractor";
        Principal = "principal", "委託者", "principal";
        Ppc = "ppc", "個人情報保護委員会", "PPC";
        Subjects = "subjects", "本人", "data subjects";
        Public = "public", "公衆", "the public";
    }
}

vocab! {
    /// What starts an obligation's clock.
    Trigger {
        /// The incident as the profile's scope counts it (signs or occurrence).
        Incident = "incident", "事故等の把握", "the incident";
        /// The principal's knowledge: the contractor's report reaching it, or its own earlier knowledge.
        PrincipalKnows = "principal_knows", "委託者が知った時", "the principal knows";
        /// The principal's instruction under the contract.
        Instruction = "instruction", "委託者の指示", "the principal's instruction";
        /// Owed at all times (stage `prepare`).
        Standing = "standing", "平時", "standing";
    }
}

vocab! {
    /// What happened (`detected`'s `kind`): the words of the contracts and the law.
    IncidentKind {
        Leak = "leak", "漏えい", "leak";
        Loss = "loss", "紛失・滅失", "loss";
        Damage = "damage", "毀損・破損・破壊", "damage";
        Tampering = "tampering", "改ざん", "tampering";
        Erasure = "erasure", "消去", "erasure";
        Violation = "violation", "違反", "violation";
        Other = "other", "その他の事故", "other";
    }
}

vocab! {
    /// Who recorded or did an event.
    Actor {
        Contractor = "contractor", "受託者", "contractor";
        Principal = "principal", "委託者", "principal";
        Ppc = "ppc", "個人情報保護委員会", "PPC";
        Subject = "subject", "本人", "data subject";
        Other = "other", "その他", "other";
    }
}

vocab! {
    /// The kinds of event a record holds (docs/FORMATS.md gives each one's data).
    EventType {
        Detected = "detected", "検知", "detected";
        Facts = "facts", "事実の評価", "facts";
        Confirmed = "confirmed", "事故と確認", "confirmed";
        Dismissed = "dismissed", "事故でないと判断", "dismissed";
        ContainmentStarted = "containment_started", "被害拡大防止措置の開始", "containment started";
        Contained = "contained", "封じ込め完了", "contained";
        EvidencePreserved = "evidence_preserved", "証拠保全", "evidence preserved";
        ReportedToPrincipal = "reported_to_principal", "委託者へ報告", "reported to the principal";
        PrincipalAware = "principal_aware", "委託者が把握", "principal aware";
        InstructionReceived = "instruction_received", "委託者の指示", "instruction received";
        SubjectsNotified = "subjects_notified", "本人へ通知・公表", "data subjects notified";
        CauseAnalyzed = "cause_analyzed", "原因分析", "cause analysed";
        PreventionImplemented = "prevention_implemented", "再発防止策の実施", "prevention implemented";
        RecordSubmitted = "record_submitted", "記録（報告書）の提出", "record submitted";
        PpcPreliminaryReported = "ppc_preliminary_reported", "個人情報保護委員会へ速報", "PPC preliminary report";
        PpcFinalReported = "ppc_final_reported", "個人情報保護委員会へ確報", "PPC final report";
        Published = "published", "公表", "published";
        Closed = "closed", "終結", "closed";
    }
}

vocab! {
    /// Keys of event data that obligations require (`missing` lists these).
    FieldKey {
        Content = "content", "個人情報の内容", "content of the personal information";
        Count = "count", "件数・数量", "count";
        Location = "location", "発生場所", "place of occurrence";
        Circumstances = "circumstances", "発生状況", "circumstances";
        Summary = "summary", "概要", "summary";
        DataItems = "data_items", "保有個人情報の項目", "data items";
        SubjectsCount = "subjects_count", "本人の数", "number of data subjects";
        Cause = "cause", "原因", "cause";
        SecondaryDamage = "secondary_damage", "二次被害又はそのおそれの有無及びその内容", "secondary damage";
        SubjectResponse = "subject_response", "本人への対応の実施状況", "response to data subjects";
        PublicationStatus = "publication_status", "公表の実施状況", "publication status";
        Prevention = "prevention", "再発防止のための措置", "prevention measures";
        Other = "other", "その他参考となる事項", "other relevant matters";
        Measures = "measures", "講じた措置", "measures";
        Method = "method", "方法", "method";
        What = "what", "保全した証拠", "what was preserved";
        Reason = "reason", "理由", "reason";
        Text = "text", "指示内容", "instruction";
        Written = "written", "書面による", "in writing";
    }
}

vocab! {
    /// Assessment facts (`facts` events); `undetermined` obligations list the ones they wait for.
    Fact {
        SubjectsCount = "subjects_count", "本人の数", "number of data subjects";
        DataItems = "data_items", "項目", "data items";
        Sensitive = "sensitive", "要配慮個人情報", "sensitive personal information";
        OrdinanceSensitive = "ordinance_sensitive", "条例要配慮個人情報", "ordinance-sensitive information";
        FinancialDamageRisk = "financial_damage_risk", "財産的被害のおそれ", "risk of financial damage";
        ImproperPurpose = "improper_purpose", "不正の目的によるおそれ", "improper purpose";
        Encrypted = "encrypted", "高度な暗号化", "strong encryption";
        MyNumber = "my_number", "特定個人情報（マイナンバー）", "My Number information";
        MyNumberSystem = "my_number_system", "マイナンバー利用事務系システム", "held in a My Number system";
        PublicExposure = "public_exposure", "不特定多数が閲覧可能", "viewable by the public";
        Location = "location", "発生場所", "place";
        Circumstances = "circumstances", "発生状況", "circumstances";
        /// 保有個人情報 is involved (Rules Art. 43 speaks only of it). Unrecorded, it follows from a
        /// recorded head count or My Number information (both presuppose personal information).
        PersonalInfo = "personal_info", "個人情報を含む", "personal information involved";
        /// Derived, never recorded: the incident is a 漏えい等 (leak, loss, damage, tampering or
        /// erasure) rather than a misuse (`violation`), from the kinds detected.
        Leaked = "leaked", "漏えい等に当たる", "a leak, loss or damage";
        /// My Number rule Art. 2 item 2(ロ): 特定個人情報 used, or possibly used, for an improper purpose.
        ImproperUse = "improper_use", "不正の目的による利用", "used for an improper purpose";
        /// My Number rule Art. 2 item 4(ロ): My Numbers used against 番号法 Art. 9.
        UnlawfulUse = "unlawful_use", "番号法第9条に反する利用", "used against My Number Act Art. 9";
        /// My Number rule Art. 2 item 4(ハ): 特定個人情報 provided against 番号法 Art. 19.
        UnlawfulProvision = "unlawful_provision", "番号法第19条に反する提供", "provided against My Number Act Art. 19";
        /// APPI Art. 68(2) item 2: the information includes 不開示情報 (Art. 78(1)); no notice is owed.
        NonDisclosure = "non_disclosure", "不開示情報（法第78条第1項）を含む", "includes information exempt from disclosure (Art. 78(1))";
    }
}

vocab! {
    /// How firm a rule is: read in the text, PPC guidance, or our reading (explained in the README).
    Basis {
        Text = "text", "条文", "text";
        Guide = "guide", "ガイドライン", "guidance";
        Reading = "reading", "解釈", "our reading";
    }
}

impl FieldKey {
    /// The nine items of a report to the PPC (施行規則 Art. 44 / 番号法施行規則 Art. 8), in the order
    /// of the form: what a `ppc_*_reported` event carries and what the PPC report lists.
    pub const PPC_ITEMS: [FieldKey; 9] = [
        FieldKey::Summary,
        FieldKey::DataItems,
        FieldKey::SubjectsCount,
        FieldKey::Cause,
        FieldKey::SecondaryDamage,
        FieldKey::SubjectResponse,
        FieldKey::PublicationStatus,
        FieldKey::Prevention,
        FieldKey::Other,
    ];

    /// Bit for field sets (`u32` masks keep the fold allocation-free).
    pub const fn bit(self) -> u32 {
        1u32 << (self as u32)
    }
}
