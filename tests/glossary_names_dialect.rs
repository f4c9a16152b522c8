//! The gazetteer and the dialect words of the built-in lexicon (issue 10, mechanisms 5 and
//! 6): a known name comes before an analysis that splits it into a stem and a suffix, and
//! is found behind a prefix clitic; colloquial words carry their dialect, in the entry,
//! in `qari lookup` and in the panel; the dialect verb clitics (بـ present, حـ future,
//! ما…ش negation) reach the verb.

mod common;

use common::glossary::base_config;
use qari::app::{App, PanelContent, PanelEntry, PanelView};
use qari::cli::lookup::{LookupArgs, run_with};
use qari::config::Config;
use qari::document::Document;
use qari::glossary::{Entry, Glossary};
use qari::keymap::Keymap;
use qari::ui::{self, UiContext};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn builtin() -> Glossary {
    let (g, warnings) = Glossary::open(&base_config());
    assert!(warnings.is_empty(), "{warnings:?}");
    g
}

fn first(g: &Glossary, word: &str) -> Entry {
    g.lookup(word)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{word}: nothing found"))
}

/// Names whose last letters read as a suffix (ـان، ـون، ـين، ـه، ـها): the name first, as a
/// whole word; the split into stem + suffix, where the lexicon has the stem, below it.
#[test]
fn a_name_ranks_above_its_split_into_stem_and_suffix() {
    let g = builtin();
    for (word, english, split) in [
        ("سليمان", "Sulayman", Some("سليم + ان")),
        ("فرعون", "Pharaoh", Some("فرع + ون")),
        ("القصرين", "Kasserine", Some("قصر + ين")),
        ("نجران", "Najran", None),
        ("بنها", "Benha", Some("بن + ها")),
        ("أبها", "Abha", Some("أب + ها")),
        ("سيبويه", "Sibawayh", None),
        ("نيتشه", "Nietzsche", None),
    ] {
        let entries = g.lookup(word);
        let top = entries.first().unwrap_or_else(|| panic!("{word}: nothing"));
        assert!(
            top.definition.contains(english) && top.analysis.is_none(),
            "{word}: {top:?}"
        );
        if let Some(split) = split {
            assert!(
                entries[1..]
                    .iter()
                    .any(|e| e.analysis.as_deref().is_some_and(|a| a.contains(split))),
                "{word}: the split {split} is still offered below the name: {entries:#?}"
            );
        }
    }
}

/// A name behind a conjunction or a preposition, and a name that carries the article
/// after li-, where the alef of the article is not written (للفلوجة).
#[test]
fn a_name_is_found_behind_prefix_clitics() {
    let g = builtin();
    for (word, english) in [
        ("ونجران", "Najran"),
        ("لسيبويه", "Sibawayh"),
        ("وسليمان", "Sulayman"),
        ("بالفلوجة", "Fallujah"),
        ("للفلوجة", "Fallujah"),
        ("وللمنصورة", "Mansoura"),
        ("لجنيف", "Geneva"),
    ] {
        let top = first(&g, word);
        assert!(top.definition.contains(english), "{word}: {top:?}");
    }
}

#[test]
fn months_of_the_levant_and_the_maghreb_and_names_of_several_words() {
    let g = builtin();
    for (word, english) in [
        ("جانفي", "January"),
        ("أفريل", "April"),
        ("جويلية", "July"),
        ("غشت", "August"),
        ("كانون الثاني", "January"),
        ("تشرين الأول", "October"),
        ("ذو الحجة", "Dhu al-Hijjah"),
        ("ذي الحجة", "Dhu al-Hijjah"),
        ("الأمم المتحدة", "United Nations"),
        ("بالأمم المتحدة", "United Nations"),
        ("منظمة الصحة العالمية", "World Health Organization"),
    ] {
        let top = first(&g, word);
        assert!(top.definition.contains(english), "{word}: {top:?}");
    }
    // The words of a name alone are not the name.
    let united = g.lookup("المتحدة");
    assert!(
        united
            .iter()
            .all(|e| !e.definition.contains("United Nations")),
        "{united:#?}"
    );
}

#[test]
fn dialect_words_carry_their_dialect() {
    let g = builtin();
    for (word, gloss, dialect) in [
        ("ليش", "why", "Levantine"),
        ("شلون", "how", "Iraqi"),
        ("هلق", "now", "Levantine"),
        ("كده", "like this", "Egyptian"),
        ("دلوقتي", "now", "Egyptian"),
        ("واجد", "a lot", "Gulf"),
        ("برشا", "a lot", "Maghrebi"),
    ] {
        let top = first(&g, word);
        assert!(
            top.definition.starts_with(gloss) && top.definition.contains(dialect),
            "{word}: {top:?}"
        );
    }
    // Written without its shadda, بدي is also the MSA أبدى "to show", which comes first;
    // the dialect word is there too.
    let want = g.lookup("بدّي");
    assert!(
        want.iter()
            .any(|e| e.definition.starts_with("I want (Levantine")),
        "{want:#?}"
    );
}

/// The dialect clitics reach the verb, and the analysis line names them.
#[test]
fn dialect_verb_clitics_reach_the_verb() {
    let g = builtin();
    for (word, headword, pieces) in [
        ("بيكتب", "كتب", "ب + ي + كتب: [present] + he/they"),
        ("بتقول", "قال", "ب + ت + قول: [present] + she/you"),
        ("بنروح", "راح", "ب + ن + روح: [present] + we"),
        ("حيكتب", "كتب", "ح + ي + كتب: will + he/they"),
        ("حنروح", "راح", "ح + ن + روح: will + we"),
        (
            "مابيكتبش",
            "كتب",
            "ما + ب + ي + كتب + ش: not + [present] + he/they",
        ),
        ("ماكتبش", "كتب", "ما + كتب + ش: not"),
        ("بيشوف", "شاف", "ب + ي + شوف: [present] + he/they"),
    ] {
        let entries = g.lookup(word);
        let found = entries
            .iter()
            .find(|e| e.headword == headword)
            .unwrap_or_else(|| panic!("{word}: no {headword} in {entries:#?}"));
        let analysis = found.analysis.as_deref().unwrap_or("");
        assert!(analysis.starts_with(pieces), "{word}: {analysis}");
        assert_eq!(entries[0].headword, headword, "{word}: {entries:#?}");
    }
}

/// Words that only look like a dialect verb keep their MSA reading first.
#[test]
fn msa_readings_come_before_dialect_ones() {
    let g = builtin();
    for (word, headword) in [
        ("بيت", "بيت"),
        ("بتعاون", "تعاون"),
        ("حين", "حين"),
        ("بنفس", "نفس"),
        ("يكتب", "كتب"),
        ("مكتب", "مكتب"),
    ] {
        let top = first(&g, word);
        assert_eq!(top.headword, headword, "{word}: {top:?}");
        assert!(
            !top.analysis.as_deref().unwrap_or("").contains("[present]"),
            "{word}: {top:?}"
        );
    }
}

/// Frequent MSA words spelled like a name or a dialect word once their letters are folded
/// (ى and ي, آ and أ): the MSA word comes first, and no name hides behind a common word.
#[test]
fn common_words_are_not_taken_for_names_or_dialect() {
    let g = builtin();
    for (word, meaning) in [
        ("مني", "from"),
        ("كيف", "how"),
        ("كان", "to be"),
        ("تكفي", "suffice"),
        ("ربي", "lord"),
        ("الحين", "time"),
    ] {
        let entries = g.lookup(word);
        let top = entries.first().unwrap_or_else(|| panic!("{word}: nothing"));
        assert!(
            top.definition.contains(meaning) && !top.definition.contains("propn"),
            "{word}: {top:?}"
        );
    }
    // صور is also Tyre: no name among its entries. (Which MSA reading comes first, the
    // verb صوّر or the plural of صورة, is a matter of lemma frequency, which the ranking
    // does not know yet.)
    for word in ["كيف", "كان", "صور"] {
        let entries = g.lookup(word);
        assert!(
            entries.iter().all(|e| !e.definition.contains("propn")),
            "{word}: {entries:#?}"
        );
    }
}

#[test]
fn qari_lookup_shows_the_dialect() {
    let args = LookupArgs {
        words: vec!["دلوقتي".into()],
        no_system_dicts: true,
        no_personal: true,
        json: false,
        max_entries: 12,
        timeout_ms: 2000,
        ..LookupArgs::default()
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run_with(&args, &mut "".as_bytes(), &mut out, &mut err).unwrap();
    let out = String::from_utf8(out).unwrap();
    assert_eq!(code, 0);
    assert!(out.contains("now (Egyptian; adv)"), "{out}");
}

#[test]
fn the_panel_shows_the_dialect() {
    let g = builtin();
    let found = g.lookup("برشا");
    let mut config = Config::default();
    config.panel.visible = true;
    config.panel.width = 40;
    let mut app = App::new(Document::from_text("t", "برشا.".into()), &config, 100, 20);
    let (keymap, _) = Keymap::load("default", None).expect("the keymap loads");
    let ui = UiContext::new(&keymap, "test", config.colors.clone());
    app.panel.shows = PanelView::Entries(PanelContent {
        title: "برشا".into(),
        entries: found.iter().map(PanelEntry::from).collect(),
        ..PanelContent::default()
    });
    let mut terminal = Terminal::new(TestBackend::new(100, 20)).unwrap();
    terminal.draw(|f| ui::draw(&app, &ui, f)).unwrap();
    let buffer = terminal.backend().buffer();
    let panel = app.areas().panel.expect("the panel is open");
    let text: String = (panel.y..panel.bottom())
        .map(|y| {
            (panel.x..panel.right())
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(text.contains("(Maghrebi; adv)"), "{text}");
}
