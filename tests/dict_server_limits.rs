//! DICT servers that never finish: a trickle without a line end, an endless line, a huge
//! reply. Each is a real fake server on 127.0.0.1; the lookup must come back with a
//! warning (the generous bound of ten timeouts only detects a hang) and must stop reading
//! at the caps.

mod fake_dict;

use std::time::Duration;

use fake_dict::FakeServer;
use qari::glossary::sources::dictproto::{MAX_LINE, MAX_REPLY};
use qari::glossary::{Glossary, GlossaryConfig};

const TIMEOUT_MS: u64 = 500;
/// For the tests of the caps: the deadline is not what they test, and reading 4 MiB on a
/// loaded machine can take longer than `TIMEOUT_MS`, which would hide the cap's message.
const CAP_TIMEOUT_MS: u64 = 10_000;

fn glossary(url: String) -> Glossary {
    glossary_with_timeout(url, TIMEOUT_MS)
}

fn glossary_with_timeout(url: String, timeout_ms: u64) -> Glossary {
    let (g, w) = Glossary::open(&GlossaryConfig {
        builtin: false,
        system_dicts: false,
        personal: false,
        no_cache: true,
        dict_servers: vec![url],
        connect_timeout_ms: timeout_ms,
        read_timeout_ms: timeout_ms,
        ..GlossaryConfig::default()
    });
    assert!(w.is_empty(), "{w:?}");
    g
}

/// Looks a word up on a thread, so that a hang fails the test instead of blocking it.
fn lookup_within_bound(g: Glossary, timeout_ms: u64) -> qari::glossary::Lookup {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(g.lookup_detailed("كتاب"));
    });
    let bound = Duration::from_millis(10 * timeout_ms);
    rx.recv_timeout(bound)
        .unwrap_or_else(|_| panic!("the lookup did not return within {bound:?}"))
}

/// The one warning of a lookup that found nothing.
fn only_warning(r: &qari::glossary::Lookup) -> &str {
    assert!(r.entries.is_empty());
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    let w = &r.warnings[0];
    assert!(w.source.starts_with("dict://127.0.0.1:"), "{w}");
    assert!(
        !w.message.contains("dict://"),
        "the server is named once, as the source: {w}"
    );
    &w.message
}

#[test]
fn a_trickle_without_a_line_end_stops_at_the_deadline() {
    let server = FakeServer::start(fake_dict::trickle);
    let r = lookup_within_bound(glossary(server.url("db")), TIMEOUT_MS);
    let message = only_warning(&r);
    assert!(
        message.contains(&format!("did not answer within {TIMEOUT_MS} ms")),
        "{message}"
    );
    // The server got some bytes out: the deadline held across reads that each returned.
    assert!(server.written() > 1, "the server trickled");
}

#[test]
fn an_endless_line_is_cut_at_the_line_cap() {
    let server = FakeServer::start(fake_dict::endless_line);
    let r = lookup_within_bound(
        glossary_with_timeout(server.url("db"), CAP_TIMEOUT_MS),
        CAP_TIMEOUT_MS,
    );
    let message = only_warning(&r);
    assert!(
        message.contains(&format!("a line longer than {MAX_LINE} bytes")),
        "{message}"
    );
    assert!(message.contains("ignored"), "{message}");
}

#[test]
fn a_huge_reply_is_cut_at_the_reply_cap() {
    let server = FakeServer::start(fake_dict::huge_reply);
    let r = lookup_within_bound(
        glossary_with_timeout(server.url("db"), CAP_TIMEOUT_MS),
        CAP_TIMEOUT_MS,
    );
    let message = only_warning(&r);
    assert!(
        message.contains(&format!("an answer longer than {MAX_REPLY} bytes")),
        "{message}"
    );
    // The client stopped reading at the cap: the server could not push the 300 MB
    // through (what it wrote beyond the cap sits in the sockets' buffers).
    drop(r);
    std::thread::sleep(Duration::from_millis(100));
    let written = server.written();
    assert!(
        written < MAX_REPLY + (32 << 20),
        "the server wrote {written} bytes"
    );
}

#[test]
fn the_reader_panel_answers_each_lookup_while_a_server_hangs() {
    let server = FakeServer::start(fake_dict::trickle);
    let factory = qari::tasks::glossary::glossary_lookup(GlossaryConfig {
        builtin: true,
        system_dicts: false,
        personal: false,
        no_cache: true,
        dict_servers: vec![server.url("db")],
        connect_timeout_ms: TIMEOUT_MS,
        read_timeout_ms: TIMEOUT_MS,
        ..GlossaryConfig::default()
    });
    let (tx, rx) = std::sync::mpsc::channel();
    // The lookup worker, as the reader runs it: one thread, one lookup after another.
    std::thread::spawn(move || {
        let (source, _) = factory();
        for word in ["والخارجية", "كتاب"] {
            let _ = tx.send(format!("{:?}", source.lookup(word)));
        }
    });
    for word in ["خارجي", "كتاب"] {
        let panel = rx
            .recv_timeout(Duration::from_millis(10 * TIMEOUT_MS))
            .expect("the panel answers");
        assert!(panel.contains(word), "the built-in entries: {panel}");
        assert!(
            panel.contains(&format!("did not answer within {TIMEOUT_MS} ms")),
            "the server's problem is shown: {panel}"
        );
    }
}
