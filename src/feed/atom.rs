//! The feed as Atom (RFC 4287) for feed readers: one entry per event, newest first, with a
//! readable Chinese summary and the amended articles as XHTML. Written by hand with every text
//! escaped; no wall-clock time anywhere (`updated` comes from version dates).

use std::io::{self, Write};

use super::wire::{Change, Event, EventKind};

/// The tag URI prefix of the feed and of every entry (`tag:` URIs, RFC 4151; the date is a
/// fixed part of the name, not a timestamp).
pub const TAG_PREFIX: &str = "tag:statute@localhost,2026:";

/// Characters XML 1.0 cannot carry are dropped; markup characters are escaped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// `YYYY-MM-DD` as an RFC 3339 time: noon in China, as the store dates its commits.
fn timestamp(date: &str) -> String {
    format!("{date}T12:00:00+08:00")
}

/// The Chinese name of a change for a reader.
fn change_zh(c: &Change) -> String {
    let mut s = match c.kind.as_str() {
        "modified" if !c.substantive => "形式修改",
        "modified" => "修改",
        "added" => "新增",
        "deleted" => "删除",
        "split" => "拆分",
        "merged" => "合并",
        _ => "未变",
    }
    .to_string();
    if c.renumbered {
        s.push_str("，条序变化");
    }
    if c.moved {
        s.push_str("，移动");
    }
    s
}

/// The labels of a change for its list item: a deleted article by its old label marked 原
/// (原第二条), as [`amended_articles`] names it, so that the two read alike and a deleted
/// 第二条 is not taken for the new one.
fn labels(c: &Change) -> String {
    let join = |v: &[String]| v.join("、");
    match (c.old.is_empty(), c.new.is_empty()) {
        (true, _) => join(&c.new),
        (_, true) => c
            .old
            .iter()
            .map(|l| format!("原{l}"))
            .collect::<Vec<_>>()
            .join("、"),
        _ if c.old == c.new => join(&c.new),
        _ => format!("{} → {}", join(&c.old), join(&c.new)),
    }
}

/// The one-line summary of an event.
pub fn summary(e: &Event) -> String {
    let mut s = format!(
        "{} {}（{}）",
        e.statute.title,
        e.version_date,
        e.kind.as_zh()
    );
    if let Some(t) = &e.summary_text {
        s.push('：');
        s.push_str(t);
    }
    if let Some(name) = e.act.as_ref().and_then(|a| a.name.as_ref()) {
        s.push_str(&format!("。依据《{name}》"));
    }
    s
}

/// The labels of the articles a version amended substantively, in order: new labels, and
/// for deletions the old label marked 原 (原第三条), so that a deleted 第三条 and a new one
/// read apart.
pub fn amended_articles(e: &Event) -> Vec<String> {
    e.changes
        .iter()
        .filter(|c| c.substantive && c.kind != "unchanged")
        .flat_map(|c| {
            if c.new.is_empty() {
                c.old.iter().map(|l| format!("原{l}")).collect::<Vec<_>>()
            } else {
                c.new.clone()
            }
        })
        .collect()
}

/// The title of a feed of these statutes (ids; none for the whole store).
pub fn title(statutes: &[String]) -> String {
    match statutes {
        [] => "statute: 变更订阅".to_string(),
        ids => format!("statute: 变更订阅 {}", ids.join(" ")),
    }
}

/// The id of a feed of these statutes, as [`write()`] takes it: `feed`, or `feed/ID+ID…`.
pub fn self_id(statutes: &[String]) -> String {
    match statutes {
        [] => "feed".to_string(),
        ids => format!("feed/{}", ids.join("+")),
    }
}

/// Writes the feed. `title` names it; `self_id` is appended to [`TAG_PREFIX`] for its id.
pub fn write(events: &[Event], title: &str, self_id: &str, out: &mut impl Write) -> io::Result<()> {
    let updated = events.iter().map(|e| e.version_date.as_str()).max();
    header(updated, title, self_id, out)?;
    for e in events.iter().rev() {
        entry(e, out)?;
    }
    footer(out)
}

/// The feed's opening up to its first entry; `updated` is the latest version date of its
/// events (none when it has none).
pub(crate) fn header(
    updated: Option<&str>,
    title: &str,
    self_id: &str,
    out: &mut impl Write,
) -> io::Result<()> {
    let updated = updated.map_or_else(|| "1970-01-01T00:00:00Z".to_string(), timestamp);
    writeln!(out, r#"<?xml version="1.0" encoding="utf-8"?>"#)?;
    writeln!(out, r#"<feed xmlns="http://www.w3.org/2005/Atom">"#)?;
    writeln!(
        out,
        "  <id>{}</id>",
        escape(&format!("{TAG_PREFIX}{self_id}"))
    )?;
    writeln!(out, "  <title>{}</title>", escape(title))?;
    writeln!(out, "  <updated>{updated}</updated>")?;
    writeln!(out, "  <author><name>statute</name></author>")?;
    writeln!(out, "  <generator>statute</generator>")
}

/// The feed's closing after its last entry.
pub(crate) fn footer(out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "</feed>")
}

/// One entry.
pub(crate) fn entry(e: &Event, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "  <entry>")?;
    writeln!(
        out,
        "    <id>{}</id>",
        escape(&format!("{TAG_PREFIX}{}", e.id))
    )?;
    writeln!(
        out,
        "    <title>{}</title>",
        escape(&format!(
            "{} {}（{}）",
            e.statute.title,
            e.version,
            e.kind.as_zh()
        ))
    )?;
    let t = timestamp(&e.version_date);
    writeln!(out, "    <published>{t}</published>")?;
    writeln!(out, "    <updated>{t}</updated>")?;
    writeln!(
        out,
        "    <category term=\"{}\" label=\"{}\"/>",
        e.kind.as_str(),
        e.kind.as_zh()
    )?;
    writeln!(
        out,
        "    <summary type=\"text\">{}</summary>",
        escape(&summary(e))
    )?;
    writeln!(out, "    <content type=\"xhtml\">")?;
    writeln!(out, "      <div xmlns=\"http://www.w3.org/1999/xhtml\">")?;
    writeln!(out, "        <p>{}</p>", escape(&summary(e)))?;
    let mut facts = vec![format!("版本：{}", e.version)];
    if let Some(p) = &e.previous {
        facts.push(format!("上一版本：{p}"));
    }
    if let Some(d) = &e.effective {
        facts.push(format!("施行日期：{d}"));
    }
    if let Some(s) = &e.status {
        facts.push(format!("时效性：{s}"));
    }
    writeln!(out, "        <p>{}</p>", escape(&facts.join("；")))?;
    if let Some(a) = &e.act {
        writeln!(out, "        <p>题注：{}</p>", escape(&a.text))?;
    }
    let amended = amended_articles(e);
    if e.kind != EventKind::Enacted {
        let list = if amended.is_empty() {
            "无".to_string()
        } else {
            amended.join("、")
        };
        writeln!(out, "        <p>修改的条文：{}</p>", escape(&list))?;
    }
    if !e.changes.is_empty() {
        writeln!(out, "        <ul>")?;
        for c in &e.changes {
            writeln!(
                out,
                "          <li>{}（{}）</li>",
                escape(&labels(c)),
                escape(&change_zh(c))
            )?;
        }
        writeln!(out, "        </ul>")?;
    }
    if !e.headings.is_empty() {
        writeln!(out, "        <ul>")?;
        for h in &e.headings {
            let text = match (&h.old, &h.new) {
                (Some(o), Some(n)) => format!("{o} → {n}"),
                (Some(o), None) => format!("删除 {o}"),
                (None, Some(n)) => format!("新增 {n}"),
                (None, None) => String::new(),
            };
            writeln!(out, "          <li>{}</li>", escape(&text))?;
        }
        writeln!(out, "        </ul>")?;
    }
    if !e.affected_citations.is_empty() {
        writeln!(
            out,
            "        <p>因本次修改失效的引用：{} 处</p>",
            e.affected_citations.len()
        )?;
        writeln!(out, "        <ul>")?;
        for a in &e.affected_citations {
            let now = if a.new.is_empty() {
                "已删除".to_string()
            } else {
                format!("现为{}", a.new.join("、"))
            };
            writeln!(
                out,
                "          <li>《{}》（{}）{}：{}（{}，{}）</li>",
                escape(&a.title),
                escape(&a.version),
                escape(a.unit.as_deref().unwrap_or("")),
                escape(&a.text),
                escape(&a.old),
                escape(&now),
            )?;
        }
        writeln!(out, "        </ul>")?;
    }
    writeln!(out, "      </div>")?;
    writeln!(out, "    </content>")?;
    writeln!(out, "  </entry>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feed_is_named_by_its_statutes() {
        let ids = ["甲法-00000001".to_string(), "乙法-00000002".to_string()];
        assert_eq!(title(&[]), "statute: 变更订阅");
        assert_eq!(self_id(&[]), "feed");
        assert_eq!(title(&ids), "statute: 变更订阅 甲法-00000001 乙法-00000002");
        assert_eq!(self_id(&ids), "feed/甲法-00000001+乙法-00000002");
    }

    #[test]
    fn escapes_markup_and_drops_illegal_characters() {
        assert_eq!(
            escape("a<b>&\"c'\u{1b}d\u{FFFF}"),
            "a&lt;b&gt;&amp;&quot;c&apos;d"
        );
        assert_eq!(escape("第一条\n"), "第一条\n");
    }

    #[test]
    fn an_empty_feed_is_well_formed_and_dated_without_the_clock() {
        let mut buf = Vec::new();
        write(&[], "t", "feed", &mut buf).expect("write");
        let s = String::from_utf8(buf).expect("utf8");
        assert!(s.contains("<updated>1970-01-01T00:00:00Z</updated>"));
        assert!(s.trim_end().ends_with("</feed>"));
    }
}
