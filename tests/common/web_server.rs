//! A small HTTP/1.1 server on loopback for the URL tests: each request's path goes to a
//! handler that says what to answer (status, headers, body), and how to misbehave
//! (stall before answering, or in the middle of the body; no Content-Length).
//! One thread per connection; every response closes its connection.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

/// What the server answers to one request.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    pub status: u16,
    pub reason: &'static str,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Send no Content-Length: the body ends when the connection closes.
    pub no_length: bool,
    /// Wait this long before sending anything.
    pub stall_before: Duration,
    /// Send this many bytes of the body, then wait `stall_middle` before the rest.
    pub stall_after_bytes: Option<usize>,
    pub stall_middle: Duration,
}

impl Reply {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Reply {
            status: 200,
            reason: "OK",
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            ..Reply::default()
        }
    }

    pub fn redirect(to: &str) -> Self {
        Reply {
            status: 302,
            reason: "Found",
            headers: vec![("Location".into(), to.into())],
            ..Reply::default()
        }
    }

    pub fn status(status: u16, reason: &'static str) -> Self {
        Reply {
            status,
            reason,
            body: format!("{status} {reason}").into_bytes(),
            ..Reply::default()
        }
    }
}

type Handler = dyn Fn(&str) -> Reply + Send + Sync;

/// A running server; it stops accepting when dropped.
pub struct HttpServer {
    port: u16,
    stop: Arc<AtomicBool>,
}

impl HttpServer {
    pub fn start(handler: impl Fn(&str) -> Reply + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().expect("its address").port();
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let stopping = Arc::clone(&stop);
        thread::spawn(move || {
            for stream in listener.incoming() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let handler = Arc::clone(&handler);
                thread::spawn(move || serve_one(stream, &*handler));
            }
        });
        HttpServer { port, stop }
    }

    /// The URL of `path` ("/page") on this server.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
    }
}

fn serve_one(stream: TcpStream, handler: &Handler) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // The rest of the head, up to the blank line.
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => break,
            Ok(_) if line == "\r\n" || line == "\n" => break,
            Ok(_) => {}
        }
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    let reply = handler(&path);
    let mut stream = stream;
    thread::sleep(reply.stall_before);
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nConnection: close\r\n",
        reply.status, reply.reason
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if !reply.no_length {
        head.push_str(&format!("Content-Length: {}\r\n", reply.body.len()));
    }
    head.push_str("\r\n");
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    let split = reply
        .stall_after_bytes
        .unwrap_or(reply.body.len())
        .min(reply.body.len());
    let _ = stream.write_all(&reply.body[..split]);
    let _ = stream.flush();
    if split < reply.body.len() {
        thread::sleep(reply.stall_middle);
        let _ = stream.write_all(&reply.body[split..]);
    }
    let _ = stream.flush();
}
