//! The `statute` command line: argument parsing, calls into the library, exit codes.
//!
//! Exit codes: 0 nothing found, 1 something found (anomalies, substantive changes, store
//! problems), 2 error (including an import in which some file failed).
//! A closed pipe (`statute parse x | head`) ends quietly with 0.

use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Context;
use clap::{Parser, Subcommand, ValueEnum};

use statute::model::{Date, Node, Statute};
use statute::store::{self, Store, import, read};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (mimalloc.h); its Rust bindings leave the experimental
/// options unnamed and document passing their numbers.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells mimalloc never to purge freed memory (return it to the OS), unless the user set
/// `MIMALLOC_PURGE_DELAY`. Every command is short-lived or small (the browser holds a few
/// megabytes), and a purge is a system call: a large diff made about 260 of them, a tenth of
/// its run time, for memory the process was about to give back by exiting.
fn keep_freed_memory() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: called first thing in `main`, while the program has one thread (the
        // setter is not thread-safe); the option number is checked against mimalloc's
        // default by the test below.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    }
}
use statute::{check, feed, parse, render};

/// `eprintln!` that cannot panic: when stderr itself cannot be written (a full disk, a
/// closed descriptor) the message is dropped and the exit code still tells.
macro_rules! say {
    ($($t:tt)*) => {{
        let _ = writeln!(io::stderr(), $($t)*);
    }};
}

/// `eprint!` that cannot panic (see `say!`).
macro_rules! say_part {
    ($($t:tt)*) => {{
        let _ = write!(io::stderr(), $($t)*);
    }};
}

#[derive(Parser)]
#[command(
    name = "statute",
    version,
    about = "Versions, alignment and amendments of Chinese statutes"
)]
struct Cli {
    /// The version store (a git repository). Default: $STATUTE_STORE, else ./statute-store.
    #[arg(long, global = true, value_name = "DIR")]
    store: Option<PathBuf>,
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
    ///
    /// `diff OLD NEW` with two existing files compares the files; otherwise
    /// `diff STATUTE [FROM [TO]]` compares stored versions (default: the last amendment).
    Diff {
        #[arg(required = true, num_args = 1..=3, value_name = "OLD NEW | STATUTE [FROM [TO]]")]
        args: Vec<PathBuf>,
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
    /// Create the version store (a bare git repository with HEAD on main).
    Init,
    /// Import version files or directories of them (files named YYYY-MM-DD.md under
    /// directories). Exit code 2 when some file failed; the others are imported.
    Import {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Use this title for every file.
        #[arg(long)]
        title: Option<String>,
        /// Use this version date (YYYY-MM-DD) for every file.
        #[arg(long, value_parser = parse_date)]
        date: Option<Date>,
        /// Use this status (时效性) for every file, e.g. 已废止 to record a repeal.
        #[arg(long)]
        status: Option<String>,
    },
    /// Check the store: objects, refs, date order, files, trailers, tags, catalog, and whether
    /// its derived data is this build's. Exit 1 on problems or stale derived data.
    Verify,
    /// Recompute every version's derived data (canonical file, summary trailers) with this
    /// build, rewrite the histories where it differs, and record the derived-data stamp.
    Reindex,
    /// List the stored statutes whose title contains FILTER.
    List { filter: Option<String> },
    /// The versions of a statute with their amendment summaries, newest first.
    Log { statute: String },
    /// Print a stored version's canonical text (STATUTE[@VERSION], latest by default).
    Show {
        statute: String,
        /// The version in force on this date (by effective date when known).
        #[arg(long, value_parser = parse_date, conflicts_with = "version")]
        at: Option<Date>,
        /// Same as STATUTE@VERSION.
        #[arg(long)]
        version: Option<String>,
    },
    /// One article through every version, following renumbering, splits and merges.
    History { statute: String, article: String },
    /// For each article of a version, the version that last changed it substantively.
    Blame { statute: String },
    /// The change feed: one event per stored version (enacted, amended, revised, corrected,
    /// repealed) with its changes and article lineage ids, in cursor order.
    Feed {
        /// Only events after this cursor (as events carry it: DATE/STATUTE-ID/N), or with a
        /// version date on or after this date (YYYY-MM-DD).
        #[arg(long, value_name = "CURSOR|DATE")]
        since: Option<String>,
        /// Only this statute (id or unique part of the title); repeatable.
        #[arg(long, value_name = "NAME")]
        statute: Vec<String>,
        /// jsonl: one statute-feed/1 event a line; json: one array; atom: an Atom feed.
        #[arg(long, value_enum, default_value_t = FeedFormat::Jsonl)]
        format: FeedFormat,
        /// At most N events: with --since the first N after it, else the latest N.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
    },
    /// Browse the store in the terminal: statutes, versions, amendments, article histories.
    Browse,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FeedFormat {
    Jsonl,
    Json,
    Atom,
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
    /// Display columns no line of the text review exceeds, side by side or inline (default:
    /// the terminal's width; into a pipe or file, lines are not wrapped and --side-by-side
    /// takes 100).
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
    /// Layout of --format docx (only): the comparison table (default), or the whole new
    /// text with every change as a Word tracked change.
    #[arg(long, value_enum, value_name = "LAYOUT")]
    docx_layout: Option<DocxLayout>,
    /// With --docx-layout redline: only the changed articles. By default a redline holds
    /// every article, so that accepting every change gives the new version.
    #[arg(long)]
    changed_only: bool,
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
    keep_freed_memory();
    // SAFETY: the first thing the program does, while it has one thread and before libgit2 is
    // used; nothing else sets libgit2's options.
    unsafe { store::isolate_from_user_git_config() };
    let cli = Cli::parse();
    match run(cli) {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Found) => ExitCode::from(1),
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) if e.downcast_ref::<ExitError>().is_some() => {
            ExitCode::from(e.downcast_ref::<ExitError>().map_or(2, |x| x.0))
        }
        Err(e) => {
            say!("statute: {}", one_line(&e));
            ExitCode::from(2)
        }
    }
}

/// The error and its causes on one line, skipping a cause whose text the line already holds
/// (typed errors often quote their source).
fn one_line(e: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in e.chain() {
        let text = cause.to_string();
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

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let stdout = io::stdout();
    // 64 KiB: large outputs (feed, show) in fewer writes.
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let outcome = match cli.command {
        Command::Parse { file, format } => {
            let parsed = parse::parse_file(&file)?;
            print_warnings(&file, &parsed);
            match format {
                ParseFormat::Md => parse::canonical::write(&parsed.statute, &mut out),
                ParseFormat::Json => render::json::write(&parsed, &file, &mut out),
            }
            .context("writing output")?;
            Outcome::Clean
        }
        Command::Diff {
            args,
            review: review_args,
        } => {
            check_review_args(&review_args)?;
            // Two existing files, or a path that names a file that is not there (so the error
            // names it), mean file mode; anything else names a stored statute.
            // A draft quotes whole words: the segmenter's lexicon loads on another thread
            // while the versions are read and compared.
            if review_args.format == DiffFormat::Decision {
                statute::segment::load_in_background();
            }
            let file_mode = args.len() == 2
                && (args.iter().all(|p| p.is_file()) || args.iter().any(|p| looks_like_file(p)));
            let cs = if file_mode {
                diff_files(&args[0], &args[1])?
            } else {
                let s = open_store(cli.store.as_deref())?;
                let names: Vec<String> = args
                    .iter()
                    .map(|a| a.to_string_lossy().into_owned())
                    .collect();
                let h = s.history(&s.resolve(&names[0])?)?;
                let (old, new) = match names.len() {
                    1 => {
                        let n = h.versions.len();
                        if n < 2 {
                            return Err(store::StoreError::OneVersion { statute: h.id }.into());
                        }
                        (&h.versions[n - 2], &h.versions[n - 1])
                    }
                    2 => (
                        read::find_version(&h, &names[1])?,
                        h.versions.last().context("empty history")?,
                    ),
                    _ => (
                        read::find_version(&h, &names[1])?,
                        read::find_version(&h, &names[2])?,
                    ),
                };
                statute::diff::diff(&s.statute(old)?, &s.statute(new)?)
            };
            review(&cs, &review_args, &mut out)?;
            let found = cs.has_substantive_changes();
            // The process ends next: freeing the change set's many strings one by one would
            // only delay the exit.
            std::mem::forget(cs);
            if found {
                Outcome::Found
            } else {
                Outcome::Clean
            }
        }
        Command::Check { files, quiet } => check_files(&files, quiet, &mut out)?,
        Command::Init => {
            let dir = store::resolve_dir(cli.store.as_deref());
            let (_, created) = Store::init(&dir)?;
            writeln!(
                out,
                "{} statute store at {}",
                if created { "created" } else { "already a" },
                dir.display()
            )?;
            Outcome::Clean
        }
        Command::Import {
            paths,
            title,
            date,
            status,
        } => {
            let s = open_store(cli.store.as_deref())?;
            let opts = import::ImportOptions {
                title,
                date,
                status,
                threads: 0,
            };
            let bar = Bar::new();
            let report = s.import(&paths, &opts, &bar)?;
            bar.finish();
            for (path, w) in &report.warnings {
                say!("{}", w.display(path));
            }
            for f in &report.failed {
                say!("statute: {}", f.message);
            }
            render::store::write_import_report(&report, &mut out)?;
            if !report.failed.is_empty() {
                out.flush()?;
                return Err(ExitError(2).into());
            }
            Outcome::Clean
        }
        Command::Verify => {
            let s = open_store(cli.store.as_deref())?;
            let report = s.verify()?;
            render::store::write_verify_report(&report, &mut out)?;
            if report.is_stale() {
                writeln!(out, "derived data is stale: run `statute reindex`")?;
            }
            if report.problems.is_empty() && !report.is_stale() {
                Outcome::Clean
            } else {
                Outcome::Found
            }
        }
        Command::Reindex => reindex(cli.store.as_deref(), &mut out)?,
        Command::List { filter } => {
            let s = open_store(cli.store.as_deref())?;
            let list = s.list(filter.as_deref())?;
            terminal_safe(&mut out, |b| render::store::write_list(&list, b))?;
            Outcome::Clean
        }
        Command::Log { statute } => {
            let s = open_store(cli.store.as_deref())?;
            let h = s.history(&s.resolve(&statute)?)?;
            terminal_safe(&mut out, |b| render::store::write_log(&h, b))?;
            Outcome::Clean
        }
        Command::Show {
            statute,
            at,
            version,
        } => {
            let s = open_store(cli.store.as_deref())?;
            let (name, spec) = read::split_spec(&statute);
            let h = s.history(&s.resolve(name)?)?;
            let v = match (at, version.as_deref().or(spec)) {
                (Some(d), _) => read::in_force(&h, d)?,
                (None, Some(spec)) => read::find_version(&h, spec)?,
                (None, None) => h.head().context("empty history")?,
            };
            let text = s.text(v)?;
            terminal_safe(&mut out, |b| b.write_all(text.as_bytes()))?;
            Outcome::Clean
        }
        Command::History { statute, article } => {
            let s = open_store(cli.store.as_deref())?;
            let (name, spec) = read::split_spec(&statute);
            let h = s.history(&s.resolve(name)?)?;
            let a = s.article_history(&h, spec, &article)?;
            terminal_safe(&mut out, |b| render::store::write_history(&a, b))?;
            Outcome::Clean
        }
        Command::Blame { statute } => {
            let s = open_store(cli.store.as_deref())?;
            let (name, spec) = read::split_spec(&statute);
            let h = s.history(&s.resolve(name)?)?;
            let blame = s.blame(&h, spec)?;
            terminal_safe(&mut out, |b| render::store::write_blame(&blame, b))?;
            Outcome::Clean
        }
        Command::Feed {
            since,
            statute,
            format,
            limit,
        } => {
            let s = open_store(cli.store.as_deref())?;
            let since = since.as_deref().map(feed::Since::parse).transpose()?;
            let statutes = statute
                .iter()
                .map(|n| s.resolve(n))
                .collect::<Result<Vec<_>, _>>()?;
            let title = match statutes.as_slice() {
                [] => "statute: 变更订阅".to_string(),
                ids => format!("statute: 变更订阅 {}", ids.join(" ")),
            };
            let self_id = match statutes.as_slice() {
                [] => "feed".to_string(),
                ids => format!("feed/{}", ids.join("+")),
            };
            let opts = feed::Options {
                since,
                statutes,
                limit,
                threads: 0,
            };
            let events = feed::events(&s, &opts)?;
            match format {
                FeedFormat::Jsonl => feed::write_jsonl(&events, &mut out),
                FeedFormat::Json => feed::write_json(&events, &mut out),
                FeedFormat::Atom => feed::atom::write(&events, &title, &self_id, &mut out),
            }
            .context("writing output")?;
            Outcome::Clean
        }
        Command::Browse => match statute::tui::run(&store::resolve_dir(cli.store.as_deref())) {
            // The terminal is restored: now end as the signal asks (killed by it, as the
            // shell expects), else with the conventional 128 + signal.
            Err(statute::tui::TuiError::Signal(sig)) => {
                let _ = signal_hook::low_level::emulate_default_handler(sig);
                std::process::exit(128 + sig);
            }
            r => {
                r?;
                Outcome::Clean
            }
        },
    };
    out.flush().context("writing output")?;
    Ok(outcome)
}

/// Refuses review options that the chosen format would silently ignore.
fn check_review_args(args: &ReviewArgs) -> anyhow::Result<()> {
    if args.docx_layout.is_some() && args.format != DiffFormat::Docx {
        anyhow::bail!("--docx-layout applies to --format docx only");
    }
    if args.changed_only && args.docx_layout != Some(DocxLayout::Redline) {
        anyhow::bail!("--changed-only applies to --format docx --docx-layout redline only");
    }
    Ok(())
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
    // A redline is the whole document unless asked otherwise: accepting every change must
    // give the new version, rejecting every change the old one.
    let redline = args.format == DiffFormat::Docx
        && args.docx_layout == Some(DocxLayout::Redline)
        && !args.changed_only;
    let filter = Filter {
        only,
        article: args.article.clone(),
        chapter: args.chapter.clone(),
        all: args.all || redline,
        context: args.context,
    };
    let shown = select(cs, &filter);
    // Output to a file is no terminal, whatever stdout is.
    let tty = io::stdout().is_terminal() && args.output.is_none();
    // JSON into a pipe or file is written as it is made: no copy of a megabyte in memory.
    if args.format == DiffFormat::Json && !tty && args.output.is_none() {
        return render::diff_json::write(cs, false, out).context("writing output");
    }
    let mut buf: Vec<u8> = Vec::new();
    match args.format {
        DiffFormat::Text => {
            let color = match args.color {
                ColorWhen::Always => true,
                ColorWhen::Never => false,
                ColorWhen::Auto => tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
            };
            // On a terminal every line fits its width; into a pipe or file lines are whole
            // (side by side then takes 100 columns) unless --width asks.
            let width = args.width.or_else(|| {
                tty.then(|| terminal_size::terminal_size().map(|(w, _)| w.0 as usize))
                    .flatten()
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
            let layout = match args.docx_layout.unwrap_or(DocxLayout::Table) {
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

/// Writes what `render` produces; on a terminal, with statute text's own control characters
/// (escape sequences, backspaces, bidi overrides) made visible rather than obeyed. Piped or
/// redirected output is left exact.
fn terminal_safe(
    out: &mut impl Write,
    render: impl FnOnce(&mut Vec<u8>) -> io::Result<()>,
) -> anyhow::Result<()> {
    let mut buf = Vec::new();
    render(&mut buf).context("writing output")?;
    if io::stdout().is_terminal() {
        let safe = render::safe::terminal_text(&String::from_utf8_lossy(&buf)).into_owned();
        buf = safe.into_bytes();
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

/// `statute reindex`: the derived data recomputed, then one summary line.
fn reindex(store_flag: Option<&Path>, out: &mut impl Write) -> anyhow::Result<Outcome> {
    let s = open_store(store_flag)?;
    let bar = Bar::new();
    let r = s.reindex(&bar)?;
    bar.finish();
    writeln!(
        out,
        "{} statutes, {} versions: {} rewritten, {} unchanged, {} refs updated; derived-data stamp recorded",
        r.statutes, r.versions, r.rewritten, r.unchanged, r.refs_updated
    )?;
    Ok(Outcome::Clean)
}

/// An exit code chosen after the output was written (the message is already printed).
#[derive(Debug)]
struct ExitError(u8);

impl std::fmt::Display for ExitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {}", self.0)
    }
}

impl std::error::Error for ExitError {}

fn looks_like_file(p: &Path) -> bool {
    p.is_file()
        || p.components().count() > 1
        || p.extension()
            .is_some_and(|e| matches!(e.to_str(), Some("md" | "txt")))
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse_iso(s).ok_or_else(|| format!("“{s}” is not a YYYY-MM-DD date"))
}

fn open_store(flag: Option<&Path>) -> anyhow::Result<Store> {
    Ok(Store::open(&store::resolve_dir(flag))?)
}

fn diff_files(old: &Path, new: &Path) -> anyhow::Result<statute::diff::ChangeSet> {
    // The two files parse independently: use both cores.
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| parse::parse_file(old));
        let b = parse::parse_file(new);
        (a.join(), b)
    });
    let a = a.map_err(|_| anyhow::anyhow!("{}: the parser panicked", old.display()))??;
    print_warnings(old, &a);
    let b = b?;
    print_warnings(new, &b);
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    let cs = statute::diff::diff_threads(&a.statute, &b.statute, threads);
    for doubt in cs.doubts() {
        say!("warning: {}", doubt_message(&doubt));
    }
    // As for the change set: the process ends soon, the models need no freeing.
    std::mem::forget((a, b));
    Ok(cs)
}

/// The import progress bar: on standard error, only when it is a terminal.
struct Bar {
    tty: bool,
    total: AtomicUsize,
    done: AtomicUsize,
}

impl Bar {
    fn new() -> Bar {
        Bar {
            tty: io::stderr().is_terminal(),
            total: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
        }
    }

    fn draw(&self, done: usize) {
        let total = self.total.load(Ordering::Relaxed).max(1);
        let width = 30;
        let filled = (done * width / total).min(width);
        say_part!(
            "\r[{}{}] {done}/{total}",
            "#".repeat(filled),
            " ".repeat(width - filled)
        );
    }

    fn finish(&self) {
        if self.tty && self.total.load(Ordering::Relaxed) > 0 {
            say!("");
        }
    }
}

impl import::Progress for Bar {
    fn waiting_for_lock(&self, lock: &Path) {
        say!(
            "statute: another import is writing to this store ({} is locked); waiting for it to finish…",
            lock.display()
        );
    }

    fn start(&self, total: usize) {
        self.total.store(total, Ordering::Relaxed);
        if self.tty && total > 0 {
            self.draw(0);
        }
    }

    fn file_done(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        let total = self.total.load(Ordering::Relaxed);
        // Redraw about a hundred times in all.
        if self.tty && (done == total || done.is_multiple_of((total / 100).max(1))) {
            self.draw(done);
        }
    }
}

/// A sign that two files are not versions of one statute, as a warning.
fn doubt_message(d: &statute::diff::Doubt) -> String {
    match d {
        statute::diff::Doubt::Titles { old, new } => {
            format!("the titles differ (“{old}” and “{new}”); are they versions of one statute?")
        }
        statute::diff::Doubt::FewShared(share) => format!(
            "the two texts share {:.0}% of their wording; are they versions of one statute?",
            share * 100.0
        ),
    }
}

fn print_warnings(path: &Path, parsed: &parse::Parsed) {
    for w in &parsed.warnings {
        say!("{}", w.display(path));
    }
}

fn check_files(files: &[PathBuf], quiet: bool, out: &mut impl Write) -> anyhow::Result<Outcome> {
    let mut found = false;
    let mut failed = 0usize;
    for file in files {
        let parsed = match parse::parse_file(file) {
            Ok(p) => p,
            Err(e) => {
                say!("statute: {e}");
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

#[cfg(test)]
mod tests {
    use super::MI_OPTION_PURGE_DELAY;

    #[test]
    fn the_purge_delay_option_number_names_the_purge_delay() {
        // mimalloc's default purge delay is 1000 ms (v3) or 10 ms (v2); the options around
        // it (a deprecated eager-commit delay, the NUMA node count) default to 0 or 1. A
        // mimalloc that renumbered its options fails here instead of being misconfigured.
        // SAFETY: the only test of this binary, so no other thread uses mimalloc's options.
        let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert!(
            delay == 1000 || delay == 10,
            "option {MI_OPTION_PURGE_DELAY} is {delay}: not mimalloc's purge delay"
        );
    }
}
