#!/usr/bin/env bash
# Start-up cost of a large personal glossary: a generated glossary.tsv of LINES lines
# (default 1,000,000 random Arabic words, about 39 MB), then one `qari lookup` with only
# the personal glossary, three times; prints wall time and peak RSS of each run.
#
#   scripts/bench-personal-glossary.sh                 # target/release/qari
#   QARI_BIN=path/to/qari LINES=200000 scripts/bench-personal-glossary.sh
#
# Needs: python3, /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${QARI_BIN:-target/release/qari}
lines=${LINES:-1000000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/glossary.tsv" "$lines" <<'PY'
import random, sys
random.seed(1)
letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        w = "".join(random.choice(letters) for _ in range(random.randint(3, 7)))
        f.write(f"{w}\tgloss number {i}\tnote {i % 97}\n")
PY
for _ in 1 2 3; do
  QARI_DATA_DIR=$tmp QARI_CACHE_DIR=$tmp /usr/bin/time -f "%e s, %M KB peak" \
    "$bin" lookup --no-system-dicts --no-builtin كتاب >/dev/null
done
