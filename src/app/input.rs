//! From a key press to a message for `update`: prompts and mark names take keys as
//! text; digits build a count (less's `50%`); everything else goes through the keymap,
//! which may wait for more keys of a sequence such as `g g`. Nothing here changes the
//! App: what prompts, marks and the help overlay ask for is an [`InputMsg`], which
//! `update` applies through [`apply`].

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

/// What a key asks of the prompt, the mark prompt or the help overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputMsg {
    /// A mark's name after `m` or `'`; `None` when another key cancelled.
    Mark(Option<char>),
    /// The help overlay, scrolled to this row.
    HelpScroll(usize),
    /// Choose entry N of the table of contents.
    TocSelect(usize),
    /// Jump to entry N of the table of contents.
    TocJump(usize),
    /// Leave the prompt or the help overlay.
    Close,
    /// The prompt's text after an edit.
    PromptEdit(String),
    /// Enter in the prompt, with its text.
    PromptSubmit(String),
    /// A key sequence was abandoned: its keys leave the status bar.
    ClearStatus,
}

/// Handles one key press. Returns the effects of any update it caused.
pub fn handle_key(
    app: &mut App,
    keymap: &Keymap,
    state: &mut InputState,
    key: KeyEvent,
) -> Vec<Effect> {
    let mut effects = Vec::new();
    for msg in key_msgs(app, keymap, state, key) {
        effects.extend(update(app, msg));
    }
    if state.pending.is_empty() && matches!(app.mode, Mode::AwaitMark { .. }) {
        // The mark name is a key that may not come either.
        state.since = Some(Instant::now());
    }
    effects
}

/// The messages a key press makes, in order.
fn key_msgs(app: &App, keymap: &Keymap, state: &mut InputState, key: KeyEvent) -> Vec<Msg> {
    key_msg(app, keymap, state, key)
        .map(|(first, then)| [first].into_iter().chain(then).collect())
        .unwrap_or_default()
}

/// The message a key press makes, if any, and a second one to follow it.
fn key_msg(
    app: &App,
    keymap: &Keymap,
    state: &mut InputState,
    key: KeyEvent,
) -> Option<(Msg, Option<Msg>)> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let one = |msg| Some((msg, None));
    match &app.mode {
        Mode::Prompt { input, .. } => {
            return prompt_key(input.clone(), key).and_then(|m| one(Msg::Input(m)));
        }
        Mode::AwaitMark { .. } => {
            state.since = None;
            return one(Msg::Input(InputMsg::Mark(plain_char(&key))));
        }
        Mode::Help { scroll } => {
            let scroll = *scroll;
            let chord = KeyChord::from(key);
            let msg = if let Lookup::Matched(action) = keymap.lookup(&[chord]) {
                match action {
                    Action::ScrollDown | Action::CursorDown => InputMsg::HelpScroll(scroll + 1),
                    Action::ScrollUp | Action::CursorUp => {
                        InputMsg::HelpScroll(scroll.saturating_sub(1))
                    }
                    Action::PageDown | Action::HalfPageDown => InputMsg::HelpScroll(scroll + 10),
                    Action::PageUp | Action::HalfPageUp => {
                        InputMsg::HelpScroll(scroll.saturating_sub(10))
                    }
                    Action::GoTop => InputMsg::HelpScroll(0),
                    _ => InputMsg::Close,
                }
            } else if key.code == KeyCode::Esc || key.code == KeyCode::Char('q') {
                InputMsg::Close
            } else {
                return one(Msg::Action(Action::Noop));
            };
            return one(Msg::Input(msg));
        }
        Mode::Toc { selected } => {
            let selected = *selected;
            let msg = match keymap.lookup(&[KeyChord::from(key)]) {
                _ if key.code == KeyCode::Enter => InputMsg::TocJump(selected),
                Lookup::Matched(Action::ScrollDown | Action::CursorDown | Action::NextWord) => {
                    InputMsg::TocSelect(selected + 1)
                }
                Lookup::Matched(Action::ScrollUp | Action::CursorUp | Action::PrevWord) => {
                    InputMsg::TocSelect(selected.saturating_sub(1))
                }
                Lookup::Matched(Action::PageDown | Action::HalfPageDown) => {
                    InputMsg::TocSelect(selected + 10)
                }
                Lookup::Matched(Action::PageUp | Action::HalfPageUp) => {
                    InputMsg::TocSelect(selected.saturating_sub(10))
                }
                Lookup::Matched(Action::GoTop) => InputMsg::TocSelect(0),
                Lookup::Matched(Action::GoBottom) => InputMsg::TocSelect(usize::MAX),
                Lookup::Matched(Action::LookupWord) => InputMsg::TocJump(selected),
                _ if key.code == KeyCode::Down => InputMsg::TocSelect(selected + 1),
                _ if key.code == KeyCode::Up => InputMsg::TocSelect(selected.saturating_sub(1)),
                _ => InputMsg::Close,
            };
            return one(Msg::Input(msg));
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
        return one(Msg::Status(Level::Info, state.pending_text()));
    }

    state.pending.push(chord);
    let was_pending = app.pending_keys.is_some();
    let no_longer_pending = was_pending.then_some(Msg::PendingKeys(None));
    match keymap.lookup(&state.pending) {
        Lookup::Pending => {
            state.since = Some(Instant::now());
            let next = keymap.continuations(&state.pending);
            Some((
                Msg::Status(Level::Info, state.pending_text()),
                Some(Msg::PendingKeys(Some(next))),
            ))
        }
        Lookup::Matched(action) => {
            state.pending.clear();
            state.since = None;
            let msg = match state.count.take() {
                Some(count) => Msg::CountedAction(action, count),
                None => Msg::Action(action),
            };
            match no_longer_pending {
                Some(first) => Some((first, Some(msg))),
                None => one(msg),
            }
        }
        Lookup::Cancelled => {
            state.pending.clear();
            state.count = None;
            state.since = None;
            Some((
                Msg::Input(InputMsg::ClearStatus),
                Some(Msg::PendingKeys(None)),
            ))
        }
        Lookup::NotFound => {
            let keys = state.pending_text();
            state.pending.clear();
            state.count = None;
            state.since = None;
            // Name keys that show the help in this keymap, not in another.
            let help = keymap.key_names(Action::ToggleHelp, 2);
            let hint = if help.is_empty() {
                "this keymap has no help key".to_owned()
            } else {
                format!("press {} for help", help.join(" or "))
            };
            let not_bound = Msg::Status(Level::Warning, format!("{keys} is not bound ({hint})"));
            match no_longer_pending {
                Some(first) => Some((first, Some(not_bound))),
                None => one(not_bound),
            }
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
    let mut effects = Vec::new();
    if let Mode::AwaitMark { .. } = app.mode {
        effects.extend(update(app, Msg::Input(InputMsg::Mark(None))));
    }
    let what = if keys.is_empty() {
        "no mark named".to_owned()
    } else {
        format!("{keys}: no key followed")
    };
    effects.extend(update(
        app,
        Msg::Status(Level::Info, format!("{what}, gave up")),
    ));
    effects.extend(update(app, Msg::PendingKeys(None)));
    effects
}

fn keymap_binds_digit(keymap: &Keymap, key: KeyChord) -> bool {
    matches!(keymap.lookup(&[key]), Lookup::Matched(_) | Lookup::Pending)
}

/// A key in a prompt whose text is `input`.
fn prompt_key(mut input: String, key: KeyEvent) -> Option<InputMsg> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Esc => InputMsg::Close,
        KeyCode::Char('c' | 'g') if ctrl => InputMsg::Close,
        KeyCode::Enter => InputMsg::PromptSubmit(input),
        KeyCode::Backspace => match input.pop() {
            None => InputMsg::Close,
            Some(_) => InputMsg::PromptEdit(input),
        },
        KeyCode::Char('u') if ctrl => InputMsg::PromptEdit(String::new()),
        KeyCode::Char(c) if !ctrl && !c.is_control() => {
            input.push(c);
            InputMsg::PromptEdit(input)
        }
        _ => return None,
    })
}

/// Applies an [`InputMsg`]; called by `update` only.
pub(super) fn apply(app: &mut App, msg: InputMsg, effects: &mut Vec<Effect>) {
    match (msg, app.mode.clone()) {
        (InputMsg::Mark(Some(name)), Mode::AwaitMark { set }) => motion::mark(app, name, set),
        (InputMsg::HelpScroll(scroll), Mode::Help { .. }) => app.mode = Mode::Help { scroll },
        (InputMsg::PromptEdit(input), Mode::Prompt { kind, .. }) => {
            app.mode = Mode::Prompt { kind, input }
        }
        (InputMsg::PromptSubmit(input), Mode::Prompt { kind, .. }) => {
            app.mode = Mode::Normal;
            submit(app, kind, input, effects);
        }
        (InputMsg::TocSelect(selected), Mode::Toc { .. }) => super::toc::select(app, selected),
        (InputMsg::TocJump(selected), Mode::Toc { .. }) => super::toc::jump(app, selected),
        (InputMsg::ClearStatus, _) => app.message = None,
        // Closing, a cancelled mark, or a message for a mode that has ended.
        _ => app.mode = Mode::Normal,
    }
}

/// Enter in a prompt of `kind` with `input`.
fn submit(app: &mut App, kind: PromptKind, input: String, effects: &mut Vec<Effect>) {
    match kind {
        PromptKind::SearchForward | PromptKind::SearchBackward => {
            let query = if input.trim().is_empty() {
                app.search.as_ref().map(|s| s.query.clone())
            } else {
                Some(input)
            };
            if let Some(query) = query {
                let backward = kind == PromptKind::SearchBackward;
                effects.extend(update(app, Msg::Search { query, backward }));
            }
        }
        PromptKind::Gloss => {
            if input.trim().is_empty() {
                app.gloss_word = None;
                app.say(Level::Info, "no gloss written");
            } else if let Some(effect) = app.save_gloss_effect(input.trim().to_owned()) {
                effects.push(effect);
            }
        }
        PromptKind::Percent => match input.trim().trim_end_matches('%').parse::<u32>() {
            Ok(percent) if percent <= 100 => {
                effects.extend(update(
                    app,
                    Msg::CountedAction(Action::GotoPercent, percent),
                ));
            }
            _ => app.say(Level::Warning, format!("not a percentage: {input}")),
        },
    }
}
