//! Work on every core: each thread takes the next item not yet taken.

use crate::error::{Error, Result};

/// `f` over `items` on every core, results in the items' order. Each thread takes the next
/// item not yet taken, so that a few large items do not leave a core idle.
pub(crate) fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> Result<R> + Sync) -> Result<Vec<R>> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1).clamp(1, 8);
    let next = AtomicUsize::new(0);
    let results: Vec<Vec<(usize, Result<R>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        done.push((i, f(item)));
                    }
                    done
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap_or_default()).collect()
    });
    let mut ordered: Vec<(usize, Result<R>)> = results.into_iter().flatten().collect();
    if ordered.len() != items.len() {
        return Err(Error::Format { file: "(worker)".into(), message: "a worker thread panicked".into() });
    }
    ordered.sort_by_key(|(i, _)| *i);
    ordered.into_iter().map(|(_, r)| r).collect()
}
