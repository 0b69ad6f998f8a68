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
//! import moves in one atomic rename; loose files of changed refs are removed afterwards.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::Path;

use flate2::Compression;
use flate2::write::ZlibEncoder;
use git2::{ObjectType, Oid, Repository};

use super::error::{Result, StoreError};
use super::import::par_map;

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
    let entries = par_map(&objects, threads, |(t, data)| entry(*t, data));
    let mut pack = Vec::with_capacity(entries.iter().flatten().map(Vec::len).sum::<usize>() + 32);
    pack.extend_from_slice(b"PACK");
    pack.extend_from_slice(&2u32.to_be_bytes());
    pack.extend_from_slice(&(oids.len() as u32).to_be_bytes());
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

/// Replaces the store's refs: `current` (every ref now) with `changes` applied (`None`
/// deletes), in one atomic rename of `packed-refs`.
pub fn update_refs(
    git_dir: &Path,
    current: &HashMap<String, Oid>,
    changes: &BTreeMap<String, Option<Oid>>,
) -> Result<()> {
    let mut all: BTreeMap<&str, Oid> = current.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    for (name, target) in changes {
        match target {
            Some(t) => all.insert(name, *t),
            None => all.remove(name.as_str()),
        };
    }
    // Byte order, as git sorts refnames.
    let mut text = String::from("# pack-refs with: sorted \n");
    for (name, oid) in &all {
        text.push_str(&format!("{oid} {name}\n"));
    }
    let lock = git_dir.join("packed-refs.lock");
    let io = |path: &Path, source| StoreError::Io {
        path: path.into(),
        source,
    };
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
            _ => io(&lock, e),
        })?;
    let written = f
        .write_all(text.as_bytes())
        .and_then(|()| f.sync_all())
        .and_then(|()| std::fs::rename(&lock, git_dir.join("packed-refs")));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&lock);
        return Err(StoreError::WriteFailed {
            path: lock,
            detail: e.to_string(),
        });
    }
    // Loose refs would shadow the packed ones.
    for name in changes.keys() {
        let loose = git_dir.join(name);
        if loose.is_file() {
            std::fs::remove_file(&loose).map_err(|e| io(&loose, e))?;
        }
    }
    Ok(())
}
