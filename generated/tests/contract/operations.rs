//! Every operation's request sample (`tests/support/samples/`, the call its docs show, with the
//! spec's example values) against Stoplight Prism serving the spec: Prism validates each request
//! (path, query, headers, body, credential) and answers with the spec's example, which the
//! client must decode into its typed answer (bytes or text for CSV, PDF, YAML).
//!
//! One Prism for the whole run (`support/prism.rs`); the inference host and the agent URL are
//! overridden to it through the builder, and the one operation sent to a URL the caller passes
//! (the pre-signed upload) is given Prism's URL. Operations that fail because of an error in the
//! upstream spec are listed, with the pointer of the error and Prism's violation, in
//! `spec/contract-exceptions.txt`: the test fails on any other failure, and on a listed operation
//! that passes (so the list never goes stale). It prints `contract: N run, N passed, N excepted`.

#[path = "support/prism.rs"]
mod prism;
#[path = "support/samples/mod.rs"]
mod samples;

use std::collections::BTreeMap;
use std::path::Path;

use digitalocean::{Client, Error, RetryPolicy};

/// The operation sent to a URL the caller passes: its spec path is `/<upload_url>`.
const UPLOAD: &str = "inference_upload_batch_file";

/// `spec/contract-exceptions.txt`: operation id -> (pointer, reason).
fn exceptions() -> BTreeMap<String, (String, String)> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/contract-exceptions.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.splitn(3, " | ").map(str::trim).collect();
        let [id, pointer, reason] = parts[..] else {
            panic!("{}:{}: expected `<operation id> | <pointer> | <reason>`", path.display(), n + 1)
        };
        assert!(pointer.starts_with('/') && !reason.is_empty(), "{}:{}: a pointer and a reason", path.display(), n + 1);
        let previous = out.insert(id.to_owned(), (pointer.to_owned(), reason.to_owned()));
        assert!(previous.is_none(), "{}:{}: {id} listed twice", path.display(), n + 1);
    }
    out
}

fn client(url: &str) -> Client {
    Client::builder()
        .token("dop_v1_contract-test-token")
        .model_access_key("contract-test-model-access-key")
        .base_url(url)
        .inference_base_url(url)
        .agent_base_url(url)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap_or_else(|e| panic!("client: {e}"))
}

/// What went wrong, with Prism's violations when it rejected the request.
fn describe(error: &Error) -> String {
    match error {
        Error::Api(api) => format!(
            "{}: {}",
            api.status(),
            api.headers()
                .get("sl-violations")
                .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                .or_else(|| api.raw_body().map(str::to_owned))
                .unwrap_or_default()
        ),
        other => other.to_string(),
    }
}

async fn run(url: &str, client: &Client, id: &str) -> Result<(), String> {
    if id == UPLOAD {
        // The sample's URL is a placeholder for the pre-signed one; Prism serves `/<upload_url>`.
        let upload = format!("{url}/%3Cupload_url%3E");
        return client.batch_inference().upload_batch_file(&upload, b"<file contents>".to_vec()).await.map_err(|e| describe(&e));
    }
    match samples::run(id, client).await {
        Some(outcome) => outcome.map_err(|e| describe(&e)),
        None => Err("no sample".to_owned()),
    }
}

async fn every_operation() {
    let url = prism::prism().base_url().to_owned();
    let client = client(&url);
    let listed = exceptions();
    let (mut passed, mut excepted) = (0, 0);
    let mut problems = Vec::new();
    for id in samples::OPERATIONS {
        match (run(&url, &client, id).await, listed.get(*id)) {
            (Ok(()), None) => passed += 1,
            (Ok(()), Some((pointer, _))) => {
                problems.push(format!("{id}: passes now; remove it from spec/contract-exceptions.txt ({pointer})"))
            }
            (Err(_), Some(_)) => excepted += 1,
            (Err(why), None) => problems.push(format!("{id}: {why}")),
        }
    }
    for id in listed.keys() {
        if !samples::OPERATIONS.contains(&id.as_str()) {
            problems.push(format!("{id}: listed in spec/contract-exceptions.txt but not an operation"));
        }
    }
    println!("contract: {} run, {passed} passed, {excepted} excepted", samples::OPERATIONS.len());
    let prism = prism::prism();
    let (spec, log) = (prism.spec().display(), prism.log().display());
    assert!(problems.is_empty(), "{} problems (Prism serving {spec}, log {log}):\n{}", problems.len(), problems.join("\n"));
    assert_eq!(samples::OPERATIONS.len(), 659);
}

#[test]
fn every_operation_against_prism() {
    // Decoding the largest answers (the GenAI agent) takes more stack than a test thread's
    // 2 MiB in a debug build.
    let worker = std::thread::Builder::new().stack_size(64 << 20).spawn(|| {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build();
        runtime.unwrap_or_else(|e| panic!("runtime: {e}")).block_on(every_operation())
    });
    let joined = worker.unwrap_or_else(|e| panic!("thread: {e}")).join();
    if let Err(panic) = joined {
        std::panic::resume_unwind(panic);
    }
}
