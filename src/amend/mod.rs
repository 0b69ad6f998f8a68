//! Amending instructions: what a 修改决定 says to do to a statute's text. The draft decision
//! (`render::decision`) states its phrase edits in these terms and proves each one by
//! applying it; read back from a decision's words ([`PhraseEdit::parse`]), they give the same
//! edit, so that the drafter and a reader of amending acts agree on what an instruction means.

mod apply;
mod parse;
mod read;
mod write;

pub use apply::{ActInfo, Applied, Discrepancy, Outcome, Status, apply, compare, compare_texts};
pub use parse::parse_act;
pub use read::{ReadAct, read_act, read_act_with};
pub use write::{heading_unit, place, wording, write_decision};

use std::fmt;

use crate::model::Date;
use crate::numerals::to_chinese;

/// An article's number as the amended version numbers it: 第十条 = (10, 0), 第十条之一 =
/// (10, 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArticleNo {
    pub main: u32,
    pub sub: u32,
}

impl fmt::Display for ArticleNo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "第{}条", to_chinese(self.main))?;
        if self.sub > 0 {
            write!(f, "之{}", to_chinese(self.sub))?;
        }
        Ok(())
    }
}

/// What an instruction's place names, before any 款, 项 or 目 in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// 第十条, 第十条之一.
    Article(ArticleNo),
    /// The whole statute: 本法, 本条例, 本规定, 本解释, 本办法 (the word as written).
    Whole(String),
    /// 序言 or 引言, with its 第N自然段 if named.
    Preamble { paragraph: Option<u32> },
    /// The statute's title (名称, 标题).
    Title,
    /// A 编, 章 or 节 heading, by its label as written (第二章).
    Heading(String),
    /// 第二段 / 正文第一段: a paragraph of a text without articles (a 批复), counted in the
    /// 正文 when `body` says so. Which paragraphs the count starts from (the addressee, the
    /// 收悉 sentence) sources differ on: applying takes the candidate whose text the new one
    /// resembles, and reports `not-found` when none does.
    Passage { n: u32, body: bool },
}

/// The place an instruction acts on: a scope and, inside it, a 款 (1-based), 项 and 目.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub scope: Scope,
    pub paragraph: Option<u32>,
    pub item: Option<u32>,
    pub subitem: Option<u32>,
}

impl Target {
    /// The whole of an article.
    pub fn article(no: ArticleNo) -> Target {
        Target {
            scope: Scope::Article(no),
            paragraph: None,
            item: None,
            subitem: None,
        }
    }

    /// The article of the place, if it is in one.
    pub fn article_no(&self) -> Option<ArticleNo> {
        match self.scope {
            Scope::Article(no) => Some(no),
            _ => None,
        }
    }
}

/// What one instruction does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Op {
    /// 将第X条(第Y款)修改为：“…” — the place's whole text replaced (paragraphs joined by
    /// `\n`).
    ReplaceArticle { target: Target, new_text: String },
    /// 将第X条(第Y款)中的“A”修改为“B”，在“C”后增加“D” — the edits, in order, each applied to
    /// every target (将第三条、第五条中的…). One op holds every edit of the instruction;
    /// `restated`, the place's new text when the instruction also gives it (。这一自然段相应
    /// 修改为：“…”, as the 宪法修正案 do), to check the edits against.
    Phrase {
        targets: Vec<Target>,
        edits: Vec<PhraseEdit>,
        restated: Option<String>,
    },
    /// 删去第X条 / 删去第X条至第Y条 / 删去第X条、第Y条: inclusive ranges, a lone article
    /// being a range of one.
    DeleteArticles { ranges: Vec<(ArticleNo, ArticleNo)> },
    /// 删去第X条第Y款 (or a 项, 目), or several: 删除第三十一条第一款、第三十五条第一款.
    DeletePart { targets: Vec<Target> },
    /// 增加一条，作为第X条：“…” / 在第X条后增加一条，作为第X条之一：“…” / 增加两条，分别作为
    /// 第X条、第Y条：“…”“…” / 在第二章中增加一条，作为第X条：“…” — each new article with
    /// its text; `heading`, the 编/章/节 it opens (as the amended text labels it), where the
    /// act names one.
    InsertArticle {
        after: Option<ArticleNo>,
        heading: Option<String>,
        articles: Vec<(ArticleNo, String)>,
    },
    /// 在第X条中增加一款，作为第Y款：“…” (`as_paragraphs` empty for 增加规定：, at the end;
    /// several for 增加两款，作为第二款、第三款). `text`, the new 款 (paragraphs joined by
    /// `\n`) when the instruction quotes it on its own; `rewrite`, a place and its new text
    /// the same instruction gives after it (；将第三款修改为：“…”, or ，将该条修改为：“…”
    /// restating the whole article with the new 款, when `text` is `None`).
    InsertParagraph {
        article: ArticleNo,
        as_paragraphs: Vec<u32>,
        text: Option<String>,
        rewrite: Option<(Target, String)>,
    },
    /// 在第X条(第Y款)中增加一项，作为第Z项：“…”.
    InsertItem {
        target: Target,
        as_item: Option<u32>,
        text: String,
    },
    /// 将第X条改为两条，作为第X条、第Y条，修改为：“…”“…”.
    SplitArticle {
        article: ArticleNo,
        into: Vec<ArticleNo>,
        texts: Vec<String>,
    },
    /// 将第X条、第Y条合并为一条，作为第Z条，修改为：“…”.
    MergeArticles {
        articles: Vec<ArticleNo>,
        into: ArticleNo,
        text: String,
    },
    /// 将第X条移至第N章，作为第Y条: the article, its text unchanged, under another 编, 章 or
    /// 节 (`heading`, its label as written: 第二章), numbered `to`.
    MoveArticle {
        from: ArticleNo,
        to: ArticleNo,
        heading: String,
    },
    /// 将第二章的章名修改为“…” (`heading` the label 第二章, `title` the new name after it) /
    /// 将标题“A”修改为“B” (an unnumbered heading: `heading` A, `title` B).
    RenameHeading { heading: String, title: String },
    /// 增加一章，作为第三章“…”，包括第X条至第Y条 / 增加标题“…”，包括第X条至第Y条: a new 编,
    /// 章 or 节 (`label` 第三章, empty for an unnumbered heading) that opens before article
    /// `first` and holds the articles up to `last` (numbers as in the amended text).
    InsertHeading {
        label: String,
        title: String,
        first: ArticleNo,
        last: ArticleNo,
    },
    /// 删去第二章的章名 / 删去标题“A”: the heading goes, its articles stay where they are.
    DeleteHeading { heading: String },
    /// 删去附件“…” / 删去附件 / 删去附件二: an annex goes whole (`annex`, its title or the
    /// start of it as the act names it; empty for the only one).
    DeleteAnnex { annex: String },
    /// 将第X条改为第Y条(，修改为：“…”) / 原第X条作为第Y条.
    RenumberArticle {
        from: ArticleNo,
        to: ArticleNo,
        new_text: Option<String>,
    },
    /// 此外，对条文顺序作相应调整: the closing note that the articles are renumbered.
    Renumber,
    /// 根据本决定，《…》作相应修改，重新公布: the closing note, with no renumbering.
    Republish,
    /// 本决定自…起施行 (`None` when a draft leaves the date blank).
    Effective { date: Option<Date> },
    /// 自本决定施行之日起，《…》第一条第一款第（一）项…规定的…数额标准不再适用: provisions stop
    /// applying; the act does not change their text. `provisions`: the words naming them, as
    /// written.
    Disapply { provisions: String },
    /// A provision of the act itself, in no place of the statute: one sentence that states a
    /// rule (应当, 可以, 不得, 依照…) and no instruction, after an instruction in the same
    /// paragraph (…不再适用。人民法院审理…案件，应综合考虑…，依法定罪处罚。). It stays in the act:
    /// applying changes no text. A paragraph of rules alone is not read (a statute given as
    /// an act would read so).
    Rule { text: String },
    /// Text the parser cannot read, kept with the reason.
    Unrecognised { reason: String },
}

/// One instruction of an act: its number (一、 or 1. or the 修正案's 第N条) if it has one,
/// its own words and what they say to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    pub number: Option<u32>,
    pub text: String,
    pub op: Op,
    /// The line of the act's text where it starts (1-based; 0 when not known).
    pub line: u32,
}

impl Instruction {
    /// True unless the parser could not read it.
    pub fn recognised(&self) -> bool {
        !matches!(self.op, Op::Unrecognised { .. })
    }
}

/// The instructions an act gives one statute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActPart {
    /// The amended statute's title, from the part's heading or the act's title.
    pub title: Option<String>,
    pub instructions: Vec<Instruction>,
}

/// An amending act read into instructions, per amended statute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Act {
    /// The act's own title, if the text has one.
    pub title: Option<String>,
    /// The opening words before the first instruction (…作如下修改：).
    pub preface: Vec<String>,
    pub parts: Vec<ActPart>,
}

impl Act {
    /// Every instruction of every part, in order.
    pub fn instructions(&self) -> impl Iterator<Item = &Instruction> {
        self.parts.iter().flat_map(|p| p.instructions.iter())
    }
}

/// A phrase instruction: it changes every occurrence of the text it quotes in its scope (an
/// article, 款, 项 or 目), as “中的” says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhraseEdit {
    /// 将“from”修改为“to”
    Replace { from: String, to: String },
    /// 在“anchor”后增加“text”
    InsertAfter { anchor: String, text: String },
    /// 在“anchor”前增加“text”
    InsertBefore { anchor: String, text: String },
    /// 删去“text”
    Delete { text: String },
    /// 开头增加“text” (开始部分增加规定：“text”): words before the place's first words.
    Prepend { text: String },
    /// 末尾增加“text” (末尾增加：“text”): words after the place's last words (a clause that
    /// opens with ，/； and has no 。 of its own goes before the place's closing 。).
    Append { text: String },
}

impl PhraseEdit {
    /// The text the instruction quotes from the old version (what it looks for).
    pub fn find(&self) -> &str {
        match self {
            PhraseEdit::Replace { from, .. } => from,
            PhraseEdit::InsertAfter { anchor, .. } | PhraseEdit::InsertBefore { anchor, .. } => {
                anchor
            }
            PhraseEdit::Delete { text } => text,
            PhraseEdit::Prepend { .. } | PhraseEdit::Append { .. } => "",
        }
    }

    /// What every occurrence of [`find`](Self::find) becomes.
    pub fn becomes(&self) -> String {
        match self {
            PhraseEdit::Replace { to, .. } => to.clone(),
            PhraseEdit::InsertAfter { anchor, text } => format!("{anchor}{text}"),
            PhraseEdit::InsertBefore { anchor, text } => format!("{text}{anchor}"),
            PhraseEdit::Delete { .. } => String::new(),
            PhraseEdit::Prepend { text } | PhraseEdit::Append { text } => text.clone(),
        }
    }

    /// True for an edit at the start or end of its place rather than at quoted words.
    pub fn at_edge(&self) -> bool {
        matches!(self, PhraseEdit::Prepend { .. } | PhraseEdit::Append { .. })
    }

    /// `scope` with every occurrence of the quoted text changed; `None` when the scope does
    /// not hold it (the instruction would be wrong there). An edit at an edge changes the
    /// text it is given at that edge (the caller gives it the place's first or last line).
    pub fn apply(&self, scope: &str) -> Option<String> {
        match self {
            PhraseEdit::Prepend { text } => return Some(format!("{text}{scope}")),
            // A clause (，但…除外) continues the last sentence, before its 。.
            PhraseEdit::Append { text } => {
                let clause = text.starts_with(['，', '；']) && !text.ends_with('。');
                return Some(match scope.strip_suffix('。') {
                    Some(head) if clause => format!("{head}{text}。"),
                    _ => format!("{scope}{text}"),
                });
            }
            _ => {}
        }
        let find = self.find();
        if find.is_empty() || !scope.contains(find) {
            return None;
        }
        Some(scope.replace(find, &self.becomes()))
    }

    /// The instruction in official wording, without its place, its verb first:
    /// 将“A”修改为“B”, 在“A”后增加“B”, 在“A”前增加“B”, 删去“A”. Double quotes inside a
    /// quotation become single ones.
    pub fn clause(&self) -> String {
        match self {
            PhraseEdit::Replace { from, to } => format!("将“{}”修改为“{}”", quote(from), quote(to)),
            PhraseEdit::InsertAfter { anchor, text } => {
                format!("在“{}”后增加“{}”", quote(anchor), quote(text))
            }
            PhraseEdit::InsertBefore { anchor, text } => {
                format!("在“{}”前增加“{}”", quote(anchor), quote(text))
            }
            PhraseEdit::Delete { text } => format!("删去“{}”", quote(text)),
            PhraseEdit::Prepend { text } => format!("在开头增加“{}”", quote(text)),
            PhraseEdit::Append { text } => format!("在末尾增加“{}”", quote(text)),
        }
    }

    /// Reads one clause in the wording [`clause`](Self::clause) writes (the place, if any,
    /// before 中的 is left to the caller): `None` when it is not one.
    pub fn parse(clause: &str) -> Option<PhraseEdit> {
        let c = clause.trim().trim_end_matches(['。', '；', '，']);
        // 将“A”修改为“B”, or “A”修改为“B” after a first clause that had the 将.
        let c = c.strip_prefix('将').unwrap_or(c);
        if let Some(rest) = c.strip_prefix("删去") {
            let (text, end) = quoted_at_start(rest)?;
            return end.is_empty().then_some(PhraseEdit::Delete { text });
        }
        if let Some(rest) = c.strip_prefix('在') {
            for (edge, prepend) in [("开头增加", true), ("末尾增加", false)] {
                if let Some(rest) = rest.strip_prefix(edge) {
                    let (text, end) = quoted_at_start(rest)?;
                    if !end.is_empty() {
                        return None;
                    }
                    return Some(if prepend {
                        PhraseEdit::Prepend { text }
                    } else {
                        PhraseEdit::Append { text }
                    });
                }
            }
            let (anchor, rest) = quoted_at_start(rest)?;
            let (after, rest) = match rest.strip_prefix("后增加") {
                Some(r) => (true, r),
                None => (false, rest.strip_prefix("前增加")?),
            };
            let (text, end) = quoted_at_start(rest)?;
            if !end.is_empty() {
                return None;
            }
            return Some(if after {
                PhraseEdit::InsertAfter { anchor, text }
            } else {
                PhraseEdit::InsertBefore { anchor, text }
            });
        }
        let (from, rest) = quoted_at_start(c)?;
        let (to, end) = quoted_at_start(rest.strip_prefix("修改为")?)?;
        end.is_empty().then_some(PhraseEdit::Replace { from, to })
    }
}

/// Text inside Chinese quotation marks: inner double quotes become single ones.
pub fn quote(s: &str) -> String {
    s.replace('“', "‘").replace('”', "’")
}

/// The quotation `“…”` at the start of `s` (inner ‘’ read back as “”) and what follows it.
fn quoted_at_start(s: &str) -> Option<(String, &str)> {
    let inner = s.strip_prefix('“')?;
    let end = inner.find('”')?;
    let text = inner[..end].replace('‘', "“").replace('’', "”");
    Some((text, &inner[end + '”'.len_utf8()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_occurrence_in_the_scope_changes() {
        let e = PhraseEdit::Replace {
            from: "法律委员会".into(),
            to: "宪法和法律委员会".into(),
        };
        assert_eq!(
            e.apply("由法律委员会审议，法律委员会可以").as_deref(),
            Some("由宪法和法律委员会审议，宪法和法律委员会可以")
        );
        assert_eq!(e.apply("由委员长会议决定"), None);
        let e = PhraseEdit::InsertAfter {
            anchor: "全国人民代表大会常务委员会".into(),
            text: "根据宪法规定".into(),
        };
        assert_eq!(
            e.apply("全国人民代表大会常务委员会行使国家立法权")
                .as_deref(),
            Some("全国人民代表大会常务委员会根据宪法规定行使国家立法权")
        );
    }

    #[test]
    fn clauses_read_back_as_the_same_edit() {
        for e in [
            PhraseEdit::Replace {
                from: "“一府两院”".into(),
                to: "甲".into(),
            },
            PhraseEdit::InsertAfter {
                anchor: "乙".into(),
                text: "丙、".into(),
            },
            PhraseEdit::InsertBefore {
                anchor: "丁".into(),
                text: "戊".into(),
            },
            PhraseEdit::Delete { text: "己".into() },
        ] {
            assert_eq!(
                PhraseEdit::parse(&e.clause()),
                Some(e.clone()),
                "{}",
                e.clause()
            );
        }
        // A clause after a first one shares its 将.
        assert_eq!(
            PhraseEdit::parse("“和尊严”修改为“、尊严、权威”"),
            Some(PhraseEdit::Replace {
                from: "和尊严".into(),
                to: "、尊严、权威".into()
            })
        );
        assert_eq!(PhraseEdit::parse("将第三条修改为："), None);
    }

    proptest::proptest! {
        /// The drafter's wording reads back as the same edit (issue 22).
        #[test]
        fn every_clause_reads_back(
            // Statute words with quotation marks and clause punctuation (never ‘’, which a
            // quotation uses for inner “”).
            a in "[甲乙丙丁法条款、，。；“”第一二]{0,10}",
            b in "[甲乙丙丁法条款、，。；“”第一二]{0,10}",
            kind in 0u8..6,
        ) {
            let e = match kind {
                0 => PhraseEdit::Replace { from: a, to: b },
                1 => PhraseEdit::InsertAfter { anchor: a, text: b },
                2 => PhraseEdit::InsertBefore { anchor: a, text: b },
                3 => PhraseEdit::Prepend { text: b },
                4 => PhraseEdit::Append { text: b },
                _ => PhraseEdit::Delete { text: a },
            };
            proptest::prop_assert_eq!(PhraseEdit::parse(&e.clause()), Some(e));
        }
    }
}
