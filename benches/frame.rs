//! One frame of the reader at 200×60 with a warm layout cache: update (a scroll) and
//! draw into a buffer. Goal (issue 3): under 2 ms.

use criterion::{Criterion, criterion_group, criterion_main};
use qari::app::{self, Action, App, Msg};
use qari::config::Config;
use qari::document::Document;
use qari::ui::{self, UiContext};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
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
    let mut app = App::new(doc, &config, 200, 60);
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

criterion_group!(benches, bench);
criterion_main!(benches);
