//! The terminal browser on a store of the whole shared corpus, frames drawn into ratatui's
//! `TestBackend` (80×24 unless said): the first frame (open the store, list the statutes, build
//! the state, draw), and the redraw after one key on each screen, with the change set already
//! delivered (as the loader thread would). Run with `cargo bench --bench tui`; without the
//! corpus it says so and measures nothing. The first frame of the real binary, with process
//! start and terminal set-up: `STATUTE_BROWSE_TIMING=1 statute browse` (see docs/benchmarks.md).

#[path = "common/mod.rs"]
mod common;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use statute::store::Store;
use statute::tui::data::Loader;
use statute::tui::{App, ui};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    divan::main();
}

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn settle(loader: &mut Loader, app: &mut App) {
    while !app.outbox.is_empty() {
        let reqs: Vec<_> = app.outbox.drain(..).collect();
        for r in reqs {
            let resp = loader.serve(r);
            app.deliver(resp);
        }
    }
}

/// The browser on the full store with 立法法's 2023 amendment open, everything delivered.
fn on_amendment() -> Option<(App, Loader)> {
    let path = common::full_store()?;
    let store = Store::open(path).ok()?;
    let mut app = App::new(store.ids().ok()?, true);
    let mut loader = Loader::new(store);
    app.handle(key(KeyCode::Char('/')));
    for c in "中华人民共和国立法法".chars() {
        app.handle(key(KeyCode::Char(c)));
    }
    app.handle(key(KeyCode::Enter));
    app.handle(key(KeyCode::Enter));
    settle(&mut loader, &mut app);
    app.handle(key(KeyCode::Enter));
    settle(&mut loader, &mut app);
    Some((app, loader))
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn first_frame(bencher: divan::Bencher) {
    let Some(path) = common::full_store() else {
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

/// One key (down, then up: the selection moves every time) and the redraw.
fn redraw(bencher: divan::Bencher, app: &mut App, w: u16, h: u16) {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("terminal");
    let mut down = true;
    bencher.bench_local(|| {
        app.handle(key(if down { KeyCode::Down } else { KeyCode::Up }));
        down = !down;
        t.draw(|f| ui::draw(f, app)).expect("draw");
    });
}

#[divan::bench(args = [(80, 24), (200, 60)])]
fn key_amendment_inline(bencher: divan::Bencher, (w, h): (u16, u16)) {
    let Some((mut app, _loader)) = on_amendment() else {
        return;
    };
    redraw(bencher, &mut app, w, h);
}

#[divan::bench(args = [(80, 24), (200, 60)])]
fn key_amendment_side_by_side(bencher: divan::Bencher, (w, h): (u16, u16)) {
    let Some((mut app, _loader)) = on_amendment() else {
        return;
    };
    app.side_by_side = true;
    redraw(bencher, &mut app, w, h);
}

#[divan::bench]
fn key_history(bencher: divan::Bencher) {
    let Some((mut app, mut loader)) = on_amendment() else {
        return;
    };
    app.handle(key(KeyCode::Char('h')));
    settle(&mut loader, &mut app);
    redraw(bencher, &mut app, 80, 24);
}

#[divan::bench]
fn key_statute_list(bencher: divan::Bencher) {
    let Some(path) = common::full_store() else {
        return;
    };
    let store = Store::open(path).expect("open");
    let mut app = App::new(store.ids().expect("ids"), true);
    redraw(bencher, &mut app, 80, 24);
}

/// Typing one character into the filter of every statute, and the redraw.
#[divan::bench]
fn key_list_filter(bencher: divan::Bencher) {
    let Some(path) = common::full_store() else {
        return;
    };
    let store = Store::open(path).expect("open");
    let mut app = App::new(store.ids().expect("ids"), true);
    app.handle(key(KeyCode::Char('/')));
    let mut t = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let mut typed = false;
    bencher.bench_local(|| {
        app.handle(key(if typed {
            KeyCode::Backspace
        } else {
            KeyCode::Char('法')
        }));
        typed = !typed;
        t.draw(|f| ui::draw(f, &mut app)).expect("draw");
    });
}
