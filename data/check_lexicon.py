#!/usr/bin/env python3
"""Validate the built-in lexicon files together and report coverage of the seed article.

Usage: python3 data/check_lexicon.py [-v] [lexicon.tsv ...] [article.txt]
Without .tsv arguments it checks every file of BUILTIN_FILES in src/glossary/builtin_files.rs,
as one lexicon: a (lemma, pos) pair may appear only once across all of them (a
dialect word, labelled with its dialects, may share its letters with an MSA entry). Files named
lexicon*.tsv get every check below; the others (names, dialect) have rules of their own
(data/check_names.py) and take part in the duplicate check only.
(-v or VERBOSE=1 lists the article tokens that are not covered)
Exit status is non-zero if validation fails.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ARGS = [a for a in sys.argv[1:] if not a.startswith('-')]


def builtin_files():
    """The lexicon files the binary embeds, read from BUILTIN_FILES in builtin_files.rs."""
    rs = os.path.join(HERE, '..', 'src', 'glossary', 'builtin_files.rs')
    with open(rs, encoding='utf-8') as f:
        src = f.read()
    block = src[src.index('BUILTIN_FILES'):]
    block = block[:block.index('];')]
    names = re.findall(r'include_str!\("\.\./\.\./(data/[^"]+)"\)', block)
    return [os.path.join(HERE, '..', n) for n in names]


LEXES = [a for a in ARGS if a.endswith('.tsv')] or builtin_files()
ARTS = [a for a in ARGS if not a.endswith('.tsv')]
ART = ARTS[0] if ARTS else '/work/shared/corpus/seed-article.txt'

POS = {'noun', 'verb', 'adj', 'adv', 'prep', 'conj', 'pron', 'part', 'num', 'propn'}
HARAKAT = re.compile('[\u064B-\u065F\u0670\u0640]')
ARABIC = re.compile('[\u0621-\u064A]')
ARABIC_WORD = re.compile('^[\u0621-\u063A\u0641-\u064A]+$')

# Letters a root may lose in its stems (weak letters and hamza seats): the others must
# appear in every stem in order (a doubled last letter may be written once: تم of تمم).
WEAK = set('اويىءأإآؤئ')
# Stems from another root or with a lost ه: the few words where the rule does not hold.
SUPPLETIVE = {('أهل', 'آل'), ('مرأ', 'نساء'), ('مرأ', 'نسوة'), ('فوه', 'فم'),
              ('موه', 'ماء'), ('موه', 'مائي'), ('شفه', 'شفة'),
              ('شفه', 'شفوي'),
              ('مرأ', 'نسائ'), ('مرأ', 'نساؤ')}


def strong_letters(root):
    out = []
    for c in root:
        if c in WEAK or (out and out[-1] == c):
            continue
        out.append(c)
    return out


def in_order(letters, word):
    it = iter(word)
    return all(c in it for c in letters)


errors = []
entries = []
seen = {}


def check_line(n, line):
    """Checks one data line (n names the file and line); appends to errors and entries."""
    cols = line.split('\t')
    if len(cols) != 6:
        errors.append(f'{n}: expected 6 fields, got {len(cols)}')
        return
    lemma, voc, pos, root, stems, gloss = cols
    if pos not in POS:
        errors.append(f'{n}: bad pos {pos!r}')
    for what, val in (('lemma', lemma), ('root', root), ('stems', stems)):
        if HARAKAT.search(val):
            errors.append(f'{n}: harakat in {what}: {val}')
    if not ARABIC_WORD.match(lemma):
        errors.append(f'{n}: lemma not a plain Arabic word: {lemma!r}')
    if root != '-' and not ARABIC_WORD.match(root):
        errors.append(f'{n}: bad root {root!r}')
    if not ARABIC.search(voc):
        errors.append(f'{n}: vocalized has no Arabic: {voc!r}')
    if HARAKAT.sub('', voc) != lemma:
        errors.append(f'{n}: vocalized {voc} does not match lemma {lemma}')
    sl = stems.split(' ')
    if not sl or sl[0] != lemma:
        errors.append(f'{n}: first stem is not the lemma: {stems!r}')
    for s in sl:
        if not ARABIC_WORD.match(s):
            errors.append(f'{n}: bad stem {s!r}')
    if len(sl) != len(set(sl)):
        errors.append(f'{n}: repeated stem in {stems!r}')
    if root != '-' and pos != 'propn':
        letters = strong_letters(root)
        for s in sl:
            if not in_order(letters, s) and (root, s) not in SUPPLETIVE:
                errors.append(f'{n}: stem {s} lacks the letters of root {root} in order')
    if not gloss.strip() or not gloss.isascii():
        errors.append(f'{n}: gloss empty or not ASCII: {gloss!r}')
    if pos == 'verb' and not gloss.startswith('to '):
        errors.append(f'{n}: verb gloss should start with "to ": {gloss!r}')
    key = (lemma, pos)
    if key in seen:
        errors.append(f'{n}: duplicate (lemma,pos) {key}, first at {seen[key]}')
    else:
        seen[key] = n
    entries.append((lemma, pos, sl))


def register_only(n, line):
    """A line of a file with rules of its own (names, dialect: data/check_names.py checks
    them): only its (lemma, pos) takes part in the duplicate check."""
    cols = line.split('\t')
    if len(cols) < 6:
        errors.append(f'{n}: expected at least 6 fields, got {len(cols)}')
        return
    # A dialect word (7th column: its dialects) is its own entry, shown with its label,
    # even where MSA has the same letters: (lemma, pos, dialects) is the key.
    key = (cols[0], cols[2]) + ((cols[6],) if len(cols) > 6 and cols[6] else ())
    if key in seen:
        errors.append(f'{n}: duplicate (lemma,pos) {key}, first at {seen[key]}')
    else:
        seen[key] = n


for LEX in LEXES:
    name = os.path.relpath(LEX, os.path.join(HERE, '..'))
    full = os.path.basename(LEX).startswith('lexicon')
    with open(LEX, encoding='utf-8') as f:
        for i, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if line.strip() and not line.startswith('#'):
                (check_line if full else register_only)(f'{name}:{i}', line)

count = len(entries)
if count < 3000:
    errors.append(f'only {count} entries (need >= 3000)')

for e in errors[:50]:
    print('ERROR', e)
if len(errors) > 50:
    print(f'... {len(errors) - 50} more errors')
print(f'entries: {count}; errors: {len(errors)}')

# ---- coverage of the seed article ----------------------------------------
PREFIXES = ['وال', 'بال', 'فال', 'كال', 'لل', 'ال', 'و', 'ف', 'ب', 'ك', 'ل']
SUFFIXES = ['هما', 'ها', 'هم', 'هن', 'كم', 'كن', 'نا', 'ات', 'ان', 'ين', 'ون',
            'وا', 'تم', 'تن', 'ة', 'ه', 'ي', 'ك', 'ت']
# Extra, reported separately: tanween alif, person prefixes of the
# imperfect, and hamza-seat normalisation.
EXTRA_SUFFIXES = SUFFIXES + ['ا']
PERSON = ['ي', 'ت', 'ن', 'أ', 'سي', 'ست', 'سن']


def norm(w):
    return re.sub('[أإآ]', 'ا', w).replace('ى', 'ي')


def stem_set(normalise):
    s = set()
    for lemma, pos, sl in entries:
        for st in sl:
            for x in (st, st[:-1] if st.endswith('ة') and len(st) > 2 else st):
                s.add(norm(x) if normalise else x)
    return s


def candidates(tok, suffixes, person):
    out = {tok}
    pres = [tok] + [tok[len(p):] for p in PREFIXES
                    if tok.startswith(p) and len(tok) - len(p) >= 2]
    # a conjunction may precede another prefix (و + ب, ف + ل ...)
    more = []
    for w in pres:
        for p in PREFIXES:
            if w.startswith(p) and len(w) - len(p) >= 2:
                more.append(w[len(p):])
    pres += more
    if person:
        pres += [w[len(p):] for w in list(pres) for p in PERSON
                 if w.startswith(p) and len(w) - len(p) >= 2]
    for w in pres:
        out.add(w)
        for s1 in suffixes:
            if w.endswith(s1) and len(w) - len(s1) >= 1:
                w1 = w[:-len(s1)]
                out.add(w1)
                for s2 in suffixes:
                    if w1.endswith(s2) and len(w1) - len(s2) >= 1:
                        out.add(w1[:-len(s2)])
    return out


if os.path.exists(ART):
    text = HARAKAT.sub('', open(ART, encoding='utf-8').read())
    toks = sorted(set(re.findall('[\u0621-\u063A\u0641-\u064A]+', text)))
    strict = stem_set(False)
    loose = stem_set(True)
    miss_strict, miss_loose = [], []
    for t in toks:
        if not candidates(t, SUFFIXES, False) & strict:
            miss_strict.append(t)
        if not {norm(c) for c in candidates(t, EXTRA_SUFFIXES, True)} & loose:
            miss_loose.append(t)
    n = len(toks)
    print(f'seed article: {n} distinct Arabic tokens')
    print(f'  coverage (naive clitic/suffix stripping): '
          f'{n - len(miss_strict)}/{n} = {100 * (n - len(miss_strict)) / n:.1f}%')
    print(f'  coverage (+ tanween alif, imperfect prefixes, hamza norm.): '
          f'{n - len(miss_loose)}/{n} = {100 * (n - len(miss_loose)) / n:.1f}%')
    if '-v' in sys.argv or os.environ.get('VERBOSE'):
        print('  missing (naive):', ' '.join(miss_strict))
        print('  missing (extended):', ' '.join(miss_loose))

sys.exit(1 if errors else 0)
