//! The document model of one statute version: metadata, 编章节 divisions, 条款项目 units,
//! annexes, footnotes and closing text.
//!
//! Every character of the source body (less whitespace and markup) belongs to exactly one
//! node; [`Statute::body_text`] concatenates them in document order.

use std::collections::BTreeMap;
use std::fmt;

use crate::numerals;

/// A calendar date as statutes cite it (no time zone, no time of day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    /// A date if the fields form a valid calendar day.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        let leap =
            (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
        let days = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (day >= 1 && day <= days && year > 0).then_some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse_iso(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let y = it.next()?.parse().ok()?;
        let m = it.next()?.parse().ok()?;
        let d = it.next()?.parse().ok()?;
        Date::new(y, m, d)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// A 1-based line number in the source file.
///
/// It is where a node came from, not part of what the document says: two models that differ
/// only in source lines compare equal, so `parse(render(m)) == m` holds although the canonical
/// rendering puts nodes on other lines.
#[derive(Debug, Clone, Copy, Default, Eq)]
pub struct Loc(pub u32);

impl PartialEq for Loc {
    fn eq(&self, _: &Loc) -> bool {
        true
    }
}

/// What kind of event a 题注 (history note) entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// 通过: adopted.
    Adopted,
    /// 批准: approved (local regulations approved by a provincial congress).
    Approved,
    /// 修正: amended by an amending decision.
    Amended,
    /// 修订: revised as a whole.
    Revised,
    /// 公布 / 发布: promulgated.
    Promulgated,
    /// 施行 / 生效: in force.
    Effective,
    /// 废止: repealed.
    Repealed,
    /// None of the above could be recognised.
    Other,
}

impl EventKind {
    /// The Chinese verb for this kind.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Adopted => "通过",
            EventKind::Approved => "批准",
            EventKind::Amended => "修正",
            EventKind::Revised => "修订",
            EventKind::Promulgated => "公布",
            EventKind::Effective => "施行",
            EventKind::Repealed => "废止",
            EventKind::Other => "其他",
        }
    }
}

/// One entry of the 题注: "2015年3月15日 第十二届全国人民代表大会第三次会议《关于修改…的决定》修正".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEvent {
    /// The entry as written (whitespace-trimmed); the other fields are derived from it.
    pub text: String,
    pub date: Option<Date>,
    /// The body that acted, e.g. 第十二届全国人民代表大会第三次会议.
    pub body: Option<String>,
    /// The amending act, e.g. 关于修改〈中华人民共和国立法法〉的决定 (without 《》).
    pub act: Option<String>,
    pub kind: EventKind,
}

/// Metadata of one version.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Meta {
    pub title: String,
    pub subtitle: Option<String>,
    /// Issuing body (制定机关), e.g. 全国人民代表大会常务委员会.
    pub issuer: Option<String>,
    /// The version's own date: the date of the act that produced this text.
    pub version_date: Option<Date>,
    /// 公布日期.
    pub promulgated: Option<Date>,
    /// 施行日期.
    pub effective: Option<Date>,
    /// 时效性: 有效, 已修改, 已废止, 尚未生效, or as the source says.
    pub status: Option<String>,
    pub source_urls: Vec<String>,
    pub doc_id: Option<String>,
    /// The 题注, one event per entry.
    pub history: Vec<HistoryEvent>,
    /// Other metadata the source carried (front matter keys this model has no field for).
    pub extra: BTreeMap<String, String>,
}

/// 编, 分编, 章, 节, 序言, or an ad-hoc heading such as 一、管辖.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DivisionKind {
    /// 编
    Part,
    /// 分编
    Subpart,
    /// 章
    Chapter,
    /// 节
    Section,
    /// 序言
    Preamble,
    /// A heading that is not one of the above. `rank` orders ad-hoc headings among
    /// themselves (一、 above （一） above 1.).
    Heading { rank: u8 },
}

impl DivisionKind {
    /// Nesting rank: a division contains the divisions of higher rank that follow it.
    pub fn rank(self) -> u8 {
        match self {
            DivisionKind::Preamble => 0,
            DivisionKind::Part => 1,
            DivisionKind::Subpart => 2,
            DivisionKind::Chapter => 3,
            DivisionKind::Section => 4,
            DivisionKind::Heading { rank } => 10 + rank,
        }
    }

    /// The character that names this kind in a label (编, 章 …), if any.
    pub fn suffix(self) -> Option<&'static str> {
        match self {
            DivisionKind::Part => Some("编"),
            DivisionKind::Subpart => Some("分编"),
            DivisionKind::Chapter => Some("章"),
            DivisionKind::Section => Some("节"),
            _ => None,
        }
    }
}

/// A heading and everything under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Division {
    pub kind: DivisionKind,
    /// Number, for 第N编/章/节 and numbered ad-hoc headings.
    pub num: Option<u32>,
    /// The number as written: 第一章, 一、 ; empty for unnumbered headings.
    pub label: String,
    /// The heading text after the label: 总则.
    pub title: String,
    pub children: Vec<Node>,
    pub loc: Loc,
}

impl Division {
    /// The full heading as one string: "第一章 总则".
    pub fn heading(&self) -> String {
        match (self.label.is_empty(), self.title.is_empty()) {
            (true, _) => self.title.clone(),
            (false, true) => self.label.clone(),
            (false, false) if self.label.ends_with('、') => {
                format!("{}{}", self.label, self.title)
            }
            (false, false) => format!("{} {}", self.label, self.title),
        }
    }
}

/// A node of the body tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Division(Division),
    Article(Article),
    /// Text outside any unit: a preamble, or an introduction under a heading.
    Para(Para),
}

/// The number of a unit: 条 in statutes, numbered points or paragraphs in documents without 条.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UnitNum {
    /// 第十条之一 = `Article { main: 10, sub: 1 }`; `sub` is 0 for plain articles.
    Article { main: u32, sub: u32 },
    /// 一、 in a decision without 条.
    Point(u32),
    /// The n-th paragraph of a document with neither 条 nor numbered points.
    Position(u32),
}

impl UnitNum {
    /// The official citation form: 第十条之一, 一, ¶3.
    pub fn label(self) -> String {
        match self {
            UnitNum::Article { main, sub: 0 } => format!("第{}条", numerals::to_chinese(main)),
            UnitNum::Article { main, sub } => format!(
                "第{}条之{}",
                numerals::to_chinese(main),
                numerals::to_chinese(sub)
            ),
            UnitNum::Point(n) => numerals::to_chinese(n),
            UnitNum::Position(n) => format!("¶{n}"),
        }
    }
}

impl fmt::Display for UnitNum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// 条 (or a numbered point / paragraph in documents without 条): the unit the differ aligns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub num: UnitNum,
    /// The number as written in the source: 第十条之一, 第10条, 一、 ; empty for `Position`.
    pub label: String,
    /// 款: the first is the text that follows the label.
    pub paras: Vec<Para>,
    pub loc: Loc,
}

impl Article {
    /// The article's text, paragraphs joined by newlines, items on their own lines.
    pub fn text(&self) -> String {
        let mut s = String::new();
        for (i, p) in self.paras.iter().enumerate() {
            if i > 0 {
                s.push('\n');
            }
            p.write_text(&mut s);
        }
        s
    }
}

/// 款: a paragraph, with the 项 that follow it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Para {
    pub text: String,
    pub items: Vec<Item>,
    pub loc: Loc,
}

impl Para {
    /// A paragraph without items.
    pub fn plain(text: impl Into<String>, loc: Loc) -> Para {
        Para {
            text: text.into(),
            items: Vec::new(),
            loc,
        }
    }

    /// Appends the paragraph and its items, one per line.
    pub fn write_text(&self, out: &mut String) {
        out.push_str(&self.text);
        for item in &self.items {
            out.push('\n');
            item.write_text(out);
        }
    }
}

/// 项 （一） or 目 1. ; `subitems` holds the 目 of a 项.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The marker as written: （一）, (一), 1., （1）, ①.
    pub marker: String,
    pub num: u32,
    /// The text after the marker.
    pub text: String,
    pub subitems: Vec<Item>,
    pub loc: Loc,
}

impl Item {
    fn write_text(&self, out: &mut String) {
        out.push_str(&self.marker);
        out.push_str(&self.text);
        for sub in &self.subitems {
            out.push('\n');
            sub.write_text(out);
        }
    }
}

/// 附件 / 附表 / 附录: a title line and its content, which may itself hold articles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annex {
    /// The line that opens the annex: 附件一：香港特别行政区行政长官的产生办法.
    pub title: String,
    pub children: Vec<Node>,
    pub loc: Loc,
}

/// A footnote: ① 本条例所称…
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footnote {
    pub marker: char,
    pub text: String,
    pub loc: Loc,
}

/// An editorial note: text an editor or publisher added to the statute, not part of it — a
/// footnote-glyph paragraph with no anchor in the text (① 刑法、历次刑法修正案…), 注：… after
/// the last article, 编者注：…. The parser's rules are listed in ARCHITECTURE.md.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// How the source marks it, as written: ①, 注：, 【编者注】.
    pub marker: String,
    /// The text after the marker.
    pub text: String,
    /// The unit it trails, as an index into [`Statute::articles`]; `None` when it stands
    /// before the first unit of its part of the body.
    pub after: Option<usize>,
    /// `Some(i)` when it stands in annex `i`.
    pub annex: Option<usize>,
    pub loc: Loc,
}

/// The body of a version.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Body {
    /// The title printed again at the top of the body, when the source repeats it.
    pub title_line: Option<String>,
    /// The document number (发文字号) printed under the title: 法释〔2020〕17号. Metadata of one
    /// publication, not part of the text: sources print it or not, and it is never an amendment.
    pub doc_number: Option<String>,
    /// The 目录 entries, when the source printed a table of contents.
    pub toc: Vec<String>,
    pub nodes: Vec<Node>,
    /// Signature and date lines after the last unit (落款).
    pub closing: Vec<String>,
    pub annexes: Vec<Annex>,
    pub footnotes: Vec<Footnote>,
    /// Editorial notes without an anchor in the text, in document order.
    pub notes: Vec<Note>,
}

/// Where an editorial note is written in document order (the canonical form and
/// [`Statute::body_text`] agree on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NotePlace {
    /// Before the first unit of the main body (`None`) or of annex `i`.
    Start(Option<usize>),
    /// After the unit with this index in [`Statute::articles`], unless it is the main body's
    /// last unit.
    AfterUnit(usize),
    /// After the main body's last unit and its closing lines.
    EndOfMain,
}

impl Body {
    /// The notes by the place they are written at, each list in document order.
    pub fn notes_by_place(&self) -> std::collections::HashMap<NotePlace, Vec<&Note>> {
        let mut out: std::collections::HashMap<NotePlace, Vec<&Note>> = Default::default();
        if self.notes.is_empty() {
            return out;
        }
        let main_units = count_units(&self.nodes);
        for n in &self.notes {
            let place = match n.after {
                None => NotePlace::Start(n.annex),
                Some(k) if n.annex.is_none() && k + 1 >= main_units => NotePlace::EndOfMain,
                Some(k) => NotePlace::AfterUnit(k),
            };
            out.entry(place).or_default().push(n);
        }
        out
    }
}

/// One version of one statute.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Statute {
    pub meta: Meta,
    pub body: Body,
}

/// An article together with the headings it stands under.
#[derive(Debug, Clone)]
pub struct ArticleRef<'a> {
    pub article: &'a Article,
    /// Enclosing divisions, outermost first.
    pub path: Vec<&'a Division>,
    /// `Some(i)` when the article belongs to annex `i`.
    pub annex: Option<usize>,
}

impl ArticleRef<'_> {
    /// The unit's citation form in `s` (the statute it was taken from): 第十条之一, prefixed
    /// with the annex title's first word for a unit inside an annex (附件1一).
    pub fn label(&self, s: &Statute) -> String {
        let label = self.article.num.label();
        match self.annex.and_then(|k| s.body.annexes.get(k)) {
            Some(annex) => {
                let short: String = annex
                    .title
                    .chars()
                    .take_while(|c| !matches!(c, '：' | ':') && !c.is_whitespace())
                    .take(10)
                    .collect();
                format!("{short}{label}")
            }
            None => label,
        }
    }
}

impl Statute {
    /// Every unit in document order (main body, then annexes), with its heading path.
    pub fn articles(&self) -> Vec<ArticleRef<'_>> {
        let mut out = Vec::new();
        collect(&self.body.nodes, &mut Vec::new(), None, &mut out);
        for (i, annex) in self.body.annexes.iter().enumerate() {
            collect(&annex.children, &mut Vec::new(), Some(i), &mut out);
        }
        out
    }

    /// The number of units (articles, points or positional paragraphs), annexes included.
    pub fn article_count(&self) -> usize {
        count_units(&self.body.nodes)
            + self
                .body
                .annexes
                .iter()
                .map(|a| count_units(&a.children))
                .sum::<usize>()
    }

    /// All body text in document order, as the parser assigned it to nodes: headings with
    /// their labels, article labels, paragraphs, item markers, annexes, closing, footnotes.
    /// The 目录 is not included (it repeats the headings).
    pub fn body_text(&self) -> String {
        let mut s = String::new();
        for t in [&self.body.title_line, &self.body.doc_number]
            .into_iter()
            .flatten()
        {
            s.push_str(t);
            s.push('\n');
        }
        let b = &self.body;
        let places = b.notes_by_place();
        let notes = |s: &mut String, place: NotePlace| {
            for n in places.get(&place).into_iter().flatten() {
                s.push_str(&n.marker);
                s.push_str(&n.text);
                s.push('\n');
            }
        };
        let mut unit = 0;
        notes(&mut s, NotePlace::Start(None));
        write_nodes(&b.nodes, &mut s, &mut unit, &mut |s, k| {
            notes(s, NotePlace::AfterUnit(k))
        });
        for c in &b.closing {
            s.push_str(c);
            s.push('\n');
        }
        notes(&mut s, NotePlace::EndOfMain);
        for (i, a) in b.annexes.iter().enumerate() {
            s.push_str(&a.title);
            s.push('\n');
            notes(&mut s, NotePlace::Start(Some(i)));
            write_nodes(&a.children, &mut s, &mut unit, &mut |s, k| {
                notes(s, NotePlace::AfterUnit(k))
            });
        }
        for f in &self.body.footnotes {
            s.push(f.marker);
            s.push_str(&f.text);
            s.push('\n');
        }
        s
    }
}

fn collect<'a>(
    nodes: &'a [Node],
    stack: &mut Vec<&'a Division>,
    annex: Option<usize>,
    out: &mut Vec<ArticleRef<'a>>,
) {
    for n in nodes {
        match n {
            Node::Article(article) => out.push(ArticleRef {
                article,
                path: stack.clone(),
                annex,
            }),
            Node::Division(d) => {
                stack.push(d);
                collect(&d.children, stack, annex, out);
                stack.pop();
            }
            Node::Para(_) => {}
        }
    }
}

/// The units in `nodes`, at any depth.
pub(crate) fn count_units(nodes: &[Node]) -> usize {
    nodes
        .iter()
        .map(|n| match n {
            Node::Article(_) => 1,
            Node::Division(d) => count_units(&d.children),
            Node::Para(_) => 0,
        })
        .sum()
}

/// Writes `nodes`; `after(s, k)` is called after the unit with index `k` (counted from
/// `unit`) is written.
fn write_nodes(
    nodes: &[Node],
    s: &mut String,
    unit: &mut usize,
    after: &mut dyn FnMut(&mut String, usize),
) {
    for n in nodes {
        match n {
            Node::Division(d) => {
                s.push_str(&d.label);
                s.push_str(&d.title);
                s.push('\n');
                write_nodes(&d.children, s, unit, after);
            }
            Node::Article(a) => {
                s.push_str(&a.label);
                s.push_str(&a.text());
                s.push('\n');
                after(s, *unit);
                *unit += 1;
            }
            Node::Para(p) => {
                p.write_text(s);
                s.push('\n');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_use_citation_form() {
        assert_eq!(UnitNum::Article { main: 10, sub: 1 }.label(), "第十条之一");
        assert_eq!(
            UnitNum::Article { main: 105, sub: 0 }.label(),
            "第一百零五条"
        );
        assert_eq!(UnitNum::Point(3).label(), "三");
        assert_eq!(UnitNum::Position(3).label(), "¶3");
    }

    #[test]
    fn dates_validate() {
        assert!(Date::new(2023, 2, 29).is_none());
        assert!(Date::new(2024, 2, 29).is_some());
        assert_eq!(
            Date::parse_iso("2015-03-15").map(|d| d.to_string()),
            Some("2015-03-15".into())
        );
        assert!(Date::parse_iso("2015-13-01").is_none());
    }
}
