//! The change feed on a store of the whole shared corpus (`multi/` and `single/`): the full
//! feed (every event, JSON Lines), the feed `--since` its latest cursor, and the Atom output.
//! Run with `cargo bench --bench feed`; without the corpus it says so and measures nothing.
//! With process start, on the release binary: `hyperfine -N 'target/release/statute --store S
//! feed --since CURSOR'` (see README).

use std::path::PathBuf;
use std::sync::OnceLock;

use statute::feed::{self, Options, Since};
use statute::store::Store;
use statute::store::import::{ImportOptions, Quiet};

// Measure with the allocator the binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// A store holding the whole corpus, built once (or `$STATUTE_BENCH_STORE` when it names a
/// store already built), or `None` with a message.
fn full_store() -> Option<&'static PathBuf> {
    static STORE: OnceLock<Option<(Option<tempfile::TempDir>, PathBuf)>> = OnceLock::new();
    STORE
        .get_or_init(|| {
            if let Some(p) = std::env::var_os("STATUTE_BENCH_STORE") {
                return Some((None, PathBuf::from(p)));
            }
            let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
            let corpus = std::env::var_os("STATUTE_CORPUS")
                .map(PathBuf::from)
                .unwrap_or_else(|| root.join("../shared/corpus"));
            if !corpus.join("multi").is_dir() {
                eprintln!(
                    "skipping: corpus not found at {} (set STATUTE_CORPUS)",
                    corpus.display()
                );
                return None;
            }
            let dir = tempfile::tempdir().ok()?;
            let path = dir.path().join("store");
            let (store, _) = Store::init(&path).ok()?;
            store
                .import(
                    &[corpus.join("multi"), corpus.join("single")],
                    &ImportOptions::default(),
                    &Quiet,
                )
                .ok()?;
            Some((Some(dir), path))
        })
        .as_ref()
        .map(|(_, p)| p)
}

/// The cursor of the newest event.
fn latest_cursor() -> Option<&'static String> {
    static CURSOR: OnceLock<Option<String>> = OnceLock::new();
    CURSOR
        .get_or_init(|| {
            let store = Store::open(full_store()?).ok()?;
            let opts = Options {
                limit: Some(1),
                ..Options::default()
            };
            feed::events(&store, &opts)
                .ok()?
                .last()
                .map(|e| e.cursor.clone())
        })
        .as_ref()
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn full_feed_jsonl() -> usize {
    let Some(path) = full_store() else { return 0 };
    let store = Store::open(path).expect("open");
    let events = feed::events(&store, &Options::default()).expect("feed");
    let mut out = Vec::new();
    feed::write_jsonl(&events, &mut out).expect("write");
    out.len()
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn full_feed_atom() -> usize {
    let Some(path) = full_store() else { return 0 };
    let store = Store::open(path).expect("open");
    let events = feed::events(&store, &Options::default()).expect("feed");
    let mut out = Vec::new();
    feed::atom::write(&events, "statute", "feed", &mut out).expect("write");
    out.len()
}

#[divan::bench(sample_count = 50)]
fn since_latest_cursor() -> usize {
    let (Some(path), Some(cursor)) = (full_store(), latest_cursor()) else {
        return 0;
    };
    let store = Store::open(path).expect("open");
    let opts = Options {
        since: Some(Since::parse(cursor).expect("cursor")),
        ..Options::default()
    };
    let events = feed::events(&store, &opts).expect("feed");
    let mut out = Vec::new();
    feed::write_jsonl(&events, &mut out).expect("write");
    out.len()
}
