//! Every operation's request sample (`tests/support/samples/`, the call its docs show, with the
//! spec's example values) against Prism: Prism validates each request (path, query, headers,
//! body, credential) and answers with the spec's example, which the client must decode into its
//! typed answer (bytes or text for CSV, PDF, YAML).
//!
//! The inference host and the agent URL are overridden to Prism through the builder, and the one
//! operation sent to a URL the caller passes (the pre-signed upload) is given Prism's URL.
//! Operations that fail because of an error in the upstream spec are listed, with the pointer of
//! the error and Prism's violation, in `spec/contract-exceptions.txt`: the test fails on any other
//! failure, and on a listed operation that passes (so the list never goes stale). An operation
//! whose body is YAML, which Prism does not parse, may be rejected for that alone, and is
//! counted apart. It prints `contract: N run, N passed, N excepted`.

use digitalocean::reqwest::header::HeaderMap;

use super::{describe, exceptions, figures, on_worker_stack, prism, prism_client, run_sample, samples, unread_body, yaml_bodies};

async fn every_operation() {
    let url = prism::prism().base_url().to_owned();
    let client = prism_client(&url, HeaderMap::new());
    let listed = exceptions();
    let yaml = yaml_bodies();
    let (mut passed, mut excepted, mut unread) = (0, 0, 0);
    let mut problems = Vec::new();
    for id in samples::OPERATIONS {
        match (run_sample(&url, &client, id).await, listed.get(*id)) {
            (Ok(()), None) => passed += 1,
            (Err(e), None) if yaml.contains(*id) && unread_body(&e) => unread += 1,
            (Ok(()), Some((pointer, _))) => {
                problems.push(format!("{id}: passes now; remove it from spec/contract-exceptions.txt ({pointer})"))
            }
            (Err(_), Some(_)) => excepted += 1,
            (Err(e), None) => problems.push(format!("{id}: {}", describe(&e))),
        }
    }
    for id in listed.keys() {
        if !samples::OPERATIONS.contains(&id.as_str()) {
            problems.push(format!("{id}: listed in spec/contract-exceptions.txt but not an operation"));
        }
    }
    let figure = format!("contract: {} run, {passed} passed, {excepted} excepted", samples::OPERATIONS.len());
    // Only where the spec has YAML bodies (none in the pin): said, not hidden.
    let unread = if unread > 0 { format!(", {unread} with a YAML body Prism cannot read") } else { String::new() };
    figures::report("contract", &format!("{figure}{unread}"));
    let prism = prism::prism();
    let (spec, log) = (prism.spec().display(), prism.log().display());
    assert!(problems.is_empty(), "{} problems (Prism serving {spec}, log {log}):\n{}", problems.len(), problems.join("\n"));
    // Every operation of the spec Prism serves was run.
    let served = codegen::load::load(prism.spec()).unwrap();
    assert_eq!(samples::OPERATIONS.len(), served.doc.operations().count());
}

#[test]
fn every_operation_against_prism() {
    on_worker_stack(every_operation);
}
