//! Writing objects into the store as one pack file, and moving refs all at once.
//!
//! Objects: an import builds its objects in an in-memory object database; the ones the store
//! lacks are written here as one version-2 pack of whole (undeltified) zlib-compressed objects,
//! hashed and compressed on every core, with the pack's version-2 index written alongside.
//! Compression is level 2 of zlib-rs (flate2's pure-Rust backend): on the corpus's texts it
//! runs at 79 MB/s for 34.9% of their size, where C zlib's fastest level (git's own choice for
//! loose objects) ran at 52 MB/s for 35.4%, and the default level at 32 MB/s for 31.3%
//! (`git gc` repacks a store smaller when size matters). (libgit2's packbuilder
//! would search deltas between unrelated statutes, half the time of a full import for almost
//! no saving: most statutes have one version.)
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

/// Writes `oids` (objects readable through `repo`) into one new pack, read and compressed
/// 64 MiB at a time so that the pack's size is not held twice more in memory.
pub fn write_pack(repo: &Repository, oids: &[Oid], threads: usize) -> Result<()> {
    let mut seen = std::collections::HashSet::with_capacity(oids.len());
    let oids: Vec<Oid> = oids.iter().copied().filter(|o| seen.insert(*o)).collect();
    drop(seen);
    if oids.is_empty() {
        return Ok(());
    }
    let odb = repo.odb()?;
    let mut pack = PackWriter::create(repo, oids.len())?;
    let mut at = 0;
    while at < oids.len() {
        let mut chunk: Vec<(u8, Oid, Vec<u8>)> = Vec::new();
        let mut bytes = 0;
        while at < oids.len() && (chunk.is_empty() || bytes < CHUNK_BYTES) {
            let oid = oids[at];
            at += 1;
            let o = odb.read(oid)?;
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
            bytes += o.len();
            chunk.push((t, oid, o.data().to_vec()));
        }
        pack.add(&chunk, threads)?;
    }
    pack.finish(repo).map(drop)
}

/// How many bytes of objects are compressed at once when a pack is written: the rest of the
/// pack is on disk.
const CHUNK_BYTES: usize = 64 << 20;

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
    bytes: usize,
}

impl Objects {
    /// Adds an object of pack type `kind`; returns its id.
    fn add(&mut self, kind: u8, data: Vec<u8>) -> Oid {
        let oid = object_id(kind, &data);
        if self.seen.insert(oid) {
            self.bytes += data.len();
            self.objects.push((kind, oid, data));
        }
        oid
    }

    /// A blob of these bytes.
    pub fn blob(&mut self, data: &[u8]) -> Oid {
        self.add(3, data.to_vec())
    }

    /// A blob of these bytes, taken rather than copied.
    pub fn blob_of(&mut self, data: Vec<u8>) -> Oid {
        self.add(3, data)
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
        self.add(2, data)
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
        self.add(1, text.into_bytes())
    }

    /// How many objects are held.
    pub fn len(&self) -> usize {
        self.objects.len()
    }

    /// How many bytes of content are held.
    pub fn bytes(&self) -> usize {
        self.bytes
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
        let missing: Vec<(u8, Oid, &[u8])> = objects
            .iter()
            .filter(|(_, oid, _)| !odb.exists_ext(*oid, git2::OdbLookupFlags::NO_REFRESH))
            .map(|(kind, oid, data)| (*kind, *oid, data.as_slice()))
            .collect();
        self.seen.clear();
        self.bytes = 0;
        write_objects(repo, &missing, threads).map(drop)
    }
}

/// Writes these blobs (id, content) into one new pack of `repo`'s object database. The ids
/// are trusted: [`super::blob_id`] computed them as the files were read. Returns where each
/// blob written lies, to be read back with [`Entry::read`].
pub(crate) fn write_blobs(
    repo: &Repository,
    blobs: &[(Oid, &[u8])],
    threads: usize,
) -> Result<Vec<(Oid, Entry)>> {
    let objects: Vec<(u8, Oid, &[u8])> = blobs.iter().map(|(id, b)| (3, *id, *b)).collect();
    write_objects(repo, &objects, threads)
}

/// Where an object lies in a pack this process wrote, to read it back without libgit2: an
/// import reads every text it wrote once more, for the summaries, and through libgit2 each
/// read costs a lookup in every pack's index and the collision-detecting SHA-1 of the whole
/// text (about a seventh of a large import's time). The entry's CRC-32, recorded for the pack's
/// index as it was written, is checked instead.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    /// The pack file, open (still readable should an identical pack already be in place and
    /// this one be removed).
    pack: std::sync::Arc<std::fs::File>,
    offset: u64,
    /// The entry's length in the pack: its header and compressed bytes.
    len: usize,
    crc: u32,
}

impl Entry {
    /// The object's content, inflated; an error if the entry is not the whole, undamaged
    /// object that was written.
    pub(crate) fn read(&self) -> Result<Vec<u8>> {
        use std::os::unix::fs::FileExt;
        let corrupt = |what: &str| {
            StoreError::Corrupt(format!(
                "the pack entry at offset {} written by this import: {what}",
                self.offset
            ))
        };
        let mut bytes = vec![0u8; self.len];
        self.pack
            .read_exact_at(&mut bytes, self.offset)
            .map_err(|e| corrupt(&e.to_string()))?;
        if crc32fast::hash(&bytes) != self.crc {
            return Err(corrupt("its CRC-32 differs from the one written"));
        }
        // The header: type in bits 4-6 of the first byte, the size in 4 bits then 7 a byte.
        let first = *bytes.first().ok_or_else(|| corrupt("it is empty"))?;
        let mut size = usize::from(first & 0x0f);
        let mut shift = 4;
        let mut at = 0;
        while bytes.get(at).is_some_and(|b| b & 0x80 != 0) {
            at += 1;
            let b = *bytes
                .get(at)
                .ok_or_else(|| corrupt("its header is cut short"))?;
            if shift > 57 {
                return Err(corrupt("its header gives a size too large"));
            }
            size |= usize::from(b & 0x7f) << shift;
            shift += 7;
        }
        let mut out = Vec::with_capacity(size);
        let mut z = flate2::Decompress::new(true);
        let status = z
            .decompress_vec(&bytes[at + 1..], &mut out, flate2::FlushDecompress::Finish)
            .map_err(|e| corrupt(&e.to_string()))?;
        if status != flate2::Status::StreamEnd || out.len() != size {
            return Err(corrupt("it does not inflate to the size its header gives"));
        }
        Ok(out)
    }
}

/// Writes objects given as (pack type, id, content) into one new pack and its index
/// ([`PackWriter`]), [`CHUNK_BYTES`] compressed at a time. An object given twice is written
/// once. On an error nothing is left behind. Returns where each object written lies.
fn write_objects(
    repo: &Repository,
    objects: &[(u8, Oid, &[u8])],
    threads: usize,
) -> Result<Vec<(Oid, Entry)>> {
    let mut seen = std::collections::HashSet::with_capacity(objects.len());
    let keep: Vec<(u8, Oid, &[u8])> = objects
        .iter()
        .copied()
        .filter(|(_, id, _)| seen.insert(*id))
        .collect();
    drop(seen);
    if keep.is_empty() {
        return Ok(Vec::new());
    }
    let mut pack = PackWriter::create(repo, keep.len())?;
    let mut at = 0;
    while at < keep.len() {
        let mut end = at;
        let mut bytes = 0;
        while end < keep.len() && (end == at || bytes < CHUNK_BYTES) {
            bytes += keep[end].2.len();
            end += 1;
        }
        pack.add(&keep[at..end], threads)?;
        at = end;
    }
    pack.finish(repo)
}

/// A pack being written: each object hashed, compressed and checksummed (CRC-32 of its pack
/// entry) on every core, a chunk at a time, and appended; then its version-2 index. Both are
/// written under temporary names in the pack directory, synced, and renamed into place pack
/// first, index last, as `git index-pack` does: readers find a pack by its index, so until
/// that last rename no reader sees either. (Handing the pack to libgit2's indexer instead made
/// it inflate and hash every object again, with the collision-detecting SHA-1: about a third
/// of a large import.) Dropped unfinished, it removes its temporary file.
struct PackWriter {
    dir: PathBuf,
    file: TempFile,
    out: std::io::BufWriter<std::fs::File>,
    sum: sha1::Sha1,
    offset: u64,
    count: usize,
    index: Vec<(Oid, u32, u64)>,
}

impl PackWriter {
    /// A pack of `count` objects, its header written.
    fn create(repo: &Repository, count: usize) -> Result<PackWriter> {
        use sha1::Digest;
        let dir = repo.path().join("objects/pack");
        let failed = |e: std::io::Error| StoreError::WriteFailed {
            path: dir.clone(),
            detail: e.to_string(),
        };
        let file = TempFile::create(&dir, "pack").map_err(failed)?;
        let out =
            std::io::BufWriter::with_capacity(1 << 20, file.file.try_clone().map_err(failed)?);
        let count32 = u32::try_from(count)
            .map_err(|_| StoreError::Internal(format!("{count} objects: too many for one pack")))?;
        let mut w = PackWriter {
            dir: dir.clone(),
            file,
            out,
            sum: sha1::Sha1::new(),
            offset: 0,
            count,
            index: Vec::with_capacity(count),
        };
        let mut header = Vec::with_capacity(12);
        header.extend_from_slice(b"PACK");
        header.extend_from_slice(&2u32.to_be_bytes());
        header.extend_from_slice(&count32.to_be_bytes());
        w.put(&header)?;
        Ok(w)
    }

    fn failed(&self, e: std::io::Error) -> StoreError {
        StoreError::WriteFailed {
            path: self.dir.clone(),
            detail: e.to_string(),
        }
    }

    fn put(&mut self, bytes: &[u8]) -> Result<()> {
        use sha1::Digest;
        self.sum.update(bytes);
        self.offset += bytes.len() as u64;
        self.out.write_all(bytes).map_err(|e| self.failed(e))
    }

    /// Compresses these objects (type, id, content) on `threads` threads and appends them.
    fn add<D: AsRef<[u8]> + Sync>(
        &mut self,
        objects: &[(u8, Oid, D)],
        threads: usize,
    ) -> Result<()> {
        let encoded = crate::par::try_map(objects, threads, |(t, _, data)| {
            let entry = entry(*t, data.as_ref());
            (crc32fast::hash(&entry), entry)
        });
        for ((_, oid, _), e) in objects.iter().zip(encoded) {
            let (crc, bytes) = e.ok_or_else(|| StoreError::Panicked {
                what: "compressing an object".into(),
            })?;
            self.index.push((*oid, crc, self.offset));
            self.put(&bytes)?;
        }
        Ok(())
    }

    /// Writes the trailer and the index, syncs both and renames them into place. Returns
    /// where each object lies.
    fn finish(mut self, repo: &Repository) -> Result<Vec<(Oid, Entry)>> {
        use sha1::Digest;
        if self.index.len() != self.count {
            return Err(StoreError::Internal(format!(
                "a pack of {} objects given {}",
                self.count,
                self.index.len()
            )));
        }
        let file = std::sync::Arc::new(self.file.file.try_clone().map_err(|e| self.failed(e))?);
        let ends = self.index.iter().skip(1).map(|e| e.2).chain([self.offset]);
        let entries: Vec<(Oid, Entry)> = self
            .index
            .iter()
            .zip(ends)
            .map(|(&(oid, crc, offset), end)| {
                let entry = Entry {
                    pack: file.clone(),
                    offset,
                    len: (end - offset) as usize,
                    crc,
                };
                (oid, entry)
            })
            .collect();
        let pack_sum: [u8; 20] = std::mem::take(&mut self.sum).finalize().into();
        self.out.write_all(&pack_sum).map_err(|e| self.failed(e))?;
        self.out.flush().map_err(|e| self.failed(e))?;
        self.file.file.sync_all().map_err(|e| self.failed(e))?;
        let index = std::mem::take(&mut self.index);
        let mut idx_file = TempFile::create(&self.dir, "idx").map_err(|e| self.failed(e))?;
        idx_file
            .file
            .write_all(&pack_index(index, &pack_sum))
            .and_then(|()| idx_file.file.sync_all())
            .map_err(|e| self.failed(e))?;
        let name: String = pack_sum.iter().map(|b| format!("{b:02x}")).collect();
        let idx_path = self.dir.join(format!("pack-{name}.idx"));
        if idx_path.exists() {
            // The same objects in the same order: this very pack is already in place.
            return Ok(entries);
        }
        self.file
            .persist(&self.dir.join(format!("pack-{name}.pack")))
            .map_err(|e| self.failed(e))?;
        idx_file.persist(&idx_path).map_err(|e| self.failed(e))?;
        // The renames themselves, durable before any ref names an object of the pack.
        if let Ok(d) = std::fs::File::open(&self.dir) {
            let _ = d.sync_all();
        }
        repo.odb()?.refresh()?;
        Ok(entries)
    }
}

/// An object's id: the SHA-1 of its git header (`blob 12\0`) and content, by the `sha1`
/// crate (see [`super::blob_id`]).
pub(crate) fn object_id(t: u8, data: &[u8]) -> Oid {
    use sha1::Digest;
    let name = match t {
        1 => "commit",
        2 => "tree",
        3 => "blob",
        _ => "tag",
    };
    let mut h = sha1::Sha1::new();
    h.update(format!("{name} {}\0", data.len()).as_bytes());
    h.update(data);
    Oid::from_bytes(&h.finalize()).unwrap_or(Oid::ZERO_SHA1)
}

/// The version-2 index of a pack whose entries are (id, CRC-32 of the entry, offset) and whose
/// trailer is `pack_sum`: the same bytes `git index-pack` writes for that pack.
fn pack_index(mut entries: Vec<(Oid, u32, u64)>, pack_sum: &[u8; 20]) -> Vec<u8> {
    entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let n = entries.len();
    let mut out = Vec::with_capacity(8 + 256 * 4 + n * 28 + 40);
    out.extend_from_slice(&[0xff, b't', b'O', b'c']);
    out.extend_from_slice(&2u32.to_be_bytes());
    let mut fanout = [0u32; 256];
    for (oid, _, _) in &entries {
        fanout[usize::from(oid.as_bytes()[0])] += 1;
    }
    let mut total = 0u32;
    for count in fanout {
        total += count;
        out.extend_from_slice(&total.to_be_bytes());
    }
    for (oid, _, _) in &entries {
        out.extend_from_slice(oid.as_bytes());
    }
    for (_, crc, _) in &entries {
        out.extend_from_slice(&crc.to_be_bytes());
    }
    let mut large = Vec::new();
    for (_, _, offset) in &entries {
        match u32::try_from(*offset) {
            Ok(small) if small < 0x8000_0000 => out.extend_from_slice(&small.to_be_bytes()),
            _ => {
                let at = 0x8000_0000 | large.len() as u32;
                out.extend_from_slice(&at.to_be_bytes());
                large.push(*offset);
            }
        }
    }
    for offset in large {
        out.extend_from_slice(&offset.to_be_bytes());
    }
    out.extend_from_slice(pack_sum);
    use sha1::Digest;
    let sum: [u8; 20] = sha1::Sha1::digest(&out).into();
    out.extend_from_slice(&sum);
    out
}

/// A file being written in the pack directory under a temporary name (`tmp_pack_…`, as git
/// names its own), removed when dropped unless [`TempFile::persist`] renamed it into place.
struct TempFile {
    path: PathBuf,
    file: std::fs::File,
    kept: bool,
}

impl TempFile {
    fn create(dir: &Path, what: &str) -> std::io::Result<TempFile> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        loop {
            let n = NEXT.fetch_add(1, Ordering::Relaxed);
            let path = dir.join(format!("tmp_{what}_{}_{n}", std::process::id()));
            match std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(file) => {
                    return Ok(TempFile {
                        path,
                        file,
                        kept: false,
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    fn persist(&mut self, to: &Path) -> std::io::Result<()> {
        std::fs::rename(&self.path, to)?;
        self.kept = true;
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// The zlib level of pack entries (see the module's notes).
const LEVEL: u32 = 2;

/// Trees smaller than this are stored uncompressed (see [`entry`]); larger ones, `main`'s
/// catalog trees of many similar names, compress to half.
const STORED_TREE: usize = 1024;

/// One pack entry: the type-and-size header, then the object as a zlib stream: compressed,
/// but for a small tree ([`STORED_TREE`]), which is stored. Such a tree is mostly object ids,
/// which do not compress (the store's trees of one or two entries came out 18% larger
/// compressed), and a compressor zeroes a quarter of a megabyte of tables before it starts:
/// for small objects that was most of the time an import spent compressing them.
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
    if t == 2 && data.len() < STORED_TREE {
        stored(data, &mut out);
        return out;
    }
    let mut z = ZlibEncoder::new(out, Compression::new(LEVEL));
    // Writing into a Vec cannot fail.
    let _ = z.write_all(data);
    z.finish().unwrap_or_default()
}

/// Appends `data` as a zlib stream of stored (uncompressed) deflate blocks (RFC 1950, RFC 1951
/// section 3.2.4).
fn stored(data: &[u8], out: &mut Vec<u8>) {
    // CMF: deflate with a 32 KiB window; FLG: the check bits for it, no dictionary.
    out.extend_from_slice(&[0x78, 0x01]);
    let mut blocks = data.chunks(usize::from(u16::MAX)).peekable();
    if blocks.peek().is_none() {
        // No data: one empty final block.
        out.extend_from_slice(&[1, 0, 0, 0xff, 0xff]);
    }
    while let Some(block) = blocks.next() {
        // BFINAL on the last block; BTYPE 00, stored.
        out.push(u8::from(blocks.peek().is_none()));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    out.extend_from_slice(&zlib_rs::adler32::adler32(1, data).to_be_bytes());
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
    let lock = git_dir.join("packed-refs.lock");
    let f = std::fs::OpenOptions::new()
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
    // Written as it goes (at national scale the file is 90 MB), in byte order, as git sorts
    // refnames.
    let written = (|| {
        let mut out = std::io::BufWriter::with_capacity(1 << 20, &f);
        out.write_all(b"# pack-refs with: sorted \n")?;
        for (name, oid) in refs {
            writeln!(out, "{oid} {name}")?;
        }
        out.flush()?;
        drop(out);
        f.sync_all()
    })();
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

    #[test]
    fn stored_streams_inflate_to_their_data() {
        use std::io::Read;
        for n in [0usize, 1, 66, 65_535, 65_536, 200_000] {
            let data: Vec<u8> = (0..n).map(|i| (i * 7 % 251) as u8).collect();
            let mut z = Vec::new();
            stored(&data, &mut z);
            let mut back = Vec::new();
            flate2::read::ZlibDecoder::new(z.as_slice())
                .read_to_end(&mut back)
                .expect("a valid zlib stream, its Adler-32 checked");
            assert_eq!(back, data, "{n} bytes");
        }
    }

    #[test]
    fn entries_read_back_what_was_written_and_refuse_a_damaged_byte() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = Repository::init_bare(dir.path()).expect("init");
        let texts: Vec<Vec<u8>> = (0..50)
            .map(|i| format!("第{i}条 内容。\n").repeat(i * 40 + 1).into_bytes())
            .collect();
        let mut blobs: Vec<(Oid, &[u8])> = texts
            .iter()
            .map(|t| (object_id(3, t), t.as_slice()))
            .collect();
        // Given twice, written once.
        blobs.push(blobs[3]);
        let entries = write_blobs(&repo, &blobs, 2).expect("write");
        assert_eq!(entries.len(), texts.len());
        for ((oid, entry), text) in entries.iter().zip(&texts) {
            assert_eq!(*oid, object_id(3, text));
            assert_eq!(&entry.read().expect("read back"), text);
        }
        // The same pack again: it is in place already, and what is returned still reads.
        let again = write_blobs(&repo, &blobs, 1).expect("again");
        assert_eq!(again[7].1.read().expect("read back"), texts[7]);
        // One byte changed inside an entry: its CRC-32 no longer matches.
        let (_, e) = &entries[5];
        let mut byte = [0u8];
        use std::os::unix::fs::FileExt;
        let at = e.offset + e.len as u64 - 3;
        e.pack.read_exact_at(&mut byte, at).expect("read");
        let pack = std::fs::read_dir(dir.path().join("objects/pack"))
            .expect("pack dir")
            .map(|d| d.expect("entry").path())
            .find(|p| p.extension().is_some_and(|x| x == "pack"))
            .expect("a pack");
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(&pack)
            .expect("open");
        f.write_all_at(&[byte[0] ^ 0x20], at).expect("damage");
        match e.read() {
            Err(StoreError::Corrupt(m)) => assert!(m.contains("CRC-32"), "{m}"),
            other => panic!("a damaged entry read as {other:?}"),
        }
        assert_eq!(entries[6].1.read().expect("the next"), texts[6]);
    }

    /// The pack and index written in process are the ones git itself would write: `git
    /// index-pack` over the pack gives the same index, byte for byte.
    #[test]
    fn the_index_is_the_one_git_index_pack_writes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let repo = Repository::init_bare(dir.path()).expect("init");
        let mut o = Objects::default();
        let mut blobs = Vec::new();
        for i in 0..300 {
            blobs.push(o.blob(format!("第{i}条 内容。\n").repeat(i % 7 + 1).as_bytes()));
        }
        // Given twice, written once.
        o.blob("第0条 内容。\n".as_bytes());
        let tree = o.tree(&[("a.md", false, blobs[0]), ("b.md", false, blobs[1])]);
        o.write(&repo, 2).expect("write");
        for b in &blobs {
            assert!(repo.find_blob(*b).is_ok());
        }
        assert!(repo.find_tree(tree).is_ok());
        let packs: Vec<PathBuf> = std::fs::read_dir(dir.path().join("objects/pack"))
            .expect("pack dir")
            .map(|e| e.expect("entry").path())
            .collect();
        assert_eq!(
            packs.len(),
            2,
            "a pack and its index, nothing else: {packs:?}"
        );
        let pack = packs
            .iter()
            .find(|p| p.extension().is_some_and(|x| x == "pack"))
            .expect("a pack");
        let ours = std::fs::read(pack.with_extension("idx")).expect("our index");
        let theirs = dir.path().join("git.idx");
        match std::process::Command::new("git")
            .args(["index-pack", "-o"])
            .arg(&theirs)
            .arg(pack)
            .output()
        {
            Ok(out) if out.status.success() => {
                assert_eq!(ours, std::fs::read(&theirs).expect("git's index"));
            }
            Ok(out) => panic!("git index-pack: {}", String::from_utf8_lossy(&out.stderr)),
            Err(e) => eprintln!("skipped the comparison with git index-pack: no git ({e})"),
        }
        // The same pack written again is found in place; nothing is left behind.
        let x = (object_id(3, b"x"), b"x".as_slice());
        write_blobs(&repo, &[x, x], 1).expect("a second pack");
        write_blobs(&repo, &[x], 1).expect("the same pack again");
        assert!(repo.find_blob(x.0).is_ok());
        let names: Vec<String> = std::fs::read_dir(dir.path().join("objects/pack"))
            .expect("pack dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names.len(), 4, "{names:?}");
        assert!(names.iter().all(|n| n.starts_with("pack-")), "{names:?}");
    }

    /// Offsets past 2 GiB go to the index's table of 8-byte offsets, the small slot naming
    /// their place in it.
    #[test]
    fn offsets_past_two_gibibytes_use_the_large_offset_table() {
        let id = |b: u8| Oid::from_bytes(&[b; 20]).expect("oid");
        let entries = vec![
            (id(3), 7, 0x1_0000_0000),
            (id(1), 5, 12),
            (id(2), 6, 0x8000_0000),
        ];
        let idx = pack_index(entries, &[9; 20]);
        let n = 3;
        let base = 8 + 256 * 4;
        assert_eq!(&idx[..8], &[0xff, b't', b'O', b'c', 0, 0, 0, 2]);
        // Fanout: cumulative counts by first byte.
        let fan = |i: usize| u32::from_be_bytes(idx[8 + i * 4..12 + i * 4].try_into().expect("4"));
        assert_eq!((fan(0), fan(1), fan(2), fan(3), fan(255)), (0, 1, 2, 3, 3));
        // Sorted ids, then CRCs in that order.
        assert_eq!(idx[base], 1);
        assert_eq!(idx[base + 40], 3);
        let word = |at: usize| u32::from_be_bytes(idx[at..at + 4].try_into().expect("4"));
        let crcs = base + n * 20;
        assert_eq!((word(crcs), word(crcs + 4), word(crcs + 8)), (5, 6, 7));
        let offsets = crcs + n * 4;
        assert_eq!(word(offsets), 12);
        assert_eq!(word(offsets + 4), 0x8000_0000);
        assert_eq!(word(offsets + 8), 0x8000_0001);
        let large = offsets + n * 4;
        let long = |at: usize| u64::from_be_bytes(idx[at..at + 8].try_into().expect("8"));
        assert_eq!((long(large), long(large + 8)), (0x8000_0000, 0x1_0000_0000));
        assert_eq!(&idx[large + 16..large + 36], &[9; 20]);
        assert_eq!(idx.len(), large + 16 + 40);
    }
}
