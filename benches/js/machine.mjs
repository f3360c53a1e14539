// The incident lifecycle of a Nagaoka contract (長岡市 特記仕様書 第13条) with the city's national
// duties (APPI Art. 68, Rules Art. 43-45), as an XState v5 machine: the comparison point of
// bench.mjs. Written to be a fair, working equivalent of what roei computes for these obligations,
// not a toy:
//
//   nagaoka:13-1                     report to the city, 直ちに (operating target PT1H from the
//                                    detection, signs count), in writing, with content / count /
//                                    location / circumstances, possibly across several reports
//   nagaoka:13-3                     the city may publish (optional until it does)
//   appi-local-gov:68-1-preliminary  PPC preliminary report, 速やかに (P3D) from when the city knew
//   appi-local-gov:68-1-final        PPC final report with the nine items, 30 days (60 for an
//                                    improper purpose), Civil Code count in Japan time: the period
//                                    ends at 24:00 of day D+N, a closed last day moved to the next
//                                    open one (Civil Code Art. 142)
//   appi-local-gov:68-2              notice to the data subjects, 速やかに (P3D)
//
// The national duties apply when Rule 43 does (sensitive, financial damage, improper purpose or
// more than 100 persons, unless strongly encrypted), three-valued: an unrecorded fact leaves them
// `undetermined`, except `encrypted`, which excludes only when recorded (roei's default policy).
// Their clocks run from the later of the city knowing and the facts event from which Rule 43 has
// held (Rules Art. 44). A dismissal rules out what it precedes, and the notice to the persons while
// it is not done.
//
// Shape: one parallel state. Lifecycle regions move on the record's events (detection, decision,
// containment, principal, facts/Rule 43, the report, instruction, PPC reports, notice, cause,
// prevention, record, publication) with guards and assign; one region per obligation holds its
// status (pending / overdue / done / done_late / not_applicable / undetermined / waiting /
// optional) and moves there by eventless transitions guarded on the context and the clock. The
// clock is the instant of the last event, or of an `at` event (a status query at an instant).
//
// Events are `{ type, at (ms since the epoch), actor, data }` (the record's events with `at`
// parsed); replay them in time order, only those at or before the query instant, then send
// `{ type: "at", at }`. `snapshot.value.o68fin` is then the final report's status, and
// `dueOf(snapshot)` gives the due instants. `leanMachine` is the lifecycle alone (no clock, no status
// regions): replay without the `at` event and read `statusesAt(snapshot, at)`. One contract per
// record (input: { contract, principal }).
import { setup, assign } from "xstate";

const HOUR = 3600e3;
const DAY = 24 * HOUR;
const JST = 9 * HOUR;
const IMMEDIATELY = HOUR; // policy default for 直ちに
const PROMPTLY = 3 * DAY; // policy default for 速やかに

// Scopes: which detected kinds count (both count signs: 兆候 / 発生したおそれ).
const NAGAOKA_KINDS = new Set(["leak", "loss", "damage", "tampering", "erasure", "other"]);
const APPI_KINDS = new Set(["leak", "loss", "damage", "tampering", "erasure"]);

// Field keys as bits (reported_to_principal and ppc_final_reported carry them in data.fields; a few
// may also be given at the top level of data).
const KEYS = ["content", "count", "location", "circumstances", "summary", "data_items", "subjects_count",
  "cause", "secondary_damage", "subject_response", "publication_status", "prevention", "other"];
const BIT = Object.fromEntries(KEYS.map((k, i) => [k, 1 << i]));
const REPORT_13_1 = BIT.content | BIT.count | BIT.location | BIT.circumstances;
const FINAL_68 = BIT.summary | BIT.data_items | BIT.subjects_count | BIT.cause | BIT.secondary_damage |
  BIT.subject_response | BIT.publication_status | BIT.prevention | BIT.other;
const RECORD_FIELDS = BIT.summary | BIT.cause | BIT.prevention;

/** A value counts as given unless null, undefined, blank text, [] or {}. */
function given(v) {
  if (v == null) return false;
  if (typeof v === "string") return v.trim() !== "";
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === "object") return Object.keys(v).length > 0;
  return true;
}

function givenMask(d) {
  let m = 0;
  const f = d.fields;
  if (f) for (const k in f) if (BIT[k] && given(f[k])) m |= BIT[k];
  for (const k of ["summary", "cause", "location", "circumstances"]) if (given(d[k])) m |= BIT[k];
  if (d.subjects_count != null) m |= BIT.subjects_count;
  if (Array.isArray(d.data_items) && d.data_items.length) m |= BIT.data_items;
  return m;
}

const FACT_KEYS = ["subjects_count", "sensitive", "ordinance_sensitive", "financial_damage_risk",
  "improper_purpose", "encrypted", "my_number", "my_number_system", "public_exposure"];

/** Rule 43 on the facts: "yes" / "no" / "unknown". */
function rule43(f) {
  const t = (v) => (v === true ? "yes" : v === false ? "no" : "unknown");
  // none = [encrypted]; unrecorded, it does not exclude (roei's default policy, unknown_encryption
  // "not_excluded": the exclusion needs the measure to have been taken)
  const enc = t(f.encrypted ?? false);
  const notEncrypted = enc === "yes" ? "no" : enc === "no" ? "yes" : "unknown";
  // any = [sensitive, financial damage, improper purpose, count > 100, ordinance-sensitive (absent = no)]
  const items = [t(f.sensitive), t(f.financial_damage_risk), t(f.improper_purpose),
    f.subjects_count == null ? "unknown" : f.subjects_count > 100 ? "yes" : "no",
    f.ordinance_sensitive === true ? "yes" : "no"];
  const any = items.includes("yes") ? "yes" : items.includes("unknown") ? "unknown" : "no";
  if (any === "no" || notEncrypted === "no") return "no";
  if (any === "unknown" || notEncrypted === "unknown") return "unknown";
  return "yes";
}

// National holidays (祝日法) of the months the generated records' deadlines reach (2026-11 to
// 2027-03); a day count beyond them would need more.
const HOLIDAYS = new Set(["2026-11-03", "2026-11-23", "2027-01-01", "2027-01-11", "2027-02-11", "2027-02-23", "2027-03-21", "2027-03-22"]);

/** The national administrative closed days (行政機関の休日に関する法律 Art. 1): Saturdays, Sundays, holidays, 12/29–1/3. */
function closedDay(dayIndex) {
  const d = new Date(dayIndex * DAY); // the Japan day, read in UTC
  const [m, dd, iso] = [d.getUTCMonth() + 1, d.getUTCDate(), d.toISOString().slice(0, 10)];
  return d.getUTCDay() === 0 || d.getUTCDay() === 6 || HOLIDAYS.has(iso) || (m === 12 && dd >= 29) || (m === 1 && dd <= 3);
}

/**
 * 24:00 Japan time at the end of day D+days, D the Japan day of `t` (Civil Code Art. 140), the last
 * day moved to the next open day when it is closed (Civil Code Art. 142; roei's default policy).
 */
function endOfDayPlus(t, days) {
  let last = Math.floor((t + JST) / DAY) + days;
  while (closedDay(last)) last++;
  return (last + 1) * DAY - JST;
}

// ---- statuses from the context (memoised per context object: XState's assign makes a new one) ----

const memo = new WeakMap();

function status(ctx, now, scope, trigger, cond, due, doneAt, may, since = null, notify = false) {
  // scope: undefined = nothing detected yet, null = detected but out of this scope, else the instant
  if (scope === undefined) return { s: "waiting", due: null };
  if (scope === null) return { s: "not_applicable", due: null };
  let at = trigger === "incident" ? scope : ctx.knowsAt == null ? null : Math.max(ctx.knowsAt, scope);
  const dismissedFirst = ctx.dismissedAt != null && (at == null || ctx.dismissedAt < at);
  if (cond === "no" || dismissedFirst) return { s: "not_applicable", due: null };
  // Rules Art. 44 (知った): a conditional duty's clock runs from the later of knowing and the facts
  // event from which the condition has held.
  // `since` is that event's instant for the duties under Rule 43, null for the others.
  if (at != null && since != null) at = Math.max(at, since);
  if (at == null) return { s: cond === "unknown" ? "undetermined" : "waiting", due: null };
  const d = due(at);
  // A dismissal also rules out the notice to the persons while it is not done, even once triggered
  // (roei's default policy: no notice about an incident that did not happen).
  if (notify && ctx.dismissedAt != null && doneAt == null) return { s: "not_applicable", due: d };
  if (doneAt != null) return { s: d != null && doneAt > d ? "done_late" : "done", due: d };
  if (cond === "unknown") return { s: "undetermined", due: d };
  if (may) return { s: "optional", due: d };
  return { s: d != null && now > d ? "overdue" : "pending", due: d };
}

/** Every modelled obligation's status and due instant, from the context at the instant `now`. */
function compute(ctx, now) {
  const contract = ctx.detected ? ctx.contractAt : undefined;
  const national = ctx.detected ? ctx.nationalAt : undefined;
  const r43 = ctx.rule43;
  const days = ctx.facts.improper_purpose === true ? 60 : 30;
  return {
    o13_1: status(ctx, now, contract, "incident", "yes", (t) => t + IMMEDIATELY, ctx.reportDoneAt, false),
    o13_3: status(ctx, now, contract, "knows", "yes", () => null, ctx.publishedAt, true),
    o68pre: status(ctx, now, national, "knows", r43, (t) => t + PROMPTLY, ctx.prelimAt, false, ctx.reportableAt),
    o68fin: status(ctx, now, national, "knows", r43, (t) => endOfDayPlus(t, days), ctx.finalAt, false, ctx.reportableAt),
    o68_2: status(ctx, now, national, "knows", r43, (t) => t + PROMPTLY, ctx.noticeAt, false, ctx.reportableAt, true),
  };
}

// The status regions' guards read this per context object (XState's assign makes a new one per
// change), so the eventless transitions of five regions compute the statuses once per step.
function statuses(ctx) {
  let s = memo.get(ctx);
  if (!s) memo.set(ctx, (s = compute(ctx, ctx.now)));
  return s;
}

const STATES = ["waiting", "pending", "overdue", "done", "done_late", "not_applicable", "undetermined", "optional"];

/** A region holding one obligation's status, moved by eventless transitions. */
function obligationRegion(key) {
  return {
    initial: "waiting",
    states: Object.fromEntries(STATES.map((s) => [s, {
      always: STATES.filter((t) => t !== s).map((t) => ({ guard: { type: "statusIs", params: { key, s: t } }, target: t })),
    }])),
  };
}

// ---- guards on the event's scope (which contract / principal / national layer it answers) ----

const forContract = ({ context, event }) => {
  const d = event.data;
  return (d.contract == null || d.contract === context.contract) && (d.principal == null || d.principal === context.principal);
};
const forAppi = (a) => forContract(a) && (a.event.data.layer == null || a.event.data.layer === "appi-local-gov");

function accumulate(acc, event) {
  const g = givenMask(event.data);
  const w = event.data.written === true;
  return { all: acc.all | g, written: w ? acc.written | g : acc.written, anyWritten: acc.anyWritten || w };
}

const impl = setup({
  guards: {
    statusIs: ({ context }, { key, s }) => statuses(context)[key].s === s,
    nagaokaKind: ({ event }) => NAGAOKA_KINDS.has(event.data.kind),
    appiKind: ({ event }) => APPI_KINDS.has(event.data.kind),
    forContract,
    forAppi,
    // the report is complete when every field has been given in writing (across reports)
    reportCompletes: (a) => {
      if (!forContract(a)) return false;
      const r = accumulate(a.context.report, a.event);
      return r.anyWritten && (REPORT_13_1 & ~r.written) === 0;
    },
    finalCompletes: (a) => forAppi(a) && (FINAL_68 & ~accumulate(a.context.final, a.event).all) === 0,
    recordCompletes: (a) => {
      if (!forContract(a)) return false;
      const r = accumulate(a.context.record, a.event);
      return r.anyWritten && (RECORD_FIELDS & ~r.written) === 0;
    },
    byPrincipal: (a) => forContract(a) && (a.event.data.by ?? a.event.actor) === "principal",
    rule43Yes: ({ context, event }) => rule43(mergeFacts(context.facts, event.data)) === "yes",
    rule43No: ({ context, event }) => rule43(mergeFacts(context.facts, event.data)) === "no",
  },
  actions: {
    tick: assign({ now: ({ event }) => event.at }),
    markDetected: assign({ detected: true }),
    setContractAt: assign({ contractAt: ({ event }) => event.at }),
    setNationalAt: assign({ nationalAt: ({ event }) => event.at }),
    dismiss: assign({ dismissedAt: ({ event }) => event.at }),
    confirm: assign({ dismissedAt: null }),
    setKnows: assign({ knowsAt: ({ event }) => event.at }),
    addReport: assign({ report: ({ context, event }) => accumulate(context.report, event) }),
    reportDone: assign({ reportDoneAt: ({ event }) => event.at }),
    // reportableAt: the facts event from which Rule 43 has held (roei's `reportable_at`).
    setFacts: assign(({ context, event }) => {
      const facts = mergeFacts(context.facts, event.data);
      const r = rule43(facts);
      const reportableAt = r !== "yes" ? null : context.rule43 === "yes" ? context.reportableAt : event.at;
      return { facts, rule43: r, reportableAt };
    }),
    setPrelim: assign({ prelimAt: ({ event }) => event.at }),
    addFinal: assign({ final: ({ context, event }) => accumulate(context.final, event) }),
    finalDone: assign({ finalAt: ({ event }) => event.at }),
    setNotice: assign({ noticeAt: ({ event }) => event.at }),
    setPublished: assign({ publishedAt: ({ event }) => event.at }),
    setInstruction: assign({ instructionAt: ({ event }) => event.at }),
    setContainStarted: assign({ containStartedAt: ({ event }) => event.at }),
    setContained: assign({ containedAt: ({ event }) => event.at }),
    setCause: assign({ causeAt: ({ event }) => event.at }),
    setPrevention: assign({ preventionAt: ({ event }) => event.at }),
    addRecord: assign({ record: ({ context, event }) => accumulate(context.record, event) }),
    recordDone: assign({ recordAt: ({ event }) => event.at }),
    close: assign({ closedAt: ({ event }) => event.at }),
  },
});

const context = ({ input }) => ({
  contract: input?.contract ?? null,
  principal: input?.principal ?? null,
  now: -Infinity,
  detected: false,
  contractAt: null, // first detection the contract's scope counts
  nationalAt: null, // first detection APPI Art. 68 counts
  dismissedAt: null,
  knowsAt: null,
  facts: {},
  rule43: "unknown",
  reportableAt: null,
  report: { all: 0, written: 0, anyWritten: false },
  reportDoneAt: null,
  prelimAt: null,
  final: { all: 0, written: 0, anyWritten: false },
  finalAt: null,
  noticeAt: null,
  publishedAt: null,
  instructionAt: null,
  containStartedAt: null,
  containedAt: null,
  causeAt: null,
  preventionAt: null,
  record: { all: 0, written: 0, anyWritten: false },
  recordAt: null,
  closedAt: null,
});

// The lifecycle: regions that move on the record's events.
const lifecycle = {
  detection: {
    initial: "none",
    states: {
      none: { on: { detected: [
        { guard: "nagaokaKind", target: "inScope", actions: ["markDetected", "setContractAt"] },
        { target: "outOfScope", actions: "markDetected" },
      ] } },
      outOfScope: { on: { detected: { guard: "nagaokaKind", target: "inScope", actions: "setContractAt" } } },
      inScope: {},
    },
  },
  national: {
    initial: "none",
    states: {
      none: { on: { detected: [
        { guard: "appiKind", target: "inScope", actions: "setNationalAt" },
        { target: "outOfScope" },
      ] } },
      outOfScope: { on: { detected: { guard: "appiKind", target: "inScope", actions: "setNationalAt" } } },
      inScope: {},
    },
  },
  decision: {
    initial: "open",
    states: {
      open: { on: { dismissed: { target: "dismissed", actions: "dismiss" }, confirmed: { target: "confirmed", actions: "confirm" } } },
      confirmed: { on: { dismissed: { target: "dismissed", actions: "dismiss" } } },
      dismissed: { on: { confirmed: { target: "confirmed", actions: "confirm" } } },
    },
  },
  containment: {
    initial: "none",
    states: {
      none: { on: {
        containment_started: { target: "started", actions: "setContainStarted" },
        contained: { target: "contained", actions: "setContained" },
      } },
      started: { on: { contained: { target: "contained", actions: "setContained" } } },
      contained: {},
    },
  },
  principal: {
    initial: "unaware",
    states: {
      unaware: { on: {
        reported_to_principal: { guard: "forContract", target: "aware", actions: "setKnows" },
        principal_aware: { guard: "forContract", target: "aware", actions: "setKnows" },
      } },
      aware: {},
    },
  },
  report: {
    initial: "collecting",
    states: {
      collecting: { on: { reported_to_principal: [
        { guard: "reportCompletes", target: "complete", actions: ["addReport", "reportDone"] },
        { guard: "forContract", actions: "addReport" },
      ] } },
      complete: {},
    },
  },
  facts: {
    initial: "unknown",
    on: { facts: [
      { guard: "rule43Yes", target: ".reportable", actions: "setFacts" },
      { guard: "rule43No", target: ".exempt", actions: "setFacts" },
      { target: ".unknown", actions: "setFacts" },
    ] },
    states: { unknown: {}, reportable: {}, exempt: {} },
  },
  instruction: {
    initial: "none",
    states: {
      none: { on: { instruction_received: { guard: "forContract", target: "received", actions: "setInstruction" } } },
      received: {},
    },
  },
  ppcPreliminary: {
    initial: "open",
    states: {
      open: { on: { ppc_preliminary_reported: { guard: "forAppi", target: "reported", actions: "setPrelim" } } },
      reported: {},
    },
  },
  ppcFinal: {
    initial: "collecting",
    states: {
      collecting: { on: { ppc_final_reported: [
        { guard: "finalCompletes", target: "reported", actions: ["addFinal", "finalDone"] },
        { guard: "forAppi", actions: "addFinal" },
      ] } },
      reported: {},
    },
  },
  notice: {
    initial: "open",
    states: {
      open: { on: { subjects_notified: { guard: "forAppi", target: "notified", actions: "setNotice" } } },
      notified: {},
    },
  },
  cause: {
    initial: "open",
    states: { open: { on: { cause_analyzed: { target: "analyzed", actions: "setCause" } } }, analyzed: {} },
  },
  prevention: {
    initial: "open",
    states: { open: { on: { prevention_implemented: { target: "implemented", actions: "setPrevention" } } }, implemented: {} },
  },
  record: {
    initial: "collecting",
    states: {
      collecting: { on: { record_submitted: [
        { guard: "recordCompletes", target: "submitted", actions: ["addRecord", "recordDone"] },
        { guard: "forContract", actions: "addRecord" },
      ] } },
      submitted: {},
    },
  },
  publication: {
    initial: "none",
    states: { none: { on: { published: { guard: "byPrincipal", target: "published", actions: "setPublished" } } }, published: {} },
  },
  closure: {
    initial: "open",
    states: { open: { on: { closed: { target: "closed", actions: "close" } } }, closed: {} },
  },
};

/** Statuses as states: the lifecycle, a clock, and one region per obligation holding its status. */
export const machine = impl.createMachine({
  id: "incident",
  type: "parallel",
  context,
  states: {
    clock: { on: { "*": { actions: "tick" } } },
    ...lifecycle,
    // one region per obligation: its status
    o13_1: obligationRegion("o13_1"),
    o13_3: obligationRegion("o13_3"),
    o68pre: obligationRegion("o68pre"),
    o68fin: obligationRegion("o68fin"),
    o68_2: obligationRegion("o68_2"),
  },
});

/**
 * The lifecycle alone (no clock, no status regions): statuses are derived from its snapshot at the
 * query instant by `statusesAt`. Fewer state nodes and no eventless transitions: XState's faster form.
 */
export const leanMachine = impl.createMachine({ id: "incident", type: "parallel", context, states: lifecycle });

function mergeFacts(facts, d) {
  const f = { ...facts };
  for (const k of FACT_KEYS) if (d[k] != null) f[k] = d[k];
  return f;
}

/** The obligations both roei and this machine model: region name → roei clause id. */
export const OBLIGATIONS = {
  o13_1: "nagaoka:13-1",
  o13_3: "nagaoka:13-3",
  o68pre: "appi-local-gov:68-1-preliminary",
  o68fin: "appi-local-gov:68-1-final",
  o68_2: "appi-local-gov:68-2",
};

/** `{ clause id: status }` at `atMs` from a snapshot of either machine (derived from its context). */
export function statusesAt(snapshot, atMs) {
  const s = compute(snapshot.context, atMs);
  const out = {};
  for (const k in OBLIGATIONS) out[OBLIGATIONS[k]] = s[k].s;
  return out;
}

/** Due instants (ms, or null) of the obligations in a snapshot, at `atMs` (default: its clock). */
export function dueOf(snapshot, atMs = snapshot.context.now) {
  const s = compute(snapshot.context, atMs);
  return Object.fromEntries(Object.keys(OBLIGATIONS).map((k) => [k, s[k].due]));
}

/** Completion instants (ms, or null) of the obligations in a snapshot. */
export function doneAtOf(snapshot) {
  const c = snapshot.context;
  return { o13_1: c.reportDoneAt, o13_3: c.publishedAt, o68pre: c.prelimAt, o68fin: c.finalAt, o68_2: c.noticeAt };
}
