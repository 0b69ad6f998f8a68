//! Text grouped by key with bounded memory: appended to an in-memory map until it holds
//! [`Runs::limit`] bytes, then spilled to an unnamed temporary file as a run sorted by key;
//! read back merged, key by key in order, each key's text the concatenation of what was
//! appended to it in the order it was appended (runs are merged in the order they were
//! written). The citation index gathers every statute's incoming citations this way: at
//! national scale they are most of a gigabyte.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

/// Text by key: see the module.
pub(crate) struct Runs {
    map: BTreeMap<String, String>,
    bytes: usize,
    limit: usize,
    runs: Vec<File>,
}

impl Runs {
    /// Keeps at most about `limit` bytes in memory.
    pub(crate) fn new(limit: usize) -> Runs {
        Runs {
            map: BTreeMap::new(),
            bytes: 0,
            limit,
            runs: Vec::new(),
        }
    }

    /// Appends `parts` to the text of `key`.
    pub(crate) fn append(&mut self, key: &str, parts: &[&str]) -> io::Result<()> {
        let text = match self.map.get_mut(key) {
            Some(t) => t,
            None => {
                self.bytes += key.len();
                self.map.entry(key.to_string()).or_default()
            }
        };
        for p in parts {
            text.push_str(p);
            self.bytes += p.len();
        }
        if self.bytes >= self.limit {
            self.spill()?;
        }
        Ok(())
    }

    /// Writes the map as a run: (key length, key, text length, text) per key, in key order.
    fn spill(&mut self) -> io::Result<()> {
        let mut f = BufWriter::new(tempfile::tempfile()?);
        for (k, t) in std::mem::take(&mut self.map) {
            f.write_all(&(k.len() as u64).to_le_bytes())?;
            f.write_all(k.as_bytes())?;
            f.write_all(&(t.len() as u64).to_le_bytes())?;
            f.write_all(t.as_bytes())?;
        }
        let mut f = f.into_inner().map_err(|e| e.into_error())?;
        f.rewind()?;
        self.runs.push(f);
        self.bytes = 0;
        Ok(())
    }

    /// Calls `each` with every key and its whole text, in key order; an error reading or
    /// writing a run becomes `io`'s.
    pub(crate) fn merge<E>(
        mut self,
        io: impl Fn(io::Error) -> E,
        mut each: impl FnMut(&str, &str) -> Result<(), E>,
    ) -> Result<(), E> {
        if self.runs.is_empty() {
            for (k, t) in &self.map {
                each(k, t)?;
            }
            return Ok(());
        }
        if !self.map.is_empty() {
            self.spill().map_err(&io)?;
        }
        let mut readers: Vec<BufReader<File>> = self.runs.into_iter().map(BufReader::new).collect();
        let mut heads: Vec<Option<(String, String)>> = readers
            .iter_mut()
            .map(read_record)
            .collect::<io::Result<_>>()
            .map_err(&io)?;
        let mut text = String::new();
        loop {
            let Some(key) = heads.iter().flatten().map(|(k, _)| k).min().cloned() else {
                return Ok(());
            };
            text.clear();
            for (head, r) in heads.iter_mut().zip(readers.iter_mut()) {
                if head.as_ref().is_some_and(|(k, _)| *k == key) {
                    if let Some((_, t)) = head.take() {
                        text.push_str(&t);
                    }
                    *head = read_record(r).map_err(&io)?;
                }
            }
            each(&key, &text)?;
        }
    }
}

/// The next record of a run, `None` at its end.
fn read_record(r: &mut BufReader<File>) -> io::Result<Option<(String, String)>> {
    let mut len = [0u8; 8];
    match r.read_exact(&mut len) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(e) => return Err(e),
    }
    let key = read_text(r, u64::from_le_bytes(len))?;
    r.read_exact(&mut len)?;
    let text = read_text(r, u64::from_le_bytes(len))?;
    Ok(Some((key, text)))
}

fn read_text(r: &mut BufReader<File>, len: u64) -> io::Result<String> {
    let mut buf = Vec::new();
    r.by_ref().take(len).read_to_end(&mut buf)?;
    if buf.len() as u64 != len {
        return Err(io::ErrorKind::UnexpectedEof.into());
    }
    String::from_utf8(buf).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merged(runs: Runs) -> Vec<(String, String)> {
        let mut out = Vec::new();
        runs.merge(
            |e| e,
            |k, t| -> io::Result<()> {
                out.push((k.to_string(), t.to_string()));
                Ok(())
            },
        )
        .expect("merge");
        out
    }

    fn fill(limit: usize) -> Runs {
        let mut r = Runs::new(limit);
        for (k, t) in [
            ("乙", "1"),
            ("甲", "a"),
            ("乙", "2"),
            ("丙", "x"),
            ("甲", "b"),
            ("乙", "3"),
        ] {
            r.append(k, &[t, "\n"]).expect("append");
        }
        r
    }

    #[test]
    fn spilled_runs_merge_to_what_memory_gives() {
        let in_memory = merged(fill(1 << 20));
        assert_eq!(
            in_memory,
            vec![
                ("丙".to_string(), "x\n".to_string()),
                ("乙".to_string(), "1\n2\n3\n".to_string()),
                ("甲".to_string(), "a\nb\n".to_string()),
            ]
        );
        // A limit of one byte spills after every append: six runs.
        let spilled = fill(1);
        assert_eq!(spilled.runs.len(), 6);
        assert_eq!(merged(spilled), in_memory);
        assert_eq!(merged(fill(8)), in_memory);
    }

    #[test]
    fn nothing_appended_merges_to_nothing() {
        assert!(merged(Runs::new(1)).is_empty());
    }
}
