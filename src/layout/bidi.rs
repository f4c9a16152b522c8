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
    let mut runs = Vec::new();
    visual_runs_into(levels, &mut runs);
    let mut order = Vec::with_capacity(levels.len());
    for run in &runs {
        let units = run.start as usize..run.end as usize;
        if run.reversed() {
            order.extend(units.rev());
        } else {
            order.extend(units);
        }
    }
    order
}

/// A run of units at one level, as rule L2 places it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisualRun {
    /// Its first unit, in logical order.
    pub start: u32,
    /// Where it ends, in logical order.
    pub end: u32,
    pub level: u8,
}

impl VisualRun {
    /// True when its units go right to left: its level is odd.
    #[inline]
    pub fn reversed(&self) -> bool {
        self.level % 2 == 1
    }
}

/// Rule L2 by runs: the runs of units at one level in `levels`, left to right, into a
/// buffer the caller keeps (the render pass, line after line).
///
/// L2 reverses, from the highest level down to the lowest odd one, every stretch of
/// units at that level or higher. A run is never cut by those reversals, so reversing
/// runs instead of units gives the same order with the work in the runs, which are a
/// handful on a line: the units of a run at level `l` are inside `l - lowest_odd + 1`
/// reversals (none when `l` is below the lowest odd level, and then `l` is even), so
/// they read backwards exactly when `l` is odd.
pub fn visual_runs_into(levels: &[u8], runs: &mut Vec<VisualRun>) {
    runs.clear();
    let mut highest = 0;
    let mut lowest_odd = u8::MAX;
    let mut start = 0;
    while let Some(&level) = levels.get(start) {
        let length = levels[start..]
            .iter()
            .position(|&l| l != level)
            .unwrap_or(levels.len() - start);
        let end = start + length;
        runs.push(VisualRun {
            start: start as u32,
            end: end as u32,
            level,
        });
        highest = highest.max(level);
        if level % 2 == 1 {
            lowest_odd = lowest_odd.min(level);
        }
        start = end;
    }
    if lowest_odd > highest {
        // Nothing at an odd level: L2 reverses nothing.
        return;
    }
    for level in (lowest_odd..=highest).rev() {
        let mut i = 0;
        while i < runs.len() {
            if runs[i].level >= level {
                let first = i;
                while i < runs.len() && runs[i].level >= level {
                    i += 1;
                }
                runs[first..i].reverse();
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

    /// Rule L2 as it reads, unit by unit: the reference for the runs.
    fn reference_order(levels: &[u8]) -> Vec<usize> {
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
        for level in (lowest_odd..=highest).rev() {
            let mut i = 0;
            while i < order.len() {
                if levels[order[i]] >= level {
                    let start = i;
                    while i < order.len() && levels[order[i]] >= level {
                        i += 1;
                    }
                    order[start..i].reverse();
                } else {
                    i += 1;
                }
            }
        }
        order
    }

    #[test]
    fn runs_give_the_order_of_rule_l2_unit_by_unit() {
        let mut rng = crate::layout::test_rng::Lcg(3);
        let mut next = |n: u64| rng.below(n);
        let mut runs = Vec::new();
        for _ in 0..20_000 {
            let len = next(24) as usize;
            let base = next(3) as u8;
            let spread = 1 + next(4) as u8;
            let levels: Vec<u8> = (0..len).map(|_| base + next(spread.into()) as u8).collect();
            assert_eq!(
                visual_order(&levels),
                reference_order(&levels),
                "{levels:?}"
            );
            visual_runs_into(&levels, &mut runs);
            let covered: u32 = runs.iter().map(|r| r.end - r.start).sum();
            assert_eq!(covered as usize, len);
            assert!(runs.iter().all(|r| {
                r.start < r.end
                    && levels[r.start as usize..r.end as usize]
                        .iter()
                        .all(|&l| l == r.level)
            }));
        }
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
