//! Property test: the canonical rendering of generated models parses back to the same model.

use std::path::Path;

use proptest::prelude::*;
use statute::model::{
    Article, Body, Division, DivisionKind, HistoryEvent, Item, Loc, Meta, Node, Para, Statute,
    UnitNum,
};
use statute::numerals::to_chinese;
use statute::parse::canonical;
use statute::parse::parse_str;

/// Sentence text that cannot be mistaken for a marker: it starts with a plain character.
fn sentence() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[本国家应当依法保护公民权利和自由甲乙丙丁][本国家应当依法保护公民权利自由，、“”《》0-9a-z ]{0,30}[。；]")
        .expect("regex")
}

/// Item text, sometimes starting with a number ("5万元以下"), which must not run into an
/// Arabic marker ("1.") when written.
fn item_text() -> impl Strategy<Value = String> {
    (
        proptest::string::string_regex("[0-9０-９]?").expect("regex"),
        sentence(),
    )
        .prop_map(|(d, s)| format!("{d}{s}"))
}

fn items() -> impl Strategy<Value = Vec<Item>> {
    prop::collection::vec(
        (item_text(), prop::collection::vec(item_text(), 0..3)),
        0..4,
    )
    .prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (text, subs))| Item {
                marker: format!("（{}）", to_chinese(i as u32 + 1)),
                num: i as u32 + 1,
                text,
                subitems: subs
                    .into_iter()
                    .enumerate()
                    .map(|(j, text)| Item {
                        marker: format!("{}.", j + 1),
                        num: j as u32 + 1,
                        text,
                        subitems: Vec::new(),
                        loc: Loc(0),
                    })
                    .collect(),
                loc: Loc(0),
            })
            .collect()
    })
}

fn paras() -> impl Strategy<Value = Vec<Para>> {
    prop::collection::vec((sentence(), items()), 1..4).prop_map(|v| {
        v.into_iter()
            .map(|(text, items)| Para {
                text,
                items,
                loc: Loc(0),
            })
            .collect()
    })
}

/// Chapters of articles, numbered in order, some with 之一 inserts.
fn body() -> impl Strategy<Value = Body> {
    let chapter = (
        "[总则管理监督法律责任附]{2,6}",
        prop::collection::vec((paras(), any::<bool>()), 1..5),
    );
    (
        prop::collection::vec(chapter, 1..4),
        prop::collection::vec(sentence(), 0..2),
    )
        .prop_map(|(chapters, preamble)| {
            let mut main = 0u32;
            let mut nodes: Vec<Node> = preamble
                .into_iter()
                .map(|t| Node::Para(Para::plain(t, Loc(0))))
                .collect();
            for (ci, (title, arts)) in chapters.into_iter().enumerate() {
                let mut children = Vec::new();
                for (paras, zhiyi) in arts {
                    let num = if zhiyi && main > 0 {
                        UnitNum::Article { main, sub: 1 }
                    } else {
                        main += 1;
                        UnitNum::Article { main, sub: 0 }
                    };
                    children.push(Node::Article(Article {
                        num,
                        label: num.label(),
                        paras,
                        loc: Loc(0),
                    }));
                    if let UnitNum::Article { sub: 1, .. } = num {
                        main += 1;
                        let num = UnitNum::Article { main, sub: 0 };
                        children.push(Node::Article(Article {
                            num,
                            label: num.label(),
                            paras: vec![Para::plain("本条为补足之条。", Loc(0))],
                            loc: Loc(0),
                        }));
                    }
                }
                nodes.push(Node::Division(Division {
                    kind: DivisionKind::Chapter,
                    num: Some(ci as u32 + 1),
                    label: format!("第{}章", to_chinese(ci as u32 + 1)),
                    title,
                    children,
                    loc: Loc(0),
                }));
            }
            Body {
                nodes,
                ..Body::default()
            }
        })
}

pub(crate) fn statute() -> impl Strategy<Value = Statute> {
    (
        "[某省市条例办法规定]{4,12}",
        body(),
        1990u16..2030,
        1u8..13,
        1u8..29,
    )
        .prop_map(|(title, body, y, m, d)| {
            let text = format!("{y}年{m}月{d}日 某某省人民代表大会常务委员会第一次会议通过");
            let meta = Meta {
                title,
                history: vec![HistoryEvent {
                    text,
                    date: None,
                    body: None,
                    act: None,
                    kind: statute::model::EventKind::Other,
                }],
                ..Meta::default()
            };
            Statute { meta, body }
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn canonical_round_trip(s in statute()) {
        let md = canonical::to_string(&s);
        let once = parse_str(Path::new("generated"), &md).expect("canonical parses").statute;
        // The body comes back exactly; metadata gains only what is derived from the history.
        prop_assert_eq!(&once.body, &s.body, "{}", md);
        prop_assert_eq!(&once.meta.title, &s.meta.title);
        prop_assert_eq!(once.meta.history.len(), 1);
        prop_assert!(once.meta.version_date.is_some());
        // And from then on parse ∘ render is the identity, metadata included.
        let md2 = canonical::to_string(&once);
        let twice = parse_str(Path::new("generated"), &md2).expect("parses again").statute;
        prop_assert_eq!(&twice, &once);
        prop_assert_eq!(md2, canonical::to_string(&twice));
    }
}
