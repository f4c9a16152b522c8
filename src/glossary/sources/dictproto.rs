//! A DICT protocol client (RFC 2229): `dict://host[:port]/database`. One connection per
//! lookup, the DEFINE commands pipelined, and a deadline on the whole exchange so that a
//! server that is down or slow costs at most the configured timeouts.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

use thiserror::Error;

use super::dictd::strip_headword_line;

#[derive(Debug, Error)]
pub enum DictProtoError {
    #[error("not a DICT address (expected dict://host[:port]/database)")]
    BadUrl,
    #[error("cannot connect to {0}: {1}")]
    Connect(String, String),
    #[error("{0} did not answer within {1} ms")]
    Timeout(String, u128),
    #[error("{0}: {1}")]
    Io(String, String),
    #[error("{0} answered {1:?}, which is not a DICT reply")]
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
        let target = format!("{}:{}", self.host, self.port);
        let addrs = (self.host.as_str(), self.port)
            .to_socket_addrs()
            .map_err(|e| DictProtoError::Connect(target.clone(), e.to_string()))?;
        let mut last = String::from("no address");
        for addr in addrs {
            match TcpStream::connect_timeout(&addr, self.connect_timeout) {
                Ok(s) => return Ok(s),
                Err(e) => last = e.to_string(),
            }
        }
        Err(DictProtoError::Connect(target, last))
    }

    /// Asks for the definitions of each word; words the server does not know give nothing.
    pub fn define(&self, words: &[String]) -> Result<Vec<ServerDefinition>, DictProtoError> {
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let stream = self.connect()?;
        let deadline = Instant::now() + self.read_timeout;
        let io = |e: std::io::Error| DictProtoError::Io(self.name.clone(), e.to_string());
        stream
            .set_write_timeout(Some(self.read_timeout))
            .map_err(io)?;
        let mut reader = Conn {
            reader: BufReader::new(stream.try_clone().map_err(io)?),
            stream,
            deadline,
            server: self,
        };
        let banner = reader.line()?;
        if !banner.starts_with("220") {
            return Err(DictProtoError::Protocol(self.name.clone(), banner));
        }
        let mut commands = String::new();
        for w in words {
            let quoted = w.replace('\\', "\\\\").replace('"', "\\\"");
            commands.push_str(&format!("DEFINE {} \"{}\"\r\n", self.database, quoted));
        }
        commands.push_str("QUIT\r\n");
        reader.stream.write_all(commands.as_bytes()).map_err(io)?;

        let mut out = Vec::new();
        for (query, word) in words.iter().enumerate() {
            loop {
                let status = reader.line()?;
                let code = status.get(..3).unwrap_or("");
                match code {
                    "150" => continue,
                    "151" => {
                        let (headword, db) =
                            parse_151(&status).unwrap_or((word.clone(), self.database.clone()));
                        let text = reader.text_block()?;
                        out.push(ServerDefinition {
                            query,
                            source: format!("dict://{}:{}/{}", self.host, self.port, db),
                            definition: strip_headword_line(&text, &headword),
                            headword,
                        });
                    }
                    "250" | "552" | "550" | "551" | "501" => break,
                    _ if code.starts_with('4') || code.starts_with('5') => {
                        return Err(DictProtoError::Protocol(self.name.clone(), status));
                    }
                    _ => return Err(DictProtoError::Protocol(self.name.clone(), status)),
                }
            }
        }
        Ok(out)
    }
}

struct Conn<'a> {
    reader: BufReader<TcpStream>,
    stream: TcpStream,
    deadline: Instant,
    server: &'a DictServer,
}

impl Conn<'_> {
    /// One line without its CRLF, within the deadline.
    fn line(&mut self) -> Result<String, DictProtoError> {
        let timeout = || {
            DictProtoError::Timeout(
                self.server.name.clone(),
                self.server.read_timeout.as_millis(),
            )
        };
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(timeout());
        }
        self.reader
            .get_ref()
            .set_read_timeout(Some(left))
            .map_err(|e| DictProtoError::Io(self.server.name.clone(), e.to_string()))?;
        let mut buf = Vec::new();
        match self.reader.read_until(b'\n', &mut buf) {
            Ok(0) => Err(DictProtoError::Io(
                self.server.name.clone(),
                "the server closed the connection".into(),
            )),
            Ok(_) => {
                while buf.last().is_some_and(|&b| b == b'\n' || b == b'\r') {
                    buf.pop();
                }
                Ok(String::from_utf8_lossy(&buf).into_owned())
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                Err(timeout())
            }
            Err(e) => Err(DictProtoError::Io(self.server.name.clone(), e.to_string())),
        }
    }

    /// A text block ended by a line holding one dot; `..` at a line start stands for `.`.
    fn text_block(&mut self) -> Result<String, DictProtoError> {
        let mut text = String::new();
        loop {
            let line = self.line()?;
            if line == "." {
                return Ok(text);
            }
            let line = line
                .strip_prefix('.')
                .filter(|l| l.starts_with('.'))
                .unwrap_or(&line);
            text.push_str(line);
            text.push('\n');
        }
    }
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
