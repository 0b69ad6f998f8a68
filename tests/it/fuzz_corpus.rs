//! Inputs the fuzzers found interesting (`fixtures/fuzz/`), replayed through the same checks
//! as the fuzz targets, so every crash once fixed stays fixed.

use std::path::Path;

use crate::common::root;

// The diff target's reading of an input as two versions.
#[path = "../../fuzz/two_versions.rs"]
mod two_versions;

fn inputs(target: &str) -> Vec<Vec<u8>> {
    let dir = root().join("fixtures/fuzz").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read(p).expect("read"))
        .collect()
}

#[test]
fn parse_inputs_round_trip_or_are_refused() {
    let all = inputs("parse");
    assert!(!all.is_empty());
    for data in all {
        let Ok(parsed) = statute::parse::parse_bytes(Path::new("fuzz"), &data) else {
            continue;
        };
        let mut md = Vec::new();
        statute::parse::canonical::write(&parsed.statute, &mut md).expect("memory");
        let again = statute::parse::parse_bytes(Path::new("fuzz.md"), &md).expect("reparse");
        assert_eq!(again.statute, parsed.statute);
    }
}

#[test]
fn diff_inputs_rebuild_both_sides() {
    for data in inputs("diff") {
        let Some((a, b)) = two_versions::parse(&data) else {
            continue;
        };
        let cs = statute::diff::diff(&a.statute, &b.statute);
        crate::differ::assert_invariants(&a.statute, &b.statute, &cs);
    }
}
