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

/// Resolved levels of one paragraph, one entry per character of the text.
pub struct ParagraphLevels {
    /// The embedding level of each character.
    pub levels: Vec<u8>,
    /// The original bidi class of each character.
    pub classes: Vec<BidiClass>,
    /// The paragraph embedding level (0 or 1).
    pub paragraph_level: u8,
}

impl ParagraphLevels {
    /// Resolves the levels of `chars` (the characters of `text`, which must be one
    /// paragraph).
    pub fn resolve(text: &str, chars: &[char], base: BaseDirection) -> Self {
        let classes: Vec<BidiClass> = chars.iter().map(|&c| class_of(c)).collect();
        let paragraph_level = match base {
            BaseDirection::Rtl => 1,
            BaseDirection::Ltr => 0,
            BaseDirection::Auto => first_strong_level(&classes).unwrap_or(0),
        };
        let explicit = classes.iter().any(|&c| {
            use BidiClass::*;
            matches!(c, LRE | RLE | LRO | RLO | PDF | LRI | RLI | FSI | PDI)
        });
        let levels = if explicit {
            let info = ParagraphBidiInfo::new(
                text,
                Some(Level::new(paragraph_level).unwrap_or(Level::ltr())),
            );
            text.char_indices()
                .map(|(i, _)| info.levels[i].number())
                .collect()
        } else if paragraph_level == 0
            && !classes
                .iter()
                .any(|&c| matches!(c, BidiClass::R | BidiClass::AL | BidiClass::AN))
        {
            vec![0; chars.len()]
        } else if paragraph_level == 1
            && !classes
                .iter()
                .any(|&c| matches!(c, BidiClass::L | BidiClass::EN | BidiClass::AN))
        {
            // Right-to-left with nothing left-to-right and no numbers: every rule resolves
            // to R (neutrals and brackets between R, or next to sos/eos, which are R).
            vec![1; chars.len()]
        } else {
            super::implicit::resolve(chars, &classes, paragraph_level)
        };
        Self {
            levels,
            classes,
            paragraph_level,
        }
    }
}

/// Rules P2 and P3: the level of the first strong character, skipping isolates.
fn first_strong_level(classes: &[BidiClass]) -> Option<u8> {
    use BidiClass::*;
    let mut isolates = 0usize;
    for &class in classes {
        match class {
            LRI | RLI | FSI => isolates += 1,
            PDI => isolates = isolates.saturating_sub(1),
            L if isolates == 0 => return Some(0),
            R | AL if isolates == 0 => return Some(1),
            _ => {}
        }
    }
    None
}

/// The bidi class of `c`, from a table for the first 2,048 code points (Latin and
/// Arabic, most of any text qari shows) and the unicode-bidi crate beyond.
#[inline]
pub fn class_of(c: char) -> BidiClass {
    static LOW: std::sync::OnceLock<Vec<BidiClass>> = std::sync::OnceLock::new();
    let low = LOW.get_or_init(|| {
        (0u32..0x800)
            .map(|cp| char::from_u32(cp).map_or(BidiClass::L, unicode_bidi::bidi_class))
            .collect()
    });
    low.get(c as usize)
        .copied()
        .unwrap_or_else(|| unicode_bidi::bidi_class(c))
}

/// True for classes that L1 resets to the paragraph level at the end of a line.
pub fn is_trailing_resettable(class: BidiClass) -> bool {
    use BidiClass::*;
    matches!(
        class,
        WS | FSI | LRI | RLI | PDI | BN | LRE | RLE | LRO | RLO | PDF
    )
}

/// Rule L1 for one line: `levels` has one entry per unit of the line, in logical order,
/// and `class_of(i)` is the original class of unit `i`.
pub fn reset_trailing_levels(
    levels: &mut [u8],
    class_of: impl Fn(usize) -> BidiClass,
    paragraph_level: u8,
) {
    let mut trailing = true;
    for i in (0..levels.len()).rev() {
        let class = class_of(i);
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
    let mut order = Vec::new();
    visual_order_into(levels, &mut order);
    order.into_iter().map(|i| i as usize).collect()
}

/// [`visual_order`] into a buffer the caller keeps (the render pass, line after line).
pub fn visual_order_into(levels: &[u8], order: &mut Vec<u32>) {
    order.clear();
    order.extend(0..levels.len() as u32);
    let Some(&highest) = levels.iter().max() else {
        return;
    };
    let lowest_odd = levels
        .iter()
        .copied()
        .filter(|l| l % 2 == 1)
        .min()
        .unwrap_or(highest + 1);
    // From the highest level down to the lowest odd one, each run of units at that
    // level or higher is reversed; the levels are read through `order`, so reversing
    // `order` alone keeps them with their units.
    for level in (lowest_odd..=highest).rev() {
        let mut i = 0;
        while i < order.len() {
            if levels[order[i] as usize] >= level {
                let start = i;
                while i < order.len() && levels[order[i] as usize] >= level {
                    i += 1;
                }
                order[start..i].reverse();
            } else {
                i += 1;
            }
        }
    }
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
        reset_trailing_levels(&mut levels, |i| [L, WS, R, WS][i], 1);
        assert_eq!(levels, [2, 2, 1, 1]);
        let mut levels = [2, 2, 2];
        reset_trailing_levels(&mut levels, |i| [WS, S, L][i], 0);
        assert_eq!(levels, [0, 0, 2]);
    }
}
