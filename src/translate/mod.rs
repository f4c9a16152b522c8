//! Machine translation: what the reader and `qari translate` ask of a provider, and
//! what comes back. Providers (LibreTranslate, DeepL, OpenAI-compatible chat) live in
//! modules of their own behind [`Provider`]; the cache and the configuration sit in
//! front of them. Nothing here touches the terminal.
//!
//! This file fixes the interface the reader codes against; the providers fill it in.
//!
//! **How to get a provider:** [`open`] takes the `[translate]` settings (after the
//! command line's overrides) and a [`CacheMode`], and returns the configured provider
//! already wrapped in the disk cache, or `None` when no provider is configured:
//!
//! ```no_run
//! # use qari::translate::{self, CacheMode, Request, Task};
//! # use qari::tasks::CancelToken;
//! let config = qari::translate::config::TranslateConfig::default();
//! let warn = std::sync::Arc::new(|w: &str| eprintln!("{w}"));
//! if let Some(provider) = translate::open(&config, CacheMode::Use, warn)? {
//!     let request = Request { task: Task::Translate, text: "مرحبا".into(), from: "ar".into(), to: "en".into() };
//!     let text = provider.translate(&request, &CancelToken::default(), &mut |piece| print!("{piece}"))?;
//! }
//! # Ok::<(), translate::TranslateError>(())
//! ```
//!
//! Every text a provider returns or hands to `on_text` has been through [`clean_reply`]:
//! no escape sequence or control character from a server reaches a terminal.

pub mod cache;
pub mod cached;
pub mod config;
pub mod deepl;
pub mod http;
pub mod libretranslate;
pub mod openai;

use std::sync::Arc;

use serde::Deserialize;

pub use cached::{CacheMode, Warn, open, open_with_cache};

use crate::tasks::CancelToken;

/// What one request asks for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Task {
    /// Translate `Request::text` (a sentence, a paragraph or a selection).
    Translate,
    /// Explain `word` as it is used in `Request::text` (its sentence): the meaning in
    /// this context, the dictionary form and the root. Only chat providers can.
    Explain { word: String },
}

/// One request to a provider.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Request {
    pub task: Task,
    /// The source text, in logical order.
    pub text: String,
    /// Language codes, lower case ("ar", "en").
    pub from: String,
    pub to: String,
}

/// Why a request failed, in words a reader can act on. Messages never carry a key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TranslateError {
    /// Nobody waits for the answer any more.
    #[error("cancelled")]
    Cancelled,
    /// No provider is configured (translation is opt-in).
    #[error(
        "no translation provider is configured: set [translate] in config.toml or pass --provider"
    )]
    NotConfigured,
    /// The provider cannot do this kind of request (explain needs a chat model).
    #[error("{0}")]
    Unsupported(String),
    /// `--offline` and the cache has no answer.
    #[error("offline, and the cache has no translation of this text")]
    Offline,
    /// Connection refused, name not found, TLS, a timeout: the server was not reached
    /// or did not answer in time.
    #[error("{0}")]
    Network(String),
    /// The server answered with an error status; `message` is the server's own words.
    #[error("{provider} answered {status}: {message}")]
    Status {
        provider: String,
        status: u16,
        message: String,
    },
    /// The reply could not be understood (malformed JSON, a stream cut short).
    #[error("{0}")]
    Reply(String),
}

/// One machine translation service. `translate` blocks until the answer is complete,
/// calling `on_text` with each piece of text as it arrives (once, with the whole text,
/// for providers that do not stream), and polls `cancel` so that a request nobody
/// waits for stops early (closing its connection).
pub trait Provider: Send + Sync {
    /// The provider's name as shown to the reader ("LibreTranslate", "DeepL", ...).
    fn name(&self) -> &str;

    /// True when the provider can answer [`Task::Explain`].
    fn can_explain(&self) -> bool {
        false
    }

    /// Answers `request`; returns the whole text (the concatenation of the pieces).
    fn translate(
        &self,
        request: &Request,
        cancel: &CancelToken,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<String, TranslateError>;
}

/// A key: kept out of `Debug`, `Display` and the cache; only a request header or body
/// ever holds its text.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(key: &str) -> Self {
        Self(key.to_owned())
    }

    /// The key itself, for the request that carries it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(hidden)")
    }
}

/// A server's text made safe to print and to draw: escape sequences removed, other
/// controls shown as placeholders, newlines and tabs kept, bidi controls removed.
pub fn clean_reply(text: &str) -> String {
    crate::cli::safe::for_terminal(text).into_owned()
}

/// The refusal of a provider that cannot explain words.
fn cannot_explain(provider: &str) -> TranslateError {
    TranslateError::Unsupported(format!(
        "{provider} cannot explain a word: explaining needs an OpenAI-compatible chat model ([translate] provider = \"openai\")"
    ))
}

/// The string at `path` (object keys, or array indexes as digits) in a JSON reply.
fn json_field(reply: &[u8], provider: &str, path: &[&str]) -> Result<String, TranslateError> {
    let value: serde_json::Value = serde_json::from_slice(reply).map_err(|err| {
        TranslateError::Reply(format!(
            "{provider}: the reply is not valid JSON ({err}); is the URL that of a {provider} server?"
        ))
    })?;
    let mut at = &value;
    for step in path {
        at = match step.parse::<usize>() {
            Ok(index) => at.get(index),
            Err(_) => at.get(*step),
        }
        .ok_or_else(|| {
            TranslateError::Reply(format!(
                "{provider}: the reply has no {}; is the URL that of a {provider} server?",
                path.join(".")
            ))
        })?;
    }
    at.as_str().map(str::to_owned).ok_or_else(|| {
        TranslateError::Reply(format!(
            "{provider}: {} in the reply is not text",
            path.join(".")
        ))
    })
}

/// The English name of a language code, for prompts; the code itself when unknown.
pub fn language_name(code: &str) -> &str {
    match code {
        "ar" => "Arabic",
        "en" => "English",
        "fr" => "French",
        "de" => "German",
        "es" => "Spanish",
        "it" => "Italian",
        "pt" => "Portuguese",
        "tr" => "Turkish",
        "fa" => "Persian",
        "ur" => "Urdu",
        "ru" => "Russian",
        "zh" => "Chinese",
        "ja" => "Japanese",
        "nl" => "Dutch",
        "id" => "Indonesian",
        "ms" => "Malay",
        _ => code,
    }
}

/// A provider shared by the reader's worker and whoever else asks.
pub type SharedProvider = Arc<dyn Provider>;
