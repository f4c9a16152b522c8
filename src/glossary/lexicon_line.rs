//! One line of a lexicon TSV file, read: the columns, checked, and the normalised keys the
//! lemma is found under. The only reader of the format: the runtime parser
//! ([`super::lexicon::Lexicon`]), the index of the built-in files the build script writes
//! (build.rs includes this file) and the lazy read of a built-in lemma on a hit all use it.
//!
//! It depends on nothing but [`super::normalize`], so that build.rs can include both.

use super::normalize::normalize;

/// The parts of speech a lexicon line may name, in the order of [`pos_index`].
pub const POS_NAMES: [&str; 10] = [
    "noun", "verb", "adj", "adv", "prep", "conj", "pron", "part", "num", "propn",
];

/// The dialects a colloquial word may be labelled with, in the seventh column.
pub const DIALECTS: [&str; 7] = [
    "Egyptian",
    "Levantine",
    "Gulf",
    "Iraqi",
    "Maghrebi",
    "Sudanese",
    "Yemeni",
];

/// The columns of one good line, borrowed from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexLine<'a> {
    pub lemma: &'a str,
    pub vocalized: &'a str,
    pub pos: &'a str,
    pub root: &'a str,
    /// The lemma first, then the stems of the fifth column ('_' read as a space), each once.
    pub stems: Vec<String>,
    pub gloss: &'a str,
    /// The dialects of a colloquial word; empty for MSA.
    pub dialects: Vec<&'a str>,
}

/// The place of a part of speech in [`POS_NAMES`].
pub fn pos_index(pos: &str) -> Option<usize> {
    POS_NAMES.iter().position(|&p| p == pos)
}

/// True for a line that holds no lemma: blank, or a `#` comment.
pub fn is_blank(line: &str) -> bool {
    let line = line.trim_end_matches('\r');
    line.trim().is_empty() || line.starts_with('#')
}

/// Reads one line that is not [`is_blank`]: six tab-separated columns (lemma, vocalized,
/// pos, root, stems, gloss) and an optional seventh of dialects separated by spaces. The
/// error says what is wrong with the line, for a warning or a build error.
pub fn parse_line(line: &str) -> Result<LexLine<'_>, String> {
    let line = line.trim_end_matches('\r');
    let cols: Vec<&str> = line.split('\t').map(str::trim).collect();
    if cols.len() != 6 && cols.len() != 7 {
        return Err(format!(
            "expected 6 tab-separated columns (7 with dialects), found {}",
            cols.len()
        ));
    }
    let (lemma, vocalized, pos, root, stems, gloss) =
        (cols[0], cols[1], cols[2], cols[3], cols[4], cols[5]);
    let dialects: Vec<&str> = cols
        .get(6)
        .map(|d| d.split_whitespace().collect())
        .unwrap_or_default();
    if let Some(unknown) = dialects.iter().find(|d| !DIALECTS.contains(d)) {
        return Err(format!(
            "unknown dialect {unknown:?} (expected one of {})",
            DIALECTS.join(", ")
        ));
    }
    if lemma.is_empty() || gloss.is_empty() {
        return Err("empty lemma or gloss".to_string());
    }
    if pos_index(pos).is_none() {
        return Err(format!("unknown part of speech {pos:?}"));
    }
    // Stems are separated by spaces; within a stem of several words (a name such as
    // الأمم_المتحدة) '_' stands for the space.
    let mut stem_list: Vec<String> = vec![lemma.to_string()];
    for s in stems.split_whitespace() {
        let s = s.replace('_', " ");
        if !stem_list.contains(&s) {
            stem_list.push(s);
        }
    }
    Ok(LexLine {
        lemma,
        vocalized,
        pos,
        root,
        stems: stem_list,
        gloss,
        dialects,
    })
}

impl LexLine<'_> {
    /// The normalised keys the lemma is found under, each once, in the order of its stems.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = Vec::with_capacity(self.stems.len());
        for s in &self.stems {
            let k = normalize(s);
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        if self.pos == "propn" {
            // A name that carries the article is written without its alef after li-:
            // القاهرة, للقاهرة. The analyzer splits that as ل + لقاهرة.
            for i in 0..keys.len() {
                if let Some(rest) = keys[i].strip_prefix("ال")
                    && rest.chars().count() >= 2
                {
                    let k = format!("ل{rest}");
                    if !keys.contains(&k) {
                        keys.push(k);
                    }
                }
            }
        }
        keys
    }
}
