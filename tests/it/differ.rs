//! The differ on real data: format-only pairs, every amendment in the corpus, the bundled
//! example amendment, and properties on generated statutes.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use proptest::prelude::*;
use statute::diff::{ChangeSet, EntryKind, chars, diff};
use statute::model::Statute;
use statute::normalize::normalize;

use crate::common::{corpus, load, root, statute_dirs};

/// Every unit of each side in exactly one entry; each entry's diff rebuilds both sides.
pub(crate) fn assert_invariants(a: &Statute, b: &Statute, cs: &ChangeSet) {
    let (oa, na) = (a.articles(), b.articles());
    let mut seen_old = vec![0u32; oa.len()];
    let mut seen_new = vec![0u32; na.len()];
    for e in &cs.entries {
        for u in &e.old {
            seen_old[u.index] += 1;
        }
        for u in &e.new {
            seen_new[u.index] += 1;
        }
        let join = |side: &[statute::diff::UnitRef], arts: &[statute::model::ArticleRef<'_>]| {
            side.iter()
                .map(|u| arts[u.index].article.text())
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(
            chars::old_text(&e.diff),
            join(&e.old, &oa),
            "old side of {:?}",
            e.old
        );
        assert_eq!(
            chars::new_text(&e.diff),
            join(&e.new, &na),
            "new side of {:?}",
            e.new
        );
    }
    assert!(
        seen_old.iter().all(|&c| c == 1),
        "old coverage: {seen_old:?}"
    );
    assert!(
        seen_new.iter().all(|&c| c == 1),
        "new coverage: {seen_new:?}"
    );
}

#[test]
fn format_noise_pairs_report_no_substantive_change_unless_the_text_differs() {
    let Some(dir) = corpus() else { return };
    let mut pairs: Vec<PathBuf> = std::fs::read_dir(dir.join("format-noise"))
        .expect("format-noise")
        .flatten()
        .map(|e| e.path())
        .collect();
    pairs.sort();
    assert!(pairs.len() > 200);
    let mut wrong = Vec::new();
    let mut differing = Vec::new();
    for p in &pairs {
        let (a, b) = (load(&p.join("a.md")), load(&p.join("b.md")));
        let cs = diff(&a, &b);
        assert_invariants(&a, &b, &cs);
        // The corpus calls these formatting-only, but some sides lost or gained text (an
        // annex, a paragraph, a whole appended statute). Where the text itself differs, the
        // diff must say so; where it does not, it must report nothing substantive.
        // A title printed again at the top of the body is layout, not text; a document
        // number (法释〔2020〕17号) is the publication's, printed by one source and not another.
        let text = |s: &Statute| {
            let mut s = s.clone();
            s.body.title_line = None;
            s.body.doc_number = None;
            normalize(&s.body_text())
        };
        let same_text = text(&a) == text(&b);
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if same_text == cs.has_substantive_changes() {
            wrong.push(format!(
                "{name}: same text {same_text}, substantive {}",
                cs.has_substantive_changes()
            ));
        }
        if !same_text {
            differing.push(name);
        }
    }
    eprintln!(
        "format-noise: {} pairs, {} with genuinely different text: {}",
        pairs.len(),
        differing.len(),
        differing.join(", ")
    );
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Most pairs really are formatting-only; a collapse of this share means the parser changed.
    assert!(
        differing.len() * 4 < pairs.len(),
        "{} differing pairs",
        differing.len()
    );
}

#[test]
fn every_amendment_in_the_corpus_diffs_with_full_coverage() {
    let Some(dir) = corpus() else { return };
    let mut pairs = 0;
    for st in &statute_dirs(&dir) {
        let mut versions = crate::common::md_files(st);
        versions.sort();
        for w in versions.windows(2) {
            let (a, b) = (load(&w[0]), load(&w[1]));
            let cs = diff(&a, &b);
            assert_invariants(&a, &b, &cs);
            // The command line diffs on several threads: the result must not depend on it.
            assert!(
                cs == statute::diff::diff_threads(&a, &b, 2),
                "{}: two threads disagree with one",
                w[1].display()
            );
            pairs += 1;
        }
    }
    assert!(pairs >= 111, "{pairs} pairs");
}

#[test]
fn bundled_example_amendment_is_reported_exactly() {
    let dir = root().join("versions/天津市信息化促进条例");
    let a = load(&dir.join("2007-09-12.md"));
    let b = load(&dir.join("2025-06-30.md"));
    let cs = diff(&a, &b);
    assert_invariants(&a, &b, &cs);
    let s = cs.summary;
    assert_eq!((s.added, s.deleted, s.split, s.merged), (1, 1, 0, 0));
    let changed: Vec<(EntryKind, Vec<&str>, Vec<&str>, bool)> = cs
        .entries
        .iter()
        .filter(|e| e.kind != EntryKind::Unchanged)
        .map(|e| {
            (
                e.kind,
                e.old.iter().map(|u| u.label.as_str()).collect(),
                e.new.iter().map(|u| u.label.as_str()).collect(),
                e.substantive,
            )
        })
        .collect();
    use EntryKind::*;
    assert_eq!(
        changed,
        [
            (Modified, vec!["第四条"], vec!["第四条"], true),
            (Added, vec![], vec!["第十三条"], true),
            (Modified, vec!["第二十二条"], vec!["第二十三条"], true),
            (Modified, vec!["第二十四条"], vec!["第二十五条"], true),
            (Deleted, vec!["第三十六条"], vec![], true),
            (Modified, vec!["第四十三条"], vec!["第四十三条"], true),
            (Modified, vec!["第四十七条"], vec!["第四十七条"], true),
            // Only the cross-reference follows the renumbering: formal.
            (Modified, vec!["第四十八条"], vec!["第四十八条"], false),
            (Modified, vec!["第四十九条"], vec!["第四十九条"], false),
        ]
    );
    // Old 13–35 moved up by one without other change; 37–51 kept their numbers.
    let renumbered: HashSet<&str> = cs
        .entries
        .iter()
        .filter(|e| e.kind == Unchanged && e.renumbered)
        .flat_map(|e| e.old.iter().map(|u| u.label.as_str()))
        .collect();
    assert_eq!(renumbered.len(), 21);
    assert!(cs.entries.iter().all(|e| !e.moved));
    let headings: Vec<_> = cs
        .headings
        .iter()
        .map(|h| (h.kind, h.new.clone()))
        .collect();
    assert_eq!(
        headings,
        [(
            statute::diff::HeadingChangeKind::Renamed,
            Some("第七章 网络与信息安全保障".to_string())
        )]
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_version_against_itself_has_no_changes(s in crate::roundtrip::statute()) {
        let cs = diff(&s, &s);
        prop_assert!(!cs.has_substantive_changes());
        prop_assert!(cs.entries.iter().all(|e| e.kind == EntryKind::Unchanged && !e.renumbered && !e.moved));
        assert_invariants(&s, &s, &cs);
    }

    #[test]
    fn any_two_versions_keep_coverage_and_rebuild(a in crate::roundtrip::statute(), b in crate::roundtrip::statute()) {
        let cs = diff(&a, &b);
        assert_invariants(&a, &b, &cs);
    }
}

/// A model built through the library with items three levels deep (the parser stops at two):
/// the deepest items are lines of the unit too, so a change there is found and shown.
#[test]
fn items_deeper_than_the_parser_makes_still_diff() {
    let text = "第一条 总则。\n\n第二条 下列事项：\n（一）甲；\n1.乙；\n（二）丙。\n";
    let parse = |t: &str| {
        statute::parse::parse_str(Path::new("deep.md"), t)
            .expect("parses")
            .statute
    };
    let deepen = |s: &mut Statute, text: &str| {
        let statute::model::Node::Article(a) = &mut s.body.nodes[1] else {
            panic!("second node is an article");
        };
        let sub = &mut a.paras[0].items[0].subitems[0];
        let mut deeper = sub.clone();
        deeper.marker = "（1）".into();
        deeper.text = text.into();
        sub.subitems.push(deeper);
    };
    let (mut old, mut new) = (parse(text), parse(text));
    deepen(&mut old, "丁；");
    deepen(&mut new, "戊；");
    let cs = diff(&old, &new);
    assert_eq!(cs.entries.len(), 2);
    let e = &cs.entries[1];
    assert_eq!(e.kind, EntryKind::Modified, "{e:?}");
    assert!(e.substantive, "{e:?}");
    assert_eq!(chars::old_text(&e.diff).matches('丁').count(), 1, "{e:?}");
    assert_eq!(chars::new_text(&e.diff).matches('戊').count(), 1, "{e:?}");
}
