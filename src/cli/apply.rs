//! `statute apply BASE ACT`: an amending act applied to a version (a file or a stored
//! version), the consolidated text written in canonical form, the report on stderr, and with
//! `--check` the result compared with an official consolidated text.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};

use statute::amend::{self, ReadAct};
use statute::model::Statute;
use statute::parse;
use statute::render::apply_report::ApplyReport;

use super::Outcome;
use super::args::ReportFormat;
use super::files::print_warnings;
use super::output::Output;

/// What `statute apply` was asked.
pub struct ApplyArgs<'a> {
    pub base: &'a Path,
    pub act: &'a Path,
    pub output: Option<&'a Path>,
    pub report: ReportFormat,
    pub check: Option<&'a Path>,
    pub partial: bool,
    pub read: parse::ReadOptions,
}

/// Found (exit 1) when some instruction was not applied or the result differs from the
/// official text.
pub fn run(store: Option<&Path>, a: &ApplyArgs<'_>, out: &mut Output) -> anyhow::Result<Outcome> {
    let base = read_base(store, a.base, &a.read)?;
    let ReadAct { act, info } = amend::read_act_with(a.act, &a.read)?;
    let part = act.part_for(&base.meta.title).map_err(|named| {
        let named = if named.is_empty() {
            "no statute by name".to_string()
        } else {
            named
                .iter()
                .map(|t| format!("《{t}》"))
                .collect::<Vec<_>>()
                .join("")
        };
        anyhow::anyhow!(
            "{}: the act amends {named}, not 《{}》",
            a.act.display(),
            base.meta.title
        )
    })?;
    let applied = amend::apply(&base, part, &info);
    let official = match a.check {
        Some(p) => {
            let parsed = parse::parse_file_with(p, &a.read)?;
            print_warnings(p, &parsed);
            Some(parsed.statute)
        }
        None => None,
    };
    let discrepancies = official.as_ref().map(|o| amend::compare(&applied, o));
    let report = ApplyReport {
        base: &base,
        act: &info,
        applied: &applied,
        check: discrepancies.as_deref(),
    };
    let mut err = std::io::stderr().lock();
    match a.report {
        ReportFormat::Text => report.write_text(false, &mut err),
        ReportFormat::Json => report.write_json(&mut err),
    }
    .context("writing the report")?;
    let complete = applied.complete();
    if complete || a.partial {
        let text = parse::canonical::to_string(&applied.statute);
        match a.output {
            Some(path) => write_file(path, &text)?,
            None => out.safe(|b| b.write_all(text.as_bytes()))?,
        }
    } else if a.report == ReportFormat::Text {
        // A JSON report says so itself (complete: false), and stays one document.
        say!(
            "statute: nothing written: some instructions were not applied (--partial writes what was)"
        );
    }
    let differs = discrepancies.as_ref().is_some_and(|d| !d.is_empty());
    Ok(if complete && !differs {
        Outcome::Clean
    } else {
        Outcome::Found
    })
}

/// BASE: a version file, else `STATUTE[@VERSION]` in the store.
fn read_base(
    store: Option<&Path>,
    base: &Path,
    read: &parse::ReadOptions,
) -> anyhow::Result<Statute> {
    if base.is_file() || super::diff::looks_like_file(base) {
        let parsed = parse::parse_file_with(base, read)?;
        print_warnings(base, &parsed);
        return Ok(parsed.statute);
    }
    let spec = base.to_string_lossy();
    let s = super::store::open(store)?;
    let (name, version) = statute::store::read::split_spec(&spec);
    let h = s.history(&s.resolve(name)?)?;
    let text = s.text(h.version(version, None)?)?;
    let parsed = parse::parse_str(&PathBuf::from(spec.as_ref()), &text)?;
    Ok(parsed.statute)
}

/// Writes the result through a temporary file renamed into place: a failed write leaves the
/// file as it was.
fn write_file(path: &Path, text: &str) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = dir.join(format!(
        ".{}.statute-tmp",
        path.file_name().unwrap_or_default().to_string_lossy()
    ));
    // Errors name the file the user asked for, not the temporary one.
    if let Err(e) = std::fs::write(&tmp, text) {
        let _ = std::fs::remove_file(&tmp);
        bail!("{}: cannot write: {e}", path.display());
    }
    if let Err(e) = std::fs::rename(&tmp, path) {
        let _ = std::fs::remove_file(&tmp);
        bail!("{}: cannot write: {e}", path.display());
    }
    Ok(())
}
