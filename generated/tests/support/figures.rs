//! The counts a whole-API test prints (`contract: 659 run, ...`), also kept in
//! `target/tmp/figures/<name>.txt`, so that CI can show them after a `cargo test` that captured
//! the output of passing tests.

use std::path::PathBuf;

/// Prints `line` and writes it to `target/tmp/figures/<name>.txt`.
pub fn report(name: &str, line: &str) {
    println!("{line}");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("figures");
    let written = std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(dir.join(format!("{name}.txt")), format!("{line}\n")));
    if let Err(e) = written {
        eprintln!("cannot keep the figures of {name} in {}: {e}", dir.display());
    }
}
