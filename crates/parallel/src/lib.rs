//! Work shared among scoped worker threads with results in index order, so that no output of the
//! engines or the studies depends on the number of threads. One implementation for every crate that
//! spreads layers or design points over threads (the cost model, the simulator, the harness, the
//! studies); it knows nothing about what the jobs compute.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `job(0) … job(count − 1)` in index order, computed by up to `threads` workers that claim
/// `chunk` consecutive indices at a time; `done(n)` is called (from a worker) after each chunk of
/// `n` jobs. With one worker (or fewer than two chunks) everything runs on the calling thread. A
/// job that panics (a bug) panics the caller, with the job's own message, as a serial loop would.
pub fn ordered_map<T: Send>(
    count: usize,
    threads: usize,
    chunk: usize,
    job: impl Fn(usize) -> T + Sync,
    done: &(dyn Fn(u64) + Sync),
) -> Vec<T> {
    ordered_map_with(count, threads, chunk, || (), |(), index| job(index), done)
}

/// [`ordered_map`] with a scratch state per worker (made by `init`) that `job` may reuse from one
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
            .map(|handle| handle.join())
            .collect::<Vec<_>>()
    });
    let mut slots: Vec<Option<T>> = (0..count).map(|_| None).collect();
    // Every handle is joined above, so `scope` itself fails only if a join did; the first panic
    // (in worker order) is the one resumed.
    for batch in batches.unwrap_or_default() {
        match batch {
            Ok(batch) => {
                for (start, values) in batch {
                    for (offset, value) in values.into_iter().enumerate() {
                        slots[start + offset] = Some(value);
                    }
                }
            }
            Err(payload) => std::panic::resume_unwind(payload),
        }
    }
    slots
        .into_iter()
        .enumerate()
        .map(|(index, slot)| slot.unwrap_or_else(|| panic!("job {index} was never run")))
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

    #[test]
    fn each_worker_keeps_its_own_state() {
        let values = ordered_map_with(
            20,
            2,
            5,
            Vec::new,
            |seen: &mut Vec<usize>, index| {
                seen.push(index);
                seen.len()
            },
            &|_| {},
        );
        // Within a chunk a worker's state grows by one per index.
        for chunk in values.chunks(5) {
            assert!(chunk.windows(2).all(|pair| pair[1] == pair[0] + 1));
        }
    }

    #[test]
    fn a_panicking_job_panics_the_caller_with_its_message() {
        let result = std::panic::catch_unwind(|| {
            ordered_map(
                8,
                2,
                1,
                |index| {
                    assert_ne!(index, 5, "job 5 fails");
                    index
                },
                &|_| {},
            )
        });
        let payload = result.expect_err("the job's panic reaches the caller");
        let message = payload
            .downcast_ref::<String>()
            .cloned()
            .unwrap_or_default();
        assert!(message.contains("job 5 fails"), "{message}");
    }

    #[test]
    fn no_jobs_no_results() {
        assert!(ordered_map(0, 4, 1, |index| index, &|_| {}).is_empty());
    }
}
