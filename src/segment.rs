//! Word boundaries in statute text, for quoting it: a drafter quotes whole words, and a
//! citation (第七十二条第二款), a title in 《》 or a number whole or not at all.
//!
//! Citations, titles and numbers are found first and kept as one token each; the text between
//! them is cut by jieba (jieba-rs) with a compact legal lexicon (`data/lexicon.txt`: the words
//! of jieba's default dictionary that the corpus's statutes use, with their counts there,
//! written by `statute-eval lexicon`). It loads in a few milliseconds, once, when a draft
//! first asks for it; jieba's whole dictionary takes about 100 ms.

use std::sync::OnceLock;

use jieba_rs::Jieba;

use crate::numerals;

/// The embedded lexicon, in jieba's dictionary format (`word count` per line).
const LEXICON: &str = include_str!("../data/lexicon.txt");

fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(|| {
        let mut j = Jieba::empty();
        // The lexicon is part of the build and checked by a test: it always loads. Were it
        // broken, the words loaded before the fault still segment, and HMM the rest.
        let _ = j.load_dict(&mut LEXICON.as_bytes());
        j
    })
}

/// Starts loading the lexicon on a thread of its own, for a caller that knows it will
/// segment text after other work (the first [`boundaries`] waits for it). A machine that
/// cannot start a thread loads it on first use, as always.
pub fn load_in_background() {
    let _ = std::thread::Builder::new()
        .name("lexicon".into())
        .spawn(|| {
            jieba();
        });
}

/// The token boundaries of `text`, as character offsets in increasing order, 0 and the
/// length included: a quoted phrase starts and ends on one of them.
pub fn boundaries(text: &str) -> Vec<usize> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = vec![0];
    let mut k = 0;
    // Runs of plain text between atomic tokens are cut by jieba.
    let mut plain_from = 0;
    let flush = |from: usize, to: usize, out: &mut Vec<usize>| {
        if from >= to {
            return;
        }
        let run: String = chars[from..to].iter().collect();
        for tok in jieba().cut(&run, true) {
            out.push(from + tok.end);
        }
    };
    while k < chars.len() {
        match atomic(&chars[k..]) {
            Some(len) => {
                flush(plain_from, k, &mut out);
                out.push(k);
                k += len;
                out.push(k);
                plain_from = k;
            }
            None => k += 1,
        }
    }
    flush(plain_from, chars.len(), &mut out);
    out.push(chars.len());
    out.sort_unstable();
    out.dedup();
    out
}

/// The length of a token that must not be cut, at the start of `s`: a citation
/// (第十条之一第二款第（三）项, 第三章, chained as written), a title in 《》 (〈〉), or a number
/// (Arabic or Chinese numerals, with a decimal point, 百分之五).
fn atomic(s: &[char]) -> Option<usize> {
    let first = *s.first()?;
    if first == '第' {
        let len = citation(s);
        return (len > 0).then_some(len);
    }
    if matches!(first, '《' | '〈') {
        let close = if first == '《' { '》' } else { '〉' };
        // A title never spans a line and is never very long.
        let end = s.iter().take(80).position(|&c| c == close || c == '\n')?;
        return (s[end] == close).then_some(end + 1);
    }
    if s.starts_with(&['百', '分', '之']) || s.starts_with(&['千', '分', '之']) {
        let n = s[3..].iter().take_while(|&&c| numeral(c)).count();
        return (n > 0).then_some(3 + n);
    }
    if numeral(first) {
        let mut n = 0;
        while n < s.len()
            && (numeral(s[n])
                || (s[n] == '.' && n > 0 && s.get(n + 1).is_some_and(|c| c.is_ascii_digit())))
        {
            n += 1;
        }
        // A single Chinese numeral is often part of a word (一律, 统一): not a number.
        let arabic = s[0].is_ascii_digit() || ('０'..='９').contains(&s[0]);
        return (n >= 2 || arabic).then_some(n);
    }
    None
}

fn numeral(c: char) -> bool {
    numerals::is_numeral_char(c) && c != '两'
}

/// A chain of 第N条/款/项/目/编/章/节 (条 possibly with 之N, 项 possibly in （）) at the start
/// of `s`: its length, 0 when `s` starts none.
fn citation(s: &[char]) -> usize {
    let mut k = 0;
    loop {
        let start = k;
        if s.get(k) != Some(&'第') {
            return start;
        }
        k += 1;
        let paren = s.get(k).is_some_and(|&c| matches!(c, '（' | '('));
        if paren {
            k += 1;
        }
        let n = s[k..]
            .iter()
            .take_while(|&&c| numeral(c) || c == '两')
            .count();
        if n == 0 {
            return start;
        }
        k += n;
        if paren {
            if !s.get(k).is_some_and(|&c| matches!(c, '）' | ')')) {
                return start;
            }
            k += 1;
        }
        match s.get(k) {
            Some('条') => {
                k += 1;
                if s.get(k) == Some(&'之') {
                    let m = s[k + 1..].iter().take_while(|&&c| numeral(c)).count();
                    if m > 0 {
                        k += 1 + m;
                    }
                }
            }
            Some('款' | '项' | '目' | '编' | '章' | '节') => k += 1,
            _ => return start,
        }
    }
}

/// True when `k` (a character offset) is a token boundary of a text whose
/// [`boundaries`] are `b`.
pub fn is_boundary(b: &[usize], k: usize) -> bool {
    b.binary_search(&k).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        boundaries(text)
            .windows(2)
            .map(|w| chars[w[0]..w[1]].iter().collect())
            .collect()
    }

    #[test]
    fn the_lexicon_loads() {
        let mut j = Jieba::empty();
        assert!(j.load_dict(&mut LEXICON.as_bytes()).is_ok());
        assert!(j.has_word("常务委员会") && j.has_word("人民法院"));
    }

    #[test]
    fn citations_titles_and_numbers_stay_whole() {
        let w =
            words("依照本法第七十二条第二款和《中华人民共和国行政处罚法》的规定处五万元以上罚款");
        assert!(w.contains(&"第七十二条第二款".to_string()), "{w:?}");
        assert!(
            w.contains(&"《中华人民共和国行政处罚法》".to_string()),
            "{w:?}"
        );
        assert!(
            w.contains(&"五万".to_string())
                || w.contains(&"五万元".to_string())
                || w.iter().any(|x| x.starts_with("五万")),
            "{w:?}"
        );
        let w = words("第十条之一第（三）项规定的情形");
        assert_eq!(w[0], "第十条之一第（三）项", "{w:?}");
        let w = words("百分之五十以上");
        assert_eq!(w[0], "百分之五十", "{w:?}");
    }

    #[test]
    fn names_are_words() {
        let w = words("全国人民代表大会常务委员会根据宪法规定行使国家立法权。");
        assert_eq!(w[0], "全国人民代表大会常务委员会", "{w:?}");
        let w = words("由法律委员会统一审议");
        assert!(w.contains(&"法律委员会".to_string()), "{w:?}");
    }
}
