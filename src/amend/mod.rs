//! Amending instructions: what a 修改决定 says to do to a statute's text. The draft decision
//! (`render::decision`) states its phrase edits in these terms and proves each one by
//! applying it; read back from a decision's words ([`PhraseEdit::parse`]), they give the same
//! edit, so that the drafter and a reader of amending acts agree on what an instruction means.

/// A phrase instruction: it changes every occurrence of the text it quotes in its scope (an
/// article, 款, 项 or 目), as “中的” says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhraseEdit {
    /// 将“from”修改为“to”
    Replace { from: String, to: String },
    /// 在“anchor”后增加“text”
    InsertAfter { anchor: String, text: String },
    /// 在“anchor”前增加“text”
    InsertBefore { anchor: String, text: String },
    /// 删去“text”
    Delete { text: String },
}

impl PhraseEdit {
    /// The text the instruction quotes from the old version (what it looks for).
    pub fn find(&self) -> &str {
        match self {
            PhraseEdit::Replace { from, .. } => from,
            PhraseEdit::InsertAfter { anchor, .. } | PhraseEdit::InsertBefore { anchor, .. } => {
                anchor
            }
            PhraseEdit::Delete { text } => text,
        }
    }

    /// What every occurrence of [`find`](Self::find) becomes.
    pub fn becomes(&self) -> String {
        match self {
            PhraseEdit::Replace { to, .. } => to.clone(),
            PhraseEdit::InsertAfter { anchor, text } => format!("{anchor}{text}"),
            PhraseEdit::InsertBefore { anchor, text } => format!("{text}{anchor}"),
            PhraseEdit::Delete { .. } => String::new(),
        }
    }

    /// `scope` with every occurrence of the quoted text changed; `None` when the scope does
    /// not hold it (the instruction would be wrong there).
    pub fn apply(&self, scope: &str) -> Option<String> {
        let find = self.find();
        if find.is_empty() || !scope.contains(find) {
            return None;
        }
        Some(scope.replace(find, &self.becomes()))
    }

    /// The instruction in official wording, without its place, its verb first:
    /// 将“A”修改为“B”, 在“A”后增加“B”, 在“A”前增加“B”, 删去“A”. Double quotes inside a
    /// quotation become single ones.
    pub fn clause(&self) -> String {
        match self {
            PhraseEdit::Replace { from, to } => format!("将“{}”修改为“{}”", quote(from), quote(to)),
            PhraseEdit::InsertAfter { anchor, text } => {
                format!("在“{}”后增加“{}”", quote(anchor), quote(text))
            }
            PhraseEdit::InsertBefore { anchor, text } => {
                format!("在“{}”前增加“{}”", quote(anchor), quote(text))
            }
            PhraseEdit::Delete { text } => format!("删去“{}”", quote(text)),
        }
    }

    /// Reads one clause in the wording [`clause`](Self::clause) writes (the place, if any,
    /// before 中的 is left to the caller): `None` when it is not one.
    pub fn parse(clause: &str) -> Option<PhraseEdit> {
        let c = clause.trim().trim_end_matches(['。', '；', '，']);
        // 将“A”修改为“B”, or “A”修改为“B” after a first clause that had the 将.
        let c = c.strip_prefix('将').unwrap_or(c);
        if let Some(rest) = c.strip_prefix("删去") {
            let (text, end) = quoted_at_start(rest)?;
            return end.is_empty().then_some(PhraseEdit::Delete { text });
        }
        if let Some(rest) = c.strip_prefix('在') {
            let (anchor, rest) = quoted_at_start(rest)?;
            let (after, rest) = match rest.strip_prefix("后增加") {
                Some(r) => (true, r),
                None => (false, rest.strip_prefix("前增加")?),
            };
            let (text, end) = quoted_at_start(rest)?;
            if !end.is_empty() {
                return None;
            }
            return Some(if after {
                PhraseEdit::InsertAfter { anchor, text }
            } else {
                PhraseEdit::InsertBefore { anchor, text }
            });
        }
        let (from, rest) = quoted_at_start(c)?;
        let (to, end) = quoted_at_start(rest.strip_prefix("修改为")?)?;
        end.is_empty().then_some(PhraseEdit::Replace { from, to })
    }
}

/// Text inside Chinese quotation marks: inner double quotes become single ones.
pub fn quote(s: &str) -> String {
    s.replace('“', "‘").replace('”', "’")
}

/// The quotation `“…”` at the start of `s` (inner ‘’ read back as “”) and what follows it.
fn quoted_at_start(s: &str) -> Option<(String, &str)> {
    let inner = s.strip_prefix('“')?;
    let end = inner.find('”')?;
    let text = inner[..end].replace('‘', "“").replace('’', "”");
    Some((text, &inner[end + '”'.len_utf8()..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_occurrence_in_the_scope_changes() {
        let e = PhraseEdit::Replace {
            from: "法律委员会".into(),
            to: "宪法和法律委员会".into(),
        };
        assert_eq!(
            e.apply("由法律委员会审议，法律委员会可以").as_deref(),
            Some("由宪法和法律委员会审议，宪法和法律委员会可以")
        );
        assert_eq!(e.apply("由委员长会议决定"), None);
        let e = PhraseEdit::InsertAfter {
            anchor: "全国人民代表大会常务委员会".into(),
            text: "根据宪法规定".into(),
        };
        assert_eq!(
            e.apply("全国人民代表大会常务委员会行使国家立法权")
                .as_deref(),
            Some("全国人民代表大会常务委员会根据宪法规定行使国家立法权")
        );
    }

    #[test]
    fn clauses_read_back_as_the_same_edit() {
        for e in [
            PhraseEdit::Replace {
                from: "“一府两院”".into(),
                to: "甲".into(),
            },
            PhraseEdit::InsertAfter {
                anchor: "乙".into(),
                text: "丙、".into(),
            },
            PhraseEdit::InsertBefore {
                anchor: "丁".into(),
                text: "戊".into(),
            },
            PhraseEdit::Delete { text: "己".into() },
        ] {
            assert_eq!(
                PhraseEdit::parse(&e.clause()),
                Some(e.clone()),
                "{}",
                e.clause()
            );
        }
        // A clause after a first one shares its 将.
        assert_eq!(
            PhraseEdit::parse("“和尊严”修改为“、尊严、权威”"),
            Some(PhraseEdit::Replace {
                from: "和尊严".into(),
                to: "、尊严、权威".into()
            })
        );
        assert_eq!(PhraseEdit::parse("将第三条修改为："), None);
    }
}
