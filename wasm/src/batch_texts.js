// roei/fast's batch texts (wasm/src/batch_texts.rs): copies texts[from], texts[from + 1], … into the
// WASM memory at [ptr, ptr + cap) as UTF-8, one after another, and writes each one's byte count to
// the u32s at lens (at most max of them). It stops before an entry that is not a string or is longer
// than limit UTF-16 units (Rust reads that one itself and says what is wrong with it), or that might
// not fit (3 bytes of UTF-8 for each UTF-16 unit). Returns how many it copied.
// scripts/build-wasm.sh puts this function into the package's glue.
export function roeiEncodeTexts(memory, texts, from, ptr, cap, lens, max, limit) {
  const bytes = new Uint8Array(memory.buffer, ptr, cap);
  const counts = new Uint32Array(memory.buffer, lens, max);
  let at = 0, k = 0;
  for (let i = from; k < max && i < texts.length; i++, k++) {
    const t = texts[i];
    if (typeof t !== "string" || t.length > limit || cap - at < t.length * 3) break;
    const n = roeiTextEncoder.encodeInto(t, bytes.subarray(at)).written;
    counts[k] = n;
    at += n;
  }
  return k;
}

const roeiTextEncoder = new TextEncoder();
