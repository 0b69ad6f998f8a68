//! Errors as the command line reports them: one line, with the hint of what to type that the
//! library's typed errors leave to their caller; an exit code chosen after the output.

use std::io;

use statute::feed::FeedError;
use statute::store::StoreError;
use statute::tui::TuiError;

/// An exit code chosen after the output was written (the message is already printed).
#[derive(Debug)]
pub struct ExitError(pub u8);

impl std::fmt::Display for ExitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {}", self.0)
    }
}

impl std::error::Error for ExitError {}

/// Whether the error is standard output's reader having gone (`statute … | head`).
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

/// The error and its causes on one line, skipping a cause whose text the line already holds
/// (typed errors often quote their source).
pub fn one_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = describe(cause);
        if line.contains(&text) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// An error's message as the command line words it: the library's, with a hint of what to type
/// where the library's errors leave that to their caller.
fn describe(e: &(dyn std::error::Error + 'static)) -> String {
    if let Some(e) = e.downcast_ref::<StoreError>() {
        return store_message(e);
    }
    if let Some(e) = e.downcast_ref::<FeedError>() {
        return match e {
            FeedError::Store(e) => store_message(e),
            FeedError::BadSince(_) | FeedError::UnknownStatute { .. } => format!("--since {e}"),
            _ => e.to_string(),
        };
    }
    if let Some(e) = e.downcast_ref::<TuiError>() {
        return match e {
            TuiError::Store(e) => store_message(e),
            TuiError::NotATerminal => "statute browse needs a terminal".into(),
            _ => e.to_string(),
        };
    }
    e.to_string()
}

/// A store error with the command or option that helps.
pub fn store_message(e: &StoreError) -> String {
    match e {
        StoreError::NotFound { .. } => {
            format!("{e} (create one with `statute init`, or pass --store DIR / set STATUTE_STORE)")
        }
        StoreError::NoSuchStatute { .. } => format!("{e} (try `statute list`)"),
        StoreError::Ambiguous { candidates, .. } if candidates.len() > 20 => {
            format!("{e} (see `statute list FILTER`)")
        }
        StoreError::NoDate { path } => format!(
            "{}: a version date is needed: name the file YYYY-MM-DD.md, put one in its metadata, or pass --date",
            path.display()
        ),
        StoreError::NoTitle { .. } => format!("{e} (pass --title)"),
        StoreError::NoIndex => format!("{e}: run `statute reindex`"),
        _ => e.to_string(),
    }
}
