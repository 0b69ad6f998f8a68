//! The writer lock: one `statute.lock` file in the store, held with an OS file lock for the
//! whole of an import, so two writers never interleave. Readers take no lock: git refs move
//! atomically and objects are written before the refs that name them.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::{Path, PathBuf};

use super::error::{Result, StoreError};

/// The lock file's name inside the store.
pub const LOCK_FILE: &str = "statute.lock";

/// A held writer lock; released when dropped (and by the OS if the process dies).
#[derive(Debug)]
pub struct WriteLock {
    _file: File,
    pub path: PathBuf,
}

/// Takes the writer lock of the store at `dir`. When another process holds it, calls
/// `on_wait` once and then waits for it.
pub fn acquire(dir: &Path, on_wait: impl FnOnce(&Path)) -> Result<WriteLock> {
    let path = dir.join(LOCK_FILE);
    let io = |source| StoreError::Io {
        path: path.clone(),
        source,
    };
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(|source| StoreError::Unwritable {
            path: path.clone(),
            source,
        })?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            on_wait(&path);
            file.lock().map_err(io)?;
        }
        Err(TryLockError::Error(e)) => return Err(io(e)),
    }
    Ok(WriteLock { _file: file, path })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_lock_waits_until_the_first_is_released() {
        let dir = tempfile::tempdir().expect("tempdir");
        let first = acquire(dir.path(), |_| panic!("nobody holds it yet")).expect("lock");
        let waited = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            let h = s.spawn(|| {
                acquire(dir.path(), |_| {
                    waited.store(true, std::sync::atomic::Ordering::SeqCst)
                })
                .map(|_| ())
            });
            std::thread::sleep(std::time::Duration::from_millis(100));
            drop(first);
            assert!(h.join().expect("join").is_ok());
        });
        assert!(waited.load(std::sync::atomic::Ordering::SeqCst));
    }
}
