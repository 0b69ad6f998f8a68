//! The `statute` command line: argument parsing, calls into the library, exit codes.
//!
//! Exit codes: 0 nothing found, 1 something found (anomalies, substantive changes), 2 error.
//! A closed pipe (`statute parse x | head`) ends quietly with 0.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};

use statute::model::{Node, Statute};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use statute::{check, parse, render};

#[derive(Parser)]
#[command(
    name = "statute",
    version,
    about = "Versions, alignment and amendments of Chinese statutes"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse one version and print it in canonical Markdown or as JSON (statute-doc/1).
    Parse {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = ParseFormat::Md)]
        format: ParseFormat,
    },
    /// Compare two versions: which articles were added, deleted, modified, renumbered, moved,
    /// split or merged. Exit code 0: no substantive change; 1: substantive changes.
    Diff {
        old: PathBuf,
        new: PathBuf,
        #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
        format: DiffFormat,
        /// Include unchanged articles in the text report.
        #[arg(long)]
        all: bool,
    },
    /// Report numbering gaps, duplicates, out-of-order articles and stray items, with file:line.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print only the anomalies, not a summary line per file.
        #[arg(long, short)]
        quiet: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    /// A readable amendment report.
    Text,
    /// statute-diff/1, one JSON object.
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ParseFormat {
    Md,
    Json,
}

/// The outcome of a command that ran to the end.
enum Outcome {
    Clean,
    Found,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Found) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("statute: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let outcome = match cli.command {
        Command::Parse { file, format } => {
            let parsed = parse::parse_file(&file)?;
            print_warnings(&file, &parsed);
            match format {
                ParseFormat::Md => render::canonical::write(&parsed.statute, &mut out),
                ParseFormat::Json => render::json::write(&parsed, &file, &mut out),
            }
            .context("writing output")?;
            Outcome::Clean
        }
        Command::Diff {
            old,
            new,
            format,
            all,
        } => {
            // The two files parse independently: use both cores.
            let (a, b) = std::thread::scope(|s| {
                let a = s.spawn(|| parse::parse_file(&old));
                let b = parse::parse_file(&new);
                (a.join(), b)
            });
            let a = a.map_err(|_| anyhow::anyhow!("{}: the parser panicked", old.display()))??;
            print_warnings(&old, &a);
            let b = b?;
            print_warnings(&new, &b);
            let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
            let cs = statute::diff::diff_threads(&a.statute, &b.statute, threads);
            match format {
                DiffFormat::Text => {
                    render::report::write(&cs, render::report::Options { all }, &mut out)
                }
                DiffFormat::Json => render::diff_json::write(&cs, false, &mut out),
            }
            .context("writing output")?;
            if cs.has_substantive_changes() {
                Outcome::Found
            } else {
                Outcome::Clean
            }
        }
        Command::Check { files, quiet } => check_files(&files, quiet, &mut out)?,
    };
    out.flush().context("writing output")?;
    Ok(outcome)
}

fn print_warnings(path: &Path, parsed: &parse::Parsed) {
    for w in &parsed.warnings {
        eprintln!("{}", w.display(path));
    }
}

fn check_files(files: &[PathBuf], quiet: bool, out: &mut impl Write) -> anyhow::Result<Outcome> {
    let mut found = false;
    let mut failed = 0usize;
    for file in files {
        let parsed = match parse::parse_file(file) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("statute: {e}");
                failed += 1;
                continue;
            }
        };
        print_warnings(file, &parsed);
        let findings = check::check(&parsed.statute);
        if !quiet {
            writeln!(
                out,
                "{}: {} ({} format), {}, {} anomal{}",
                file.display(),
                parsed.statute.meta.title,
                parsed.format.as_str(),
                shape(&parsed.statute),
                findings.len(),
                if findings.len() == 1 { "y" } else { "ies" }
            )?;
        }
        for f in &findings {
            writeln!(out, "{}:{}", file.display(), f)?;
        }
        found |= !findings.is_empty();
    }
    if failed > 0 {
        anyhow::bail!("{failed} of {} files could not be parsed", files.len());
    }
    Ok(if found {
        Outcome::Found
    } else {
        Outcome::Clean
    })
}

/// "51 articles in 9 chapters".
fn shape(s: &Statute) -> String {
    fn divisions(nodes: &[Node]) -> usize {
        nodes
            .iter()
            .map(|n| match n {
                Node::Division(d) => 1 + divisions(&d.children),
                _ => 0,
            })
            .sum()
    }
    let units = s.articles();
    let kind = match units.first().map(|a| a.article.num) {
        Some(statute::model::UnitNum::Point(_)) => "points",
        Some(statute::model::UnitNum::Position(_)) => "paragraphs",
        _ => "articles",
    };
    format!(
        "{} {kind}, {} headings, {} annexes",
        units.len(),
        divisions(&s.body.nodes),
        s.body.annexes.len()
    )
}
