#!/usr/bin/env python3
"""Measures how many quoted phrases of `statute diff --format decision` start and end on word
boundaries, as an independent segmenter (Python jieba, default dictionary) cuts the text they
are quoted from, and how many split a citation (第七十二条第二款) or a 《title》.

Usage: scripts/phrase-boundaries.py STATUTE_BINARY [CORPUS_DIR]   (needs `pip install jieba`)
Every consecutive pair of CORPUS_DIR/multi (default ../shared/corpus) is drafted; for each
phrase instruction (将…中的“A”修改为“B”, 在“A”后/前增加“B”, 删去…“A”) the old phrase A is looked
up in the old article it names and the new phrase B in the new version's text.
"""
import json, os, re, subprocess, sys
import jieba
jieba.setLogLevel(60)

BIN = sys.argv[1]
CORPUS = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'corpus')
NUM = '零〇一二三四五六七八九十百千两0-9'
CITATION = re.compile(rf'第[{NUM}]+[条款项目编章节](之[{NUM}]+)?')

def articles(path):
    d = json.loads(subprocess.run([BIN, 'parse', '--format', 'json', path], capture_output=True).stdout)
    out = {}
    def walk(nodes):
        for n in nodes:
            if n.get('type') == 'article':
                text = '\n'.join([p['text'] + ''.join('\n' + (i.get('marker','') + i['text']) for i in p.get('items', [])) for p in n['paragraphs']])
                out[n['citation']] = text
            for k in ('children',):
                if k in n: walk(n[k])
    walk(d['body'])
    for a in d['annexes']:
        walk(a['children'])
    return out

def bounds(text):
    starts, ends = set(), set()
    for line in text.split('\n'):
        pass
    pos = 0
    for tok in jieba.lcut(text, HMM=True):
        starts.add(pos); pos += len(tok); ends.add(pos)
    return starts, ends

def splits_citation(text, a, b):
    for m in CITATION.finditer(text):
        s, e = m.span()
        # a phrase boundary strictly inside a citation (extended through 第..款第..项 runs)
        if s < a < e or s < b < e:
            return True
    for m in re.finditer(r'《[^》]*》', text):
        s, e = m.span()
        if s < a < e or s < b < e:
            return True
    return False

def check(phrase, text):
    """(on boundaries, splits a citation) for the first occurrence of phrase in text."""
    k = text.find(phrase)
    if k < 0:
        return None
    starts, ends = bounds(text)
    return (k in starts and (k + len(phrase)) in ends, splits_citation(text, k, k + len(phrase)))

PHRASE = re.compile(r'(?:中的|，|^|将|删去|在)“([^”]*)”(修改为“([^”]*)”|后增加“([^”]*)”|前增加“([^”]*)”)?')

def main():
    pairs = []
    multi = os.path.join(CORPUS, 'multi')
    for cat in sorted(os.listdir(multi)):
        for st in sorted(os.listdir(os.path.join(multi, cat))):
            d = os.path.join(multi, cat, st)
            vs = sorted(f for f in os.listdir(d) if f.endswith('.md'))
            pairs += [(os.path.join(d, a), os.path.join(d, b)) for a, b in zip(vs, vs[1:])]
    total = ok = cites = missing = 0
    bad = []
    for old, new in pairs:
        draft = subprocess.run([BIN, 'diff', '--format', 'decision', old, new], capture_output=True, text=True).stdout
        oa, na = articles(old), articles(new)
        new_all = '\n'.join(na.values())
        for line in draft.split('\n'):
            if line.endswith('：') or '“' not in line:
                continue
            m = re.search(rf'第[{NUM}]+条(之[{NUM}]+)?', line)
            if not m or m.group(0) not in oa:
                continue
            old_text = oa[m.group(0)]
            for pm in re.finditer(r'“([^”]*)”', line):
                q = pm.group(1)
                after = line[pm.end():]
                before = line[:pm.start()]
                # old phrases: quoted after 中的 / 删去 / 在 / a clause start, not the new side
                is_new = before.endswith('修改为') or before.endswith('增加')
                text = new_all if is_new else old_text
                r = check(q, text)
                if r is None:
                    missing += 1
                    continue
                total += 1
                ok += r[0]
                cites += r[1]
                if not r[0] and len(bad) < 40:
                    bad.append(f'{os.path.basename(os.path.dirname(old))}: {line[:90]} [{q}]')
    print(f'pairs {len(pairs)}; quoted phrases {total}; on word boundaries {ok} ({ok / max(total, 1):.1%}); splitting a citation or title {cites}; not found {missing}')
    for b in bad[:int(os.environ.get('SHOW', '15'))]:
        print('  ', b)

main()
