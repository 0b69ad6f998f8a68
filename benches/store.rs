//! The version store on the whole shared corpus: a full import into an empty store, a no-op
//! re-import, and `log` / `show` in process (open the store, resolve a title, read). Run with
//! `cargo bench --bench store`; without the corpus it says so and measures nothing. For the
//! commands with process start, use `hyperfine -N` on the release binary (see README).

use std::path::PathBuf;
use std::sync::OnceLock;

use statute::store::Store;
use statute::store::import::{ImportOptions, Quiet};

// Measure with the allocator the binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

/// `multi/` and `single/` of the corpus, or `None` with a message.
fn inputs() -> Option<&'static [PathBuf]> {
    static INPUTS: OnceLock<Option<Vec<PathBuf>>> = OnceLock::new();
    INPUTS
        .get_or_init(|| {
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
            Some(vec![corpus.join("multi"), corpus.join("single")])
        })
        .as_deref()
}

/// A store holding the whole corpus, built once.
fn full_store() -> Option<&'static PathBuf> {
    static STORE: OnceLock<Option<(tempfile::TempDir, PathBuf)>> = OnceLock::new();
    STORE
        .get_or_init(|| {
            let inputs = inputs()?;
            let dir = tempfile::tempdir().ok()?;
            let path = dir.path().join("store");
            let (store, _) = Store::init(&path).ok()?;
            store
                .import(inputs, &ImportOptions::default(), &Quiet)
                .ok()?;
            Some((dir, path))
        })
        .as_ref()
        .map(|(_, p)| p)
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn full_import(bencher: divan::Bencher) {
    let Some(inputs) = inputs() else { return };
    bencher
        .with_inputs(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            let (store, _) = Store::init(&dir.path().join("store")).expect("init");
            (dir, store)
        })
        .bench_values(|(dir, store)| {
            let r = store
                .import(inputs, &ImportOptions::default(), &Quiet)
                .expect("import");
            drop(dir);
            r.added
        });
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn noop_reimport(bencher: divan::Bencher) {
    let (Some(inputs), Some(path)) = (inputs(), full_store()) else {
        return;
    };
    let store = Store::open(path).expect("open");
    // A store handle is not Sync: one thread.
    bencher.bench_local(|| {
        let r = store
            .import(inputs, &ImportOptions::default(), &Quiet)
            .expect("import");
        assert_eq!(r.added, 0);
        r.unchanged
    });
}

#[divan::bench(sample_count = 50)]
fn log(bencher: divan::Bencher) {
    let Some(path) = full_store() else { return };
    bencher.bench(|| {
        let store = Store::open(path).expect("open");
        let id = store.resolve("中华人民共和国立法法").expect("resolve");
        let h = store.history(&id).expect("history");
        let mut out = Vec::new();
        statute::render::store::write_log(&h, &mut out).expect("write");
        out.len()
    });
}

#[divan::bench(sample_count = 50)]
fn show(bencher: divan::Bencher) {
    let Some(path) = full_store() else { return };
    bencher.bench(|| {
        let store = Store::open(path).expect("open");
        let id = store.resolve("中华人民共和国立法法").expect("resolve");
        let h = store.history(&id).expect("history");
        let head = h.head().expect("head");
        store.text(head).expect("text").len()
    });
}
