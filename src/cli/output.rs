//! Standard output: whether it is a terminal, statute text's control characters made visible
//! there, and long output shown through the pager.

use std::io::{self, BufWriter, IsTerminal, StdoutLock, Write};

use anyhow::Context;

use statute::render;

/// Standard output, buffered, knowing whether it is a terminal.
pub struct Output {
    out: BufWriter<StdoutLock<'static>>,
    tty: bool,
}

impl Output {
    /// Standard output, locked for the whole command.
    pub fn stdout() -> Output {
        let stdout = io::stdout();
        Output {
            tty: stdout.is_terminal(),
            // 64 KiB: large outputs (feed, show) in fewer writes.
            out: BufWriter::with_capacity(1 << 16, stdout.lock()),
        }
    }

    /// Whether standard output is a terminal.
    pub fn is_terminal(&self) -> bool {
        self.tty
    }

    /// Writes what `render` produces; on a terminal, with statute text's own control
    /// characters (escape sequences, backspaces, bidi overrides) made visible rather than
    /// obeyed. Piped or redirected output is left exact.
    pub fn safe(
        &mut self,
        render: impl FnOnce(&mut Vec<u8>) -> io::Result<()>,
    ) -> anyhow::Result<()> {
        let mut buf = Vec::new();
        render(&mut buf).context("writing output")?;
        if self.tty {
            buf = escaped(buf);
        }
        self.out.write_all(&buf).context("writing output")
    }

    /// Writes `text`; through the pager instead when `may_page`, standard output is a
    /// terminal and the text is longer than the terminal is high.
    pub fn show(&mut self, text: &[u8], may_page: bool) -> anyhow::Result<()> {
        // Lines are counted only when a pager could be used: piped output is never paged.
        let long = || {
            terminal_size::terminal_size()
                .is_some_and(|(_, h)| text.iter().filter(|&&b| b == b'\n').count() >= h.0 as usize)
        };
        if self.tty && may_page && long() && page(text) {
            return Ok(());
        }
        self.out.write_all(text).context("writing output")
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.out.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

/// `text` with statute text's own control characters made visible (see
/// [`render::safe::terminal_text`]).
pub fn escaped(text: Vec<u8>) -> Vec<u8> {
    render::safe::terminal_text(&String::from_utf8_lossy(&text))
        .into_owned()
        .into_bytes()
}

/// Shows `text` through `$PAGER` (default `less`, with `LESS=FRX` unless set). False when
/// no pager could be started, so that the caller prints the text itself.
fn page(text: &[u8]) -> bool {
    let pager = std::env::var("PAGER")
        .ok()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or_else(|| "less".to_string());
    let mut words = pager.split_whitespace();
    let Some(program) = words.next() else {
        return false;
    };
    let mut cmd = std::process::Command::new(program);
    cmd.args(words).stdin(std::process::Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        cmd.env("LESS", "FRX");
    }
    let Ok(mut child) = cmd.spawn() else {
        return false;
    };
    if let Some(mut stdin) = child.stdin.take() {
        // The reader may quit early: a broken pipe here is normal.
        let _ = stdin.write_all(text);
    }
    let _ = child.wait();
    true
}
