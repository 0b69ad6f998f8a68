//! Sharing a store through git: two stores that imported different parts of the inputs and
//! are merged end with the commits of one store importing everything; a mirror clone is a
//! store every command reads, and `git fetch` brings it up to date.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use statute::store::Store;
use statute::store::import::{ImportOptions, Quiet};

use crate::common::refs_of as refs;
use crate::common::statute_in as statute;
use crate::common::{amendments, arg, fixture, root, stderr};

fn store_at(dir: &Path) -> Store {
    Store::init(dir).expect("init").0
}

fn import(store: &Store, paths: &[PathBuf]) {
    let r = store
        .import(paths, &ImportOptions::default(), &Quiet)
        .expect("import");
    assert!(r.failed.is_empty(), "{:?}", r.failed);
}

fn git(args: &[&str]) -> Output {
    let o = Command::new("git")
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", "/nonexistent")
        .output()
        .expect("run git");
    assert!(o.status.success(), "git {args:?}: {}", stderr(&o));
    o
}

/// Six versions of three statutes, as files: the bundled 天津 versions and two amended
/// fixtures (`<name>/<date>.md`).
fn inputs(dir: &Path) -> Vec<PathBuf> {
    let amended = amendments(dir);
    let tianjin = root().join("versions/天津市信息化促进条例");
    let mut files = vec![tianjin.join("2007-09-12.md"), tianjin.join("2025-06-30.md")];
    for name in ["park", "amend"] {
        for date in ["2020-01-01.md", "2024-01-01.md"] {
            files.push(amended.join(name).join(date));
        }
    }
    files
}

#[test]
fn two_stores_merged_equal_one_store_importing_everything() {
    let dir = tempfile::tempdir().expect("tempdir");
    let files = inputs(dir.path());
    let whole = store_at(&dir.path().join("whole"));
    import(&whole, &files);
    // Machine A has the newer half of each history and one old version; machine B the rest,
    // with one version in common: each history is rebuilt from an older version on merge.
    let (a_files, b_files): (Vec<PathBuf>, Vec<PathBuf>) = (
        vec![
            files[1].clone(),
            files[3].clone(),
            files[5].clone(),
            files[4].clone(),
        ],
        vec![files[0].clone(), files[2].clone(), files[4].clone()],
    );
    for (first, second) in [(&a_files, &b_files), (&b_files, &a_files)] {
        let d = tempfile::tempdir().expect("tempdir");
        let (here, there) = (d.path().join("here"), d.path().join("there"));
        let (a, b) = (store_at(&here), store_at(&there));
        import(&a, first);
        import(&b, second);
        assert_ne!(refs(&here), refs(whole.path()));
        let r = a.merge(&there, &Quiet).expect("merge");
        assert_eq!(r.added, 6 - first.len(), "{r:?}");
        assert_eq!(refs(&here), refs(whole.path()), "merged = imported at once");
        assert!(a.verify().expect("verify").problems.is_empty());
        // Merging again changes nothing; the other store is left as it was.
        let before = refs(&there);
        let again = a.merge(&there, &Quiet).expect("merge again");
        assert_eq!((again.added, again.refs_updated), (0, 0), "{again:?}");
        assert_eq!(refs(&there), before);
    }
    // Into an empty store, a merge is a copy.
    let empty = dir.path().join("empty");
    let e = store_at(&empty);
    e.merge(whole.path(), &Quiet).expect("merge into empty");
    assert_eq!(refs(&empty), refs(whole.path()));
}

#[test]
fn merge_on_the_command_line_reports_and_names_a_bad_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    import(&store_at(&a), &[fixture("park-2020.md")]);
    import(&store_at(&b), &[fixture("park-2024.md")]);
    let o = statute(&a, &["merge", arg(&b)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "1 statutes differ, 1 versions read: 1 added, 0 already here, 3 refs updated\n",
        "the branch, the new tag and main"
    );
    let before = refs(&a);
    for bad in [dir.path().join("missing"), root().join("fixtures")] {
        let o = statute(&a, &["merge", arg(&bad)]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
        assert!(err.contains(arg(&bad)), "{err}");
    }
    assert_eq!(refs(&a), before, "nothing changed");
}

#[test]
fn a_mirror_clone_is_a_store_and_fetch_brings_it_up_to_date() {
    let dir = tempfile::tempdir().expect("tempdir");
    let origin = dir.path().join("origin");
    let clone = dir.path().join("clone");
    let tianjin = root().join("versions/天津市信息化促进条例");
    import(&store_at(&origin), &[tianjin.join("2007-09-12.md")]);
    git(&["clone", "--quiet", "--mirror", arg(&origin), arg(&clone)]);
    assert_eq!(refs(&clone), refs(&origin));
    for args in [
        &["verify"][..],
        &["list"],
        &["log", "天津"],
        &["show", "天津"],
    ] {
        let o = statute(&clone, args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert_eq!(o.stdout, statute(&origin, args).stdout, "{args:?}");
    }
    // The origin gets a new version; the clone fetches it, atomically, and reads it.
    import(
        &Store::open(&origin).expect("open"),
        &[tianjin.join("2025-06-30.md")],
    );
    git(&[
        "--git-dir",
        arg(&clone),
        "fetch",
        "--quiet",
        "--atomic",
        "--prune",
        "origin",
    ]);
    assert_eq!(refs(&clone), refs(&origin));
    let log = statute(&clone, &["log", "天津"]);
    assert!(
        String::from_utf8_lossy(&log.stdout).contains("2025-06-30"),
        "{}",
        String::from_utf8_lossy(&log.stdout)
    );
    assert_eq!(statute(&clone, &["verify"]).status.code(), Some(0));
    // A clone takes imports too, and a merge back gives the origin the same commits.
    import(
        &Store::open(&clone).expect("open clone"),
        &[fixture("park-2020.md")],
    );
    let o = statute(&origin, &["merge", arg(&clone)]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(refs(&origin), refs(&clone));
}
