//! One fuzz input read as two versions of a statute: the bytes before the first 0xFF byte
//! (which no UTF-8 text holds) and those after it, or the two halves when there is none.
//! Shared by the `diff` fuzz target and the test that replays its inputs
//! (`tests/it/fuzz_corpus.rs`), which both include this file with `#[path = …] mod`.

use std::path::Path;

use statute::parse::{Parsed, parse_bytes};

/// The two versions in `data`, parsed, or `None` when either is refused.
pub fn parse(data: &[u8]) -> Option<(Parsed, Parsed)> {
    let (a, b) = split(data);
    let (Ok(a), Ok(b)) = (
        parse_bytes(Path::new("a"), a),
        parse_bytes(Path::new("b"), b),
    ) else {
        return None;
    };
    Some((a, b))
}

/// The bytes of each version.
fn split(data: &[u8]) -> (&[u8], &[u8]) {
    let cut = data
        .iter()
        .position(|&b| b == 0xFF)
        .unwrap_or(data.len() / 2);
    (&data[..cut], &data[(cut + 1).min(data.len())..])
}
