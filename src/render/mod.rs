//! Renderers: each writes to an `impl Write`; none prints or recomputes anything.

pub mod apply_report;
pub mod decision;
pub mod diff_json;
pub mod docx;
pub mod json;
pub mod markdown;
pub mod refs;
pub mod report;
pub mod safe;
pub mod select;
pub mod store;
pub mod table;
pub mod terminal;

use std::io::{self, BufWriter, Write};

use serde::Serialize;

/// serde_json makes a write for each token: they are gathered in a buffer of this size.
const JSON_BUFFER: usize = 64 * 1024;

/// Writes `value` as one JSON document (indented when `pretty`) and a newline, through a
/// buffer: `out` may be a pipe or file written unbuffered.
pub fn write_json<T: Serialize + ?Sized>(
    out: &mut impl Write,
    value: &T,
    pretty: bool,
) -> io::Result<()> {
    let mut w = BufWriter::with_capacity(JSON_BUFFER, out);
    if pretty {
        serde_json::to_writer_pretty(&mut w, value)?;
    } else {
        serde_json::to_writer(&mut w, value)?;
    }
    w.write_all(b"\n")?;
    w.flush()
}

/// Writes `values` as JSON Lines: each compact, on a line of its own, through one buffer.
pub fn write_json_lines<T: Serialize>(out: &mut impl Write, values: &[T]) -> io::Result<()> {
    let mut w = BufWriter::with_capacity(JSON_BUFFER, out);
    for v in values {
        serde_json::to_writer(&mut w, v)?;
        w.write_all(b"\n")?;
    }
    w.flush()
}
