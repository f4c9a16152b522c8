//! LibreTranslate (self-hosted or public): `POST {url}/translate` with
//! `{q, source, target, format: "text", api_key?}`, answered by `{"translatedText": ...}`;
//! errors come as `{"error": "..."}` with 400, 403, 429 ("Slowdown: ...") and 500.

use super::http::{self, Policy, Post};
use super::{Provider, Request, Secret, Task, TranslateError};
use crate::tasks::CancelToken;

/// A LibreTranslate server.
#[derive(Debug)]
pub struct LibreTranslate {
    url: String,
    key: Option<Secret>,
    policy: Policy,
}

impl LibreTranslate {
    /// `url` is the server's base URL (`http://127.0.0.1:5000`).
    pub fn new(url: &str, key: Option<Secret>, policy: Policy) -> Self {
        Self {
            url: url.trim_end_matches('/').to_owned(),
            key,
            policy,
        }
    }
}

/// The `error` field of an error reply.
pub fn error_message(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    value.get("error")?.as_str().map(str::to_owned)
}

impl Provider for LibreTranslate {
    fn name(&self) -> &str {
        "LibreTranslate"
    }

    fn translate(
        &self,
        request: &Request,
        cancel: &CancelToken,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<String, TranslateError> {
        if let Task::Explain { .. } = request.task {
            return Err(super::cannot_explain(self.name()));
        }
        let mut body = serde_json::json!({
            "q": request.text,
            "source": request.from,
            "target": request.to,
            "format": "text",
        });
        if let Some(key) = &self.key {
            body["api_key"] = key.expose().into();
        }
        let url = format!("{}/translate", self.url);
        let post = Post {
            provider: self.name(),
            url: &url,
            headers: Vec::new(),
            body,
            error_message,
        };
        let reply = http::exchange_whole(&post, self.policy, cancel)?;
        let text = super::json_field(&reply, self.name(), &["translatedText"])?;
        let text = super::clean_reply(&text);
        on_text(&text);
        Ok(text)
    }
}
