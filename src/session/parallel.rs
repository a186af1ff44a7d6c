//! Spreading independent, CPU-bound work (parsing workflows, loading
//! recordings) over threads, with results in input order so that what is
//! printed does not depend on which thread finished first.

use std::sync::Mutex;

/// The number of threads worth using for CPU-bound work.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Maps `f` over `items` on up to `threads` threads; the results keep the
/// items' order. A panic in `f` propagates to the caller.
pub fn map_in_order<T: Send, R: Send>(items: Vec<T>, threads: usize, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let threads = threads.clamp(1, items.len().max(1));
    if threads == 1 {
        return items.into_iter().map(f).collect();
    }
    let n = items.len();
    let queue = Mutex::new(items.into_iter().enumerate());
    let results: Mutex<Vec<Option<R>>> = Mutex::new((0..n).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    // The guard is dropped at the end of this statement:
                    // other threads take items while this one works.
                    let next = queue.lock().unwrap_or_else(|e| e.into_inner()).next();
                    let Some((i, item)) = next else { break };
                    let result = f(item);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|r| r.expect("every item was mapped"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_input_order_whatever_the_threads() {
        let items: Vec<u64> = (0..200).collect();
        for threads in [1, 2, 3, 8, 500] {
            // Uneven work, so that threads finish out of order.
            let out = map_in_order(items.clone(), threads, |i| {
                std::thread::sleep(std::time::Duration::from_micros((i * 7919) % 50));
                i * 2
            });
            assert_eq!(
                out,
                items.iter().map(|i| i * 2).collect::<Vec<_>>(),
                "{threads} threads"
            );
        }
        assert!(map_in_order(Vec::<u8>::new(), 4, |i| i).is_empty());
    }

    #[test]
    fn every_thread_takes_work() {
        let seen = Mutex::new(std::collections::HashSet::new());
        map_in_order((0..64).collect(), 4, |_: i32| {
            seen.lock().unwrap().insert(std::thread::current().id());
            std::thread::sleep(std::time::Duration::from_millis(2));
        });
        assert!(seen.into_inner().unwrap().len() > 1);
    }
}
