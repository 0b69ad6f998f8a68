//! The library's one thread fan-out: a function over a slice on a few scoped threads, results
//! in input order.
//!
//! Workers take the next item from a shared counter, so uneven items (a long statute beside
//! short ones) still share out evenly; each result is put back at its item's place, so the
//! output is the same for any number of threads. The calling thread is one of the workers,
//! and one thread (or one item) runs everything there, spawning nothing.
//!
//! A panic in the function: [`map`] and [`map_with`] raise it again in the caller once every
//! worker has stopped (the others take no new item after it); [`try_map`] catches it per
//! item, as `None`, so that one bad input fails only itself.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The threads to use for `requested` (`0`: one per core, as the system reports them).
pub fn threads(requested: usize) -> usize {
    match requested {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
}

/// `f` over `items` on up to `threads` threads; results in input order. A panic in `f` is
/// raised again here.
pub fn map<T: Sync, R: Send>(items: &[T], threads: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    map_with(items, threads, (), || (), |(), item| f(item))
}

/// `f` over `items` on up to `threads` threads; results in input order. A panic in `f`
/// becomes `None` for that item; the other items go on.
pub fn try_map<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<Option<R>> {
    map(items, threads, |item| {
        std::panic::catch_unwind(AssertUnwindSafe(|| f(item))).ok()
    })
}

/// [`map`] with a state of each worker's own, passed to `f` with each item: `mine` for the
/// calling thread, `theirs()`, made on the worker's own thread, for each other one (a handle
/// that cannot cross threads, such as a repository opened again).
pub fn map_with<T: Sync, S, R: Send>(
    items: &[T],
    threads: usize,
    mine: S,
    theirs: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, &T) -> R + Sync,
) -> Vec<R> {
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        let mut state = mine;
        return items.iter().map(|item| f(&mut state, item)).collect();
    }
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let work = |state: &mut S| -> Vec<(usize, R)> {
        let mut out = Vec::new();
        while !stop.load(Ordering::Relaxed) {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(item) = items.get(i) else { break };
            match std::panic::catch_unwind(AssertUnwindSafe(|| f(state, item))) {
                Ok(r) => out.push((i, r)),
                Err(panic) => {
                    stop.store(true, Ordering::Relaxed);
                    std::panic::resume_unwind(panic);
                }
            }
        }
        out
    };
    let parts = std::thread::scope(|s| {
        let handles: Vec<_> = (1..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut state = theirs();
                    work(&mut state)
                })
            })
            .collect();
        let mut state = mine;
        // A panic in the caller's own share leaves the scope, which waits for the others
        // (stopped by `stop`) and raises it.
        let mut parts = vec![work(&mut state)];
        for h in handles {
            match h.join() {
                Ok(part) => parts.push(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        parts
    });
    let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    for (i, r) in parts.into_iter().flatten() {
        slots[i] = Some(r);
    }
    // Every item was taken by one worker, and a worker that stopped early panicked.
    slots.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_input_order_for_any_thread_count() {
        let items: Vec<u64> = (0..1000).collect();
        let want: Vec<u64> = items.iter().map(|x| x * x).collect();
        for threads in [0, 1, 2, 3, 8, 2000] {
            assert_eq!(map(&items, threads, |x| x * x), want, "{threads} threads");
        }
        assert!(map(&[] as &[u8], 4, |x| *x).is_empty());
    }

    #[test]
    fn a_panic_is_raised_in_the_caller() {
        let items: Vec<u32> = (0..200).collect();
        for threads in [1, 2, 4] {
            let r = std::panic::catch_unwind(|| {
                map(&items, threads, |&x| {
                    assert!(x != 150, "boom at {x}");
                    x
                })
            });
            let panic = r.expect_err("the panic comes back");
            let msg = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .unwrap_or("");
            assert!(msg.contains("boom at 150"), "{msg}");
        }
    }

    #[test]
    fn try_map_fails_only_the_item_that_panicked() {
        let items: Vec<u32> = (0..50).collect();
        for threads in [1, 3] {
            let r = try_map(&items, threads, |&x| {
                assert!(x % 10 != 7, "bad item");
                x + 1
            });
            for (x, r) in items.iter().zip(&r) {
                assert_eq!(*r, (x % 10 != 7).then_some(x + 1));
            }
        }
    }

    #[test]
    fn each_worker_has_its_own_state() {
        let items: Vec<usize> = (0..100).collect();
        let r = map_with(
            &items,
            3,
            0usize,
            || 0usize,
            |seen, &x| {
                *seen += 1;
                x
            },
        );
        assert_eq!(r, items);
        assert_eq!(threads(5), 5);
        assert!(threads(0) >= 1);
    }
}
