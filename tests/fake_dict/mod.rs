//! A fake DICT server on 127.0.0.1, started by a test: each connection is handed to a
//! behaviour (a well-formed hostile reply, a trickle, an endless line, a huge reply) on a
//! thread of its own. The server stops when dropped.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// What the server shares with a behaviour.
pub struct Shared {
    /// Set when the test is over: behaviours stop writing.
    pub stop: AtomicBool,
    /// Bytes the behaviours managed to write.
    pub written: AtomicUsize,
}

pub struct FakeServer {
    pub port: u16,
    pub shared: Arc<Shared>,
    accept: Option<JoinHandle<()>>,
}

impl FakeServer {
    /// Serves each connection with `behaviour`.
    pub fn start(behaviour: fn(TcpStream, &Shared)) -> FakeServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().unwrap().port();
        let shared = Arc::new(Shared {
            stop: AtomicBool::new(false),
            written: AtomicUsize::new(0),
        });
        let for_thread = Arc::clone(&shared);
        let accept = std::thread::spawn(move || {
            for conn in listener.incoming() {
                if for_thread.stop.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(conn) = conn else { continue };
                let shared = Arc::clone(&for_thread);
                std::thread::spawn(move || behaviour(conn, &shared));
            }
        });
        FakeServer {
            port,
            shared,
            accept: Some(accept),
        }
    }

    pub fn url(&self, database: &str) -> String {
        format!("dict://127.0.0.1:{}/{database}", self.port)
    }

    pub fn written(&self) -> usize {
        self.shared.written.load(Ordering::SeqCst)
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so that it sees the flag.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.accept.take() {
            let _ = t.join();
        }
    }
}

/// Writes `bytes`, counting them; false when the client has gone or the test is over.
pub fn send(conn: &mut TcpStream, shared: &Shared, bytes: &[u8]) -> bool {
    if shared.stop.load(Ordering::SeqCst) {
        return false;
    }
    match conn.write_all(bytes) {
        Ok(()) => {
            shared.written.fetch_add(bytes.len(), Ordering::SeqCst);
            true
        }
        Err(_) => false,
    }
}

/// Reads the client's commands up to QUIT (or for at most two seconds); returns the
/// words of its DEFINE commands.
pub fn read_defines(conn: &TcpStream) -> Vec<String> {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(2)));
    let mut words = Vec::new();
    let mut reader = BufReader::new(conn);
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
        let l = line.trim_end().to_string();
        line.clear();
        if l == "QUIT" {
            break;
        }
        if let Some(rest) = l.strip_prefix("DEFINE ") {
            let word = rest
                .split_once(' ')
                .map_or("", |(_, w)| w.trim_matches('"'));
            words.push(word.to_string());
        }
    }
    words
}

/// Sends one byte every 20 ms, never a line end.
pub fn trickle(mut conn: TcpStream, shared: &Shared) {
    while send(&mut conn, shared, b"2") {
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The banner, the client's commands, then the start of one definition.
fn start_definition(conn: &mut TcpStream, shared: &Shared) {
    send(conn, shared, b"220 fake <x@y>\r\n");
    read_defines(conn);
    send(
        conn,
        shared,
        b"150 1 definitions\r\n151 \"w\" db \"db\"\r\n",
    );
}

/// A banner, then a definition whose text is one endless line, as fast as it goes.
pub fn endless_line(mut conn: TcpStream, shared: &Shared) {
    start_definition(&mut conn, shared);
    let chunk = vec![b'x'; 64 * 1024];
    while send(&mut conn, shared, &chunk) {}
}

/// A banner, then a well-formed definition of 300 MB, short lines, as fast as it goes.
pub fn huge_reply(mut conn: TcpStream, shared: &Shared) {
    start_definition(&mut conn, shared);
    let chunk = b"a line of a very long definition\r\n".repeat(2000);
    let mut sent = 0;
    while sent < 300 << 20 && send(&mut conn, shared, &chunk) {
        sent += chunk.len();
    }
    send(&mut conn, shared, b".\r\n250 ok\r\n");
}
