//! Plain-text views of the store: `list`, `log`, `history`, `blame`, and the import and verify
//! reports. Each takes `impl Write`.

use std::io::{self, Write};

use super::terminal::{fit, pad, text_width};
use crate::store::articles::{ArticleHistory, Blame};
use crate::store::import::ImportReport;
use crate::store::read::StatuteHistory;
use crate::store::tables::ListRow;
use crate::store::verify::VerifyReport;
use crate::store::{DERIVED_KEY, DERIVED_VERSION, Stamp};

/// One line per statute: latest version, number of versions, status, title, id.
pub fn write_list(list: &[ListRow], out: &mut impl Write) -> io::Result<()> {
    for r in list {
        writeln!(
            out,
            "{}  {:>2} 版  {}  {}  ({})",
            r.label,
            r.versions,
            r.status.as_deref().unwrap_or("—"),
            r.title,
            r.id
        )?;
    }
    Ok(())
}

/// The versions of a statute, newest first, with their kinds (首次收录, 修正, 修订, 形式更正,
/// 废止) and the cached amendment summaries.
pub fn write_log(h: &StatuteHistory, out: &mut impl Write) -> io::Result<()> {
    if let Some(head) = h.head() {
        writeln!(out, "{} ({})", head.meta.title, h.id)?;
    }
    for (k, v) in h.versions.iter().enumerate().rev() {
        let commit = v.commit.to_string();
        let effective = v
            .meta
            .effective
            .map(|d| format!("施行 {d}"))
            .unwrap_or_else(|| "施行 ?         ".into());
        // Kinds are two or four CJK characters: padded to the width of four.
        let line = format!(
            "{}  {:<13} {}  {}  {}  {}",
            &commit[..commit.len().min(10)],
            v.label,
            pad(v.kind_zh(k == 0), 8),
            effective,
            v.meta.status.as_deref().unwrap_or("—"),
            v.summary.as_deref().unwrap_or("")
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// One article through every version, with its text in each.
pub fn write_history(a: &ArticleHistory, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "{} ({})", a.title, a.statute)?;
    writeln!(out, "lineage {}", a.lineage_id)?;
    for v in &a.versions {
        writeln!(out)?;
        if v.units.is_empty() {
            writeln!(out, "== {}  （无此条）", v.version.label)?;
            continue;
        }
        for (u, text) in &v.units {
            write!(
                out,
                "== {}  {}  [{}]",
                v.version.label,
                u.label,
                u.origin.as_str()
            )?;
            if !u.parents.is_empty() {
                write!(out, "  from {}", u.parents.join(", "))?;
            }
            writeln!(out)?;
            writeln!(out, "{text}")?;
        }
    }
    Ok(())
}

/// Display columns of an article's text in `blame`: its first line, cut with `…`.
pub const BLAME_TEXT_WIDTH: usize = 80;

/// Each article of a version with the version that last changed it: the version, how the
/// article came to be, its label, and its first line cut to [`BLAME_TEXT_WIDTH`] columns.
/// Columns are padded by display width (CJK labels take two columns a character), so the
/// text starts at the same column on every line.
pub fn write_blame(b: &Blame, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "{} ({}) @ {}", b.title, b.statute, b.version)?;
    let widest = |f: &dyn Fn(&crate::store::articles::BlameLine) -> usize, least: usize| {
        b.lines.iter().map(f).max().unwrap_or(0).max(least)
    };
    let version_w = widest(&|l| text_width(&l.changed_in), 13);
    let change_w = widest(&|l| text_width(l.change.as_str()), 10);
    let label_w = widest(&|l| text_width(&l.unit.label), 12);
    for l in &b.lines {
        let first = fit(l.text.lines().next().unwrap_or(""), BLAME_TEXT_WIDTH);
        let line = format!(
            "{} {} {} {first}",
            pad(&l.changed_in, version_w),
            pad(l.change.as_str(), change_w),
            pad(&l.unit.label, label_w),
        );
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// The closing summary of an import.
pub fn write_import_report(r: &ImportReport, out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "{} files, {} statutes: {} versions added, {} unchanged, {} failed{}{}",
        r.files,
        r.statutes,
        r.added,
        r.unchanged,
        r.failed.len(),
        match r.warnings.len() {
            0 => String::new(),
            1 => ", 1 warning".to_string(),
            n => format!(", {n} warnings"),
        },
        if r.ignored > 0 {
            format!(" ({} other files ignored)", r.ignored)
        } else {
            String::new()
        }
    )
}

/// The line `merge` ends with: the other store's statutes that differ from this store's, their
/// versions read, and how many were new.
pub fn write_merge_report(r: &ImportReport, out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "{} statutes differ, {} versions read: {} added, {} already here, {} refs updated",
        r.statutes, r.files, r.added, r.unchanged, r.refs_updated
    )
}

/// The problems `verify` found, then its stale derived data (`stale: …` lines), then a
/// summary line.
pub fn write_verify_report(r: &VerifyReport, out: &mut impl Write) -> io::Result<()> {
    for p in &r.problems {
        writeln!(out, "{p}")?;
    }
    match r.stamp {
        Stamp::Current | Stamp::Newer(_) => {}
        Stamp::Missing => writeln!(
            out,
            "stale: no derived-data stamp ({DERIVED_KEY}); this build writes {DERIVED_VERSION}"
        )?,
        Stamp::Older(n) => writeln!(
            out,
            "stale: derived-data stamp {n} ({DERIVED_KEY}); this build writes {DERIVED_VERSION}"
        )?,
    }
    for s in &r.stale {
        writeln!(out, "stale: {s}")?;
    }
    writeln!(
        out,
        "{} statutes, {} versions, {} objects: {}{}",
        r.statutes,
        r.versions,
        r.objects,
        match r.problems.len() {
            0 => "ok".to_string(),
            1 => "1 problem".to_string(),
            n => format!("{n} problems"),
        },
        match (r.is_stale(), r.stale.len()) {
            (false, _) => String::new(),
            (true, 0) => ", derived data stale".to_string(),
            (true, 1) => ", derived data stale (1 version)".to_string(),
            (true, n) => format!(", derived data stale ({n} versions)"),
        }
    )
}
