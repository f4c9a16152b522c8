//! Reading one keymap file: TOML text in, a list of checked entries out.
//!
//! The file is a list of entries, each with `on` (a key, or a list of keys for a
//! sequence), `run` (an action name) and an optional `desc` for the help screen:
//!
//! ```toml
//! [[keys]]
//! on = ["g", "g"]
//! run = "go_top"
//! desc = "Go to the first line"
//! ```
//!
//! or, one entry per line, `keys = [ { on = "j", run = "scroll_down" }, ... ]`.
//!
//! Everything wrong with the entries is collected (unknown actions, bad key names, a key
//! sequence bound twice, a sequence that is both bound and the start of another) so the
//! user can fix the file in one go; a TOML syntax or type error stops at the first.

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use toml::Spanned;

use super::MAX_SEQUENCE_KEYS;
use super::chord::{Key, KeyChord, format_sequence};
use super::error::{KeymapError, Problem};
use crate::app::Action;

/// One checked entry of a keymap file.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub keys: Vec<KeyChord>,
    pub action: Action,
    pub desc: String,
    /// 1-based line of the `on` value, for messages about this entry.
    pub line: usize,
}

/// A checked keymap file: its label for messages and its entries in file order.
#[derive(Debug, Clone)]
pub(crate) struct KeymapFile {
    pub label: String,
    pub entries: Vec<Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    keys: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    on: Spanned<RawOn>,
    run: Spanned<String>,
    #[serde(default)]
    desc: Option<String>,
}

/// `on = "j"` or `on = ["g", "g"]`.
enum RawOn {
    One(String),
    Sequence(Vec<String>),
}

impl<'de> Deserialize<'de> for RawOn {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<RawOn, D::Error> {
        struct OnVisitor;

        impl<'de> Visitor<'de> for OnVisitor {
            type Value = RawOn;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key such as \"j\" or a key sequence such as [\"g\", \"g\"]")
            }

            fn visit_str<E: de::Error>(self, key: &str) -> Result<RawOn, E> {
                Ok(RawOn::One(key.to_owned()))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawOn, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = seq.next_element::<String>()? {
                    keys.push(key);
                }
                Ok(RawOn::Sequence(keys))
            }
        }

        deserializer.deserialize_any(OnVisitor)
    }
}

/// The 1-based line of a byte offset in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The text of a 1-based line, trimmed and shortened, in backquotes; `None` if blank.
fn quote_line(text: &str, line: usize) -> Option<String> {
    const MAX_CHARS: usize = 60;
    let content = text.lines().nth(line.checked_sub(1)?)?.trim();
    if content.is_empty() {
        return None;
    }
    let mut short: String = content.chars().take(MAX_CHARS).collect();
    if short.len() < content.len() {
        short.push_str("...");
    }
    Some(format!("`{short}`"))
}

/// Reads and checks one keymap file. `label` names the file in messages; warnings
/// (things that work but are probably not what the user meant) are pushed on `warnings`.
pub(crate) fn parse_file(
    label: &str,
    text: &str,
    warnings: &mut Vec<String>,
) -> Result<KeymapFile, KeymapError> {
    // Some editors start a UTF-8 file with a byte order mark, which TOML does not allow.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let problem = |line: Option<usize>, message: String| Problem {
        file: label.to_owned(),
        line,
        message,
    };
    let raw: RawFile = toml::from_str(text).map_err(|error| {
        let line = error.span().map(|span| line_of(text, span.start));
        let mut message = error.message().trim_end().to_owned();
        if let Some(quoted) = line.and_then(|line| quote_line(text, line)) {
            message.push_str(&format!(" (in {quoted})"));
        }
        KeymapError::Invalid {
            problems: vec![problem(line, message)],
        }
    })?;

    let mut problems = Vec::new();
    let mut entries = Vec::new();
    for raw_entry in raw.keys {
        let line = line_of(text, raw_entry.on.span().start);
        let keys = match read_keys(raw_entry.on.get_ref()) {
            Ok(keys) => Some(keys),
            Err(message) => {
                problems.push(problem(Some(line), message));
                None
            }
        };
        let run_line = line_of(text, raw_entry.run.span().start);
        let action = match raw_entry.run.get_ref().parse::<Action>() {
            Ok(action) => Some(action),
            Err(unknown) => {
                let names = Action::ALL.iter().map(|a| a.name());
                let hint = super::suggest(&unknown.0, names)
                    .map(|name| format!(" (did you mean \"{name}\"?)"))
                    .unwrap_or_default();
                problems.push(problem(Some(run_line), format!("{unknown}{hint}")));
                None
            }
        };
        let (Some(keys), Some(action)) = (keys, action) else {
            continue;
        };
        for warning in keys.iter().filter_map(|chord| ctrl_capital_warning(*chord)) {
            warnings.push(problem(Some(line), warning).to_string());
        }
        let desc = raw_entry.desc.unwrap_or_else(|| action.help().to_owned());
        entries.push(Entry {
            keys,
            action,
            desc,
            line,
        });
    }
    check_bindings(&entries, &mut |line, message| {
        problems.push(problem(Some(line), message));
    });
    if problems.is_empty() {
        Ok(KeymapFile {
            label: label.to_owned(),
            entries,
        })
    } else {
        problems.sort_by_key(|p| p.line);
        Err(KeymapError::Invalid { problems })
    }
}

/// A warning for ctrl with a capital letter, which legacy terminals cannot send: they
/// report ctrl+shift+d as ctrl+d.
fn ctrl_capital_warning(chord: KeyChord) -> Option<String> {
    let Key::Char(c) = chord.key() else {
        return None;
    };
    if !chord.modifiers().ctrl || !c.is_uppercase() {
        return None;
    }
    let small = c.to_lowercase();
    Some(format!(
        "\"{chord}\" is ctrl+shift+{small}, which most terminals send as ctrl+{small}; \
         write \"ctrl+{small}\" unless your terminal reports shift with ctrl"
    ))
}

/// Reads the `on` value into chords.
fn read_keys(on: &RawOn) -> Result<Vec<KeyChord>, String> {
    let names: &[String] = match on {
        RawOn::One(name) => std::slice::from_ref(name),
        RawOn::Sequence(names) if names.is_empty() => {
            return Err("empty key sequence: give at least one key".to_owned());
        }
        RawOn::Sequence(names) if names.len() > MAX_SEQUENCE_KEYS => {
            return Err(format!(
                "a key sequence of {} keys is too long: give at most {MAX_SEQUENCE_KEYS} keys",
                names.len()
            ));
        }
        RawOn::Sequence(names) => names,
    };
    names
        .iter()
        .map(|name| name.parse::<KeyChord>().map_err(|e| e.to_string()))
        .collect()
}

/// The rule a prefix conflict breaks, said at the end of its message.
const CONFLICT: &str = "a key cannot both run an action and start a sequence";

/// Reports key sequences bound twice, and sequences that are bound and also the start of
/// a longer binding (the longer one could never be typed). Each problem is reported once,
/// at the later of the two lines. `noop` entries take part in the duplicate check but not
/// in the prefix check: in an override, unbinding `g` while binding `g g` is meaningful.
fn check_bindings(entries: &[Entry], report: &mut dyn FnMut(usize, String)) {
    let mut first_at: HashMap<&[KeyChord], &Entry> = HashMap::new();
    for entry in entries {
        if let Some(earlier) = first_at.get(entry.keys.as_slice()) {
            report(
                entry.line,
                format!(
                    "\"{}\" is bound twice: here to {} and on line {} to {}",
                    format_sequence(&entry.keys),
                    entry.action,
                    earlier.line,
                    earlier.action
                ),
            );
        } else {
            first_at.insert(&entry.keys, entry);
        }
    }
    for entry in entries.iter().filter(|e| e.action != Action::Noop) {
        for len in 1..entry.keys.len() {
            let Some(short) = first_at.get(&entry.keys[..len]) else {
                continue;
            };
            if short.action == Action::Noop {
                continue;
            }
            let message = if short.line > entry.line {
                format!(
                    "\"{}\" runs {} but is also the start of \"{}\" (line {}); {CONFLICT}",
                    format_sequence(&short.keys),
                    short.action,
                    format_sequence(&entry.keys),
                    entry.line,
                )
            } else {
                format!(
                    "\"{}\" starts with \"{}\", which runs {} (line {}); {CONFLICT}",
                    format_sequence(&entry.keys),
                    format_sequence(&short.keys),
                    short.action,
                    short.line,
                )
            };
            report(short.line.max(entry.line), message);
        }
    }
}
