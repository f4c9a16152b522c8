//! A small HTTP/1.1 server on 127.0.0.1 for the translation tests: std's TcpListener, one
//! request per connection, replies scripted by the test. It records each request (method,
//! path, headers, body) and notices when a client closes a connection it was still
//! writing to.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One request as the server read it.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    /// Names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).expect("the request body is JSON")
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub enum Reply {
    /// A status, extra headers and a JSON (or any) body with its length.
    Json(u16, Vec<(&'static str, String)>, String),
    /// Server-sent events: each `data:` payload written and flushed in turn, `pause`
    /// apart, then the connection closed (the events should end with `[DONE]`).
    Events(Vec<String>, Duration),
    /// Waits, then answers.
    Late(Duration, Box<Reply>),
    /// Events written every `pause` for ever, until the client closes the connection.
    Endless(String, Duration),
    /// A 200 reply of `n` bytes of a JSON string.
    Huge(usize),
}

/// A chat completions event carrying `text`.
pub fn delta(text: &str) -> String {
    serde_json::json!({"choices": [{"delta": {"content": text}}]}).to_string()
}

type Handler = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

/// A running server; it stops serving when the test process ends.
pub struct Server {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    closed: Arc<AtomicUsize>,
}

impl Server {
    /// Serves `handler(request, number of the request from 0)` on a free port.
    pub fn start(handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let closed = Arc::new(AtomicUsize::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        let (r, c) = (Arc::clone(&requests), Arc::clone(&closed));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let (r, c, h) = (Arc::clone(&r), Arc::clone(&c), Arc::clone(&handler));
                std::thread::spawn(move || serve(stream, &r, &c, &*h));
            }
        });
        Server {
            addr,
            requests,
            closed,
        }
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// How many endless replies ended because the client closed the connection.
    pub fn closed_by_client(&self) -> usize {
        self.closed.load(Ordering::SeqCst)
    }

    /// Waits up to `limit` for a client to close an endless reply.
    pub fn wait_for_close(&self, limit: Duration) -> bool {
        let start = std::time::Instant::now();
        while start.elapsed() < limit {
            if self.closed_by_client() > 0 {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }
}

fn read_request(stream: &TcpStream) -> Option<Recorded> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_owned();
    let path = parts.next()?.to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).ok()?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_lowercase(), value.trim().to_owned()));
    }
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some(Recorded {
        method,
        path,
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
    })
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        429 => "Too Many Requests",
        456 => "Quota Exceeded",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

fn serve(
    mut stream: TcpStream,
    requests: &Mutex<Vec<Recorded>>,
    closed: &AtomicUsize,
    handler: &Handler,
) {
    let Some(request) = read_request(&stream) else {
        return;
    };
    let number = {
        let mut all = requests.lock().unwrap();
        all.push(request.clone());
        all.len() - 1
    };
    let mut reply = handler(&request, number);
    while let Reply::Late(wait, then) = reply {
        std::thread::sleep(wait);
        reply = *then;
    }
    let _ = match reply {
        Reply::Json(status, headers, body) => {
            let extra: String = headers
                .iter()
                .map(|(n, v)| format!("{n}: {v}\r\n"))
                .collect();
            write!(
                stream,
                "HTTP/1.1 {status} {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n{body}",
                reason(status),
                body.len()
            )
        }
        Reply::Events(events, pause) => (|| {
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
            )?;
            for event in events {
                write!(stream, "data: {event}\n\n")?;
                stream.flush()?;
                std::thread::sleep(pause);
            }
            Ok(())
        })(),
        Reply::Endless(event, pause) => {
            let result = (|| -> std::io::Result<()> {
                write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n"
                )?;
                loop {
                    write!(stream, "data: {event}\n\n")?;
                    stream.flush()?;
                    std::thread::sleep(pause);
                }
            })();
            if result.is_err() {
                closed.fetch_add(1, Ordering::SeqCst);
            }
            Ok(())
        }
        Reply::Huge(n) => (|| {
            write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{{\"translatedText\": \"",
                n + 21
            )?;
            let block = vec![b'a'; 64 * 1024];
            let mut left = n;
            while left > 0 {
                let k = left.min(block.len());
                stream.write_all(&block[..k])?;
                left -= k;
            }
            stream.write_all(b"\"}")
        })(),
        Reply::Late(..) => unreachable!(),
    };
}
