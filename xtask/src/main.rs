use std::path::PathBuf;
use std::process::ExitCode;

use xtask::{codegen, workspace_root, CodegenArgs};

const USAGE: &str = "usage:
  cargo xtask codegen [--check] [--spec PATH] [--tag TAG]... [--operation ID]...
      regenerate generated/ from the spec: the whole API, or only the tags/operations named
      (filters are for experiments; the file headers name them). --check: write nothing, fail
      naming each stale file
  cargo xtask bundle [--spec PATH] --out FILE
      write the spec (a multi-file tree) as one bundled YAML file
  cargo xtask bench [--spec PATH] [--tag TAG]... [--runs N] [--compile-runs M]
      time each codegen phase over N runs (default 5), then the generated crate's debug build
      from scratch, functions only and every feature, M times each (default 3; 0 skips it)

The spec is --spec PATH, else $DO_OPENAPI_SPEC, else spec/digitalocean-openapi/, else
../shared/digitalocean-openapi/ (the entry file is specification/DigitalOcean-public.v2.yaml).";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: &[String]) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let Some((command, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return Ok(ExitCode::from(2));
    };
    let mut options = CodegenArgs::default();
    let mut out: Option<PathBuf> = None;
    let mut runs = 5usize;
    let mut compile_runs = 3usize;
    let mut rest = rest.iter();
    while let Some(arg) = rest.next() {
        let mut value = || rest.next().cloned().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--check" => options.check = true,
            "--spec" => options.spec = Some(PathBuf::from(value()?)),
            "--tag" => options.tags.push(value()?),
            "--operation" => options.operations.push(value()?),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--runs" => runs = value()?.parse().map_err(|_| "--runs needs a number")?,
            "--compile-runs" => compile_runs = value()?.parse().map_err(|_| "--compile-runs needs a number")?,
            "-h" | "--help" => {
                println!("{USAGE}");
                return Ok(ExitCode::SUCCESS);
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}").into()),
        }
    }
    let root = workspace_root();
    match command.as_str() {
        "codegen" => {
            let started = std::time::Instant::now();
            let mut summary = codegen(&root, &options)?;
            std::mem::forget(summary.retained.take());
            let report = &summary.report;
            if options.check {
                for path in &report.changed {
                    eprintln!("stale: generated/{path}");
                }
                for path in &report.removed {
                    eprintln!("not produced by the generator: generated/{path}");
                }
                if !report.is_clean() {
                    eprintln!("generated/ is out of date: run `cargo xtask codegen`");
                    return Ok(ExitCode::FAILURE);
                }
            }
            let verb = if options.check { "would write" } else { "written" };
            println!(
                "codegen: {} operations, {} types, {} fallbacks; {} files {verb}, {} removed, {} unchanged ({:.2} s)",
                summary.operations,
                summary.types,
                summary.fallbacks,
                report.changed.len(),
                report.removed.len(),
                report.unchanged,
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        "bench" => {
            let spec_path = codegen::source::find(options.spec.as_deref(), &root)?;
            let selection = codegen::Selection { tags: options.tags.clone(), operations: options.operations.clone() };
            for line in xtask::bench::bench(&root, &spec_path, &selection, runs, compile_runs)? {
                println!("{line}");
            }
            Ok(ExitCode::SUCCESS)
        }
        "bundle" => {
            let out = out.ok_or("bundle needs --out FILE")?;
            let spec_path = codegen::source::find(options.spec.as_deref(), &root)?;
            let spec = codegen::load::load_with_overlays(&spec_path, &xtask::overlays(&root)?)?;
            std::fs::write(&out, codegen::load::to_yaml(&spec)?)?;
            println!("bundle: wrote {}", out.display());
            Ok(ExitCode::SUCCESS)
        }
        other => Err(format!("unknown command `{other}`\n{USAGE}").into()),
    }
}
