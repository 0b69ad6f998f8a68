//! The compact legal lexicon `statute` segments drafting text with (`data/lexicon.txt`): the
//! words of jieba's default dictionary that the corpus's statutes use, each with how often
//! it occurs there, so that segmentation follows legal usage and loads in a few
//! milliseconds instead of jieba's 100 ms for its whole dictionary.

use std::collections::HashMap;
use std::path::Path;

use jieba_rs::Jieba;
use statute::parse::parse_file;

use crate::corpus::md_files;

/// Words seen fewer times than this in the corpus are left out (single characters stay:
/// jieba weighs every character).
pub const MIN_COUNT: usize = 2;

/// The lexicon of the statutes under `dir` (`multi/` and `single/`), in jieba's dictionary
/// format (`word count`), sorted by word.
pub fn build(dir: &Path) -> String {
    let jieba = Jieba::new();
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut files = md_files(&dir.join("multi"));
    files.extend(md_files(&dir.join("single")));
    for f in &files {
        let Ok(parsed) = parse_file(f) else { continue };
        let s = &parsed.statute;
        for line in s.body_text().lines().chain([s.meta.title.as_str()]) {
            for tok in jieba.cut(line, false) {
                if tok.word.chars().all(ideograph) && jieba.has_word(tok.word) {
                    *counts.entry(tok.word.to_string()).or_insert(0) += 1;
                }
            }
        }
    }
    let mut words: Vec<(String, usize)> = counts
        .into_iter()
        .filter(|(w, n)| *n >= MIN_COUNT || w.chars().count() == 1)
        .collect();
    words.sort();
    let mut out = String::new();
    for (w, n) in words {
        out.push_str(&format!("{w} {n}\n"));
    }
    out
}

fn ideograph(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}
