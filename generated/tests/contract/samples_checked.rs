//! The request samples of every operation (`tests/support/samples/`, generated), checked without
//! Prism. They live in the contract binary, which compiles the samples anyway: a second binary
//! would compile every operation's call a second time.
//!
//! Compiling this test binary is the check that every method's doc example compiles: the docs
//! show the same code (most doc examples are `ignore`d, so that `cargo test --doc` does not
//! compile 659 doctests one by one). The tests below check that the docs and the samples file
//! hold the same code, that every operation has a sample, and run one sample against a loopback
//! server to see that it sends the spec's example.

use crate::{committed_manifest, samples};

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use digitalocean::{Client, RetryPolicy};
use serde_json::json;
use wiremock::matchers::{body_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Every part of the samples file (the modules `samples/mod.rs` declares), concatenated.
fn sample_parts() -> String {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/samples");
    let declarations = std::fs::read_to_string(folder.join("mod.rs")).unwrap_or_default();
    let mut out = String::new();
    for module in declarations.lines().filter_map(|l| l.strip_prefix("mod ")?.strip_suffix(';')) {
        let file = folder.join(format!("{module}.rs"));
        out.push_str(&std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display())));
    }
    assert!(!out.is_empty(), "no samples file");
    out
}

/// Every sample function's body (dedented, without `Ok(())`), by operation id.
fn sample_bodies(parts: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut rest = parts;
    while let Some(at) = rest.find("/// The sample of `") {
        rest = &rest[at + "/// The sample of `".len()..];
        let id = rest.split('`').next().unwrap_or_default().to_owned();
        let open = rest.find("{\n").unwrap_or_else(|| panic!("{id}: no body"));
        let end = rest.find("\n    Ok(())\n}").unwrap_or_else(|| panic!("{id}: no end"));
        let body: String = rest[open + 2..end].lines().map(|l| format!("{}\n", l.strip_prefix("    ").unwrap_or(l))).collect();
        out.insert(id, body);
    }
    out
}

/// Every doc example's code in the method docs of `src/apis/`, by operation id, without the
/// lines rustdoc hides, the `use` line, the client's creation and blank lines.
fn doc_examples() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/apis");
    for entry in std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{}: {e}", folder.display())) {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("(operation `") {
            rest = &rest[at + "(operation `".len()..];
            let id = rest.split('`').next().unwrap_or_default().to_owned();
            let Some(start) = rest.find("/// ```no_run\n") else { break };
            let mut code = String::new();
            for line in rest[start..].lines().skip(1) {
                let line = line.trim_start().strip_prefix("///").unwrap_or("```");
                let line = line.strip_prefix(' ').unwrap_or(line);
                if line == "```" {
                    break;
                }
                let hidden = line.starts_with("# ") || line.starts_with("use digitalocean::") || line.is_empty();
                if !hidden && !line.starts_with("let client = digitalocean::Client::from_env") {
                    code.push_str(line);
                    code.push('\n');
                }
            }
            out.insert(id, code);
        }
    }
    out
}

#[test]
fn docs_show_the_code_the_samples_file_compiles() {
    let bodies = sample_bodies(&sample_parts());
    let docs = doc_examples();
    let operations = committed_manifest().operations.len();
    assert_eq!(bodies.len(), operations);
    assert_eq!(docs.len(), operations);
    for (id, body) in &bodies {
        let body: String = body.lines().filter(|l| !l.is_empty()).map(|l| format!("{l}\n")).collect();
        assert_eq!(docs.get(id), Some(&body), "{id}");
    }
}

#[test]
fn the_seed_sample_reads_like_the_spec_python_sample_with_new() {
    let bodies = sample_bodies(&sample_parts());
    let body = &bodies["functions_create_namespace"];
    assert!(body.contains(".create_namespace(models::CreateNamespace::new(\"nyc1\", \"my namespace\"))"), "{body}");
}

#[test]
fn every_operation_has_one_sample() {
    let manifest = committed_manifest();
    assert_eq!(samples::OPERATIONS.len(), manifest.operations.len());
    let unique: BTreeSet<&str> = samples::OPERATIONS.iter().copied().collect();
    assert_eq!(unique.len(), samples::OPERATIONS.len(), "an operation listed twice");
    for id in samples::OPERATIONS {
        assert!(manifest.operation(id).is_some(), "{id} is not an operation of the manifest (api/)");
    }
}

#[tokio::test]
async fn an_unknown_operation_has_no_sample() {
    let client = Client::builder().token("t").base_url("http://127.0.0.1:9").build().unwrap();
    assert!(samples::run("no_such_operation", &client).await.is_none());
}

#[tokio::test]
async fn the_seed_sample_sends_the_spec_example_and_decodes_the_answer() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v2/functions/namespaces"))
        .and(header("authorization", "Bearer dop_v1_test-token"))
        .and(body_json(json!({ "region": "nyc1", "label": "my namespace" })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "namespace": { "namespace": "fn-1", "label": "my namespace", "region": "nyc1" }
        })))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .token("dop_v1_test-token")
        .base_url(server.uri())
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap_or_else(|e| panic!("client: {e}"));
    let outcome = samples::run("functions_create_namespace", &client).await;
    assert!(matches!(outcome, Some(Ok(()))), "{outcome:?}");
}
