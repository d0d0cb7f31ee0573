//! Node.js tools the tests run (Prism, Redocly), installed on first use with `npm install` of a
//! pinned version into a git-ignored folder under `<repo>/.tools/`.
//!
//! Each installer works in its own staging folder and renames it into place, so two test binaries
//! installing at once cannot corrupt each other: the second rename loses and is discarded.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

const INSTALL_TIMEOUT: Duration = Duration::from_secs(300);

/// A pinned npm package and the executable it provides.
pub struct Package {
    pub name: &'static str,
    pub version: &'static str,
    /// The name under `node_modules/.bin/`.
    pub bin: &'static str,
}

/// Fails with `need` (which says how to install Node.js) unless `node` of at least `min_major` runs.
pub fn check_node(min_major: u32, need: &str) -> Result<(), String> {
    let output = Command::new("node").arg("--version").output().map_err(|e| format!("{need} (running `node --version` failed: {e})"))?;
    let version = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    let major = version.trim_start_matches('v').split('.').next().and_then(|major| major.parse::<u32>().ok());
    match major {
        Some(major) if output.status.success() && major >= min_major => Ok(()),
        _ => Err(format!("{need} (found node {version:?})")),
    }
}

/// The executable of `package` under `tools/<version>/`, installed first if needed; `need` is
/// the message for a machine without npm.
pub fn ensure_installed(tools: &Path, package: &Package, need: &str) -> Result<PathBuf, String> {
    let home = tools.join(package.version);
    let executable = home.join("node_modules").join(".bin").join(package.bin);
    if executable.is_file() {
        return Ok(executable);
    }
    fs::create_dir_all(tools).map_err(|e| format!("cannot create {}: {e}", tools.display()))?;
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
    let staging = tools.join(format!(".install-{}-{nanos}", std::process::id()));
    let result = install_into(&staging, package, need);
    if let Err(message) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(message);
    }
    if let Err(rename_error) = fs::rename(&staging, &home) {
        // Another test binary finished first: use its installation.
        let _ = fs::remove_dir_all(&staging);
        if !executable.is_file() {
            return Err(format!("cannot move the installation to {}: {rename_error}", home.display()));
        }
    }
    if executable.is_file() {
        Ok(executable)
    } else {
        Err(format!("npm finished but {} does not exist", executable.display()))
    }
}

fn install_into(staging: &Path, package: &Package, need: &str) -> Result<(), String> {
    fs::create_dir_all(staging).map_err(|e| format!("cannot create {}: {e}", staging.display()))?;
    let log_path = staging.join("npm-install.log");
    let log = fs::File::create(&log_path).map_err(|e| format!("cannot create {}: {e}", log_path.display()))?;
    let log_err = log.try_clone().map_err(|e| format!("cannot reuse the npm log: {e}"))?;
    let spec = format!("{}@{}", package.name, package.version);
    let started = Instant::now();
    eprintln!("npm: installing {spec} into {} ...", staging.display());
    let mut npm = Command::new("npm")
        .arg("install")
        .arg("--prefix")
        .arg(staging)
        .args(["--no-audit", "--no-fund", "--loglevel=error", &spec])
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        .spawn()
        .map_err(|e| format!("{need} (running npm failed: {e})"))?;
    let status = loop {
        match npm.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() > INSTALL_TIMEOUT => {
                let _ = npm.kill();
                let _ = npm.wait();
                return Err(format!(
                    "`npm install {spec}` did not finish in {INSTALL_TIMEOUT:?}; its output ends with:\n{}",
                    tail(&log_path, 30)
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(200)),
            Err(e) => return Err(format!("cannot wait for npm: {e}")),
        }
    };
    if !status.success() {
        return Err(format!("`npm install {spec}` failed ({status}); its output ends with:\n{}", tail(&log_path, 30)));
    }
    eprintln!("npm: installed {spec} in {:.1?}", started.elapsed());
    Ok(())
}

/// The last `lines` lines of a text file, or a note that it cannot be read.
pub fn tail(path: &Path, lines: usize) -> String {
    match fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let all: Vec<&str> = text.lines().collect();
            all[all.len().saturating_sub(lines)..].join("\n")
        }
        Err(e) => format!("(cannot read {}: {e})", path.display()),
    }
}
