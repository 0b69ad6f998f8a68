//! Text helpers of the generator and its checks: which characters edits may touch, the
//! clauses texts are cut at, bigram and edit-distance similarity, and formal folding.

use std::collections::HashSet;

use statute::model::Para;
use statute::numerals::is_numeral_char;

use crate::refs::article_ref;

/// A circled number (①…⑳): footnote markers, which mutations must not create.
pub(crate) fn circled(c: char) -> bool {
    ('①'..='⑳').contains(&c)
}

/// A CJK ideograph that can be edited freely: not a numeral and not part of a 第…条 reference.
pub(crate) fn editable(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) && c != '第' && c != '条' && !is_numeral_char(c)
}

/// Text the parser cannot mistake for a heading: it has sentence punctuation.
pub(crate) fn sentence_like(t: &str) -> bool {
    t.contains(['。', '；', '，', '：'])
}

/// The texts of an article's 款 (with their 项), one per line.
pub(crate) fn paras_text(paras: &[Para]) -> String {
    let mut s = String::new();
    for (i, p) in paras.iter().enumerate() {
        if i > 0 {
            s.push('\n');
        }
        p.write_text(&mut s);
    }
    s
}

/// Clause punctuation: what `rewrite` and `template-insert` cut texts at.
fn clause_end(c: char) -> bool {
    matches!(
        c,
        '，' | '。' | '；' | '：' | '、' | '？' | '！' | ',' | ';' | ':' | '\n'
    )
}

/// The clauses of a text as character ranges: runs between clause punctuation of at least
/// two characters that start with an editable character (so that a clause put first in a line
/// cannot read as an article, item or annex start) and keep their brackets and quotes
/// balanced.
pub(crate) fn clauses(cs: &[char]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut s = 0;
    for e in 0..=cs.len() {
        if e < cs.len() && !clause_end(cs[e]) {
            continue;
        }
        let t = &cs[s..e];
        let count = |c: char| t.iter().filter(|&&x| x == c).count();
        let balanced = [
            ('（', '）'),
            ('(', ')'),
            ('《', '》'),
            ('“', '”'),
            ('〈', '〉'),
        ]
        .iter()
        .all(|&(o, c)| count(o) == count(c))
            && !t.iter().any(|&c| circled(c) || c == '"');
        if t.len() >= 2 && editable(t[0]) && t[0] != '附' && balanced {
            out.push((s, e));
        }
        s = e + 1;
    }
    out
}

/// Char bigrams of a text without whitespace.
pub fn bigrams(s: &str) -> HashSet<(char, char)> {
    let cs: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    cs.windows(2).map(|w| (w[0], w[1])).collect()
}

/// The Dice coefficient of two bigram sets (1 for two empty sets).
pub fn dice(a: &HashSet<(char, char)>, b: &HashSet<(char, char)>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    2.0 * a.intersection(b).count() as f64 / (a.len() + b.len()) as f64
}

/// Levenshtein distance of two texts (whitespace aside) over the longer one's length.
pub(crate) fn distance_share(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().filter(|c| !c.is_whitespace()).collect();
    let b: Vec<char> = b.chars().filter(|c| !c.is_whitespace()).collect();
    let longest = a.len().max(b.len());
    if longest == 0 {
        return 0.0;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, &x) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, &y) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(x != y))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()] as f64 / longest as f64
}

/// Removes all whitespace.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Formal folding for the generator's consistency checks: whitespace out, width and quote
/// variants unified (what `noise` may change).
pub fn fold(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '，' => ',',
            '；' => ';',
            '：' => ':',
            '（' => '(',
            '）' => ')',
            '〈' | '<' => '《',
            '〉' | '>' => '》',
            '“' | '”' => '"',
            c => c,
        })
        .collect()
}

/// `fold`, with the numbers of `第…条` references blanked out.
pub fn fold_refs(s: &str) -> String {
    let f = fold(s);
    let mut out = String::new();
    let mut i = 0;
    while i < f.len() {
        if let Some((len, _)) = article_ref(&f[i..]) {
            out.push_str("第#条");
            i += len;
            continue;
        }
        let Some(c) = f[i..].chars().next() else {
            break;
        };
        out.push(c);
        i += c.len_utf8();
    }
    out
}

/// The words of a text as a reader compares two copies, defined apart from the differ's own
/// rules: letters, digits and ideographs only, after the numbering each line opens with
/// (（一） (1) 一、 1. 1、 ① ⑴ ⒈) and any Markdown list or heading marker; footnote glyphs
/// left out. Two texts with the same words differ in markup, numbering and punctuation only.
pub fn words(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let c: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < c.len() && (c[i].is_whitespace() || "-*+#“\"「‘".contains(c[i])) {
            i += 1;
        }
        i = after_marker(&c, i);
        out.extend(
            c[i..]
                .iter()
                .filter(|&&x| x.is_alphanumeric() && !circled(x)),
        );
    }
    out
}

/// Where the text starts after an item or point marker at `i`: （一） (1) 一、 1. 1、 ① ⑴ ⒈.
fn after_marker(c: &[char], i: usize) -> usize {
    let numeral = |x: char| {
        x.is_ascii_digit() || "零〇一二三四五六七八九十百千０１２３４５６７８９".contains(x)
    };
    let run = |from: usize| (from..c.len()).take_while(|&k| numeral(c[k])).count();
    match c.get(i) {
        Some('（' | '(') => {
            let n = run(i + 1);
            if n > 0 && matches!(c.get(i + 1 + n), Some('）' | ')')) {
                i + n + 2
            } else {
                i
            }
        }
        Some(&g) if circled(g) || ('⑴'..='⒛').contains(&g) => i + 1,
        _ => {
            let n = run(i);
            let sep = matches!(c.get(i + n), Some('、' | '.' | '．'));
            let decimal = c.get(i + n + 1).is_some_and(char::is_ascii_digit);
            if n > 0 && sep && !decimal {
                i + n + 1
            } else {
                i
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    fn cut(s: &str) -> Vec<String> {
        let cs = chars(s);
        clauses(&cs)
            .into_iter()
            .map(|(a, b)| cs[a..b].iter().collect())
            .collect()
    }

    #[test]
    fn clauses_skip_markers_annexes_numbers_and_unbalanced_brackets() {
        assert_eq!(
            cut("有关部门应当依法管理，（一）不得，附件如下；第三条，单位（个人，依法登记。"),
            ["有关部门应当依法管理", "依法登记"]
        );
        // A one-character run is no clause; the last run counts without closing punctuation.
        assert_eq!(cut("甲，乙丙"), ["乙丙"]);
        assert_eq!(cut("甲①款，罚款"), ["罚款"]);
        assert!(cut("").is_empty());
    }

    #[test]
    fn editable_excludes_numerals_and_reference_characters() {
        assert!(editable('法'));
        for c in ['第', '条', '十', '三', '，', 'a', '1'] {
            assert!(!editable(c), "{c}");
        }
    }

    #[test]
    fn similarity_measures() {
        let a = bigrams("人民政府 应当");
        assert_eq!(a.len(), 5);
        assert_eq!(dice(&a, &a), 1.0);
        assert_eq!(dice(&a, &bigrams("罚款处理")), 0.0);
        assert_eq!(dice(&bigrams(""), &bigrams("甲")), 1.0);
        assert_eq!(distance_share("", " "), 0.0);
        assert!((distance_share("应当登记", "应当 批准") - 0.5).abs() < 1e-12);
        assert_eq!(distance_share("甲乙丙", "丁"), 1.0);
    }

    #[test]
    fn fold_unifies_widths_quotes_and_spaces() {
        assert_eq!(
            fold("（一）“甲”， 乙 ；〈丙〉<丁>：戊"),
            "(一)\"甲\",乙;《丙》《丁》:戊"
        );
        assert_eq!(fold("a,\u{3000}b"), fold("a，b"));
        assert_ne!(fold("甲。"), fold("甲."));
    }

    #[test]
    fn fold_refs_blanks_article_numbers_in_either_script() {
        assert_eq!(fold_refs("依照第十条、第11条之一，"), "依照第#条、第#条,");
        assert_eq!(fold_refs("第十二条 规定"), fold_refs("第3条规定"));
        // 款 and 项 numbers are kept.
        assert_ne!(fold_refs("第一款"), fold_refs("第二款"));
    }

    #[test]
    fn words_leave_out_markup_numbering_and_punctuation() {
        assert_eq!(words("（一）甲乙，丙；\n- “（二）丁。"), "甲乙丙丁");
        assert_eq!(words("一、将第十条修改为：“甲。”"), "将第十条修改为甲");
        assert_eq!(words("## 第一章 总则"), "第一章总则");
        assert_eq!(words("本法自公布之日起施行。①"), "本法自公布之日起施行");
        assert_eq!(words("1.5倍"), "15倍");
        assert_ne!(words("处五万元"), words("处十万元"));
    }
}
