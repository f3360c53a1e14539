// The `roei/status@1` document as a JS object, from what wasm/src/status_doc.rs packs: one text
// and the numbers that cut it (each string's length in UTF-16 units, 4294967295 for null) mixed
// with counts and flags, read in the order they were packed. `templates[k]` keeps the fixed parts
// of clause slot k: the first document that meets a clause packs them, later ones only the slot.
// The keys are written in the order of the CLI's document (JSON.stringify of the result is
// `roei check --json`'s text). scripts/build-wasm.sh puts this function into the package's glue.
export function roeiStatusDocument(text, nums, templates) {
  let at = 0, i = 0;
  const str = () => {
    const n = nums[i++];
    if (n === 4294967295) return null;
    return text.slice(at, (at += n));
  };
  const incident = str(), when = str(), obligations = [];
  for (let n = nums[i++]; n > 0; n--) {
    const k = nums[i++];
    if (k === templates.length) {
      templates.push([str(), str(), str(), str(), str(), str(), str(), str(), str(), str(), nums[i++] === 1, nums[i++] === 1, str(), str(), str()]);
    }
    const c = templates[k];
    const o = { clause: c[0], obligation: c[1], article: c[2], profile: c[3], contract: str(), principal: str(), stage: c[4], owed_by: c[5] };
    if (c[6] !== null) o.jointly_with = c[6];
    o.owed_to = c[7];
    o.term = c[8];
    o.legal_term = c[9];
    o.target = str();
    if (nums[i++] === 1) o.days = nums[i++];
    o.written = c[10];
    o.trigger_at = str();
    o.due = str();
    o.hard = c[11];
    o.status = str();
    const missing = [];
    for (let m = nums[i++]; m > 0; m--) missing.push(str());
    o.missing = missing;
    o.done_at = str();
    o.label = { ja: c[12], en: c[13] };
    o.basis = c[14];
    const reportableAt = str(), reportableBy = str();
    if (reportableAt !== null) o.reportable_at = reportableAt;
    if (reportableBy !== null) o.reportable_by = reportableBy;
    o.overdue_if_applicable = nums[i++] === 1;
    o.alternative = nums[i++] === 1;
    const rolledFrom = str();
    if (rolledFrom !== null) o.due_rolled_from = rolledFrom;
    obligations.push(o);
  }
  const warnings = [];
  for (let n = nums[i++]; n > 0; n--) warnings.push({ code: str(), message: str(), path: str() });
  return { format: "roei/status@1", incident, at: when, obligations, warnings };
}

// checkManyStates' answer from what wasm/src/status_doc.rs packs: per record the number of its
// obligations (4294967295 for a record that did not read: its `{ error }` is the next of `errors`),
// then each obligation's id and state as slots of `keys`, the words kept from earlier answers; a
// slot one past the end is a new word, its length in UTF-16 units next and its text in `text`.
export function roeiStateLists(text, nums, keys, errors) {
  let at = 0, i = 0, e = 0;
  const key = () => {
    const k = nums[i++];
    if (k === keys.length) keys.push(text.slice(at, (at += nums[i++])));
    return keys[k];
  };
  const out = [];
  for (let r = nums[i++]; r > 0; r--) {
    const n = nums[i++];
    if (n === 4294967295) {
      out.push(errors[e++]);
      continue;
    }
    const list = [];
    for (let o = 0; o < n; o++) list.push([key(), key()]);
    out.push(list);
  }
  return out;
}
