//! The `statute` binary: start-up and exit codes. The commands are in `cli`, a module of the
//! binary only, which calls into the library.
//!
//! Exit codes: 0 nothing found, 1 something found (anomalies, substantive changes, store
//! problems), 2 error (including an import in which some file failed).
//! A closed pipe (`statute parse x | head`) ends quietly with 0.

mod cli;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (mimalloc.h); its Rust bindings leave the experimental
/// options unnamed and document passing their numbers.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tells mimalloc when to purge freed memory (return it to the OS), unless the user set
/// `MIMALLOC_PURGE_DELAY`: once it has been free for a second for most commands, which are
/// short-lived or small (the browser holds a few megabytes), since a purge is a system call:
/// with mimalloc's default of 10 ms a large diff made about 260 of them, a tenth of its run
/// time, for memory the process was about to give back by exiting. The commands that sweep a
/// whole store keep the default of 10 ms: at a second a 100× import peaked at 0.90–0.93 GB,
/// at 10 ms at 0.80 GB, for about 16 s more system time (of 230–290 s). (Never purging, as before either, made an import of
/// 100× the corpus keep 5 GB resident for about 0.6 GB in use.)
fn keep_freed_memory(long_running: bool) {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        let delay = if long_running {
            SWEEP_PURGE_DELAY_MS
        } else {
            PURGE_DELAY_MS
        };
        // SAFETY: called in `main` before any thread is started (the setter is not
        // thread-safe); the option number is checked against mimalloc's default by the test
        // below.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, delay) };
    }
}

/// How long freed memory stays with the process before mimalloc returns it.
const PURGE_DELAY_MS: std::ffi::c_long = 1000;

/// The same for the commands that sweep a store ([`cli::Cli::sweeps_the_store`]).
const SWEEP_PURGE_DELAY_MS: std::ffi::c_long = 10;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    keep_freed_memory(args.sweeps_the_store());
    match cli::run(args) {
        Ok(cli::Outcome::Clean) => ExitCode::SUCCESS,
        Ok(cli::Outcome::Found) => ExitCode::from(1),
        Err(e) if cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => match e.downcast_ref::<cli::ExitError>() {
            Some(cli::ExitError(code)) => ExitCode::from(*code),
            None => {
                // When stderr cannot be written the message is lost; the exit code still tells.
                let _ = writeln!(std::io::stderr(), "statute: {}", cli::one_line(&e));
                ExitCode::from(2)
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::MI_OPTION_PURGE_DELAY;

    #[test]
    fn the_purge_delay_option_number_names_the_purge_delay() {
        // mimalloc's default purge delay is 1000 ms (v3) or 10 ms (v2); the options around
        // it (a deprecated eager-commit delay, the NUMA node count) default to 0 or 1. A
        // mimalloc that renumbered its options fails here instead of being misconfigured.
        // SAFETY: the only test of this binary, so no other thread uses mimalloc's options.
        let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert!(
            delay == 1000 || delay == 10,
            "option {MI_OPTION_PURGE_DELAY} is {delay}: not mimalloc's purge delay"
        );
    }
}
