//! The library's layers point one way: no cycle between its top-level modules (issue 21).
//!
//! Every `crate::` path in `src/` (in `use` lines, brace groups included, and in code) names
//! the top-level module it reaches into; those edges, between different top-level modules,
//! must form no cycle. A failure lists each cycle's modules with the files behind its edges.
//! The binary's own module, `cli` (`src/cli/`, declared by `main.rs` only), is the top layer:
//! its `statute::` paths are its edges into the library, and no library module may use it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::common::root;

/// Top-level module → module it uses → files (relative to `src/`) that use it.
type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

/// The top-level modules: `src/x.rs` and `src/x/` (the library's, and the binary's `cli`).
fn modules(src: &Path) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for e in std::fs::read_dir(src).expect("read src/").flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let module = match name.strip_suffix(".rs") {
            Some(m) => m.to_string(),
            None if e.path().is_dir() => name,
            None => continue,
        };
        if module != "lib" && module != "main" {
            out.insert(module);
        }
    }
    out
}

/// The source with comments removed (line comments and doc comments; block comments are
/// not used in this crate's code), so that prose naming `crate::x` makes no edge.
fn code(text: &str) -> String {
    text.lines()
        .map(|l| match l.find("//") {
            // A `//` inside a string literal ("http://") is rare in this crate; keeping the
            // line's start is enough for paths, which never follow one.
            Some(k) => &l[..k],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level modules a piece of code reaches with `crate::`: `crate::diff::X`,
/// `crate::{diff, model::Y}`.
fn used(code: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    used_through(code, "crate::", known)
}

/// The top-level modules a piece of code reaches through paths starting with `root` (`crate::`
/// in the library, `statute::` in the binary).
fn used_through(code: &str, root: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    for (k, _) in code.match_indices(root) {
        // `statute_eval::crate::` cannot occur; skip paths of other crates (`$crate::`).
        if code[..k].ends_with('$')
            || code[..k].ends_with(|c: char| c.is_alphanumeric() || c == '_')
        {
            continue;
        }
        let rest = &code[k + root.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // A brace group: every item at its top level names a module.
            let mut depth = 0;
            let mut item_start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    _ if item_start && !c.is_whitespace() => {
                        item_start = false;
                        out.insert(ident(&group[j..]));
                    }
                    _ => {}
                }
            }
        } else {
            out.insert(ident(rest));
        }
    }
    out.retain(|m| known.contains(m));
    out
}

fn graph(src: &Path) -> Graph {
    let known = modules(src);
    let mut g = Graph::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir)
            .expect("read a source folder")
            .flatten()
        {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            if p.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let rel = p
                .strip_prefix(src)
                .expect("below src/")
                .to_string_lossy()
                .into_owned();
            let top = rel
                .split('/')
                .next()
                .unwrap_or_default()
                .trim_end_matches(".rs")
                .to_string();
            if !known.contains(&top) {
                continue;
            }
            let text = code(&std::fs::read_to_string(&p).expect("read a source file"));
            let mut uses = used(&text, &known);
            if top == BINARY {
                // The binary reaches the library by the crate's name.
                uses.extend(used_through(&text, "statute::", &known));
            }
            for m in uses {
                if m != top {
                    g.entry(top.clone())
                        .or_default()
                        .entry(m)
                        .or_default()
                        .insert(rel.clone());
                }
            }
        }
    }
    g
}

/// The strongly connected components of more than one module (Tarjan's algorithm).
fn cycles(g: &Graph) -> Vec<Vec<String>> {
    struct State<'a> {
        g: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        let i = s.index.len();
        s.index.insert(v, i);
        s.low.insert(v, i);
        s.stack.push(v);
        s.on_stack.insert(v);
        let g = s.g;
        for w in g.get(v).into_iter().flat_map(|m| m.keys()) {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(lw);
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low.get_mut(v).expect("visited");
                *lv = (*lv).min(iw);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                component.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                s.out.push(component);
            }
        }
    }
    let mut s = State {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in g.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

#[test]
fn no_cycle_between_top_level_modules() {
    let src = root().join("src");
    let g = graph(&src);
    assert!(g.len() > 5, "too few modules seen: {:?}", g.keys());
    let found = cycles(&g);
    let explain = |c: &Vec<String>| -> String {
        let mut lines = vec![format!("cycle among {}:", c.join(", "))];
        for a in c {
            for (b, files) in &g[a] {
                if c.contains(b) {
                    let files: Vec<&str> = files.iter().map(String::as_str).collect();
                    lines.push(format!("  {a} → {b}: {}", files.join(", ")));
                }
            }
        }
        lines.join("\n")
    };
    assert!(
        found.is_empty(),
        "{}",
        found.iter().map(explain).collect::<Vec<_>>().join("\n")
    );
}

/// The binary's module: `src/cli/`, declared by `main.rs`, not by `lib.rs`.
const BINARY: &str = "cli";

/// The layers, lowest first, as ARCHITECTURE.md lists them: each module uses only those
/// before it. The last, `cli`, is the binary's.
const LAYERS: [&str; 18] = [
    "numerals",
    "par",
    "error",
    "model",
    "normalize",
    "parse",
    "check",
    "cite",
    "align",
    "diff",
    "amend",
    "segment",
    "lineage",
    "store",
    "render",
    "feed",
    "tui",
    BINARY,
];

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let src = root().join("src");
    let known = modules(&src);
    let listed: BTreeSet<String> = LAYERS.iter().map(|m| m.to_string()).collect();
    assert_eq!(
        known, listed,
        "a new top-level module needs its place in LAYERS and ARCHITECTURE.md"
    );
    let rank = |m: &str| LAYERS.iter().position(|l| *l == m);
    let mut upward = Vec::new();
    for (a, uses) in graph(&src) {
        for (b, files) in uses {
            if rank(&b) > rank(&a) {
                let files: Vec<&str> = files.iter().map(String::as_str).collect();
                upward.push(format!("{a} → {b}: {}", files.join(", ")));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "uses of a higher layer:\n{}",
        upward.join("\n")
    );
}

#[test]
fn the_checker_sees_paths_and_groups_and_finds_cycles() {
    let known: BTreeSet<String> = ["diff", "model", "render", "store"]
        .map(String::from)
        .into();
    let seen = used(
        &code(
            "use crate::{diff::ChangeSet, model};\nlet x = crate::store::open();\n// crate::render",
        ),
        &known,
    );
    assert_eq!(seen, ["diff", "model", "store"].map(String::from).into());
    let mut g = Graph::new();
    for (a, b) in [
        ("render", "diff"),
        ("diff", "model"),
        ("model", "render"),
        ("store", "diff"),
    ] {
        g.entry(a.into()).or_default().entry(b.into()).or_default();
    }
    assert_eq!(cycles(&g), vec![vec!["diff", "model", "render"]]);
}

/// The `mod` items a file declares at its top level (`mod x;`, `pub mod x;`, `pub(crate) mod x;`).
fn declared(text: &str) -> BTreeSet<String> {
    code(text)
        .lines()
        .filter_map(|l| {
            let l = l.trim_start();
            let l = l
                .strip_prefix("pub(crate) ")
                .or_else(|| l.strip_prefix("pub "))
                .unwrap_or(l);
            let name = l.strip_prefix("mod ")?.trim_end().strip_suffix(';')?;
            Some(name.trim().to_string())
        })
        .collect()
}

#[test]
fn cli_is_the_binarys_module_and_no_library_module_uses_it() {
    let src = root().join("src");
    let read = |f: &str| std::fs::read_to_string(src.join(f)).expect("read a crate root");
    let lib = declared(&read("lib.rs"));
    let main = declared(&read("main.rs"));
    assert!(main.contains(BINARY), "main.rs declares no `mod {BINARY};`");
    assert!(
        !lib.contains(BINARY),
        "lib.rs declares `{BINARY}`: it is the binary's module, not the library's"
    );
    // main.rs declares nothing of the library's: it reaches it as `statute::`.
    let library: BTreeSet<String> = modules(&src).into_iter().filter(|m| m != BINARY).collect();
    assert_eq!(
        lib, library,
        "lib.rs declares every library module, and only those"
    );
    assert!(
        main.is_disjoint(&library),
        "main.rs declares library modules: {main:?}"
    );
    let users: Vec<String> = graph(&src)
        .into_iter()
        .filter(|(a, uses)| a != BINARY && uses.contains_key(BINARY))
        .map(|(a, uses)| format!("{a}: {:?}", uses[BINARY]))
        .collect();
    assert!(users.is_empty(), "library modules using cli: {users:?}");
    // And the binary's module is seen using the library.
    let g = graph(&src);
    assert!(
        g.get(BINARY)
            .is_some_and(|u| u.contains_key("store") && u.contains_key("render")),
        "cli's uses of the library not seen: {:?}",
        g.get(BINARY)
    );
}

#[test]
fn module_declarations_are_read() {
    let text = "//! doc\npub mod a;\nmod b;\npub(crate) mod c;\n// mod d;\nmod e {\n";
    assert_eq!(declared(text), ["a", "b", "c"].map(String::from).into());
}
