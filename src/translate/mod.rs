//! Machine translation: what the reader and `qari translate` ask of a provider, and
//! what comes back. Providers (LibreTranslate, DeepL, OpenAI-compatible chat) live in
//! modules of their own behind [`Provider`]; the cache and the configuration sit in
//! front of them. Nothing here touches the terminal.
//!
//! This file fixes the interface the reader codes against; the providers fill it in.

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
