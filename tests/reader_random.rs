//! The reader survives 100,000 random actions and resizes: nothing panics, and whenever
//! words are on screen the cursor is on one of them.

mod common;

use qari::app::{self, Action, App, Msg, ScreenRow};
use qari::config::Config;
use qari::document::Document;

/// A small deterministic generator (xorshift64*), so failures can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn words_on_screen(app: &App) -> bool {
    app.screen
        .iter()
        .any(|r| matches!(r, ScreenRow::Line { spans, .. } if !spans.is_empty()))
}

fn drive(doc: Document, steps: usize, seed: u64) {
    let mut rng = Rng(seed);
    let mut app = App::new(doc, &Config::default(), 80, 24);
    let actions: Vec<Action> = Action::ALL
        .iter()
        .copied()
        .filter(|a| {
            !matches!(
                a,
                Action::Quit | Action::SearchForward | Action::SearchBackward
            )
        })
        .collect();
    for step in 0..steps {
        let msg = match rng.below(20) {
            0 => Msg::Resize(rng.below(200) as u16 + 1, rng.below(70) as u16 + 1),
            1 => Msg::Click(rng.below(200) as u16, rng.below(70) as u16),
            2 => Msg::Wheel(rng.below(7) as i32 - 3),
            3 => Msg::CountedAction(
                actions[rng.below(actions.len() as u64) as usize],
                rng.below(120) as u32,
            ),
            _ => Msg::Action(actions[rng.below(actions.len() as u64) as usize]),
        };
        app::update(&mut app, msg.clone());
        // Prompts and marks wait for keys: leave them, as Esc would.
        app.mode = app::Mode::Normal;
        if words_on_screen(&app) {
            assert!(
                app.cursor_on_screen().is_some(),
                "step {step} (seed {seed}): after {msg:?} the cursor {:?} is not on screen (top {:?}, size {:?})",
                app.cursor,
                app.top,
                app.size
            );
        }
    }
}

#[test]
fn random_actions_on_the_guide() {
    drive(Document::guide(), 50_000, 0x5EED_0001);
}

#[test]
fn random_actions_on_the_seed_article() {
    let doc = match common::seed_article() {
        Some(text) => Document::from_text("seed-article.txt", text),
        None => Document::guide(),
    };
    drive(doc, 50_000, 0x5EED_0002);
}

#[test]
fn resizing_down_to_one_cell_and_back_keeps_the_place() {
    let mut app = App::new(Document::guide(), &Config::default(), 80, 24);
    for _ in 0..5 {
        app::update(&mut app, Msg::Action(Action::NextParagraph));
    }
    let para = app.top.para;
    for (w, h) in [(1, 1), (2, 1), (1, 3), (80, 24)] {
        app::update(&mut app, Msg::Resize(w, h));
    }
    assert_eq!(app.top.para, para, "the top paragraph is kept");
    assert!(app.cursor_on_screen().is_some());
}
