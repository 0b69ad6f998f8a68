//! Reading an amending act from a file: its words (any input format and encoding the parser
//! reads), its instructions and its title, date and adopting body.

use std::path::Path;

use super::{Act, ActInfo, parse_act};
use crate::error::{Error, Result};
use crate::parse;

/// An act read from a file.
#[derive(Debug, Clone)]
pub struct ReadAct {
    pub act: Act,
    pub info: ActInfo,
}

/// Reads the act in `path`. A file without a single instruction is refused (it is no
/// amending act); instructions the parser cannot read are kept, as `Unrecognised`.
pub fn read_act(path: &Path) -> Result<ReadAct> {
    read_act_with(path, &parse::ReadOptions::default())
}

/// [`read_act`] with [`parse::ReadOptions`] (a .docx act's tracked changes).
pub fn read_act_with(path: &Path, opts: &parse::ReadOptions) -> Result<ReadAct> {
    let (parsed, text) = parse::parse_file_with_text_with(path, opts)?;
    let act = parse_act(&text);
    // A text none of whose paragraphs reads as an instruction is no amending act (a statute
    // given where an act was meant): refused, not reported paragraph by paragraph.
    if !act.instructions().any(|i| i.recognised()) {
        return Err(Error::Syntax {
            path: path.into(),
            line: 1,
            message: "not an amending act: no instruction found (将…修改为, 删去…, 增加…)".into(),
        });
    }
    let meta = &parsed.statute.meta;
    // The act's own date: the 题注's adoption, else its promulgation or version date.
    let adopted = meta
        .history
        .iter()
        .find(|e| e.date.is_some())
        .and_then(|e| e.date);
    let info = ActInfo {
        title: act
            .title
            .clone()
            .or_else(|| (!meta.title.is_empty()).then(|| meta.title.clone())),
        date: adopted.or(meta.promulgated).or(meta.version_date),
        body: meta.history.iter().find_map(|e| e.body.clone()),
    };
    Ok(ReadAct { act, info })
}

/// A title compared loosely: without 《》, 中华人民共和国, spaces and width differences.
fn title_key(t: &str) -> String {
    let n = crate::normalize::normalize(t);
    let n: String = n.chars().filter(|c| !matches!(c, '<' | '>')).collect();
    n.strip_prefix("中华人民共和国").unwrap_or(&n).to_string()
}

impl Act {
    /// The part that amends the statute titled `title`: the part named so, or the only part
    /// when it names no statute. `Err` lists the statutes the act does amend.
    pub fn part_for(&self, title: &str) -> std::result::Result<&super::ActPart, Vec<String>> {
        let want = title_key(title);
        if let Some(p) = self
            .parts
            .iter()
            .find(|p| p.title.as_deref().is_some_and(|t| title_key(t) == want))
        {
            return Ok(p);
        }
        match self.parts.as_slice() {
            [p] if p.title.is_none() => Ok(p),
            _ => Err(self.parts.iter().filter_map(|p| p.title.clone()).collect()),
        }
    }
}
