//! Rules W1–W7, N1, N2, I1 and I2 in one walk over the classes, for the paragraphs that
//! need no bracket pairing and no X9: those without BN characters and without opening
//! brackets (a pair needs an opening bracket before its closing one, so N0 then changes
//! nothing). Every other paragraph is declined, before anything is written that the
//! caller keeps, and goes through the passes of `implicit.rs`.
//!
//! Each rule is applied to what the earlier rules left, as the passes do, but with the
//! state of all of them carried together: a character's type is known when it is read
//! (W4 looks one class ahead), except in a run of terminators (W5 waits for its end)
//! and a run of neutrals (N1 waits for the next strong type).
//!
//! Why it is fast: `levels` comes filled with the paragraph level, and most characters
//! of a mixed paragraph are letters of the embedding direction and neutrals after them,
//! which keep that level and change no state. While the walk is in that state it only
//! skips such characters, one bit test each ([`Walk::settled`], [`Walk::boring`]).

use unicode_bidi::BidiClass::{self, *};

/// A position that is not set.
const NONE: usize = usize::MAX;

/// Whether the walk resolved the paragraph.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Outcome {
    /// `levels` holds the levels.
    Resolved,
    /// The paragraph holds a BN character or an opening bracket; `levels` is partly
    /// written and must be filled again.
    Declined,
}

/// Resolves the levels of a paragraph at `paragraph_level` into `levels`, which must
/// hold one entry per class, each the paragraph level. `chars` are the characters of
/// `classes` (for the brackets).
pub(super) fn resolve(
    levels: &mut [u8],
    chars: &[char],
    classes: &[BidiClass],
    paragraph_level: u8,
) -> Outcome {
    let n = classes.len().min(levels.len());
    let classes = &classes[..n];
    let mut walk = Walk::new(&mut levels[..n], paragraph_level);
    let mut i = 0;
    while i < n {
        if walk.settled() {
            i = skip(classes, i, walk.stops());
            if i == n {
                break;
            }
        }
        let next = classes.get(i + 1).copied();
        if !walk.step(i, classes[i], next, chars.get(i).copied()) {
            return Outcome::Declined;
        }
        i += 1;
    }
    walk.finish(n);
    Outcome::Resolved
}

/// The first position from `from` on whose class is marked in `stops`, or the end.
/// Eight classes at a time, with one test for the eight: most paragraphs run for dozens
/// of characters between two stops.
#[inline]
fn skip(classes: &[BidiClass], from: usize, stops: &[bool; 32]) -> usize {
    let mut i = from;
    let mut chunks = classes[from..].chunks_exact(8);
    for chunk in &mut chunks {
        // No early exit inside the eight: one branch for all of them.
        let stop = chunk
            .iter()
            .fold(false, |stop, &class| stop | stops[class as usize]);
        if stop {
            break;
        }
        i += 8;
    }
    classes[i..]
        .iter()
        .position(|&class| stops[class as usize])
        .map_or(classes.len(), |k| i + k)
}

/// The classes that stop a settled walk whose last strong class is `strong`: all but
/// `strong`, WS, S, B, CS, ES and NSM (see [`Walk::stops`]).
const fn stops_after(strong: BidiClass) -> [bool; 32] {
    let mut stops = [true; 32];
    stops[strong as usize] = false;
    stops[WS as usize] = false;
    stops[S as usize] = false;
    stops[B as usize] = false;
    stops[CS as usize] = false;
    stops[ES as usize] = false;
    stops[NSM as usize] = false;
    stops
}

static STOPS_AFTER_L: [bool; 32] = stops_after(L);
static STOPS_AFTER_R: [bool; 32] = stops_after(R);
static STOPS_AFTER_AL: [bool; 32] = stops_after(AL);

/// The state of every rule at one position of the walk.
struct Walk<'a> {
    levels: &'a mut [u8],
    paragraph_level: u8,
    /// The embedding direction, L or R; also sos and eos.
    embedding: BidiClass,
    /// The last of L, R and AL (W2 and W7), sos at first.
    last_strong: BidiClass,
    /// The previous class after W1, for the next mark (W1).
    previous_w1: BidiClass,
    /// The previous type after W1–W4, for W4 and W5.
    previous: BidiClass,
    /// The direction of the last strong type after W7, L or R (N1).
    before: BidiClass,
    /// The start of the present run of neutrals, or `NONE`.
    neutrals: usize,
    /// The start of the present run of terminators, or `NONE`, and whether a European
    /// number is before it (W5).
    terminators: usize,
    en_before: bool,
}

impl<'a> Walk<'a> {
    fn new(levels: &'a mut [u8], paragraph_level: u8) -> Self {
        let embedding = if paragraph_level % 2 == 1 { R } else { L };
        Self {
            levels,
            paragraph_level,
            embedding,
            last_strong: embedding,
            previous_w1: embedding,
            previous: ON,
            before: embedding,
            neutrals: NONE,
            terminators: NONE,
            en_before: false,
        }
    }

    /// Whether the characters not in [`Self::stops`] would change nothing here: the last
    /// strong type is of the embedding direction, so neutrals after it keep the
    /// embedding level whatever follows them (N1 fills only runs between two types of
    /// the other direction; numbers count as R), and nothing waits on the next class
    /// (no terminators, no number before a separator or a mark).
    #[inline]
    fn settled(&self) -> bool {
        let strong_direction = if self.last_strong == L { L } else { R };
        strong_direction == self.embedding
            && self.before == self.embedding
            && self.terminators == NONE
            && !matches!(self.previous, EN | AN | ET)
    }

    /// The classes that stop a settled walk; it skips the others: the last strong class
    /// again (at the embedding level), and neutrals, separators and marks, which resolve
    /// to the embedding level and leave the state as it is. (ON stops it, for the
    /// brackets.) Skipping leaves `neutrals` stale, which is harmless: with `before` the
    /// embedding direction, the next strong type drops that run without filling it.
    #[inline]
    fn stops(&self) -> &'static [bool; 32] {
        match self.last_strong {
            L => &STOPS_AFTER_L,
            AL => &STOPS_AFTER_AL,
            _ => &STOPS_AFTER_R,
        }
    }

    /// The level of a resolved type (I1, I2).
    #[inline]
    fn level(&self, class: BidiClass) -> u8 {
        let p = self.paragraph_level;
        match (self.embedding, class) {
            (L, R) => p + 1,
            (L, AN | EN) => p + 2,
            (R, L | EN | AN) => p + 1,
            _ => p,
        }
    }

    /// Takes the character at `i`, of class `class`, followed by one of class `next`;
    /// false when the paragraph is declined.
    #[inline]
    fn step(
        &mut self,
        i: usize,
        class: BidiClass,
        next: Option<BidiClass>,
        c: Option<char>,
    ) -> bool {
        // W1: a mark takes the class before it.
        let w1 = if class == NSM {
            self.previous_w1
        } else {
            class
        };
        self.previous_w1 = w1;
        // W2: European digits after Arabic letters are Arabic numbers. W3: AL is R.
        let t = match w1 {
            AL => R,
            EN if self.last_strong == AL => AN,
            BN => return false,
            ON if class == ON && c.and_then(super::bracket).is_some_and(|(_, opens)| opens) => {
                return false;
            }
            _ => w1,
        };
        let t = match t {
            ES | CS => self.separator(t, next),
            _ => t,
        };
        let before = std::mem::replace(&mut self.previous, t);
        // W5: terminators wait for the end of their run.
        if t == ET {
            if self.terminators == NONE {
                self.terminators = i;
                self.en_before = before == EN;
            }
            return true;
        }
        if self.terminators != NONE {
            self.end_terminators(i, self.en_before || t == EN);
        }
        if matches!(w1, L | R | AL) {
            self.last_strong = w1;
        }
        match t {
            L | R | AN => self.strong(i, i + 1, t),
            // W7: European numbers after L are L.
            EN if self.last_strong == L => self.strong(i, i + 1, L),
            EN => self.strong(i, i + 1, EN),
            // W6: separators left are neutral, as are the rest.
            _ => self.neutral(i),
        }
        true
    }

    /// W4: a single separator between two numbers of one kind joins them. `self.previous`
    /// is the type before it; the type after it is the next class after W1–W3 (a mark
    /// would take the separator's class, and the separator leaves `last_strong` as it
    /// is).
    #[inline]
    fn separator(&self, t: BidiClass, next: Option<BidiClass>) -> BidiClass {
        let after = match next {
            Some(EN) if self.last_strong == AL => AN,
            Some(EN) => EN,
            Some(AN) => AN,
            _ => return t,
        };
        match (self.previous, after) {
            (EN, EN) => EN,
            (AN, AN) if t == CS => AN,
            _ => t,
        }
    }

    /// W5–W7 for the run of terminators that ends at `end`: European numbers (L after
    /// L) when next to one, else neutrals.
    fn end_terminators(&mut self, end: usize, number: bool) {
        let start = std::mem::replace(&mut self.terminators, NONE);
        match (number, self.last_strong) {
            (false, _) => self.neutral(start),
            (true, L) => self.strong(start, end, L),
            (true, _) => self.strong(start, end, EN),
        }
    }

    /// A run of neutrals goes on, or starts at `i`.
    #[inline]
    fn neutral(&mut self, i: usize) {
        if self.neutrals == NONE {
            self.neutrals = i;
        }
    }

    /// The characters `start..end` resolved to the strong type `t` (numbers among them):
    /// their levels (I1, I2), and those of the neutrals before them (N1, N2).
    #[inline]
    fn strong(&mut self, start: usize, end: usize, t: BidiClass) {
        let level = self.level(t);
        if level != self.paragraph_level {
            self.levels[start..end].fill(level);
        }
        let direction = if t == L { L } else { R };
        if self.neutrals != NONE {
            // N1: between two types of one direction, neutrals take it; N2: otherwise
            // the embedding direction, whose level they hold already.
            if self.before == direction && direction != self.embedding {
                self.levels[self.neutrals..start].fill(self.paragraph_level + 1);
            }
            self.neutrals = NONE;
        }
        self.before = direction;
    }

    /// The end of the paragraph: terminators left wait no more; neutrals at the end lie
    /// before eos, the embedding direction, and keep the paragraph level.
    fn finish(&mut self, n: usize) {
        if self.terminators != NONE {
            self.end_terminators(n, self.en_before);
        }
    }
}
