//! Zero false amendments (issue 19): two copies of one act in different layouts, editorial
//! notes, articles moved far and edited, distant merges; and the false-amendment count (an
//! entry reported substantive whose old and new wording are the same once markup, numbering
//! and punctuation are removed, `statute_eval::score::false_amendments`) on every
//! format-noise pair and every corpus amendment.

use statute::diff::{ChangeSet, EntryKind, diff};
use statute::model::Statute;
use statute::render::select::{Filter, select};
use statute::render::{decision, diff_json, terminal};
use statute_eval::score::false_amendments;

use crate::common::{corpus, fixture, load, md_files};

fn pair(old: &str, new: &str) -> (Statute, Statute, ChangeSet) {
    let (a, b) = (load(&fixture(old)), load(&fixture(new)));
    let cs = diff(&a, &b);
    crate::differ::assert_invariants(&a, &b, &cs);
    (a, b, cs)
}

#[test]
fn two_layouts_of_one_act_differ_in_nothing() {
    for (old, new) in [
        ("act-numbered.md", "act-plain.md"),
        ("act-plain.md", "act-numbered.md"),
    ] {
        let (_, _, cs) = pair(old, new);
        assert!(
            !cs.has_substantive_changes(),
            "{old} → {new}: {:#?}",
            cs.entries
        );
        assert!(false_amendments(&cs).is_empty());
        // Every unit of each copy is accounted for, each entry says it was restructured.
        assert_eq!(cs.summary.restructured, cs.entries.len(), "{old} → {new}");
        assert!(cs.entries.iter().all(|e| !e.renumbered));
        // The in-force clause is a point in one copy and a header line in the other.
        let moved = cs
            .entries
            .iter()
            .filter(|e| matches!(e.kind, EntryKind::Added | EntryKind::Deleted))
            .count();
        assert_eq!(moved, 1, "{old} → {new}");
        // The reviews say so; a decision has nothing to decide.
        let shown = select(&cs, &Filter::default());
        let mut text = Vec::new();
        terminal::write(&cs, &shown, &terminal::Options::default(), &mut text).expect("write");
        let text = String::from_utf8(text).expect("utf-8");
        assert!(text.contains("仅结构调整 4 条"), "{text}");
        assert!(text.contains("新增 0 条，删除 0 条，修改 0 条"), "{text}");
        let mut draft = Vec::new();
        decision::write(&cs, &shown, &mut draft).expect("write");
        let draft = String::from_utf8(draft).expect("utf-8");
        assert!(!draft.contains("一、"), "{draft}");
        let json = serde_json::to_value(diff_json::doc(&cs)).expect("json");
        assert_eq!(json["summary"]["restructured"], 4);
        assert_eq!(json["substantive"], false);
    }
}

#[test]
fn editorial_notes_are_shown_and_never_amendments() {
    let new = load(&fixture("notes-2023.md"));
    let notes: Vec<(&str, Option<String>)> = new
        .body
        .notes
        .iter()
        .map(|n| {
            (
                n.marker.as_str(),
                n.after.map(|k| new.articles()[k].article.label.clone()),
            )
        })
        .collect();
    assert_eq!(
        notes,
        [
            ("编者注：", Some("第三条".to_string())),
            ("①", Some("第六条".to_string()))
        ]
    );
    // Neither is part of an article.
    assert!(new.articles().iter().all(|a| !a.article.text().contains("施行日期")
        && !a.article.text().contains("编者注")));

    let (_, _, cs) = pair("notes-2020.md", "notes-2023.md");
    // Exactly the article the amending act names.
    let changed: Vec<&str> = cs
        .entries
        .iter()
        .filter(|e| e.substantive)
        .flat_map(|e| e.new.iter().map(|u| u.label.as_str()))
        .collect();
    assert_eq!(changed, ["第四条"]);
    assert_eq!(cs.notes.len(), 2);
    assert!(cs.notes.iter().all(|n| n.old.is_none()));
    assert!(cs.texts.is_empty(), "{:?}", cs.texts);
    let shown = select(&cs, &Filter::default());
    let mut draft = Vec::new();
    decision::write(&cs, &shown, &mut draft).expect("write");
    let draft = String::from_utf8(draft).expect("utf-8");
    assert!(
        draft.contains("一、将第四条") && !draft.contains("二、"),
        "{draft}"
    );
    assert!(
        !draft.contains("施行日期") && !draft.contains("编者注"),
        "{draft}"
    );
    let json = serde_json::to_value(diff_json::doc(&cs)).expect("json");
    assert_eq!(json["notes"][1]["new"]["after"], "第六条");
    assert_eq!(json["notes"][1]["op"], "added");
}

/// The entries that are not plainly unchanged.
fn changed(cs: &ChangeSet) -> Vec<&statute::diff::Entry> {
    cs.entries
        .iter()
        .filter(|e| e.kind != EntryKind::Unchanged)
        .collect()
}

#[test]
fn an_article_moved_far_and_edited_is_one_article() {
    let (_, _, cs) = pair("water-2009.md", "water-2020-far-move.md");
    let changed = changed(&cs);
    assert_eq!(changed.len(), 1, "{changed:#?}");
    let e = changed[0];
    assert_eq!(e.kind, EntryKind::Modified);
    assert!(e.moved && e.substantive);
    assert_eq!(
        (e.old[0].label.as_str(), e.new[0].label.as_str()),
        ("第九条", "第二十四条")
    );
}

#[test]
fn articles_merged_from_far_apart_are_one_merge() {
    let (_, _, cs) = pair("water-2009.md", "water-2020-merge.md");
    let changed = changed(&cs);
    assert_eq!(changed.len(), 1, "{changed:#?}");
    let e = changed[0];
    assert_eq!(e.kind, EntryKind::Merged);
    let old: Vec<&str> = e.old.iter().map(|u| u.label.as_str()).collect();
    assert_eq!(old, ["第十五条", "第二十二条"]);
    // Every sentence kept: a restructuring, not an amendment.
    assert!(e.restructured && !e.substantive);
}

#[test]
fn format_noise_and_corpus_amendments_have_no_false_amendment() {
    let Some(dir) = corpus() else { return };
    let mut pairs = Vec::new();
    for d in std::fs::read_dir(dir.join("format-noise"))
        .into_iter()
        .flatten()
        .flatten()
    {
        let p = d.path();
        pairs.push((p.join("a.md"), p.join("b.md")));
    }
    let files = md_files(&dir.join("multi"));
    for w in files.windows(2) {
        if w[0].parent() == w[1].parent() {
            pairs.push((w[0].clone(), w[1].clone()));
        }
    }
    assert!(pairs.len() > 300, "{} pairs", pairs.len());
    let mut found = Vec::new();
    for (a, b) in &pairs {
        let cs = diff(&load(a), &load(b));
        for f in false_amendments(&cs) {
            found.push(format!("{}: {f}", a.display()));
        }
    }
    println!(
        "false amendments on {} format-noise and corpus pairs: {}",
        pairs.len(),
        found.len()
    );
    assert!(
        found.is_empty(),
        "{} false amendments:\n{}",
        found.len(),
        found.join("\n")
    );
}
