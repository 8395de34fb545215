//! Work shared among scoped crossbeam workers with results in index order, so that a study's output
//! does not depend on the number of threads.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `job(0) … job(count − 1)`, computed by up to `threads` workers that claim `chunk` consecutive
/// indices at a time; `done(n)` is called (from a worker) after each chunk of `n` jobs. The results
/// are in index order whatever the threads and chunks.
pub fn ordered_map<T: Send>(
    count: usize,
    threads: usize,
    chunk: usize,
    job: impl Fn(usize) -> T + Sync,
    done: &(dyn Fn(u64) + Sync),
) -> Vec<T> {
    ordered_map_with(count, threads, chunk, || (), |(), index| job(index), done)
}

/// [`ordered_map`] with a scratch state per worker (made by `init`), which `job` may reuse from one
/// index to the next — e.g. an accelerator whose swept fields are overwritten at every point.
pub fn ordered_map_with<T: Send, S>(
    count: usize,
    threads: usize,
    chunk: usize,
    init: impl Fn() -> S + Sync,
    job: impl Fn(&mut S, usize) -> T + Sync,
    done: &(dyn Fn(u64) + Sync),
) -> Vec<T> {
    let chunk = chunk.max(1);
    let workers = threads.max(1).min(count.div_ceil(chunk));
    if workers <= 1 {
        let mut results = Vec::with_capacity(count);
        let mut state = init();
        for start in (0..count).step_by(chunk) {
            let end = (start + chunk).min(count);
            results.extend((start..end).map(|index| job(&mut state, index)));
            done((end - start) as u64);
        }
        return results;
    }
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut finished = Vec::new();
        let mut state = init();
        loop {
            let start = next.fetch_add(chunk, Ordering::Relaxed);
            if start >= count {
                return finished;
            }
            let end = (start + chunk).min(count);
            let values: Vec<T> = (start..end).map(|index| job(&mut state, index)).collect();
            finished.push((start, values));
            done((end - start) as u64);
        }
    };
    let batches = crossbeam::scope(|scope| {
        let handles: Vec<_> = (0..workers).map(|_| scope.spawn(|_| worker())).collect();
        handles
            .into_iter()
            .filter_map(|handle| handle.join().ok())
            .collect::<Vec<_>>()
    })
    .unwrap_or_default();
    let mut slots: Vec<Option<T>> = (0..count).map(|_| None).collect();
    for (start, values) in batches.into_iter().flatten() {
        for (offset, value) in values.into_iter().enumerate() {
            slots[start + offset] = Some(value);
        }
    }
    // A worker stops early only by panicking; its jobs are redone here so that every result exists.
    let mut state = init();
    slots
        .into_iter()
        .enumerate()
        .map(|(index, slot)| slot.unwrap_or_else(|| job(&mut state, index)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicU64;

    #[test]
    fn results_are_in_index_order_with_any_threads_and_chunks() {
        for threads in [1, 2, 3, 8] {
            for chunk in [1, 3, 100] {
                let progress = AtomicU64::new(0);
                let values = ordered_map(50, threads, chunk, |index| index * index, &|n| {
                    progress.fetch_add(n, Ordering::Relaxed);
                });
                assert_eq!(values, (0..50).map(|i| i * i).collect::<Vec<_>>());
                assert_eq!(progress.load(Ordering::Relaxed), 50);
            }
        }
    }
}
