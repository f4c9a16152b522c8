//! One frame of the reader at 200×60 with a warm layout cache: update (a scroll) and
//! draw into a buffer. Goal (issue 3): under 2 ms.
//!
//! A streamed piece of a translation on its way to the panel (issue 9): the provider,
//! on the translation lane's thread, hands a piece over; the event loop receives the
//! message, applies it and draws the frame. Goal: well within one frame (16 ms).
//!
//! Restoring a saved position (issue 11) in a 50 MB document, near its end: the block
//! found by its text at its index, ten blocks further down (a page that gained
//! paragraphs above), and a block whose text is gone (the whole search, then the
//! fallback to its index).

use criterion::{Criterion, criterion_group, criterion_main};
use qari::app::{self, Action, App, Msg};
use qari::config::Config;
use qari::document::Document;
use qari::ui::{self, UiContext};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::hint::black_box;
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Mutex};

use qari::tasks::translate::TranslateJob;
use qari::tasks::{CancelToken, Lane};
use qari::translate::{Provider, Request, Task, TranslateError};

/// A provider that passes on each piece it is given, until the channel closes.
struct Relay(Mutex<Receiver<String>>);

impl Provider for Relay {
    fn name(&self) -> &str {
        "relay"
    }

    fn translate(
        &self,
        _request: &Request,
        cancel: &CancelToken,
        on_text: &mut dyn FnMut(&str),
    ) -> Result<String, TranslateError> {
        let pieces = self.0.lock().unwrap_or_else(|e| e.into_inner());
        while let Ok(piece) = pieces.recv() {
            if cancel.is_cancelled() {
                return Err(TranslateError::Cancelled);
            }
            on_text(&piece);
        }
        Ok(String::new())
    }
}

/// The reader on the seed article (the guide without it) at 200×60, panel open.
fn seed_reader() -> App {
    let seed = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/seed-article.txt"
    );
    let doc = match std::fs::read_to_string(seed) {
        Ok(text) => Document::from_text("seed-article.txt", text),
        Err(_) => Document::guide(),
    };
    let mut config = Config::default();
    config.panel.visible = true;
    App::new(doc, &config, 200, 60)
}

fn bench(c: &mut Criterion) {
    let mut app = seed_reader();
    let ui = UiContext::default();
    let area = Rect::new(0, 0, 200, 60);
    let mut buffer = Buffer::empty(area);
    // Warm the cache over the first screens.
    for _ in 0..3 {
        app::update(&mut app, Msg::Action(Action::PageDown));
    }
    app::update(&mut app, Msg::Action(Action::GoTop));
    let mut down = true;
    c.bench_function("frame_200x60_warm", |b| {
        b.iter(|| {
            let action = if down {
                Action::ScrollDown
            } else {
                Action::ScrollUp
            };
            down = !down;
            app::update(&mut app, Msg::Action(action));
            buffer.reset();
            ui::draw_into(&app, &ui, area, &mut buffer);
            black_box(&buffer);
        })
    });
}

fn streamed_piece(c: &mut Criterion) {
    let mut app = seed_reader();
    let ui = UiContext::default();
    let area = Rect::new(0, 0, 200, 60);
    let mut buffer = Buffer::empty(area);
    let (pieces, relay) = mpsc::channel();
    let (tx, answers) = mpsc::channel();
    let mut lane = Lane::spawn(
        "bench translation",
        TranslateJob::new(Arc::new(Relay(Mutex::new(relay)))),
        tx,
    )
    .expect("a thread");
    app::update(
        &mut app,
        Msg::Translator(Some(app::TranslatorInfo {
            name: "relay".into(),
            can_explain: false,
            from: "ar".into(),
            to: "en".into(),
            prefetch: false,
        })),
    );
    let effects = app::update(&mut app, Msg::Action(Action::TranslateParagraph));
    for effect in effects {
        if let app::Effect::Translate { id, request } = effect {
            assert_eq!(request.task, Task::Translate);
            lane.submit(id, request);
        }
    }
    let mut sent = 0usize;
    c.bench_function("streamed_piece_to_panel_200x60", |b| {
        b.iter(|| {
            // A paragraph's translation grows to a few hundred words, then starts over.
            sent += 1;
            if sent.is_multiple_of(400) {
                app::update(&mut app, Msg::Action(Action::TranslateParagraph))
                    .into_iter()
                    .for_each(|effect| match effect {
                        app::Effect::Translate { id, request } => lane.submit(id, request),
                        app::Effect::CancelTranslation => lane.cancel(),
                        _ => {}
                    });
            }
            pieces.send("word ".to_owned()).expect("the relay listens");
            let msg = answers.recv().expect("the lane answers");
            app::update(&mut app, msg);
            buffer.reset();
            ui::draw_into(&app, &ui, area, &mut buffer);
            black_box(&buffer);
        })
    });
    drop(pieces);
}

fn restore_position(c: &mut Criterion) {
    use qari::state::SavedPosition;
    let paragraph = "كان يا ما كان في قديم الزمان مكتبة تفتح أبوابها في المساء للطلاب والعمال";
    let count = 50_000_000 / (paragraph.len() + 1);
    let text: String = (0..count).map(|i| format!("{paragraph} {i}\n")).collect();
    let mut app = App::new(
        Document::from_text("large", text),
        &Config::default(),
        200,
        60,
    );
    let near_end = count - 1_000;
    let at = app.doc.paragraphs[near_end].start;
    app.restore_position(at, 0, at);
    let SavedPosition::Blocks { top, cursor, .. } = app.position() else {
        unreachable!("the reader saves blocks");
    };
    let cases = [
        ("at_its_index", 0, top.fingerprint),
        ("ten_blocks_down", 10, top.fingerprint),
        ("text_gone", 0, top.fingerprint ^ 1),
    ];
    for (name, shift, fingerprint) in cases {
        let moved = |mut a: qari::document::Anchor| {
            a.block -= shift;
            a.fingerprint ^= fingerprint ^ top.fingerprint;
            a
        };
        let saved = SavedPosition::Blocks {
            top: moved(top),
            top_line: 0,
            cursor: moved(cursor),
        };
        c.bench_function(&format!("restore_position_50mb_{name}"), |b| {
            b.iter(|| app::update(&mut app, Msg::RestorePosition(black_box(saved))))
        });
    }
}

criterion_group!(benches, bench, streamed_piece, restore_position);
criterion_main!(benches);
