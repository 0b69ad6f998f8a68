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
