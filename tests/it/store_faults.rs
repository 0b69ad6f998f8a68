//! Store faults: a store written by a newer format, a corrupted pack, a stale lock file left
//! by a killed process, a full disk, a write limit, a read-only store. Each gives a clear
//! message and leaves the data intact.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{amendments, root};

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
    store_in(dir.path())
}

/// A store holding the bundled versions, at `base/store`.
fn store_in(base: &Path) -> String {
    let s = base.join("store").to_str().expect("utf-8").to_string();
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
    // The largest pack (the texts'): 400 bytes from its first third on are inside it.
    let pack = std::fs::read_dir(std::path::Path::new(&s).join("objects/pack"))
        .expect("pack dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "pack"))
        .max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
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

/// What a failed import must leave: its one-line message, the refs as they were, a store that
/// verifies, and no temporary file in the pack directory.
fn assert_untouched(s: &str, o: &Output, refs_before: &[u8], what: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{what}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{what}: {err}");
    assert!(err.contains("unchanged"), "{what}: {err}");
    assert_eq!(git(s, &["show-ref"]).stdout, refs_before, "{what}");
    assert_eq!(statute(s, &["verify"]).status.code(), Some(0), "{what}");
    for e in std::fs::read_dir(Path::new(s).join("objects/pack")).expect("pack dir") {
        let p = e.expect("entry").path();
        assert!(
            p.extension().is_some_and(|x| x == "pack" || x == "idx"),
            "{what}: left behind {}",
            p.display()
        );
    }
    assert!(!Path::new(s).join("packed-refs.lock").exists(), "{what}");
}

/// A file-size limit (RLIMIT_FSIZE, with SIGXFSZ ignored so writes fail with EFBIG) injects a
/// write error at every point of an import, from the pack's first byte to its index; each
/// failed import leaves the store as it was, and the next one without the limit completes.
#[test]
fn a_write_error_at_any_point_of_an_import_changes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let s = store(&dir);
    let input = amendments(dir.path());
    let refs_before = git(&s, &["show-ref"]).stdout;
    let mut failures = 0;
    // `ulimit -f` counts 512-byte blocks in POSIX sh.
    for blocks in [0, 1, 2, 4, 6, 8, 10, 12, 16, 24, 32] {
        let o = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "trap '' XFSZ; ulimit -f {blocks} && exec \"$0\" \"$@\""
            ))
            .arg(env!("CARGO_BIN_EXE_statute"))
            .args(["--store", &s, "import"])
            .arg(&input)
            .output()
            .expect("run sh");
        if o.status.success() {
            break;
        }
        assert_untouched(&s, &o, &refs_before, &format!("{blocks} blocks"));
        failures += 1;
    }
    assert!(failures >= 3, "the limits never cut the import: {failures}");
    // Complete now if no limit was large enough; either way all four versions are in.
    let o = statute(&s, &["import", input.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let listed = String::from_utf8_lossy(&statute(&s, &["list"]).stdout).into_owned();
    assert_eq!(listed.matches("2 版").count(), 3, "{listed}");
    assert_eq!(statute(&s, &["verify"]).status.code(), Some(0));
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A small tmpfs, mounted for one test and unmounted when dropped. Needs the right to mount
/// (root in a container that allows it); `None` with a printed reason otherwise.
struct Tmpfs {
    path: PathBuf,
    /// Removed after the unmount in `drop`.
    _dir: tempfile::TempDir,
}

impl Tmpfs {
    fn mount(kib: u32) -> Option<Tmpfs> {
        let dir = tempfile::tempdir().expect("temp dir");
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"])
            .arg(dir.path())
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            eprintln!("skipping: cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)");
            return None;
        }
        Some(Tmpfs {
            path: dir.path().to_path_buf(),
            _dir: dir,
        })
    }

    fn remount(&self, opt: &str) {
        let o = Command::new("mount")
            .args(["-o", &format!("remount,{opt}")])
            .arg(&self.path)
            .output()
            .expect("run mount");
        assert!(o.status.success(), "remount {opt}: {}", stderr(&o));
    }

    /// Free space in KiB.
    fn free_kib(&self) -> u64 {
        let o = Command::new("df")
            .args(["-Pk"])
            .arg(&self.path)
            .output()
            .expect("df");
        let out = String::from_utf8_lossy(&o.stdout);
        out.lines()
            .nth(1)
            .and_then(|l| l.split_whitespace().nth(3))
            .and_then(|n| n.parse().ok())
            .expect("df output")
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.path).output();
    }
}

/// A real full disk (ENOSPC on a small tmpfs), filled to leave 0, 4, 8 … KiB: every import
/// that runs out of space says so on one line and changes nothing; with space freed, the
/// same import completes.
#[test]
fn a_full_disk_changes_nothing() {
    let Some(fs) = Tmpfs::mount(1024) else {
        return;
    };
    let inputs = tempfile::tempdir().expect("temp dir");
    let input = amendments(inputs.path());
    let s = store_in(&fs.path);
    let refs_before = git(&s, &["show-ref"]).stdout;
    let filler = fs.path.join("filler");
    let mut failures = 0;
    let mut done = false;
    for left in (0..=64).step_by(4) {
        let _ = std::fs::remove_file(&filler);
        let fill = fs.free_kib().saturating_sub(left) * 1024;
        // The filler may itself stop short of its size: that only leaves less room.
        let _ = std::fs::write(&filler, vec![0u8; fill as usize]);
        let o = statute(&s, &["import", input.to_str().expect("utf-8")]);
        if o.status.success() {
            done = true;
            break;
        }
        assert!(
            stderr(&o).contains("No space left on device"),
            "{left} KiB left: {}",
            stderr(&o)
        );
        let _ = std::fs::remove_file(&filler);
        assert_untouched(&s, &o, &refs_before, &format!("{left} KiB left"));
        failures += 1;
    }
    assert!(failures >= 2, "the disk never ran out: {failures} failures");
    let _ = std::fs::remove_file(&filler);
    if !done {
        let o = statute(&s, &["import", input.to_str().expect("utf-8")]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    assert_ne!(git(&s, &["show-ref"]).stdout, refs_before);
    assert_eq!(statute(&s, &["verify"]).status.code(), Some(0));
}

/// A read-only store (a read-only mount, or file modes when not root) refuses an import on
/// one line naming its lock, and still answers every reading command.
#[test]
fn a_read_only_store_refuses_writes_and_still_reads() {
    let (fs, dir) = if is_root() {
        // Root ignores file modes: only a read-only mount stops it.
        match Tmpfs::mount(4096) {
            Some(fs) => (Some(fs), None),
            None => return,
        }
    } else {
        (None, Some(tempfile::tempdir().expect("temp dir")))
    };
    let base = fs
        .as_ref()
        .map(|f| f.path.clone())
        .or_else(|| dir.as_ref().map(|d| d.path().to_path_buf()))
        .expect("a directory");
    let s = store_in(&base);
    let refs_before = git(&s, &["show-ref"]).stdout;
    let make_writable = |w: bool| match &fs {
        Some(fs) => fs.remount(if w { "rw" } else { "ro" }),
        None => {
            let mode = if w { "u+w" } else { "a-w" };
            let o = Command::new("chmod")
                .args(["-R", mode, &s])
                .output()
                .expect("chmod");
            assert!(o.status.success());
        }
    };
    make_writable(false);
    let fixture = root().join("fixtures/amend-new.md");
    let o = statute(&s, &["import", fixture.to_str().expect("utf-8")]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("statute.lock") && err.contains("read-only"),
        "{err}"
    );
    for args in [
        &["list"][..],
        &["log", "天津市信息化促进条例"],
        &["show", "天津市信息化促进条例"],
        &["diff", "天津市信息化促进条例"],
        &["verify"],
    ] {
        let o = statute(&s, args);
        assert!(
            matches!(o.status.code(), Some(0 | 1)) && !o.stdout.is_empty(),
            "{args:?}: {}",
            stderr(&o)
        );
    }
    make_writable(true);
    assert_eq!(git(&s, &["show-ref"]).stdout, refs_before);
    assert_eq!(statute(&s, &["verify"]).status.code(), Some(0));
}

/// Another user (here `nobody`, whose `$HOME` is still root's and unreadable to it, as under
/// `sudo -u`) reads a store it does not own, and is refused writing it on one line: the store
/// reads no user git config and does not apply git's ownership check. Needs root and
/// `setpriv`; skipped with a reason otherwise.
#[test]
fn another_user_reads_a_shared_store() {
    use std::os::unix::fs::PermissionsExt;
    let has_setpriv = Command::new("setpriv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !is_root() || !has_setpriv {
        eprintln!("skipping: needs root and setpriv to act as another user");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let s = store(&dir);
    let refs_before = git(&s, &["show-ref"]).stdout;
    let as_nobody = |args: &[&str]| {
        Command::new("setpriv")
            .args(["--reuid", "65534", "--regid", "65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_statute"))
            .args(["--store", &s])
            .args(args)
            .env("HOME", "/root")
            .output()
            .expect("run setpriv")
    };
    // The binary must be reachable by that user (a checkout under a private home is not).
    if !as_nobody(&["--version"]).status.success() {
        eprintln!("skipping: user nobody cannot run the test binary from here");
        return;
    }
    for args in [
        &["list"][..],
        &["show", "天津市信息化促进条例"],
        &["verify"],
    ] {
        let o = as_nobody(args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
    }
    // A copy the other user can read, wherever the checkout is.
    let fixture = dir.path().join("amend-new.md");
    std::fs::copy(root().join("fixtures/amend-new.md"), &fixture).expect("copy");
    let o = as_nobody(&["import", fixture.to_str().expect("utf-8")]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.trim_end().lines().count() == 1 && err.contains("statute.lock"),
        "{err}"
    );
    assert_eq!(git(&s, &["show-ref"]).stdout, refs_before);
}

/// Output to a full disk: when standard output, and even standard error, cannot be written,
/// `statute` exits 2 instead of panicking (101), for every kind of command.
#[test]
fn output_to_a_full_disk_exits_2() {
    let dir = tempfile::tempdir().expect("temp dir");
    let s = store(&dir);
    let (old, new) = (
        root().join("fixtures/amend-old.md"),
        root().join("fixtures/amend-new.md"),
    );
    let out = dir.path().join("out");
    for (args, redirect) in [
        (
            vec![
                "diff",
                old.to_str().expect("utf-8"),
                new.to_str().expect("utf-8"),
            ],
            "> \"$OUT\"",
        ),
        (
            vec![
                "diff",
                old.to_str().expect("utf-8"),
                new.to_str().expect("utf-8"),
            ],
            "> \"$OUT\" 2>&1",
        ),
        (vec!["parse", "/nonexistent.md"], "> \"$OUT\" 2>&1"),
        (vec!["show", "天津市信息化促进条例"], "> \"$OUT\" 2>&1"),
        (vec!["feed"], "> \"$OUT\" 2>&1"),
    ] {
        let o = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "trap '' XFSZ; ulimit -f 0 && exec \"$0\" \"$@\" {redirect}"
            ))
            .arg(env!("CARGO_BIN_EXE_statute"))
            .args(["--store", &s])
            .args(&args)
            .env("OUT", &out)
            .output()
            .expect("run sh");
        assert_eq!(
            o.status.code(),
            Some(2),
            "{args:?} {redirect}: {}",
            stderr(&o)
        );
    }
}

/// Every ref of the store as git resolves it (a loose file over its packed line).
fn resolved_refs(store: &str) -> std::collections::BTreeMap<String, String> {
    String::from_utf8_lossy(&git(store, &["show-ref"]).stdout)
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(oid, name)| (name.to_string(), oid.to_string()))
        .collect()
}

/// An import moves its refs in one rename of `packed-refs`; the loose files of the refs it
/// changes must go without a moment where one shadows a newer packed line with its older
/// commit. The update is stopped after each of its steps, as a kill would stop it, on a store
/// whose every ref is a loose file (as git leaves them): each time, the refs are
/// all as before or all as after, the store lists and verifies as one of the two, and the next
/// update, once the lock a kill leaves is removed, completes it.
#[test]
fn a_ref_update_interrupted_at_any_step_leaves_refs_old_or_new() {
    use statute::store::pack::{RefStep, update_refs_until};
    use std::collections::{BTreeMap, HashMap};

    let dir = tempfile::tempdir().expect("temp dir");
    let s = store(&dir);
    let before = resolved_refs(&s);
    let list_before = statute(&s, &["list"]).stdout;
    let input = amendments(dir.path());
    let o = statute(&s, &["import", input.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let after = resolved_refs(&s);
    let list_after = statute(&s, &["list"]).stdout;
    assert_ne!(before, after);
    let oid = |hex: &str| git2::Oid::from_str(hex).expect("oid");
    let changes_from = |now: &BTreeMap<String, String>| -> BTreeMap<String, Option<git2::Oid>> {
        now.keys()
            .chain(after.keys())
            .filter(|name| now.get(*name) != after.get(*name))
            .map(|name| (name.clone(), after.get(name).map(|h| oid(h))))
            .collect()
    };
    let as_current = |refs: &BTreeMap<String, String>| -> HashMap<String, git2::Oid> {
        refs.iter().map(|(k, v)| (k.clone(), oid(v))).collect()
    };
    let mut seen: Vec<RefStep> = Vec::new();
    for stop in 1.. {
        // The store before the import, every ref of it a loose file; `packed-refs` still
        // holds the import's refs, shadowed.
        let copy = dir.path().join(format!("stop-{stop}"));
        let c = copy.to_str().expect("utf-8").to_string();
        let cp = Command::new("cp").arg("-a").arg(&s).arg(&copy).status();
        assert!(cp.expect("cp").success());
        for name in after.keys().filter(|n| !before.contains_key(*n)) {
            assert!(git(&c, &["update-ref", "-d", name]).status.success());
        }
        for (name, hex) in &before {
            let loose = copy.join(name);
            std::fs::create_dir_all(loose.parent().expect("a ref's folder")).expect("mkdir");
            std::fs::write(&loose, format!("{hex}\n")).expect("loose ref");
        }
        assert_eq!(resolved_refs(&c), before);
        let changes = changes_from(&before);
        let mut steps = 0;
        let mut last = None;
        update_refs_until(&copy, &as_current(&before), &changes, &mut |step| {
            steps += 1;
            last = Some(step);
            steps < stop
        })
        .expect("update refs");
        let last = last.expect("a step");
        if seen.len() < steps {
            seen.push(last);
        }
        let refs = resolved_refs(&c);
        let what = format!("stopped after {last:?} (step {stop})");
        let listed = statute(&c, &["list"]);
        assert_eq!(listed.status.code(), Some(0), "{what}: {}", stderr(&listed));
        if refs == before {
            assert_eq!(listed.stdout, list_before, "{what}");
        } else {
            assert_eq!(refs, after, "{what}: refs neither as before nor as after");
            assert_eq!(listed.stdout, list_after, "{what}");
        }
        // The next update, after a kill's lock file is removed, completes the import.
        let _ = std::fs::remove_file(copy.join("packed-refs.lock"));
        let v = statute(&c, &["verify"]);
        assert_eq!(
            v.status.code(),
            Some(0),
            "{what}: {}",
            String::from_utf8_lossy(&v.stdout)
        );
        statute::store::pack::update_refs(&copy, &as_current(&refs), &changes_from(&refs))
            .expect("update refs");
        assert_eq!(resolved_refs(&c), after, "{what}: then completed");
        assert_eq!(statute(&c, &["verify"]).status.code(), Some(0), "{what}");
        if last == RefStep::Done {
            break;
        }
    }
    // Each step was reached, a loose file removed for every ref the import changed.
    let loose = seen.iter().filter(|s| **s == RefStep::LooseRemoved).count();
    assert_eq!(
        loose,
        before
            .keys()
            .filter(|n| after.get(*n) != before.get(*n))
            .count(),
        "{seen:?}"
    );
    assert!(loose >= 1, "{seen:?}");
    for step in [
        RefStep::FoldWritten,
        RefStep::Folded,
        RefStep::Written,
        RefStep::Done,
    ] {
        assert!(seen.contains(&step), "{step:?} never reached: {seen:?}");
    }
}

/// A store of three amended statutes, aged (`common::age_store`): what a reindex rewrites.
fn aged_store(dir: &Path) -> String {
    let s = store_in(dir);
    let input = amendments(dir);
    let o = statute(&s, &["import", input.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    crate::common::age_store(Path::new(&s));
    s
}

/// `verify` of a store that a failed reindex left: every check passes, the derived data is
/// still stale (exit 1, and the hint).
fn assert_valid_and_stale(s: &str, what: &str) {
    let o = statute(s, &["verify"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(1), "{what}: {out}{}", stderr(&o));
    assert!(
        out.contains(" objects: ok, derived data stale") && out.contains("run `statute reindex`"),
        "{what}: {out}"
    );
    assert!(
        out.lines()
            .filter(|l| !l.starts_with("stale: "))
            .all(|l| l.contains("objects: ok") || l.contains("statute reindex")),
        "{what}: a problem besides stale data: {out}"
    );
}

/// A write error at every point of a reindex (the pack when it writes one, else
/// `packed-refs`): each failed reindex says so on one line and leaves a valid store that is
/// still stale; the next one without the limit completes and gives what a fresh import gives.
/// (The file-size limit is per file: once the pack fits, `packed-refs` and the config do.)
#[test]
fn a_write_error_at_any_point_of_a_reindex_leaves_a_valid_stale_store() {
    let fresh_dir = tempfile::tempdir().expect("temp dir");
    let fresh = store_in(fresh_dir.path());
    let o = statute(
        &fresh,
        &[
            "import",
            amendments(fresh_dir.path()).to_str().expect("utf-8"),
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for (gc, cut) in [(false, "packed-refs"), (true, "objects/pack")] {
        let dir = tempfile::tempdir().expect("temp dir");
        let s = aged_store(dir.path());
        if gc {
            // Without the imported objects, which the reindex would find again: it writes a
            // pack of its own.
            assert!(git(&s, &["gc", "--quiet", "--prune=now"]).status.success());
        }
        let mut messages = Vec::new();
        for blocks in [0, 1, 2, 4, 8, 16, 24, 32, 48, 64, 96, 128] {
            let o = Command::new("sh")
                .arg("-c")
                .arg(format!(
                    "trap '' XFSZ; ulimit -f {blocks} && exec \"$0\" \"$@\""
                ))
                .arg(env!("CARGO_BIN_EXE_statute"))
                .args(["--store", &s, "reindex"])
                .output()
                .expect("run sh");
            if o.status.success() {
                break;
            }
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(2), "{blocks} blocks: {err}");
            assert_eq!(err.trim_end().lines().count(), 1, "{blocks} blocks: {err}");
            assert!(
                err.contains("reindex was abandoned"),
                "{blocks} blocks: {err}"
            );
            assert_valid_and_stale(&s, &format!("{blocks} blocks"));
            messages.push(err);
        }
        assert!(
            messages.len() >= 2 && messages.iter().all(|m| m.contains(cut)),
            "gc {gc}: {messages:?}"
        );
        let o = statute(&s, &["reindex"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert_eq!(statute(&s, &["verify"]).status.code(), Some(0));
        assert_eq!(
            git(&s, &["for-each-ref"]).stdout,
            git(&fresh, &["for-each-ref"]).stdout,
            "gc {gc}"
        );
    }
}

/// The config's copy of the stamp is written last: when the config cannot be written (git's
/// own `config.lock` held), the refs have moved (`main` carries the stamp, so the store is
/// current), and the reindex fails with a one-line message; the next one records it.
#[test]
fn a_stamp_that_cannot_be_recorded_in_the_config_fails_the_reindex_after_the_refs_moved() {
    let dir = tempfile::tempdir().expect("temp dir");
    let s = aged_store(dir.path());
    let lock = Path::new(&s).join("config.lock");
    std::fs::write(&lock, b"").expect("config lock");
    let o = statute(&s, &["reindex"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(
        err.contains("derived-data stamp") && err.contains("run `statute reindex` again"),
        "{err}"
    );
    assert_eq!(statute(&s, &["verify"]).status.code(), Some(0));
    std::fs::remove_file(&lock).expect("remove lock");
    let o = statute(&s, &["reindex"]);
    let out = String::from_utf8_lossy(&o.stdout);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        out.contains(": 0 rewritten, ")
            && out.contains(" 0 refs updated; derived-data stamp recorded"),
        "{out}"
    );
    assert_eq!(statute(&s, &["verify"]).status.code(), Some(0));
}

#[test]
fn a_newer_derived_stamp_is_refused_by_every_writer_and_verify() {
    let dir = tempfile::tempdir().expect("temp dir");
    let s = store(&dir);
    let newer = (statute::store::DERIVED_VERSION + 1).to_string();
    crate::common::set_main_stamp(Path::new(&s), Some(statute::store::DERIVED_VERSION + 1));
    let refs_before = git(&s, &["show-ref"]).stdout;
    let amend = root().join("fixtures/amend-new.md");
    for args in [
        &["verify"][..],
        &["reindex"],
        &["import", amend.to_str().expect("utf-8")],
    ] {
        let o = statute(&s, args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("newer")
                && err.contains(&format!("derived-data version {newer}"))
                && err.trim_end().lines().count() == 1,
            "{args:?}: {err}"
        );
    }
    assert_eq!(git(&s, &["show-ref"]).stdout, refs_before);
    // Readers are not concerned.
    assert_eq!(statute(&s, &["list"]).status.code(), Some(0));
}
