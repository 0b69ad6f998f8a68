//! Applying amending acts (issue 22): the draft decision of every consecutive corpus pair and
//! of the mutation benchmark, read back and applied to the old version, gives the new one with
//! no substantive difference; fixtures for each instruction form give their expected text.

use statute::amend::{ActInfo, Status, apply, parse_act};
use statute::diff::{ChangeSet, diff};
use statute::model::Statute;
use statute::parse::{canonical, parse_str};
use statute::render::decision;
use statute::render::select::{Filter, select};

use statute_eval::corpus::STATUTES;
use statute_eval::{Corpus, generate};

use crate::common::{corpus, load, md_files, statute_dirs};

fn draft(cs: &ChangeSet) -> String {
    let mut out = Vec::new();
    decision::write(cs, &select(cs, &Filter::default()), &mut out).expect("write");
    String::from_utf8(out).expect("utf-8")
}

/// The old version with its draft applied, written in canonical form and read back (what
/// `statute apply` writes), or why not.
fn round_trip(old: &Statute, new: &Statute) -> Result<(), String> {
    let cs = diff(old, new);
    let text = draft(&cs);
    let act = parse_act(&text);
    let Some(part) = act.parts.first() else {
        return Err("the draft has no part".into());
    };
    let applied = apply(old, part, &ActInfo::default());
    let failed: Vec<String> = applied
        .outcomes
        .iter()
        .filter(|o| o.status != Status::Applied)
        .map(|o| {
            format!(
                "{} {}: {}",
                o.status.as_str(),
                o.detail.as_deref().unwrap_or(""),
                o.text.chars().take(60).collect::<String>()
            )
        })
        .collect();
    let written = canonical::to_string(&applied.statute);
    let result = parse_str(std::path::Path::new("applied.md"), &written)
        .map_err(|e| e.to_string())?
        .statute;
    let check = diff(&result, new);
    if failed.is_empty() && !check.has_substantive_changes() {
        return Ok(());
    }
    // STATUTE_APPLY_DUMP=DIR keeps the draft and the result of a pair that fails, to run
    // `statute diff` on.
    if let Some(d) = std::env::var_os("STATUTE_APPLY_DUMP") {
        let d = std::path::PathBuf::from(d);
        let name = format!(
            "{}-{}",
            new.meta.title,
            new.meta
                .version_date
                .map(|d| d.to_string())
                .unwrap_or_default()
        );
        let _ = std::fs::create_dir_all(&d);
        let _ = std::fs::write(d.join(format!("{name}.decision.txt")), &text);
        let _ = std::fs::write(d.join(format!("{name}.applied.md")), &written);
    }
    Err(format!(
        "{}; result vs new: {}",
        failed.join(" | "),
        check.summary_line()
    ))
}

#[test]
fn drafts_of_corpus_pairs_apply_back() {
    let Some(dir) = corpus() else { return };
    let mut total = 0;
    let mut failures = Vec::new();
    for d in statute_dirs(&dir) {
        let files = md_files(&d);
        for w in files.windows(2) {
            total += 1;
            let (old, new) = (load(&w[0]), load(&w[1]));
            if let Err(why) = round_trip(&old, &new) {
                failures.push(format!(
                    "{} {}: {why}",
                    d.file_name().unwrap_or_default().to_string_lossy(),
                    w[1].file_stem().unwrap_or_default().to_string_lossy()
                ));
            }
        }
    }
    let ok = total - failures.len();
    eprintln!(
        "apply(old, decision(old, new)) = new: {ok} of {total} corpus pairs ({:.1}%)",
        100.0 * ok as f64 / total.max(1) as f64
    );
    for f in &failures {
        eprintln!("  {f}");
    }
    assert!(
        ok * 100 >= total * 99,
        "{} of {total} pairs do not round-trip",
        failures.len()
    );
}

#[test]
fn drafts_of_mutation_pairs_apply_back() {
    let Some(dir) = corpus() else { return };
    let c = Corpus::load(&dir, STATUTES);
    let n: usize = std::env::var("STATUTE_APPLY_PAIRS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let mut failures = Vec::new();
    for i in 0..n {
        let p = generate(&c, i).unwrap_or_else(|e| panic!("{e}"));
        let Some(old) = p.old(&c) else { continue };
        if let Err(why) = round_trip(old, &p.new) {
            failures.push(format!("pair {i} ({}): {why}", p.log.join(", ")));
        }
    }
    let ok = n - failures.len();
    eprintln!(
        "apply(old, decision(old, new)) = new: {ok} of {n} mutation pairs ({:.1}%)",
        100.0 * ok as f64 / n.max(1) as f64
    );
    for f in failures.iter().take(40) {
        eprintln!("  {f}");
    }
    assert!(
        ok * 100 >= n * 99,
        "{} of {n} mutation pairs do not round-trip",
        failures.len()
    );
}
