//! The keymaps as shipped and as users write them: the files in `keymaps/` are complete
//! and bind no key twice, key names read and print alike, sequences resolve, user
//! overrides change only what they name, and broken files get a message with file and
//! line.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use proptest::prelude::*;
use rstest::rstest;

use qari::app::Action;
use qari::keymap::{
    Key, KeyChord, Keymap, KeymapError, Lookup, Modifiers, format_sequence, parse_sequence,
};

fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn keys(text: &str) -> Vec<KeyChord> {
    parse_sequence(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn shipped(name: &str) -> Keymap {
    let (keymap, warnings) = Keymap::load(name, None).unwrap_or_else(|e| panic!("{e}"));
    assert!(warnings.is_empty(), "{name}: {warnings:?}");
    keymap
}

/// Every binding of a keymap, as "keys" -> action.
fn bindings(keymap: &Keymap) -> BTreeMap<String, Action> {
    Action::ALL
        .iter()
        .flat_map(|&action| {
            keymap
                .keys_for(action)
                .into_iter()
                .map(move |keys| (format_sequence(&keys), action))
        })
        .collect()
}

/// Writes `text` to a file of its own under Cargo's scratch directory for tests.
fn scratch_file(name: &str, text: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("keymaps");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

// ---- The shipped keymaps ------------------------------------------------------------

#[test]
fn every_file_in_keymaps_is_shipped_and_embedded() {
    let mut on_disk: Vec<String> = std::fs::read_dir(manifest_dir().join("keymaps"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut names: Vec<String> = Keymap::shipped_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    names.sort();
    assert_eq!(on_disk, names);
    assert_eq!(Keymap::shipped_names()[0], "default");
    for &name in Keymap::shipped_names() {
        let path = manifest_dir().join(format!("keymaps/{name}.toml"));
        assert_eq!(
            Keymap::shipped_source(name),
            Some(std::fs::read_to_string(path).unwrap().as_str())
        );
    }
}

/// Reads the raw files, independently of the keymap loader, so that a key bound twice in a
/// shipped file is caught even if the loader's own check were wrong.
#[test]
fn no_shipped_keymap_binds_a_key_twice() {
    for &name in Keymap::shipped_names() {
        let text = Keymap::shipped_source(name).unwrap();
        let table: toml::Table = toml::from_str(text).unwrap();
        let entries = table["keys"].as_array().unwrap();
        let mut seen: HashMap<Vec<KeyChord>, usize> = HashMap::new();
        let mut twice = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            let on = &entry["on"];
            let names: Vec<&str> = match on.as_array() {
                Some(list) => list.iter().map(|v| v.as_str().unwrap()).collect(),
                None => vec![on.as_str().unwrap()],
            };
            let chords: Vec<KeyChord> = names.iter().map(|n| n.parse().unwrap()).collect();
            if let Some(first) = seen.insert(chords.clone(), index) {
                twice.push(format!(
                    "\"{}\" in entries {first} and {index}",
                    format_sequence(&chords)
                ));
            }
        }
        assert!(twice.is_empty(), "{name} binds keys twice: {twice:?}");
    }
}

#[test]
fn shipped_keymaps_load_without_warnings_and_bind_quit() {
    for &name in Keymap::shipped_names() {
        let keymap = shipped(name);
        assert_eq!(keymap.name(), name);
        assert!(
            !keymap.keys_for(Action::Quit).is_empty(),
            "{name} has no quit"
        );
        assert!(
            !keymap.keys_for(Action::Cancel).is_empty(),
            "{name} has no cancel"
        );
        assert!(
            !keymap.keys_for(Action::ToggleHelp).is_empty(),
            "{name} has no help"
        );
    }
}

#[test]
fn every_shipped_entry_has_a_description() {
    for &name in Keymap::shipped_names() {
        let table: toml::Table = toml::from_str(Keymap::shipped_source(name).unwrap()).unwrap();
        for entry in table["keys"].as_array().unwrap() {
            let desc = entry.get("desc").and_then(|d| d.as_str()).unwrap_or("");
            assert!(!desc.trim().is_empty(), "{name}: no desc in {entry}");
        }
    }
}

/// Actions a shipped keymap leaves without a key, and why. Everything else must have a
/// key in every shipped keymap.
const NOT_BOUND: &[(&str, Action, &str)] = &[
    (
        "emacs",
        Action::ClearSearch,
        "emacs has no key that clears a finished search's highlights (isearch removes them \
         itself); a new search replaces them",
    ),
    (
        "less",
        Action::JumpBack,
        "the less keymap binds only less's own keys; less has no jump list (its '' is \
         jump_to_mark then ')",
    ),
    (
        "less",
        Action::ExtendSelection,
        "less has no selection; the less keymap binds only less's own keys",
    ),
    (
        "less",
        Action::SwapPanelSide,
        "less has no panel; in the less keymap the panel is shown, hidden and focused only",
    ),
    (
        "less",
        Action::WidenPanel,
        "less has no panel; its width comes from config.toml ([panel] width)",
    ),
    (
        "less",
        Action::NarrowPanel,
        "less has no panel; its width comes from config.toml ([panel] width)",
    ),
    (
        "less",
        Action::PanelScrollDown,
        "in the less keymap the panel scrolls with j/k once focused (shift+tab)",
    ),
    (
        "less",
        Action::PanelScrollUp,
        "in the less keymap the panel scrolls with j/k once focused (shift+tab)",
    ),
    (
        "less",
        Action::ToggleHarakat,
        "less has no such key; harakat = \"strip\" in config.toml hides them",
    ),
    (
        "less",
        Action::ToggleShaping,
        "less has no such key; shaping = false in config.toml turns shaping off",
    ),
];

#[test]
fn every_shipped_keymap_binds_every_action_or_says_why_not() {
    for &name in Keymap::shipped_names() {
        let keymap = shipped(name);
        assert!(keymap.keys_for(Action::Noop).is_empty());
        for &action in Action::ALL {
            if action == Action::Noop {
                continue;
            }
            let excused = NOT_BOUND.iter().any(|&(k, a, _)| k == name && a == action);
            let bound = !keymap.keys_for(action).is_empty();
            assert!(
                bound || excused,
                "{name} has no key for {} (bind one, or say why in NOT_BOUND)",
                action.name()
            );
            assert!(
                !(bound && excused),
                "{name} binds {} now: remove it from NOT_BOUND",
                action.name()
            );
        }
    }
    assert!(
        NOT_BOUND
            .iter()
            .all(|&(k, _, why)| k != "default" && !why.is_empty())
    );
}

#[test]
fn every_shipped_keymap_has_keys_for_translation() {
    for &name in Keymap::shipped_names() {
        let keymap = shipped(name);
        for action in [
            Action::TranslateSentence,
            Action::TranslateParagraph,
            Action::TranslateSelection,
            Action::ExplainWord,
        ] {
            assert!(!keymap.keys_for(action).is_empty(), "{name}: {action}");
        }
    }
}

#[test]
fn every_shipped_keymap_has_a_key_for_a_personal_gloss() {
    for &name in Keymap::shipped_names() {
        assert!(
            !shipped(name).keys_for(Action::EditGloss).is_empty(),
            "{name}"
        );
    }
}

/// What the built-in guide says each key does, with the words that say it. The guide is
/// Arabic prose; each claim quotes the passage, so a claim that is no longer in the guide
/// fails here, and so does a key the guide names that no claim covers.
const GUIDE_CLAIMS: &[(&str, &str, Action)] = &[
    ("اضغط j للنزول", "j", Action::ScrollDown),
    ("و k للصعود", "k", Action::ScrollUp),
    ("السهمان Down و Up", "Down", Action::ScrollDown),
    ("السهمان Down و Up", "Up", Action::ScrollUp),
    ("اضغط Space", "Space", Action::PageDown),
    ("أو PageDown للنزول", "PageDown", Action::PageDown),
    ("و b أو PageUp للصعود", "b", Action::PageUp),
    ("و b أو PageUp للصعود", "PageUp", Action::PageUp),
    ("فاضغط d للنزول", "d", Action::HalfPageDown),
    ("و u للصعود", "u", Action::HalfPageUp),
    ("اضغط g أو Home للذهاب إلى السطر الأوّل", "g", Action::GoTop),
    (
        "اضغط g أو Home للذهاب إلى السطر الأوّل",
        "Home",
        Action::GoTop,
    ),
    ("و G أو End للذهاب إلى السطر الأخير", "G", Action::GoBottom),
    ("و G أو End للذهاب إلى السطر الأخير", "End", Action::GoBottom),
    (
        "اضغط } للانتقال إلى الفقرة التالية",
        "}",
        Action::NextParagraph,
    ),
    ("و { للعودة إلى الفقرة السابقة", "{", Action::PrevParagraph),
    ("ثم اضغط %", "%", Action::GotoPercent),
    ("اضغط m ثم حرفًا", "m", Action::SetMark),
    ("اضغط ' (الفاصلة العليا)", "'", Action::JumpToMark),
    ("أو Ctrl+O لتعود", "Ctrl+O", Action::JumpBack),
    ("اضغط q للخروج", "q", Action::Quit),
    ("بالمفتاحين h و l", "h", Action::CursorLeft),
    ("بالمفتاحين h و l", "l", Action::CursorRight),
    ("بالسهمين Left و Right", "Left", Action::CursorLeft),
    ("بالسهمين Left و Right", "Right", Action::CursorRight),
    ("w إلى الكلمة التالية", "w", Action::NextWord),
    ("و B إلى الكلمة السابقة", "B", Action::PrevWord),
    ("اضغط v ليمتدّ التحديد", "v", Action::ExtendSelection),
    (
        "ثم اضغط Enter فيبحث قارئ عن الكلمة",
        "Enter",
        Action::LookupWord,
    ),
    ("اضغط / لتبحث إلى الأمام", "/", Action::SearchForward),
    ("أو ? لتبحث إلى الخلف", "?", Action::SearchBackward),
    ("بالمفتاح n إلى النتيجة التالية", "n", Action::NextMatch),
    ("و N إلى النتيجة السابقة", "N", Action::PrevMatch),
    (
        "واضغط Alt+U لإزالة تظليل النتائج",
        "Alt+U",
        Action::ClearSearch,
    ),
    ("اضغط Tab لإظهار اللوحة الجانبية", "Tab", Action::TogglePanel),
    (
        "اضغط Ctrl+W (أو Shift+Tab) لنقل التركيز",
        "Ctrl+W",
        Action::FocusPanel,
    ),
    (
        "اضغط Ctrl+W (أو Shift+Tab) لنقل التركيز",
        "Shift+Tab",
        Action::FocusPanel,
    ),
    ("اضغط > لتوسيع اللوحة", ">", Action::WidenPanel),
    ("و < لتضييقها", "<", Action::NarrowPanel),
    ("واضغط P لنقلها", "P", Action::SwapPanelSide),
    ("اضغط T لترجمة الجملة", "T", Action::TranslateSentence),
    (
        "و Alt+T لترجمة الفقرة كلّها",
        "Alt+T",
        Action::TranslateParagraph,
    ),
    (
        "اضغط Ctrl+T ليبدأ التحديد",
        "Ctrl+T",
        Action::TranslateSelection,
    ),
    (
        "واضغط Ctrl+T مرّة أخرى للترجمة، أو Esc للإلغاء",
        "Esc",
        Action::Cancel,
    ),
    ("واضغط X ليشرح لك النموذج", "X", Action::ExplainWord),
    ("اضغط F1 أو H في أيّ وقت", "F1", Action::ToggleHelp),
    ("اضغط F1 أو H في أيّ وقت", "H", Action::ToggleHelp),
    ("اضغط المفتاح نفسه أو Esc لإغلاقها", "Esc", Action::Cancel),
    ("شاشة المساعدة (F1)", "F1", Action::ToggleHelp),
];

/// Latin words of the guide that read as key names but are not keys: `=` and `"left"` in
/// the line of config.toml it quotes (`side = "left"`).
const GUIDE_NOT_KEYS: &[&str] = &["=", "left"];

/// A word of the guide without the punctuation around it; a lone character stays (it
/// may be the key `(` or `.`).
fn guide_word(word: &str) -> String {
    if word.chars().count() == 1 {
        return word.to_owned();
    }
    word.trim_matches(|c: char| "،.:؛«»()\"".contains(c))
        .to_owned()
}

/// A key as the guide writes it (`Ctrl+O`, `PageDown`) as a key name (`ctrl+o`): the guide
/// capitalises the letter after a modifier, which in a key name would mean shift.
fn guide_key(written: &str) -> String {
    if written.len() > 1 && written.contains('+') {
        written.to_ascii_lowercase()
    } else {
        written.to_owned()
    }
}

#[test]
fn the_guide_claims_only_what_the_default_keymap_does() {
    let guide = qari::document::GUIDE;
    let keymap = shipped("default");
    for &(passage, key, action) in GUIDE_CLAIMS {
        assert!(
            guide.contains(passage),
            "the guide no longer says {passage:?}"
        );
        assert!(
            passage.split_whitespace().map(guide_word).any(|w| w == key),
            "{passage:?} does not name {key}"
        );
        let chords = parse_sequence(&guide_key(key)).unwrap_or_else(|e| panic!("{key}: {e}"));
        assert_eq!(
            keymap.lookup(&chords),
            Lookup::Matched(action),
            "the guide says {key} does {} ({passage:?})",
            action.name()
        );
    }
    // Every Latin word of the guide that names a key is covered by a claim, up to the
    // demonstration of the text engine (English sentences, not keys).
    let (explained, _) = guide
        .split_once("عرضٌ لمحرّك النصّ")
        .expect("the guide's demonstration heading");
    for word in explained.split_whitespace().map(guide_word) {
        if !word.is_ascii() || word.is_empty() || GUIDE_NOT_KEYS.contains(&word.as_str()) {
            continue;
        }
        let Ok(chords) = parse_sequence(&guide_key(&word)) else {
            continue;
        };
        if chords.len() != 1 {
            continue;
        }
        assert!(
            GUIDE_CLAIMS.iter().any(|&(_, key, _)| key == word),
            "the guide names the key {word:?}: add what it claims to GUIDE_CLAIMS"
        );
    }
}

#[test]
fn an_unbound_key_names_help_keys_of_the_active_keymap() {
    use qari::app::{App, InputState, handle_key};
    use qari::config::Config;
    use qari::document::Document;
    for &name in Keymap::shipped_names() {
        let keymap = shipped(name);
        let unbound = ('!'..='~')
            .find(|&c| {
                !c.is_ascii_digit() && keymap.lookup(&[KeyChord::char(c)]) == Lookup::NotFound
            })
            .expect("some key is unbound");
        let mut app = App::new(Document::guide(), &Config::default(), 80, 24);
        let mut input = InputState::default();
        handle_key(
            &mut app,
            &keymap,
            &mut input,
            KeyEvent::new(KeyCode::Char(unbound), KeyModifiers::NONE),
        );
        let message = app
            .message
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_default();
        let named = message
            .split_once("(press ")
            .and_then(|(_, rest)| rest.split_once(" for help)"))
            .map(|(keys, _)| keys)
            .unwrap_or_else(|| panic!("{name}: {message:?} names no help key"));
        for key in named.split(" or ") {
            assert_eq!(
                keymap.lookup(&keys(key)),
                Lookup::Matched(Action::ToggleHelp),
                "{name}: {message:?}"
            );
        }
    }
}

/// Digits are a count for the app (`50%`), so no keymap may start a binding with one.
#[test]
fn no_shipped_keymap_binds_a_digit() {
    for &name in Keymap::shipped_names() {
        let keymap = shipped(name);
        for digit in '0'..='9' {
            let key = [KeyChord::char(digit)];
            assert_eq!(
                keymap.lookup(&key),
                Lookup::NotFound,
                "{name} binds {digit}"
            );
        }
    }
}

#[test]
fn the_help_screen_follows_the_action_order() {
    let help = shipped("default").help_entries();
    assert_eq!(help[0].action, Action::Quit);
    assert_eq!(help[0].keys, "q, ctrl+c");
    let order: Vec<usize> = help
        .iter()
        .map(|entry| Action::ALL.iter().position(|&a| a == entry.action).unwrap())
        .collect();
    assert!(order.is_sorted(), "{help:?}");
    let vim = shipped("vim").help_entries();
    let top = vim.iter().find(|e| e.action == Action::GoTop).unwrap();
    assert_eq!(top.keys, "g g, home");
}

// ---- Key names and crossterm events -------------------------------------------------

#[test]
fn key_names_round_trip() {
    let mut chars: Vec<char> = "aGz%/?'`+ -.<>{}[]~".chars().collect();
    chars.extend(['ث', 'é', 'É', 'ß']);
    let mut all_keys: Vec<Key> = chars.into_iter().map(Key::Char).collect();
    all_keys.extend([
        Key::Enter,
        Key::Esc,
        Key::Tab,
        Key::BackTab,
        Key::Backspace,
        Key::Delete,
        Key::Insert,
        Key::Up,
        Key::Down,
        Key::Left,
        Key::Right,
        Key::Home,
        Key::End,
        Key::PageUp,
        Key::PageDown,
    ]);
    all_keys.extend((1..=24).map(Key::F));
    for key in all_keys {
        for bits in 0..8 {
            let mods = Modifiers {
                ctrl: bits & 1 != 0,
                alt: bits & 2 != 0,
                shift: bits & 4 != 0,
            };
            let chord = KeyChord::new(key, mods);
            let name = chord.to_string();
            assert_eq!(
                name.parse::<KeyChord>(),
                Ok(chord),
                "{key:?} {mods:?} -> {name}"
            );
        }
    }
    for text in ["g g", "ctrl+x ctrl+c", ": n o h", "ctrl+x r space"] {
        assert_eq!(format_sequence(&keys(text)), text);
    }
}

#[rstest]
#[case::capital_with_shift(KeyCode::Char('G'), KeyModifiers::SHIFT, "G")]
#[case::small_letter_with_shift_kitty(KeyCode::Char('g'), KeyModifiers::SHIFT, "shift+g")]
#[case::capital_without_shift(KeyCode::Char('G'), KeyModifiers::NONE, "G")]
#[case::ctrl_d(KeyCode::Char('d'), KeyModifiers::CONTROL, "ctrl+d")]
#[case::space(KeyCode::Char(' '), KeyModifiers::NONE, "space")]
#[case::esc(KeyCode::Esc, KeyModifiers::NONE, "esc")]
#[case::symbol_with_shift(KeyCode::Char('%'), KeyModifiers::SHIFT, "%")]
#[case::backtab(KeyCode::BackTab, KeyModifiers::SHIFT, "shift+tab")]
#[case::tab_with_shift(KeyCode::Tab, KeyModifiers::SHIFT, "backtab")]
#[case::alt_v(KeyCode::Char('v'), KeyModifiers::ALT, "alt+v")]
#[case::ctrl_alt_v(KeyCode::Char('v'), KeyModifiers::ALT | KeyModifiers::CONTROL, "ctrl+alt+v")]
#[case::shift_up(KeyCode::Up, KeyModifiers::SHIFT, "shift+up")]
#[case::f1(KeyCode::F(1), KeyModifiers::NONE, "F1")]
#[case::arabic_letter(KeyCode::Char('ت'), KeyModifiers::NONE, "ت")]
fn crossterm_events_match_key_names(
    #[case] code: KeyCode,
    #[case] modifiers: KeyModifiers,
    #[case] name: &str,
) {
    let expected: KeyChord = name.parse().unwrap();
    assert_eq!(KeyChord::from(KeyEvent::new(code, modifiers)), expected);
    let repeat = KeyEvent::new_with_kind(code, modifiers, KeyEventKind::Repeat);
    assert_eq!(KeyChord::from(repeat), expected);
}

#[test]
fn keys_no_keymap_can_name() {
    let caps = KeyChord::from(KeyEvent::new(KeyCode::CapsLock, KeyModifiers::NONE));
    assert_eq!(caps.key(), Key::Unsupported);
    let super_q = KeyChord::from(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::SUPER));
    assert_eq!(super_q.key(), Key::Unsupported);
    assert_eq!(shipped("default").lookup(&[super_q]), Lookup::NotFound);
}

// ---- Lookup -------------------------------------------------------------------------

#[test]
fn sequences_in_vim() {
    let vim = shipped("vim");
    assert_eq!(vim.lookup(&keys("g")), Lookup::Pending);
    assert_eq!(vim.lookup(&keys("g g")), Lookup::Matched(Action::GoTop));
    assert_eq!(
        vim.lookup(&keys("g j")),
        Lookup::Matched(Action::CursorDown)
    );
    assert_eq!(vim.lookup(&keys("G")), Lookup::Matched(Action::GoBottom));
    assert_eq!(vim.lookup(&keys("g esc")), Lookup::Cancelled);
    assert_eq!(vim.lookup(&keys("g x")), Lookup::NotFound);
    assert_eq!(vim.lookup(&keys("x")), Lookup::NotFound);
    assert_eq!(vim.lookup(&keys(":")), Lookup::Pending);
    assert_eq!(vim.lookup(&keys(": n o")), Lookup::Pending);
    assert_eq!(
        vim.lookup(&keys(": n o h")),
        Lookup::Matched(Action::ClearSearch)
    );
    assert_eq!(vim.lookup(&keys(": n ctrl+c")), Lookup::Cancelled);
    assert_eq!(vim.lookup(&keys("esc")), Lookup::Matched(Action::Cancel));
}

#[test]
fn sequences_in_emacs() {
    let emacs = shipped("emacs");
    assert_eq!(emacs.lookup(&keys("ctrl+x")), Lookup::Pending);
    assert_eq!(
        emacs.lookup(&keys("ctrl+x ctrl+c")),
        Lookup::Matched(Action::Quit)
    );
    assert_eq!(emacs.lookup(&keys("ctrl+x ctrl+g")), Lookup::Cancelled);
    assert_eq!(
        emacs.lookup(&keys("ctrl+x r space")),
        Lookup::Matched(Action::SetMark)
    );
    assert_eq!(emacs.lookup(&keys("alt+<")), Lookup::Matched(Action::GoTop));
}

#[test]
fn default_is_like_less() {
    let map = shipped("default");
    for (key, action) in [
        ("q", Action::Quit),
        ("space", Action::PageDown),
        ("b", Action::PageUp),
        ("B", Action::PrevWord),
        ("g", Action::GoTop),
        ("G", Action::GoBottom),
        ("%", Action::GotoPercent),
        ("'", Action::JumpToMark),
        ("ctrl+o", Action::JumpBack),
        ("enter", Action::LookupWord),
        ("esc", Action::Cancel),
    ] {
        assert_eq!(map.lookup(&keys(key)), Lookup::Matched(action), "{key}");
    }
}

// ---- Choosing a keymap and overriding it --------------------------------------------

#[test]
fn an_override_changes_only_the_keys_it_names() {
    let path = scratch_file(
        "rebind_j.toml",
        "[[keys]]\non = \"j\"\nrun = \"scroll_up\"\ndesc = \"Up, for once\"\n",
    );
    let (base, _) = Keymap::load("default", None).unwrap();
    let (map, warnings) = Keymap::load("default", Some(&path)).unwrap();
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(map.lookup(&keys("j")), Lookup::Matched(Action::ScrollUp));
    let mut expected = bindings(&base);
    expected.insert("j".to_owned(), Action::ScrollUp);
    assert_eq!(bindings(&map), expected);
    let up = map.help_entries();
    assert!(up.iter().any(|e| e.keys == "j" && e.desc == "Up, for once"));
}

#[test]
fn noop_unbinds() {
    let path = scratch_file(
        "unbind.toml",
        "keys = [\n  { on = \"q\", run = \"noop\" },\n  { on = \"x\", run = \"noop\" },\n]\n",
    );
    let (base, _) = Keymap::load("default", None).unwrap();
    let (map, warnings) = Keymap::load("default", Some(&path)).unwrap();
    assert_eq!(map.lookup(&keys("q")), Lookup::NotFound);
    let mut expected = bindings(&base);
    expected.remove("q");
    assert_eq!(bindings(&map), expected);
    assert_eq!(
        warnings,
        vec![format!(
            "{}:3: \"x\" is not bound in keymap default, so there is nothing to unbind",
            path.display()
        )]
    );
}

#[test]
fn an_override_may_turn_a_prefix_into_a_key() {
    let path = scratch_file(
        "g_alone.toml",
        "keys = [\n  { on = \"g\", run = \"go_top\" },\n  { on = [\"Z\", \"Z\"], run = \"noop\" },\n]\n",
    );
    let (map, warnings) = Keymap::load("vim", Some(&path)).unwrap();
    assert_eq!(map.lookup(&keys("g")), Lookup::Matched(Action::GoTop));
    assert_eq!(map.lookup(&keys("g g")), Lookup::NotFound);
    assert_eq!(map.lookup(&keys("Z")), Lookup::NotFound);
    assert_eq!(warnings.len(), 3, "{warnings:?}");
    assert!(warnings[0].ends_with(
        ":2: \"g\" replaces \"g g\" (go_top) of keymap vim, since a key cannot both run an \
         action and start a sequence"
    ));
}

#[test]
fn a_missing_override_file_is_no_override() {
    let missing = manifest_dir().join("tests/fixtures/keymaps/no-such-file.toml");
    let (map, warnings) = Keymap::load("less", Some(&missing)).unwrap();
    assert!(warnings.is_empty());
    assert_eq!(bindings(&map), bindings(&shipped("less")));
}

#[test]
fn a_keymap_may_be_a_path() {
    let path = scratch_file("mine.toml", "[[keys]]\non = \"x\"\nrun = \"quit\"\n");
    let (map, warnings) = Keymap::load(path.to_str().unwrap(), None).unwrap();
    assert!(warnings.is_empty());
    assert_eq!(map.lookup(&keys("x")), Lookup::Matched(Action::Quit));
    assert_eq!(map.help_entries()[0].desc, Action::Quit.help());
    assert_eq!(map.lookup(&keys("q")), Lookup::NotFound);
}

#[test]
fn a_keymap_without_quit_is_refused_naming_the_file() {
    let path = scratch_file(
        "no_quit.toml",
        "[[keys]]\non = \"j\"\nrun = \"scroll_down\"\n",
    );
    let error = Keymap::load(path.to_str().unwrap(), None).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with(&format!("{}: no key quits the reader", path.display())),
        "{error}"
    );
}

#[test]
fn an_override_that_unbinds_every_quit_is_refused_naming_the_override() {
    let path = scratch_file(
        "unbind_quit.toml",
        "keys = [\n  { on = \"q\", run = \"noop\" },\n  { on = \"ctrl+c\", run = \"noop\" },\n]\n",
    );
    let error = Keymap::load("default", Some(&path)).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with(&format!("{}: no key quits the reader", path.display())),
        "{error}"
    );
    // With one way out left, the override is accepted.
    let path = scratch_file(
        "unbind_q_only.toml",
        "keys = [{ on = \"q\", run = \"noop\" }]\n",
    );
    assert!(Keymap::load("default", Some(&path)).is_ok());
}

#[test]
fn the_reader_exits_2_on_a_keymap_without_quit() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("keymap.toml"),
        "keys = [\n  { on = \"q\", run = \"noop\" },\n  { on = \"ctrl+c\", run = \"noop\" },\n]\n",
    )
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_qari"))
        .env("QARI_CONFIG_DIR", dir.path())
        .env("QARI_STATE_DIR", dir.path())
        .env("QARI_CACHE_DIR", dir.path())
        .env("QARI_DATA_DIR", dir.path())
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}: no key quits the reader",
            dir.path().join("keymap.toml").display()
        )),
        "{stderr}"
    );
}

#[test]
fn unknown_choices_are_refused() {
    let error = Keymap::load("vmi", None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "unknown keymap \"vmi\": give one of default, vim, emacs, less or the path of a TOML \
         file (did you mean \"vim\"?)"
    );
    let error = Keymap::load("keymaps/nothing-here.toml", None).unwrap_err();
    assert!(matches!(error, KeymapError::Read { .. }));
    assert!(
        error
            .to_string()
            .starts_with("cannot read keymap file keymaps/nothing-here.toml: ")
    );
}

#[test]
fn errors_in_an_override_name_the_override() {
    let path = manifest_dir().join("tests/fixtures/keymaps/unknown_action.toml");
    let error = Keymap::load("default", Some(&path)).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "{}:8: unknown action \"scrol_down\" (did you mean \"scroll_down\"?)",
            path.display()
        )
    );
}

// ---- Broken keymaps -----------------------------------------------------------------

#[rstest]
#[case::unknown_action(
    "unknown_action",
    &["8: unknown action \"scrol_down\" (did you mean \"scroll_down\"?)"]
)]
#[case::bad_key_name(
    "bad_key",
    &[
        "9: bad key \"ctl+d\": unknown modifier \"ctl\" (use ctrl+, alt+ or shift+)",
        "13: bad key \"pgdn\": unknown key name; expected a single character or one of space, \
         enter, esc, tab, backtab, backspace, delete, insert, up, down, left, right, home, end, \
         pageup, pagedown, f1..f24",
    ]
)]
#[case::duplicate_binding(
    "duplicate",
    &["11: \"j\" is bound twice: here to page_down and on line 3 to scroll_down"]
)]
#[case::prefix_conflict(
    "prefix_conflict",
    &["7: \"g\" runs go_bottom but is also the start of \"g g\" (line 3); a key cannot both \
       run an action and start a sequence"]
)]
#[case::toml_syntax_error(
    "syntax_error",
    &["4: invalid basic string, expected `\"` (in `run = \"quit`)"]
)]
#[case::wrong_type(
    "wrong_type",
    &["8: invalid type: integer `5`, expected a string (in `run = 5`)"]
)]
#[case::wrong_type_of_on(
    "wrong_on_type",
    &["5: invalid type: map, expected a key such as \"j\" or a key sequence such as \
       [\"g\", \"g\"] (in `{ on = { key = \"x\" }, run = \"quit\" },`)"]
)]
#[case::unknown_field(
    "unknown_field",
    &["5: unknown field `rn`, expected one of `on`, `run`, `desc` (in `rn = \"quit\"`)"]
)]
#[case::missing_run(
    "missing_run",
    &["6: missing field `run` (in `[[keys]]`)"]
)]
fn broken_keymaps_are_reported_with_file_and_line(#[case] name: &str, #[case] lines: &[&str]) {
    let path = manifest_dir().join(format!("tests/fixtures/keymaps/{name}.toml"));
    let error = Keymap::load(path.to_str().unwrap(), None).unwrap_err();
    let expected: Vec<String> = lines
        .iter()
        .map(|line| format!("{}:{line}", path.display()))
        .collect();
    assert_eq!(error.to_string(), expected.join("\n"));
    // The fixture says in its first line which line is wrong.
    let text = std::fs::read_to_string(&path).unwrap();
    let first_line = lines[0].split(':').next().unwrap();
    assert!(
        text.lines()
            .next()
            .unwrap()
            .contains(&format!("line {first_line}")),
        "the comment of {name}.toml does not name line {first_line}"
    );
}

#[test]
fn all_fixtures_are_checked() {
    let checked: HashSet<&str> = [
        "unknown_action",
        "bad_key",
        "duplicate",
        "prefix_conflict",
        "syntax_error",
        "wrong_type",
        "wrong_on_type",
        "unknown_field",
        "missing_run",
    ]
    .into();
    for entry in std::fs::read_dir(manifest_dir().join("tests/fixtures/keymaps")).unwrap() {
        let path = entry.unwrap().path();
        let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
        assert!(
            checked.contains(stem.as_str()),
            "{} is not checked",
            path.display()
        );
    }
}

// ---- No panic on any input ----------------------------------------------------------

proptest! {
    #[test]
    fn any_text_loads_or_fails_cleanly(text in "\\PC*") {
        let _ = Keymap::from_toml("any.toml", &text);
    }

    #[test]
    fn any_entry_loads_or_fails_cleanly(on in "\\PC{0,12}", run in "[a-z_]{0,16}") {
        let text = format!(
            "[[keys]]\non = {}\nrun = {}\n",
            toml::Value::from(on.clone()),
            toml::Value::from(run)
        );
        if let Err(error) = Keymap::from_toml("entry.toml", &text) {
            let message = error.to_string();
            prop_assert!(message.starts_with("entry.toml:"), "{}", message);
        }
    }

    #[test]
    fn key_names_that_parse_print_back(name in "((?i:ctrl|alt|shift)\\+){0,3}(\\PC|[a-z]{2,9}[0-9]?)") {
        if let Ok(chord) = name.parse::<KeyChord>() {
            prop_assert_eq!(chord.to_string().parse::<KeyChord>(), Ok(chord));
        }
    }
}
