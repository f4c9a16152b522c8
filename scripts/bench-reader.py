#!/usr/bin/env python3
"""Times the reader against less in tmux, side by side, on a 50 MB Arabic file.

  scripts/bench-reader.py [--size-mb 50] [--runs 3]

For each tool: the time from launch until the first screen shows text, and the time
from pressing G (end of document) until the screen changes. Then qari's peak memory
(Maximum resident set size from /usr/bin/time -v) after opening the file and jumping
to its end. Goals (issue 3): first screen within 4x of less; G within the larger of
5x less and 50 ms; peak memory at most 2x the file size plus 30 MB.
Needs tmux, less, GNU time (/usr/bin/time) and ../shared/corpus/seed-article.txt.
"""
import argparse, os, re, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED = os.path.join(ROOT, "..", "shared", "corpus", "seed-article.txt")
ARABIC = re.compile("[\u0600-\u06ff\ufb50-\ufdff\ufe70-\ufeff]")


def tmux(*args):
    return subprocess.run(["tmux", *args], capture_output=True, text=True).stdout


def capture(session):
    return tmux("capture-pane", "-p", "-t", session)


def wait(predicate, what, timeout=120.0):
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if predicate():
            return time.perf_counter() - start
        time.sleep(0.002)
    raise SystemExit(f"bench-reader: timed out waiting for {what}")


def measure(name, command):
    session = f"bench-{name}-{os.getpid()}"
    start = time.perf_counter()
    tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", session, command)
    wait(lambda: ARABIC.search(capture(session)) is not None, f"{name}'s first screen")
    first = time.perf_counter() - start
    time.sleep(0.3)
    before = capture(session)
    start = time.perf_counter()
    tmux("send-keys", "-t", session, "G")
    wait(lambda: capture(session) != before, f"{name} to react to G")
    end = time.perf_counter() - start
    tmux("send-keys", "-t", session, "q")
    time.sleep(0.3)
    tmux("kill-session", "-t", session)
    return first, end


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    qari = os.path.join(ROOT, "target", "release", "qari")
    seed = open(SEED, encoding="utf-8").read() + "\n"
    with tempfile.TemporaryDirectory() as work:
        big = os.path.join(work, "big.txt")
        with open(big, "w", encoding="utf-8") as f:
            target = args.size_mb * 1024 * 1024
            written = 0
            while written < target:
                f.write(seed)
                written += len(seed.encode())
        size = os.path.getsize(big)
        env = f"QARI_STATE_DIR={work} QARI_CONFIG_DIR={work} QARI_CACHE_DIR={work}"
        results = {}
        for name, command in [
            ("qari", f"{env} {qari} --from-start {big}"),
            ("less", f"LESSHISTFILE=- less {big}"),
        ]:
            runs = [measure(name, command) for _ in range(args.runs)]
            results[name] = (min(r[0] for r in runs), min(r[1] for r in runs))
        memfile = os.path.join(work, "time.txt")
        session = f"bench-mem-{os.getpid()}"
        tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", session,
             f"{env} /usr/bin/time -v -o {memfile} {qari} --from-start {big}")
        wait(lambda: ARABIC.search(capture(session)) is not None, "the first screen (memory run)")
        tmux("send-keys", "-t", session, "G")
        time.sleep(1.0)
        tmux("send-keys", "-t", session, "q")
        wait(lambda: os.path.exists(memfile) and "Maximum resident" in open(memfile).read(),
             "the peak memory figure", 30)
        tmux("kill-session", "-t", session)
        rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(memfile).read()).group(1))
    q, l = results["qari"], results["less"]
    mb = size / 1024 / 1024
    print(f"file: {mb:.1f} MB of Arabic text (seed article repeated), tmux 120x40, best of {args.runs}")
    print(f"first screen: qari {q[0]*1000:.0f} ms, less {l[0]*1000:.0f} ms, ratio {q[0]/l[0]:.2f} (goal <= 4)")
    goal = max(5 * l[1], 0.050)
    print(f"G to the end: qari {q[1]*1000:.0f} ms, less {l[1]*1000:.0f} ms (goal <= {goal*1000:.0f} ms)")
    print(f"peak memory: qari {rss_kb/1024:.1f} MB (goal <= {2*mb+30:.0f} MB)")


if __name__ == "__main__":
    sys.exit(main())
