//! `qari translate` and the providers against a real HTTP/1.1 server on loopback that
//! speaks LibreTranslate, DeepL and OpenAI-compatible chat completions (SSE): request
//! bodies and headers, keys kept out of every output, the cache, and each way a server
//! fails.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use common::http_server::{Recorded, Reply, Server, delta};
use qari::tasks::{CancelToken, Emitter, Job, JobId, Lane};
use qari::translate::config::{ProviderKind, TranslateConfig};
use qari::translate::{self, CacheMode, Provider, Request, Task, TranslateError};

const LT_KEY: &str = "lt-secret-4f2a";
const DL_KEY: &str = "dl-secret-9c1e:fx";
const OA_KEY: &str = "sk-secret-77ab";

const TWO_PARAGRAPHS: &str = "ذهب الولد إلى المدرسة.\n\nقرأت البنت الكتاب.\n";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// A temporary home for config and cache.
struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new(config: &str) -> Home {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("config")).unwrap();
        std::fs::write(dir.path().join("config/config.toml"), config).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let file = dir.path().join("config/config.toml");
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        Home { dir }
    }

    fn cache(&self) -> std::path::PathBuf {
        self.dir.path().join("cache")
    }

    /// Runs `qari translate ARGS` with `input` on stdin.
    fn run(&self, args: &[&str], input: &str) -> Run {
        let mut child = Command::new(env!("CARGO_BIN_EXE_qari"))
            .arg("translate")
            .args(args)
            .env("QARI_CONFIG_DIR", self.dir.path().join("config"))
            .env("QARI_CACHE_DIR", self.cache())
            .env("QARI_STATE_DIR", self.dir.path().join("state"))
            .env("LIBRETRANSLATE_API_KEY", LT_KEY)
            .env("DEEPL_AUTH_KEY", DL_KEY)
            .env("OPENAI_API_KEY", OA_KEY)
            .env_remove("http_proxy")
            .env_remove("HTTP_PROXY")
            .env_remove("all_proxy")
            .env_remove("ALL_PROXY")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // qari may exit before reading (nothing configured): a closed pipe is no failure.
        let _ = child.stdin.take().unwrap().write_all(input.as_bytes());
        let out = child.wait_with_output().unwrap();
        let run = Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8(out.stdout).unwrap(),
            stderr: String::from_utf8(out.stderr).unwrap(),
        };
        for key in [LT_KEY, DL_KEY, OA_KEY, "secret"] {
            assert!(
                !run.stdout.contains(key) && !run.stderr.contains(key),
                "a key shows in the output:\n{}\n{}",
                run.stdout,
                run.stderr
            );
        }
        let cache_dir = self.cache();
        if let Ok(entries) = std::fs::read_dir(&cache_dir) {
            for entry in entries.flatten() {
                let bytes = std::fs::read(entry.path()).unwrap_or_default();
                let text = String::from_utf8_lossy(&bytes);
                assert!(!text.contains("secret"), "a key is in the cache");
            }
        }
        run
    }
}

/// A LibreTranslate server that translates by a table, and says so for anything else.
fn libretranslate(reply: fn(&Recorded, usize) -> Reply) -> Server {
    Server::start(reply)
}

fn lt_translation(request: &Recorded) -> Reply {
    let q = request.json()["q"].as_str().unwrap_or("").to_owned();
    let text = match q.as_str() {
        "ذهب الولد إلى المدرسة." => "The boy went to school.",
        "قرأت البنت الكتاب." => "The girl read the book.",
        _ => "?",
    };
    Reply::json(
        200,
        vec![],
        serde_json::json!({"translatedText": text}).to_string(),
    )
}

fn lt_config(server: &Server) -> String {
    format!(
        "[translate]\nprovider = \"libretranslate\"\nurl = \"{}\"\n",
        server.url("")
    )
}

#[test]
fn libretranslate_gets_its_documented_request_and_each_paragraph_prints_in_order() {
    let server = libretranslate(|r, _| lt_translation(r));
    let home = Home::new(&lt_config(&server));
    let run = home.run(&["-"], TWO_PARAGRAPHS);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "The boy went to school.\n\nThe girl read the book.\n"
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let first = &requests[0];
    assert_eq!(
        (first.method.as_str(), first.path.as_str()),
        ("POST", "/translate")
    );
    assert_eq!(first.header("content-type"), Some("application/json"));
    assert_eq!(
        first.json(),
        serde_json::json!({
            "q": "ذهب الولد إلى المدرسة.",
            "source": "ar",
            "target": "en",
            "format": "text",
            "api_key": LT_KEY,
        })
    );
}

#[test]
fn json_output_is_one_object_per_paragraph() {
    let server = libretranslate(|r, _| lt_translation(r));
    let home = Home::new(&lt_config(&server));
    let run = home.run(&["--json", "--to", "en"], TWO_PARAGRAPHS);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines,
        [
            serde_json::json!({"source": "ذهب الولد إلى المدرسة.", "translation": "The boy went to school."}),
            serde_json::json!({"source": "قرأت البنت الكتاب.", "translation": "The girl read the book."}),
        ]
    );
}

#[test]
fn deepl_sends_the_key_in_the_header_and_says_plainly_when_the_quota_is_gone() {
    let server = Server::start(|request, n| {
        if n == 0 {
            let text = request.json()["text"][0].as_str().unwrap_or("").to_owned();
            let reply = if text.starts_with("ذهب") {
                "The boy went to school."
            } else {
                "?"
            };
            Reply::json(
                200,
                vec![],
                serde_json::json!({"translations": [{"detected_source_language": "AR", "text": reply}]})
                    .to_string(),
            )
        } else {
            Reply::json(456, vec![], r#"{"message":"Quota exceeded"}"#.into())
        }
    });
    let home = Home::new("");
    let run = home.run(
        &[
            "--provider",
            "deepl",
            "--url",
            &server.url(""),
            "--no-cache",
        ],
        TWO_PARAGRAPHS,
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "The boy went to school.\n\n");
    assert!(run.stderr.contains("paragraph 2 of 2"), "{}", run.stderr);
    assert!(
        run.stderr.contains("456") && run.stderr.contains("quota"),
        "{}",
        run.stderr
    );
    let first = &server.requests()[0];
    assert_eq!(first.path, "/v2/translate");
    assert_eq!(
        first.header("authorization"),
        Some(format!("DeepL-Auth-Key {DL_KEY}").as_str())
    );
    let body = first.json();
    assert_eq!(body["source_lang"], "AR");
    assert_eq!(body["target_lang"], "EN-US");
    assert_eq!(body["text"], serde_json::json!(["ذهب الولد إلى المدرسة."]));
    assert!(!first.body.contains("secret"), "the key is in the body");
}

fn chat_config(server: &Server) -> String {
    format!(
        "[translate]\nprovider = \"openai\"\nurl = \"{}/v1\"\nmodel = \"tiny-model\"\nstop = [\"\\n\"]\n\
         [translate.prompts]\nsystem = \"Translate {{from}} to {{to}}.\"\n\
         [[translate.examples]]\nsource = \"كتاب\"\ntranslation = \"a book\"\n\
         [[translate.examples]]\nsource = \"قلم\"\ntranslation = \"a pen\"\n",
        server.url("")
    )
}

#[test]
fn chat_completions_stream_with_examples_and_the_bearer_key() {
    let server = Server::start(|_, n| {
        let words: &[&str] = if n == 0 {
            &[" The", " boy", " went", " to school."]
        } else {
            &[" The girl", " read the book."]
        };
        let mut events: Vec<String> = words.iter().map(|w| delta(w)).collect();
        events.push("[DONE]".into());
        Reply::events(events, Duration::from_millis(5))
    });
    let home = Home::new(&chat_config(&server));
    let run = home.run(&[], TWO_PARAGRAPHS);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "The boy went to school.\n\nThe girl read the book.\n"
    );
    let first = &server.requests()[0];
    assert_eq!(first.path, "/v1/chat/completions");
    assert_eq!(
        first.header("authorization"),
        Some(format!("Bearer {OA_KEY}").as_str())
    );
    let body = first.json();
    assert_eq!(body["model"], "tiny-model");
    assert_eq!(body["stream"], true);
    assert_eq!(body["stop"], serde_json::json!(["\n"]));
    assert_eq!(
        body["messages"],
        serde_json::json!([
            {"role": "system", "content": "Translate Arabic to English."},
            {"role": "user", "content": "كتاب"},
            {"role": "assistant", "content": "a book"},
            {"role": "user", "content": "قلم"},
            {"role": "assistant", "content": "a pen"},
            {"role": "user", "content": "ذهب الولد إلى المدرسة."},
        ])
    );
}

#[test]
fn the_second_run_sends_nothing_and_offline_answers_from_the_cache_only() {
    let server = libretranslate(|r, _| lt_translation(r));
    let home = Home::new(&lt_config(&server));
    let first = home.run(&[], TWO_PARAGRAPHS);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert_eq!(server.requests().len(), 2);
    let second = home.run(&[], TWO_PARAGRAPHS);
    assert_eq!((second.code, &second.stdout), (0, &first.stdout));
    assert_eq!(server.requests().len(), 2, "the cache answered nothing");
    let offline = home.run(&["--offline"], TWO_PARAGRAPHS);
    assert_eq!((offline.code, &offline.stdout), (0, &first.stdout));
    let no_cache = home.run(&["--no-cache"], TWO_PARAGRAPHS);
    assert_eq!((no_cache.code, &no_cache.stdout), (0, &first.stdout));
    assert_eq!(
        server.requests().len(),
        4,
        "--no-cache still used the cache"
    );
    let unknown = home.run(&["--offline"], "جملة لم تترجم بعد.\n");
    assert_eq!(unknown.code, 1);
    assert!(unknown.stderr.contains("offline"), "{}", unknown.stderr);
    assert_eq!(server.requests().len(), 4, "--offline sent a request");
    // Another target language is another entry.
    let french = home.run(&["--to", "fr"], TWO_PARAGRAPHS);
    assert_eq!(french.code, 0);
    assert_eq!(server.requests().len(), 6);
}

#[test]
fn two_processes_share_the_cache_without_failing() {
    let server = libretranslate(|r, _| {
        std::thread::sleep(Duration::from_millis(30));
        lt_translation(r)
    });
    let home = Arc::new(Home::new(&lt_config(&server)));
    let runs: Vec<_> = (0..3)
        .map(|_| {
            let home = Arc::clone(&home);
            std::thread::spawn(move || home.run(&[], TWO_PARAGRAPHS))
        })
        .collect();
    for run in runs {
        let run = run.join().unwrap();
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(
            run.stdout,
            "The boy went to school.\n\nThe girl read the book.\n"
        );
    }
    let before = server.requests().len();
    let again = home.run(&[], TWO_PARAGRAPHS);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(server.requests().len(), before, "the cache was not kept");
}

#[test]
fn a_server_error_is_reported_with_its_own_words_after_what_was_translated() {
    let server = libretranslate(|r, n| {
        if n == 0 {
            lt_translation(r)
        } else {
            Reply::json(
                500,
                vec![],
                r#"{"error": "Cannot translate text: model crashed"}"#.into(),
            )
        }
    });
    let home = Home::new(&lt_config(&server));
    let run = home.run(&[], TWO_PARAGRAPHS);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.starts_with("The boy went to school.\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains("500") && run.stderr.contains("model crashed"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_slow_server_meets_the_timeout() {
    let server = libretranslate(|r, _| lt_translation(r).after(Duration::from_secs(4)));
    let home = Home::new(&lt_config(&server));
    let run = home.run(&["--timeout", "0.5"], "كلمة\n");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("within 0.5 s"), "{}", run.stderr);
}

#[test]
fn rate_limits_are_retried_after_the_wait_asked_then_said_plainly() {
    let server = libretranslate(|r, n| {
        if n == 0 {
            Reply::json(
                429,
                vec![("Retry-After", "1".into())],
                r#"{"error": "Slowdown: 1 per 1 second"}"#.into(),
            )
        } else {
            lt_translation(r)
        }
    });
    let home = Home::new(&lt_config(&server));
    let run = home.run(&[], "ذهب الولد إلى المدرسة.\n");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "The boy went to school.\n");
    assert_eq!(server.requests().len(), 2);

    let always = Server::start(|_, _| {
        Reply::json(
            429,
            vec![("Retry-After", "0".into())],
            r#"{"error": "Slowdown: 1 per 1 minute"}"#.into(),
        )
    });
    let home = Home::new(&format!("{}retries = 2\n", lt_config(&always)));
    let run = home.run(&[], "كلمة\n");
    assert_eq!(run.code, 1);
    assert_eq!(always.requests().len(), 3);
    assert!(
        run.stderr.contains("429")
            && run.stderr.contains("Slowdown")
            && run.stderr.contains("3 tries"),
        "{}",
        run.stderr
    );

    let patient =
        Server::start(|_, _| Reply::json(503, vec![("Retry-After", "3600".into())], String::new()));
    let home = Home::new(&lt_config(&patient));
    let run = home.run(&[], "كلمة\n");
    assert_eq!(run.code, 1);
    assert_eq!(patient.requests().len(), 1);
    assert!(
        run.stderr.contains("503") && run.stderr.contains("3600 s"),
        "{}",
        run.stderr
    );
}

#[test]
fn escape_sequences_in_replies_never_reach_the_terminal() {
    let server = libretranslate(|_, n| {
        if n == 0 {
            Reply::json(
                200,
                vec![],
                serde_json::json!({"translatedText": "ok\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{202e}done"}).to_string(),
            )
        } else {
            Reply::json(
                400,
                vec![],
                serde_json::json!({"error": "bad\u{1b}[31m request\u{1b}]52;c;aGk=\u{7}"})
                    .to_string(),
            )
        }
    });
    let home = Home::new(&lt_config(&server));
    let run = home.run(&["--no-cache"], TWO_PARAGRAPHS);
    assert_eq!(run.code, 1);
    for out in [&run.stdout, &run.stderr] {
        assert!(
            !out.chars()
                .any(|c| c == '\u{1b}' || c == '\u{7}' || c == '\u{9b}' || c == '\u{202e}'),
            "{out:?}"
        );
    }
    assert!(run.stdout.starts_with("okdone"), "{:?}", run.stdout);
    assert!(run.stderr.contains("bad request"), "{:?}", run.stderr);
}

#[test]
fn a_server_that_is_down_is_named_as_such() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let home = Home::new(&format!(
        "[translate]\nprovider = \"libretranslate\"\nurl = \"http://127.0.0.1:{port}\"\n"
    ));
    let run = home.run(&[], "كلمة\n");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("connection refused"), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("127.0.0.1:{port}")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_stream_cut_halfway_keeps_its_words_and_says_it_is_incomplete() {
    let server = Server::start(|_, _| {
        Reply::events(vec![delta(" The boy"), delta(" went")], Duration::ZERO)
    });
    let home = Home::new(&chat_config(&server));
    let run = home.run(&[], "ذهب الولد إلى المدرسة.\n");
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "The boy went\n");
    assert!(run.stderr.contains("incomplete"), "{}", run.stderr);
}

#[test]
fn malformed_and_oversized_replies_are_errors_not_text() {
    let server = Server::start(|_, n| match n {
        0 => Reply::json(200, vec![], "<html>not json</html>".into()),
        _ => Reply::huge(3 * 1024 * 1024),
    });
    let home = Home::new(&lt_config(&server));
    let run = home.run(&["--no-cache"], "كلمة\n");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("not valid JSON"), "{}", run.stderr);
    let run = home.run(&["--no-cache"], "كلمة\n");
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("longer than 1 MB"), "{}", run.stderr);
}

#[test]
fn no_provider_configured_sends_nothing_and_says_how_to_configure() {
    let home = Home::new("");
    let run = home.run(&[], "كلمة\n");
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("[translate]"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn a_key_in_a_config_others_can_read_is_warned_about() {
    use std::os::unix::fs::PermissionsExt;
    let server = libretranslate(|r, _| lt_translation(r));
    let home = Home::new(&format!(
        "{}api_key = \"file-secret-1\"\n",
        lt_config(&server)
    ));
    let path = home.dir.path().join("config/config.toml");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = home.run(&[], "ذهب الولد إلى المدرسة.\n");
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("chmod 600"), "{}", run.stderr);
}

// The reader's path: a lane whose job translates, superseded while a reply streams.

enum Heard {
    Piece(String),
    Done(Result<String, TranslateError>),
}

struct TranslateJob(Arc<dyn Provider>);

impl Job for TranslateJob {
    type Request = Request;
    type Message = Heard;

    fn run(&mut self, _id: JobId, request: Request, cancel: &CancelToken, out: &Emitter<Heard>) {
        let result = self.0.translate(&request, cancel, &mut |piece| {
            out.send(Heard::Piece(piece.to_owned()));
        });
        out.send(Heard::Done(result));
    }

    fn panicked(&mut self, _id: JobId, _what: &str, why: &str, out: &Emitter<Heard>) {
        out.send(Heard::Done(Err(TranslateError::Reply(why.to_owned()))));
    }

    fn describe(request: &Request) -> String {
        request.text.clone()
    }
}

fn chat_provider(server: &Server, cache: &Path) -> Arc<dyn Provider> {
    let config = TranslateConfig {
        provider: Some(ProviderKind::Openai),
        url: Some(server.url("/v1")),
        ..TranslateConfig::default()
    };
    translate::open_with_cache(
        &config,
        CacheMode::Use,
        Arc::new(|_: &str| {}),
        cache.join("t.redb"),
    )
    .unwrap()
    .unwrap()
}

fn request(text: &str, task: Task) -> Request {
    Request {
        task,
        text: text.into(),
        from: "ar".into(),
        to: "en".into(),
    }
}

#[test]
fn cancel_closes_the_connection_and_the_lane_goes_on() {
    let server = Server::start(|_, n| {
        if n == 0 {
            Reply::endless(delta(" more"), Duration::from_millis(20))
        } else {
            Reply::events(vec![delta(" The book."), "[DONE]".into()], Duration::ZERO)
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let (sender, heard) = std::sync::mpsc::channel();
    let mut lane = Lane::spawn(
        "translate-test",
        TranslateJob(chat_provider(&server, dir.path())),
        sender,
    )
    .unwrap();
    lane.submit(1, request("نص طويل", Task::Translate));
    match heard.recv_timeout(Duration::from_secs(10)).unwrap() {
        Heard::Piece(piece) => assert_eq!(piece, "more"),
        Heard::Done(result) => panic!("ended early: {result:?}"),
    }
    // A newer request supersedes the streaming one.
    lane.submit(2, request("كتاب", Task::Translate));
    assert!(
        server.wait_for_close(Duration::from_secs(5)),
        "the server never saw the connection closed"
    );
    let mut results = Vec::new();
    while results.len() < 2 {
        if let Heard::Done(result) = heard.recv_timeout(Duration::from_secs(10)).unwrap() {
            results.push(result);
        }
    }
    assert_eq!(results[0], Err(TranslateError::Cancelled));
    assert_eq!(results[1].as_deref(), Ok("The book."));
}

#[test]
fn explain_asks_the_chat_model_about_the_word_in_its_sentence() {
    let server = Server::start(|_, _| {
        Reply::events(
            vec![
                delta("Meaning here: went. Dictionary form: ذهب. Root: ذ ه ب."),
                "[DONE]".into(),
            ],
            Duration::ZERO,
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let provider = chat_provider(&server, dir.path());
    assert!(provider.can_explain());
    let answer = provider
        .translate(
            &request(
                "ذهب الولد إلى المدرسة.",
                Task::Explain {
                    word: "ذهب".into()
                },
            ),
            &CancelToken::default(),
            &mut |_| {},
        )
        .unwrap();
    assert!(answer.contains("Root"), "{answer}");
    let body = server.requests()[0].json();
    let messages = body["messages"].as_array().unwrap();
    let question = messages.last().unwrap()["content"].as_str().unwrap();
    assert_eq!(question, "Word: ذهب\nSentence: ذهب الولد إلى المدرسة.");
    assert!(messages[0]["content"].as_str().unwrap().contains("root"));

    let lt = libretranslate(|r, _| lt_translation(r));
    let config = TranslateConfig {
        provider: Some(ProviderKind::Libretranslate),
        url: Some(lt.url("")),
        ..TranslateConfig::default()
    };
    let provider = translate::open_with_cache(
        &config,
        CacheMode::Bypass,
        Arc::new(|_: &str| {}),
        dir.path().join("x.redb"),
    )
    .unwrap()
    .unwrap();
    assert!(!provider.can_explain());
    let err = provider
        .translate(
            &request(
                "ذهب الولد",
                Task::Explain {
                    word: "ذهب".into()
                },
            ),
            &CancelToken::default(),
            &mut |_| {},
        )
        .unwrap_err();
    assert!(matches!(err, TranslateError::Unsupported(_)), "{err}");
    assert!(lt.requests().is_empty());
}
