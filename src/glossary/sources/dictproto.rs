//! A DICT protocol client (RFC 2229): `dict://host[:port]/database`. One connection per
//! lookup, the DEFINE commands pipelined, and a deadline on the whole exchange so that a
//! server that is down, slow or hostile costs at most the configured timeouts and a
//! bounded amount of memory (see [`crate::bounded_read`]). The reply is parsed by a pure
//! state machine, [`ReplyParser`], fed one line at a time.

use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

use thiserror::Error;

use super::dictd::strip_headword_line;
use crate::bounded_read::{BoundedError, BoundedReader, Limits, connect_within};

/// What went wrong with a server. The first field names the server; the messages leave
/// it out, because each is shown after the server's name.
#[derive(Debug, Error)]
pub enum DictProtoError {
    #[error("not a DICT address (expected dict://host[:port]/database)")]
    BadUrl,
    #[error("cannot connect to {0}: {1}; check that the server runs and the address is right")]
    Connect(String, String),
    #[error("did not answer within {1} ms; the lookup went on without it")]
    Timeout(String, u128),
    #[error("{1}")]
    Io(String, String),
    #[error("sent {1}; its answer was ignored")]
    TooLong(String, String),
    #[error("answered {1:?}, which is not a DICT reply")]
    Protocol(String, String),
}

#[derive(Debug, Clone)]
pub struct DictServer {
    host: String,
    port: u16,
    database: String,
    name: String,
    connect_timeout: Duration,
    read_timeout: Duration,
}

/// One definition a server gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerDefinition {
    /// Index of the word in the query list.
    pub query: usize,
    pub headword: String,
    /// `dict://host:port/database` of the database that answered.
    pub source: String,
    pub definition: String,
}

impl DictServer {
    pub fn parse(
        url: &str,
        connect_timeout: Duration,
        read_timeout: Duration,
    ) -> Result<DictServer, DictProtoError> {
        let rest = url.strip_prefix("dict://").ok_or(DictProtoError::BadUrl)?;
        let (hostport, database) = rest.split_once('/').unwrap_or((rest, "*"));
        let database = if database.is_empty() { "*" } else { database };
        let (host, port) = match hostport.rsplit_once(':') {
            Some((h, p)) if !h.ends_with(']') || hostport.starts_with('[') => (
                h.trim_matches(['[', ']']).to_string(),
                p.parse().map_err(|_| DictProtoError::BadUrl)?,
            ),
            _ => (hostport.trim_matches(['[', ']']).to_string(), 2628),
        };
        if host.is_empty() || database.contains(char::is_whitespace) {
            return Err(DictProtoError::BadUrl);
        }
        Ok(DictServer {
            name: format!("dict://{hostport}/{database}"),
            host,
            port,
            database: database.to_string(),
            connect_timeout,
            read_timeout,
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    fn connect(&self) -> Result<TcpStream, DictProtoError> {
        connect_within(&self.host, self.port, self.connect_timeout).map_err(|e| {
            DictProtoError::Connect(
                format!("{}:{}", self.host, self.port),
                crate::error_words::without_os_error(&e.to_string()),
            )
        })
    }

    /// Asks for the definitions of each word; words the server does not know give nothing.
    /// Asks for the definitions of each word; words the server does not know give nothing.
    ///
    /// The read timeout is a deadline for the whole exchange (after connecting), and the
    /// reply is read through a [`BoundedReader`]: a server that trickles, sends an
    /// endless line or a huge reply costs at most the timeout and the caps.
    pub fn define(&self, words: &[String]) -> Result<Vec<ServerDefinition>, DictProtoError> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let stream = self.connect()?;
        let limits = Limits::new(self.read_timeout, MAX_LINE, MAX_REPLY);
        let mut reader = BoundedReader::new(stream, limits);
        let mut parser = ReplyParser::new(words, &self.database);
        let mut sent = false;
        loop {
            let line = reader.read_line().map_err(|e| self.read_error(e))?;
            match parser.feed_line(&line) {
                Err(ReplyError(reply)) => {
                    return Err(DictProtoError::Protocol(self.name.clone(), reply));
                }
                Ok(Progress::Done(definitions)) => {
                    return Ok(definitions
                        .into_iter()
                        .map(|d| ServerDefinition {
                            query: d.query,
                            source: format!("dict://{}:{}/{}", self.host, self.port, d.database),
                            headword: d.headword,
                            definition: d.definition,
                        })
                        .collect());
                }
                Ok(Progress::More) if !sent => {
                    // The banner came: the DEFINE commands go out pipelined.
                    self.send_defines(&reader, words)?;
                    sent = true;
                }
                Ok(Progress::More) => {}
            }
        }
    }

    /// Writes one DEFINE per word and QUIT, within the time the exchange has left.
    fn send_defines(
        &self,
        reader: &BoundedReader<TcpStream>,
        words: &[String],
    ) -> Result<(), DictProtoError> {
        let mut commands = String::new();
        for w in words {
            let quoted = w.replace('\\', "\\\\").replace('"', "\\\"");
            commands.push_str(&format!("DEFINE {} \"{}\"\r\n", self.database, quoted));
        }
        commands.push_str("QUIT\r\n");
        let left = reader.time_left();
        if left.is_zero() {
            return Err(self.read_error(BoundedError::TimedOut(self.read_timeout)));
        }
        let io = |e: std::io::Error| DictProtoError::Io(self.name.clone(), e.to_string());
        let mut stream = reader.get_ref();
        stream.set_write_timeout(Some(left)).map_err(io)?;
        stream.write_all(commands.as_bytes()).map_err(io)
    }

    fn read_error(&self, e: BoundedError) -> DictProtoError {
        let name = self.name.clone();
        match e {
            BoundedError::TimedOut(t) => DictProtoError::Timeout(name, t.as_millis()),
            BoundedError::LineTooLong(_) | BoundedError::ReplyTooLong(_) => {
                DictProtoError::TooLong(name, e.to_string())
            }
            BoundedError::Closed => DictProtoError::Io(name, e.to_string()),
            BoundedError::Io(e) => DictProtoError::Io(name, e.to_string()),
        }
    }
}

/// The longest line accepted from a server. RFC 2229 allows 1024 bytes; dictionaries in
/// the wild have longer lines, so the cap is generous.
pub const MAX_LINE: usize = 64 * 1024;

/// The most bytes read from a server for one lookup.
pub const MAX_REPLY: usize = 4 * 1024 * 1024;

/// One definition in a reply, before it is given its server's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyDefinition {
    /// Index of the word in the query list.
    pub query: usize,
    pub headword: String,
    /// The database that answered.
    pub database: String,
    /// The text, without a first line that repeats the headword.
    pub definition: String,
}

/// A reply the protocol does not allow: the offending line (its start), decoded lossily.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyError(pub String);

/// What [`ReplyParser::feed_line`] needs next.
#[derive(Debug, PartialEq, Eq)]
pub enum Progress {
    More,
    /// Every query has its answer.
    Done(Vec<ReplyDefinition>),
}

/// The reply to a banner and one DEFINE per word, line by line. Pure: it knows nothing of
/// sockets, so it can be tested and fuzzed on bytes ([`parse_reply`]).
#[derive(Debug)]
pub struct ReplyParser<'a> {
    words: &'a [String],
    database: &'a str,
    state: State,
    query: usize,
    found: Vec<ReplyDefinition>,
}

#[derive(Debug)]
enum State {
    Banner,
    Status,
    Text {
        headword: String,
        database: String,
        text: String,
    },
}

impl<'a> ReplyParser<'a> {
    /// A parser for the answers to `DEFINE database word`, one for each of `words`.
    pub fn new(words: &'a [String], database: &'a str) -> ReplyParser<'a> {
        ReplyParser {
            words,
            database,
            state: State::Banner,
            query: 0,
            found: Vec::new(),
        }
    }

    /// Takes one line, without its line end.
    pub fn feed_line(&mut self, line: &[u8]) -> Result<Progress, ReplyError> {
        let line = String::from_utf8_lossy(line);
        let bad = || ReplyError(line.chars().take(200).collect());
        match &mut self.state {
            State::Banner => {
                if !line.starts_with("220") {
                    return Err(bad());
                }
                self.state = State::Status;
            }
            State::Text { text, .. } if line != "." => {
                // `..` at a line start stands for `.`.
                let line = line
                    .strip_prefix('.')
                    .filter(|l| l.starts_with('.'))
                    .unwrap_or(&line);
                text.push_str(line);
                text.push('\n');
            }
            State::Text { .. } => {
                if let State::Text {
                    headword,
                    database,
                    text,
                } = std::mem::replace(&mut self.state, State::Status)
                {
                    self.found.push(ReplyDefinition {
                        query: self.query,
                        definition: strip_headword_line(&text, &headword),
                        headword,
                        database,
                    });
                }
            }
            State::Status => match line.get(..3).unwrap_or("") {
                "150" => {}
                "151" => {
                    let word = self.words.get(self.query).ok_or_else(bad)?;
                    let (headword, database) = parse_151(&line)
                        .unwrap_or_else(|| (word.clone(), self.database.to_string()));
                    self.state = State::Text {
                        headword,
                        database,
                        text: String::new(),
                    };
                }
                "250" | "552" | "550" | "551" | "501" => {
                    self.query += 1;
                    if self.query >= self.words.len() {
                        return Ok(Progress::Done(std::mem::take(&mut self.found)));
                    }
                }
                _ => return Err(bad()),
            },
        }
        Ok(Progress::More)
    }
}

/// Parses a whole reply held in memory: the banner, then the answer to one DEFINE per
/// word. The entry point for fuzzing the protocol parser. A reply that ends before every
/// word has its answer is an error.
pub fn parse_reply(
    reply: &[u8],
    words: &[String],
    database: &str,
) -> Result<Vec<ReplyDefinition>, ReplyError> {
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let mut parser = ReplyParser::new(words, database);
    for line in reply.split(|&b| b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if let Progress::Done(found) = parser.feed_line(line)? {
            return Ok(found);
        }
    }
    Err(ReplyError(
        "the reply ends before every word has its answer".into(),
    ))
}

/// `151 "word" database "description"` → (word, database).
fn parse_151(line: &str) -> Option<(String, String)> {
    let rest = line.get(4..)?.trim_start();
    let rest = rest.strip_prefix('"')?;
    let mut word = String::new();
    let mut chars = rest.char_indices();
    let mut end = None;
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, n)) = chars.next() {
                    word.push(n);
                }
            }
            '"' => {
                end = Some(i);
                break;
            }
            _ => word.push(c),
        }
    }
    let rest = rest.get(end? + 1..)?.trim_start();
    let db = rest.split_whitespace().next()?.to_string();
    Some((word, db))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let t = Duration::from_secs(1);
        let s = DictServer::parse("dict://localhost:2629/freedict-ara-eng", t, t).unwrap();
        assert_eq!(
            (s.host.as_str(), s.port, s.database.as_str()),
            ("localhost", 2629, "freedict-ara-eng")
        );
        let s = DictServer::parse("dict://dict.example", t, t).unwrap();
        assert_eq!((s.port, s.database.as_str()), (2628, "*"));
        assert!(DictServer::parse("http://x/y", t, t).is_err());
    }

    #[test]
    fn status_151() {
        assert_eq!(
            parse_151(r#"151 "كتاب" freedict-ara-eng "Arabic-English FreeDict Dictionary""#),
            Some(("كتاب".to_string(), "freedict-ara-eng".to_string()))
        );
    }
}
