//! Harakat and shadda as evidence: the marks a text writes on a word say which word it is
//! (عَلِمَ "he knew", عَلَّمَ "he taught", عِلْم "knowledge"; كُتِبَ, a passive). This
//! module reads the marks letter by letter and compares them with the vocalised form of an
//! analysis or a dictionary entry.
//!
//! Only marks that are present count: an unvocalised word agrees with everything. The
//! vowel of the last letter is never compared, since it is the case or mood ending that
//! dictionaries leave out or write in their citation form. A shadda on the letter after
//! the article (الشَّمْس) is the article's assimilation, not the stem's.

use super::normalize::{TATWEEL, fold_char, is_haraka};

/// A short vowel or its absence, as a mark says it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vowel {
    A,
    U,
    I,
    Sukun,
}

/// The marks on one letter.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Marks {
    pub vowel: Option<Vowel>,
    pub shadda: bool,
    /// Nunation (ً ٌ ٍ): only nouns and adjectives carry it.
    pub tanwin: bool,
}

impl Marks {
    fn is_empty(&self) -> bool {
        self.vowel.is_none() && !self.shadda && !self.tanwin
    }
}

/// One letter (folded for matching) with the marks written on it.
pub type Letter = (char, Marks);

/// The letters of `word` with their marks; tatweel and unknown marks are skipped.
pub fn letters(word: &str) -> Vec<Letter> {
    let mut out: Vec<Letter> = Vec::new();
    for c in word.chars() {
        if c == TATWEEL || c.is_whitespace() {
            continue;
        }
        if is_haraka(c) {
            if let Some((_, m)) = out.last_mut() {
                match c {
                    '\u{064B}' => (m.vowel, m.tanwin) = (Some(Vowel::A), true),
                    '\u{064C}' => (m.vowel, m.tanwin) = (Some(Vowel::U), true),
                    '\u{064D}' => (m.vowel, m.tanwin) = (Some(Vowel::I), true),
                    '\u{064E}' => m.vowel = Some(Vowel::A),
                    '\u{064F}' => m.vowel = Some(Vowel::U),
                    '\u{0650}' => m.vowel = Some(Vowel::I),
                    '\u{0651}' => m.shadda = true,
                    '\u{0652}' => m.vowel = Some(Vowel::Sukun),
                    _ => {}
                }
            }
            continue;
        }
        out.push((fold_char(c), Marks::default()));
    }
    out
}

/// True when `word` carries at least one haraka, shadda or tanwin.
pub fn has_marks(word: &str) -> bool {
    letters(word).iter().any(|(_, m)| !m.is_empty())
}

/// What the marks of a written word say about one reading of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fit {
    /// A mark rules this reading out.
    Contradicts,
    /// No mark to compare (an unvocalised word, or a form of another length).
    Unknown,
    /// At least one mark matches and none contradicts.
    Agrees,
}

/// How a form is read: verbs carry no tanwin and have a passive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    Nominal,
    Perfect,
    Imperfect,
    /// Unknown part of speech: no rule about tanwin or the passive.
    Other,
}

/// Compares the marks of `written` with the vocalised `form` of a reading, letter by
/// letter. A verb may also be read in the passive (كُتِبَ for كَتَبَ, يُكْتَبُ for يَكْتُبُ).
pub fn fit(written: &[Letter], form: &[Letter], kind: FormKind) -> Fit {
    if written.iter().all(|(_, m)| m.is_empty()) {
        return Fit::Unknown;
    }
    let is_verb = matches!(kind, FormKind::Perfect | FormKind::Imperfect);
    if is_verb && written.iter().any(|(_, m)| m.tanwin) {
        return Fit::Contradicts;
    }
    let active = compare(written, form);
    if active == Fit::Agrees || !is_verb {
        return active;
    }
    let passive = compare(written, &passive_of(form, kind));
    active.max(passive)
}

fn compare(written: &[Letter], form: &[Letter]) -> Fit {
    if written.len() != form.len() || form.iter().all(|(_, m)| m.is_empty()) {
        return Fit::Unknown;
    }
    let last = written.len() - 1;
    let mut agreed = false;
    for (i, ((_, w), (_, f))) in written.iter().zip(form).enumerate() {
        let assimilated = i >= 2
            && written[i - 1].0 == 'ل'
            && written[i - 1].1.vowel.is_none_or(|v| v == Vowel::Sukun)
            && matches!(written[i - 2].0, 'ا' | 'ل');
        if w.shadda && !assimilated {
            if !f.shadda {
                return Fit::Contradicts;
            }
            agreed = true;
        }
        // A vowel written without a shadda where the form doubles the letter: in text
        // vocalised enough to write that vowel, the shadda would be written too.
        if f.shadda && !w.shadda && matches!(w.vowel, Some(Vowel::A | Vowel::U | Vowel::I)) {
            return Fit::Contradicts;
        }
        if i == last {
            continue;
        }
        match (w.vowel, f.vowel) {
            (Some(a), Some(b)) if a == b => agreed = true,
            (Some(_), Some(_)) => return Fit::Contradicts,
            _ => {}
        }
    }
    if agreed { Fit::Agrees } else { Fit::Unknown }
}

/// The passive of a vocalised active verb: perfect فَعَلَ → فُعِلَ (every vowel before the
/// last letter becomes u, the last of them i); imperfect يَفْعَلُ → يُفْعَلُ (the prefix
/// takes u, the vowel before the last letter a).
fn passive_of(form: &[Letter], kind: FormKind) -> Vec<Letter> {
    let mut out = form.to_vec();
    let n = out.len();
    if n < 2 {
        return out;
    }
    let voweled: Vec<usize> = (0..n - 1)
        .filter(|&i| matches!(out[i].1.vowel, Some(Vowel::A | Vowel::U | Vowel::I)))
        .collect();
    match kind {
        FormKind::Perfect => {
            for &i in &voweled {
                out[i].1.vowel = Some(Vowel::U);
            }
            if let Some(&i) = voweled.last() {
                out[i].1.vowel = Some(Vowel::I);
            }
        }
        FormKind::Imperfect => {
            if let Some(&i) = voweled.first() {
                out[i].1.vowel = Some(Vowel::U);
            }
            if let Some(&i) = voweled.last().filter(|&&i| i > 0) {
                out[i].1.vowel = Some(Vowel::A);
            }
        }
        FormKind::Nominal | FormKind::Other => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fit_of(written: &str, form: &str, kind: FormKind) -> Fit {
        fit(&letters(written), &letters(form), kind)
    }

    #[test]
    fn marks_are_read_per_letter() {
        let l = letters("عَلَّمَ");
        assert_eq!(l.len(), 3);
        assert!(l[1].1.shadda);
        assert_eq!(l[1].1.vowel, Some(Vowel::A));
        assert!(letters("كتابًا")[3].1.tanwin);
        assert!(!has_marks("كتاب"));
        assert!(has_marks("كتابٌ"));
    }

    #[test]
    fn three_words_one_spelling() {
        use FormKind::*;
        // عَلِمَ "he knew", عَلَّمَ "he taught", عِلْم "knowledge".
        assert_eq!(fit_of("عَلِمَ", "عَلِمَ", Perfect), Fit::Agrees);
        assert_eq!(fit_of("عَلِمَ", "عَلَّمَ", Perfect), Fit::Contradicts);
        assert_eq!(fit_of("عَلِمَ", "عِلْم", Nominal), Fit::Contradicts);
        assert_eq!(fit_of("عَلَّمَ", "عَلِمَ", Perfect), Fit::Contradicts);
        assert_eq!(fit_of("عَلَّمَ", "عَلَّمَ", Perfect), Fit::Agrees);
        assert_eq!(fit_of("عِلْمٌ", "عِلْم", Nominal), Fit::Agrees);
        assert_eq!(fit_of("عِلْمٌ", "عَلِمَ", Perfect), Fit::Contradicts);
        // Unvocalised text says nothing.
        assert_eq!(fit_of("علم", "عَلَّمَ", Perfect), Fit::Unknown);
        // A single mark is enough.
        assert_eq!(fit_of("علّم", "عَلِمَ", Perfect), Fit::Contradicts);
        assert_eq!(fit_of("علّم", "عَلَّمَ", Perfect), Fit::Agrees);
    }

    #[test]
    fn passive_damma_on_the_first_letter() {
        use FormKind::*;
        assert_eq!(fit_of("كُتِبَ", "كَتَبَ", Perfect), Fit::Agrees);
        assert_eq!(fit_of("كُتِبَ", "كُتُب", Nominal), Fit::Contradicts);
        assert_eq!(fit_of("يُكْتَبُ", "يَكْتُبُ", Imperfect), Fit::Agrees);
        assert_eq!(fit_of("عُلِّمَ", "عَلَّمَ", Perfect), Fit::Agrees);
        assert_eq!(fit_of("عُلِّمَ", "عَلِمَ", Perfect), Fit::Contradicts);
    }

    #[test]
    fn tanwin_is_never_a_verb_and_endings_are_free() {
        use FormKind::*;
        assert_eq!(fit_of("جَارًا", "جَأَرا", Perfect), Fit::Contradicts);
        assert_eq!(fit_of("كِتَابٌ", "كِتَاب", Nominal), Fit::Agrees);
        // The last letter's vowel is the case ending: not compared.
        assert_eq!(fit_of("يَوْمَ", "يَوْمُ", Nominal), Fit::Agrees);
        // The sun letter after the article doubles without being a shadda of the stem.
        assert_eq!(fit_of("الشَّمْس", "الشَمْس", Nominal), Fit::Agrees);
        // A form of another length gives no evidence.
        assert_eq!(fit_of("كَتَبُوا", "كَتَب", Perfect), Fit::Unknown);
    }
}
