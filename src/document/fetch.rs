//! URLs: a page's bytes over HTTP(S) (reqwest, blocking, with rustls), with connect and
//! read timeouts, a redirect limit and a size limit, and the charset the server names.
//!
//! Promises: at most `max_redirects` redirects are followed; no more than `max_bytes`
//! are read, whatever Content-Length says (it is checked first, then the body is counted
//! as it arrives); every error names the URL and says what happened in words
//! ("404 Not Found", "no answer within 30 s").

use std::io::Read;
use std::time::Duration;

/// What a download brought back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    pub bytes: Vec<u8>,
    /// The URL after redirects.
    pub url: String,
    /// The media type from Content-Type, lower case, without parameters ("text/html").
    pub media_type: Option<String>,
    /// The charset parameter of Content-Type, if any.
    pub charset: Option<String>,
}

/// Limits for one download.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchLimits {
    pub max_bytes: u64,
    pub max_redirects: usize,
    pub connect_timeout_ms: u64,
    /// How long the server may stay silent: for the response's head, and then between
    /// two parts of its body.
    pub read_timeout_ms: u64,
}

impl Default for FetchLimits {
    fn default() -> Self {
        FetchLimits {
            max_bytes: 20 * 1024 * 1024,
            max_redirects: 10,
            connect_timeout_ms: 10_000,
            read_timeout_ms: 30_000,
        }
    }
}

/// True for the sources this module reads (http:// and https:// URLs).
pub fn is_url(source: &str) -> bool {
    let lower = source.get(..8).unwrap_or(source).to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// Downloads `url`; `progress` is told the bytes received so far and the expected total.
pub fn fetch(
    url: &str,
    limits: FetchLimits,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<Fetched, String> {
    let shown = shown_url(url);
    if !is_url(url) {
        return Err(format!("{shown}: not an http:// or https:// address"));
    }
    let max_redirects = limits.max_redirects;
    let client = reqwest::blocking::Client::builder()
        .connect_timeout(Duration::from_millis(limits.connect_timeout_ms))
        .timeout(Duration::from_millis(limits.read_timeout_ms))
        .redirect(reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() > max_redirects {
                attempt.error(TooManyRedirects(max_redirects))
            } else {
                attempt.follow()
            }
        }))
        .user_agent(concat!("qari/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| {
            format!(
                "{shown}: cannot set up a connection: {}",
                words(&e, &limits)
            )
        })?;
    let mut response = client
        .get(url)
        .send()
        .map_err(|e| format!("{shown}: {}", words(&e, &limits)))?;

    let final_url = shown_url(response.url().as_str());
    let status = response.status();
    if !status.is_success() {
        let reason = status.canonical_reason().unwrap_or("");
        return Err(format!(
            "{final_url}: the server answered {} {reason}",
            status.as_u16()
        )
        .trim_end()
        .to_string());
    }
    let (media_type, charset) = content_type(
        response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok()),
    );
    let expected = response.content_length();
    if let Some(length) = expected.filter(|&n| n > limits.max_bytes) {
        return Err(too_large(&final_url, Some(length), limits.max_bytes));
    }

    let mut bytes = Vec::with_capacity(expected.unwrap_or(0).min(limits.max_bytes) as usize);
    let mut chunk = vec![0u8; 64 * 1024];
    progress(0, expected);
    loop {
        let n = match response.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("{final_url}: {}", io_words(&e, &limits))),
        };
        if bytes.len() as u64 + n as u64 > limits.max_bytes {
            return Err(too_large(&final_url, expected, limits.max_bytes));
        }
        bytes.extend_from_slice(&chunk[..n]);
        progress(bytes.len() as u64, expected);
    }
    Ok(Fetched {
        bytes,
        url: response.url().to_string(),
        media_type,
        charset,
    })
}

#[derive(Debug)]
struct TooManyRedirects(usize);

impl std::fmt::Display for TooManyRedirects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "more than {} redirects", self.0)
    }
}

impl std::error::Error for TooManyRedirects {}

/// A URL as it may be shown: without control characters.
fn shown_url(url: &str) -> String {
    super::html::clean_text(url)
}

fn too_large(url: &str, length: Option<u64>, max: u64) -> String {
    let size = match length {
        Some(n) => format!("is {} MB, more", n.div_ceil(1 << 20)),
        None => "is larger".to_string(),
    };
    format!(
        "{url}: the page {size} than the limit of {} MB; save it and open the file",
        max.div_ceil(1 << 20)
    )
}

fn seconds(ms: u64) -> String {
    if ms.is_multiple_of(1000) {
        format!("{} s", ms / 1000)
    } else {
        format!("{:.1} s", ms as f64 / 1000.0)
    }
}

/// A reqwest error in words, without the chain of causes' jargon where one is known.
fn words(error: &reqwest::Error, limits: &FetchLimits) -> String {
    if error.is_redirect() {
        let mut source: Option<&dyn std::error::Error> = Some(error);
        while let Some(e) = source {
            if let Some(too_many) = e.downcast_ref::<TooManyRedirects>() {
                return format!("{too_many}; the address may loop");
            }
            source = e.source();
        }
        return "the server's redirect could not be followed".to_string();
    }
    if error.is_timeout() {
        return format!(
            "no answer within {}; try again later, or check the address",
            seconds(limits.read_timeout_ms)
        );
    }
    if error.is_connect() {
        let cause = root_cause(error);
        if cause.to_ascii_lowercase().contains("timed out") {
            return format!(
                "no connection within {}; check the address and the network",
                seconds(limits.connect_timeout_ms)
            );
        }
        return format!("cannot connect ({cause}); check the address and the network");
    }
    if error.is_builder() {
        return format!("not a usable address ({})", root_cause(error));
    }
    format!("the download failed ({})", root_cause(error))
}

fn root_cause(error: &dyn std::error::Error) -> String {
    crate::error_words::innermost_cause(error).to_lowercase()
}

fn io_words(error: &std::io::Error, limits: &FetchLimits) -> String {
    let timed_out = error.kind() == std::io::ErrorKind::TimedOut || {
        let mut source = error.get_ref().map(|e| e as &dyn std::error::Error);
        let mut found = false;
        while let Some(e) = source {
            if e.downcast_ref::<reqwest::Error>()
                .is_some_and(|r| r.is_timeout())
            {
                found = true;
                break;
            }
            source = e.source();
        }
        found
    };
    if timed_out {
        return format!(
            "the server stopped sending for {}; try again later",
            seconds(limits.read_timeout_ms)
        );
    }
    format!(
        "the download broke off ({})",
        crate::error_words::io_error(error).to_lowercase()
    )
}

/// The media type and charset of a Content-Type value.
fn content_type(value: Option<&str>) -> (Option<String>, Option<String>) {
    let Some(value) = value else {
        return (None, None);
    };
    let mut parts = value.split(';');
    let media = parts
        .next()
        .map(|m| m.trim().to_ascii_lowercase())
        .filter(|m| !m.is_empty());
    let charset = parts.find_map(|p| {
        let (name, value) = p.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']).to_string())
            .filter(|v| !v.is_empty())
    });
    (media, charset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_parts() {
        assert_eq!(
            content_type(Some("Text/HTML; Charset=\"windows-1256\"")),
            (Some("text/html".into()), Some("windows-1256".into()))
        );
        assert_eq!(
            content_type(Some("text/plain")),
            (Some("text/plain".into()), None)
        );
        assert_eq!(content_type(None), (None, None));
    }

    #[test]
    fn urls_are_recognised() {
        assert!(is_url("HTTPS://example.org"));
        assert!(is_url("http://x"));
        assert!(!is_url("file:///etc/passwd"));
        assert!(!is_url("article.html"));
    }
}
