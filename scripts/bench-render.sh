#!/usr/bin/env bash
# Times `qari render --width 100` against `fribidi --width 100` on the seed article
# repeated to 10 MB, in the same run, and prints the ratio (goal: at most 0.5 on two
# cores). Each tool runs 7 times, alternating; the best wall-clock time counts. Then,
# unless QARI_BENCH_NO_CALLGRIND=1, counts both tools' instructions on 1 MB of the same
# text with callgrind (all of qari's threads counted; goal: at most 0.5). Needs fribidi
# (Debian libfribidi-bin), valgrind and ../shared/corpus/seed-article.txt.
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
awk -v q="$qari_ms" -v f="$fribidi_ms" 'BEGIN { printf "wall ratio qari/fribidi: %.2f (goal <= 0.5)\n", q / f }'

[[ ${QARI_BENCH_NO_CALLGRIND:-0} == 1 ]] && exit 0
command -v valgrind >/dev/null || { echo "bench-render: valgrind is not installed; no instruction counts" >&2; exit 0; }
small=$work/small.txt
head -c 1048576 "$big" > "$small"
instructions() {
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$@" > /dev/null 2> "$work/cg.err"
  sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$work/cg.err"
}
qari_ir=$(instructions ./target/release/qari render --width 100 "$small")
fribidi_ir=$(instructions fribidi --width 100 "$small")
echo "instructions on 1 MB: qari $qari_ir, fribidi $fribidi_ir"
awk -v q="$qari_ir" -v f="$fribidi_ir" 'BEGIN { printf "instruction ratio qari/fribidi: %.2f (goal <= 0.5)\n", q / f }'
