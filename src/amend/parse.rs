//! Reads an amending act's text (a 修改决定, an omnibus 关于修改《A》等N部法律的决定, a
//! 宪法修正案) into typed [`Instruction`]s, per amended statute. The grammar is described in
//! `docs/amending-acts.md`.
//!
//! The text is cut into paragraphs: a line numbered 一、, 1. / 1、, （一） or (in a 修正案)
//! `第N条 ` starts one, and so does an unnumbered line that reads as an instruction or a
//! closing note; any other line continues the paragraph before it when that paragraph ends
//! with ：, has a quotation still open, or the line opens a quotation (a new text of several
//! 款). A paragraph becomes one instruction when it reads as one; else, when it is cut
//! (outside quotations, at 。 ； ，并 ，同时, and 和 before a 款 or 项) into pieces that each
//! read as an instruction, one per piece, all with the paragraph's number and line; else one,
//! [`Op::Unrecognised`]. The instruction's words are read on a *skeleton*: the text outside
//! quotations, each quotation replaced by one placeholder character.
//!
//! Every wording of [`super::wording`] (the drafter's) reads back as the op it words.

use super::write::{HEADING_UNITS, heading_unit};
use super::{Act, ActPart, ArticleNo, Instruction, Op, PhraseEdit, Scope, Target};
use crate::numerals::{article_label, is_numeral_char, numeral_len, parse_numeral};
use crate::parse::body;
use crate::parse::history::stated_in_force;

/// Stands for one quotation in a skeleton (a private-use character, never in statute text).
const Q: char = '\u{E000}';

/// Reads an amending act. `text` is the act as the corpus stores it (a `# title` line and a
/// metadata header up to `<!-- INFO END -->`), or its body alone.
pub fn parse_act(text: &str) -> Act {
    let (title, body) = split_header(text);
    let mut preface = Vec::new();
    let mut parts: Vec<ActPart> = vec![ActPart {
        title: title.as_deref().and_then(single_title),
        instructions: Vec::new(),
    }];
    // The paragraph being gathered: its number, its lines and the line of the text where it
    // starts.
    let mut current: Option<Paragraph> = None;
    let flush = |current: &mut Option<Paragraph>, parts: &mut Vec<ActPart>| {
        if let Some(Paragraph {
            number,
            lines,
            line,
        }) = current.take()
        {
            let text = lines.join("\n");
            if let Some(part) = parts.last_mut() {
                for (text, op) in read_paragraph(&text) {
                    part.instructions.push(Instruction {
                        number,
                        text,
                        op,
                        line,
                    });
                }
            }
        }
    };
    let mut started = false;
    for (at, line) in body {
        if let Some(p) = current.as_mut()
            && continues(&p.lines, &line)
        {
            p.lines.push(line);
            continue;
        }
        let numbered = number_of(&line);
        if let Some((_, rest)) = &numbered
            && let Some(statute) = part_heading(rest)
        {
            flush(&mut current, &mut parts);
            started = true;
            if parts.len() == 1 && parts[0].instructions.is_empty() {
                parts.clear();
            }
            parts.push(ActPart {
                title: Some(statute),
                instructions: Vec::new(),
            });
            continue;
        }
        match numbered {
            Some((n, rest)) => {
                flush(&mut current, &mut parts);
                started = true;
                current = Some(Paragraph {
                    number: Some(n),
                    lines: vec![rest.to_string()],
                    line: at,
                });
            }
            // A remark in brackets between instructions, as a draft writes when there is
            // nothing to amend (（两个文本之间没有实质性修改。）): no instruction.
            None if remark(&line) => {
                flush(&mut current, &mut parts);
                preface.push(line);
            }
            None if started || instruction_like(&line) => {
                flush(&mut current, &mut parts);
                started = true;
                current = Some(Paragraph {
                    number: None,
                    lines: vec![line],
                    line: at,
                });
            }
            None => {
                let ends = line.ends_with('：') || line.ends_with(':');
                preface.push(line);
                if ends {
                    started = true;
                }
            }
        }
    }
    flush(&mut current, &mut parts);
    Act {
        title,
        preface,
        parts,
    }
}

/// An instruction's paragraph being gathered.
struct Paragraph {
    number: Option<u32>,
    lines: Vec<String>,
    /// The line of the act's text where it starts (1-based).
    line: u32,
}

/// A whole line in brackets that quotes nothing: a remark, not an instruction.
fn remark(line: &str) -> bool {
    let inner = line
        .strip_prefix('（')
        .and_then(|l| l.strip_suffix('）'))
        .or_else(|| line.strip_prefix('(').and_then(|l| l.strip_suffix(')')));
    inner.is_some_and(|i| !i.contains(['“', '「', '（', '(']))
}

/// The title (`# …` line) and the body lines (trimmed, non-empty, markup and comments
/// dropped), each with its line number in `text` (1-based, every line counted).
fn split_header(text: &str) -> (Option<String>, Vec<(u32, String)>) {
    let lines: Vec<&str> = text.lines().collect();
    let title = lines
        .iter()
        .find_map(|l| l.trim().strip_prefix("# ").map(|t| t.trim().to_string()));
    let start = lines
        .iter()
        .position(|l| l.trim() == "<!-- INFO END -->")
        .map_or(0, |k| k + 1);
    let body = lines
        .iter()
        .enumerate()
        .skip(start)
        .map(|(k, l)| (u32::try_from(k + 1).unwrap_or(u32::MAX), l.trim()))
        .filter(|(_, l)| !(l.is_empty() || l.starts_with("<!--") && l.ends_with("-->")))
        .filter(|(_, l)| !(start == 0 && l.starts_with("# ")))
        .map(|(k, l)| (k, l.trim_start_matches('#').trim().to_string()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    (title, body)
}

/// The amended statute of a single-statute act: X in 关于修改《X》的决定.
fn single_title(title: &str) -> Option<String> {
    let k = title.find("修改《")?;
    let rest = &title[k + "修改《".len()..];
    let inner = balanced_title(rest)?;
    let after = &rest[inner.len() + '》'.len_utf8()..];
    after.starts_with("的决定").then(|| inner.to_string())
}

/// The text up to the `》` closing a `《` already consumed, nested 〈〉 and 《》 allowed.
fn balanced_title(s: &str) -> Option<&str> {
    let mut depth = 0usize;
    for (k, c) in s.char_indices() {
        match c {
            '《' => depth += 1,
            '》' if depth == 0 => return Some(&s[..k]),
            '》' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// An omnibus act's part heading after its number: 修改《X》, 对《X》作出修改, 关于修改《X》
/// (the amended statute's title), none when the line says more.
fn part_heading(rest: &str) -> Option<String> {
    let r = rest.trim_end_matches(['。', '：']);
    let r = r
        .strip_prefix("关于修改《")
        .or_else(|| r.strip_prefix("修改《"))
        .or_else(|| r.strip_prefix("对《"))
        .or_else(|| r.strip_prefix('《'))?;
    let inner = balanced_title(r)?;
    let after = &r[inner.len() + '》'.len_utf8()..];
    matches!(after, "" | "作出修改" | "作如下修改" | "的修改").then(|| inner.to_string())
}

/// A paragraph's number and the words after it: 一、, 1. / 1、 / 1．, （一）, or a 修正案's
/// `第N条 `.
fn number_of(line: &str) -> Option<(u32, &str)> {
    let digits: usize = line
        .chars()
        .take_while(|&c| is_numeral_char(c) && !matches!(c, '千' | '万' | '亿'))
        .map(char::len_utf8)
        .sum();
    if digits > 0 {
        let rest = &line[digits..];
        let after = rest
            .strip_prefix('、')
            .or_else(|| rest.strip_prefix('.'))
            .or_else(|| rest.strip_prefix('．'));
        if let Some(after) = after
            && !after.is_empty()
        {
            // 1.5 is a number, not a numbered line.
            if !after.starts_with(|c: char| c.is_ascii_digit()) {
                return parse_numeral(&line[..digits]).map(|n| (n, after.trim_start()));
            }
        }
    }
    if let Some(inner) = line.strip_prefix('（') {
        let n: usize = numeral_len(inner);
        if n > 0
            && let Some(after) = inner[n..].strip_prefix('）')
            && instruction_like(after)
        {
            return parse_numeral(&inner[..n]).map(|v| (v, after.trim_start()));
        }
    }
    if let Some((len, Some((main, 0)))) = article_label(line) {
        let rest = &line[len..];
        if rest.starts_with([' ', '\u{3000}']) {
            return Some((main, rest.trim_start()));
        }
    }
    None
}

/// True when an unnumbered line reads as an instruction or a closing note.
fn instruction_like(line: &str) -> bool {
    let l = line.trim_start();
    [
        "将",
        "删去",
        "删除",
        "在",
        "增加",
        "原第",
        "本决定",
        "自本决定",
        "根据本决定",
        "此外",
        "宪法",
    ]
    .iter()
    .any(|p| l.starts_with(p))
        || article_label(l).is_some()
        || l.contains("条文顺序")
}

/// Whether `line` belongs to the paragraph whose lines are `lines`: it ends with ：, has a
/// quotation open, or the line opens one.
fn continues(lines: &[String], line: &str) -> bool {
    let Some(last) = lines.last() else {
        return false;
    };
    if line.starts_with(['“', '「']) {
        return true;
    }
    if last.ends_with('：') || last.ends_with(':') {
        return true;
    }
    // 增加五条……内容如下： then the new articles and headings, unquoted, up to the next
    // amendment (第N条 宪法…).
    if lines.iter().any(|l| l.contains("内容如下：")) {
        return !number_of(line).is_some_and(|(_, rest)| rest.starts_with("宪法"));
    }
    quote_open(&lines.join("\n"))
}

/// True when the last quotation mark of `text` opens a quotation.
fn quote_open(text: &str) -> bool {
    for c in text.chars().rev() {
        match c {
            '“' | '「' => return true,
            '”' | '」' => return false,
            _ => {}
        }
    }
    false
}

/// An instruction's text cut into its skeleton and its quotations (inner ‘’ read back as “”,
/// several paragraphs, each opened by “, joined by `\n`).
struct Split {
    skel: String,
    quotes: Vec<String>,
}

fn split(text: &str) -> Split {
    let mut skel = String::new();
    let mut quotes = Vec::new();
    let mut cur: Option<String> = None;
    let mut closer = '”';
    let mut prev = '\n';
    for c in text.chars() {
        match cur.as_mut() {
            None => match c {
                '“' | '「' | '"' => {
                    closer = match c {
                        '“' => '”',
                        '「' => '」',
                        _ => '"',
                    };
                    cur = Some(String::new());
                }
                c if c.is_whitespace() => {}
                c => skel.push(c),
            },
            Some(q) => {
                if c == closer {
                    // A quotation closed at a line's end and reopened on the next is one new
                    // text of several paragraphs: keep it open until the line shows otherwise.
                    quotes.push(std::mem::take(q).replace('‘', "“").replace('’', "”"));
                    cur = None;
                    skel.push(Q);
                } else if prev == '\n' && matches!(c, '“' | '「') {
                    // A paragraph of the same quotation.
                } else {
                    q.push(c);
                }
            }
        }
        prev = c;
    }
    if let Some(q) = cur {
        quotes.push(q.replace('‘', "“").replace('’', "”"));
        skel.push(Q);
    }
    let mut s = Split { skel, quotes };
    merge_paragraph_quotes(text, &mut s);
    s
}

/// “A”\n“B” — quotations that each close at a line's end, the next opening the next line —
/// are paragraphs of one new text when nothing but the line break stands between them.
fn merge_paragraph_quotes(text: &str, s: &mut Split) {
    let between_newline = text.contains("”\n“") || text.contains("」\n「");
    if !between_newline {
        return;
    }
    let mut skel = String::new();
    let mut quotes: Vec<String> = Vec::new();
    let mut qi = 0;
    let mut last_was_q = false;
    // Whether each closing quotation was followed by a line break and an opening one.
    let joins = paragraph_joins(text);
    for c in s.skel.chars() {
        if c == Q {
            let q = s.quotes.get(qi).cloned().unwrap_or_default();
            if last_was_q && qi > 0 && joins.get(qi - 1).copied().unwrap_or(false) {
                if let Some(prev) = quotes.last_mut() {
                    prev.push('\n');
                    prev.push_str(&q);
                }
            } else {
                quotes.push(q);
                skel.push(Q);
            }
            qi += 1;
            last_was_q = true;
        } else {
            skel.push(c);
            last_was_q = false;
        }
    }
    s.skel = skel;
    s.quotes = quotes;
}

/// For each closed quotation of `text`, in order: whether a line break and an opening
/// quotation mark directly follow its closing mark.
fn paragraph_joins(text: &str) -> Vec<bool> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut inside = false;
    let mut closer = '”';
    let mut k = 0;
    while k < chars.len() {
        let c = chars[k];
        if inside {
            if c == closer {
                inside = false;
                let next_opens = chars.get(k + 1) == Some(&'\n')
                    && matches!(chars.get(k + 2), Some('“') | Some('「'));
                out.push(next_opens);
            }
        } else if matches!(c, '“' | '「' | '"') {
            inside = true;
            closer = match c {
                '“' => '”',
                '「' => '」',
                _ => '"',
            };
        }
        k += 1;
    }
    out
}

/// One paragraph's instructions, each with its own words: the paragraph as one instruction
/// when it reads as one; else its pieces ([`pieces`]) when each reads as an instruction on
/// its own (a piece naming a 款 or 项 without an article taking the article of the piece
/// before, [`inherited`]); else the paragraph whole, unread.
fn read_paragraph(text: &str) -> Vec<(String, Op)> {
    if let Some(ops) = heading_with_articles(text) {
        return ops;
    }
    let op = read_instruction(text);
    if !matches!(op, Op::Unrecognised { .. }) {
        return vec![(text.to_string(), op)];
    }
    read_pieces(text).unwrap_or_else(|| vec![(text.to_string(), op)])
}

/// 宪法第三章“国家机构”中增加一节，作为第七节“监察委员会”；增加五条，分别作为第一百二十三条至
/// 第一百二十七条。内容如下： then, unquoted on the lines after, the heading (第七节　监察委员会), the
/// articles each under its label, and the note 第七节相应改为第八节，第一百二十三条至第一百三十八条
/// 相应改为第一百二十八条至第一百四十三条: the heading (`InsertHeading`, holding the new articles),
/// the articles (`InsertArticle`, placed by their numbers) and, with the note, the renumbering
/// (`Renumber`), each with its own words. `None` unless every line reads so.
fn heading_with_articles(text: &str) -> Option<Vec<(String, Op)>> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next()?;
    let head = first
        .strip_suffix("内容如下：")
        .or_else(|| first.strip_suffix("内容如下:"))?;
    let s = split(head);
    let sk = tidy(&s.skel);
    let sk = sk.trim_end_matches(['。', '，', '；']);
    let (new_heading, new_articles) = sk.split_once('；')?;
    // 第三章“国家机构”中增加一节，作为第七节“监察委员会” (the chapter's name optional).
    let k = new_heading.find("中增加一")?;
    let within = new_heading[..k].trim_end_matches(Q);
    heading_unit(within)?;
    let r = &new_heading[k + "中增加一".len()..];
    let unit = HEADING_UNITS.into_iter().find(|u| r.starts_with(u))?;
    let label = r[unit.len()..].strip_prefix("，作为")?.strip_suffix(Q)?;
    if heading_unit(label) != Some(unit) {
        return None;
    }
    let title = s.quotes.last()?.clone();
    // 增加五条，分别作为第一百二十三条至第一百二十七条.
    let (count, r) = articles_as(new_articles.strip_prefix("增加")?)?;
    let (from, len) = article_at(r)?;
    let (to, len2) = article_at(r[len..].strip_prefix('至')?)?;
    if len + '至'.len_utf8() + len2 != r.len() || from.sub != 0 || to.sub != 0 {
        return None;
    }
    // The lines: the heading as the instruction names it, then the articles, then the note.
    let heading_line = lines.next()?;
    if body::squash(heading_line) != format!("{label}{}", body::squash(&title)) {
        return None;
    }
    let mut articles: Vec<(ArticleNo, Vec<&str>)> = Vec::new();
    let mut note = None;
    for l in lines {
        if note.is_some() {
            return None;
        }
        if let Some((len, Some(crate::model::UnitNum::Article { main, sub }))) =
            body::article_line(l)
        {
            articles.push((ArticleNo { main, sub }, vec![l[len..].trim()]));
        } else if l.contains("相应改为") {
            note = Some(l);
        } else {
            articles.last_mut()?.1.push(l);
        }
    }
    let numbers: Vec<u32> = articles.iter().map(|(n, _)| n.main).collect();
    let wanted: Vec<u32> = (from.main..=to.main).collect();
    if numbers != wanted || numbers.len() != count as usize {
        return None;
    }
    let texts: Vec<String> = articles.iter().map(|(_, ps)| ps.join("\n")).collect();
    let mut ops = vec![
        (
            first.to_string(),
            Op::InsertHeading {
                label: label.to_string(),
                title,
                first: from,
                last: to,
            },
        ),
        (
            text.lines()
                .skip(1)
                .filter(|l| note != Some(l.trim()))
                .collect::<Vec<_>>()
                .join("\n")
                .trim()
                .to_string(),
            Op::InsertArticle {
                after: None,
                heading: None,
                articles: articles.iter().map(|(n, _)| *n).zip(texts).collect(),
            },
        ),
    ];
    if let Some(n) = note {
        ops.push((n.to_string(), Op::Renumber));
    }
    Some(ops)
}

/// The pieces of a paragraph of several instructions, each read: `None` unless there are
/// several and every one reads.
fn read_pieces(text: &str) -> Option<Vec<(String, Op)>> {
    let pieces = pieces(text);
    if pieces.len() < 2 {
        return None;
    }
    let mut out: Vec<(String, Op)> = Vec::new();
    // The article and the verb of the piece before.
    let mut before: Option<(Option<ArticleNo>, &'static str)> = None;
    for (piece, and) in pieces {
        let (reading, verb_word) = inherited(piece, and, before)?;
        let mut op = read_instruction(&reading);
        // A sentence of the act's own after an instruction (…不再适用。人民法院审理…，应当…。).
        if matches!(op, Op::Unrecognised { .. }) && !out.is_empty() && rule_like(&reading) {
            op = Op::Rule {
                text: reading.trim().to_string(),
            };
        }
        if matches!(op, Op::Unrecognised { .. }) {
            return None;
        }
        before = Some((article_of(&op), verb_word));
        out.push((piece.to_string(), op));
    }
    out.iter()
        .any(|(_, op)| !matches!(op, Op::Rule { .. }))
        .then_some(out)
}

/// A paragraph cut where one instruction ends and another begins, outside quotations: after
/// 。 or ；, before ，并 and ，同时, and before 和 between a closing quotation and a 款 or 项
/// (删去第八条第一款末尾的“A”和第二款末尾的“B”: the piece, with `true`, shares the verb of
/// the one before). Each piece trimmed; together they hold every word of the paragraph.
fn pieces(text: &str) -> Vec<(&str, bool)> {
    let mut cuts: Vec<(usize, bool)> = vec![(0, false)];
    let mut closer: Option<char> = None;
    let mut prev = '\n';
    for (k, c) in text.char_indices() {
        let rest = &text[k + c.len_utf8()..];
        match closer {
            // A “ opening a line inside a quotation opens a paragraph of the same one.
            Some(cl) => {
                if c == cl {
                    closer = None;
                }
            }
            None => match c {
                '“' => closer = Some('”'),
                '「' => closer = Some('」'),
                '"' => closer = Some('"'),
                '。' | '；' | ';' => cuts.push((k + c.len_utf8(), false)),
                '，' | ',' if rest.starts_with('并') || rest.starts_with("同时") => {
                    cuts.push((k + c.len_utf8(), false));
                }
                '和' if matches!(prev, '”' | '」')
                    && (ordinal(rest, "款").is_some() || ordinal(rest, "项").is_some()) =>
                {
                    cuts.push((k, true));
                }
                _ => {}
            },
        }
        prev = c;
    }
    // Each piece's start, end and whether it follows 和.
    let mut spans: Vec<(usize, usize, bool)> = Vec::new();
    for (j, &(start, and)) in cuts.iter().enumerate() {
        let end = cuts.get(j + 1).map_or(text.len(), |&(e, _)| e);
        let piece = text[start..end].trim();
        if piece.is_empty() {
            continue;
        }
        match spans.last_mut() {
            // Punctuation alone belongs to the piece before.
            Some(last) if piece.chars().all(|c| "。；;，,".contains(c)) => last.1 = end,
            _ => spans.push((start, end, and)),
        }
    }
    spans
        .into_iter()
        .map(|(start, end, and)| (text[start..end].trim(), and))
        .collect()
}

/// The words a piece reads as, and its verb: the joining words that open it (同时, 并, 和)
/// left out; a piece that names a 款 or 项 without an article (将第二款中的…, 第八项“…”, and
/// 增加一款 / 增加一项 with no place) given `before`'s article, and a piece after 和 its verb
/// (删去). `None` when the piece needs the article or verb before it and there is none.
fn inherited(
    piece: &str,
    and: bool,
    before: Option<(Option<ArticleNo>, &'static str)>,
) -> Option<(String, &'static str)> {
    let mut r = piece;
    loop {
        let next = ["同时", "并", "，", ","]
            .iter()
            .find_map(|w| r.strip_prefix(w))
            .or_else(|| if and { r.strip_prefix('和') } else { None });
        match next {
            Some(n) => r = n.trim_start(),
            None => break,
        }
    }
    let (verb_word, rest) = strip_first(
        r,
        &[
            ("将", "将"),
            ("删去", "删去"),
            ("删除", "删除"),
            ("在", "在"),
        ],
    )
    .unwrap_or(("", r));
    let verb_word = if and {
        // Only a deletion shares its verb: 删去“A”和“B” names each text deleted.
        match before {
            Some((_, v @ ("删去" | "删除"))) if verb_word.is_empty() => v,
            _ => return None,
        }
    } else {
        verb_word
    };
    let names_part = ordinal(rest, "款").is_some() || ordinal(rest, "项").is_some();
    let adds_part = verb_word.is_empty()
        && rest.strip_prefix("增加").is_some_and(|a| {
            let n = numeral_len(a).max(if a.starts_with('两') {
                '两'.len_utf8()
            } else {
                0
            });
            n > 0 && (a[n..].starts_with('款') || a[n..].starts_with('项'))
        });
    if names_part || adds_part {
        let article = before.and_then(|(a, _)| a)?;
        return Some((format!("{verb_word}{article}{rest}"), verb_word));
    }
    if and {
        return None;
    }
    Some((r.to_string(), verb_word))
}

/// The one article an op acts in, if it acts in one.
fn article_of(op: &Op) -> Option<ArticleNo> {
    let targets: Vec<&Target> = match op {
        Op::Phrase { targets, .. } | Op::DeletePart { targets } => targets.iter().collect(),
        Op::ReplaceArticle { target, .. } | Op::InsertItem { target, .. } => vec![target],
        Op::InsertParagraph { article, .. } => return Some(*article),
        _ => return None,
    };
    let first = targets.first()?.article_no()?;
    targets
        .iter()
        .all(|t| t.article_no() == Some(first))
        .then_some(first)
}

/// One instruction form: the op when a skeleton and its quotations read as it.
type Form = fn(&str, &[String]) -> Option<Op>;

/// Reads one paragraph's words.
fn read_instruction(text: &str) -> Op {
    if let Some(op) = disapply(text) {
        return op;
    }
    let s = split(text);
    let skel = tidy(&s.skel);
    let sk = skel.trim_end_matches(['。', '；', '，', ';', ',']);
    if let Some(op) = closing(sk) {
        return op;
    }
    let forms: [Form; 15] = [
        delete_annex,
        insert_heading,
        rename_heading,
        delete_heading,
        merge_articles,
        move_article,
        insert_article,
        split_article,
        insert_paragraph,
        renumber_article,
        delete,
        edge_phrase,
        phrase,
        replace,
        phrase_direct,
    ];
    for f in forms {
        if let Some(op) = f(sk, &s.quotes) {
            return op;
        }
    }
    Op::Unrecognised {
        reason: "no instruction form matches".into(),
    }
}

/// One sentence that states a rule of the act's own (`Op::Rule`): it ends with its only 。,
/// holds no quotation and none of the words an instruction acts with (修改, 增加, 删去, 删除,
/// 改为, 移至, 调整, 合并, 条文顺序), and says what must, may or may not be done (应当, 应, 可以,
/// 不得, 依照, 依法).
fn rule_like(text: &str) -> bool {
    let t = text.trim();
    let one_sentence = t.ends_with('。') && t.matches('。').count() == 1 && !t.contains('\n');
    let acts = [
        "修改",
        "增加",
        "增写",
        "删去",
        "删除",
        "改为",
        "移至",
        "调整",
        "合并",
        "条文顺序",
        "作为",
    ];
    let quoted = t.contains(['“', '”', '「', '」', '"']);
    let modal = ["应当", "应", "可以", "不得", "依照", "依法"];
    one_sentence
        && !quoted
        && !acts.iter().any(|w| t.contains(w))
        && modal.iter().any(|w| t.contains(w))
        && t.chars().count() <= 300
}

/// 自本决定施行之日起，《…》第一条第一款第（一）项、第二款和第二条第二款规定的…数额标准不再
/// 适用 (实施之日 too): the provisions named stop applying.
fn disapply(text: &str) -> Option<Op> {
    let t = text.trim().trim_end_matches(['。', '；']);
    if t.contains('\n') {
        return None;
    }
    let rest = t.strip_prefix("自本决定")?;
    let (when, rest) = rest.split_once('，')?;
    if !(when.ends_with("之日起") && (when.contains("施行") || when.contains("实施"))) {
        return None;
    }
    let provisions = rest.strip_suffix("不再适用")?.trim();
    (!provisions.is_empty() && provisions.contains("规定")).then(|| Op::Disapply {
        provisions: provisions.to_string(),
    })
}

/// 删去附件 / 删去附件“…” / 删去附件二.
fn delete_annex(sk: &str, quotes: &[String]) -> Option<Op> {
    let s = verb(sk);
    let rest = s.strip_prefix("删去").or_else(|| s.strip_prefix("删除"))?;
    let rest = rest.strip_prefix("附件")?;
    match (rest, quotes) {
        ("", []) => Some(Op::DeleteAnnex {
            annex: String::new(),
        }),
        (r, [title]) if r == Q.to_string() => Some(Op::DeleteAnnex {
            annex: title.clone(),
        }),
        // 删去附件二: the annex by its own label.
        (r, []) if numeral_len(r) == r.len() => Some(Op::DeleteAnnex {
            annex: format!("附件{r}"),
        }),
        _ => None,
    }
}

/// The skeleton without what does not change its meaning: act names (《解释》), 原 and 修改后
/// before an article, a statute's short name before a place (宪法第, 刑法第: a 修正案 names
/// the statute it amends so), ASCII punctuation as the full-width one.
fn tidy(skel: &str) -> String {
    let mut out = String::new();
    let mut rest = skel;
    while let Some(c) = rest.chars().next() {
        if c == '《'
            && let Some(inner) = balanced_title(&rest['《'.len_utf8()..])
            && !inner.contains(Q)
        {
            rest = &rest['《'.len_utf8() + inner.len() + '》'.len_utf8()..];
            continue;
        }
        out.push(match c {
            ':' => '：',
            ',' => '，',
            ';' => '；',
            c => c,
        });
        rest = &rest[c.len_utf8()..];
    }
    let mut out = without_short_names(&out);
    // 将十一条修改为: the 第 left out after the verb (a typo of the act's source); the
    // instruction's own words, kept in its report, still show it.
    for v in ["将", "删去", "删除", "在"] {
        if let Some(rest) = out.strip_prefix(v) {
            let n = numeral_len(rest);
            if n > 0 && rest[n..].starts_with('条') {
                out = format!("{v}第{rest}");
            }
            break;
        }
    }
    for (from, to) in [
        ("修改后第", "第"),
        ("修改后", ""),
        ("原第", "第"),
        ("宪法第", "第"),
        ("宪法序言", "序言"),
        // An article's opening words before its 项 are its first 款's own line: a 款
        // restated in one line keeps its 项 (`apply`), which is what 条首部分修改为 asks.
        ("条条首部分", "条第一款"),
    ] {
        out = out.replace(from, to);
    }
    out
}

/// The skeleton without a statute's short name where it opens a place: 将刑法第十七条 →
/// 将第十七条, 在刑法第一百三十三条之一后 → 在第一百三十三条之一后. A name is up to 12
/// characters (after an optional 中华人民共和国) ending in 法 (法典 too) or 条例, after the
/// start, a verb (将, 在, 删去, 删除) or a list's 、/，/；, and right before 第.
fn without_short_names(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let mut at_boundary = true;
    while !rest.is_empty() {
        let boundary = ["将", "在", "删去", "删除", "、", "，", "；", "并"]
            .iter()
            .find(|b| rest.starts_with(**b));
        if at_boundary
            && boundary.is_none()
            && let Some(len) = short_name_len(rest)
        {
            rest = &rest[len..];
            at_boundary = false;
            continue;
        }
        let step = match boundary {
            Some(b) => b.len(),
            None => rest.chars().next().map_or(1, char::len_utf8),
        };
        out.push_str(&rest[..step]);
        rest = &rest[step..];
        at_boundary = boundary.is_some();
    }
    out
}

/// The byte length of a statute's short name at the start of `s` that a 第 follows.
fn short_name_len(s: &str) -> Option<usize> {
    let k = s.find('第')?;
    let name = &s[..k];
    let stem = name
        .strip_suffix("条例")
        .or_else(|| name.strip_suffix("法典"))
        .or_else(|| name.strip_suffix('法'))?;
    let stem = stem.strip_prefix("中华人民共和国").unwrap_or(stem);
    let plain = !stem.is_empty()
        && stem
            .chars()
            .all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c) && !"第中的条款项目本该".contains(c));
    (plain && stem.chars().count() <= 12).then_some(k)
}

/// The closing notes: 本决定自…起施行, the renumbering, the republication.
fn closing(sk: &str) -> Option<Op> {
    if (sk.starts_with("本决定自") || sk.starts_with("本修正案自")) && sk.contains("施行")
    {
        // A draft leaves the date blank (本决定自　　年　　月　　日起施行).
        let blank = !sk.chars().any(|c| {
            c.is_ascii_digit() || ('０'..='９').contains(&c) || numeral_len(&c.to_string()) > 0
        });
        return Some(match stated_in_force(sk) {
            Some(date) => Op::Effective { date: Some(date) },
            None if blank => Op::Effective { date: None },
            None => Op::Unrecognised {
                reason: "effective date not read".into(),
            },
        });
    }
    if sk.contains("条文顺序") && sk.contains("调整") && !sk.contains(Q) {
        return Some(Op::Renumber);
    }
    if sk.contains("条文顺序") && sk.contains("调整为") {
        // 将《解释》的条文顺序作相应调整：“第八条”调整为“第七条”… — the list of moves.
        return Some(Op::Renumber);
    }
    if sk.starts_with("根据本决定") || sk.contains("根据本决定作相应修改") {
        return Some(Op::Republish);
    }
    None
}

/// `第` + a numeral + `unit` at the start of `s` (the numeral may be in （） for a 项): the
/// number and what follows.
fn ordinal(s: &str, unit: &str) -> Option<(u32, usize)> {
    let rest = s.strip_prefix('第')?;
    let (inner, paren) = match rest.strip_prefix('（') {
        Some(r) => (r, true),
        None => (rest, false),
    };
    let n: usize = numeral_len(inner);
    if n == 0 {
        return None;
    }
    let mut after = &inner[n..];
    if paren {
        after = after.strip_prefix('）')?;
    }
    after = after.strip_prefix(unit)?;
    let v = parse_numeral(&inner[..n])?;
    Some((v, s.len() - after.len()))
}

/// An article label at the start of `s`: its number and its byte length.
fn article_at(s: &str) -> Option<(ArticleNo, usize)> {
    let (len, num) = article_label(s)?;
    let (main, sub) = num?;
    Some((ArticleNo { main, sub }, len))
}

/// One place at the start of `s` and the byte length it takes.
fn target_at(s: &str) -> Option<(Target, usize)> {
    let (scope, mut len) = if let Some((no, len)) = article_at(s) {
        (Scope::Article(no), len)
    } else if let Some(w) = ["本法", "本条例", "本规定", "本解释", "本办法", "本细则"]
        .iter()
        .find(|w| s.starts_with(**w))
    {
        (Scope::Whole((*w).to_string()), w.len())
    } else if let Some(w) = ["名称", "标题"].iter().find(|w| s.starts_with(**w)) {
        (Scope::Title, w.len())
    } else if s.starts_with("序言") || s.starts_with("引言") {
        let mut len = "序言".len();
        let paragraph = ordinal(&s[len..], "自然段").map(|(n, l)| {
            len += l;
            n
        });
        (Scope::Preamble { paragraph }, len)
    } else if let Some((body, (n, l))) = [("正文", true), ("", false)]
        .into_iter()
        .find_map(|(p, body)| Some((body, ordinal(s.strip_prefix(p)?, "段")?)))
    {
        let len = if body { "正文".len() } else { 0 } + l;
        (Scope::Passage { n, body }, len)
    } else if let Some(l) = heading_label_len(s) {
        let name = ["章名", "节名", "编名", "标题"]
            .iter()
            .find_map(|w| s[l..].starts_with(w).then_some(w.len()))
            .unwrap_or(0);
        (Scope::Heading(s[..l].to_string()), l + name)
    } else {
        return None;
    };
    let mut t = Target {
        scope,
        paragraph: None,
        item: None,
        subitem: None,
    };
    // 第六十七条全国人民代表大会常务委员会职权第二十项: the words naming the list.
    if let Some(k) = s[len..].find("职权第")
        && !s[len..len + k].contains(['第', Q, '，'])
    {
        len += k + "职权".len();
    }
    if let Some((n, l)) = ordinal(&s[len..], "款") {
        t.paragraph = Some(n);
        len += l;
    }
    if let Some((n, l)) = ordinal(&s[len..], "项") {
        t.item = Some(n);
        len += l;
    }
    if let Some((n, l)) = ordinal(&s[len..], "目") {
        t.subitem = Some(n);
        len += l;
    }
    Some((t, len))
}

/// The length of a heading's label at the start of `s`: 第二章, or one qualified by the
/// headings above it (第二章第三节, 第一编第三章).
fn heading_label_len(s: &str) -> Option<usize> {
    let one = |s: &str| {
        ["分编", "编", "章", "节"]
            .iter()
            .find_map(|u| ordinal(s, u).map(|(_, l)| l))
    };
    let mut len = one(s)?;
    while let Some(l) = one(&s[len..]) {
        len += l;
    }
    Some(len)
}

/// A list of places making up all of `s`: 第三条、第五条 / 第三条和第五条 / 第一条第二款.
fn targets(s: &str) -> Option<Vec<Target>> {
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        let (t, len) = target_at(rest)?;
        out.push(t);
        rest = &rest[len..];
        if rest.is_empty() {
            return Some(out);
        }
        rest = ["、", "和", "，", "及", "以及"]
            .iter()
            .find_map(|sep| rest.strip_prefix(sep))?;
    }
}

/// One place making up all of `s`.
fn one_target(s: &str) -> Option<Target> {
    let mut t = targets(s)?;
    (t.len() == 1).then(|| t.remove(0))
}

/// A list of article labels making up all of `s` (第七条、第八条 / 第七条和第八条).
fn article_list(s: &str) -> Option<Vec<ArticleNo>> {
    targets(s)?
        .into_iter()
        .map(|t| match (t.scope, t.paragraph, t.item) {
            (Scope::Article(no), None, None) => Some(no),
            _ => None,
        })
        .collect()
}

/// All quotations as one new text (several paragraphs joined by `\n`).
fn joined(quotes: &[String]) -> String {
    quotes.join("\n")
}

/// Strips the optional prefix words of an instruction (将, 并).
fn verb(sk: &str) -> &str {
    let s = sk.strip_prefix('并').unwrap_or(sk);
    s.strip_prefix('将').unwrap_or(s)
}

/// A heading's label and what follows `的章名` (节名, 编名, 分编名; the 的 may be left out)
/// after it, at the start of `s`: 第二章的章名…, 第二章章名….
fn heading_name_at(s: &str) -> Option<(&str, &str)> {
    let l = heading_label_len(s)?;
    let label = &s[..l];
    let unit = heading_unit(label)?;
    // 第二章的章名, or 第二章章名 as some acts write it.
    let rest = s[l..].strip_prefix('的').unwrap_or(&s[l..]);
    let rest = rest.strip_prefix(unit)?.strip_prefix('名')?;
    Some((label, rest))
}

/// 将第二章的章名修改为“…” / 将标题“A”修改为“B” (a heading without a label, named by its
/// text) / 将“A”修改为：“B” (a heading named by its words alone).
fn rename_heading(sk: &str, quotes: &[String]) -> Option<Op> {
    let s = verb(sk);
    // 将“一、买卖合同的成立及效力”修改为：“一、买卖合同的成立” — a heading named by its
    // words alone, as 将第三条修改为：names a unit: the words of one line, quoted whole, stand
    // where a place stands, and 修改为： gives that line's new words.
    let named = s == format!("{Q}修改为：{Q}") && !quotes.iter().any(|q| q.contains('\n'));
    if (named || s == format!("标题{Q}修改为{Q}")) && quotes.len() == 2 {
        return Some(Op::RenameHeading {
            heading: quotes[0].clone(),
            title: quotes[1].clone(),
        });
    }
    // 将第一部分标题修改为：“一、…”: the parts of a 司法解释 are its 一、二、 headings, so the
    // first part's heading is the one labelled 一、 (`apply` reports it ambiguous when the
    // text has two).
    if let Some(rest) = s.strip_prefix('第') {
        let n = numeral_len(rest);
        let tail = rest[n..]
            .strip_prefix("部分")
            .map(|r| r.strip_prefix('的').unwrap_or(r))
            .and_then(|r| r.strip_prefix("标题"))
            .and_then(|r| r.strip_prefix("修改为"))
            .map(|r| r.trim_start_matches('：'));
        if n > 0 && tail == Some(&Q.to_string()) && quotes.len() == 1 {
            return Some(Op::RenameHeading {
                heading: format!("{}、", &rest[..n]),
                title: quotes[0].clone(),
            });
        }
    }
    let (label, rest) = heading_name_at(s)?;
    let rest = rest.strip_prefix("修改为")?.trim_start_matches('：');
    (rest == Q.to_string() && quotes.len() == 1).then(|| Op::RenameHeading {
        heading: label.to_string(),
        title: quotes[0].clone(),
    })
}

/// 删去第二章的章名 / 删去标题“A”.
fn delete_heading(sk: &str, quotes: &[String]) -> Option<Op> {
    let s = verb(sk);
    let rest = s.strip_prefix("删去").or_else(|| s.strip_prefix("删除"))?;
    if rest == format!("标题{Q}") && quotes.len() == 1 {
        return Some(Op::DeleteHeading {
            heading: quotes[0].clone(),
        });
    }
    let (label, tail) = heading_name_at(rest)?;
    (tail.is_empty() && quotes.is_empty()).then(|| Op::DeleteHeading {
        heading: label.to_string(),
    })
}

/// 增加一章，作为第三章“…”，包括第X条至第Y条 / 增加标题“…”，包括第X条 (a heading without a
/// label): the new heading and the articles it holds.
fn insert_heading(sk: &str, quotes: &[String]) -> Option<Op> {
    let rest = sk.strip_prefix("增加")?;
    if quotes.len() != 1 {
        return None;
    }
    let (label, rest) = match rest.strip_prefix(format!("标题{Q}").as_str()) {
        Some(r) => ("", r),
        None => {
            let r = rest.strip_prefix('一')?;
            let unit = HEADING_UNITS.into_iter().find(|u| r.starts_with(u))?;
            let r = r[unit.len()..].strip_prefix("，作为")?;
            let k = r.find(Q)?;
            let label = &r[..k];
            if heading_unit(label) != Some(unit) {
                return None;
            }
            (label, &r[k + Q.len_utf8()..])
        }
    };
    let r = rest.strip_prefix("，包括")?;
    let (first, len) = article_at(r)?;
    let r = &r[len..];
    let (last, r) = match r.strip_prefix('至') {
        Some(r) => {
            let (last, len) = article_at(r)?;
            (last, &r[len..])
        }
        None => (first, r),
    };
    r.is_empty().then(|| Op::InsertHeading {
        label: label.to_string(),
        title: quotes[0].clone(),
        first,
        last,
    })
}

/// 将第六条、第七条合并为一条，作为第六条，修改为：“…” / 将第六条和第七条合并修改为：“…”
/// (the merged article keeping the first one's number).
fn merge_articles(sk: &str, quotes: &[String]) -> Option<Op> {
    let s = verb(sk);
    let (list, into, rest) = match s.find("合并为一条") {
        Some(k) => {
            let r = s[k + "合并为一条".len()..].strip_prefix("，作为")?;
            let (into, len) = article_at(r)?;
            let r = r[len..].strip_prefix('，')?.strip_prefix("修改为")?;
            (&s[..k], Some(into), r)
        }
        None => {
            let k = s.find("合并修改为")?;
            (&s[..k], None, &s[k + "合并修改为".len()..])
        }
    };
    let articles = article_list(list)?;
    let tail = rest.trim_start_matches('：');
    if articles.len() < 2 || quotes.is_empty() || !tail.chars().all(|c| c == Q) || tail.is_empty() {
        return None;
    }
    Some(Op::MergeArticles {
        into: into.unwrap_or(articles[0]),
        articles,
        text: joined(quotes),
    })
}

/// 将第九条移至第二章，作为第十条 / 将第九条移至“附则”，作为第十条 (a heading without a label,
/// named by its text).
fn move_article(sk: &str, quotes: &[String]) -> Option<Op> {
    let s = verb(sk);
    let (from, len) = article_at(s)?;
    let rest = s[len..].strip_prefix("移至")?;
    let (heading, rest) = match rest.strip_prefix(Q) {
        Some(r) if quotes.len() == 1 => (quotes[0].clone(), r),
        Some(_) => return None,
        None => {
            let k = rest.find("，作为")?;
            let label = &rest[..k];
            heading_unit(label)?;
            if !quotes.is_empty() {
                return None;
            }
            (label.to_string(), &rest[k..])
        }
    };
    let r = rest.strip_prefix("，作为")?;
    let (to, len) = article_at(r)?;
    r[len..]
        .is_empty()
        .then_some(Op::MoveArticle { from, to, heading })
}

/// 增加一条，作为第X条：“…” / 在第X条后增加一条，作为第X条之一：“…” / 增加两条，分别作为
/// 第X条、第Y条：“…”“…”.
fn insert_article(sk: &str, quotes: &[String]) -> Option<Op> {
    // 在“附则”中增加一条: a heading without a label, by its words (the first quotation).
    if let Some(rest) = sk
        .strip_prefix('在')
        .and_then(|r| r.strip_prefix(Q))
        .and_then(|r| r.strip_prefix("中增加"))
    {
        let (heading, texts) = quotes.split_first()?;
        return match insert_article(&format!("增加{rest}"), texts)? {
            Op::InsertArticle {
                after: None,
                heading: None,
                articles,
            } => Some(Op::InsertArticle {
                after: None,
                heading: Some(heading.clone()),
                articles,
            }),
            _ => None,
        };
    }
    let (after, heading, rest) = match sk.strip_prefix('在') {
        // 在第二章中增加一条: the 章 (or 节, 编) it opens.
        Some(r) if heading_label_len(r).is_some_and(|l| r[l..].starts_with("中增加")) => {
            let l = heading_label_len(r)?;
            (None, Some(r[..l].to_string()), &r[l + "中".len()..])
        }
        Some(r) => {
            let (no, len) = article_at(r)?;
            (Some(no), None, r[len..].strip_prefix('后')?)
        }
        None => (None, None, sk),
    };
    let (count, rest) = articles_as(rest.strip_prefix("增加")?)?;
    let end = rest.find(['：', Q]).unwrap_or(rest.len());
    let labels = article_list(rest[..end].trim_end_matches('，'))?;
    let tail = rest[end..].trim_start_matches('：');
    if !tail.chars().all(|c| c == Q) || labels.len() != count as usize || quotes.is_empty() {
        return None;
    }
    let articles = if labels.len() == 1 {
        vec![(labels[0], joined(quotes))]
    } else if labels.len() == quotes.len() {
        labels.into_iter().zip(quotes.iter().cloned()).collect()
    } else {
        return Some(Op::Unrecognised {
            reason: format!(
                "{} new articles but {} quotations",
                labels.len(),
                quotes.len()
            ),
        });
    };
    Some(Op::InsertArticle {
        after,
        heading,
        articles,
    })
}

/// `N条，(分别)作为…`, as in 增加两条，分别作为… and 改为两条，作为…: the count N and what
/// follows 作为.
fn articles_as(s: &str) -> Option<(u32, &str)> {
    let k = s.find('条')?;
    let count = parse_numeral(&s[..k]).or_else(|| (s[..k] == *"两").then_some(2))?;
    let rest = s[k + '条'.len_utf8()..].trim_start_matches('，');
    let rest = rest
        .strip_prefix("分别作为")
        .or_else(|| rest.strip_prefix("作为"))?;
    Some((count, rest))
}

/// 将第X条改为两条，作为第X条、第Y条，修改为：“…”“…”.
fn split_article(sk: &str, quotes: &[String]) -> Option<Op> {
    let s = verb(sk);
    let (article, len) = article_at(s)?;
    let (count, rest) = articles_as(s[len..].strip_prefix("改为")?)?;
    let end = rest.find("修改为").unwrap_or(rest.len());
    let into = article_list(rest[..end].trim_end_matches('，'))?;
    let tail = rest[end..]
        .strip_prefix("修改为")
        .unwrap_or(&rest[end..])
        .trim_start_matches('：');
    if into.len() != count as usize || !tail.chars().all(|c| c == Q) {
        return None;
    }
    let texts = split_texts(&into, quotes);
    Some(Op::SplitArticle {
        article,
        into,
        texts,
    })
}

/// The texts of a split's new articles. When each opens with its article's label and a space
/// (“第十四条　…”“第十五条　…”, or on lines of their own, which read as one text of several
/// paragraphs), the quotations are cut where a paragraph opens with the next label, and the
/// labels go; else the texts are the quotations as they stand.
fn split_texts(into: &[ArticleNo], quotes: &[String]) -> Vec<String> {
    let mut texts: Vec<String> = Vec::new();
    for para in joined(quotes).split('\n') {
        let opens = into.get(texts.len()).and_then(|no| {
            para.strip_prefix(no.to_string().as_str())
                .and_then(|r| r.strip_prefix(['\u{3000}', ' ']))
        });
        match (opens, texts.last_mut()) {
            (Some(rest), _) => texts.push(rest.to_string()),
            (None, Some(last)) => {
                last.push('\n');
                last.push_str(para);
            }
            (None, None) => return quotes.to_vec(),
        }
    }
    if texts.len() == into.len() {
        texts
    } else {
        quotes.to_vec()
    }
}

/// 在第X条中增加一款，作为第Y款：“…” / 第X条增加一款，作为第Y款，规定：“…” / 第X条增加规定：
/// “…” / 在第X条中增加一项，作为第Z项：“…” / 宪法第X条“…行使下列职权”中增加一项，作为第Z项
/// “…” / 在第X条中增加两款，作为第Y款、第Z款：“…”; a following 将第Y款修改为：“…” is the
/// `rewrite`. 在第X条中增加两款，作为第Y款、第Z款，将该条修改为：“…” quotes no new 款 of its
/// own, only the article restated with them.
fn insert_paragraph(sk: &str, quotes: &[String]) -> Option<Op> {
    let s = verb(sk);
    let s = s.strip_prefix('在').unwrap_or(s);
    let k = s.find("增加")?;
    let place = s[..k].trim_end_matches("中").trim_end_matches('，');
    // 宪法第六十二条“全国人民代表大会行使下列职权”中增加一项: the words that open the list
    // name the 款 whose 项 it is; the article's 款 with 项 (apply reports when it has several).
    let (place, lead_in) = match place.strip_suffix(Q) {
        Some(p) => (p, 1),
        None => (place, 0),
    };
    let target = one_target(place)?;
    let rest = &s[k + "增加".len()..];
    // 一款, 两款, 一项 (the unit and how many), or 规定 (one 款, at the end).
    let (unit, count, rest) = match rest.strip_prefix("规定") {
        Some(r) => ("", 1, r),
        None => {
            let (unit, k) = [("款", rest.find('款')), ("项", rest.find('项'))]
                .into_iter()
                .filter_map(|(u, k)| k.map(|k| (u, k)))
                .min_by_key(|&(_, k)| k)?;
            let n = &rest[..k];
            let count = parse_numeral(n).or_else(|| (n == "两").then_some(2))?;
            (unit, count, &rest[k + unit.len()..])
        }
    };
    if lead_in > 0 && unit != "项" {
        return None;
    }
    let rest = rest.trim_start_matches('，');
    let mut positions = Vec::new();
    let rest = match rest.strip_prefix("作为") {
        Some(mut r) => loop {
            let (n, l) = ordinal(r, if unit.is_empty() { "款" } else { unit })?;
            positions.push(n);
            r = &r[l..];
            match r.strip_prefix('、') {
                Some(next) => r = next,
                None => break r,
            }
        },
        None => rest,
    };
    if !positions.is_empty() && positions.len() != count as usize {
        return None;
    }
    let rest = rest.trim_start_matches('，');
    // ，将该条修改为：“…” — the article restated with its new 款, which have no text of
    // their own.
    if rest.starts_with('将') {
        if unit != "款" || quotes.len() != 1 {
            return None;
        }
        let rewrite = rewrite_of(rest, &target, &quotes[0])?;
        return insert_op(unit, target, positions, None, Some(rewrite));
    }
    let rest = rest.trim_start_matches("规定").trim_start_matches('：');
    let mut qs = quotes.iter().skip(lead_in);
    let text = qs.next()?.clone();
    let rest = rest.strip_prefix(Q)?;
    let rewrite = if rest.is_empty() {
        None
    } else {
        // ；将第二款修改为：“…” — the 款 the new one pushes, rewritten; 第三款相应地改为
        // 第四款 only states the renumbering the insertion implies.
        let r = rest.trim_start_matches(['；', '，']);
        if r.contains("相应") && !r.contains(Q) {
            return insert_op(unit, target, positions, Some(text), None);
        }
        Some(rewrite_of(r, &target, qs.next()?)?)
    };
    if qs.next().is_some() {
        return None;
    }
    insert_op(unit, target, positions, Some(text), rewrite)
}

/// 将第Y款修改为：“…” / 将该条修改为：“…” after an inserted 款 (`r`, its quotation as
/// `Q`): the place in `target`'s article and its new text.
fn rewrite_of(r: &str, target: &Target, quote: &str) -> Option<(Target, String)> {
    let k = r.find("修改为")?;
    let tail = r[k + "修改为".len()..].trim_start_matches('：');
    if tail != Q.to_string() {
        return None;
    }
    let place = r[..k].trim_start_matches('将');
    let mut at = Target::article(target.article_no()?);
    if let Some(rest) = place.strip_prefix("该条") {
        if !rest.is_empty() {
            return None;
        }
    } else {
        let (n, l) = ordinal(place, "款")?;
        if l != place.len() {
            return None;
        }
        at.paragraph = Some(n);
    }
    Some((at, quote.to_string()))
}

/// The op of inserted 款 (`unit` 款 or empty) or of an inserted 项.
fn insert_op(
    unit: &str,
    target: Target,
    positions: Vec<u32>,
    text: Option<String>,
    rewrite: Option<(Target, String)>,
) -> Option<Op> {
    if unit == "项" {
        if rewrite.is_some() || positions.len() > 1 {
            return None;
        }
        return Some(Op::InsertItem {
            target,
            as_item: positions.first().copied(),
            text: text?,
        });
    }
    let article = target.article_no()?;
    if target.paragraph.is_some() || target.item.is_some() {
        return None;
    }
    Some(Op::InsertParagraph {
        article,
        as_paragraphs: positions,
        text,
        rewrite,
    })
}

/// 将第X条改为第Y条(，修改为：“…”) / 第X条作为第Y条 / 将第X条修改为第Y条(：“…”).
fn renumber_article(sk: &str, quotes: &[String]) -> Option<Op> {
    let s = verb(sk);
    let (from, len) = article_at(s)?;
    let rest = &s[len..];
    let rest = ["改为", "作为", "修改为", "调整为"]
        .iter()
        .find_map(|w| rest.strip_prefix(w))?;
    let (to, len) = article_at(rest)?;
    let tail = rest[len..]
        .trim_start_matches('，')
        .trim_start_matches("修改为")
        .trim_start_matches("并修改为")
        .trim_start_matches('：');
    if tail.is_empty() {
        return quotes.is_empty().then_some(Op::RenumberArticle {
            from,
            to,
            new_text: None,
        });
    }
    if !tail.chars().all(|c| c == Q) {
        return None;
    }
    Some(Op::RenumberArticle {
        from,
        to,
        new_text: Some(joined(quotes)),
    })
}

/// 删去第X条 / 删去第X条至第Y条 / 删去第X条、第Y条 / 删去第X条第Y款.
fn delete(sk: &str, quotes: &[String]) -> Option<Op> {
    if !quotes.is_empty() {
        return None;
    }
    let s = verb(sk);
    let rest = s.strip_prefix("删去").or_else(|| s.strip_prefix("删除"))?;
    let mut ranges = Vec::new();
    let mut parts = Vec::new();
    for piece in rest.split(['、', '，']).flat_map(|p| p.split('和')) {
        if let Some((a, b)) = piece.split_once('至') {
            let a = one_target(a)?.article_no()?;
            let b = one_target(b)?.article_no()?;
            ranges.push((a, b));
            continue;
        }
        let t = one_target(piece)?;
        match (&t.scope, t.paragraph, t.item) {
            (Scope::Article(no), None, None) => ranges.push((*no, *no)),
            _ => parts.push(t),
        }
    }
    match (ranges.is_empty(), parts.len()) {
        (false, 0) => Some(Op::DeleteArticles { ranges }),
        (true, n) if n > 0 => Some(Op::DeletePart { targets: parts }),
        _ => None,
    }
}

/// 将第X条(第Y款)中的“A”修改为“B”，在“C”后增加“D”… / 在第X条中的“A”后增加“B” / 删去第X条
/// 中的“A” / 序言第N自然段中“A”修改为“B”.
/// The first of `options` whose prefix `s` starts with: its tag and the rest of `s`.
fn strip_first<'a, T: Copy>(s: &'a str, options: &[(&str, T)]) -> Option<(T, &'a str)> {
    options
        .iter()
        .find_map(|(prefix, tag)| s.strip_prefix(prefix).map(|rest| (*tag, rest)))
}

fn phrase(sk: &str, quotes: &[String]) -> Option<Op> {
    let first_q = sk.find(Q)?;
    let head = &sk[..first_q];
    let (k, marker) = ["中的", "末尾的", "开头的", "规定的", "中"]
        .iter()
        .filter_map(|m| head.rfind(m).map(|k| (k, *m)))
        .min_by_key(|(k, _)| *k)?;
    let place = &head[..k];
    let (verb_word, place) = strip_first(
        place,
        &[
            ("将", "将"),
            ("在", "在"),
            ("删去", "删去"),
            ("删除", "删去"),
        ],
    )
    .unwrap_or(("", place));
    let targets = targets(place)?;
    let (body, restated) = restatement(&sk[k + marker.len()..], quotes);
    phrase_op(targets, &format!("{verb_word}{body}"), restated, quotes)
}

/// 第一条第二款开始部分增加规定：“A” / 在第一条第二款开头增加“A” / 序言第十自然段末尾增加：“A”:
/// words added at the start or end of a place, which the act names without anchor words.
fn edge_phrase(sk: &str, quotes: &[String]) -> Option<Op> {
    let s = verb(sk);
    let s = s.strip_prefix('在').unwrap_or(s);
    let (k, words, edge) = [
        ("开始部分增加规定", "开头增加"),
        ("开始部分增加", "开头增加"),
        ("开头增加规定", "开头增加"),
        ("开头增加", "开头增加"),
        ("末尾增加规定", "末尾增加"),
        ("末尾增加", "末尾增加"),
    ]
    .iter()
    .filter_map(|(w, edge)| s.find(w).map(|k| (k, *w, *edge)))
    .min_by_key(|(k, w, _)| (*k, std::cmp::Reverse(w.len())))?;
    let targets = targets(&s[..k])?;
    // A place with one text: an article, its 款/项, a 序言 paragraph or a heading.
    if targets.iter().any(|t| {
        matches!(
            t.scope,
            Scope::Whole(_) | Scope::Preamble { paragraph: None }
        )
    }) {
        return None;
    }
    let (body, restated) = restatement(&s[k + words.len()..], quotes);
    let mut op = phrase_op(targets, &format!("在{edge}{body}"), restated, quotes)?;
    // 增加规定：“…” adds a provision, a sentence of its own: acts print its 。 after the
    // closing quotation mark (“…不适用本解释”。), where the skeleton drops it.
    if words.ends_with("规定")
        && let Op::Phrase { edits, .. } = &mut op
        && let Some(PhraseEdit::Prepend { text } | PhraseEdit::Append { text }) = edits.first_mut()
        && !text.ends_with(['。', '；', '！', '？'])
    {
        text.push('。');
    }
    Some(op)
}

/// The phrase instruction whose edits `body` states; the last quotation is the restated text
/// when there is one.
fn phrase_op(
    targets: Vec<Target>,
    body: &str,
    restated: Option<String>,
    quotes: &[String],
) -> Option<Op> {
    let edits = phrase_edits(
        body,
        &quotes[..quotes.len() - usize::from(restated.is_some())],
    )?;
    Some(Op::Phrase {
        targets,
        edits,
        restated,
    })
}

/// Splits off a closing restatement, 。这一自然段相应修改为：“…” (also 这一款, 这一条, 这一项,
/// 这一目): the words before it and the restated text.
fn restatement<'a>(skel: &'a str, quotes: &[String]) -> (&'a str, Option<String>) {
    for unit in ["自然段", "款", "条", "项", "目", "段"] {
        for form in ["相应修改为：", "相应地修改为：", "相应修改为"] {
            let tail = format!("。这一{unit}{form}{Q}");
            if let Some(body) = skel.strip_suffix(tail.as_str())
                && let Some(last) = quotes.last()
            {
                return (body, Some(last.clone()));
            }
        }
    }
    (skel, None)
}

/// 第十条第三款“A”修改为：“B” (a 修正案's place then its quotation, no 中的) / 序言第七自然段
/// 后两句：“A”修改为：“B” (the sentences the quotation holds named) / 第一条第二款“A”后增写
/// 一句，内容为：“B” / 第八十九条“…行使下列职权”中第六项“A”修改为“B”.
fn phrase_direct(sk: &str, quotes: &[String]) -> Option<Op> {
    let first_q = sk.find(Q)?;
    let head = sk[..first_q].trim_end_matches('：');
    let head = head.strip_prefix('将').unwrap_or(head);
    let mut targets = targets(without_sentences(head))?;
    let mut tail = &sk[first_q..];
    // 宪法第八十九条“国务院行使下列职权”中第六项“A”修改为“B”: the words that open the list
    // name the 款 whose 项 it is, the article's 款 with 项 (as in `insert_paragraph`).
    if let Some(r) = tail.strip_prefix(Q).and_then(|r| r.strip_prefix('中'))
        && let Some((n, l)) = ordinal(r, "项")
        && let [t] = targets.as_mut_slice()
        && t.article_no().is_some()
        && t.paragraph.is_none()
        && t.item.is_none()
    {
        t.item = Some(n);
        tail = &r[l..];
    }
    // 第十三条“A”“B”修改为：“C”“D”: the article's old paragraphs, all replaced.
    if let Some((old, new)) = tail.split_once("修改为") {
        let new = new.trim_start_matches('：');
        let (n_old, n_new) = (old.chars().count(), new.chars().count());
        if n_old > 1
            && old.chars().all(|c| c == Q)
            && new.chars().all(|c| c == Q)
            && n_old + n_new == quotes.len()
            && targets.len() == 1
        {
            return Some(Op::ReplaceArticle {
                target: targets.into_iter().next()?,
                new_text: joined(&quotes[n_old..]),
            });
        }
    }
    let (body, restated) = restatement(tail, quotes);
    phrase_op(targets, body, restated, quotes)
}

/// A place without the words after it that say which of its sentences the quotation that
/// follows holds (序言第七自然段后两句, 第十自然段第二句, 最后一句, 末句): the quotation gives
/// those sentences' words, which the edit finds in the place, so the description adds nothing
/// the edit needs. `head` as it is when it names no sentences.
fn without_sentences(head: &str) -> &str {
    let Some(h) = head.strip_suffix('句') else {
        return head;
    };
    let n: usize = h
        .chars()
        .rev()
        .take_while(|&c| is_numeral_char(c) || c == '两')
        .map(char::len_utf8)
        .sum();
    let h = &h[..h.len() - n];
    for w in ["最后", "第", "前", "后", "末", "首"] {
        if let Some(place) = h.strip_suffix(w)
            && (n > 0) != matches!(w, "末" | "首")
        {
            return place;
        }
    }
    head
}

/// The clauses of a phrase instruction, split at ，/； outside quotations, each read by
/// [`PhraseEdit::parse`]; `None` when one cannot be read.
fn phrase_edits(skel: &str, quotes: &[String]) -> Option<Vec<PhraseEdit>> {
    // “A”后增写一句，内容为：“B” — one clause, its comma no clause's end.
    let skel = skel
        .replace("增写一句，内容为：", "增加")
        .replace("增写一句，内容为", "增加");
    let skel = skel.as_str();
    // Quotations are numbered from the first in `skel`: those before it in the whole
    // skeleton were consumed by the place (none are).
    let total_q = skel.chars().filter(|&c| c == Q).count();
    let offset = quotes.len().checked_sub(total_q)?;
    let mut clauses: Vec<String> = Vec::new();
    for raw in skel.split(['，', '；']) {
        let c = raw.trim_start_matches('并');
        if c.is_empty() {
            continue;
        }
        // “A”，修改为“B”: the comma does not end the clause.
        if (c.starts_with("修改为") || c.starts_with("后增加") || c.starts_with("前增加"))
            && let Some(prev) = clauses.last_mut()
        {
            prev.push_str(c);
            continue;
        }
        clauses.push(c.to_string());
    }
    let mut qi = offset;
    let mut edits = Vec::new();
    for c in clauses {
        let mut c = c
            .replace("修改为：", "修改为")
            .replace("增加：", "增加")
            .replace("增写", "增加")
            .replace("之后增加", "后增加")
            .replace("之前增加", "前增加");
        // “A”后增加“B”, the 在 left out.
        if c.starts_with(Q) && (c.contains("后增加") || c.contains("前增加")) {
            c.insert(0, '在');
        }
        let mut text = String::new();
        for ch in c.chars() {
            if ch == Q {
                text.push('“');
                text.push_str(&super::quote(quotes.get(qi)?));
                text.push('”');
                qi += 1;
            } else {
                text.push(ch);
            }
        }
        let text = text.replacen("删除", "删去", 1);
        edits.push(PhraseEdit::parse(&text)?);
    }
    (!edits.is_empty()).then_some(edits)
}

/// 将第X条(第Y款)修改为：“…” / 引言修改为：“…”.
fn replace(sk: &str, quotes: &[String]) -> Option<Op> {
    if quotes.is_empty() {
        return None;
    }
    let s = verb(sk);
    let k = s.find("修改为")?;
    let target = one_target(&s[..k])?;
    let tail = s[k + "修改为".len()..].trim_start_matches('：');
    if !tail.chars().all(|c| c == Q) {
        return None;
    }
    Some(Op::ReplaceArticle {
        target,
        new_text: joined(quotes),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Date;

    #[test]
    fn a_heading_name_with_or_without_de() {
        for words in [
            "将第二章的章名修改为“监督管理”。",
            "将第二章章名修改为“监督管理”。",
        ] {
            assert_eq!(
                read_instruction(words),
                Op::RenameHeading {
                    heading: "第二章".into(),
                    title: "监督管理".into()
                },
                "{words}"
            );
        }
        assert_eq!(
            read_instruction("将第三章第二节节名修改为“登记”。"),
            Op::RenameHeading {
                heading: "第三章第二节".into(),
                title: "登记".into()
            }
        );
        assert_eq!(
            read_instruction("删去第四章章名。"),
            Op::DeleteHeading {
                heading: "第四章".into()
            }
        );
    }

    #[test]
    fn a_statutes_short_name_before_a_place_is_dropped() {
        for (with, without) in [
            ("将刑法第十七条修改为：", "将第十七条修改为："),
            (
                "在刑法第一百三十三条之一后增加一条",
                "在第一百三十三条之一后增加一条",
            ),
            ("删去刑法第一百四十一条第二款", "删去第一百四十一条第二款"),
            ("将刑法第六条、刑法第七条中的", "将第六条、第七条中的"),
            ("将民事诉讼法第十条修改为", "将第十条修改为"),
            ("将治安管理处罚条例第三条修改为", "将第三条修改为"),
            ("将中华人民共和国刑法第三条修改为", "将第三条修改为"),
            ("删去民法典第十条", "删去第十条"),
        ] {
            assert_eq!(without_short_names(with), without, "{with}");
        }
        // Not a name before 第: the verb, 本法, a place's own words.
        for same in [
            "删去第八条",
            "在第五条后增加一条",
            "将本法第十条修改为",
            "将第二章的章名修改为",
            "将第十条中的\u{E000}修改为\u{E000}",
        ] {
            assert_eq!(without_short_names(same), same, "{same}");
        }
    }

    #[test]
    fn numbers_of_paragraphs() {
        assert_eq!(number_of("十二、删去第八条。"), Some((12, "删去第八条。")));
        assert_eq!(
            number_of("3.将第六条修改为："),
            Some((3, "将第六条修改为："))
        );
        assert_eq!(number_of("（二）删去第五条。"), Some((2, "删去第五条。")));
        assert_eq!(number_of("第三条 宪法第七条…"), Some((3, "宪法第七条…")));
        // A numbered 项 of a new text, a year, a decimal: no instruction's number.
        assert_eq!(number_of("（一）明知没有还款能力而大量透支的；"), None);
        assert_eq!(number_of("2021年1月1日"), None);
        assert_eq!(number_of("1.5倍"), None);
        assert_eq!(number_of("第三条第二款"), None);
    }

    #[test]
    fn effective_dates_in_either_numerals() {
        let date = |sk: &str| match closing(sk) {
            Some(Op::Effective { date }) => date,
            _ => None,
        };
        assert_eq!(date("本决定自2022年1月1日起施行"), Date::new(2022, 1, 1));
        assert_eq!(
            date("本决定自二〇二一年十二月一日起施行"),
            Date::new(2021, 12, 1)
        );
        assert_eq!(date("本决定自公布之日起施行"), None);
    }

    #[test]
    fn quotations_of_several_paragraphs_are_one_text() {
        for text in [
            "将第三条修改为：“甲。\n“乙。”",
            "将第三条修改为：“甲。”\n“乙。”",
            "将第三条修改为：\n“甲。\n乙。”",
        ] {
            let s = split(text);
            assert_eq!(s.quotes, vec!["甲。\n乙。".to_string()], "{text}");
            assert_eq!(s.skel, format!("将第三条修改为：{Q}"));
        }
        let s = split("删去第二条中的“‘一府两院’”。");
        assert_eq!(s.quotes, vec!["“一府两院”".to_string()]);
    }

    #[test]
    fn instructions_know_the_line_they_start_on() {
        // Every line counts: the title, the header, blank lines, comments, the lines of a
        // quotation of several paragraphs, a part's heading.
        let text = "# 关于修改《甲法》等两部法律的决定\n\n2024年6月28日通过\n<!-- INFO END -->\n\n\
                    决定：\n\n一、修改《甲法》\n\n1.将第三条修改为：\n\n“甲。\n\n“乙。”\n\
                    <!-- 注 -->\n\n2.删去第五条。\r\n二、修改《乙法》\n将第二条中的“丙”修改为“丁”。\n\
                    本决定自2025年1月1日起施行。\n";
        let act = parse_act(text);
        let lines: Vec<(Option<u32>, u32)> =
            act.instructions().map(|i| (i.number, i.line)).collect();
        assert_eq!(
            lines,
            vec![(Some(1), 10), (Some(2), 17), (None, 19), (None, 20)]
        );
        for i in act.instructions() {
            let first = i.text.lines().next().unwrap_or_default();
            let at = text.lines().nth(i.line as usize - 1).unwrap_or_default();
            assert!(at.trim().ends_with(first), "{at} / {first}");
        }
        // The body alone: its first line is line 1.
        let act = parse_act("删去第八条。\n\n将第九条修改为：“甲。”");
        let lines: Vec<u32> = act.instructions().map(|i| i.line).collect();
        assert_eq!(lines, vec![1, 3]);
    }

    #[test]
    fn a_sentence_added_among_other_clauses() {
        let op = read_instruction(
            "宪法序言第七自然段中“甲”修改为“乙”；“丙”后增写一句，内容为：“丁”；在“戊”前增写“己”。这一自然段相应修改为：“乙丙丁己戊”",
        );
        let Op::Phrase {
            targets,
            edits,
            restated,
        } = op
        else {
            panic!("{op:?}");
        };
        assert_eq!(targets.len(), 1);
        assert_eq!(
            edits,
            vec![
                PhraseEdit::Replace {
                    from: "甲".into(),
                    to: "乙".into()
                },
                PhraseEdit::InsertAfter {
                    anchor: "丙".into(),
                    text: "丁".into()
                },
                PhraseEdit::InsertBefore {
                    anchor: "戊".into(),
                    text: "己".into()
                },
            ]
        );
        assert_eq!(restated.as_deref(), Some("乙丙丁己戊"));
    }

    #[test]
    fn sentences_named_after_a_place() {
        for (head, place) in [
            ("序言第七自然段后两句", "序言第七自然段"),
            ("序言第十自然段第二句", "序言第十自然段"),
            ("第三条第二款最后一句", "第三条第二款"),
            ("第三条末句", "第三条"),
            ("第三条第二款", "第三条第二款"),
            // Not a sentence named: left whole, and not read as a place.
            ("第三条句", "第三条句"),
            ("第三条末二句", "第三条末二句"),
        ] {
            assert_eq!(without_sentences(head), place, "{head}");
        }
    }

    #[test]
    fn pieces_are_cut_outside_quotations() {
        let cut = |t: &str| -> Vec<String> {
            pieces(t)
                .into_iter()
                .map(|(p, and)| format!("{}{p}", if and { "+" } else { "" }))
                .collect()
        };
        // 。 and ； inside a quotation, of one paragraph or several, cut nothing.
        assert_eq!(
            cut("将第三条修改为：“甲。乙；丙”。"),
            vec!["将第三条修改为：“甲。乙；丙”。"]
        );
        assert_eq!(
            cut("将第三条修改为：\n“甲。\n“乙；”"),
            vec!["将第三条修改为：\n“甲。\n“乙；”"]
        );
        assert_eq!(
            cut(
                "删去第一款中的“甲”和第二款中的“乙”，并将第三款中的“丙，并丁”修改为“戊”。同时增加一款：“己。”"
            ),
            vec![
                "删去第一款中的“甲”",
                "+和第二款中的“乙”，",
                "并将第三款中的“丙，并丁”修改为“戊”。",
                "同时增加一款：“己。”"
            ]
        );
        // 和 between two articles, or not after a quotation, cuts nothing.
        assert_eq!(
            cut("删去第十二条和第十三条。"),
            vec!["删去第十二条和第十三条。"]
        );
    }

    #[test]
    fn a_paragraph_that_reads_whole_is_not_cut() {
        // Read whole: one phrase instruction with two edits, not two instructions.
        let got = read_paragraph("将第三条中的“甲”修改为“乙”，并将“丙”修改为“丁”。");
        assert_eq!(got.len(), 1);
        assert!(matches!(&got[0].1, Op::Phrase { edits, .. } if edits.len() == 2));
        // A piece that borrows the article of the piece before reads in it; without one to
        // borrow, the paragraph stays whole and unread.
        let got = read_paragraph("将第九条中的“甲”修改为“乙”；将第二款中的“丙”修改为“丁”。");
        assert_eq!(got.len(), 2);
        assert_eq!(article_of(&got[1].1), Some(ArticleNo { main: 9, sub: 0 }));
        let text = "将本法中的“甲”修改为“乙”；将第二款中的“丙”修改为“丁”。";
        let got = read_paragraph(text);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].0, text);
        assert!(matches!(got[0].1, Op::Unrecognised { .. }));
    }

    #[test]
    fn titles_of_the_amended_statute() {
        assert_eq!(
            single_title("最高人民法院关于修改《关于上海金融法院案件管辖的规定》的决定").as_deref(),
            Some("关于上海金融法院案件管辖的规定")
        );
        assert_eq!(
            part_heading("修改《最高人民法院关于适用〈中华人民共和国工会法〉若干问题的解释》")
                .as_deref(),
            Some("最高人民法院关于适用〈中华人民共和国工会法〉若干问题的解释")
        );
        assert_eq!(
            part_heading("对《中华人民共和国甲法》作出修改").as_deref(),
            Some("中华人民共和国甲法")
        );
        assert_eq!(part_heading("将《解释》第三条修改为："), None);
        assert_eq!(single_title("关于修改《甲法》等两部法律的决定"), None);
    }
}
