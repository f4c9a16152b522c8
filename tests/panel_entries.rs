//! The side panel shows dictionary entries as entries: a rule naming the source, the
//! headword, the pronunciation on its own left-to-right row, the analysis, one row per
//! sense; never a line break drawn as a character. Long lists show the first senses of
//! every entry before the rest. The hint before the first lookup names keys of the
//! active keymap.

mod common;

use qari::app::{App, PanelContent, PanelEntry, PanelView};
use qari::config::Config;
use qari::document::Document;
use qari::glossary::{Entry, Glossary, GlossaryConfig, MatchKind};
use qari::keymap::{Keymap, Lookup, parse_sequence};
use qari::ui::{self, UiContext};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::style::Color;

fn entry(headword: &str, source: &str, definition: &str, analysis: Option<&str>) -> Entry {
    Entry {
        headword: headword.into(),
        source: source.into(),
        definition: definition.into(),
        analysis: analysis.map(Into::into),
        kind: MatchKind::Exact,
        cost: 0,
    }
}

/// A reader of `height` rows with the panel open on the right, 40 columns wide.
fn reader(height: u16, keymap: &str) -> (App, UiContext) {
    let mut config = Config::default();
    config.panel.visible = true;
    config.panel.width = 40;
    let app = App::new(
        Document::from_text("t", "نص قصير.".into()),
        &config,
        100,
        height,
    );
    let (keymap, _) = Keymap::load(keymap, None).expect("the keymap loads");
    let ui = UiContext::new(&keymap, "test", config.colors.clone());
    (app, ui)
}

/// The panel's inner rows as text (trailing spaces cut), and the border's colour.
fn panel_rows(app: &App, ui: &UiContext) -> (Vec<String>, Color) {
    let (w, h) = app.size;
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| ui::draw(app, ui, f)).unwrap();
    let buffer = terminal.backend().buffer();
    let panel = app.areas().panel.expect("the panel is open");
    let mut rows = Vec::new();
    for y in panel.y + 1..panel.bottom() - 1 {
        let mut row = String::new();
        for x in panel.x + 1..panel.right() - 1 {
            row.push_str(buffer[(x, y)].symbol());
        }
        rows.push(row.trim_end().to_owned());
    }
    (rows, buffer[(panel.x, panel.y)].fg)
}

fn position(rows: &[String], wanted: &str) -> usize {
    rows.iter()
        .position(|r| r.trim() == wanted)
        .unwrap_or_else(|| panic!("no row {wanted:?} in {rows:#?}"))
}

#[test]
fn entries_show_source_headword_pronunciation_and_senses_apart() {
    let found = [
        entry(
            "مجند",
            "builtin",
            "recruit; conscript (noun, root جند) مُجَنَّد",
            Some("مجند + ين: recruit + [pl./dual]"),
        ),
        entry(
            "فعال",
            "freedict-ara-eng",
            "فعّال /fʕʕˈaːl/\n1. Efficacious\n2. Effectual\n3. Effective",
            None,
        ),
    ];
    let (mut app, ui) = reader(30, "default");
    app.panel.shows = PanelView::Entries(PanelContent {
        title: "مجندين".into(),
        entries: found.iter().map(PanelEntry::from).collect(),
        ..PanelContent::default()
    });
    let (rows, border) = panel_rows(&app, &ui);
    let text = rows.join("\n");
    assert!(!text.contains('\u{240A}'), "no ␊ drawn: {rows:#?}");
    // A visible rule, naming the source, opens each entry, the best first.
    let rules: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].starts_with("── "))
        .collect();
    assert_eq!(rules.len(), 2, "{rows:#?}");
    assert!(rows[rules[0]].contains("builtin") && rows[rules[1]].contains("freedict-ara-eng"));
    // The pronunciation on its own row, left-aligned and as written.
    let pron = position(&rows, "/fʕʕˈaːl/");
    assert!(
        rows[pron].starts_with('/'),
        "left-to-right: {:?}",
        rows[pron]
    );
    assert!(pron > rules[1]);
    // One row per sense, numbered, in order.
    let senses: Vec<usize> = ["1. Efficacious", "2. Effectual", "3. Effective"]
        .iter()
        .map(|s| position(&rows, s))
        .collect();
    assert!(senses.windows(2).all(|w| w[1] == w[0] + 1), "{rows:#?}");
    assert!(senses[0] > pron);
    // One sense is not numbered.
    assert!(
        rows.iter().any(|r| r.starts_with("recruit; conscript")),
        "{rows:#?}"
    );
    // The border in the terminal's own foreground: legible on light and dark screens.
    assert_eq!(border, Color::Reset);
}

#[test]
fn a_long_list_shows_the_first_senses_of_every_entry_first() {
    let numbered = |word: &str| -> String {
        (1..=9)
            .map(|i| format!("{i}. {word} sense {i}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let found = [
        entry("أ", "one", &numbered("first"), None),
        entry("ب", "two", &numbered("second"), None),
        entry("ت", "three", &numbered("third"), None),
    ];
    let (mut app, ui) = reader(24, "default");
    app.panel.shows = PanelView::Entries(PanelContent {
        title: "x".into(),
        entries: found.iter().map(PanelEntry::from).collect(),
        ..PanelContent::default()
    });
    let (rows, _) = panel_rows(&app, &ui);
    let third_rule = rows
        .iter()
        .position(|r| r.starts_with("── three"))
        .unwrap_or_else(|| panic!("every entry starts on the first screen: {rows:#?}"));
    assert!(position(&rows, "3. first sense 3") < third_rule);
    assert!(
        !rows[..third_rule]
            .iter()
            .any(|r| r.contains("first sense 4")),
        "the long tail waits: {rows:#?}"
    );
    assert!(
        rows[third_rule..]
            .iter()
            .any(|r| r.contains("6 more senses"))
    );
    // Scrolling down reaches the rest, under "more senses".
    app.panel.scroll = 20;
    let (later, _) = panel_rows(&app, &ui);
    assert!(
        later
            .iter()
            .any(|r| r.starts_with("── more senses") || r.contains("first sense 4")),
        "{later:#?}"
    );
}

#[test]
fn freedict_entries_in_the_panel() {
    let Some(index) = common::external_file(
        "/usr/share/dictd/freedict-ara-eng.index",
        "the Debian package dict-freedict-ara-eng",
    ) else {
        return;
    };
    let (glossary, warnings) = Glossary::open(&GlossaryConfig {
        builtin: false,
        system_dicts: false,
        personal: false,
        no_cache: true,
        dicts: vec![index],
        ..GlossaryConfig::default()
    });
    assert!(warnings.is_empty(), "{warnings:?}");
    let content = qari::tasks::glossary::panel_content(&glossary, "مجندين");
    let entry = content.entries.first().expect("FreeDict knows مجند");
    assert_eq!(entry.pronunciation.as_deref(), Some("mdʒnnd"));
    assert_eq!(
        entry.senses.first().map(String::as_str),
        Some("Conscripted")
    );
    let analysis = entry.analysis.as_deref().unwrap_or("");
    assert!(
        analysis.contains("Conscripted") && !analysis.contains("mdʒnnd"),
        "the meaning in the analysis is a sense: {analysis}"
    );
    // A headword line written exactly as the index writes it keeps its pronunciation too.
    let administration = qari::tasks::glossary::panel_content(&glossary, "الإدارة");
    assert!(
        administration
            .entries
            .iter()
            .any(|e| e.pronunciation.as_deref() == Some("ʔalʔˈidaːrˌa")),
        "{:#?}",
        administration.entries
    );
    let (mut app, ui) = reader(30, "default");
    app.panel.shows = PanelView::Entries(content);
    let (rows, _) = panel_rows(&app, &ui);
    assert!(!rows.join("\n").contains('\u{240A}'), "{rows:#?}");
    position(&rows, "/mdʒnnd/");
    position(&rows, "1. Conscripted");
}

#[test]
fn the_hint_names_cursor_keys_of_the_active_keymap() {
    for name in Keymap::shipped_names() {
        let (app, ui) = reader(20, name);
        let (rows, _) = panel_rows(&app, &ui);
        let hint = rows.join(" ");
        let keys = hint
            .split_once(": ")
            .map(|(_, keys)| keys.trim())
            .unwrap_or_else(|| panic!("{name}: the hint names keys: {hint}"));
        let (keymap, _) = Keymap::load(name, None).unwrap();
        for key in keys.split(", ") {
            let chords = parse_sequence(key).unwrap();
            assert!(
                matches!(keymap.lookup(&chords), Lookup::Matched(a) if [
                    qari::app::Action::CursorLeft,
                    qari::app::Action::CursorRight,
                    qari::app::Action::NextWord,
                    qari::app::Action::PrevWord
                ].contains(&a)),
                "{name}: {key} does not move the cursor"
            );
        }
    }
}
