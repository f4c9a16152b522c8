//! What the reader can be asked to do. Keymaps bind key sequences to these actions by
//! their snake_case names; `update` carries them out.

use std::fmt;
use std::str::FromStr;

macro_rules! actions {
    ($($variant:ident => $name:literal, $help:literal;)*) => {
        /// A command of the reader, named in keymaps by its snake_case name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Action {
            $(#[doc = $help] $variant,)*
        }

        impl Action {
            /// Every action, in the order the help screen lists them.
            pub const ALL: &'static [Action] = &[$(Action::$variant,)*];

            /// The name used in keymap files.
            pub fn name(self) -> &'static str {
                match self { $(Action::$variant => $name,)* }
            }

            /// A one-line description, used when a keymap entry gives none.
            pub fn help(self) -> &'static str {
                match self { $(Action::$variant => $help,)* }
            }
        }

        impl FromStr for Action {
            type Err = UnknownAction;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($name => Ok(Action::$variant),)*
                    _ => Err(UnknownAction(s.to_owned())),
                }
            }
        }
    };
}

actions! {
    Quit => "quit", "Quit qari";
    ScrollDown => "scroll_down", "Scroll down one line";
    ScrollUp => "scroll_up", "Scroll up one line";
    PageDown => "page_down", "Scroll down one page";
    PageUp => "page_up", "Scroll up one page";
    HalfPageDown => "half_page_down", "Scroll down half a page";
    HalfPageUp => "half_page_up", "Scroll up half a page";
    GoTop => "go_top", "Go to the first line (with a count: to that percent)";
    GoBottom => "go_bottom", "Go to the last line (with a count: to that percent)";
    NextParagraph => "next_paragraph", "Go to the next paragraph";
    PrevParagraph => "prev_paragraph", "Go to the previous paragraph";
    GotoPercent => "goto_percent", "Go to a percentage of the document (count, or ask)";
    SetMark => "set_mark", "Set a mark: the next key names it";
    JumpToMark => "jump_to_mark", "Jump to a mark: the next key names it";
    JumpBack => "jump_back", "Jump back to where the last jump started";
    CursorLeft => "cursor_left", "Move the word cursor left on screen";
    CursorRight => "cursor_right", "Move the word cursor right on screen";
    CursorDown => "cursor_down", "Move the word cursor to the line below";
    CursorUp => "cursor_up", "Move the word cursor to the line above";
    NextWord => "next_word", "Move the word cursor to the next word in reading order";
    PrevWord => "prev_word", "Move the word cursor to the previous word in reading order";
    ExtendSelection => "extend_selection", "Add the next word to the selection (up to three words)";
    LookupWord => "lookup_word", "Look up the word (or selection) under the cursor";
    EditGloss => "edit_gloss", "Write your own gloss for the word under the cursor (personal glossary)";
    TranslateSentence => "translate_sentence", "Translate the sentence under the cursor (machine translation)";
    TranslateParagraph => "translate_paragraph", "Translate the paragraph under the cursor (machine translation)";
    TranslateSelection => "translate_selection", "Translate the selection; with none, start one (motions extend it, Esc cancels)";
    ExplainWord => "explain_word", "Explain the word under the cursor in its sentence (chat model)";
    SearchForward => "search_forward", "Search forward";
    SearchBackward => "search_backward", "Search backward";
    NextMatch => "next_match", "Go to the next search hit";
    PrevMatch => "prev_match", "Go to the previous search hit";
    ClearSearch => "clear_search", "Clear the search highlights";
    TogglePanel => "toggle_panel", "Show or hide the side panel";
    FocusPanel => "focus_panel", "Move the focus between the text and the side panel";
    SwapPanelSide => "swap_panel_side", "Put the side panel on the other side";
    WidenPanel => "widen_panel", "Make the side panel wider";
    NarrowPanel => "narrow_panel", "Make the side panel narrower";
    PanelScrollDown => "panel_scroll_down", "Scroll the side panel down";
    PanelScrollUp => "panel_scroll_up", "Scroll the side panel up";
    ToggleHarakat => "toggle_harakat", "Show or hide harakat";
    ToggleShaping => "toggle_shaping", "Turn Arabic shaping on or off";
    ToggleHelp => "toggle_help", "Show or hide this help";
    TableOfContents => "table_of_contents", "Show the table of contents (headings and chapters); Enter jumps";
    Redraw => "redraw", "Redraw the screen";
    Suspend => "suspend", "Suspend qari and go back to the shell (fg resumes)";
    Cancel => "cancel", "Cancel the pending keys, prompt or overlay";
    Noop => "noop", "Do nothing (unbinds a key in an override)";
}

/// An action name that no action has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownAction(pub String);

impl fmt::Display for UnknownAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown action \"{}\"", self.0)
    }
}

impl std::error::Error for UnknownAction {}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for &action in Action::ALL {
            assert_eq!(action.name().parse::<Action>(), Ok(action));
        }
        assert!("fly".parse::<Action>().is_err());
    }
}
