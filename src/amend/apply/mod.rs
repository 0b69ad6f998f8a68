//! Applying an act's instructions to a version: article numbers in the act name the version it
//! amends, every instruction is applied in turn or reported (`not-found`, `ambiguous`,
//! `conflict`) and left out whole, and the articles are renumbered after the last instruction
//! when the act says 对条文顺序作相应调整, their own cross-references following.
//!
//! `mod.rs` holds the outcome types, [`apply`] and the work model (an article as lines, the
//! body as blocks); `work.rs` carries out each instruction on the model; `finish.rs` numbers,
//! places and renumbers, and builds the result; `compare.rs` explains the differences from an
//! official text.

mod compare;
mod finish;
mod work;

pub use compare::{Discrepancy, compare, compare_texts};

use super::{ActPart, ArticleNo, Instruction, Op, PhraseEdit, Scope, Target};
use crate::model::{
    Article, Date, Division, Division as Div, DivisionKind, EventKind, HistoryEvent, Item, Loc,
    Node, Para, Statute, UnitNum,
};
use crate::normalize::{self, Renumbering};
use crate::numerals;
use crate::parse::body::item_start;
use std::collections::{BTreeSet, HashMap};

/// What became of one instruction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// Done.
    Applied,
    /// The article, 款, 项, heading or phrase it names is not in the text.
    NotFound,
    /// It names something the text holds more than once, and the words do not say which.
    Ambiguous,
    /// It touches text an earlier instruction of the act changed, or its own statements
    /// disagree (edits against a restatement, a number given twice).
    Conflict,
    /// The parser could not read it.
    Unrecognised,
}

impl Status {
    /// The report's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Applied => "applied",
            Status::NotFound => "not-found",
            Status::Ambiguous => "ambiguous",
            Status::Conflict => "conflict",
            Status::Unrecognised => "unrecognised",
        }
    }
}

/// One instruction's outcome, with the instruction's own number and words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Its position in the part, from 0.
    pub index: usize,
    /// Its number in the act (一、 / 1. / 第N条), if it has one.
    pub number: Option<u32>,
    /// The line of the act's text where it starts (0 when not known).
    pub line: u32,
    /// Its words.
    pub text: String,
    pub status: Status,
    /// Why, when it was not applied (in the act's own terms: 第十条 has no 第三款).
    pub detail: Option<String>,
    /// The articles it changed, by their numbers in the result.
    pub articles: Vec<UnitNum>,
    /// The articles it deleted, by their numbers in the amended version.
    pub deleted: Vec<UnitNum>,
    /// The headings it names (第二章, or an unnumbered heading's words).
    pub headings: Vec<String>,
}

/// The amending act as the result's 题注 names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActInfo {
    /// The act's title (关于修改《…》的决定).
    pub title: Option<String>,
    /// The date it was adopted: the new version's date.
    pub date: Option<Date>,
    /// The body that adopted it (第十四届全国人民代表大会常务委员会第十次会议).
    pub body: Option<String>,
}

/// The result of applying one part of an act to a version.
#[derive(Debug, Clone)]
pub struct Applied {
    /// The consolidated version (every applied instruction in it).
    pub statute: Statute,
    /// One per instruction, in the act's order.
    pub outcomes: Vec<Outcome>,
    /// The act said 对条文顺序作相应调整: the articles were renumbered.
    pub renumbered: bool,
    /// 本决定自…起施行, when the act says so.
    pub effective: Option<Date>,
}

impl Applied {
    /// True when every instruction was applied.
    pub fn complete(&self) -> bool {
        self.outcomes.iter().all(|o| o.status == Status::Applied)
    }
}

/// Applies `part` to `base`. Never fails: what cannot be applied is reported and left out.
/// An instruction whose numbers clash with the result's (an article numbered twice) is left
/// out whole too: the act is applied again without it.
pub fn apply(base: &Statute, part: &ActPart, act: &ActInfo) -> Applied {
    let mut left_out: HashMap<usize, String> = HashMap::new();
    loop {
        let (mut applied, clashes) = apply_without(base, part, act, &left_out);
        let new: Vec<(usize, String)> = clashes
            .into_iter()
            .filter(|(k, _)| !left_out.contains_key(k))
            .collect();
        // Each round leaves out at least one more instruction, so this ends.
        if new.is_empty() {
            for (k, why) in left_out {
                if let Some(o) = applied.outcomes.get_mut(k) {
                    o.status = Status::Conflict;
                    o.detail = Some(why);
                }
            }
            return applied;
        }
        left_out.extend(new);
    }
}

/// One application, the instructions in `left_out` skipped; also the instructions whose
/// numbers clash.
fn apply_without(
    base: &Statute,
    part: &ActPart,
    act: &ActInfo,
    left_out: &HashMap<usize, String>,
) -> (Applied, Vec<(usize, String)>) {
    let mut w = Work::new(base);
    w.numbers = part.instructions.iter().map(|i| i.number).collect();
    let mut outcomes = Vec::with_capacity(part.instructions.len());
    for (index, ins) in part.instructions.iter().enumerate() {
        let result = if left_out.contains_key(&index) {
            Ok(())
        } else {
            w.instruction(index, ins)
        };
        let (status, detail) = match result {
            Ok(()) => (Status::Applied, None),
            Err((status, why)) => (status, Some(why)),
        };
        outcomes.push(Outcome {
            index,
            number: ins.number,
            line: ins.line,
            text: ins.text.clone(),
            status,
            detail,
            articles: Vec::new(),
            deleted: Vec::new(),
            headings: headings_named(&ins.op),
        });
    }
    let renumbered = w.renumber;
    let effective = w.effective;
    let (statute, touched, deleted, clashes) = w.finish(base, act);
    for (k, labels) in touched {
        if let Some(o) = outcomes.get_mut(k) {
            o.articles = labels;
        }
    }
    for (k, labels) in deleted {
        if let Some(o) = outcomes.get_mut(k) {
            o.deleted = labels;
        }
    }
    let applied = Applied {
        statute,
        outcomes,
        renumbered,
        effective,
    };
    (applied, clashes)
}

type Failure = (Status, String);

/// The headings an instruction names.
fn headings_named(op: &Op) -> Vec<String> {
    match op {
        Op::RenameHeading { heading, .. } | Op::DeleteHeading { heading } => vec![heading.clone()],
        Op::InsertHeading { label, title, .. } if label.is_empty() => vec![title.clone()],
        Op::InsertHeading { label, .. } => vec![label.clone()],
        Op::MoveArticle { heading, .. } => vec![heading.clone()],
        Op::ReplaceArticle { target, .. } => match &target.scope {
            Scope::Heading(h) => vec![h.clone()],
            _ => Vec::new(),
        },
        Op::Phrase { targets, .. } => targets
            .iter()
            .filter_map(|t| match &t.scope {
                Scope::Heading(h) => Some(h.clone()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn not_found(why: impl Into<String>) -> Failure {
    (Status::NotFound, why.into())
}

/// One line of an article: a 款's text, or a 项/目 with its marker.
#[derive(Debug, Clone)]
struct Line {
    text: String,
    /// 0 for a 款, 1 for a 项, 2 for a 目.
    depth: u8,
    /// Its place in the amended version: (款, 项, 目), 1-based, 0 for none.
    orig: Option<(u32, u32, u32)>,
    deleted: bool,
    /// Its whole text was written by an instruction (cross-references in it are already
    /// those of the result).
    given: bool,
    /// The last instruction that changed it, other than a whole-statute edit.
    by: Option<usize>,
    /// Words phrase instructions wrote into it: their cross-references are the result's
    /// already.
    inserted: Vec<String>,
}

#[derive(Debug, Clone)]
struct Slot {
    /// Its number in the amended version; `None` for an inserted article.
    orig: Option<ArticleNo>,
    /// Its index among the amended version's units.
    orig_index: Option<usize>,
    label: String,
    lines: Vec<Line>,
    /// The number an instruction gave it.
    stated: Option<ArticleNo>,
    /// Placed by its stated number, not where it stands (a moved or unanchored article).
    positioned: bool,
    /// The heading it moves under (将第X条移至第二章).
    heading: Option<String>,
    /// For a slot placed by its number: where it stands is a good place when its number fits
    /// there (a merged or split article, one renumbered in place).
    keep_place: bool,
    /// For an article merged into another (deleted): the merging instruction, whose article
    /// may stand here instead of where its first source stood.
    merged_by: Option<usize>,
    /// Its number in the result, once the articles are numbered.
    assigned: Option<ArticleNo>,
    deleted: bool,
    /// Instructions that changed it.
    by: BTreeSet<usize>,
    /// The instruction that gave its whole text, if one did.
    rewritten_by: Option<usize>,
    /// The instruction that gave its number, for a clash of numbers.
    numbered_by: Option<usize>,
    loc: Loc,
    /// A unit that is not a 条 (a point or a paragraph), kept as it is.
    other: Option<UnitNum>,
}

#[derive(Debug, Clone)]
enum Block {
    Heading { div: Division, deleted: bool },
    Slot(Slot),
    Para { para: Para, preamble: bool },
}

struct Work {
    blocks: Vec<Block>,
    title: String,
    renumber: bool,
    effective: Option<Date>,
    /// New headings: (label, title, first, last, instruction).
    new_headings: Vec<(String, String, ArticleNo, ArticleNo, usize)>,
    /// The instructions' numbers in the act, to name them in a report.
    numbers: std::rc::Rc<[Option<u32>]>,
    /// The amended version's annex titles, and those the act deletes.
    annexes: Vec<String>,
    deleted_annexes: BTreeSet<usize>,
}
