//! The `roei/status@1` document handed to JS as a JS object, built by one small JS function
//! (`status_doc.js`, put into the package's glue by scripts/build-wasm.sh) from one string and a
//! list of numbers that this module packs from the evaluation.
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

/// The status of `ev` (an evaluation of `rec`) as a JS object: `roei check --json`'s document.
pub fn status_value(ev: &Evaluation, rec: &Record) -> JsValue {
    thread_local! {
        static STATE: std::cell::RefCell<(Templates, Option<Array>)> = std::cell::RefCell::default();
    }
    STATE.with_borrow_mut(|(seen, js)| {
        let p = pack(ev, rec, seen);
        let js = js.get_or_insert_with(Array::new);
        roei_status_document(&p.text, &p.nums, js)
    })
}
