//! URLs against a real HTTP server on loopback: redirects, their limit, error statuses,
//! silent servers, oversized bodies, the charset header, and the page it serves read as
//! the same file would be.

#[path = "common/http_server.rs"]
mod http_server;

use std::path::Path;
use std::time::Duration;

use http_server::{Body, Reply, Server};
use qari::document::fetch::{self, FetchLimits};
use qari::document::html::{self, HtmlOptions};
use qari::document::model::{BlockKind, Structured};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/web")
            .join(name),
    )
    .expect("the fixture is there")
}

fn get(url: &str, limits: FetchLimits) -> Result<fetch::Fetched, String> {
    fetch::fetch(url, limits, &mut |_, _| {})
}

fn kinds_and_texts(doc: &Structured) -> Vec<(BlockKind, String)> {
    (0..doc.blocks.len())
        .map(|i| (doc.blocks[i].kind, doc.block_text(i).to_string()))
        .collect()
}

#[test]
fn a_redirect_chain_ends_at_the_page_with_its_charset() {
    let page = fixture("article-windows-1256.html");
    let served = page.clone();
    let server = Server::by_path(move |path| match path {
        "/start" => Reply::redirect("/second"),
        "/second" => Reply::redirect("/third"),
        "/third" => Reply::redirect("/article"),
        "/article" => Reply::ok("Text/HTML; charset=\"Windows-1256\"", served.clone()),
        _ => Reply::status(404),
    });
    let mut reports = Vec::new();
    let fetched = fetch::fetch(
        &server.url("/start"),
        FetchLimits::default(),
        &mut |got, total| reports.push((got, total)),
    )
    .expect("the chain is followed");
    assert_eq!(fetched.url, server.url("/article"));
    assert_eq!(fetched.bytes, page);
    assert_eq!(fetched.media_type.as_deref(), Some("text/html"));
    assert_eq!(fetched.charset.as_deref(), Some("Windows-1256"));
    let total = page.len() as u64;
    assert_eq!(reports.first(), Some(&(0, Some(total))));
    assert_eq!(reports.last(), Some(&(total, Some(total))));
    assert!(reports.windows(2).all(|w| w[0].0 <= w[1].0));

    // Decoded by the header's charset, the page gives what the file gives.
    let encoding = encoding_rs::Encoding::for_label(b"windows-1256").unwrap();
    let over_http = html::parse(
        &encoding.decode(&fetched.bytes).0,
        &fetched.url,
        HtmlOptions::default(),
    )
    .unwrap();
    let from_file = html::parse(
        &encoding.decode(&page).0,
        "article-windows-1256.html",
        HtmlOptions::default(),
    )
    .unwrap();
    assert_eq!(kinds_and_texts(&over_http), kinds_and_texts(&from_file));
    assert!(!over_http.blocks.is_empty());
    assert_eq!(over_http.meta.source.as_deref(), Some(fetched.url.as_str()));
}

/// `/hop/N` redirects to `/hop/N-1`; `/hop/0` is the page.
fn hops() -> Server {
    Server::by_path(|path| {
        let n: usize = path
            .strip_prefix("/hop/")
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        if n == 0 {
            Reply::ok("text/plain", "arrived")
        } else {
            Reply::redirect(&format!("/hop/{}", n - 1))
        }
    })
}

#[test]
fn ten_redirects_are_followed_and_the_eleventh_is_refused() {
    let server = hops();
    let fetched = get(&server.url("/hop/10"), FetchLimits::default()).expect("ten are fine");
    assert_eq!(fetched.bytes, b"arrived");

    let start = server.url("/hop/11");
    let err = get(&start, FetchLimits::default()).unwrap_err();
    assert!(err.contains("more than 10 redirects"), "{err}");
    assert!(err.contains(&start), "{err}");

    let limits = FetchLimits {
        max_redirects: 2,
        ..FetchLimits::default()
    };
    let err = get(&server.url("/hop/3"), limits).unwrap_err();
    assert!(err.contains("more than 2 redirects"), "{err}");
}

#[test]
fn an_error_status_is_named_with_the_url() {
    let server = Server::by_path(|path| match path {
        "/gone" => Reply::redirect("/missing"),
        "/broken" => Reply::status(500),
        _ => Reply::status(404),
    });
    let err = get(&server.url("/gone"), FetchLimits::default()).unwrap_err();
    assert!(err.contains("404 Not Found"), "{err}");
    assert!(err.contains(&server.url("/missing")), "{err}");
    let err = get(&server.url("/broken"), FetchLimits::default()).unwrap_err();
    assert!(err.contains("500 Internal Server Error"), "{err}");
    assert!(err.contains(&server.url("/broken")), "{err}");
}

fn quick() -> FetchLimits {
    FetchLimits {
        read_timeout_ms: 300,
        ..FetchLimits::default()
    }
}

#[test]
fn a_silent_server_runs_into_the_read_timeout() {
    let server = Server::by_path(|path| {
        let mut reply = Reply::ok("text/plain", "too late");
        match path {
            "/silent" => reply.stall_before = Duration::from_secs(3),
            _ => {
                reply.body = Body::Bytes(vec![b'x'; 1000]);
                reply.stall_after_bytes = Some(100);
                reply.stall_middle = Duration::from_secs(3);
            }
        }
        reply
    });
    let url = server.url("/silent");
    let err = get(&url, quick()).unwrap_err();
    assert!(err.contains(&url), "{err}");
    assert!(err.contains("no answer within 0.3 s"), "{err}");

    let url = server.url("/halfway");
    let err = get(&url, quick()).unwrap_err();
    assert!(err.contains(&url), "{err}");
    assert!(err.contains("0.3 s"), "{err}");
}

#[test]
fn nothing_listening_is_a_connection_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/page");
    let err = get(&url, quick()).unwrap_err();
    assert!(err.contains(&url), "{err}");
    assert!(err.contains("cannot connect"), "{err}");
}

#[test]
fn an_oversized_body_is_refused_declared_or_not() {
    let big = vec![b'a'; 3 << 20];
    let body = big.clone();
    let server = Server::by_path(move |path| {
        let mut reply = Reply::ok("text/plain", body.clone());
        reply.no_length = path == "/streamed";
        reply
    });
    let limits = FetchLimits {
        max_bytes: 1 << 20,
        ..FetchLimits::default()
    };
    let url = server.url("/declared");
    let mut most = 0;
    let err = fetch::fetch(&url, limits, &mut |got, _| most = most.max(got)).unwrap_err();
    assert!(
        err.contains(&url) && err.contains("is 3 MB") && err.contains("1 MB"),
        "{err}"
    );
    assert_eq!(most, 0, "nothing is read when Content-Length says too much");

    let url = server.url("/streamed");
    let mut most = 0;
    let err = fetch::fetch(&url, limits, &mut |got, total| {
        assert_eq!(total, None);
        most = most.max(got);
    })
    .unwrap_err();
    assert!(err.contains(&url) && err.contains("1 MB"), "{err}");
    assert!(most <= 1 << 20, "read {most} bytes past the limit");

    let fine = get(&server.url("/declared"), FetchLimits::default()).unwrap();
    assert_eq!(fine.bytes.len(), big.len());
}

#[test]
fn only_web_addresses_are_fetched() {
    let err = get("ftp://127.0.0.1/x", FetchLimits::default()).unwrap_err();
    assert!(err.contains("ftp://127.0.0.1/x"), "{err}");
}
