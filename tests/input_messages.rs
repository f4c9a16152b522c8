//! Keys reach the App only as messages through `update`: a prompt's text, its Enter, a
//! mark's name. A message for a prompt that has ended changes nothing but the mode.

use crossterm::event::{KeyCode, KeyEvent};
use qari::app::{self, Action, App, InputMsg, InputState, Mode, Msg, PromptKind};
use qari::config::Config;
use qari::document::Document;
use qari::keymap::Keymap;

fn long_reader() -> App {
    let text = (1..=200)
        .map(|i| format!("الفقرة رقم {i}"))
        .collect::<Vec<_>>()
        .join("\n\n");
    App::new(Document::from_text("t", text), &Config::default(), 60, 10)
}

#[test]
fn a_percent_typed_in_its_prompt_goes_there_through_messages() {
    let mut app = long_reader();
    let keymap = Keymap::load("default", None).unwrap().0;
    let mut input = InputState::default();
    app::update(&mut app, Msg::Action(Action::GotoPercent));
    assert!(matches!(
        app.mode,
        Mode::Prompt {
            kind: PromptKind::Percent,
            ..
        }
    ));
    for c in "50".chars() {
        app::handle_key(
            &mut app,
            &keymap,
            &mut input,
            KeyEvent::from(KeyCode::Char(c)),
        );
    }
    assert_eq!(
        app.mode,
        Mode::Prompt {
            kind: PromptKind::Percent,
            input: "50".into()
        }
    );
    app::handle_key(
        &mut app,
        &keymap,
        &mut input,
        KeyEvent::from(KeyCode::Enter),
    );
    assert_eq!(app.mode, Mode::Normal);
    assert!(
        (90..=110).contains(&app.top.para),
        "at the middle: {:?}",
        app.top
    );
}

#[test]
fn an_enter_for_a_prompt_that_has_ended_does_nothing() {
    let mut app = long_reader();
    let effects = app::update(&mut app, Msg::Input(InputMsg::PromptSubmit("50".into())));
    assert!(effects.is_empty());
    assert_eq!(app.mode, Mode::Normal);
    assert_eq!(app.top.para, 0, "no prompt, no jump");
}
