//! What qari adds to a translation request beyond the server's own time (issue 9: under
//! 5 ms). A loopback HTTP/1.1 server that answers at once serves three clients in turn:
//! a bare std `TcpStream` that writes the same request and reads the reply (the floor:
//! the kernel and the server), qari's LibreTranslate provider, and qari's chat provider
//! reading a stream of 8 events. qari's overhead is its time minus the floor's. A cache
//! hit (redb opened, read, touched, closed) is measured too.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use qari::tasks::CancelToken;
use qari::translate::config::{ProviderKind, TranslateConfig};
use qari::translate::{self, CacheMode, Provider, Request, Task};

/// Serves every connection with a reply fitting its path, at once.
fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a port");
    let url = format!("http://{}", listener.local_addr().expect("an address"));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || answer(stream));
        }
    });
    url
}

fn answer(stream: TcpStream) {
    let mut reader = BufReader::new(stream.try_clone().expect("a clone"));
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let chat = line.contains("/chat/completions");
    let mut length = 0;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let mut stream = stream;
    let reply = if chat {
        let mut events = String::new();
        for word in [
            " The",
            " boy",
            " went",
            " to",
            " school",
            " in",
            " the",
            " morning.",
        ] {
            events.push_str(&format!(
                "data: {{\"choices\":[{{\"delta\":{{\"content\":\"{word}\"}}}}]}}\n\n"
            ));
        }
        events.push_str("data: [DONE]\n\n");
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n{events}"
        )
    } else {
        let json = r#"{"translatedText":"The boy went to school in the morning."}"#;
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
            json.len()
        )
    };
    let _ = stream.write_all(reply.as_bytes());
}

/// The same exchange with nothing but std: the floor.
fn bare(url: &str) {
    let addr = url.trim_start_matches("http://");
    let mut stream = TcpStream::connect(addr).expect("a connection");
    let body =
        r#"{"q":"ذهب الولد إلى المدرسة في الصباح.","source":"ar","target":"en","format":"text"}"#;
    write!(
        stream,
        "POST /translate HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .expect("a write");
    let mut reply = Vec::new();
    stream.read_to_end(&mut reply).expect("a reply");
    let text = String::from_utf8_lossy(&reply);
    let json = text.split("\r\n\r\n").nth(1).expect("a body");
    let value: serde_json::Value = serde_json::from_str(json).expect("JSON");
    assert!(value["translatedText"].is_string());
}

fn provider(
    kind: ProviderKind,
    url: String,
    mode: CacheMode,
    cache: &std::path::Path,
) -> Arc<dyn Provider> {
    let config = TranslateConfig {
        provider: Some(kind),
        url: Some(url),
        ..TranslateConfig::default()
    };
    translate::open_with_cache(
        &config,
        mode,
        Arc::new(|_: &str| {}),
        cache.join("bench.redb"),
    )
    .expect("a provider")
    .expect("configured")
}

fn request() -> Request {
    Request {
        task: Task::Translate,
        text: "ذهب الولد إلى المدرسة في الصباح.".into(),
        from: "ar".into(),
        to: "en".into(),
    }
}

fn bench(c: &mut Criterion) {
    let url = serve();
    let dir = tempfile::tempdir().expect("a directory");
    let cancel = CancelToken::default();
    let request = request();
    c.bench_function("translate: bare std client (floor)", |b| {
        b.iter(|| bare(&url))
    });
    let lt = provider(
        ProviderKind::Libretranslate,
        url.clone(),
        CacheMode::Bypass,
        dir.path(),
    );
    c.bench_function("translate: LibreTranslate request", |b| {
        b.iter(|| {
            lt.translate(&request, &cancel, &mut |_| {})
                .expect("a translation")
        })
    });
    let chat = provider(
        ProviderKind::Openai,
        format!("{url}/v1"),
        CacheMode::Bypass,
        dir.path(),
    );
    c.bench_function("translate: chat request, 8 streamed events", |b| {
        b.iter(|| {
            chat.translate(&request, &cancel, &mut |_| {})
                .expect("a translation")
        })
    });
    let cached = provider(
        ProviderKind::Libretranslate,
        url.clone(),
        CacheMode::Use,
        dir.path(),
    );
    cached
        .translate(&request, &cancel, &mut |_| {})
        .expect("a translation");
    let offline = provider(
        ProviderKind::Libretranslate,
        url,
        CacheMode::Offline,
        dir.path(),
    );
    c.bench_function("translate: cache hit", |b| {
        b.iter(|| {
            offline
                .translate(&request, &cancel, &mut |_| {})
                .expect("a hit")
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = bench
}
criterion_main!(benches);
