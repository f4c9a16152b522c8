//! The DICT protocol client against a real dictd (Debian's), started here on a free
//! loopback port with FreeDict, and against servers that are down or never answer.

mod common;

use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use qari::glossary::{Glossary, GlossaryConfig};

const INDEX: &str = "/usr/share/dictd/freedict-ara-eng.index";
const DICT_DZ: &str = "/usr/share/dictd/freedict-ara-eng.dict.dz";

/// A dictd child process, killed when dropped.
struct Dictd(Child);

impl Drop for Dictd {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start_dictd(dir: &Path) -> Option<(Dictd, u16)> {
    let dictd = common::external_program("dictd", "the Debian package dictd")
        .or_else(|| common::external_file("/usr/sbin/dictd", "the Debian package dictd"))?;
    common::external_file(INDEX, "the Debian package dict-freedict-ara-eng")?;
    // dictd drops its privileges when started as root: its files must be readable by all.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o777)).unwrap();
    }
    let conf = dir.join("dictd.conf");
    std::fs::write(
        &conf,
        format!(
            "global {{\n  listen_to 127.0.0.1\n}}\naccess {{ allow 127.0.0.1 }}\n\
             database freedict-ara-eng {{\n  data \"{DICT_DZ}\"\n  index \"{INDEX}\"\n}}\n"
        ),
    )
    .unwrap();
    let port = free_port();
    let child = Command::new(dictd)
        .args(["-c", conf.to_str().unwrap(), "-p", &port.to_string()])
        .args(["--pid-file", dir.join("dictd.pid").to_str().unwrap()])
        .args([
            "--listen-to",
            "127.0.0.1",
            "-d",
            "nodetach",
            "--locale",
            "C.UTF-8",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = Dictd(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "dictd did not start on port {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Some((server, port))
}

fn server_config(url: String, timeout_ms: u64) -> GlossaryConfig {
    GlossaryConfig {
        builtin: false,
        system_dicts: false,
        personal: false,
        no_cache: true,
        dict_servers: vec![url],
        connect_timeout_ms: timeout_ms,
        read_timeout_ms: timeout_ms,
        ..GlossaryConfig::default()
    }
}

#[test]
fn real_dictd_serves_the_same_entries_as_the_files() {
    let tmp = tempfile::tempdir().unwrap();
    let Some((_server, port)) = start_dictd(tmp.path()) else {
        return;
    };
    let url = format!("dict://127.0.0.1:{port}/freedict-ara-eng");
    let (remote, w) = Glossary::open(&server_config(url.clone(), 2000));
    assert!(w.is_empty(), "{w:?}");
    let (local, w) = Glossary::open(&GlossaryConfig {
        builtin: false,
        system_dicts: false,
        personal: false,
        no_cache: true,
        dicts: vec![INDEX.into()],
        ..GlossaryConfig::default()
    });
    assert!(w.is_empty(), "{w:?}");
    for word in ["وزارة", "لوزارة", "والخارجية", "كتاب"] {
        let r = remote.lookup_detailed(word);
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
        assert!(!r.entries.is_empty(), "the server knows {word}");
        assert!(
            r.entries[0]
                .source
                .starts_with(&format!("dict://127.0.0.1:{port}/"))
        );
        let l = local.lookup(word);
        // The server's first definition is one the files give too.
        assert!(
            l.iter().any(|e| e
                .definition
                .contains(r.entries[0].definition.lines().next().unwrap())),
            "{word}: server {:?}, files {:?}",
            r.entries[0],
            l
        );
    }
    let none = remote.lookup_detailed("زززززز");
    assert!(none.entries.is_empty() && none.warnings.is_empty());
}

#[test]
fn server_that_is_down_gives_a_message_quickly() {
    let port = free_port();
    let (g, _) = Glossary::open(&server_config(format!("dict://127.0.0.1:{port}/x"), 2000));
    let started = Instant::now();
    let r = g.lookup_detailed("كتاب");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(r.entries.is_empty());
    assert_eq!(r.warnings.len(), 1);
    assert!(
        r.warnings[0].message.contains("cannot connect"),
        "{}",
        r.warnings[0]
    );
}

#[test]
fn server_that_never_answers_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // Accepts, then says nothing for longer than the timeout.
    let silent = std::thread::spawn(move || {
        let (conn, _) = listener.accept().unwrap();
        std::thread::sleep(Duration::from_millis(1500));
        drop(conn);
    });
    let (g, _) = Glossary::open(&server_config(format!("dict://127.0.0.1:{port}/x"), 500));
    let started = Instant::now();
    let r = g.lookup_detailed("كتاب");
    let took = started.elapsed();
    assert!(took < Duration::from_millis(1400), "took {took:?}");
    assert!(
        r.warnings[0]
            .message
            .contains("did not answer within 500 ms"),
        "{}",
        r.warnings[0]
    );
    silent.join().unwrap();
}
