//! Mutation benchmark for the statute differ: real statutes from the shared corpus get random
//! amendments whose effect is known (edited phrases, 款 and 项 added or removed, articles
//! inserted, deleted, moved, split and merged, format-only noise, cross-references rewritten
//! after renumbering), are rendered and parsed back as a user would feed them, and the
//! differ's `ChangeSet` is scored against that ground truth.
//!
//! The harder kinds: `rewrite` (30–60 % of an article's characters replaced, clause by clause,
//! with clauses of other articles of the same statute), `template-insert` (a new article copied
//! from an unchanged one with clauses replaced, right after it), `replace-in-place` (an article
//! deleted and an unrelated one put at its place), `shuffle` (a move 3–10 articles away in the
//! same chapter), `split3`, `para-reorder` (the 款 of an article reordered) and `insert-zhier`
//! (之一 and 之二 after an article). Each keeps its truth one a drafter would agree with; the
//! thresholds that ensure it are the constants of [`generate`](mod@generate). Statutes with
//! ad-hoc headings (一、…) are among the sources; statutes with footnotes are not (none in the
//! corpus qualifies).
//!
//! A run: [`Corpus::load`] chooses the statutes, [`generate()`] builds pair `i` (always the
//! same for the same corpus), `statute::diff::diff` compares its old and new side,
//! [`Score::add`] scores the result and [`Score::report`] prints the table. The `it` test
//! `mutation` runs it with thresholds; `statute-eval score` prints the same table and
//! `statute-eval pairs` writes the pairs out.
//!
//! [`scale`](mod@scale) writes a corpus several times the shared one's size (renamed copies,
//! synthetic amendments) for the store's scale benchmark (`statute-eval scale`, `benches/scale.rs`).

pub mod corpus;
pub mod generate;
pub mod lexicon;
pub mod reformat;
pub mod refs;
pub mod render;
pub mod rng;
pub mod scale;
pub mod score;
pub mod text;
pub mod truth;

pub use corpus::{Corpus, Source};
pub use generate::{DEFAULT_PAIRS, GenerateError, generate};
pub use render::Format;
pub use rng::Rng;
pub use score::{Metrics, Score, Timings};
pub use truth::{Pair, Truth};
