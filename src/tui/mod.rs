//! `statute browse`: a terminal browser of amendment history. The run loop sets the terminal
//! up and restores it on every way out (a guard on drop, and a panic hook that restores before
//! the panic message is printed), draws the state in [`app`] with [`ui`], and passes requests
//! to the [`data`] loader on its worker thread, so that no diff is computed on the UI thread.

pub mod app;
pub mod data;
pub mod ui;

use std::io::{self, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::TryRecvError;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::event::{self, DisableMouseCapture, EnableMouseCapture, Event};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};

use crate::store::{Store, StoreError};
pub use app::{Action, App};

/// What can end the browser early.
#[derive(Debug, thiserror::Error)]
pub enum TuiError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("terminal: {0}")]
    Io(#[from] io::Error),
    #[error("the browser needs a terminal")]
    NotATerminal,
    /// The browser was sent this signal (SIGTERM, SIGHUP, SIGINT, SIGQUIT) and left the
    /// terminal as it found it; the caller should now end the way the signal asks.
    #[error("stopped by signal {0}")]
    Signal(i32),
}

/// How long the loop waits for input before looking at the loader's answers again.
const TICK: Duration = Duration::from_millis(30);

/// True when colours are allowed: `NO_COLOR` unset or empty.
pub fn color_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// True while the terminal is in the browser's modes (raw, alternate screen, mouse).
static ACTIVE: AtomicBool = AtomicBool::new(false);

/// Restores the terminal: mouse capture off, main screen, cooked mode, cursor shown. Only the
/// first call after set-up does anything, so a panic restores once (in the hook, before the
/// message) and the guard dropped while unwinding writes nothing after the message.
fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableMouseCapture,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
    let _ = out.flush();
}

/// Restores the terminal when dropped: on quit, on error and while a panic unwinds.
struct Guard;

impl Guard {
    fn enter() -> io::Result<Guard> {
        enable_raw_mode()?;
        ACTIVE.store(true, Ordering::SeqCst);
        // From here on the guard restores whatever went wrong.
        let guard = Guard;
        execute!(io::stdout(), EnterAlternateScreen, EnableMouseCapture)?;
        Ok(guard)
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Installs a panic hook that restores the terminal before the message is printed (else the
/// message would be lost on the alternate screen, in raw mode).
/// A panic on another thread (the loader) while the browser runs is caught there and shown in
/// the status line: the hook leaves the terminal alone and prints nothing over the screen.
fn install_panic_hook() {
    let ui = std::thread::current().id();
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().id() != ui && ACTIVE.load(Ordering::SeqCst) {
            return;
        }
        restore();
        previous(info);
    }));
}

/// Runs the browser on the store at `dir` until the user quits.
pub fn run(dir: &Path) -> Result<(), TuiError> {
    let started = Instant::now();
    use std::io::IsTerminal;
    let store = Store::open(dir)?;
    if !io::stdout().is_terminal() || !io::stdin().is_terminal() {
        return Err(TuiError::NotATerminal);
    }
    // The loader thread gets the store; the statute list is its first request, so the first
    // frame does not wait for it (reading every id takes most of a second at 100× the corpus).
    let (requests, responses) = data::spawn(store);
    let mut app = App::loading(color_allowed());
    install_panic_hook();
    // A terminating signal is noted and handled in the loop, so the terminal is restored
    // before the process goes.
    let signalled = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for sig in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGQUIT,
    ] {
        signal_hook::flag::register_usize(sig, std::sync::Arc::clone(&signalled), sig as usize)?;
    }
    let guard = Guard::enter()?;
    // A fresh alternate screen, cleared without `Terminal::clear`, which asks the terminal
    // for the cursor position and waits up to two seconds for terminals that do not answer.
    execute!(io::stdout(), Clear(ClearType::All))?;
    let mut terminal = Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let mut first_frame: Option<Duration> = None;
    let mut dirty = true;
    loop {
        let sig = signalled.load(Ordering::SeqCst);
        if sig != 0 {
            drop(terminal);
            drop(guard);
            return Err(TuiError::Signal(sig as i32));
        }
        for r in app.outbox.drain(..) {
            // A closed channel means the worker died; its panic was reported by the hook.
            if requests.send(r).is_err() {
                app.message = Some("the loader stopped".into());
            }
        }
        if dirty {
            terminal.draw(|f| ui::draw(f, &mut app))?;
            first_frame.get_or_insert_with(|| started.elapsed());
            dirty = false;
            // For scripts/tui-session.sh: shows that a panic leaves the terminal restored.
            if std::env::var_os("STATUTE_BROWSE_PANIC_TEST").is_some() {
                panic!("STATUTE_BROWSE_PANIC_TEST: panicking after the first frame");
            }
        }
        if event::poll(TICK)? {
            // Take every event that is already there before drawing again.
            loop {
                let action = match event::read()? {
                    Event::Key(k) => app.handle(k),
                    Event::Mouse(m) => app.mouse(m),
                    _ => Action::Continue,
                };
                dirty = true;
                if action == Action::Quit {
                    drop(terminal);
                    drop(guard);
                    report_timing(first_frame);
                    return Ok(());
                }
                if !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        loop {
            match responses.try_recv() {
                Ok(r) => {
                    app.deliver(r);
                    dirty = true;
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    if !app.pending.is_empty() {
                        app.pending.clear();
                        app.message = Some("the loader stopped".into());
                        dirty = true;
                    }
                    break;
                }
            }
        }
    }
}

/// With `STATUTE_BROWSE_TIMING` set, prints the time from start to the first frame on standard
/// error after the terminal is restored.
fn report_timing(first: Option<Duration>) {
    if std::env::var_os("STATUTE_BROWSE_TIMING").is_some()
        && let Some(d) = first
    {
        eprintln!("first frame after {:.1} ms", d.as_secs_f64() * 1000.0);
    }
}
