#!/usr/bin/env python3
"""Validate data/names.tsv (the gazetteer) and data/dialect.tsv (dialect words).

Usage: python3 data/check_names.py
Checks that every line parses (6 columns for names, 7 for dialect words), parts of speech
and dialect labels are known, lemmas and stems carry no harakat, no lemma is listed twice,
no name repeats a proper noun of data/lexicon.tsv (with or without the article), and the
files hold at least 2,000 names and 800 dialect words. Exit status is non-zero on failure.
"""
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
HARAKAT = re.compile('[\u064B-\u065F\u0670\u0640]')
ARABIC_STEM = re.compile('^[\u0621-\u063A\u0641-\u064A\u067E\u0686\u06AF\u06A4_]+$')
POS = {'noun', 'verb', 'adj', 'adv', 'prep', 'conj', 'pron', 'part', 'num', 'propn'}
DIALECTS = {'Egyptian', 'Levantine', 'Gulf', 'Iraqi', 'Maghrebi', 'Sudanese', 'Yemeni'}
FOLD = str.maketrans({'أ': 'ا', 'إ': 'ا', 'آ': 'ا', 'ٱ': 'ا', 'ى': 'ي', 'ة': 'ه'})


def key(s):
    return ' '.join(HARAKAT.sub('', s).translate(FOLD).split())


def rows(name):
    with open(os.path.join(HERE, name), encoding='utf-8') as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if line.strip() and not line.startswith('#'):
                yield n, line.split('\t')


errors = []
lexicon_names = set()
for n, cols in rows('lexicon.tsv'):
    if len(cols) == 6 and cols[2] == 'propn':
        lexicon_names.add(key(cols[0]))


def check(name, columns, minimum):
    seen = {}
    count = 0
    for n, cols in rows(name):
        where = f'{name}:{n}'
        if len(cols) != columns:
            errors.append(f'{where}: expected {columns} columns, found {len(cols)}')
            continue
        lemma, _voc, pos, _root, stems, gloss = cols[:6]
        if pos not in POS:
            errors.append(f'{where}: unknown part of speech {pos!r}')
        if name == 'names.tsv' and pos != 'propn':
            errors.append(f'{where}: a name must be propn')
        if not gloss.strip() or not lemma.strip():
            errors.append(f'{where}: empty lemma or gloss')
        if HARAKAT.search(lemma) or HARAKAT.search(stems):
            errors.append(f'{where}: harakat in the lemma or stems')
        for s in stems.split():
            if not ARABIC_STEM.match(s):
                errors.append(f'{where}: stem {s!r} is not Arabic letters')
        if stems.split()[:1] != [lemma.replace(' ', '_')]:
            errors.append(f'{where}: the stems must start with the lemma')
        if columns == 7:
            labels = cols[6].split()
            if not labels or any(d not in DIALECTS for d in labels):
                errors.append(f'{where}: dialects {cols[6]!r}, expected some of {sorted(DIALECTS)}')
        k = key(lemma)
        if k in seen:
            errors.append(f'{where}: {lemma} repeats line {seen[k]}')
        seen[k] = n
        bare = k[2:] if k.startswith('ال') else k
        if name == 'names.tsv' and (k in lexicon_names or bare in lexicon_names):
            errors.append(f'{where}: {lemma} is already a name in lexicon.tsv')
        count += 1
    if count < minimum:
        errors.append(f'{name}: {count} entries, fewer than {minimum}')
    return count


names = check('names.tsv', 6, 2000)
dialect = check('dialect.tsv', 7, 800)
for e in errors:
    print(e)
print(f'names.tsv: {names} names; dialect.tsv: {dialect} dialect words; {len(errors)} problems')
sys.exit(1 if errors else 0)
