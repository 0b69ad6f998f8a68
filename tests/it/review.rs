//! Review output (issue 5): snapshots of every format on a fixture pair that has every
//! change kind, and on the bundled example amendment; filters and the CLI's colour and exit
//! codes.

use std::path::Path;

use statute::diff::{ChangeSet, diff};
use statute::parse::parse_file;
use statute::render::select::{Filter, Kind, select};
use statute::render::{decision, diff_json, markdown, table, terminal};

use crate::common::{fixture, root};

fn pair(old: &Path, new: &Path) -> ChangeSet {
    let load = |p: &Path| match parse_file(p) {
        Ok(x) => x.statute,
        Err(e) => panic!("{e}"),
    };
    diff(&load(old), &load(new))
}

/// The fixture pair made to hold every change kind.
fn every_kind() -> ChangeSet {
    pair(&fixture("amend-old.md"), &fixture("amend-new.md"))
}

fn bundled() -> ChangeSet {
    let dir = root().join("versions/天津市信息化促进条例");
    pair(&dir.join("2007-09-12.md"), &dir.join("2025-06-30.md"))
}

fn render(cs: &ChangeSet, f: &Filter, format: &str) -> String {
    let shown = select(cs, f);
    let mut out = Vec::new();
    match format {
        "text" => terminal::write(cs, &shown, &terminal::Options::default(), &mut out),
        "side" => terminal::write(
            cs,
            &shown,
            &terminal::Options {
                color: false,
                side_by_side: true,
                width: Some(72),
            },
            &mut out,
        ),
        "table" => table::write_markdown(cs, &shown, &mut out),
        "html" => table::write_html(cs, &shown, &mut out),
        "markdown" => markdown::write(cs, &shown, &mut out),
        "decision" => decision::write(cs, &shown, &mut out),
        "json" => diff_json::write(cs, true, &mut out),
        _ => unreachable!("{format}"),
    }
    .expect("rendering into memory");
    String::from_utf8(out).expect("UTF-8 output")
}

#[test]
fn every_change_kind_is_present_in_the_fixture() {
    let cs = every_kind();
    let s = cs.summary;
    assert_eq!(
        (s.added, s.deleted, s.split, s.merged, s.moved, s.formal),
        (1, 1, 1, 1, 1, 2),
        "{s:?}"
    );
    assert!(s.modified - s.formal >= 2 && s.renumbered >= 4, "{s:?}");
    assert!(
        cs.entries
            .iter()
            .any(|e| e.new.iter().any(|u| u.label == "第二条之一"))
    );
    assert_eq!(cs.headings.len(), 1);
}

#[test]
fn snapshots_every_kind() {
    let cs = every_kind();
    let f = Filter::default();
    for format in [
        "text", "side", "table", "html", "markdown", "decision", "json",
    ] {
        insta::assert_snapshot!(format!("every_kind_{format}"), render(&cs, &f, format));
    }
}

#[test]
fn snapshots_bundled_amendment() {
    let cs = bundled();
    let f = Filter::default();
    for format in ["text", "table", "decision"] {
        insta::assert_snapshot!(format!("bundled_{format}"), render(&cs, &f, format));
    }
}

#[test]
fn decision_states_each_change_the_way_a_drafter_would() {
    let d = render(&every_kind(), &Filter::default(), "decision");
    for expected in [
        "在第二条后增加一条，作为第二条之一：",
        "将第三条改为两条，分别作为第三条、第四条，修改为：",
        "将第二章的章名修改为“管理与监督”。",
        "将第四条第二项中的“专职人员”修改为“专职管理人员”。",
        "在第四条中增加一项，作为第四项：",
        "将第五条中的“向”修改为“三月底前向”。",
        "在第五条中增加一款，作为第二款：",
        "将第十条、第十一条合并为一条，作为第十一条，修改为：",
        "删去第十二条。",
        "此外，对条文顺序作相应调整。",
    ] {
        assert!(d.contains(expected), "missing {expected:?} in:\n{d}");
    }
    // Formal-only changes (punctuation, a cross-reference that follows the renumbering)
    // are not amendments.
    assert!(!d.contains("将第一条") && !d.contains("将第八条"), "{d}");
    // Items are numbered in the old text's order.
    let first = |s: &str| d.find(s).unwrap_or(usize::MAX);
    assert!(
        first("第二条之一") < first("第三条改为") && first("第三条改为") < first("删去第十二条")
    );
}

#[test]
fn filters_pick_entries() {
    let cs = every_kind();
    let labels = |f: &Filter| -> Vec<String> {
        select(&cs, f)
            .iter()
            .map(|s| {
                let e = s.entry;
                e.new
                    .first()
                    .or(e.old.first())
                    .map(|u| u.label.clone())
                    .unwrap_or_default()
            })
            .collect()
    };
    let only = |k: Kind| Filter {
        only: vec![k],
        ..Filter::default()
    };
    assert_eq!(labels(&only(Kind::Split)), ["第三条"]);
    assert_eq!(labels(&only(Kind::Deleted)), ["第十二条"]);
    assert_eq!(labels(&only(Kind::Moved)), ["第五条"]);
    assert_eq!(labels(&only(Kind::Formal)), ["第一条", "第十条"]);
    // By old or new number.
    let article = |a: &str| Filter {
        article: Some(a.to_string()),
        all: true,
        ..Filter::default()
    };
    // 第四条 is the split's second part in the new version (the entry is labelled by its
    // first part, 第三条) and the old number of the new 第六条.
    assert_eq!(labels(&article("第四条")), ["第三条", "第六条"]);
    assert_eq!(labels(&article("2之一")), ["第二条之一"]);
    let chapter = Filter {
        chapter: Some("法律责任".to_string()),
        ..Filter::default()
    };
    assert_eq!(labels(&chapter), ["第十一条"]);
    // Unchanged neighbours as context.
    let context = Filter {
        only: vec![Kind::Added],
        context: 1,
        ..Filter::default()
    };
    let shown = select(&cs, &context);
    assert_eq!(shown.len(), 3);
    assert!(shown[0].context && !shown[1].context && shown[2].context);
    // By default unchanged entries are hidden; --all shows every one.
    let all = Filter {
        all: true,
        ..Filter::default()
    };
    assert_eq!(select(&cs, &all).len(), cs.entries.len());
    assert!(select(&cs, &Filter::default()).len() < cs.entries.len());
}

#[test]
fn html_is_self_contained_and_printable() {
    let h = render(&every_kind(), &Filter::default(), "html");
    assert!(h.starts_with("<!DOCTYPE html>") && h.contains("@page { size: A4"));
    assert!(!h.contains("http://") && !h.contains("https://") && !h.contains("<script"));
    assert!(h.contains("<del>四</del>") && h.contains("<ins>六</ins>"));
    // The split spans two rows on its old side.
    assert!(h.contains("rowspan=\"2\""));
}

fn statute(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_statute"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("run statute")
}

#[test]
fn cli_formats_colour_and_exit_codes() {
    let (old, new) = (fixture("amend-old.md"), fixture("amend-new.md"));
    let (old, new) = (old.to_str().expect("utf-8"), new.to_str().expect("utf-8"));
    for format in ["text", "json", "table", "html", "markdown", "decision"] {
        let o = statute(&["diff", old, new, "--format", format]);
        assert_eq!(o.status.code(), Some(1), "{format}: substantive changes");
        assert!(!o.stdout.is_empty(), "{format}");
    }
    // Not a terminal: no colour unless asked; marks instead.
    let plain = statute(&["diff", old, new]);
    let plain = String::from_utf8_lossy(&plain.stdout);
    assert!(!plain.contains('\x1b') && plain.contains("{+三月底前+}"));
    let colour = statute(&["diff", old, new, "--color", "always"]);
    let colour = String::from_utf8_lossy(&colour.stdout);
    assert!(colour.contains("\x1b[32;4m三月底前\x1b[0m"), "{colour}");
    // Same version on both sides: nothing substantive, exit 0.
    let same = statute(&["diff", old, old, "--format", "decision"]);
    assert_eq!(same.status.code(), Some(0));
    // A bad filter is a one-line error naming it.
    let bad = statute(&["diff", old, new, "--only", "renamed"]);
    let err = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        err.contains("--only") && err.contains("renamed") && err.trim_end().lines().count() == 1,
        "{err}"
    );
    // Options of another format are refused, not ignored: one line, exit 2.
    for args in [
        &["--docx-layout", "redline"][..],
        &["--format", "table", "--docx-layout", "table"],
        &["--format", "docx", "--changed-only"],
        &[
            "--format",
            "docx",
            "--docx-layout",
            "table",
            "--changed-only",
        ],
    ] {
        let o = statute(&[&["diff", old, new][..], args].concat());
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(o.stdout.is_empty(), "{args:?}");
        let flag = args
            .iter()
            .rev()
            .find(|a| a.starts_with("--"))
            .expect("flag");
        assert!(
            err.contains(flag) && err.trim_end().lines().count() == 1,
            "{args:?}: {err}"
        );
    }
    // Filters reach the binary.
    let only = statute(&["diff", old, new, "--only", "deleted", "--color", "never"]);
    let only = String::from_utf8_lossy(&only.stdout);
    assert!(
        only.contains("第十二条 [删除]") && !only.contains("第二条之一"),
        "{only}"
    );
}

/// Every amendment in the corpus renders in every review format, side by side included,
/// and the decision has an item for every substantive article change it shows (of the main
/// body's articles: nothing else has a place an instruction can name).
#[test]
fn every_corpus_amendment_renders_in_every_format() {
    let Some(dir) = crate::common::corpus() else {
        return;
    };
    let mut pairs = 0;
    for st in &crate::common::statute_dirs(&dir) {
        let versions = crate::common::md_files(st);
        for w in versions.windows(2) {
            let cs = pair(&w[0], &w[1]);
            for format in ["text", "side", "table", "html", "markdown", "decision"] {
                let out = render(&cs, &Filter::default(), format);
                assert!(!out.is_empty(), "{}: {format}", w[1].display());
            }
            let decision = render(&cs, &Filter::default(), "decision");
            let items = decision
                .lines()
                .filter(|l| {
                    l.split_once('、').is_some_and(|(n, _)| {
                        !n.is_empty() && n.chars().all(statute::numerals::is_numeral_char)
                    })
                })
                .count();
            // Units without an article number (the points of a decision without 条,
            // positional paragraphs, anything in an annex) have no place an instruction can
            // name: the decision does not state their changes.
            let article = |u: &statute::diff::UnitRef| {
                matches!(u.num, statute::model::UnitNum::Article { .. }) && u.annex.is_none()
            };
            let substantive = cs
                .entries
                .iter()
                .filter(|e| e.old.iter().chain(&e.new).all(article))
                .filter(|e| {
                    e.substantive
                        || e.moved
                            && matches!(
                                e.kind,
                                statute::diff::EntryKind::Unchanged
                                    | statute::diff::EntryKind::Modified
                            )
                })
                .count();
            // A changed 引言 (the text before the first article) is restated as an item too,
            // and each annex that is gone is deleted by one.
            let texts = cs.texts.iter().filter(|t| t.substantive).count()
                + cs.texts
                    .iter()
                    .filter(|t| t.path == ["附件"])
                    .flat_map(|t| t.old.iter().flat_map(|o| o.lines()))
                    .count();
            assert!(
                items >= substantive.min(1) && items <= substantive + cs.headings.len() + texts,
                "{}: {items} items for {substantive} substantive entries",
                w[1].display()
            );
            pairs += 1;
        }
    }
    assert!(pairs >= 111, "{pairs}");
}

/// Statute text with escape sequences, an OSC 8 link, backspaces and a bidi override never
/// reaches the output raw, in any format; only the review's own colour codes do.
#[test]
fn hostile_text_is_escaped_in_every_format() {
    let (old, new) = (fixture("hostile-old.md"), fixture("hostile-new.md"));
    let (old, new) = (old.to_str().expect("utf-8"), new.to_str().expect("utf-8"));
    let ours = [
        "\x1b[31;9m",
        "\x1b[32;4m",
        "\x1b[1m",
        "\x1b[2m",
        "\x1b[33m",
        "\x1b[0m",
    ];
    let runs: [&[&str]; 7] = [
        &["--color", "never"],
        &["--color", "always"],
        &["--color", "always", "--side-by-side"],
        &["--format", "table"],
        &["--format", "html"],
        &["--format", "markdown"],
        &["--format", "decision"],
    ];
    for extra in runs {
        let mut args = vec!["diff", old, new];
        args.extend_from_slice(extra);
        let o = statute(&args);
        assert_eq!(o.status.code(), Some(1), "{extra:?}");
        let mut text = String::from_utf8(o.stdout).expect("UTF-8 output");
        for code in ours {
            text = text.replace(code, "");
        }
        let raw: Vec<char> = text
            .chars()
            .filter(|&c| {
                (c.is_control() && c != '\n')
                    || ('\u{202a}'..='\u{202e}').contains(&c)
                    || ('\u{2066}'..='\u{2069}').contains(&c)
            })
            .collect();
        assert!(raw.is_empty(), "{extra:?}: raw {raw:?} in\n{text}");
        // Shown escaped (the decision quotes only the inserted text, without the ESCs).
        let whole = !extra.contains(&"decision");
        assert!(
            text.contains("<U+202E>") && (!whole || text.contains('␛')),
            "{extra:?}: {text}"
        );
    }
}

/// `show`, `log` and `history` on a terminal (a pseudo-terminal made by util-linux `script`)
/// show statute text's escape sequences and bidi overrides escaped; piped, `show` stays exact.
#[test]
fn store_output_on_a_terminal_is_escaped() {
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipping: util-linux `script` not found (needed for a pseudo-terminal)");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("store");
    let store = store.to_str().expect("utf-8");
    let new = fixture("hostile-new.md");
    assert_eq!(statute(&["--store", store, "init"]).status.code(), Some(0));
    let o = statute(&["--store", store, "import", new.to_str().expect("utf-8")]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let bin = env!("CARGO_BIN_EXE_statute");
    for cmd in ["show 终端安全", "log 终端安全", "history 终端安全 第三条"] {
        let o = std::process::Command::new("script")
            .args([
                "-q",
                "-e",
                "-c",
                &format!("{bin} --store {store} {cmd}"),
                "/dev/null",
            ])
            .output()
            .expect("run script");
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(
            !text.contains('\x1b') && !text.contains('\u{202e}'),
            "{cmd}: {text:?}"
        );
        if cmd.starts_with("show") || cmd.starts_with("history") {
            assert!(
                text.contains('␛') || text.contains("<U+202E>"),
                "{cmd}: {text}"
            );
        }
    }
    // Piped, the canonical text is exact.
    let o = statute(&["--store", store, "show", "终端安全"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains('\x1b'));
}

/// `statute diff --width N`: no line is wider than N display columns — title, summary,
/// headers and text, inline and side by side (colour off, so the text measured is the text
/// shown) — on the fixture pairs and, when the corpus is present, on 立法法 2015 → 2023.
#[test]
fn no_line_is_wider_than_the_width() {
    let mut pairs = vec![
        (fixture("amend-old.md"), fixture("amend-new.md")),
        (fixture("park-2020.md"), fixture("park-2024.md")),
    ];
    if let Some(dir) = crate::common::corpus() {
        let lif = dir.join("multi/宪法相关法/中华人民共和国立法法");
        pairs.push((lif.join("2015-03-15.md"), lif.join("2023-03-13.md")));
    }
    for (old, new) in &pairs {
        let (old, new) = (old.to_str().expect("utf-8"), new.to_str().expect("utf-8"));
        for width in [60usize, 80, 100, 200] {
            let w = width.to_string();
            for side in [false, true] {
                for all in [false, true] {
                    let mut args = vec!["diff", old, new, "--color", "never", "--width", &w];
                    if side {
                        args.push("--side-by-side");
                    }
                    if all {
                        args.push("--all");
                    }
                    let o = statute(&args);
                    assert_eq!(o.status.code(), Some(1), "{args:?}");
                    let text = String::from_utf8_lossy(&o.stdout);
                    assert!(text.lines().count() > 5, "{args:?}: {text}");
                    for line in text.lines() {
                        assert!(
                            terminal::text_width(line) <= width,
                            "{args:?}: {} columns: {line:?}",
                            terminal::text_width(line)
                        );
                    }
                }
            }
        }
    }
}

/// The text a CommonMark/GFM renderer shows for `md` (tables and strikethrough on), with
/// the inserted and deleted runs it marks (inside `<ins>`/`<del>`, strong or struck), and
/// for each table row its number of cells.
struct Rendered {
    text: String,
    inserted: Vec<String>,
    deleted: Vec<String>,
    row_cells: Vec<usize>,
}

fn commonmark(md: &str) -> Rendered {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
    let mut r = Rendered {
        text: String::new(),
        inserted: Vec::new(),
        deleted: Vec::new(),
        row_cells: Vec::new(),
    };
    // Open marks: (inserted?, text so far).
    let mut open: Vec<(bool, String)> = Vec::new();
    let mut cells = 0;
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    for ev in Parser::new_ext(md, opts) {
        match ev {
            Event::Text(t) | Event::Code(t) => {
                r.text.push_str(&t);
                for (_, s) in &mut open {
                    s.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak | Event::End(TagEnd::Paragraph) => {
                r.text.push('\n')
            }
            Event::InlineHtml(h) | Event::Html(h) => match h.trim() {
                "<ins>" => open.push((true, String::new())),
                "<del>" => open.push((false, String::new())),
                "</ins>" | "</del>" => {
                    if let Some((ins, s)) = open.pop() {
                        if ins { &mut r.inserted } else { &mut r.deleted }.push(s);
                    }
                }
                _ => {}
            },
            Event::Start(Tag::Strong) => open.push((true, String::new())),
            Event::Start(Tag::Strikethrough) => open.push((false, String::new())),
            Event::End(TagEnd::Strong | TagEnd::Strikethrough) => {
                if let Some((ins, s)) = open.pop() {
                    if ins { &mut r.inserted } else { &mut r.deleted }.push(s);
                }
            }
            Event::Start(Tag::TableRow | Tag::TableHead) => cells = 0,
            Event::Start(Tag::TableCell) => cells += 1,
            Event::End(TagEnd::TableRow | TagEnd::TableHead) => r.row_cells.push(cells),
            _ => {}
        }
    }
    r
}

/// Checks that a Markdown review renders: no `**`, `~~`, `<ins>` or `<del>` left as text,
/// every table row three cells.
fn assert_renders(md: &str, what: &str) -> Rendered {
    let r = commonmark(md);
    for mark in ["**", "~~", "<ins>", "</ins>", "<del>", "</del>"] {
        if let Some(at) = r.text.find(mark) {
            let from = r.text[..at]
                .char_indices()
                .rev()
                .nth(20)
                .map_or(0, |(i, _)| i);
            let to = (at + 60).min(r.text.len());
            let to = (to..=r.text.len())
                .find(|&i| r.text.is_char_boundary(i))
                .unwrap_or(r.text.len());
            panic!("{what}: {mark:?} shown as text: …{}…", &r.text[from..to]);
        }
    }
    assert!(
        r.row_cells.iter().all(|&n| n == 3),
        "{what}: rows of {:?} cells",
        r.row_cells
    );
    r
}

/// `--format table` and `--format markdown` read through a CommonMark/GFM parser: the marks
/// of insertions and deletions render (next to CJK punctuation too) and mark the right text,
/// on the fixture pairs and every consecutive pair of the corpus's multi-version statutes.
#[test]
fn markdown_formats_render_through_commonmark() {
    let every = Filter {
        all: true,
        ..Filter::default()
    };
    for (old, new) in [
        ("amend-old.md", "amend-new.md"),
        ("park-2020.md", "park-2024.md"),
    ] {
        let cs = pair(&fixture(old), &fixture(new));
        for format in ["table", "markdown"] {
            for f in [&Filter::default(), &every] {
                let r = assert_renders(&render(&cs, f, format), &format!("{new}: {format}"));
                assert!(!r.inserted.is_empty() && !r.deleted.is_empty(), "{new}");
            }
        }
    }
    let cs = every_kind();
    for format in ["table", "markdown"] {
        let r = commonmark(&render(&cs, &Filter::default(), format));
        for ins in [
            "三月底前",
            "管理",
            "本条例所称示范单位，是指经市主管部门认定的单位。",
        ] {
            assert!(
                r.inserted.iter().any(|t| t == ins),
                "{format}: {ins} in {:?}",
                r.inserted
            );
        }
        for del in ["，", "本条例具体应用中的问题由市人民政府负责解释。"] {
            assert!(
                r.deleted.iter().any(|t| t == del),
                "{format}: {del} in {:?}",
                r.deleted
            );
        }
    }
    let Some(dir) = crate::common::corpus() else {
        return;
    };
    let mut pairs = 0;
    for st in crate::common::statute_dirs(&dir) {
        let versions = crate::common::md_files(&st);
        for w in versions.windows(2) {
            let cs = pair(&w[0], &w[1]);
            for format in ["table", "markdown"] {
                assert_renders(
                    &render(&cs, &Filter::default(), format),
                    &format!("{}: {format}", w[1].display()),
                );
            }
            pairs += 1;
        }
    }
    assert!(pairs >= 111, "{pairs}");
}
