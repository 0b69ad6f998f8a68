//! Store faults: a store written by a newer format, a corrupted pack, a stale lock file left
//! by a killed process. Each gives a clear message and leaves the data intact.

use std::process::{Command, Output};

use crate::common::root;

fn statute(store: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_statute"))
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .expect("run statute")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A store holding the bundled versions.
fn store(dir: &tempfile::TempDir) -> String {
    let s = dir
        .path()
        .join("store")
        .to_str()
        .expect("utf-8")
        .to_string();
    assert_eq!(statute(&s, &["init"]).status.code(), Some(0));
    let versions = root().join("versions");
    let o = statute(&s, &["import", versions.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    s
}

fn git(store: &str, args: &[&str]) -> Output {
    Command::new("git")
        .arg("--git-dir")
        .arg(store)
        .args(args)
        .output()
        .expect("run git")
}

#[test]
fn a_newer_store_format_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let s = store(&dir);
    let refs_before = git(&s, &["show-ref"]).stdout;
    assert!(git(&s, &["config", "statute.format", "2"]).status.success());
    for args in [
        &["list"][..],
        &[
            "import",
            root()
                .join("fixtures/amend-new.md")
                .to_str()
                .expect("utf-8"),
        ],
    ] {
        let o = statute(&s, args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("newer")
                && err.contains("format 2")
                && err.trim_end().lines().count() == 1,
            "{err}"
        );
    }
    assert_eq!(git(&s, &["show-ref"]).stdout, refs_before);
}

#[test]
fn a_corrupted_pack_is_reported_by_verify() {
    let dir = tempfile::tempdir().expect("temp dir");
    let s = store(&dir);
    assert_eq!(statute(&s, &["verify"]).status.code(), Some(0));
    let pack = std::fs::read_dir(std::path::Path::new(&s).join("objects/pack"))
        .expect("pack dir")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "pack"))
        .expect("a pack");
    let mut bytes = std::fs::read(&pack).expect("read pack");
    let n = bytes.len();
    for b in &mut bytes[n / 3..n / 3 + 400] {
        *b ^= 0x55;
    }
    std::fs::write(&pack, bytes).expect("write pack");
    let o = statute(&s, &["verify"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{out}{}", stderr(&o));
    assert!(out.contains("problem"), "{out}");
}

#[test]
fn a_stale_lock_file_from_a_killed_writer_does_not_block() {
    let dir = tempfile::tempdir().expect("temp dir");
    let s = store(&dir);
    // The lock is an OS file lock, released when its process dies; the file that stays
    // behind holds no lock.
    std::fs::write(std::path::Path::new(&s).join("statute.lock"), b"").expect("stale lock file");
    let o = statute(
        &s,
        &[
            "import",
            root()
                .join("fixtures/amend-old.md")
                .to_str()
                .expect("utf-8"),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(!stderr(&o).contains("wait"), "{}", stderr(&o));
    assert_eq!(statute(&s, &["verify"]).status.code(), Some(0));
}
