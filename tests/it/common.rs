//! Shared helpers: where the corpus and fixtures are, and how to walk them.

use std::path::{Path, PathBuf};

use statute::model::Statute;
use statute::parse::parse_file;

/// The project root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A file under `fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    root().join("fixtures").join(name)
}

/// The shared corpus (`$STATUTE_CORPUS`, else `../shared/corpus`), or `None` with a printed
/// reason so that a fresh clone without it still passes; with `STATUTE_REQUIRE_CORPUS=1`
/// (CI) a missing corpus fails the test instead.
pub fn corpus() -> Option<PathBuf> {
    match statute_eval::corpus::find() {
        Ok(dir) => Some(dir),
        Err(dir) if std::env::var_os("STATUTE_REQUIRE_CORPUS").is_some_and(|v| v == "1") => {
            panic!(
                "corpus not found at {} and STATUTE_REQUIRE_CORPUS=1 (set STATUTE_CORPUS)",
                dir.display()
            )
        }
        Err(dir) => {
            eprintln!(
                "skipping: corpus not found at {} (set STATUTE_CORPUS to run corpus tests)",
                dir.display()
            );
            None
        }
    }
}

/// Whether pandoc (`apt-get install pandoc`) can be run, for the tests that make .docx files
/// with it; `false` with a printed reason otherwise, so that a machine without it still
/// passes. With `STATUTE_REQUIRE_PANDOC=1` a missing pandoc fails the test instead.
pub fn pandoc() -> bool {
    let ok = runs("pandoc");
    if !ok {
        if std::env::var_os("STATUTE_REQUIRE_PANDOC").is_some_and(|v| v == "1") {
            panic!("pandoc not found and STATUTE_REQUIRE_PANDOC=1");
        }
        eprintln!("skipping: pandoc not found (apt-get install pandoc to run the .docx tests)");
    }
    ok
}

/// Whether LibreOffice's `soffice` (`apt-get install libreoffice-writer-nogui`) can be run;
/// `false` with a printed reason otherwise (never required).
pub fn libreoffice() -> bool {
    let ok = runs("soffice");
    if !ok {
        eprintln!("skipping: soffice not found (apt-get install libreoffice-writer-nogui)");
    }
    ok
}

/// Whether `program --version` runs and succeeds.
fn runs(program: &str) -> bool {
    std::process::Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Every `*.md` version file below a directory (README.md excluded), sorted.
pub use statute_eval::corpus::md_files;

/// The statutes' folders of the corpus's `multi/` (`multi/<category>/<statute>/`, each
/// holding its versions), sorted.
pub fn statute_dirs(corpus: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(corpus.join("multi"))
        .into_iter()
        .flatten()
        .flatten()
        .flat_map(|cat| {
            std::fs::read_dir(cat.path())
                .into_iter()
                .flatten()
                .flatten()
        })
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Every statute folder of the corpus, `multi/` and `single/` (`<part>/<category>/<statute>/`),
/// sorted.
pub fn all_statute_dirs(corpus: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for part in ["multi", "single"] {
        for cat in std::fs::read_dir(corpus.join(part))
            .into_iter()
            .flatten()
            .flatten()
        {
            for d in std::fs::read_dir(cat.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                if d.path().is_dir() {
                    out.push(d.path());
                }
            }
        }
    }
    out.sort();
    out
}

/// The statute in a version file; a file that does not parse fails the test.
pub fn load(p: &Path) -> Statute {
    match parse_file(p) {
        Ok(x) => x.statute,
        Err(e) => panic!("{e}"),
    }
}

/// Removes all whitespace.
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Fails with at most 15 of the collected problems listed.
pub fn assert_none(what: &str, problems: &[String], total: usize) {
    if !problems.is_empty() {
        let shown: Vec<&str> = problems.iter().take(15).map(String::as_str).collect();
        panic!(
            "{what}: {} of {total} files failed:\n{}",
            problems.len(),
            shown.join("\n")
        );
    }
}

/// Makes the store at `dir` look like one written by an earlier release, before the
/// derived-data stamp and with an older differ and canonical writer: the `statute.derived`
/// key is removed, every `Event` trailer dropped, every `Summary` trailer reworded, and the
/// first version of each statute with several versions gets a canonical file with a blank
/// line more at its end (which the parser reads as the same statute). Branches and tags move
/// to the rewritten commits; `main` names no commit of a history and the heads keep their
/// files, so it stays. Every check of `verify` but the derived data still passes.
pub fn age_store(dir: &std::path::Path) {
    use git2::{Oid, Repository};
    let repo = Repository::open_bare(dir).expect("open store");
    let mut targets: Vec<(String, Oid)> = Vec::new();
    for r in repo.references().expect("refs") {
        let r = r.expect("ref");
        if let (Ok(name), Some(t)) = (r.name(), r.target())
            && name != "refs/heads/main"
        {
            targets.push((name.to_string(), t));
        }
    }
    let mut rewritten: std::collections::HashMap<Oid, Oid> = std::collections::HashMap::new();
    for (name, head) in &targets {
        let Some(id) = name.strip_prefix("refs/heads/statutes/") else {
            continue;
        };
        let mut chain = Vec::new();
        let mut next = Some(*head);
        while let Some(oid) = next {
            let c = repo.find_commit(oid).expect("commit");
            next = c.parent_ids().next();
            chain.push(c);
        }
        chain.reverse();
        let several = chain.len() > 1;
        let mut parent: Option<Oid> = None;
        for (i, c) in chain.iter().enumerate() {
            let message: String = c
                .message()
                .expect("utf-8 message")
                .lines()
                .filter(|l| !l.starts_with("Event: "))
                .map(|l| match l.strip_prefix("Summary: ") {
                    Some(s) => format!("Summary: {s} (older wording)\n"),
                    None => format!("{l}\n"),
                })
                .collect();
            let mut tree = c.tree().expect("tree");
            if i == 0 && several {
                let path = std::path::PathBuf::from(format!("statutes/{id}.md"));
                let blob = repo
                    .find_blob(tree.get_path(&path).expect("file").id())
                    .expect("blob");
                let mut text = blob.content().to_vec();
                text.push(b'\n');
                let blob = repo.blob(&text).expect("write blob");
                let mut d = repo.treebuilder(None).expect("treebuilder");
                d.insert(format!("{id}.md"), blob, 0o100_644)
                    .expect("insert");
                let d = d.write().expect("tree");
                let mut root = repo.treebuilder(None).expect("treebuilder");
                root.insert("statutes", d, 0o040_000).expect("insert");
                tree = repo
                    .find_tree(root.write().expect("tree"))
                    .expect("find tree");
            }
            let parents: Vec<git2::Commit<'_>> = parent
                .map(|p| repo.find_commit(p).expect("parent"))
                .into_iter()
                .collect();
            let parents: Vec<&git2::Commit<'_>> = parents.iter().collect();
            let new = repo
                .commit(None, &c.author(), &c.committer(), &message, &tree, &parents)
                .expect("commit");
            rewritten.insert(c.id(), new);
            parent = Some(new);
        }
    }
    for (name, target) in &targets {
        let new = rewritten.get(target).expect("a ref of a history");
        repo.reference(name, *new, true, "age").expect("move ref");
    }
    repo.config()
        .expect("config")
        .remove("statute.derived")
        .expect("remove the stamp");
    set_main_stamp(dir, None);
}

/// Rewrites `main`'s commit with `stamp` as its `Derived` trailer (none: without one, as the
/// releases before the trailer wrote it), its tree unchanged: how a store stamped by another
/// build looks.
pub fn set_main_stamp(dir: &std::path::Path, stamp: Option<i32>) {
    let repo = git2::Repository::open_bare(dir).expect("open store");
    let main = repo
        .find_reference("refs/heads/main")
        .expect("main")
        .peel_to_commit()
        .expect("main commit");
    let mut message: String = main
        .message()
        .expect("utf-8 message")
        .lines()
        .filter(|l| !l.starts_with("Derived: "))
        .map(|l| format!("{l}\n"))
        .collect();
    if let Some(n) = stamp {
        message.push_str(&format!("Derived: {n}\n"));
    }
    let new = repo
        .commit(
            None,
            &main.author(),
            &main.committer(),
            &message,
            &main.tree().expect("tree"),
            &[],
        )
        .expect("commit");
    repo.reference("refs/heads/main", new, true, "stamp")
        .expect("move main");
}

/// Two statutes of two versions each, laid out as `<name>/<date>.md`, for an import that
/// writes a pack and moves refs.
pub fn amendments(dir: &Path) -> PathBuf {
    let input = dir.join("in");
    for (name, old, new) in [
        ("park", "park-2020.md", "park-2024.md"),
        ("amend", "amend-old.md", "amend-new.md"),
    ] {
        let d = input.join(name);
        std::fs::create_dir_all(&d).expect("mkdir");
        for (file, date) in [(old, "2020-01-01.md"), (new, "2024-01-01.md")] {
            std::fs::copy(fixture(file), d.join(date)).expect("copy");
        }
    }
    input
}

/// Runs the `statute` binary with `args`.
pub fn statute(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_statute"))
        .args(args)
        .output()
        .expect("run statute")
}

/// A run's standard error as text.
pub fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A path as a command-line argument.
pub fn arg(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Every ref of the store at `dir` and its target (symbolic refs left out).
pub fn refs_of(dir: &Path) -> std::collections::BTreeMap<String, String> {
    let repo = git2::Repository::open_bare(dir).expect("open store");
    let mut out = std::collections::BTreeMap::new();
    for r in repo.references().expect("refs") {
        let r = r.expect("ref");
        if let (Ok(name), Some(t)) = (r.name(), r.target()) {
            out.insert(name.to_string(), t.to_string());
        }
    }
    out
}

/// Runs the `statute` binary on the store at `store` with `args`.
pub fn statute_in(store: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_statute"))
        .arg("--store")
        .arg(store)
        .args(args)
        .output()
        .expect("run statute")
}
