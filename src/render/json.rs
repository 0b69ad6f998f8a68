//! `statute-doc/1`: the JSON wire format of one parsed version (`statute parse --format json`).
//!
//! These are their own serde types, decoupled from the model, so the model can change without
//! silently changing what downstream tools read.

use std::io::{self, Write};

use serde::Serialize;

use crate::model::{self, Node, Statute, UnitNum};
use crate::parse::Parsed;

/// Schema identifier written in every document.
pub const SCHEMA: &str = "statute-doc/1";

#[derive(Serialize)]
pub struct Doc<'a> {
    pub schema: &'static str,
    /// Input format the parser recognised: canonical, seed, corpus, plain, docx.
    pub source_format: &'static str,
    pub encoding: &'static str,
    pub meta: Meta<'a>,
    /// The title printed again at the top of the body, if the source does.
    pub title_line: Option<&'a str>,
    /// The document number (发文字号) printed under the title, if the source does.
    pub doc_number: Option<&'a str>,
    pub toc: &'a [String],
    pub body: Vec<DocNode<'a>>,
    pub closing: &'a [String],
    pub annexes: Vec<Annex<'a>>,
    pub footnotes: Vec<Footnote<'a>>,
    /// Editorial notes without an anchor in the text (not part of the statute).
    pub notes: Vec<Note<'a>>,
    pub warnings: Vec<String>,
}

#[derive(Serialize)]
pub struct Meta<'a> {
    pub title: &'a str,
    pub subtitle: Option<&'a str>,
    pub issuer: Option<&'a str>,
    pub version_date: Option<String>,
    pub promulgated: Option<String>,
    pub effective: Option<String>,
    pub status: Option<&'a str>,
    pub doc_id: Option<&'a str>,
    pub source_urls: &'a [String],
    pub history: Vec<Event<'a>>,
    pub extra: &'a std::collections::BTreeMap<String, String>,
}

#[derive(Serialize)]
pub struct Event<'a> {
    pub text: &'a str,
    pub date: Option<String>,
    pub body: Option<&'a str>,
    pub act: Option<&'a str>,
    /// 通过, 批准, 修正, 修订, 公布, 施行, 废止 or 其他.
    pub kind: &'static str,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum DocNode<'a> {
    Division {
        /// part (编), subpart (分编), chapter (章), section (节), preamble (序言), heading.
        kind: &'static str,
        num: Option<u32>,
        label: &'a str,
        title: &'a str,
        line: u32,
        children: Vec<DocNode<'a>>,
    },
    Article {
        /// Citation form: 第十条之一, 一 (point), ¶3 (positional paragraph).
        citation: String,
        /// article, point or position.
        unit: &'static str,
        main: u32,
        sub: u32,
        label: &'a str,
        line: u32,
        paragraphs: Vec<Paragraph<'a>>,
    },
    Paragraph(Paragraph<'a>),
}

#[derive(Serialize)]
pub struct Paragraph<'a> {
    pub text: &'a str,
    pub line: u32,
    pub items: Vec<Item<'a>>,
}

#[derive(Serialize)]
pub struct Item<'a> {
    pub marker: &'a str,
    pub num: u32,
    pub text: &'a str,
    pub line: u32,
    pub subitems: Vec<Item<'a>>,
}

#[derive(Serialize)]
pub struct Annex<'a> {
    pub title: &'a str,
    pub line: u32,
    pub children: Vec<DocNode<'a>>,
}

#[derive(Serialize)]
pub struct Footnote<'a> {
    pub marker: String,
    pub text: &'a str,
    pub line: u32,
}

#[derive(Serialize)]
pub struct Note<'a> {
    /// As written: ①, 注：, 【编者注】.
    pub marker: &'a str,
    pub text: &'a str,
    /// The citation label of the unit the note trails, if any.
    pub after: Option<String>,
    pub line: u32,
}

/// Builds the wire document of a parse result.
pub fn doc<'a>(p: &'a Parsed, path: &std::path::Path) -> Doc<'a> {
    let s: &Statute = &p.statute;
    let m = &s.meta;
    Doc {
        schema: SCHEMA,
        source_format: p.format.as_str(),
        encoding: p.encoding,
        meta: Meta {
            title: &m.title,
            subtitle: m.subtitle.as_deref(),
            issuer: m.issuer.as_deref(),
            version_date: m.version_date.map(|d| d.to_string()),
            promulgated: m.promulgated.map(|d| d.to_string()),
            effective: m.effective.map(|d| d.to_string()),
            status: m.status.as_deref(),
            doc_id: m.doc_id.as_deref(),
            source_urls: &m.source_urls,
            history: m
                .history
                .iter()
                .map(|e| Event {
                    text: &e.text,
                    date: e.date.map(|d| d.to_string()),
                    body: e.body.as_deref(),
                    act: e.act.as_deref(),
                    kind: e.kind.as_str(),
                })
                .collect(),
            extra: &m.extra,
        },
        title_line: s.body.title_line.as_deref(),
        doc_number: s.body.doc_number.as_deref(),
        toc: &s.body.toc,
        body: nodes(&s.body.nodes),
        closing: &s.body.closing,
        annexes: s
            .body
            .annexes
            .iter()
            .map(|a| Annex {
                title: &a.title,
                line: a.loc.0,
                children: nodes(&a.children),
            })
            .collect(),
        footnotes: s
            .body
            .footnotes
            .iter()
            .map(|f| Footnote {
                marker: f.marker.to_string(),
                text: &f.text,
                line: f.loc.0,
            })
            .collect(),
        notes: {
            let units = s.articles();
            s.body
                .notes
                .iter()
                .map(|n| Note {
                    marker: &n.marker,
                    text: &n.text,
                    after: n.after.and_then(|k| units.get(k)).map(|a| a.label(s)),
                    line: n.loc.0,
                })
                .collect()
        },
        warnings: p
            .warnings
            .iter()
            .map(|w| w.display(path).to_string())
            .collect(),
    }
}

/// Writes the document as pretty JSON followed by a newline.
pub fn write(p: &Parsed, path: &std::path::Path, out: &mut impl Write) -> io::Result<()> {
    super::write_json(out, &doc(p, path), true)
}

fn nodes(list: &[Node]) -> Vec<DocNode<'_>> {
    list.iter()
        .map(|n| match n {
            Node::Division(d) => DocNode::Division {
                kind: match d.kind {
                    model::DivisionKind::Part => "part",
                    model::DivisionKind::Subpart => "subpart",
                    model::DivisionKind::Chapter => "chapter",
                    model::DivisionKind::Section => "section",
                    model::DivisionKind::Preamble => "preamble",
                    model::DivisionKind::Heading { .. } => "heading",
                },
                num: d.num,
                label: &d.label,
                title: &d.title,
                line: d.loc.0,
                children: nodes(&d.children),
            },
            Node::Article(a) => {
                let (unit, main, sub) = match a.num {
                    UnitNum::Article { main, sub } => ("article", main, sub),
                    UnitNum::Point(n) => ("point", n, 0),
                    UnitNum::Position(n) => ("position", n, 0),
                };
                DocNode::Article {
                    citation: a.num.label(),
                    unit,
                    main,
                    sub,
                    label: &a.label,
                    line: a.loc.0,
                    paragraphs: a.paras.iter().map(para).collect(),
                }
            }
            Node::Para(p) => DocNode::Paragraph(para(p)),
        })
        .collect()
}

fn para(p: &model::Para) -> Paragraph<'_> {
    Paragraph {
        text: &p.text,
        line: p.loc.0,
        items: p.items.iter().map(item).collect(),
    }
}

fn item(i: &model::Item) -> Item<'_> {
    Item {
        marker: &i.marker,
        num: i.num,
        text: &i.text,
        line: i.loc.0,
        subitems: i.subitems.iter().map(item).collect(),
    }
}
