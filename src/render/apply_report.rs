//! The report of `statute apply`: every instruction of the act with its outcome, and with
//! `--check` the differences from an official consolidated text, as text or as one
//! `statute-apply/1` JSON document.

use std::io::{self, Write};

use schemars::JsonSchema;
use serde::Serialize;

use crate::amend::{ActInfo, Applied, Discrepancy, Status};
use crate::model::{Date, Statute};

/// Schema identifier written in every document.
pub const SCHEMA: &str = "statute-apply/1";

#[derive(Serialize, JsonSchema)]
pub struct Report<'a> {
    /// Always `"statute-apply/1"`.
    #[schemars(extend("const" = "statute-apply/1"))]
    pub schema: &'static str,
    /// The amended statute: its title, the version the act was applied to, and the version
    /// it gives.
    pub statute: StatuteDoc<'a>,
    /// The amending act.
    pub act: ActDoc<'a>,
    /// `true` when every instruction was applied (the exit code is then 0).
    pub complete: bool,
    /// The act said 对条文顺序作相应调整 and the articles were renumbered after the last
    /// instruction.
    pub renumbered: bool,
    /// Instructions by outcome.
    pub counts: Counts,
    /// Every instruction of the act's part for this statute, in the act's order.
    pub instructions: Vec<InstructionDoc<'a>>,
    /// With `--check`: every difference between the result and the official text; null
    /// without it.
    pub check: Option<Vec<DiscrepancyDoc<'a>>>,
}

#[derive(Serialize, JsonSchema)]
pub struct StatuteDoc<'a> {
    /// The statute's title (after the act, when it renames the statute).
    pub title: &'a str,
    /// The version date (YYYY-MM-DD) of the text the act was applied to; null when unknown.
    pub base: Option<String>,
    /// The version date of the result: the act's adoption date; null when the act's date is
    /// not known.
    pub version: Option<String>,
    /// The result's effective date (本决定自…起施行, else the act's date); null when unknown.
    pub effective: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct ActDoc<'a> {
    /// The act's title, when it has one.
    pub title: Option<&'a str>,
    /// The act's adoption date (YYYY-MM-DD), when known.
    pub date: Option<String>,
}

#[derive(Serialize, JsonSchema, Default)]
pub struct Counts {
    /// Instructions applied.
    pub applied: usize,
    /// Instructions naming an article, 款, 项, heading or phrase the text does not have.
    pub not_found: usize,
    /// Instructions naming something the text holds more than once.
    pub ambiguous: usize,
    /// Instructions touching text an earlier instruction changed, or contradicting
    /// themselves.
    pub conflict: usize,
    /// Instructions the parser could not read.
    pub unrecognised: usize,
}

#[derive(Serialize, JsonSchema)]
pub struct InstructionDoc<'a> {
    /// Position in the act's part for this statute, from 0.
    pub index: usize,
    /// The instruction's number in the act (一、 → 1; a 修正案's 第N条 → N); null when it has
    /// none.
    pub number: Option<u32>,
    /// The line of the act's text where the instruction starts (1-based; 0 when not known).
    pub line: u32,
    /// The instruction's words as the act writes them.
    pub text: &'a str,
    /// applied, not-found, ambiguous, conflict or unrecognised.
    pub status: &'static str,
    /// Why it was not applied; null when it was.
    pub detail: Option<&'a str>,
    /// The articles it changed, by their labels in the result (第十条之一).
    pub articles: Vec<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct DiscrepancyDoc<'a> {
    /// modified, added, deleted, split, merged, renumbered (same text, another number) or
    /// heading.
    pub kind: &'static str,
    /// The articles (or heading) as the act's result has them.
    pub applied: &'a [String],
    /// The articles (or heading) as the official text has them.
    pub official: &'a [String],
    /// Indices of the instructions that changed these articles; empty when no instruction
    /// did (an editor's change the act does not authorise).
    pub instructions: &'a [usize],
    /// A short excerpt: deletions [-…-], insertions {+…+}, from the result to the official
    /// text.
    pub excerpt: &'a str,
}

/// The report's inputs.
pub struct ApplyReport<'a> {
    pub base: &'a Statute,
    pub act: &'a ActInfo,
    pub applied: &'a Applied,
    pub check: Option<&'a [Discrepancy]>,
}

fn date(d: Option<Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

impl<'a> ApplyReport<'a> {
    /// The `statute-apply/1` document.
    pub fn doc(&self) -> Report<'a> {
        let a = self.applied;
        let mut counts = Counts::default();
        for o in &a.outcomes {
            *match o.status {
                Status::Applied => &mut counts.applied,
                Status::NotFound => &mut counts.not_found,
                Status::Ambiguous => &mut counts.ambiguous,
                Status::Conflict => &mut counts.conflict,
                Status::Unrecognised => &mut counts.unrecognised,
            } += 1;
        }
        Report {
            schema: SCHEMA,
            statute: StatuteDoc {
                title: &a.statute.meta.title,
                base: date(self.base.meta.version_date),
                version: date(a.statute.meta.version_date),
                effective: date(a.statute.meta.effective),
            },
            act: ActDoc {
                title: self.act.title.as_deref(),
                date: date(self.act.date),
            },
            complete: a.complete(),
            renumbered: a.renumbered,
            counts,
            instructions: a
                .outcomes
                .iter()
                .map(|o| InstructionDoc {
                    index: o.index,
                    number: o.number,
                    line: o.line,
                    text: &o.text,
                    status: o.status.as_str(),
                    detail: o.detail.as_deref(),
                    articles: o.articles.iter().map(|n| n.label()).collect(),
                })
                .collect(),
            check: self.check.map(|c| {
                c.iter()
                    .map(|d| DiscrepancyDoc {
                        kind: d.kind,
                        applied: &d.applied,
                        official: &d.official,
                        instructions: &d.instructions,
                        excerpt: &d.excerpt,
                    })
                    .collect()
            }),
        }
    }

    /// The report as JSON.
    pub fn write_json(&self, out: &mut impl Write) -> io::Result<()> {
        super::write_json(out, &self.doc(), true)
    }

    /// The report for a reader: a summary line, then each instruction that was not applied
    /// (with `all`, every instruction), then the differences from the official text.
    pub fn write_text(&self, all: bool, out: &mut impl Write) -> io::Result<()> {
        let doc = self.doc();
        let c = &doc.counts;
        let total = doc.instructions.len();
        writeln!(
            out,
            "{}: {} of {} instructions applied{}",
            doc.statute.title,
            c.applied,
            total,
            if doc.renumbered {
                "; articles renumbered"
            } else {
                ""
            }
        )?;
        for i in &doc.instructions {
            if i.status == "applied" && !all {
                continue;
            }
            let number = match i.number {
                Some(n) => format!("{}、", crate::numerals::to_chinese(n)),
                None => format!("#{}", i.index + 1),
            };
            let words = first_line(i.text, 60);
            writeln!(out, "  {:<13} {number} {words}", i.status)?;
            // Why, and the line of the act where the instruction stands, to find and mend it.
            match (i.detail, i.line) {
                (Some(d), 0) => writeln!(out, "                ({d})")?,
                (Some(d), line) => writeln!(out, "                (line {line}: {d})")?,
                (None, _) => {}
            }
        }
        if let Some(check) = &doc.check {
            if check.is_empty() {
                writeln!(out, "the result matches the official text")?;
            } else {
                writeln!(
                    out,
                    "{} difference{} from the official text:",
                    check.len(),
                    if check.len() == 1 { "" } else { "s" }
                )?;
            }
            for d in check {
                let names: Vec<String> = d
                    .instructions
                    .iter()
                    .map(|&k| match doc.instructions.get(k).and_then(|i| i.number) {
                        Some(n) => format!("{}、", crate::numerals::to_chinese(n)),
                        None => format!("#{}", k + 1),
                    })
                    .collect();
                write_difference(d.kind, d.applied, d.official, &names, d.excerpt, out)?;
            }
        }
        Ok(())
    }
}

/// One difference between a text made from an act and an official text: its kind, the
/// articles on each side, the instructions behind it (by their numbers: 三、) or none, and
/// its excerpt.
pub fn write_difference(
    kind: &str,
    applied: &[String],
    official: &[String],
    instructions: &[String],
    excerpt: &str,
    out: &mut impl Write,
) -> io::Result<()> {
    let who = if instructions.is_empty() {
        "no instruction: a change the act does not authorise".to_string()
    } else {
        format!("instruction {}", instructions.join(" "))
    };
    writeln!(
        out,
        "  {:<10} {} → {} ({who})",
        kind,
        side(applied),
        side(official)
    )?;
    if !excerpt.is_empty() {
        writeln!(out, "             {excerpt}")?;
    }
    Ok(())
}

/// A consolidated text imported for the date of a version made from an act (`statute
/// import`), against that version: a line naming both, then each difference.
pub fn write_act_check(c: &crate::store::import::ActCheck, out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "{}: differs from {}@{} (made from an amending act) in {} place{}:",
        c.path.display(),
        c.id,
        c.label,
        c.differences.len(),
        if c.differences.len() == 1 { "" } else { "s" }
    )?;
    for (d, ns) in &c.differences {
        let names: Vec<String> = ns
            .iter()
            .map(|n| format!("{}、", crate::numerals::to_chinese(*n)))
            .collect();
        write_difference(d.kind, &d.applied, &d.official, &names, &d.excerpt, out)?;
    }
    Ok(())
}

fn side(labels: &[String]) -> String {
    if labels.is_empty() {
        "—".into()
    } else {
        labels.join("、")
    }
}

/// The first line of `s`, at most `max` characters, cut after a punctuation mark (never
/// inside a word), with … when cut.
fn first_line(s: &str, max: usize) -> String {
    let line = s.lines().next().unwrap_or("");
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= max {
        return if s.contains('\n') {
            format!("{line}…")
        } else {
            line.to_string()
        };
    }
    let cut = (1..=max)
        .rev()
        .find(|&k| matches!(chars[k - 1], '，' | '。' | '；' | '：' | '、' | '”' | '）'))
        .unwrap_or(max);
    let head: String = chars[..cut].iter().collect();
    format!("{head}…")
}
