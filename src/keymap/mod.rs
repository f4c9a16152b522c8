//! The keymap: which key sequence runs which [`Action`]. Input flows
//! `crossterm KeyEvent -> KeyChord -> Keymap::lookup -> Action`.
//!
//! Keymaps are data (`keymaps/*.toml`, embedded in the binary): one entry per binding with
//! `on`, `run` and `desc`. A user file may override the chosen keymap key by key, and
//! `run = "noop"` unbinds. Loading promises: no panic on any input, and every problem is
//! reported with the file and line it is on (see [`KeymapError`]).
//!
//! A bound key sequence is never the start of another one, so a lookup is never
//! ambiguous: the pending keys either run an action, may still become one, or are
//! nothing.

mod chord;
mod error;
mod layout;
mod parse;

use std::collections::{HashMap, HashSet};
use std::path::Path;

pub use chord::{Key, KeyChord, KeyNameError, Modifiers, format_sequence, parse_sequence};
pub use error::{KeymapError, Problem};
pub use layout::KeyboardLayout;

use crate::app::Action;
use crate::fsread;
use parse::{KeymapFile, parse_file};

/// The longest key sequence a keymap may bind. The shipped keymaps use at most three
/// keys; the bound keeps the prefix checks, which grow with the square of the length,
/// cheap for any file.
pub const MAX_SEQUENCE_KEYS: usize = 8;

/// The longest name, in characters, for which a "did you mean" suggestion is searched:
/// the edit distance costs the product of the two lengths, and every name it compares
/// with (actions, keys, keymaps) is far shorter.
const MAX_SUGGEST_CHARS: usize = 64;

/// The keymaps shipped with qari, `default` first.
const SHIPPED_NAMES: &[&str] = &["default", "vim", "emacs", "less"];

/// What the keys typed so far amount to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// They start a longer binding: wait for the next key.
    Pending,
    /// They are a binding: run the action and clear the pending keys.
    Matched(Action),
    /// They are not bound and start no binding.
    NotFound,
    /// A sequence was pending and the last key cancels it: esc, or a key bound to
    /// `cancel` on its own (ctrl+g in emacs).
    Cancelled,
}

/// One line of the help screen: the keys of one action, joined with ", ".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelpEntry {
    pub keys: String,
    pub action: Action,
    pub desc: String,
}

#[derive(Debug, Clone)]
struct Binding {
    action: Action,
    desc: String,
    /// Position in the files (the chosen keymap, then the override), for the help order.
    order: usize,
}

/// Key sequences and the actions they run. Built by [`Keymap::load`].
#[derive(Debug, Clone)]
pub struct Keymap {
    name: String,
    bindings: HashMap<Vec<KeyChord>, Binding>,
    /// Every strict, non-empty prefix of a bound sequence.
    prefixes: HashSet<Vec<KeyChord>>,
    /// The layout whose keys stand for the Latin keys in their places.
    layout: KeyboardLayout,
}

impl Keymap {
    /// The names of the shipped keymaps, `default` first.
    pub fn shipped_names() -> &'static [&'static str] {
        SHIPPED_NAMES
    }

    /// The TOML text of a shipped keymap.
    pub fn shipped_source(name: &str) -> Option<&'static str> {
        match name {
            "default" => Some(include_str!("../../keymaps/default.toml")),
            "vim" => Some(include_str!("../../keymaps/vim.toml")),
            "emacs" => Some(include_str!("../../keymaps/emacs.toml")),
            "less" => Some(include_str!("../../keymaps/less.toml")),
            _ => None,
        }
    }

    /// Loads the keymap `choice` (a shipped name, or else the path of a TOML file) and
    /// lays the user's override file over it. A missing override file is not an error:
    /// most users have none. Returns the keymap and warnings (each naming file and line)
    /// for the caller to show.
    pub fn load(
        choice: &str,
        user_override: Option<&Path>,
    ) -> Result<(Keymap, Vec<String>), KeymapError> {
        let mut warnings = Vec::new();
        let base = match Keymap::shipped_source(choice) {
            Some(text) => parse_file(&format!("keymaps/{choice}.toml"), text, &mut warnings)?,
            None => {
                let path = Path::new(choice);
                let looks_like_path = choice.contains(std::path::is_separator)
                    || choice.ends_with(".toml")
                    || path.exists();
                if !looks_like_path {
                    return Err(KeymapError::UnknownKeymap {
                        name: choice.to_owned(),
                        suggestion: suggest(choice, SHIPPED_NAMES.iter().copied())
                            .map(str::to_owned),
                    });
                }
                let text = read(path)?;
                parse_file(&path.display().to_string(), &text, &mut warnings)?
            }
        };
        let over = match user_override {
            Some(path) => match fsread::read_regular_text(path, fsread::limit::SETTINGS) {
                Ok(text) => Some(parse_file(
                    &path.display().to_string(),
                    &text,
                    &mut warnings,
                )?),
                Err(error) if error.is_not_found() => None,
                Err(error) => return Err(KeymapError::Read(error)),
            },
            None => None,
        };
        let keymap = Keymap::build(choice, base, over, &mut warnings)?;
        Ok((keymap, warnings))
    }

    /// Builds a keymap from TOML text alone; `label` names it in messages.
    pub fn from_toml(label: &str, text: &str) -> Result<(Keymap, Vec<String>), KeymapError> {
        let mut warnings = Vec::new();
        let file = parse_file(label, text, &mut warnings)?;
        let keymap = Keymap::build(label, file, None, &mut warnings)?;
        Ok((keymap, warnings))
    }

    /// The keymap's name: the shipped name or the path it was loaded from.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What the pending keys (oldest first) amount to. An empty slice is `NotFound`.
    /// Sets the non-Latin keyboard layout whose keys stand for the Latin ones.
    pub fn set_layout(&mut self, layout: KeyboardLayout) {
        self.layout = layout;
    }

    /// `key` as the keymap reads it after `pending`: a key of the keyboard layout that
    /// the keymap does not bind itself becomes the Latin key in its place (`ت` is `j`).
    pub fn in_latin(&self, pending: &[KeyChord], key: KeyChord) -> KeyChord {
        let Key::Char(typed) = key.key() else {
            return key;
        };
        // Only characters typed alone: ctrl+ and alt+ chords keep their own keys.
        if key != KeyChord::plain(Key::Char(typed)) {
            return key;
        }
        let Some(latin) = self.layout.latin(typed) else {
            return key;
        };
        let mut keys = pending.to_vec();
        keys.push(key);
        if self.lookup(&keys) != Lookup::NotFound {
            return key;
        }
        KeyChord::plain(Key::Char(latin))
    }

    /// The keys that may follow `pending`, with what each sequence does, in file order:
    /// (the rest of the sequence, its description).
    pub fn continuations(&self, pending: &[KeyChord]) -> Vec<(String, String)> {
        let mut found: Vec<(&Vec<KeyChord>, &Binding)> = self
            .bindings
            .iter()
            .filter(|(keys, _)| keys.len() > pending.len() && keys.starts_with(pending))
            .collect();
        found.sort_by_key(|(_, b)| b.order);
        found
            .into_iter()
            .map(|(keys, b)| (format_sequence(&keys[pending.len()..]), b.desc.clone()))
            .collect()
    }

    pub fn lookup(&self, pending: &[KeyChord]) -> Lookup {
        if let Some(binding) = self.bindings.get(pending) {
            return Lookup::Matched(binding.action);
        }
        if self.prefixes.contains(pending) {
            return Lookup::Pending;
        }
        if let [start @ .., last] = pending
            && !start.is_empty()
            && self.prefixes.contains(start)
            && self.cancels(*last)
        {
            return Lookup::Cancelled;
        }
        Lookup::NotFound
    }

    /// True when `key` cancels a pending sequence.
    fn cancels(&self, key: KeyChord) -> bool {
        key.is_esc()
            || self
                .bindings
                .get(std::slice::from_ref(&key))
                .is_some_and(|b| b.action == Action::Cancel)
    }

    /// The key sequences that run `action`, in file order.
    pub fn keys_for(&self, action: Action) -> Vec<Vec<KeyChord>> {
        let mut found: Vec<(&Vec<KeyChord>, &Binding)> = self
            .bindings
            .iter()
            .filter(|(_, b)| b.action == action)
            .collect();
        found.sort_by_key(|(_, b)| b.order);
        found.into_iter().map(|(keys, _)| keys.clone()).collect()
    }

    /// The names of the first `max` key sequences that run `action`, in file order, for
    /// hints that name keys (`h`, `left`); empty when the action has no key.
    pub fn key_names(&self, action: Action, max: usize) -> Vec<String> {
        self.keys_for(action)
            .iter()
            .take(max)
            .map(|keys| format_sequence(keys))
            .collect()
    }

    /// The help screen: one entry per action (per description, if one action's entries
    /// describe it differently), in the order of [`Action::ALL`], keys in file order.
    pub fn help_entries(&self) -> Vec<HelpEntry> {
        let mut bindings: Vec<(&Vec<KeyChord>, &Binding)> = self.bindings.iter().collect();
        bindings.sort_by_key(|(_, b)| (b.action, b.order));
        let mut entries: Vec<HelpEntry> = Vec::new();
        for (keys, binding) in bindings {
            let keys = format_sequence(keys);
            match entries
                .iter_mut()
                .find(|e| e.action == binding.action && e.desc == binding.desc)
            {
                Some(entry) => {
                    entry.keys.push_str(", ");
                    entry.keys.push_str(&keys);
                }
                None => entries.push(HelpEntry {
                    keys,
                    action: binding.action,
                    desc: binding.desc.clone(),
                }),
            }
        }
        entries
    }

    /// Lays `over` on `base` key by key. An override entry replaces the binding of the
    /// same sequence; `noop` removes it and every binding it starts. A new binding that
    /// is the start of a base binding, or starts with one, replaces it with a warning.
    /// A keymap in which no key quits is refused: it would trap the user in raw mode.
    fn build(
        name: &str,
        base: KeymapFile,
        over: Option<KeymapFile>,
        warnings: &mut Vec<String>,
    ) -> Result<Keymap, KeymapError> {
        let base_quits = base.entries.iter().any(|e| e.action == Action::Quit);
        let base_label = base.label.clone();
        let mut bindings: HashMap<Vec<KeyChord>, Binding> = HashMap::new();
        let mut order = 0;
        for entry in base.entries {
            order += 1;
            if entry.action != Action::Noop {
                let binding = Binding {
                    action: entry.action,
                    desc: entry.desc,
                    order,
                };
                bindings.insert(entry.keys, binding);
            }
        }
        for entry in over.iter().flat_map(|file| &file.entries) {
            order += 1;
            let label = over.as_ref().map_or("", |f| f.label.as_str());
            let removed = bindings.remove(&entry.keys).is_some();
            let mut clashing: Vec<Vec<KeyChord>> = bindings
                .keys()
                .filter(|keys| {
                    starts_strictly(keys, &entry.keys)
                        || (entry.action != Action::Noop && starts_strictly(&entry.keys, keys))
                })
                .cloned()
                .collect();
            clashing.sort();
            let unbound = !clashing.is_empty();
            for keys in clashing {
                let Some(old) = bindings.remove(&keys) else {
                    continue;
                };
                if entry.action != Action::Noop {
                    warnings.push(format!(
                        "{label}:{}: \"{}\" replaces \"{}\" ({}) of keymap {name}, since a key \
                         cannot both run an action and start a sequence",
                        entry.line,
                        format_sequence(&entry.keys),
                        format_sequence(&keys),
                        old.action,
                    ));
                }
            }
            if entry.action == Action::Noop {
                if !removed && !unbound {
                    warnings.push(format!(
                        "{label}:{}: \"{}\" is not bound in keymap {name}, so there is nothing \
                         to unbind",
                        entry.line,
                        format_sequence(&entry.keys),
                    ));
                }
                continue;
            }
            let binding = Binding {
                action: entry.action,
                desc: entry.desc.clone(),
                order,
            };
            bindings.insert(entry.keys.clone(), binding);
        }
        if !bindings.values().any(|b| b.action == Action::Quit) {
            // Name the file that took the last way out away.
            let file = match &over {
                Some(over) if base_quits => over.label.clone(),
                _ => base_label,
            };
            return Err(KeymapError::NoQuit { file });
        }
        let prefixes = bindings
            .keys()
            .flat_map(|keys| (1..keys.len()).map(|len| keys[..len].to_vec()))
            .collect();
        Ok(Keymap {
            name: name.to_owned(),
            bindings,
            prefixes,
            layout: KeyboardLayout::default(),
        })
    }
}

/// True when `long` starts with `short` and is longer.
fn starts_strictly(long: &[KeyChord], short: &[KeyChord]) -> bool {
    long.len() > short.len() && long.starts_with(short)
}

fn read(path: &Path) -> Result<String, KeymapError> {
    fsread::read_regular_text(path, fsread::limit::SETTINGS).map_err(KeymapError::Read)
}

/// The candidate closest to `word`, if it is a likely typo: at most a third of the
/// word's length away (and at least 1) by edit distance, or one of the two starts the
/// other ("escape" and "esc").
fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    if word.len() > MAX_SUGGEST_CHARS * 4 || word.chars().count() > MAX_SUGGEST_CHARS {
        return None;
    }
    let limit = (word.chars().count() / 3).max(1);
    let close = |candidate: &str, distance: usize| {
        distance <= limit
            || (candidate.len().min(word.len()) >= 3
                && (candidate.starts_with(word) || word.starts_with(candidate)))
    };
    candidates
        .into_iter()
        .map(|candidate| (edit_distance(word, candidate), candidate))
        .filter(|(distance, candidate)| close(candidate, *distance))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Edit distance over characters, counting a swap of two neighbours as one edit
/// (optimal string alignment).
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        for j in 0..=b.len() {
            d[i * width + j] = if i == 0 || j == 0 {
                i + j
            } else {
                let mut best = (d[(i - 1) * width + j] + 1)
                    .min(d[i * width + j - 1] + 1)
                    .min(d[(i - 1) * width + j - 1] + usize::from(a[i - 1] != b[j - 1]));
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(d[(i - 2) * width + j - 2] + 1);
                }
                best
            };
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(text: &str) -> Vec<KeyChord> {
        parse_sequence(text).unwrap()
    }

    #[test]
    fn suggestions() {
        assert_eq!(edit_distance("scrol_down", "scroll_down"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(
            suggest("scrol_down", Action::ALL.iter().map(|a| a.name())),
            Some("scroll_down")
        );
        assert_eq!(suggest("fly", Action::ALL.iter().map(|a| a.name())), None);
        assert_eq!(suggest("vmi", ["default", "vim"]), Some("vim"));
        assert!(
            SHIPPED_NAMES
                .iter()
                .all(|name| Keymap::shipped_source(name).is_some())
        );
        assert_eq!(suggest("escape", ["enter", "esc"]), Some("esc"));
        assert_eq!(suggest("x", ["enter", "esc"]), None);
    }

    #[test]
    fn lookup_states() {
        let text = r#"
            keys = [
                { on = "q", run = "quit" },
                { on = ["g", "g"], run = "go_top" },
                { on = ["ctrl+x", "ctrl+c"], run = "quit" },
                { on = "ctrl+g", run = "cancel" },
            ]
        "#;
        let (map, warnings) = Keymap::from_toml("t.toml", text).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(map.lookup(&keys("q")), Lookup::Matched(Action::Quit));
        assert_eq!(map.lookup(&keys("g")), Lookup::Pending);
        assert_eq!(map.lookup(&keys("g g")), Lookup::Matched(Action::GoTop));
        assert_eq!(map.lookup(&keys("g esc")), Lookup::Cancelled);
        assert_eq!(map.lookup(&keys("ctrl+x ctrl+g")), Lookup::Cancelled);
        assert_eq!(map.lookup(&keys("g x")), Lookup::NotFound);
        assert_eq!(map.lookup(&keys("esc")), Lookup::NotFound);
        assert_eq!(map.lookup(&keys("x esc")), Lookup::NotFound);
        assert_eq!(map.lookup(&[]), Lookup::NotFound);
    }

    #[test]
    fn help_groups_keys_by_action() {
        let text = r#"
            keys = [
                { on = "j", run = "scroll_down", desc = "Down" },
                { on = "q", run = "quit", desc = "Quit" },
                { on = "down", run = "scroll_down", desc = "Down" },
            ]
        "#;
        let (map, _) = Keymap::from_toml("t.toml", text).unwrap();
        let help = map.help_entries();
        assert_eq!(help.len(), 2);
        assert_eq!(help[0].action, Action::Quit);
        assert_eq!(help[1].keys, "j, down");
        assert_eq!(
            map.keys_for(Action::ScrollDown),
            vec![keys("j"), keys("down")]
        );
    }

    #[test]
    fn ctrl_with_a_capital_is_warned_about() {
        let text = "\u{feff}[[keys]]\non = \"ctrl+D\"\nrun = \"quit\"\n";
        let (map, warnings) = Keymap::from_toml("t.toml", text).unwrap();
        assert_eq!(
            map.lookup(&keys("ctrl+shift+d")),
            Lookup::Matched(Action::Quit)
        );
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("t.toml:2: \"ctrl+D\" is ctrl+shift+d, "));
    }
}
