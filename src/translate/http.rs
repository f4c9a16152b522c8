//! One HTTP exchange with a translation provider, whatever the peer does: the bounds of
//! [`crate::bounded_read`] carried over to HTTP.
//!
//! - **a deadline for the whole request** (connecting, waiting, retrying, reading);
//! - **a cap on the reply** ([`MAX_REPLY`]): past it the reply is cut and reported;
//! - **429 and 503 retried** with backoff, honouring `Retry-After`, a few times, then said
//!   plainly with the server's own words;
//! - **cancel closes the connection:** each request runs on a runtime of its own that is
//!   dropped when the request ends, taking its socket with it, and the cancel token is
//!   polled while waiting, so a request nobody waits for stops within [`POLL`].
//!
//! Messages name the host, never the whole URL or a header: keys never show.

use std::future::Future;
use std::time::{Duration, Instant};

use super::TranslateError;
use crate::tasks::CancelToken;

/// The most bytes read from one reply.
pub const MAX_REPLY: usize = 1024 * 1024;
/// The most bytes of an error reply read for its message.
const MAX_ERROR_REPLY: usize = 64 * 1024;
/// How often a waiting request looks at its cancel token.
pub const POLL: Duration = Duration::from_millis(20);

/// How hard to try.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// The whole request, retries included.
    pub timeout: Duration,
    /// How many times a 429 or 503 is retried.
    pub retries: u32,
    /// The longest single wait between tries; a `Retry-After` beyond it is not waited for.
    pub max_wait: Duration,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(20),
            retries: 3,
            max_wait: Duration::from_secs(10),
        }
    }
}

/// A POST with a JSON body.
pub struct Post<'a> {
    /// The provider's name, for messages.
    pub provider: &'a str,
    pub url: &'a str,
    /// Extra headers; their values never appear in messages.
    pub headers: Vec<(&'static str, String)>,
    pub body: serde_json::Value,
    /// Pulls the server's own message out of an error reply.
    pub error_message: fn(&[u8]) -> Option<String>,
}

/// The host (and port) of `url`, for messages: never the path, query or user info.
pub fn host_of(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(url) => match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            _ => "the server".to_owned(),
        },
        Err(_) => "the server".to_owned(),
    }
}

/// Sends `post` and hands each piece of the successful reply's body to `sink`, in order.
/// A `sink` error ends the exchange with that error.
pub fn exchange(
    post: &Post<'_>,
    policy: Policy,
    cancel: &CancelToken,
    sink: &mut dyn FnMut(&[u8]) -> Result<(), TranslateError>,
) -> Result<(), TranslateError> {
    if reqwest::Url::parse(post.url).is_err() {
        return Err(TranslateError::Network(format!(
            "{}: the URL is not valid; give one such as http://127.0.0.1:5000",
            post.provider
        )));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|err| TranslateError::Network(format!("cannot start a request: {err}")))?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .connect_timeout(policy.timeout)
        .redirect(reqwest::redirect::Policy::limited(3))
        .build()
        .map_err(|err| TranslateError::Network(format!("cannot start a request: {err}")))?;
    let deadline = Instant::now() + policy.timeout;
    let result = runtime.block_on(run(&client, post, policy, deadline, cancel, sink));
    // Dropping the runtime drops the connection's task, and so closes the socket now,
    // also when the request was cancelled halfway through a reply.
    drop(client);
    drop(runtime);
    result
}

/// Sends `post` and returns the whole body of the successful reply.
pub fn exchange_whole(
    post: &Post<'_>,
    policy: Policy,
    cancel: &CancelToken,
) -> Result<Vec<u8>, TranslateError> {
    let mut reply = Vec::new();
    exchange(post, policy, cancel, &mut |bytes| {
        reply.extend_from_slice(bytes);
        Ok(())
    })?;
    Ok(reply)
}

async fn run(
    client: &reqwest::Client,
    post: &Post<'_>,
    policy: Policy,
    deadline: Instant,
    cancel: &CancelToken,
    sink: &mut dyn FnMut(&[u8]) -> Result<(), TranslateError>,
) -> Result<(), TranslateError> {
    let body = serde_json::to_vec(&post.body)
        .map_err(|err| TranslateError::Reply(format!("cannot write the request: {err}")))?;
    let waits = Waits {
        deadline,
        timeout: policy.timeout,
        cancel,
        host: host_of(post.url),
    };
    let mut tries = 0;
    let mut waited = Duration::ZERO;
    let mut response = loop {
        let mut request = client
            .post(post.url)
            .header("content-type", "application/json")
            .header("accept", "application/json, text/event-stream");
        for (name, value) in &post.headers {
            request = request.header(*name, value);
        }
        let response = waits
            .within(request.body(body.clone()).send())
            .await?
            .map_err(|err| waits.network(&err))?;
        let status = response.status().as_u16();
        if response.status().is_success() {
            break response;
        }
        let retry_after = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let mut error = Vec::new();
        let mut response = response;
        while error.len() < MAX_ERROR_REPLY {
            match waits.within(response.chunk()).await? {
                Ok(Some(bytes)) => error.extend_from_slice(&bytes),
                _ => break,
            }
        }
        let message = (post.error_message)(&error)
            .map(|m| short(&m))
            .unwrap_or_else(|| reason(status));
        if !matches!(status, 429 | 503) {
            return Err(TranslateError::Status {
                provider: post.provider.to_owned(),
                status,
                message,
            });
        }
        let wait = retry_after.unwrap_or(Duration::from_secs(1 << tries.min(5)));
        let busy = if status == 429 {
            "is limiting how often it may be asked (429)"
        } else {
            "is busy (503)"
        };
        if tries >= policy.retries {
            return Err(TranslateError::Status {
                provider: post.provider.to_owned(),
                status,
                message: format!(
                    "{message}; it {busy} and still was after {} tries over {} s: wait a while and try again",
                    tries + 1,
                    waited.as_secs()
                ),
            });
        }
        if wait > policy.max_wait || Instant::now() + wait >= deadline {
            return Err(TranslateError::Status {
                provider: post.provider.to_owned(),
                status,
                message: format!(
                    "{message}; it {busy} and asks to wait {} s, longer than qari waits: try again later",
                    wait.as_secs()
                ),
            });
        }
        waits.within(tokio::time::sleep(wait)).await?;
        waited += wait;
        tries += 1;
    };
    let mut total = 0usize;
    loop {
        let chunk = waits
            .within(response.chunk())
            .await?
            .map_err(|err| waits.network(&err))?;
        let Some(chunk) = chunk else { return Ok(()) };
        let room = MAX_REPLY - total;
        if chunk.len() > room {
            sink(&chunk[..room])?;
            return Err(TranslateError::Reply(format!(
                "{}: the reply is longer than {} MB; it was cut there",
                post.provider,
                MAX_REPLY / (1024 * 1024)
            )));
        }
        total += chunk.len();
        sink(&chunk)?;
    }
}

/// What every wait in a request honours: the deadline and the cancel token.
struct Waits<'a> {
    deadline: Instant,
    timeout: Duration,
    cancel: &'a CancelToken,
    host: String,
}

impl Waits<'_> {
    /// Awaits `future`, giving up at the deadline or on cancel.
    async fn within<F: Future>(&self, future: F) -> Result<F::Output, TranslateError> {
        let mut future = std::pin::pin!(future);
        loop {
            if self.cancel.is_cancelled() {
                return Err(TranslateError::Cancelled);
            }
            let left = self.deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(self.timed_out());
            }
            if let Ok(output) = tokio::time::timeout(left.min(POLL), &mut future).await {
                return Ok(output);
            }
        }
    }

    fn timed_out(&self) -> TranslateError {
        TranslateError::Network(format!(
            "{} gave no complete answer within {} s; try again, or give more time with --timeout or [translate] timeout",
            self.host,
            self.timeout.as_secs_f64()
        ))
    }

    /// A reqwest error in words, without the URL it carries.
    fn network(&self, err: &reqwest::Error) -> TranslateError {
        let host = &self.host;
        let text = if err.is_timeout() {
            return self.timed_out();
        } else if err.is_connect() {
            let refused = std::error::Error::source(err)
                .map(|s| format!("{s:?}"))
                .is_some_and(|s| s.contains("ConnectionRefused") || s.contains("refused"));
            if refused {
                format!("cannot connect to {host}: connection refused; is the server running?")
            } else {
                format!(
                    "cannot connect to {host}: {}; check the URL and the network",
                    innermost(err)
                )
            }
        } else if err.is_body() || err.is_decode() {
            format!(
                "{host} closed the connection before the answer was complete ({})",
                innermost(err)
            )
        } else {
            format!("the request to {host} failed: {}", innermost(err))
        };
        TranslateError::Network(text)
    }
}

/// The deepest cause of an error, which says what happened without the URL.
fn innermost(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// A status in words, when the server said nothing.
fn reason(status: u16) -> String {
    reqwest::StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("an error")
        .to_lowercase()
}

/// A server's message, made safe and short for one line.
fn short(message: &str) -> String {
    let clean = super::clean_reply(message.trim());
    let one_line: String = clean
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(300)
        .collect();
    if one_line.is_empty() {
        "no message".to_owned()
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_host_only() {
        assert_eq!(
            host_of("https://user:pw@api.example.com/v1?key=k"),
            "api.example.com"
        );
        assert_eq!(host_of("http://127.0.0.1:5000/translate"), "127.0.0.1:5000");
        assert_eq!(host_of("not a url"), "the server");
    }
}
