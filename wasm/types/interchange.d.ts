// Generated from the Rust types by `cargo run -p roei-wasm --features ts --bin roei-gen-ts`.
// Do not edit: change the Rust type and regenerate (scripts/build-wasm.sh does).
export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;
export type FreeData = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;
export type Stage = "prepare" | "report" | "contain" | "notify" | "cause" | "prevent" | "record" | "publish" | "ppc_preliminary" | "ppc_final";
export type Term = "immediately" | "promptly" | "without_delay" | "days" | "may" | "best_effort" | "unspecified";
export type Party = "contractor" | "principal" | "ppc" | "subjects" | "public";
export type Trigger = "incident" | "principal_knows" | "instruction" | "standing";
export type IncidentKind = "leak" | "loss" | "damage" | "tampering" | "erasure" | "violation" | "other";
export type Actor = "contractor" | "principal" | "ppc" | "subject" | "other";
export type EventType = "detected" | "facts" | "confirmed" | "dismissed" | "containment_started" | "contained" | "evidence_preserved" | "reported_to_principal" | "principal_aware" | "instruction_received" | "subjects_notified" | "cause_analyzed" | "prevention_implemented" | "record_submitted" | "ppc_preliminary_reported" | "ppc_final_reported" | "published" | "closed";
export type FieldKey = "content" | "count" | "location" | "circumstances" | "summary" | "data_items" | "subjects_count" | "cause" | "secondary_damage" | "subject_response" | "publication_status" | "prevention" | "other" | "measures" | "method" | "what" | "reason" | "text" | "written";
export type Fact = "subjects_count" | "data_items" | "sensitive" | "ordinance_sensitive" | "financial_damage_risk" | "improper_purpose" | "encrypted" | "my_number" | "my_number_system" | "public_exposure" | "location" | "circumstances" | "personal_info" | "leaked" | "improper_use" | "unlawful_use" | "unlawful_provision" | "non_disclosure";
export type State = "not_applicable" | "undetermined" | "waiting" | "pending" | "overdue" | "done" | "done_late" | "optional";
export type Text = { 
/**
 * Japanese.
 */
ja: string, 
/**
 * English.
 */
en: string, };
export type Warning = { 
/**
 * Stable machine-readable code (`event_out_of_order`, `alternative_notice`, …).
 */
code: string, 
/**
 * What happened, in English, for people.
 */
message: string, 
/**
 * JSON path of what the warning is about (`events[3].at`), or empty for the whole record.
 */
path: string, };
export type ObligationStatus = { 
/**
 * The clause id.
 */
clause: string, 
/**
 * Unique obligation id (a clause can yield several: `nerima:19-1(1)/contain`).
 */
obligation: string, 
/**
 * The article as people cite it (`第13条第1項`, `法第68条第1項; 規則第44条（速報）`).
 */
article: string, 
/**
 * The profile id.
 */
profile: string, 
/**
 * The contract it is owed under (null for national duties).
 */
contract: string | null, 
/**
 * The principal it concerns.
 */
principal: string, 
/**
 * Its lifecycle stage.
 */
stage: Stage, 
/**
 * Who owes it.
 */
owed_by: Party, 
/**
 * Who owes it together with `owed_by`, if anyone.
 */
jointly_with?: Party, 
/**
 * To whom it is owed.
 */
owed_to: Party, 
/**
 * The clause's time word.
 */
term: Term, 
/**
 * The time word as the clause writes it (直ちに, 30日以内, …).
 */
legal_term: string, 
/**
 * The operating target the due time came from (`PT1H`), if any.
 */
target: string | null, 
/**
 * The day count of a `days` term.
 */
days?: number, 
/**
 * Whether it must be done in writing (書面).
 */
written: boolean, 
/**
 * When its clock started.
 */
trigger_at: string | null, 
/**
 * Its due time (null where there is none).
 */
due: string | null, 
/**
 * Whether the due time is fixed by law (a day count) rather than a policy target.
 */
hard: boolean, 
/**
 * Its status.
 */
status: State, 
/**
 * Field keys still owed, or for `undetermined` the fact keys to record.
 */
missing: Array<string>, 
/**
 * The `at` of the event that completed it.
 */
done_at: string | null, 
/**
 * What it asks, in both languages.
 */
label: Text, 
/**
 * How firm the clause's reading is: read in the text, PPC guidance, or roei's reading.
 */
basis: Basis, 
/**
 * When the recorded facts made a conditional duty reportable, and by which event (Rules
 * Art. 44: the clock runs from the reportable situation).
 */
reportable_at?: string, 
/**
 * The id of the event whose facts made it reportable.
 */
reportable_by?: string, 
/**
 * An `undetermined` duty whose would-be `due` has passed: overdue if it turns out to apply.
 */
overdue_if_applicable: boolean, 
/**
 * Completed by an alternative measure (APPI Art. 68(2) ただし書).
 */
alternative: boolean, 
/**
 * The last day of a day count before it rolled forward over closed days (`YYYY-MM-DD`).
 */
due_rolled_from?: string, };
export type Status = { 
/**
 * Always `roei/status@1`.
 */
format: string, 
/**
 * The record's id.
 */
incident: string, 
/**
 * The instant evaluated (RFC 3339, +09:00).
 */
at: string, 
/**
 * One entry per obligation per contract (national duties once per principal).
 */
obligations: Array<ObligationStatus>, 
/**
 * What a person should look at; never changes a status.
 */
warnings: Array<Warning>, };
export type Contract = { 
/**
 * The contract id, unique within the record.
 */
id: string, 
/**
 * The catalog profile the contract's special provisions follow (`nagaoka`, …).
 */
profile: string, 
/**
 * The municipality (委託者); national obligations are owed once per distinct principal.
 */
principal: string, 
/**
 * The contractor (受託者), if named.
 */
contractor?: string, 
/**
 * National layers: absent = the profile's defaults, `[]` = none, or the ones named.
 */
national?: Array<string>, 
/**
 * Contract type where the profile defines variants (hirono 類型1-3).
 */
variant?: string, 
/**
 * Clauses this contract leaves out (only those the profile marks omittable).
 */
omit?: Array<string>, } & ({ [key in string]: number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null });
export type NotifyMethod = "individual" | "public_notice";
export type PublishedBy = "principal" | "contractor";
export type Fields = { 
/**
 * 個人情報の内容: what personal information is involved.
 */
content?: FreeData, 
/**
 * 件数・数量: how many (as given, text or number).
 */
count?: FreeData, 
/**
 * 発生場所: where it happened.
 */
location?: FreeData, 
/**
 * 発生状況: how it happened.
 */
circumstances?: FreeData, 
/**
 * 概要: a summary.
 */
summary?: FreeData, 
/**
 * 保有個人情報の項目: the data items involved.
 */
data_items?: FreeData, 
/**
 * `facts`: 本人の数, the number of persons (the text as written is kept in the record).
 */
subjects_count?: FreeData, 
/**
 * `cause_analyzed`: the cause found.
 */
cause?: FreeData, 
/**
 * 二次被害又はそのおそれの有無及びその内容: secondary damage.
 */
secondary_damage?: FreeData, 
/**
 * 本人への対応の実施状況: what was done for the persons.
 */
subject_response?: FreeData, 
/**
 * 公表の実施状況: publication so far.
 */
publication_status?: FreeData, 
/**
 * 再発防止のための措置: prevention measures.
 */
prevention?: FreeData, 
/**
 * その他参考となる事項: anything else of use.
 */
other?: FreeData, };
export type EventData = { 
/**
 * `detected` (and `principal_aware`): the kind of incident (漏えい, 紛失, …).
 */
kind?: IncidentKind, 
/**
 * `detected`: only signs or a suspicion (兆候・おそれ), not a confirmed occurrence.
 */
signs_only?: boolean, 
/**
 * 概要: a summary.
 */
summary?: FreeData, 
/**
 * `facts`: 本人の数, the number of persons (the text as written is kept in the record).
 */
subjects_count?: number, 
/**
 * 保有個人情報の項目: the data items involved.
 */
data_items?: Array<string>, 
/**
 * `facts`: 要配慮個人情報 is involved (Rules Art. 43 item 1).
 */
sensitive?: boolean, 
/**
 * `facts`: 条例要配慮個人情報 is involved (item 5).
 */
ordinance_sensitive?: boolean, 
/**
 * `facts`: misuse could cause financial damage (item 2).
 */
financial_damage_risk?: boolean, 
/**
 * `facts`: possibly caused by an act for an improper purpose (item 3; 60-day final report).
 */
improper_purpose?: boolean, 
/**
 * `facts`: protected by strong encryption (excluded from every item).
 */
encrypted?: boolean, 
/**
 * `facts`: 特定個人情報 (My Number information) is involved.
 */
my_number?: boolean, 
/**
 * `facts`: held in a My Number system (My Number rule Art. 2 item 1).
 */
my_number_system?: boolean, 
/**
 * `facts`: viewable by an unspecified number of people electronically (item 3).
 */
public_exposure?: boolean, 
/**
 * `facts`: 保有個人情報 is involved at all (without it no APPI duty).
 */
personal_info?: boolean, 
/**
 * `facts`: 特定個人情報 used for an improper purpose (My Number rule item 2(ロ)).
 */
improper_use?: boolean, 
/**
 * `facts`: My Numbers used against 番号法 Art. 9 (item 4(ロ)).
 */
unlawful_use?: boolean, 
/**
 * `facts`: 特定個人情報 provided against 番号法 Art. 19 (item 4(ハ)).
 */
unlawful_provision?: boolean, 
/**
 * `facts`: includes 不開示情報 of APPI Art. 78(1) (no notice owed).
 */
non_disclosure?: boolean, 
/**
 * 発生場所: where it happened.
 */
location?: FreeData, 
/**
 * 発生状況: how it happened.
 */
circumstances?: FreeData, 
/**
 * `dismissed`: why it was not an incident; `subjects_notified`: why individual notice was difficult.
 */
reason?: FreeData, 
/**
 * `containment_started`, `contained`, `prevention_implemented`: the measures taken.
 */
measures?: FreeData, 
/**
 * `evidence_preserved`: what was preserved.
 */
what?: FreeData, 
/**
 * Which contract the event is about (absent: every contract).
 */
contract?: string, 
/**
 * Whether it was done in writing (書面).
 */
written?: boolean, 
/**
 * The report's contents, by field key.
 */
fields?: Fields, 
/**
 * `instruction_received`: the instruction's text.
 */
text?: FreeData, 
/**
 * roei extension: the instruction says whether the contractor is to notify data subjects.
 */
notify_subjects?: boolean, 
/**
 * `subjects_notified`: how the persons were told.
 */
method?: NotifyMethod, 
/**
 * `subjects_notified`: how many persons were told.
 */
count?: number, 
/**
 * `cause_analyzed`: the cause found.
 */
cause?: FreeData, 
/**
 * `published`: who published.
 */
by?: PublishedBy, 
/**
 * `published`: where.
 */
url?: string, 
/**
 * `published`: whether the publication names the contractor.
 */
names_contractor?: boolean, 
/**
 * roei extension for national events (`ppc_*`): which principal; absent = every principal.
 */
principal?: string, 
/**
 * roei extension: the national layer an event answers (`appi-local-gov` or `mynumber`; the PPC
 * takes My Number reports on a separate form). Absent = every layer.
 */
layer?: string, };
export type EventRecorder = { name?: string, department?: string, };
export type EventSeal = { alg: "sha256", prev: string, hash: string, };
export type IncidentEvent = { id: string, 
/**
 * RFC 3339 with an offset.
 */
at: string, 
/**
 * An [`EventType`] key; a reader keeps an event of a type it does not know, with a warning.
 */
type: EventType, actor: Actor, data?: EventData, 
/**
 * When the event was written down, if later than `at` (RFC 3339; a roei addition).
 */
recorded_at?: string, 
/**
 * Who wrote it down (a roei addition).
 */
recorder?: EventRecorder, 
/**
 * The hash-chain link roei writes when it seals the record (`roei seal`); never sent with an append.
 */
seal?: EventSeal, };
export type IncidentRecord = { format: "roei/incident@1", id: string, title?: string, contracts: Array<Contract>, events: Array<IncidentEvent>, };
export type PolicyTargets = { immediately?: string, promptly?: string, without_delay?: string, unspecified?: string, };
export type PolicyInput = { format: "roei/policy@1", targets?: PolicyTargets, day_count?: "civil-code" | "strict", 
/**
 * Roll a day-count deadline that ends on a closed day to the next open day (default true; for
 * the PPC the administrative holidays of 行政機関の休日に関する法律 Art. 1).
 */
holiday_roll_forward?: boolean, 
/**
 * How an unrecorded `encrypted` fact reads (default `not_excluded`).
 */
unknown_encryption?: "not_excluded" | "undetermined", 
/**
 * Stages a dismissal rules out even after signs triggered them (default `["notify"]`).
 */
dismissal_rules_out?: string[], 
/**
 * The municipality's closing days, for deadlines owed to it; `extra` dates are `YYYY-MM-DD`.
 */
closed_days?: { saturday?: boolean; sunday?: boolean; national_holidays?: boolean; year_end?: boolean; extra?: string[] }, };
export type ErrorReport = { code: "json" | "too_large" | "too_many" | "unsupported_format" | "unknown_profile" | "missing_field" | "duplicate_id" | "duplicate_key" | "unsealed" | "invalid_value", message: string, path: string, clause: string | null, problems?: Array<ErrorReport>, };
export type ProfileInfo = { id: string, kind: "contract" | "national", issuer: Text, title: string, seed: string | null, source: string | null, clauses: number, incident_clauses: number, national: Array<string>, variants: Array<{ id: string } & Record<string, unknown>>, };
