//! The shared wording of the reviews (the summary line is `ChangeSet::summary_line`): the
//! Chinese names of change kinds, and the header line of an entry (labels, kind, chapter).

use crate::diff::{Entry, EntryKind, HeadingChangeKind, NoteChange, TextChange};

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
///
/// An entry with the same wording in another structure reads 仅结构调整 after its kind
/// (拆分, 合并), or alone; a unit moved from or into a header line reads 移入条文 / 移出条文.
pub fn kind_flags(e: &Entry) -> Vec<&'static str> {
    if e.restructured {
        let mut flags = match e.kind {
            EntryKind::Split => vec!["拆分"],
            EntryKind::Merged => vec!["合并"],
            EntryKind::Added => vec!["移入条文"],
            EntryKind::Deleted => vec!["移出条文"],
            EntryKind::Unchanged | EntryKind::Modified => vec![],
        };
        flags.push("仅结构调整");
        if e.renumbered {
            flags.push("条序变化");
        }
        if e.moved {
            flags.push("移动");
        }
        return flags;
    }
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

/// Where a changed text outside the articles stands: its headings, or 正文前.
pub fn text_place(t: &TextChange) -> String {
    if t.path.is_empty() {
        "正文前".to_string()
    } else {
        t.path.join(" / ")
    }
}

/// 文字修改 or 形式修改, for a changed text outside the articles.
pub fn text_kind(t: &TextChange) -> &'static str {
    if t.substantive {
        "文字修改"
    } else {
        "形式修改"
    }
}

/// What happened to an editorial note or footnote, and where it stands: 新增注释（第三条后）,
/// 删除脚注, 注释修改（第四百五十二条后）. Notes are no part of the statute.
pub fn note_label(n: &NoteChange) -> String {
    let side = n.new.as_ref().or(n.old.as_ref());
    let what = if side.is_some_and(|r| r.footnote) {
        "脚注"
    } else {
        "注释"
    };
    let op = match (&n.old, &n.new) {
        (None, _) => format!("新增{what}"),
        (_, None) => format!("删除{what}"),
        _ => format!("{what}修改"),
    };
    match side.and_then(|r| r.after.as_deref()) {
        Some(after) => format!("{op}（{after}后）"),
        None => op,
    }
}
