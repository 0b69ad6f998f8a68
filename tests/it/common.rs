//! Shared helpers: where the corpus and fixtures are, and how to walk them.

use std::path::{Path, PathBuf};

use statute::model::Statute;
use statute::parse::parse_file;

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file under `fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    root().join("fixtures").join(name)
}

/// The shared corpus (`$STATUTE_CORPUS`, else `../shared/corpus`), or `None` with a printed
/// reason so that a fresh clone without it still passes; with `STATUTE_REQUIRE_CORPUS=1`
/// (CI) a missing corpus fails the test instead.
pub fn corpus() -> Option<PathBuf> {
    match statute_eval::corpus::find() {
        Ok(dir) => Some(dir),
        Err(dir) if std::env::var_os("STATUTE_REQUIRE_CORPUS").is_some_and(|v| v == "1") => {
            panic!(
                "corpus not found at {} and STATUTE_REQUIRE_CORPUS=1 (set STATUTE_CORPUS)",
                dir.display()
            )
        }
        Err(dir) => {
            eprintln!(
                "skipping: corpus not found at {} (set STATUTE_CORPUS to run corpus tests)",
                dir.display()
            );
            None
        }
    }
}

/// Every `*.md` version file below a directory (README.md excluded), sorted.
pub use statute_eval::corpus::md_files;

/// The statutes' folders of the corpus's `multi/` (`multi/<category>/<statute>/`, each
/// holding its versions), sorted.
pub fn statute_dirs(corpus: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus.join("multi"))
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|cat| {
            std::fs::read_dir(cat.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// The statute in a version file; a file that does not parse fails the test.
pub fn load(p: &Path) -> Statute {
    match parse_file(p) {
        Ok(x) => x.statute,
        Err(e) => panic!("{e}"),
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
