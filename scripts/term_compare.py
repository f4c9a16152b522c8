#!/usr/bin/env python3
"""Compares a terminal's picture of qari with xterm's, row by row.

    term_compare.py REFERENCE.png OTHER.png [--cols 110] [--rows 30] [--min 0.6]

Both pictures are scaled to the same grid (ImageMagick's `convert`), each text row is
turned into a horizontal ink profile (how much is drawn in each slice of the row), and
the profiles of the two pictures are correlated. A row drawn backwards, or with every
word reversed, puts its ink elsewhere and scores low; fonts and cell sizes that differ
a little between terminals still score high. Prints one line per row and exits 1 when
an inked row scores below --min (2 on a usage error).
"""

import argparse
import subprocess
import sys

SLICES = 4  # profile points per cell
LINES = 8  # pixel lines per row after scaling
BLUR = int(__import__("os").environ.get("TERM_COMPARE_BLUR", "2"))  # slices either way


def gray_grid(path, cols, rows):
    width, height = cols * SLICES, rows * LINES
    out = subprocess.run(
        ["convert", path, "-colorspace", "Gray", "-resize", f"{width}x{height}!",
         "-compress", "none", "pgm:-"],
        check=True, capture_output=True).stdout.decode().split()
    if out[0] != "P2":
        raise SystemExit(f"term_compare: convert gave no plain PGM for {path}")
    w, h, maxval = int(out[1]), int(out[2]), int(out[3])
    values = list(map(int, out[4:4 + w * h]))
    pixels = [values[y * w:(y + 1) * w] for y in range(h)]
    # The background is the most common value; ink is whatever differs from it.
    counts = {}
    for v in values:
        counts[v // 8] = counts.get(v // 8, 0) + 1
    background = max(counts, key=counts.get) * 8 + 4
    # Ink or not: faint strokes (a grey border on white) count as nothing, so that
    # terminals with other default colours still compare.
    return [[1.0 if abs(v - background) > 0.25 * maxval else 0.0 for v in row]
            for row in pixels]


def profiles(grid, rows, dy=0):
    """Each row as its pixels, line after line: where the ink is, across and up.
    `dy` moves every row down by that many pixel lines (up when negative)."""
    blank = [0.0] * len(grid[0])
    result = []
    for r in range(rows):
        lines = [grid[y] if 0 <= y < len(grid) else blank
                 for y in range(r * LINES + dy, (r + 1) * LINES + dy)]
        result.append([v for line in lines for v in line])
    return result


def shifted(profile, dx):
    """The profile moved right by `dx` slices, line by line."""
    width = len(profile) // LINES
    out = []
    for line in range(LINES):
        row = profile[line * width:(line + 1) * width]
        out.extend(([0.0] * dx + row[:width - dx]) if dx >= 0 else (row[-dx:] + [0.0] * -dx))
    return out


def correlation(a, b):
    n = len(a)
    ma, mb = sum(a) / n, sum(b) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    va = sum((x - ma) ** 2 for x in a)
    vb = sum((y - mb) ** 2 for y in b)
    if va == 0 or vb == 0:
        return None
    return cov / (va * vb) ** 0.5


def smooth(profile, k=BLUR):
    # A little either way, so that glyphs of slightly different widths still overlap.
    return [sum(profile[max(0, i - k):i + k + 1]) for i in range(len(profile))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reference")
    parser.add_argument("other")
    parser.add_argument("--cols", type=int, default=110)
    parser.add_argument("--rows", type=int, default=30)
    parser.add_argument("--min", type=float, default=0.75)
    parser.add_argument("--skip-last", action="store_true",
                        help="leave out the last row (the status bar, whose colours differ)")
    args = parser.parse_args()
    ref = profiles(gray_grid(args.reference, args.cols, args.rows), args.rows)
    other_grid = gray_grid(args.other, args.cols, args.rows)
    # Terminals differ by a pixel line or two in where they put a row, and by part of a
    # cell in where a line starts: each row is compared at the best of small shifts.
    others = {dy: profiles(other_grid, args.rows, dy) for dy in (-2, -1, 0, 1, 2)}
    other = others[0]
    failed = []
    inks = sorted(sum(p) for p in ref)
    median = inks[len(inks) // 2] or 1.0
    pairs = list(zip(ref, other))
    if args.skip_last:
        pairs = pairs[:-1]
    for r, (a, b) in enumerate(pairs):
        ink_a, ink_b = sum(a), sum(b)
        # Rows with next to no ink (blank rows, a neighbour's marks reaching in) are not
        # compared; a row that is blank in one picture only is a difference.
        low_a, low_b = ink_a < 0.3 * median, ink_b < 0.3 * median
        if low_a and low_b:
            print(f"row {r:2}: empty")
            continue
        if (low_a and ink_b > 0.6 * median) or (low_b and ink_a > 0.6 * median):
            print(f"row {r:2}: blank in one picture only DIFFERENT")
            failed.append(r)
            continue
        if low_a or low_b:
            print(f"row {r:2}: next to empty")
            continue
        sa = smooth(a)
        scores = [correlation(sa, smooth(shifted(others[dy][r], dx)))
                  for dy in others for dx in (-2, -1, 0, 1, 2)]
        scores = [x for x in scores if x is not None]
        score = max(scores) if scores else None
        verdict = "ok" if score is not None and score >= args.min else "DIFFERENT"
        if verdict != "ok":
            failed.append(r)
        shown = "n/a" if score is None else f"{score:.2f}"
        print(f"row {r:2}: {shown:>5} {verdict}")
    if failed:
        print(f"{args.other}: {len(failed)} row(s) differ from {args.reference}: {failed}")
        return 1
    print(f"{args.other}: every row matches {args.reference}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
