//! `cargo xtask bench`: times each phase of a codegen run over several runs (run it with
//! `--release` for figures worth quoting). Prints min and median per phase; writes nothing.

use std::path::Path;
use std::time::{Duration, Instant};

use codegen::Selection;

pub struct Phase {
    pub name: &'static str,
    pub runs: Vec<Duration>,
}

impl Phase {
    fn summary(&self) -> String {
        let mut sorted = self.runs.clone();
        sorted.sort();
        let min = sorted.first().copied().unwrap_or_default();
        let median = sorted.get(sorted.len() / 2).copied().unwrap_or_default();
        format!("{:<28} min {:>8.1} ms   median {:>8.1} ms", self.name, ms(min), ms(median))
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Runs load, generate (lower + emit + format) for the given tags, and the whole-spec
/// generate, `runs` times each.
pub fn bench(spec_path: &Path, tags: &[&str], runs: usize) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let mut load = Phase { name: "load (files -> document)", runs: Vec::new() };
    let mut generate = Phase { name: "generate selected tags", runs: Vec::new() };
    let mut whole = Phase { name: "generate every JSON tag", runs: Vec::new() };
    let mut spec = None;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        spec = Some(codegen::load::load(spec_path)?);
        load.runs.push(started.elapsed());
    }
    let spec = spec.ok_or("no run")?;
    let every: Vec<String> = spec
        .doc
        .operations()
        .filter_map(|(_, _, op)| op.tags.first().cloned())
        .filter(|t| codegen::lower::lower(&spec, &Selection { tags: vec![t.clone()], operations: vec![] }).is_ok())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let mut last = (0, 0, 0);
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let out = codegen::generate(&spec, &Selection::tags(tags), "bench")?;
        generate.runs.push(started.elapsed());
        let started = Instant::now();
        let all = codegen::generate(&spec, &Selection { tags: every.clone(), operations: vec![] }, "bench")?;
        whole.runs.push(started.elapsed());
        last = (out.operations, all.operations, all.types);
    }
    let mut lines = vec![format!(
        "bench: {} runs; selected tags {} operations; every JSON tag ({} tags) {} operations, {} types",
        runs.max(1),
        last.0,
        every.len(),
        last.1,
        last.2
    )];
    lines.extend([load.summary(), generate.summary(), whole.summary()]);
    Ok(lines)
}
