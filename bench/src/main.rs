//! Decode throughput of the generated client (issue 17): six answers made from the spec's own
//! examples, each decoded by the generated crate's answer type ("ours"), by `rsdo`'s type for
//! the same answer (progenitor's output, serde's derive: "derive") and as a `serde_json::Value`,
//! in the same runs. Prints the MB/s of each (median of the runs), the median of the runs'
//! ours/derive ratios, and the allocations of one decode.
//!
//! `cargo run --release --manifest-path bench/Cargo.toml -- [--spec PATH] [--runs N]`, or `cargo xtask bench
//! --decode`. The spec is found as `cargo xtask codegen` finds it (`--spec`, `DO_OPENAPI_SPEC`,
//! `spec/digitalocean-openapi/`, `../shared/digitalocean-openapi/`) and read with the overlays.
//! Not a default member of the workspace: `cargo test` does not build it.

mod answers;
mod assemble;
mod cases;
mod choose;
mod counting;
mod fit;
mod measure;
mod requests;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use cases::Case;
use measure::median;

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

const USAGE: &str = "usage: decode-bench [--spec PATH] [--runs N] [--requests]   (N >= 1, default 7; --requests: the loopback request rate instead)";

struct Args {
    spec: Option<PathBuf>,
    runs: usize,
    /// The loopback request rate (`requests.rs`) instead of the decode table.
    requests: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { spec: None, runs: 7, requests: false };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
            None => (arg.clone(), None),
        };
        let mut value = || inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{flag} needs a value\n{USAGE}"));
        match flag.as_str() {
            "--spec" => args.spec = Some(PathBuf::from(value()?)),
            "--runs" => {
                let text = value()?;
                args.runs = text.parse().ok().filter(|n| *n >= 1).ok_or_else(|| format!("--runs {text}: not a number >= 1\n{USAGE}"))?;
            }
            "--requests" => args.requests = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            _ => return Err(format!("unknown argument `{arg}`\n{USAGE}")),
        }
    }
    Ok(args)
}

fn main() -> ExitCode {
    match parse_args().and_then(|args| run(&args)) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("decode-bench: {e}");
            ExitCode::FAILURE
        }
    }
}

/// One row's figures.
struct Row {
    bytes: usize,
    mbps: [f64; 3],
    ratio: Option<(f64, f64, f64)>,
    allocs: (u64, Option<u64>),
    /// Members rsdo rejects were left out of the body (see the notes).
    trimmed: bool,
}

/// Runs the bench; `false` when a decode failed or lost items.
fn run(args: &Args) -> Result<bool, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().map(Path::to_path_buf).unwrap_or_default();
    let entry = codegen::source::find(args.spec.as_deref(), &root).map_err(|e| format!("no spec: {e}"))?;
    let examples = answers::load(&entry, &root).map_err(|e| format!("{}: {e}", entry.display()))?;
    if cfg!(debug_assertions) {
        println!("warning: a debug build; the figures mean little (cargo run --release --manifest-path bench/Cargo.toml)");
    }
    println!("decode-bench: spec {}", entry.canonicalize().unwrap_or(entry.clone()).display());
    println!("{} runs per answer; each run decodes each body for about {} ms in turns\n", args.runs, measure::RUN.as_millis());
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    if args.requests {
        let case = cases::all().into_iter().find(|c| c.items.is_none()).ok_or("no one-item answer")?;
        let (candidate, _) = choose::body(&examples, &case, &mut notes)?;
        for line in requests::run(candidate.body, args.runs)? {
            println!("{line}");
        }
        return Ok(true);
    }
    let mut rows = Vec::new();
    for case in cases::all() {
        let row = match choose::body(&examples, &case, &mut notes) {
            Ok((candidate, trimmed)) => {
                bench_case(candidate, &case, args.runs, &mut problems, &mut notes).map(|row| Row { trimmed, ..row })
            }
            Err(e) => {
                problems.push(e);
                None
            }
        };
        rows.push((case.label, row));
    }
    println!("\n| answer | bytes | ours MB/s | derive MB/s | Value MB/s | ours/derive (median of runs) [min, max] | allocs ours | allocs derive | allocs ratio |");
    println!("|---|--:|--:|--:|--:|--:|--:|--:|--:|");
    for (label, row) in &rows {
        let Some(row) = row else {
            println!("| {label} | | failed (below) | | | | | | |");
            continue;
        };
        let derive = |f: String| if row.ratio.is_some() { f } else { "no decode".to_owned() };
        let ratio = row.ratio.map(|(m, lo, hi)| format!("{m:.2} [{lo:.2}, {hi:.2}]")).unwrap_or_else(|| "—".to_owned());
        let allocs_derive = row.allocs.1.map(|a| a.to_string()).unwrap_or_else(|| "—".to_owned());
        let allocs_ratio = row.allocs.1.map(|a| format!("{:.2}", row.allocs.0 as f64 / a.max(1) as f64)).unwrap_or_else(|| "—".to_owned());
        let mark = if row.trimmed { " (trimmed for rsdo, see the notes)" } else { "" };
        println!(
            "| {label}{mark} | {} | {:.1} | {} | {:.1} | {ratio} | {} | {allocs_derive} | {allocs_ratio} |",
            row.bytes,
            row.mbps[0],
            derive(format!("{:.1}", row.mbps[1])),
            row.mbps[2],
            row.allocs.0
        );
    }
    println!("\nMB = 10^6 bytes. ours: digitalocean::models (serde_json::from_slice); derive: rsdo::types (serde derive);");
    println!("allocs: calls to alloc/alloc_zeroed/realloc in one decode (the value dropped after).");
    for note in &notes {
        println!("note: {note}");
    }
    for problem in &problems {
        println!("FAILED: {problem}");
    }
    Ok(problems.is_empty())
}

/// Checks the three decodes of `candidate`, counts one decode's allocations, and times them.
fn bench_case(candidate: answers::Candidate, case: &Case, runs: usize, problems: &mut Vec<String>, notes: &mut Vec<String>) -> Option<Row> {
    let body = &candidate.body;
    let expected = case.expected();
    let mut check = |who: &str, got: Result<usize, String>| -> bool {
        match got {
            Ok(n) if n == expected => true,
            Ok(n) => {
                problems.push(format!("{}: {who} decoded {n} item(s) of `{}`, the body has {expected}", case.label, case.subject));
                false
            }
            Err(e) => {
                problems.push(format!("{}: {who} does not decode the body: {}", case.label, context(body, &e)));
                false
            }
        }
    };
    let ours_ok = check(&format!("ours ({})", case.ours_type), (case.ours)(body));
    let value_ok = check("serde_json::Value", cases::value_items(body, case.subject));
    let derive_ok = match (case.derive)(body) {
        Ok(n) => check(&format!("rsdo ({})", case.derive_type), Ok(n)),
        Err(e) => {
            if !notes.iter().any(|n| n.starts_with(case.label)) {
                notes.push(format!("{}: rsdo ({}) cannot decode the body: {}", case.label, case.derive_type, context(body, &e)));
            }
            false
        }
    };
    if !(ours_ok && value_ok) {
        return None;
    }
    let allocs = |decoder: cases::Decoder| {
        let _ = decoder(body);
        counting::calls_during(|| decoder(body)).0
    };
    let allocs = (allocs(case.ours), derive_ok.then(|| allocs(case.derive)));
    let decoders: Vec<cases::Decoder> = if derive_ok { vec![case.ours, case.derive, cases::value] } else { vec![case.ours, cases::value] };
    let figures = measure::throughput(body, &decoders, runs);
    let (mbps, ratio) = if derive_ok {
        let ratios: Vec<f64> = figures[0].iter().zip(&figures[1]).map(|(o, d)| o / d).collect();
        let (lo, hi) = ratios.iter().fold((f64::INFINITY, 0f64), |(lo, hi), r| (lo.min(*r), hi.max(*r)));
        ([median(&figures[0]), median(&figures[1]), median(&figures[2])], Some((median(&ratios), lo, hi)))
    } else {
        ([median(&figures[0]), f64::NAN, median(&figures[1])], None)
    };
    Some(Row { bytes: body.len(), mbps, ratio, allocs, trimmed: false })
}

/// A decode error with the body's text around the place it names (the bodies are one line).
pub(crate) fn context(body: &[u8], error: &str) -> String {
    let column = error.rsplit_once(" column ").and_then(|(_, c)| c.parse::<usize>().ok());
    match column {
        Some(c) if c > 0 && c <= body.len() => {
            let (from, to) = (c.saturating_sub(80), (c + 20).min(body.len()));
            format!("{error}; near `{}`", String::from_utf8_lossy(&body[from..to]))
        }
        _ => error.to_owned(),
    }
}
