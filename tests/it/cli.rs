//! The binary: exit codes, one-line errors naming the file, bounded input.

use std::process::Command;

use crate::common::{arg, fixture, statute, stderr};

#[test]
fn bad_inputs_give_one_line_errors_and_exit_2() {
    for (name, needle) in [
        ("bad/empty.md", "empty file"),
        ("bad/binary.bin", "binary data"),
        ("bad/invalid-encoding.txt", "not valid UTF-8"),
        ("does-not-exist.md", "cannot read"),
        (
            "bad/word97.doc",
            "Word 97–2003 document (.doc) or a password-protected .docx",
        ),
        ("bad/corrupt.docx", "damaged zip archive"),
        ("bad/not-word.docx", "without word/document.xml"),
        ("bad/empty-body.docx", "Word document without body text"),
    ] {
        let path = fixture(name);
        let o = statute(&["parse", arg(&path)]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(err.contains(needle) && err.contains(name), "{name}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{name}: one line: {err}");
        assert!(o.stdout.is_empty(), "{name}: nothing on stdout");
    }
}

#[test]
fn no_body_is_a_warning_not_an_error() {
    let o = statute(&["parse", arg(&fixture("bad/no-body.md"))]);
    assert_eq!(o.status.code(), Some(0));
    assert!(
        stderr(&o).contains("no-body.md: warning: no body text"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn check_exit_codes() {
    let clean = statute(&["check", arg(&fixture("zhiyi.md"))]);
    assert_eq!(clean.status.code(), Some(0), "{}", stderr(&clean));
    let found = statute(&["check", "-q", arg(&fixture("anomalies.md"))]);
    assert_eq!(found.status.code(), Some(1));
    let out = String::from_utf8_lossy(&found.stdout);
    assert!(out.lines().all(|l| l.contains("anomalies.md:")), "{out}");
    assert_eq!(out.lines().count(), 4, "{out}");
    // A file that fails still lets the others be checked; the exit code says so.
    let mixed = statute(&[
        "check",
        "-q",
        arg(&fixture("zhiyi.md")),
        arg(&fixture("bad/empty.md")),
    ]);
    assert_eq!(mixed.status.code(), Some(2));
}

#[test]
fn json_output_is_a_versioned_wire_format() {
    let o = statute(&["parse", "--format", "json", arg(&fixture("zhiyi.md"))]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v["schema"], "statute-doc/1");
    assert_eq!(v["source_format"], "corpus");
    assert_eq!(v["meta"]["history"][1]["kind"], "修正");
}

#[test]
fn oversized_input_is_refused_quickly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("big.md");
    let f = std::fs::File::create(&big).expect("create");
    // Sparse: 50 MB without writing 50 MB.
    f.set_len(50 * 1024 * 1024).expect("set_len");
    let o = statute(&["parse", arg(&big)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("file too large"), "{}", stderr(&o));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::Stdio;
    // Large enough that the output overflows the pipe buffer after the reader is gone.
    let dir = tempfile::tempdir().expect("tempdir");
    let big = dir.path().join("big.md");
    let mut text = String::from("# 某某条例\n\n<!-- INFO END -->\n\n");
    for i in 1..=5000 {
        text.push_str(&format!(
            "第{}条 本条例所称某某，是指依法设立的某某机构。\n\n",
            i
        ));
    }
    std::fs::write(&big, text).expect("write");
    let mut child = Command::new(env!("CARGO_BIN_EXE_statute"))
        .args(["parse", arg(&big)])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut out = child.stdout.take().expect("stdout");
    let mut first = [0u8; 16];
    out.read_exact(&mut first).expect("first bytes");
    drop(out);
    let output = child.wait_with_output().expect("wait");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(output.stderr.is_empty(), "{}", stderr(&output));
}

#[test]
fn diff_exit_codes_and_json() {
    let dir = crate::common::root().join("versions/天津市信息化促进条例");
    let (a, b) = (dir.join("2007-09-12.md"), dir.join("2025-06-30.md"));
    let same = statute(&["diff", arg(&a), arg(&a)]);
    assert_eq!(same.status.code(), Some(0), "{}", stderr(&same));
    let changed = statute(&["diff", "--format", "json", arg(&a), arg(&b)]);
    assert_eq!(changed.status.code(), Some(1), "{}", stderr(&changed));
    let v: serde_json::Value = serde_json::from_slice(&changed.stdout).expect("valid JSON");
    assert_eq!(v["schema"], "statute-diff/1");
    assert_eq!(v["summary"]["added"], 1);
    assert_eq!(v["summary"]["deleted"], 1);
    let entries = v["articles"].as_array().expect("articles");
    assert_eq!(
        entries.len() as u64,
        v["summary"]["unchanged"].as_u64().unwrap_or(0) + 9
    );
    let text = statute(&["diff", arg(&a), arg(&b)]);
    let report = String::from_utf8_lossy(&text.stdout);
    assert!(report.contains("新增 1 条，删除 1 条"), "{report}");
    assert!(report.contains("[-质量技术监督-]{+市场监管+}"), "{report}");
    let bad = statute(&["diff", arg(&a), arg(&fixture("bad/empty.md"))]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("empty.md: empty file"),
        "{}",
        stderr(&bad)
    );
}

/// Two files that are not versions of one statute: `diff` says so on stderr, and still
/// compares them.
#[test]
fn diff_warns_when_the_files_look_like_two_statutes() {
    let o = statute(&[
        "diff",
        arg(&fixture("park-2020.md")),
        arg(&fixture("water-2009.md")),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("warning: the titles differ (“某某市公园管理条例” and “某某市城市供水条例”); are they versions of one statute?"),
        "{err}"
    );
    // The same title over another document's text: little wording in common.
    let dir = tempfile::tempdir().expect("tempdir");
    let other = std::fs::read_to_string(fixture("no-articles-points.md")).expect("read fixture");
    let renamed = dir.path().join("renamed.md");
    std::fs::write(
        &renamed,
        other.replace(
            "# 某某省人民代表大会常务委员会关于加强生态环境保护的决定",
            "# 某某市公园管理条例",
        ),
    )
    .expect("write");
    let o = statute(&["diff", arg(&fixture("park-2020.md")), arg(&renamed)]);
    let err = stderr(&o);
    assert!(!err.contains("titles differ"), "{err}");
    let share = err
        .lines()
        .find(|l| l.contains("of their wording; are they versions of one statute?"))
        .unwrap_or_else(|| panic!("no wording warning: {err}"));
    assert!(
        share.starts_with("warning: the two texts share "),
        "{share}"
    );
    // Versions of one statute: no warning.
    let o = statute(&[
        "diff",
        arg(&fixture("park-2020.md")),
        arg(&fixture("park-2024.md")),
    ]);
    assert!(!stderr(&o).contains("warning"), "{}", stderr(&o));
}

/// `verify` exits 1 on stale derived data and says what to run; `reindex` prints one
/// summary line; after it `verify` exits 0 without the hint.
#[test]
fn verify_reports_stale_derived_data_and_reindex_clears_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("store");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_statute"))
            .arg("--store")
            .arg(&store)
            .args(args)
            .output()
            .expect("run statute")
    };
    let versions = crate::common::root().join("versions");
    assert_eq!(run(&["init"]).status.code(), Some(0));
    assert_eq!(run(&["import", arg(&versions)]).status.code(), Some(0));
    let o = run(&["verify"]);
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(o.status.code(), Some(0), "{out}");
    // 11 objects of the histories and the catalog, 8 of the citation index (its tree,
    // titles.tsv, and per directory refs/ and units/ the directory, the statute's shard and its
    // file), 11 of the lookup tables (5 directories and 6 shards).
    assert_eq!(out, "1 statutes, 2 versions, 30 objects: ok\n");

    // A store of the release before the stamp: none in `main`, none in the config.
    crate::common::set_main_stamp(&store, None);
    let unset = Command::new("git")
        .arg("--git-dir")
        .arg(&store)
        .args(["config", "--unset", "statute.derived"])
        .status()
        .expect("run git");
    assert!(unset.success());
    let o = run(&["verify"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        format!(
            "stale: no derived-data stamp (statute.derived); this build writes {}\n\
             1 statutes, 2 versions, 31 objects: ok, derived data stale\n\
             derived data is stale: run `statute reindex`\n",
            statute::store::DERIVED_VERSION
        )
    );
    let o = run(&["reindex"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout),
        "1 statutes, 2 versions: 0 rewritten, 2 unchanged, 1 refs updated; derived-data stamp recorded\n",
        "main moves back to the commit that carries the stamp"
    );
    assert_eq!(run(&["verify"]).status.code(), Some(0));
}
