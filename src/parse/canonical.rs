//! The canonical Markdown form of a version: deterministic front matter plus a body in the
//! corpus layout. `parse(render(m)) == m` for every model the parser produces.

use std::collections::HashMap;
use std::io::{self, Write};

use super::CANONICAL_FORMAT;
use crate::model::{Division, Item, Node, Note, NotePlace, Para, Statute, UnitNum};

/// Writes the canonical form of `s`.
pub fn write(s: &Statute, out: &mut impl Write) -> io::Result<()> {
    let m = &s.meta;
    writeln!(out, "---")?;
    writeln!(out, "format: {}", quote(CANONICAL_FORMAT))?;
    writeln!(out, "title: {}", quote(&m.title))?;
    let opt = |out: &mut dyn Write, key: &str, v: Option<String>| -> io::Result<()> {
        match v {
            Some(v) => writeln!(out, "{key}: {}", quote(&v)),
            None => Ok(()),
        }
    };
    opt(out, "subtitle", m.subtitle.clone())?;
    opt(out, "issuer", m.issuer.clone())?;
    opt(out, "version_date", m.version_date.map(|d| d.to_string()))?;
    opt(out, "promulgated", m.promulgated.map(|d| d.to_string()))?;
    opt(out, "effective", m.effective.map(|d| d.to_string()))?;
    opt(out, "status", m.status.clone())?;
    opt(out, "doc_id", m.doc_id.clone())?;
    if !m.source_urls.is_empty() {
        writeln!(out, "source_urls:")?;
        for u in &m.source_urls {
            writeln!(out, "  - {}", quote(u))?;
        }
    }
    if !m.history.is_empty() {
        writeln!(out, "history:")?;
        for e in &m.history {
            writeln!(out, "  - {}", quote(&e.text))?;
        }
    }
    if !m.extra.is_empty() {
        writeln!(out, "extra:")?;
        for (k, v) in &m.extra {
            writeln!(out, "  {}: {}", quote(k), quote(v))?;
        }
    }
    writeln!(out, "---")?;
    writeln!(out)?;
    if !m.title.is_empty() {
        writeln!(out, "# {}", m.title)?;
        writeln!(out)?;
    }
    let b = &s.body;
    if let Some(t) = &b.title_line {
        writeln!(out, "{t}")?;
        writeln!(out)?;
    }
    if let Some(n) = &b.doc_number {
        writeln!(out, "{n}")?;
        writeln!(out)?;
    }
    if !b.toc.is_empty() {
        writeln!(out, "## 目录")?;
        writeln!(out)?;
        for e in &b.toc {
            writeln!(out, "- {e}")?;
        }
        writeln!(out)?;
        writeln!(out, "---")?;
        writeln!(out)?;
    }
    let places = b.notes_by_place();
    let mut w = Notes {
        places: &places,
        unit: 0,
    };
    w.write(NotePlace::Start(None), out)?;
    nodes(&b.nodes, 0, &mut w, out)?;
    for c in &b.closing {
        writeln!(out, "{c}")?;
        writeln!(out)?;
    }
    w.write(NotePlace::EndOfMain, out)?;
    for (i, a) in b.annexes.iter().enumerate() {
        writeln!(out, "{}", a.title)?;
        writeln!(out)?;
        w.write(NotePlace::Start(Some(i)), out)?;
        nodes(&a.children, 0, &mut w, out)?;
    }
    for f in &b.footnotes {
        writeln!(out, "{}{}", f.marker, f.text)?;
        writeln!(out)?;
    }
    Ok(())
}

/// The canonical form as a string.
pub fn to_string(s: &Statute) -> String {
    let mut buf = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = write(s, &mut buf);
    String::from_utf8(buf).unwrap_or_default()
}

/// A YAML double-quoted scalar (JSON string syntax is valid YAML), with the characters YAML
/// does not allow in a document (DEL, C1 controls, U+FFFE, U+FFFF) escaped as `\uXXXX`.
fn quote(s: &str) -> String {
    let json = serde_json::Value::String(s.to_string()).to_string();
    if !json.chars().any(yaml_unprintable) {
        return json;
    }
    let mut out = String::with_capacity(json.len() + 12);
    for c in json.chars() {
        if yaml_unprintable(c) {
            out.push_str(&format!("\\u{:04X}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Outside YAML's printable set (JSON already escapes C0 controls).
fn yaml_unprintable(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}')
}

/// The editorial notes, written where they stand: after the unit they trail.
struct Notes<'a, 'n> {
    places: &'a HashMap<NotePlace, Vec<&'n Note>>,
    /// Units written so far.
    unit: usize,
}

impl Notes<'_, '_> {
    fn write(&self, place: NotePlace, out: &mut impl Write) -> io::Result<()> {
        for n in self.places.get(&place).into_iter().flatten() {
            writeln!(out, "{}{}", n.marker, n.text)?;
            writeln!(out)?;
        }
        Ok(())
    }
}

fn nodes(
    list: &[Node],
    depth: usize,
    notes: &mut Notes<'_, '_>,
    out: &mut impl Write,
) -> io::Result<()> {
    for n in list {
        match n {
            Node::Division(d) => division(d, depth, notes, out)?,
            Node::Article(a) => {
                let mut paras = a.paras.iter();
                let first = paras.next();
                let sep = match a.num {
                    UnitNum::Article { .. } if first.is_some_and(|p| !p.text.is_empty()) => " ",
                    _ => "",
                };
                write!(out, "{}{sep}", a.label)?;
                match first {
                    Some(p) => para(p, out)?,
                    None => {
                        writeln!(out)?;
                        writeln!(out)?;
                    }
                }
                for p in paras {
                    para(p, out)?;
                }
                notes.write(NotePlace::AfterUnit(notes.unit), out)?;
                notes.unit += 1;
            }
            Node::Para(p) => para(p, out)?,
        }
    }
    Ok(())
}

fn division(
    d: &Division,
    depth: usize,
    notes: &mut Notes<'_, '_>,
    out: &mut impl Write,
) -> io::Result<()> {
    let hashes = "#".repeat((depth + 2).min(6));
    writeln!(out, "{hashes} {}", d.heading())?;
    writeln!(out)?;
    nodes(&d.children, depth + 1, notes, out)
}

fn para(p: &Para, out: &mut impl Write) -> io::Result<()> {
    writeln!(out, "{}", p.text)?;
    writeln!(out)?;
    for i in &p.items {
        item(i, out)?;
    }
    Ok(())
}

fn item(i: &Item, out: &mut impl Write) -> io::Result<()> {
    // "1." then "5万元…" written together would read back as the number 1.5: keep them apart
    // with a space, which the parser drops after a marker.
    let digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let apart = i.marker.ends_with(['.', '．', '、']) && i.text.starts_with(digit);
    let sep = if apart { " " } else { "" };
    writeln!(out, "{}{sep}{}", i.marker, i.text)?;
    writeln!(out)?;
    for s in &i.subitems {
        item(s, out)?;
    }
    Ok(())
}
