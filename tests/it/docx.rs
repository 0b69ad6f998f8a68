//! Word output read back: the comparison table (rows, struck and underlined runs) and the
//! redline (every w:ins / w:del with its author and date; accepting every change gives the new
//! text, rejecting every change the old one).
//!
//! Set `STATUTE_DOCX_DIR` to keep the produced files there for a look in Word or LibreOffice.

use std::io::{Cursor, Read};
use std::path::Path;

use statute::diff::{ChangeSet, Entry, EntryKind, diff};
use statute::model::{Statute, UnitNum};
use statute::render::docx::{self, DocxError, Layout, Options};

use crate::common::{fixture, load, root};

struct Pair {
    old: Statute,
    new: Statute,
    cs: ChangeSet,
}

fn pair(old: &Path, new: &Path) -> Pair {
    let (old, new) = (load(old), load(new));
    let cs = diff(&old, &new);
    Pair { old, new, cs }
}

fn tianjin() -> Pair {
    let dir = root().join("versions/天津市信息化促进条例");
    pair(&dir.join("2007-09-12.md"), &dir.join("2025-06-30.md"))
}

fn park() -> Pair {
    pair(&fixture("park-2020.md"), &fixture("park-2024.md"))
}

fn render(cs: &ChangeSet, entries: &[&Entry], layout: Layout, name: &str) -> Vec<u8> {
    let opts = Options::new(cs, layout);
    let mut out = Vec::new();
    if let Err(e) = docx::write(cs, entries, &opts, &mut out) {
        panic!("{name}: {e}");
    }
    if let Some(dir) = std::env::var_os("STATUTE_DOCX_DIR") {
        let _ = std::fs::write(Path::new(&dir).join(name), &out);
    }
    out
}

/// One part of the package, as text.
pub(crate) fn part(docx: &[u8], name: &str) -> String {
    let mut zip = match zip::ZipArchive::new(Cursor::new(docx)) {
        Ok(z) => z,
        Err(e) => panic!("not a zip: {e}"),
    };
    let mut s = String::new();
    match zip.by_name(name) {
        Ok(mut f) => {
            if let Err(e) = f.read_to_string(&mut s) {
                panic!("{name}: {e}");
            }
        }
        Err(e) => panic!("{name}: {e}"),
    }
    s
}

fn changed(cs: &ChangeSet) -> Vec<&Entry> {
    cs.entries
        .iter()
        .filter(|e| e.kind != EntryKind::Unchanged)
        .collect()
}

// ---- reading the XML back (docx-rs writes it in one fixed shape) ----

/// The elements `<name …>…</name>` (or `<name …/>`, with empty content) of `xml`, not nested
/// in one another: (start tag, content).
fn elements<'a>(xml: &'a str, name: &str) -> Vec<(&'a str, &'a str)> {
    let open_a = format!("<{name} ");
    let open_b = format!("<{name}>");
    let close = format!("</{name}>");
    let mut out = Vec::new();
    let mut i = 0;
    // Once a form is not found it is never searched again (documents are large).
    let (mut more_a, mut more_b) = (true, true);
    while i < xml.len() {
        let a = more_a.then(|| xml[i..].find(&open_a)).flatten();
        let b = more_b.then(|| xml[i..].find(&open_b)).flatten();
        more_a &= a.is_some();
        more_b &= b.is_some();
        let start = match (a, b) {
            (Some(a), Some(b)) => i + a.min(b),
            (Some(a), None) => i + a,
            (None, Some(b)) => i + b,
            (None, None) => break,
        };
        let Some(gt) = xml[start..].find('>') else {
            break;
        };
        let tag = &xml[start..=start + gt];
        if tag.ends_with("/>") {
            out.push((tag, ""));
            i = start + gt + 1;
            continue;
        }
        let body = start + gt + 1;
        let Some(end) = xml[body..].find(&close) else {
            break;
        };
        out.push((tag, &xml[body..body + end]));
        i = body + end + close.len();
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The text of `w:t` (and, with `deleted`, `w:delText`) elements in document order.
fn text_of(xml: &str, deleted: bool) -> String {
    let mut out = String::new();
    let mut i = 0;
    let mut more_d = deleted;
    loop {
        let t = xml[i..].find("<w:t ");
        let d = more_d.then(|| xml[i..].find("<w:delText ")).flatten();
        more_d &= d.is_some();
        let (at, close) = match (t, d) {
            (Some(t), Some(d)) if d < t => (i + d, "</w:delText>"),
            (Some(t), _) => (i + t, "</w:t>"),
            (None, Some(d)) => (i + d, "</w:delText>"),
            (None, None) => break,
        };
        let Some(gt) = xml[at..].find('>') else { break };
        let body = at + gt + 1;
        let Some(end) = xml[body..].find(close) else {
            break;
        };
        out.push_str(&unescape(&xml[body..body + end]));
        i = body + end + close.len();
    }
    out
}

/// Runs `(properties, text)` of a fragment.
fn runs(xml: &str) -> Vec<(String, String)> {
    elements(xml, "w:r")
        .into_iter()
        .map(|(_, body)| {
            let props = elements(body, "w:rPr")
                .first()
                .map(|(_, p)| p.to_string())
                .unwrap_or_default();
            (props, text_of(body, true))
        })
        .collect()
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let end = tag[at..].find('"')?;
    Some(&tag[at..at + end])
}

/// A table cell's text, paragraphs joined by newlines.
fn cell_text(cell: &str) -> String {
    elements(cell, "w:p")
        .iter()
        .map(|(_, p)| text_of(p, true))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The text of the deletions and insertions of a side, from runs with the given mark.
fn marked(cell: &str, mark: &str) -> String {
    runs(cell)
        .into_iter()
        .filter(|(props, _)| props.contains(mark))
        .map(|(_, t)| t)
        .collect()
}

/// Paragraph texts after accepting (or rejecting) every tracked change: deleted (or inserted)
/// runs dropped, and a paragraph whose mark is deleted (or inserted) joined to the next.
pub(crate) fn resolve(document: &str, accept: bool) -> Vec<String> {
    let mut out = Vec::new();
    let mut pending = String::new();
    for (_, p) in elements(document, "w:p") {
        let ppr = elements(p, "w:pPr")
            .first()
            .map(|(_, x)| *x)
            .unwrap_or_default();
        let mark_deleted = ppr.contains("<w:del ");
        let mark_inserted = ppr.contains("<w:ins ");
        let text = if accept {
            text_of(p, false)
        } else {
            // Inserted runs removed, deleted ones kept.
            let mut kept = p.to_string();
            for (tag, body) in elements(p, "w:ins") {
                if !body.is_empty() {
                    kept = kept.replacen(&format!("{tag}{body}</w:ins>"), "", 1);
                }
            }
            text_of(&kept, true)
        };
        pending.push_str(&text);
        let joined = if accept { mark_deleted } else { mark_inserted };
        if !joined {
            out.push(std::mem::take(&mut pending));
        }
    }
    if !pending.is_empty() {
        out.push(pending);
    }
    out
}

/// One side's article lines as a statute prints them (第一条　text, further 款/项 below), in the
/// order the redline writes them — the change set's layout, which is that side's order — for
/// the selected `entries`, and the headings above them.
fn side_lines(
    s: &Statute,
    cs: &ChangeSet,
    entries: &[&Entry],
    new: bool,
) -> (Vec<String>, Vec<String>) {
    use statute::diff::layout::Piece;
    let arts = s.articles();
    let mut lines = Vec::new();
    for piece in &cs.layout {
        let Piece::Entry { entry, unit, .. } = piece else {
            continue;
        };
        if !piece.in_version(&cs.entries, !new) {
            continue;
        }
        let Some(e) = cs.entries.get(*entry) else {
            continue;
        };
        if !entries.iter().any(|x| std::ptr::eq(*x, e)) {
            continue;
        }
        let units = if new { &e.new } else { &e.old };
        for (k, u) in units.iter().enumerate() {
            if unit.is_some_and(|only| only != k) {
                continue;
            }
            for (k, line) in arts[u.index].article.text().split('\n').enumerate() {
                if k == 0 {
                    // The number as the text writes it: 第一条 and a full-width space, 一、, or
                    // nothing for a paragraph numbered by position.
                    let label = match u.num {
                        UnitNum::Article { .. } => format!("{}\u{3000}", u.num.label()),
                        UnitNum::Point(_) => format!("{}、", u.num.label()),
                        UnitNum::Position(_) => String::new(),
                    };
                    lines.push(format!("{label}{line}"));
                } else {
                    lines.push(line.to_string());
                }
            }
        }
    }
    // Both sides' headings: a heading written differently only in form is not a heading
    // change, and stands as the new version writes it.
    let headings = cs
        .entries
        .iter()
        .flat_map(|e| e.old.iter().chain(&e.new))
        .flat_map(|u| u.path.iter().cloned())
        .chain(arts.iter().flat_map(|a| a.path.iter().map(|d| d.heading())))
        .chain(["序言".to_string(), "目录".to_string()])
        .collect();
    (lines, headings)
}

/// Accepting every change gives the new version, rejecting every change the old one
/// (headings set aside; the title is the first paragraph, a note the second).
fn assert_resolves(p: &Pair, entries: &[&Entry], document: &str) {
    for (accept, version) in [(true, &p.new), (false, &p.old)] {
        let paras = resolve(document, accept);
        assert_eq!(paras[0], version.meta.title, "title, accept={accept}");
        let (lines, headings) = side_lines(version, &p.cs, entries, accept);
        // Text outside the articles (题注 lines, preamble, closing lines, notes, annex
        // titles), this side of it, stands apart too: the redline of every entry writes all
        // of it, one of a selection what changed.
        let whole = entries.len() == p.cs.entries.len();
        let side = |piece: &statute::diff::layout::Piece| match piece {
            statute::diff::layout::Piece::Text { old, new, .. } if whole || old != new => {
                if accept { new.clone() } else { old.clone() }
            }
            _ => None,
        };
        let texts: Vec<String> =
            p.cs.layout
                .iter()
                .filter_map(side)
                .flat_map(|t| t.split('\n').map(str::to_string).collect::<Vec<_>>())
                .map(|t| t.trim_matches(statute::normalize::ignorable).to_string())
                .filter(|t| !t.is_empty())
                .collect();
        let mut body: Vec<String> = Vec::new();
        let mut seen_texts: Vec<String> = Vec::new();
        // Each line outside the units once (a 目录 entry reads like the heading it lists, and
        // comes first).
        let mut remaining = texts.clone();
        for t in paras[1..]
            .iter()
            .filter(|t| !t.contains(statute::parse::docx::REDLINE_NOTE))
        {
            if let Some(k) = remaining.iter().position(|r| r == t) {
                remaining.swap_remove(k);
                seen_texts.push(t.clone());
                continue;
            }
            if headings.contains(t) {
                continue;
            }
            body.push(t.clone());
        }
        let (mut want, mut got) = (texts.clone(), seen_texts);
        want.sort();
        got.sort();
        assert_eq!(
            got, want,
            "{}: free text, accept={accept}",
            version.meta.title,
        );
        if body != lines {
            let at = body.iter().zip(&lines).position(|(a, b)| a != b);
            panic!(
                "{}: accept={accept}: {} paragraphs, {} lines; first difference at {at:?}: {:?} vs {:?}",
                version.meta.title,
                body.len(),
                lines.len(),
                at.map(|i| &body[i]),
                at.map(|i| &lines[i])
            );
        }
    }
}

/// Every w:ins / w:del (runs and paragraph marks) carries the author and date, with ids
/// 1, 2, 3 … in document order. Returns (inserted text, deleted text) per element.
fn revisions(document: &str, date: &str) -> (Vec<String>, Vec<String>) {
    let mut ids = Vec::new();
    let mut tags: Vec<(usize, &str)> = Vec::new();
    for name in ["<w:ins ", "<w:del "] {
        tags.extend(document.match_indices(name).map(|(i, _)| (i, name)));
    }
    tags.sort();
    for (i, _) in &tags {
        let tag = &document[*i..*i + document[*i..].find('>').unwrap_or(0) + 1];
        assert_eq!(attr(tag, "w:author"), Some("statute"), "{tag}");
        assert_eq!(attr(tag, "w:date"), Some(date), "{tag}");
        ids.push(attr(tag, "w:id").and_then(|s| s.parse::<usize>().ok()));
    }
    let expected: Vec<Option<usize>> = (1..=tags.len()).map(Some).collect();
    assert_eq!(ids, expected, "revision ids");
    let ins = elements(document, "w:ins")
        .into_iter()
        .filter(|(_, b)| !b.is_empty())
        .map(|(_, b)| text_of(b, false))
        .collect();
    let del = elements(document, "w:del")
        .into_iter()
        .filter(|(_, b)| !b.is_empty())
        .map(|(_, b)| {
            assert!(!b.contains("<w:t "), "w:t inside w:del: {b}");
            text_of(b, true)
        })
        .collect();
    (ins, del)
}

/// Rows of the document's one table, each a list of cells.
fn table_rows(document: &str) -> Vec<Vec<&str>> {
    let tables = elements(document, "w:tbl");
    assert_eq!(tables.len(), 1, "one table");
    elements(tables[0].1, "w:tr")
        .into_iter()
        .map(|(_, tr)| elements(tr, "w:tc").into_iter().map(|(_, c)| c).collect())
        .collect()
}

/// Each paragraph of a side cell with its leading label (one of `labels` and a full-width
/// space) removed.
fn without_labels(text: &str, labels: &[&str]) -> String {
    text.split('\n')
        .map(|l| {
            labels
                .iter()
                .find_map(|lab| l.strip_prefix(&format!("{lab}\u{3000}")))
                .unwrap_or(l)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The table: a header row and one row per selected entry, in order; each side cell holds
/// that side's text (struck deletions on the old side, underlined insertions on the new one)
/// and the kind cell the Chinese kind.
fn assert_table(sel: &[&Entry], document: &str) {
    let rows = table_rows(document);
    assert_eq!(rows.len(), sel.len() + 1, "header + one row per entry");
    let header: Vec<String> = rows[0].iter().map(|c| cell_text(c)).collect();
    assert_eq!(header, ["原条文", "修改后条文", "修改类型"]);
    for (row, e) in rows[1..].iter().zip(sel) {
        assert_eq!(row.len(), 3);
        let labels = |v: &[statute::diff::UnitRef]| -> Vec<String> {
            v.iter().map(|u| u.label.clone()).collect()
        };
        let (ol, nl) = (labels(&e.old), labels(&e.new));
        let ol: Vec<&str> = ol.iter().map(String::as_str).collect();
        let nl: Vec<&str> = nl.iter().map(String::as_str).collect();
        let old = cell_text(row[0]);
        let new = cell_text(row[1]);
        assert_eq!(
            without_labels(&old, &ol),
            statute::diff::chars::old_text(&e.diff)
        );
        assert_eq!(
            without_labels(&new, &nl),
            statute::diff::chars::new_text(&e.diff)
        );
        for l in &ol {
            assert!(old.contains(&format!("{l}\u{3000}")), "{l} in {old}");
        }
        for l in &nl {
            assert!(new.contains(&format!("{l}\u{3000}")), "{l} in {new}");
        }
        let seg = |op| -> String {
            e.diff
                .iter()
                .filter(|s| s.op == op)
                .map(|s| s.text.replace('\n', ""))
                .collect()
        };
        use statute::diff::Op;
        assert_eq!(marked(row[0], "<w:strike"), seg(Op::Delete), "struck");
        assert_eq!(marked(row[1], "<w:u "), seg(Op::Insert), "underlined");
        assert_eq!(marked(row[0], "<w:u "), "");
        assert_eq!(marked(row[1], "<w:strike"), "");
        let kind = elements(row[2], "w:p")
            .first()
            .map(|(_, p)| text_of(p, false))
            .unwrap_or_default();
        assert_eq!(kind, docx::kind_text(e));
    }
}

fn row_of<'a>(rows: &'a [Vec<&'a str>], kind: &str) -> &'a [&'a str] {
    match rows.iter().find(|r| {
        elements(r[2], "w:p")
            .first()
            .is_some_and(|(_, p)| text_of(p, false) == kind)
    }) {
        Some(r) => r,
        None => panic!("no row of kind {kind}"),
    }
}

// ---- tests ----

#[test]
fn table_of_the_bundled_amendment() {
    let p = tianjin();
    let sel = changed(&p.cs);
    let d = render(&p.cs, &sel, Layout::Table, "tianjin-table.docx");
    let doc = part(&d, "word/document.xml");
    assert_table(&sel, &doc);
    // The ground truth's 7 modified articles, 1 added, 1 deleted.
    assert_eq!(sel.len(), 9);
    let rows = table_rows(&doc);
    // Row 1 of the ground truth: 第四条, one phrase replaced and one inserted.
    let r4 = &rows[1];
    assert!(cell_text(r4[0]).starts_with("第四条\u{3000}市信息化主管部门"));
    assert_eq!(marked(r4[0], "<w:strike"), "质量技术监督");
    assert_eq!(marked(r4[1], "<w:u "), "网信、市场监管");
    assert!(runs(r4[0]).contains(&("<w:b /><w:bCs />".to_string(), "第四条\u{3000}".to_string())));
    // The inserted article: new side only, all underlined.
    let added = row_of(&rows, "新增");
    assert_eq!(cell_text(added[0]), "");
    assert!(
        cell_text(added[1])
            .starts_with("第十三条\u{3000}信息化规划应当与国土空间规划相衔接。\n规划资源主管部门")
    );
    // The deleted article: old side only, struck.
    let deleted = row_of(&rows, "删除");
    assert_eq!(
        marked(deleted[0], "<w:strike"),
        "人民政府及其有关部门应当支持和促进本市信息产业发展，引导信息产业优化结构，整合优势资源，发展规模经济，提升核心竞争力。"
    );
    assert_eq!(cell_text(deleted[1]), "");
    // Renumbered and modified: both labels.
    let moved = rows
        .iter()
        .find(|r| cell_text(r[0]).starts_with("第二十二条"))
        .map(|r| (cell_text(r[1]), cell_text(r[2])));
    assert!(
        moved.as_ref().is_some_and(
            |(new, kind)| new.starts_with("第二十三条") && kind.starts_with("修改、条序变化")
        ),
        "{moved:?}"
    );
    // Title, summary and the renamed chapter before the table.
    let before = &doc[..doc.find("<w:tbl>").unwrap_or(0)];
    let text = text_of(before, true);
    assert!(text.contains("天津市信息化促进条例修改对照表"));
    assert!(text.contains("2007-09-12 → 2025-06-30"));
    assert!(text.contains(&p.cs.summary_line()));
    assert!(text.contains("［改名］第七章 网络与信息安全保障"), "{text}");
    assert_eq!(marked(before, "<w:u "), "网络与");
    // The header row repeats on every page.
    assert_eq!(doc.matches("<w:tblHeader />").count(), 1);
    assert!(doc.contains("<w:tr><w:trPr><w:tblHeader /></w:trPr><w:tc>"));
    // A4 landscape, East Asian font.
    assert!(doc.contains(r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape" />"#));
    assert!(part(&d, "word/styles.xml").contains(r#"w:eastAsia="宋体""#));
}

#[test]
fn table_with_split_merge_and_every_entry() {
    let p = park();
    let all: Vec<&Entry> = p.cs.entries.iter().collect();
    let d = render(&p.cs, &all, Layout::Table, "park-table.docx");
    let doc = part(&d, "word/document.xml");
    assert_table(&all, &doc);
    let rows = table_rows(&doc);
    assert_eq!(rows.len(), 13);
    let split = row_of(&rows, "拆分、仅结构调整");
    assert_eq!(
        cell_text(split[1]),
        "第五条\u{3000}公园建设项目的设计方案，应当向社会公示并征求公众意见。\n第六条\u{3000}公园建设项目竣工后，应当经园林主管部门组织验收，验收合格方可向公众开放。"
    );
    assert!(cell_text(split[0]).starts_with("第五条\u{3000}"));
    let merged = row_of(&rows, "合并、条序变化");
    let old = cell_text(merged[0]);
    assert!(
        old.starts_with("第八条\u{3000}") && old.contains("\n第九条\u{3000}"),
        "{old}"
    );
    assert!(cell_text(merged[1]).starts_with("第九条\u{3000}"));
    row_of(&rows, "形式修改");
    row_of(&rows, "条序变化");
    row_of(&rows, "未变");
    let grown = row_of(&rows, "修改");
    assert_eq!(
        marked(grown[1], "<w:u "),
        "日常，并接受市园林主管部门的指导"
    );
}

#[test]
fn redline_of_the_bundled_amendment() {
    let p = tianjin();
    let all: Vec<&Entry> = p.cs.entries.iter().collect();
    let d = render(&p.cs, &all, Layout::Redline, "tianjin-redline.docx");
    let doc = part(&d, "word/document.xml");
    assert!(!doc.contains("<w:tbl>"));
    let (ins, del) = revisions(&doc, "2025-06-30T00:00:00Z");
    for want in [
        "网信、",
        "市场监管",
        "第十三条\u{3000}",
        "信息化规划应当与国土空间规划相衔接。",
        "网络与",
        "（四）不按照政务信息资源共享目录向其他国家机关提供共享信息的。",
        "第二十三条\u{3000}",
    ] {
        assert!(ins.iter().any(|t| t == want), "w:ins {want:?} in {ins:?}");
    }
    for want in [
        "质量技术监督",
        "专网",
        "第二十二条\u{3000}",
        "第三十六条\u{3000}",
        "人民政府及其有关部门应当支持和促进本市信息产业发展，引导信息产业优化结构，整合优势资源，发展规模经济，提升核心竞争力。",
        "市信息化主管部门和市国家密码管理部门根据国家规定对电子认证服务机构和电子认证服务实施监督管理。",
    ] {
        assert!(del.iter().any(|t| t == want), "w:del {want:?} in {del:?}");
    }
    // Nothing else: 43 identical articles leave no mark except their number.
    assert!(!del.iter().any(|t| t.contains("第一条")));
    assert_resolves(&p, &all, &doc);
}

#[test]
fn redline_with_split_merge_add_delete() {
    let p = park();
    let all: Vec<&Entry> = p.cs.entries.iter().collect();
    let d = render(&p.cs, &all, Layout::Redline, "park-redline.docx");
    let doc = part(&d, "word/document.xml");
    let (ins, del) = revisions(&doc, "2024-03-01T00:00:00Z");
    // Split: the second new article's number is inserted, its text kept.
    assert!(ins.contains(&"第六条\u{3000}".to_string()), "{ins:?}");
    // Merge: both old numbers deleted, the new one inserted.
    for l in ["第八条\u{3000}", "第九条\u{3000}"] {
        assert!(del.contains(&l.to_string()), "{l} in {del:?}");
    }
    assert!(ins.contains(&"（三）在公园水体内游泳、垂钓。".to_string()));
    assert!(
        ins.contains(&"与安全".to_string()),
        "renamed chapter: {ins:?}"
    );
    assert!(del.contains(
        &"公园内禁止机动车通行，但执行任务的消防、救护、养护等特种车辆除外。".to_string()
    ));
    // A formal change is tracked like any other.
    assert!(del.contains(&"，".to_string()) && ins.contains(&",".to_string()));
    assert_resolves(&p, &all, &doc);
}

#[test]
fn deleted_article_stands_under_its_chapter_when_only_changes_are_selected() {
    let p = tianjin();
    let sel = changed(&p.cs);
    let d = render(&p.cs, &sel, Layout::Redline, "tianjin-redline-changed.docx");
    let doc = part(&d, "word/document.xml");
    let paras: Vec<String> = elements(&doc, "w:p")
        .iter()
        .map(|(_, p)| text_of(p, true))
        .collect();
    let at = paras
        .iter()
        .position(|t| t.starts_with("第三十六条\u{3000}人民政府"));
    let chapter = paras.iter().position(|t| t.starts_with("第六章"));
    assert!(
        matches!((chapter, at), (Some(c), Some(a)) if c < a),
        "{chapter:?} {at:?}"
    );
}

#[test]
fn output_is_byte_identical_and_undated() {
    let p = park();
    let all: Vec<&Entry> = p.cs.entries.iter().collect();
    for layout in [Layout::Table, Layout::Redline] {
        let a = render(&p.cs, &all, layout, "a.docx");
        let b = render(&p.cs, &all, layout, "b.docx");
        // Another thread, another document built in between.
        let c = std::thread::scope(|s| {
            s.spawn(|| {
                let t = tianjin();
                let sel = changed(&t.cs);
                render(&t.cs, &sel, Layout::Redline, "c.docx");
                render(&p.cs, &all, layout, "c.docx")
            })
            .join()
            .unwrap_or_default()
        });
        assert!(a == b && b == c, "{layout:?} output differs between runs");
        let mut zip = match zip::ZipArchive::new(Cursor::new(&a)) {
            Ok(z) => z,
            Err(e) => panic!("{e}"),
        };
        for i in 0..zip.len() {
            let Ok(f) = zip.by_index(i) else {
                panic!("entry {i}")
            };
            let t = f.last_modified().unwrap_or_default();
            assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1), "{}", f.name());
        }
        let core = part(&a, "docProps/core.xml");
        assert!(core.contains("2024-03-01T00:00:00Z"), "{core}");
    }
}

#[test]
fn empty_selection_and_bad_date() {
    let p = park();
    let d = render(&p.cs, &[], Layout::Table, "empty.docx");
    assert_eq!(table_rows(&part(&d, "word/document.xml")).len(), 1);
    let opts = Options {
        layout: Layout::Redline,
        author: "statute".into(),
        date: "2024-03-01".into(),
    };
    let mut out = Vec::new();
    let all: Vec<&Entry> = p.cs.entries.iter().collect();
    assert!(matches!(
        docx::write(&p.cs, &all, &opts, &mut out),
        Err(DocxError::Date(d)) if d == "2024-03-01"
    ));
    assert!(out.is_empty());
}

#[test]
fn every_amendment_in_the_corpus_resolves_in_both_layouts() {
    let Some(dir) = crate::common::corpus() else {
        return;
    };
    let statutes = crate::common::statute_dirs(&dir);
    let (mut pairs, mut with_texts, mut with_headings) = (0, 0, 0);
    for st in &statutes {
        let versions = crate::common::md_files(st);
        for w in versions.windows(2) {
            let p = pair(&w[0], &w[1]);
            let all: Vec<&Entry> = p.cs.entries.iter().collect();
            let date = docx::revision_date(&p.cs);
            let t = render(&p.cs, &all, Layout::Table, "corpus-table.docx");
            assert_table(&all, &part(&t, "word/document.xml"));
            let r = render(&p.cs, &all, Layout::Redline, "corpus-redline.docx");
            let doc = part(&r, "word/document.xml");
            revisions(&doc, &date);
            assert_resolves(&p, &all, &doc);
            pairs += 1;
            with_texts += usize::from(!p.cs.texts.is_empty());
            with_headings += usize::from(!p.cs.headings.is_empty());
        }
    }
    assert!(pairs >= 111, "{pairs} pairs");
    eprintln!(
        "{pairs} pairs, {with_texts} with free-text changes, {with_headings} with heading changes"
    );
    assert!(with_texts > 0 && with_headings > 0);
}

/// `statute diff OLD NEW --format docx --docx-layout redline [extra]`, read back.
fn cli_redline(old: &Path, new: &Path, extra: &[&str]) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("redline.docx");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_statute"))
        .arg("diff")
        .args([old, new])
        .args(["--format", "docx", "--docx-layout", "redline", "-o"])
        .arg(&file)
        .args(extra)
        .output()
        .expect("run statute");
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::read(&file).expect("the .docx")
}

/// A version's articles as a document prints them, in its order: 第一条　text, further
/// 款/项 on lines of their own.
fn article_lines(s: &Statute) -> Vec<String> {
    let mut lines = Vec::new();
    for a in s.articles() {
        for (k, line) in a.article.text().split('\n').enumerate() {
            if k == 0 {
                lines.push(format!("{}\u{3000}{line}", a.label(s)));
            } else {
                lines.push(line.to_string());
            }
        }
    }
    lines
}

/// The default redline of the command line is the whole document: accepting every change
/// gives exactly the new version's articles, in its order, and rejecting every change the
/// old version's articles; `--changed-only` keeps only the changed ones.
#[test]
fn the_default_redline_resolves_to_the_whole_new_and_old_versions() {
    let dir = root().join("versions/天津市信息化促进条例");
    for (old, new) in [
        (dir.join("2007-09-12.md"), dir.join("2025-06-30.md")),
        (fixture("park-2020.md"), fixture("park-2024.md")),
        (fixture("amend-old.md"), fixture("amend-new.md")),
    ] {
        let p = pair(&old, &new);
        let doc = part(&cli_redline(&old, &new, &[]), "word/document.xml");
        let all: Vec<&Entry> = p.cs.entries.iter().collect();
        assert_resolves(&p, &all, &doc);
        // The articles, accepted, are the new version's as it prints them, in its order;
        // rejected, the old version's in the old order (a moved article stands at both
        // places, deleted at one and inserted at the other).
        for (accept, version) in [(true, &p.new), (false, &p.old)] {
            let want = article_lines(version);
            let paras = resolve(&doc, accept);
            let got: Vec<&String> = paras.iter().filter(|t| want.contains(t)).collect();
            assert_eq!(got.len(), want.len(), "{}: accept={accept}", new.display());
            assert!(
                got.iter().zip(&want).all(|(g, w)| *g == w),
                "{}: accept={accept}",
                new.display()
            );
        }
        // --changed-only: the changed articles alone.
        let doc = part(
            &cli_redline(&old, &new, &["--changed-only"]),
            "word/document.xml",
        );
        let shown = statute::render::select::select(&p.cs, &Default::default());
        let sel: Vec<&Entry> = shown.iter().map(|s| s.entry).collect();
        assert!(sel.len() < all.len());
        assert_resolves(&p, &sel, &doc);
    }
}
