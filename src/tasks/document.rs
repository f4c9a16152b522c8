//! The document lane: reads the whole of a large file while the reader shows its first
//! part, and answers with [`Msg::DocumentLoaded`] or [`Msg::DocumentFailed`].

use super::{CancelToken, Emitter, Job, JobId};
use crate::app::Msg;
use crate::document::Rest;

/// Loads documents; keeps nothing between requests.
pub struct LoadDocument;

impl Job for LoadDocument {
    type Request = Rest;
    type Message = Msg;

    fn run(&mut self, id: JobId, rest: Rest, cancel: &CancelToken, out: &Emitter<Msg>) {
        let loaded = rest.load();
        if cancel.is_cancelled() {
            return;
        }
        out.send(match loaded {
            Ok(doc) => Msg::DocumentLoaded {
                id,
                doc: Box::new(doc),
            },
            Err(err) => Msg::DocumentFailed {
                id,
                error: err.to_string(),
            },
        });
    }

    fn panicked(&mut self, id: JobId, _what: &str, why: &str, out: &Emitter<Msg>) {
        out.send(Msg::DocumentFailed {
            id,
            error: format!("internal error: {why}"),
        });
    }

    fn describe(_rest: &Rest) -> String {
        "reading the document".to_owned()
    }
}
