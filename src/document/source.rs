//! Where a document's bytes come from: the first stage of the pipeline (**source** ->
//! decode -> format). A file, standard input (`-`), or an http(s) URL through
//! [`super::fetch`].

use std::io::Read;
use std::path::{Path, PathBuf};

use super::DocumentError;
use super::fetch::{self, FetchLimits};
use crate::fsread;

/// A source's bytes, and what is known about them before decoding.
#[derive(Debug, Clone, Default)]
pub struct Raw {
    pub bytes: Vec<u8>,
    /// What the status bar calls it: a file name, "stdin", or the URL.
    pub name: String,
    /// The file, made absolute, when there is one (the key of saved positions).
    pub path: Option<PathBuf>,
    /// The path or URL as given (the URL after redirects), for the metadata.
    pub origin: String,
    /// The media type a server named ("text/html").
    pub media_type: Option<String>,
    /// The charset a server named.
    pub charset: Option<String>,
}

/// Reads `source`: a path, `-` for standard input, or a URL. `progress` hears about
/// downloads (bytes so far, expected total).
pub fn read(
    source: &str,
    limits: FetchLimits,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<Raw, DocumentError> {
    if fetch::is_url(source) {
        let fetched = fetch::fetch(source, limits, progress).map_err(DocumentError::Fetch)?;
        return Ok(Raw {
            bytes: fetched.bytes,
            name: fetched.url.clone(),
            path: None,
            origin: fetched.url,
            media_type: fetched.media_type,
            charset: fetched.charset,
        });
    }
    if source == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(fsread::limit::DOCUMENT)
            .read_to_end(&mut bytes)
            .map_err(|source| DocumentError::Io {
                path: "standard input".into(),
                source,
            })?;
        return Ok(Raw {
            bytes,
            name: "stdin".into(),
            origin: "standard input".into(),
            ..Raw::default()
        });
    }
    let bytes = fsread::read_regular(Path::new(source), fsread::limit::DOCUMENT)?;
    Ok(Raw {
        bytes,
        name: display_name(source),
        path: Some(absolute(source)),
        origin: source.to_owned(),
        ..Raw::default()
    })
}

/// `source` made absolute, or as it is when that fails.
pub fn absolute(source: &str) -> PathBuf {
    std::fs::canonicalize(source).unwrap_or_else(|_| source.into())
}

/// What the status bar calls a source.
pub fn display_name(source: &str) -> String {
    if source == "-" {
        "stdin".to_owned()
    } else if fetch::is_url(source) {
        source.to_owned()
    } else {
        Path::new(source)
            .file_name()
            .map_or_else(|| source.to_owned(), |n| n.to_string_lossy().into_owned())
    }
}
