//! Key chords: one key with its modifiers, as keymap files name them ("ctrl+d", "G",
//! "space") and as crossterm reports them.
//!
//! A chord is kept in one normal form so that the name in a file and the event from the
//! terminal compare equal: shift is folded into characters ("shift+g" is `G`, and a
//! `%` typed with shift is just `%`), and shift+tab is `BackTab`.

use std::fmt;
use std::str::FromStr;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// A key without its modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Key {
    /// A character key; `' '` is the space bar.
    Char(char),
    Enter,
    Esc,
    Tab,
    /// Shift+tab; named "shift+tab" or "backtab".
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    /// A function key, F1 to F24.
    F(u8),
    /// A key that no keymap can name (media keys, caps lock, super or hyper chords, ...).
    Unsupported,
}

/// The names of the keys that are not single characters, as keymap files write them.
const NAMED_KEYS: &[(&str, Key)] = &[
    ("space", Key::Char(' ')),
    ("enter", Key::Enter),
    ("esc", Key::Esc),
    ("tab", Key::Tab),
    ("backtab", Key::BackTab),
    ("backspace", Key::Backspace),
    ("delete", Key::Delete),
    ("insert", Key::Insert),
    ("up", Key::Up),
    ("down", Key::Down),
    ("left", Key::Left),
    ("right", Key::Right),
    ("home", Key::Home),
    ("end", Key::End),
    ("pageup", Key::PageUp),
    ("pagedown", Key::PageDown),
];

/// The highest function key a keymap may name.
const MAX_F: u8 = 24;

/// Modifier keys held with a key. Super, hyper and meta are not bindable.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Modifiers {
    pub ctrl: bool,
    pub alt: bool,
    pub shift: bool,
}

impl Modifiers {
    pub const NONE: Modifiers = Modifiers {
        ctrl: false,
        alt: false,
        shift: false,
    };
    pub const CTRL: Modifiers = Modifiers {
        ctrl: true,
        ..Modifiers::NONE
    };
    pub const ALT: Modifiers = Modifiers {
        alt: true,
        ..Modifiers::NONE
    };
    pub const SHIFT: Modifiers = Modifiers {
        shift: true,
        ..Modifiers::NONE
    };
}

/// One key with its modifiers, in normal form (see the module comment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyChord {
    key: Key,
    mods: Modifiers,
}

impl KeyChord {
    /// The chord for `key` with `mods`, normalised: shift+letter becomes the capital
    /// letter, shift on any other character is dropped, shift+tab becomes `BackTab`.
    pub fn new(key: Key, mods: Modifiers) -> KeyChord {
        let mut mods = mods;
        let key = match key {
            Key::Char(c) => {
                let c = if mods.shift {
                    capital(c).unwrap_or(c)
                } else {
                    c
                };
                mods.shift = false;
                Key::Char(c)
            }
            Key::Tab if mods.shift => {
                mods.shift = false;
                Key::BackTab
            }
            Key::BackTab => {
                mods.shift = false;
                Key::BackTab
            }
            Key::Unsupported => {
                mods = Modifiers::NONE;
                Key::Unsupported
            }
            other => other,
        };
        KeyChord { key, mods }
    }

    /// A key pressed alone.
    pub fn plain(key: Key) -> KeyChord {
        KeyChord::new(key, Modifiers::NONE)
    }

    /// A character typed alone; `'G'` is shift+g.
    pub fn char(c: char) -> KeyChord {
        KeyChord::plain(Key::Char(c))
    }

    /// Ctrl with a character, e.g. `KeyChord::ctrl('d')`.
    pub fn ctrl(c: char) -> KeyChord {
        KeyChord::new(Key::Char(c), Modifiers::CTRL)
    }

    /// Alt with a character, e.g. `KeyChord::alt('v')`.
    pub fn alt(c: char) -> KeyChord {
        KeyChord::new(Key::Char(c), Modifiers::ALT)
    }

    pub fn key(self) -> Key {
        self.key
    }

    pub fn modifiers(self) -> Modifiers {
        self.mods
    }

    /// True for esc pressed alone, which always cancels a pending sequence.
    pub fn is_esc(self) -> bool {
        self == KeyChord::plain(Key::Esc)
    }
}

/// The capital of a lowercase letter, when it is a single different character.
fn capital(c: char) -> Option<char> {
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) if u != c => Some(u),
        _ => None,
    }
}

/// True when shift+`c` has a meaning of its own: `c` is a letter with a capital.
fn takes_shift(c: char) -> bool {
    c.is_uppercase() || capital(c).is_some()
}

impl From<KeyEvent> for KeyChord {
    /// Converts a crossterm key event. The event's kind (press, repeat, release) is not
    /// looked at: the caller decides which kinds count.
    fn from(event: KeyEvent) -> KeyChord {
        if event
            .modifiers
            .intersects(KeyModifiers::SUPER | KeyModifiers::HYPER | KeyModifiers::META)
        {
            return KeyChord::plain(Key::Unsupported);
        }
        let mods = Modifiers {
            ctrl: event.modifiers.contains(KeyModifiers::CONTROL),
            alt: event.modifiers.contains(KeyModifiers::ALT),
            shift: event.modifiers.contains(KeyModifiers::SHIFT),
        };
        let key = match event.code {
            KeyCode::Char(c) => Key::Char(c),
            KeyCode::Enter => Key::Enter,
            KeyCode::Esc => Key::Esc,
            KeyCode::Tab => Key::Tab,
            KeyCode::BackTab => Key::BackTab,
            KeyCode::Backspace => Key::Backspace,
            KeyCode::Delete => Key::Delete,
            KeyCode::Insert => Key::Insert,
            KeyCode::Up => Key::Up,
            KeyCode::Down => Key::Down,
            KeyCode::Left => Key::Left,
            KeyCode::Right => Key::Right,
            KeyCode::Home => Key::Home,
            KeyCode::End => Key::End,
            KeyCode::PageUp => Key::PageUp,
            KeyCode::PageDown => Key::PageDown,
            KeyCode::F(n) => Key::F(n),
            _ => Key::Unsupported,
        };
        KeyChord::new(key, mods)
    }
}

impl fmt::Display for KeyChord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.ctrl {
            f.write_str("ctrl+")?;
        }
        if self.mods.alt {
            f.write_str("alt+")?;
        }
        if self.mods.shift {
            f.write_str("shift+")?;
        }
        match self.key {
            Key::Char(' ') => f.write_str("space"),
            Key::Char(c) => write!(f, "{c}"),
            Key::BackTab => f.write_str("shift+tab"),
            Key::F(n) => write!(f, "f{n}"),
            Key::Unsupported => f.write_str("unsupported key"),
            named => {
                let name = NAMED_KEYS
                    .iter()
                    .find(|(_, key)| *key == named)
                    .map_or("unsupported key", |(name, _)| name);
                f.write_str(name)
            }
        }
    }
}

/// Why a key name could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyNameError {
    #[error("empty key name")]
    Empty,
    #[error("bad key \"{name}\": a key sequence is written as a list, e.g. [\"g\", \"g\"]")]
    Sequence { name: String },
    #[error("bad key \"{name}\": unknown modifier \"{modifier}\" (use ctrl+, alt+ or shift+)")]
    UnknownModifier { name: String, modifier: String },
    #[error("bad key \"{name}\": {modifier}+ is given twice")]
    DuplicateModifier {
        name: String,
        modifier: &'static str,
    },
    #[error(
        "bad key \"{name}\": shift+ goes with letters and named keys only; \
         for \"{key}\" write the character shift gives (e.g. \"%\" rather than \"shift+5\")"
    )]
    ShiftOnSymbol { name: String, key: String },
    #[error(
        "bad key \"{name}\": control characters cannot be named directly; use \"tab\", \"enter\" or \"ctrl+...\""
    )]
    ControlChar { name: String },
    #[error("bad key \"{name}\": {hint}")]
    UnknownKey { name: String, hint: String },
}

impl FromStr for KeyChord {
    type Err = KeyNameError;

    /// Reads one chord: `j`, `G`, `%`, `space`, `ctrl+d`, `alt+shift+up`, `f5`, ...
    /// Modifier and key names are case-insensitive; single characters are not.
    fn from_str(name: &str) -> Result<KeyChord, KeyNameError> {
        if name.is_empty() {
            return Err(KeyNameError::Empty);
        }
        let mut mods = Modifiers::NONE;
        let mut rest = name;
        // "+" alone and "ctrl++" name the plus key: a '+' with nothing after it is the key.
        while let Some((head, tail)) = rest.split_once('+').filter(|(_, tail)| !tail.is_empty()) {
            let (flag, modifier) = match head.to_ascii_lowercase().as_str() {
                "ctrl" => (&mut mods.ctrl, "ctrl"),
                "alt" => (&mut mods.alt, "alt"),
                "shift" => (&mut mods.shift, "shift"),
                _ if head.chars().any(char::is_whitespace) => {
                    return Err(KeyNameError::Sequence { name: name.into() });
                }
                _ => {
                    return Err(KeyNameError::UnknownModifier {
                        name: name.into(),
                        modifier: head.into(),
                    });
                }
            };
            if *flag {
                return Err(KeyNameError::DuplicateModifier {
                    name: name.into(),
                    modifier,
                });
            }
            *flag = true;
            rest = tail;
        }
        let key = parse_key(name, rest)?;
        if let Key::Char(c) = key
            && mods.shift
            && !takes_shift(c)
        {
            return Err(KeyNameError::ShiftOnSymbol {
                name: name.into(),
                key: KeyChord::char(c).to_string(),
            });
        }
        Ok(KeyChord::new(key, mods))
    }
}

/// Reads the key part of a chord name (after the modifiers).
fn parse_key(name: &str, key: &str) -> Result<Key, KeyNameError> {
    let mut chars = key.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        if c.is_control() {
            return Err(KeyNameError::ControlChar { name: name.into() });
        }
        return Ok(Key::Char(c));
    }
    if key.trim().is_empty() {
        return Err(KeyNameError::Empty);
    }
    if key.chars().any(char::is_whitespace) {
        return Err(KeyNameError::Sequence { name: name.into() });
    }
    let lower = key.to_ascii_lowercase();
    if let Some((_, named)) = NAMED_KEYS.iter().find(|(n, _)| *n == lower) {
        return Ok(*named);
    }
    if let Some(digits) = lower.strip_prefix('f')
        && !digits.is_empty()
        && !digits.starts_with('0')
        && digits.bytes().all(|b| b.is_ascii_digit())
        && let Ok(n) = digits.parse::<u8>()
        && (1..=MAX_F).contains(&n)
    {
        return Ok(Key::F(n));
    }
    let candidates = NAMED_KEYS
        .iter()
        .map(|(n, _)| *n)
        .chain(["f1", "f12"])
        .collect::<Vec<_>>();
    let hint = match super::suggest(&lower, candidates.iter().copied()) {
        Some(best) => format!("unknown key name (did you mean \"{best}\"?)"),
        None => format!(
            "unknown key name; expected a single character or one of {}, f1..f{MAX_F}",
            candidates[..NAMED_KEYS.len()].join(", ")
        ),
    };
    Err(KeyNameError::UnknownKey {
        name: name.into(),
        hint,
    })
}

/// Reads a key sequence written as chords separated by spaces, e.g. `"g g"` or
/// `"ctrl+x ctrl+c"` (the form [`format_sequence`] writes).
pub fn parse_sequence(text: &str) -> Result<Vec<KeyChord>, KeyNameError> {
    let keys = text
        .split_whitespace()
        .map(str::parse)
        .collect::<Result<Vec<KeyChord>, _>>()?;
    if keys.is_empty() {
        return Err(KeyNameError::Empty);
    }
    Ok(keys)
}

/// Writes a key sequence for people: chords separated by spaces, e.g. `"g g"`.
pub fn format_sequence(keys: &[KeyChord]) -> String {
    keys.iter()
        .map(KeyChord::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chord(name: &str) -> KeyChord {
        name.parse().unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    #[test]
    fn names_and_their_normal_form() {
        assert_eq!(chord("G"), chord("shift+g"));
        assert_eq!(chord("G"), chord("Shift+G"));
        assert_eq!(chord("g"), KeyChord::char('g'));
        assert_ne!(chord("g"), chord("G"));
        assert_eq!(chord("CTRL+d"), KeyChord::ctrl('d'));
        assert_eq!(chord("space"), KeyChord::char(' '));
        assert_eq!(chord(" "), KeyChord::char(' '));
        assert_eq!(chord("shift+tab"), chord("backtab"));
        assert_eq!(chord("PageDown").key(), Key::PageDown);
        assert_eq!(chord("f12").key(), Key::F(12));
        assert_eq!(chord("+"), KeyChord::char('+'));
        assert_eq!(chord("ctrl++"), KeyChord::ctrl('+'));
        assert_eq!(chord("alt+<"), KeyChord::alt('<'));
        assert_eq!(chord("shift+up").modifiers(), Modifiers::SHIFT);
    }

    #[test]
    fn display_is_the_canonical_name() {
        for (name, shown) in [
            ("shift+g", "G"),
            ("Ctrl+D", "ctrl+D"),
            ("ctrl+d", "ctrl+d"),
            ("space", "space"),
            ("backtab", "shift+tab"),
            ("alt+ctrl+x", "ctrl+alt+x"),
            ("ESC", "esc"),
            ("shift+PageUp", "shift+pageup"),
            ("F5", "f5"),
            ("ctrl++", "ctrl++"),
        ] {
            assert_eq!(chord(name).to_string(), shown, "{name}");
        }
    }

    #[test]
    fn bad_names_are_refused() {
        for name in [
            "",
            "g g",
            "ctl+d",
            "ctrl+ctrl+d",
            "shift+5",
            "shift+%",
            "pgdn",
            "f0",
            "f25",
            "f+1",
            "\t",
            "ctrl+",
            "a+b",
            "shift+space",
        ] {
            assert!(name.parse::<KeyChord>().is_err(), "{name:?} was accepted");
        }
        assert!(
            "escape"
                .parse::<KeyChord>()
                .unwrap_err()
                .to_string()
                .contains("did you mean \"esc\"?")
        );
    }

    #[test]
    fn sequences() {
        let keys = parse_sequence("ctrl+x  ctrl+c").unwrap();
        assert_eq!(keys, vec![KeyChord::ctrl('x'), KeyChord::ctrl('c')]);
        assert_eq!(format_sequence(&keys), "ctrl+x ctrl+c");
        assert!(parse_sequence("  ").is_err());
    }
}
