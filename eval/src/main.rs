//! `statute-eval`: the mutation benchmark from the command line. `pairs` writes generated
//! pairs (new version, truth, and the corpus file of the old version) to a directory; `score`
//! runs the benchmark and prints the score table the `mutation` test prints; `scale` writes a
//! corpus several times the size of the shared one for the store's scale benchmark.

use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use statute_eval::corpus::{self, STATUTES};
use statute_eval::scale::{self, ScaleOptions};
use statute_eval::{Corpus, DEFAULT_PAIRS, Score, Timings, generate};

const USAGE: &str = "\
usage: statute-eval pairs [--count N] [--out DIR] [--corpus DIR]
       statute-eval score [--count N] [--show N] [--corpus DIR]
       statute-eval lexicon [--out FILE] [--corpus DIR]
       statute-eval scale --factor N [--amend-every M] [--amendments A] [--out DIR] [--corpus DIR]

pairs   writes pair i to DIR/iiii/: source.txt (the corpus file of the old version),
        new.md (the generated new version) and truth.json (per new unit its truth, the
        deleted old units, the moved new units and the mutation log); DIR defaults to
        statute-eval-pairs
score   diffs the pairs and prints the score table; exit status 1 when a metric is below
        its target or an entry list breaks the coverage invariant
lexicon writes the compact legal lexicon (jieba's words the corpus uses, with their counts)
        to FILE (default data/lexicon.txt), which the statute crate embeds for drafting
scale   writes a corpus N times the size of multi/ and single/ to DIR (default
        statute-eval-scale; refused when not empty): DIR/k000 the corpus as is, DIR/kKKK
        copy K with every title marked （第K辑）, a statute in every M (default 10) of each
        copy with A (default 3) synthetic amendments a year apart after its latest version;
        prints files, statutes, synthetic versions and bytes

--count N     pairs to generate (default 400)
--show N      wrong pairs listed by score (default 10)
--factor N         copies of the corpus (scale)
--amend-every M    one statute in M gets synthetic amendments, 0 for none (scale)
--amendments A     synthetic versions per amended statute (scale)
--corpus DIR  the shared corpus (default: $STATUTE_CORPUS, else ../shared/corpus beside the
              workspace)";

/// What to do.
#[derive(Debug, PartialEq)]
enum Command {
    Help,
    Pairs { out: PathBuf },
    Score { show: usize },
    Lexicon { out: PathBuf },
    Scale { out: PathBuf, opts: ScaleOptions },
}

#[derive(Debug, PartialEq)]
struct Args {
    command: Command,
    count: usize,
    corpus: Option<PathBuf>,
}

fn number(name: &str, value: OsString) -> Result<usize, String> {
    value
        .to_str()
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("{name} wants a number, not {:?}", value.to_string_lossy()))
}

fn parse_args(mut args: impl Iterator<Item = OsString>) -> Result<Args, String> {
    let command = match args.next() {
        None => return Err("no command (pairs, score, lexicon or scale); --help for usage".into()),
        Some(c) if c == "-h" || c == "--help" || c == "help" => {
            return Ok(Args {
                command: Command::Help,
                count: DEFAULT_PAIRS,
                corpus: None,
            });
        }
        Some(c) if c == "pairs" || c == "score" || c == "lexicon" || c == "scale" => c,
        Some(c) => {
            return Err(format!(
                "unknown command {:?} (pairs, score, lexicon or scale)",
                c.to_string_lossy()
            ));
        }
    };
    let mut count = DEFAULT_PAIRS;
    let mut out = None;
    let mut show = None;
    let mut corpus = None;
    let mut factor = None;
    let mut opts = ScaleOptions::default();
    while let Some(arg) = args.next() {
        let text = arg.to_string_lossy().into_owned();
        if text == "-h" || text == "--help" {
            return Ok(Args {
                command: Command::Help,
                count,
                corpus,
            });
        }
        // --name value, or --name=value
        let (name, inline) = match text.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(OsString::from(v))),
            _ => (text, None),
        };
        let known = match name.as_str() {
            "--corpus" => true,
            "--count" => command != "scale",
            "--out" => command != "score",
            "--show" => command == "score",
            "--factor" | "--amend-every" | "--amendments" => command == "scale",
            _ => false,
        };
        if !known {
            return Err(format!(
                "unknown argument {name:?} for {}; --help for usage",
                command.to_string_lossy()
            ));
        }
        let Some(value) = inline.or_else(|| args.next()) else {
            return Err(format!("{name} wants a value"));
        };
        match name.as_str() {
            "--count" => count = number("--count", value)?,
            "--show" => show = Some(number("--show", value)?),
            "--out" => out = Some(PathBuf::from(value)),
            "--factor" => factor = Some(number("--factor", value)?),
            "--amend-every" => opts.amend_every = number("--amend-every", value)?,
            "--amendments" => opts.amendments = number("--amendments", value)?,
            _ => corpus = Some(PathBuf::from(value)),
        }
    }
    let command = if command == "pairs" {
        Command::Pairs {
            out: out.unwrap_or_else(|| PathBuf::from("statute-eval-pairs")),
        }
    } else if command == "scale" {
        opts.factor = match factor {
            Some(0) => return Err("--factor wants 1 or more".into()),
            Some(n) => n,
            None => return Err("scale wants --factor N".into()),
        };
        Command::Scale {
            out: out.unwrap_or_else(|| PathBuf::from("statute-eval-scale")),
            opts,
        }
    } else if command == "lexicon" {
        Command::Lexicon {
            out: out.unwrap_or_else(|| PathBuf::from("data/lexicon.txt")),
        }
    } else {
        Command::Score {
            show: show.unwrap_or(10),
        }
    };
    Ok(Args {
        command,
        count,
        corpus,
    })
}

/// The corpus directory named on the command line or found by default.
fn corpus_dir(given: Option<PathBuf>) -> Result<PathBuf, String> {
    let dir = match given {
        Some(d) => d,
        None => corpus::find().map_err(|d| {
            format!(
                "corpus not found at {} (set STATUTE_CORPUS or pass --corpus)",
                d.display()
            )
        })?,
    };
    if dir.join("multi").is_dir() {
        Ok(dir)
    } else {
        Err(format!(
            "{}: not a corpus (no multi/ folder)",
            dir.display()
        ))
    }
}

fn load(dir: &Path) -> Result<Corpus, String> {
    let c = Corpus::load(dir, STATUTES);
    if c.sources.is_empty() {
        return Err(format!("{}: no statute qualifies", dir.display()));
    }
    Ok(c)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn pairs(dir: &Path, count: usize, out: &Path) -> Result<(), String> {
    let c = load(dir)?;
    for i in 0..count {
        let p = generate(&c, i).map_err(|e| e.to_string())?;
        let d = out.join(format!("{i:04}"));
        std::fs::create_dir_all(&d).map_err(|e| format!("cannot create {}: {e}", d.display()))?;
        let source = p
            .source(&c)
            .map(|s| s.path.clone())
            .ok_or_else(|| format!("pair {i}: no source"))?;
        let source = std::fs::canonicalize(&source).unwrap_or(source);
        write(
            &d.join("source.txt"),
            format!("{}\n", source.display()).as_bytes(),
        )?;
        write(&d.join("new.md"), p.text.as_bytes())?;
        // A re-formatted old side is the pair's own: write it (a corpus file is named).
        if let Some(old) = &p.old {
            write(
                &d.join("old.md"),
                statute::parse::canonical::to_string(old).as_bytes(),
            )?;
        }
        let json = serde_json::to_string_pretty(&p.truth_json(&c))
            .map_err(|e| format!("pair {i}: truth.json: {e}"))?;
        write(&d.join("truth.json"), format!("{json}\n").as_bytes())?;
    }
    eprintln!("wrote {count} pairs to {}", out.display());
    Ok(())
}

/// Runs the benchmark; `Ok(false)` when it fell short of a target.
fn score(dir: &Path, count: usize, show: usize) -> Result<bool, String> {
    let start = Instant::now();
    let c = load(dir)?;
    let loaded = start.elapsed();
    let pairs = (0..count)
        .map(|i| generate(&c, i))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| e.to_string())?;
    let generated = start.elapsed();
    let mut score = Score::new(None);
    for p in &pairs {
        let (Some(source), Some(old)) = (p.source(&c), p.old(&c)) else {
            return Err(format!("pair {}: no source", p.index));
        };
        let cs = statute::diff::diff(old, &p.new);
        score.add(source, p, &cs);
    }
    let timings = Timings {
        load: loaded,
        generate: generated - loaded,
        diff: start.elapsed() - generated,
    };
    let report = score.report(&c, &timings, show);
    let mut stdout = io::stdout().lock();
    match stdout
        .write_all(report.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {}
        Err(e) => return Err(format!("writing the report: {e}")),
    }
    let mut ok = true;
    let cov = score.coverage_problems();
    if !cov.is_empty() {
        eprintln!(
            "statute-eval: coverage invariant broken in {} pairs, first: {}",
            cov.len(),
            cov[0]
        );
        ok = false;
    }
    let below = score.metrics().below_target();
    if !below.is_empty() {
        eprintln!("statute-eval: below target: {}", below.join(", "));
        ok = false;
    }
    Ok(ok)
}

fn run(args: Args) -> Result<bool, String> {
    match args.command {
        Command::Help => {
            println!("{USAGE}");
            Ok(true)
        }
        Command::Pairs { out } => pairs(&corpus_dir(args.corpus)?, args.count, &out).map(|()| true),
        Command::Score { show } => score(&corpus_dir(args.corpus)?, args.count, show),
        Command::Lexicon { out } => {
            let text = statute_eval::lexicon::build(&corpus_dir(args.corpus)?);
            write(&out, text.as_bytes())?;
            eprintln!("wrote {} words to {}", text.lines().count(), out.display());
            Ok(true)
        }
        Command::Scale { out, opts } => {
            let stats = scale::generate(&corpus_dir(args.corpus)?, &opts, &out)
                .map_err(|e| format!("scale: {e}"))?;
            println!("{} (in {})", stats.summary(), out.display());
            Ok(true)
        }
    }
}

fn main() -> ExitCode {
    match parse_args(std::env::args_os().skip(1)).and_then(run) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("statute-eval: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Args, String> {
        parse_args(args.iter().map(OsString::from))
    }

    #[test]
    fn commands_and_options() {
        assert_eq!(
            parse(&["pairs", "--count", "3", "--out=x"]),
            Ok(Args {
                command: Command::Pairs { out: "x".into() },
                count: 3,
                corpus: None,
            })
        );
        assert_eq!(
            parse(&["score", "--show", "2", "--corpus", "c"]),
            Ok(Args {
                command: Command::Score { show: 2 },
                count: DEFAULT_PAIRS,
                corpus: Some("c".into()),
            })
        );
        assert_eq!(
            parse(&["pairs"]).map(|a| a.command),
            Ok(Command::Pairs {
                out: "statute-eval-pairs".into()
            })
        );
        assert_eq!(
            parse(&["scale", "--factor", "10", "--amend-every=5", "--out", "s"]).map(|a| a.command),
            Ok(Command::Scale {
                out: "s".into(),
                opts: ScaleOptions {
                    factor: 10,
                    amend_every: 5,
                    ..ScaleOptions::default()
                }
            })
        );
        assert_eq!(
            parse(&["scale", "--factor", "2", "--amendments", "0"]).map(|a| a.command),
            Ok(Command::Scale {
                out: "statute-eval-scale".into(),
                opts: ScaleOptions {
                    factor: 2,
                    amendments: 0,
                    ..ScaleOptions::default()
                }
            })
        );
        assert_eq!(parse(&["--help"]).map(|a| a.command), Ok(Command::Help));
        assert_eq!(
            parse(&["score", "-h"]).map(|a| a.command),
            Ok(Command::Help)
        );
    }

    #[test]
    fn bad_arguments_are_one_line_errors() {
        for args in [
            &[][..],
            &["frobnicate"],
            &["pairs", "--count"],
            &["pairs", "--count", "many"],
            &["pairs", "--count", "-1"],
            &["pairs", "--show", "3"],
            &["score", "--out", "x"],
            &["score", "extra"],
            &["scale"],
            &["scale", "--factor", "0"],
            &["scale", "--factor", "2", "--count", "3"],
            &["pairs", "--factor", "2"],
        ] {
            let e = parse(args).expect_err("bad arguments are refused");
            assert!(!e.is_empty() && !e.contains('\n'), "{args:?}: {e}");
        }
    }
}
