//! The one way to get a provider: [`open`] builds the configured provider and puts the
//! disk cache in front of it, so that whoever translates gets caching for free.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::cache::{Cache, Key};
use super::config::{ProviderKind, TranslateConfig};
use super::deepl::DeepL;
use super::libretranslate::LibreTranslate;
use super::openai::{ChatSettings, OpenAi};
use super::{Provider, Request, Task, TranslateError};
use crate::tasks::CancelToken;

/// How the cache is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CacheMode {
    /// Answers come from the cache when it has them; new answers are stored.
    #[default]
    Use,
    /// `--no-cache`: neither read nor written.
    Bypass,
    /// `--offline`: only the cache answers; a miss is [`TranslateError::Offline`].
    Offline,
}

/// Hears warnings about the cache (damaged and rebuilt, busy, unusable), for the
/// status bar or stderr. Never hears a key.
pub type Warn = Arc<dyn Fn(&str) + Send + Sync>;

/// The default URL of each provider.
pub fn default_url(kind: ProviderKind) -> &'static str {
    match kind {
        // A self-hosted server, as `libretranslate` starts it.
        ProviderKind::Libretranslate => "http://127.0.0.1:5000",
        ProviderKind::Deepl => super::deepl::PRO_URL,
        ProviderKind::Openai => "https://api.openai.com/v1",
    }
}

/// The configured provider behind the cache in qari's cache directory, or `None` when
/// no provider is configured. Fails when the provider cannot work as configured (DeepL
/// without a key).
pub fn open(
    config: &TranslateConfig,
    mode: CacheMode,
    warn: Warn,
) -> Result<Option<Arc<dyn Provider>>, TranslateError> {
    open_with_cache(config, mode, warn, Cache::default_path())
}

/// [`open`] with the cache file at `cache_path`.
pub fn open_with_cache(
    config: &TranslateConfig,
    mode: CacheMode,
    warn: Warn,
    cache_path: PathBuf,
) -> Result<Option<Arc<dyn Provider>>, TranslateError> {
    let Some(kind) = config.provider else {
        return Ok(None);
    };
    let policy = config.policy();
    let key = config.key(kind);
    let url = config.url.as_deref().map(|u| u.trim_end_matches('/'));
    let mut context = format!("{}\0{}\0", kind.as_str(), url.unwrap_or(""));
    let inner: Arc<dyn Provider> = match kind {
        ProviderKind::Libretranslate => Arc::new(LibreTranslate::new(
            url.unwrap_or(default_url(kind)),
            key,
            policy,
        )),
        ProviderKind::Deepl => {
            let Some(key) = key else {
                return Err(TranslateError::Unsupported(
                    "DeepL needs a key: set DEEPL_AUTH_KEY (or api_key in [translate])".into(),
                ));
            };
            Arc::new(DeepL::new(url, key, policy))
        }
        ProviderKind::Openai => {
            let settings = ChatSettings {
                model: config.model.clone(),
                prompts: config.prompts.clone(),
                examples: config.examples.clone(),
                explain_examples: config.explain_examples.clone(),
                stop: config.stop.clone(),
            };
            // Another model or prompt gives other answers.
            context.push_str(&format!("{settings:?}"));
            Arc::new(OpenAi::new(
                url.unwrap_or(default_url(kind)),
                key,
                settings,
                policy,
            ))
        }
    };
    let cache = (config.cache_size_mb > 0)
        .then(|| Cache::new(cache_path, config.cache_size_mb.saturating_mul(1024 * 1024)));
    Ok(Some(Arc::new(Cached {
        inner,
        cache,
        mode,
        context: context.into_bytes(),
        warn,
        last_warning: Mutex::new(None),
    })))
}

/// A provider with the cache in front.
pub struct Cached {
    inner: Arc<dyn Provider>,
    cache: Option<Cache>,
    mode: CacheMode,
    /// What besides the request shapes an answer (provider, URL, model, prompts).
    context: Vec<u8>,
    warn: Warn,
    last_warning: Mutex<Option<String>>,
}

impl Cached {
    /// Says `warning` unless it was the last thing said.
    fn say(&self, warning: &str) {
        let mut last = self.last_warning.lock().unwrap_or_else(|e| e.into_inner());
        if last.as_deref() != Some(warning) {
            (self.warn)(warning);
            *last = Some(warning.to_owned());
        }
    }

    fn key(&self, request: &Request) -> Key {
        let task: Vec<u8> = match &request.task {
            Task::Translate => b"translate".to_vec(),
            Task::Explain { word } => [b"explain\0".as_slice(), word.as_bytes()].concat(),
        };
        Key::of(&[
            &self.context,
            request.from.as_bytes(),
            request.to.as_bytes(),
            &task,
            request.text.as_bytes(),
        ])
    }
}

impl Provider for Cached {
    fn name(&self) -> &str {
        self.inner.name()
    }

    fn can_explain(&self) -> bool {
        self.inner.can_explain()
    }

    fn translate(
        &self,
        request: &Request,
        cancel: &CancelToken,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<String, TranslateError> {
        let cache = self
            .cache
            .as_ref()
            .filter(|_| self.mode != CacheMode::Bypass);
        let key = self.key(request);
        let say = |w: &str| self.say(w);
        if let Some(cache) = cache {
            match cache.get(key, &request.text, &say) {
                Ok(Some((used, hit))) => {
                    on_text(&hit);
                    if let Err(err) = cache.touch(key, used, &request.text, &hit, &say) {
                        self.say(&err.to_string());
                    }
                    return Ok(hit);
                }
                Ok(None) => {}
                Err(err) => self.say(&err.to_string()),
            }
        }
        if self.mode == CacheMode::Offline {
            return Err(TranslateError::Offline);
        }
        if cancel.is_cancelled() {
            return Err(TranslateError::Cancelled);
        }
        let text = self.inner.translate(request, cancel, on_text)?;
        if let Some(cache) = cache
            && let Err(err) = cache.put(key, &request.text, &text, &say)
        {
            self.say(&err.to_string());
        }
        Ok(text)
    }
}
