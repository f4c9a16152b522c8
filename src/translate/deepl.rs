//! DeepL API v2: `POST {url}/v2/translate` with `Authorization: DeepL-Auth-Key KEY` and
//! `{text: [...], source_lang, target_lang}`, answered by `{"translations": [{"text"}]}`.
//! Keys of the free plan end in `:fx` and go to the free endpoint. 429 is retried with
//! backoff; 456 means the quota is used up, and is said so.

use super::http::{self, Policy, Post};
use super::{Provider, Request, Secret, Task, TranslateError};
use crate::tasks::CancelToken;

/// The endpoint of the paid plan.
pub const PRO_URL: &str = "https://api.deepl.com";
/// The endpoint of the free plan (keys ending in `:fx`).
pub const FREE_URL: &str = "https://api-free.deepl.com";

/// The DeepL API.
#[derive(Debug)]
pub struct DeepL {
    url: String,
    key: Secret,
    policy: Policy,
}

impl DeepL {
    /// `url` overrides the endpoint the key's plan implies.
    pub fn new(url: Option<&str>, key: Secret, policy: Policy) -> Self {
        let url = match url {
            Some(url) => url.trim_end_matches('/').to_owned(),
            None => default_url(&key).to_owned(),
        };
        Self { url, key, policy }
    }
}

/// The endpoint for a key: free-plan keys end in `:fx`.
pub fn default_url(key: &Secret) -> &'static str {
    if key.expose().ends_with(":fx") {
        FREE_URL
    } else {
        PRO_URL
    }
}

/// DeepL's language codes: upper case; English and Portuguese as targets need a variant.
fn lang(code: &str, target: bool) -> String {
    let upper = code.to_ascii_uppercase();
    match upper.as_str() {
        "EN" if target => "EN-US".to_owned(),
        "PT" if target => "PT-PT".to_owned(),
        _ => upper,
    }
}

/// The `message` of an error reply.
pub fn error_message(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let message = value.get("message")?.as_str()?;
    match value.get("detail").and_then(|d| d.as_str()) {
        Some(detail) => Some(format!("{message}: {detail}")),
        None => Some(message.to_owned()),
    }
}

impl Provider for DeepL {
    fn name(&self) -> &str {
        "DeepL"
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
        let body = serde_json::json!({
            "text": [request.text],
            "source_lang": lang(&request.from, false),
            "target_lang": lang(&request.to, true),
        });
        let url = format!("{}/v2/translate", self.url);
        let post = Post {
            provider: self.name(),
            url: &url,
            headers: vec![(
                "authorization",
                format!("DeepL-Auth-Key {}", self.key.expose()),
            )],
            body,
            error_message,
        };
        let reply = match http::exchange_whole(&post, self.policy, cancel) {
            Err(TranslateError::Status { status: 456, .. }) => {
                return Err(TranslateError::Status {
                    provider: self.name().to_owned(),
                    status: 456,
                    message: "the DeepL quota of this account is used up for this billing period: wait for the next period, raise the limit in your DeepL account, or use another provider".into(),
                });
            }
            Err(TranslateError::Status { status: 403, .. }) => {
                return Err(TranslateError::Status {
                    provider: self.name().to_owned(),
                    status: 403,
                    message: format!(
                        "the key was refused: check DEEPL_AUTH_KEY (free-plan keys end in :fx and use {FREE_URL})"
                    ),
                });
            }
            other => other?,
        };
        let text = super::json_field(&reply, self.name(), &["translations", "0", "text"])?;
        let text = super::clean_reply(&text);
        on_text(&text);
        Ok(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_keys_go_to_the_free_endpoint() {
        assert_eq!(default_url(&Secret::new("abc:fx")), FREE_URL);
        assert_eq!(default_url(&Secret::new("abc")), PRO_URL);
        assert_eq!(lang("en", true), "EN-US");
        assert_eq!(lang("ar", false), "AR");
    }
}
