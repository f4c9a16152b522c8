#!/usr/bin/env bash
# End to end against a real model (opt-in, not in CI): starts ../shared/tools/llm-server
# (llama.cpp's llama-server with a small base model, OpenAI-compatible, on 127.0.0.1),
# building it first if needed (about 30 min on 2 cores, once), runs `qari translate` on a
# few Arabic paragraphs with few-shot examples in the config, checks that English comes
# back for each, stops the server, and exits non-zero on any failure.
#
#   scripts/check-local-llm.sh                 # builds target/release/qari first
#   QARI_BIN=target/debug/qari LLM_PORT=8090 scripts/check-local-llm.sh
set -euo pipefail
cd "$(dirname "$0")/.."
LLM_SERVER=${LLM_SERVER:-../shared/tools/llm-server}
PORT=${LLM_PORT:-8089}
QARI_BIN=${QARI_BIN:-target/release/qari}
if [[ "$QARI_BIN" == target/release/qari ]]; then
  cargo build --release --quiet
fi
tmp=$(mktemp -d)
started=""
cleanup() {
  if [[ -n "$started" ]]; then "$LLM_SERVER" stop >/dev/null 2>&1 || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

fail() { echo "check-local-llm: FAIL: $*" >&2; exit 1; }

if ! "$LLM_SERVER" status >/dev/null 2>&1; then
  "$LLM_SERVER" build
  "$LLM_SERVER" start --port "$PORT"
  started=yes
fi

# A base model translates only after examples; the server renders each user turn as
# "Arabic: <text>\nEnglish:" and stops at the line end.
mkdir -p "$tmp/config" "$tmp/cache"
cat > "$tmp/config/config.toml" <<TOML
[translate]
provider = "openai"
url = "http://127.0.0.1:$PORT/v1"
model = "gemma-3-270m"
timeout = 120
stop = ["\n"]

[translate.prompts]
system = "Translate Arabic into English."
translate = "{text}"

[[translate.examples]]
source = "ذهب الولد إلى المدرسة."
translation = "The boy went to school."

[[translate.examples]]
source = "الطقس جميل اليوم."
translation = "The weather is nice today."

[[translate.examples]]
source = "أحب القراءة في المساء."
translation = "I like reading in the evening."
TOML
chmod 600 "$tmp/config/config.toml"

cat > "$tmp/article.txt" <<'TXT'
قرأت البنت كتابا جديدا.

يعمل أبي في المستشفى.

نشرب الشاي مع أصدقائنا كل يوم.
TXT

run() {
  QARI_CONFIG_DIR="$tmp/config" QARI_CACHE_DIR="$tmp/cache" QARI_STATE_DIR="$tmp/state" \
    "$QARI_BIN" translate --json "$@" "$tmp/article.txt"
}

out=$(run --no-cache) || fail "qari translate failed"
echo "$out"
python3 - "$out" <<'PY' || fail "no English came back for every paragraph"
import json, re, sys
lines = [json.loads(l) for l in sys.argv[1].splitlines() if l.strip()]
assert len(lines) == 3, f"{len(lines)} paragraphs translated, not 3"
for item in lines:
    t = item["translation"]
    words = re.findall(r"[A-Za-z]+", t)
    assert len(words) >= 2, f"not English: {t!r}"
    assert not re.search(r"[\u0600-\u06ff]", t), f"Arabic left in: {t!r}"
PY

# The reader, driven in tmux against the same server: T translates the sentence under the
# cursor into the panel, X explains the word under the cursor in its sentence. Each must
# bring an English answer into the panel's machine section.
cat >> "$tmp/config/config.toml" <<'TOML'

[[translate.explain_examples]]
word = "كتابا"
sentence = "قرأت البنت كتابا جديدا."
answer = "here: a book; dictionary form كتاب (book); root k-t-b"

[[translate.explain_examples]]
word = "يعمل"
sentence = "يعمل أبي في المستشفى."
answer = "here: he works; dictionary form عمل (to work); root 3-m-l"
TOML
python3 - "$tmp/config/config.toml" <<'PY'
import sys
p = sys.argv[1]
s = open(p).read()
# One line per question, as the base model's template expects.
s = s.replace('translate = "{text}"', 'translate = "{text}"\nexplain_system = "Explain an Arabic word in its sentence."\nexplain = "{word} in: {text}"')
open(p, "w").write(s)
PY
command -v tmux >/dev/null || fail "tmux is needed for the reader check"
sock="qari-llm-check-$$"
tmux -L "$sock" new-session -d -x 140 -y 40 \
  "env QARI_CONFIG_DIR=$tmp/config QARI_CACHE_DIR=$tmp/cache QARI_STATE_DIR=$tmp/state $PWD/$QARI_BIN $tmp/article.txt"
cleanup_tmux() { tmux -L "$sock" kill-server >/dev/null 2>&1 || true; }
trap 'cleanup_tmux; cleanup' EXIT
sleep 2

# Waits up to 120 s until the panel's machine section (under its "machine …" heading) has
# finished (no spinner) and holds at least two English words of the model's answer.
machine_answer() {
  local what="$1"
  for _ in $(seq 1 120); do
    sleep 1
    now=$(tmux -L "$sock" capture-pane -p)
    if answer=$(python3 - "$now" <<'PY'
import re, sys
screen = sys.argv[1]
if re.search(r"receiving…|asking…|waiting…", screen):
    sys.exit(1)
panel = []
for line in screen.splitlines():
    cells = line.split("│")
    if len(cells) >= 3:
        panel.append(cells[-2].strip())
try:
    start = next(i for i, l in enumerate(panel) if l.startswith("── machine"))
except StopIteration:
    sys.exit(1)
body = []
for line in panel[start + 1:]:
    if line.startswith("──") or line.startswith("(machine output"):
        break
    if line in ("compatible", ""):
        continue
    body.append(line)
text = " ".join(body)
if len(re.findall(r"[A-Za-z]{2,}", text)) >= 2 and not re.search(r"failed|error|T tries again", text):
    print(text)
    sys.exit(0)
sys.exit(1)
PY
    ); then echo "check-local-llm: $what: $answer"; return 0; fi
  done
  echo "$now" >&2
  fail "no English answer in the reader's panel after $what"
}

tmux -L "$sock" send-keys T
machine_answer "T (translate the sentence)"
tmux -L "$sock" send-keys X
machine_answer "X (explain the word)"
tmux -L "$sock" send-keys q

echo "check-local-llm: ok"
