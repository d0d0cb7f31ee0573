//! Contract tests: the generated client against Stoplight Prism serving the spec the generator read.
//!
//! Prism checks every request against the spec (path, query, headers, `Authorization`, body) and
//! answers with the spec's examples, which the generated types must decode. A request it rejects
//! gets a 4xx with the violations in its `sl-violations` header. `Prefer: code=NNN` makes it answer
//! one of the documented error answers instead.
//!
//! One Prism for the whole binary (`support/prism.rs`, installed on first use and started once):
//! * [`operations`]: every operation's request sample, decoded into its typed answer;
//! * [`errors`]: every documented error answer of every operation, mapped to the typed API error;
//! * [`functions`]: the 13 Functions operations by hand, with reviewed values;
//! * [`samples_checked`]: the samples against the docs, and one against a loopback server (no Prism).
//!
//! The two whole-API tests print their counts and keep them in `target/tmp/figures/` for CI.

#[path = "../support/figures.rs"]
mod figures;
#[path = "../support/lowered.rs"]
mod lowered;
#[path = "../support/npm.rs"]
mod npm;
#[path = "../support/prism.rs"]
mod prism;
#[path = "../support/samples/mod.rs"]
mod samples;

mod apps;
mod errors;
mod functions;
mod operations;
mod samples_checked;

use std::collections::BTreeMap;
use std::future::Future;
use std::path::Path;

use digitalocean::reqwest::{self, header::HeaderMap};
use digitalocean::{Client, Error, RetryPolicy};

const TOKEN: &str = "dop_v1_contract-test-token";
const MODEL_ACCESS_KEY: &str = "contract-test-model-access-key";

/// The operation sent to a URL the caller passes: its spec path is `/<upload_url>`.
const UPLOAD: &str = "inference_upload_batch_file";

/// A client of Prism at `url` for every host (the API, inference and agent hosts), without
/// retries (so that a 429 or 500 comes back at once), sending `headers` with every request.
fn prism_client(url: &str, headers: HeaderMap) -> Client {
    // Prism (Node.js) closes a connection idle for 5 s; one the client took up again at that
    // moment would be reset. Idle connections are dropped sooner.
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .pool_idle_timeout(std::time::Duration::from_secs(2))
        .build()
        .unwrap_or_else(|e| panic!("reqwest client: {e}"));
    Client::builder()
        .token(TOKEN)
        .model_access_key(MODEL_ACCESS_KEY)
        .base_url(url)
        .inference_base_url(url)
        .agent_base_url(url)
        .retry_policy(RetryPolicy::none())
        .http_client(http)
        .build()
        .unwrap_or_else(|e| panic!("client: {e}"))
}

/// Runs operation `id`'s sample (the call its docs show) against Prism at `url`.
async fn run_sample(url: &str, client: &Client, id: &str) -> Result<(), Error> {
    if id == UPLOAD {
        // The sample's URL is a placeholder for the pre-signed one; Prism serves `/<upload_url>`.
        let upload = format!("{url}/%3Cupload_url%3E");
        return client.batch_inference().upload_batch_file(&upload, b"<file contents>".to_vec()).await;
    }
    match samples::run(id, client).await {
        Some(outcome) => outcome,
        None => Err(Error::Config { message: format!("no sample for {id}") }),
    }
}

/// The operations whose request body is YAML (`application/yaml` and kin, from the manifest):
/// Prism 5 parses JSON and form bodies only, so it reads a YAML body as a string and rejects it
/// ("Request body must be object"). Their samples are run, and that rejection is counted apart.
fn yaml_bodies() -> std::collections::BTreeSet<String> {
    let yaml = |op: &&codegen::manifest::Operation| op.body.as_ref().is_some_and(|b| b.media.contains("yaml"));
    committed_manifest().operations.iter().filter(yaml).map(|op| op.id.clone()).collect()
}

/// The manifest of the crate (`api/`): one entry per operation of the spec it was generated from.
fn committed_manifest() -> codegen::Manifest {
    let generated = Path::new(env!("CARGO_MANIFEST_DIR"));
    codegen::Manifest::from_files(|path| std::fs::read_to_string(generated.join(path))).unwrap()
}

/// Whether Prism rejected a request because it could not read its body as an object.
fn unread_body(error: &Error) -> bool {
    error.api_error().and_then(|api| violations(api.headers())).is_some_and(|v| v.contains("Request body must be object"))
}

/// What went wrong, with Prism's violations when it rejected the request.
fn describe(error: &Error) -> String {
    match error.api_error() {
        Some(api) => format!(
            "{}: {}",
            api.status(),
            violations(api.headers())
                .or_else(|| api.raw_body().map(str::to_owned))
                .unwrap_or_else(|| error.to_string())
        ),
        None => error.to_string(),
    }
}

/// Prism's `sl-violations` header: why it found a request invalid.
fn violations(headers: &HeaderMap) -> Option<String> {
    headers.get("sl-violations").map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// `spec/contract-exceptions.txt`: operation id -> (pointer, reason). Operations whose sample
/// Prism rejects because of an error in the upstream spec.
fn exceptions() -> BTreeMap<String, (String, String)> {
    let listed = codegen::exceptions::CONTRACT.read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("..")).unwrap();
    listed.into_iter().map(|[id, pointer, reason]| (id, (pointer, reason))).collect()
}

/// Runs `test` to completion on a thread of its own with a 2 MiB stack (that of a tokio worker
/// thread, and of a test thread) and a current-thread runtime, and passes its panic on: every
/// answer of the API, the largest nested twelve levels deep, must decode there in a debug build,
/// as it would in a user's program on a default runtime.
fn on_worker_stack<F, Fut>(test: F)
where
    F: FnOnce() -> Fut + Send + 'static,
    Fut: Future<Output = ()>,
{
    let worker = std::thread::Builder::new().stack_size(2 << 20).spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
        runtime.unwrap_or_else(|e| panic!("runtime: {e}")).block_on(test())
    });
    let joined = worker.unwrap_or_else(|e| panic!("thread: {e}")).join();
    if let Err(panic) = joined {
        std::panic::resume_unwind(panic);
    }
}
