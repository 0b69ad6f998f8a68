//! Opt-in memory trace of long store operations: with `STATUTE_TRACE_MEMORY` set, each phase
//! of an import or a `verify` prints the process's resident and peak memory to stderr (see
//! docs/benchmarks.md). Linux only; silent elsewhere and when unset.

use std::sync::OnceLock;

/// When the trace began (the first phase asked about).
fn start() -> std::time::Instant {
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    *START.get_or_init(std::time::Instant::now)
}

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("STATUTE_TRACE_MEMORY").is_some())
}

/// Prints `phase`, the resident set and its peak so far, in MiB.
pub(crate) fn mark(phase: &str) {
    if !enabled() {
        return;
    }
    start();
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return;
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb / 1024)
    };
    eprintln!(
        "memory: {:.1} s {phase}: {} MiB resident ({} MiB anonymous, {} MiB of mapped files), {} MiB peak",
        start().elapsed().as_secs_f64(),
        field("VmRSS:"),
        field("RssAnon:"),
        field("RssFile:"),
        field("VmHWM:")
    );
}
