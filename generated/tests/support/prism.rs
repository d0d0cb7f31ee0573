//! A Stoplight Prism mock server for the contract tests: installed on first use, started once per
//! test binary with the spec the generator reads, and stopped when the test process ends.
//!
//! * Install: `npm install` of the pinned `@stoplight/prism-cli` into `<repo>/.tools/prism/<version>/`
//!   (git-ignored), by `npm.rs`.
//! * Start: a free port on 127.0.0.1; readiness is an HTTP answer on that port, awaited up to 60 s.
//!   Prism's log goes to `<repo>/.tools/prism/logs/<test process id>.log`.
//! * Stop: Prism runs under a small `sh` wrapper whose standard input is a pipe held by the test
//!   process. When the test process exits, however it exits, the kernel closes the pipe; the wrapper
//!   reads end-of-file and kills Prism. No Prism outlives `cargo test`.
//!
//! The spec is `DO_OPENAPI_SPEC` (a file, or a checkout folder; a relative path is taken from the
//! repository root), else the same two places the generator's `codegen::source::find_spec` tries.

use std::fs;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::npm;

/// The pinned Prism: the newest 5.x whose `engines` accepts Node 18 and 20 (5.15 and later need Node 24).
pub const PRISM_VERSION: &str = "5.14.2";
/// The oldest Node.js major version Prism 5.14 supports.
const MIN_NODE_MAJOR: u32 = 18;
const SPEC_VAR: &str = "DO_OPENAPI_SPEC";
const ENTRY: &str = "specification/DigitalOcean-public.v2.yaml";
const READY_TIMEOUT: Duration = Duration::from_secs(60);
/// Logs of earlier runs older than this are removed when a new run starts.
const LOG_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);
const NEED_NODE: &str = "the contract tests run Stoplight Prism, which needs Node.js 18 or newer with npm \
     on PATH: install Node.js (https://nodejs.org/ or your package manager's `nodejs` and `npm` packages)";

/// Runs Prism: `$1` is Prism's executable, `$2` the port, `$3` the spec, `$4` the log file.
/// A watcher reads the wrapper's standard input (the test process's pipe) and kills Prism at end-of-file.
/// Background jobs of a non-interactive shell read /dev/null, hence the explicit copy of stdin on fd 3.
const WRAPPER: &str = r#"
exec 3<&0
"$1" mock --host 127.0.0.1 --port "$2" "$3" >"$4" 2>&1 </dev/null 3<&- &
server=$!
( read -r line <&3; kill -KILL "$server" 2>/dev/null ) &
exec 3<&-
wait "$server"
echo "[contract wrapper] the mock server exited with status $?" >>"$4"
"#;

/// The running mock server, shared by all tests of the binary.
pub struct Prism {
    base_url: String,
    spec: PathBuf,
    log: PathBuf,
    /// The wrapper; its stdin pipe stays open as long as the test process lives.
    _wrapper: Mutex<Child>,
}

impl Prism {
    /// `http://127.0.0.1:<port>`, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The spec Prism serves.
    pub fn spec(&self) -> &Path {
        &self.spec
    }

    /// Prism's log file.
    pub fn log(&self) -> &Path {
        &self.log
    }
}

/// The shared Prism, started by the first test that asks for it. A failure to start is kept, so
/// every test reports it at once instead of each trying again for 60 s.
pub fn prism() -> &'static Prism {
    static PRISM: OnceLock<Result<Prism, String>> = OnceLock::new();
    match PRISM.get_or_init(start) {
        Ok(prism) => prism,
        Err(message) => panic!("could not start the Prism mock server: {message}"),
    }
}

fn start() -> Result<Prism, String> {
    let root = repo_root()?;
    let spec = find_spec(&root)?;
    npm::check_node(MIN_NODE_MAJOR, NEED_NODE)?;
    let tools = root.join(".tools").join("prism");
    let package = npm::Package { name: "@stoplight/prism-cli", version: PRISM_VERSION, bin: "prism" };
    let executable = npm::ensure_installed(&tools, &package, NEED_NODE)?;

    let logs = tools.join("logs");
    fs::create_dir_all(&logs).map_err(|e| format!("cannot create {}: {e}", logs.display()))?;
    prune_old_logs(&logs);
    let log = logs.join(format!("{}.log", std::process::id()));

    let port = free_port()?;
    let started = Instant::now();
    let mut wrapper = Command::new("sh")
        .arg("-c")
        .arg(WRAPPER)
        .arg("contract-mock-wrapper")
        .arg(&executable)
        .arg(port.to_string())
        .arg(&spec)
        .arg(&log)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run sh to start Prism: {e}"))?;

    if let Err(message) = wait_ready(&mut wrapper, port, &log) {
        // Dropping the child closes its stdin, which stops Prism if it is still starting.
        drop(wrapper);
        return Err(message);
    }
    let startup = started.elapsed();
    eprintln!(
        "contract: Prism {PRISM_VERSION} ready on port {port} in {startup:.1?} (spec {}, log {})",
        spec.display(),
        log.display()
    );
    Ok(Prism {
        base_url: format!("http://127.0.0.1:{port}"),
        spec,
        log,
        _wrapper: Mutex::new(wrapper),
    })
}

fn repo_root() -> Result<PathBuf, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    root.canonicalize()
        .map_err(|e| format!("cannot resolve the repository root {}: {e}", root.display()))
}

/// `DO_OPENAPI_SPEC`, else `spec/digitalocean-openapi/...`, else `../shared/digitalocean-openapi/...`,
/// like the generator. A variable naming a missing file is an error, not a reason to look elsewhere.
fn find_spec(root: &Path) -> Result<PathBuf, String> {
    if let Some(value) = std::env::var_os(SPEC_VAR).filter(|value| !value.is_empty()) {
        let path = root.join(value);
        let path = if path.is_dir() {
            path.join(ENTRY)
        } else {
            path
        };
        return if path.is_file() {
            Ok(path)
        } else {
            Err(format!(
                "{SPEC_VAR} names {}, which is not a file",
                path.display()
            ))
        };
    }
    let tried = [
        root.join("spec/digitalocean-openapi").join(ENTRY),
        root.join("../shared/digitalocean-openapi").join(ENTRY),
    ];
    match tried.iter().find(|path| path.is_file()) {
        Some(found) => Ok(found.clone()),
        None => Err(format!(
            "no spec found; tried {} and {}. Set {SPEC_VAR} to the spec's entry file, or clone \
             https://github.com/digitalocean/openapi at the commit in spec/PIN into spec/digitalocean-openapi",
            tried[0].display(),
            tried[1].display()
        )),
    }
}

/// A port that was free a moment ago (Prism binds it right after).
fn free_port() -> Result<u16, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|e| format!("cannot find a free port on 127.0.0.1: {e}"))?;
    listener
        .local_addr()
        .map(|addr| addr.port())
        .map_err(|e| format!("cannot read the free port: {e}"))
}

fn wait_ready(wrapper: &mut Child, port: u16, log: &Path) -> Result<(), String> {
    let deadline = Instant::now() + READY_TIMEOUT;
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    loop {
        match wrapper.try_wait() {
            Ok(Some(status)) => {
                return Err(format!(
                    "Prism exited before answering ({status}); {}",
                    log_excerpt(log)
                ))
            }
            Ok(None) => {}
            Err(e) => return Err(format!("cannot watch the Prism process: {e}")),
        }
        if answers_http(addr) {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "Prism did not answer on {addr} within {READY_TIMEOUT:?}; {}",
                log_excerpt(log)
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// True when something on `addr` answers a plain HTTP request (Prism answers 404 for `/`).
fn answers_http(addr: SocketAddr) -> bool {
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, Duration::from_millis(500)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let request = "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 8];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.")
}

/// Prism's first error lines (it prints its usage after a fatal error, which buries the cause) and
/// the end of its log.
fn log_excerpt(log: &Path) -> String {
    let text = fs::read(log)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default();
    let errors: Vec<&str> = text
        .lines()
        .filter(|line| line.contains('\u{2716}')) // "✖", Prism's mark of an error or fatal line
        .take(8)
        .collect();
    format!(
        "its errors:\n{}\nthe end of its log {}:\n{}",
        errors.join("\n"),
        log.display(),
        npm::tail(log, 20)
    )
}

fn prune_old_logs(logs: &Path) {
    let Ok(entries) = fs::read_dir(logs) else {
        return;
    };
    for entry in entries.flatten() {
        let old = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age > LOG_MAX_AGE);
        if old {
            let _ = fs::remove_file(entry.path());
        }
    }
}
