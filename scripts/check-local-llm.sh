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

# ---------------------------------------------------------------------------------------
# READER CHECK (added by the coordinator after the merge): drive the reader in tmux against
# the same server (tmux -L qari-llm-check), press the translate and explain keys on the
# article, and check that English shows in the panel for each. Fail with `fail "..."`.
# ---------------------------------------------------------------------------------------

echo "check-local-llm: ok"
