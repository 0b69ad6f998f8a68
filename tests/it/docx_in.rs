//! Word documents in (`parse::docx`): the project's own redline read back (accepted = the new
//! version, rejected = the old one) over every amendment of the corpus, the committed .docx
//! fixtures (heading styles, official-style plain paragraphs, Word's automatic numbering,
//! footnotes, tracked changes and comments), and corpus versions converted to .docx by pandoc
//! (skipped with a printed reason when pandoc is not installed).

use std::path::{Path, PathBuf};

use statute::diff::{ChangeSet, Entry, diff};
use statute::model::Statute;
use statute::parse::docx::TrackedChanges;
use statute::parse::{self, ReadOptions, SourceFormat};
use statute::render::docx::{self as writer, Layout, Options};

use crate::common::{corpus, load, md_files, statute_dirs};

fn opts(changes: TrackedChanges) -> ReadOptions {
    ReadOptions {
        docx_changes: changes,
    }
}

/// A .docx read with `changes`, or the error's text as a panic.
fn read(name: &Path, bytes: &[u8], changes: TrackedChanges) -> parse::Parsed {
    match parse::parse_bytes_with(name, bytes, &opts(changes)) {
        Ok(p) => p,
        Err(e) => panic!("{e}"),
    }
}

/// The redline of `cs` holding every entry, as `statute diff OLD NEW --format docx
/// --docx-layout redline` writes it.
fn redline(cs: &ChangeSet) -> Vec<u8> {
    let all: Vec<&Entry> = cs.entries.iter().collect();
    let mut out = Vec::new();
    if let Err(e) = writer::write(cs, &all, &Options::new(cs, Layout::Redline), &mut out) {
        panic!("{e}");
    }
    out
}

/// Each unit as `label text` lines, and each heading: what a redline carries of a version.
fn units(s: &Statute) -> Vec<String> {
    s.articles()
        .iter()
        .map(|a| format!("{} {}", a.label(s), a.article.text()))
        .collect()
}

/// Why `got` (read from a .docx) is not `want`, or `None`: a substantive difference in the
/// articles or headings, or units whose text differs at all.
fn difference(want: &Statute, got: &Statute) -> Option<String> {
    let cs = diff(want, got);
    let substantive = cs.summary.substantive > 0
        || cs
            .headings
            .iter()
            .any(|h| h.kind != statute::diff::HeadingChangeKind::Renumbered);
    if substantive {
        let entry = cs
            .entries
            .iter()
            .find(|e| e.substantive)
            .map(|e| {
                let side = |u: &[statute::diff::UnitRef]| {
                    u.iter()
                        .map(|u| u.label.clone())
                        .collect::<Vec<_>>()
                        .join("+")
                };
                format!("{:?} {} → {}", e.kind, side(&e.old), side(&e.new))
            })
            .or_else(|| cs.headings.first().map(|h| format!("heading {h:?}")))
            .unwrap_or_default();
        return Some(format!("substantive: {entry}"));
    }
    let (w, g) = (units(want), units(got));
    if w != g {
        let at = w
            .iter()
            .zip(&g)
            .position(|(a, b)| a != b)
            .unwrap_or(w.len().min(g.len()));
        return Some(format!(
            "{} units vs {}; first difference at {at}: {:?} vs {:?}",
            w.len(),
            g.len(),
            w.get(at),
            g.get(at)
        ));
    }
    None
}

/// What a redline cannot give back of a pair, by the writer's design or its known limits
/// (found by this test; see docs/word.md): an article that moved is written where it now
/// stands, so rejecting leaves it there; units other than 第…条 are labelled as the review
/// labels them (一, ¶1), not as the source wrote them (一、, no label); an annex title and
/// other unchanged text outside the articles are not written; a deleted article is written
/// under its old headings, repeated untracked.
fn writer_limit(cs: &ChangeSet, old: &Statute, new: &Statute) -> Option<&'static str> {
    use statute::diff::EntryKind;
    use statute::model::UnitNum;
    if cs.entries.iter().any(|e| e.moved) {
        return Some("moved articles");
    }
    let numbered = |s: &Statute| {
        s.articles()
            .iter()
            .all(|a| matches!(a.article.num, UnitNum::Article { .. }))
    };
    if !numbered(old) || !numbered(new) {
        return Some("units other than 第…条");
    }
    if !old.body.annexes.is_empty() || !new.body.annexes.is_empty() {
        return Some("annexes");
    }
    if cs
        .entries
        .iter()
        .any(|e| e.kind == EntryKind::Deleted && e.old.iter().any(|u| !u.path.is_empty()))
    {
        return Some("deleted articles under headings");
    }
    None
}

/// The paragraphs the reader gives (marks of the title and headings dropped).
fn reader_lines(bytes: &[u8], changes: TrackedChanges) -> Vec<String> {
    match parse::docx::read(bytes, changes) {
        Ok(t) => t
            .text
            .lines()
            .map(|l| l.trim_start_matches('#').trim_start().to_string())
            .filter(|l| !l.is_empty())
            .collect(),
        Err(e) => panic!("{e}"),
    }
}

/// Every consecutive pair of versions in the corpus's `multi/`, both ways:
/// - the reader gives exactly the paragraphs that accepting (rejecting) every change gives, as
///   an independent reading of the XML resolves them (`docx::resolve`): the reader is right
///   whatever the writer wrote;
/// - read back accepted, the redline is the new version, and rejected, the old one — article
///   for article and heading for heading (a redline carries no 题注) — for every pair outside
///   the writer's known limits ([`writer_limit`]); the others are counted and listed.
#[test]
fn every_redline_of_the_corpus_reads_back_as_both_versions() {
    let Some(dir) = corpus() else { return };
    let (mut pairs, mut strict) = (0, 0);
    let mut failures = Vec::new();
    let mut limited: Vec<String> = Vec::new();
    for st in statute_dirs(&dir) {
        let versions = md_files(&st);
        for w in versions.windows(2) {
            let (old, new) = (load(&w[0]), load(&w[1]));
            let cs = diff(&old, &new);
            let docx = redline(&cs);
            let document = crate::docx::part(&docx, "word/document.xml");
            let name = PathBuf::from("redline.docx");
            let limit = writer_limit(&cs, &old, &new);
            strict += usize::from(limit.is_none());
            for (changes, want) in [
                (TrackedChanges::Accept, &new),
                (TrackedChanges::Reject, &old),
            ] {
                let resolved: Vec<String> =
                    crate::docx::resolve(&document, changes == TrackedChanges::Accept)
                        .iter()
                        .map(|p| p.trim_matches(statute::normalize::ignorable).to_string())
                        .filter(|p| !p.is_empty() && !p.contains(parse::docx::REDLINE_NOTE))
                        .collect();
                assert_eq!(
                    reader_lines(&docx, changes),
                    resolved,
                    "{} {changes:?}: the reader and the XML's resolution differ",
                    w[1].display()
                );
                let got = read(&name, &docx, changes);
                assert_eq!(got.format, SourceFormat::Docx);
                assert_eq!(
                    got.statute.meta.title,
                    want.meta.title,
                    "{}",
                    w[1].display()
                );
                if let Some(why) = difference(want, &got.statute) {
                    let line = format!("{} {changes:?}: {why}", w[1].display());
                    match limit {
                        Some(l) => limited.push(format!("{line} [{l}]")),
                        None => failures.push(line),
                    }
                }
            }
            pairs += 1;
        }
    }
    eprintln!(
        "{pairs} redlines read back both ways ({strict} compared strictly with both versions): {} differences within the writer's known limits, {} failures",
        limited.len(),
        failures.len()
    );
    for f in limited.iter().chain(&failures) {
        eprintln!("  {f}");
    }
    assert!(pairs >= 111, "{pairs} pairs");
    assert!(failures.is_empty(), "{} failures", failures.len());
}
