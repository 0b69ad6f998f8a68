//! The command line's arguments: the clap types of every subcommand and option.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use statute::model::Date;

#[derive(Parser)]
#[command(
    name = "statute",
    version,
    about = "Versions, alignment and amendments of Chinese statutes"
)]
pub struct Cli {
    /// The version store (a git repository). Default: $STATUTE_STORE, else ./statute-store.
    #[arg(long, global = true, value_name = "DIR")]
    pub store: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// True for the commands that go through a whole store (or a whole corpus), allocating
    /// and freeing gigabytes over minutes: their peak memory depends on freed memory going
    /// back to the system soon.
    pub fn sweeps_the_store(&self) -> bool {
        matches!(
            self.command,
            Command::Import { .. }
                | Command::Merge { .. }
                | Command::Verify
                | Command::Reindex
                | Command::Feed { .. }
        )
    }
}

#[derive(Subcommand)]
pub enum Command {
    /// Parse one version and print it in canonical Markdown or as JSON (statute-doc/1).
    Parse {
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = ParseFormat::Md)]
        format: ParseFormat,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Compare two versions: which articles were added, deleted, modified, renumbered, moved,
    /// split or merged. Exit code 0: no substantive change; 1: substantive changes.
    ///
    /// `diff OLD NEW` with two existing files compares the files; otherwise
    /// `diff STATUTE [FROM [TO]]` compares stored versions (default: the last amendment).
    Diff {
        #[arg(required = true, num_args = 1..=3, value_name = "OLD NEW | STATUTE [FROM [TO]]")]
        args: Vec<PathBuf>,
        #[command(flatten)]
        review: ReviewArgs,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Apply an amending act (修改决定, 修正案, or one statute's part of an omnibus act) to a
    /// version: BASE is a version file or STATUTE[@VERSION] in the store. Writes the
    /// consolidated version in canonical form (standard output or -o), the report on
    /// standard error. Exit code 0: every instruction applied; 1: some were not (nothing
    /// written unless --partial), or --check found differences.
    Apply {
        base: PathBuf,
        act: PathBuf,
        /// Write the consolidated version to FILE instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
        /// The report on standard error: text, or statute-apply/1 JSON.
        #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
        report: ReportFormat,
        /// Compare the result with an official consolidated text and name the instruction
        /// behind each difference (or none: a change the act does not authorise).
        #[arg(long, value_name = "OFFICIAL")]
        check: Option<PathBuf>,
        /// Write the result even when some instructions were not applied.
        #[arg(long)]
        partial: bool,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Report numbering gaps, duplicates, out-of-order articles and stray items, with file:line.
    Check {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// Print only the anomalies, not a summary line per file.
        #[arg(long, short)]
        quiet: bool,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Create the version store (a bare git repository with HEAD on main).
    Init,
    /// Import version files or directories of them (files named YYYY-MM-DD.md under
    /// directories). Exit code 2 when some file failed; the others are imported.
    ///
    /// With --act ACT: apply an amending act to the stored statutes it names (each part of
    /// an omnibus act to its statute, all or nothing) and record each result as the version
    /// of the act's date, naming the act; where that version is stored already (the official
    /// text), compare the two instead. Exit code 1 when some instruction did not apply
    /// (nothing is stored) or the official text differs.
    Import {
        #[arg(required_unless_present = "act", conflicts_with = "act")]
        paths: Vec<PathBuf>,
        /// An amending act to apply to the store.
        #[arg(long, value_name = "ACT", conflicts_with_all = ["title", "date", "status"])]
        act: Option<PathBuf>,
        /// Use this title for every file.
        #[arg(long)]
        title: Option<String>,
        /// Use this version date (YYYY-MM-DD) for every file.
        #[arg(long, value_parser = parse_date)]
        date: Option<Date>,
        /// Use this status (时效性) for every file, e.g. 已废止 to record a repeal.
        #[arg(long)]
        status: Option<String>,
        #[command(flatten)]
        read: ReadArgs,
    },
    /// Merge another store's versions into this one (a store on this machine: clone a shared
    /// one first, e.g. `git clone --mirror URL DIR`). The result is what importing both
    /// stores' files into one store gives.
    Merge {
        /// The other store's directory.
        other: PathBuf,
    },
    /// Check the store: objects, refs, date order, files, trailers, tags, catalog, and whether
    /// its derived data is this build's. Exit 1 on problems or stale derived data.
    Verify,
    /// Recompute every version's derived data (canonical file, summary trailers) with this
    /// build, rewrite the histories where it differs, and record the derived-data stamp.
    Reindex,
    /// List the stored statutes whose title contains FILTER.
    List { filter: Option<String> },
    /// The versions of a statute with their amendment summaries, newest first.
    Log { statute: String },
    /// Print a stored version's canonical text (STATUTE[@VERSION], latest by default).
    Show {
        statute: String,
        /// The version in force on this date (by effective date when known).
        #[arg(long, value_parser = parse_date, conflicts_with = "version")]
        at: Option<Date>,
        /// Same as STATUTE@VERSION.
        #[arg(long)]
        version: Option<String>,
    },
    /// One article through every version, following renumbering, splits and merges.
    History { statute: String, article: String },
    /// For each article of a version, the version that last changed it substantively.
    Blame { statute: String },
    /// A version's citations of articles (its own and other statutes'), each resolved to the
    /// cited statute's version in force at the version's date and followed to its latest
    /// version. Exit code 1 when a listed citation is stale.
    Refs {
        /// STATUTE or STATUTE@VERSION (latest by default).
        statute: String,
        /// Only the citations that no longer point where they pointed (renumbered, split,
        /// merged, deleted).
        #[arg(long)]
        stale: bool,
        /// Compare with each cited statute's version in force on this date, not its latest.
        #[arg(long, value_parser = parse_date)]
        at: Option<Date>,
        #[arg(long, value_enum, default_value_t = RefsFormat::Text)]
        format: RefsFormat,
    },
    /// The stored statutes that cite STATUTE (or one ARTICLE of it, through any of its past
    /// numbers), in which version, and whether each citation is still right. Exit code 1 when
    /// a listed citation is stale.
    Cites {
        /// STATUTE or STATUTE@VERSION (the version ARTICLE is numbered in; latest by default).
        statute: String,
        /// The article: 第七十一条, 71, 10之1.
        article: Option<String>,
        /// Only the citations that no longer point where they pointed.
        #[arg(long)]
        stale: bool,
        /// Compare with the version in force on this date, not the latest.
        #[arg(long, value_parser = parse_date)]
        at: Option<Date>,
        #[arg(long, value_enum, default_value_t = RefsFormat::Text)]
        format: RefsFormat,
    },
    /// The change feed: one event per stored version (enacted, amended, revised, corrected,
    /// repealed) with its changes and article lineage ids, in cursor order.
    Feed {
        /// Only events after this cursor (as events carry it: DATE/STATUTE-ID/N), or with a
        /// version date on or after this date (YYYY-MM-DD).
        #[arg(long, value_name = "CURSOR|DATE")]
        since: Option<String>,
        /// Only this statute (id or unique part of the title); repeatable.
        #[arg(long, value_name = "NAME")]
        statute: Vec<String>,
        /// jsonl: one statute-feed/1 event a line; json: one array; atom: an Atom feed.
        #[arg(long, value_enum, default_value_t = FeedFormat::Jsonl)]
        format: FeedFormat,
        /// At most N events: with --since the first N after it, else the latest N.
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
    },
    /// Browse the store in the terminal: statutes, versions, amendments, article histories.
    Browse,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RefsFormat {
    /// One line per citation.
    Text,
    /// One statute-refs/1 document.
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FeedFormat {
    Jsonl,
    Json,
    Atom,
}

/// How `statute diff` presents the amendment.
#[derive(clap::Args)]
pub struct ReviewArgs {
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Colour in the terminal output: auto (when writing to a terminal and NO_COLOR is
    /// unset), always, never. Without colour, deletions and insertions are marked
    /// [-like this-] and {+like this+}.
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// Old text on the left, new text on the right, wrapped to the terminal width.
    #[arg(long, short = 's')]
    pub side_by_side: bool,
    /// Display columns no line of the text review exceeds, side by side or inline (default:
    /// the terminal's width; into a pipe or file, lines are not wrapped and --side-by-side
    /// takes 100).
    #[arg(long)]
    pub width: Option<usize>,
    /// Show N unchanged articles around each change.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub context: usize,
    /// Include unchanged articles.
    #[arg(long)]
    pub all: bool,
    /// Show only these kinds: modified, formal, added, deleted, split, merged, renumbered,
    /// moved, unchanged (or 修改, 形式修改, 新增, 删除, 拆分, 合并, 条序变化, 移动, 未变).
    #[arg(long, value_delimiter = ',', value_name = "KIND,...")]
    pub only: Vec<String>,
    /// Show only the entry holding this article, old or new (第十条, 10, 10之一).
    #[arg(long, value_name = "LABEL")]
    pub article: Option<String>,
    /// Show only articles under a heading containing this text (第二章, 法律责任).
    #[arg(long, value_name = "LABEL")]
    pub chapter: Option<String>,
    /// Never page the terminal output through $PAGER.
    #[arg(long)]
    pub no_pager: bool,
    /// Layout of --format docx (only): the comparison table (default), or the whole text
    /// with every change as a Word tracked change (accepting all gives the new version,
    /// rejecting all the old one).
    #[arg(long, value_enum, value_name = "LAYOUT")]
    pub docx_layout: Option<DocxLayout>,
    /// With --docx-layout redline: only the changed articles. By default a redline holds
    /// every article and every line outside them, so that accepting every change gives the
    /// new version and rejecting every change the old one.
    #[arg(long)]
    pub changed_only: bool,
    /// Write to FILE instead of standard output (needed for docx on a terminal).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// How version files are read (the commands that read them).
#[derive(clap::Args, Clone, Copy)]
pub struct ReadArgs {
    /// Tracked changes in a Word (.docx) input: read as accepted (the text after "Accept all
    /// changes") or rejected (the text before them).
    #[arg(long, value_enum, value_name = "HOW", default_value_t = DocxChanges::Accept)]
    pub docx_changes: DocxChanges,
}

impl ReadArgs {
    /// The library's options.
    pub fn options(self) -> statute::parse::ReadOptions {
        statute::parse::ReadOptions {
            docx_changes: match self.docx_changes {
                DocxChanges::Accept => statute::parse::docx::TrackedChanges::Accept,
                DocxChanges::Reject => statute::parse::docx::TrackedChanges::Reject,
            },
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocxChanges {
    Accept,
    Reject,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocxLayout {
    Table,
    Redline,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    /// The terminal review: summary, then each change with highlighting.
    Text,
    /// statute-diff/1, one JSON object (complete: filters do not apply).
    Json,
    /// 新旧条文对照表 as a Markdown table.
    Table,
    /// 新旧条文对照表 as one self-contained, printable HTML page.
    Html,
    /// The review in Markdown.
    Markdown,
    /// A draft 修改决定 (amending decision).
    Decision,
    /// Word: the comparison table, or with --docx-layout redline tracked changes.
    Docx,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ParseFormat {
    Md,
    Json,
}

/// Reads a `--date`/`--at` value.
fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse_iso(s).ok_or_else(|| format!("“{s}” is not a YYYY-MM-DD date"))
}
