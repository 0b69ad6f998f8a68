//! The store commands: `init`, `import`, `verify`, `list`, `log`, `show`, `history`, `blame`,
//! `feed` and `browse`. Each opens the store `--store` names (see [`store::resolve_dir`]) and
//! writes what the library finds with its renderer.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::Context;

use statute::model::Date;
use statute::store::{self, Store, import, read};
use statute::{feed, render};

use super::Outcome;
use super::args::{FeedFormat, RefsFormat};
use super::error::{ExitError, store_message};
use super::output::Output;

/// The store at `--store`, else `$STATUTE_STORE`, else `./statute-store`.
pub fn open(flag: Option<&Path>) -> anyhow::Result<Store> {
    Ok(Store::open(&store::resolve_dir(flag))?)
}

/// `statute init`.
pub fn init(flag: Option<&Path>, out: &mut Output) -> anyhow::Result<Outcome> {
    let dir = store::resolve_dir(flag);
    let (_, created) = Store::init(&dir)?;
    writeln!(
        out,
        "{} statute store at {}",
        if created { "created" } else { "already a" },
        dir.display()
    )?;
    Ok(Outcome::Clean)
}

/// `statute import PATHS [--title T] [--date D] [--status S]`: exit code 2 (after the report) when some file failed.
pub fn import(
    flag: Option<&Path>,
    paths: &[PathBuf],
    title: Option<String>,
    date: Option<Date>,
    status: Option<String>,
    read: statute::parse::ReadOptions,
    out: &mut Output,
) -> anyhow::Result<Outcome> {
    let s = open(flag)?;
    let opts = import::ImportOptions {
        title,
        date,
        status,
        threads: 0,
        group: 0,
        read,
    };
    let bar = Bar::new();
    let report = s.import(paths, &opts, &bar)?;
    bar.finish();
    for (path, w) in &report.warnings {
        say!("{}", w.display(path));
    }
    for f in &report.failed {
        say!("statute: {}", store_message(&f.error));
    }
    render::store::write_import_report(&report, out)?;
    // A consolidated text of the date of a version made from an act: how the two differ.
    let mut err = std::io::stderr().lock();
    for c in &report.act_checks {
        render::apply_report::write_act_check(c, &mut err)?;
    }
    drop(err);
    if !report.failed.is_empty() {
        out.flush()?;
        return Err(ExitError(2).into());
    }
    Ok(Outcome::Clean)
}

/// `statute merge OTHER`: the other store's versions into this one.
pub fn merge(flag: Option<&Path>, other: &Path, out: &mut Output) -> anyhow::Result<Outcome> {
    let s = open(flag)?;
    let bar = Bar::new();
    let report = s.merge(other, &bar)?;
    bar.finish();
    render::store::write_merge_report(&report, out)?;
    Ok(Outcome::Clean)
}

/// `statute import --act ACT`: each part's report on stderr, what was stored on stdout;
/// found when some instruction did not apply or an official text differs.
pub fn import_act(flag: Option<&Path>, act: &Path, out: &mut Output) -> anyhow::Result<Outcome> {
    let s = open(flag)?;
    let bar = Bar::new();
    let result = s.import_act(act, &bar)?;
    bar.finish();
    let mut err = std::io::stderr().lock();
    let mut differs = false;
    for p in &result.parts {
        let check = p.official.as_ref().map(|(_, d)| d.as_slice());
        differs |= check.is_some_and(|d| !d.is_empty());
        let report = render::apply_report::ApplyReport {
            base: &p.base_statute,
            act: &result.info,
            applied: &p.applied,
            check,
        };
        report.write_text(false, &mut err)?;
        if let Some((label, _)) = &p.official {
            say!(
                "  compared with the stored version {}@{label} (not stored again)",
                p.id
            );
        }
    }
    if result.stored {
        render::store::write_import_report(&result.report, out)?;
    } else {
        say!("statute: nothing stored: some instructions were not applied");
    }
    Ok(if result.stored && !differs {
        Outcome::Clean
    } else {
        Outcome::Found
    })
}

/// `statute verify`: found when there are problems or the derived data is stale.
pub fn verify(flag: Option<&Path>, out: &mut Output) -> anyhow::Result<Outcome> {
    let report = open(flag)?.verify()?;
    render::store::write_verify_report(&report, out)?;
    if report.is_stale() {
        writeln!(out, "derived data is stale: run `statute reindex`")?;
    }
    Ok(if report.problems.is_empty() && !report.is_stale() {
        Outcome::Clean
    } else {
        Outcome::Found
    })
}

/// `statute reindex`: the derived data recomputed, then one summary line.
pub fn reindex(flag: Option<&Path>, out: &mut Output) -> anyhow::Result<Outcome> {
    let s = open(flag)?;
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

/// `statute list [FILTER]`.
pub fn list(
    flag: Option<&Path>,
    filter: Option<&str>,
    out: &mut Output,
) -> anyhow::Result<Outcome> {
    let s = open(flag)?;
    // Written a shard at a time: at national scale the list is tens of megabytes.
    for rows in s.catalog(filter)? {
        let rows = rows?;
        out.safe(|b| render::store::write_list(&rows, b))?;
    }
    Ok(Outcome::Clean)
}

/// `statute log STATUTE`.
pub fn log(flag: Option<&Path>, name: &str, out: &mut Output) -> anyhow::Result<Outcome> {
    let s = open(flag)?;
    let h = s.history(&s.resolve(name)?)?;
    out.safe(|b| render::store::write_log(&h, b))?;
    Ok(Outcome::Clean)
}

/// `statute show STATUTE[@VERSION] [--at DATE | --version VERSION]`.
pub fn show(
    flag: Option<&Path>,
    spec: &str,
    at: Option<Date>,
    version: Option<&str>,
    out: &mut Output,
) -> anyhow::Result<Outcome> {
    let s = open(flag)?;
    let (name, spec) = read::split_spec(spec);
    let h = s.history(&s.resolve(name)?)?;
    let text = s.text(h.version(version.or(spec), at)?)?;
    out.safe(|b| b.write_all(text.as_bytes()))?;
    Ok(Outcome::Clean)
}

/// `statute history STATUTE[@VERSION] ARTICLE`.
pub fn history(
    flag: Option<&Path>,
    spec: &str,
    article: &str,
    out: &mut Output,
) -> anyhow::Result<Outcome> {
    let s = open(flag)?;
    let (name, spec) = read::split_spec(spec);
    let h = s.history(&s.resolve(name)?)?;
    let a = s.article_history(&h, spec, article)?;
    out.safe(|b| render::store::write_history(&a, b))?;
    Ok(Outcome::Clean)
}

/// `statute blame STATUTE[@VERSION]`.
pub fn blame(flag: Option<&Path>, spec: &str, out: &mut Output) -> anyhow::Result<Outcome> {
    let s = open(flag)?;
    let (name, spec) = read::split_spec(spec);
    let h = s.history(&s.resolve(name)?)?;
    let blame = s.blame(&h, spec)?;
    out.safe(|b| render::store::write_blame(&blame, b))?;
    Ok(Outcome::Clean)
}

/// `statute refs STATUTE[@VERSION]`.
pub fn refs(
    flag: Option<&Path>,
    spec: &str,
    stale: bool,
    at: Option<Date>,
    format: RefsFormat,
    out: &mut Output,
) -> anyhow::Result<Outcome> {
    let s = open(flag)?;
    let (name, spec) = read::split_spec(spec);
    let h = s.history(&s.resolve(name)?)?;
    let v = h.version(spec, None)?;
    let mut index = s.cite_index()?;
    let mut found = index.refs(&h.id, v, at)?;
    if stale {
        found.retain(|r| r.status.stale());
    }
    let subject = render::refs::Subject {
        id: &h.id,
        title: &v.meta.title,
        version: Some(&v.label),
        article: None,
        at: at.map(|d| d.to_string()),
    };
    write_refs(
        render::refs::Direction::Outgoing,
        &subject,
        &found,
        &index,
        format,
        out,
    )
}

/// `statute cites STATUTE[@VERSION] [ARTICLE]`.
pub fn cites(
    flag: Option<&Path>,
    spec: &str,
    article: Option<&str>,
    stale: bool,
    at: Option<Date>,
    format: RefsFormat,
    out: &mut Output,
) -> anyhow::Result<Outcome> {
    let s = open(flag)?;
    let (name, spec) = read::split_spec(spec);
    let h = s.history(&s.resolve(name)?)?;
    let mut index = s.cite_index()?;
    let named = match article {
        Some(a) => Some(index.find_article(&h, spec, a)?),
        None => None,
    };
    let mut found = index.cites(&h.id, named.as_ref().map(|(_, id)| id.as_str()), at)?;
    if stale {
        found.retain(|r| r.status.stale());
    }
    let title = h.head().map(|v| v.meta.title.clone()).unwrap_or_default();
    let subject = render::refs::Subject {
        id: &h.id,
        title: &title,
        version: spec,
        article: named.as_ref().map(|(l, id)| (l.as_str(), id.as_str())),
        at: at.map(|d| d.to_string()),
    };
    write_refs(
        render::refs::Direction::Incoming,
        &subject,
        &found,
        &index,
        format,
        out,
    )
}

fn write_refs(
    direction: render::refs::Direction,
    subject: &render::refs::Subject<'_>,
    found: &[store::cites::Resolved],
    index: &store::cites::CiteIndex<'_>,
    format: RefsFormat,
    out: &mut Output,
) -> anyhow::Result<Outcome> {
    let title_of = |id: &str| index.title(id).to_string();
    match format {
        RefsFormat::Text => {
            out.safe(|b| render::refs::write_text(direction, subject, found, &title_of, b))?
        }
        RefsFormat::Json => render::refs::write_json(direction, subject, found, &title_of, out)
            .context("writing output")?,
    }
    Ok(if found.iter().any(|r| r.status.stale()) {
        Outcome::Found
    } else {
        Outcome::Clean
    })
}

/// `statute feed`.
pub fn feed(
    flag: Option<&Path>,
    since: Option<&str>,
    names: &[String],
    format: FeedFormat,
    limit: Option<usize>,
    out: &mut Output,
) -> anyhow::Result<Outcome> {
    let s = open(flag)?;
    let since = since.map(feed::Since::parse).transpose()?;
    let statutes = names
        .iter()
        .map(|n| s.resolve(n))
        .collect::<Result<Vec<_>, _>>()?;
    let title = feed::atom::title(&statutes);
    let self_id = feed::atom::self_id(&statutes);
    let opts = feed::Options {
        since,
        statutes,
        limit,
        ..feed::Options::default()
    };
    let format = match format {
        FeedFormat::Jsonl => feed::Format::Jsonl,
        FeedFormat::Json => feed::Format::Json,
        FeedFormat::Atom => feed::Format::Atom { title, self_id },
    };
    feed::write(&s, &opts, &format, out)?;
    Ok(Outcome::Clean)
}

/// `statute browse`.
pub fn browse(flag: Option<&Path>) -> anyhow::Result<Outcome> {
    match statute::tui::run(&store::resolve_dir(flag)) {
        // The terminal is restored: now end as the signal asks (killed by it, as the shell
        // expects), else with the conventional 128 + signal.
        Err(statute::tui::TuiError::Signal(sig)) => {
            let _ = signal_hook::low_level::emulate_default_handler(sig);
            std::process::exit(128 + sig);
        }
        r => {
            r?;
            Ok(Outcome::Clean)
        }
    }
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
