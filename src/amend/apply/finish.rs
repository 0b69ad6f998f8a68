//! The result of an application: articles numbered and placed, new headings in, 章 and 节
//! renumbered, cross-references following, the node tree rebuilt and the 题注 extended.

use super::work::{heading_blocks, label_parts};
use super::*;

impl Work {
    /// The result: articles numbered and placed, new headings in, divisions renumbered,
    /// cross-references following; the instructions' changed articles by their new
    /// numbers; clashes of numbers.
    #[allow(clippy::type_complexity)]
    pub(super) fn finish(
        mut self,
        base: &Statute,
        act: &ActInfo,
    ) -> (
        Statute,
        Vec<(usize, Vec<UnitNum>)>,
        Vec<(usize, Vec<UnitNum>)>,
        Vec<(usize, String)>,
    ) {
        let mut clashes = Vec::new();
        // 1. Take out the articles placed by their numbers.
        let mut placed: Vec<(usize, Slot)> = Vec::new();
        let mut blocks: Vec<Block> = Vec::new();
        let mut deleted: HashMap<usize, Vec<UnitNum>> = HashMap::new();
        // Where the articles merged into another stood, by the merging instruction.
        let mut merged_places: HashMap<usize, Vec<usize>> = HashMap::new();
        for b in std::mem::take(&mut self.blocks) {
            match b {
                Block::Slot(s) if s.deleted => {
                    if let Some(k) = s.merged_by {
                        merged_places.entry(k).or_default().push(blocks.len());
                    }
                    if let Some(o) = s.orig {
                        for &k in &s.by {
                            deleted.entry(k).or_default().push(UnitNum::Article {
                                main: o.main,
                                sub: o.sub,
                            });
                        }
                    }
                }
                Block::Slot(s) if s.positioned => placed.push((blocks.len(), s)),
                b => blocks.push(b),
            }
        }
        let reserved: BTreeSet<ArticleNo> = placed.iter().filter_map(|(_, s)| s.stated).collect();
        // 2. Number the others in order.
        let mut map = Renumbering::default();
        let mut counter = 0u32;
        let mut final_no: Vec<(usize, ArticleNo)> = Vec::new();
        for (i, b) in blocks.iter().enumerate() {
            let Block::Slot(s) = b else { continue };
            if s.other.is_some() {
                continue;
            }
            let no = match (s.stated, s.orig) {
                (Some(n), _) => n,
                (None, Some(o)) if !self.renumber => o,
                _ => {
                    counter += 1;
                    while reserved.contains(&ArticleNo {
                        main: counter,
                        sub: 0,
                    }) {
                        counter += 1;
                    }
                    ArticleNo {
                        main: counter,
                        sub: 0,
                    }
                }
            };
            if no.sub == 0 {
                counter = counter.max(no.main);
            }
            final_no.push((i, no));
        }
        // 3. Place the others by number: after the last article numbered below them, or
        //    under the heading they move to.
        placed.sort_by_key(|(_, s)| s.stated);
        // Each article's places to stay at if its number fits there: where it stood, and for
        // a merged article where the others merged into it stood.
        let mut anchors: Vec<Vec<usize>> = placed
            .iter()
            .map(|(a, s)| {
                let mut places = vec![*a];
                if s.keep_place
                    && let Some(more) = s.numbered_by.and_then(|k| merged_places.get(&k))
                {
                    places.extend(more);
                }
                places
            })
            .collect();
        for (j, (_, s)) in placed.into_iter().enumerate() {
            let Some(no) = s.stated else { continue };
            let prev = final_no
                .iter()
                .filter(|(_, n)| *n < no)
                .max_by_key(|(_, n)| *n)
                .map(|(i, _)| *i);
            let next = final_no
                .iter()
                .filter(|(_, n)| *n > no)
                .min_by_key(|(_, n)| *n)
                .map(|(i, _)| *i);
            let mut at = match (prev, next) {
                (Some(p), _) => p + 1,
                (None, Some(n)) => n,
                (None, None) => blocks.len(),
            };
            // Where it stood, if its number fits there: no higher number before, no lower
            // after.
            let fits = |anchor: usize| {
                final_no
                    .iter()
                    .all(|&(i, n)| if i < anchor { n < no } else { n > no })
            };
            if s.keep_place
                && let Some(&anchor) = anchors[j].iter().find(|&&a| fits(a))
            {
                at = anchor;
            }
            // An article placed under a heading (移至第二章, 在第二章中增加): after the last article
            // of that heading numbered below it, else at the heading's start (past the headings
            // nested at once under it).
            if let Some(h) = &s.heading
                && let [hb] = heading_blocks(&blocks, &label_parts(h))[..]
            {
                let rank = match &blocks[hb] {
                    Block::Heading { div, .. } => div.kind.rank(),
                    _ => u8::MAX,
                };
                let end = (hb + 1..blocks.len())
                    .find(|&j| matches!(&blocks[j], Block::Heading { div, .. } if div.kind.rank() <= rank))
                    .unwrap_or(blocks.len());
                let before = final_no
                    .iter()
                    .filter(|&&(i, n)| i > hb && i < end && n < no)
                    .map(|&(i, _)| i)
                    .max();
                at = match before {
                    Some(i) => i + 1,
                    None => {
                        let mut j = hb + 1;
                        while j < end && matches!(blocks[j], Block::Heading { .. }) {
                            j += 1;
                        }
                        j
                    }
                };
            }
            blocks.insert(at, Block::Slot(s));
            for e in final_no.iter_mut() {
                if e.0 >= at {
                    e.0 += 1;
                }
            }
            for a in anchors.iter_mut().skip(j + 1).flatten() {
                if *a >= at {
                    *a += 1;
                }
            }
            final_no.push((at, no));
        }
        final_no.sort_by_key(|(i, _)| *i);
        // Two articles with one number: the instruction that gave the number clashes.
        let mut seen: HashMap<ArticleNo, usize> = HashMap::new();
        for &(i, no) in &final_no {
            if let Some(prev) = seen.insert(no, i) {
                let by = |j: usize| match &blocks[j] {
                    Block::Slot(s) => s.numbered_by,
                    _ => None,
                };
                if let Some(k) = by(i).or_else(|| by(prev)) {
                    let why = if self.renumber {
                        format!("结果中有两个{no}")
                    } else {
                        format!("结果中有两个{no}（未作条文顺序调整）")
                    };
                    clashes.push((k, why));
                }
            }
        }
        // 4. New headings: each opens before the first article it holds (包括第X条至第Y条). When
        //    another heading of its rank or above stands between that article and the one
        //    numbered below it (an article it holds stayed under the heading it stood under),
        //    the articles it holds follow it right after that one, in number order.
        for &(i, no) in &final_no {
            if let Block::Slot(s) = &mut blocks[i] {
                s.assigned = Some(no);
            }
        }
        for (label, title, first, last, k) in std::mem::take(&mut self.new_headings) {
            let (kind, num) = division_kind(&label);
            let number = |b: &Block| match b {
                Block::Slot(s) => s.assigned,
                _ => None,
            };
            let members: Vec<usize> = (0..blocks.len())
                .filter(|&j| number(&blocks[j]).is_some_and(|n| first <= n && n <= last))
                .collect();
            let Some(&start) = members.first() else {
                clashes.push((k, format!("没有{first}，无法增加{label}")));
                continue;
            };
            let before = (0..blocks.len())
                .filter(|&j| number(&blocks[j]).is_some_and(|n| n < first))
                .max_by_key(|&j| number(&blocks[j]));
            let heading = Block::Heading {
                div: Division {
                    kind,
                    num,
                    label,
                    title,
                    children: Vec::new(),
                    loc: Loc(0),
                },
                deleted: false,
            };
            let crossed = before.is_some_and(|p| {
                p < start
                    && blocks[p + 1..start].iter().any(|b| {
                        matches!(b, Block::Heading { div, deleted: false } if div.kind.rank() <= kind.rank())
                    })
            });
            match before {
                Some(p) if crossed => {
                    let mut moved: Vec<Block> = Vec::with_capacity(members.len());
                    for &j in members.iter().rev() {
                        moved.push(blocks.remove(j));
                    }
                    moved.sort_by_key(|b| number(b));
                    let at = p + 1;
                    blocks.insert(at, heading);
                    for (n, b) in moved.into_iter().enumerate() {
                        blocks.insert(at + 1 + n, b);
                    }
                }
                _ => {
                    // Before the headings of lower rank that open at the same article.
                    let mut at = start;
                    while at > 0 {
                        match &blocks[at - 1] {
                            Block::Heading { div, .. } if div.kind.rank() > kind.rank() => at -= 1,
                            _ => break,
                        }
                    }
                    blocks.insert(at, heading);
                }
            }
        }
        let final_no: Vec<(usize, ArticleNo)> = blocks
            .iter()
            .enumerate()
            .filter_map(|(i, b)| match b {
                Block::Slot(s) => s.assigned.map(|n| (i, n)),
                _ => None,
            })
            .collect();
        // 5. Cross-references: every surviving article of the amended version to its number.
        for &(i, no) in &final_no {
            if let Block::Slot(s) = &blocks[i]
                && let Some(o) = s.orig
                && o != no
            {
                map.insert(
                    UnitNum::Article {
                        main: o.main,
                        sub: o.sub,
                    },
                    UnitNum::Article {
                        main: no.main,
                        sub: no.sub,
                    },
                );
            }
        }
        if self.renumber {
            renumber_headings(&mut blocks);
        }
        let numbers: HashMap<usize, ArticleNo> = final_no.iter().copied().collect();
        let mut touched: HashMap<usize, Vec<UnitNum>> = HashMap::new();
        let mut index_map: HashMap<usize, usize> = HashMap::new();
        let mut out_nodes: Vec<Block> = Vec::with_capacity(blocks.len());
        let mut unit = 0usize;
        for (i, b) in blocks.into_iter().enumerate() {
            match b {
                Block::Slot(mut s) => {
                    let num = match (s.other, numbers.get(&i)) {
                        (Some(n), _) => n,
                        (None, Some(no)) => UnitNum::Article {
                            main: no.main,
                            sub: no.sub,
                        },
                        (None, None) => continue,
                    };
                    if !map.is_empty() {
                        for l in s.lines.iter_mut() {
                            if !l.given {
                                l.text = follow_references(&l.text, &map, &l.inserted);
                            }
                        }
                    }
                    // A unit keeps its label as written unless its number changed; a point or
                    // a paragraph unit (no 条) keeps it always.
                    let same = match s.orig {
                        Some(o) => {
                            UnitNum::Article {
                                main: o.main,
                                sub: o.sub,
                            } == num
                        }
                        None => s.other.is_some() && s.orig_index.is_some(),
                    };
                    if !same || (s.label.is_empty() && matches!(num, UnitNum::Article { .. })) {
                        s.label = num.label();
                    }
                    for &k in &s.by {
                        touched.entry(k).or_default().push(num);
                    }
                    if let Some(o) = s.orig_index {
                        index_map.insert(o, unit);
                    }
                    unit += 1;
                    out_nodes.push(Block::Slot(Slot {
                        other: Some(num),
                        ..s
                    }));
                }
                Block::Heading { deleted: true, .. } => {}
                b => out_nodes.push(b),
            }
        }
        let nodes = rebuild(out_nodes);
        let mut statute = base.clone();
        statute.meta.title = self.title.clone();
        statute.body.nodes = nodes;
        remove_annexes(&mut statute, &self.deleted_annexes);
        // Editorial notes follow the units they trail.
        let main_units = crate::model::count_units(&base.body.nodes);
        let new_units = unit;
        for n in statute.body.notes.iter_mut() {
            if let Some(a) = n.after {
                n.after = if n.annex.is_some() || a >= main_units {
                    (a + new_units).checked_sub(main_units)
                } else {
                    // The unit it trailed, else the nearest one before it that is still there.
                    (0..=a).rev().find_map(|j| index_map.get(&j).copied())
                };
            }
        }
        amend_meta(&mut statute, act, self.effective);
        let sorted = |m: HashMap<usize, Vec<UnitNum>>| {
            let mut v: Vec<(usize, Vec<UnitNum>)> = m.into_iter().collect();
            v.sort_by_key(|(k, _)| *k);
            for (_, x) in v.iter_mut() {
                x.sort();
                x.dedup();
            }
            v
        };
        (statute, sorted(touched), sorted(deleted), clashes)
    }
}

/// Removes the annexes `gone` (indices into the body's annexes) and the notes that stood in
/// them; the notes of later annexes follow their annex and units.
fn remove_annexes(s: &mut Statute, gone: &BTreeSet<usize>) {
    if gone.is_empty() {
        return;
    }
    let main = crate::model::count_units(&s.body.nodes);
    // Units before each annex, old and new.
    let sizes: Vec<usize> = s
        .body
        .annexes
        .iter()
        .map(|a| crate::model::count_units(&a.children))
        .collect();
    let start = |i: usize| main + sizes[..i].iter().sum::<usize>();
    let new_start = |i: usize| {
        main + sizes[..i]
            .iter()
            .enumerate()
            .filter(|(j, _)| !gone.contains(j))
            .map(|(_, n)| n)
            .sum::<usize>()
    };
    let new_index = |i: usize| i - (0..i).filter(|j| gone.contains(j)).count();
    s.body
        .notes
        .retain(|n| n.annex.is_none_or(|a| !gone.contains(&a)));
    for n in s.body.notes.iter_mut() {
        if let Some(a) = n.annex {
            if let Some(u) = n.after {
                n.after = u.checked_sub(start(a)).map(|r| r + new_start(a));
            }
            n.annex = Some(new_index(a));
        }
    }
    let mut k = 0;
    s.body.annexes.retain(|_| {
        k += 1;
        !gone.contains(&(k - 1))
    });
}

/// The 题注 gains the act; the version's date is the act's, its effective date the act's.
fn amend_meta(s: &mut Statute, act: &ActInfo, effective: Option<Date>) {
    let m = &mut s.meta;
    if act.title.is_some() || act.date.is_some() {
        // As official 题注 write it: 根据2024年6月28日第十四届…第十次会议《关于修改〈…〉的
        // 决定》修正 (a title inside the act's title takes 〈〉).
        let name = act
            .title
            .as_ref()
            .map(|t| t.replace('《', "〈").replace('》', "〉"));
        let mut text = String::from("根据");
        if let Some(d) = act.date {
            text.push_str(&format!("{}年{}月{}日", d.year, d.month, d.day));
        }
        if let Some(b) = &act.body {
            text.push_str(b);
        }
        if let Some(t) = &name {
            // A 修正案 is cited as adopted: …会议通过的《中华人民共和国刑法修正案（十一）》.
            if t.contains("修正案") && act.body.is_some() {
                text.push_str("通过的");
            }
            text.push_str(&format!("《{t}》"));
        }
        // The amendments are counted once there are several: 第二次修正, and the one before,
        // written 修正 alone, becomes 第一次修正.
        let earlier: Vec<usize> = (0..m.history.len())
            .filter(|&i| m.history[i].kind == EventKind::Amended)
            .collect();
        if let [only] = earlier[..]
            && let Some(stem) = m.history[only].text.strip_suffix("修正")
            && !stem.ends_with("次")
        {
            m.history[only].text = format!("{stem}第一次修正");
        }
        if !earlier.is_empty() {
            text.push_str(&format!(
                "第{}次",
                crate::numerals::to_chinese(earlier.len() as u32 + 1)
            ));
        }
        text.push_str("修正");
        m.history.push(HistoryEvent {
            text,
            date: act.date,
            body: act.body.clone(),
            act: name,
            kind: EventKind::Amended,
        });
    }
    if act.date.is_some() {
        m.version_date = act.date;
        m.promulgated = act.date;
    }
    m.effective = effective.or(act.date);
    m.status = None;
    m.source_urls.clear();
    m.doc_id = None;
    // The document number is the base version's publication's, not the consolidated text's.
    s.body.doc_number = None;
}

/// The kind and number of a new heading's label (第三章 → Chapter, 3).
fn division_kind(label: &str) -> (DivisionKind, Option<u32>) {
    for (suffix, kind) in [
        ("分编", DivisionKind::Subpart),
        ("编", DivisionKind::Part),
        ("章", DivisionKind::Chapter),
        ("节", DivisionKind::Section),
    ] {
        if let Some(inner) = label
            .strip_prefix('第')
            .and_then(|r| r.strip_suffix(suffix))
            && let Some(n) = numerals::parse_numeral(inner)
        {
            return (kind, Some(n));
        }
    }
    (DivisionKind::Heading { rank: 0 }, None)
}

/// Numbers 编, 分编, 章 and 节 in order again: 章 within their 编 (a code restarts them), 节
/// within their 章.
fn renumber_headings(blocks: &mut [Block]) {
    let mut counters: HashMap<u8, u32> = HashMap::new();
    for b in blocks.iter_mut() {
        let Block::Heading { div, deleted } = b else {
            continue;
        };
        if *deleted {
            continue;
        }
        let Some(suffix) = div.kind.suffix() else {
            continue;
        };
        if div.num.is_none() {
            continue;
        }
        let rank = div.kind.rank();
        let n = counters.entry(rank).or_insert(0);
        *n += 1;
        let n = *n;
        counters.retain(|r, _| *r <= rank);
        if div.num != Some(n) {
            div.num = Some(n);
            div.label = format!("第{}{}", numerals::to_chinese(n), suffix);
        }
    }
}

/// Rebuilds the node tree: a heading holds what follows it up to the next heading of the
/// same or a lower rank.
fn rebuild(blocks: Vec<Block>) -> Vec<Node> {
    let mut root: Vec<Node> = Vec::new();
    let mut stack: Vec<Division> = Vec::new();
    fn close(stack: &mut Vec<Division>, root: &mut Vec<Node>) {
        if let Some(d) = stack.pop() {
            match stack.last_mut() {
                Some(parent) => parent.children.push(Node::Division(d)),
                None => root.push(Node::Division(d)),
            }
        }
    }
    for b in blocks {
        let node = match b {
            Block::Heading { div, .. } => {
                while stack
                    .last()
                    .is_some_and(|top| top.kind.rank() >= div.kind.rank())
                {
                    close(&mut stack, &mut root);
                }
                stack.push(div);
                continue;
            }
            Block::Para { para, .. } => Node::Para(para),
            Block::Slot(s) => Node::Article(article_of(s)),
        };
        match stack.last_mut() {
            Some(d) => d.children.push(node),
            None => root.push(node),
        }
    }
    while !stack.is_empty() {
        close(&mut stack, &mut root);
    }
    root
}

/// The article of a slot: its live lines read back into 款, 项 and 目.
fn article_of(s: Slot) -> Article {
    let mut paras: Vec<Para> = Vec::new();
    for l in s.lines.into_iter().filter(|l| !l.deleted) {
        let marker = item_start(&l.text);
        match (l.depth, marker) {
            (1 | 2, Some((_, len, num))) if !paras.is_empty() => {
                let item = Item {
                    marker: l.text[..len].to_string(),
                    num,
                    text: l.text[len..].to_string(),
                    subitems: Vec::new(),
                    loc: Loc(0),
                };
                let Some(p) = paras.last_mut() else { continue };
                match (l.depth, p.items.last_mut()) {
                    (2, Some(parent)) => parent.subitems.push(item),
                    _ => p.items.push(item),
                }
            }
            _ => paras.push(Para::plain(l.text, Loc(0))),
        }
    }
    if paras.is_empty() {
        paras.push(Para::plain("", Loc(0)));
    }
    Article {
        num: s.other.unwrap_or(UnitNum::Position(0)),
        label: s.label,
        paras,
        loc: s.loc,
    }
}

/// `text` with the statute's own cross-references renumbered through `map`, but for those
/// inside words an instruction wrote (`inserted`), which cite the result's numbers already.
fn follow_references(text: &str, map: &Renumbering, inserted: &[String]) -> String {
    let written: Vec<(usize, usize)> = inserted
        .iter()
        .filter(|w| !w.is_empty())
        .flat_map(|w| {
            text.match_indices(w.as_str())
                .map(|(at, m)| (at, at + m.len()))
        })
        .collect();
    // A reference the words wrote, or one whose number they changed, stays as written.
    normalize::rewrite_references_but(text, map, |r| {
        written.iter().any(|&(a, b)| a < r.end && r.start < b)
    })
    .into_owned()
}
