//! The commands on version files: `statute parse` and `statute check`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

use statute::model::{Node, Statute, UnitNum};
use statute::{check, parse, render};

use super::Outcome;
use super::args::ParseFormat;

/// `statute parse FILE`: the canonical Markdown or statute-doc/1 JSON.
pub fn parse(
    file: &Path,
    format: ParseFormat,
    read: &parse::ReadOptions,
    out: &mut impl Write,
) -> anyhow::Result<Outcome> {
    let parsed = parse::parse_file_with(file, read)?;
    print_warnings(file, &parsed);
    match format {
        ParseFormat::Md => parse::canonical::write(&parsed.statute, out),
        ParseFormat::Json => render::json::write(&parsed, file, out),
    }
    .context("writing output")?;
    Ok(Outcome::Clean)
}

/// `statute check FILES`: each file's anomalies, with a summary line per file unless `quiet`.
pub fn check(
    files: &[PathBuf],
    quiet: bool,
    read: &parse::ReadOptions,
    out: &mut impl Write,
) -> anyhow::Result<Outcome> {
    let mut found = false;
    let mut failed = 0usize;
    for file in files {
        let parsed = match parse::parse_file_with(file, read) {
            Ok(p) => p,
            Err(e) => {
                say!("statute: {e}");
                failed += 1;
                continue;
            }
        };
        print_warnings(file, &parsed);
        let findings = check::check(&parsed.statute);
        if !quiet {
            writeln!(
                out,
                "{}: {} ({} format), {}, {} anomal{}",
                file.display(),
                parsed.statute.meta.title,
                parsed.format.as_str(),
                shape(&parsed.statute),
                findings.len(),
                if findings.len() == 1 { "y" } else { "ies" }
            )?;
        }
        for f in &findings {
            writeln!(out, "{}:{}", file.display(), f)?;
        }
        found |= !findings.is_empty();
    }
    if failed > 0 {
        anyhow::bail!("{failed} of {} files could not be parsed", files.len());
    }
    Ok(if found {
        Outcome::Found
    } else {
        Outcome::Clean
    })
}

/// What the parser noticed in a file, on standard error.
pub fn print_warnings(path: &Path, parsed: &parse::Parsed) {
    for w in &parsed.warnings {
        say!("{}", w.display(path));
    }
}

/// "51 articles in 9 chapters".
fn shape(s: &Statute) -> String {
    fn divisions(nodes: &[Node]) -> usize {
        nodes
            .iter()
            .map(|n| match n {
                Node::Division(d) => 1 + divisions(&d.children),
                _ => 0,
            })
            .sum()
    }
    let units = s.articles();
    let kind = match units.first().map(|a| a.article.num) {
        Some(UnitNum::Point(_)) => "points",
        Some(UnitNum::Position(_)) => "paragraphs",
        _ => "articles",
    };
    format!(
        "{} {kind}, {} headings, {} annexes",
        units.len(),
        divisions(&s.body.nodes),
        s.body.annexes.len()
    )
}
