//! `[translate]` in `config.toml`: which provider, where, with which prompts and
//! examples, and how long to wait. Translation is opt-in: without a provider nothing
//! leaves the machine.

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;

use super::Secret;
use super::http::Policy;

/// The translation services qari speaks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    /// LibreTranslate, self-hosted or public.
    Libretranslate,
    /// The DeepL API v2.
    Deepl,
    /// OpenAI-compatible chat completions (hosted, llama-server, Ollama).
    Openai,
}

impl ProviderKind {
    /// The name used in the config and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Libretranslate => "libretranslate",
            Self::Deepl => "deepl",
            Self::Openai => "openai",
        }
    }

    /// The environment variable that holds this provider's key.
    pub fn key_variable(self) -> &'static str {
        match self {
            Self::Libretranslate => "LIBRETRANSLATE_API_KEY",
            Self::Deepl => "DEEPL_AUTH_KEY",
            Self::Openai => "OPENAI_API_KEY",
        }
    }
}

/// The prompts sent to a chat model. `{from}` and `{to}` become language names,
/// `{text}` the text (or the sentence, to explain), `{word}` the word to explain.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Prompts {
    /// The system message for translating.
    pub system: String,
    /// Each text to translate (and each example's source).
    pub translate: String,
    /// The system message for explaining a word.
    pub explain_system: String,
    /// Each word to explain, with its sentence.
    pub explain: String,
}

impl Default for Prompts {
    fn default() -> Self {
        Self {
            system: "You are a careful translator from {from} into {to}. Translate the text the user \
                     sends, faithfully and completely, keeping names and numbers. Answer with the \
                     translation only, without notes or quotation marks."
                .into(),
            translate: "{text}".into(),
            explain_system: "You help a reader who is learning {from}. The user sends a word and the \
                             sentence it is used in. Answer in {to}, briefly, in three parts: the \
                             meaning of the word in this sentence; its dictionary form (for a verb \
                             the perfect, third person masculine singular; for a noun the singular); \
                             its root letters."
                .into(),
            explain: "Word: {word}\nSentence: {text}".into(),
        }
    }
}

/// A translation shown to the model before the real question (few-shot).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub source: String,
    pub translation: String,
}

/// An explanation shown to the model before the real question.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExplainExample {
    pub word: String,
    pub sentence: String,
    pub answer: String,
}

/// Everything `[translate]` can say.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TranslateConfig {
    pub provider: Option<ProviderKind>,
    /// The server's base URL; each provider has a default but LibreTranslate's and the
    /// chat endpoint's are local servers.
    pub url: Option<String>,
    /// The model, for chat providers.
    pub model: Option<String>,
    /// The key; the provider's environment variable wins. A config file holding a key
    /// should be readable by its owner only.
    pub api_key: Option<Secret>,
    /// Language codes.
    pub from: String,
    pub to: String,
    /// Seconds for a whole request, retries included.
    pub timeout: f64,
    /// How many times a 429 or 503 is retried.
    pub retries: u32,
    /// The cache's size limit in megabytes (0: no cache).
    pub cache_size_mb: u64,
    /// Stop sequences for chat models (`["\n"]` for a base model).
    pub stop: Vec<String>,
    pub prompts: Prompts,
    pub examples: Vec<Example>,
    pub explain_examples: Vec<ExplainExample>,
    /// In the reader: once a sentence is translated, ask for the next one too, so that
    /// reading on finds its translation ready (more requests; off by default).
    pub prefetch: bool,
}

impl Default for TranslateConfig {
    fn default() -> Self {
        Self {
            provider: None,
            url: None,
            model: None,
            api_key: None,
            from: "ar".into(),
            to: "en".into(),
            timeout: 20.0,
            retries: 3,
            cache_size_mb: 50,
            stop: Vec::new(),
            prompts: Prompts::default(),
            examples: Vec::new(),
            explain_examples: Vec::new(),
            prefetch: false,
        }
    }
}

/// Settings given on the command line; each one given wins over the file.
#[derive(Debug, Clone, Default)]
pub struct TranslateOverrides {
    pub provider: Option<ProviderKind>,
    pub url: Option<String>,
    pub model: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub timeout: Option<f64>,
}

impl TranslateOverrides {
    /// Writes the settings given over those of `config`.
    pub fn apply(&self, config: &mut TranslateConfig) {
        if let Some(provider) = self.provider {
            if config.provider != Some(provider) {
                // The file's URL and model were for another provider.
                config.url = None;
                config.model = None;
            }
            config.provider = Some(provider);
        }
        let set = |field: &mut String, value: &Option<String>| {
            if let Some(value) = value {
                *field = value.clone();
            }
        };
        set(&mut config.from, &self.from);
        set(&mut config.to, &self.to);
        if self.url.is_some() {
            config.url = self.url.clone();
        }
        if self.model.is_some() {
            config.model = self.model.clone();
        }
        if let Some(timeout) = self.timeout {
            config.timeout = timeout;
        }
    }
}

impl TranslateConfig {
    /// How hard requests try.
    pub fn policy(&self) -> Policy {
        let timeout = if self.timeout.is_finite() && self.timeout > 0.0 {
            Duration::from_secs_f64(self.timeout.min(3600.0))
        } else {
            Policy::default().timeout
        };
        Policy {
            timeout,
            retries: self.retries.min(10),
            ..Policy::default()
        }
    }

    /// The key for `kind`: its environment variable, else the config's `api_key`.
    pub fn key(&self, kind: ProviderKind) -> Option<Secret> {
        std::env::var(kind.key_variable())
            .ok()
            .filter(|k| !k.trim().is_empty())
            .map(|k| Secret::new(k.trim()))
            .or_else(|| self.api_key.clone())
    }
}

/// A warning when the config file at `path` holds a key and other users may read it.
pub fn key_file_warning(path: &Path, config: &TranslateConfig) -> Option<String> {
    config.api_key.as_ref()?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            return Some(format!(
                "{} holds a translation key and other users may read it (mode {:o}): run chmod 600 on it, or put the key in an environment variable instead",
                path.display(),
                mode & 0o777
            ));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    #[test]
    fn the_section_parses_and_the_command_line_wins() {
        let text = "[translate]\nprovider = \"openai\"\nurl = \"http://127.0.0.1:8089/v1\"\nmodel = \"m\"\ntimeout = 5\nstop = [\"\\n\"]\n[translate.prompts]\nsystem = \"S\"\n[[translate.examples]]\nsource = \"كتاب\"\ntranslation = \"a book\"\n";
        let config = Config::parse(text, Path::new("c.toml")).unwrap();
        let mut t = config.translate;
        assert_eq!(t.provider, Some(ProviderKind::Openai));
        assert_eq!(t.prompts.system, "S");
        assert_eq!(t.prompts.translate, "{text}");
        assert_eq!(t.examples.len(), 1);
        assert_eq!(t.policy().timeout, Duration::from_secs(5));
        TranslateOverrides {
            provider: Some(ProviderKind::Libretranslate),
            to: Some("fr".into()),
            ..Default::default()
        }
        .apply(&mut t);
        assert_eq!(
            (t.provider, t.url.as_deref(), t.to.as_str()),
            (Some(ProviderKind::Libretranslate), None, "fr")
        );
    }

    #[test]
    fn prefetch_is_off_unless_asked_for() {
        let off =
            Config::parse("[translate]\nprovider = \"openai\"\n", Path::new("c.toml")).unwrap();
        assert!(!off.translate.prefetch);
        let on = Config::parse("[translate]\nprefetch = true\n", Path::new("c.toml")).unwrap();
        assert!(on.translate.prefetch);
    }

    #[test]
    fn a_wrong_provider_names_the_line() {
        let err = Config::parse("[translate]\n\nprovider = \"babel\"\n", Path::new("c.toml"))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("c.toml:3: "), "{err}");
    }

    #[test]
    fn keys_are_never_in_debug_output() {
        let config = Config::parse(
            "[translate]\napi_key = \"sekrit-123\"\n",
            Path::new("c.toml"),
        )
        .unwrap();
        assert!(!format!("{config:?}").contains("sekrit"));
    }

    #[cfg(unix)]
    #[test]
    fn a_key_in_a_file_others_can_read_is_warned() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[translate]\napi_key = \"k\"\n").unwrap();
        let config = Config::load(&path).unwrap().translate;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert!(
            key_file_warning(&path, &config)
                .unwrap()
                .contains("chmod 600")
        );
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(key_file_warning(&path, &config), None);
        let without = TranslateConfig::default();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(key_file_warning(&path, &without), None);
    }
}
