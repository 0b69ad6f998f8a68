//! The commands of the `statute` binary: each subcommand is one function (in `files`, `diff`,
//! `apply` or `store`) that calls into the library and writes to [`Output`]; [`run`] dispatches.
//! A module of the binary only: the library never uses it.

/// `eprintln!` that cannot panic: when stderr itself cannot be written (a full disk, a
/// closed descriptor) the message is dropped and the exit code still tells.
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($t)*);
    }};
}

/// `eprint!` that cannot panic (see `say!`).
macro_rules! say_part {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = write!(std::io::stderr(), $($t)*);
    }};
}

mod apply;
mod args;
mod diff;
mod error;
mod files;
mod output;
mod store;

use std::io::Write;

use anyhow::Context;

pub use args::Cli;
use args::Command;
pub use error::{ExitError, is_broken_pipe, one_line};
use output::Output;

/// The outcome of a command that ran to the end.
pub enum Outcome {
    /// Nothing found: exit code 0.
    Clean,
    /// Something found (anomalies, substantive changes, store problems): exit code 1.
    Found,
}

/// Runs the command.
pub fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let mut out = Output::stdout();
    let dir = cli.store.as_deref();
    let outcome = match cli.command {
        Command::Parse { file, format, read } => {
            files::parse(&file, format, &read.options(), &mut out)?
        }
        Command::Diff { args, review, read } => {
            diff::run(dir, &args, &review, &read.options(), &mut out)?
        }
        Command::Apply {
            base,
            act,
            output,
            report,
            check,
            partial,
            read,
        } => apply::run(
            dir,
            &apply::ApplyArgs {
                base: &base,
                act: &act,
                output: output.as_deref(),
                report,
                check: check.as_deref(),
                partial,
                read: read.options(),
            },
            &mut out,
        )?,
        Command::Check { files, quiet, read } => {
            files::check(&files, quiet, &read.options(), &mut out)?
        }
        Command::Init => store::init(dir, &mut out)?,
        Command::Import { act: Some(act), .. } => store::import_act(dir, &act, &mut out)?,
        Command::Import {
            paths,
            title,
            date,
            status,
            read,
            act: None,
        } => store::import(dir, &paths, title, date, status, read.options(), &mut out)?,
        Command::Merge { other } => store::merge(dir, &other, &mut out)?,
        Command::Verify => store::verify(dir, &mut out)?,
        Command::Reindex => store::reindex(dir, &mut out)?,
        Command::List { filter } => store::list(dir, filter.as_deref(), &mut out)?,
        Command::Log { statute } => store::log(dir, &statute, &mut out)?,
        Command::Show {
            statute,
            at,
            version,
        } => store::show(dir, &statute, at, version.as_deref(), &mut out)?,
        Command::History { statute, article } => store::history(dir, &statute, &article, &mut out)?,
        Command::Blame { statute } => store::blame(dir, &statute, &mut out)?,
        Command::Refs {
            statute,
            stale,
            at,
            format,
        } => store::refs(dir, &statute, stale, at, format, &mut out)?,
        Command::Cites {
            statute,
            article,
            stale,
            at,
            format,
        } => store::cites(
            dir,
            &statute,
            article.as_deref(),
            stale,
            at,
            format,
            &mut out,
        )?,
        Command::Feed {
            since,
            statute,
            format,
            limit,
        } => store::feed(dir, since.as_deref(), &statute, format, limit, &mut out)?,
        Command::Browse => store::browse(dir)?,
    };
    out.flush().context("writing output")?;
    Ok(outcome)
}
