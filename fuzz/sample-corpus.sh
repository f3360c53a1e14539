#!/usr/bin/env bash
# Replaces the sampled part of a committed corpus (fuzz/corpus/<target>/, files named by their
# SHA-1, as libFuzzer names them) with a seeded sample of a minimised working corpus, keeping the
# named files (seeds and regress-* inputs) as they are. RELIABILITY.md, "Fuzzing".
#
#   cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz cmin -O -s none <target> <working-corpus> -- -max_len=16384
#   ./sample-corpus.sh <target> <working-corpus>
set -euo pipefail
target=$1 src=$2 keep=${KEEP:-400} max_bytes=${MAX_BYTES:-4096}
dir=$(dirname "$0")/corpus/$target
sha1='.*/[0-9a-f]{40}'
named=$(find "$dir" -maxdepth 1 -regextype posix-extended -type f ! -regex "$sha1" | wc -l)
find "$dir" -maxdepth 1 -regextype posix-extended -type f -regex "$sha1" -delete
find "$src" -maxdepth 1 -type f -size -$((max_bytes + 1))c -printf '%f\n' | sort |
  shuf -n $((keep - named)) --random-source=<(yes roei-fuzz-corpus) |
  while read -r f; do cp "$src/$f" "$dir/$f"; done
echo "$target: $(find "$dir" -maxdepth 1 -type f | wc -l) files, $(cat "$dir"/* | wc -c) bytes"
