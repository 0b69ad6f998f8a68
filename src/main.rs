//! The `statute` command line: argument parsing, calls into the library, exit codes.
//!
//! Exit codes: 0 nothing found, 1 something found (anomalies, substantive changes), 2 error.
//! A closed pipe (`statute parse x | head`) ends quietly with 0.

use std::io::{self, BufWriter, IsTerminal, Write};
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
        #[command(flatten)]
        review: ReviewArgs,
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

/// How `statute diff` presents the amendment.
#[derive(clap::Args)]
struct ReviewArgs {
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    format: DiffFormat,
    /// Colour in the terminal output: auto (when writing to a terminal and NO_COLOR is
    /// unset), always, never. Without colour, deletions and insertions are marked
    /// [-like this-] and {+like this+}.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    color: ColorWhen,
    /// Old text on the left, new text on the right, wrapped to the terminal width.
    #[arg(long, short = 's')]
    side_by_side: bool,
    /// Display columns for --side-by-side (default: the terminal's width, else 100).
    #[arg(long)]
    width: Option<usize>,
    /// Show N unchanged articles around each change.
    #[arg(long, value_name = "N", default_value_t = 0)]
    context: usize,
    /// Include unchanged articles.
    #[arg(long)]
    all: bool,
    /// Show only these kinds: modified, formal, added, deleted, split, merged, renumbered,
    /// moved, unchanged (or 修改, 形式修改, 新增, 删除, 拆分, 合并, 条序变化, 移动, 未变).
    #[arg(long, value_delimiter = ',', value_name = "KIND,...")]
    only: Vec<String>,
    /// Show only the entry holding this article, old or new (第十条, 10, 10之一).
    #[arg(long, value_name = "LABEL")]
    article: Option<String>,
    /// Show only articles under a heading containing this text (第二章, 法律责任).
    #[arg(long, value_name = "LABEL")]
    chapter: Option<String>,
    /// Never page the terminal output through $PAGER.
    #[arg(long)]
    no_pager: bool,
    /// Layout of --format docx: the comparison table, or the new text with every change as
    /// a Word tracked change.
    #[arg(long, value_enum, default_value_t = DocxLayout::Table)]
    docx_layout: DocxLayout,
    /// Write to FILE instead of standard output (needed for docx on a terminal).
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DocxLayout {
    Table,
    Redline,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum DiffFormat {
    /// The terminal review: summary, then each change with highlighting.
    Text,
    /// statute-diff/1, one JSON object (complete: filters do not apply).
    Json,
    /// 新旧条文对照表 as a Markdown table.
    Table,
    /// 新旧条文对照表 as one self-contained, printable HTML page.
    Html,
    /// The review in Markdown.
    Markdown,
    /// A draft 修改决定 (amending decision).
    Decision,
    /// Word: the comparison table, or with --docx-layout redline tracked changes.
    Docx,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
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
            review: review_args,
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
            review(&cs, &review_args, &mut out)?;
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

/// Renders a change set as the review arguments ask, through the pager when it is long and
/// stdout is a terminal.
fn review(
    cs: &statute::diff::ChangeSet,
    args: &ReviewArgs,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    use render::select::{Filter, Kind, select};
    let mut only = Vec::new();
    for name in &args.only {
        match Kind::parse(name) {
            Some(k) => only.push(k),
            None => anyhow::bail!(
                "--only: unknown kind {name:?} (known: {})",
                Kind::ALL.map(|(_, n)| n).join(", ")
            ),
        }
    }
    let filter = Filter {
        only,
        article: args.article.clone(),
        chapter: args.chapter.clone(),
        all: args.all,
        context: args.context,
    };
    let shown = select(cs, &filter);
    // Output to a file is no terminal, whatever stdout is.
    let tty = io::stdout().is_terminal() && args.output.is_none();
    let mut buf: Vec<u8> = Vec::new();
    match args.format {
        DiffFormat::Text => {
            let color = match args.color {
                ColorWhen::Always => true,
                ColorWhen::Never => false,
                ColorWhen::Auto => tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            };
            let width = args.width.unwrap_or_else(|| {
                terminal_size::terminal_size().map_or(100, |(w, _)| w.0 as usize)
            });
            let opts = render::terminal::Options {
                color,
                side_by_side: args.side_by_side,
                width,
            };
            render::terminal::write(cs, &shown, &opts, &mut buf)
        }
        DiffFormat::Json => render::diff_json::write(cs, false, &mut buf),
        DiffFormat::Table => render::table::write_markdown(cs, &shown, &mut buf),
        DiffFormat::Html => render::table::write_html(cs, &shown, &mut buf),
        DiffFormat::Markdown => render::markdown::write(cs, &shown, &mut buf),
        DiffFormat::Decision => render::decision::write(cs, &shown, &mut buf),
        DiffFormat::Docx => {
            if tty {
                anyhow::bail!(
                    "--format docx writes a binary file: give -o FILE or redirect the output"
                );
            }
            let layout = match args.docx_layout {
                DocxLayout::Table => render::docx::Layout::Table,
                DocxLayout::Redline => render::docx::Layout::Redline,
            };
            let entries: Vec<&statute::diff::Entry> = shown.iter().map(|s| s.entry).collect();
            render::docx::write(
                cs,
                &entries,
                &render::docx::Options::new(cs, layout),
                &mut buf,
            )
            .context("writing the Word document")?;
            Ok(())
        }
    }
    .context("writing output")?;
    // Statute text never carries its own control characters out: the terminal review
    // escapes them itself; documents (table, HTML, Markdown, decision) are escaped here, and
    // JSON (whose strings escape control characters) when it goes to a terminal.
    let binary = args.format == DiffFormat::Docx;
    if !binary && args.format != DiffFormat::Text && (tty || args.format != DiffFormat::Json) {
        let safe = render::safe::terminal_text(&String::from_utf8_lossy(&buf)).into_owned();
        buf = safe.into_bytes();
    }
    if let Some(path) = &args.output {
        return std::fs::write(path, &buf)
            .with_context(|| format!("{}: cannot write", path.display()));
    }
    let long = terminal_size::terminal_size()
        .is_some_and(|(_, h)| buf.iter().filter(|&&b| b == b'\n').count() >= h.0 as usize);
    if tty && long && !args.no_pager && !binary && args.format != DiffFormat::Json && page(&buf) {
        return Ok(());
    }
    out.write_all(&buf).context("writing output")
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
