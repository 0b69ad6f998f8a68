//! The 题注 (history note): splitting it into events and reading date, body, act and kind.

use crate::model::{Date, EventKind, HistoryEvent};
use crate::numerals;

/// Splits history lines into event texts. Lines may hold several events separated by wide
/// whitespace ("…修正　根据2015年…"), and one event may be wrapped over several lines.
pub fn split_events<S: AsRef<str>>(lines: &[S]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in lines {
        let line = strip_parens(line.as_ref().trim());
        for piece in split_line(line) {
            let piece = piece.trim();
            let piece = piece.strip_suffix("根据").unwrap_or(piece).trim_end();
            if piece.is_empty() {
                continue;
            }
            let starts_event = date_prefix(strip_genju(piece)).is_some();
            match out.last_mut() {
                Some(prev) if !starts_event && !ends_with_kind(prev) => prev.push_str(piece),
                _ => out.push(piece.to_string()),
            }
        }
    }
    out
}

/// Reads one event text.
pub fn parse_event(text: &str) -> HistoryEvent {
    let t = strip_genju(text.trim());
    let (date, rest) = match date_prefix(t) {
        Some((d, len)) => (d, t.chars().skip(len).collect::<String>()),
        None => (None, t.to_string()),
    };
    let act = outer_title(&rest);
    // Kind keywords are searched outside the act's title (关于修改…的决定 contains 修改).
    let outside: String = match rest.find('《') {
        Some(start) => {
            let end = closing_of(&rest, start).unwrap_or(rest.len());
            format!("{}{}", &rest[..start], &rest[end..])
        }
        None => rest.clone(),
    };
    let mut kind = kind_of(&outside);
    // 《中华人民共和国宪法修正案》 is adopted (通过) but amends.
    if kind == EventKind::Adopted && act.as_deref().is_some_and(|a| a.ends_with("修正案")) {
        kind = EventKind::Amended;
    }
    // 公布施行 / 发布施行: promulgated, in force at once; the promulgation is the event.
    if kind == EventKind::Effective
        && (outside.contains("公布施行") || outside.contains("发布施行"))
    {
        kind = EventKind::Promulgated;
    }
    let body_end = [rest.find('《'), kind_pos(&rest)]
        .into_iter()
        .flatten()
        .min()
        .unwrap_or(rest.len());
    let body = rest[..body_end].trim();
    let body = trim_ordinal(body).trim();
    HistoryEvent {
        text: text.trim().to_string(),
        date,
        body: (!body.is_empty()).then(|| body.to_string()),
        act,
        kind,
    }
}

/// The date an event puts something in force: a date written in its text right before
/// (起)施行 / 生效 / 实施 ("该修正自2020年8月20日施行", "…公布自2014年1月1日起施行"), else
/// the event's own date when it is a 施行 entry ("2000年7月1日 施行") or promulgates with
/// immediate effect (公布施行, 发布施行).
pub fn in_force_date(e: &HistoryEvent) -> Option<Date> {
    stated_in_force(&e.text).or_else(|| {
        (e.kind == EventKind::Effective
            || e.text.contains("公布施行")
            || e.text.contains("发布施行"))
        .then_some(e.date)
        .flatten()
    })
}

/// The last date in `text` that is followed by (起)施行, 生效 or 实施.
pub(crate) fn stated_in_force(text: &str) -> Option<Date> {
    let mut found = None;
    let mut prev_numeral = false;
    for (i, c) in text.char_indices() {
        let numeral = numerals::is_numeral_char(c);
        if numeral
            && !prev_numeral
            && let Some((Some(date), len)) = date_prefix(&text[i..])
        {
            let rest: String = text[i..].chars().skip(len).take(4).collect();
            let rest = rest.strip_prefix('起').unwrap_or(&rest);
            if ["施行", "生效", "实施"].iter().any(|k| rest.starts_with(k)) {
                found = Some(date);
            }
        }
        prev_numeral = numeral;
    }
    found
}

/// "第十二届全国人民代表大会常务委员会第五次会议" → "全国人民代表大会常务委员会".
pub fn issuer_of(body: &str) -> String {
    // Drop the term: 天津市第十四届人民代表大会 → 天津市人民代表大会.
    let mut owned = body.trim().to_string();
    if let Some(start) = owned.find('第') {
        let rest = &owned[start + '第'.len_utf8()..];
        if let Some(pos) = rest.find('届')
            && pos > 0
            && rest[..pos].chars().all(numerals::is_numeral_char)
        {
            let end = start + '第'.len_utf8() + pos + '届'.len_utf8();
            owned.replace_range(start..end, "");
        }
    }
    let mut s = owned.as_str();
    if let Some(pos) = s.rfind('第') {
        let tail = &s[pos..];
        if tail.ends_with("次会议") || tail.ends_with("次全体会议") || tail.ends_with('号')
        {
            s = &s[..pos];
        }
    }
    let s = s.trim();
    let s = s
        .strip_suffix('令')
        .or_else(|| s.strip_suffix("公告"))
        .unwrap_or(s);
    s.trim().to_string()
}

fn strip_parens(s: &str) -> &str {
    let s = s
        .strip_prefix('（')
        .or_else(|| s.strip_prefix('('))
        .unwrap_or(s);
    s.strip_suffix('）')
        .or_else(|| s.strip_suffix(')'))
        .unwrap_or(s)
}

fn strip_genju(s: &str) -> &str {
    s.strip_prefix("根据").unwrap_or(s).trim_start()
}

/// Splits at whitespace runs followed by a date (optionally after 根据).
fn split_line(line: &str) -> Vec<&str> {
    let mut pieces = Vec::new();
    let mut start = 0;
    let mut iter = line.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if !c.is_whitespace() {
            continue;
        }
        let mut j = i + c.len_utf8();
        while let Some(&(k, c2)) = iter.peek() {
            if c2.is_whitespace() {
                iter.next();
                j = k + c2.len_utf8();
            } else {
                break;
            }
        }
        let next = &line[j..];
        // A single space right after a date separates the date from its body; only a
        // following date starts a new event.
        if date_prefix(strip_genju(next)).is_some() && i > start {
            pieces.push(&line[start..i]);
            start = j;
        }
    }
    pieces.push(&line[start..]);
    pieces
}

const KINDS: [(&str, EventKind); 12] = [
    ("通过", EventKind::Adopted),
    ("批准", EventKind::Approved),
    ("修正", EventKind::Amended),
    ("修订", EventKind::Revised),
    ("修改", EventKind::Amended),
    ("公布", EventKind::Promulgated),
    ("发布", EventKind::Promulgated),
    ("印发", EventKind::Promulgated),
    ("施行", EventKind::Effective),
    ("生效", EventKind::Effective),
    ("实施", EventKind::Effective),
    ("废止", EventKind::Repealed),
];

fn ends_with_kind(s: &str) -> bool {
    let s = s.trim_end_matches(['）', ')', '。', ' ', '　']);
    KINDS.iter().any(|(k, _)| s.ends_with(k))
}

/// The kind whose keyword appears last (施行 in "公布 自…起施行" wins over 公布).
fn kind_of(s: &str) -> EventKind {
    KINDS
        .iter()
        .filter_map(|(k, kind)| s.rfind(k).map(|p| (p, *kind)))
        .max_by_key(|(p, _)| *p)
        .map(|(_, k)| k)
        .unwrap_or(EventKind::Other)
}

fn kind_pos(s: &str) -> Option<usize> {
    KINDS.iter().filter_map(|(k, _)| s.find(k)).min()
}

/// Drops a trailing "第一次" / "第N次" ordinal before the kind keyword.
fn trim_ordinal(s: &str) -> &str {
    if let Some(pos) = s.rfind('第') {
        let tail = &s[pos + '第'.len_utf8()..];
        if let Some(n) = tail.strip_suffix('次')
            && n.chars().all(numerals::is_numeral_char)
        {
            return &s[..pos];
        }
    }
    s
}

/// The byte index just past the bracket that closes the 《 at `start`.
fn closing_of(s: &str, start: usize) -> Option<usize> {
    let mut depth = 0i32;
    for (i, c) in s[start..].char_indices() {
        match c {
            '《' => depth += 1,
            '》' => {
                depth -= 1;
                if depth == 0 {
                    return Some(start + i + c.len_utf8());
                }
            }
            _ => {}
        }
    }
    None
}

fn outer_title(s: &str) -> Option<String> {
    let start = s.find('《')?;
    let end = closing_of(s, start)?;
    let inner = &s[start + '《'.len_utf8()..end - '》'.len_utf8()];
    (!inner.is_empty()).then(|| inner.to_string())
}

/// A date at the start of `s` ("2015年3月15日", "二〇一五年三月十五日", full-width digits),
/// with its length in chars. The outer `Option` says whether a date pattern was found; the
/// inner one whether it is a valid calendar date.
pub fn date_prefix(s: &str) -> Option<(Option<Date>, usize)> {
    let chars: Vec<char> = s.chars().take(16).collect();
    let mut i = 0;
    let mut fields = [0u32; 3];
    for (n, sep) in ['年', '月', '日'].into_iter().enumerate() {
        let start = i;
        while i < chars.len() && numerals::is_numeral_char(chars[i]) {
            i += 1;
        }
        if i == start || i >= chars.len() || chars[i] != sep {
            return None;
        }
        let digits: String = chars[start..i].iter().collect();
        fields[n] = numerals::parse_numeral(&digits)?;
        i += 1;
    }
    if !(1000..=9999).contains(&fields[0]) {
        return None;
    }
    let date = Date::new(fields[0] as u16, fields[1] as u8, fields[2] as u8);
    Some((date, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_an_amendment_event() {
        let e = parse_event(
            "2015年3月15日 第十二届全国人民代表大会第三次会议《关于修改〈中华人民共和国立法法〉的决定》第一次修正",
        );
        assert_eq!(e.date, Date::new(2015, 3, 15));
        assert_eq!(
            e.body.as_deref(),
            Some("第十二届全国人民代表大会第三次会议")
        );
        assert_eq!(
            e.act.as_deref(),
            Some("关于修改〈中华人民共和国立法法〉的决定")
        );
        assert_eq!(e.kind, EventKind::Amended);
    }

    #[test]
    fn reads_adoption_and_chinese_dates() {
        let e = parse_event(
            "二〇〇七年九月十二日天津市第十四届人民代表大会常务委员会第三十九次会议通过",
        );
        assert_eq!(e.date, Date::new(2007, 9, 12));
        assert_eq!(e.kind, EventKind::Adopted);
        assert_eq!(
            issuer_of(e.body.as_deref().unwrap()),
            "天津市人民代表大会常务委员会"
        );
        assert_eq!(
            issuer_of("第十二届全国人民代表大会常务委员会第五次会议"),
            "全国人民代表大会常务委员会"
        );
    }

    #[test]
    fn splits_official_parenthesised_history() {
        let ev = split_events(&[
            "（2000年3月15日第九届全国人民代表大会第三次会议通过　根据2015年3月15日第十二届全国人民代表大会第三次会议《关于修改〈中华人民共和国立法法〉的决定》修正）",
        ]);
        assert_eq!(ev.len(), 2, "{ev:?}");
        assert!(ev[1].starts_with("根据2015年"));
        assert_eq!(parse_event(&ev[1]).date, Date::new(2015, 3, 15));
    }

    #[test]
    fn joins_wrapped_lines() {
        let ev = split_events(&[
            "2010年7月23日 浙江省第十一届人民代表大会常务委员会第十九次会议《关于修改〈浙江省",
            "乡镇人民代表大会工作条例〉的决定》修正",
            "发布之日施行",
        ]);
        assert_eq!(ev.len(), 2, "{ev:?}");
        assert_eq!(parse_event(&ev[1]).kind, EventKind::Effective);
    }

    #[test]
    fn in_force_dates_stated_or_of_the_entry() {
        let date = |t: &str| in_force_date(&parse_event(t));
        assert_eq!(date("该修正自2020年8月20日施行"), Date::new(2020, 8, 20));
        assert_eq!(date("2000年7月1日 施行"), Date::new(2000, 7, 1));
        assert_eq!(
            date(
                "2013年11月22日 浙江省第十二届人民代表大会常务委员会第六次会议批准2013年12月9日杭州市人民代表大会常务委员会公告第14号公布自2014年1月1日施行"
            ),
            Date::new(2014, 1, 1)
        );
        assert_eq!(
            date("2021年3月1日 修正 自二〇二一年四月一日起施行"),
            Date::new(2021, 4, 1)
        );
        assert_eq!(
            date("1983年12月25日 山东省人民代表大会常务委员会公告公布施行"),
            Date::new(1983, 12, 25)
        );
        assert_eq!(
            date("2015年3月15日 第十二届全国人民代表大会第三次会议修正"),
            None
        );
        assert_eq!(date("2010年1月1日 公布"), None);
    }

    #[test]
    fn constitution_amendments_and_decrees() {
        let e = parse_event(
            "1988年4月12日 第七届全国人民代表大会第一次会议通过的《中华人民共和国宪法修正案》",
        );
        assert_eq!(e.kind, EventKind::Amended);
        assert_eq!(e.body.as_deref(), Some("第七届全国人民代表大会第一次会议"));
        let e = parse_event("1982年12月4日 全国人民代表大会公告公布施行");
        assert_eq!(e.kind, EventKind::Promulgated);
        assert_eq!(
            issuer_of("中华人民共和国国务院令第361号"),
            "中华人民共和国国务院"
        );
    }
}
