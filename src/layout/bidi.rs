//! Stage 3 of the text pipeline: the Unicode Bidirectional Algorithm (UAX #9).
//!
//! Levels are resolved once per paragraph (rules P2–I2, by the unicode-bidi crate).
//! Each wrapped line is then reordered on its own by this module: L1 resets trailing
//! whitespace, isolate controls and separators to the paragraph level, and L2 reverses
//! runs from the highest level down to the lowest odd one. L3 (marks after their base)
//! holds because a mark always travels inside its base's cell, and L4 (mirroring) is
//! applied by the emitter to characters at odd levels.

use unicode_bidi::{BidiClass, Level, ParagraphBidiInfo};

/// How the base direction of a paragraph is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum BaseDirection {
    /// From the first strong character (rules P2 and P3); left-to-right when there is none.
    #[default]
    Auto,
    /// Right-to-left, whatever the text says.
    Rtl,
    /// Left-to-right, whatever the text says.
    Ltr,
}

/// Resolved levels of one paragraph, one entry per byte of the text.
pub struct ParagraphLevels {
    /// The embedding level of the character that starts at each byte.
    pub levels: Vec<u8>,
    /// The original bidi class of the character that starts at each byte.
    pub classes: Vec<BidiClass>,
    /// The paragraph embedding level (0 or 1).
    pub paragraph_level: u8,
}

impl ParagraphLevels {
    /// Resolves the levels of `text`, which must be one paragraph.
    pub fn resolve(text: &str, base: BaseDirection) -> Self {
        let default = match base {
            BaseDirection::Auto => None,
            BaseDirection::Rtl => Some(Level::rtl()),
            BaseDirection::Ltr => Some(Level::ltr()),
        };
        if base != BaseDirection::Rtl && is_surely_ltr(text) {
            return Self {
                levels: vec![0; text.len()],
                classes: Vec::new(),
                paragraph_level: 0,
            };
        }
        let info = ParagraphBidiInfo::new(text, default);
        Self {
            levels: info.levels.iter().map(|l| l.number()).collect(),
            classes: info.original_classes,
            paragraph_level: info.paragraph_level.number(),
        }
    }

    /// The original class at byte `i`. Text that took the all-LTR fast path reports `L`,
    /// which is enough for L1: none of it is reordered.
    pub fn class(&self, i: usize) -> BidiClass {
        self.classes.get(i).copied().unwrap_or(BidiClass::L)
    }
}

/// True when no character of `text` can start a right-to-left run: every character is
/// below U+0590 (Hebrew) and none is a bidi control. Scanning bytes is enough: all
/// code points from U+0590 on have a lead byte of 0xD6 or more.
fn is_surely_ltr(text: &str) -> bool {
    text.bytes().all(|b| b < 0xD6)
}

/// True for classes that L1 resets to the paragraph level at the end of a line.
pub fn is_trailing_resettable(class: BidiClass) -> bool {
    use BidiClass::*;
    matches!(
        class,
        WS | FSI | LRI | RLI | PDI | BN | LRE | RLE | LRO | RLO | PDF
    )
}

/// Rule L1 for one line: `levels` and `classes` are per unit of the line, in logical order.
pub fn reset_trailing_levels(levels: &mut [u8], classes: &[BidiClass], paragraph_level: u8) {
    let mut trailing = true;
    for i in (0..levels.len()).rev() {
        let class = classes[i];
        if matches!(class, BidiClass::S | BidiClass::B) {
            levels[i] = paragraph_level;
            trailing = true;
        } else if trailing && is_trailing_resettable(class) {
            levels[i] = paragraph_level;
        } else {
            trailing = false;
        }
    }
}

/// Rule L2: the logical index of each unit, in visual order (left to right).
pub fn visual_order(levels: &[u8]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..levels.len()).collect();
    let Some(&highest) = levels.iter().max() else {
        return order;
    };
    let lowest_odd = levels
        .iter()
        .copied()
        .filter(|l| l % 2 == 1)
        .min()
        .unwrap_or(highest + 1);
    if lowest_odd > highest {
        return order;
    }
    // Reversing in place keeps `levels` aligned with `order` through a parallel vector.
    let mut current: Vec<u8> = levels.to_vec();
    for level in (lowest_odd..=highest).rev() {
        let mut i = 0;
        while i < current.len() {
            if current[i] >= level {
                let start = i;
                while i < current.len() && current[i] >= level {
                    i += 1;
                }
                order[start..i].reverse();
                current[start..i].reverse();
            } else {
                i += 1;
            }
        }
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reverses_odd_runs() {
        assert_eq!(visual_order(&[0, 1, 1, 0]), vec![0, 2, 1, 3]);
        assert_eq!(visual_order(&[1, 1, 2, 2, 1]), vec![4, 2, 3, 1, 0]);
        assert_eq!(visual_order(&[]), Vec::<usize>::new());
    }

    #[test]
    fn trailing_whitespace_goes_to_paragraph_level() {
        use BidiClass::*;
        let mut levels = [2, 2, 1, 2];
        reset_trailing_levels(&mut levels, &[L, WS, R, WS], 1);
        assert_eq!(levels, [2, 2, 1, 1]);
        let mut levels = [2, 2, 2];
        reset_trailing_levels(&mut levels, &[WS, S, L], 0);
        assert_eq!(levels, [0, 0, 2]);
    }
}
