//! `cargo xtask`: the command line (`codegen`, `diff`, `spec update`, `bundle`, `fuzz-corpus`,
//! `bench`), parsed with clap; the work is in the library (`xtask::codegen`, ...).

/// Codegen allocates many small values (YAML nodes, tokens, strings) on every core: mimalloc
/// serves them faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Arg, ArgAction, ArgMatches, Command};
use xtask::{codegen, workspace_root, CodegenArgs, Summary};

const SPEC_HELP: &str = "The spec is --spec PATH, else $DO_OPENAPI_SPEC, else spec/digitalocean-openapi/ (the git-ignored \
local copy), else ../shared/digitalocean-openapi/; a folder means its specification/DigitalOcean-public.v2.yaml.";

fn cli() -> Command {
    let spec = || {
        Arg::new("spec")
            .long("spec")
            .value_name("PATH")
            .value_parser(clap::value_parser!(PathBuf))
            .help("the spec: a tree, its entry file, or a bundled file")
    };
    let tags =
        || Arg::new("tag").long("tag").value_name("TAG").action(ArgAction::Append).help("only this tag (repeatable; for experiments)");
    Command::new("xtask")
        .bin_name("cargo xtask")
        .about("The project's commands: regenerate the client crate, compare specs, pin a new spec")
        .after_help(SPEC_HELP)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("codegen")
                .about("Regenerate generated/ from the spec, and report the API changes against the committed manifest (generated/api/)")
                .arg(Arg::new("check").long("check").action(ArgAction::SetTrue).help("write nothing; fail naming each stale file and summarising the API changes"))
                .arg(spec())
                .arg(tags())
                .arg(Arg::new("operation").long("operation").value_name("ID").action(ArgAction::Append).help("only this operation (repeatable; for experiments)")),
        )
        .subcommand(
            Command::new("diff")
                .about("The change report between two specs (trees or bundled files), without touching generated/")
                .arg(Arg::new("old").required(true).value_parser(clap::value_parser!(PathBuf)))
                .arg(Arg::new("new").required(true).value_parser(clap::value_parser!(PathBuf)))
                .arg(Arg::new("out").long("out").value_name("FILE").value_parser(clap::value_parser!(PathBuf)).help("write the Markdown report here and print the summary (default: print the report)"))
                .arg(Arg::new("overlays").long("overlays").action(ArgAction::SetTrue).help("apply the workspace's overlays (spec/overlays/) to both specs")),
        )
        .subcommand(
            Command::new("spec").about("Manage the pinned spec").subcommand_required(true).subcommand(
                Command::new("update")
                    .about("Pin the spec in DIR (an upstream checkout or copy): copy it to spec/digitalocean-openapi/, record its commit and digest in spec/PIN, set the crate version the change report asks for, regenerate")
                    .arg(Arg::new("from").long("from").value_name("DIR").value_parser(clap::value_parser!(PathBuf)))
                    .arg(Arg::new("commit").long("commit").value_name("SHA").help("the commit, when DIR has no git metadata")),
            ),
        )
        .subcommand(
            Command::new("bundle")
                .about("Write the spec (a multi-file tree) as one bundled YAML file")
                .arg(spec())
                .arg(Arg::new("out").long("out").value_name("FILE").required(true).value_parser(clap::value_parser!(PathBuf))),
        )
        .subcommand(
            Command::new("fuzz-corpus")
                .about("Build the seed corpora of the generator's fuzz targets (codegen/fuzz/) from the spec's files")
                .arg(spec())
                .arg(Arg::new("out").long("out").value_name("DIR").value_parser(clap::value_parser!(PathBuf)).help("where to write them (default: codegen/fuzz/corpus, git-ignored)")),
        )
        .subcommand(
            Command::new("bench")
                .about("Time each codegen phase over N runs, then the generated crate's debug build from scratch (functions only, full, every feature), M times each")
                .arg(spec())
                .arg(tags())
                .arg(Arg::new("runs").long("runs").value_name("N").default_value("5").value_parser(clap::value_parser!(usize)))
                .arg(Arg::new("compile-runs").long("compile-runs").value_name("M").default_value("3").value_parser(clap::value_parser!(usize)).help("0 skips the compile timings"))
                .arg(
                    Arg::new("decode")
                        .long("decode")
                        .action(ArgAction::SetTrue)
                        .conflicts_with_all(["tag", "compile-runs"])
                        .help("instead: the generated client's decode throughput against serde's derive and serde_json::Value (bench/, a release build; N runs)"),
                )
                .arg(
                    Arg::new("requests")
                        .long("requests")
                        .action(ArgAction::SetTrue)
                        .conflicts_with_all(["tag", "compile-runs", "decode"])
                        .help("instead: the generated client's request rate and CPU per request on loopback against bare reqwest (bench/, a release build; N runs)"),
                ),
        )
}

fn main() -> ExitCode {
    let matches = cli().get_matches();
    match run(&matches) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn strings(matches: &ArgMatches, id: &str) -> Vec<String> {
    matches.get_many::<String>(id).map(|v| v.cloned().collect()).unwrap_or_default()
}

fn path(matches: &ArgMatches, id: &str) -> Option<PathBuf> {
    matches.get_one::<PathBuf>(id).cloned()
}

/// Runs the subcommand asked for: each reads its own flags into the library's arguments and
/// prints the result; the work itself is in the library.
fn run(matches: &ArgMatches) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let root = workspace_root();
    match matches.subcommand() {
        Some(("codegen", m)) => codegen_command(&root, m),
        Some(("spec", m)) => match m.subcommand() {
            Some(("update", u)) => spec_update(&root, u),
            _ => unreachable_subcommand(),
        },
        Some(("diff", m)) => diff(&root, m),
        Some(("bench", m)) => bench(&root, m),
        Some(("fuzz-corpus", m)) => fuzz_corpus(&root, m),
        Some(("bundle", m)) => bundle(&root, m),
        _ => unreachable_subcommand(),
    }
}

/// `cargo xtask codegen`: generate (or, with `--check`, compare) and print what changed.
fn codegen_command(root: &Path, m: &ArgMatches) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let options = CodegenArgs {
        check: m.get_flag("check"),
        spec: path(m, "spec"),
        tags: strings(m, "tag"),
        operations: strings(m, "operation"),
        report_dir: None,
    };
    let started = std::time::Instant::now();
    let mut summary = codegen(root, &options)?;
    std::mem::forget(summary.retained.take());
    print_warnings(&summary);
    print_changes(&summary);
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

/// `cargo xtask spec update`: pin and copy a new spec, then generate from it.
fn spec_update(root: &Path, m: &ArgMatches) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let args = xtask::spec_update::UpdateArgs { from: path(m, "from"), commit: m.get_one::<String>("commit").cloned() };
    let updated = xtask::spec_update::update(root, &args)?;
    updated.warnings.iter().for_each(|w| eprintln!("warning: {w}"));
    println!(
        "spec update: pinned {} ({}), copied to {}",
        updated.pin.commit,
        updated.pin.digest.as_deref().unwrap_or(""),
        updated.copy.display()
    );
    if let Some((from, to)) = &updated.version {
        println!("spec update: {} {from} → {to}, as the change report asks", xtask::CRATE_VERSION);
    }
    let options = CodegenArgs { spec: Some(updated.copy.clone()), ..Default::default() };
    let mut summary = codegen(root, &options)?;
    std::mem::forget(summary.retained.take());
    print_warnings(&summary);
    print_changes(&summary);
    println!(
        "codegen: {} files written, {} removed, {} unchanged",
        summary.report.changed.len(),
        summary.report.removed.len(),
        summary.report.unchanged
    );
    Ok(ExitCode::SUCCESS)
}

/// `cargo xtask diff`: the change report between two specs.
fn diff(root: &Path, m: &ArgMatches) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let (old, new) = (path(m, "old").unwrap_or_default(), path(m, "new").unwrap_or_default());
    let report = xtask::changes::diff(root, &old, &new, m.get_flag("overlays"))?;
    match path(m, "out") {
        Some(out) => {
            std::fs::write(&out, &report.markdown).map_err(|e| format!("{}: {e}", out.display()))?;
            println!("{}", report.summary);
            println!("full report: {}", out.display());
        }
        None => print!("{}", report.markdown),
    }
    Ok(ExitCode::SUCCESS)
}

/// `cargo xtask bench`: codegen and build times, or the decode and request benches.
fn bench(root: &Path, m: &ArgMatches) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let spec_path = codegen::source::find(path(m, "spec").as_deref(), root)?;
    let selection = codegen::Selection { tags: strings(m, "tag"), operations: Vec::new() };
    let runs = m.get_one::<usize>("runs").copied().unwrap_or(5);
    if m.get_flag("decode") || m.get_flag("requests") {
        xtask::bench::decode(root, &spec_path, runs, m.get_flag("requests"))?;
        return Ok(ExitCode::SUCCESS);
    }
    let compile_runs = m.get_one::<usize>("compile-runs").copied().unwrap_or(3);
    for line in xtask::bench::bench(root, &spec_path, &selection, runs, compile_runs)? {
        println!("{line}");
    }
    Ok(ExitCode::SUCCESS)
}

/// `cargo xtask fuzz-corpus`: the fuzz targets' seeds from the spec.
fn fuzz_corpus(root: &Path, m: &ArgMatches) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let spec_path = codegen::source::find(path(m, "spec").as_deref(), root)?;
    let out = path(m, "out").unwrap_or_else(|| root.join("codegen/fuzz/corpus"));
    let counts = xtask::fuzz_corpus::build(&spec_path, &out)?;
    println!(
        "fuzz-corpus: {} load_one, {} load_tree, {} lower_emit seeds in {}",
        counts.load_one,
        counts.load_tree,
        counts.lower_emit,
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `cargo xtask bundle`: the spec as one YAML file.
fn bundle(root: &Path, m: &ArgMatches) -> Result<ExitCode, Box<dyn std::error::Error>> {
    let out = path(m, "out").ok_or("bundle needs --out FILE")?;
    let spec_path = codegen::source::find(path(m, "spec").as_deref(), root)?;
    let spec = xtask::load_spec(root, &spec_path)?;
    std::fs::write(&out, codegen::load::to_yaml(&spec)?)?;
    println!("bundle: wrote {}", out.display());
    Ok(ExitCode::SUCCESS)
}

fn print_warnings(summary: &Summary) {
    summary.warnings.iter().for_each(|w| eprintln!("warning: {w}"));
}

/// The change summary, on standard error so that it shows beside a `--check` failure.
fn print_changes(summary: &Summary) {
    let Some(report) = &summary.changes else { return };
    if report.changes.is_empty() {
        return;
    }
    eprintln!("{}", report.summary.trim_end());
    if let Some(path) = &report.path {
        eprintln!("full report: {}", path.display());
    }
}

/// clap has already refused a missing or unknown subcommand; this is for completeness.
fn unreachable_subcommand() -> Result<ExitCode, Box<dyn std::error::Error>> {
    eprintln!("{}", cli().render_help());
    Ok(ExitCode::from(2))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_is_consistent() {
        super::cli().debug_assert();
    }
}
