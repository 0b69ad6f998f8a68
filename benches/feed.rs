//! The change feed on a store of the whole shared corpus (`multi/` and `single/`): the full
//! feed (every event, JSON Lines), the feed `--since` its latest cursor, and the Atom output.
//! Run with `cargo bench --bench feed`; without the corpus it says so and measures nothing.
//! With process start, on the release binary: `hyperfine -N 'target/release/statute --store S
//! feed --since CURSOR'` (see docs/benchmarks.md).

#[path = "common/mod.rs"]
mod common;

use std::sync::OnceLock;

use statute::feed::{self, Options, Since};
use statute::store::Store;

// Measure with the allocator the binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// The cursor of the newest event.
fn latest_cursor() -> Option<&'static String> {
    static CURSOR: OnceLock<Option<String>> = OnceLock::new();
    CURSOR
        .get_or_init(|| {
            let store = Store::open(common::full_store()?).ok()?;
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
    let Some(path) = common::full_store() else {
        return 0;
    };
    let store = Store::open(path).expect("open");
    let mut out = Vec::new();
    feed::write(&store, &Options::default(), &feed::Format::Jsonl, &mut out).expect("feed");
    out.len()
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn full_feed_atom() -> usize {
    let Some(path) = common::full_store() else {
        return 0;
    };
    let store = Store::open(path).expect("open");
    let mut out = Vec::new();
    let atom = feed::Format::Atom {
        title: "statute".into(),
        self_id: "feed".into(),
    };
    feed::write(&store, &Options::default(), &atom, &mut out).expect("feed");
    out.len()
}

#[divan::bench(sample_count = 50)]
fn since_latest_cursor() -> usize {
    let (Some(path), Some(cursor)) = (common::full_store(), latest_cursor()) else {
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
