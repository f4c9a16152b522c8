#!/bin/sh
# Share of the N most frequent Arabic word forms that the built-in lexicon (with the
# analyzer) finds, and the forms it does not find, most frequent first.
#
# Usage: scripts/lexicon-coverage.sh FREQUENCY_LIST N [QARI]
#   FREQUENCY_LIST  one form per line, most frequent first (a tab and more columns may
#                   follow); e.g. wordfreq's large_ar list, exported at development time
#                   (it is never committed)
#   N               how many forms from the top to look up (10000, 40000 ...)
#   QARI            the binary (default ./target/release/qari)
# The missing forms are written to $TMPDIR/lexicon-missing-N.txt (a derivative of the list:
# keep it out of the repository).
set -eu
list=$1
n=$2
qari=${3:-./target/release/qari}
out=${TMPDIR:-/tmp}/lexicon-missing-$n.txt
[ -r "$list" ] || { echo "cannot read the frequency list $list" >&2; exit 2; }
head -n "$n" "$list" | cut -f1 |
  "$qari" lookup --json --no-system-dicts --no-personal - |
  python3 -c '
import json, sys
n, path = sys.argv[1], sys.argv[2]
total = 0
missing = []
for line in sys.stdin:
    entry = json.loads(line)
    total += 1
    if not entry["entries"]:
        missing.append(entry["word"])
with open(path, "w", encoding="utf-8") as out:
    out.write("".join(w + "\n" for w in missing))
found = total - len(missing)
print(f"top {n}: {found}/{total} = {100 * found / total:.1f}% of the forms have a built-in entry; "
      f"{len(missing)} missing ({path})")
' "$n" "$out"
