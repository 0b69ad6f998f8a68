//! JSON Schema of the wire formats, generated from their Rust types with schemars: the
//! committed files under `schema/` are these bytes, and a test fails when they drift apart.

use schemars::{JsonSchema, generate::SchemaSettings};

/// Generates one schema file's text.
pub type Generator = fn() -> String;

/// The committed schema files: (file name under `schema/`, generator).
pub const FILES: [(&str, Generator); 4] = [
    ("statute-diff-1.json", diff_schema),
    ("statute-feed-1.json", feed_schema),
    ("statute-apply-1.json", apply_schema),
    ("statute-refs-1.json", refs_schema),
];

fn generate<T: JsonSchema>(id: &str, title: &str) -> String {
    let mut schema = SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<T>();
    schema.insert("$id".into(), id.into());
    schema.insert("title".into(), title.into());
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

/// The schema of `statute diff --format json`: one `statute-diff/1` document.
pub fn diff_schema() -> String {
    generate::<crate::render::diff_json::Doc<'static>>(
        "https://statute.invalid/schema/statute-diff-1.json",
        "statute-diff/1",
    )
}

/// The schema of one feed event (a line of `statute feed --format jsonl`, an element of the
/// `--format json` array).
pub fn feed_schema() -> String {
    generate::<super::wire::Event>(
        "https://statute.invalid/schema/statute-feed-1.json",
        "statute-feed/1",
    )
}

/// The schema of `statute apply --report json`: one `statute-apply/1` document.
pub fn apply_schema() -> String {
    generate::<crate::render::apply_report::Report<'static>>(
        "https://statute.invalid/schema/statute-apply-1.json",
        "statute-apply/1",
    )
}

/// The schema of `statute refs --format json` and `statute cites --format json`: one
/// `statute-refs/1` document.
pub fn refs_schema() -> String {
    generate::<crate::render::refs::Doc<'static>>(
        "https://statute.invalid/schema/statute-refs-1.json",
        "statute-refs/1",
    )
}
