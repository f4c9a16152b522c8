//! From a key press to a message for `update`: prompts and mark names take keys as
//! text; digits build a count (less's `50%`); everything else goes through the keymap,
//! which may wait for more keys of a sequence such as `g g`.

use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::{Action, App, Effect, Level, Mode, Msg, PromptKind, motion, update};
use crate::keymap::{Key, KeyChord, Keymap, Lookup};

/// How long a pending key sequence (or a mark name) waits for its next key.
pub const PENDING_TIMEOUT: Duration = Duration::from_secs(3);

/// Keys typed so far that do not make an action yet.
#[derive(Debug, Default, Clone)]
pub struct InputState {
    pending: Vec<KeyChord>,
    count: Option<u32>,
    /// When the pending sequence (or the wait for a mark name) started.
    since: Option<Instant>,
}

impl InputState {
    /// What the status bar can show of the pending keys.
    pub fn pending_text(&self) -> String {
        let mut out = self.count.map(|c| c.to_string()).unwrap_or_default();
        for key in &self.pending {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&key.to_string());
        }
        out
    }
}

fn plain_char(key: &KeyEvent) -> Option<char> {
    match key.code {
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            Some(c)
        }
        _ => None,
    }
}

/// Handles one key press. Returns the effects of any update it caused.
pub fn handle_key(
    app: &mut App,
    keymap: &Keymap,
    state: &mut InputState,
    key: KeyEvent,
) -> Vec<Effect> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    match app.mode.clone() {
        Mode::Prompt { kind, input } => return prompt_key(app, kind, input, key),
        Mode::AwaitMark { set } => {
            state.since = None;
            if let Some(c) = plain_char(&key) {
                motion::mark(app, c, set);
            } else {
                app.mode = Mode::Normal;
            }
            return update(app, Msg::Action(Action::Noop));
        }
        Mode::Help { scroll } => {
            let chord = KeyChord::from(key);
            if let Lookup::Matched(action) = keymap.lookup(&[chord]) {
                let scroll = match action {
                    Action::ScrollDown | Action::CursorDown => scroll + 1,
                    Action::ScrollUp | Action::CursorUp => scroll.saturating_sub(1),
                    Action::PageDown | Action::HalfPageDown => scroll + 10,
                    Action::PageUp | Action::HalfPageUp => scroll.saturating_sub(10),
                    Action::GoTop => 0,
                    _ => {
                        app.mode = Mode::Normal;
                        return update(app, Msg::Action(Action::Noop));
                    }
                };
                app.mode = Mode::Help { scroll };
            } else if key.code == KeyCode::Esc || key.code == KeyCode::Char('q') {
                app.mode = Mode::Normal;
            }
            return update(app, Msg::Action(Action::Noop));
        }
        Mode::Normal => {}
    }

    // With an Arabic or Persian layout active, its keys stand for the Latin ones.
    let chord = keymap.in_latin(&state.pending, KeyChord::from(key));
    if state.pending.is_empty()
        && let Key::Char(c) = chord.key()
        && chord == KeyChord::plain(Key::Char(c))
        && let Some(digit) = c.to_digit(10)
        && !keymap_binds_digit(keymap, chord)
    {
        let count = state
            .count
            .unwrap_or(0)
            .saturating_mul(10)
            .saturating_add(digit);
        state.count = Some(count.min(1_000_000));
        app.say(Level::Info, state.pending_text());
        return Vec::new();
    }

    state.pending.push(chord);
    let was_pending = app.pending_keys.is_some();
    match keymap.lookup(&state.pending) {
        Lookup::Pending => {
            app.say(Level::Info, state.pending_text());
            state.since = Some(Instant::now());
            let next = keymap.continuations(&state.pending);
            update(app, Msg::PendingKeys(Some(next)))
        }
        Lookup::Matched(action) => {
            state.pending.clear();
            state.since = None;
            let mut effects = Vec::new();
            if was_pending {
                effects.extend(update(app, Msg::PendingKeys(None)));
            }
            let msg = match state.count.take() {
                Some(count) => Msg::CountedAction(action, count),
                None => Msg::Action(action),
            };
            effects.extend(update(app, msg));
            if matches!(app.mode, Mode::AwaitMark { .. }) {
                // The mark name is a key that may not come either.
                state.since = Some(Instant::now());
            }
            effects
        }
        Lookup::Cancelled => {
            state.pending.clear();
            state.count = None;
            state.since = None;
            app.message = None;
            update(app, Msg::PendingKeys(None))
        }
        Lookup::NotFound => {
            let keys = state.pending_text();
            state.pending.clear();
            state.count = None;
            state.since = None;
            if was_pending {
                update(app, Msg::PendingKeys(None));
            }
            // Name keys that show the help in this keymap, not in another.
            let help = keymap.key_names(Action::ToggleHelp, 2);
            let hint = if help.is_empty() {
                "this keymap has no help key".to_owned()
            } else {
                format!("press {} for help", help.join(" or "))
            };
            app.say(Level::Warning, format!("{keys} is not bound ({hint})"));
            Vec::new()
        }
    }
}

/// Gives up a key sequence (or the wait for a mark name) that has waited longer than
/// [`PENDING_TIMEOUT`] at `now`; the event loop calls it while no key comes.
pub fn expire_pending(app: &mut App, state: &mut InputState, now: Instant) -> Vec<Effect> {
    let Some(since) = state.since else {
        return Vec::new();
    };
    if now.duration_since(since) < PENDING_TIMEOUT {
        return Vec::new();
    }
    let keys = state.pending_text();
    state.pending.clear();
    state.count = None;
    state.since = None;
    if let Mode::AwaitMark { .. } = app.mode {
        app.mode = Mode::Normal;
    }
    let what = if keys.is_empty() {
        "no mark named".to_owned()
    } else {
        format!("{keys}: no key followed")
    };
    app.say(Level::Info, format!("{what}, gave up"));
    update(app, Msg::PendingKeys(None))
}

fn keymap_binds_digit(keymap: &Keymap, key: KeyChord) -> bool {
    matches!(keymap.lookup(&[key]), Lookup::Matched(_) | Lookup::Pending)
}

fn prompt_key(app: &mut App, kind: PromptKind, mut input: String, key: KeyEvent) -> Vec<Effect> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Esc => app.mode = Mode::Normal,
        KeyCode::Char('c' | 'g') if ctrl => app.mode = Mode::Normal,
        KeyCode::Enter => {
            app.mode = Mode::Normal;
            match kind {
                PromptKind::SearchForward | PromptKind::SearchBackward => {
                    let query = if input.trim().is_empty() {
                        app.search.as_ref().map(|s| s.query.clone())
                    } else {
                        Some(input)
                    };
                    if let Some(query) = query {
                        return update(
                            app,
                            Msg::Search {
                                query,
                                backward: kind == PromptKind::SearchBackward,
                            },
                        );
                    }
                }
                PromptKind::Gloss => {
                    if input.trim().is_empty() {
                        app.gloss_word = None;
                        app.say(Level::Info, "no gloss written");
                    } else if let Some(effect) = app.save_gloss_effect(input.trim().to_owned()) {
                        let mut effects = update(app, Msg::Action(Action::Noop));
                        effects.push(effect);
                        return effects;
                    }
                }
                PromptKind::Percent => match input.trim().trim_end_matches('%').parse::<u32>() {
                    Ok(percent) if percent <= 100 => {
                        return update(app, Msg::CountedAction(Action::GotoPercent, percent));
                    }
                    _ => app.say(Level::Warning, format!("not a percentage: {input}")),
                },
            }
            return update(app, Msg::Action(Action::Noop));
        }
        KeyCode::Backspace => {
            if input.pop().is_none() {
                app.mode = Mode::Normal;
            } else {
                app.mode = Mode::Prompt { kind, input };
            }
        }
        KeyCode::Char('u') if ctrl => {
            app.mode = Mode::Prompt {
                kind,
                input: String::new(),
            }
        }
        KeyCode::Char(c) if !ctrl && !c.is_control() => {
            input.push(c);
            app.mode = Mode::Prompt { kind, input };
        }
        _ => {}
    }
    Vec::new()
}
