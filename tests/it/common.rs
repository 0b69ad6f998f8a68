//! Shared helpers: where the corpus and fixtures are, and how to walk them.

use std::path::{Path, PathBuf};

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file under `fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    root().join("fixtures").join(name)
}

/// The shared corpus (`$STATUTE_CORPUS`, else `../shared/corpus`), or `None` with a printed
/// reason so that a fresh clone without it still passes.
pub fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("STATUTE_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("../shared/corpus"));
    if dir.join("multi").is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "skipping: corpus not found at {} (set STATUTE_CORPUS to run corpus tests)",
            dir.display()
        );
        None
    }
}

/// Every `*.md` version file below `dir` (README.md excluded), sorted.
pub fn md_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "md")
            && p.file_name().is_some_and(|n| n != "README.md")
        {
            out.push(p);
        }
    }
}

/// Removes all whitespace.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Fails with at most 15 of the collected problems listed.
pub fn assert_none(what: &str, problems: &[String], total: usize) {
    if !problems.is_empty() {
        let shown: Vec<&str> = problems.iter().take(15).map(String::as_str).collect();
        panic!(
            "{what}: {} of {total} files failed:\n{}",
            problems.len(),
            shown.join("\n")
        );
    }
}
