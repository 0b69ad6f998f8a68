//! Chinese numerals (一百零五, 二百一十, 〇/零, 两, 千) and Arabic digits, both ways.
//!
//! Article numbers in Chinese statutes are written in Chinese numerals (第一百零五条),
//! occasionally in Arabic digits (第10条, full-width 第１０条). Everything here works
//! on `char`s; nothing slices bytes.

/// Value of a Chinese digit character, or `None`.
fn digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' | '○' | 'Ｏ' => 0,
        '一' | '壹' => 1,
        '二' | '两' | '贰' => 2,
        '三' | '叁' => 3,
        '四' | '肆' => 4,
        '五' | '伍' => 5,
        '六' | '陆' => 6,
        '七' | '柒' => 7,
        '八' | '捌' => 8,
        '九' | '玖' => 9,
        _ => return None,
    })
}

fn unit(c: char) -> Option<u32> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1000,
        '万' => 10_000,
        _ => return None,
    })
}

/// True for characters that may appear in a Chinese or Arabic numeral.
pub fn is_numeral_char(c: char) -> bool {
    digit(c).is_some() || unit(c).is_some() || c.is_ascii_digit() || ('０'..='９').contains(&c)
}

/// Parses a numeral written in Chinese characters (一百零五, 十, 二〇二三 digit-by-digit)
/// or in Arabic digits (half- or full-width). Returns `None` for anything else or on overflow.
pub fn parse_numeral(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.chars()
        .all(|c| c.is_ascii_digit() || ('０'..='９').contains(&c))
    {
        let mut v: u32 = 0;
        for c in s.chars() {
            let d = if c.is_ascii_digit() {
                c as u32 - '0' as u32
            } else {
                c as u32 - '０' as u32
            };
            v = v.checked_mul(10)?.checked_add(d)?;
        }
        return Some(v);
    }
    // Digit-by-digit form without units (二〇二三), used in years.
    if s.chars().count() > 1 && s.chars().all(|c| digit(c).is_some()) {
        let mut v: u32 = 0;
        for c in s.chars() {
            v = v.checked_mul(10)?.checked_add(digit(c)?)?;
        }
        return Some(v);
    }
    let mut total: u32 = 0; // completed 万 groups
    let mut section: u32 = 0; // value below 万
    let mut pending: Option<u32> = None; // digit waiting for its unit
    for c in s.chars() {
        if let Some(d) = digit(c) {
            if pending.is_some() && d != 0 {
                // Two digits in a row (一二) is not a valid positional numeral.
                return None;
            }
            pending = if d == 0 { None } else { Some(d) };
        } else if let Some(u) = unit(c) {
            if u == 10_000 {
                section = section.checked_add(pending.take().unwrap_or(0))?;
                total = total.checked_add(section.checked_mul(u)?)?;
                section = 0;
            } else {
                // 十 alone means 一十.
                let d = pending.take().unwrap_or(1);
                section = section.checked_add(d.checked_mul(u)?)?;
            }
        } else {
            return None;
        }
    }
    section = section.checked_add(pending.unwrap_or(0))?;
    total.checked_add(section)
}

const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/// Writes `n` in the form statutes use: 十, 十一, 二十, 一百零五, 一百一十, 一千二百六十.
pub fn to_chinese(n: u32) -> String {
    if n == 0 {
        return DIGITS[0].to_string();
    }
    if n >= 10_000 {
        let high = n / 10_000;
        let low = n % 10_000;
        let mut s = to_chinese(high);
        s.push('万');
        if low > 0 {
            s.push_str(&below_10000(low, true));
        }
        return s;
    }
    below_10000(n, false)
}

fn below_10000(n: u32, inner: bool) -> String {
    let places = [(1000, '千'), (100, '百'), (10, '十')];
    let mut s = String::new();
    let mut rest = n;
    let mut zero_pending = false;
    let mut started = inner && n < 1000;
    for (value, name) in places {
        let d = rest / value;
        rest %= value;
        if d == 0 {
            if started {
                zero_pending = true;
            }
            continue;
        }
        if zero_pending {
            s.push('零');
            zero_pending = false;
        }
        // 十 at the very front is written without 一 (十一, not 一十一).
        if !(value == 10 && d == 1 && s.is_empty() && !inner) {
            s.push_str(DIGITS[d as usize]);
        }
        s.push(name);
        started = true;
    }
    if rest > 0 {
        if zero_pending {
            s.push('零');
        }
        s.push_str(DIGITS[rest as usize]);
    }
    s
}

/// The byte length of the run of numeral characters (see [`is_numeral_char`]) that starts `s`.
pub fn numeral_len(s: &str) -> usize {
    s.chars()
        .take_while(|&c| is_numeral_char(c))
        .map(char::len_utf8)
        .sum()
}

/// An article label, `第…条` or `第…条之…`, at the start of `t`: its byte length and its
/// number as (main, sub), `sub` 0 for a plain article; `None` in the number when a numeral
/// could not be read.
pub fn article_label(t: &str) -> Option<(usize, Option<(u32, u32)>)> {
    let rest = t.strip_prefix('第')?;
    let digits_len: usize = numeral_len(rest);
    if digits_len == 0 {
        return None;
    }
    let after = rest[digits_len..].strip_prefix('条')?;
    let main = parse_numeral(&rest[..digits_len]);
    let mut len = '第'.len_utf8() + digits_len + '条'.len_utf8();
    let mut sub = Some(0);
    if let Some(zhi) = after.strip_prefix('之') {
        let n: usize = numeral_len(zhi);
        if n > 0 {
            sub = parse_numeral(&zhi[..n]);
            len += '之'.len_utf8() + n;
        }
    }
    Some((len, main.zip(sub)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_forms() {
        for (s, v) in [
            ("一", 1),
            ("十", 10),
            ("十一", 11),
            ("二十", 20),
            ("一百", 100),
            ("一百零五", 105),
            ("一百〇五", 105),
            ("二百一十", 210),
            ("一百一十", 110),
            ("一千二百六十", 1260),
            ("一千零一", 1001),
            ("两百", 200),
            ("10", 10),
            ("１０", 10),
            ("二〇二三", 2023),
            ("一万零五", 10005),
        ] {
            assert_eq!(parse_numeral(s), Some(v), "{s}");
        }
    }

    #[test]
    fn rejects_garbage() {
        for s in ["", "甲", "甲一", "十a", "二十三三", "99999999999"] {
            assert_eq!(parse_numeral(s), None, "{s}");
        }
    }

    #[test]
    fn writes_official_forms() {
        for (v, s) in [
            (1, "一"),
            (10, "十"),
            (11, "十一"),
            (20, "二十"),
            (100, "一百"),
            (105, "一百零五"),
            (110, "一百一十"),
            (210, "二百一十"),
            (1001, "一千零一"),
            (1260, "一千二百六十"),
            (1010, "一千零一十"),
            (10005, "一万零五"),
        ] {
            assert_eq!(to_chinese(v), s, "{v}");
        }
    }

    #[test]
    fn round_trips_every_number_to_20000() {
        for n in 0..20_000 {
            assert_eq!(parse_numeral(&to_chinese(n)), Some(n), "{n}");
        }
    }
}
