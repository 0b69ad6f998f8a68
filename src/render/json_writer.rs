//! A serde serializer that writes the same bytes as `serde_json`, with faster string escaping.
//!
//! `serde_json` looks at each byte of a string on its own to find what needs escaping.
//! Nearly all the JSON `statute` writes is Chinese text, and none of it needs escaping.
//! This serializer checks eight bytes at a time. It hands everything else, such as
//! punctuation, indentation and numbers, to `serde_json`'s own [`Formatter`]
//! (`CompactFormatter` or `PrettyFormatter`). A string's runs and escapes go through the
//! same `write_string_fragment` and `write_char_escape` calls that `serde_json` makes.
//! The output is therefore byte-for-byte `serde_json`'s. The tests below and
//! `tests/it/differ.rs` check this on every fixture and corpus pair. Small writes go into
//! a buffer, which is handed to the writer in 64 KiB blocks between values.
//!
//! Supported: what the wire types use (structs, sequences, tuples, options, strings, bools,
//! integers, floats, unit variants), and maps with string keys. Other enum variants are an
//! error, never a silently different document.

use std::fmt::Display;
use std::io::{self, Write};

use serde::ser::{self, Serialize};
use serde_json::ser::{CharEscape, CompactFormatter, Formatter, PrettyFormatter};

/// Writes `value` as compact JSON, exactly as `serde_json::to_writer` would.
pub fn to_writer<W: Write + ?Sized, T: Serialize + ?Sized>(
    out: &mut W,
    value: &T,
) -> io::Result<()> {
    write_all(out, CompactFormatter, value)
}

/// Writes `value` as indented JSON, exactly as `serde_json::to_writer_pretty` would.
pub fn to_writer_pretty<W: Write + ?Sized, T: Serialize + ?Sized>(
    out: &mut W,
    value: &T,
) -> io::Result<()> {
    write_all(out, PrettyFormatter::new(), value)
}

/// A failed write, or a value this writer does not support.
#[derive(Debug)]
pub struct Error(io::Error);

impl Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<M: Display>(msg: M) -> Self {
        Error(io::Error::other(msg.to_string()))
    }
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error(e)
    }
}

fn unsupported(what: &str) -> Error {
    Error(io::Error::other(format!(
        "the JSON writer does not support {what}"
    )))
}

/// Output is gathered in `buf` (cheap small writes) and handed to `out` in blocks of
/// [`BLOCK`] bytes or more, between values, so that a large document still streams.
struct Serializer<'w, W: Write + ?Sized, F> {
    out: &'w mut W,
    buf: Vec<u8>,
    fmt: F,
}

const BLOCK: usize = 64 * 1024;

/// Serializes `value` and writes all of it to `out`.
fn write_all<W: Write + ?Sized, F: Formatter, T: Serialize + ?Sized>(
    out: &mut W,
    fmt: F,
    value: &T,
) -> io::Result<()> {
    let mut s = Serializer {
        out,
        // Small at first: the feed writes thousands of short documents.
        buf: Vec::with_capacity(4096),
        fmt,
    };
    value.serialize(&mut s).map_err(|e| e.0)?;
    s.out.write_all(&s.buf)
}

/// The bytes JSON must escape: `"`, `\` and controls below U+0020.
fn needs_escape(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// True when some byte of the 8-byte word `w` may need escaping. A word of bytes that all
/// need none gives false; a true answer is checked byte by byte.
fn word_may_need_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    // A byte below 0x20 borrows from its high bit; `!w` drops bytes ≥ 0x80.
    let control = w.wrapping_sub(ONES * 0x20) & !w;
    let quote = w ^ (ONES * u64::from(b'"'));
    let backslash = w ^ (ONES * u64::from(b'\\'));
    let zero = |v: u64| v.wrapping_sub(ONES) & !v;
    (control | zero(quote) | zero(backslash)) & HIGH != 0
}

/// The escape serde_json writes for byte `b` (one that [`needs_escape`]).
fn escape_of(b: u8) -> CharEscape {
    match b {
        b'"' => CharEscape::Quote,
        b'\\' => CharEscape::ReverseSolidus,
        b'\x08' => CharEscape::Backspace,
        b'\x0c' => CharEscape::FormFeed,
        b'\n' => CharEscape::LineFeed,
        b'\r' => CharEscape::CarriageReturn,
        b'\t' => CharEscape::Tab,
        _ => CharEscape::AsciiControl(b),
    }
}

/// Writes the contents of a JSON string (without its quotes), escaping as serde_json does.
fn write_escaped<F: Formatter>(out: &mut Vec<u8>, fmt: &mut F, s: &str) -> io::Result<()> {
    let bytes = s.as_bytes();
    // `start`: first byte not yet written; every escape is ASCII, so each cut is a char
    // boundary.
    let n = bytes.len();
    let (mut start, mut i) = (0, 0);
    while i < n {
        // The eight bytes from `i`; at the end, the last eight (those before `i` are known
        // to need no escape), or the whole short string padded with letters.
        let mut w = [b'a'; 8];
        if i + 8 <= n {
            w.copy_from_slice(&bytes[i..i + 8]);
        } else if n >= 8 {
            w.copy_from_slice(&bytes[n - 8..]);
        } else {
            w[..n].copy_from_slice(bytes);
        }
        if !word_may_need_escape(u64::from_le_bytes(w)) {
            i += 8;
            continue;
        }
        let end = (i + 8).min(n);
        while i < end {
            let b = bytes[i];
            if needs_escape(b) {
                if start < i {
                    fmt.write_string_fragment(out, &s[start..i])?;
                }
                fmt.write_char_escape(out, escape_of(b))?;
                start = i + 1;
            }
            i += 1;
        }
    }
    if start < n {
        fmt.write_string_fragment(out, &s[start..])?;
    }
    Ok(())
}

impl<W: Write + ?Sized, F: Formatter> Serializer<'_, W, F> {
    /// Hands the gathered output to the writer once it fills a block.
    fn spill(&mut self) -> Result<(), Error> {
        if self.buf.len() >= BLOCK {
            self.out.write_all(&self.buf)?;
            self.buf.clear();
        }
        Ok(())
    }

    fn string(&mut self, s: &str) -> Result<(), Error> {
        self.fmt.begin_string(&mut self.buf)?;
        write_escaped(&mut self.buf, &mut self.fmt, s)?;
        self.fmt.end_string(&mut self.buf)?;
        Ok(())
    }
}

impl<'a, 'w, W: Write + ?Sized, F: Formatter> ser::Serializer for &'a mut Serializer<'w, W, F> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, 'w, W, F>;
    type SerializeTuple = Compound<'a, 'w, W, F>;
    type SerializeTupleStruct = Compound<'a, 'w, W, F>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = Compound<'a, 'w, W, F>;
    type SerializeStruct = Compound<'a, 'w, W, F>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        Ok(self.fmt.write_bool(&mut self.buf, v)?)
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        Ok(self.fmt.write_i8(&mut self.buf, v)?)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        Ok(self.fmt.write_i16(&mut self.buf, v)?)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        Ok(self.fmt.write_i32(&mut self.buf, v)?)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        Ok(self.fmt.write_i64(&mut self.buf, v)?)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        Ok(self.fmt.write_i128(&mut self.buf, v)?)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        Ok(self.fmt.write_u8(&mut self.buf, v)?)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        Ok(self.fmt.write_u16(&mut self.buf, v)?)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        Ok(self.fmt.write_u32(&mut self.buf, v)?)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        Ok(self.fmt.write_u64(&mut self.buf, v)?)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        Ok(self.fmt.write_u128(&mut self.buf, v)?)
    }
    // Like serde_json: NaN and infinities are written as null.
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        if v.is_finite() {
            Ok(self.fmt.write_f32(&mut self.buf, v)?)
        } else {
            Ok(self.fmt.write_null(&mut self.buf)?)
        }
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        if v.is_finite() {
            Ok(self.fmt.write_f64(&mut self.buf, v)?)
        } else {
            Ok(self.fmt.write_null(&mut self.buf)?)
        }
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        self.string(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        self.string(v)
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Error> {
        Err(unsupported("byte strings"))
    }
    fn serialize_none(self) -> Result<(), Error> {
        Ok(self.fmt.write_null(&mut self.buf)?)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Ok(self.fmt.write_null(&mut self.buf)?)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        name: &'static str,
    ) -> Result<(), Error> {
        self.string(name)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Error> {
        Err(unsupported("enum variants with data"))
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        self.fmt.begin_array(&mut self.buf)?;
        Ok(Compound {
            s: self,
            first: true,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(unsupported("enum variants with data"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Error> {
        self.fmt.begin_object(&mut self.buf)?;
        Ok(Compound {
            s: self,
            first: true,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Self::SerializeStruct, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(unsupported("enum variants with data"))
    }
}

/// An array or object being written.
pub struct Compound<'a, 'w, W: Write + ?Sized, F> {
    s: &'a mut Serializer<'w, W, F>,
    first: bool,
}

impl<W: Write + ?Sized, F: Formatter> Compound<'_, '_, W, F> {
    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.s.fmt.begin_array_value(&mut self.s.buf, self.first)?;
        self.first = false;
        value.serialize(&mut *self.s)?;
        self.s.fmt.end_array_value(&mut self.s.buf)?;
        self.s.spill()
    }

    fn end_array(self) -> Result<(), Error> {
        Ok(self.s.fmt.end_array(&mut self.s.buf)?)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        self.key(key)?;
        self.value(value)
    }

    fn key(&mut self, key: &str) -> Result<(), Error> {
        self.s.fmt.begin_object_key(&mut self.s.buf, self.first)?;
        self.first = false;
        self.s.string(key)?;
        Ok(self.s.fmt.end_object_key(&mut self.s.buf)?)
    }

    fn value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.s.fmt.begin_object_value(&mut self.s.buf)?;
        value.serialize(&mut *self.s)?;
        self.s.fmt.end_object_value(&mut self.s.buf)?;
        self.s.spill()
    }

    fn end_object(self) -> Result<(), Error> {
        Ok(self.s.fmt.end_object(&mut self.s.buf)?)
    }
}

/// Sequences, tuples and tuple structs are all JSON arrays.
macro_rules! array_like {
    ($trait:ident, $element:ident) => {
        impl<W: Write + ?Sized, F: Formatter> ser::$trait for Compound<'_, '_, W, F> {
            type Ok = ();
            type Error = Error;
            fn $element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.element(value)
            }
            fn end(self) -> Result<(), Error> {
                self.end_array()
            }
        }
    };
}

array_like!(SerializeSeq, serialize_element);
array_like!(SerializeTuple, serialize_element);
array_like!(SerializeTupleStruct, serialize_field);

impl<W: Write + ?Sized, F: Formatter> ser::SerializeStruct for Compound<'_, '_, W, F> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Error> {
        self.end_object()
    }
}

impl<W: Write + ?Sized, F: Formatter> ser::SerializeMap for Compound<'_, '_, W, F> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        // Keys are rare (the parse output's extra front matter): serde_json says what they
        // are; only strings are JSON object keys.
        match serde_json::to_value(key) {
            Ok(serde_json::Value::String(k)) => self.key(&k),
            _ => Err(unsupported("map keys that are not strings")),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.value(value)
    }
    fn end(self) -> Result<(), Error> {
        self.end_object()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::Serialize;
    use std::collections::BTreeMap;

    /// This writer's and serde_json's output.
    type Outputs = (Vec<u8>, Vec<u8>);

    /// Compact and pretty outputs of both writers.
    fn both<T: Serialize>(v: &T) -> (Outputs, Outputs) {
        let (mut a, mut b, mut c, mut d) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        to_writer(&mut a, v).expect("fast compact");
        serde_json::to_writer(&mut b, v).expect("serde_json compact");
        to_writer_pretty(&mut c, v).expect("fast pretty");
        serde_json::to_writer_pretty(&mut d, v).expect("serde_json pretty");
        ((a, b), (c, d))
    }

    fn assert_same<T: Serialize>(v: &T) {
        let ((a, b), (c, d)) = both(v);
        assert_eq!(String::from_utf8_lossy(&a), String::from_utf8_lossy(&b));
        assert_eq!(String::from_utf8_lossy(&c), String::from_utf8_lossy(&d));
    }

    #[derive(Serialize)]
    struct Sample<'a> {
        text: &'a str,
        none: Option<&'a str>,
        some: Option<u32>,
        empty: Vec<u8>,
        nested: Vec<Vec<&'a str>>,
        flags: (bool, bool),
        ratio: f64,
        nan: f64,
        negative: i64,
        map: BTreeMap<&'a str, Vec<u8>>,
        unit: (),
        empty_map: BTreeMap<String, u8>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
    }

    #[test]
    fn writes_what_serde_json_writes() {
        let mut map = BTreeMap::new();
        map.insert("第一条", vec![1, 2]);
        map.insert("\"quoted\"\n", vec![]);
        assert_same(&Sample {
            text: "第十条之一　本法自\t公布之日起施行。\"引号\" \\ \u{1b}[31m\u{7f}\u{2028}\u{0}",
            none: None,
            some: Some(7),
            empty: vec![],
            nested: vec![vec![], vec!["一", "二"]],
            flags: (true, false),
            ratio: 0.875,
            nan: f64::NAN,
            negative: -12,
            map,
            unit: (),
            empty_map: BTreeMap::new(),
            skipped: None,
        });
    }

    #[test]
    fn the_word_test_finds_every_byte_that_needs_escaping() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut w = [b'a'; 8];
                w[at] = b;
                // Neighbours that need no escape but sit near the borrow boundaries.
                let mut hi = [0xe4u8; 8];
                hi[at] = b;
                for word in [w, hi] {
                    let any = word.iter().any(|&x| needs_escape(x));
                    if any {
                        assert!(word_may_need_escape(u64::from_le_bytes(word)), "{word:?}");
                    }
                }
            }
            if !needs_escape(b) {
                assert!(!word_may_need_escape(u64::from_le_bytes([b; 8])), "{b:#x}");
            }
        }
    }

    #[test]
    fn enum_variants_with_data_are_refused_not_misspelt() {
        #[derive(Serialize)]
        enum E {
            A(u8),
        }
        let err = to_writer(&mut Vec::new(), &E::A(1)).expect_err("refused");
        assert!(err.to_string().contains("enum variants"), "{err}");
    }

    #[test]
    fn write_errors_are_returned() {
        struct Full;
        impl Write for Full {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::new(io::ErrorKind::StorageFull, "full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let err = to_writer(&mut Full, &vec!["甲"]).expect_err("full");
        assert_eq!(err.kind(), io::ErrorKind::StorageFull);
    }

    proptest! {
        #[test]
        fn any_strings_come_out_as_serde_json_writes_them(
            v in proptest::collection::vec(any::<String>(), 0..6),
            s in "[\\x00-\\x7f一-龥\"\\\\]{0,40}",
        ) {
            let ((a, b), (c, d)) = both(&(v, s));
            prop_assert_eq!(a, b);
            prop_assert_eq!(c, d);
        }
    }
}
