//! The national-scale generator: the shared corpus (`multi/` and `single/`) written `factor`
//! times, each copy after the first with every statute renamed so that the store takes it for
//! another statute, and long histories made of synthetic amendments (the mutation generator's
//! new versions, dated a year apart after a statute's latest version).
//!
//! Layout: `out/k000/` is the corpus as is, `out/kKKK/` copy `K`, each under the same relative
//! paths (`multi/<category>/<statute>/YYYY-MM-DD.md`), so that `statute import out` reads them
//! all. Copy `K ≥ 1` appends `（第K辑）` to the title: on the `# TITLE` line, on the title
//! printed again at the top of the body (wrapped over up to three lines, the marker after its
//! last piece), and where the 题注 names the statute in 《》, 〈〉 or <>. The same corpus and
//! options always give the same bytes: the work is split by (copy, group of statutes) and every
//! random draw comes from an [`Rng`] seeded from the copy and the statute's index.
//!
//! Synthetic amendments: in copy `K`, the statutes are taken in groups of `amend_every` (by
//! sorted path) and in each group the statute at offset `K mod amend_every` gets `amendments`
//! new versions; when the mutation generator refuses it (no articles, a structure it does not
//! model) the next one of the group is tried. Each new version is [`generate`](crate::generate::generate) applied to the
//! previous version, with its metadata (title, issuer: the identity) kept, its version and
//! effective dates set one year after the previous, a 题注 entry `…规模测试合成修正` added, and
//! written in canonical form (front matter `version_date`, which the store reads before the file
//! name) as `YYYY-MM-DD.md` beside the statute's real versions.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use statute::Statute;
use statute::model::Date;
use statute::parse::history::parse_event;
use statute::store::id::of_meta;
use statute::store::import::is_version_file_name;

use crate::corpus::{Corpus, Source, md_files};
use crate::generate as mutation;
use crate::render::{Format, render};
use crate::rng::Rng;

/// Statutes per group, one of which gets synthetic amendments, unless told otherwise.
pub const DEFAULT_AMEND_EVERY: usize = 10;
/// Synthetic versions added to each amended statute unless told otherwise.
pub const DEFAULT_AMENDMENTS: usize = 3;
/// Base seed of the amendments' generators.
pub const SEED: u64 = 0x5CA1_E0F5_7A7E_0001;
/// Index draws per synthetic version before the statute is passed over.
const TRIES: usize = 3;

/// What [`generate`](fn@self::generate) writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScaleOptions {
    /// Copies of the corpus (copy 0 is the corpus as is); at least 1.
    pub factor: usize,
    /// One statute in this many gets synthetic amendments (0: none).
    pub amend_every: usize,
    /// Synthetic versions per amended statute (0: none).
    pub amendments: usize,
}

impl Default for ScaleOptions {
    fn default() -> ScaleOptions {
        ScaleOptions {
            factor: 1,
            amend_every: DEFAULT_AMEND_EVERY,
            amendments: DEFAULT_AMENDMENTS,
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScaleStats {
    /// Version files written, synthetic ones included.
    pub files: usize,
    /// Statute folders written (folders × factor; the store may count a few fewer, where two
    /// folders hold one title).
    pub statutes: usize,
    /// Synthetic versions among the files.
    pub synthetic: usize,
    /// Statutes that got synthetic versions.
    pub amended: usize,
    /// Statutes the mutation generator refused, passed over for the next of their group.
    pub passed_over: usize,
    /// Bytes written.
    pub bytes: u64,
}

impl ScaleStats {
    fn add(&mut self, o: &ScaleStats) {
        self.files += o.files;
        self.statutes += o.statutes;
        self.synthetic += o.synthetic;
        self.amended += o.amended;
        self.passed_over += o.passed_over;
        self.bytes += o.bytes;
    }

    /// One line: files, statutes, synthetic versions, bytes.
    pub fn summary(&self) -> String {
        format!(
            "{} files, {} statutes, {} synthetic versions ({} statutes amended, {} passed over), {} bytes",
            self.files, self.statutes, self.synthetic, self.amended, self.passed_over, self.bytes
        )
    }
}

/// The folder of copy `k` under the output directory: `k000`, `k001`, …
pub fn copy_dir(k: usize) -> String {
    format!("k{k:03}")
}

/// The title of a statute in copy `k`: the title itself in copy 0, else with `（第K辑）`.
pub fn copy_title(title: &str, k: usize) -> String {
    if k == 0 {
        title.to_string()
    } else {
        format!("{title}（第{k}辑）")
    }
}

/// One statute folder of the corpus: its path relative to the corpus and its version files'
/// names, sorted.
#[derive(Debug)]
struct Folder {
    rel: PathBuf,
    files: Vec<String>,
}

/// The statute folders of `multi/` and `single/`, sorted by path.
fn folders(corpus: &Path) -> Vec<Folder> {
    let mut by_dir: BTreeMap<PathBuf, Vec<String>> = BTreeMap::new();
    for part in ["multi", "single"] {
        for f in md_files(&corpus.join(part)) {
            if !is_version_file_name(&f) {
                continue;
            }
            let (Some(dir), Some(name)) = (f.parent(), f.file_name().and_then(|n| n.to_str()))
            else {
                continue;
            };
            let rel = dir.strip_prefix(corpus).unwrap_or(dir).to_path_buf();
            by_dir.entry(rel).or_default().push(name.to_string());
        }
    }
    by_dir
        .into_iter()
        .map(|(rel, mut files)| {
            files.sort();
            Folder { rel, files }
        })
        .collect()
}

/// Writes a corpus `opts.factor` times the size of `corpus`'s `multi/` and `single/` into
/// `out` (created; refused when it exists and is not empty), with synthetic amendments; see
/// the module documentation.
pub fn generate(corpus: &Path, opts: &ScaleOptions, out: &Path) -> io::Result<ScaleStats> {
    if opts.factor == 0 {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "the factor must be at least 1",
        ));
    }
    let folders = folders(corpus);
    if folders.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::NotFound,
            format!(
                "{}: no version files under multi/ or single/",
                corpus.display()
            ),
        ));
    }
    if out.exists() && std::fs::read_dir(out)?.next().is_some() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("{} exists and is not empty", out.display()),
        ));
    }
    std::fs::create_dir_all(out)?;
    let amending = opts.amend_every > 0 && opts.amendments > 0;
    let group = if amending { opts.amend_every } else { 16 };
    let groups = folders.len().div_ceil(group);
    let units = opts.factor * groups;
    let next = AtomicUsize::new(0);
    let total = Mutex::new(ScaleStats::default());
    let failed: Mutex<Option<io::Error>> = Mutex::new(None);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(units);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut mine = ScaleStats::default();
                loop {
                    let u = next.fetch_add(1, Ordering::Relaxed);
                    if u >= units || failed.lock().is_ok_and(|f| f.is_some()) {
                        break;
                    }
                    let (k, g) = (u / groups, u % groups);
                    let first = g * group;
                    let last = (first + group).min(folders.len());
                    let job = Job {
                        corpus,
                        out: &out.join(copy_dir(k)),
                        k,
                        first,
                        opts,
                        amending,
                    };
                    match job.run(&folders[first..last]) {
                        Ok(st) => mine.add(&st),
                        Err(e) => {
                            if let Ok(mut f) = failed.lock() {
                                f.get_or_insert(e);
                            }
                            break;
                        }
                    }
                }
                if let Ok(mut t) = total.lock() {
                    t.add(&mine);
                }
            });
        }
    });
    if let Some(e) = failed.into_inner().ok().flatten() {
        return Err(e);
    }
    Ok(total.into_inner().unwrap_or_default())
}

/// One group of statutes of one copy.
struct Job<'a> {
    corpus: &'a Path,
    /// The copy's folder.
    out: &'a Path,
    k: usize,
    /// The index of the group's first statute among all.
    first: usize,
    opts: &'a ScaleOptions,
    amending: bool,
}

impl Job<'_> {
    fn run(&self, group: &[Folder]) -> io::Result<ScaleStats> {
        let mut st = ScaleStats::default();
        // The copy's texts, kept for the amendments.
        let mut texts: Vec<Vec<(String, String)>> = Vec::with_capacity(group.len());
        for f in group {
            let dir = self.out.join(&f.rel);
            std::fs::create_dir_all(&dir)?;
            let mut versions = Vec::new();
            for name in &f.files {
                let from = self.corpus.join(&f.rel).join(name);
                let bytes = std::fs::read(&from)?;
                let text = match (self.k, std::str::from_utf8(&bytes)) {
                    (0, _) => None,
                    (_, Ok(t)) => Some(rename(t, self.k).ok_or_else(|| {
                        invalid(&from, "the first line is not `# TITLE`".to_string())
                    })?),
                    (_, Err(e)) => return Err(invalid(&from, format!("not UTF-8: {e}"))),
                };
                let written = text.as_deref().map_or(&bytes[..], str::as_bytes);
                std::fs::write(dir.join(name), written)?;
                st.files += 1;
                st.bytes += written.len() as u64;
                if self.amending {
                    let t = match text {
                        Some(t) => t,
                        None => String::from_utf8_lossy(&bytes).into_owned(),
                    };
                    versions.push((name.clone(), t));
                }
            }
            st.statutes += 1;
            texts.push(versions);
        }
        if !self.amending {
            return Ok(st);
        }
        let start = self.k % self.opts.amend_every;
        for j in 0..group.len() {
            let i = (start + j) % group.len();
            let Some(new) = self.amend(&group[i], self.first + i, &texts[i]) else {
                st.passed_over += 1;
                continue;
            };
            let dir = self.out.join(&group[i].rel);
            for (name, text) in &new {
                std::fs::write(dir.join(name), text)?;
                st.files += 1;
                st.synthetic += 1;
                st.bytes += text.len() as u64;
            }
            st.amended += 1;
            break;
        }
        Ok(st)
    }

    /// The synthetic versions of statute `index` (its versions as written in this copy), or
    /// `None` when a version does not parse or the generator refuses it.
    fn amend(
        &self,
        folder: &Folder,
        index: usize,
        versions: &[(String, String)],
    ) -> Option<Vec<(String, String)>> {
        // The latest version by (version date, file name); new dates go after every version
        // date and every file name.
        let mut latest: Option<(Date, &str, Statute)> = None;
        let mut base: Option<Date> = None;
        for (name, text) in versions {
            let stem = Date::parse_iso(name.trim_end_matches(".md"));
            let mut s = statute::parse_str(Path::new(name), text).ok()?.statute;
            if s.meta.version_date.is_none() {
                s.meta.version_date = stem;
            }
            let date = s.meta.version_date?;
            base = base.max(Some(date)).max(stem);
            if latest
                .as_ref()
                .is_none_or(|(d, n, _)| (date, name.as_str()) > (*d, *n))
            {
                latest = Some((date, name, s));
            }
        }
        let (_, _, mut prev) = latest?;
        let (base, id) = (base?, of_meta(&prev.meta));
        let mut rng = Rng::new(
            SEED ^ (self.k as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
                ^ (index as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F),
        );
        let name = folder.rel.display().to_string();
        let mut out = Vec::new();
        for j in 1..=self.opts.amendments {
            let date = years_after(base, j)?;
            let c = Corpus::from_sources(vec![Source {
                name: name.clone(),
                path: folder.rel.clone(),
                statute: prev,
            }]);
            let mut made = None;
            for _ in 0..TRIES {
                // An even index: the pair is rendered in canonical form, which keeps every part
                // of the body (annexes, notes, the title printed again).
                let pair = (rng.next_u64() as usize) & !1;
                debug_assert_eq!(Format::of_pair(pair), Format::Canonical);
                if let Ok(Ok(p)) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    mutation::generate(&c, pair)
                })) {
                    made = Some(p.new);
                    break;
                }
            }
            let new = made?;
            let prev_meta = &c.sources[0].statute.meta;
            let mut meta = prev_meta.clone();
            meta.version_date = Some(date);
            meta.effective = Some(date);
            meta.source_urls.clear();
            meta.doc_id = None;
            meta.history.push(parse_event(&format!(
                "{}年{}月{}日 规模测试合成修正",
                date.year, date.month, date.day
            )));
            let s = Statute {
                meta,
                body: new.body,
            };
            let text = render(Format::Canonical, &s);
            // What the store will read: this date, this statute.
            let back = statute::parse_str(Path::new("synthetic.md"), &text)
                .ok()?
                .statute;
            if back.meta.version_date != Some(date) || of_meta(&back.meta) != id {
                return None;
            }
            out.push((format!("{date}.md"), text));
            prev = back;
        }
        Some(out)
    }
}

fn invalid(path: &Path, what: String) -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        format!("{}: {what}", path.display()),
    )
}

/// `d` moved `n` years on (29 February to the 28th).
fn years_after(d: Date, n: usize) -> Option<Date> {
    let year = u16::try_from(usize::from(d.year) + n).ok()?;
    Date::new(year, d.month, d.day).or_else(|| Date::new(year, d.month, 28))
}

/// A line without its line ending, and the ending.
fn split_eol(line: &str) -> (&str, &str) {
    let content = line.trim_end_matches(['\n', '\r']);
    (content, &line[content.len()..])
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !statute::normalize::ignorable(*c))
        .collect()
}

/// `text` with its statute renamed for copy `k` (see the module documentation); `None` when
/// the first line is not `# TITLE`.
fn rename(text: &str, k: usize) -> Option<String> {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(String::from).collect();
    let (first, eol) = split_eol(lines.first()?);
    let title = first.strip_prefix("# ")?.trim().to_string();
    if title.is_empty() {
        return None;
    }
    let new = copy_title(&title, k);
    lines[0] = format!("# {new}{eol}");
    let end = lines.iter().position(|l| l.trim() == "<!-- INFO END -->");
    // The 题注 naming the statute (关于修改〈…〉的决定).
    for l in &mut lines[1..end.unwrap_or(1)] {
        for (open, close) in [('《', '》'), ('〈', '〉'), ('<', '>')] {
            let from = format!("{open}{title}{close}");
            if l.contains(&from) {
                *l = l.replace(&from, &format!("{open}{new}{close}"));
            }
        }
    }
    // The title printed again at the top of the body, over up to three lines.
    let want = squash(&title);
    let mut got = String::new();
    let mut seen = 0;
    for l in lines.iter_mut().skip(end.map_or(1, |e| e + 1)) {
        let (content, eol) = split_eol(l);
        if content.trim().is_empty() || content.trim() == "---" {
            continue;
        }
        seen += 1;
        got.push_str(&squash(content));
        if seen > 3 || !want.starts_with(&got) {
            break;
        }
        if got == want {
            let kept = content.trim_end();
            let marker = &new[title.len()..];
            *l = format!("{kept}{marker}{}{eol}", &content[kept.len()..]);
            break;
        }
    }
    Some(lines.concat())
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use statute::numerals::to_chinese;

    use super::*;

    /// A statute of `n` articles in chapters of five, its text drawn from `seed`.
    fn statute_text(title: &str, head: &str, repeat: bool, n: usize, seed: u64) -> String {
        const WORDS: [&str; 16] = [
            "人民政府",
            "有关部门",
            "依法",
            "管理",
            "监督",
            "单位",
            "登记",
            "申请",
            "县级以上",
            "主管部门",
            "责令改正",
            "罚款",
            "建设",
            "保护",
            "公共",
            "设施",
        ];
        let mut r = Rng::new(seed);
        let mut sentence = || {
            let mut s = String::new();
            for w in 0..(6 + r.below(8)) {
                s.push_str(WORDS[r.below(WORDS.len())]);
                if w == 3 {
                    s.push('，');
                }
            }
            s.push('。');
            s
        };
        let mut s = format!("# {title}\n\n{head}\n\n<!-- INFO END -->\n\n");
        if repeat {
            s.push_str(&format!("{title}\n\n"));
        }
        for a in 0..n {
            if a % 5 == 0 {
                s.push_str(&format!("## 第{}章 规定\n\n", to_chinese(a as u32 / 5 + 1)));
            }
            let text = sentence() + &sentence();
            s.push_str(&format!("第{}条 {text}\n\n", to_chinese(a as u32 + 1)));
            if a % 3 == 1 {
                s.push_str(&format!("{}\n\n", sentence()));
            }
        }
        s
    }

    /// Three statutes: one of two versions with its title printed again and named in its 题注,
    /// one of one version, one without a body (nothing the mutation generator can change).
    fn tiny_corpus(dir: &Path) {
        let write = |rel: &str, text: &str| {
            let p = dir.join(rel);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        };
        let a = "测试市市容管理条例";
        write(
            &format!("multi/地方性法规/{a}/2001-03-01.md"),
            &statute_text(
                a,
                "2001年3月1日 测试市人民代表大会常务委员会通过",
                true,
                20,
                1,
            ),
        );
        write(
            &format!("multi/地方性法规/{a}/2010-06-30.md"),
            &statute_text(
                a,
                &format!(
                    "2001年3月1日 测试市人民代表大会常务委员会通过\n\n\
                     2010年6月30日 测试市人民代表大会常务委员会《关于修改〈{a}〉的决定》修正"
                ),
                true,
                21,
                2,
            ),
        );
        let b = "测试港口管理办法";
        write(
            &format!("single/办法/{b}/2015-01-01.md"),
            &statute_text(b, "2015年1月1日 测试部发布", false, 18, 3),
        );
        write(
            "single/办法/测试决定/2016-02-02.md",
            "# 测试决定\n\n2016年2月2日 测试部发布\n\n<!-- INFO END -->\n",
        );
        write("multi/README.md", "# 不是版本\n");
    }

    /// Every file below `dir`: relative path → bytes.
    fn files(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
        md_files(dir)
            .into_iter()
            .map(|p| {
                let bytes = std::fs::read(&p).expect("read");
                (p.strip_prefix(dir).expect("below").to_path_buf(), bytes)
            })
            .collect()
    }

    fn opts(factor: usize, amend_every: usize, amendments: usize) -> ScaleOptions {
        ScaleOptions {
            factor,
            amend_every,
            amendments,
        }
    }

    #[test]
    fn scale_copies_are_other_statutes_with_one_id_each() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let corpus = tmp.path().join("corpus");
        tiny_corpus(&corpus);
        let out = tmp.path().join("out");
        let st = generate(&corpus, &opts(3, 0, 0), &out).expect("generate");
        assert_eq!(
            st,
            ScaleStats {
                files: 12,
                statutes: 9,
                bytes: st.bytes,
                ..ScaleStats::default()
            }
        );
        let written = files(&out);
        assert_eq!(written.len(), 12);
        assert_eq!(
            st.bytes,
            written.values().map(|b| b.len() as u64).sum::<u64>()
        );
        // Copy 0 is the corpus as is (README.md left out).
        for (rel, bytes) in files(&corpus) {
            if rel.ends_with("README.md") {
                continue;
            }
            assert_eq!(written.get(&Path::new("k000").join(&rel)), Some(&bytes));
        }
        // One id per (copy, statute folder), all different.
        let mut ids: BTreeMap<(String, PathBuf), BTreeSet<String>> = BTreeMap::new();
        for (rel, bytes) in &written {
            let parsed = statute::parse_bytes(rel, bytes).expect("parses");
            let m = &parsed.statute.meta;
            let copy = rel
                .iter()
                .next()
                .expect("copy")
                .to_string_lossy()
                .into_owned();
            let folder = rel.iter().skip(1).collect::<PathBuf>();
            let k: usize = copy[1..].parse().expect("kNNN");
            let title = folder
                .parent()
                .and_then(|f| f.file_name())
                .expect("folder")
                .to_string_lossy()
                .into_owned();
            assert_eq!(m.title, copy_title(&title, k), "{rel:?}");
            if title == "测试市市容管理条例" {
                // The title printed again follows the renaming, and so does the 题注.
                assert_eq!(
                    parsed.statute.body.title_line.as_deref(),
                    Some(m.title.as_str())
                );
                let text = String::from_utf8_lossy(bytes);
                if rel.ends_with("2010-06-30.md") {
                    assert!(text.contains(&format!("〈{}〉", m.title)), "{text}");
                }
            }
            ids.entry((copy, folder.parent().expect("folder").to_path_buf()))
                .or_default()
                .insert(of_meta(m));
        }
        assert_eq!(ids.len(), 9);
        assert!(ids.values().all(|s| s.len() == 1), "{ids:?}");
        let all: BTreeSet<&String> = ids.values().flatten().collect();
        assert_eq!(all.len(), 9);
    }

    #[test]
    fn scale_amendments_follow_the_latest_version_a_year_apart() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let corpus = tmp.path().join("corpus");
        tiny_corpus(&corpus);
        let out = tmp.path().join("out");
        // Every statute is a group of its own: the two with articles are amended, the
        // decision without articles is passed over.
        let st = generate(&corpus, &opts(2, 1, 2), &out).expect("generate");
        assert_eq!((st.amended, st.passed_over, st.synthetic), (4, 2, 8));
        assert_eq!(st.files, 8 + 8);
        for k in 0..2 {
            for (folder, dates) in [
                (
                    "multi/地方性法规/测试市市容管理条例",
                    ["2001-03-01", "2010-06-30", "2011-06-30", "2012-06-30"],
                ),
                (
                    "single/办法/测试港口管理办法",
                    ["2015-01-01", "2016-01-01", "2017-01-01", ""],
                ),
            ] {
                let dir = out.join(copy_dir(k)).join(folder);
                let names: Vec<String> = md_files(&dir)
                    .iter()
                    .filter_map(|p| Some(p.file_stem()?.to_str()?.to_string()))
                    .collect();
                let want: Vec<&str> = dates.iter().copied().filter(|d| !d.is_empty()).collect();
                assert_eq!(names, want);
                let mut ids = BTreeSet::new();
                let mut texts = BTreeSet::new();
                for name in &names {
                    let p = dir.join(format!("{name}.md"));
                    let s = statute::parse_file(&p).expect("parses").statute;
                    assert_eq!(
                        s.meta.version_date.map(|d| d.to_string()),
                        Some(name.clone())
                    );
                    assert!(!s.articles().is_empty());
                    ids.insert(of_meta(&s.meta));
                    texts.insert(s.body_text());
                }
                assert_eq!(ids.len(), 1, "{folder} in copy {k}: {ids:?}");
                assert_eq!(texts.len(), names.len(), "every version is another text");
            }
        }
        let synthetic =
            std::fs::read_to_string(out.join("k001/single/办法/测试港口管理办法/2017-01-01.md"))
                .expect("read");
        assert!(
            synthetic.contains("2017年1月1日 规模测试合成修正"),
            "{synthetic}"
        );
        assert!(
            synthetic.contains("测试港口管理办法（第1辑）"),
            "{synthetic}"
        );
    }

    #[test]
    fn scale_output_is_deterministic_and_never_overwrites() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let corpus = tmp.path().join("corpus");
        tiny_corpus(&corpus);
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        let o = opts(3, 2, 3);
        let sa = generate(&corpus, &o, &a).expect("generate a");
        let sb = generate(&corpus, &o, &b).expect("generate b");
        assert_eq!(sa, sb);
        assert!(sa.synthetic > 0);
        assert_eq!(files(&a), files(&b));
        let e = generate(&corpus, &o, &a).expect_err("a is not empty");
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        let e = generate(&corpus, &opts(0, 0, 0), &tmp.path().join("c")).expect_err("factor 0");
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
        let e = generate(&tmp.path().join("none"), &o, &tmp.path().join("d")).expect_err("none");
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
    }

    #[test]
    fn scale_renaming_keeps_line_endings_and_wrapped_titles() {
        let text = "# 某某市物业管理条例\r\n\r\n2001年1月1日 通过《某某市物业管理条例》\r\n\r\n\
                    <!-- INFO END -->\r\n\r\n某某市物业\r\n管理条例 \r\n\r\n第一条 甲。\r\n";
        assert_eq!(
            rename(text, 12).as_deref(),
            Some(
                "# 某某市物业管理条例（第12辑）\r\n\r\n2001年1月1日 通过《某某市物业管理条例（第12辑）》\r\n\r\n\
                 <!-- INFO END -->\r\n\r\n某某市物业\r\n管理条例（第12辑） \r\n\r\n第一条 甲。\r\n"
            )
        );
        assert_eq!(rename("第一条 甲。\n", 1), None);
        assert_eq!(
            years_after(Date::new(2020, 2, 29).expect("date"), 1),
            Date::new(2021, 2, 28)
        );
    }
}
