//! UAX #9 level resolution for the common paragraph: one without explicit embeddings,
//! overrides or isolates. Such a paragraph is a single isolating run sequence at the
//! paragraph level, so rules X1–X10 reduce to removing BN characters (X9), and what
//! remains are the weak (W1–W7), bracket (N0), neutral (N1, N2) and implicit (I1, I2)
//! rules, run here on one class per character.
//!
//! It exists for speed: news text has no explicit formatting characters, and this path
//! avoids the general algorithm's per-byte bookkeeping. Paragraphs with explicit
//! formatting go through the unicode-bidi crate (see `bidi.rs`). Both are checked
//! against BidiCharacterTest.txt.
//!
//! A paragraph without BN characters and opening brackets is resolved in one walk
//! (`one_walk.rs`), which skips the characters that change neither a level nor the
//! state. Any other goes through three passes over the classes, each rule applied in
//! the standard's order to the values the earlier rules left: W1–W3 (which also notes
//! the brackets), W4–W7 (only when there are numbers; runs of terminators decided when
//! they end), and N1, N2, I1, I2 (runs of neutrals decided when they end, levels written
//! directly). N0 runs between the second and the third only when the paragraph holds a
//! bracket. The buffers are kept from one paragraph to the next. (A walk that resolved
//! every character was tried before the skipping one: 25 % more instructions than the
//! passes, from the state each step then carries.)

use std::cell::RefCell;

use unicode_bidi::{BidiClass, BidiDataSource, HardcodedBidiData};

use BidiClass::*;

mod one_walk;
#[cfg(test)]
mod reference;

/// Nesting limit of bracket pairs (BD16).
const MAX_BRACKET_DEPTH: usize = 63;

/// The strong direction a class counts as in rules N0–N2 (numbers count as R).
#[inline]
fn strong(class: BidiClass) -> Option<BidiClass> {
    match class {
        L => Some(L),
        R | AL | EN | AN => Some(R),
        _ => None,
    }
}

/// Resolves the levels of `chars`, whose original classes are `classes`, in a paragraph
/// at `paragraph_level`. The classes must contain no explicit formatting class
/// (LRE, RLE, LRO, RLO, PDF, LRI, RLI, FSI, PDI) and no paragraph separator.
pub(crate) fn resolve(chars: &[char], classes: &[BidiClass], paragraph_level: u8) -> Vec<u8> {
    let mut levels = Vec::new();
    resolve_into(&mut levels, chars, classes, paragraph_level);
    levels
}

/// [`resolve`] into `levels` (cleared first), so that a caller can keep one buffer for
/// every paragraph.
pub(crate) fn resolve_into(
    levels: &mut Vec<u8>,
    chars: &[char],
    classes: &[BidiClass],
    paragraph_level: u8,
) {
    thread_local! {
        static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
    }
    SCRATCH.with(|scratch| match scratch.try_borrow_mut() {
        Ok(mut scratch) => scratch.resolve(levels, chars, classes, paragraph_level),
        // Not reached today (nothing resolves from inside a resolution), but a nested
        // call would still be right, with buffers of its own.
        Err(_) => Scratch::default().resolve(levels, chars, classes, paragraph_level),
    });
}

/// Buffers kept from one paragraph to the next.
#[derive(Default)]
struct Scratch {
    /// The classes as the rules resolve them.
    t: Vec<BidiClass>,
    /// The brackets of the paragraph: position, normalised opening bracket, whether it
    /// opens.
    brackets: Vec<(usize, char, bool)>,
    stack: Vec<(char, usize)>,
    pairs: Vec<(usize, usize)>,
    /// With BN characters: the characters and classes that remain after X9, and their
    /// levels.
    kept_chars: Vec<char>,
    kept_classes: Vec<BidiClass>,
    kept_levels: Vec<u8>,
}

impl Scratch {
    fn resolve(
        &mut self,
        levels: &mut Vec<u8>,
        chars: &[char],
        classes: &[BidiClass],
        paragraph_level: u8,
    ) {
        if self.resolve_without_bn(levels, chars, classes, paragraph_level) {
            return;
        }
        // X9: BN characters take no part.
        let mut kept_chars = std::mem::take(&mut self.kept_chars);
        let mut kept_classes = std::mem::take(&mut self.kept_classes);
        let mut kept_levels = std::mem::take(&mut self.kept_levels);
        kept_chars.clear();
        kept_classes.clear();
        kept_levels.clear();
        for (&c, &class) in chars.iter().zip(classes) {
            if class != BN {
                kept_chars.push(c);
                kept_classes.push(class);
            }
        }
        self.resolve_without_bn(
            &mut kept_levels,
            &kept_chars,
            &kept_classes,
            paragraph_level,
        );
        // A removed character sits at the level of the one before it.
        let mut kept = kept_levels.iter();
        let mut previous = paragraph_level;
        levels.clear();
        for &class in classes {
            if class != BN {
                previous = kept.next().copied().unwrap_or(paragraph_level);
            }
            levels.push(previous);
        }
        self.kept_chars = kept_chars;
        self.kept_classes = kept_classes;
        self.kept_levels = kept_levels;
    }

    /// Resolves a paragraph into `levels`, in one walk when it can (see `one_walk`), else
    /// in the passes of [`Self::resolve_kept`]; false, with nothing resolved, when it
    /// holds a BN character.
    fn resolve_without_bn(
        &mut self,
        levels: &mut Vec<u8>,
        chars: &[char],
        classes: &[BidiClass],
        paragraph_level: u8,
    ) -> bool {
        levels.clear();
        levels.resize(classes.len(), paragraph_level);
        match one_walk::resolve(levels, chars, classes, paragraph_level) {
            one_walk::Outcome::Resolved => true,
            one_walk::Outcome::Declined => {
                self.resolve_kept(levels, chars, classes, paragraph_level)
            }
        }
    }

    /// Resolves a paragraph into `levels` in three passes; false, with nothing resolved,
    /// when it holds a BN character.
    fn resolve_kept(
        &mut self,
        levels: &mut Vec<u8>,
        chars: &[char],
        classes: &[BidiClass],
        paragraph_level: u8,
    ) -> bool {
        let n = classes.len();
        let odd = paragraph_level % 2 == 1;
        let embedding = if odd { R } else { L };
        let sos = embedding;
        let Self { t, brackets, .. } = self;

        // W1: a mark takes the type of what precedes it. W2: European digits after
        // Arabic letters are Arabic numbers. W3: AL is R. And where the brackets are.
        // An explicit loop over slices keeps the state in registers.
        t.clear();
        t.resize(n, ON);
        brackets.clear();
        let (t, chars) = (&mut t[..n], &chars[..n.min(chars.len())]);
        let mut previous = sos;
        let mut last_strong = sos;
        let mut numbers = false;
        for i in 0..n {
            let original = classes[i];
            let class = if original == NSM { previous } else { original };
            previous = class;
            t[i] = match class {
                L | R => {
                    last_strong = class;
                    class
                }
                AL => {
                    last_strong = AL;
                    R
                }
                EN if last_strong == AL => {
                    numbers = true;
                    AN
                }
                EN | AN => {
                    numbers = true;
                    class
                }
                ON if original == ON => {
                    if let Some((opening, opens)) = chars.get(i).and_then(|&c| bracket(c)) {
                        brackets.push((i, opening, opens));
                    }
                    ON
                }
                BN => return false,
                _ => class,
            };
        }

        // W4–W7 (see `weak_numbers`).
        // Without numbers W4, W5 and W7 change nothing, and W6 only makes ES, ET and CS
        // into ON, which the later rules take as the neutrals they already are.
        if numbers {
            weak_numbers(t, sos);
        }

        if !brackets.is_empty() {
            self.resolve_brackets(classes, embedding, sos);
        }

        // N1, N2: neutrals between two strong types of one direction take it; others
        // take the embedding direction. I1, I2: levels from the resolved types.
        let level = |class: BidiClass| match (odd, class) {
            (false, R) => paragraph_level + 1,
            (false, AN | EN) => paragraph_level + 2,
            (true, L | EN | AN) => paragraph_level + 1,
            _ => paragraph_level,
        };
        // Neutrals that take the embedding direction, and characters at the embedding
        // level, keep this fill.
        levels.clear();
        levels.resize(n, paragraph_level);
        let (t, levels) = (&self.t[..n], &mut levels[..n]);
        let mut before = sos;
        let mut neutrals: Option<usize> = None;
        for i in 0..n {
            let class = t[i];
            let Some(direction) = strong(class) else {
                neutrals.get_or_insert(i);
                continue;
            };
            levels[i] = level(class);
            if let Some(start) = neutrals.take()
                && before == direction
                && direction != embedding
            {
                levels[start..i].fill(level(direction));
            }
            before = direction;
        }
        // Neutrals at the end lie before eos, the embedding direction: they keep the
        // fill.
        true
    }

    /// N0: paired brackets take the direction of what they enclose, or of their context.
    fn resolve_brackets(&mut self, classes: &[BidiClass], embedding: BidiClass, sos: BidiClass) {
        let Self {
            t,
            brackets,
            stack,
            pairs,
            ..
        } = self;
        let n = t.len();
        // BD16: find the pairs.
        stack.clear();
        pairs.clear();
        for &(k, opening, opens) in brackets.iter() {
            if opens {
                if stack.len() == MAX_BRACKET_DEPTH {
                    break;
                }
                stack.push((opening, k));
            } else if let Some(depth) = stack.iter().rposition(|&(o, _)| o == opening) {
                pairs.push((stack[depth].1, k));
                stack.truncate(depth);
            }
        }
        if pairs.is_empty() {
            return;
        }
        pairs.sort_unstable();

        let opposite = if embedding == L { R } else { L };
        for &(open, close) in pairs.iter() {
            let mut found_embedding = false;
            let mut found_opposite = false;
            for &class in &t[open + 1..close] {
                match strong(class) {
                    Some(d) if d == embedding => {
                        found_embedding = true;
                        break;
                    }
                    Some(_) => found_opposite = true,
                    None => {}
                }
            }
            let direction = if found_embedding {
                embedding
            } else if found_opposite {
                let context = t[..open]
                    .iter()
                    .rev()
                    .find_map(|&c| strong(c))
                    .unwrap_or(sos);
                if context == opposite {
                    opposite
                } else {
                    embedding
                }
            } else {
                continue;
            };
            for at in [open, close] {
                t[at] = direction;
                // Marks after a bracket follow its new type (they became ON through W1).
                let mut k = at + 1;
                while k < n && classes[k] == NSM {
                    t[k] = direction;
                    k += 1;
                }
            }
        }
    }
}

/// W4: a single separator between two numbers of the same kind joins them. W5:
/// terminators next to European numbers are European numbers. W6: remaining separators
/// and terminators are neutral. W7: European numbers after L are L. `before` is what W4
/// left of the previous class; a run of terminators waits for the class after it. Only
/// changed classes are written.
fn weak_numbers(t: &mut [BidiClass], sos: BidiClass) {
    let n = t.len();
    let mut before = ON;
    let mut last_strong = sos;
    // The start of a run of terminators (`NONE` when there is none), and whether a
    // European number is before it.
    const NONE: usize = usize::MAX;
    let mut terminators = NONE;
    let mut en_before = false;
    for i in 0..n {
        let class = t[i];
        let class = match class {
            ES | CS if i > 0 && i + 1 < n => {
                let after = t[i + 1];
                if before == EN && after == EN {
                    EN
                } else if class == CS && before == AN && after == AN {
                    AN
                } else {
                    class
                }
            }
            _ => class,
        };
        if class == ET {
            if terminators == NONE {
                terminators = i;
                en_before = before == EN;
            }
            before = ET;
            continue;
        }
        if terminators != NONE {
            let number = en_before || class == EN;
            t[terminators..i].fill(terminator_type(number, last_strong));
            terminators = NONE;
        }
        match class {
            ES | CS => t[i] = ON,
            L | R => last_strong = class,
            EN if last_strong == L => t[i] = L,
            // Perhaps a separator W4 joined to numbers.
            EN | AN => t[i] = class,
            _ => {}
        }
        before = class;
    }
    if terminators != NONE {
        t[terminators..n].fill(terminator_type(en_before, last_strong));
    }
}

/// W5–W7 for a run of terminators: European numbers when next to one (and then L after
/// L), else neutral.
fn terminator_type(number: bool, last_strong: BidiClass) -> BidiClass {
    match (number, last_strong) {
        (false, _) => ON,
        (true, L) => L,
        (true, _) => EN,
    }
}

/// The normalised opening bracket of `c`'s pair and whether `c` opens, for the
/// characters of BidiBrackets.txt.
fn bracket(c: char) -> Option<(char, bool)> {
    fn lookup(c: char) -> Option<(char, bool)> {
        HardcodedBidiData
            .bidi_matched_opening_bracket(c)
            .map(|b| (b.opening, b.is_open))
    }
    static TABLE: super::fast::CodePointTable<Option<(char, bool)>> =
        super::fast::CodePointTable::new();
    // General Punctuation and the super- and subscripts, where the quotation marks and
    // dashes of news text are, from a table of their own.
    const PUNCTUATION: std::ops::Range<u32> = 0x2000..0x20A0;
    static PUNCTUATION_TABLE: std::sync::OnceLock<Vec<Option<(char, bool)>>> =
        std::sync::OnceLock::new();
    if PUNCTUATION.contains(&(c as u32)) {
        let table = PUNCTUATION_TABLE.get_or_init(|| {
            PUNCTUATION
                .map(|cp| char::from_u32(cp).and_then(lookup))
                .collect()
        });
        return table
            .get((c as u32 - PUNCTUATION.start) as usize)
            .copied()
            .flatten();
    }
    TABLE.get(c, lookup)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Characters of every class the resolver takes, brackets and marks among them.
    const POOL: &[char] = &[
        'a', 'Z', 'ب', 'ש', '1', '٣', '۵', '+', '-', '$', '%', '#', ',', '.', ':', '/', '\u{64E}',
        '\u{300}', ' ', '\t', '!', '"', '(', ')', '[', ']', '{', '}', '\u{2329}', '\u{232A}',
        '\u{3008}', '\u{3009}', '“', '”', '–', '\u{200B}', '\u{AD}', '\u{200D}', '\u{1F}',
    ];

    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    fn check(chars: &[char], levels: &mut Vec<u8>) {
        let classes: Vec<BidiClass> = chars
            .iter()
            .map(|&c| super::super::bidi::class_of(c))
            .collect();
        for paragraph_level in [0, 1] {
            resolve_into(levels, chars, &classes, paragraph_level);
            assert_eq!(
                *levels,
                reference::resolve(chars, &classes, paragraph_level),
                "{chars:?} ({classes:?}) at level {paragraph_level}"
            );
        }
    }

    /// The folded passes give the levels the rule-by-rule resolver gave, on random
    /// paragraphs of every class it takes (one buffer kept across them all, as a caller
    /// would), and on every paragraph of up to four characters from a smaller pool.
    #[test]
    fn resolves_as_the_reference_resolver_did() {
        let mut levels = Vec::new();
        let mut rng = Rng(0x2545_F491_4F6C_DD1D);
        for _ in 0..30_000 {
            let len = rng.below(24);
            // A few classes per paragraph, so that runs and pairs form.
            let palette: Vec<char> = (0..1 + rng.below(6))
                .map(|_| POOL[rng.below(POOL.len())])
                .collect();
            let chars: Vec<char> = (0..len)
                .map(|_| palette[rng.below(palette.len())])
                .collect();
            check(&chars, &mut levels);
        }
        let small = [
            'a', 'ب', '1', '٣', ',', '%', '\u{64E}', ' ', '(', ')', '\u{200B}',
        ];
        let mut chars = Vec::new();
        for len in 0..=4u32 {
            for mut code in 0..small.len().pow(len) {
                chars.clear();
                for _ in 0..len {
                    chars.push(small[code % small.len()]);
                    code /= small.len();
                }
                check(&chars, &mut levels);
            }
        }
    }

    /// The one walk takes every paragraph without BN characters and opening brackets,
    /// and gives the rule-by-rule resolver's levels: on random paragraphs heavy in
    /// numbers, separators, terminators and marks, and on every paragraph of up to five
    /// characters from a smaller pool.
    #[test]
    fn one_walk_resolves_as_the_reference_resolver_did() {
        fn check_walk(chars: &[char]) {
            let classes: Vec<BidiClass> = chars
                .iter()
                .map(|&c| super::super::bidi::class_of(c))
                .collect();
            for paragraph_level in [0, 1] {
                let mut levels = vec![paragraph_level; chars.len()];
                assert_eq!(
                    one_walk::resolve(&mut levels, chars, &classes, paragraph_level),
                    one_walk::Outcome::Resolved,
                    "{chars:?} ({classes:?}) at level {paragraph_level}"
                );
                assert_eq!(
                    levels,
                    reference::resolve(chars, &classes, paragraph_level),
                    "{chars:?} ({classes:?}) at level {paragraph_level}"
                );
            }
        }
        const POOL: &[char] = &[
            'a', 'Z', 'ب', 'ש', '1', '٣', '۵', '+', '-', '$', '%', '#', ',', '.', ':', '/',
            '\u{64E}', '\u{300}', ' ', '\t', '!', '"', ')', ']', '“', '”', '–',
        ];
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let mut chars = Vec::new();
        for _ in 0..30_000 {
            let len = rng.below(24);
            let palette: Vec<char> = (0..1 + rng.below(6))
                .map(|_| POOL[rng.below(POOL.len())])
                .collect();
            chars.clear();
            chars.extend((0..len).map(|_| palette[rng.below(palette.len())]));
            check_walk(&chars);
        }
        let small = ['a', 'ب', '1', '٣', ',', '+', '%', '\u{64E}', ' ', ')'];
        for len in 0..=5u32 {
            for mut code in 0..small.len().pow(len) {
                chars.clear();
                for _ in 0..len {
                    chars.push(small[code % small.len()]);
                    code /= small.len();
                }
                check_walk(&chars);
            }
        }
    }

    /// Deeper than BD16's stack: the pairing stops, as it did.
    #[test]
    fn deep_brackets_resolve_as_the_reference_resolver_did() {
        let mut levels = Vec::new();
        for depth in [62, 63, 64, 70] {
            let mut chars: Vec<char> = "ب a".chars().collect();
            chars.extend(std::iter::repeat_n('(', depth));
            chars.push('ب');
            chars.extend(std::iter::repeat_n(')', depth));
            chars.push('1');
            check(&chars, &mut levels);
        }
    }
}
