//! Fuzz target: two arbitrary inputs (split at the first 0xFF byte) parsed and diffed, and
//! the change set rendered in every review format. Nothing may panic, the diff of each
//! entry must rebuild both sides.
#![no_main]

use libfuzzer_sys::fuzz_target;

use statute::diff::chars::{new_text, old_text};
use statute::render::select::{Filter, select};
use statute::render::{decision, diff_json, docx, markdown, table, terminal};

#[path = "../two_versions.rs"]
mod two_versions;

fuzz_target!(|data: &[u8]| {
    let Some((a, b)) = two_versions::parse(data) else {
        return;
    };
    let cs = statute::diff::diff(&a.statute, &b.statute);
    let (oa, na) = (a.statute.articles(), b.statute.articles());
    for e in &cs.entries {
        let join = |side: &[statute::diff::UnitRef], arts: &[statute::model::ArticleRef<'_>]| {
            side.iter()
                .map(|u| arts[u.index].article.text())
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(old_text(&e.diff), join(&e.old, &oa));
        assert_eq!(new_text(&e.diff), join(&e.new, &na));
    }
    let shown = select(
        &cs,
        &Filter {
            all: true,
            ..Filter::default()
        },
    );
    let mut out = Vec::new();
    let opts = terminal::Options {
        color: true,
        side_by_side: true,
        width: Some(40),
    };
    terminal::write(&cs, &shown, &opts, &mut out).expect("memory");
    terminal::write(&cs, &shown, &terminal::Options::default(), &mut out).expect("memory");
    table::write_markdown(&cs, &shown, &mut out).expect("memory");
    table::write_html(&cs, &shown, &mut out).expect("memory");
    markdown::write(&cs, &shown, &mut out).expect("memory");
    decision::write(&cs, &shown, &mut out).expect("memory");
    for pretty in [false, true] {
        diff_json::write(&cs, pretty, &mut out).expect("memory");
    }
    let entries: Vec<_> = shown.iter().map(|s| s.entry).collect();
    docx::write(
        &cs,
        &entries,
        &docx::Options::new(&cs, docx::Layout::Redline),
        &mut out,
    )
    .expect("docx to memory");
});
