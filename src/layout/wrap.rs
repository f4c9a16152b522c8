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
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line_start = 0;
    let mut used = 0u32;
    let mut segment_start = 0;
    while segment_start < units.len() {
        // The segment up to the next break opportunity, its width and the width of the
        // whitespace it ends with, in one walk.
        let mut total = 0u32;
        let mut trailing_blank = 0u32;
        let mut segment_end = segment_start;
        loop {
            let unit = &units[segment_end];
            let w = u32::from(unit.width());
            total += w;
            trailing_blank = if unit.blank() { trailing_blank + w } else { 0 };
            segment_end += 1;
            if segment_end == units.len() || units[segment_end].break_before() != Break::Never {
                break;
            }
        }
        let segment = &units[segment_start..segment_end];
        let ink = total - trailing_blank;

        if line_start < segment_start && used.saturating_add(ink) > width {
            lines.push(line_start..segment_start);
            line_start = segment_start;
            used = 0;
        }
        if ink > width {
            // The word alone is wider than the line: split it between cells.
            for (i, unit) in segment.iter().enumerate() {
                let at = segment_start + i;
                let w = u32::from(unit.width());
                if !unit.blank() && line_start < at && used.saturating_add(w) > width {
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
            .is_some_and(|u| u.break_before() == Break::Mandatory)
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

    #[test]
    fn width_one_and_empty() {
        assert_eq!(render("ab c", 1), "a/b /c");
        assert_eq!(wrap::<WrapUnit>(&[], 5), vec![0..0]);
    }
}
