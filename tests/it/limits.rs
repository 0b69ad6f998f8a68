//! Bounded resources: inputs far outside what statutes look like either finish or are refused
//! with a one-line error. (Times and memory for the full-size cases are measured by
//! `scripts/limits.sh` and stated in docs/benchmarks.md, not asserted here.)

use std::path::Path;
use std::process::{Command, Output};

fn statute(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_statute"))
        .args(args)
        .output()
        .expect("run statute")
}

fn arg(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

const HEAD: &str = "# 某某测试条例\n\n2020年1月1日通过\n\n<!-- INFO END -->\n\n";

#[test]
fn a_100_mb_input_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let big = dir.path().join("big.md");
    let f = std::fs::File::create(&big).expect("create");
    f.set_len(100 << 20).expect("sparse 100 MB");
    let o = statute(&["parse", arg(&big)]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("big.md") && err.trim_end().lines().count() == 1,
        "{err}"
    );
}

#[test]
fn one_huge_line_parses_and_unrelated_huge_lines_diff_in_bounded_work() {
    let dir = tempfile::tempdir().expect("temp dir");
    // 600,000 characters without any punctuation, twice, unrelated but from one alphabet:
    // the worst case for a character diff.
    let alphabet: Vec<char> =
        "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工"
            .chars()
            .collect();
    let mut x: u64 = 7;
    let mut text = |n: usize| -> String {
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                alphabet[(x >> 33) as usize % alphabet.len()]
            })
            .collect()
    };
    let (a, b) = (dir.path().join("a.md"), dir.path().join("b.md"));
    std::fs::write(&a, format!("{HEAD}{}\n", text(600_000))).expect("write");
    std::fs::write(&b, format!("{HEAD}{}\n", text(600_000))).expect("write");
    let o = statute(&["parse", arg(&a)]);
    assert_eq!(o.status.code(), Some(0));
    let o = statute(&["diff", arg(&a), arg(&b), "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(
        v["summary"]["modified"].as_u64().unwrap_or(0)
            + v["summary"]["added"].as_u64().unwrap_or(0),
        1
    );
}

#[test]
fn many_headings_and_many_identical_articles() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = String::from(HEAD);
    for i in 1..=10_000 {
        h.push_str(&format!("## 第{i}章 标题{i}\n\n### 第1节 小节\n\n"));
    }
    h.push_str("第一条 本条例自公布之日起施行。\n");
    let hp = dir.path().join("headings.md");
    std::fs::write(&hp, h).expect("write");
    let o = statute(&["parse", arg(&hp), "--format", "json"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    // Every article the same text; the new version has one more.
    let same = |n: usize| {
        let mut s = String::from(HEAD);
        for i in 1..=n {
            s.push_str(&format!("第{i}条 本条例由市人民政府负责解释。\n\n"));
        }
        s
    };
    let (a, b) = (dir.path().join("same-a.md"), dir.path().join("same-b.md"));
    std::fs::write(&a, same(2000)).expect("write");
    std::fs::write(&b, same(2001)).expect("write");
    let o = statute(&["diff", arg(&a), arg(&b), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["summary"]["added"], 1);
    assert_eq!(v["summary"]["unchanged"], 2000);
}

#[test]
fn many_articles() {
    let dir = tempfile::tempdir().expect("temp dir");
    let doc = |edit: bool| {
        let mut s = String::from(HEAD);
        for i in 1..=20_000 {
            let t = if edit && i % 97 == 0 {
                "有关主管部门"
            } else {
                "主管部门"
            };
            s.push_str(&format!("第{i}条 本条规定第{i}项事务，由{t}负责实施。\n\n"));
        }
        s
    };
    let (a, b) = (dir.path().join("a.md"), dir.path().join("b.md"));
    std::fs::write(&a, doc(false)).expect("write");
    std::fs::write(&b, doc(true)).expect("write");
    let o = statute(&["diff", arg(&a), arg(&b), "--format", "json"]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(v["summary"]["modified"], 20_000 / 97);
    assert_eq!(v["summary"]["added"], 0);
}

/// A .docx whose parts would unpack to more than the input limit (a zip bomb: 40 MB of
/// spaces deflate to a few dozen kilobytes) is refused once the limit is passed, however small
/// the file and whatever size the archive declares; one with more entries than a Word
/// document could have is refused before any is read.
#[test]
fn a_docx_zip_bomb_and_a_docx_of_many_entries_are_refused() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("temp dir");
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let bomb = dir.path().join("bomb.docx");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&bomb).expect("create"));
    z.start_file("word/document.xml", opts).expect("entry");
    z.write_all(b"<w:document><w:body><w:p><w:r><w:t>")
        .expect("write");
    let spaces = vec![b' '; 1 << 20];
    for _ in 0..40 {
        z.write_all(&spaces).expect("write");
    }
    z.write_all(b"</w:t></w:r></w:p></w:body></w:document>")
        .expect("write");
    z.finish().expect("finish");
    assert!(std::fs::metadata(&bomb).expect("size").len() < 1 << 20);

    let many = dir.path().join("many.docx");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&many).expect("create"));
    for i in 0..=statute::parse::docx::MAX_ENTRIES {
        z.start_file(format!("word/media/{i}.bin"), opts)
            .expect("entry");
    }
    z.start_file("word/document.xml", opts).expect("entry");
    z.finish().expect("finish");

    for (path, needle) in [
        (
            &bomb,
            "word/document.xml unpacks to more than 33554432 bytes",
        ),
        (&many, "a zip archive of 10002 entries (the limit is 10000)"),
    ] {
        let o = statute(&["parse", arg(path)]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(arg(path)) && err.contains(needle), "{err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    }
}
