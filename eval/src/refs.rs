//! Cross-references: reading `第N条` references, pointing one at another article, and
//! rewriting a statute's references to its own articles after they were renumbered.

use std::collections::HashMap;

use statute::model::UnitNum;
use statute::numerals::is_numeral_char;
use statute::parse::body::article_start;

use crate::rng::Rng;

/// Words that introduce a reference to the statute's own articles.
const SELF_PREFIXES: [&str; 6] = ["本法", "本条例", "本办法", "本规定", "本解释", "本细则"];
/// Longer words first (或者 before 或). A comma chains too: 本条例第十三条第一款，第十四条，
/// 第十五条 lists this statute's articles, and a drafter renumbers all of them.
const CHAIN_WORDS: [&str; 10] = [
    "、", "，", ",", "或者", "以及", "和", "及", "至", "或", "与",
];

/// `第N款` / `第N项` / `第（N）项` at the start of `s`: its byte length.
fn subdivision_ref(s: &str) -> Option<usize> {
    let rest = s.strip_prefix('第')?;
    let open = rest.chars().next().filter(|c| matches!(c, '（' | '('));
    let rest = &rest[open.map_or(0, char::len_utf8)..];
    let n: usize = rest
        .chars()
        .take_while(|&c| is_numeral_char(c))
        .map(char::len_utf8)
        .sum();
    let mut after = &rest[n..];
    let mut close = 0;
    if open.is_some() {
        let c = after.chars().next().filter(|c| matches!(c, '）' | ')'))?;
        close = c.len_utf8();
        after = &after[close..];
    }
    (n > 0 && (after.starts_with('款') || after.starts_with('项')))
        .then(|| '第'.len_utf8() + open.map_or(0, char::len_utf8) + n + close + '款'.len_utf8())
}

/// A reference `第…条(之…)` at the start of `s`: its byte length and number.
pub(crate) fn article_ref(s: &str) -> Option<(usize, UnitNum)> {
    match article_start(s) {
        Some((len, Some(num))) => Some((len, num)),
        _ => None,
    }
}

/// The new citation of a reference written as `old_text`, keeping Arabic digits if it used them.
fn cite(old_text: &str, num: UnitNum) -> String {
    let arabic = old_text.chars().any(|c| c.is_ascii_digit());
    match (num, arabic) {
        (UnitNum::Article { main, sub: 0 }, true) => format!("第{main}条"),
        (UnitNum::Article { main, sub }, true) => format!("第{main}条之{sub}"),
        _ => num.label(),
    }
}

/// `text` with one of its `第N条` references pointed at another article (1..=`max`).
pub(crate) fn retarget_ref(text: &str, rng: &mut Rng, max: u32) -> Option<String> {
    let refs: Vec<(usize, usize, u32)> = text
        .char_indices()
        .filter(|&(_, c)| c == '第')
        .filter_map(|(b, _)| match article_ref(&text[b..]) {
            Some((len, UnitNum::Article { main, sub: 0 })) => Some((b, len, main)),
            _ => None,
        })
        .collect();
    let &(b, len, main) = rng.pick(&refs)?;
    if max < 2 {
        return None;
    }
    let mut to = rng.range(1, max as usize - 1) as u32;
    if to >= main {
        to += 1;
    }
    let num = UnitNum::Article { main: to, sub: 0 };
    Some(format!(
        "{}{}{}",
        &text[..b],
        cite(&text[b..b + len], num),
        &text[b + len..]
    ))
}

/// Rewrites `本法第X条` (and references chained to it) to the articles' new numbers.
pub fn rewrite_refs(text: &str, map: &HashMap<UnitNum, UnitNum>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        let rest = &text[i..];
        if let Some(p) = SELF_PREFIXES.iter().find(|p| rest.starts_with(**p)) {
            out.push_str(p);
            i += p.len();
            while let Some((len, num)) = article_ref(&text[i..]) {
                let written = &text[i..i + len];
                match map.get(&num) {
                    Some(&new) if new != num => out.push_str(&cite(written, new)),
                    _ => out.push_str(written),
                }
                i += len;
                // 第二款 / 第一款、第三款 / 第一项至第四项: subdivisions of that article.
                loop {
                    if let Some(l) = subdivision_ref(&text[i..]) {
                        out.push_str(&text[i..i + l]);
                        i += l;
                        continue;
                    }
                    let r = &text[i..];
                    let Some(w) = CHAIN_WORDS.iter().find(|w| {
                        r.strip_prefix(**w)
                            .is_some_and(|t| subdivision_ref(t).is_some())
                    }) else {
                        break;
                    };
                    out.push_str(w);
                    i += w.len();
                }
                let r = &text[i..];
                let Some(w) = CHAIN_WORDS.iter().find(|w| {
                    r.strip_prefix(**w)
                        .is_some_and(|t| article_ref(t).is_some())
                }) else {
                    break;
                };
                out.push_str(w);
                i += w.len();
            }
            continue;
        }
        let Some(c) = rest.chars().next() else { break };
        out.push(c);
        i += c.len_utf8();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn art(main: u32, sub: u32) -> UnitNum {
        UnitNum::Article { main, sub }
    }

    fn map() -> HashMap<UnitNum, UnitNum> {
        [(10, 11), (12, 14), (3, 3)]
            .into_iter()
            .map(|(a, b)| (art(a, 0), art(b, 0)))
            .collect()
    }

    #[test]
    fn rewrites_chained_self_references() {
        // These four were checked by the corpus test `mutation_generator_is_consistent`.
        let map = map();
        assert_eq!(
            rewrite_refs(
                "依照本法第十条第二款、第十二条和第三条规定，以及第十条",
                &map
            ),
            "依照本法第十一条第二款、第十四条和第三条规定，以及第十条"
        );
        assert_eq!(
            rewrite_refs("违反本条例第10条至第12条的", &map),
            "违反本条例第11条至第14条的"
        );
        assert_eq!(
            rewrite_refs("违反本法第十条第一款、第二款，第十二条第三项和第三条", &map),
            "违反本法第十一条第一款、第二款，第十四条第三项和第三条"
        );
        assert_eq!(
            rewrite_refs("涉及本解释第十条第一款第（二）项及第二款、第十二条的", &map),
            "涉及本解释第十一条第一款第（二）项及第二款、第十四条的"
        );
    }

    #[test]
    fn leaves_other_statutes_and_unmapped_articles_alone() {
        let map = map();
        for text in [
            "依照第十条规定",
            "依照《中华人民共和国刑法》第十条",
            "依照本法第二十条",
            "本法第十条之一",
            "本法",
        ] {
            assert_eq!(rewrite_refs(text, &map), text);
        }
    }

    #[test]
    fn cite_keeps_the_script_of_the_reference() {
        assert_eq!(cite("第10条", art(11, 0)), "第11条");
        assert_eq!(cite("第10条", art(11, 2)), "第11条之2");
        assert_eq!(cite("第十条", art(11, 1)), "第十一条之一");
        assert_eq!(subdivision_ref("第（二）项及"), Some("第（二）项".len()));
        assert_eq!(subdivision_ref("第二条"), None);
    }

    #[test]
    fn retarget_points_a_reference_elsewhere() {
        for seed in 0..50 {
            let mut rng = Rng::new(seed);
            let out = retarget_ref("违反本条例第五条规定的", &mut rng, 20)
                .unwrap_or_else(|| panic!("seed {seed}: no reference found"));
            let (len, num) = article_ref(&out["违反本条例".len()..])
                .unwrap_or_else(|| panic!("seed {seed}: {out}"));
            assert!(
                matches!(num, UnitNum::Article { main, sub: 0 } if main != 5 && (1..=20).contains(&main)),
                "{out}"
            );
            assert!(out["违反本条例".len() + len..] == *"规定的", "{out}");
        }
        assert_eq!(retarget_ref("没有引用", &mut Rng::new(1), 20), None);
        assert_eq!(retarget_ref("第一条", &mut Rng::new(1), 1), None);
    }
}
