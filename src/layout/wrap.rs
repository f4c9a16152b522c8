//! Stage 2 of the text pipeline: breaking a paragraph into lines, in logical order.
//!
//! Break opportunities come from UAX #14 (the unicode-linebreak crate) and widths are
//! those of the shaped cells, so a Lam-Alef ligature counts one column. Lines are
//! filled greedily. A word is split only when it alone is wider than the line.
//! Whitespace at the end of a line hangs: it does not count against the width.

use std::ops::Range;

/// What the wrapper needs to know about one cell-to-be, in logical order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WrapUnit {
    /// Columns it takes.
    pub width: u16,
    /// Whitespace, which may hang past the end of a line.
    pub blank: bool,
    /// Whether a line may, or must, start at this unit.
    pub break_before: Break,
}

/// What [`wrap`] reads of a unit: [`WrapUnit`], or a cell of another pass.
pub trait WrapItem {
    /// Columns it takes.
    fn width(&self) -> u16;
    /// Whitespace, which may hang past the end of a line.
    fn blank(&self) -> bool;
    /// Whether a line may, or must, start at this unit.
    fn break_before(&self) -> Break;
    /// Whether a line may or must start at this unit: the one question the wrapper
    /// asks of most units.
    #[inline]
    fn breaks_before(&self) -> bool {
        self.break_before() != Break::Never
    }
}

impl WrapItem for WrapUnit {
    #[inline]
    fn width(&self) -> u16 {
        self.width
    }
    #[inline]
    fn blank(&self) -> bool {
        self.blank
    }
    #[inline]
    fn break_before(&self) -> Break {
        self.break_before
    }
}

/// A break opportunity before a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Break {
    /// The unit continues the line.
    #[default]
    Never,
    /// A line may start here.
    Allowed,
    /// A line must start here (a line separator came before).
    Mandatory,
}

/// Splits `units` into lines of at most `width` columns, not counting hanging
/// whitespace (`u32::MAX`: lines end only at mandatory breaks). Returns the range of
/// units on each line; an empty paragraph has one empty line. A single unit wider than
/// the line gets a line of its own.
pub fn wrap<U: WrapItem>(units: &[U], width: u32) -> Vec<Range<usize>> {
    lines(units, width).map(|line| line.units).collect()
}

/// A line of [`lines`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// Its units.
    pub units: Range<usize>,
    /// The columns they take, hanging whitespace included.
    pub width: u64,
}

/// The lines of [`wrap`] one at a time, with their widths, without allocating.
pub fn lines<U: WrapItem>(units: &[U], width: u32) -> Lines<'_, U> {
    Lines {
        units,
        cursor: LineCursor::new(width),
    }
}

/// The iterator of [`lines`].
pub struct Lines<'a, U> {
    units: &'a [U],
    cursor: LineCursor,
}

impl<U: WrapItem> Iterator for Lines<'_, U> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        self.cursor.next_line(self.units)
    }
}

/// Where [`lines`] is in a paragraph, for a caller that cannot lend the units for the
/// whole walk: the render pass, which writes each line as it comes from buffers that
/// hold the units too.
#[derive(Debug, Clone)]
pub struct LineCursor {
    width: u64,
    /// Where the next line starts.
    start: usize,
    /// The line that ends the paragraph has been given.
    done: bool,
}

impl LineCursor {
    /// At the start of a paragraph, for lines of `width` columns.
    pub fn new(width: u32) -> Self {
        Self {
            width: u64::from(width.max(1)),
            start: 0,
            done: false,
        }
    }

    /// The next line of `units`, which must be the same units at every call.
    #[inline]
    pub fn next_line<U: WrapItem>(&mut self, units: &[U]) -> Option<Line> {
        if self.done {
            return None;
        }
        let start = self.start;
        let (end, width) = self.line_end(units, start);
        self.start = end;
        self.done = end >= units.len();
        Some(Line {
            units: start..end,
            width,
        })
    }

    /// Where the line that starts at `start` ends, and its width.
    ///
    /// Greedy filling: a line ends at a mandatory break; at a break opportunity once
    /// the units before it are already wider than the line (whitespace that hung); or,
    /// when a unit that is not whitespace goes past the width, at the last break
    /// opportunity before it, and when there is none (one word wider than the line)
    /// just before that unit. A unit wider than the line alone stays on the line it
    /// starts. This is the word-by-word rule of filling (a word goes on the line when
    /// its ink fits: its units up to the last that is not whitespace) said unit by
    /// unit: the ink of a word passes the width exactly when one of its units that is
    /// not whitespace does.
    ///
    /// The units are read a word at a time, asking each only whether a break comes
    /// before it and adding its width; only the word that goes past the width is read
    /// again, unit by unit, to find the unit that does.
    #[inline]
    fn line_end<U: WrapItem>(&self, units: &[U], start: usize) -> (usize, u64) {
        let Some(first) = units.get(start) else {
            return (start, 0);
        };
        let width = self.width;
        // No break is read before the unit that starts the line.
        let mut used = u64::from(first.width());
        let mut last_break = start;
        let mut used_at_break = 0;
        let mut i = start + 1;
        loop {
            // The rest of the word: the units up to the next break opportunity.
            let word = i;
            let used_before = used;
            while let Some(unit) = units.get(i) {
                if unit.breaks_before() {
                    break;
                }
                used += u64::from(unit.width());
                i += 1;
            }
            if used > width {
                let mut used = used_before;
                for (at, unit) in (word..i).zip(&units[word..i]) {
                    let w = u64::from(unit.width());
                    used += w;
                    if used > width && !unit.blank() {
                        return if last_break > start {
                            (last_break, used_at_break)
                        } else {
                            (at, used - w)
                        };
                    }
                }
                // Only whitespace went past the width: it hangs.
            }
            let Some(unit) = units.get(i) else {
                return (i, used);
            };
            // A break opportunity before `unit`.
            if used > width || unit.break_before() == Break::Mandatory {
                return (i, used);
            }
            last_break = i;
            used_at_break = used;
            used += u64::from(unit.width());
            if used > width && !unit.blank() {
                return (i, used_at_break);
            }
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Units from a string: one per char; a space is blank; a break is allowed after
    /// each space, and `|` marks a mandatory break (and takes no column).
    fn units(s: &str) -> Vec<WrapUnit> {
        let mut out: Vec<WrapUnit> = Vec::new();
        let mut pending = Break::Never;
        for c in s.chars() {
            if c == '|' {
                pending = Break::Mandatory;
                continue;
            }
            let after_space = out.last().is_some_and(|u| u.blank);
            let break_before = match pending {
                Break::Mandatory => Break::Mandatory,
                _ if after_space && c != ' ' => Break::Allowed,
                _ => Break::Never,
            };
            pending = Break::Never;
            out.push(WrapUnit {
                width: 1,
                blank: c == ' ',
                break_before,
            });
        }
        out
    }

    /// Wraps and renders the lines as strings joined by `/`.
    fn render(s: &str, width: u32) -> String {
        let chars: Vec<char> = s.chars().filter(|&c| c != '|').collect();
        wrap(&units(s), width)
            .into_iter()
            .map(|r| chars[r].iter().collect::<String>())
            .collect::<Vec<_>>()
            .join("/")
    }

    #[test]
    fn fills_greedily() {
        assert_eq!(render("aa bb cc dd", 5), "aa bb /cc dd");
    }

    #[test]
    fn trailing_space_hangs() {
        assert_eq!(render("aaa bbb", 3), "aaa /bbb");
    }

    #[test]
    fn long_word_is_split_only_when_alone_too_wide() {
        assert_eq!(render("a bbbbbbb c", 3), "a /bbb/bbb/b c");
    }

    #[test]
    fn mandatory_break() {
        assert_eq!(render("aa |bb", 10), "aa /bb");
    }

    /// The wrapper as it was written first, a word (segment) at a time: the reference
    /// that [`lines`] must agree with.
    fn reference_wrap(units: &[WrapUnit], width: u32) -> Vec<Range<usize>> {
        let width = width.max(1);
        let mut lines = Vec::new();
        let mut line_start = 0;
        let mut used = 0u32;
        let mut segment_start = 0;
        while segment_start < units.len() {
            let mut total = 0u32;
            let mut trailing_blank = 0u32;
            let mut segment_end = segment_start;
            loop {
                let unit = &units[segment_end];
                let w = u32::from(unit.width);
                total += w;
                trailing_blank = if unit.blank { trailing_blank + w } else { 0 };
                segment_end += 1;
                if segment_end == units.len() || units[segment_end].break_before != Break::Never {
                    break;
                }
            }
            let ink = total - trailing_blank;
            if line_start < segment_start && used.saturating_add(ink) > width {
                lines.push(line_start..segment_start);
                line_start = segment_start;
                used = 0;
            }
            if ink > width {
                for (at, unit) in units
                    .iter()
                    .enumerate()
                    .take(segment_end)
                    .skip(segment_start)
                {
                    let w = u32::from(unit.width);
                    if !unit.blank && line_start < at && used.saturating_add(w) > width {
                        lines.push(line_start..at);
                        line_start = at;
                        used = 0;
                    }
                    used = used.saturating_add(w);
                }
            } else {
                used = used.saturating_add(total);
            }
            if units
                .get(segment_end)
                .is_some_and(|u| u.break_before == Break::Mandatory)
            {
                lines.push(line_start..segment_end);
                line_start = segment_end;
                used = 0;
            }
            segment_start = segment_end;
        }
        if line_start < units.len() || lines.is_empty() {
            lines.push(line_start..units.len());
        }
        lines
    }

    #[test]
    fn lines_agree_with_the_word_by_word_wrapper_and_give_their_widths() {
        let mut rng = crate::layout::test_rng::Lcg(7);
        let mut next = |n: u64| rng.below(n);
        let mut split = 0;
        for round in 0..40_000 {
            let len = next(30) as usize;
            let units: Vec<WrapUnit> = (0..len)
                .map(|_| WrapUnit {
                    // Mostly one column, some wide, some empty.
                    width: [1, 1, 1, 2, 0, 3][next(6) as usize],
                    blank: next(4) == 0,
                    break_before: match next(10) {
                        0..=2 => Break::Allowed,
                        3 => Break::Mandatory,
                        _ => Break::Never,
                    },
                })
                .collect();
            let width = if round % 50 == 0 {
                u32::MAX
            } else {
                next(12) as u32
            };
            let expected = reference_wrap(&units, width);
            let got: Vec<Line> = lines(&units, width).collect();
            let ranges: Vec<Range<usize>> = got.iter().map(|l| l.units.clone()).collect();
            assert_eq!(ranges, expected, "{units:?} at {width}");
            for line in &got {
                let sum: u64 = units[line.units.clone()]
                    .iter()
                    .map(|u| u64::from(u.width))
                    .sum();
                assert_eq!(line.width, sum, "{units:?} at {width}");
                split += usize::from(sum > u64::from(width.max(1)));
            }
        }
        // Lines wider than the width (hanging whitespace, split words) were covered.
        assert!(split > 1000, "{split}");
    }

    #[test]
    fn width_one_and_empty() {
        assert_eq!(render("ab c", 1), "a/b /c");
        assert_eq!(wrap::<WrapUnit>(&[], 5), vec![0..0]);
    }
}
