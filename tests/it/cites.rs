//! Citations: extraction measured against the hand-labelled truth (`fixtures/cites/truth.tsv`),
//! and the store's `refs` and `cites`.

use std::collections::HashMap;

use statute::cite::{self, Found, Name, Titles};

use crate::common;

/// One truth row, or one extracted citation, as compared: (line, statute, article).
type Row = (u32, String, String);

/// The statute as the truth writes it: SELF, or the title less a leading 中华人民共和国.
fn truth_name(found: &Found, name: &Name) -> String {
    if *name == Name::This {
        return "SELF".into();
    }
    let shown = match found {
        Found::One { name, .. }
        | Found::Parts { name, .. }
        | Found::Ambiguous { name, .. }
        | Found::Unknown { name } => name,
    };
    cite::title_key(shown)
}

/// Every title of the corpus (its statutes' folder names, `multi/` and `single/`), as a store
/// holding it would know them.
fn corpus_titles(corpus: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    for part in ["multi", "single"] {
        for cat in std::fs::read_dir(corpus.join(part))
            .into_iter()
            .flatten()
            .flatten()
        {
            for d in std::fs::read_dir(cat.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                if d.path().is_dir() {
                    out.push(d.file_name().to_string_lossy().into_owned());
                }
            }
        }
    }
    out.sort();
    out
}

#[test]
fn extraction_matches_the_hand_labelled_sample() {
    measure("cites/truth.tsv");
}

/// A second sample, labelled after the extractor was written and measured before any change
/// made for it.
#[test]
fn extraction_matches_the_held_out_sample() {
    measure("cites/truth-heldout.tsv");
}

/// Precision and recall of the cited statute and article on one truth file: both ≥ 0.98.
fn measure(file: &str) {
    let Some(corpus) = common::corpus() else {
        return;
    };
    let truth = std::fs::read_to_string(common::fixture(file)).expect("truth");
    let mut docs: Vec<String> = Vec::new();
    let mut want: HashMap<String, Vec<Row>> = HashMap::new();
    for line in truth.lines() {
        if let Some(rest) = line.strip_prefix("# doc\t") {
            let path = rest.split('\t').next().expect("path").to_string();
            want.entry(path.clone()).or_default();
            docs.push(path);
            continue;
        }
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 4, "truth row: {line}");
        let statute = if f[2] == "SELF" {
            "SELF".to_string()
        } else {
            cite::title_key(f[2])
        };
        want.entry(f[0].to_string()).or_default().push((
            f[1].parse().expect("line"),
            statute,
            f[3].to_string(),
        ));
    }
    let names = corpus_titles(&corpus);
    let titles = Titles::new(names.iter().map(|t| (t.as_str(), t.as_str())));
    let (mut tp, mut extracted, mut truth_total) = (0usize, 0usize, 0usize);
    let mut misses = Vec::new();
    for doc in &docs {
        let s = common::load(&corpus.join(doc));
        let mut got: Vec<Row> = cite::extract(&s)
            .iter()
            .map(|c| {
                let found = titles.find(&c.name, &s.meta.title);
                (c.line, truth_name(&found, &c.name), c.article.label())
            })
            .collect();
        let mut expected = want[doc].clone();
        truth_total += expected.len();
        extracted += got.len();
        got.sort();
        expected.sort();
        // Multiset intersection.
        let (mut i, mut j) = (0, 0);
        while i < got.len() && j < expected.len() {
            match got[i].cmp(&expected[j]) {
                std::cmp::Ordering::Equal => {
                    tp += 1;
                    i += 1;
                    j += 1;
                }
                std::cmp::Ordering::Less => {
                    misses.push(format!(
                        "extra   {doc}:{} {} {}",
                        got[i].0, got[i].1, got[i].2
                    ));
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    misses.push(format!(
                        "missed  {doc}:{} {} {}",
                        expected[j].0, expected[j].1, expected[j].2
                    ));
                    j += 1;
                }
            }
        }
        for r in &got[i..] {
            misses.push(format!("extra   {doc}:{} {} {}", r.0, r.1, r.2));
        }
        for r in &expected[j..] {
            misses.push(format!("missed  {doc}:{} {} {}", r.0, r.1, r.2));
        }
    }
    let precision = tp as f64 / extracted.max(1) as f64;
    let recall = tp as f64 / truth_total.max(1) as f64;
    println!(
        "{file}: {} documents, {truth_total} labelled, {extracted} extracted, {tp} right: \
         precision {precision:.4}, recall {recall:.4}",
        docs.len()
    );
    for m in &misses {
        println!("{m}");
    }
    assert!(
        docs.len() >= 30 && truth_total >= 300,
        "the sample is too small"
    );
    assert!(
        precision >= 0.98 && recall >= 0.98,
        "precision {precision:.4}, recall {recall:.4}"
    );
}
