//! `statute refs` and `statute cites`: citations resolved by the store (`store::cites`), as
//! text or as one `statute-refs/1` JSON document (own serde types, documented by
//! `schema/statute-refs-1.json`).

use std::io::{self, Write};

use schemars::JsonSchema;
use serde::Serialize;

use crate::cite::Name;
use crate::store::cites::{Resolved, Status};

/// Schema identifier written in every document.
pub const SCHEMA: &str = "statute-refs/1";

/// What a listing is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// A version's own citations (`statute refs`).
    Outgoing,
    /// Citations of a statute or article by other statutes (`statute cites`).
    Incoming,
}

/// The subject of a listing.
#[derive(Debug, Clone)]
pub struct Subject<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// `refs`: the citing version; `cites`: the version an article was named in, if any.
    pub version: Option<&'a str>,
    /// `cites ARTICLE`: the article's label and lineage id.
    pub article: Option<(&'a str, &'a str)>,
    /// The date the citations are compared at (`--at`), else the latest versions.
    pub at: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct Doc<'a> {
    /// Always `"statute-refs/1"`.
    #[schemars(extend("const" = "statute-refs/1"))]
    pub schema: &'static str,
    /// `"refs"`: the citations a version makes; `"cites"`: the citations of a statute (or one
    /// article) by other stored statutes.
    pub direction: &'static str,
    /// The statute listed: the citing one for `refs`, the cited one for `cites`.
    pub statute: StatuteDoc<'a>,
    /// `cites ARTICLE`: the article asked for; null otherwise.
    pub article: Option<ArticleDoc<'a>>,
    /// The date each cited statute is compared at (its version in force then); null: each
    /// cited statute's latest version.
    pub at: Option<String>,
    /// The citations, in the citing documents' order.
    pub citations: Vec<CitationDoc<'a>>,
}

#[derive(Serialize, JsonSchema)]
pub struct StatuteDoc<'a> {
    /// The statute's id in the store.
    pub id: &'a str,
    /// Its latest title.
    pub title: &'a str,
    /// `refs`: the version whose citations are listed; `cites`: the version the article was
    /// named in, or null.
    pub version: Option<&'a str>,
}

#[derive(Serialize, JsonSchema)]
pub struct ArticleDoc<'a> {
    /// The article's label in the version it was named in (第七十一条).
    pub label: &'a str,
    /// Its lineage id: citations of any of its earlier numbers are listed.
    pub lineage: &'a str,
}

#[derive(Serialize, JsonSchema)]
pub struct CitationDoc<'a> {
    /// The citation as written: the name before it when one is (《中华人民共和国公司法》,
    /// 公司法, 本规定), the article and its 款/项; a range's members carry the whole range.
    pub text: &'a str,
    /// The line of the citing version's canonical file (`statute show`) that holds it.
    pub line: u32,
    /// The citing unit's label (第二条), null for text outside units.
    pub unit: Option<&'a str>,
    /// The citing statute and version.
    pub citing: CitingDoc<'a>,
    /// What is cited.
    pub cited: CitedDoc<'a>,
    /// `current` (same number, text not changed substantively), `modified` (same number,
    /// text changed), `renumbered`, `split`, `merged`, `deleted`, or `unresolved` (the statute
    /// is not in the store or its name is ambiguous, it had no version by the citing date,
    /// or the article never existed in that version: see `note`).
    pub status: &'static str,
    /// `true` when the citation no longer points where it pointed: renumbered, split,
    /// merged or deleted.
    pub stale: bool,
    /// The article's labels in the version compared with (two or more after a split); empty
    /// when deleted or unresolved.
    pub current: &'a [String],
    /// Why the citation is unresolved; null otherwise.
    pub note: Option<&'a str>,
}

#[derive(Serialize, JsonSchema)]
pub struct CitingDoc<'a> {
    /// The citing statute's id.
    pub statute: &'a str,
    /// Its latest title.
    pub title: &'a str,
    /// The citing version.
    pub version: &'a str,
}

#[derive(Serialize, JsonSchema)]
pub struct CitedDoc<'a> {
    /// The cited statute's id; null when the store does not hold it (or the name is
    /// ambiguous).
    pub statute: Option<&'a str>,
    /// The cited statute's name as the citation gives it (the title in 《》, the short name, or
    /// the citing statute's own title for 本法/本规定/a bare article).
    pub title: &'a str,
    /// `true` for the citing document's own articles (本法第十条, a bare 第十条).
    #[serde(rename = "self")]
    pub own: bool,
    /// The article as cited, in its official form (第七十一条, 第十条之一).
    pub article: String,
    /// The 款 cited, when one is.
    pub paragraph: Option<u32>,
    /// The 项 cited, when one is.
    pub item: Option<u32>,
    /// The version of the cited statute the citation means: the one in force at the citing
    /// version's date (else the latest dated on or before it); a document's own articles are
    /// those of the citing version. Null when unresolved.
    pub version: Option<&'a str>,
    /// The cited article's lineage id; null when unresolved.
    pub lineage: Option<&'a str>,
}

/// The titles of statutes, by id, for the citing side.
pub type TitleOf<'a> = &'a dyn Fn(&str) -> String;

fn citation_doc<'a>(r: &'a Resolved, citing_title: &'a str) -> CitationDoc<'a> {
    CitationDoc {
        text: &r.row.text,
        line: r.row.line,
        unit: r.row.unit.as_deref(),
        citing: CitingDoc {
            statute: &r.citing,
            title: citing_title,
            version: &r.citing_version,
        },
        cited: CitedDoc {
            statute: r.cited.as_deref(),
            title: &r.cited_title,
            own: r.row.name == Name::This,
            article: r.row.article.label(),
            paragraph: r.row.paragraph,
            item: r.row.item,
            version: r.cited_version.as_deref(),
            lineage: r.lineage.as_deref(),
        },
        status: r.status.as_str(),
        stale: r.status.stale(),
        current: &r.current,
        note: r.note.as_deref(),
    }
}

/// The `statute-refs/1` document.
pub fn write_json(
    direction: Direction,
    subject: &Subject<'_>,
    citations: &[Resolved],
    title_of: TitleOf<'_>,
    out: &mut impl Write,
) -> io::Result<()> {
    let titles: Vec<String> = citations.iter().map(|r| title_of(&r.citing)).collect();
    let doc = Doc {
        schema: SCHEMA,
        direction: match direction {
            Direction::Outgoing => "refs",
            Direction::Incoming => "cites",
        },
        statute: StatuteDoc {
            id: subject.id,
            title: subject.title,
            version: subject.version,
        },
        article: subject
            .article
            .map(|(label, lineage)| ArticleDoc { label, lineage }),
        at: subject.at.clone(),
        citations: citations
            .iter()
            .zip(&titles)
            .map(|(r, t)| citation_doc(r, t))
            .collect(),
    };
    super::write_json(out, &doc, true)
}

/// One line per citation: where it stands, what it says, what it means and where that is now.
pub fn write_text(
    direction: Direction,
    subject: &Subject<'_>,
    citations: &[Resolved],
    title_of: TitleOf<'_>,
    out: &mut impl Write,
) -> io::Result<()> {
    let stale = citations.iter().filter(|r| r.status.stale()).count();
    let unresolved = citations
        .iter()
        .filter(|r| r.status == Status::Unresolved)
        .count();
    let mut head = format!("{} ({})", subject.title, subject.id);
    if let Some(v) = subject.version {
        head.push_str(&format!(" @{v}"));
    }
    if let Some((label, _)) = subject.article {
        head.push_str(&format!(" {label}"));
    }
    writeln!(out, "{head}")?;
    let against = match &subject.at {
        Some(d) => format!("in force on {d}"),
        None => "latest".to_string(),
    };
    let what = match direction {
        Direction::Outgoing => "citations",
        Direction::Incoming => "citations by other statutes",
    };
    writeln!(
        out,
        "{} {what}; {stale} stale, {unresolved} unresolved (compared with each cited statute's {against} version)",
        citations.len()
    )?;
    let mut last_citing: Option<(&str, &str)> = None;
    for r in citations {
        if direction == Direction::Incoming
            && last_citing != Some((r.citing.as_str(), r.citing_version.as_str()))
        {
            writeln!(out, "\n{} @{}", title_of(&r.citing), r.citing_version)?;
            last_citing = Some((&r.citing, &r.citing_version));
        }
        let unit = r.row.unit.as_deref().unwrap_or("—");
        let mut line = format!("  {unit}  {}", r.row.text);
        match (&r.cited_version, r.status) {
            (_, Status::Unresolved) => {
                line.push_str("  unresolved");
                if let Some(n) = &r.note {
                    line.push_str(&format!(": {n}"));
                }
            }
            (Some(v), status) => {
                let whose = if r.row.name == Name::This {
                    "self ".to_string()
                } else {
                    format!("{} ", r.cited_title)
                };
                line.push_str(&format!(
                    "  = {whose}@{v} {}  {}",
                    r.row.article.label(),
                    status.as_str()
                ));
                if status != Status::Current && status != Status::Modified {
                    if r.current.is_empty() {
                        line.push_str(" (no longer in the statute)");
                    } else {
                        line.push_str(&format!(" → {}", r.current.join("、")));
                    }
                }
            }
            (None, status) => line.push_str(&format!("  {}", status.as_str())),
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}
