//! `config.toml`: the user's settings. Every field is optional; a broken file gets a
//! message that names the file and the line.

use std::path::{Path, PathBuf};

use ratatui::style::Color;
use serde::Deserialize;
use thiserror::Error;

/// Which side of the screen the side panel is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum PanelSide {
    Left,
    #[default]
    Right,
}

/// Who does the bidirectional layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum BidiMode {
    /// qari shapes and reorders; the terminal is put in explicit mode (CSI 8 l).
    #[default]
    App,
    /// qari prints logical order, unshaped, for terminals that reorder by themselves.
    Terminal,
}

/// When the side panel looks up the word under the cursor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum LookupOn {
    /// Whenever the cursor moves.
    #[default]
    Move,
    /// Only on `lookup_word` (Enter).
    Enter,
}

/// Keep or strip harakat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum HarakatSetting {
    #[default]
    Keep,
    Strip,
}

/// The side panel's settings.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct PanelConfig {
    pub visible: bool,
    pub side: PanelSide,
    pub width: u16,
}

impl Default for PanelConfig {
    fn default() -> Self {
        Self {
            visible: false,
            side: PanelSide::Right,
            width: 40,
        }
    }
}

/// Colours, as names ("yellow", "lightblue") or "#rrggbb".
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Colors {
    #[serde(deserialize_with = "color")]
    pub cursor: Color,
    #[serde(deserialize_with = "color")]
    pub selection: Color,
    #[serde(deserialize_with = "color")]
    pub search_hit: Color,
    #[serde(deserialize_with = "color")]
    pub current_hit: Color,
    #[serde(deserialize_with = "color")]
    pub status_bar: Color,
    #[serde(deserialize_with = "color")]
    pub panel_border: Color,
}

impl Default for Colors {
    fn default() -> Self {
        Self {
            cursor: Color::Yellow,
            selection: Color::LightYellow,
            search_hit: Color::LightBlue,
            current_hit: Color::LightMagenta,
            status_bar: Color::DarkGray,
            // The terminal's own foreground, legible on its background whether light or
            // dark; Gray (colour 7) all but vanishes on white.
            panel_border: Color::Reset,
        }
    }
}

fn color<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Color, D::Error> {
    let name = String::deserialize(d)?;
    name.parse()
        .map_err(|_| serde::de::Error::custom(format!("unknown colour \"{name}\"")))
}

/// Everything `config.toml` can say.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// A shipped keymap name or a path.
    pub keymap: String,
    pub bidi: Option<BidiMode>,
    pub harakat: HarakatSetting,
    pub shaping: bool,
    /// Empty columns on each side of the text.
    pub margin: u16,
    /// The widest the text column gets, in cells (0: as wide as the pane). A wider pane
    /// centres the column, as a page sits in the middle of a book.
    pub max_width: u16,
    pub lookup_on: LookupOn,
    /// The Arabic-script keyboard layout whose keys stand for the Latin keys in their
    /// places: "arabic" (101) or "persian".
    pub keyboard_layout: crate::keymap::KeyboardLayout,
    /// The Buckwalter lexicon's directory, for glossary lookups.
    pub buckwalter_dir: Option<PathBuf>,
    pub panel: PanelConfig,
    pub colors: Colors,
    /// Dictionary sources (`[glossary]`).
    pub glossary: crate::glossary::GlossaryConfig,
    /// Machine translation (`[translate]`); opt-in.
    pub translate: crate::translate::config::TranslateConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            keymap: "default".into(),
            bidi: None,
            harakat: HarakatSetting::Keep,
            shaping: true,
            margin: 1,
            max_width: 80,
            lookup_on: LookupOn::Move,
            keyboard_layout: crate::keymap::KeyboardLayout::Arabic,
            buckwalter_dir: None,
            panel: PanelConfig::default(),
            colors: Colors::default(),
            glossary: crate::glossary::GlossaryConfig::default(),
            translate: crate::translate::config::TranslateConfig::default(),
        }
    }
}

/// Reader settings given on the command line; each one given wins over the file.
#[derive(Debug, Clone, Copy, Default)]
pub struct ReaderOverrides {
    /// `--panel`: open with the panel shown.
    pub panel: bool,
    pub panel_side: Option<PanelSide>,
    pub panel_width: Option<u16>,
    pub max_width: Option<u16>,
}

impl ReaderOverrides {
    /// Writes the settings given over those of `config`.
    pub fn apply(&self, config: &mut Config) {
        config.panel.visible |= self.panel;
        if let Some(side) = self.panel_side {
            config.panel.side = side;
        }
        if let Some(width) = self.panel_width {
            config.panel.width = width;
        }
        if let Some(width) = self.max_width {
            config.max_width = width;
        }
    }
}

/// A configuration file that could not be used.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{}: cannot read: {}", .0.path().display(), .0.reason())]
    Read(crate::fsread::ReadError),
    #[error("{path}:{line}: {message}")]
    Parse {
        path: String,
        line: usize,
        message: String,
    },
}

/// The 1-based line of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

impl Config {
    /// Reads `path`; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        match crate::fsread::read_regular_text(path, crate::fsread::limit::SETTINGS) {
            Ok(text) => Self::parse(&text, path),
            Err(err) if err.is_not_found() => Ok(Self::default()),
            Err(err) => Err(ConfigError::Read(err)),
        }
    }

    /// Parses the text of a configuration file; `path` is for messages.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ConfigError> {
        toml::from_str(text).map_err(|err| ConfigError::Parse {
            path: path.display().to_string(),
            line: err.span().map_or(1, |span| line_of(text, span.start)),
            message: err.message().trim().to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_values() {
        let c = Config::parse("", Path::new("c.toml")).unwrap();
        assert_eq!(c.keymap, "default");
        let c = Config::parse(
            "keymap = \"vim\"\nharakat = \"strip\"\n[panel]\nside = \"left\"\nwidth = 30\n[colors]\ncursor = \"#ff0000\"\n",
            Path::new("c.toml"),
        )
        .unwrap();
        assert_eq!(c.keymap, "vim");
        assert_eq!(c.harakat, HarakatSetting::Strip);
        assert_eq!(c.panel.side, PanelSide::Left);
        assert_eq!(c.colors.cursor, Color::Rgb(255, 0, 0));
    }

    #[test]
    fn max_width_defaults_to_80_and_0_means_none() {
        assert_eq!(
            Config::parse("", Path::new("c.toml")).unwrap().max_width,
            80
        );
        let c = Config::parse("max_width = 0\n", Path::new("c.toml")).unwrap();
        assert_eq!(c.max_width, 0);
    }

    #[test]
    fn the_command_line_wins_over_the_file() {
        let mut c = Config::parse(
            "max_width = 70\n[panel]\nvisible = false\nside = \"right\"\nwidth = 30\n",
            Path::new("c.toml"),
        )
        .unwrap();
        ReaderOverrides::default().apply(&mut c);
        assert!(!c.panel.visible);
        assert_eq!(
            (c.panel.side, c.panel.width, c.max_width),
            (PanelSide::Right, 30, 70)
        );
        ReaderOverrides {
            panel: true,
            panel_side: Some(PanelSide::Left),
            panel_width: Some(50),
            max_width: Some(0),
        }
        .apply(&mut c);
        assert!(c.panel.visible);
        assert_eq!(
            (c.panel.side, c.panel.width, c.max_width),
            (PanelSide::Left, 50, 0)
        );
    }

    #[test]
    fn errors_name_file_and_line() {
        let err = Config::parse(
            "shaping = true\n\n[panel]\nside = \"up\"\n",
            Path::new("c.toml"),
        )
        .unwrap_err()
        .to_string();
        assert!(err.starts_with("c.toml:4: "), "{err}");
        assert!(err.contains("up"), "{err}");
        let err = Config::parse("keymap = \"vim\"\ncolour = 1\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("c.toml:2: ") && err.contains("colour"),
            "{err}"
        );
        let err = Config::parse("margin = [\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("c.toml:"), "{err}");
    }
}
