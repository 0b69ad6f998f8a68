//! Citations of articles: which article of which statute a text cites (公司法第七十一条第三款,
//! 《中华人民共和国民法典》第八十五条, 本规定第十条, 第十条至第十二条), read from one parsed
//! version without the store. Naming the statute is left half done on purpose: a name written
//! without 《》 is kept as the words before the article ([`Name::Words`]), and the store finds
//! which of their endings is a title it holds (`store::cites`), so that what is extracted
//! depends only on the version's own text.

use crate::model::{Item, Node, Statute, UnitNum};
use crate::numerals;

/// Which statute a citation names, as far as the citing text alone tells.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Name {
    /// The citing document itself: 本法第十条, 本规定第十条, a bare 第十条.
    This,
    /// A title written in 《》 (outer brackets dropped, the rest as written), or the title a
    /// name the document defined stands for (《中华人民共和国民事诉讼法》（以下简称民事诉讼法）).
    Title(String),
    /// Unbracketed words that end in a statute's name, right before the article: 依据民法典,
    /// 公司股东依据公司法. Which of their endings is the name is for the reader of titles to say.
    Words(String),
}

/// One cited article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub name: Name,
    /// The article cited: `UnitNum::Article`.
    pub article: UnitNum,
    /// The 款 cited, when the citation names one (the first, of 第二款、第三款).
    pub paragraph: Option<u32>,
    /// The 项 cited, when the citation names one.
    pub item: Option<u32>,
    /// The citation as written: the name before it when one is written there (《中华人民共和国
    /// 公司法》, 公司法, 本规定, 该法; none for a bare or chained article), the article and its
    /// 款/项: 公司法第七十一条第三款. The members of a range (第十条至第十二条) each carry the
    /// whole range.
    pub text: String,
    /// The source line of the text that cites (as the parser numbered it).
    pub line: u32,
    /// The citing unit's label (第二条, 附件1一), `None` for text outside units.
    pub unit: Option<String>,
}

/// Words after which a statute's name ends (法, 条例, 民法典, 规定, 解释 …).
const NAME_ENDS: [char; 10] = ['法', '例', '典', '定', '则', '释', '令', '程', '约', '案'];

/// Words that refer back to the statute named last: 该法第十条.
const BACK: [&str; 10] = [
    "该法",
    "该条例",
    "该规定",
    "该办法",
    "该解释",
    "该细则",
    "该决定",
    "该法律",
    "上述法律",
    "上述条例",
];

/// Names that are no statute's even though they end like one (有关规定第十条 is no citation of
/// a statute called 有关规定).
const GENERIC: [&str; 12] = [
    "规定",
    "的规定",
    "有关规定",
    "相关规定",
    "法",
    "依法",
    "合法",
    "违法",
    "办法",
    "细则",
    "条例",
    "法律",
];

/// Words that chain a reference to the one before it: 第十条、第十一条, 第十条或者第十二条.
const CHAIN: [&str; 9] = ["、", "和", "或者", "及", "以及", "与", "或", "至", "到"];

/// The widest range expanded into its articles (第一条至第二百条 is still read, wider is not).
const MAX_RANGE: u32 = 300;

/// The longest run of words kept before an article as its [`Name::Words`].
const MAX_WORDS: usize = 40;

/// Every article citation of `s`, in document order: its units (paragraphs, items, sub-items),
/// the text outside them (a preamble, introductions) and its annexes. Not read: the title,
/// the 题注, headings, closing lines, footnotes and editorial notes.
pub fn extract(s: &Statute) -> Vec<Citation> {
    let articles = s.articles();
    let labels: Vec<String> = articles.iter().map(|a| a.label(s)).collect();
    let own_max = articles
        .iter()
        .filter_map(|a| match a.article.num {
            UnitNum::Article { main, .. } => Some(main),
            _ => None,
        })
        .max()
        .unwrap_or(0);
    let mut scan = Scanner {
        own_title: crate::normalize::normalize(&s.meta.title),
        own_max,
        subject: subject_of(&s.meta.title),
        act: is_act(&s.meta.title),
        defined: Vec::new(),
        last_named: None,
        labels,
        next_unit: 0,
        out: Vec::new(),
    };
    scan.nodes(&s.body.nodes);
    for annex in &s.body.annexes {
        scan.nodes(&annex.children);
    }
    scan.out
}

/// Whether a title is an amending act's: its bare article numbers are the amended statute's.
fn is_act(title: &str) -> bool {
    (title.contains("修改") && title.ends_with("决定")) || title.contains("修正案")
}

/// What a bare 第十条 of a document with this title refers to: the document itself, or for
/// an amending act of one statute (关于修改《X》的决定, X修正案（十一）) the statute it amends.
fn subject_of(title: &str) -> Name {
    if !is_act(title) {
        return Name::This;
    }
    if let Some(at) = title.find("修正案") {
        let amended = &title[..at];
        if amended.chars().count() >= 2 {
            return Name::Words(amended.to_string());
        }
    }
    let titles = bracketed(title);
    match titles.as_slice() {
        [(_, end, t)] if !title[*end..].starts_with('等') => Name::Title(t.clone()),
        _ => Name::This,
    }
}

/// The 《…》 of `text` at the outer level: (start, end, inner text) in bytes.
fn bracketed(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut open = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '《' | '〈' => {
                if depth == 0 {
                    open = i;
                }
                depth += 1;
            }
            '》' | '〉' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    let inner = &text[open + c.len_utf8()..i];
                    out.push((open, i + c.len_utf8(), inner.to_string()));
                }
            }
            _ => {}
        }
    }
    out
}

struct Scanner {
    /// The document's own title (formal characters): 《its title》第三条 is its own article.
    own_title: String,
    /// The highest article number the document has: a bare 第二百七十八条 in a document of ten
    /// articles is not its own.
    own_max: u32,
    /// What a bare article number refers to here.
    subject: Name,
    /// An amending act: a line 修改《X》 or 对《X》作出修改 makes X the subject.
    act: bool,
    /// Names the document defined: (short name, title).
    defined: Vec<(String, String)>,
    /// The statute named last, for 该法第十条.
    last_named: Option<Name>,
    labels: Vec<String>,
    next_unit: usize,
    out: Vec<Citation>,
}

impl Scanner {
    fn nodes(&mut self, nodes: &[Node]) {
        for n in nodes {
            match n {
                Node::Division(d) => {
                    self.learn_subject(&d.title);
                    self.nodes(&d.children);
                }
                Node::Article(a) => {
                    let unit = self.labels.get(self.next_unit).cloned();
                    self.next_unit += 1;
                    for p in &a.paras {
                        self.text(&p.text, p.loc.0, unit.as_deref());
                        self.items(&p.items, unit.as_deref());
                    }
                }
                Node::Para(p) => {
                    self.text(&p.text, p.loc.0, None);
                    self.items(&p.items, None);
                }
            }
        }
    }

    fn items(&mut self, items: &[Item], unit: Option<&str>) {
        for it in items {
            self.text(&it.text, it.loc.0, unit);
            self.items(&it.subitems, unit);
        }
    }

    /// In an omnibus amending act, a part heading names the statute its instructions amend.
    fn learn_subject(&mut self, text: &str) {
        if !self.act {
            return;
        }
        let rest = crate::normalize::numbering(text.trim());
        for lead in ["修改《", "对《"] {
            if let Some(after) = rest.strip_prefix(lead) {
                let from = rest.len() - after.len() - '《'.len_utf8();
                if let Some((_, _, t)) = bracketed(&rest[from..]).into_iter().next() {
                    self.subject = Name::Title(t);
                }
                return;
            }
        }
    }

    /// Records the names a text defines: 《中华人民共和国民事诉讼法》（以下简称民事诉讼法）.
    fn learn_definitions(&mut self, text: &str) {
        for lead in ["以下简称", "以下称", "简称"] {
            let mut from = 0;
            while let Some(rel) = text[from..].find(lead) {
                let at = from + rel;
                from = at + lead.len();
                if lead == "简称" && text[..at].ends_with("以下") {
                    continue;
                }
                let short: String = text[from..]
                    .trim_start_matches(['“', '"', '「', '《', '〈'])
                    .chars()
                    .take_while(|c| {
                        !matches!(
                            c,
                            '”' | '"' | '」' | '》' | '〉' | '）' | ')' | '，' | '、' | '；' | '。'
                        )
                    })
                    .collect();
                if short.chars().count() < 2 || short.chars().count() > 20 {
                    continue;
                }
                // The title it abbreviates: the last 《…》 before the parenthesis.
                let open = text[..at].rfind(['（', '(']).unwrap_or(at);
                if let Some((_, end, title)) = bracketed(&text[..open]).pop()
                    && text[end..open].trim().is_empty()
                {
                    self.defined.retain(|(s, _)| *s != short);
                    self.defined.push((short, title));
                }
            }
        }
    }

    /// The citations in one line of text.
    fn text(&mut self, text: &str, line: u32, unit: Option<&str>) {
        self.learn_subject(text);
        if text.contains("称") {
            self.learn_definitions(text);
        }
        if !text.contains('第') {
            return;
        }
        // The previous citation of this line: where it ended, its name and article.
        let mut prev: Option<(usize, Name, UnitNum, usize)> = None;
        // The last other statute this line named, and where.
        let mut other: Option<(Name, usize)> = None;
        let mut search = 0;
        while let Some(rel) = text[search..].find('第') {
            let start = search + rel;
            let Some((len, Some((main, sub)))) = numerals::article_label(&text[start..]) else {
                search = start + '第'.len_utf8();
                continue;
            };
            let (end, paragraph, item) = subdivisions(text, start + len);
            search = end;
            let article = UnitNum::Article { main, sub };
            let chained = prev.as_ref().and_then(|(pend, name, num, pstart)| {
                let gap = &text[*pend..start];
                CHAIN
                    .contains(&gap)
                    .then(|| (gap, name.clone(), *num, *pstart))
            });
            let named = match chained {
                Some((gap, name, from, from_start)) => {
                    if matches!(gap, "至" | "到") {
                        self.range(&name, from, article, &text[from_start..end], line, unit);
                    }
                    Some((name, 0))
                }
                None => self.name_before(&text[..start]),
            };
            let Some((mut name, prefix)) = named else {
                prev = None;
                continue;
            };
            // A bare number the document does not have continues the statute this sentence
            // named: 刑法第二百二十一条规定的…罪，第二百七十八条规定的…罪.
            if prefix == 0
                && name == self.subject
                && main > self.own_max
                && let Some((o, at)) = &other
                && !text[*at..start].contains(['。', '；'])
            {
                name = o.clone();
            }
            if name != Name::This && name != self.subject {
                other = Some((name.clone(), start));
            }
            let from = start - prefix;
            self.out.push(Citation {
                name: name.clone(),
                article,
                paragraph,
                item,
                text: text[from..end].to_string(),
                line,
                unit: unit.map(str::to_string),
            });
            prev = Some((end, name, article, from));
        }
    }

    /// The articles strictly between `from` and `to` of a range 第十条至第十五条 (the two ends
    /// are citations of their own).
    fn range(
        &mut self,
        name: &Name,
        from: UnitNum,
        to: UnitNum,
        whole: &str,
        line: u32,
        unit: Option<&str>,
    ) {
        let (UnitNum::Article { main: a, sub: 0 }, UnitNum::Article { main: b, sub: 0 }) =
            (from, to)
        else {
            return;
        };
        if b <= a || b - a > MAX_RANGE {
            return;
        }
        for main in a + 1..b {
            self.out.push(Citation {
                name: name.clone(),
                article: UnitNum::Article { main, sub: 0 },
                paragraph: None,
                item: None,
                text: whole.to_string(),
                line,
                unit: unit.map(str::to_string),
            });
        }
    }

    /// The statute named right before an article reference, with the byte length of the words
    /// that name it (0 when none do); `None` when the words before it refer back to a statute
    /// and none was named.
    fn name_before(&mut self, before: &str) -> Option<(Name, usize)> {
        if before.ends_with(['》', '〉']) {
            let (open, _, title) = bracketed(before).pop()?;
            if crate::normalize::normalize(&title) == self.own_title {
                return Some((Name::This, before.len() - open));
            }
            let name = match self.defined.iter().find(|(s, _)| *s == title) {
                Some((_, t)) => Name::Title(t.clone()),
                None => Name::Title(title),
            };
            self.last_named = Some(name.clone());
            return Some((name, before.len() - open));
        }
        if let Some(p) = crate::normalize::SELF
            .iter()
            .find(|p| before.ends_with(**p))
        {
            // An act's quoted new text says 本法 of the statute it amends; 本决定 is the act.
            if self.act && *p != "本决定" {
                return Some((self.subject.clone(), p.len()));
            }
            return Some((Name::This, p.len()));
        }
        if let Some(p) = BACK.iter().find(|p| before.ends_with(**p)) {
            return self.last_named.clone().map(|n| (n, p.len()));
        }
        let words = words_before(before);
        if let Some((short, title)) = self
            .defined
            .iter()
            .filter(|(s, _)| words.ends_with(s.as_str()))
            .max_by_key(|(s, _)| s.len())
        {
            let (name, len) = (Name::Title(title.clone()), short.len());
            self.last_named = Some(name.clone());
            return Some((name, len));
        }
        let named = words.ends_with(NAME_ENDS) && !GENERIC.iter().any(|g| trimmed(words) == *g);
        if named {
            let name = Name::Words(words.to_string());
            self.last_named = Some(name.clone());
            return Some((name, trimmed(words).len()));
        }
        Some((self.subject.clone(), 0))
    }
}

/// The run of Chinese characters that ends `before` (at most [`MAX_WORDS`]).
fn words_before(before: &str) -> &str {
    let mut start = before.len();
    for (n, (i, c)) in before.char_indices().rev().enumerate() {
        if n >= MAX_WORDS || !is_word_char(c) {
            break;
        }
        start = i;
    }
    &before[start..]
}

fn is_word_char(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '〇')
}

/// Words a name is preceded by, not part of it: 依据民法典 → 民法典, 应当认定为刑法 → 刑法.
const LEADS: [&str; 48] = [
    "依据", "依照", "根据", "按照", "违反", "适用", "符合", "参照", "援引", "引用", "执行", "属于",
    "构成", "对照", "比照", "遵守", "实施", "如无", "没有", "从事", "高于", "低于", "超过", "履行",
    "享有", "承担", "的", "和", "及", "与", "或者", "或", "由", "经", "在", "对", "以", "即", "是",
    "依", "按", "照", "为", "了", "将", "其", "有", "凡",
];

/// A lead that is part of a name where it stands: 有 of 国有资产法, 有限合伙; 为 of 行为.
fn lead_in_name(words: &str, at: usize, lead: &str) -> bool {
    let before = words[..at].chars().next_back();
    let after = words[at + lead.len()..].chars().next();
    match lead {
        "有" => {
            matches!(
                before,
                Some('国' | '所' | '享' | '拥' | '具' | '占' | '没' | '专')
            ) || matches!(after, Some('限' | '关'))
        }
        "为" => matches!(before, Some('行' | '作' | '认' | '成')),
        // …法实施条例, 实施细则, 实施办法.
        "实施" => ["条例", "细则", "办法", "规定"]
            .iter()
            .any(|w| words[at + lead.len()..].starts_with(w)),
        _ => false,
    }
}

/// The words of a [`Name::Words`] less what commonly leads a name (依据, 违反, 认定为 …): the
/// name a reader sees when no stored title ends them. 公司股东依据公司法 → 公司法.
pub fn trimmed(words: &str) -> &str {
    let mut from = 0;
    for lead in LEADS {
        for (at, _) in words.match_indices(lead) {
            let end = at + lead.len();
            // A lead must leave a name of two characters at least.
            if end > from && words[end..].chars().count() >= 2 && !lead_in_name(words, at, lead) {
                from = end;
            }
        }
    }
    &words[from..]
}

/// The 款/项/目 that follow an article label ending at `at`: 第二款、第三款, 第（三）项. Returns
/// where they end and the first 款 and 项.
fn subdivisions(text: &str, mut at: usize) -> (usize, Option<u32>, Option<u32>) {
    let mut paragraph = None;
    let mut item = None;
    let mut end = at;
    while let Some((len, n, kind)) = subdivision(&text[at..]) {
        match kind {
            '款' if paragraph.is_none() && item.is_none() => paragraph = Some(n),
            '项' if item.is_none() => item = Some(n),
            _ => {}
        }
        at += len;
        end = at;
        // A list of them continues: 第二款、第三款, 第二项至第四项.
        match CHAIN.iter().find(|w| text[at..].starts_with(**w)) {
            Some(w) if subdivision(&text[at + w.len()..]).is_some() => at += w.len(),
            _ => break,
        }
    }
    (end, paragraph, item)
}

/// One 第N款 / 第N项 / 第（N）项 / 第N目 at the start of `t`: its length, number and kind.
fn subdivision(t: &str) -> Option<(usize, u32, char)> {
    let rest = t.strip_prefix('第')?;
    let (open, inner) = match rest.strip_prefix(['（', '(']) {
        Some(inner) => (rest.len() - inner.len(), inner),
        None => (0, rest),
    };
    let digits = numerals::numeral_len(inner);
    if digits == 0 {
        return None;
    }
    let n = numerals::parse_numeral(&inner[..digits])?;
    let mut after = &inner[digits..];
    if open > 0 {
        after = after.strip_prefix(['）', ')'])?;
    }
    let kind = after.chars().next()?;
    if !matches!(kind, '款' | '项' | '目') || (open > 0 && kind != '项') {
        return None;
    }
    let len = t.len() - after.len() + kind.len_utf8();
    Some((len, n, kind))
}

/// The prefix national laws carry and citations often leave out: 《中华人民共和国公司法》, 公司法.
const NATION: &str = "中华人民共和国";

/// The key a title is looked up by: its formal characters (`normalize`: bracket and width
/// variants folded, whitespace dropped), less a leading 中华人民共和国.
pub fn title_key(title: &str) -> String {
    let folded = crate::normalize::normalize(title);
    match folded.strip_prefix(NATION) {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => folded,
    }
}

/// What a cited name was found to be among the known titles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// One statute: its id, and the name as the text wrote it (for [`Name::Words`], the
    /// ending of the words that is the title).
    One { id: String, name: String },
    /// The parts of one statute published in parts (民法典 as 中华人民共和国民法典·合同编 …):
    /// the article cited decides which.
    Parts { name: String, ids: Vec<String> },
    /// Several statutes go by this name: never guessed.
    Ambiguous { name: String, ids: Vec<String> },
    /// No known statute goes by this name (as a reader would take it from the text).
    Unknown { name: String },
}

/// Every known title (and former title) of every statute, by [`title_key`]: how a cited name
/// becomes a statute id.
#[derive(Debug, Clone, Default)]
pub struct Titles {
    by_key: std::collections::HashMap<String, Vec<String>>,
    /// Keys that are the common title of a statute's parts (the title before `·`).
    parts: std::collections::HashSet<String>,
    /// The most characters a key has, to bound the search of a [`Name::Words`].
    longest: usize,
}

impl Titles {
    /// Titles from (title, id) pairs: a statute renamed keeps its old names.
    pub fn new<'a>(titles: impl IntoIterator<Item = (&'a str, &'a str)>) -> Titles {
        let mut t = Titles::default();
        for (title, id) in titles {
            t.insert(title, id);
        }
        t
    }

    /// Adds one title of a statute.
    pub fn insert(&mut self, title: &str, id: &str) {
        self.add(title, id);
        // A part (中华人民共和国民法典·合同编) is also cited by the whole's title.
        if let Some((whole, _)) = title.split_once('·') {
            let key = title_key(whole);
            if self.add(whole, id) {
                self.parts.insert(key);
            }
        }
    }

    fn add(&mut self, title: &str, id: &str) -> bool {
        let key = title_key(title);
        if key.chars().count() < 2 {
            return false;
        }
        self.longest = self.longest.max(key.chars().count());
        let ids = self.by_key.entry(key).or_default();
        if !ids.iter().any(|x| x == id) {
            ids.push(id.to_string());
            ids.sort();
        }
        true
    }

    /// The ids a title names.
    pub fn ids(&self, title: &str) -> &[String] {
        self.by_key
            .get(&title_key(title))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Finds a cited name; `this` is the citing document's id, for [`Name::This`].
    pub fn find(&self, name: &Name, this: &str) -> Found {
        let found = |name: &str, ids: &[String]| match ids {
            [id] => Found::One {
                id: id.clone(),
                name: name.to_string(),
            },
            [] => Found::Unknown {
                name: name.to_string(),
            },
            ids if self.parts.contains(&title_key(name)) => Found::Parts {
                name: name.to_string(),
                ids: ids.to_vec(),
            },
            ids => Found::Ambiguous {
                name: name.to_string(),
                ids: ids.to_vec(),
            },
        };
        match name {
            Name::This => Found::One {
                id: this.to_string(),
                name: String::new(),
            },
            Name::Title(t) => found(t, self.ids(t)),
            Name::Words(w) => {
                // The longest ending of the words that is a known title: 依据民法典 → 民法典,
                // 依照中华人民共和国公司法 → 中华人民共和国公司法.
                let starts: Vec<usize> = w.char_indices().map(|(i, _)| i).collect();
                let n = starts.len();
                for (k, &at) in starts.iter().enumerate() {
                    let len = n - k;
                    if len < 2 {
                        break;
                    }
                    if len > self.longest + NATION.chars().count() {
                        continue;
                    }
                    let ids = self.ids(&w[at..]);
                    if !ids.is_empty() {
                        return found(&w[at..], ids);
                    }
                }
                Found::Unknown {
                    name: trimmed(w).to_string(),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cites(body: &str) -> Vec<(Name, String, Option<u32>, Option<u32>)> {
        cites_titled("测试条例", body)
    }

    fn cites_titled(title: &str, body: &str) -> Vec<(Name, String, Option<u32>, Option<u32>)> {
        let src = format!("# {title}\n\n<!-- INFO END -->\n\n{body}\n");
        let s = crate::parse_str(std::path::Path::new("t.md"), &src)
            .expect("parses")
            .statute;
        extract(&s)
            .into_iter()
            .map(|c| (c.name, c.article.label(), c.paragraph, c.item))
            .collect()
    }

    fn words(s: &str) -> Name {
        Name::Words(s.to_string())
    }

    fn title(s: &str) -> Name {
        Name::Title(s.to_string())
    }

    #[test]
    fn names_short_bracketed_own_and_chained() {
        let got = cites(
            "第一条 依据民法典第八十五条、公司法第二十二条第二款请求撤销决议。\n\n\
             第二条 适用《中华人民共和国公司法》第七十一条第二款、第三款或者第七十二条规定的“同等条件”。\n\n\
             第三条 根据本规定第一条，依照第二条第（三）项处理。",
        );
        assert_eq!(
            got,
            vec![
                (words("依据民法典"), "第八十五条".into(), None, None),
                (words("公司法"), "第二十二条".into(), Some(2), None),
                (
                    title("中华人民共和国公司法"),
                    "第七十一条".into(),
                    Some(2),
                    None
                ),
                (
                    title("中华人民共和国公司法"),
                    "第七十二条".into(),
                    None,
                    None
                ),
                (Name::This, "第一条".into(), None, None),
                (Name::This, "第二条".into(), None, Some(3)),
            ]
        );
    }

    #[test]
    fn a_citation_keeps_the_words_that_name_it() {
        let src = "# 测试条例\n\n<!-- INFO END -->\n\n第一条 股东依据公司法第七十一条第三款、第七十二条和《中华人民共和国民法典》第八十五条，本条例第二条。\n";
        let s = crate::parse_str(std::path::Path::new("t.md"), src)
            .expect("parses")
            .statute;
        let texts: Vec<String> = extract(&s).into_iter().map(|c| c.text).collect();
        assert_eq!(
            texts,
            [
                "公司法第七十一条第三款",
                "第七十二条",
                "《中华人民共和国民法典》第八十五条",
                "本条例第二条"
            ]
        );
    }

    #[test]
    fn ranges_expand_and_keep_their_ends() {
        let got = cites("第一条 违反刑法第十条至第十三条的，依照本条例第五条处罚。");
        let labels: Vec<_> = got.iter().map(|c| c.1.as_str()).collect();
        assert_eq!(
            labels,
            ["第十条", "第十一条", "第十二条", "第十三条", "第五条"]
        );
        assert!(got[..4].iter().all(|c| c.0 == words("违反刑法")));
        assert_eq!(got[4].0, Name::This);
    }

    #[test]
    fn defined_names_and_back_references_resolve_to_their_titles() {
        let got = cites(
            "第一条 为正确适用《中华人民共和国民事诉讼法》（以下简称民事诉讼法），制定本规定。\n\n\
             第二条 当事人依照民事诉讼法第一百一十九条起诉，该法第一百二十条另有规定的除外。",
        );
        let t = title("中华人民共和国民事诉讼法");
        assert_eq!(
            got,
            vec![
                (t.clone(), "第一百一十九条".into(), None, None),
                (t, "第一百二十条".into(), None, None),
            ]
        );
    }

    #[test]
    fn a_bare_number_beyond_the_document_continues_the_statute_named_before_it() {
        let got = cites(
            "第一条 构成刑法第二百二十一条规定的甲罪，第二百七十八条规定的乙罪的，依照第二条处罚。\n\n\
             第二条 《测试条例》第一条另有规定的除外。",
        );
        assert_eq!(
            got,
            vec![
                (words("构成刑法"), "第二百二十一条".into(), None, None),
                (words("构成刑法"), "第二百七十八条".into(), None, None),
                (Name::This, "第二条".into(), None, None),
                (Name::This, "第一条".into(), None, None),
            ]
        );
    }

    #[test]
    fn generic_words_and_paragraph_references_are_not_statutes() {
        let got = cites("第一条 依照有关规定第三条办理；前款、本条第二款所列情形除外。");
        assert_eq!(got, vec![(Name::This, "第三条".into(), None, None)]);
    }

    #[test]
    fn an_amending_act_cites_the_statute_it_amends() {
        let got = cites_titled(
            "全国人民代表大会常务委员会关于修改《中华人民共和国某某法》的决定",
            "一、将第十条修改为：“依照本法第九条处理。”",
        );
        assert_eq!(got.len(), 2);
        assert!(
            got.iter().all(|c| c.0 == title("中华人民共和国某某法")),
            "{got:?}"
        );
        let got = cites_titled(
            "中华人民共和国刑法修正案（十一）",
            "一、将刑法第十七条修改为：",
        );
        assert_eq!(got[0].0, words("将刑法"));
    }

    #[test]
    fn trimmed_drops_the_words_that_lead_a_name() {
        assert_eq!(trimmed("公司股东依据公司法"), "公司法");
        assert_eq!(trimmed("违反刑法"), "刑法");
        assert_eq!(trimmed("民事诉讼法"), "民事诉讼法");
        assert_eq!(trimmed("依照"), "依照");
        assert_eq!(trimmed("人民法院应当认定其履行了保险法"), "保险法");
        assert_eq!(trimmed("违反企业国有资产法"), "企业国有资产法");
        assert_eq!(trimmed("继承人有民法典"), "民法典");
        assert_eq!(
            trimmed("食品生产经营者有食品安全法实施条例"),
            "食品安全法实施条例"
        );
    }

    const TOKENS: [&str; 30] = [
        "第",
        "十",
        "一",
        "百",
        "二",
        "条",
        "款",
        "项",
        "（",
        "）",
        "《",
        "》",
        "〈",
        "〉",
        "之",
        "至",
        "、",
        "和",
        "本法",
        "刑法",
        "（以下简称",
        "“",
        "”",
        "该法",
        "，",
        "。",
        "修改",
        "x",
        " ",
        "第三条",
    ];

    proptest::proptest! {
        /// Any text made of citation-shaped pieces: no panic, and every citation's text is
        /// a piece of the line it was read from.
        #[test]
        fn any_text_extracts_without_panic(picks in proptest::collection::vec(0..TOKENS.len(), 0..60), act in proptest::bool::ANY) {
            let line: String = picks.iter().map(|&k| TOKENS[k]).collect();
            let title = if act { "关于修改《某法》的决定" } else { "某条例" };
            let src = format!("# {title}\n\n<!-- INFO END -->\n\n第一条 {line}\n\n第二条 甲。\n");
            let Ok(parsed) = crate::parse_str(std::path::Path::new("p.md"), &src) else {
                return Ok(());
            };
            for c in extract(&parsed.statute) {
                proptest::prop_assert!(!c.text.is_empty());
                proptest::prop_assert!(src.contains(&c.text), "{:?} not in {src:?}", c.text);
            }
        }
    }

    #[test]
    fn subdivisions_read_lists_and_bracketed_items() {
        let t = "第二款、第三款或者第七十二条";
        assert_eq!(subdivisions(t, 0), (t.find('或').unwrap(), Some(2), None));
        let t = "第（三）项规定";
        assert_eq!(subdivisions(t, 0), (t.find('规').unwrap(), None, Some(3)));
        assert_eq!(subdivisions("第二章", 0), (0, None, None));
    }
}
