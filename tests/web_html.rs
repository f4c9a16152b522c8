//! HTML pages to blocks: article extraction, the whole page, directions and languages,
//! entities, hostile text, and pages built to be slow or large.

use std::path::Path;

use qari::document::html::{self, HtmlOptions};
use qari::document::model::{BlockKind, Direction, Structured};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/web")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Decodes as the pipeline does: the `<meta>` charset, else UTF-8.
fn decode(bytes: &[u8]) -> String {
    let label = html::meta_charset(bytes).unwrap_or_else(|| "UTF-8".into());
    let encoding = encoding_rs::Encoding::for_label(label.as_bytes()).expect("a known label");
    let (text, _, had_errors) = encoding.decode(bytes);
    assert!(!had_errors, "the fixture decodes cleanly as {label}");
    text.into_owned()
}

fn article(html: &str) -> Structured {
    html::parse(html, "test.html", HtmlOptions::default()).expect("the page parses")
}

fn whole(html: &str) -> Structured {
    html::parse(html, "test.html", HtmlOptions { whole_page: true }).expect("the page parses")
}

fn kinds_and_texts(doc: &Structured) -> Vec<(BlockKind, String)> {
    (0..doc.blocks.len())
        .map(|i| (doc.blocks[i].kind, doc.block_text(i).to_string()))
        .collect()
}

const KEPT: &[&str] = &[
    "قررت المكتبة العامة في حي الزيتون أن تبقى مفتوحة حتى العاشرة ليلاً",
    "وسجّل الموظفون في تلك الفترة نحو 1,200 زيارة مسائية",
    "ستعمل المكتبة بنظام المناوبة",
    "أمسية شهرية لقراءة القصص للأطفال بالعربية والإنجليزية.",
    "المكتبة صارت مكاناً يلتقي فيه الجيران بعد يوم طويل",
    "وإن الحفاظ عليها مسؤولية الجميع.",
];

const CLUTTER: &[&str] = &[
    "الصفحة الرئيسية",          // nav
    "الأكثر قراءة",              // sidebar
    "أسعار الخضار",             // sidebar link
    "اشترك في النشرة البريدية", // an advertisement
    "اترك تعليقاً",              // comment form
    "لن نعرض بريدك",            // comment form
    "تذكّر اسمي",                // comment form
    "إرسال التعليق",            // a button
    "جميع الحقوق محفوظة",       // footer
    "لا ينبغي أن يظهر",          // a script
    "tracker",                  // a script
    "font-family",              // a style
    "تحميل التعليقات",          // a script at the end
];

#[test]
fn the_fixture_pages_give_the_article_and_drop_the_clutter() {
    let legacy = fixture("article-windows-1256.html");
    assert_eq!(html::meta_charset(&legacy).as_deref(), Some("windows-1256"));
    let utf8 = fixture("article-utf8.html");
    assert_eq!(html::meta_charset(&utf8).as_deref(), Some("UTF-8"));

    let from_legacy = article(&decode(&legacy));
    let from_utf8 = article(&decode(&utf8));
    assert_eq!(kinds_and_texts(&from_legacy), kinds_and_texts(&from_utf8));

    for doc in [&from_legacy, &from_utf8] {
        for kept in KEPT {
            assert!(doc.text.contains(kept), "lost {kept:?} from:\n{}", doc.text);
        }
        for clutter in CLUTTER {
            assert!(
                !doc.text.contains(clutter),
                "kept {clutter:?} in:\n{}",
                doc.text
            );
        }
        assert_eq!(
            doc.meta.title.as_deref(),
            Some("مكتبة الحي تفتح أبوابها في المساء")
        );
        assert_eq!(doc.meta.language.as_deref(), Some("ar"));
        assert_eq!(doc.meta.source.as_deref(), Some("test.html"));
        let texts = kinds_and_texts(doc);
        assert_eq!(
            texts[0],
            (
                BlockKind::Heading(1),
                "مكتبة الحي تفتح أبوابها في المساء".to_string()
            )
        );
        assert!(texts.contains(&(BlockKind::Heading(2), "ماذا يتغير؟".to_string())));
        let items = texts
            .iter()
            .filter(|(k, _)| *k == BlockKind::ListItem)
            .count();
        assert_eq!(items, 3, "{texts:#?}");
        assert!(
            texts
                .iter()
                .any(|(k, t)| *k == BlockKind::Quote && t.starts_with("«لم نكن نتخيل")),
            "{texts:#?}"
        );
    }
    // The UTF-8 page states its direction; the legacy one does not.
    assert!(
        from_utf8
            .blocks
            .iter()
            .all(|b| b.dir == Some(Direction::Rtl))
    );
}

#[test]
fn the_whole_page_keeps_every_visible_text_but_scripts_and_styles() {
    let doc = whole(&decode(&fixture("article-utf8.html")));
    for kept in KEPT
        .iter()
        .chain(&["الصفحة الرئيسية", "الأكثر قراءة", "جميع الحقوق محفوظة"])
    {
        assert!(doc.text.contains(kept), "lost {kept:?}");
    }
    for hidden in ["لا ينبغي أن يظهر", "font-family", "تحميل التعليقات"]
    {
        assert!(!doc.text.contains(hidden), "kept {hidden:?}");
    }
    assert_eq!(
        doc.meta.title.as_deref(),
        Some("مكتبة الحي تفتح أبوابها في المساء")
    );
    assert!(doc.blocks.iter().all(|b| b.dir == Some(Direction::Rtl)));
}

#[test]
fn a_page_without_an_article_falls_back_to_its_visible_text() {
    let page = "<html><head><title>t</title><script>hidden()</script></head>\
                <body><div>مرحبا</div><span>بالعالم</span></body></html>";
    let doc = article(page);
    assert_eq!(kinds_and_texts(&doc), kinds_and_texts(&whole(page)));
    assert!(doc.text.contains("مرحبا"), "{:?}", doc.text);
    assert!(doc.text.contains("بالعالم"), "{:?}", doc.text);
    assert!(!doc.text.contains("hidden"));
}

#[test]
fn block_kinds_directions_and_line_breaks() {
    let page = "<html lang='ar'><body dir='rtl'>\
        <h3>عنوان فرعي</h3><p>سطر أول<br>  سطر ثان</p>\
        <p dir='ltr'>An English paragraph with <span dir='rtl'>كلمة</span> inside.</p>\
        <blockquote>اقتباس</blockquote><ol><li>بند</li></ol><hr>\
        <pre>  code\n    indented</pre><p dir='auto'>تلقائي</p></body></html>";
    let doc = whole(page);
    let blocks: Vec<_> = (0..doc.blocks.len())
        .map(|i| (doc.blocks[i].kind, doc.block_text(i), doc.blocks[i].dir))
        .collect();
    let rtl = Some(Direction::Rtl);
    assert_eq!(
        blocks,
        vec![
            (BlockKind::Heading(3), "عنوان فرعي", rtl),
            (BlockKind::Paragraph, "سطر أول\nسطر ثان", rtl),
            (
                BlockKind::Paragraph,
                "An English paragraph with كلمة inside.",
                Some(Direction::Ltr)
            ),
            (BlockKind::Quote, "اقتباس", rtl),
            (BlockKind::ListItem, "بند", rtl),
            (BlockKind::Rule, "", rtl),
            // A code block keeps the indentation of its first line too.
            (BlockKind::Code, "  code\n    indented", rtl),
            (BlockKind::Paragraph, "تلقائي", None),
        ]
    );
    assert_eq!(doc.meta.language.as_deref(), Some("ar"));
}

#[test]
fn entities_are_decoded() {
    let doc = whole(
        "<p>&amp; &lt;b&gt; &quot;&#1587;&#x644;&#x627;&#x645;&quot; &nbsp;&hellip; &copy;</p>",
    );
    assert_eq!(doc.block_text(0), "& <b> \"سلام\" \u{a0}… ©");
}

#[test]
fn no_control_character_or_escape_sequence_survives() {
    let page = "<html lang='ar&#27;]52;c;eA==&#7;'><head><title>T&#27;[2J\u{1b}]0;x\u{7}itle</title></head><body>\
        <p>a&#27;[31mred&#x1b;[0m \u{1b}]52;c;SGVsbG8=\u{7}b \u{9b}6n c&#x9b;d &#0; &#x85;e</p>\
        <pre>x\u{1b}[1;1Hy\u{8}z</pre><p title='&#27;[5m'>\u{90}q\u{1b}\\ok</p></body></html>";
    for doc in [article(page), whole(page)] {
        let mut all = doc.text.clone();
        for m in [&doc.meta.title, &doc.meta.language, &doc.meta.author] {
            all.push_str(m.as_deref().unwrap_or(""));
        }
        // No control character in the text, the titles or the metadata.
        html::check_structured(&doc);
        assert!(
            !all.contains("52;c;"),
            "an OSC's parameters survived: {all:?}"
        );
        assert!(all.contains("ared b"), "{all:?}");
    }
}

#[test]
fn deep_nesting_is_handled() {
    let depth = 100_000;
    let mut page = String::from("<html><body>");
    page.push_str(&"<div>".repeat(depth));
    page.push_str("نص عميق");
    page.push_str(&"</div>".repeat(depth));
    page.push_str("</body></html>");
    assert!(article(&page).text.contains("نص عميق"));
    let inline = format!(
        "<p>{}عميق{}</p>",
        "<b><i>".repeat(depth / 2),
        "</i></b>".repeat(depth / 2)
    );
    assert!(whole(&inline).text.contains("عميق"));
}

#[test]
fn a_large_page_and_an_entity_flood_are_read() {
    let paragraph = "<p>هذه فقرة طويلة بعض الشيء تتكرر لتكوين صفحة كبيرة جداً، وفيها أرقام مثل 2026 وكلمات لاتينية مثل HTML.</p>\n";
    let mut page = String::from("<html><body><article>");
    while page.len() < 2 << 20 {
        page.push_str(paragraph);
    }
    page.push_str("</article></body></html>");
    let doc = article(&page);
    assert!(doc.blocks.len() > 5_000, "{} blocks", doc.blocks.len());

    let flood = format!("<p>{}</p>", "&amp;&#1587;&lt;&notin;".repeat(50_000));
    let doc = whole(&flood);
    assert_eq!(doc.text.chars().count(), 200_000);
}

#[test]
fn a_page_over_the_limit_is_refused_with_a_reason() {
    let page = "a".repeat(html::MAX_PAGE_BYTES + 1);
    let err = html::parse(&page, "big.html", HtmlOptions::default()).unwrap_err();
    assert!(err.contains("big.html") && err.contains("MB"), "{err}");
}

/// A sentence of Arabic words with `commas` Arabic commas, about `chars` characters long.
fn arabic_sentence(chars: usize, commas: usize) -> String {
    const WORDS: &[&str] = &["المكتبة", "الحي", "المساء", "القراءة", "الأطفال", "الكتب"];
    let mut out = String::new();
    let mut i = 0;
    while out.chars().count() < chars {
        if !out.is_empty() {
            out.push_str(if i <= commas && i > 0 { "، " } else { " " });
        }
        out.push_str(WORDS[i % WORDS.len()]);
        i += 1;
    }
    out.push('.');
    out
}

/// Two candidate articles: `#a`, whose paragraphs are short but full of Arabic commas,
/// and `#b`, longer paragraphs without any. Readability's score counts the commas (its
/// list holds U+060C), so `#a` wins; without them `#b` would.
fn page_decided_by_commas() -> String {
    let a: String = (0..3)
        .map(|_| format!("<p>{}</p>", arabic_sentence(150, 8)))
        .collect();
    let b: String = (0..4)
        .map(|_| {
            format!(
                "<p>{}</p>",
                arabic_sentence(350, 0).replace("المكتبة", "السوق")
            )
        })
        .collect();
    format!(
        "<html lang=ar><head><title>صفحتان</title></head><body>\
         <div id=one><div id=a>{a}</div><p>قصير</p></div>\
         <div id=two><div id=b>{b}</div><p>قصير</p></div></body></html>"
    )
}

/// The fixture's article grown with its own paragraphs, as the bench grows it.
fn grown_fixture(paragraphs: usize) -> String {
    let page = decode(&fixture("article-utf8.html"));
    let (before, after) = page.split_once("</article>").expect("an article");
    let mut grown = before.to_string();
    for i in 0..paragraphs {
        if i % 12 == 11 {
            grown.push_str(&format!("<h2>{}</h2>\n", arabic_sentence(20, 0)));
        }
        grown.push_str(&format!(
            "<p>{}</p>\n",
            arabic_sentence(300 + i % 50, i % 3)
        ));
    }
    grown + "</article>" + after
}

/// Readability chooses the article on stand-in text (ASCII letters for Arabic ones,
/// while it scores); the result must be what it chooses on the page's own text, for
/// every page: the fixtures, the fuzz seeds, and pages whose choice turns on what the
/// stand-ins could touch (commas, lengths, a byline, a heading that repeats the title).
#[test]
fn stand_ins_keep_readabilitys_choice() {
    let mut pages: Vec<(String, String)> = vec![
        ("utf8 fixture".into(), decode(&fixture("article-utf8.html"))),
        (
            "windows-1256 fixture".into(),
            decode(&fixture("article-windows-1256.html")),
        ),
        ("commas".into(), page_decided_by_commas()),
        ("grown fixture".into(), grown_fixture(300)),
        (
            "byline and title heading".into(),
            format!(
                "<html><head><title>مكتبة الحي في المساء</title></head><body>\
                 <article><h1>مكتبة الحي في المساء</h1>\
                 <p class=byline>بقلم سارة أحمد، مراسلة الحي</p>{}</article></body></html>",
                (0..5)
                    .map(|i| format!("<p>{}</p>", arabic_sentence(200 + i, i)))
                    .collect::<String>()
            ),
        ),
        (
            "a long title repeated by a heading".into(),
            format!(
                "<html><head><title>{t}</title></head><body><main><div>\
                 <h2>{t}</h2><h2>{h}</h2>{p}</div></main></body></html>",
                t = arabic_sentence(120, 1),
                h = arabic_sentence(110, 0).replace("الحي", "البيت"),
                p = (0..5)
                    .map(|i| format!("<p>{}</p>", arabic_sentence(200 + i, i)))
                    .collect::<String>()
            ),
        ),
        (
            "just over the length readability wants".into(),
            format!(
                "<html><body><div><p>{}</p><p>{}</p></div><div><p>{}</p></div></body></html>",
                arabic_sentence(260, 1),
                arabic_sentence(240, 0),
                "short English text, with a comma, and more words ".repeat(3)
            ),
        ),
    ];
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/html");
    for entry in std::fs::read_dir(&seeds).expect("the HTML fuzz seeds") {
        let path = entry.expect("a seed").path();
        let bytes = std::fs::read(&path).expect("a readable seed");
        let label = html::meta_charset(&bytes).unwrap_or_else(|| "UTF-8".into());
        let encoding = encoding_rs::Encoding::for_label(label.as_bytes()).expect("a label");
        pages.push((
            path.display().to_string(),
            encoding.decode(&bytes).0.into_owned(),
        ));
    }
    for (name, page) in &pages {
        let reference = html::parse_without_stand_ins(page, "test.html", HtmlOptions::default())
            .expect("parses");
        let got = article(page);
        if got != reference {
            let (a, b) = (kinds_and_texts(&got), kinds_and_texts(&reference));
            let at = a.iter().zip(&b).position(|(x, y)| x != y);
            panic!(
                "{name}: {} blocks against {}; first apart at {at:?}: {:?} / {:?}; meta {:?} / {:?}",
                a.len(),
                b.len(),
                at.map(|i| &a[i]),
                at.map(|i| &b[i]),
                got.meta,
                reference.meta
            );
        }
    }
    // The comma page is decided by its commas, as the reference says.
    let commas = article(&page_decided_by_commas());
    assert!(commas.text.contains("المكتبة"), "{}", commas.text);
    assert!(!commas.text.contains("السوق"), "{}", commas.text);
    let byline = &pages[4].1;
    assert_eq!(
        article(byline).meta.author.as_deref(),
        Some("بقلم سارة أحمد، مراسلة الحي")
    );
}
