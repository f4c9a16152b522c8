//! Driving the reader's `App` in tests as the event loop would: a document from text,
//! actions through `update`, and lookups answered from a glossary.

use qari::app::{self, Action, App, Effect, Msg};
use qari::config::Config;
use qari::document::Document;
use qari::glossary::Glossary;
use qari::keymap::Keymap;
use qari::ui::{self, UiContext};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// The reader on `text` (as a document named `t`) at `width`×`height`.
pub fn app_on(text: &str, width: u16, height: u16) -> App {
    App::new(
        Document::from_text("t", text.to_owned()),
        &Config::default(),
        width,
        height,
    )
}

/// Sends `action` through `update`.
pub fn act(app: &mut App, action: Action) {
    app::update(app, Msg::Action(action));
}

/// Applies `msg` and answers the lookups it asks for, as the event loop does.
pub fn apply(app: &mut App, glossary: &Glossary, msg: Msg) {
    let mut effects = app::update(app, msg);
    while let Some(effect) = effects.pop() {
        if let Effect::Lookup { id, text, previous } = effect {
            let content =
                qari::tasks::glossary::panel_content_after(glossary, &text, previous.as_deref());
            effects.extend(app::update(app, Msg::LookupDone { id, content }));
        }
    }
}

/// Everything on screen with the default keymap, row by row.
pub fn screen_text(app: &App) -> String {
    let (keymap, _) = Keymap::load("default", None).unwrap();
    let ui = UiContext::new(&keymap, "test", Config::default().colors);
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| ui::draw(app, &ui, f)).unwrap();
    let buffer = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        for x in 0..w {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}
