//! Per-layer work spread over scoped worker threads, with results returned in layer order so that the
//! output never depends on the thread count. Shared by the compat and the corrected model.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `job(0) … job(count − 1)`, in order. Runs on up to `threads` scoped workers (work shared through an
/// atomic counter) when there are at least `min_parallel` jobs; otherwise on the calling thread.
pub(crate) fn map_layers<T: Send>(
    count: usize,
    threads: usize,
    min_parallel: usize,
    job: impl Fn(usize) -> T + Sync,
) -> Vec<T> {
    let workers = threads.min(count);
    if workers <= 1 || count < min_parallel {
        return (0..count).map(job).collect();
    }
    let next = AtomicUsize::new(0);
    let worker = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            if index >= count {
                return done;
            }
            done.push((index, job(index)));
        }
    };
    let finished = crossbeam::scope(|scope| {
        let handles: Vec<_> = (0..workers).map(|_| scope.spawn(|_| worker())).collect();
        handles
            .into_iter()
            .filter_map(|handle| handle.join().ok())
            .collect::<Vec<_>>()
    });
    let mut slots: Vec<Option<T>> = (0..count).map(|_| None).collect();
    for (index, value) in finished.unwrap_or_default().into_iter().flatten() {
        slots[index] = Some(value);
    }
    // A worker only stops early by panicking; its layers are redone here, so the caller still gets every
    // result (or the same panic, deterministically).
    slots
        .into_iter()
        .enumerate()
        .map(|(index, slot)| slot.unwrap_or_else(|| job(index)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::map_layers;

    #[test]
    fn results_come_back_in_order_whatever_the_thread_count() {
        let serial = map_layers(37, 1, 1, |index| index * index);
        for threads in [2, 3, 8] {
            assert_eq!(map_layers(37, threads, 1, |index| index * index), serial);
        }
        assert_eq!(serial[6], 36);
    }
}
