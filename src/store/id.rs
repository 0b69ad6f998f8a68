//! Statute ids: one per statute, derived from its name (title, and subtitle when there is one:
//! the parts of 民法典) and issuer, safe as a git ref-name component and as a file name, and
//! never shared by two different statutes.
//!
//! An id is the name made safe (whitespace dropped; characters git refuses in ref names,
//! path separators, control characters and dots become `_`; at most 60 characters) followed by
//! `-` and 8 hex digits of a hash of the squashed title and the issuer's jurisdiction. The hash
//! depends only on the version itself, never on what else was imported or in which order.
//!
//! The jurisdiction is the place of a local issuing body (北京市 in 北京市人民代表大会常务委员会)
//! when the title does not already start with it, else empty. The full issuer is not used: the
//! one the parser derives from a 题注 varies between versions of one statute (国务院第82次常务会议
//! in one, 中华人民共和国国务院 in the next, none where the 通过 line is missing), so it would
//! split a statute's history. Two statutes with the same title from different local bodies (两个
//! 物业管理条例 of 北京市 and 上海市) get different ids; two national bodies issuing the same
//! title would share one (no such case is known).

use git2::{ObjectType, Oid};

/// The longest title part of an id, in characters.
const MAX_TITLE_CHARS: usize = 60;

/// The id of the statute with this title and issuer.
pub fn statute_id(title: &str, issuer: Option<&str>) -> String {
    let title_key = squash(title);
    let place = issuer
        .map(squash)
        .and_then(|i| jurisdiction(&i).map(str::to_string))
        .filter(|p| !title_key.starts_with(p.as_str()))
        .unwrap_or_default();
    let key = format!("statute-id/1\n{title_key}\n{place}");
    let hash = Oid::hash_object(ObjectType::Blob, key.as_bytes())
        .map(|o| o.to_string())
        .unwrap_or_default();
    format!("{}-{}", safe_title(title), &hash[..hash.len().min(8)])
}

/// The name a statute is known by: its title, and its subtitle when it has one (the parts of
/// 民法典 are published as 中华人民共和国民法典 with subtitles 总则, 合同编 …).
pub fn statute_name(meta: &crate::model::Meta) -> String {
    match meta.subtitle.as_deref().map(str::trim) {
        Some(sub) if !sub.is_empty() => format!("{}·{sub}", meta.title.trim()),
        _ => meta.title.trim().to_string(),
    }
}

/// The id of the statute a version's metadata describes.
pub fn of_meta(meta: &crate::model::Meta) -> String {
    statute_id(&statute_name(meta), meta.issuer.as_deref())
}

/// The place of a local issuing body: 北京市 for 北京市人民代表大会常务委员会 or
/// 上海市第十五届人民代表大会常务委员会第二次会议; `None` for national bodies and anything else.
pub fn jurisdiction(issuer: &str) -> Option<&str> {
    let s = issuer.trim_start_matches("中华人民共和国");
    for marker in ["人民代表大会", "人民政府"] {
        let Some(pos) = s.find(marker) else { continue };
        let mut place = &s[..pos];
        if let Some(p) = place.find('第') {
            place = &place[..p];
        }
        let local = ["省", "市", "区", "州", "县", "盟", "旗"]
            .iter()
            .any(|suffix| place.ends_with(suffix));
        if local && !place.starts_with("全国") {
            return Some(place);
        }
    }
    None
}

/// The title part of an id: what a user's search term is compared with.
pub fn safe_title(title: &str) -> String {
    let mut out = String::new();
    for c in title
        .chars()
        .filter(|c| !c.is_whitespace() && !crate::normalize::ignorable(*c))
        .take(MAX_TITLE_CHARS)
    {
        let bad = c.is_control()
            || matches!(
                c,
                '.' | '/'
                    | '\\'
                    | '~'
                    | '^'
                    | ':'
                    | '?'
                    | '*'
                    | '['
                    | ']'
                    | '@'
                    | '{'
                    | '}'
                    | '<'
                    | '>'
                    | '|'
                    | '"'
                    | '\''
            );
        out.push(if bad { '_' } else { c });
    }
    if out.is_empty() {
        out.push_str("untitled");
    }
    out
}

/// The title part of an id (everything before the last `-`).
pub fn title_part(id: &str) -> &str {
    id.rsplit_once('-').map_or(id, |(t, _)| t)
}

/// True when `id` has the shape [`statute_id`] produces and is safe in refs and paths.
pub fn is_valid(id: &str) -> bool {
    let Some((title, hash)) = id.rsplit_once('-') else {
        return false;
    };
    !title.is_empty()
        && hash.len() == 8
        && hash.bytes().all(|b| b.is_ascii_hexdigit())
        && safe_title(title) == title
        && git2::Reference::is_valid_name(&format!("refs/heads/statutes/{id}"))
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !crate::normalize::ignorable(*c))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_titles_give_valid_ref_names_and_file_names() {
        for title in [
            "../../etc/passwd",
            ".hidden",
            "a.lock",
            "x@{y}",
            "a b\tc\nd",
            "~^:?*[\\",
            "",
            "  ",
            "\u{0}\u{7f}ctl",
            "中华人民共和国立法法",
            "/",
            "a//b",
            "refs/heads/main",
            "x.lock/",
        ] {
            let id = statute_id(title, None);
            assert!(is_valid(&id), "{title:?} → {id:?}");
            assert!(!id.contains('/') && !id.contains("..") && !id.starts_with('.'));
            assert!(!id.ends_with(".lock"));
            assert!(git2::Reference::is_valid_name(&format!(
                "refs/tags/{id}/2020-01-01"
            )));
        }
    }

    #[test]
    fn same_title_different_issuer_differ_and_ids_are_stable() {
        let a = statute_id("物业管理条例", Some("北京市人民代表大会常务委员会"));
        let b = statute_id("物业管理条例", Some("上海市人民代表大会常务委员会"));
        assert_ne!(a, b);
        assert_eq!(
            a,
            statute_id("物业管理条例", Some("北京市人民代表大会常务委员会"))
        );
        assert_eq!(title_part(&a), "物业管理条例");
        // Whitespace is not identity, nor the session that adopted a version.
        assert_eq!(
            statute_id(
                "物业 管理条例",
                Some("北京市第十五届人民代表大会 常务委员会")
            ),
            a
        );
        // National issuers as the parser derives them vary between versions: one statute.
        let n = statute_id("保安服务管理条例", Some("国务院第82次常务会议"));
        assert_eq!(
            n,
            statute_id("保安服务管理条例", Some("中华人民共和国国务院"))
        );
        assert_eq!(n, statute_id("保安服务管理条例", None));
        // A title that names its place already needs no more.
        assert_eq!(
            statute_id("北京市物业管理条例", Some("北京市人民代表大会常务委员会")),
            statute_id("北京市物业管理条例", None)
        );
    }

    #[test]
    fn subtitles_are_part_of_the_name() {
        let mut m = crate::model::Meta {
            title: "中华人民共和国民法典".into(),
            ..Default::default()
        };
        let whole = of_meta(&m);
        m.subtitle = Some("合同编".into());
        assert_eq!(statute_name(&m), "中华人民共和国民法典·合同编");
        assert_ne!(of_meta(&m), whole);
    }

    #[test]
    fn jurisdictions() {
        assert_eq!(jurisdiction("北京市人民代表大会常务委员会"), Some("北京市"));
        assert_eq!(jurisdiction("广东省人民政府"), Some("广东省"));
        assert_eq!(
            jurisdiction("全国人民代表大会常务委员会第二十八次会议审议"),
            None
        );
        assert_eq!(jurisdiction("中华人民共和国国务院"), None);
        assert_eq!(jurisdiction("最高人民法院审判委员会"), None);
    }

    #[test]
    fn long_titles_are_cut() {
        let t = "长".repeat(200);
        let id = statute_id(&t, None);
        assert_eq!(title_part(&id).chars().count(), MAX_TITLE_CHARS);
        assert!(is_valid(&id));
    }
}
