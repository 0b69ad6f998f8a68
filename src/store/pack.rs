//! Writing objects into the store as one pack file, and moving refs all at once.
//!
//! Objects: an import builds its objects in an in-memory object database; the ones the store
//! lacks are written here as one version-2 pack of whole (undeltified) zlib-compressed objects,
//! compressed on every core, and handed to libgit2's indexer, which checks the pack and writes
//! its index. (libgit2's packbuilder would search deltas between unrelated statutes, half the
//! time of a full import for almost no saving: most statutes have one version.)
//!
//! Refs: the new set of refs is written as a complete `packed-refs` file under git's own lock
//! name (`packed-refs.lock`, created exclusively) and renamed into place, so every ref of an
//! import moves in one atomic rename. A loose file of a ref to change (left by git, or by an
//! older store) would shadow its new packed line, and removing it afterwards would leave a
//! killed process's store with some refs old and some new: so such files are folded into
//! `packed-refs` and removed first, and the new refs are renamed in last ([`RefStep`] names the
//! steps and states the invariant; `tests/it/store_faults.rs` stops at each).

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::write::ZlibEncoder;
use git2::{ObjectType, Oid, Repository};

use super::error::{Result, StoreError};

/// Writes `oids` (objects readable through `repo`) into one new pack.
pub fn write_pack(repo: &Repository, oids: &[Oid], threads: usize) -> Result<()> {
    if oids.is_empty() {
        return Ok(());
    }
    let odb = repo.odb()?;
    let mut objects: Vec<(u8, Vec<u8>)> = Vec::with_capacity(oids.len());
    for oid in oids {
        let o = odb.read(*oid)?;
        let t = match o.kind() {
            ObjectType::Commit => 1,
            ObjectType::Tree => 2,
            ObjectType::Blob => 3,
            ObjectType::Tag => 4,
            k => {
                return Err(StoreError::Internal(format!(
                    "object {oid}: cannot pack a {k}"
                )));
            }
        };
        objects.push((t, o.data().to_vec()));
    }
    write_objects(repo, &objects, threads)
}

/// Objects encoded in process, in git's formats, with their ids (SHA-1 by the `sha1` crate),
/// to be written into one pack ([`Objects::write`]) without going through libgit2's object
/// database: libgit2 hashes each object it writes with its collision-detecting SHA-1 and, to
/// see whether it has it, rescans the pack directory for every one it does not find, which
/// made writing an import's commits and trees its slowest serial step. Only the objects whose
/// formats are simple are made here: blobs, trees of a few entries, the store's commits.
#[derive(Default)]
pub struct Objects {
    objects: Vec<(u8, Oid, Vec<u8>)>,
    seen: std::collections::HashSet<Oid>,
}

impl Objects {
    /// Adds an object of pack type `kind` (`name` its git type name); returns its id.
    fn add(&mut self, kind: u8, name: &str, data: Vec<u8>) -> Oid {
        use sha1::Digest;
        let mut h = sha1::Sha1::new();
        h.update(format!("{name} {}\0", data.len()).as_bytes());
        h.update(&data);
        let oid = Oid::from_bytes(&h.finalize()).unwrap_or(Oid::ZERO_SHA1);
        if self.seen.insert(oid) {
            self.objects.push((kind, oid, data));
        }
        oid
    }

    /// A blob of these bytes.
    pub fn blob(&mut self, data: &[u8]) -> Oid {
        self.add(3, "blob", data.to_vec())
    }

    /// A tree of these entries (name, whether a tree, id), in git's order: by name, a
    /// subtree's name compared as if it ended in `/`.
    pub fn tree(&mut self, entries: &[(&str, bool, Oid)]) -> Oid {
        let mut sorted: Vec<&(&str, bool, Oid)> = entries.iter().collect();
        let key = |e: &(&str, bool, Oid)| {
            let mut k = e.0.as_bytes().to_vec();
            if e.1 {
                k.push(b'/');
            }
            k
        };
        sorted.sort_by_key(|e| key(e));
        let mut data = Vec::new();
        for (name, is_tree, oid) in sorted {
            data.extend_from_slice(if *is_tree { b"40000 " } else { b"100644 " });
            data.extend_from_slice(name.as_bytes());
            data.push(0);
            data.extend_from_slice(oid.as_bytes());
        }
        self.add(2, "tree", data)
    }

    /// A commit as libgit2 writes it (`git_commit_create` with one signature as author and
    /// committer, no encoding header).
    pub fn commit(
        &mut self,
        tree: Oid,
        parent: Option<Oid>,
        who: &git2::Signature<'_>,
        message: &str,
    ) -> Oid {
        let t = who.when();
        let offset = t.offset_minutes();
        let sign = if offset < 0 { '-' } else { '+' };
        let signature = format!(
            "{} <{}> {} {sign}{:02}{:02}",
            who.name().unwrap_or(""),
            who.email().unwrap_or(""),
            t.seconds(),
            offset.abs() / 60,
            offset.abs() % 60
        );
        let mut text = format!("tree {tree}\n");
        if let Some(p) = parent {
            text.push_str(&format!("parent {p}\n"));
        }
        text.push_str(&format!(
            "author {signature}\ncommitter {signature}\n\n{message}"
        ));
        self.add(1, "commit", text.into_bytes())
    }

    /// How many objects are held.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// True when none is held.
    pub fn is_empty(&self) -> bool {
        self.objects.is_empty()
    }

    /// Writes the objects `repo` lacks into one new pack and forgets them all.
    pub fn write(&mut self, repo: &Repository, threads: usize) -> Result<()> {
        let odb = repo.odb()?;
        // One look at the pack directory, then lookups that do not rescan it.
        odb.refresh()?;
        let objects = std::mem::take(&mut self.objects);
        let missing: Vec<(u8, &[u8])> = objects
            .iter()
            .filter(|(_, oid, _)| !odb.exists_ext(*oid, git2::OdbLookupFlags::NO_REFRESH))
            .map(|(kind, _, data)| (*kind, data.as_slice()))
            .collect();
        self.seen.clear();
        write_objects(repo, &missing, threads)
    }
}

/// Writes these blobs (their contents) into one new pack of `repo`'s object database.
pub fn write_blobs(repo: &Repository, blobs: &[&[u8]], threads: usize) -> Result<()> {
    let objects: Vec<(u8, &[u8])> = blobs.iter().map(|b| (3, *b)).collect();
    write_objects(repo, &objects, threads)
}

/// Writes objects given as (pack type, content) into one new pack.
fn write_objects<D: AsRef<[u8]> + Sync>(
    repo: &Repository,
    objects: &[(u8, D)],
    threads: usize,
) -> Result<()> {
    if objects.is_empty() {
        return Ok(());
    }
    let odb = repo.odb()?;
    let entries = crate::par::try_map(objects, threads, |(t, data)| entry(*t, data.as_ref()));
    let mut pack = Vec::with_capacity(entries.iter().flatten().map(Vec::len).sum::<usize>() + 32);
    pack.extend_from_slice(b"PACK");
    pack.extend_from_slice(&2u32.to_be_bytes());
    pack.extend_from_slice(&(objects.len() as u32).to_be_bytes());
    for e in entries {
        let e = e.ok_or_else(|| StoreError::Panicked {
            what: "compressing an object".into(),
        })?;
        pack.extend_from_slice(&e);
    }
    let sum = sha1_smol::Sha1::from(&pack).digest().bytes();
    pack.extend_from_slice(&sum);
    let failed = |detail: String| StoreError::WriteFailed {
        path: repo.path().join("objects/pack"),
        detail,
    };
    let mut w = odb.packwriter()?;
    // git2's writer reports only "Write error"; libgit2 keeps the cause (e.g. "No space left
    // on device") as this thread's last error.
    w.write_all(&pack)
        .map_err(|_| failed(git2::Error::last_error(-1).message().to_string()))?;
    w.commit().map_err(|e| failed(e.message().to_string()))?;
    Ok(())
}

/// One pack entry: the type-and-size header, then the zlib-compressed object.
fn entry(t: u8, data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 2 + 16);
    let mut size = data.len();
    let mut byte = (t << 4) | (size & 0x0f) as u8;
    size >>= 4;
    while size > 0 {
        out.push(byte | 0x80);
        byte = (size & 0x7f) as u8;
        size >>= 7;
    }
    out.push(byte);
    let mut z = ZlibEncoder::new(out, Compression::default());
    // Writing into a Vec cannot fail.
    let _ = z.write_all(data);
    z.finish().unwrap_or_default()
}

/// A point in [`update_refs`] at which the process may be killed (a fault test stops there).
///
/// The invariant, at every step: each ref resolves to its commit either as it was before the
/// update or as it is after it, and the update moves them all at once. Two rules keep it:
/// a loose file of a ref to change is removed only while `packed-refs` says the same as the
/// file (so removing it changes nothing), and the new `packed-refs` is renamed into place only
/// when no loose file of a changed ref is left to shadow it with an older value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefStep {
    /// Only when a ref to change has a loose file: `packed-refs.lock` holds every ref as it
    /// resolves now, loose files folded in. Nothing has changed yet.
    FoldWritten,
    /// That file is renamed to `packed-refs`: each loose file of a ref to change now says what
    /// its packed line says.
    Folded,
    /// One of those loose files is removed; its packed line, the same commit, shows through.
    LooseRemoved,
    /// `packed-refs.lock` holds the new refs. Nothing has changed yet.
    Written,
    /// Renamed to `packed-refs`: every ref has its new commit.
    Done,
}

/// Replaces the store's refs: `current` (every ref now) with `changes` applied (`None`
/// deletes), in one atomic rename of `packed-refs`.
pub fn update_refs(
    git_dir: &Path,
    current: &HashMap<String, Oid>,
    changes: &BTreeMap<String, Option<Oid>>,
) -> Result<()> {
    update_refs_until(git_dir, current, changes, &mut |_| true)
}

/// [`update_refs`], calling `go_on` after each [`RefStep`] and stopping at once, as a killed
/// process would (a lock file left, no clean-up), when it says `false`. For fault tests.
#[doc(hidden)]
pub fn update_refs_until(
    git_dir: &Path,
    current: &HashMap<String, Oid>,
    changes: &BTreeMap<String, Option<Oid>>,
    go_on: &mut dyn FnMut(RefStep) -> bool,
) -> Result<()> {
    let io = |path: &Path, source| StoreError::Io {
        path: path.into(),
        source,
    };
    // Loose files of refs to change: they would shadow the new packed lines. (A symbolic
    // loose ref is no ref `current` holds, and is left alone.)
    let loose: Vec<PathBuf> = changes
        .keys()
        .filter(|name| current.contains_key(name.as_str()))
        .map(|name| git_dir.join(name))
        .filter(|p| p.is_file())
        .collect();
    let now: BTreeMap<&str, Oid> = current.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    if !loose.is_empty() {
        // Fold first: packed-refs as the refs resolve now, so that the loose files say
        // nothing packed-refs does not.
        if !write_packed_refs(git_dir, &now, &mut |s| go_on(s.fold()))? || !go_on(RefStep::Folded) {
            return Ok(());
        }
        for p in &loose {
            std::fs::remove_file(p).map_err(|e| io(p, e))?;
            if !go_on(RefStep::LooseRemoved) {
                return Ok(());
            }
        }
    }
    let mut all = now;
    for (name, target) in changes {
        match target {
            Some(t) => all.insert(name, *t),
            None => all.remove(name.as_str()),
        };
    }
    if write_packed_refs(git_dir, &all, go_on)? {
        go_on(RefStep::Done);
    }
    Ok(())
}

impl RefStep {
    /// The folding pass's name for a step of writing `packed-refs`.
    fn fold(self) -> RefStep {
        match self {
            RefStep::Written => RefStep::FoldWritten,
            s => s,
        }
    }
}

/// Writes `refs` as `packed-refs` under git's lock name, created exclusively, and renames it
/// into place: [`RefStep::Written`] between the two. `false` from `go_on` stops before the
/// rename, leaving the lock file as a killed process would, and is returned.
fn write_packed_refs(
    git_dir: &Path,
    refs: &BTreeMap<&str, Oid>,
    go_on: &mut dyn FnMut(RefStep) -> bool,
) -> Result<bool> {
    // Byte order, as git sorts refnames.
    let mut text = String::from("# pack-refs with: sorted \n");
    for (name, oid) in refs {
        text.push_str(&format!("{oid} {name}\n"));
    }
    let lock = git_dir.join("packed-refs.lock");
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&lock)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => StoreError::Io {
                path: lock.clone(),
                source: std::io::Error::new(
                    e.kind(),
                    "exists: a git process is writing refs (remove it if none is running)",
                ),
            },
            _ => StoreError::Io {
                path: lock.clone(),
                source: e,
            },
        })?;
    let written = f.write_all(text.as_bytes()).and_then(|()| f.sync_all());
    drop(f);
    if written.is_ok() && !go_on(RefStep::Written) {
        return Ok(false);
    }
    let written = written.and_then(|()| std::fs::rename(&lock, git_dir.join("packed-refs")));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&lock);
        return Err(StoreError::WriteFailed {
            path: lock,
            detail: e.to_string(),
        });
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_encoded_in_process_are_libgit2s() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = Repository::init_bare(dir.path()).expect("init");
        let mut o = Objects::default();
        let text = "# 法\n\n第一条 总则。\n";
        let blob = o.blob(text.as_bytes());
        assert_eq!(blob, repo.blob(text.as_bytes()).expect("blob"));
        let inner = o.tree(&[("法-0123abcd.md", false, blob), ("a", false, blob)]);
        let mut tb = repo.treebuilder(None).expect("treebuilder");
        tb.insert("法-0123abcd.md", blob, 0o100_644)
            .expect("insert");
        tb.insert("a", blob, 0o100_644).expect("insert");
        assert_eq!(inner, tb.write().expect("tree"));
        // A subtree sorts as if its name ended in `/`: `statutes` after `statutes.md`.
        let root = o.tree(&[("statutes", true, inner), ("statutes.md", false, blob)]);
        let mut tb = repo.treebuilder(None).expect("treebuilder");
        tb.insert("statutes", inner, 0o040_000).expect("insert");
        tb.insert("statutes.md", blob, 0o100_644).expect("insert");
        let root_git = tb.write().expect("tree");
        assert_eq!(root, root_git);
        let when = git2::Time::new(1_700_000_000, 480);
        let sig = git2::Signature::new("statute", "statute@localhost", &when).expect("sig");
        let tree = repo.find_tree(root_git).expect("find tree");
        let msg = "中华人民共和国法 2020-01-01\n\n首次收录\n\nStatute-Id: 法-0123abcd\n";
        let first = repo
            .commit(None, &sig, &sig, msg, &tree, &[])
            .expect("commit");
        assert_eq!(o.commit(root_git, None, &sig, msg), first);
        let parent = repo.find_commit(first).expect("parent");
        let second = repo
            .commit(None, &sig, &sig, "second\n", &tree, &[&parent])
            .expect("commit");
        assert_eq!(o.commit(root_git, Some(first), &sig, "second\n"), second);
        let west = git2::Signature::new("x", "y@z", &git2::Time::new(0, -90)).expect("sig");
        let third = repo
            .commit(None, &west, &west, "m", &tree, &[])
            .expect("commit");
        assert_eq!(o.commit(root_git, None, &west, "m"), third);
        // Written into a pack, they read back.
        o.write(&repo, 2).expect("write");
        assert!(repo.find_commit(second).is_ok());
        assert!(o.is_empty());
    }
}
