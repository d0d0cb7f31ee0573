//! `cargo xtask bench`: how long a regeneration takes, phase by phase, and how long the
//! generated crate takes to compile. Run it as users run codegen (`cargo xtask bench`, the dev
//! profile); the machine may be busy, so each figure is the median of several runs.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use codegen::Selection;

use crate::{write, GENERATED, OWNED};

/// One measured step and its runs.
struct Phase {
    name: &'static str,
    runs: Vec<Duration>,
}

impl Phase {
    fn new(name: &'static str) -> Phase {
        Phase { name, runs: Vec::new() }
    }

    fn time<T>(&mut self, f: impl FnOnce() -> T) -> T {
        let started = Instant::now();
        let out = f();
        self.runs.push(started.elapsed());
        out
    }

    fn median(&self) -> Duration {
        let mut sorted = self.runs.clone();
        sorted.sort();
        sorted.get(sorted.len() / 2).copied().unwrap_or_default()
    }

    fn line(&self) -> String {
        let mut sorted = self.runs.clone();
        sorted.sort();
        let min = sorted.first().copied().unwrap_or_default();
        format!("  {:<44} median {:>8.1} ms   min {:>8.1} ms", self.name, ms(self.median()), ms(min))
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Times load, lower, emit (formatting included) and write over `runs` runs of the whole API (or
/// the selection), then, unless `compile_runs` is 0, the generated crate's debug build from
/// scratch with only `functions`, with every area of the API, with every feature, and with every
/// area and with only `functions` as a project that depends on the crate builds it (not
/// incrementally).
// Long (about 85 lines): the phases in the order codegen runs them, each timed, then the builds.
pub fn bench(
    root: &Path,
    spec_path: &Path,
    selection: &Selection,
    runs: usize,
    compile_runs: usize,
) -> Result<Vec<String>, Box<dyn std::error::Error>> {
    let runs = runs.max(1);
    let mut load = Phase::new("load (files -> document)");
    let mut lower = Phase::new("lower (document -> IR)");
    let mut emit = Phase::new("emit (IR -> files: text and formatted tokens, every core)");
    let mut check = Phase::new("write (compare with generated/, --check)");
    let mut changes = Phase::new("changes (read api/*.json, compare manifests)");
    let mut total = Phase::new("total");
    let mut files = Vec::new();
    let mut counts = (0, 0);
    let overlays = crate::overlays(root)?;
    for _ in 0..runs {
        let started = Instant::now();
        let spec = load.time(|| codegen::load::load_with_overlays(spec_path, &overlays))?;
        let api = lower.time(|| codegen::lower::lower(&spec, selection))?;
        files = emit.time(|| codegen::emit::emit(&api, "bench"))?;
        check.time(|| write::ensure_files(&root.join(GENERATED), &files, OWNED, true))?;
        let manifest = codegen::manifest::build(&api, "0.0.0");
        changes.time(|| crate::changes::committed(&root.join(GENERATED)).map(|old| codegen::changes::compare(&old, &manifest)));
        total.runs.push(started.elapsed());
        counts = (api.tags.iter().map(|t| t.operations.len()).sum::<usize>(), api.types.len());
    }
    let lines_of_code: usize = files.iter().filter(|f| f.path.ends_with(".rs")).map(|f| f.contents.lines().count()).sum();
    let longest =
        files.iter().filter(|f| f.path.ends_with(".rs")).map(|f| (f.contents.lines().count(), f.path.as_str())).max().unwrap_or((0, ""));
    let mut out = vec![
        format!("bench: {runs} runs of codegen in this build's profile; medians"),
        format!(
            "  {} operations, {} types; {} files, {} lines of Rust (longest: {}, {} lines)",
            counts.0,
            counts.1,
            files.len(),
            lines_of_code,
            longest.1,
            longest.0
        ),
    ];
    out.extend([&load, &lower, &emit, &check, &changes, &total].iter().map(|p| p.line()));
    if compile_runs > 0 {
        out.push(format!("compile of the generated crate alone, debug, from scratch (cargo clean -p digitalocean; cargo build -p digitalocean ...), {compile_runs} runs:"));
        // In this workspace cargo builds the crate incrementally; a project that depends on it
        // builds it once, without incremental state, which is the last line.
        for (name, args, incremental) in [
            ("only `functions`", &["--no-default-features", "--features", "functions"][..], true),
            ("every area of the API (`full`, the default)", &[][..], true),
            ("every feature (adds the test-only `roundtrip`)", &["--all-features"][..], true),
            ("`full` as a dependency (CARGO_INCREMENTAL=0)", &[][..], false),
            ("only `functions` as a dependency (CARGO_INCREMENTAL=0)", &["--no-default-features", "--features", "functions"][..], false),
        ] {
            let mut phase = Phase::new(name);
            for _ in 0..compile_runs {
                let clean = Command::new("cargo").args(["clean", "-q", "-p", "digitalocean"]).current_dir(root).status()?;
                if !clean.success() {
                    return Err("cargo clean -p digitalocean failed".into());
                }
                let started = Instant::now();
                let mut build = Command::new("cargo");
                build.args(["build", "-q", "-p", "digitalocean"]).args(args).current_dir(root);
                if !incremental {
                    build.env("CARGO_INCREMENTAL", "0");
                }
                let status = build.status()?;
                phase.runs.push(started.elapsed());
                if !status.success() {
                    return Err(format!("cargo build -p digitalocean {} failed", args.join(" ")).into());
                }
            }
            out.push(phase.line());
        }
    }
    Ok(out)
}

/// `cargo xtask bench --decode`: the decode-throughput bench (`bench/`, a workspace of its own
/// that `cargo test` does not build), built in release and run on the spec at `spec_path` with
/// `runs` runs; with `requests` (`--requests`), its loopback request rate instead. Its output
/// goes straight to this command's. It builds in the repository's
/// `target/`, so that the generated crate's release build is shared with the workspace's.
pub fn decode(root: &Path, spec_path: &Path, runs: usize, requests: bool) -> Result<(), Box<dyn std::error::Error>> {
    let mut command = Command::new("cargo");
    command.args(["run", "--release", "-q", "--manifest-path", "bench/Cargo.toml", "--"]);
    if std::env::var_os("CARGO_TARGET_DIR").is_none() {
        command.env("CARGO_TARGET_DIR", root.join("target"));
    }
    if requests {
        command.arg("--requests");
    }
    let status = command.arg("--spec").arg(spec_path).args(["--runs", &runs.max(1).to_string()]).current_dir(root).status()?;
    if !status.success() {
        return Err(format!("cargo run --release --manifest-path bench/Cargo.toml failed ({status})").into());
    }
    Ok(())
}
