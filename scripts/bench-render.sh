#!/usr/bin/env bash
# Times `qari render --width 100` against `fribidi --width 100` on the seed article
# repeated to 10 MB, in the same run, and prints the ratio (goal: at most 0.67).
# Each tool runs 7 times, alternating; the best wall-clock time counts. Needs fribidi
# (Debian libfribidi-bin) and ../shared/corpus/seed-article.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
seed=../shared/corpus/seed-article.txt
command -v fribidi >/dev/null || { echo "bench-render: fribidi is not installed (apt-get install libfribidi-bin)" >&2; exit 1; }
[[ -f $seed ]] || { echo "bench-render: $seed is missing" >&2; exit 1; }
cargo build --release --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
big=$work/big.txt
while [[ $(stat -c %s "$big" 2>/dev/null || echo 0) -lt 10485760 ]]; do
  cat "$seed" >> "$big"; echo >> "$big"
done
# Alternate the two tools, 7 rounds, so that background load hits both alike; the
# best wall-clock time of each counts.
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
qari_ms=999999 fribidi_ms=999999
for _ in 1 2 3 4 5 6 7; do
  start=$(now_ms); ./target/release/qari render --width 100 "$big" > /dev/null; ms=$(( $(now_ms) - start ))
  (( ms < qari_ms )) && qari_ms=$ms
  start=$(now_ms); fribidi --width 100 "$big" > /dev/null; ms=$(( $(now_ms) - start ))
  (( ms < fribidi_ms )) && fribidi_ms=$ms
done
size=$(stat -c %s "$big")
echo "input: $size bytes (seed article repeated), $(nproc) cores"
echo "qari render --width 100: ${qari_ms} ms"
echo "fribidi --width 100:     ${fribidi_ms} ms"
awk -v q="$qari_ms" -v f="$fribidi_ms" 'BEGIN { printf "ratio qari/fribidi: %.2f (goal <= 0.67)\n", q / f }'
