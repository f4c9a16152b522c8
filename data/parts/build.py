#!/usr/bin/env python3
# Concatenate parts/*.txt ('|'-separated) into lexicon.tsv; report dups.
import glob, os, sys
here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, '..', 'lexicon.tsv')
header = """# qari built-in Arabic-English core lexicon (original work, authored for qari).
# Columns (tab-separated, UTF-8, one lemma per line):
#   1 lemma      dictionary form without harakat
#   2 vocalized  the same form with full harakat
#   3 pos        noun verb adj adv prep conj pron part num propn
#   4 root       consonantal root letters, '-' for particles/pronouns/loanwords
#   5 stems      space-separated unvocalised stems (lemma first, then broken
#                plurals, verb imperfect/imperative/hollow/defective stems);
#                no clitics, no regular inflectional affixes
#   6 gloss      short English gloss; senses separated by ';'
"""
seen = {}
lines = []
bad = 0
for f in sorted(glob.glob(os.path.join(here, '*.txt'))):
    for n, l in enumerate(open(f, encoding='utf-8'), 1):
        l = l.strip()
        if not l or l.startswith('#'):
            continue
        parts = [p.strip() for p in l.split('|')]
        if len(parts) != 6:
            print(f'{os.path.basename(f)}:{n}: {len(parts)} fields: {l}'); bad += 1; continue
        parts[4] = ' '.join(parts[4].split())
        key = (parts[0], parts[2])
        if key in seen:
            i = seen[key]
            old = lines[i].split('\t')
            st = old[4].split()
            st += [x for x in parts[4].split() if x not in st]
            old[4] = ' '.join(st)
            senses = old[5].split('; ')
            senses += [x for x in parts[5].split('; ') if x not in senses]
            old[5] = '; '.join(senses)
            lines[i] = '\t'.join(old)
            print(f'merged {key} from {os.path.basename(f)}:{n}: {old[5]}')
            continue
        seen[key] = len(lines)
        lines.append('\t'.join(parts))
with open(out, 'w', encoding='utf-8') as o:
    o.write(header)
    for l in lines:
        o.write(l + '\n')
print(len(lines), 'entries;', bad, 'bad')
