//! Helpers shared by the benchmarks that need the corpus or a store built from it (bench
//! targets cannot use the test helpers). Included with `#[path = "common/mod.rs"] mod common;`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use statute::store::Store;
use statute::store::import::{ImportOptions, Quiet};

/// The corpus directory (`$STATUTE_CORPUS`, else `../shared/corpus`), or `None` with a
/// message (printed once).
pub fn corpus_dir() -> Option<&'static Path> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        statute_eval::corpus::find()
            .map_err(|dir| {
                eprintln!(
                    "skipping: corpus not found at {} (set STATUTE_CORPUS)",
                    dir.display()
                );
            })
            .ok()
    })
    .as_deref()
}

/// `multi/` and `single/` of the corpus (`$STATUTE_CORPUS`, else `../shared/corpus`), or
/// `None` with a message.
pub fn corpus_inputs() -> Option<&'static [PathBuf]> {
    static INPUTS: OnceLock<Option<Vec<PathBuf>>> = OnceLock::new();
    INPUTS
        .get_or_init(|| {
            let corpus = corpus_dir()?;
            Some(vec![corpus.join("multi"), corpus.join("single")])
        })
        .as_deref()
}

/// A store holding the whole corpus, built once per benchmark process (or
/// `$STATUTE_BENCH_STORE` when it names a store already built), or `None` with a message.
pub fn full_store() -> Option<&'static PathBuf> {
    static STORE: OnceLock<Option<(Option<tempfile::TempDir>, PathBuf)>> = OnceLock::new();
    STORE
        .get_or_init(|| {
            if let Some(p) = std::env::var_os("STATUTE_BENCH_STORE") {
                return Some((None, PathBuf::from(p)));
            }
            let inputs = corpus_inputs()?;
            let dir = tempfile::tempdir().ok()?;
            let path = dir.path().join("store");
            let (store, _) = Store::init(&path).ok()?;
            store
                .import(inputs, &ImportOptions::default(), &Quiet)
                .ok()?;
            Some((Some(dir), path))
        })
        .as_ref()
        .map(|(_, p)| p)
}

/// Copies the directory `from` into `to` (created), recursively: a store copied so that a
/// benchmark that writes to it starts every iteration from the same state.
pub fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// The peak resident set size of this process in KiB (`VmHWM` of `/proc/self/status`, Linux
/// only): the whole process's, benchmark harness and earlier benchmarks included, not one
/// call's.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Resets the peak that [`peak_rss_kib`] reads to the current resident set (writes `5` to
/// `/proc/self/clear_refs`, Linux 4.0 and later); false when that is not possible.
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}
