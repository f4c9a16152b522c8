//! Reading lines from a peer that may be slow, broken or hostile: a DICT server today,
//! translation providers and URL loading tomorrow. Every network reply qari reads goes
//! through a [`BoundedReader`], which promises three things whatever the peer sends:
//!
//! - **a deadline for the whole exchange**, not for each read: a peer that trickles one
//!   byte a second without ever ending a line still stops at the deadline;
//! - **a cap on each line**: an endless line ends in [`BoundedError::LineTooLong`]
//!   once it passes the cap, and at most the cap is kept in memory;
//! - **a cap on the whole reply**: a huge answer ends in [`BoundedError::ReplyTooLong`]
//!   once the cap has been read.
//!
//! How to use it: open the connection with [`connect_within`] (name resolution and every
//! address tried share one deadline), build the reader with the [`Limits`] of the
//! exchange (`Limits::new(timeout, max_line, max_reply)` starts the clock), and take
//! lines with [`BoundedReader::read_line`]. Before writing to the same connection, give
//! the write a timeout of [`BoundedReader::time_left`]. Each error says what the peer
//! did wrong, so that the caller can turn it into a warning and move on.

use std::io::{self, Read};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use thiserror::Error;

/// The bounds of one exchange.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// When the exchange must be over.
    pub deadline: Instant,
    /// The time the exchange was given, for messages.
    pub timeout: Duration,
    /// The longest line accepted, in bytes, without its line end.
    pub max_line: usize,
    /// The most bytes read over the whole exchange.
    pub max_reply: usize,
}

impl Limits {
    /// Limits for an exchange that starts now and must end within `timeout`.
    pub fn new(timeout: Duration, max_line: usize, max_reply: usize) -> Limits {
        Limits {
            deadline: Instant::now() + timeout,
            timeout,
            max_line,
            max_reply,
        }
    }
}

/// What went wrong while reading; each names the bound that was broken.
#[derive(Debug, Error)]
pub enum BoundedError {
    #[error("no complete answer within {} ms", .0.as_millis())]
    TimedOut(Duration),
    #[error("a line longer than {0} bytes")]
    LineTooLong(usize),
    #[error("an answer longer than {0} bytes")]
    ReplyTooLong(usize),
    #[error("the connection was closed before the answer was complete")]
    Closed,
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// A stream whose blocking reads can be given a timeout.
pub trait ReadTimeout: Read {
    /// Makes each later read return (with `WouldBlock` or `TimedOut`) after `timeout`.
    fn set_read_timeout(&self, timeout: Duration) -> io::Result<()>;
}

impl ReadTimeout for TcpStream {
    fn set_read_timeout(&self, timeout: Duration) -> io::Result<()> {
        TcpStream::set_read_timeout(self, Some(timeout))
    }
}

/// Connects to `host:port` within `timeout`, name resolution included: the addresses
/// are tried in turn, each with the time that is left. Resolution runs on a thread of
/// its own, which is left behind if the resolver outlives the timeout.
pub fn connect_within(host: &str, port: u16, timeout: Duration) -> io::Result<TcpStream> {
    let deadline = Instant::now() + timeout;
    let timed_out = || {
        io::Error::new(
            io::ErrorKind::TimedOut,
            format!("no connection within {} ms", timeout.as_millis()),
        )
    };
    let (tx, rx) = std::sync::mpsc::channel();
    let target = (host.to_string(), port);
    std::thread::Builder::new()
        .name("resolve".into())
        .spawn(move || {
            let found = target
                .to_socket_addrs()
                .map(|addrs| addrs.collect::<Vec<SocketAddr>>());
            let _ = tx.send(found);
        })?;
    let addrs = rx.recv_timeout(timeout).map_err(|_| timed_out())??;
    let mut last = io::Error::new(io::ErrorKind::NotFound, "the name has no address");
    for addr in addrs {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(timed_out());
        }
        match TcpStream::connect_timeout(&addr, left) {
            Ok(s) => return Ok(s),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Size of one read from the stream.
const CHUNK: usize = 8 * 1024;

/// Lines from `S`, within [`Limits`].
pub struct BoundedReader<S> {
    stream: S,
    limits: Limits,
    /// Bytes read and not yet returned: `buf[start..]`.
    buf: Vec<u8>,
    start: usize,
    /// Bytes read from the stream so far.
    total: usize,
}

impl<S: ReadTimeout> BoundedReader<S> {
    pub fn new(stream: S, limits: Limits) -> BoundedReader<S> {
        BoundedReader {
            stream,
            limits,
            buf: Vec::with_capacity(CHUNK),
            start: 0,
            total: 0,
        }
    }

    /// The stream, to write to it.
    pub fn get_ref(&self) -> &S {
        &self.stream
    }

    /// The time left before the deadline (zero once it has passed).
    pub fn time_left(&self) -> Duration {
        self.limits
            .deadline
            .saturating_duration_since(Instant::now())
    }

    /// The next line, without its LF or CRLF. A last line without a line end, at the end
    /// of the stream, is returned as a line; after it, [`BoundedError::Closed`].
    pub fn read_line(&mut self) -> Result<Vec<u8>, BoundedError> {
        let mut scanned = 0;
        loop {
            let pending = &self.buf[self.start..];
            if let Some(nl) = memchr::memchr(b'\n', &pending[scanned..]) {
                let end = scanned + nl;
                if end > self.limits.max_line + 1 {
                    return Err(BoundedError::LineTooLong(self.limits.max_line));
                }
                let mut line = pending[..end].to_vec();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                if line.len() > self.limits.max_line {
                    return Err(BoundedError::LineTooLong(self.limits.max_line));
                }
                self.start += end + 1;
                return Ok(line);
            }
            scanned = pending.len();
            // A CR may still come before the LF: one byte over the cap is not yet too long.
            if scanned > self.limits.max_line + 1 {
                return Err(BoundedError::LineTooLong(self.limits.max_line));
            }
            if self.fill()? == 0 {
                if self.start == self.buf.len() {
                    return Err(BoundedError::Closed);
                }
                let line = self.buf[self.start..].to_vec();
                self.start = self.buf.len();
                return Ok(line);
            }
        }
    }

    /// Reads what the stream has (at most one chunk) within the deadline and the reply
    /// cap. Returns the number of bytes read, 0 at the end of the stream.
    fn fill(&mut self) -> Result<usize, BoundedError> {
        if self.total >= self.limits.max_reply {
            return Err(BoundedError::ReplyTooLong(self.limits.max_reply));
        }
        let left = self.time_left();
        if left.is_zero() {
            return Err(BoundedError::TimedOut(self.limits.timeout));
        }
        self.stream.set_read_timeout(left)?;
        // Bytes already returned are dropped before reading more.
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        let want = CHUNK.min(self.limits.max_reply - self.total);
        let old = self.buf.len();
        self.buf.resize(old + want, 0);
        let got = loop {
            match self.stream.read(&mut self.buf[old..]) {
                Ok(n) => break Ok(n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    break Err(BoundedError::TimedOut(self.limits.timeout));
                }
                Err(e) => break Err(BoundedError::Io(e)),
            }
        };
        let got = match got {
            Ok(n) => n,
            Err(e) => {
                self.buf.truncate(old);
                return Err(e);
            }
        };
        self.buf.truncate(old + got);
        self.total += got;
        Ok(got)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A stream that gives its chunks one read at a time, then its end.
    struct Chunks {
        chunks: Vec<Vec<u8>>,
        next: Cell<usize>,
    }

    impl Read for Chunks {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let i = self.next.get();
            let Some(chunk) = self.chunks.get(i) else {
                return Ok(0);
            };
            let n = chunk.len().min(buf.len());
            buf[..n].copy_from_slice(&chunk[..n]);
            if n == chunk.len() {
                self.next.set(i + 1);
            } else {
                self.chunks[i].drain(..n);
            }
            Ok(n)
        }
    }

    impl ReadTimeout for Chunks {
        fn set_read_timeout(&self, _: Duration) -> io::Result<()> {
            Ok(())
        }
    }

    fn reader(chunks: &[&[u8]], max_line: usize, max_reply: usize) -> BoundedReader<Chunks> {
        let stream = Chunks {
            chunks: chunks.iter().map(|c| c.to_vec()).collect(),
            next: Cell::new(0),
        };
        BoundedReader::new(
            stream,
            Limits::new(Duration::from_secs(60), max_line, max_reply),
        )
    }

    #[test]
    fn connects_within_the_deadline() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        assert!(connect_within("127.0.0.1", port, Duration::from_secs(5)).is_ok());
        drop(listener);
        let refused = connect_within("127.0.0.1", port, Duration::from_secs(5));
        assert!(refused.is_err());
    }

    #[test]
    fn lines_across_chunks() {
        let mut r = reader(&[b"220 hel", b"lo\r\nsecond\nthi", b"rd"], 100, 1000);
        assert_eq!(r.read_line().unwrap(), b"220 hello");
        assert_eq!(r.read_line().unwrap(), b"second");
        assert_eq!(r.read_line().unwrap(), b"third");
        assert!(matches!(r.read_line(), Err(BoundedError::Closed)));
    }

    #[test]
    fn a_line_at_the_cap_passes_and_one_over_does_not() {
        let mut r = reader(&[b"12345\r\n123456\r\n"], 5, 1000);
        assert_eq!(r.read_line().unwrap(), b"12345");
        assert!(matches!(r.read_line(), Err(BoundedError::LineTooLong(5))));
    }

    #[test]
    fn an_endless_line_stops_at_the_cap() {
        let chunk = [b'x'; 1000];
        let chunks: Vec<&[u8]> = std::iter::repeat_n(&chunk[..], 1000).collect();
        let mut r = reader(&chunks, 4096, usize::MAX);
        assert!(matches!(
            r.read_line(),
            Err(BoundedError::LineTooLong(4096))
        ));
        assert!(r.buf.len() < 4096 + 2 * CHUNK, "kept {} bytes", r.buf.len());
    }

    #[test]
    fn a_long_reply_stops_at_the_cap() {
        let line = b"a short line\r\n";
        let chunks: Vec<&[u8]> = std::iter::repeat_n(&line[..], 10_000).collect();
        let mut r = reader(&chunks, 100, 1000);
        let mut lines = 0;
        let err = loop {
            match r.read_line() {
                Ok(_) => lines += 1,
                Err(e) => break e,
            }
        };
        assert!(matches!(err, BoundedError::ReplyTooLong(1000)), "{err}");
        assert_eq!(lines, 1000 / line.len());
        assert!(r.total <= 1000);
    }
}
