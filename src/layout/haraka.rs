//! The Arabic combining marks (harakat) as one predicate, in a file of its own so that
//! build.rs can include it with the glossary's normalisation.

/// True for the combining marks: harakat, shadda, sukun, dagger alef and the rest of
/// U+064B–U+065F.
pub fn is_haraka(c: char) -> bool {
    matches!(c, '\u{064B}'..='\u{065F}' | '\u{0670}')
}
