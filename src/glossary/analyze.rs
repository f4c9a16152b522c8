//! Morphological analysis with qari's own affix tables: every way to split a normalised
//! word into proclitics, a stem and suffixes, each with a cost.
//!
//! A wrong split only misses in the dictionaries, so the generator is generous and the
//! caller ranks by cost: fewer and commoner affixes cost less. Each split also says which
//! parts of speech its stem can have (a determiner wants a noun, a person prefix a verb),
//! which sources that know the part of speech (the built-in lexicon) use as a filter.

use std::sync::OnceLock;

use super::marks::{FormKind, Letter, Marks, letters};
use super::normalize::{TATWEEL, fold_char, is_haraka};

/// Parts of speech a stem may have, as a bit set.
pub type PosMask = u16;
pub const NOUN: PosMask = 1;
pub const ADJ: PosMask = 1 << 1;
pub const VERB: PosMask = 1 << 2;
pub const PREP: PosMask = 1 << 3;
pub const PRON: PosMask = 1 << 4;
pub const PART: PosMask = 1 << 5;
pub const CONJ: PosMask = 1 << 6;
pub const ADV: PosMask = 1 << 7;
pub const NUM: PosMask = 1 << 8;
pub const PROPN: PosMask = 1 << 9;
pub const ANY: PosMask = 0x3ff;
const NOMINAL: PosMask = NOUN | ADJ | NUM | PROPN | ADV;
/// What a possessive or object pronoun attaches to.
const HOST: PosMask = NOUN | ADJ | NUM | VERB | PREP | PART | ADV | PRON;

/// The mask for a part-of-speech name as the lexicon writes it; unknown names allow all.
pub fn pos_mask(pos: &str) -> PosMask {
    match pos {
        "noun" => NOUN,
        "adj" => ADJ,
        "verb" => VERB,
        "prep" => PREP,
        "pron" => PRON,
        "part" => PART,
        "conj" => CONJ,
        "adv" => ADV,
        "num" => NUM,
        "propn" => PROPN,
        _ => ANY,
    }
}

/// One affix of the built-in tables.
#[derive(Debug, PartialEq, Eq)]
pub struct Affix {
    /// Normalised letters.
    pub text: &'static str,
    /// Short English gloss shown in the analysis.
    pub gloss: &'static str,
    pub cost: u32,
    /// The parts of speech the stem may have with this affix.
    pub allows: PosMask,
}

const fn affix(text: &'static str, gloss: &'static str, cost: u32, allows: PosMask) -> Affix {
    Affix {
        text,
        gloss,
        cost,
        allows,
    }
}

static CONJUNCTIONS: [Affix; 2] = [affix("و", "and", 8, ANY), affix("ف", "so", 10, ANY)];
/// What a preposition prefix attaches to: nouns, and أن، ما، ذلك، حسب and the like.
const AFTER_PREPOSITION: PosMask = NOMINAL | CONJ | PART | PRON | PREP;
static NOUN_PREPOSITIONS: [Affix; 3] = [
    affix("ب", "with/by", 9, AFTER_PREPOSITION),
    affix("ل", "for/to", 9, AFTER_PREPOSITION),
    affix("ك", "like", 12, AFTER_PREPOSITION),
];
/// What the article attaches to: a noun, an adjective, a number or a name, never an
/// adverb (الخاصة is the adjective خاص + ة, not the adverb خاصةً).
const AFTER_ARTICLE: PosMask = NOUN | ADJ | NUM | PROPN;
static ARTICLE: Affix = affix("ال", "the", 6, AFTER_ARTICLE);
/// li- before al-: the alef of the article is not written (لل).
static ARTICLE_AFTER_LI: Affix = affix("ل", "the", 6, AFTER_ARTICLE);
static VERB_PARTICLES: [Affix; 2] = [affix("س", "will", 11, VERB), affix("ل", "to/let", 12, VERB)];
static PERSON_PREFIXES: [Affix; 4] = [
    affix("ي", "he/they", 7, VERB),
    affix("ت", "she/you", 8, VERB),
    affix("ن", "we", 9, VERB),
    affix("ا", "I", 10, VERB),
];

/// Noun endings, with the letters they replace at the end of the stem: the plural ات
/// takes the place of ة (لغة → لغات), or follows a stem without it (حساب → حسابات).
/// The dual of a noun in ة writes it as ت before the ending (ساعة → ساعتان، ساعتين).
static NOUN_ENDINGS: [(Affix, &str); 10] = [
    (affix("ه", "[fem.]", 5, NOUN | ADJ | NUM), ""),
    (affix("ات", "[fem. pl.]", 7, NOUN | ADJ | NUM), ""),
    (affix("ات", "[pl.]", 7, NOUN | ADJ | NUM), "ه"),
    (affix("تين", "[dual]", 9, NOUN | ADJ | NUM), "ه"),
    (affix("تان", "[dual]", 10, NOUN | ADJ | NUM), "ه"),
    (affix("ون", "[pl.]", 8, NOUN | ADJ | NUM), ""),
    (affix("ين", "[pl./dual]", 8, NOUN | ADJ | NUM), ""),
    (affix("ان", "[dual]", 10, NOUN | ADJ | NUM), ""),
    (affix("ا", "[acc.]", 9, NOUN | ADJ | NUM | ADV), ""),
    (affix("يه", "[-iya]", 13, NOUN), ""),
];
/// Endings as they are written before a pronoun: ة becomes ت, the ن of the plural goes.
/// The ت of ة costs nothing: it belongs to the stem (نيتها is نية + ها, not نيت + ها).
/// A dual of a noun in ة before a pronoun: تا، تي (ساعتاه، رحلتينا without the ن).
static NOUN_ENDINGS_BEFORE_PRONOUN: [(Affix, &str); 7] = [
    (affix("ت", "[fem.]", 0, NOUN | ADJ | NUM), "ه"),
    (affix("ات", "[fem. pl.]", 7, NOUN | ADJ | NUM), ""),
    (affix("ات", "[pl.]", 7, NOUN | ADJ | NUM), "ه"),
    (affix("تي", "[dual]", 9, NOUN | ADJ | NUM), "ه"),
    (affix("تا", "[dual]", 10, NOUN | ADJ | NUM), "ه"),
    (affix("و", "[pl.]", 9, NOUN | ADJ | NUM), ""),
    (affix("ي", "[pl./dual]", 9, NOUN | ADJ | NUM), ""),
];
/// Pronoun suffixes, glossed as possessives (on a noun: كتابه "his book"). After a verb
/// or a preposition the same letters are objects: see [`object_gloss`].
/// ي follows a noun ("my"), a preposition or a particle (لكني، إني "but I", "indeed I").
/// The dialect ـو "his" (كتابو، شفتو) and ـكو "your (pl.)" (شفتكو) cost more than any MSA
/// pronoun, so that where the same letters have an MSA reading, it comes first.
static PRONOUNS: [Affix; 14] = [
    affix("ه", "his/its", 8, HOST),
    affix("ها", "her/its", 8, HOST),
    affix("هم", "their", 8, HOST),
    affix("هما", "their (two)", 11, HOST),
    affix("هن", "their (f.)", 11, HOST),
    affix("ك", "your", 10, HOST),
    affix("كم", "your (pl.)", 10, HOST),
    affix("كما", "your (two)", 12, HOST),
    affix("كن", "your (f. pl.)", 12, HOST),
    affix("ي", "my", 10, NOMINAL | PREP | PART | CONJ),
    affix("ني", "me", 11, VERB | PREP | PART),
    affix("نا", "our", 9, HOST),
    affix("و", "his/its [dialect]", 15, HOST),
    affix("كو", "your (pl.) [dialect]", 15, HOST),
];

/// The gloss of a pronoun suffix as an object, after a verb (كتبه "he wrote it") or a
/// preposition (له "to him"); other affixes keep their gloss.
fn object_gloss(affix: &Affix) -> &'static str {
    match affix.gloss {
        "his/its" => "him/it",
        "her/its" => "her/it",
        "their" => "them",
        "their (two)" => "them (two)",
        "their (f.)" => "them (f.)",
        "your" => "you",
        "your (pl.)" => "you (pl.)",
        "your (two)" => "you (two)",
        "your (f. pl.)" => "you (f. pl.)",
        "our" => "us",
        "his/its [dialect]" => "him/it [dialect]",
        "your (pl.) [dialect]" => "you (pl.) [dialect]",
        other => other,
    }
}

/// Extra cost of reading a written ه as ة ([fem.]), a spelling some writers use: where
/// the word is written with ه, the pronoun reading comes first.
const TA_MARBUTA_AS_HA_COST: u32 = 6;

static PERFECT_ENDINGS: [Affix; 9] = [
    affix("ت", "[she/I/you]", 8, VERB),
    affix("وا", "[they]", 8, VERB),
    affix("نا", "[we]", 9, VERB),
    affix("ا", "[they two]", 10, VERB),
    affix("تم", "[you pl.]", 10, VERB),
    affix("ن", "[they f.]", 11, VERB),
    affix("تا", "[they two f.]", 12, VERB),
    affix("تما", "[you two]", 13, VERB),
    affix("تن", "[you f. pl.]", 13, VERB),
];
/// ي is the feminine "you" where the ن goes (after أن، لن، لم, or a prohibition: تكوني،
/// لا تذهبي).
static IMPERFECT_ENDINGS: [Affix; 7] = [
    affix("ون", "[pl.]", 8, VERB),
    affix("وا", "[pl. subj.]", 9, VERB),
    affix("ين", "[you f.]", 9, VERB),
    affix("ي", "[you f.]", 10, VERB),
    affix("ان", "[two]", 10, VERB),
    affix("ا", "[two subj.]", 11, VERB),
    affix("ن", "[f. pl.]", 11, VERB),
];
/// Endings of the imperative, whose stem the lexicon lists (اكتب) or which is spelled like
/// the perfect (تعلم): اكتبي، اكتبوا، تعلما.
static IMPERATIVE_ENDINGS: [Affix; 4] = [
    affix("ي", "[you f.]", 10, VERB),
    affix("وا", "[you pl.]", 10, VERB),
    affix("ا", "[you two]", 12, VERB),
    affix("ن", "[you f. pl.]", 13, VERB),
];
/// Verb endings as written before an object pronoun (كتبوه, يكتبونه).
static VERB_ENDINGS_BEFORE_PRONOUN: [Affix; 3] = [
    affix("و", "[they]", 9, VERB),
    affix("ت", "[she/I/you]", 8, VERB),
    affix("نا", "[we]", 9, VERB),
];

/// Dialect tense prefixes before the person prefix of an imperfect verb (Egyptian,
/// Levantine, Gulf): بـ the present (بيكتب، بتقول، بنروح), حـ and the Egyptian هـ the
/// future (حيكتب، هنروح). Dearer than any MSA affix, so that where the same letters have
/// an MSA reading (بتعاون is ب + تعاون), that reading comes first.
static DIALECT_TENSES: [Affix; 3] = [
    affix("ب", "[present]", 14, VERB),
    affix("ح", "will", 15, VERB),
    affix("ه", "will", 17, VERB),
];
/// The first person singular, where the dialect drops the alef of the person prefix:
/// بكتب "I write" (ب + أكتب), حروح "I will go". Dearer than a tense prefix with a person
/// prefix, so that بيشوف is ب + ي + شوف before ب + يشوف.
static DIALECT_FIRST_PERSON: [Affix; 2] = [
    affix("ب", "I [present]", 22, VERB),
    affix("ح", "I will", 23, VERB),
];
/// The dialect negation ما…ش around a verb (ماكتبش، مابيكتبش), also written م…ش
/// (مبيكتبش). The prefix needs the ش; the ش alone follows a dialect tense prefix
/// (ما بيكتبش, with ما written apart).
static NEGATION_PREFIXES: [Affix; 2] = [affix("ما", "not", 10, VERB), affix("م", "not", 12, VERB)];
static NEGATION_END: Affix = affix("ش", "[not]", 4, VERB);

/// A sequence of affixes on one side of the stem, with what it needs of the stem.
#[derive(Debug, Clone)]
struct Chain {
    chars: Vec<char>,
    affixes: Vec<&'static Affix>,
    cost: u32,
    allows: PosMask,
    /// Letters put back on the stem (ة for a ت before a pronoun).
    restore: &'static str,
    /// Which side of the verb the chain belongs to, so prefixes and suffixes pair up.
    verb_form: VerbForm,
    has_article: bool,
    has_pronoun: bool,
    /// The negation ما/م (a prefix chain) or ش (a suffix chain) is part of the chain.
    negation: bool,
    /// A dialect tense prefix (بـ، حـ، هـ) is part of the chain.
    dialect: bool,
    /// Some affix of the chain exists only in the dialects (a tense prefix, the negation
    /// ما…ش, the pronouns ـو and ـكو).
    colloquial: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum VerbForm {
    /// Not a verb chain: fits nouns, or anything when empty.
    None,
    Perfect,
    Imperfect,
    /// An imperative with an ending (a bare imperative reads as a perfect or a stem).
    Imperative,
}

impl Chain {
    fn new(affixes: Vec<&'static Affix>, restore: &'static str, verb_form: VerbForm) -> Chain {
        Chain {
            chars: affixes.iter().flat_map(|a| a.text.chars()).collect(),
            cost: affixes.iter().map(|a| a.cost).sum(),
            allows: affixes.iter().fold(ANY, |m, a| m & a.allows),
            has_article: affixes
                .iter()
                .any(|a| std::ptr::eq(*a, &ARTICLE) || std::ptr::eq(*a, &ARTICLE_AFTER_LI)),
            has_pronoun: affixes
                .iter()
                .any(|a| PRONOUNS.iter().any(|p| std::ptr::eq(*a, p))),
            negation: affixes.iter().any(|a| {
                std::ptr::eq(*a, &NEGATION_END)
                    || NEGATION_PREFIXES.iter().any(|n| std::ptr::eq(*a, n))
            }),
            dialect: affixes.iter().any(|a| {
                DIALECT_TENSES.iter().any(|t| std::ptr::eq(*a, t))
                    || DIALECT_FIRST_PERSON.iter().any(|t| std::ptr::eq(*a, t))
            }),
            colloquial: affixes.iter().any(|a| is_colloquial(a)),
            affixes,
            restore,
            verb_form,
        }
    }
}

/// True for an affix that exists only in the dialects.
fn is_colloquial(a: &Affix) -> bool {
    DIALECT_TENSES.iter().any(|t| std::ptr::eq(a, t))
        || DIALECT_FIRST_PERSON.iter().any(|t| std::ptr::eq(a, t))
        || NEGATION_PREFIXES.iter().any(|t| std::ptr::eq(a, t))
        || std::ptr::eq(a, &NEGATION_END)
        || a.gloss.ends_with("[dialect]")
}

struct Tables {
    prefixes: Vec<Chain>,
    suffixes: Vec<Chain>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(build_tables)
}

fn build_tables() -> Tables {
    let conj: Vec<Option<&'static Affix>> = std::iter::once(None)
        .chain(CONJUNCTIONS.iter().map(Some))
        .collect();
    let mut prefixes = Vec::new();
    for c in &conj {
        let base: Vec<&'static Affix> = c.iter().copied().collect();
        // Nominal: [conj] [prep] [al]
        prefixes.push(Chain::new(base.clone(), "", VerbForm::None));
        prefixes.push(Chain::new(
            [base.clone(), vec![&ARTICLE]].concat(),
            "",
            VerbForm::None,
        ));
        for p in &NOUN_PREPOSITIONS {
            prefixes.push(Chain::new(
                [base.clone(), vec![p]].concat(),
                "",
                VerbForm::None,
            ));
            if p.text == "ل" {
                prefixes.push(Chain::new(
                    [base.clone(), vec![p, &ARTICLE_AFTER_LI]].concat(),
                    "",
                    VerbForm::None,
                ));
            } else {
                prefixes.push(Chain::new(
                    [base.clone(), vec![p, &ARTICLE]].concat(),
                    "",
                    VerbForm::None,
                ));
            }
        }
        // Verbal: [conj] [sa|li] person
        for person in &PERSON_PREFIXES {
            prefixes.push(Chain::new(
                [base.clone(), vec![person]].concat(),
                "",
                VerbForm::Imperfect,
            ));
            for part in &VERB_PARTICLES {
                prefixes.push(Chain::new(
                    [base.clone(), vec![part, person]].concat(),
                    "",
                    VerbForm::Imperfect,
                ));
            }
        }
        // A perfect verb takes only a conjunction (or la-/qad, written apart), and so
        // does an imperative.
        prefixes.push(Chain::new(base.clone(), "", VerbForm::Perfect));
        prefixes.push(Chain::new(base.clone(), "", VerbForm::Imperative));
        // Dialect: [conj] [ma-] [bi-|ha-] person, [conj] [ma-] bi-/ha- for "I",
        // [conj] ma- person, and [conj] ma- before a perfect verb.
        let negations: Vec<Option<&'static Affix>> = std::iter::once(None)
            .chain(NEGATION_PREFIXES.iter().map(Some))
            .collect();
        for neg in &negations {
            let head: Vec<&'static Affix> = base.iter().copied().chain(*neg).collect();
            for tense in &DIALECT_TENSES {
                for person in &PERSON_PREFIXES {
                    if person.text == "ا" {
                        continue;
                    }
                    prefixes.push(Chain::new(
                        [head.clone(), vec![tense, person]].concat(),
                        "",
                        VerbForm::Imperfect,
                    ));
                }
            }
            for first in &DIALECT_FIRST_PERSON {
                prefixes.push(Chain::new(
                    [head.clone(), vec![first]].concat(),
                    "",
                    VerbForm::Imperfect,
                ));
            }
            if neg.is_some() {
                for person in &PERSON_PREFIXES {
                    prefixes.push(Chain::new(
                        [head.clone(), vec![person]].concat(),
                        "",
                        VerbForm::Imperfect,
                    ));
                }
                prefixes.push(Chain::new(head.clone(), "", VerbForm::Perfect));
            }
        }
    }

    let mut suffixes = vec![Chain::new(vec![], "", VerbForm::None)];
    for (e, restore) in &NOUN_ENDINGS {
        suffixes.push(Chain::new(vec![e], restore, VerbForm::None));
    }
    for p in &PRONOUNS {
        suffixes.push(Chain::new(vec![p], "", VerbForm::None));
        for (e, restore) in &NOUN_ENDINGS_BEFORE_PRONOUN {
            suffixes.push(Chain::new(vec![e, p], restore, VerbForm::None));
        }
    }
    // Verbs: perfect and imperfect endings, each optionally followed by an object pronoun.
    let objects: Vec<Option<&'static Affix>> = std::iter::once(None)
        .chain(PRONOUNS.iter().filter(|p| p.text != "ي").map(Some))
        .collect();
    for form in [VerbForm::Perfect, VerbForm::Imperfect] {
        for o in &objects {
            let obj: Vec<&'static Affix> = o.iter().copied().collect();
            suffixes.push(Chain::new(obj.clone(), "", form));
            let endings: &[Affix] = if form == VerbForm::Perfect {
                &PERFECT_ENDINGS
            } else {
                &IMPERFECT_ENDINGS
            };
            for e in endings {
                if o.is_none() {
                    suffixes.push(Chain::new(vec![e], "", form));
                }
            }
            if o.is_some() {
                for e in &VERB_ENDINGS_BEFORE_PRONOUN {
                    if form == VerbForm::Imperfect && e.text != "و" {
                        continue;
                    }
                    suffixes.push(Chain::new([vec![e], obj.clone()].concat(), "", form));
                }
                if form == VerbForm::Imperfect {
                    let n = &IMPERFECT_ENDINGS[0];
                    suffixes.push(Chain::new([vec![n], obj.clone()].concat(), "", form));
                }
            }
        }
    }
    for e in &IMPERATIVE_ENDINGS {
        suffixes.push(Chain::new(vec![e], "", VerbForm::Imperative));
    }
    // The ش of the dialect negation closes a verb: after the stem, an ending or an
    // object (ماكتبتش، ماقالهاش); the ا of وا is not written before it (ماكتبوش).
    let mut negated = Vec::new();
    for chain in suffixes
        .iter()
        .filter(|c| matches!(c.verb_form, VerbForm::Perfect | VerbForm::Imperfect))
    {
        let ends_in_long_a = chain.affixes.last().is_some_and(|a| {
            a.text.ends_with('ا') && !PRONOUNS.iter().any(|p| std::ptr::eq(*a, p)) && a.text != "نا"
        });
        if ends_in_long_a {
            continue;
        }
        let mut affixes = chain.affixes.clone();
        affixes.push(&NEGATION_END);
        negated.push(Chain::new(affixes, "", chain.verb_form));
    }
    for form in [VerbForm::Perfect, VerbForm::Imperfect] {
        negated.push(Chain::new(
            vec![&VERB_ENDINGS_BEFORE_PRONOUN[0], &NEGATION_END],
            "",
            form,
        ));
    }
    suffixes.extend(negated);
    Tables { prefixes, suffixes }
}

/// One way to read a word: proclitics + stem + suffixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segmentation {
    /// The stem's matching key (normalised), with restored letters.
    pub stem: String,
    /// The stem as written in the word (without harakat), with restored letters.
    pub stem_written: String,
    /// Proclitics, each as written and with its gloss.
    pub prefixes: Vec<(String, &'static str)>,
    /// Suffixes, each as written and with its gloss.
    pub suffixes: Vec<(String, &'static str)>,
    pub cost: u32,
    /// Parts of speech the stem may have.
    pub allows: PosMask,
    /// The stem's letters with the marks the text wrote on them (restored letters bare).
    pub stem_letters: Vec<Letter>,
    /// Whether the affixes make the stem a perfect or an imperfect verb.
    pub form: FormKind,
    /// Some affix exists only in the dialects: the stem is likely a colloquial word too.
    pub colloquial: bool,
}

impl Segmentation {
    /// True when the split removed nothing.
    pub fn is_bare(&self) -> bool {
        self.prefixes.is_empty() && self.suffixes.is_empty()
    }

    /// The pieces as written: `و + ال + خارجي + ة`.
    pub fn pieces(&self) -> String {
        let mut parts: Vec<&str> = self.prefixes.iter().map(|(t, _)| t.as_str()).collect();
        parts.push(&self.stem_written);
        parts.extend(self.suffixes.iter().map(|(t, _)| t.as_str()));
        parts.join(" + ")
    }

    /// The analysis line shown with an entry: `و + ال + خارجي + ة: and + the + foreign + [fem.]`.
    pub fn describe(&self, stem_gloss: &str) -> String {
        let mut glosses: Vec<&str> = self.prefixes.iter().map(|(_, g)| *g).collect();
        glosses.push(stem_gloss);
        glosses.extend(self.suffixes.iter().map(|(_, g)| *g));
        format!("{}: {}", self.pieces(), glosses.join(" + "))
    }
}

/// Extra cost of reading a stem's final ا before a pronoun as ى: as much as an affix, so that
/// a stem listed with its ا (أبا of أب in أباه) comes before a ى-lemma (أبى "to refuse").
const ALEF_AS_MAQSURA_COST: u32 = 8;

/// True when `gloss` is the gloss of a pronoun suffix, as a possessive or as an object.
fn is_pronoun_gloss(gloss: &str) -> bool {
    PRONOUNS
        .iter()
        .any(|p| p.gloss == gloss || object_gloss(p) == gloss)
}

/// Shortest stem considered, in letters. Shorter stems match too much by chance.
const MIN_STEM: usize = 2;
/// Extra cost of a two-letter stem.
const SHORT_STEM_COST: u32 = 6;

/// Every segmentation of `word` (as written; harakat allowed) into proclitics, stem and
/// suffixes, cheapest first. The bare word comes first with cost 0. Duplicate stems keep
/// their cheapest split, with the parts of speech of all their splits.
pub fn segment(word: &str) -> Vec<Segmentation> {
    let written: Vec<char> = word
        .chars()
        .filter(|&c| !is_haraka(c) && c != TATWEEL && !c.is_whitespace())
        .collect();
    let norm: Vec<char> = written.iter().map(|&c| fold_char(c)).collect();
    let n = norm.len();
    // The marks of each letter of `written` (the same letters, in the same order).
    let marked = letters(word);
    let marks_at = |i: usize| marked.get(i).map_or(Marks::default(), |l| l.1);
    let mut out: Vec<Segmentation> = Vec::new();
    if n == 0 {
        return out;
    }
    let tables = tables();
    let pres: Vec<&Chain> = tables
        .prefixes
        .iter()
        .filter(|c| c.chars.len() <= n && norm[..c.chars.len()] == c.chars[..])
        .collect();
    let sufs: Vec<&Chain> = tables
        .suffixes
        .iter()
        .filter(|c| c.chars.len() <= n && norm[n - c.chars.len()..] == c.chars[..])
        .collect();
    for p in &pres {
        let pl = p.chars.len();
        for s in &sufs {
            if p.verb_form != s.verb_form {
                continue;
            }
            if p.has_article && s.has_pronoun {
                continue;
            }
            // The feminine "you" (ين، ي) goes with the person prefix ت only.
            let feminine_you = s.verb_form == VerbForm::Imperfect
                && s.affixes.iter().any(|a| a.gloss == "[you f.]");
            if feminine_you
                && !p
                    .affixes
                    .iter()
                    .any(|a| std::ptr::eq(*a, &PERSON_PREFIXES[1]))
            {
                continue;
            }
            // ما…ش go together; the ش alone only after a dialect tense prefix.
            if p.negation != s.negation && !(s.negation && p.dialect) {
                continue;
            }
            let sl = s.chars.len();
            if pl + sl >= n {
                continue;
            }
            let stem_len = n - pl - sl + s.restore.chars().count();
            let allows = p.allows & s.allows;
            if allows == 0 {
                continue;
            }
            let mut cost = p.cost + s.cost;
            let bare = p.affixes.is_empty() && s.affixes.is_empty();
            if stem_len < MIN_STEM && !bare {
                // Only a preposition carrying a pronoun (له، بها، لكم) keeps a one-letter stem.
                // كَ takes no pronoun (كنا is كان + نا, not "like us").
                let stem_char = norm[pl];
                if !(s.has_pronoun
                    && matches!(stem_char, 'ل' | 'ب')
                    && p.affixes.iter().all(|a| a.allows == ANY))
                {
                    continue;
                }
            } else if stem_len == MIN_STEM && !bare {
                cost += SHORT_STEM_COST;
            }
            let mut stem: String = norm[pl..n - sl].iter().collect();
            let mut stem_written: String = written[pl..n - sl].iter().collect();
            stem.push_str(s.restore);
            if !s.restore.is_empty() {
                stem_written.push('ة');
            }
            let allows = if stem_len == 1 && !bare { PREP } else { allows };
            let prefixes = split_written(&written[..pl], &p.affixes, false);
            // Pronouns are objects after a verb or a one-letter preposition (له).
            let object = p.verb_form != VerbForm::None || stem_len == 1;
            let suffixes = split_written(&written[n - sl..], &s.affixes, object);
            // The ending ة is folded to ه for matching, but the letter as written
            // decides: ة is never a pronoun, and ه is ة only in a loose spelling.
            let last_written = written[n - 1];
            if let Some((_, gloss)) = suffixes.last()
                && s.restore.is_empty()
                && s.chars.last() == Some(&'ه')
            {
                let ta_marbuta_ending = *gloss == NOUN_ENDINGS[0].0.gloss && sl == 1;
                if last_written == 'ة' && !ta_marbuta_ending {
                    continue;
                }
                if last_written == 'ه' && ta_marbuta_ending {
                    cost += TA_MARBUTA_AS_HA_COST;
                }
            }
            let mut stem_letters: Vec<Letter> =
                (pl..n - sl).map(|i| (norm[i], marks_at(i))).collect();
            stem_letters.extend(s.restore.chars().map(|c| (c, Marks::default())));
            let form = match p.verb_form {
                VerbForm::Perfect => FormKind::Perfect,
                VerbForm::Imperfect => FormKind::Imperfect,
                VerbForm::None | VerbForm::Imperative => FormKind::Other,
            };
            out.push(Segmentation {
                stem,
                stem_written,
                prefixes,
                suffixes,
                cost,
                allows,
                stem_letters,
                form,
                colloquial: p.colloquial || s.colloquial,
            });
        }
    }
    // Before a pronoun a final ى is written ا (معنى → معناه، تنسى → تنساك): a stem ending in
    // ا before a pronoun may be one ending in ى, at an extra cost.
    let maqsura: Vec<Segmentation> = out
        .iter()
        .filter(|s| s.stem.ends_with('ا') && s.suffixes.iter().any(|(_, g)| is_pronoun_gloss(g)))
        .map(|s| {
            let mut v = s.clone();
            v.stem.pop();
            v.stem.push('ي');
            v.stem_written.pop();
            v.stem_written.push('ى');
            if let Some(last) = v.stem_letters.last_mut() {
                last.0 = 'ي';
            }
            v.cost += ALEF_AS_MAQSURA_COST;
            v
        })
        .collect();
    out.extend(maqsura);
    // At one cost, a stem with its ة put back first, then longer stems.
    let restored = |s: &Segmentation| s.stem_written.ends_with('ة') && !word.ends_with('ة');
    out.sort_by(|a, b| {
        a.cost
            .cmp(&b.cost)
            .then(restored(b).cmp(&restored(a)))
            .then(a.stem.len().cmp(&b.stem.len()).reverse())
    });
    // Keep the cheapest split per (stem, pieces) and drop exact repeats of a stem with the
    // same affixes; different splits to the same stem stay, since they explain differently.
    let mut seen = std::collections::HashSet::new();
    out.retain(|s| seen.insert((s.stem.clone(), s.pieces(), s.allows)));
    out
}

fn split_written(
    written: &[char],
    affixes: &[&'static Affix],
    object: bool,
) -> Vec<(String, &'static str)> {
    let mut pos = 0;
    affixes
        .iter()
        .map(|a| {
            let len = a.text.chars().count();
            let piece: String = written[pos..pos + len].iter().collect();
            pos += len;
            let is_pronoun = PRONOUNS.iter().any(|p| std::ptr::eq(*a, p));
            let gloss = if object && is_pronoun {
                object_gloss(a)
            } else {
                a.gloss
            };
            (piece, gloss)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn has(word: &str, pieces: &str) -> bool {
        segment(word).iter().any(|s| s.pieces() == pieces)
    }

    #[test]
    fn one_letter_words_stay() {
        assert_eq!(segment("لـ")[0].stem, "ل");
    }

    #[test]
    fn plural_replaces_ta_marbuta() {
        let s = segment("للجماعات");
        assert!(
            s.iter()
                .any(|s| s.stem == "جماعه" && s.pieces() == "ل + ل + جماعة + ات")
        );
    }

    #[test]
    fn bare_word_first() {
        let s = segment("كتاب");
        assert_eq!(s[0].pieces(), "كتاب");
        assert_eq!(s[0].cost, 0);
    }

    #[test]
    fn clitics_and_article() {
        assert!(has("والخارجية", "و + ال + خارجية"));
        assert!(has("والخارجية", "و + ال + خارجي + ة"));
        assert!(has("بالانسحاب", "ب + ال + انسحاب"));
        assert!(has("للجماعات", "ل + ل + جماع + ات"));
    }

    #[test]
    fn verbs_with_harakat() {
        assert!(has("وَأَعَدَّتِ", "و + أعد + ت"));
        assert!(has("يعملون", "ي + عمل + ون"));
        assert!(has("وسيكتبونه", "و + س + ي + كتب + ون + ه"));
    }

    #[test]
    fn ta_marbuta_restored_before_pronoun() {
        let s = segment("مهمته");
        let found = s
            .iter()
            .find(|s| s.pieces() == "مهمة + ت + ه")
            .expect("split with ة restored");
        assert_eq!(found.stem, "مهمه");
    }

    #[test]
    fn article_and_pronoun_do_not_mix() {
        assert!(!has("الكتابها", "ال + كتاب + ها"));
        assert!(has("كتابها", "كتاب + ها"));
    }

    #[test]
    fn preposition_with_pronoun() {
        assert!(has("لها", "ل + ها"));
    }

    /// The glosses of the cheapest split of `word` into `pieces`.
    fn glosses(word: &str, pieces: &str) -> Vec<&'static str> {
        let s = segment(word);
        let found = s.iter().find(|s| s.pieces() == pieces);
        let found = found.unwrap_or_else(|| panic!("{word}: no split {pieces}"));
        found.suffixes.iter().map(|(_, g)| *g).collect()
    }

    #[test]
    fn final_ha_is_the_pronoun_and_final_ta_marbuta_the_feminine() {
        // Written ه after a noun: "his/its", the same in every word, and ahead of the
        // loose spelling of ة.
        for (word, pieces) in [
            ("انتحاله", "انتحال + ه"),
            ("وشقيقه", "و + شقيق + ه"),
            ("ونصحه", "و + نصح + ه"),
        ] {
            assert_eq!(glosses(word, pieces), ["his/its"], "{word}");
            let first = segment(word)
                .into_iter()
                .find(|s| s.suffixes.len() == 1 && s.suffixes[0].0 == "ه")
                .unwrap();
            assert_eq!(first.suffixes[0].1, "his/its", "{word}: {first:?}");
        }
        assert_eq!(glosses("مهمته", "مهمة + ت + ه"), ["[fem.]", "his/its"]);
        // Written ة is never a pronoun.
        assert_eq!(glosses("مدرسة", "مدرس + ة"), ["[fem.]"]);
        assert!(
            segment("مدرسة")
                .iter()
                .all(|s| s.suffixes.iter().all(|(_, g)| !g.contains("his")))
        );
        // After a verb or a preposition, an object.
        assert_eq!(glosses("كتبه", "كتب + ه"), ["his/its"]);
        assert!(segment("سيكتبه").iter().any(
            |s| s.pieces() == "س + ي + كتب + ه" && s.suffixes == [("ه".to_string(), "him/it")]
        ));
        assert_eq!(glosses("له", "ل + ه"), ["him/it"]);
        let glossed = |s: &Segmentation| s.suffixes.iter().map(|(_, g)| *g).collect::<Vec<_>>();
        assert!(
            segment("كتبوها")
                .iter()
                .any(|s| s.allows == VERB && glossed(s) == ["[they]", "her/it"])
        );
    }

    /// The split of `word` into `pieces` whose stem is a verb.
    fn verb_split(word: &str, pieces: &str) -> Segmentation {
        let s = segment(word);
        s.iter()
            .find(|s| s.pieces() == pieces && s.allows == VERB)
            .unwrap_or_else(|| panic!("{word}: no verb split {pieces}: {s:#?}"))
            .clone()
    }

    #[test]
    fn dialect_present_future_and_negation() {
        let glossed = |word: &str, pieces: &str| verb_split(word, pieces).describe("…");
        assert_eq!(
            glossed("بيكتب", "ب + ي + كتب"),
            "ب + ي + كتب: [present] + he/they + …"
        );
        assert_eq!(
            glossed("بتقول", "ب + ت + قول"),
            "ب + ت + قول: [present] + she/you + …"
        );
        assert_eq!(
            glossed("بنروح", "ب + ن + روح"),
            "ب + ن + روح: [present] + we + …"
        );
        assert_eq!(
            glossed("حيكتب", "ح + ي + كتب"),
            "ح + ي + كتب: will + he/they + …"
        );
        assert_eq!(
            glossed("هنروح", "ه + ن + روح"),
            "ه + ن + روح: will + we + …"
        );
        assert_eq!(glossed("بكتب", "ب + كتب"), "ب + كتب: I [present] + …");
        assert_eq!(
            glossed("مابيكتبش", "ما + ب + ي + كتب + ش"),
            "ما + ب + ي + كتب + ش: not + [present] + he/they + … + [not]"
        );
        assert_eq!(
            glossed("ماكتبش", "ما + كتب + ش"),
            "ما + كتب + ش: not + … + [not]"
        );
        assert!(has("مبيكتبش", "م + ب + ي + كتب + ش"));
        assert!(has("ماكتبتش", "ما + كتب + ت + ش"));
        assert!(has("ماكتبوش", "ما + كتب + و + ش"));
        assert!(has("ماقالهاش", "ما + قال + ها + ش"));
        assert!(has("بيكتبوا", "ب + ي + كتب + وا"));
        // The ش without ما only after a dialect tense prefix (ما written apart).
        assert!(has("بيكتبش", "ب + ي + كتب + ش"));
        assert!(!has("كتبش", "كتب + ش"));
        assert!(!has("يكتبش", "ي + كتب + ش"));
        // ما without the ش is not the dialect negation.
        assert!(!has("ماكتب", "ما + كتب"));
    }

    #[test]
    fn dialect_splits_cost_more_than_msa_ones() {
        let cost = |word: &str, pieces: &str| verb_split(word, pieces).cost;
        let noun = segment("بتعاون")
            .into_iter()
            .find(|s| s.pieces() == "ب + تعاون" && s.allows & NOUN != 0)
            .expect("ب + تعاون");
        assert!(noun.cost < cost("بتعاون", "ب + ت + عاون"));
        assert!(cost("بيشوف", "ب + ي + شوف") < cost("بيشوف", "ب + يشوف"));
        assert!(cost("وسيكتب", "و + س + ي + كتب") < cost("وحيكتب", "و + ح + ي + كتب"));
        for word in ["بيت", "حين", "بنت", "مكتب"] {
            assert!(segment(word)[0].is_bare(), "{word}");
        }
    }

    #[test]
    fn duals_feminine_endings_and_particles_with_ya() {
        assert!(has("ساعتين", "ساعة + تين"));
        assert!(has("سيارتان", "سيارة + تان"));
        assert!(has("رحلتينا", "رحلة + تي + نا"));
        assert!(has("تكوني", "ت + كون + ي"));
        // The feminine "you" agrees with its person prefix ت only.
        assert!(!has("يكتبي", "ي + كتب + ي"));
        assert!(!has("يكتبين", "ي + كتب + ين"));
        assert!(has("تكتبين", "ت + كتب + ين"));
        assert!(has("اكتبي", "اكتب + ي"));
        assert!(has("لكني", "لكن + ي"));
        // كَ takes no pronoun: كنا is a verb.
        assert!(!segment("كنا").iter().any(|s| s.stem == "ك"));
        assert!(
            segment("كنا")
                .iter()
                .any(|s| s.stem == "كن" && s.allows & VERB != 0)
        );
        // The article takes no adverb.
        assert!(
            segment("الخاصة")
                .iter()
                .filter(|s| s.prefixes.iter().any(|(p, _)| p == "ال"))
                .all(|s| s.allows & ADV == 0)
        );
        // Dialect pronouns are marked colloquial; MSA splits are not.
        let colloquial = |word: &str, pieces: &str| {
            segment(word)
                .iter()
                .find(|s| s.pieces() == pieces)
                .unwrap_or_else(|| panic!("{word}: no split {pieces}"))
                .colloquial
        };
        assert!(colloquial("كتابو", "كتاب + و"));
        assert!(colloquial("بيكتب", "ب + ي + كتب"));
        assert!(!colloquial("كتابه", "كتاب + ه"));
        // ى written ا before a pronoun.
        assert!(
            segment("تنساك")
                .iter()
                .any(|s| s.stem == "نسي" && s.stem_written == "نسى")
        );
        assert!(segment("معناه").iter().any(|s| s.stem == "معني"));
    }

    #[test]
    fn cheaper_first() {
        let s = segment("والحسابات");
        let costs: Vec<u32> = s.iter().map(|s| s.cost).collect();
        let mut sorted = costs.clone();
        sorted.sort();
        assert_eq!(costs, sorted);
    }
}
