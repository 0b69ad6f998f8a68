//! `statute diff`: two files or two stored versions compared, and the review of the change
//! set in the format asked for.

use std::path::{Path, PathBuf};

use anyhow::Context;

use statute::diff::{ChangeSet, Doubt, Entry};
use statute::render::select::{Filter, Kind, select};
use statute::{parse, render};

use super::Outcome;
use super::args::{ColorWhen, DiffFormat, DocxLayout, ReviewArgs};
use super::files::print_warnings;
use super::output::{Output, escaped};

/// What `statute diff`'s arguments name.
enum Target<'a> {
    /// Two version files, old and new.
    Files(&'a Path, &'a Path),
    /// A stored statute, with the versions to compare when named (FROM, TO).
    Stored {
        name: String,
        from: Option<String>,
        to: Option<String>,
    },
}

impl<'a> Target<'a> {
    /// Two existing files, or a path that names a file that is not there (so the error names
    /// it), mean files; anything else names a stored statute.
    fn of(args: &'a [PathBuf]) -> Target<'a> {
        if let [old, new] = args
            && (args.iter().all(|p| p.is_file()) || args.iter().any(|p| looks_like_file(p)))
        {
            return Target::Files(old, new);
        }
        let mut names = args.iter().map(|a| a.to_string_lossy().into_owned());
        Target::Stored {
            name: names.next().unwrap_or_default(),
            from: names.next(),
            to: names.next(),
        }
    }
}

/// A path that can only be meant as a file: one that is, one with a directory, or one with a
/// version file's extension.
pub(super) fn looks_like_file(p: &Path) -> bool {
    p.is_file()
        || p.components().count() > 1
        || p.extension()
            .is_some_and(|e| matches!(e.to_str(), Some("md" | "txt")))
}

/// `statute diff OLD NEW | STATUTE [FROM [TO]]`: found when the change is substantive.
pub fn run(
    store: Option<&Path>,
    args: &[PathBuf],
    review_args: &ReviewArgs,
    read: &parse::ReadOptions,
    out: &mut Output,
) -> anyhow::Result<Outcome> {
    check_review_args(review_args)?;
    // A draft quotes whole words: the segmenter's lexicon loads on another thread while the
    // versions are read and compared.
    if review_args.format == DiffFormat::Decision {
        statute::segment::load_in_background();
    }
    let cs = match Target::of(args) {
        Target::Files(old, new) => diff_files(old, new, read)?,
        Target::Stored { name, from, to } => {
            let s = super::store::open(store)?;
            let (old, new) = s.versions_to_compare(&name, from.as_deref(), to.as_deref())?;
            statute::diff::diff(&old, &new)
        }
    };
    review(&cs, review_args, out)?;
    let found = cs.has_substantive_changes();
    // The process ends next: freeing the change set's many strings one by one would only
    // delay the exit.
    std::mem::forget(cs);
    Ok(if found {
        Outcome::Found
    } else {
        Outcome::Clean
    })
}

fn diff_files(old: &Path, new: &Path, read: &parse::ReadOptions) -> anyhow::Result<ChangeSet> {
    // The two files parse independently: use both cores.
    let mut parsed =
        statute::par::try_map(&[old, new], 2, |p| parse::parse_file_with(p, read)).into_iter();
    let mut next = |path: &Path| {
        parsed
            .next()
            .flatten()
            .ok_or_else(|| anyhow::anyhow!("{}: the parser panicked", path.display()))
    };
    let a = next(old)??;
    print_warnings(old, &a);
    let b = next(new)??;
    print_warnings(new, &b);
    let threads = statute::par::threads(0).min(4);
    let cs = statute::diff::diff_threads(&a.statute, &b.statute, threads);
    for doubt in cs.doubts() {
        say!("warning: {}", doubt_message(&doubt));
    }
    // As for the change set: the process ends soon, the models need no freeing.
    std::mem::forget((a, b));
    Ok(cs)
}

/// A sign that two files are not versions of one statute, as a warning.
fn doubt_message(d: &Doubt) -> String {
    match d {
        Doubt::Titles { old, new } => {
            format!("the titles differ (“{old}” and “{new}”); are they versions of one statute?")
        }
        Doubt::FewShared(share) => format!(
            "the two texts share {:.0}% of their wording; are they versions of one statute?",
            share * 100.0
        ),
    }
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

/// The entries the review shows, as `--only`, `--article`, `--chapter`, `--all` and
/// `--context` ask.
fn filter(args: &ReviewArgs) -> anyhow::Result<Filter> {
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
    Ok(Filter {
        only,
        article: args.article.clone(),
        chapter: args.chapter.clone(),
        all: args.all || redline,
        context: args.context,
    })
}

/// Renders a change set as the review arguments ask, to `--output` or standard output (through
/// the pager when it is long and standard output is a terminal).
fn review(cs: &ChangeSet, args: &ReviewArgs, out: &mut Output) -> anyhow::Result<()> {
    let filter = filter(args)?;
    // Output to a file is no terminal, whatever stdout is.
    let tty = out.is_terminal() && args.output.is_none();
    // JSON into a pipe or file is written as it is made: no copy of a megabyte in memory.
    if args.format == DiffFormat::Json && !tty && args.output.is_none() {
        return render::diff_json::write(cs, false, out).context("writing output");
    }
    let mut buf = render_review(cs, &filter, args, tty)?;
    // Statute text never carries its own control characters out: the terminal review
    // escapes them itself; documents (table, HTML, Markdown, decision) are escaped here, and
    // JSON (whose strings escape control characters) when it goes to a terminal.
    let document = !matches!(
        args.format,
        DiffFormat::Text | DiffFormat::Json | DiffFormat::Docx
    );
    if document || (args.format == DiffFormat::Json && tty) {
        buf = escaped(buf);
    }
    if let Some(path) = &args.output {
        return std::fs::write(path, &buf)
            .with_context(|| format!("{}: cannot write", path.display()));
    }
    let may_page = !args.no_pager && !matches!(args.format, DiffFormat::Docx | DiffFormat::Json);
    out.show(&buf, may_page)
}

/// The review in its format, as bytes. `tty`: it goes to a terminal.
fn render_review(
    cs: &ChangeSet,
    filter: &Filter,
    args: &ReviewArgs,
    tty: bool,
) -> anyhow::Result<Vec<u8>> {
    let shown = select(cs, filter);
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
            let entries: Vec<&Entry> = shown.iter().map(|s| s.entry).collect();
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
    Ok(buf)
}
