//! The version store: determinism (any order, any number of times), interrupted and
//! concurrent imports, repeal, id safety, lineage through renumbering, and the commands.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use statute::store::import::{Checkpoint, ImportOptions, ImportReport, Progress, Quiet};
use statute::store::read::StatuteHistory;
use statute::store::reindex::ReindexReport;
use statute::store::{DERIVED_VERSION, Stamp, Store, StoreError};

use crate::common::{age_store, corpus, fixture, root};

fn tianjin() -> PathBuf {
    root().join("versions/天津市信息化促进条例")
}

fn v2007() -> PathBuf {
    tianjin().join("2007-09-12.md")
}

fn v2025() -> PathBuf {
    tianjin().join("2025-06-30.md")
}

fn new_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let (store, created) = Store::init(&dir.path().join("store")).expect("init");
    assert!(created);
    (dir, store)
}

fn import(store: &Store, paths: &[PathBuf]) -> ImportReport {
    store
        .import(paths, &ImportOptions::default(), &Quiet)
        .expect("import")
}

/// Every ref of the store and its target.
fn refs(store: &Store) -> BTreeMap<String, String> {
    crate::common::refs_of(store.path())
}

/// The history of the one statute whose name contains `name`.
fn history(store: &Store, name: &str) -> StatuteHistory {
    store
        .history(&store.resolve(name).expect("resolve"))
        .expect("history")
}

fn assert_verifies(store: &Store) {
    let report = store.verify().expect("verify");
    assert!(
        report.problems.is_empty(),
        "verify found problems:\n{}",
        report.problems.join("\n")
    );
}

fn bin(store: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_statute"))
        .arg("--store")
        .arg(store)
        .args(args)
        .env_remove("STATUTE_STORE")
        .output()
        .expect("run statute")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Plain git, when installed: `git --git-dir=DIR args`.
fn git(dir: &Path, args: &[&str]) -> Option<Output> {
    Command::new("git")
        .arg(format!("--git-dir={}", dir.display()))
        .args(args)
        .output()
        .ok()
}

#[test]
fn versions_import_idempotent_and_order_independent() {
    let (_d1, a) = new_store();
    let r = import(&a, &[root().join("versions")]);
    assert_eq!((r.files, r.statutes, r.added, r.unchanged), (2, 1, 2, 0));
    assert!(r.failed.is_empty(), "{:?}", r.failed);
    assert_eq!(r.ignored, 1, "README.md is ignored");
    assert_verifies(&a);
    let first = refs(&a);
    // main, the statute's branch, one tag per version.
    assert_eq!(first.len(), 4, "{first:?}");

    // Again: nothing changes.
    let again = import(&a, &[tianjin()]);
    assert_eq!(
        (again.added, again.unchanged, again.refs_updated),
        (0, 2, 0)
    );
    assert_eq!(refs(&a), first);

    // Newer first, then the older one: the history is rebuilt to the same commits.
    let (_d2, b) = new_store();
    import(&b, &[v2025()]);
    let r = import(&b, &[v2007()]);
    assert_eq!(r.added, 1);
    assert_eq!(refs(&b), first);
    assert_verifies(&b);

    // Both in one call, in reverse order.
    let (_d3, c) = new_store();
    import(&c, &[v2025(), v2007()]);
    assert_eq!(refs(&c), first);

    // The history is in date order with the amendment summary cached on the newer version.
    let h = a
        .history(&a.resolve("天津").expect("resolve"))
        .expect("history");
    let labels: Vec<&str> = h.versions.iter().map(|v| v.label.as_str()).collect();
    assert_eq!(labels, ["2007-09-12", "2025-06-30"]);
    assert!(h.versions[0].summary.is_none());
    let old = a.statute(&h.versions[0]).expect("old");
    let new = a.statute(&h.versions[1]).expect("new");
    let cs = statute::diff::diff(&old, &new);
    assert_eq!(
        h.versions[1].summary.as_deref(),
        Some(cs.summary_line().as_str())
    );
    assert_eq!(
        h.versions[1].substantive,
        Some(cs.has_substantive_changes())
    );
}

#[test]
fn stored_text_is_the_canonical_form_of_the_source() {
    let (_d, s) = new_store();
    import(&s, &[v2007()]);
    let h = history(&s, "天津");
    let stored = s.text(&h.versions[0]).expect("text");
    let parsed = statute::parse_file(&v2007()).expect("parse");
    assert_eq!(
        stored,
        statute::parse::canonical::to_string(&parsed.statute)
    );
}

/// Cancels the import at one checkpoint.
struct CancelAt(Checkpoint);

impl Progress for CancelAt {
    fn cancel(&self, at: Checkpoint) -> bool {
        at == self.0
    }
}

#[test]
fn an_interrupted_import_leaves_the_store_as_it_was() {
    let (_d1, reference) = new_store();
    import(&reference, &[tianjin()]);

    for at in [Checkpoint::Parsed, Checkpoint::ObjectsWritten] {
        let (_d, s) = new_store();
        import(&s, &[v2025()]);
        let before = refs(&s);
        let r = s.import(&[v2007()], &ImportOptions::default(), &CancelAt(at));
        assert!(matches!(r, Err(StoreError::Cancelled)), "{at:?}: {r:?}");
        assert_eq!(refs(&s), before, "{at:?}: no ref moved");
        assert_verifies(&s);
        // Nothing is lost: the interrupted version imports on the next run.
        let r = import(&s, &[v2007()]);
        assert_eq!(r.added, 1);
        assert_eq!(refs(&s), refs(&reference), "{at:?}");
        assert_verifies(&s);
    }
}

#[test]
fn a_killed_import_process_leaves_a_store_that_verifies() {
    let input = match corpus() {
        Some(c) => c.join("multi"),
        None => root().join("versions"),
    };
    killed_imports(&input, &[150, 600, 1200]);
}

/// The same at scale, on the corpus in `$STATUTE_KILL_CORPUS` (e.g. the 10× corpus that
/// `statute-eval scale --factor 10` writes; see docs/benchmarks.md), killed at each of
/// `$STATUTE_KILL_DELAYS` (milliseconds, comma-separated; by default spread over a 10×
/// import on this machine, from reading the files to moving the refs). Minutes long: run with
/// `cargo test --release --test it killed_large -- --ignored --nocapture`.
#[test]
#[ignore = "minutes long; needs $STATUTE_KILL_CORPUS"]
fn a_killed_large_import_leaves_a_store_that_verifies() {
    let Some(input) = std::env::var_os("STATUTE_KILL_CORPUS").map(PathBuf::from) else {
        eprintln!("skipped: set STATUTE_KILL_CORPUS to a corpus directory (e.g. /work/scale/10x)");
        return;
    };
    let delays: Vec<u64> = std::env::var("STATUTE_KILL_DELAYS")
        .ok()
        .map(|d| d.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![500, 2_000, 5_000, 9_000, 14_000, 19_000, 23_000]);
    killed_imports(&input, &delays);
}

/// Imports `input` into a new store once whole, then once per delay killed after it (SIGKILL):
/// each killed store verifies, and an import after it completes to the whole one's refs.
fn killed_imports(input: &Path, delays_ms: &[u64]) {
    let (_d1, reference) = new_store();
    import(&reference, &[input.to_path_buf()]);
    for &delay_ms in delays_ms {
        let (_d, s) = new_store();
        let mut child = Command::new(env!("CARGO_BIN_EXE_statute"))
            .arg("--store")
            .arg(s.path())
            .arg("import")
            .arg(input)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        let started = std::time::Instant::now();
        std::thread::sleep(Duration::from_millis(delay_ms));
        let finished = child.try_wait().ok().flatten().is_some();
        let _ = child.kill();
        let _ = child.wait();
        let s = Store::open(s.path()).expect("reopen");
        let refs_at_kill = refs(&s).len();
        assert_verifies(&s);
        // Killed in the instant between writing the new packed-refs and renaming it, the
        // process leaves git's lock file behind: the store is intact, and the next import
        // refuses, naming the file, as git does, until it is removed.
        let stale = s.path().join("packed-refs.lock");
        if stale.exists() {
            let r = s.import(&[input.to_path_buf()], &ImportOptions::default(), &Quiet);
            assert!(
                r.as_ref()
                    .is_err_and(|e| e.to_string().contains("packed-refs.lock")),
                "{r:?}"
            );
            std::fs::remove_file(&stale).expect("remove the stale lock");
        }
        import(&s, &[input.to_path_buf()]);
        assert_eq!(refs(&s), refs(&reference), "killed after {delay_ms} ms");
        assert_verifies(&s);
        eprintln!(
            "killed after {delay_ms} ms ({}): {refs_at_kill} refs, verified; re-import completed in {:.1} s",
            if finished { "had finished" } else { "running" },
            started.elapsed().as_secs_f64()
        );
    }
}

#[test]
fn two_concurrent_imports_both_finish_and_agree() {
    let inputs: Vec<PathBuf> = match corpus() {
        Some(c) => vec![c.join("multi")],
        None => vec![root().join("versions")],
    };
    let (_d1, reference) = new_store();
    import(&reference, &inputs);
    let (_d2, s) = new_store();
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_statute"))
            .arg("--store")
            .arg(s.path())
            .arg("import")
            .args(&inputs)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (
        a.wait_with_output().expect("wait"),
        b.wait_with_output().expect("wait"),
    );
    for o in [&a, &b] {
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let err = text(&o.stderr);
        assert!(
            err.is_empty() || err.contains("waiting for it to finish"),
            "only the lock message may appear: {err}"
        );
    }
    // Whichever ran second found everything in place.
    let summaries = [text(&a.stdout), text(&b.stdout)];
    assert!(
        summaries.iter().any(|s| s.contains(" 0 versions added")),
        "{summaries:?}"
    );
    assert_eq!(refs(&s), refs(&reference));
    assert_verifies(&s);
}

/// The statutes' versions read a few files at a time (a statute's versions in several
/// groups, each planned again with what the group before wrote) give the commits of one
/// import of everything.
#[test]
fn an_import_in_small_groups_equals_one_import_of_everything() {
    let mut inputs = vec![
        tianjin(),
        fixture("water-2009.md"),
        fixture("water-2020-merge.md"),
    ];
    if let Some(c) = corpus() {
        inputs.extend(crate::common::statute_dirs(&c).into_iter().take(12));
    }
    let (_a, whole) = new_store();
    let r = import(&whole, &inputs);
    assert!(r.failed.is_empty() && r.added > 3, "{r:?}");
    for group in [1, 2, 5] {
        let (_b, grouped) = new_store();
        let opts = ImportOptions {
            group,
            ..ImportOptions::default()
        };
        let g = grouped.import(&inputs, &opts, &Quiet).expect("import");
        assert_eq!(
            (g.added, g.unchanged, g.statutes, g.files),
            (r.added, r.unchanged, r.statutes, r.files),
            "groups of {group}"
        );
        assert_eq!(refs(&grouped), refs(&whole), "groups of {group}");
        assert_verifies(&grouped);
    }
}

#[test]
fn a_repeal_is_a_version_and_keeps_the_history() {
    let (_d, s) = new_store();
    import(&s, &[tianjin()]);
    let opts = ImportOptions {
        date: statute::model::Date::new(2026, 1, 1),
        status: Some("已废止".into()),
        ..ImportOptions::default()
    };
    let r = s.import(&[v2025()], &opts, &Quiet).expect("repeal");
    assert_eq!(r.added, 1);
    let h = history(&s, "天津");
    assert_eq!(h.versions.len(), 3);
    let head = h.head().expect("head");
    assert!(head.repealed(), "{:?}", head.meta.status);
    assert_eq!(head.label, "2026-01-01");
    assert!(!h.versions[0].repealed() && !h.versions[1].repealed());
    assert_verifies(&s);
    let out = bin(s.path(), &["list", "天津"]);
    assert!(
        text(&out.stdout).contains("已废止"),
        "{}",
        text(&out.stdout)
    );
}

fn write_version(dir: &Path, name: &str, title: &str, issuer: &str, date: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(
        &p,
        format!(
            "---\ntitle: \"{title}\"\nauthor: {issuer}\ndate: '{date}'\n---\n\n\
             第一条 为了加强物业管理，规范物业管理活动，根据有关法律、行政法规，结合本市实际，制定本条例。\n\n\
             第二条 本条例适用于{issuer}所辖行政区域内的物业管理活动。\n"
        ),
    )
    .expect("write");
    p
}

#[test]
fn same_title_different_issuers_stay_apart_in_any_order() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let bj = write_version(
        tmp.path(),
        "bj.md",
        "物业管理条例",
        "北京市人民代表大会常务委员会",
        "2020-03-27",
    );
    let sh = write_version(
        tmp.path(),
        "sh.md",
        "物业管理条例",
        "上海市人民代表大会常务委员会",
        "2020-03-27",
    );
    let (_d1, a) = new_store();
    import(&a, &[bj.clone(), sh.clone()]);
    let (_d2, b) = new_store();
    import(&b, &[sh]);
    import(&b, &[bj]);
    assert_eq!(refs(&a), refs(&b));
    let heads = a.heads().expect("heads");
    assert_eq!(heads.len(), 2, "{heads:?}");
    match a.resolve("物业管理条例") {
        Err(StoreError::Ambiguous { candidates, .. }) => assert_eq!(candidates.len(), 2),
        other => panic!("expected ambiguity, got {other:?}"),
    }
    let out = bin(a.path(), &["show", "物业管理条例"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("matches 2 statutes"));
}

#[test]
fn hostile_titles_make_safe_refs_and_paths() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let files: Vec<PathBuf> = [
        "../../x.lock",
        ".hidden~^:?*[\\",
        "refs/heads/main",
        "a b\tc",
        "/etc/passwd",
        // Names that differ only in width or in case are different statutes.
        "ＡＢＣ条例",
        "ABC条例",
        "abc条例",
    ]
    .iter()
    .map(|t| t.to_string())
    // A title of 2,000 characters.
    .chain(std::iter::once("很长的标题".repeat(400)))
    .enumerate()
    .map(|(i, t)| {
        write_version(
            tmp.path(),
            &format!("{i}.md"),
            &t.replace('\\', "\\\\").replace('\t', "\\t"),
            "某某市人民代表大会常务委员会",
            "2021-01-01",
        )
    })
    .collect();
    let (_d, s) = new_store();
    let r = import(&s, &files);
    assert!(r.failed.is_empty(), "{:?}", r.failed);
    assert_eq!(s.heads().expect("heads").len(), 9);
    let names: Vec<String> = refs(&s).keys().cloned().collect();
    for name in &names {
        assert!(git2::Reference::is_valid_name(name), "{name}");
        // Each component fits a file name (255 bytes) wherever refs become files.
        assert!(!name.contains(".."), "{name}");
        assert!(name.split('/').all(|c| c.len() <= 255), "{name}");
    }
    // No two ids equal even ignoring case (case-insensitive file systems).
    let mut lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    lower.sort();
    lower.dedup();
    assert_eq!(lower.len(), names.len());
    assert_verifies(&s);
    if let Some(o) = git(s.path(), &["fsck", "--strict"]) {
        assert!(o.status.success(), "git fsck: {}", text(&o.stderr));
    }
}

#[test]
fn corpus_multi_imports_in_any_order_to_the_same_commits() {
    let Some(c) = corpus() else { return };
    let multi = c.join("multi");
    let (_d1, a) = new_store();
    let r = import(&a, std::slice::from_ref(&multi));
    assert!(r.failed.is_empty(), "{:?}", r.failed);
    assert!(r.statutes > 100, "{r:?}");
    assert_verifies(&a);

    // One file at a time, newest statute folders and newest files first.
    let mut files = crate::common::md_files(&multi);
    files.reverse();
    let (_d2, b) = new_store();
    for f in &files {
        let r = import(&b, std::slice::from_ref(f));
        assert!(r.failed.is_empty(), "{:?}", r.failed);
    }
    assert_eq!(refs(&a), refs(&b));
    let again = import(&b, std::slice::from_ref(&multi));
    assert_eq!((again.added, again.refs_updated), (0, 0));
    assert_verifies(&b);

    // Plain git reads it: fsck is clean and a history is in date order.
    let Some(fsck) = git(a.path(), &["fsck", "--strict", "--no-dangling"]) else {
        return;
    };
    assert!(fsck.status.success(), "git fsck: {}", text(&fsck.stderr));
    let id = a.resolve("中华人民共和国立法法").expect("立法法");
    let log = git(
        a.path(),
        &[
            "log",
            "--format=%ad",
            "--date=short",
            &format!("statutes/{id}"),
        ],
    )
    .expect("git log");
    let dates: Vec<String> = text(&log.stdout).lines().map(str::to_string).collect();
    assert!(dates.len() >= 2, "{dates:?}");
    let mut sorted = dates.clone();
    sorted.sort_by(|x, y| y.cmp(x));
    assert_eq!(dates, sorted, "newest first, as git log shows them");
}

#[test]
fn a_version_records_what_it_did_to_the_statute() {
    // park-2024's 题注 says the text of 2024-03-01 was amended (修正) that day.
    let (_d, s) = new_store();
    import(&s, &[fixture("park-2020.md"), fixture("park-2024.md")]);
    let h = history(&s, "某某市公园管理条例");
    let kinds: Vec<Option<&str>> = h
        .versions
        .iter()
        .map(|v| v.event.map(|k| k.as_str()))
        .collect();
    assert_eq!(kinds, [None, Some("amended")]);
    assert_verifies(&s);
    // Plain git shows it as a trailer.
    let commit = h.versions[1].commit.to_string();
    if let Some(out) = git(s.path(), &["log", "-1", "--format=%B", &commit]) {
        let message = text(&out.stdout);
        assert!(message.contains("\nEvent: amended\n"), "{message}");
    }
}

#[test]
fn history_follows_a_renumbered_article_of_the_legislation_law() {
    let Some(c) = corpus() else { return };
    let dir = std::fs::read_dir(c.join("multi"))
        .expect("multi")
        .flatten()
        .map(|e| e.path().join("中华人民共和国立法法"))
        .find(|p| p.is_dir())
        .expect("立法法 in the corpus");
    let (_d, s) = new_store();
    import(&s, &[dir]);
    let h = history(&s, "中华人民共和国立法法");
    let labels: Vec<&str> = h.versions.iter().map(|v| v.label.as_str()).collect();
    assert_eq!(labels, ["2015-03-15", "2023-03-13"]);
    // Follow every article of 2023 that came from an article of 2015 with another number.
    let (_, lineage) = s.lineage(&h).expect("lineage");
    let renumbered: Vec<&statute::lineage::Unit> = lineage.versions[1]
        .units
        .iter()
        .filter(|u| {
            lineage.versions[0]
                .units
                .iter()
                .any(|o| o.id == u.id && o.label != u.label)
        })
        .collect();
    assert!(renumbered.len() > 10, "{}", renumbered.len());
    let unit = renumbered[renumbered.len() / 2];
    let a = s
        .article_history(&h, None, &unit.label)
        .expect("article history");
    assert_eq!(a.lineage_id, unit.id);
    let old = &a.versions[0].units;
    let new = &a.versions[1].units;
    assert_eq!((old.len(), new.len()), (1, 1));
    assert_ne!(old[0].0.label, new[0].0.label, "renumbered");
    assert_eq!(new[0].0.label, unit.label);
    // The command shows both numbers.
    let out = bin(s.path(), &["history", "立法法", &unit.label]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(
        shown.contains(&old[0].0.label) && shown.contains(&unit.label),
        "{shown}"
    );
}

#[test]
fn commands_on_the_store() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = tmp.path().join("s");
    let arg = |p: &Path| p.to_str().expect("utf-8").to_string();

    // No store yet: one line, exit 2.
    let o = bin(&store, &["list"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("no statute store"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(text(&o.stderr).trim_end().lines().count(), 1);

    assert_eq!(bin(&store, &["init"]).status.code(), Some(0));
    // A failing file is named on one line and skipped; the rest is imported; exit 2.
    let bad = root().join("fixtures/bad/empty.md");
    let o = bin(&store, &["import", &arg(&tianjin()), &arg(&bad)]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.contains("empty.md"), "{err}");
    assert!(text(&o.stdout).contains("2 versions added, 0 unchanged, 1 failed"));

    let o = bin(&store, &["log", "信息化促进"]);
    let log = text(&o.stdout);
    assert_eq!(o.status.code(), Some(0));
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 3, "{log}");
    assert!(
        lines[1].contains("2025-06-30") && lines[1].contains("新增"),
        "{log}"
    );
    // The 2025 version's 题注 says it was amended (修正) on its date.
    assert!(lines[1].contains("  修正  "), "{log}");
    assert!(
        lines[2].contains("2007-09-12") && lines[2].contains("首次收录"),
        "{log}"
    );

    // show: latest, by version, by the date in force (2025 takes effect on 2025-09-01).
    let text_of = |args: &[&str]| text(&bin(&store, args).stdout);
    assert!(text_of(&["show", "天津"]).contains("version_date: \"2025-06-30\""));
    assert!(text_of(&["show", "天津@2007-09-12"]).contains("version_date: \"2007-09-12\""));
    assert!(
        text_of(&["show", "天津", "--at", "2025-08-31"]).contains("version_date: \"2007-09-12\"")
    );
    assert!(
        text_of(&["show", "天津", "--at", "2025-09-01"]).contains("version_date: \"2025-06-30\"")
    );
    let o = bin(&store, &["show", "天津@1999-01-01"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("2007-09-12, 2025-06-30"));

    // diff on the store defaults to the last amendment and matches the file diff.
    let stored = bin(&store, &["diff", "天津"]);
    let files = bin(&store, &["diff", &arg(&v2007()), &arg(&v2025())]);
    assert_eq!(stored.status.code(), Some(1));
    assert_eq!(files.status.code(), Some(1));
    assert_eq!(
        text(&stored.stdout).lines().nth(1),
        text(&files.stdout).lines().nth(1),
        "same summary line"
    );
    let same = bin(&store, &["diff", "天津", "2007-09-12", "2007-09-12"]);
    assert_eq!(same.status.code(), Some(0), "{}", text(&same.stderr));

    // blame: every article of the latest version, attributed to one of the two versions.
    let o = bin(&store, &["blame", "天津"]);
    let blame = text(&o.stdout);
    let rows: Vec<&str> = blame.lines().skip(1).collect();
    assert!(rows.len() > 40, "{blame}");
    assert!(
        rows.iter()
            .all(|r| r.starts_with("2007-09-12") || r.starts_with("2025-06-30"))
    );
    assert!(rows.iter().any(|r| r.starts_with("2025-06-30")));
    assert!(rows.iter().any(|r| r.starts_with("2007-09-12")));

    let o = bin(&store, &["history", "天津", "第一条"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout).matches("== ").count(), 2);

    // $STATUTE_STORE names the store when --store does not; init on a store is harmless.
    let o = Command::new(env!("CARGO_BIN_EXE_statute"))
        .args(["list", "天津"])
        .env("STATUTE_STORE", &store)
        .output()
        .expect("run statute");
    assert!(
        text(&o.stdout).contains("天津市信息化促进条例"),
        "{}",
        text(&o.stderr)
    );
    let o = bin(&store, &["init"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).contains("already a statute store"));

    let o = bin(&store, &["verify"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stdout));
    assert!(text(&o.stdout).contains(": ok"));

    let o = bin(&store, &["show", "没有这个法"]);
    assert_eq!(o.status.code(), Some(2));

    // A missing file in file mode is named, not looked up in the store.
    let o = bin(&store, &["diff", &arg(&v2007()), "missing/2025-06-30.md"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("missing/2025-06-30.md"),
        "{}",
        text(&o.stderr)
    );
    assert!(
        text(&o.stderr).contains("cannot read"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn verify_reports_a_damaged_store() {
    let (_d, s) = new_store();
    import(&s, &[tianjin()]);
    // Point a version tag elsewhere: verify must say so and exit 1.
    let repo = git2::Repository::open_bare(s.path()).expect("open");
    let h = history(&s, "天津");
    let tag = format!("refs/tags/{}/2025-06-30", h.id);
    repo.reference(&tag, h.versions[0].commit, true, "damage")
        .expect("move tag");
    let report = s.verify().expect("verify");
    assert!(
        report.problems.iter().any(|p| p.contains("tag points to")),
        "{:?}",
        report.problems
    );
    let o = bin(s.path(), &["verify"]);
    assert_eq!(o.status.code(), Some(1));
    // A re-import of known files reads no history (it costs a hash per file), so it leaves
    // the tag alone; `reindex` rebuilds every ref from the histories.
    import(&s, &[tianjin()]);
    assert_eq!(bin(s.path(), &["verify"]).status.code(), Some(1));
    s.reindex(&Quiet).expect("reindex");
    assert_verifies(&s);
}

#[test]
fn verify_reports_a_stored_file_that_does_not_parse_and_builds_no_catalog() {
    let (_d, s) = new_store();
    import(&s, &[tianjin()]);
    // Replace the latest version's file by one whose front matter is never closed, in a
    // commit of the same message and parent, and move the statute's branch and tag to it.
    let repo = git2::Repository::open_bare(s.path()).expect("open");
    let h = history(&s, "天津");
    let latest = h.versions.last().expect("a version");
    let commit = repo.find_commit(latest.commit).expect("commit");
    let broken = repo.blob("---\ntitle: 天津\n".as_bytes()).expect("blob");
    let mut dir = repo.treebuilder(None).expect("treebuilder");
    dir.insert(format!("{}.md", h.id), broken, 0o100_644)
        .expect("insert");
    let dir = dir.write().expect("write");
    let mut root = repo.treebuilder(None).expect("treebuilder");
    root.insert(statute::store::TREE_DIR, dir, 0o040_000)
        .expect("insert");
    let tree = repo.find_tree(root.write().expect("write")).expect("tree");
    let parents: Vec<git2::Commit<'_>> = commit.parents().collect();
    let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
    let sig = commit.author();
    let damaged = repo
        .commit(
            None,
            &sig,
            &sig,
            commit.message().expect("message"),
            &tree,
            &parents,
        )
        .expect("commit");
    repo.reference(
        &format!("{}{}", statute::store::STATUTE_REF_PREFIX, h.id),
        damaged,
        true,
        "damage",
    )
    .expect("move branch");
    repo.reference(
        &format!("refs/tags/{}/{}", h.id, latest.label),
        damaged,
        true,
        "damage",
    )
    .expect("move tag");
    let before = refs(&s);
    let report = s.verify().expect("verify reports, it does not fail");
    let at = format!("{}@{}", h.id, latest.label);
    assert!(
        report
            .problems
            .iter()
            .any(|p| p.starts_with(&format!("{at}: does not parse"))),
        "{:?}",
        report.problems
    );
    assert!(
        report
            .problems
            .iter()
            .any(|p| p == &format!("cannot build the catalog: {at}: it does not parse")),
        "{:?}",
        report.problems
    );
    assert_eq!(bin(s.path(), &["verify"]).status.code(), Some(1));
    // Verifying moved no ref.
    assert_eq!(refs(&s), before);
}

/// The whole corpus (about 3,200 versions): opt in with
/// `cargo test --release --test it full_corpus -- --ignored --nocapture`.
#[test]
#[ignore = "imports the whole corpus; run with --ignored"]
fn full_corpus_import_reads_with_plain_git() {
    let Some(c) = corpus() else { return };
    let inputs = [c.join("multi"), c.join("single")];
    let (_d, s) = new_store();
    let t = std::time::Instant::now();
    let r = import(&s, &inputs);
    eprintln!("full import: {r:?} in {:?}", t.elapsed());
    assert!(r.failed.is_empty(), "{:?}", r.failed);
    assert!(r.statutes > 3000 && r.added > 3100, "{r:?}");
    let first = refs(&s);
    let t = std::time::Instant::now();
    let again = import(&s, &inputs);
    eprintln!("re-import: {again:?} in {:?}", t.elapsed());
    assert_eq!((again.added, again.refs_updated), (0, 0));
    assert_eq!(refs(&s), first);
    assert_verifies(&s);
    let Some(fsck) = git(s.path(), &["fsck", "--strict"]) else {
        return;
    };
    assert!(fsck.status.success(), "git fsck: {}", text(&fsck.stderr));
    let id = s.resolve("中华人民共和国民事诉讼法").expect("resolve");
    let log = git(
        s.path(),
        &[
            "log",
            "--format=%ad %s",
            "--date=short",
            &format!("statutes/{id}"),
        ],
    )
    .expect("git log");
    let lines: Vec<String> = text(&log.stdout).lines().map(str::to_string).collect();
    eprintln!("git log statutes/{id}:\n{}", lines.join("\n"));
    assert!(lines.len() >= 2);
    let mut sorted = lines.clone();
    sorted.sort_by(|x, y| y.cmp(x));
    assert_eq!(lines, sorted);
}

/// `dir/<title>/<date>.md` for `n` statutes of 40 articles; `amended` rewrites every fifth
/// article and adds one, so each statute gets a second version.
fn write_many(dir: &Path, n: usize, date: &str, amended: bool) {
    for i in 0..n {
        let title = format!("读者测试第{i}号条例");
        let d = dir.join(&title);
        std::fs::create_dir_all(&d).expect("mkdir");
        let mut text = format!(
            "---\ntitle: \"{title}\"\nauthor: 测试市人民代表大会常务委员会\ndate: '{date}'\n---\n\n"
        );
        let count = if amended { 41 } else { 40 };
        for a in 1..=count {
            let changed = amended && a % 5 == 0;
            text.push_str(&format!(
                "第{}条 本条例第{a}项规定适用于第{i}号条例所称的事项，{}有关部门应当依法履行职责，做好相关工作。\n\n",
                statute::numerals::to_chinese(a),
                if changed { "县级以上人民政府及其" } else { "" },
            ));
        }
        std::fs::write(d.join(format!("{date}.md")), text).expect("write");
    }
}

/// While another process imports a second version of 300 statutes, readers (one with a handle
/// opened before the import, one opening the store afresh each time) read every statute again
/// and again: each read succeeds and shows the statute as it was or as the import leaves it,
/// never anything between.
#[test]
fn readers_during_an_import_see_the_old_or_the_new_state() {
    const N: usize = 300;
    let input = tempfile::tempdir().expect("tempdir");
    let (v1, v2) = (input.path().join("v1"), input.path().join("v2"));
    write_many(&v1, N, "2020-01-01", false);
    write_many(&v2, N, "2024-01-01", true);
    // The texts readers may see, by statute id and number of versions.
    let (_dr, reference) = new_store();
    import(&reference, std::slice::from_ref(&v1));
    import(&reference, std::slice::from_ref(&v2));
    let mut allowed: BTreeMap<(String, usize), String> = BTreeMap::new();
    for h in reference.list(None).expect("list") {
        for (k, v) in h.versions.iter().enumerate() {
            allowed.insert((h.id.clone(), k + 1), reference.text(v).expect("text"));
        }
    }
    assert_eq!(allowed.len(), 2 * N);

    let (_d, s) = new_store();
    import(&s, std::slice::from_ref(&v1));
    let early = Store::open(s.path()).expect("open");
    // Each read: how many statutes show one version and how many two.
    let read = |store: &Store| -> (usize, usize) {
        let hs = store.list(None).expect("list during an import");
        assert_eq!(hs.len(), N);
        let mut seen = (0, 0);
        for h in &hs {
            let n = h.versions.len();
            let head = h.head().expect("a head");
            let text = store.text(head).expect("text during an import");
            assert_eq!(
                Some(&text),
                allowed.get(&(h.id.clone(), n)),
                "{} with {n} versions",
                h.id
            );
            if n == 1 { seen.0 += 1 } else { seen.1 += 1 }
        }
        seen
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_statute"))
        .arg("--store")
        .arg(s.path())
        .arg("import")
        .arg(&v2)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let (mut during, mut old, mut new, mut mixed) = (0, 0, 0, 0);
    loop {
        let running = child.try_wait().expect("try_wait").is_none();
        for (one, two) in [read(&early), read(&Store::open(s.path()).expect("open"))] {
            match (one, two) {
                (_, 0) => old += 1,
                (0, _) => new += 1,
                _ => mixed += 1,
            }
            during += usize::from(running);
        }
        if !running {
            break;
        }
    }
    let status = child.wait().expect("wait");
    assert!(status.success());
    eprintln!(
        "readers: {during} reads during the import; {old} saw it all before, {new} all after, \
         {mixed} some statutes each way"
    );
    assert!(during > 0, "no read overlapped the import");
    // All refs move in one rename: a single listing never mixes.
    assert_eq!(mixed, 0);
    assert_eq!(read(&early), (0, N));
    assert_verifies(&s);
}

/// `import` prints the warnings `parse` gives for the files it reads, and counts them.
#[test]
fn import_shows_and_counts_the_parser_warnings() {
    let (dir, store) = new_store();
    let file = crate::common::fixture("bad/no-body.md");
    let report = import(&store, std::slice::from_ref(&file));
    assert_eq!(report.added, 1);
    let warnings: Vec<String> = report
        .warnings
        .iter()
        .map(|(p, w)| w.display(p).to_string())
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].ends_with("no-body.md: warning: no body text"),
        "{warnings:?}"
    );

    // The command line says so, and again for a second store (the first has the file).
    let other = dir.path().join("other");
    let init = bin(&other, &["init"]);
    assert_eq!(init.status.code(), Some(0), "{}", text(&init.stderr));
    let o = bin(&other, &["import", file.to_str().expect("utf-8 path")]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("no-body.md: warning: no body text"),
        "{}",
        text(&o.stderr)
    );
    assert!(
        text(&o.stdout).contains("1 versions added, 0 unchanged, 0 failed, 1 warning"),
        "{}",
        text(&o.stdout)
    );
}

/// `statute blame`: the columns are padded by display width, so the article text starts at
/// the same column on every line whatever the label's length (第一条, 第四十九条); long first
/// lines are cut on a character with `…`.
#[test]
fn blame_text_starts_at_one_column() {
    use unicode_width::UnicodeWidthStr;
    let tmp = tempfile::tempdir().expect("tempdir");
    let store = tmp.path().join("s");
    let path = tianjin();
    assert_eq!(bin(&store, &["init"]).status.code(), Some(0));
    let o = bin(&store, &["import", path.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let o = bin(&store, &["blame", "天津"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let blame = text(&o.stdout);
    let new = statute::parse::parse_file(&v2025())
        .expect("parses")
        .statute;
    let articles = new.articles();
    let rows: Vec<&str> = blame.lines().skip(1).collect();
    assert_eq!(rows.len(), articles.len(), "{blame}");
    let mut columns = std::collections::BTreeSet::new();
    let mut cut = 0;
    for (row, a) in rows.iter().zip(&articles) {
        let first = a.article.text();
        let first = first.lines().next().unwrap_or("");
        // The text is the row's end: the whole first line, or a prefix of it and `…`.
        let shown = match row.strip_suffix('…') {
            Some(r) => {
                cut += 1;
                let n = (1..=first.chars().count())
                    .rev()
                    .map(|n| first.chars().take(n).collect::<String>())
                    .find(|p| r.ends_with(p.as_str()))
                    .unwrap_or_else(|| panic!("{row:?}: no prefix of {first:?}"));
                assert!(n.width() < 80, "{row:?}: wider than 80 columns with its …");
                format!("{n}…")
            }
            None => {
                assert!(row.ends_with(first), "{row:?} ends with {first:?}");
                first.to_string()
            }
        };
        let start = &row[..row.len() - shown.len()];
        assert!(start.contains(&a.label(&new)), "{row:?}");
        columns.insert(start.width());
    }
    assert_eq!(
        columns.len(),
        1,
        "text starts at columns {columns:?}:\n{blame}"
    );
    assert!(cut > 0, "no long first line in:\n{blame}");
}

/// The bundled versions and two amended fixtures (park, amend) as `<name>/<date>.md`: three
/// statutes of two versions each.
fn three_amended(dir: &Path) -> Vec<PathBuf> {
    let input = crate::common::amendments(dir);
    vec![tianjin(), input]
}

/// A store that every check of `verify` passes and whose derived data is this build's.
fn assert_current(store: &Store) {
    let r = store.verify().expect("verify");
    assert!(r.problems.is_empty(), "{}", r.problems.join("\n"));
    assert_eq!(r.stamp, Stamp::Current);
    assert!(r.stale.is_empty(), "{}", r.stale.join("\n"));
}

/// An aged store (see `common::age_store`): valid, and stale in its stamp and in every
/// derived part that aging touched.
fn assert_aged(store: &Store) {
    let r = store.verify().expect("verify");
    assert!(r.problems.is_empty(), "{}", r.problems.join("\n"));
    assert!(r.is_stale());
    assert_eq!(r.stamp, Stamp::Missing);
    let stale = r.stale.join("\n");
    assert_eq!(
        r.stale
            .iter()
            .filter(|s| s.contains("Summary, Event trailers"))
            .count(),
        3,
        "{stale}"
    );
    assert_eq!(
        r.stale
            .iter()
            .filter(|s| s.contains("canonical rendering"))
            .count(),
        3,
        "{stale}"
    );
}

#[test]
fn reindex_of_an_aged_store_equals_a_fresh_import_and_is_idempotent() {
    let (dir, store) = new_store();
    let inputs = three_amended(dir.path());
    import(&store, &inputs);
    assert_current(&store);
    let fresh = refs(&store);
    age_store(store.path());
    assert_ne!(refs(&store), fresh);
    assert_aged(&store);

    let r = store.reindex(&Quiet).expect("reindex");
    assert_eq!(refs(&store), fresh, "a reindexed store is a fresh import");
    assert_eq!((r.statutes, r.versions), (3, 6));
    assert_eq!((r.rewritten, r.unchanged), (6, 0));
    assert_eq!(r.refs_updated, 10, "3 branches, 6 tags and main");
    assert_current(&store);

    let again = store.reindex(&Quiet).expect("reindex again");
    assert_eq!(
        again,
        ReindexReport {
            statutes: 3,
            versions: 6,
            rewritten: 0,
            unchanged: 6,
            refs_updated: 0,
        }
    );
    assert_eq!(refs(&store), fresh);
    // And an import after it finds every version there.
    let rep = import(&store, &inputs);
    assert_eq!((rep.added, rep.refs_updated), (0, 0));
}

#[test]
fn an_interrupted_reindex_leaves_a_valid_store_still_stale() {
    for at in [
        Checkpoint::Parsed,
        Checkpoint::ObjectsWritten,
        Checkpoint::RefsMoved,
    ] {
        let (dir, store) = new_store();
        import(&store, &three_amended(dir.path()));
        let fresh = refs(&store);
        age_store(store.path());
        let aged = refs(&store);
        match store.reindex(&CancelAt(at)) {
            Err(StoreError::ReindexCancelled) => {}
            other => panic!("{at:?}: {other:?}"),
        }
        let r = store.verify().expect("verify");
        assert!(r.problems.is_empty(), "{at:?}: {}", r.problems.join("\n"));
        if at == Checkpoint::RefsMoved {
            // `main` carries the stamp: once the refs have moved, the store is current
            // (only the config's copy of the stamp is not written yet).
            assert_eq!(refs(&store), fresh, "{at:?}");
            assert_eq!(r.stamp, Stamp::Current, "{at:?}");
        } else {
            assert_eq!(refs(&store), aged, "{at:?}");
            assert!(r.is_stale() && r.stamp == Stamp::Missing, "{at:?}");
        }
        store.reindex(&Quiet).expect("reindex");
        assert_eq!(refs(&store), fresh, "{at:?}");
        assert_current(&store);
    }
}

#[test]
fn a_newer_derived_stamp_is_refused_untouched() {
    let (dir, store) = new_store();
    let inputs = three_amended(dir.path());
    import(&store, &inputs[..1]);
    let newer = DERIVED_VERSION + 1;
    crate::common::set_main_stamp(store.path(), Some(newer));
    let before = refs(&store);
    let newer_derived =
        |e: StoreError| matches!(e, StoreError::NewerDerived { found, .. } if found == newer);
    assert!(newer_derived(store.verify().expect_err("verify")));
    assert!(newer_derived(store.reindex(&Quiet).expect_err("reindex")));
    assert!(newer_derived(
        store
            .import(&inputs, &ImportOptions::default(), &Quiet)
            .expect_err("import")
    ));
    assert_eq!(refs(&store), before);
    assert_eq!(store.stamp().expect("stamp"), Stamp::Newer(newer));
}

/// What `list`, `resolve`, the browser's ids and the feed read from `main`'s lookup tables is
/// what the histories and refs say.
#[test]
fn the_lookup_tables_answer_as_the_histories_do() {
    let (dir, store) = new_store();
    import(&store, &three_amended(dir.path()));
    let histories = store.list(None).expect("list");
    let catalog: Vec<statute::store::tables::ListRow> = store
        .catalog(None)
        .expect("catalog")
        .collect::<Result<Vec<_>, _>>()
        .expect("catalog rows")
        .into_iter()
        .flatten()
        .collect();
    let heads = store.table_heads().expect("heads").expect("a heads table");
    assert_eq!(catalog.len(), histories.len());
    assert_eq!(heads.len(), histories.len());
    for ((e, t), h) in catalog.iter().zip(&heads).zip(&histories) {
        let head = h.head().expect("head");
        assert_eq!(e.id, h.id);
        assert_eq!(t.id, h.id);
        assert_eq!(e.versions, h.versions.len());
        assert_eq!(t.versions, h.versions.len());
        assert_eq!(
            (&e.label, &e.title, &e.status),
            (&head.label, &head.meta.title, &head.meta.status)
        );
        assert_eq!(
            (&t.label, t.commit, t.blob, &t.title),
            (&head.label, head.commit, head.blob, &head.meta.title)
        );
        // Each statute's exact title resolves to it.
        assert_eq!(store.resolve(&head.meta.title).expect("resolve"), h.id);
    }
    let mut from_refs: Vec<String> = refs(&store)
        .keys()
        .filter_map(|r| r.strip_prefix("refs/heads/statutes/").map(str::to_string))
        .collect();
    from_refs.sort();
    assert_eq!(store.ids().expect("ids"), from_refs);
    let mut tags = store.version_tags().expect("tags");
    tags.sort();
    let mut all = store.versions_from(None).expect("versions");
    all.sort();
    assert_eq!(all, tags);
    let mut recent = store
        .versions_from(Some(2024))
        .expect("versions since 2024");
    recent.sort();
    tags.retain(|(_, label)| label.as_str() >= "2024");
    assert_eq!(recent, tags);
    assert!(!recent.is_empty());
}
