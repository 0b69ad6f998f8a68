//! Bytes to text: BOMs, UTF-8, GB18030/GBK and Big5 detection, binary rejection, CRLF.

use std::borrow::Cow;
use std::path::Path;

use crate::error::{Error, Result};

/// Decoded text and the encoding it was read as.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// `UTF-8`, `GB18030`, `Big5`, `UTF-16LE`, `UTF-16BE`.
    pub encoding: &'static str,
    /// Control characters, and the byte offset of the first, when the text holds more than
    /// [`TRACE`] of them but not so many that it is plainly binary. Whether they are too many
    /// (see [`over_trace`]) is decided on the statute's canonical text, which is what is
    /// stored and read back: markup, front matter and blank lines that the parser drops must
    /// not tip the balance one way for the source and the other for its canonical form.
    pub controls: Option<(usize, usize)>,
}

/// Decodes a statute file. UTF-8 (with or without BOM) is taken as it is; UTF-16 with a BOM,
/// GB18030/GBK and Big5 are detected and converted. Line endings become `\n`.
pub fn decode<'a>(path: &Path, bytes: &'a [u8]) -> Result<Decoded<'a>> {
    if bytes.is_empty() {
        return Err(Error::Empty { path: path.into() });
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return match utf8(rest) {
            Ok(s) => finish(path, Cow::Borrowed(s), "UTF-8 with BOM"),
            Err(e) => Err(Error::Encoding {
                path: path.into(),
                offset: e.valid_up_to() + 3,
            }),
        };
    }
    for (bom, enc, name) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE, "UTF-16LE"),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE, "UTF-16BE"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return match enc.decode_without_bom_handling_and_without_replacement(rest) {
                Some(s) => finish(path, Cow::Owned(s.into_owned()), name),
                None => Err(Error::Encoding {
                    path: path.into(),
                    offset: 2,
                }),
            };
        }
    }
    // Valid UTF-8 is read as it is (a NUL in it is found by `finish`, in the same pass as
    // the other control characters).
    let utf8_err = match utf8(bytes) {
        Ok(s) => return finish(path, Cow::Borrowed(s), "UTF-8"),
        Err(e) => e,
    };
    if let Some(pos) = memchr::memchr(0, bytes) {
        return Err(Error::Binary {
            path: path.into(),
            what: format!("NUL byte at offset {pos}"),
        });
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    let guess = det.guess(None, false);
    // Only the Chinese legacy encodings are plausible for a statute; a Western single-byte
    // guess would "decode" any garbage, so it is not accepted.
    let candidates: &[(&'static encoding_rs::Encoding, &'static str)] =
        if guess == encoding_rs::BIG5 {
            &[
                (encoding_rs::BIG5, "Big5"),
                (encoding_rs::GB18030, "GB18030"),
            ]
        } else {
            &[
                (encoding_rs::GB18030, "GB18030"),
                (encoding_rs::BIG5, "Big5"),
            ]
        };
    for (enc, name) in candidates {
        if let Some(s) = enc.decode_without_bom_handling_and_without_replacement(bytes)
            && looks_like_text(&s)
        {
            return finish(path, Cow::Owned(s.into_owned()), name);
        }
    }
    Err(Error::Encoding {
        path: path.into(),
        offset: utf8_err.valid_up_to(),
    })
}

/// `bytes` as UTF-8: validated with SIMD (simdutf8), and again by std only on failure, to
/// say where.
fn utf8(bytes: &[u8]) -> std::result::Result<&str, std::str::Utf8Error> {
    simdutf8::basic::from_utf8(bytes).or_else(|_| std::str::from_utf8(bytes))
}

/// High bit of each byte of `x` set where that byte is below `n` (exact for n ≤ 0x80).
#[inline]
fn below(x: u64, n: u8) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let t = (x & LOW7) + 0x0101_0101_0101_0101 * (0x80 - n as u64);
    !(t | x) & HIGH
}

/// High bit of each byte of `x` set where that byte equals `b`.
#[inline]
fn equal(x: u64, b: u8) -> u64 {
    below(x ^ (0x0101_0101_0101_0101 * b as u64), 1)
}

/// One pass over text for what the binary check needs to know.
#[derive(Debug, PartialEq)]
struct Scan {
    /// An upper bound on the control characters: bytes below 0x20 except `\n`, `\r`, `\t`,
    /// form feed and escape, plus DEL and C1 lead bytes (0xC2).
    controls: usize,
    nul: bool,
    cr: bool,
}

/// Scans `bytes` a machine word at a time, without branches.
fn scan(bytes: &[u8]) -> Scan {
    let (mut n, mut nul, mut cr) = (0usize, 0u64, 0u64);
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        let x = u64::from_le_bytes(w);
        let r = equal(x, b'\r');
        let ok = equal(x, b'\n') | r | equal(x, b'\t') | equal(x, 0x0c) | equal(x, 0x1b);
        let bad = (below(x, 0x20) & !ok) | equal(x, 0x7f) | equal(x, 0xc2);
        n += bad.count_ones() as usize;
        nul |= equal(x, 0);
        cr |= r;
    }
    let mut out = Scan {
        controls: n,
        nul: nul != 0,
        cr: cr != 0,
    };
    for &b in chunks.remainder() {
        out.controls += ((b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b))
            || b == 0x7f
            || b == 0xc2) as usize;
        out.nul |= b == 0;
        out.cr |= b == b'\r';
    }
    out
}

/// A decoded legacy-encoding candidate must be mostly CJK text, not control characters or
/// private-use code points that a wrong encoding produces from random bytes.
fn looks_like_text(s: &str) -> bool {
    let mut total = 0usize;
    let mut bad = 0usize;
    for c in s.chars() {
        total += 1;
        if (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
            || ('\u{E000}'..='\u{F8FF}').contains(&c)
        {
            bad += 1;
        }
    }
    total > 0 && bad * 100 <= total
}

/// The control characters in text: C0 controls other than line breaks, tab, form feed and
/// escape; DEL; C1 controls (`C2 80`..`C2 9F` in UTF-8). Their number, and the byte offset of
/// the first.
pub(crate) fn controls(bytes: &[u8]) -> (usize, Option<usize>) {
    // Candidate bytes are counted without branches (vectorised); only when there are enough
    // of them to matter is each one examined.
    if scan(bytes).controls <= TRACE {
        return (0, None);
    }
    let mut controls = 0usize;
    let mut first = None;
    for (i, &b) in bytes.iter().enumerate() {
        let control = match b {
            b'\n' | b'\r' | b'\t' | 0x0c | 0x1b => false,
            0..=0x1f | 0x7f => true,
            0xc2 => bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)),
            _ => false,
        };
        if control {
            controls += 1;
            first.get_or_insert(i);
        }
    }
    (controls, first)
}

/// Up to this many control characters are a trace, whatever the length of the text.
pub(crate) const TRACE: usize = 16;

/// Whether `controls` control characters in `len` bytes of text are more than a trace: more
/// than [`TRACE`], and more than about one per hundred characters (three bytes each in CJK
/// text).
pub(crate) fn over_trace(controls: usize, len: usize) -> bool {
    controls > TRACE && controls * 300 > len
}

fn finish<'a>(path: &Path, text: Cow<'a, str>, encoding: &'static str) -> Result<Decoded<'a>> {
    // Control characters other than whitespace in more than a trace amount mean binary data.
    // Counted on bytes: C0 controls and DEL are single bytes, C1 controls are C2 80..C2 9F.
    let bytes = text.as_bytes();
    let seen = scan(bytes);
    // A NUL character is never text, whatever encoding produced it (UTF-16 gibberish can).
    if seen.nul {
        let pos = memchr::memchr(0, bytes).unwrap_or(0);
        return Err(Error::Binary {
            path: path.into(),
            what: if encoding.starts_with("UTF-8") {
                let bom = if encoding == "UTF-8" { 0 } else { 3 };
                format!("NUL byte at offset {}", pos + bom)
            } else {
                format!("NUL character at offset {pos} of the decoded text")
            },
        });
    }
    let (controls, first) = if seen.controls > TRACE {
        controls(bytes)
    } else {
        (0, None)
    };
    let first = first.unwrap_or(0);
    // Ten times the density that text may hold: binary data, whatever the parser makes of it.
    if controls > TRACE && controls * 30 > bytes.len() {
        return Err(Error::Binary {
            path: path.into(),
            what: format!("{controls} control characters, the first at byte {first}"),
        });
    }
    let controls = (controls > TRACE).then_some((controls, first));
    let text = if seen.cr {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        text
    };
    Ok(Decoded {
        text,
        // A BOM is named only in errors.
        encoding: if encoding.starts_with("UTF-8") {
            "UTF-8"
        } else {
            encoding
        },
        controls,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p() -> &'static Path {
        Path::new("t.txt")
    }

    #[test]
    fn utf8_with_bom_and_crlf() {
        let d = decode(p(), "\u{feff}第一条 甲。\r\n乙。\r\n".as_bytes()).unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert_eq!(d.text, "第一条 甲。\n乙。\n");
    }

    #[test]
    fn nul_decoded_from_utf16_is_binary() {
        // Found by fuzzing: UTF-16 text holding U+0000 parsed, and its canonical form did not.
        let mut bytes = vec![0xFE, 0xFF];
        for u in "第一条\u{0}甲。".encode_utf16() {
            bytes.extend_from_slice(&u.to_be_bytes());
        }
        assert!(matches!(decode(p(), &bytes), Err(Error::Binary { .. })));
    }

    #[test]
    fn gb18030_is_detected() {
        let (bytes, _, _) = encoding_rs::GB18030.encode("第一条 为了规范立法活动，制定本法。\n");
        let d = decode(p(), &bytes).unwrap();
        assert_eq!(d.encoding, "GB18030");
        assert_eq!(d.text, "第一条 为了规范立法活动，制定本法。\n");
    }

    #[test]
    fn big5_is_detected() {
        let (bytes, _, _) = encoding_rs::BIG5
            .encode("第一條 為了規範立法活動，健全國家立法制度，提高立法質量，制定本法。\n");
        let d = decode(p(), &bytes).unwrap();
        assert_eq!(d.encoding, "Big5");
        assert!(d.text.starts_with("第一條"));
    }

    #[test]
    fn rejects_empty_binary_and_garbage() {
        assert!(matches!(decode(p(), b""), Err(Error::Empty { .. })));
        assert!(matches!(decode(p(), b"ab\0cd"), Err(Error::Binary { .. })));
        let garbage = [0xFFu8, 0xFE, 0x80, 0x80, 0xFF, b'a', 0xFF, 0x81, 0x20];
        assert!(matches!(
            decode(p(), &garbage[2..]),
            Err(Error::Encoding { .. })
        ));
    }

    #[test]
    fn word_at_a_time_scan_matches_bytewise() {
        let slow = |b: &[u8]| {
            b.iter()
                .filter(|&&c| {
                    (c < 0x20 && !matches!(c, b'\n' | b'\r' | b'\t' | 0x0c | 0x1b))
                        || c == 0x7f
                        || c == 0xc2
                })
                .count()
        };
        let mut x: u32 = 7;
        for len in 0..200 {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                    (x >> 16) as u8
                })
                .collect();
            let want = Scan {
                controls: slow(&bytes),
                nul: bytes.contains(&0),
                cr: bytes.contains(&b'\r'),
            };
            assert_eq!(scan(&bytes), want, "{bytes:?}");
            // Text without NUL or CR: each bit reports on its own byte.
            let text: Vec<u8> = bytes
                .iter()
                .map(|&b| b.max(1))
                .filter(|&b| b != b'\r')
                .collect();
            assert_eq!(
                scan(&text),
                Scan {
                    controls: slow(&text),
                    nul: false,
                    cr: false
                }
            );
        }
    }
}
