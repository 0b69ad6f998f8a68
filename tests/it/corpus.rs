//! The whole shared corpus: every version parses, no text is lost, article counts match the
//! source, and the canonical form round-trips.

use std::path::Path;

use statute::parse::canonical;
use statute::parse::{parse_file, parse_str};

use crate::common::{assert_none, corpus, md_files, squash};

/// The body of a corpus file as plain text: after `<!-- INFO END -->`, markup removed.
fn source_body(text: &str) -> &str {
    text.split_once("<!-- INFO END -->")
        .map_or(text, |(_, b)| b)
}

/// Lines that begin an article: `第…条` at line start (after indentation), plus articles run
/// into the same line after a sentence end (`。 第二条 …`, one statute does this).
fn article_lines(body: &str) -> usize {
    use statute::parse::body::{article_line, inline_article};
    let mut n = 0;
    for l in body.lines() {
        let t = l.trim_matches(statute::normalize::ignorable);
        let Some((len, Some(mut num))) = article_line(t) else {
            if article_line(t).is_some() {
                n += 1;
            }
            continue;
        };
        n += 1;
        let mut rest = &t[len..];
        while let Some((at, next_len, next)) = inline_article(rest, num) {
            n += 1;
            num = next;
            rest = &rest[at + next_len..];
        }
    }
    n
}

/// The body with heading markup and whitespace removed.
fn source_text(body: &str) -> String {
    let mut s = String::new();
    for l in body.lines() {
        let t = l.trim_matches(statute::normalize::ignorable);
        if t == "---" {
            continue;
        }
        let t = match t.trim_start_matches('#') {
            rest if rest.len() < t.len()
                && (rest.is_empty() || rest.starts_with(char::is_whitespace)) =>
            {
                rest
            }
            _ => t,
        };
        s.push_str(&squash(t));
    }
    s
}

#[test]
fn every_corpus_file_parses_losslessly_and_round_trips() {
    let Some(dir) = corpus() else { return };
    let files = md_files(&dir);
    assert!(
        files.len() > 3000,
        "expected the whole corpus, found {} files",
        files.len()
    );
    let mut errors = Vec::new();
    let mut counts = Vec::new();
    let mut lost = Vec::new();
    let mut trips = Vec::new();
    for f in &files {
        let parsed = match parse_file(f) {
            Ok(p) => p,
            Err(e) => {
                errors.push(e.to_string());
                continue;
            }
        };
        let raw = std::fs::read_to_string(f).unwrap_or_default();
        let body = source_body(&raw);
        let s = &parsed.statute;
        let expected = article_lines(body);
        let got = s
            .articles()
            .iter()
            .filter(|a| matches!(a.article.num, statute::model::UnitNum::Article { .. }))
            .count();
        if got != expected {
            counts.push(format!(
                "{}: {got} articles parsed, {expected} lines begin one",
                f.display()
            ));
        }
        let mut model_text = String::new();
        let mut source = source_text(body);
        if !s.body.toc.is_empty() {
            // The 目录 (label and entries) is kept apart from the body: take it out of the
            // source text where it stands, then compare the rest.
            let toc: String = s.body.toc.iter().map(|e| squash(e)).collect();
            let labelled = format!("目录{toc}");
            let cut = if source.contains(&labelled) {
                labelled
            } else {
                toc
            };
            source = source.replacen(&cut, "", 1);
        }
        model_text.push_str(&squash(&s.body_text()));
        if model_text != source {
            lost.push(format!(
                "{}: {}",
                f.display(),
                first_difference(&source, &model_text)
            ));
        }
        let md = canonical::to_string(s);
        match parse_str(Path::new("canonical"), &md) {
            Ok(again) if again.statute == *s => {}
            Ok(_) => trips.push(format!(
                "{}: canonical form parses to a different model",
                f.display()
            )),
            Err(e) => trips.push(format!(
                "{}: canonical form does not parse: {e}",
                f.display()
            )),
        }
    }
    assert_none("parse errors", &errors, files.len());
    assert_none("article counts", &counts, files.len());
    assert_none("text preserved", &lost, files.len());
    assert_none("canonical round trip", &trips, files.len());
}

fn first_difference(a: &str, b: &str) -> String {
    let ac: Vec<char> = a.chars().collect();
    let bc: Vec<char> = b.chars().collect();
    let i = ac.iter().zip(&bc).take_while(|(x, y)| x == y).count();
    let show = |v: &[char]| {
        v[i.saturating_sub(10)..(i + 20).min(v.len())]
            .iter()
            .collect::<String>()
    };
    format!(
        "at char {i}: source “{}” vs model “{}”",
        show(&ac),
        show(&bc)
    )
}
