//! The translation lane: sends one request at a time to the configured provider, off
//! the UI thread, and streams what comes back as messages for `app::update`: a
//! [`Msg::TranslationPiece`] for each piece of text as it arrives, then one
//! [`Msg::TranslationDone`] with the whole answer or the error. Latest wins: a new
//! request cancels the one running (the provider polls the token and closes its
//! connection), and the reader drops the pieces of a request it stopped waiting for.

use std::sync::Arc;

use super::{CancelToken, Emitter, Job, JobId};
use crate::app::Msg;
use crate::translate::{Provider, Request, TranslateError};

/// The translation lane's job: the provider it asks.
pub struct TranslateJob {
    provider: Arc<dyn Provider>,
}

impl TranslateJob {
    pub fn new(provider: Arc<dyn Provider>) -> Self {
        TranslateJob { provider }
    }
}

impl Job for TranslateJob {
    type Request = Request;
    type Message = Msg;

    fn run(&mut self, id: JobId, request: Request, cancel: &CancelToken, out: &Emitter<Msg>) {
        // Superseded while it waited: nothing leaves the machine.
        if cancel.is_cancelled() {
            return;
        }
        let mut on_text = |piece: &str| {
            if !piece.is_empty() {
                out.send(Msg::TranslationPiece {
                    id,
                    text: piece.to_owned(),
                });
            }
        };
        let result = self.provider.translate(&request, cancel, &mut on_text);
        out.send(Msg::TranslationDone { id, result });
    }

    fn panicked(&mut self, id: JobId, _what: &str, why: &str, out: &Emitter<Msg>) {
        out.send(Msg::TranslationDone {
            id,
            result: Err(TranslateError::Reply(format!(
                "the translation failed (internal error: {why}); other requests go on"
            ))),
        });
    }

    fn describe(request: &Request) -> String {
        let mut short: String = request.text.chars().take(40).collect();
        if short.len() < request.text.len() {
            short.push('…');
        }
        short
    }
}
