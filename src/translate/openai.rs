//! OpenAI-compatible chat completions (hosted services; llama.cpp's `llama-server`;
//! Ollama at `http://localhost:11434/v1`): `POST {url}/chat/completions` with an optional
//! `Authorization: Bearer KEY`, streamed as server-sent events (`data: {...}` lines
//! ending with `data: [DONE]`), so that the text arrives piece by piece.
//!
//! The prompts are data ([`Prompts`]), and so are few-shot example pairs, sent as earlier
//! user and assistant turns: small local base models translate only when shown some.

use super::config::{Example, ExplainExample, Prompts};
use super::http::{self, Policy, Post};
use super::{Provider, Request, Secret, Task, TranslateError};
use crate::tasks::CancelToken;

/// A chat completions endpoint and what to send it.
#[derive(Debug)]
pub struct OpenAi {
    url: String,
    key: Option<Secret>,
    model: Option<String>,
    prompts: Prompts,
    examples: Vec<Example>,
    explain_examples: Vec<ExplainExample>,
    stop: Vec<String>,
    policy: Policy,
}

/// What [`OpenAi`] is built from.
#[derive(Debug, Clone, Default)]
pub struct ChatSettings {
    pub model: Option<String>,
    pub prompts: Prompts,
    pub examples: Vec<Example>,
    pub explain_examples: Vec<ExplainExample>,
    /// Stop sequences (`["\n"]` for a base model that would go on writing).
    pub stop: Vec<String>,
}

impl OpenAi {
    /// `url` is the API's base (`http://127.0.0.1:8089/v1`).
    pub fn new(url: &str, key: Option<Secret>, settings: ChatSettings, policy: Policy) -> Self {
        Self {
            url: url.trim_end_matches('/').to_owned(),
            key,
            model: settings.model,
            prompts: settings.prompts,
            examples: settings.examples,
            explain_examples: settings.explain_examples,
            stop: settings.stop,
            policy,
        }
    }

    /// The chat messages for `request`: the system prompt, the example turns, the question.
    pub fn messages(&self, request: &Request) -> Vec<serde_json::Value> {
        let fill = |template: &str, text: &str, word: &str| {
            template
                .replace("{from}", super::language_name(&request.from))
                .replace("{to}", super::language_name(&request.to))
                .replace("{word}", word)
                .replace("{text}", text)
        };
        let turn =
            |role: &str, content: String| serde_json::json!({"role": role, "content": content});
        let mut messages = Vec::new();
        match &request.task {
            Task::Translate => {
                messages.push(turn("system", fill(&self.prompts.system, "", "")));
                for example in &self.examples {
                    messages.push(turn(
                        "user",
                        fill(&self.prompts.translate, &example.source, ""),
                    ));
                    messages.push(turn("assistant", example.translation.clone()));
                }
                messages.push(turn(
                    "user",
                    fill(&self.prompts.translate, &request.text, ""),
                ));
            }
            Task::Explain { word } => {
                messages.push(turn("system", fill(&self.prompts.explain_system, "", word)));
                for example in &self.explain_examples {
                    messages.push(turn(
                        "user",
                        fill(&self.prompts.explain, &example.sentence, &example.word),
                    ));
                    messages.push(turn("assistant", example.answer.clone()));
                }
                messages.push(turn(
                    "user",
                    fill(&self.prompts.explain, &request.text, word),
                ));
            }
        }
        messages
    }
}

/// The message of an error reply: `{"error": {"message": ...}}` or `{"error": "..."}`.
pub fn error_message(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let error = value.get("error")?;
    match error.get("message").and_then(|m| m.as_str()) {
        Some(message) => Some(message.to_owned()),
        None => error.as_str().map(str::to_owned),
    }
}

/// Reads server-sent events as they arrive, and hands on the text of each delta.
struct Events<'a> {
    provider: &'a str,
    line: Vec<u8>,
    /// Bytes of a reply that is not a stream (a server that ignores `stream: true`).
    whole: Vec<u8>,
    saw_data: bool,
    done: bool,
    started: bool,
    /// Whitespace held back until more text follows, so that the reply is trimmed.
    pending: String,
    text: String,
}

impl<'a> Events<'a> {
    fn new(provider: &'a str) -> Self {
        Self {
            provider,
            line: Vec::new(),
            whole: Vec::new(),
            saw_data: false,
            done: false,
            started: false,
            pending: String::new(),
            text: String::new(),
        }
    }

    fn feed(&mut self, bytes: &[u8], on_text: &mut dyn FnMut(&str)) -> Result<(), TranslateError> {
        if !self.saw_data && self.whole.len() < http::MAX_REPLY {
            self.whole.extend_from_slice(bytes);
        }
        for &b in bytes {
            if b != b'\n' {
                self.line.push(b);
                continue;
            }
            let line = std::mem::take(&mut self.line);
            self.event_line(&line, on_text)?;
        }
        Ok(())
    }

    fn event_line(
        &mut self,
        line: &[u8],
        on_text: &mut dyn FnMut(&str),
    ) -> Result<(), TranslateError> {
        let line = String::from_utf8_lossy(line);
        let line = line.trim_end_matches('\r');
        let Some(data) = line.strip_prefix("data:") else {
            return Ok(());
        };
        self.saw_data = true;
        let data = data.trim();
        if data == "[DONE]" {
            self.done = true;
            return Ok(());
        }
        if self.done {
            return Ok(());
        }
        let value: serde_json::Value = serde_json::from_str(data).map_err(|err| {
            TranslateError::Reply(format!(
                "{}: an event of the stream is not valid JSON ({err})",
                self.provider
            ))
        })?;
        if let Some(message) = error_message(data.as_bytes()) {
            return Err(TranslateError::Reply(format!(
                "{}: the stream ended with an error: {}",
                self.provider,
                super::clean_reply(&message)
            )));
        }
        let piece = value
            .pointer("/choices/0/delta/content")
            .and_then(|c| c.as_str())
            .unwrap_or("");
        self.piece(piece, on_text);
        Ok(())
    }

    fn piece(&mut self, piece: &str, on_text: &mut dyn FnMut(&str)) {
        let clean = super::clean_reply(piece);
        let mut clean: &str = &clean;
        if !self.started {
            clean = clean.trim_start();
            if clean.is_empty() {
                return;
            }
            self.started = true;
        }
        let body = clean.trim_end();
        if body.is_empty() {
            self.pending.push_str(clean);
            return;
        }
        let out = format!("{}{}", std::mem::take(&mut self.pending), body);
        self.pending.push_str(&clean[body.len()..]);
        self.text.push_str(&out);
        on_text(&out);
    }

    /// The whole text once the reply has ended.
    fn finish(mut self, on_text: &mut dyn FnMut(&str)) -> Result<String, TranslateError> {
        if !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            self.event_line(&line, on_text)?;
        }
        if self.done {
            return Ok(self.text);
        }
        if !self.saw_data {
            // Not a stream: one JSON reply.
            let text = super::json_field(
                &self.whole,
                self.provider,
                &["choices", "0", "message", "content"],
            )?;
            self.piece(&text, on_text);
            return Ok(self.text);
        }
        Err(TranslateError::Reply(format!(
            "{}: the stream stopped before its end (no [DONE]); the translation is incomplete",
            self.provider
        )))
    }
}

impl Provider for OpenAi {
    fn name(&self) -> &str {
        "OpenAI-compatible"
    }

    fn can_explain(&self) -> bool {
        true
    }

    fn translate(
        &self,
        request: &Request,
        cancel: &CancelToken,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<String, TranslateError> {
        let mut body = serde_json::json!({
            "messages": self.messages(request),
            "stream": true,
            "temperature": 0,
        });
        if let Some(model) = &self.model {
            body["model"] = model.clone().into();
        }
        if !self.stop.is_empty() {
            body["stop"] = self.stop.clone().into();
        }
        let mut headers = Vec::new();
        if let Some(key) = &self.key {
            headers.push(("authorization", format!("Bearer {}", key.expose())));
        }
        let url = format!("{}/chat/completions", self.url);
        let post = Post {
            provider: self.name(),
            url: &url,
            headers,
            body,
            error_message,
        };
        let mut events = Events::new(self.name());
        let mut failure = None;
        let result = http::exchange(&post, self.policy, cancel, &mut |bytes| {
            events.feed(bytes, on_text).inspect_err(|err| {
                failure = Some(err.clone());
            })
        });
        match result {
            Ok(()) => events.finish(on_text),
            Err(err) => Err(failure.unwrap_or(err)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(chunks: &[&str]) -> (Vec<String>, Result<String, TranslateError>) {
        let mut pieces = Vec::new();
        let mut events = Events::new("t");
        let mut on_text = |p: &str| pieces.push(p.to_owned());
        for chunk in chunks {
            events.feed(chunk.as_bytes(), &mut on_text).unwrap();
        }
        let result = events.finish(&mut on_text);
        (pieces, result)
    }

    #[test]
    fn events_split_anywhere_are_joined_and_trimmed() {
        let (pieces, text) = run(&[
            "data: {\"choices\":[{\"delta\":{\"content\":\" The\"}}]}\r\n\r\nda",
            "ta: {\"choices\":[{\"delta\":{\"content\":\" book \"}}]}\n\n",
            ": keep-alive\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"\\n\"}}]}\n\n",
            "data: [DONE]\n\n",
        ]);
        assert_eq!(text.unwrap(), "The book");
        assert_eq!(pieces, ["The", " book"]);
    }

    #[test]
    fn a_stream_without_done_is_incomplete() {
        let (_, text) = run(&["data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n"]);
        assert!(matches!(text, Err(TranslateError::Reply(m)) if m.contains("[DONE]")));
    }

    #[test]
    fn a_plain_json_reply_is_read_too() {
        let (pieces, text) = run(&["{\"choices\":[{\"message\":{\"content\":\" Hi\"}}]}"]);
        assert_eq!(text.unwrap(), "Hi");
        assert_eq!(pieces, ["Hi"]);
    }
}
