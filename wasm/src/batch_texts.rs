//! How `roei/fast`'s `checkManyStates` takes its texts from JS (feature `batch-texts`, which only
//! scripts/build-wasm.sh's `roei_fast` build turns on): many texts encoded by one JS call
//! (`batch_texts.js`) into one buffer in WASM memory, instead of one text per call.
//!
//! Why: each text handed over by wasm-bindgen's string conversion costs several calls between JS and
//! WASM (the array's element, its type, its length, the copy, two allocations); in a batch of
//! 12-event records that was several per cent of the time (BENCHMARKS.md, issue 17 target 1,
//! session 7). The text arrives the same either way: `TextEncoder.encodeInto`, which is also what
//! wasm-bindgen uses, writes valid UTF-8 (a lone surrogate becomes U+FFFD in both).
//!
//! An entry the JS side does not copy (not a string, longer than the record limit, or too long for
//! the buffer) is read by [`record_text`] as before, which says what is wrong with it. Without the
//! feature every entry is read by [`record_text`].
use js_sys::Array;
use roei_core::Error;
use roei_wasm_bridge::record_text;
use wasm_bindgen::prelude::*;

use crate::record_arena;

#[cfg(feature = "batch-texts")]
#[wasm_bindgen(module = "/src/batch_texts.js")]
extern "C" {
    /// Copies texts from `from` on into `[ptr, ptr + cap)`, their byte counts into `lens`.
    #[wasm_bindgen(js_name = roeiEncodeTexts)]
    fn roei_encode_texts(
        memory: &JsValue,
        texts: &Array,
        from: u32,
        ptr: *mut u8,
        cap: usize,
        lens: *mut u32,
        max: usize,
        limit: usize,
    ) -> u32;
}

/// The buffer's size: a text up to a third of it (UTF-8 takes at most 3 bytes per UTF-16 unit) is
/// copied this way; about 500 of the benchmark's 1.9 KB records fill it.
#[cfg(feature = "batch-texts")]
const BUFFER_BYTES: usize = 256 << 10;

/// The most texts one JS call copies.
#[cfg(feature = "batch-texts")]
const TEXTS_PER_CALL: usize = 256;

/// Calls `each` with the text of every entry of `records` in order (or why it has none), each call
/// inside [`record_arena::per_record`].
pub fn each_record_text(records: &Array, mut each: impl FnMut(Result<&str, Error>)) {
    #[cfg(feature = "batch-texts")]
    {
        let limit = roei_core::Limits::default().max_bytes;
        let memory = wasm_bindgen::memory();
        let mut buffer = vec![0u8; BUFFER_BYTES];
        let mut lens = vec![0u32; TEXTS_PER_CALL];
        let (count, mut next) = (records.length(), 0u32);
        while next < count {
            let copied = roei_encode_texts(
                &memory,
                records,
                next,
                buffer.as_mut_ptr(),
                buffer.len(),
                lens.as_mut_ptr(),
                lens.len(),
                limit,
            ) as usize;
            let mut at = 0;
            for &n in &lens[..copied.min(lens.len())] {
                let bytes = buffer.get(at..at + n as usize).unwrap_or_default();
                at += n as usize;
                record_arena::per_record(|| match std::str::from_utf8(bytes) {
                    Ok(text) if text.len() > limit => each(Err(Error::TooLarge {
                        path: String::new(),
                        size: text.len(),
                        limit,
                    })),
                    Ok(text) => each(Ok(text)),
                    // TextEncoder writes only valid UTF-8; read the entry again if it did not.
                    Err(_) => read_entry(&records.get(next), &mut each),
                });
                next += 1;
            }
            if copied == 0 {
                // An entry the JS side left: read as any other input.
                let v = records.get(next);
                record_arena::per_record(|| read_entry(&v, &mut each));
                next += 1;
            }
        }
    }
    #[cfg(not(feature = "batch-texts"))]
    for v in records.iter() {
        record_arena::per_record(|| read_entry(&v, &mut each));
    }
}

/// Calls `each` with the text of one entry read by [`record_text`] (or why it has none).
#[inline(always)]
fn read_entry(v: &JsValue, each: &mut impl FnMut(Result<&str, Error>)) {
    match record_text(v) {
        Ok(text) => each(Ok(&text)),
        Err(e) => each(Err(e)),
    }
}
