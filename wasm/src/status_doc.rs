//! The `roei/status@1` document (and `checkManyStates`' lists) handed to JS as JS objects, built
//! by small JS functions (`status_doc.js`, put into the package's glue by scripts/build-wasm.sh)
//! from one string and a list of numbers that this module packs from the evaluation.
//!
//! Why: writing the 5 KB document as JSON text in WASM, decoding it into a JS string and
//! `JSON.parse` were a third of `check`'s time (BENCHMARKS.md, issue 17 target 2). Most of the
//! document is the clauses' fixed text (article, legal term, both labels), the same on every call:
//! it crosses into JS once per clause per instance and is kept there ([`Templates`]); every call then
//! carries only what the record and the instant decide. The object equals the CLI's document
//! (`roei check --json`) key for key and in key order (tests/js/parity.test.mjs compares them byte
//! for byte through `checkJSON`, which is `JSON.stringify` of this object).
//!
//! The packing: strings are appended to one text, and for each its length in UTF-16 units (what JS
//! slices by) is pushed to the numbers, or [`NONE`] for a null. Numbers and flags are pushed as they
//! are. [`pack`] and `status_doc.js` read the fields in the same order; nothing is escaped, so any
//! text a record holds comes through unchanged.
//!
//! `checkManyStates` answers the same way: per record, its obligations' ids and states as slots of
//! a words array JS keeps ([`Words`]), so a batch crosses into JS in one call instead of three per
//! obligation (`Array.of`, `push`, a string handed over).
use js_sys::Array;
use roei_core::catalog::{Clause, Profile};
use roei_core::time::fmt_jst;
use roei_core::vocab::{Basis, Term};
use roei_core::{Evaluation, Record};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/status_doc.js")]
extern "C" {
    /// The document from the packed text and numbers; `templates` keeps the clauses' fixed parts.
    #[wasm_bindgen(js_name = roeiStatusDocument)]
    fn roei_status_document(text: &str, nums: &[u32], templates: &Array) -> JsValue;
    /// `checkManyStates`' answer from the packed lists; `words` keeps the ids and state keys.
    #[wasm_bindgen(js_name = roeiStateLists)]
    fn roei_state_lists(text: &str, nums: &[u32], words: &Array, errors: &Array) -> Array;
}

/// The number that stands for a null string.
pub const NONE: u32 = u32::MAX;

/// Which clauses' fixed parts JS already holds: slot `k` of the JS templates array holds the clause
/// `seen[k]` (profile and clause, by address: the engine evaluates only against the built-in
/// catalog, a static). A clause not yet seen gets the next slot and its fixed parts are packed.
#[derive(Default)]
pub struct Templates {
    seen: Vec<(*const Profile, *const Clause)>,
}

/// Which words (obligation ids, state keys) JS already holds for `checkManyStates`: slot `k` of the
/// JS words array is `seen[k]`, by address and length (the catalog's and the vocabulary's static
/// text; the same word at another address only takes a second slot).
#[derive(Default)]
pub struct Words {
    seen: Vec<(*const u8, usize)>,
}

/// The packed document: what `status_doc.js` reads.
#[derive(Default)]
pub struct Packed {
    pub text: String,
    pub nums: Vec<u32>,
}

impl Packed {
    fn str(&mut self, s: &str) {
        self.text.push_str(s);
        let units = if s.is_ascii() {
            s.len()
        } else {
            s.chars().map(char::len_utf16).sum()
        };
        self.nums.push(units as u32);
    }

    fn opt(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.nums.push(NONE),
        }
    }

    fn flag(&mut self, b: bool) {
        self.nums.push(b as u32);
    }

    /// A word's slot; for a word not yet seen, the next slot and its text.
    fn word(&mut self, words: &mut Words, w: &'static str) {
        let key = (w.as_ptr(), w.len());
        match words.seen.iter().position(|k| *k == key) {
            Some(k) => self.nums.push(k as u32),
            None => {
                self.nums.push(words.seen.len() as u32);
                words.seen.push(key);
                self.str(w);
            }
        }
    }
}

/// Packs one record's `[obligation, state]` pairs for `checkManyStates`, in `check`'s order.
pub fn pack_states(p: &mut Packed, ev: &Evaluation<'static>, words: &mut Words) {
    p.nums.push(ev.obligations.len() as u32);
    for o in &ev.obligations {
        p.word(words, o.clause.obligation_id());
        p.word(words, o.state.key());
    }
}

/// Packs a record that did not read: its `{ error }` is the next of the errors array.
pub fn pack_error(p: &mut Packed) {
    p.nums.push(NONE);
}

/// Packs the status of `ev` (an evaluation of `rec`) in the order `status_doc.js` reads it.
pub fn pack(ev: &Evaluation, rec: &Record, templates: &mut Templates) -> Packed {
    let mut p = Packed::default();
    p.str(&rec.id);
    p.str(&fmt_jst(&ev.at));
    p.nums.push(ev.obligations.len() as u32);
    for o in &ev.obligations {
        let key = (o.profile as *const Profile, o.clause as *const Clause);
        let slot = templates.seen.iter().position(|k| *k == key);
        p.nums.push(slot.unwrap_or(templates.seen.len()) as u32);
        if slot.is_none() {
            // A new slot: the clause's fixed parts follow, and JS keeps them.
            templates.seen.push(key);
            pack_fixed(&mut p, o.profile, o.clause);
        }
        pack_decided(&mut p, o, rec);
    }
    p.nums.push(ev.warnings.len() as u32);
    for w in &ev.warnings {
        p.str(w.code);
        p.str(&w.message);
        p.str(&w.path);
    }
    p
}

/// The parts of an obligation its clause fixes (the same on every call).
fn pack_fixed(p: &mut Packed, profile: &Profile, c: &Clause) {
    p.str(&c.id);
    p.str(c.obligation_id());
    p.str(&c.article);
    p.str(&profile.id);
    p.str(c.stage.key());
    p.str(c.owed_by.key());
    p.opt(c.jointly_with.map(|j| j.key()));
    p.str(c.owed_to.key());
    p.str(c.term.key());
    p.str(&c.legal_term);
    p.flag(c.written);
    p.flag(c.term == Term::Days);
    p.str(&c.summary.ja);
    p.str(&c.summary.en);
    p.str(c.basis.unwrap_or(Basis::Text).key());
}

/// The parts of one obligation that the record, the policy and the instant decide.
fn pack_decided(p: &mut Packed, o: &roei_core::ObligationEval, rec: &Record) {
    p.opt(o.contract.map(|i| rec.contracts[i].id.as_str()));
    p.str(&rec.contracts[o.principal_of].principal);
    p.opt(o.target.map(|s| s.to_iso()).as_deref());
    p.flag(o.days.is_some());
    if let Some(d) = o.days {
        p.nums.push(d);
    }
    p.opt(o.trigger_at.as_ref().map(fmt_jst).as_deref());
    p.opt(o.due.as_ref().map(fmt_jst).as_deref());
    p.str(o.state.key());
    let missing = o.missing_keys();
    p.nums.push(missing.len() as u32);
    for k in missing {
        p.str(k);
    }
    p.opt(o.done_at.as_ref().map(fmt_jst).as_deref());
    p.opt(
        o.reportable_by
            .map(|i| fmt_jst(&rec.events[i].at))
            .as_deref(),
    );
    p.opt(o.reportable_by.map(|i| rec.events[i].id.as_str()));
    p.flag(o.overdue_if_applicable);
    p.flag(o.alternative);
    p.opt(o.rolled_from.map(|d| d.to_string()).as_deref());
}

/// What this instance has handed to JS: the clauses' fixed parts and the words, on both sides.
#[derive(Default)]
struct Sent {
    templates: Templates,
    templates_js: Option<Array>,
    words: Words,
    words_js: Option<Array>,
}

thread_local! {
    static SENT: std::cell::RefCell<Sent> = std::cell::RefCell::default();
}

/// The status of `ev` (an evaluation of `rec`) as a JS object: `roei check --json`'s document.
pub fn status_value(ev: &Evaluation, rec: &Record) -> JsValue {
    SENT.with_borrow_mut(|sent| {
        let p = pack(ev, rec, &mut sent.templates);
        let js = sent.templates_js.get_or_insert_with(Array::new);
        roei_status_document(&p.text, &p.nums, js)
    })
}

/// `checkManyStates`' answer: `records` (the count) packed by `pack` into `p`, with the errors of
/// the records that did not read in `errors`, in order.
pub fn state_lists(
    records: u32,
    pack: impl FnOnce(&mut Packed, &mut Words),
    errors: &Array,
) -> Array {
    SENT.with_borrow_mut(|sent| {
        let mut p = Packed::default();
        p.nums.push(records);
        pack(&mut p, &mut sent.words);
        let js = sent.words_js.get_or_insert_with(Array::new);
        roei_state_lists(&p.text, &p.nums, js, errors)
    })
}
