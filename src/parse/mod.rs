//! Parsing: bytes → text → format detection → metadata and body lines → [`Statute`].
//!
//! Four input formats are detected from the text itself:
//! - **canonical**: this crate's own Markdown (front matter with `format: statute/1`);
//! - **seed**: YAML front matter, `**title**`, `> （history）`, `- **第一条**　　text`;
//! - **corpus**: `# title`, history lines, `<!-- INFO END -->`, `##` headings, `第一条 text`;
//! - **plain**: text copied from the official database or a .docx, no markup.
//!
//! A Word document (.docx, recognised from its content: a zip archive holding
//! `word/document.xml`) is first read into that text by [`docx`], with its tracked changes
//! accepted or rejected as [`ReadOptions`] say, then parsed like the rest.

pub mod body;
pub mod canonical;
mod decode;
pub mod docx;
pub mod history;

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::model::{Date, EventKind, HistoryEvent, Meta, Statute};
use body::Line;

/// The largest input accepted, in bytes. The largest real statute (民法典) is under 1 MB.
pub const MAX_INPUT_BYTES: u64 = 32 * 1024 * 1024;

/// The format an input was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    Canonical,
    Seed,
    Corpus,
    Plain,
    /// A Word document, read into the plain format's text.
    Docx,
}

impl SourceFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            SourceFormat::Canonical => "canonical",
            SourceFormat::Seed => "seed",
            SourceFormat::Corpus => "corpus",
            SourceFormat::Plain => "plain",
            SourceFormat::Docx => "docx",
        }
    }
}

/// Something worth telling the user that did not stop the parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub line: Option<u32>,
    pub message: String,
}

impl Warning {
    pub fn at(line: u32, message: impl Into<String>) -> Warning {
        Warning {
            line: Some(line),
            message: message.into(),
        }
    }

    pub fn file(message: impl Into<String>) -> Warning {
        Warning {
            line: None,
            message: message.into(),
        }
    }

    /// `path:line: warning: message`.
    pub fn display<'a>(&'a self, path: &'a Path) -> impl fmt::Display + 'a {
        struct D<'a>(&'a Warning, &'a Path);
        impl fmt::Display for D<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.0.line {
                    Some(l) => write!(f, "{}:{l}: warning: {}", self.1.display(), self.0.message),
                    None => write!(f, "{}: warning: {}", self.1.display(), self.0.message),
                }
            }
        }
        D(self, path)
    }
}

/// A parsed version with what the parser noticed on the way.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub statute: Statute,
    pub format: SourceFormat,
    pub encoding: &'static str,
    pub warnings: Vec<Warning>,
}

/// How inputs are read, where a format leaves a choice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadOptions {
    /// A .docx's tracked changes: accepted (the default) or rejected.
    pub docx_changes: docx::TrackedChanges,
}

/// Reads and parses a file, and returns its decoded text too (for a reader of the words as
/// written: an amending act's instructions).
pub fn parse_file_with_text(path: &Path) -> Result<(Parsed, String)> {
    parse_file_with_text_with(path, &ReadOptions::default())
}

/// [`parse_file_with_text`] with [`ReadOptions`].
pub fn parse_file_with_text_with(path: &Path, opts: &ReadOptions) -> Result<(Parsed, String)> {
    let bytes = read_bytes(path)?;
    let (parsed, text) = parse_decoded(path, &bytes, opts)?;
    Ok((with_file_date(path, parsed), text.into_owned()))
}

/// Reads and parses a file. The version date falls back to a `YYYY-MM-DD` file name.
pub fn parse_file(path: &Path) -> Result<Parsed> {
    parse_file_with(path, &ReadOptions::default())
}

/// [`parse_file`] with [`ReadOptions`].
pub fn parse_file_with(path: &Path, opts: &ReadOptions) -> Result<Parsed> {
    let bytes = read_bytes(path)?;
    let parsed = parse_bytes_with(path, &bytes, opts)?;
    Ok(with_file_date(path, parsed))
}

/// The version date from a `YYYY-MM-DD` file name, when the text gives none.
fn with_file_date(path: &Path, mut parsed: Parsed) -> Parsed {
    if parsed.statute.meta.version_date.is_none() {
        parsed.statute.meta.version_date = path
            .file_stem()
            .and_then(|s| s.to_str())
            .and_then(Date::parse_iso);
    }
    parsed
}

/// A file's bytes, refused when over [`MAX_INPUT_BYTES`].
fn read_bytes(path: &Path) -> Result<Vec<u8>> {
    let io = |source| Error::Io {
        path: path.into(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > MAX_INPUT_BYTES {
        return Err(Error::TooLarge {
            path: path.into(),
            size,
            limit: MAX_INPUT_BYTES,
        });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // `take` bounds memory even if the file grows while it is read.
    file.take(MAX_INPUT_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Error::TooLarge {
            path: path.into(),
            size: bytes.len() as u64,
            limit: MAX_INPUT_BYTES,
        });
    }
    Ok(bytes)
}

/// Parses the bytes of a file; `path` names it in errors and warnings.
pub fn parse_bytes(path: &Path, bytes: &[u8]) -> Result<Parsed> {
    parse_bytes_with(path, bytes, &ReadOptions::default())
}

/// [`parse_bytes`] with [`ReadOptions`].
pub fn parse_bytes_with(path: &Path, bytes: &[u8], opts: &ReadOptions) -> Result<Parsed> {
    parse_decoded(path, bytes, opts).map(|(parsed, _)| parsed)
}

/// [`parse_bytes`], with the decoded text it parsed.
fn parse_decoded<'a>(
    path: &Path,
    bytes: &'a [u8],
    opts: &ReadOptions,
) -> Result<(Parsed, Cow<'a, str>)> {
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Error::TooLarge {
            path: path.into(),
            size: bytes.len() as u64,
            limit: MAX_INPUT_BYTES,
        });
    }
    if docx::is_zip(bytes) || docx::is_ole(bytes) {
        let doc = docx::read(bytes, opts.docx_changes).map_err(|source| Error::Docx {
            path: path.into(),
            source,
        })?;
        let mut parsed = parse_str(path, &doc.text)?;
        parsed.format = SourceFormat::Docx;
        parsed.warnings.splice(0..0, doc.warnings);
        return Ok((parsed, Cow::Owned(doc.text)));
    }
    let decoded = decode::decode(path, bytes)?;
    let mut parsed = parse_str(path, &decoded.text)?;
    if let Some((controls, first)) = decoded.controls {
        // More than a trace of control characters in the file: too many if they are so in the
        // canonical text that is stored and read back, so that a file is refused exactly when
        // its canonical form would be.
        let mut canonical = Vec::new();
        crate::parse::canonical::write(&parsed.statute, &mut canonical).map_err(|source| {
            Error::Io {
                path: path.into(),
                source,
            }
        })?;
        if decode::over_trace(decode::controls(&canonical).0, canonical.len()) {
            return Err(Error::Binary {
                path: path.into(),
                what: format!("{controls} control characters, the first at byte {first}"),
            });
        }
    }
    parsed.encoding = decoded.encoding;
    if decoded.encoding != "UTF-8" {
        parsed.warnings.insert(
            0,
            Warning::file(format!("decoded from {} to UTF-8", decoded.encoding)),
        );
    }
    Ok((parsed, decoded.text))
}

/// Parses decoded text (`\n` line ends).
pub fn parse_str(path: &Path, text: &str) -> Result<Parsed> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let raw: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut warnings = Vec::new();
    let Prelude {
        format,
        mut meta,
        history,
        body_start,
    } = prelude(path, &raw, &mut warnings)?;
    if meta.title.is_empty() {
        warnings.push(Warning::file("no title found"));
    }
    meta.history = history.events();
    derive_meta(&mut meta);
    let lines = body_lines(&raw, body_start);
    if lines.is_empty() {
        warnings.push(Warning::file("no body text"));
    }
    let body = body::build(&lines, &meta.title, &mut warnings);
    Ok(Parsed {
        statute: Statute { meta, body },
        format,
        encoding: "UTF-8",
        warnings,
    })
}

/// What comes before the body, as the format read it.
struct Prelude {
    format: SourceFormat,
    /// The metadata found there (the history is still text: see `history`).
    meta: Meta,
    history: PreludeHistory,
    /// The index of the first raw line after the prelude.
    body_start: usize,
}

/// The 题注 as the prelude gave it.
enum PreludeHistory {
    /// One entry per event, as canonical front matter lists them.
    Events(Vec<String>),
    /// Lines still to be split into events.
    Lines(Vec<String>),
}

impl PreludeHistory {
    /// Each event read into date, body, amending act and kind.
    fn events(&self) -> Vec<HistoryEvent> {
        match self {
            PreludeHistory::Events(events) => {
                events.iter().map(|e| history::parse_event(e)).collect()
            }
            PreludeHistory::Lines(lines) => history::split_events(lines)
                .iter()
                .map(|e| history::parse_event(e))
                .collect(),
        }
    }
}

/// Detects the format from the text and reads what comes before the body: front matter
/// (canonical or seed), the header block before `<!-- INFO END -->` (corpus), else a title
/// and a history (plain).
fn prelude(path: &Path, raw: &[&str], warnings: &mut Vec<Warning>) -> Result<Prelude> {
    if raw.first().map(|l| l.trim()) == Some("---") {
        front_matter_prelude(path, raw, warnings)
    } else if let Some(end) = raw.iter().position(|l| l.trim() == "<!-- INFO END -->") {
        Ok(corpus_prelude(raw, end))
    } else {
        Ok(plain_prelude(raw))
    }
}

/// The canonical and seed formats: front matter, then `# title` / `**title**` /
/// `> （history）` lines.
fn front_matter_prelude(path: &Path, raw: &[&str], warnings: &mut Vec<Warning>) -> Result<Prelude> {
    let mut meta = Meta::default();
    let mut history_lines: Vec<String> = Vec::new();
    let end = raw[1..]
        .iter()
        .position(|l| matches!(l.trim(), "---" | "..."))
        .map(|i| i + 1)
        .ok_or_else(|| Error::Syntax {
            path: path.into(),
            line: 1,
            message: "front matter opened with --- is never closed".into(),
        })?;
    let yaml = raw[1..end].join("\n");
    let fm = front_matter(path, &yaml)?;
    let canonical = fm.get("format").and_then(|v| v.as_str()) == Some(CANONICAL_FORMAT);
    let canonical_history = apply_front_matter(&mut meta, fm, warnings);
    let mut i = end + 1;
    // Prelude: `# title` / `**title**` / `> （history）` lines before the body. The
    // canonical form writes only the `# title` line there (its history is in the front
    // matter), so after it a `**…**` or `> …` line is body text.
    let mut titled = false;
    while i < raw.len() {
        let t = raw[i].trim();
        if t.is_empty() {
        } else if let Some(title) = t.strip_prefix("# ").filter(|_| !(canonical && titled)) {
            set_title(&mut meta, title.trim(), i, warnings);
            titled = true;
        } else if let Some(title) = bold_only(t).filter(|_| !canonical) {
            set_title(&mut meta, title, i, warnings);
        } else if let Some(h) = t.strip_prefix('>').filter(|_| !canonical) {
            history_lines.push(h.trim().to_string());
        } else {
            break;
        }
        i += 1;
    }
    Ok(Prelude {
        format: if canonical {
            SourceFormat::Canonical
        } else {
            SourceFormat::Seed
        },
        meta,
        history: match canonical_history {
            Some(events) => PreludeHistory::Events(events),
            None => PreludeHistory::Lines(history_lines),
        },
        body_start: i,
    })
}

/// The corpus format: `# title` (and a second `#` line, the subtitle) and history lines
/// before the `<!-- INFO END -->` line at `end`.
fn corpus_prelude(raw: &[&str], end: usize) -> Prelude {
    let mut meta = Meta::default();
    let mut history_lines: Vec<String> = Vec::new();
    let mut titles = 0;
    for line in &raw[..end] {
        let t = line.trim();
        if let Some(title) = t.strip_prefix('#').filter(|_| !t.starts_with("##")) {
            // A bare `#` titles nothing (and would read back as no subtitle).
            if title.trim().is_empty() {
                continue;
            }
            match titles {
                0 => meta.title = title.trim().to_string(),
                _ => meta.subtitle = Some(title.trim().to_string()),
            }
            titles += 1;
        } else if !t.is_empty() {
            history_lines.push(t.to_string());
        }
    }
    Prelude {
        format: SourceFormat::Corpus,
        meta,
        history: PreludeHistory::Lines(history_lines),
        body_start: end + 1,
    }
}

/// Plain text: a first line that is no article and not too long is the title; then a
/// parenthesised history, possibly over several lines, or date lines.
fn plain_prelude(raw: &[&str]) -> Prelude {
    let mut meta = Meta::default();
    let mut history_lines: Vec<String> = Vec::new();
    let mut i = 0;
    while i < raw.len() && raw[i].trim().is_empty() {
        i += 1;
    }
    if i < raw.len() {
        let t = raw[i].trim();
        let t = t.strip_prefix("# ").unwrap_or(t).trim();
        if body::article_line(t).is_none() && !t.starts_with('（') && t.chars().count() <= 80 {
            meta.title = body::squash(t);
            i += 1;
        }
    }
    // History: a parenthesised block, possibly over several lines, or date lines.
    let mut open = false;
    while i < raw.len() {
        let t = raw[i].trim();
        if t.is_empty() {
            i += 1;
            continue;
        }
        let starts = t.starts_with('（') || t.starts_with('(');
        let dated = history::date_prefix(t).is_some();
        // An undated entry into force after dated lines ("发布之日施行", as a .docx made from
        // the corpus format writes it): a short line ending in 施行, no sentence.
        let in_force = !history_lines.is_empty()
            && t.ends_with("施行")
            && t.chars().count() <= 20
            && !t.contains(['。', '，']);
        if open || starts || in_force || (dated && body::article_line(t).is_none()) {
            history_lines.push(t.to_string());
            open = if open || starts {
                !(t.ends_with('）') || t.ends_with(')'))
            } else {
                false
            };
            i += 1;
        } else {
            break;
        }
    }
    Prelude {
        format: SourceFormat::Plain,
        meta,
        history: PreludeHistory::Lines(history_lines),
        body_start: i,
    }
}

/// The body lines from raw line `start` on, without their markup, each with its 1-based
/// line number.
fn body_lines<'a>(raw: &[&'a str], start: usize) -> Vec<Line<'a>> {
    raw[start..]
        .iter()
        .enumerate()
        .filter_map(|(i, l)| body_line(l, (start + i + 1) as u32))
        .collect()
}

/// The `format` value of canonical front matter.
pub const CANONICAL_FORMAT: &str = "statute/1";

fn set_title(meta: &mut Meta, title: &str, line: usize, warnings: &mut Vec<Warning>) {
    if meta.title.is_empty() {
        meta.title = title.to_string();
    } else if body::squash(&meta.title) != body::squash(title) {
        warnings.push(Warning::at(
            line as u32 + 1,
            format!(
                "title “{title}” differs from the front matter's “{}”",
                meta.title
            ),
        ));
    }
}

fn bold_only(t: &str) -> Option<&str> {
    let inner = t.strip_prefix("**")?.strip_suffix("**")?;
    (!inner.contains("**")).then_some(inner.trim())
}

/// A body line without its markup, or `None` for blank lines and thematic breaks.
fn body_line(raw: &str, no: u32) -> Option<Line<'_>> {
    // Invisible characters (zero-width spaces, private-use glyph artefacts) at either end of a
    // line are no more text than spaces are.
    let mut t = raw.trim_matches(crate::normalize::ignorable);
    if t.is_empty() {
        return None;
    }
    // Thematic breaks end a 目录 (seed and canonical formats); the body builder drops them.
    if matches!(t, "---" | "***" | "___") {
        return Some(Line {
            text: Cow::Borrowed("---"),
            no,
            marked: false,
        });
    }
    let mut marked = false;
    if t.starts_with('#') {
        let hashes = t.chars().take_while(|&c| c == '#').count();
        let rest = &t[hashes..];
        if hashes <= 6 && (rest.is_empty() || rest.starts_with(char::is_whitespace)) {
            t = rest.trim();
            marked = true;
        }
    }
    // A Markdown list marker is markup, never text: the seed format's `- **第一条**　　text`,
    // and continuation paragraphs that one source lists (`- “单位犯前款罪的…`) where another
    // writes plain lines. Markdown allows more spaces after the marker.
    if let Some(rest) = list_item(t) {
        // `* ***` is a list item holding a thematic break: a break, as `***` alone is.
        if matches!(rest, "***" | "---" | "___") && !marked {
            return Some(Line {
                text: Cow::Borrowed("---"),
                no,
                marked: false,
            });
        }
        t = rest;
    }
    let mut text = Cow::Borrowed(t);
    // `****` opens no bold text (CommonMark reads it as stars): an empty label is no markup.
    if let Some(rest) = t.strip_prefix("**")
        && let Some(end) = rest.find("**")
        && end > 0
    {
        let label = &rest[..end];
        // Only a bold label (or a bold heading) is markup; other text stays verbatim.
        if body::article_start(label).is_some() || marked {
            text = Cow::Owned(format!("{label}{}", &rest[end + 2..]));
        }
    }
    let text = match text {
        Cow::Borrowed(s) => Cow::Borrowed(s.trim_matches(crate::normalize::ignorable)),
        Cow::Owned(s) => Cow::Owned(s.trim_matches(crate::normalize::ignorable).to_string()),
    };
    (!text.is_empty()).then_some(Line { text, no, marked })
}

/// The text of a Markdown bullet list item (`- `, `* `, `+ `, and whitespace after the
/// marker), or `None` when `t` is not one.
/// Nested markers (`- - text`) are all removed, so that the text never starts with one.
fn list_item(t: &str) -> Option<&str> {
    let mut out = None;
    let mut t = t;
    while let Some(rest) = t.strip_prefix(['-', '*', '+']) {
        let text = rest.trim_start_matches(crate::normalize::ignorable);
        if text.len() == rest.len() || text.is_empty() {
            break;
        }
        t = text;
        out = Some(text);
    }
    out
}

type FrontMatter = BTreeMap<String, serde_json::Value>;

fn front_matter(path: &Path, yaml: &str) -> Result<FrontMatter> {
    if yaml.trim().is_empty() {
        return Ok(FrontMatter::new());
    }
    serde_saphyr::from_str::<FrontMatter>(yaml).map_err(|e| Error::Syntax {
        path: PathBuf::from(path),
        line: 2,
        message: format!(
            "front matter is not valid YAML: {}",
            first_line(&e.to_string())
        ),
    })
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}

fn value_string(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::Null => None,
        serde_json::Value::String(s) if s.trim().is_empty() => None,
        serde_json::Value::String(s) => Some(s.trim().to_string()),
        other => Some(other.to_string()),
    }
}

fn value_list(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::Array(items) => items.iter().filter_map(value_string).collect(),
        other => value_string(other).into_iter().collect(),
    }
}

/// Fills metadata from front matter; returns the canonical history list if present.
fn apply_front_matter(
    meta: &mut Meta,
    fm: FrontMatter,
    warnings: &mut Vec<Warning>,
) -> Option<Vec<String>> {
    let mut history = None;
    for (key, value) in fm {
        let date = |w: &mut Vec<Warning>| {
            let s = value_string(&value)?;
            let d = Date::parse_iso(&s);
            if d.is_none() {
                w.push(Warning::file(format!(
                    "front matter {key}: “{s}” is not a YYYY-MM-DD date"
                )));
            }
            d
        };
        match key.as_str() {
            "format" => {}
            "title" => meta.title = value_string(&value).unwrap_or_default(),
            "subtitle" => meta.subtitle = value_string(&value),
            "author" | "issuer" => meta.issuer = value_string(&value),
            "date" | "version_date" => meta.version_date = date(warnings),
            "publication_date" | "promulgated" => meta.promulgated = date(warnings),
            "effective_date" | "effective" => meta.effective = date(warnings),
            "status" => meta.status = value_string(&value),
            "id" | "doc_id" => meta.doc_id = value_string(&value),
            "urls" | "url" | "source_urls" => meta.source_urls = value_list(&value),
            "history" => history = Some(value_list(&value)),
            "extra" => {
                if let serde_json::Value::Object(map) = &value {
                    for (k, v) in map {
                        if let Some(s) = value_string(v) {
                            meta.extra.insert(k.clone(), s);
                        }
                    }
                }
            }
            _ => {
                if let Some(s) = value_string(&value) {
                    meta.extra.insert(key, s);
                }
            }
        }
    }
    history
}

/// Fills metadata the source did not state from the history events.
fn derive_meta(meta: &mut Meta) {
    if meta.issuer.is_none() {
        meta.issuer = meta
            .history
            .iter()
            .find(|e| matches!(e.kind, EventKind::Adopted | EventKind::Promulgated))
            .and_then(|e| e.body.as_deref())
            .map(history::issuer_of)
            .filter(|s| !s.is_empty());
    }
    if meta.promulgated.is_none() {
        meta.promulgated = meta
            .history
            .iter()
            .filter(|e| e.kind == EventKind::Promulgated)
            .find_map(|e| e.date);
    }
    if meta.version_date.is_none() {
        meta.version_date = meta
            .history
            .iter()
            .filter(|e| e.kind != EventKind::Effective)
            .filter_map(|e| e.date)
            .max();
    }
    if meta.effective.is_none() {
        meta.effective = effective_date(&meta.history, meta.version_date);
    }
    if meta.status.is_none() && meta.history.iter().any(|e| e.kind == EventKind::Repealed) {
        meta.status = Some("已废止".into());
    }
}

/// When a version came into force, from its 题注. A first enactment: the latest entry that
/// puts it in force ([`history::in_force_date`]). An amended (修正) or revised (修订) version:
/// only what its own amending act says — an entry after the last amending entry whose
/// in-force date is on or after the version date ("2022年4月10日 施行" after the 修正, "该修正
/// 自2020年8月20日施行"), or a date the amending entry itself states for entry into force;
/// else unknown. The first enactment's 施行 date, which the 题注 of every later version
/// repeats, is never an amended version's.
fn effective_date(history: &[HistoryEvent], version: Option<Date>) -> Option<Date> {
    let amending = |e: &HistoryEvent| matches!(e.kind, EventKind::Amended | EventKind::Revised);
    let Some(last) = history.iter().rposition(amending) else {
        return history.iter().rev().find_map(history::in_force_date);
    };
    let since = version.or(history[last].date);
    let after = history[last + 1..]
        .iter()
        .rev()
        .filter_map(history::in_force_date)
        .find(|d| since.is_none_or(|s| *d >= s));
    // The amending entry itself speaks for the act only from its last 根据 on: some sources
    // run the first enactment's "…公布施行" and "根据…决定修正" together as one entry.
    let act = &history[last].text;
    let own = act.rfind("根据").map_or(act.as_str(), |at| &act[at..]);
    after.or_else(|| history::stated_in_force(own).filter(|d| since.is_none_or(|s| *d >= s)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Node;

    fn effective(lines: &[&str]) -> Option<Date> {
        let mut meta = Meta {
            history: history::split_events(lines)
                .iter()
                .map(|e| history::parse_event(e))
                .collect(),
            ..Meta::default()
        };
        derive_meta(&mut meta);
        meta.effective
    }

    /// An amended version takes no in-force date from before its amending act, even when a
    /// source runs the first enactment's entry and the amendment together.
    #[test]
    fn an_amended_version_is_in_force_by_its_own_act() {
        let enacted = "2013年8月29日 某某市第十五届人民代表大会常务委员会第十三次会议通过";
        assert_eq!(
            effective(&[
                enacted,
                "2013年9月29日 某某市人民代表大会常务委员会公告公布自2013年11月1日施行"
            ]),
            Date::new(2013, 11, 1)
        );
        assert_eq!(
            effective(&[
                enacted,
                "2013年9月29日 某某市人民代表大会常务委员会公告公布自2013年11月1日施行根据2018年9月7日某某市第十六届人民代表大会常务委员会第十一次会议《关于修改〈某某条例〉等十九件地方性法规的决定》修正",
            ]),
            None
        );
        assert_eq!(
            effective(&[
                enacted,
                "2013年11月1日 施行",
                "2018年9月7日 某某市第十六届人民代表大会常务委员会第十一次会议《关于修改〈某某条例〉的决定》修正",
                "2018年10月1日 施行",
            ]),
            Date::new(2018, 10, 1)
        );
    }

    fn canonical(s: &Statute) -> Vec<u8> {
        let mut out = Vec::new();
        crate::parse::canonical::write(s, &mut out).expect("writing to memory");
        out
    }

    /// A list item holding a thematic break (`* ***`) is a break, not a paragraph `***`,
    /// which the canonical form would write as a break (found by fuzzing).
    #[test]
    fn a_listed_thematic_break_is_a_break() {
        let p = Path::new("t.md");
        let src = "# 分隔法\n\n第一条 甲。\n* ***\n- ***\n第二条 乙。\n";
        let parsed = parse_bytes(p, src.as_bytes()).expect("parses");
        let paras: Vec<&str> = parsed
            .statute
            .articles()
            .iter()
            .flat_map(|a| a.article.paras.iter().map(|p| p.text.as_str()))
            .collect();
        assert_eq!(paras, ["甲。", "乙。"]);
        let again = parse_bytes(p, &canonical(&parsed.statute)).expect("canonical parses");
        assert_eq!(again.statute, parsed.statute);
    }

    /// `-  **第二条**` (more than one space after the list marker) is the seed format's
    /// article too, also right after a 目录 (found by fuzzing: the 目录 kept it as an entry,
    /// which the canonical form wrote as `- **第二条**` and read back as an article).
    #[test]
    fn a_list_marker_may_be_followed_by_several_spaces() {
        let p = Path::new("t.md");
        for src in [
            "# 空格法

- **第一条**　　甲。

-  **第二条**　　乙。
",
            "# 空格法

## 目录

- 第一章 总则

-   **第一条**　　甲。

*  **第二条**　　乙。
",
        ] {
            let parsed = parse_bytes(p, src.as_bytes()).expect("parses");
            let labels: Vec<&str> = parsed
                .statute
                .articles()
                .iter()
                .map(|a| a.article.label.as_str())
                .collect();
            assert_eq!(labels, ["第一条", "第二条"], "{src}");
            let again = parse_bytes(p, &canonical(&parsed.statute)).expect("canonical parses");
            assert_eq!(again.statute, parsed.statute, "{src}");
        }
    }

    /// `## ********` is a heading of stars, not an empty bold label before `****` (found by
    /// fuzzing: the canonical form wrote `## ****`, which read back as an empty line, and the
    /// heading was lost).
    #[test]
    fn stars_are_not_an_empty_bold_label() {
        let p = Path::new("t.md");
        for src in [
            "# 星号法\n\n第一条 甲。\n\n## ********\n\n第二条 乙。\n",
            "# 星号法\n\n## 第一章 总则\n\n甲。\n\n## ****\n\n乙。\n\n****注意**\n",
        ] {
            let parsed = parse_bytes(p, src.as_bytes()).expect("parses");
            let again = parse_bytes(p, &canonical(&parsed.statute)).expect("canonical parses");
            assert_eq!(again.statute, parsed.statute, "{src}");
        }
        let parsed = parse_bytes(p, "# 星号法\n\n## ****\n\n乙。\n".as_bytes()).expect("parses");
        match parsed.statute.body.nodes.first() {
            Some(Node::Division(d)) => assert_eq!(d.title, "****"),
            other => panic!("a heading of stars, not {other:?}"),
        }
    }

    /// A marked `## 第一条 …` heading that reads as the title is the first article, and so is
    /// the unmarked line the canonical form writes for it (found by fuzzing: the canonical form
    /// read it back as the title printed again, and lost the article).
    #[test]
    fn an_article_that_reads_as_the_title_stays_an_article() {
        let p = Path::new("t.md");
        for src in [
            "# 第一条不得生效。\n\n<!-- INFO END -->\n\n## 第一条 不得生效。\n",
            "# 第一条不得生效。\n\n<!-- INFO END -->\n\n第一条 不得生效。\n",
            "# 一、不得生效。\n\n<!-- INFO END -->\n\n## 一、不得生效。\n二、乙。\n",
        ] {
            let parsed = parse_bytes(p, src.as_bytes()).expect("parses");
            let b = &parsed.statute.body;
            assert_eq!(b.title_line, None, "{src}");
            assert!(
                matches!(b.nodes.first(), Some(Node::Article(_))),
                "{src}: {:?}",
                b.nodes
            );
            let again = parse_bytes(p, &canonical(&parsed.statute)).expect("canonical parses");
            assert_eq!(again.statute, parsed.statute, "{src}");
        }
        // A title wrapped before a 第…条 still is the title printed again.
        let wrapped = "# 关于修改某法第一条的决定\n\n<!-- INFO END -->\n\n关于修改某法\n第一条的决定\n第一条 甲。\n";
        let parsed = parse_bytes(p, wrapped.as_bytes()).expect("parses");
        assert_eq!(
            parsed.statute.body.title_line.as_deref(),
            Some("关于修改某法第一条的决定")
        );
        assert_eq!(parsed.statute.body.nodes.len(), 1);
    }

    /// An undated line putting the text in force, after the dated history lines, is history
    /// too (a .docx made from the corpus format has no `<!-- INFO END -->`); a sentence is not.
    #[test]
    fn an_undated_entry_into_force_closes_the_history() {
        let p = Path::new("t.txt");
        let parsed = parse_str(
            p,
            "某某规定\n1986年2月18日 发布\n发布之日施行\n为了甲，规定如下：\n",
        )
        .expect("parses");
        assert_eq!(parsed.statute.meta.history.len(), 2);
        let parsed = parse_str(
            p,
            "某某规定\n1986年2月18日 发布\n本规定自发布之日起施行。\n",
        )
        .expect("parses");
        assert_eq!(parsed.statute.meta.history.len(), 1);
    }

    /// Control characters are weighed against the canonical text, not the file: a file is
    /// refused exactly when its canonical form would be (found by fuzzing: blank lines, which
    /// the canonical form drops, diluted them below the limit in the file only).
    #[test]
    fn control_characters_are_weighed_against_the_canonical_text() {
        let p = Path::new("t.md");
        let mut diluted = "# 控制字符法\n\n第一条 甲".as_bytes().to_vec();
        diluted.extend_from_slice(&[0x1a; 17]);
        diluted.extend_from_slice("乙。\n".as_bytes());
        diluted.extend_from_slice(&[b'\n'; 5100]);
        assert!(!decode::over_trace(17, diluted.len()));
        match parse_bytes(p, &diluted) {
            Err(Error::Binary { what, .. }) => assert_eq!(
                what, "17 control characters, the first at byte 32",
                "the count and offset are the file's"
            ),
            other => panic!("refused as binary, not {other:?}"),
        }

        // The same controls in enough text are a trace: kept, and read back from the
        // canonical form.
        let mut text = "# 控制字符法\n\n第一条 甲".as_bytes().to_vec();
        text.extend_from_slice(&[0x1a; 17]);
        text.extend_from_slice("乙。".repeat(900).as_bytes());
        text.push(b'\n');
        let parsed = parse_bytes(p, &text).expect("a trace of controls is text");
        let md = canonical(&parsed.statute);
        assert_eq!(decode::controls(&md).0, 17, "kept exactly");
        let again = parse_bytes(p, &md).expect("the canonical form parses");
        assert_eq!(again.statute, parsed.statute);

        // Far more than a trace is refused before parsing.
        let mut dense = "第一条 甲".as_bytes().to_vec();
        dense.extend_from_slice(&[0x01; 40]);
        assert!(matches!(
            decode::decode(p, &dense),
            Err(Error::Binary { .. })
        ));
    }
}
