//! Terminal safety: statute text shown on a terminal never carries raw control characters.
//! Escape sequences (colours, cursor moves, OSC 8 links, title changes), backspaces and
//! carriage returns that could overwrite what the reader sees, and bidirectional overrides
//! that reorder it, are replaced by visible stand-ins.

use std::borrow::Cow;

/// True for characters that must not reach a terminal as they are.
fn unsafe_char(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        // Bidirectional embeddings, overrides and isolates (Trojan Source), and the
        // marks that would steer them.
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' | '\u{61c}')
}

/// `s` with every unsafe character replaced by a visible stand-in: C0 controls by their
/// control pictures (ESC → ␛, BS → ␈, CR → ␍), DEL by ␡, tabs by a space, and the rest
/// (C1 controls, bidi controls) by `<U+XXXX>`. Line feeds are kept.
pub fn terminal_text(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| unsafe_char(c) || c == '\t') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '\t' => out.push(' '),
            '\u{0}'..='\u{1f}' if unsafe_char(c) => {
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('?'))
            }
            '\u{7f}' => out.push('␡'),
            c if unsafe_char(c) => out.push_str(&format!("<U+{:04X}>", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_never_pass() {
        let hostile = "甲\u{1b}[2J\u{1b}]8;;http://x\u{7}链接\u{1b}]8;;\u{7}乙\u{8}\u{8}丙\r丁\u{202e}戊\u{9b}31m";
        let safe = terminal_text(hostile);
        assert!(safe.chars().all(|c| !unsafe_char(c)), "{safe}");
        assert_eq!(
            safe,
            "甲␛[2J␛]8;;http://x␇链接␛]8;;␇乙␈␈丙␍丁<U+202E>戊<U+009B>31m"
        );
        assert!(matches!(terminal_text("第一条\n甲"), Cow::Borrowed(_)));
    }
}
