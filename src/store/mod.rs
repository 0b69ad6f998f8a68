//! The git-backed version store: one git repository (bare) holding every version of every
//! statute, written with git2 and readable, clonable and pushable with plain git.
//!
//! Layout (see ARCHITECTURE.md, "store"):
//! - `refs/heads/statutes/<id>`: a statute's history, one commit per version in legal date
//!   order; each commit's tree is `statutes/<id>.md`, the version's canonical text, and its
//!   message ends in trailers (`Statute-Id`, `Version`, `Version-Date`, …);
//! - `refs/tags/<id>/<version>`: one tag per version (`2015-03-15`, `2015-03-15.2` for a second
//!   version of the same date);
//! - `refs/heads/main` (HEAD): one parentless commit whose tree holds every statute's latest
//!   canonical file under `statutes/` plus `CATALOG.md`, derived only from the statute heads.
//!
//! Modules: `id` (statute ids), `lock` (writer lock), `import`, `pack` (pack files and atomic
//! ref updates), `read`, `articles` (history, blame), `verify`, `reindex` (derived data
//! recomputed under the current [`DERIVED_VERSION`]), `catalog`.

pub mod act;
pub mod articles;
pub mod catalog;
pub mod cites;
pub mod error;
pub mod id;
pub mod import;
pub mod lock;
pub mod merge;
pub mod pack;
pub mod read;
pub mod reindex;
mod runs;
pub mod tables;
pub(crate) mod trace;
pub mod verify;

use std::path::{Path, PathBuf};

use git2::{Oid, Repository, Signature, Time};

use crate::diff::event::VersionKind;
use crate::model::Date;
pub use error::{Result, StoreError};

/// The store used when neither `--store` nor `$STATUTE_STORE` names one.
pub const DEFAULT_DIR: &str = "statute-store";
/// The environment variable naming the store.
pub const ENV_VAR: &str = "STATUTE_STORE";
/// The branch holding the catalog and every statute's latest version.
pub const MAIN_REF: &str = "refs/heads/main";
/// Prefix of the statutes' history branches.
pub const STATUTE_REF_PREFIX: &str = "refs/heads/statutes/";
/// The directory of the canonical files in every tree.
pub const TREE_DIR: &str = "statutes";
/// The author and committer of every commit.
pub const SIGNATURE_NAME: &str = "statute";
pub const SIGNATURE_EMAIL: &str = "statute@localhost";
/// The git config key marking a repository as a statute store, and its value.
const FORMAT_KEY: &str = "statute.format";
pub(crate) const FORMAT_VERSION: i32 = 1;
/// The git config key stamping the version of the store's derived data ([`DERIVED_VERSION`]).
pub const DERIVED_KEY: &str = "statute.derived";
/// The version of the data a store derives from its versions rather than stores as given:
/// each version's canonical file (`parse::canonical`) and its commit's `Summary`,
/// `Substantive` and `Event` trailers (the aligner and differ, `ChangeSet::summary_line`,
/// `diff::event`). Bump it in the same commit as any change to the canonical writer, the
/// aligner or differ, or the wording of the summary line or event kinds that changes what an
/// import would write for the same versions: stores stamped with an older number (or none,
/// as the releases before the stamp wrote) are then reported stale by `verify` until
/// `reindex` rewrites them, and a store with a newer number is refused by `import` and
/// `reindex`, whose older code would write stale data into it. The number is `init`'s and
/// `reindex`'s to record, nobody else's.
pub const DERIVED_VERSION: i32 = 5;

/// How a store's derived-data stamp compares with this build's [`DERIVED_VERSION`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Stamp {
    /// Written by this derived-data version.
    #[default]
    Current,
    /// No stamp: written by a release before the stamp.
    Missing,
    /// An older version's stamp.
    Older(i32),
    /// A newer version's stamp: this build must not rewrite it.
    Newer(i32),
}

impl Stamp {
    /// The stamp a config value gives (`None`: the key is absent).
    pub fn of(found: Option<i32>) -> Stamp {
        match found {
            None => Stamp::Missing,
            Some(DERIVED_VERSION) => Stamp::Current,
            Some(n) if n > DERIVED_VERSION => Stamp::Newer(n),
            Some(n) => Stamp::Older(n),
        }
    }

    /// True when the store's derived data predates this build's.
    pub fn stale(self) -> bool {
        matches!(self, Stamp::Missing | Stamp::Older(_))
    }

    /// The number the stamp records (none when missing).
    pub fn number(self) -> Option<i32> {
        match self {
            Stamp::Current => Some(DERIVED_VERSION),
            Stamp::Missing => None,
            Stamp::Older(n) | Stamp::Newer(n) => Some(n),
        }
    }
}

/// An open store.
pub struct Store {
    repo: Repository,
    path: PathBuf,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// Makes libgit2 read only each store's own `config`: not the system, global (`~/.gitconfig`)
/// or XDG files. The store is data written by `statute` alone, so no user setting may change
/// what it reads or writes; and a user whose `$HOME` is not theirs to read (`sudo -u`, a
/// service account) would otherwise get libgit2's "failed to stat '/root/.gitconfig'" from
/// every command. Also turns off libgit2's owner check (git's `safe.directory`): it guards git
/// from running another user's hooks and config commands, which libgit2 never runs, and would
/// stop a team from reading a shared store owned by whoever imported into it.
///
/// Runs once per process, from [`Store::init`] and [`Store::open`] before either touches
/// libgit2, so every way to a store (the binary, tests, benches) gets the same isolation.
fn isolate_from_user_git_config() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        use git2::ConfigLevel;
        for level in [
            ConfigLevel::System,
            ConfigLevel::XDG,
            ConfigLevel::Global,
            ConfigLevel::ProgramData,
        ] {
            // SAFETY: libgit2's options are process-wide and their setters must not race
            // other libgit2 calls. The store reaches libgit2 only through `Store::init` and
            // `Store::open`, which call this first; `Once` runs it before any of them goes on
            // (a concurrent caller waits), so no store is using libgit2 meanwhile. An empty
            // search path cannot fail to be set except on allocation failure, which leaves
            // the default.
            let _ = unsafe { git2::opts::set_search_path(level, "") };
        }
        // SAFETY: as above.
        let _ = unsafe { git2::opts::set_verify_owner_validation(false) };
        // libgit2 maps pack files in windows of 1 GiB up to 8 GiB in all by default, so a
        // command that reads every object (verify, a whole feed) kept the whole pack mapped
        // and its resident size grew with the store. Windows of 32 MiB, at most 128 MiB mapped
        // (least recently used unmapped first), bound it at the cost of a remap now and then:
        // the pages of mapped windows count in the resident set (at 10× a limit of 256 MiB
        // left an import at 574 MB resident, 128 MiB at 392 MB, and no command was slower).
        // SAFETY: as above; the values only bound libgit2's own window cache.
        let _ = unsafe { git2::opts::set_mwindow_size(MWINDOW_SIZE) };
        let _ = unsafe { git2::opts::set_mwindow_mapped_limit(MWINDOW_MAPPED_LIMIT) };
        // Its cache of parsed objects (commits and trees; 256 MiB a repository by default)
        // is bounded the same way: a command reading every statute opens one repository a
        // thread, and each filled its cache with objects it never reads again. The limit
        // counts the objects' raw sizes, a few dozen bytes for a version's trees, while a
        // parsed tree takes ten times that: at 32 MiB `verify` at 10× held 84 MB more than
        // at none, and no command was faster with it (log, show, history, blame, list, feed,
        // re-import at 10×), so only a few megabytes are kept.
        // SAFETY: as above.
        let _ = unsafe { git2::opts::set_cache_max_size(OBJECT_CACHE_LIMIT) };
    });
}

/// The size of one window libgit2 maps of a pack file.
const MWINDOW_SIZE: usize = 32 << 20;
/// How much of the pack files libgit2 keeps mapped at most, all windows together.
const MWINDOW_MAPPED_LIMIT: usize = 128 << 20;
/// The most libgit2 keeps in its object cache.
const OBJECT_CACHE_LIMIT: isize = 4 << 20;

/// The store directory: `--store`, else `$STATUTE_STORE`, else [`DEFAULT_DIR`].
pub fn resolve_dir(flag: Option<&Path>) -> PathBuf {
    if let Some(p) = flag {
        return p.to_path_buf();
    }
    match std::env::var_os(ENV_VAR) {
        Some(v) if !v.is_empty() => PathBuf::from(v),
        _ => PathBuf::from(DEFAULT_DIR),
    }
}

impl Store {
    /// Creates a store at `dir` (a bare git repository with HEAD on `main`), or opens the one
    /// already there. Returns the store and whether it was created.
    pub fn init(dir: &Path) -> Result<(Store, bool)> {
        isolate_from_user_git_config();
        if dir.exists() {
            if let Ok(s) = Store::open(dir) {
                return Ok((s, false));
            }
            let empty = std::fs::read_dir(dir)
                .map_err(|source| StoreError::Io {
                    path: dir.into(),
                    source,
                })?
                .next()
                .is_none();
            if !empty {
                return Err(StoreError::NotAStore { path: dir.into() });
            }
        }
        let repo = Repository::init_bare(dir)?;
        repo.set_head(MAIN_REF)?;
        let mut cfg = repo.config()?;
        cfg.set_i32(FORMAT_KEY, FORMAT_VERSION)?;
        cfg.set_i32(DERIVED_KEY, DERIVED_VERSION)?;
        Ok((
            Store {
                repo,
                path: dir.into(),
            },
            true,
        ))
    }

    /// Opens the store at `dir`.
    pub fn open(dir: &Path) -> Result<Store> {
        isolate_from_user_git_config();
        if !dir.exists() {
            return Err(StoreError::NotFound { path: dir.into() });
        }
        let repo = Repository::open_bare(dir).map_err(|e| match e.code() {
            git2::ErrorCode::NotFound => StoreError::NotFound { path: dir.into() },
            _ => StoreError::Git(e),
        })?;
        // The config marks a store made here; a clone (`git clone --mirror`) has no copy of
        // the config, and is recognised by `main`'s `Store-Format` trailer.
        let found = match repo.config().and_then(|c| c.get_i32(FORMAT_KEY)) {
            Ok(n) => Some(n),
            Err(_) => main_message(&repo)
                .as_deref()
                .and_then(|m| catalog::trailer(m, catalog::FORMAT_TRAILER))
                .and_then(|v| v.parse().ok()),
        };
        match found {
            Some(FORMAT_VERSION) => {}
            Some(found) if found > FORMAT_VERSION => {
                return Err(StoreError::NewerFormat {
                    path: dir.into(),
                    found,
                    supported: FORMAT_VERSION,
                });
            }
            _ => return Err(StoreError::NotAStore { path: dir.into() }),
        }
        Ok(Store {
            repo,
            path: dir.into(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn repo(&self) -> &Repository {
        &self.repo
    }

    /// The store's derived-data stamp, read now (not when the store was opened): `main`'s
    /// `Derived` trailer, else (an empty store, or one written before the trailer) the config.
    pub fn stamp(&self) -> Result<Stamp> {
        if let Some(n) = main_message(&self.repo)
            .as_deref()
            .and_then(|m| catalog::trailer(m, catalog::DERIVED_TRAILER))
        {
            let n = n.parse().map_err(|_| {
                StoreError::Corrupt(format!("{MAIN_REF}: a malformed Derived trailer"))
            })?;
            return Ok(Stamp::of(Some(n)));
        }
        let cfg = self.repo.config()?.snapshot()?;
        match cfg.get_i32(DERIVED_KEY) {
            Ok(n) => Ok(Stamp::of(Some(n))),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(Stamp::of(None)),
            Err(e) => Err(e.into()),
        }
    }

    /// Fails with [`StoreError::NewerDerived`] when a newer build stamped the store's derived
    /// data: this build would write older data into it.
    pub(crate) fn refuse_newer_derived(&self) -> Result<Stamp> {
        match self.stamp()? {
            Stamp::Newer(found) => Err(StoreError::NewerDerived {
                path: self.path.clone(),
                found,
                supported: DERIVED_VERSION,
            }),
            s => Ok(s),
        }
    }

    /// Records this build's [`DERIVED_VERSION`] as the store's stamp (git writes the config
    /// under `config.lock` and renames it into place).
    pub(crate) fn record_stamp(&self) -> Result<()> {
        let failed = |e: git2::Error| StoreError::StampFailed {
            path: self.path.join("config"),
            // libgit2 ends some messages with an empty cause (“…for writing: ”).
            detail: e.message().trim_end_matches([':', ' ']).to_string(),
        };
        let mut cfg = self.repo.config().map_err(failed)?;
        cfg.set_i32(DERIVED_KEY, DERIVED_VERSION).map_err(failed)
    }
}

/// The message of `main`'s commit, when there is one.
fn main_message(repo: &Repository) -> Option<String> {
    let commit = repo.find_reference(MAIN_REF).ok()?.peel_to_commit().ok()?;
    commit.message().ok().map(str::to_string)
}

/// The branch of a statute.
pub fn statute_ref(id: &str) -> String {
    format!("{STATUTE_REF_PREFIX}{id}")
}

/// The tag of one version.
pub fn version_tag(id: &str, label: &str) -> String {
    format!("refs/tags/{id}/{label}")
}

/// The path of a statute's canonical file in every tree.
pub fn file_path(id: &str) -> String {
    format!("{TREE_DIR}/{id}.md")
}

/// One stored version, as its commit records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredVersion {
    pub commit: Oid,
    /// The canonical file's blob.
    pub blob: Oid,
    /// `2015-03-15`, or `2015-03-15.2` for a second version of the same date.
    pub label: String,
    pub date: Date,
    pub meta: VersionMeta,
    /// The amendment summary against the previous version (none for the first).
    pub summary: Option<String>,
    /// Whether that amendment changed anything substantively.
    pub substantive: Option<bool>,
    /// What the version did to the statute ([`crate::diff::event::classify`], as the feed
    /// says): none for the first version, and in stores written before the `Event` trailer.
    pub event: Option<VersionKind>,
}

/// The metadata of a version that its commit's trailers carry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct VersionMeta {
    pub id: String,
    /// The statute's name: its title, `·` and its subtitle when it has one.
    pub title: String,
    pub issuer: Option<String>,
    pub effective: Option<Date>,
    pub status: Option<String>,
    /// The git blob id of the source file's bytes, when it was imported without overrides:
    /// re-importing the same bytes is skipped without parsing.
    pub source: Option<Oid>,
    /// The amending act this version was made from (`statute import --act`), when it was.
    pub act: Option<ActRecord>,
}

/// The amending act a version was made from: the act file's blob id (`Act-Blob`) and, per
/// article of the version, the numbers of the instructions that changed it (`Act-Changes`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActRecord {
    pub blob: Oid,
    /// (article label in this version, instruction numbers), in the version's order; then
    /// the articles of the version before that the act deleted, their labels after `-`.
    pub changes: Vec<(String, Vec<u32>)>,
}

impl ActRecord {
    fn new(blob: Oid) -> ActRecord {
        ActRecord {
            blob,
            changes: Vec::new(),
        }
    }

    /// The `Act-Changes` trailer value: `第十条:1,3 第十一条之一:2`.
    pub fn changes_trailer(&self) -> String {
        self.changes
            .iter()
            .map(|(label, ns)| {
                let ns: Vec<String> = ns.iter().map(u32::to_string).collect();
                format!("{label}:{}", ns.join(","))
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Reads an `Act-Changes` trailer value back; `None` when it is malformed.
    pub fn parse_changes(v: &str) -> Option<Vec<(String, Vec<u32>)>> {
        v.split_whitespace()
            .map(|entry| {
                let (label, ns) = entry.rsplit_once(':')?;
                let ns = ns
                    .split(',')
                    .map(|n| n.parse().ok())
                    .collect::<Option<Vec<u32>>>()?;
                Some((label.to_string(), ns))
            })
            .collect()
    }

    /// The numbers of the instructions that changed the article `label` of this version.
    pub fn instructions_for(&self, label: &str) -> Option<&[u32]> {
        self.changes
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, ns)| ns.as_slice())
    }

    /// The numbers of the instructions that deleted the article `label` of the version
    /// before (recorded as `-第十条`).
    pub fn instructions_for_deleted(&self, label: &str) -> Option<&[u32]> {
        self.changes
            .iter()
            .find(|(l, _)| l.strip_prefix('-') == Some(label))
            .map(|(_, ns)| ns.as_slice())
    }
}

impl StoredVersion {
    /// The date a version takes effect: its effective date when known, else its version date.
    pub fn in_force_from(&self) -> Date {
        self.meta.effective.unwrap_or(self.date)
    }

    /// True when the version marks the statute repealed (时效性 已废止 / 失效).
    pub fn repealed(&self) -> bool {
        self.meta.repealed()
    }

    /// The version's kind as `statute log` and the browser's timeline name it: 首次收录 for a
    /// statute's `first` version, 废止 for one that marks it repealed, else its `Event` (修正,
    /// 修订, 形式更正), or 修改 when the store was written before that trailer.
    pub fn kind_zh(&self, first: bool) -> &'static str {
        if self.repealed() {
            "废止"
        } else if first {
            "首次收录"
        } else {
            self.event.map_or("修改", VersionKind::as_zh)
        }
    }
}

impl VersionMeta {
    /// True when the version marks the statute repealed (时效性 已废止 / 失效).
    pub fn repealed(&self) -> bool {
        self.status
            .as_deref()
            .is_some_and(|s| s.contains("废止") || s.contains("失效"))
    }
}

/// One line of a trailer value: no line breaks.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The commit message of a version.
pub(crate) fn commit_message(
    meta: &VersionMeta,
    label: &str,
    date: Date,
    summary: Option<&str>,
    substantive: Option<bool>,
    event: Option<VersionKind>,
) -> String {
    let mut m = format!("{} {label}\n\n", one_line(&meta.title));
    match summary {
        Some(s) => m.push_str(&format!("{}\n\n", one_line(s))),
        None => m.push_str("首次收录\n\n"),
    }
    let mut t = |k: &str, v: &str| m.push_str(&format!("{k}: {}\n", one_line(v)));
    t("Statute-Id", &meta.id);
    t("Title", &meta.title);
    if let Some(i) = &meta.issuer {
        t("Issuer", i);
    }
    t("Version", label);
    t("Version-Date", &date.to_string());
    if let Some(e) = meta.effective {
        t("Effective", &e.to_string());
    }
    if let Some(s) = &meta.status {
        t("Status", s);
    }
    if let Some(s) = meta.source {
        t("Source-Blob", &s.to_string());
    }
    if let Some(a) = &meta.act {
        t("Act-Blob", &a.blob.to_string());
        if !a.changes.is_empty() {
            t("Act-Changes", &a.changes_trailer());
        }
    }
    if let Some(s) = summary {
        t("Summary", s);
    }
    if let Some(s) = substantive {
        t("Substantive", if s { "yes" } else { "no" });
    }
    if let Some(e) = event {
        t("Event", e.as_str());
    }
    m
}

/// Reads a version back from its commit message and canonical blob.
pub(crate) fn parse_message(commit: Oid, blob: Oid, message: &str) -> Result<StoredVersion> {
    let bad = |what: &str| StoreError::Corrupt(format!("commit {commit}: {what}"));
    let mut meta = VersionMeta::default();
    let (mut label, mut date, mut summary, mut substantive, mut event) =
        (None, None, None, None, None);
    let trailers = message
        .trim_end()
        .rsplit_once("\n\n")
        .map_or("", |(_, t)| t);
    for line in trailers.lines() {
        let Some((k, v)) = line.split_once(": ") else {
            continue;
        };
        let v = v.to_string();
        match k {
            "Statute-Id" => meta.id = v,
            "Title" => meta.title = v,
            "Issuer" => meta.issuer = Some(v),
            "Version" => label = Some(v),
            "Version-Date" => date = Date::parse_iso(&v),
            "Effective" => meta.effective = Date::parse_iso(&v),
            "Status" => meta.status = Some(v),
            "Source-Blob" => meta.source = Oid::from_str(&v).ok(),
            "Act-Blob" => {
                let blob = Oid::from_str(&v).map_err(|_| bad("a malformed Act-Blob trailer"))?;
                meta.act.get_or_insert_with(|| ActRecord::new(blob)).blob = blob;
            }
            "Act-Changes" => {
                let changes = ActRecord::parse_changes(&v)
                    .ok_or_else(|| bad("a malformed Act-Changes trailer"))?;
                meta.act
                    .get_or_insert_with(|| ActRecord::new(Oid::ZERO_SHA1))
                    .changes = changes;
            }
            "Summary" => summary = Some(v),
            "Substantive" => substantive = Some(v == "yes"),
            "Event" => event = VersionKind::parse(&v),
            _ => {}
        }
    }
    if meta.id.is_empty() {
        return Err(bad("no Statute-Id trailer"));
    }
    Ok(StoredVersion {
        commit,
        blob,
        label: label.ok_or_else(|| bad("no Version trailer"))?,
        date: date.ok_or_else(|| bad("no valid Version-Date trailer"))?,
        meta,
        summary,
        substantive,
        event,
    })
}

/// Days since 1970-01-01 (negative before).
fn days_from_civil(d: Date) -> i64 {
    let (y, m, day) = (d.year as i64, d.month as i64, d.day as i64);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The commit time of a version: 12:00 +0800 on its date. Git refuses dates before 1970, so
/// older versions are committed at 1970-01-01 12:00 +0800 (their `Version-Date` trailer keeps
/// the real date, and the order of a history never depends on commit times).
pub fn commit_time(d: Date) -> Time {
    let days = days_from_civil(d).max(0);
    Time::new(days * 86_400 + 4 * 3_600, 8 * 60)
}

/// The fixed signature of every commit, dated `d`.
pub(crate) fn signature(d: Date) -> Result<Signature<'static>> {
    Ok(Signature::new(
        SIGNATURE_NAME,
        SIGNATURE_EMAIL,
        &commit_time(d),
    )?)
}

/// The blob id `bytes` would get, without writing anything: git's SHA-1 of `blob <len>\0`
/// and the bytes, computed with the `sha1` crate (the CPU's SHA extensions when present), not
/// libgit2's collision-detecting SHA-1, which is several times slower and, for every input
/// but a crafted SHA-1 collision, gives the same id. An import hashes every file it reads, so
/// that a re-import of known files costs a hash per file (`Source-Blob`).
pub fn blob_id(bytes: &[u8]) -> Result<Oid> {
    Ok(pack::object_id(3, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::ObjectType;

    #[test]
    fn blob_ids_are_git_blob_ids() {
        for bytes in [
            &b""[..],
            b"x",
            "第一条 为了……\n".as_bytes(),
            &[0u8; 100_000],
        ] {
            assert_eq!(
                blob_id(bytes).expect("blob id"),
                Oid::hash_object(ObjectType::Blob, bytes).expect("git's")
            );
        }
    }

    #[test]
    fn days_match_known_dates() {
        let d = |y, m, dd| days_from_civil(Date::new(y, m, dd).expect("date"));
        assert_eq!(d(1970, 1, 1), 0);
        assert_eq!(d(2000, 3, 1), 11_017);
        assert_eq!(d(2023, 3, 13), 19_429);
        assert!(d(1954, 9, 20) < 0);
        assert_eq!(
            commit_time(Date::new(1954, 9, 20).expect("date")).seconds(),
            14_400
        );
    }

    #[test]
    fn messages_round_trip() {
        let meta = VersionMeta {
            id: "立法法-0123abcd".into(),
            title: "中华人民共和国立法法".into(),
            issuer: Some("全国人民代表大会".into()),
            effective: Date::new(2023, 3, 15),
            status: Some("有效".into()),
            source: Some(Oid::hash_object(ObjectType::Blob, b"x").expect("oid")),
            act: Some(ActRecord {
                blob: Oid::hash_object(ObjectType::Blob, b"act").expect("oid"),
                changes: vec![
                    ("第十条".into(), vec![1, 3]),
                    ("第十条之一".into(), vec![2]),
                ],
            }),
        };
        let date = Date::new(2023, 3, 13).expect("date");
        let msg = commit_message(
            &meta,
            "2023-03-13",
            date,
            Some("新增 1 条\n，删除 0 条"),
            Some(true),
            Some(VersionKind::Revised),
        );
        let v = parse_message(Oid::ZERO_SHA1, Oid::ZERO_SHA1, &msg).expect("parse");
        assert_eq!(v.meta, meta);
        assert_eq!(v.label, "2023-03-13");
        assert_eq!(v.date, date);
        assert_eq!(v.summary.as_deref(), Some("新增 1 条 ，删除 0 条"));
        assert_eq!(v.substantive, Some(true));
        assert_eq!(v.event, Some(VersionKind::Revised));
    }
}
