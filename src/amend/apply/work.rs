//! Carrying out each instruction on the work model: finding its places by the amended
//! version's numbers, applying it whole or failing with the reason.

use super::*;

fn lines_of(a: &Article) -> Vec<Line> {
    let mut out = Vec::new();
    for (p, para) in a.paras.iter().enumerate() {
        let p = p as u32 + 1;
        out.push(Line::base(para.text.clone(), 0, (p, 0, 0)));
        for (i, item) in para.items.iter().enumerate() {
            let i = i as u32 + 1;
            out.push(Line::base(
                format!("{}{}", item.marker, item.text),
                1,
                (p, i, 0),
            ));
            for (m, sub) in item.subitems.iter().enumerate() {
                let m = m as u32 + 1;
                out.push(Line::base(
                    format!("{}{}", sub.marker, sub.text),
                    2,
                    (p, i, m),
                ));
            }
        }
    }
    out
}

impl Line {
    fn base(text: String, depth: u8, orig: (u32, u32, u32)) -> Line {
        Line {
            text,
            depth,
            orig: Some(orig),
            deleted: false,
            given: false,
            by: None,
            inserted: Vec::new(),
        }
    }

    fn given(text: &str, by: usize) -> Line {
        Line {
            depth: match item_start(text) {
                Some((level, _, _)) => level,
                None => 0,
            },
            text: text.to_string(),
            orig: None,
            deleted: false,
            given: true,
            by: Some(by),
            inserted: Vec::new(),
        }
    }
}

/// The lines of a text an instruction gives (paragraphs joined by `\n`), less a leading
/// label that repeats the article's (第十条　…).
fn given_lines(text: &str, label: Option<ArticleNo>, by: usize) -> Vec<Line> {
    let mut text = text.trim();
    if let Some((len, Some((main, sub)))) = numerals::article_label(text)
        && label.is_none_or(|l| l == ArticleNo { main, sub })
    {
        let rest = &text[len..];
        if rest.starts_with(|c: char| c.is_whitespace()) {
            text = rest.trim_start();
        }
    }
    text.split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| Line::given(l, by))
        .collect()
}

fn flatten(nodes: &[Node], preamble: bool, unit: &mut usize, out: &mut Vec<Block>) {
    for n in nodes {
        match n {
            Node::Division(d) => {
                let mut div = d.clone();
                div.children = Vec::new();
                out.push(Block::Heading {
                    div,
                    deleted: false,
                });
                let pre = preamble || d.kind == DivisionKind::Preamble;
                flatten(&d.children, pre, unit, out);
            }
            Node::Article(a) => {
                let (orig, other) = match a.num {
                    UnitNum::Article { main, sub } => (Some(ArticleNo { main, sub }), None),
                    n => (None, Some(n)),
                };
                out.push(Block::Slot(Slot {
                    orig,
                    orig_index: Some(*unit),
                    label: a.label.clone(),
                    lines: lines_of(a),
                    stated: None,
                    positioned: false,
                    heading: None,
                    keep_place: false,
                    merged_by: None,
                    assigned: None,
                    deleted: false,
                    by: BTreeSet::new(),
                    rewritten_by: None,
                    numbered_by: None,
                    loc: a.loc,
                    other,
                }));
                *unit += 1;
            }
            Node::Para(p) => out.push(Block::Para {
                para: p.clone(),
                preamble,
            }),
        }
    }
}

impl Work {
    pub(super) fn new(base: &Statute) -> Work {
        let mut blocks = Vec::new();
        let mut unit = 0;
        flatten(&base.body.nodes, false, &mut unit, &mut blocks);
        Work {
            blocks,
            title: base.meta.title.clone(),
            renumber: false,
            effective: None,
            new_headings: Vec::new(),
            numbers: std::rc::Rc::from(Vec::new()),
            annexes: base.body.annexes.iter().map(|a| a.title.clone()).collect(),
            deleted_annexes: BTreeSet::new(),
        }
    }

    /// The block index of the article numbered `no` in the amended version.
    fn find(&self, no: ArticleNo) -> Result<usize, Failure> {
        let mut found = None;
        for (k, b) in self.blocks.iter().enumerate() {
            if let Block::Slot(s) = b
                && s.orig == Some(no)
            {
                if s.deleted {
                    return Err((
                        Status::Conflict,
                        format!("{no}已由本决定{}删去", by_words(&self.numbers, &s.by)),
                    ));
                }
                if found.is_some() {
                    return Err((Status::Ambiguous, format!("本文有两个{no}")));
                }
                found = Some(k);
            }
        }
        found.ok_or_else(|| not_found(format!("没有{no}")))
    }

    fn slot(&mut self, k: usize) -> &mut Slot {
        match &mut self.blocks[k] {
            Block::Slot(s) => s,
            // `find` returns only slot indices.
            _ => unreachable!("a slot index"),
        }
    }

    pub(super) fn instruction(&mut self, k: usize, ins: &Instruction) -> Result<(), Failure> {
        match &ins.op {
            Op::Unrecognised { reason } => Err((Status::Unrecognised, reason.clone())),
            Op::Renumber => {
                self.renumber = true;
                Ok(())
            }
            // The provisions stop applying; their text stays (the report says the instruction
            // was applied, the result shows no change for it).
            Op::Republish | Op::Disapply { .. } | Op::Rule { .. } => Ok(()),
            Op::Effective { date } => {
                self.effective = *date;
                Ok(())
            }
            Op::ReplaceArticle { target, new_text } => self.replace(k, target, new_text),
            Op::Phrase {
                targets,
                edits,
                restated,
            } => self.phrase(k, targets, edits, restated.as_deref()),
            Op::DeleteArticles { ranges } => self.delete_articles(k, ranges),
            Op::DeletePart { targets } => self.delete_parts(k, targets),
            Op::InsertArticle {
                after,
                heading,
                articles,
            } => self.insert_articles(k, *after, heading.as_deref(), articles),
            Op::InsertParagraph {
                article,
                as_paragraphs,
                text,
                rewrite,
            } => self.insert_paragraph(k, *article, as_paragraphs, text.as_deref(), rewrite),
            Op::InsertItem {
                target,
                as_item,
                text,
            } => self.insert_item(k, target, *as_item, text),
            Op::SplitArticle {
                article,
                into,
                texts,
            } => self.split(k, *article, into, texts),
            Op::MergeArticles {
                articles,
                into,
                text,
            } => self.merge(k, articles, *into, text),
            Op::MoveArticle { from, to, heading } => {
                self.renumber_article(k, *from, *to, None, Some(heading))
            }
            Op::RenumberArticle { from, to, new_text } => {
                self.renumber_article(k, *from, *to, new_text.as_deref(), None)
            }
            Op::RenameHeading { heading, title } => self.rename_heading(heading, title),
            Op::InsertHeading {
                label,
                title,
                first,
                last,
            } => {
                self.new_headings
                    .push((label.clone(), title.clone(), *first, *last, k));
                Ok(())
            }
            Op::DeleteAnnex { annex } => self.delete_annex(annex),
            Op::DeleteHeading { heading } => {
                let h = self.heading(heading)?;
                if let Block::Heading { deleted, .. } = &mut self.blocks[h] {
                    *deleted = true;
                }
                Ok(())
            }
        }
    }

    /// Marks the annex the act names (its title, or the start of it; the only one when
    /// empty) to go.
    fn delete_annex(&mut self, annex: &str) -> Result<(), Failure> {
        let want = normalize::normalize(annex);
        let live: Vec<usize> = (0..self.annexes.len())
            .filter(|&i| !self.deleted_annexes.contains(&i))
            .collect();
        let hits: Vec<usize> = live
            .iter()
            .copied()
            .filter(|&i| {
                want.is_empty() || normalize::normalize(&self.annexes[i]).starts_with(&want)
            })
            .collect();
        match hits.as_slice() {
            [] => Err(not_found(if annex.is_empty() {
                "没有附件".to_string()
            } else {
                format!("没有附件“{annex}”")
            })),
            [i] => {
                self.deleted_annexes.insert(*i);
                Ok(())
            }
            _ => Err((
                Status::Ambiguous,
                format!("有{}个附件，没有说明删去哪一个", hits.len()),
            )),
        }
    }

    /// The heading labelled `label` (第二章; 第二章第三节 for the 节 under 第二章) or,
    /// unnumbered, reading `label` whole.
    fn heading(&self, label: &str) -> Result<usize, Failure> {
        let parts = label_parts(label);
        if parts.len() > 1 {
            return self.qualified_heading(label, &parts);
        }
        let want = normalize::normalize(label);
        let hits: Vec<usize> = self
            .blocks
            .iter()
            .enumerate()
            .filter_map(|(k, b)| match b {
                Block::Heading { div, deleted } if !deleted => {
                    let l = normalize::normalize(&div.label);
                    let whole = normalize::normalize(&div.heading());
                    (l == want || whole == want || (div.label.is_empty() && div.title == label))
                        .then_some(k)
                }
                _ => None,
            })
            .collect();
        match hits.as_slice() {
            [] => Err(not_found(format!("没有{label}"))),
            [k] => Ok(*k),
            _ => Err((Status::Ambiguous, format!("本文有{}个{label}", hits.len()))),
        }
    }

    /// The heading `parts` name, each under the one before (第二章, 第三节).
    fn qualified_heading(&self, label: &str, parts: &[&str]) -> Result<usize, Failure> {
        let hits = heading_blocks(&self.blocks, parts);
        match hits.as_slice() {
            [] => Err(not_found(format!("没有{label}"))),
            [k] => Ok(*k),
            _ => Err((Status::Ambiguous, format!("本文有{}个{label}", hits.len()))),
        }
    }

    fn rename_heading(&mut self, heading: &str, title: &str) -> Result<(), Failure> {
        let h = self.heading(heading)?;
        if let Block::Heading { div, .. } = &mut self.blocks[h] {
            // A numbered heading keeps its label (第二章) and takes the new name; a heading named
            // by its whole words (将“一、买卖合同”修改为“一、…”) is given whole words back, whose
            // label is the heading's own.
            let title = title.trim();
            div.title = match title.strip_prefix(div.label.as_str()) {
                Some(rest) if !div.label.is_empty() => rest.trim_start().to_string(),
                _ => title.to_string(),
            };
        }
        Ok(())
    }

    /// The lines of slot `s` a target inside an article names (a 款 with its 项, a 项 with
    /// its 目), by the amended version's numbering.
    fn lines_at(numbers: &[Option<u32>], s: &Slot, t: &Target) -> Result<Vec<usize>, Failure> {
        let live = |i: &usize| !s.lines[*i].deleted;
        if t.paragraph.is_none() && t.item.is_none() {
            return Ok((0..s.lines.len()).filter(live).collect());
        }
        let no = s.orig.map(|n| n.to_string()).unwrap_or_default();
        let place = place_words(t);
        // The head line of the place: the 款, 项 or 目 itself.
        let depth = if t.subitem.is_some() {
            2
        } else if t.item.is_some() {
            1
        } else {
            0
        };
        let heads: Vec<usize> = (0..s.lines.len())
            .filter(live)
            .filter(|&i| {
                let l = &s.lines[i];
                l.depth == depth
                    && l.orig.is_some_and(|(p, it, m)| {
                        t.paragraph.is_none_or(|want| p == want)
                            && t.item.is_none_or(|want| it == want)
                            && t.subitem.is_none_or(|want| m == want)
                    })
            })
            .collect();
        let h = match heads.as_slice() {
            [] => {
                return Err(match s.rewritten_by {
                    // The article's text is an earlier instruction's.
                    Some(j) if s.lines.iter().all(|l| l.orig.is_none()) => (
                        Status::Conflict,
                        format!(
                            "{no}已由本决定{}整条修改，原来的{place}不在了",
                            by_words(numbers, &BTreeSet::from([j]))
                        ),
                    ),
                    _ => not_found(format!("{no}没有{place}")),
                });
            }
            [h] => *h,
            // 第三项 of an article whose 款 each have a third 项.
            _ => return Err((Status::Ambiguous, format!("{no}有{}个{place}", heads.len()))),
        };
        // The head and what belongs to it (a 款's 项 and 目, a 项's 目).
        let mut out = vec![h];
        for i in h + 1..s.lines.len() {
            let l = &s.lines[i];
            if l.deleted {
                continue;
            }
            if l.depth <= depth {
                break;
            }
            out.push(i);
        }
        Ok(out)
    }

    fn replace(&mut self, k: usize, target: &Target, new_text: &str) -> Result<(), Failure> {
        let numbers = self.numbers.clone();
        match &target.scope {
            Scope::Article(no) => {
                let b = self.find(*no)?;
                let s = self.slot(b);
                let lines = Work::lines_at(&numbers, s, target)?;
                check_conflict(&numbers, s, &lines, k)?;
                let new = given_lines(new_text, s.orig, k);
                if new.is_empty() {
                    return Err(not_found("修改后的条文为空"));
                }
                let whole = target.paragraph.is_none() && target.item.is_none();
                let mut new = new;
                if whole {
                    s.rewritten_by = Some(k);
                } else if let Some(first) = new.first_mut() {
                    // The new 款 or 项 stands where the old one stood, under its number.
                    first.orig = s.lines[lines[0]].orig;
                }
                // A 款 restated in one line keeps its 项 (they are lines of their own).
                let replaced: Vec<usize> = if !whole && new.len() == 1 {
                    vec![lines[0]]
                } else {
                    lines
                };
                splice(&mut s.lines, &replaced, new);
                s.by.insert(k);
                Ok(())
            }
            Scope::Preamble { paragraph } => {
                let ps = self.preamble_paras();
                let at = match paragraph {
                    Some(n) => *ps
                        .get(*n as usize - 1)
                        .ok_or_else(|| not_found(format!("序言没有第{}自然段", n)))?,
                    None => {
                        // The whole preamble: its paragraphs become the new ones.
                        let paras: Vec<&str> = new_text
                            .split('\n')
                            .map(str::trim)
                            .filter(|p| !p.is_empty())
                            .collect();
                        // A text that had none gains it at the top of the body.
                        let first = ps.first().copied().unwrap_or(0);
                        for &p in ps.iter().rev() {
                            self.blocks.remove(p);
                        }
                        for (j, t) in paras.iter().enumerate() {
                            self.blocks.insert(
                                first + j,
                                Block::Para {
                                    para: Para::plain(t.trim(), Loc(0)),
                                    preamble: true,
                                },
                            );
                        }
                        return Ok(());
                    }
                };
                if let Block::Para { para, .. } = &mut self.blocks[at] {
                    para.text = new_text.to_string();
                }
                Ok(())
            }
            Scope::Title => {
                self.title = new_text.trim().to_string();
                Ok(())
            }
            Scope::Heading(label) => self.rename_heading(label, new_text),
            Scope::Whole(w) => Err(not_found(format!("{w}不是可以整体修改的位置"))),
            Scope::Passage { n, body } => {
                let b = self.passage(*n, *body, new_text)?;
                let s = self.slot(b);
                check_conflict(&numbers, s, &(0..s.lines.len()).collect::<Vec<_>>(), k)?;
                s.lines = given_lines(new_text, None, k);
                s.by.insert(k);
                Ok(())
            }
        }
    }

    /// The paragraph unit (a 批复's 第N段) an instruction means, found by its number and its
    /// new text: counted from the first paragraph, from the one after the addressee (a
    /// line ending in ：), or after the 收悉 sentence, the candidate whose text the new one
    /// resembles most (bigram Dice ≥ 0.5, and clearly ahead of another).
    fn passage(&self, n: u32, body: bool, new_text: &str) -> Result<usize, Failure> {
        let units: Vec<(usize, String)> = self
            .blocks
            .iter()
            .enumerate()
            .filter_map(|(b, block)| match block {
                Block::Slot(s) if !s.deleted && matches!(s.other, Some(UnitNum::Position(_))) => {
                    Some((b, s.lines.iter().map(|l| l.text.as_str()).collect()))
                }
                _ => None,
            })
            .collect();
        let place = format!(
            "{}第{}段",
            if body { "正文" } else { "" },
            numerals::to_chinese(n)
        );
        if units.is_empty() {
            return Err(not_found(format!("没有{place}：本文不是分段的文本")));
        }
        let addressee = units
            .first()
            .is_some_and(|(_, t)| t.trim_end().ends_with(['：', ':']) && t.chars().count() <= 80);
        let received = |k: usize| {
            units
                .get(k)
                .is_some_and(|(_, t)| t.contains("收悉") || t.contains("答复如下"))
        };
        let mut skips = vec![0usize];
        if addressee {
            skips.push(1);
            if received(1) {
                skips.push(2);
            }
        } else if received(0) {
            skips.push(1);
        }
        let mut scored: Vec<(f64, usize)> = skips
            .into_iter()
            .filter_map(|skip| units.get(skip + n as usize - 1))
            .map(|(b, t)| {
                let prep = |s: &str| crate::align::prepared(normalize::normalize(s));
                (crate::align::similarity(&prep(t), &prep(new_text)).0, *b)
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored.dedup_by_key(|(_, b)| *b);
        match scored.as_slice() {
            [(best, b), rest @ ..]
                if *best >= 0.5 && rest.iter().all(|(s, _)| *s + 0.2 < *best) =>
            {
                Ok(*b)
            }
            [(best, _), (next, _), ..] if *best >= 0.5 && *next >= 0.5 => {
                Err((Status::Ambiguous, format!("{place}：有两段与新文字相近")))
            }
            _ => Err(not_found(format!("没有与新文字相近的{place}"))),
        }
    }

    /// Block indices of the preamble's paragraphs (序言, or the text before the first
    /// article).
    fn preamble_paras(&self) -> Vec<usize> {
        let marked: Vec<usize> = self
            .blocks
            .iter()
            .enumerate()
            .filter(|(_, b)| matches!(b, Block::Para { preamble: true, .. }))
            .map(|(k, _)| k)
            .collect();
        if !marked.is_empty() {
            return marked;
        }
        self.blocks
            .iter()
            .enumerate()
            .take_while(|(_, b)| !matches!(b, Block::Slot(_)))
            .filter(|(_, b)| matches!(b, Block::Para { .. }))
            .map(|(k, _)| k)
            .collect()
    }

    fn phrase(
        &mut self,
        k: usize,
        targets: &[Target],
        edits: &[PhraseEdit],
        restated: Option<&str>,
    ) -> Result<(), Failure> {
        let numbers = self.numbers.clone();
        // Every target is edited on a copy first: an instruction applies whole or not at all.
        let mut staged: Vec<(usize, Vec<(usize, String)>)> = Vec::new();
        let mut heading_edits: Vec<(usize, String)> = Vec::new();
        let mut title_edit = None;
        for t in targets {
            match &t.scope {
                Scope::Article(no) => {
                    let b = self.find(*no)?;
                    let s = self.slot(b);
                    let lines = Work::lines_at(&numbers, s, t)?;
                    let mut texts: Vec<(usize, String)> = lines
                        .iter()
                        .map(|&i| (i, s.lines[i].text.clone()))
                        .collect();
                    edit_all(
                        texts.iter_mut().map(|(_, text)| text).collect(),
                        edits,
                        &format!("{no}{}", place_words(t)),
                    )?;
                    let changed: Vec<usize> = texts
                        .iter()
                        .filter(|(i, t)| s.lines[*i].text != *t)
                        .map(|(i, _)| *i)
                        .collect();
                    check_conflict(&numbers, s, &changed, k)?;
                    if let Some(r) = restated {
                        let got: String = texts.iter().map(|(_, t)| t.as_str()).collect();
                        let want = given_lines(r, s.orig, k);
                        let want: String = want.iter().map(|l| l.text.as_str()).collect();
                        if !normalize::formally_equal(&got, &want) {
                            return Err((
                                Status::Conflict,
                                format!("修改后的{no}与本条重述的条文不一致"),
                            ));
                        }
                    }
                    staged.push((b, texts));
                }
                Scope::Whole(w) => {
                    let mut any = false;
                    for e in edits {
                        let mut hit = false;
                        for (b, block) in self.blocks.iter().enumerate() {
                            match block {
                                Block::Slot(s) if !s.deleted => {
                                    let mut texts: Vec<(usize, String)> = staged
                                        .iter()
                                        .find(|(x, _)| *x == b)
                                        .map(|(_, t)| t.clone())
                                        .unwrap_or_else(|| {
                                            s.lines
                                                .iter()
                                                .enumerate()
                                                .filter(|(_, l)| !l.deleted)
                                                .map(|(i, l)| (i, l.text.clone()))
                                                .collect()
                                        });
                                    let mut changed = false;
                                    for (_, text) in texts.iter_mut() {
                                        if let Some(new) = e.apply(text) {
                                            *text = new;
                                            changed = true;
                                        }
                                    }
                                    if changed {
                                        hit = true;
                                        staged.retain(|(x, _)| *x != b);
                                        staged.push((b, texts));
                                    }
                                }
                                // Headings, and the text outside articles (引言, 序言).
                                Block::Heading {
                                    div: Div { title: own, .. },
                                    deleted: false,
                                }
                                | Block::Para {
                                    para: Para { text: own, .. },
                                    ..
                                } => {
                                    let cur = heading_edits
                                        .iter()
                                        .find(|(x, _)| *x == b)
                                        .map(|(_, t)| t.clone())
                                        .unwrap_or_else(|| own.clone());
                                    if let Some(new) = e.apply(&cur) {
                                        hit = true;
                                        heading_edits.retain(|(x, _)| *x != b);
                                        heading_edits.push((b, new));
                                    }
                                }
                                _ => {}
                            }
                        }
                        if !hit {
                            return Err(not_found(format!("{w}中没有“{}”", e.find())));
                        }
                        any = true;
                    }
                    if !any {
                        return Err(not_found("没有可执行的修改"));
                    }
                }
                Scope::Preamble { paragraph } => {
                    let ps = self.preamble_paras();
                    let chosen: Vec<usize> = match paragraph {
                        Some(n) => {
                            vec![*ps.get((*n as usize).wrapping_sub(1)).ok_or_else(|| {
                                not_found(format!("序言没有第{}自然段", numerals::to_chinese(*n)))
                            })?]
                        }
                        None => ps,
                    };
                    if chosen.is_empty() {
                        return Err(not_found("没有序言"));
                    }
                    let mut texts: Vec<String> = chosen
                        .iter()
                        .map(|&p| match &self.blocks[p] {
                            Block::Para { para, .. } => para.text.clone(),
                            _ => String::new(),
                        })
                        .collect();
                    edit_all(texts.iter_mut().collect(), edits, "序言")?;
                    if let (Some(r), [_]) = (restated, chosen.as_slice())
                        && !normalize::formally_equal(&texts[0], r)
                    {
                        return Err((
                            Status::Conflict,
                            "修改后的自然段与重述的自然段不一致".to_string(),
                        ));
                    }
                    for (p, t) in chosen.into_iter().zip(texts) {
                        heading_edits.push((p, t));
                    }
                }
                Scope::Title => {
                    let mut t = self.title.clone();
                    edit_all(vec![&mut t], edits, "名称")?;
                    title_edit = Some(t);
                }
                Scope::Passage { .. } => {
                    return Err(not_found("分段文本中的词句修改尚不支持"));
                }
                Scope::Heading(label) => {
                    let h = self.heading(label)?;
                    let Block::Heading { div, .. } = &self.blocks[h] else {
                        continue;
                    };
                    let mut t = div.title.clone();
                    edit_all(vec![&mut t], edits, label)?;
                    heading_edits.push((h, t));
                }
            }
        }
        let whole = targets.iter().all(|t| matches!(t.scope, Scope::Whole(_)));
        for (b, texts) in staged {
            let s = self.slot(b);
            let mut touched = false;
            for (i, t) in texts {
                if s.lines[i].text != t {
                    s.lines[i].text = t;
                    s.lines[i].inserted.extend(
                        edits.iter().map(PhraseEdit::becomes).filter(|b| {
                            b.chars().any(|c| numerals::numeral_len(&c.to_string()) > 0)
                        }),
                    );
                    if !whole {
                        s.lines[i].by = Some(k);
                    }
                    touched = true;
                }
            }
            if touched {
                s.by.insert(k);
            }
        }
        for (b, t) in heading_edits {
            match &mut self.blocks[b] {
                Block::Heading { div, .. } => div.title = t,
                Block::Para { para, .. } => para.text = t,
                Block::Slot(_) => {}
            }
        }
        if let Some(t) = title_edit {
            self.title = t;
        }
        Ok(())
    }

    fn delete_articles(
        &mut self,
        k: usize,
        ranges: &[(ArticleNo, ArticleNo)],
    ) -> Result<(), Failure> {
        let mut chosen = Vec::new();
        for &(a, b) in ranges {
            let first = self.find(a)?;
            let last = if a == b { first } else { self.find(b)? };
            if last < first {
                return Err(not_found(format!("{a}在{b}之后")));
            }
            for i in first..=last {
                if let Block::Slot(s) = &self.blocks[i]
                    && s.orig.is_some()
                    && !s.deleted
                {
                    chosen.push(i);
                }
            }
        }
        for i in chosen {
            let s = self.slot(i);
            s.deleted = true;
            s.by.insert(k);
        }
        Ok(())
    }

    fn delete_parts(&mut self, k: usize, targets: &[Target]) -> Result<(), Failure> {
        let numbers = self.numbers.clone();
        let mut chosen = Vec::new();
        // 删去序言 / 删去序言第N自然段: the paragraphs before the first article.
        let mut preamble = Vec::new();
        for t in targets {
            if let Scope::Preamble { paragraph } = t.scope {
                let ps = self.preamble_paras();
                match paragraph {
                    Some(n) => {
                        preamble.push(*ps.get((n as usize).wrapping_sub(1)).ok_or_else(|| {
                            not_found(format!("序言没有第{}自然段", numerals::to_chinese(n)))
                        })?)
                    }
                    None if ps.is_empty() => return Err(not_found("没有序言")),
                    None => preamble.extend(ps),
                }
            }
        }
        for t in targets
            .iter()
            .filter(|t| !matches!(t.scope, Scope::Preamble { .. }))
        {
            let no = t
                .article_no()
                .ok_or_else(|| not_found("删去的位置不在条文中"))?;
            let b = self.find(no)?;
            let s = self.slot(b);
            let lines = Work::lines_at(&numbers, s, t)?;
            check_conflict(&numbers, s, &lines, k)?;
            chosen.push((b, lines));
        }
        for (b, lines) in chosen {
            let s = self.slot(b);
            for i in lines {
                s.lines[i].deleted = true;
            }
            s.by.insert(k);
            // The 项 before a deleted last 项 now ends the list: its ； becomes 。 (a
            // consequential change the act does not spell out).
            fix_list_ends(&mut s.lines);
            renumber_items(&mut s.lines);
        }
        preamble.sort_unstable();
        preamble.dedup();
        for p in preamble.into_iter().rev() {
            self.blocks.remove(p);
        }
        Ok(())
    }

    fn insert_articles(
        &mut self,
        k: usize,
        after: Option<ArticleNo>,
        heading: Option<&str>,
        articles: &[(ArticleNo, String)],
    ) -> Result<(), Failure> {
        // The heading it opens must be there (placed under it at the end).
        if let Some(h) = heading {
            self.heading(h)?;
        }
        // 增加一条，作为第十条之一 without 在…后: after 第十条.
        let anchor = after.or_else(|| {
            articles
                .first()
                .filter(|(n, _)| n.sub > 0)
                .map(|(n, _)| ArticleNo {
                    main: n.main,
                    sub: n.sub - 1,
                })
        });
        let mut at = match anchor {
            Some(a) => {
                // After an article this act deletes: where it stood.
                let b = match self.find(a) {
                    Err((Status::Conflict, _)) => self
                        .blocks
                        .iter()
                        .position(|b| matches!(b, Block::Slot(s) if s.orig == Some(a)))
                        .ok_or_else(|| not_found(format!("没有{a}")))?,
                    r => r?,
                };
                // After the article and what an earlier instruction inserted after it.
                let mut e = b + 1;
                while let Some(Block::Slot(s)) = self.blocks.get(e) {
                    if s.orig.is_some() {
                        break;
                    }
                    e += 1;
                }
                Some(e)
            }
            None => None,
        };
        for (no, text) in articles {
            let lines = given_lines(text, Some(*no), k);
            if lines.is_empty() {
                return Err(not_found(format!("增加的{no}没有条文")));
            }
            let slot = Slot {
                orig: None,
                orig_index: None,
                label: String::new(),
                lines,
                stated: Some(*no),
                positioned: at.is_none(),
                heading: heading.map(str::to_string),
                keep_place: false,
                merged_by: None,
                assigned: None,
                deleted: false,
                by: BTreeSet::from([k]),
                rewritten_by: Some(k),
                numbered_by: Some(k),
                loc: Loc(0),
                other: None,
            };
            match at.as_mut() {
                Some(e) => {
                    self.blocks.insert(*e, Block::Slot(slot));
                    *e += 1;
                }
                None => self.blocks.push(Block::Slot(slot)),
            }
        }
        Ok(())
    }

    fn insert_paragraph(
        &mut self,
        k: usize,
        article: ArticleNo,
        as_paragraphs: &[u32],
        text: Option<&str>,
        rewrite: &Option<(Target, String)>,
    ) -> Result<(), Failure> {
        let b = self.find(article)?;
        // The rewrite's place, by the amended version's numbering, before the insertion.
        let rewrite_lines = match rewrite {
            Some((t, _)) => {
                let numbers = self.numbers.clone();
                Some(Work::lines_at(&numbers, self.slot(b), t)?)
            }
            None => None,
        };
        let s = self.slot(b);
        let mut lines = s.lines.clone();
        if let Some(text) = text {
            let new = given_lines(text, None, k);
            if new.is_empty() {
                return Err(not_found("增加的款没有内容"));
            }
            let heads: Vec<usize> = (0..lines.len())
                .filter(|&i| !lines[i].deleted && lines[i].depth == 0)
                .collect();
            let at = match as_paragraphs.first() {
                Some(&n) if n as usize <= heads.len() => heads[n as usize - 1],
                Some(&n) if n as usize == heads.len() + 1 => lines.len(),
                Some(&n) => {
                    return Err(not_found(format!(
                        "{article}只有{}款，不能增加第{}款",
                        heads.len(),
                        numerals::to_chinese(n)
                    )));
                }
                None => lines.len(),
            };
            let count = new.len();
            lines.splice(at..at, new);
            // The rewrite's lines moved down by the insertion.
            if let (Some(rl), Some((t, r))) = (rewrite_lines, rewrite) {
                let rl: Vec<usize> = rl
                    .into_iter()
                    .map(|i| if i >= at { i + count } else { i })
                    .collect();
                let whole = t.paragraph.is_none() && t.item.is_none();
                let new = given_lines(r, Some(article), k);
                let replaced = if !whole && new.len() == 1 {
                    vec![rl[0]]
                } else {
                    rl
                };
                splice(&mut lines, &replaced, new);
            }
        } else {
            let Some((_, r)) = rewrite else {
                return Err(not_found("增加的款没有内容"));
            };
            // The restatement is the article's text: the 款 it adds are in it, and it may
            // regroup the others.
            lines = given_lines(r, Some(article), k);
            if lines.is_empty() {
                return Err(not_found("重述的条文为空"));
            }
            let s = self.slot(b);
            s.rewritten_by = Some(k);
        }
        let s = self.slot(b);
        s.lines = lines;
        s.by.insert(k);
        Ok(())
    }

    fn insert_item(
        &mut self,
        k: usize,
        target: &Target,
        as_item: Option<u32>,
        text: &str,
    ) -> Result<(), Failure> {
        let numbers = self.numbers.clone();
        let no = target
            .article_no()
            .ok_or_else(|| not_found("增加项的位置不在条文中"))?;
        let b = self.find(no)?;
        let s = self.slot(b);
        // The 款 the 项 goes in: the named one, else the one with 项 (or the only one).
        let para = match target.paragraph {
            Some(p) => p,
            None => {
                let with_items: BTreeSet<u32> = s
                    .lines
                    .iter()
                    .filter(|l| l.depth == 1)
                    .filter_map(|l| l.orig.map(|o| o.0))
                    .collect();
                let paras = s.lines.iter().filter(|l| l.depth == 0).count();
                match (with_items.len(), paras) {
                    (1, _) => with_items.into_iter().next().unwrap_or(1),
                    (0, 1) => 1,
                    _ => {
                        return Err((
                            Status::Ambiguous,
                            format!("{no}有几款，没有说明在哪一款中增加"),
                        ));
                    }
                }
            }
        };
        let head = Work::lines_at(
            &numbers,
            s,
            &Target {
                paragraph: Some(para),
                item: None,
                subitem: None,
                ..target.clone()
            },
        )?;
        let items: Vec<usize> = head
            .iter()
            .copied()
            .filter(|&i| s.lines[i].depth == 1)
            .collect();
        let end = head.last().map_or(0, |&i| i + 1);
        let at = match as_item {
            Some(n) if (n as usize) <= items.len() => items[n as usize - 1],
            Some(n) if n as usize == items.len() + 1 => end,
            Some(n) => {
                return Err(not_found(format!(
                    "{no}第{}款只有{}项，不能增加第{}项",
                    numerals::to_chinese(para),
                    items.len(),
                    numerals::to_chinese(n)
                )));
            }
            None => end,
        };
        let mut new = given_lines(text, None, k);
        for l in &mut new {
            if l.depth == 0 {
                l.depth = 1;
            }
        }
        // A new last 项 continues the list: the 项 that ended it with 。 now takes ；.
        if at == end
            && new.last().is_some_and(|l| l.text.ends_with('。'))
            && let Some(prev) = items.last().map(|&i| &mut s.lines[i])
            && prev.text.ends_with('。')
        {
            prev.text.pop();
            prev.text.push('；');
        }
        s.lines.splice(at..at, new);
        // The 项 after it move down a number: （二） becomes （三）.
        renumber_items(&mut s.lines);
        s.by.insert(k);
        Ok(())
    }

    fn split(
        &mut self,
        k: usize,
        article: ArticleNo,
        into: &[ArticleNo],
        texts: &[String],
    ) -> Result<(), Failure> {
        if into.len() != texts.len() || into.is_empty() {
            return Err((
                Status::Conflict,
                format!("改为{}条，却给出{}条的条文", into.len(), texts.len()),
            ));
        }
        let numbers = self.numbers.clone();
        let b = self.find(article)?;
        let s = self.slot(b);
        check_conflict(&numbers, s, &(0..s.lines.len()).collect::<Vec<_>>(), k)?;
        s.lines = given_lines(&texts[0], Some(into[0]), k);
        s.stated = Some(into[0]);
        // Placed by their numbers, where the article stood if they fit there.
        s.positioned = true;
        s.keep_place = true;
        s.numbered_by = Some(k);
        s.by.insert(k);
        for (j, (no, text)) in into.iter().zip(texts).enumerate().skip(1) {
            self.blocks.insert(
                b + j,
                Block::Slot(Slot {
                    orig: None,
                    orig_index: None,
                    label: String::new(),
                    lines: given_lines(text, Some(*no), k),
                    stated: Some(*no),
                    positioned: true,
                    heading: None,
                    keep_place: true,
                    merged_by: None,
                    assigned: None,
                    deleted: false,
                    by: BTreeSet::from([k]),
                    rewritten_by: Some(k),
                    numbered_by: Some(k),
                    loc: Loc(0),
                    other: None,
                }),
            );
        }
        Ok(())
    }

    fn merge(
        &mut self,
        k: usize,
        articles: &[ArticleNo],
        into: ArticleNo,
        text: &str,
    ) -> Result<(), Failure> {
        let found = articles
            .iter()
            .map(|&a| self.find(a))
            .collect::<Result<Vec<_>, _>>()?;
        let Some((&first, rest)) = found.split_first() else {
            return Err(not_found("没有合并的条"));
        };
        let s = self.slot(first);
        s.lines = given_lines(text, Some(into), k);
        s.stated = Some(into);
        s.positioned = true;
        s.keep_place = true;
        s.numbered_by = Some(k);
        s.by.insert(k);
        for &b in rest {
            let s = self.slot(b);
            s.deleted = true;
            s.merged_by = Some(k);
            s.by.insert(k);
        }
        Ok(())
    }

    fn renumber_article(
        &mut self,
        k: usize,
        from: ArticleNo,
        to: ArticleNo,
        new_text: Option<&str>,
        heading: Option<&String>,
    ) -> Result<(), Failure> {
        let b = self.find(from)?;
        let s = self.slot(b);
        if let Some(t) = new_text {
            s.lines = given_lines(t, Some(to), k);
        }
        s.stated = Some(to);
        s.numbered_by = Some(k);
        s.positioned = true;
        // An article moved under another heading is placed by its number there; one
        // renumbered stays where it stands if its number fits.
        s.keep_place = heading.is_none();
        s.heading = heading.cloned();
        s.by.insert(k);
        Ok(())
    }
}

/// The heading blocks whose labels, with those of the headings above them, end with `parts`
/// (第二章, 第三节 for the 节 under 第二章; one part for a heading named alone).
pub(super) fn heading_blocks(blocks: &[Block], parts: &[&str]) -> Vec<usize> {
    // The open headings: rank, label, whole words (a heading without a 第…章 label is named by
    // its words: 附则, 一、买卖合同的成立及效力).
    let mut open: Vec<(u8, String, String)> = Vec::new();
    let mut hits = Vec::new();
    let want: Vec<String> = parts.iter().map(|p| normalize::normalize(p)).collect();
    for (k, b) in blocks.iter().enumerate() {
        let Block::Heading { div, deleted } = b else {
            continue;
        };
        let rank = div.kind.rank();
        open.retain(|(r, _, _)| *r < rank);
        open.push((
            rank,
            normalize::normalize(&div.label),
            normalize::normalize(&div.heading()),
        ));
        if *deleted || want.len() > open.len() {
            continue;
        }
        let named = open[open.len() - want.len()..]
            .iter()
            .zip(&want)
            .all(|((_, label, whole), w)| (!label.is_empty() && label == w) || whole == w);
        if named {
            hits.push(k);
        }
    }
    hits
}

/// A qualified heading label in its parts: 第二章第三节 → [第二章, 第三节]; one part for
/// anything else.
pub(super) fn label_parts(label: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = label;
    while let Some(after) = rest.strip_prefix('第') {
        let n = numerals::numeral_len(after);
        let Some(unit) = ["分编", "编", "章", "节"]
            .iter()
            .find(|u| n > 0 && after[n..].starts_with(**u))
        else {
            break;
        };
        let len = '第'.len_utf8() + n + unit.len();
        out.push(&rest[..len]);
        rest = &rest[len..];
    }
    if out.is_empty() || !rest.is_empty() {
        return vec![label];
    }
    out
}

/// Replaces the lines at `at` (ascending) by `new`, which take the first one's place.
fn splice(lines: &mut Vec<Line>, at: &[usize], new: Vec<Line>) {
    let Some(&first) = at.first() else {
        lines.extend(new);
        return;
    };
    for &i in at.iter().rev() {
        lines.remove(i);
    }
    let first = first.min(lines.len());
    lines.splice(first..first, new);
}

/// Refuses an instruction that changes lines an earlier instruction changed.
fn check_conflict(
    numbers: &[Option<u32>],
    s: &Slot,
    lines: &[usize],
    k: usize,
) -> Result<(), Failure> {
    for &i in lines {
        if let Some(j) = s.lines.get(i).and_then(|l| l.by)
            && j != k
        {
            let no = s.orig.map(|n| n.to_string()).unwrap_or_default();
            return Err((
                Status::Conflict,
                format!(
                    "{no}的这一部分已由本决定{}修改",
                    by_words(numbers, &BTreeSet::from([j]))
                ),
            ));
        }
    }
    Ok(())
}

/// 第三项 (by position) when a list's last 项 was deleted: the new last one ends with 。.
fn fix_list_ends(lines: &mut [Line]) {
    let live: Vec<usize> = (0..lines.len()).filter(|&i| !lines[i].deleted).collect();
    for (j, &i) in live.iter().enumerate() {
        let last_of_list = lines[i].depth >= 1
            && live
                .get(j + 1)
                .is_none_or(|&n| lines[n].depth < lines[i].depth);
        if last_of_list && lines[i].text.ends_with('；') && lines[i].by.is_none() {
            let t = &mut lines[i].text;
            t.pop();
            t.push('。');
        }
    }
}

/// Applies `edits` in order to the texts of one place (every occurrence in each); an edit
/// whose words none of them holds is `not-found`, named with `place` (第十条第二款, 序言).
fn edit_all(mut texts: Vec<&mut String>, edits: &[PhraseEdit], place: &str) -> Result<(), Failure> {
    for e in edits {
        // Words at the start or end of the place: its first or last line.
        let edge = match e {
            PhraseEdit::Prepend { .. } => texts.first_mut(),
            PhraseEdit::Append { .. } => texts.last_mut(),
            _ => None,
        };
        if e.at_edge() {
            let Some(t) = edge else {
                return Err(not_found(format!("{place}没有文字")));
            };
            if let Some(new) = e.apply(t) {
                **t = new;
            }
            continue;
        }
        let mut hit = false;
        for t in texts.iter_mut() {
            if let Some(new) = e.apply(t) {
                **t = new;
                hit = true;
            }
        }
        if !hit {
            return Err(not_found(format!("{place}中没有“{}”", e.find())));
        }
    }
    Ok(())
}

/// Numbers the 项 of each 款 (and the 目 of each 项) in order again, after one was inserted
/// or deleted: （三） after a deleted （二） becomes （二）; a marker keeps its style.
fn renumber_items(lines: &mut [Line]) {
    let mut count = [0u32; 3];
    for l in lines.iter_mut().filter(|l| !l.deleted) {
        let d = usize::from(l.depth.min(2));
        if d == 0 {
            count = [0; 3];
            continue;
        }
        count[d] += 1;
        for c in count.iter_mut().skip(d + 1) {
            *c = 0;
        }
        if let Some((_, len, num)) = item_start(&l.text)
            && num != count[d]
            && let Some(marker) = renumbered_marker(&l.text[..len], count[d])
        {
            l.text = format!("{marker}{}", &l.text[len..]);
        }
    }
}

/// `marker` (（三）, (3), 3., ③) with the number `n` instead of its own.
fn renumbered_marker(marker: &str, n: u32) -> Option<String> {
    let first = marker.chars().next()?;
    if ('①'..='⑳').contains(&first) {
        return char::from_u32('①' as u32 + n.checked_sub(1)?)
            .filter(|c| ('①'..='⑳').contains(c))
            .map(String::from);
    }
    let start =
        marker.find(|c: char| c.is_ascii_digit() || numerals::numeral_len(&c.to_string()) > 0)?;
    let len = marker[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || numerals::numeral_len(&c.to_string()) > 0)
        .map(char::len_utf8)
        .sum::<usize>();
    let arabic = marker[start..].starts_with(|c: char| c.is_ascii_digit());
    let number = if arabic {
        n.to_string()
    } else {
        numerals::to_chinese(n)
    };
    Some(format!(
        "{}{number}{}",
        &marker[..start],
        &marker[start + len..]
    ))
}

/// An earlier instruction by its number in the act (第三项 for 三、), else its place.
fn by_words(numbers: &[Option<u32>], by: &BTreeSet<usize>) -> String {
    match by.iter().next() {
        Some(&k) => {
            let no = numbers.get(k).copied().flatten().unwrap_or(k as u32 + 1);
            format!("第{}项", numerals::to_chinese(no))
        }
        None => String::new(),
    }
}

/// 第二款第三项, the place inside an article in words.
fn place_words(t: &Target) -> String {
    let mut s = String::new();
    if let Some(p) = t.paragraph {
        s.push_str(&format!("第{}款", numerals::to_chinese(p)));
    }
    if let Some(i) = t.item {
        s.push_str(&format!("第{}项", numerals::to_chinese(i)));
    }
    if let Some(m) = t.subitem {
        s.push_str(&format!("第{}目", numerals::to_chinese(m)));
    }
    s
}
