//! Strict reading of untrusted JSON text, done on the text before serde builds anything.
//!
//! serde_json keeps the last of two equal keys without a word (a second `"profile"` swaps a
//! contract's obligations, a second `"events": []` empties a record), and it builds every element of
//! a list before anyone can count them (2.7 M `{}` events cost 600 MB to refuse). [`check`] walks the
//! text once, linearly and without recursion, and refuses both with the JSON path: a key repeated in
//! any object (compared after unescaping: `"id"` and `"\u0069d"` are the same key), and a top-level
//! list longer than its limit, counted before a single element is built; and more values than
//! [`FREE_VALUES`] plus one per [`BYTES_PER_VALUE`] bytes of text, which bounds the memory reading
//! costs to about 8 times the text whatever its shape.
//!
//! The walk does not validate JSON (serde does, afterwards): on text that is not JSON it stops or
//! passes quietly, never panics, and its memory is bounded by the nesting it follows (at most
//! [`MAX_NESTING`] levels, deeper text is refused) and the keys of the open objects.
use std::borrow::Cow;
use std::collections::HashSet;

use crate::error::Error;

/// serde_json's recursion limit, applied to the whole text (serde_json skips a value it keeps as raw
/// text, such as an unknown top-level key, without counting its depth).
const MAX_NESTING: usize = 128;

/// Values (numbers, strings, lists, objects, `true`, `false`, `null`) and object keys a document
/// may hold: this many, plus one for every [`BYTES_PER_VALUE`] bytes of its text. Each read into
/// memory costs up to about 64 bytes (a `serde_json::Value`, a number's text kept as written, a key's
/// string and map entry), so the rule bounds what reading costs to about 8 times the text; real
/// records use about 15 bytes per value or key (the example: 2,135 bytes, 141 of them).
pub const FREE_VALUES: usize = 10_000;
/// See [`FREE_VALUES`].
pub const BYTES_PER_VALUE: usize = 8;

/// Objects with more keys than this look repeats up in a hash set instead of a list.
const FEW_KEYS: usize = 16;

/// A list in the top-level object (`events`, `contracts`) and how many elements it may hold.
#[derive(Debug, Clone, Copy)]
pub struct ListLimit<'a> {
    /// The member of the top-level object holding the list.
    pub key: &'a str,
    /// The most elements it may hold.
    pub limit: usize,
}

enum Keys<'a> {
    Few(Vec<Cow<'a, str>>),
    Many(HashSet<Cow<'a, str>>),
}

impl<'a> Keys<'a> {
    /// Adds a key; `false` when it was there already.
    fn insert(&mut self, k: Cow<'a, str>) -> bool {
        match self {
            Keys::Few(v) if v.len() < FEW_KEYS => {
                if v.contains(&k) {
                    return false;
                }
                v.push(k);
                true
            }
            Keys::Few(v) => {
                let mut set: HashSet<Cow<'a, str>> = v.drain(..).collect();
                let fresh = set.insert(k);
                *self = Keys::Many(set);
                fresh
            }
            Keys::Many(s) => s.insert(k),
        }
    }
}

enum Frame<'a> {
    Object {
        keys: Keys<'a>,
        current: Option<Cow<'a, str>>,
        expect_key: bool,
    },
    List {
        commas: usize,
        any: bool,
        limit: Option<ListLimit<'a>>,
    },
}

/// The JSON path of the value the walk is in, under `prefix`.
fn path_of(prefix: &str, stack: &[Frame]) -> String {
    let mut out = prefix.to_string();
    for f in stack {
        match f {
            Frame::Object {
                current: Some(k), ..
            } => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Frame::Object { current: None, .. } => {}
            Frame::List { commas, .. } => out.push_str(&format!("[{commas}]")),
        }
    }
    out
}

/// Refuses repeated keys in any object of `json` and top-level lists over their limits (see the
/// module doc). `prefix` is where the text sits (`event` for an appended event) for the paths.
pub fn check(json: &str, prefix: &str, lists: &[ListLimit]) -> Result<(), Error> {
    walk(json, prefix, lists).map(|_| ())
}

/// A JSON text as a `serde_json::Value`, as `serde_json::from_str` read it (strings as text, numbers
/// as written, 128 levels deep at most) after [`check`]: a repeated key is refused. Errors name their
/// JSON path under `prefix`. Written on the record reader's tokenizer, so the page's engine carries
/// no second JSON reader.
pub fn value(json: &str, prefix: &str) -> Result<serde_json::Value, Error> {
    check(json, prefix, &[])?;
    crate::record::json_value(json, prefix)
}

/// What `serde_json::to_value` gives (objects with their keys sorted, numbers as written), built
/// through the text `serde_json::to_string` writes and [`value`]'s reader. `to_value` itself (and
/// so the `serde_json::json!` macro) would link serde_json's whole reader into the page's engine:
/// its serializer parses every number and raw value it meets with `serde_json::from_str`. The text
/// is our own serializer's, so it always reads back; `null` if serialising fails (a map with keys
/// that are not strings, which no roei type has).
pub fn to_value<T: serde::Serialize + ?Sized>(v: &T) -> serde_json::Value {
    serde_json::to_string(v)
        .ok()
        .and_then(|text| crate::record::json_value(&text, "").ok())
        .unwrap_or(serde_json::Value::Null)
}

/// [`check`], saying whether the walk went through the whole text (`false`: it stopped quietly at
/// text that is not JSON, or at a key it could not read, and serde's reader decides the rest). After
/// a whole walk, every part of the text has been checked as well as [`check`] of that part alone
/// would, except for the count of values, which is bounded by the part's own size.
pub(crate) fn walk(json: &str, prefix: &str, lists: &[ListLimit]) -> Result<bool, Error> {
    if json.starts_with('\u{feff}') {
        return Err(Error::Json {
            path: prefix.to_string(),
            message: "the text starts with a byte order mark (U+FEFF): JSON text is read without one (RFC 8259 §8.1); remove it".into(),
        });
    }
    let b = json.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let max_values = FREE_VALUES + b.len() / BYTES_PER_VALUE;
    let (mut values, mut in_scalar) = (0usize, false);
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let starts_value = match c {
            b'{' | b'[' | b'"' => true,
            b'}' | b']' | b',' | b':' | b' ' | b'\n' | b'\r' | b'\t' => {
                in_scalar = false;
                false
            }
            _ => !std::mem::replace(&mut in_scalar, true),
        };
        if starts_value {
            values += 1;
            // A list already over its count limit is reported with its full count when it closes.
            let counting_a_long_list = stack.iter().any(
                |f| matches!(f, Frame::List { commas, limit: Some(l), .. } if *commas >= l.limit),
            );
            if values > max_values && !counting_a_long_list {
                return Err(Error::invalid(
                    path_of(prefix, &stack),
                    format!(
                        "more than {max_values} JSON values and keys in {} bytes: a text may hold {FREE_VALUES} plus one per {BYTES_PER_VALUE} bytes (this bounds the memory reading it costs)",
                        b.len()
                    ),
                ));
            }
        }
        match c {
            b'"' => {
                let start = i + 1;
                let mut j = start;
                let mut escaped = false;
                loop {
                    let Some(k) = memchr::memchr2(b'"', b'\\', &b[j..]) else {
                        return Ok(false); // an unclosed string: serde reports it
                    };
                    j += k;
                    if b[j] == b'\\' {
                        escaped = true;
                        j += 2;
                        if j >= b.len() {
                            return Ok(false);
                        }
                        continue;
                    }
                    break;
                }
                let Some(top) = stack.last_mut() else {
                    i = j + 1;
                    continue;
                };
                match top {
                    Frame::Object {
                        keys,
                        current,
                        expect_key,
                    } if *expect_key => {
                        *expect_key = false;
                        let key: Cow<str> = if escaped {
                            match crate::record::json_string(&json[start - 1..=j]) {
                                Some(k) => Cow::Owned(k.into_owned()),
                                None => return Ok(false),
                            }
                        } else {
                            Cow::Borrowed(&json[start..j])
                        };
                        *current = Some(key.clone());
                        if !keys.insert(key.clone()) {
                            return Err(Error::DuplicateKey {
                                path: path_of(prefix, &stack),
                                key: key.chars().take(60).collect(),
                            });
                        }
                    }
                    Frame::List { any, .. } => *any = true,
                    Frame::Object { .. } => {}
                }
                i = j + 1;
                continue;
            }
            b'{' | b'[' => {
                if stack.len() >= MAX_NESTING {
                    stack.truncate(32);
                    let mut path = path_of(prefix, &stack);
                    path.push('…');
                    return Err(Error::invalid(
                        path,
                        format!("nested more than {MAX_NESTING} levels deep"),
                    ));
                }
                let mut limit = None;
                let top_level = stack.len() == 1;
                match stack.last_mut() {
                    Some(Frame::List { any, .. }) => *any = true,
                    Some(Frame::Object { current, .. }) if top_level && c == b'[' => {
                        limit = current
                            .as_deref()
                            .and_then(|k| lists.iter().find(|l| l.key == k).copied());
                    }
                    _ => {}
                }
                stack.push(if c == b'{' {
                    Frame::Object {
                        keys: Keys::Few(Vec::new()),
                        current: None,
                        expect_key: true,
                    }
                } else {
                    Frame::List {
                        commas: 0,
                        any: false,
                        limit,
                    }
                });
            }
            b'}' | b']' => {
                if let Some(Frame::List {
                    commas,
                    any,
                    limit: Some(l),
                }) = stack.pop()
                {
                    let count = if any { commas + 1 } else { 0 };
                    if count > l.limit {
                        return Err(Error::TooMany {
                            path: path_of(prefix, &stack),
                            count,
                            limit: l.limit,
                        });
                    }
                }
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object {
                    current,
                    expect_key,
                    ..
                }) => {
                    *expect_key = true;
                    *current = None;
                }
                Some(Frame::List { commas, .. }) => *commas += 1,
                None => {}
            },
            b' ' | b'\n' | b'\r' | b'\t' | b':' => {}
            _ => {
                if let Some(Frame::List { any, .. }) = stack.last_mut() {
                    *any = true;
                }
            }
        }
        i += 1;
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dup(json: &str) -> Option<(String, String)> {
        match check(json, "", &[]) {
            Err(Error::DuplicateKey { path, key }) => Some((path, key)),
            _ => None,
        }
    }

    #[test]
    fn repeated_keys_are_found_at_any_depth_with_their_path() {
        assert_eq!(dup(r#"{"a":1,"b":2}"#), None);
        assert_eq!(dup(r#"{"a":1,"a":1}"#), Some(("a".into(), "a".into())));
        assert_eq!(
            dup(r#"{"contracts":[{"id":"x"},{"id":"y","profile":"a","profile":"b"}]}"#),
            Some(("contracts[1].profile".into(), "profile".into()))
        );
        // Escaped spellings are the same key; the same key in sibling objects is not a repeat.
        assert_eq!(
            dup(r#"{"id":1,"\u0069d":2}"#),
            Some(("id".into(), "id".into()))
        );
        assert_eq!(dup(r#"[{"a":1},{"a":1}]"#), None);
        assert_eq!(dup(r#"{"a":{"a":{"a":1}}}"#), None);
        // A value equal to a key is not a key; strings holding braces and quotes are skipped.
        assert_eq!(dup(r#"{"a":"a","b":"{\"a\":1,","c":["a","a"]}"#), None);
        // Many keys: the hash set takes over.
        let many: Vec<String> = (0..40).map(|i| format!("\"k{i}\":0")).collect();
        assert_eq!(dup(&format!("{{{}}}", many.join(","))), None);
        assert_eq!(
            dup(&format!("{{{},\"k7\":1}}", many.join(","))),
            Some(("k7".into(), "k7".into()))
        );
    }

    #[test]
    fn top_level_lists_are_counted_before_anything_is_built() {
        let l = [ListLimit {
            key: "events",
            limit: 3,
        }];
        assert!(check(r#"{"events":[1,2,3]}"#, "", &l).is_ok());
        assert!(check(r#"{"events":[]}"#, "", &l).is_ok());
        assert!(check(r#"{"x":{"events":[1,2,3,4]}}"#, "", &l).is_ok());
        match check(r#"{"events":[{},[],"a,b",4 ]}"#, "", &l) {
            Err(Error::TooMany { path, count, limit }) => {
                assert_eq!((path.as_str(), count, limit), ("events", 4, 3))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn values_are_bounded_by_the_size_of_the_text() {
        let ones = |n: usize| format!("[{}]", vec!["1"; n].join(","));
        // 10,000 free, then one per 8 bytes: 20,000 ones take 40,001 bytes, allowing 15,000.
        assert!(check(&ones(9_000), "", &[]).is_ok());
        let e = check(&ones(20_000), "", &[]).unwrap_err();
        assert!(e.to_string().contains("JSON values"), "{e}");
        // Long values are not dense: 20,000 strings of 10 characters pass.
        let words = format!("[{}]", vec!["\"abcdefghij\""; 20_000].join(","));
        assert!(check(&words, "", &[]).is_ok());
        // Keys count too (a key costs a string and a map entry); a number is one value however long.
        let obj = |n: usize, v: &str| {
            format!(
                "{{{}}}",
                (0..n)
                    .map(|i| format!("\"k{i:05}\":{v}"))
                    .collect::<Vec<_>>()
                    .join(",")
            )
        };
        assert!(check(&obj(12_000, "123456789012"), "", &[]).is_ok());
        assert!(check(&obj(30_000, "0"), "", &[]).is_err());
    }

    #[test]
    fn text_that_is_not_json_passes_to_serde_without_panicking() {
        for t in [
            "",
            "\"",
            "\"\\",
            "{\"a",
            "{\"a\\",
            "]]]}}}",
            "{\"a\":1,\"a",
            "[,,,]",
            "{{{{",
        ] {
            let _ = check(t, "", &[]);
        }
        let deep = "[".repeat(200_000);
        let e = check(&deep, "", &[]).unwrap_err();
        assert!(e.to_string().contains("levels deep"), "{e}");
    }
}
