//! Formal normalization: what two sources may write differently without amending anything
//! (whitespace, full/half-width forms, quote and bracket styles), and the statute's own
//! cross-references (本法第十二条), which an amendment rewrites to follow its renumbering.

use crate::model::UnitNum;
use crate::numerals;

/// Whitespace, zero-width and format characters, soft hyphens and private-use code points
/// (glyph artefacts of some sources): characters that carry no text.
#[inline]
pub fn ignorable(c: char) -> bool {
    c.is_whitespace()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}' | '\u{00AD}')
        || ('\u{E000}'..='\u{F8FF}').contains(&c)
}

/// Maps one character to its formal equivalence class, or drops it (`None`) for whitespace.
#[inline]
pub fn fold(c: char) -> Option<char> {
    // Fast path: Chinese characters, the bulk of every text, are their own class.
    if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
        return Some(c);
    }
    if ignorable(c) {
        return None;
    }
    // Full-width ASCII variants → ASCII, then one representative per class.
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    Some(match c {
        '。' | '｡' => '.',
        // Book-title marks and brackets in all their styles.
        '《' | '〈' | '<' | '«' | '‹' | '⟨' | '〔' | '[' | '【' => '<',
        '》' | '〉' | '>' | '»' | '›' | '⟩' | '〕' | ']' | '】' => '>',
        '“' | '”' | '„' | '「' | '」' | '"' => '"',
        '‘' | '’' | '『' | '』' | '\'' => '\'',
        '—' | '–' | '‐' | '‑' | '―' => '-',
        '·' | '•' | '・' => '·',
        '〜' => '~',
        _ => c,
    })
}

/// Enumerated-number glyphs that stand for several plain characters: ⒈ (U+2488..U+249B) is
/// "1." and ⑴ (U+2474..U+2487) is "(1)"; sources write either. `None` for other characters.
#[inline]
fn expansion(c: char) -> Option<([char; 4], usize)> {
    let (n, dotted) = match c {
        '\u{2488}'..='\u{249B}' => (c as u32 - 0x2487, true),
        '\u{2474}'..='\u{2487}' => (c as u32 - 0x2473, false),
        _ => return None,
    };
    let digits = |n: u32| -> ([char; 2], usize) {
        let d = |x: u32| char::from_digit(x, 10).unwrap_or('0');
        if n >= 10 {
            ([d(n / 10), d(n % 10)], 2)
        } else {
            ([d(n), ' '], 1)
        }
    };
    let (ds, k) = digits(n);
    let mut out = ['\0'; 4];
    let mut len = 0;
    if !dotted {
        out[len] = '(';
        len += 1;
    }
    for &x in &ds[..k] {
        out[len] = x;
        len += 1;
    }
    out[len] = if dotted { '.' } else { ')' };
    Some((out, len + 1))
}

/// The formal characters of a text, in order: [`fold`] applied to each character, with
/// enumerated-number glyphs (⒈, ⑴) spelled out as the characters they stand for.
pub fn folded(s: &str) -> impl Iterator<Item = char> + Clone + '_ {
    s.chars().flat_map(|c| {
        let (chars, len) = match expansion(c) {
            Some(e) => e,
            None => match fold(c) {
                Some(f) => ([f, '\0', '\0', '\0'], 1),
                None => (['\0'; 4], 0),
            },
        };
        chars.into_iter().take(len)
    })
}

/// The formal form of a text: whitespace removed, variants folded.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// Appends the formal form of `s` to `out`, copying runs of characters that are their own
/// class (nearly all of them) in one piece.
pub fn normalize_into(s: &str, out: &mut String) {
    normalize_with(s, out, |_| {});
}

/// [`normalize_into`], also handing each character of the formal form, in order, to `each`
/// (as its code point): one pass for callers that read the characters too.
#[inline]
pub fn normalize_with(s: &str, out: &mut String, mut each: impl FnMut(u32)) {
    let b = s.as_bytes();
    let (mut run, mut i) = (0, 0);
    while i < b.len() {
        let x = b[i];
        // Lead bytes E5..E9 start U+5000..U+9FFF, Chinese characters, their own class; so
        // are ASCII letters and digits. Neither needs decoding to be copied.
        if (0xE5..=0xE9).contains(&x) {
            // `s` is UTF-8: a three-byte sequence follows.
            each(
                ((x as u32 & 0x0F) << 12)
                    | ((b[i + 1] as u32 & 0x3F) << 6)
                    | (b[i + 2] as u32 & 0x3F),
            );
            i += 3;
            continue;
        }
        if x.is_ascii_alphanumeric() {
            each(x as u32);
            i += 1;
            continue;
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        let len = c.len_utf8();
        if let Some((chars, k)) = expansion(c) {
            out.push_str(&s[run..i]);
            out.extend(&chars[..k]);
            for &e in &chars[..k] {
                each(e as u32);
            }
            run = i + len;
            i += len;
            continue;
        }
        match fold(c) {
            Some(f) if f == c => each(c as u32),
            folded => {
                out.push_str(&s[run..i]);
                if let Some(f) = folded {
                    out.push(f);
                    each(f as u32);
                }
                run = i + len;
            }
        }
        i += len;
    }
    out.push_str(&s[run..]);
}

/// True when `a` and `b` differ only formally.
pub fn formally_equal(a: &str, b: &str) -> bool {
    folded(a).eq(folded(b))
}

/// The wording of a text: its formal characters less punctuation, less the numbering each
/// line opens with (（一）, (1), 1., 1、, 一、, ①, ⑴, ⒈, after any opening quote) and less
/// footnote glyphs (①..⑳) in running text. Two texts with the same wording differ only in
/// punctuation, numbering, markup and where their lines break: never an amendment.
pub fn wording(s: &str) -> impl Iterator<Item = char> + Clone + '_ {
    Wording {
        chars: s
            .split('\n')
            .flat_map(|line| folded(strip_numbering(line)))
            .peekable(),
        after_digit: false,
    }
}

/// [`wording`]'s filter: a decimal point or a colon between digits (1.5, 8:30) is part of the
/// number, not punctuation.
#[derive(Clone)]
struct Wording<I: Iterator<Item = char>> {
    chars: std::iter::Peekable<I>,
    after_digit: bool,
}

impl<I: Iterator<Item = char>> Iterator for Wording<I> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        loop {
            let c = self.chars.next()?;
            let keep = if matches!(c, '.' | ':') {
                self.after_digit && self.chars.peek().is_some_and(char::is_ascii_digit)
            } else {
                is_wording(c)
            };
            if keep {
                self.after_digit = c.is_ascii_digit();
                return Some(c);
            }
            self.after_digit = false;
        }
    }
}

/// True when `a` and `b` have the same [`wording`].
pub fn same_wording(a: &str, b: &str) -> bool {
    !surely_reworded(a, b) && wording(a).eq(wording(b))
}

/// A quick test that `a` and `b` (texts or formal forms of a line or unit) differ in wording
/// even after the old one's cross-references are renumbered: where they first differ (from
/// the start, or from the end) both have an ideograph that is not a numeral or part of a
/// reference. Punctuation, numbering and spaces before that point are the same on both
/// sides, so the wordings differ there.
pub fn surely_reworded(a: &str, b: &str) -> bool {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    let n = x.len().min(y.len());
    // The first differing byte, backed up to the start of its character (equal bytes before
    // it, so the same boundary on both sides).
    let mut p = x.iter().zip(y).take_while(|(u, v)| u == v).count();
    if p == n && x.len() == y.len() {
        return false;
    }
    while p > 0 && !a.is_char_boundary(p) {
        p -= 1;
    }
    if plain(a[p..].chars().next()) && plain(b[p..].chars().next()) {
        return true;
    }
    // The last differing byte, moved on to the end of its character.
    let s = x
        .iter()
        .rev()
        .zip(y.iter().rev())
        .take_while(|(u, v)| u == v)
        .count();
    let (mut ea, mut eb) = (x.len() - s, y.len() - s);
    while ea < x.len() && !a.is_char_boundary(ea) {
        ea += 1;
        eb += 1;
    }
    plain(a[..ea].chars().next_back()) && plain(b[..eb].chars().next_back())
}

/// An ideograph that is wording and no part of a numbered reference (第十条之一第二款).
fn plain(c: Option<char>) -> bool {
    c.is_some_and(|c| {
        ('\u{4E00}'..='\u{9FFF}').contains(&c)
            && !numerals::is_numeral_char(c)
            && !matches!(c, '第' | '条' | '之' | '款' | '项' | '目')
    })
}

/// A formal character that is part of the wording: not punctuation (after [`fold`]), not a
/// footnote glyph. Symbols that carry meaning (% ‰ ℃ × + = /) are wording.
#[inline]
fn is_wording(c: char) -> bool {
    if ('\u{4E00}'..='\u{9FFF}').contains(&c) || c.is_ascii_alphanumeric() {
        return true;
    }
    !(matches!(
        c,
        '!' | '"'
            | '\''
            | '('
            | ')'
            | ','
            | '-'
            | '.'
            | ':'
            | ';'
            | '?'
            | '<'
            | '>'
            | '['
            | ']'
            | '{'
            | '}'
            | '_'
            | '`'
            | '~'
            | '·'
            | '、'
            | '…'
            | '‥'
            | '〃'
            | '〝'
            | '〞'
            | '〖'
            | '〗'
            | '〘'
            | '〙'
            | '〚'
            | '〛'
            | '﹁'
            | '﹂'
            | '﹃'
            | '﹄'
    ) || ('①'..='⑳').contains(&c))
}

/// The numbering `line` opens with (see [`wording`]), after any quotes and spaces; empty when
/// it opens with none.
pub fn numbering(line: &str) -> &str {
    let t = skip_quotes(line);
    let rest = strip_numbering(t);
    &t[..t.len() - rest.len()]
}

/// `line` after the spaces and quotes it opens with.
fn skip_quotes(line: &str) -> &str {
    line.trim_start_matches(|c: char| ignorable(c) || matches!(fold(c), Some('"' | '\'')))
}

/// `line` without the numbering it opens with: an item, sub-item or point marker, after any
/// quotes and spaces before it.
fn strip_numbering(line: &str) -> &str {
    let t = skip_quotes(line);
    let Some(first) = t.chars().next() else {
        return t;
    };
    // One glyph: ① ⑴ ⒈.
    if ('①'..='⑳').contains(&first) || ('\u{2474}'..='\u{249B}').contains(&first) {
        return &t[first.len_utf8()..];
    }
    let numeral_len = |s: &str| -> usize { numerals::numeral_len(s) };
    // (一) （1）
    if matches!(first, '(' | '（') {
        let inner = &t[first.len_utf8()..];
        let n = numeral_len(inner);
        if n > 0
            && let Some(close) = inner[n..].chars().next()
            && matches!(close, ')' | '）')
        {
            return &inner[n + close.len_utf8()..];
        }
        return t;
    }
    // 一、 1、 1. 1．(but not 1.5)
    let n = numeral_len(t);
    if n > 0
        && let Some(sep) = t[n..].chars().next()
    {
        let after = &t[n + sep.len_utf8()..];
        let arabic = t[..n]
            .chars()
            .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
        let next_digit = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
        if sep == '、' || (arabic && matches!(sep, '.' | '．') && !next_digit) {
            return after;
        }
    }
    t
}

/// Old unit number → new unit number.
pub type Renumbering = rustc_hash::FxHashMap<UnitNum, UnitNum>;

/// Prefixes that make a following 第…条 a reference to this statute itself.
pub const SELF: [&str; 12] = [
    "本法",
    "本条例",
    "本规定",
    "本办法",
    "本解释",
    "本细则",
    "本决定",
    "本规则",
    "本准则",
    "本章程",
    "本通则",
    "本规范",
];

/// Words that chain a reference to the one before it (第十条、第十一条 / 第十条至第十二条).
const CHAIN: [&str; 8] = ["、", "和", "或者", "及", "以及", "至", "或", "与"];

/// A reference found in a text: byte range of `第…条(之…)` and its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    pub start: usize,
    pub end: usize,
    pub num: UnitNum,
}

/// References to this statute's own articles in `text`: after 本法/本条例…, bare 第…条 not
/// preceded by another law's name, and references chained to those.
pub fn self_references(text: &str) -> Vec<Reference> {
    let mut out = Vec::new();
    let mut last_end: Option<(usize, bool)> = None; // end of the previous reference, internal?
    let mut search = 0;
    while let Some(rel) = text[search..].find('第') {
        let start = search + rel;
        let Some((len, Some((main, sub)))) = crate::numerals::article_label(&text[start..]) else {
            search = start + '第'.len_utf8();
            continue;
        };
        let end = start + len;
        let before = &text[..start];
        let internal = if SELF.iter().any(|p| before.ends_with(p)) {
            true
        } else if let Some((prev_end, prev_internal)) = last_end {
            let gap = &text[prev_end..start];
            // Skip a 第…款/项 suffix of the previous reference: 第十条第二款、第十一条.
            let gap = strip_subdivision(gap);
            if CHAIN.contains(&gap) {
                prev_internal
            } else {
                bare_internal(before)
            }
        } else {
            bare_internal(before)
        };
        if internal {
            let num = crate::model::UnitNum::Article { main, sub };
            out.push(Reference { start, end, num });
        }
        last_end = Some((end, internal));
        search = end;
    }
    out
}

/// Drops leading 第…款 / 第…项 / 第…目 groups from the text between two references.
fn strip_subdivision(mut gap: &str) -> &str {
    loop {
        let Some(rest) = gap.strip_prefix('第') else {
            return gap;
        };
        let digits: usize = numerals::numeral_len(rest);
        let after = &rest[digits..];
        match ["款", "项", "目"]
            .iter()
            .find_map(|u| after.strip_prefix(u))
        {
            Some(r) if digits > 0 => gap = r,
            _ => return gap,
        }
    }
}

/// A bare 第…条 refers to this statute unless another instrument is named right before it
/// (《刑法》第十条, 刑法第十条, 民法典第十条).
fn bare_internal(before: &str) -> bool {
    match before.chars().next_back() {
        None => true,
        Some(c) => {
            !(c == '》'
                || c == '>'
                || c == '〉'
                || matches!(
                    c,
                    '法' | '例' | '典' | '定' | '则' | '释' | '令' | '程' | '约'
                ))
        }
    }
}

/// `text` with its own references rewritten through `map` (old number → new number);
/// references to unmapped numbers are kept. Borrows `text` when it cites nothing.
pub fn rewrite_references<'a>(text: &'a str, map: &Renumbering) -> std::borrow::Cow<'a, str> {
    rewrite_references_but(text, map, |_| false)
}

/// [`rewrite_references`], leaving as written the references `keep` picks.
pub fn rewrite_references_but<'a>(
    text: &'a str,
    map: &Renumbering,
    keep: impl Fn(&Reference) -> bool,
) -> std::borrow::Cow<'a, str> {
    if !text.contains('第') {
        return std::borrow::Cow::Borrowed(text);
    }
    let refs = self_references(text);
    if refs.is_empty() {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut at = 0;
    for r in refs {
        out.push_str(&text[at..r.start]);
        match map.get(&r.num) {
            Some(n) if !keep(&r) => out.push_str(&n.label()),
            _ => out.push_str(&text[r.start..r.end]),
        }
        at = r.end;
    }
    out.push_str(&text[at..]);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_with_hands_over_exactly_the_formal_characters() {
        for s in [
            "第一条　为了规范《立法》活动，根据宪法（ＡＢＣ１２３）制定本法。",
            "⒈甲；⑴乙 〈丙〉<丁>「戊」\u{200b}\t\r\n",
            "a\u{e000}b\u{feff}c——d·e",
            "",
            "𠀀𠀁 mixed 中文 and ASCII",
        ] {
            let mut out = String::new();
            let mut seen = Vec::new();
            normalize_with(s, &mut out, |c| seen.push(c));
            assert_eq!(out, normalize(s), "{s:?}");
            let want: Vec<u32> = out.chars().map(|c| c as u32).collect();
            assert_eq!(seen, want, "{s:?}");
        }
    }

    fn art(main: u32) -> UnitNum {
        UnitNum::Article { main, sub: 0 }
    }

    proptest::proptest! {
        #[test]
        fn normalize_is_fold_char_by_char(t in "\\PC{0,40}") {
            let by_fold: String = folded(&t).collect();
            proptest::prop_assert_eq!(normalize(&t), by_fold);
        }
    }

    proptest::proptest! {
        /// The quick test never claims a change of wording the full comparison would not find.
        #[test]
        fn surely_reworded_is_never_wrong(a in "[甲乙丙第十条一，。\n（）1.]{0,12}", b in "[甲乙丙第十条一，。\n（）1.]{0,12}") {
            proptest::prop_assert!(!surely_reworded(&a, &b) || !same_wording(&a, &b));
        }
    }

    #[test]
    fn normalize_agrees_with_fold() {
        let t = "依照 《中华人民共和国立法法》（２０１５）第十条,\u{3000}“甲”\u{200B}〈乙〉abc <丙> ⒈ 𠀀Ω";
        let by_fold: String = folded(t).collect();
        assert_eq!(normalize(t), by_fold);
    }

    #[test]
    fn folds_widths_quotes_and_space() {
        assert!(formally_equal(
            "依照《中华人民共和国立法法》（2015）第十条，",
            "依照 〈中华人民共和国立法法〉(2015)第十条,"
        ));
        assert!(formally_equal("“甲”", "\"甲\""));
        assert!(formally_equal(
            "⒉暴力干涉婚姻自由案",
            "2.暴力干涉婚姻自由案"
        ));
        assert!(formally_equal("⒓甲⑵乙", "12.甲(2)乙"));
        assert!(!formally_equal("⒉甲", "3.甲"));
        assert!(!formally_equal("甲乙", "甲丙"));
    }

    #[test]
    fn wording_leaves_out_punctuation_numbering_and_breaks() {
        assert!(same_wording(
            "根据《中华人民共和国审计法》、《中华人民共和国审计法实施条例》",
            "根据《中华人民共和国审计法》《中华人民共和国审计法实施条例》"
        ));
        assert!(same_wording(
            "（一）未取得许可的；\n（二）伪造的。",
            "1.未取得许可的\n2.伪造的"
        ));
        assert!(same_wording("甲乙丙。\n丁戊己。", "甲乙丙，丁戊己。"));
        assert!(same_wording("“（一）未取得许可的；", "未取得许可的；"));
        assert!(same_wording(
            "一、将第十条修改为：“甲。”",
            "将第十条修改为：“甲。”"
        ));
        assert!(same_wording(
            "本法自公布之日起施行。①",
            "本法自公布之日起施行。"
        ));
        // Words, numbers and meaningful symbols are wording.
        assert!(!same_wording("处五万元罚款", "处十万元罚款"));
        assert!(!same_wording("百分之五", "百分之五十"));
        assert!(!same_wording("5%", "5‰"));
        assert!(!same_wording("1.5倍", "15倍"));
        assert!(!same_wording("甲和乙", "甲或者乙"));
        // A number inside a line is wording, only a leading marker is numbering.
        assert!(!same_wording("依照第十条第一款", "依照第十条第二款"));
        assert!(!same_wording("（一）甲", "（一）乙"));
    }

    #[test]
    fn a_word_changed_where_texts_first_differ_is_seen_at_once() {
        assert!(
            !surely_reworded("处五万元罚款", "处十万元罚款"),
            "numerals may be refs"
        );
        assert!(surely_reworded("由主管部门责令改正", "由监管部门责令改正"));
        assert!(surely_reworded("甲乙丙丁", "甲乙丙戊"));
        // Punctuation, line breaks and references first: not known at once.
        assert!(!surely_reworded("甲，乙", "甲乙"));
        assert!(!surely_reworded("甲\n乙", "甲乙"));
        assert!(!surely_reworded("依照第十条", "依照第十一条"));
        assert!(!surely_reworded("同", "同"));
        for (a, b) in [("甲乙丙", "甲乙"), ("乙丙", "甲乙丙"), ("甲。", "甲；")] {
            // Never claims a change that the full comparison would not find.
            assert!(!surely_reworded(a, b) || !same_wording(a, b), "{a} {b}");
        }
    }

    #[test]
    fn finds_own_references_only() {
        let t = "依照本法第十二条、第十三条第二款和第十五条的规定，适用《中华人民共和国刑法》第二百六十六条，依照刑法第六十三条；前款及第九条";
        let nums: Vec<UnitNum> = self_references(t).iter().map(|r| r.num).collect();
        assert_eq!(nums, [art(12), art(13), art(15), art(9)]);
    }

    #[test]
    fn rewrites_through_the_renumbering() {
        let map: Renumbering = [(art(12), art(13)), (art(13), art(14))]
            .into_iter()
            .collect();
        assert_eq!(
            rewrite_references("依照本法第十二条至第十三条，参照民法典第十二条", &map),
            "依照本法第十三条至第十四条，参照民法典第十二条"
        );
    }
}
