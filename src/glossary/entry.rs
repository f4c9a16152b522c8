//! What a lookup returns: dictionary entries, and warnings about sources that misbehaved.

use std::fmt;

use serde::Serialize;

/// How an entry was reached; lower sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchKind {
    /// From the reader's personal glossary.
    Personal,
    /// The word as written (after normalisation) is a headword.
    Exact,
    /// A headword reached by removing clitics and affixes.
    Analysed,
}

/// One dictionary entry for a looked-up word.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// The headword as the source writes it.
    pub headword: String,
    /// Where it comes from: `personal`, `builtin`, `buckwalter`, a dictionary's name, or a
    /// `dict://` address.
    pub source: String,
    /// The definition text.
    pub definition: String,
    /// The segmentation that led here, e.g. `و + ال + خارجي + ة: and + the + … + [fem.]`;
    /// `None` for an exact or personal match.
    pub analysis: Option<String>,
    #[serde(skip)]
    pub kind: MatchKind,
    /// Affix cost of the analysis (0 for exact matches); fewer and commoner affixes cost less.
    #[serde(skip)]
    pub cost: u32,
}

/// A problem with one source. The other sources keep working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The file or server concerned.
    pub source: String,
    /// Where in it, when known: `line 12`, `byte 4096`, `entry 7`.
    pub place: Option<String>,
    pub message: String,
}

impl Warning {
    pub fn new(
        source: impl Into<String>,
        place: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        Warning {
            source: source.into(),
            place,
            message: message.into(),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.place {
            Some(place) => write!(f, "{}: {}: {}", self.source, place, self.message),
            None => write!(f, "{}: {}", self.source, self.message),
        }
    }
}

/// A definition read as a dictionary entry: the headword as the entry writes it, its
/// pronunciation, and its senses.
///
/// FreeDict's dictd files start each entry with a line `فعّال /fʕʕˈaːl/` and then give
/// either one sense or numbered senses (`1. Efficacious`, `2. Effectual`); several
/// entries of one headword arrive joined by line breaks. The line breaks are structure:
/// each sense is its own item, never text with a line break in it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedDefinition {
    /// The headword as written at the top of the entry (with its harakat), if any.
    pub written: Option<String>,
    /// The pronunciation without its slashes (`fʕʕˈaːl`), if the entry gives one.
    pub pronunciation: Option<String>,
    /// The senses in order, without their numbers.
    pub senses: Vec<String>,
}

/// Reads `definition` as a dictionary entry. Never fails: text it does not recognise is
/// kept as senses, one per line.
pub fn parse_definition(definition: &str) -> ParsedDefinition {
    let mut parsed = ParsedDefinition::default();
    for line in definition.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some((written, pronunciation)) = headword_line(line) {
            // A later entry of the same headword (joined by the lookup) repeats this line.
            if parsed.pronunciation.is_none() {
                parsed.pronunciation = Some(pronunciation.to_owned());
                if !written.is_empty() {
                    parsed.written = Some(written.to_owned());
                }
            }
            continue;
        }
        let sense = strip_sense_number(line);
        if !sense.is_empty() {
            parsed.senses.push(sense.to_owned());
        }
    }
    parsed
}

/// `فعّال /fʕʕˈaːl/` → (`فعّال`, `fʕʕˈaːl`): a line that ends with a pronunciation
/// between slashes, preceded by nothing but the word in Arabic script.
fn headword_line(line: &str) -> Option<(&str, &str)> {
    let inner = line.strip_suffix('/')?;
    let open = inner.rfind('/')?;
    let (written, pronunciation) = (inner[..open].trim(), &inner[open + 1..]);
    let arabic_word = written
        .chars()
        .all(|c| c.is_whitespace() || is_arabic_script(c) || "،-".contains(c));
    (arabic_word && !pronunciation.trim().is_empty()).then(|| (written, pronunciation.trim()))
}

fn is_arabic_script(c: char) -> bool {
    matches!(c, '\u{0600}'..='\u{06FF}' | '\u{0750}'..='\u{077F}' | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// `12. Rotating` → `Rotating`; a line without a number stays as it is.
fn strip_sense_number(line: &str) -> &str {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0
        && let Some(rest) = line[digits..].strip_prefix('.')
        && rest.starts_with(' ')
        && !rest.trim().is_empty()
    {
        return rest.trim();
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn freedict_entry_with_pronunciation_and_numbered_senses() {
        let parsed = parse_definition("فعّال /fʕʕˈaːl/\n1. Efficacious\n2. Effectual\n3. Effective");
        assert_eq!(parsed.written.as_deref(), Some("فعّال"));
        assert_eq!(parsed.pronunciation.as_deref(), Some("fʕʕˈaːl"));
        assert_eq!(parsed.senses, ["Efficacious", "Effectual", "Effective"]);
    }

    #[test]
    fn one_sense_and_joined_entries() {
        let parsed = parse_definition("مجنّد /mdʒnnd/\nConscripted\nمجنّد /mudʒannad/\nRecruited");
        assert_eq!(parsed.pronunciation.as_deref(), Some("mdʒnnd"));
        assert_eq!(parsed.senses, ["Conscripted", "Recruited"]);
        // The dictd source keeps the pronunciation when it drops the headword.
        let bare = parse_definition("/ʔalʔˈidaːrˌa/\n1. Admin\n2. Administration");
        assert_eq!(bare.written, None);
        assert_eq!(bare.pronunciation.as_deref(), Some("ʔalʔˈidaːrˌa"));
        assert_eq!(bare.senses, ["Admin", "Administration"]);
        let plain = parse_definition("Important\nUndispensable");
        assert_eq!(plain.pronunciation, None);
        assert_eq!(plain.senses, ["Important", "Undispensable"]);
    }

    #[test]
    fn text_that_only_looks_like_an_entry_stays_a_sense() {
        let parsed = parse_definition("and/or (conj) و/أو\n10.5 percent\n2.Rotating\n1990.");
        assert_eq!(parsed.pronunciation, None);
        assert_eq!(
            parsed.senses,
            ["and/or (conj) و/أو", "10.5 percent", "2.Rotating", "1990."]
        );
        assert_eq!(parse_definition("  \n\n").senses, Vec::<String>::new());
    }
}
