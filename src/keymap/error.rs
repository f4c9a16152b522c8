//! Errors from loading a keymap. Each problem in a file names the file and the line, so
//! the message can be printed as it is and the user can go straight to the entry.

use std::fmt;

/// The longest name a message quotes whole.
const QUOTED_CHARS: usize = 60;

/// `name` in quotes, or its start and its length when it is too long to quote whole.
fn shorten(name: &str) -> String {
    let count = name.chars().count();
    if count <= QUOTED_CHARS {
        return format!("\"{name}\"");
    }
    let start: String = name.chars().take(QUOTED_CHARS).collect();
    format!("\"{start}...\" ({count} characters)")
}

/// One thing wrong in a keymap file, at a line when the line is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file as the user named it, or `keymaps/NAME.toml` for a shipped keymap.
    pub file: String,
    /// 1-based; `None` when the TOML parser gave no position.
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Why a keymap could not be loaded. The caller prints it and exits with code 2.
#[derive(Debug, thiserror::Error)]
pub enum KeymapError {
    /// The choice is neither a shipped keymap nor a file.
    #[error(
        "unknown keymap {}: give one of {} or the path of a TOML file{}",
        shorten(name),
        super::Keymap::shipped_names().join(", "),
        suggestion.as_ref().map(|s| format!(" (did you mean \"{s}\"?)")).unwrap_or_default()
    )]
    UnknownKeymap {
        name: String,
        suggestion: Option<String>,
    },
    /// The file exists (or was named as a path) but could not be read.
    #[error("cannot read keymap file {}: {}", .0.path().display(), .0.reason())]
    Read(crate::fsread::ReadError),
    /// The file was read but is not a valid keymap; every problem found, in line order.
    #[error("{}", problems.iter().map(Problem::to_string).collect::<Vec<_>>().join("\n"))]
    Invalid { problems: Vec<Problem> },
    /// No key is left that quits the reader.
    #[error(
        "{file}: no key quits the reader, so it could not be left; bind one, for example \
         {{ on = \"q\", run = \"quit\" }}"
    )]
    NoQuit { file: String },
}
