//! One small HTTP/1.1 server on 127.0.0.1 for every test that talks to the network: std's
//! TcpListener, a thread per connection, one request per connection (each reply closes
//! it). A handler given the request and its number says what to answer: a status with
//! headers and a body, server-sent events flushed one by one, an endless stream, a body
//! cut by a pause (a slow or trickling server), a Content-Length that lies. The server
//! records every request (method, path, headers, body) and counts the replies a client
//! closed while they were still being written. Dropping it stops the accepting thread.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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

/// What follows the head of a reply.
#[derive(Debug, Clone)]
pub enum Body {
    /// These bytes, with their length unless [`Reply::no_length`].
    Bytes(Vec<u8>),
    /// Server-sent events: each `data:` payload written and flushed in turn, `pause`
    /// apart, then the connection closed (a chat stream should end with `[DONE]`).
    Events(Vec<String>, Duration),
    /// One event written every `pause` for ever, until the client closes the connection.
    Endless(String, Duration),
}

/// What the server answers to one request.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    /// The reason phrase; the usual one for `status` when None.
    pub reason: Option<&'static str>,
    pub headers: Vec<(String, String)>,
    pub body: Body,
    /// Send no Content-Length: the body ends when the connection closes.
    pub no_length: bool,
    /// Declare this Content-Length instead of the body's own (a truncated download).
    pub declared_length: Option<usize>,
    /// Wait this long after reading the request, before sending anything.
    pub stall_before: Duration,
    /// Send this many bytes of the body, then wait `stall_middle` before the rest.
    pub stall_after_bytes: Option<usize>,
    pub stall_middle: Duration,
    /// Send the body (of [`Body::Bytes`]) this many bytes at a time, each after a
    /// pause of this long: a slow connection.
    pub trickle: Option<(usize, Duration)>,
}

impl Reply {
    /// `status` with a body of `content_type`.
    pub fn with(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status,
            reason: None,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: Body::Bytes(body.into()),
            no_length: false,
            declared_length: None,
            stall_before: Duration::ZERO,
            stall_after_bytes: None,
            stall_middle: Duration::ZERO,
            trickle: None,
        }
    }

    /// 200 with a body of `content_type`.
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Reply::with(200, content_type, body)
    }

    /// A JSON body with a status and extra headers.
    pub fn json(status: u16, headers: Vec<(&str, String)>, body: String) -> Self {
        let mut reply = Reply::with(status, "application/json", body);
        reply
            .headers
            .extend(headers.into_iter().map(|(n, v)| (n.to_string(), v)));
        reply
    }

    /// 302 to `to`.
    pub fn redirect(to: &str) -> Self {
        let mut reply = Reply::with(302, "text/plain", Vec::new());
        reply.headers = vec![("Location".into(), to.into())];
        reply
    }

    /// `status` with its reason phrase as a plain-text body ("404 Not Found").
    pub fn status(status: u16) -> Self {
        Reply::with(status, "text/plain", format!("{status} {}", reason(status)))
    }

    /// A 200 event stream: see [`Body::Events`].
    pub fn events(events: Vec<String>, pause: Duration) -> Self {
        let mut reply = Reply::with(200, "text/event-stream", Vec::new());
        reply.body = Body::Events(events, pause);
        reply
    }

    /// A 200 event stream that never ends: see [`Body::Endless`].
    pub fn endless(event: String, pause: Duration) -> Self {
        let mut reply = Reply::with(200, "text/event-stream", Vec::new());
        reply.body = Body::Endless(event, pause);
        reply
    }

    /// A 200 JSON reply whose one string is `n` bytes long.
    pub fn huge(n: usize) -> Self {
        let mut body = b"{\"translatedText\": \"".to_vec();
        body.resize(body.len() + n, b'a');
        body.extend_from_slice(b"\"}");
        Reply::with(200, "application/json", body)
    }

    /// The same reply, its body sent `bytes` at a time, `pause` apart.
    pub fn trickling(mut self, bytes: usize, pause: Duration) -> Self {
        self.trickle = Some((bytes.max(1), pause));
        self
    }

    /// The same reply, sent after `wait`.
    pub fn after(mut self, wait: Duration) -> Self {
        self.stall_before += wait;
        self
    }
}

/// The usual reason phrase of a status.
pub fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        456 => "Quota Exceeded",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "Status",
    }
}

/// A chat completions event carrying `text`.
pub fn delta(text: &str) -> String {
    serde_json::json!({"choices": [{"delta": {"content": text}}]}).to_string()
}

type Handler = dyn Fn(&Recorded, usize) -> Reply + Send + Sync;

/// A running server; it stops accepting when dropped.
pub struct Server {
    pub addr: SocketAddr,
    requests: Arc<Mutex<Vec<Recorded>>>,
    closed: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
}

impl Server {
    /// Serves `handler(request, number of the request from 0)` on a free port.
    pub fn start(handler: impl Fn(&Recorded, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let addr = listener.local_addr().expect("its address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let closed = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let (r, c, s) = (
            Arc::clone(&requests),
            Arc::clone(&closed),
            Arc::clone(&stop),
        );
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                if s.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let (r, c, h) = (Arc::clone(&r), Arc::clone(&c), Arc::clone(&handler));
                std::thread::spawn(move || serve(stream, &r, &c, &*h));
            }
        });
        Server {
            addr,
            requests,
            closed,
            stop,
        }
    }

    /// Serves by path alone.
    pub fn by_path(handler: impl Fn(&str) -> Reply + Send + Sync + 'static) -> Server {
        Server::start(move |request, _| handler(&request.path))
    }

    /// `http://127.0.0.1:PORT` followed by `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// How many replies ended because the client closed the connection first.
    pub fn closed_by_client(&self) -> usize {
        self.closed.load(Ordering::SeqCst)
    }

    /// Waits up to `limit` for a client to close a reply it was being sent.
    pub fn wait_for_close(&self, limit: Duration) -> bool {
        let start = Instant::now();
        while start.elapsed() < limit {
            if self.closed_by_client() > 0 {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        false
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accepting thread so that it sees the flag.
        let _ = TcpStream::connect(self.addr);
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
        if reader.read_line(&mut line).ok()? == 0 {
            break;
        }
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
    let reply = handler(&request, number);
    std::thread::sleep(reply.stall_before);
    if write_reply(&mut stream, &reply).is_err() {
        closed.fetch_add(1, Ordering::SeqCst);
    }
}

fn write_reply(stream: &mut TcpStream, reply: &Reply) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nConnection: close\r\n",
        reply.status,
        reply.reason.unwrap_or(reason(reply.status))
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Body::Bytes(bytes) = &reply.body
        && !reply.no_length
    {
        let length = reply.declared_length.unwrap_or(bytes.len());
        head.push_str(&format!("Content-Length: {length}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    match &reply.body {
        Body::Bytes(bytes) if reply.trickle.is_some() => {
            let (chunk, pause) = reply.trickle.unwrap_or_default();
            for piece in bytes.chunks(chunk) {
                std::thread::sleep(pause);
                stream.write_all(piece)?;
                stream.flush()?;
            }
        }
        Body::Bytes(bytes) => {
            let split = reply
                .stall_after_bytes
                .unwrap_or(bytes.len())
                .min(bytes.len());
            stream.write_all(&bytes[..split])?;
            stream.flush()?;
            if split < bytes.len() {
                std::thread::sleep(reply.stall_middle);
                stream.write_all(&bytes[split..])?;
            }
        }
        Body::Events(events, pause) => {
            for event in events {
                write!(stream, "data: {event}\n\n")?;
                stream.flush()?;
                std::thread::sleep(*pause);
            }
        }
        Body::Endless(event, pause) => loop {
            write!(stream, "data: {event}\n\n")?;
            stream.flush()?;
            std::thread::sleep(*pause);
        },
    }
    stream.flush()
}
