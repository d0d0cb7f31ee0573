//! Timing: each run gives every decoder about [`RUN`] of decoding, in [`SLICES`] slices taken
//! in turn (ours, derive, Value, then the next slice starting one further on), so that the three
//! share whatever else the machine is doing and a run's ratio compares like with like.

use std::hint::black_box;
use std::time::{Duration, Instant};

use crate::cases::Decoder;

/// Decoding time per decoder per run.
pub const RUN: Duration = Duration::from_millis(100);
/// Slices a run is cut into.
const SLICES: u32 = 5;

/// The MB/s (10^6 bytes per second) of each decoder in each run: `out[decoder][run]`.
pub fn throughput(body: &[u8], decoders: &[Decoder], runs: usize) -> Vec<Vec<f64>> {
    let slice = RUN / SLICES;
    let counts: Vec<u64> = decoders.iter().map(|d| iterations(body, *d, slice)).collect();
    let mut out = vec![Vec::with_capacity(runs); decoders.len()];
    for _ in 0..runs {
        let mut spent = vec![Duration::ZERO; decoders.len()];
        for s in 0..SLICES as usize {
            for k in 0..decoders.len() {
                let d = (s + k) % decoders.len();
                spent[d] += time(body, decoders[d], counts[d]);
            }
        }
        for d in 0..decoders.len() {
            let bytes = body.len() as f64 * counts[d] as f64 * f64::from(SLICES);
            out[d].push(bytes / spent[d].as_secs_f64().max(1e-9) / 1e6);
        }
    }
    out
}

/// How many decodes take about `slice` (at least one), after a warm-up.
fn iterations(body: &[u8], decoder: Decoder, slice: Duration) -> u64 {
    let mut n = 1;
    loop {
        let took = time(body, decoder, n);
        if took >= slice / 4 || n >= 1 << 30 {
            let per = took.as_secs_f64() / n as f64;
            return ((slice.as_secs_f64() / per.max(1e-12)).round() as u64).max(1);
        }
        n *= 2;
    }
}

fn time(body: &[u8], decoder: Decoder, n: u64) -> Duration {
    let started = Instant::now();
    for _ in 0..n {
        let _ = black_box(decoder(black_box(body)));
    }
    started.elapsed()
}

/// The median (the mean of the middle two for an even count); NaN for none.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| !v.is_nan()).collect();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}
