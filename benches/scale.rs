//! The store at national scale: a corpus `factor` times the shared one (`statute-eval scale`:
//! renamed copies of `multi/` and `single/`, one statute in ten with three synthetic
//! amendments), generated once per factor, and a store of it built once per factor. Per
//! factor: a full import into an empty store, a no-op re-import, `log`, `show`, `history` of
//! one article, `list`, the full feed and the feed `--since` its latest cursor, `verify`, and
//! the browser's first frame, all in process (no process start).
//!
//! Factors: `$STATUTE_SCALE`, a comma list (default `1,10`; `100` on request). Each factor's
//! corpus goes to a temporary directory, or to `$STATUTE_SCALE_DIR/<factor>x`, reused when it
//! is there (so that a 100× corpus is generated once). Run with `cargo bench --bench scale`;
//! without the corpus it says so and measures nothing. The import entries print the peak
//! resident set of the bench process (`VmHWM`, reset before the sample where Linux allows):
//! the process's, not the import's alone. The figures of record come from the release binary
//! under `/usr/bin/time -v` (see docs/benchmarks.md).

#[path = "common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use statute::feed::{self, Options, Since};
use statute::store::Store;
use statute::store::import::{ImportOptions, Quiet};
use statute::tui::{App, ui};
use statute_eval::scale::{self, ScaleOptions};

// Measure with the allocator the binary uses.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The statute `log`, `show` and `history` read (copy 0: the real one).
const STATUTE: &str = "中华人民共和国立法法";
/// The article `history` follows.
const ARTICLE: &str = "第十条";

/// Temporary directories (corpora, stores), removed when the benchmarks are done: statics are
/// never dropped.
static TEMP: Mutex<Vec<tempfile::TempDir>> = Mutex::new(Vec::new());

fn main() {
    divan::main();
    if let Ok(mut t) = TEMP.lock() {
        t.clear();
    }
}

/// The factors to measure: `$STATUTE_SCALE` (a comma list), else 1 and 10.
fn factors() -> Vec<usize> {
    let list: Vec<usize> = std::env::var("STATUTE_SCALE")
        .unwrap_or_default()
        .split(',')
        .filter_map(|f| f.trim().parse().ok())
        .filter(|&f| f > 0)
        .collect();
    if list.is_empty() { vec![1, 10] } else { list }
}

fn temp_dir() -> Option<PathBuf> {
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().to_path_buf();
    TEMP.lock().ok()?.push(dir);
    Some(path)
}

fn mib(kib: u64) -> String {
    format!("{:.0} MiB", kib as f64 / 1024.0)
}

/// One factor's corpus and, once asked for, its store.
struct Scaled {
    factor: usize,
    corpus: PathBuf,
    store: OnceLock<Option<PathBuf>>,
}

/// The corpus of `factor`, generated on first use (or found in `$STATUTE_SCALE_DIR`).
fn scaled(factor: usize) -> Option<&'static Scaled> {
    static ALL: Mutex<BTreeMap<usize, Option<&'static Scaled>>> = Mutex::new(BTreeMap::new());
    let mut all = ALL.lock().ok()?;
    *all.entry(factor).or_insert_with(|| {
        let source = common::corpus_dir()?;
        let corpus = match std::env::var_os("STATUTE_SCALE_DIR") {
            Some(root) => {
                let dir = Path::new(&root).join(format!("{factor}x"));
                if !dir.is_dir() {
                    // Written beside and renamed, so that an interrupted run leaves no
                    // corpus that looks complete.
                    let partial = Path::new(&root).join(format!("{factor}x.partial"));
                    let _ = std::fs::remove_dir_all(&partial);
                    generate(source, factor, &partial)?;
                    std::fs::rename(&partial, &dir).ok()?;
                }
                dir
            }
            None => {
                let dir = temp_dir()?.join("corpus");
                generate(source, factor, &dir)?;
                dir
            }
        };
        Some(&*Box::leak(Box::new(Scaled {
            factor,
            corpus,
            store: OnceLock::new(),
        })))
    })
}

fn generate(source: &Path, factor: usize, out: &Path) -> Option<()> {
    let start = Instant::now();
    let opts = ScaleOptions {
        factor,
        ..ScaleOptions::default()
    };
    match scale::generate(source, &opts, out) {
        Ok(stats) => {
            eprintln!(
                "scale {factor}x: {} in {:.1} s",
                stats.summary(),
                start.elapsed().as_secs_f64()
            );
            Some(())
        }
        Err(e) => {
            eprintln!("skipping: scale {factor}x: {e}");
            None
        }
    }
}

impl Scaled {
    /// A store of the whole scaled corpus, built on first use.
    fn store(&self) -> Option<&Path> {
        self.store
            .get_or_init(|| {
                let path = temp_dir()?.join("store");
                let (store, _) = Store::init(&path).ok()?;
                let start = Instant::now();
                let r = store
                    .import(
                        std::slice::from_ref(&self.corpus),
                        &ImportOptions::default(),
                        &Quiet,
                    )
                    .ok()?;
                eprintln!(
                    "scale {}x: store of {} versions built in {:.1} s",
                    self.factor,
                    r.added,
                    start.elapsed().as_secs_f64()
                );
                Some(path)
            })
            .as_deref()
    }
}

fn store_of(factor: usize) -> Option<&'static Path> {
    scaled(factor)?.store()
}

#[divan::bench(args = factors(), sample_count = 2, sample_size = 1)]
fn full_import(bencher: divan::Bencher, factor: usize) {
    let Some(s) = scaled(factor) else {
        return;
    };
    let inputs = [s.corpus.clone()];
    let mut reset = false;
    bencher
        .with_inputs(|| {
            let dir = tempfile::tempdir().expect("tempdir");
            let (store, _) = Store::init(&dir.path().join("store")).expect("init");
            reset = common::reset_peak_rss();
            (dir, store)
        })
        .bench_local_values(|(dir, store)| {
            let r = store
                .import(&inputs, &ImportOptions::default(), &Quiet)
                .expect("import");
            drop(dir);
            r.added
        });
    if let Some(kib) = common::peak_rss_kib() {
        let since = if reset {
            "the last sample"
        } else {
            "process start"
        };
        eprintln!(
            "full_import {factor}x: peak RSS of the bench process since {since}: {}",
            mib(kib)
        );
    }
}

#[divan::bench(args = factors(), sample_count = 2, sample_size = 1)]
fn noop_reimport(bencher: divan::Bencher, factor: usize) {
    let (Some(s), Some(path)) = (scaled(factor), store_of(factor)) else {
        return;
    };
    let inputs = [s.corpus.clone()];
    let store = Store::open(path).expect("open");
    let reset = common::reset_peak_rss();
    // A store handle is not Sync: one thread.
    bencher.bench_local(|| {
        let r = store
            .import(&inputs, &ImportOptions::default(), &Quiet)
            .expect("import");
        assert_eq!(r.added, 0);
        r.unchanged
    });
    if let Some(kib) = common::peak_rss_kib() {
        let since = if reset {
            "the first sample"
        } else {
            "process start"
        };
        eprintln!(
            "noop_reimport {factor}x: peak RSS of the bench process since {since}: {}",
            mib(kib)
        );
    }
}

#[divan::bench(args = factors(), sample_count = 20)]
fn log(bencher: divan::Bencher, factor: usize) {
    let Some(path) = store_of(factor) else {
        return;
    };
    bencher.bench(|| {
        let store = Store::open(path).expect("open");
        let id = store.resolve(STATUTE).expect("resolve");
        let h = store.history(&id).expect("history");
        let mut out = Vec::new();
        statute::render::store::write_log(&h, &mut out).expect("write");
        out.len()
    });
}

#[divan::bench(args = factors(), sample_count = 20)]
fn show(bencher: divan::Bencher, factor: usize) {
    let Some(path) = store_of(factor) else {
        return;
    };
    bencher.bench(|| {
        let store = Store::open(path).expect("open");
        let id = store.resolve(STATUTE).expect("resolve");
        let h = store.history(&id).expect("history");
        let head = h.head().expect("head");
        store.text(head).expect("text").len()
    });
}

#[divan::bench(args = factors(), sample_count = 10)]
fn history(bencher: divan::Bencher, factor: usize) {
    let Some(path) = store_of(factor) else {
        return;
    };
    bencher.bench(|| {
        let store = Store::open(path).expect("open");
        let id = store.resolve(STATUTE).expect("resolve");
        let h = store.history(&id).expect("history");
        let a = store.article_history(&h, None, ARTICLE).expect("article");
        let mut out = Vec::new();
        statute::render::store::write_history(&a, &mut out).expect("write");
        out.len()
    });
}

/// `statute list`: the catalog of every statute, rendered.
#[divan::bench(args = factors(), sample_count = 10)]
fn list(bencher: divan::Bencher, factor: usize) {
    let Some(path) = store_of(factor) else {
        return;
    };
    bencher.bench(|| {
        let store = Store::open(path).expect("open");
        let mut out = Vec::new();
        for rows in store.catalog(None).expect("list") {
            statute::render::store::write_list(&rows.expect("rows"), &mut out).expect("write");
        }
        out.len()
    });
}

#[divan::bench(args = factors(), sample_count = 2, sample_size = 1)]
fn feed_all(bencher: divan::Bencher, factor: usize) {
    let Some(path) = store_of(factor) else {
        return;
    };
    bencher.bench(|| {
        let store = Store::open(path).expect("open");
        // As `statute feed` writes it: a batch at a time, spilled, into a sink.
        let mut out = std::io::sink();
        feed::write(&store, &Options::default(), &feed::Format::Jsonl, &mut out).expect("feed")
    });
}

#[divan::bench(args = factors(), sample_count = 20)]
fn feed_since_latest_cursor(bencher: divan::Bencher, factor: usize) {
    let Some(path) = store_of(factor) else {
        return;
    };
    let latest = {
        let store = Store::open(path).expect("open");
        let opts = Options {
            limit: Some(1),
            ..Options::default()
        };
        let events = feed::events(&store, &opts).expect("feed");
        events.last().expect("an event").cursor.clone()
    };
    bencher.bench(|| {
        let store = Store::open(path).expect("open");
        let opts = Options {
            since: Some(Since::parse(&latest).expect("cursor")),
            ..Options::default()
        };
        let events = feed::events(&store, &opts).expect("feed");
        let mut out = Vec::new();
        feed::write_jsonl(&events, &mut out).expect("write");
        out.len()
    });
}

#[divan::bench(args = factors(), sample_count = 2, sample_size = 1)]
fn verify(bencher: divan::Bencher, factor: usize) {
    let Some(path) = store_of(factor) else {
        return;
    };
    bencher.bench(|| {
        let store = Store::open(path).expect("open");
        let report = store.verify().expect("verify");
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        report.versions
    });
}

/// The browser's first frame as `statute browse` draws it: open the store (handed to the
/// loader, which reads the statute list next), draw 80×24.
#[divan::bench(args = factors(), sample_count = 10)]
fn first_frame(bencher: divan::Bencher, factor: usize) {
    let Some(path) = store_of(factor) else {
        return;
    };
    bencher.bench(|| {
        let store = Store::open(path).expect("open");
        let mut app = App::loading(true);
        let mut t = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
        t.draw(|f| ui::draw(f, &mut app)).expect("draw");
        drop(store);
        app.outbox.len()
    });
}

/// The browser's statute list ready: open the store, read every id, build the state, draw
/// 80×24 (the frame after the first, when the loader has answered).
#[divan::bench(args = factors(), sample_count = 10)]
fn statute_list(bencher: divan::Bencher, factor: usize) {
    let Some(path) = store_of(factor) else {
        return;
    };
    bencher.bench(|| {
        let store = Store::open(path).expect("open");
        let mut app = App::new(store.ids().expect("ids"), true);
        let mut t = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
        t.draw(|f| ui::draw(f, &mut app)).expect("draw");
        app.statutes.len()
    });
}
