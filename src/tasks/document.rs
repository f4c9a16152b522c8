//! The document lane: reads the whole of a large file while the reader shows its first
//! part, or downloads a page (`qari URL`) while the reader says how much has arrived,
//! and answers with [`Msg::DocumentLoaded`] or [`Msg::DocumentFailed`], after
//! [`Msg::DownloadProgress`] messages for a download.

use std::time::{Duration, Instant};

use super::{CancelToken, Emitter, Job, JobId};
use crate::app::Msg;
use crate::document::{LoadOptions, Rest};

/// What to load.
#[derive(Debug, Clone)]
pub enum LoadRequest {
    /// The whole of a large file whose first part is shown.
    Rest(Rest),
    /// A page to download, as typed, and how to read it.
    Url { url: String, options: LoadOptions },
}

/// Loads documents; keeps nothing between requests.
pub struct LoadDocument;

/// A download's progress is reported at most this often, unless it moved by a
/// [`PROGRESS_STEP`]: a screen needs no more, and a fast download of small reads would
/// otherwise flood the channel. A step is always told, so that a server stalling right
/// after one shows where it stalled.
const PROGRESS_EVERY: Duration = Duration::from_millis(50);
/// A share of the total (in thousandths), or bytes when the total is unknown.
const PROGRESS_STEP: (u64, u64) = (10, 64 * 1024);

/// True when `received` (of `total`) is worth a message after the last one sent.
fn worth_telling(last: Option<(Instant, u64)>, received: u64, total: Option<u64>) -> bool {
    let Some((at, told)) = last else {
        return true;
    };
    let step = match total {
        Some(total) => (total * PROGRESS_STEP.0 / 1000).max(1),
        None => PROGRESS_STEP.1,
    };
    total == Some(received) || received >= told + step || at.elapsed() >= PROGRESS_EVERY
}

impl Job for LoadDocument {
    type Request = LoadRequest;
    type Message = Msg;

    fn run(&mut self, id: JobId, request: LoadRequest, cancel: &CancelToken, out: &Emitter<Msg>) {
        let loaded = match request {
            LoadRequest::Rest(rest) => rest.load(),
            LoadRequest::Url { url, options } => {
                let mut last: Option<(Instant, u64)> = None;
                let mut progress = |received: u64, total: Option<u64>| {
                    if cancel.is_cancelled() || !worth_telling(last, received, total) {
                        return;
                    }
                    last = Some((Instant::now(), received));
                    out.send(Msg::DownloadProgress {
                        id,
                        received,
                        total,
                    });
                };
                crate::document::load_with_progress(&url, &options, &mut progress)
            }
        };
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

    fn describe(request: &LoadRequest) -> String {
        match request {
            LoadRequest::Rest(_) => "reading the document".to_owned(),
            LoadRequest::Url { url, .. } => format!("downloading {url}"),
        }
    }
}
