//! A plain-text amendment report of a [`ChangeSet`]: a summary line, heading changes, then
//! each changed entry with its labels, headings and a marked-up diff (`[-删-]{+增+}`).

use std::io::{self, Write};

use crate::diff::{ChangeSet, Entry, EntryKind, HeadingChangeKind, Op, Segment};

/// Options of the report.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Include unchanged (and renumbered-only) entries.
    pub all: bool,
}

/// The summary line: 新增 2 条，删除 1 条，修改 5 条（其中形式修改 1 条），…
pub fn summary_line(cs: &ChangeSet) -> String {
    let s = &cs.summary;
    let mut parts = vec![
        format!("新增 {} 条", s.added),
        format!("删除 {} 条", s.deleted),
        format!("修改 {} 条", s.modified - s.formal),
    ];
    if s.formal > 0 {
        parts.push(format!("仅形式修改 {} 条", s.formal));
    }
    if s.split > 0 {
        parts.push(format!("拆分 {} 条", s.split));
    }
    if s.merged > 0 {
        parts.push(format!("合并 {} 条", s.merged));
    }
    let renumbered_only = cs
        .entries
        .iter()
        .filter(|e| e.kind == EntryKind::Unchanged && e.renumbered)
        .count();
    parts.push(format!("仅条序变化 {renumbered_only} 条"));
    if s.moved > 0 {
        parts.push(format!("移动 {} 条", s.moved));
    }
    parts.push(format!("未变 {} 条", s.unchanged - renumbered_only));
    parts.join("，")
}

/// Writes the report.
pub fn write(cs: &ChangeSet, opts: Options, out: &mut impl Write) -> io::Result<()> {
    let date = |d: Option<crate::model::Date>| d.map_or_else(|| "?".to_string(), |d| d.to_string());
    writeln!(
        out,
        "{} {} → {}",
        cs.new.title,
        date(cs.old.version_date),
        date(cs.new.version_date)
    )?;
    writeln!(out, "{}", summary_line(cs))?;
    if !cs.headings.is_empty() {
        writeln!(out)?;
        for h in &cs.headings {
            let what = match h.kind {
                HeadingChangeKind::Added => format!("增加 {}", h.new.as_deref().unwrap_or("")),
                HeadingChangeKind::Deleted => format!("删去 {}", h.old.as_deref().unwrap_or("")),
                _ => format!(
                    "{} → {}",
                    h.old.as_deref().unwrap_or(""),
                    h.new.as_deref().unwrap_or("")
                ),
            };
            writeln!(out, "标题 [{}] {what}", kind_zh_heading(h.kind))?;
        }
    }
    for t in &cs.texts {
        writeln!(out)?;
        let place = if t.path.is_empty() {
            "正文前".to_string()
        } else {
            t.path.join(" / ")
        };
        let what = if t.substantive {
            "文字修改"
        } else {
            "形式修改"
        };
        writeln!(out, "{place} [{what}]")?;
        writeln!(out, "{}", marked(&t.diff))?;
    }
    for e in &cs.entries {
        let quiet = e.kind == EntryKind::Unchanged;
        if quiet && !opts.all {
            continue;
        }
        writeln!(out)?;
        writeln!(out, "{}", entry_header(e))?;
        writeln!(out, "{}", marked(&e.diff))?;
    }
    Ok(())
}

/// A heading change's kind in Chinese: 新增 删除 改名 序号变化 序号变化并改名.
pub fn kind_zh_heading(k: HeadingChangeKind) -> &'static str {
    match k {
        HeadingChangeKind::Added => "新增",
        HeadingChangeKind::Deleted => "删除",
        HeadingChangeKind::Renamed => "改名",
        HeadingChangeKind::Renumbered => "序号变化",
        HeadingChangeKind::RenumberedRenamed => "序号变化并改名",
    }
}

/// The entry's kind in Chinese (未变 修改 形式修改 新增 删除 拆分 合并), then 条序变化 and 移动
/// when those flags are set.
pub fn kind_flags(e: &Entry) -> Vec<&'static str> {
    let mut flags = vec![match e.kind {
        EntryKind::Unchanged => "未变",
        EntryKind::Modified if !e.substantive => "形式修改",
        EntryKind::Modified => "修改",
        EntryKind::Added => "新增",
        EntryKind::Deleted => "删除",
        EntryKind::Split => "拆分",
        EntryKind::Merged => "合并",
    }];
    if e.renumbered {
        flags.push("条序变化");
    }
    if e.moved {
        flags.push("移动");
    }
    flags
}

/// "第十二条 → 第十三条 [修改, 条序变化] 第二章 法律 / 第一节 立法权限".
pub fn entry_header(e: &Entry) -> String {
    let labels = |v: &[crate::diff::UnitRef]| {
        v.iter()
            .map(|u| u.label.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    let flags = kind_flags(e);
    let where_ = e
        .new
        .first()
        .or(e.old.first())
        .map(|u| u.path.join(" / "))
        .unwrap_or_default();
    let labels = match (e.old.is_empty(), e.new.is_empty()) {
        (true, _) => labels(&e.new),
        (_, true) => labels(&e.old),
        _ if labels(&e.old) == labels(&e.new) => labels(&e.new),
        _ => format!("{} → {}", labels(&e.old), labels(&e.new)),
    };
    format!("{labels} [{}] {where_}", flags.join(", "))
        .trim_end()
        .to_string()
}

/// The diff with `[-deleted-]` and `{+inserted+}` marks.
pub fn marked(segs: &[Segment]) -> String {
    let mut s = String::new();
    for seg in segs {
        match seg.op {
            Op::Equal => s.push_str(&seg.text),
            Op::Delete => {
                s.push_str("[-");
                s.push_str(&seg.text);
                s.push_str("-]");
            }
            Op::Insert => {
                s.push_str("{+");
                s.push_str(&seg.text);
                s.push_str("+}");
            }
        }
    }
    s
}
