//! What the hostile-server tests share: the secrets, the client they configure, the calls
//! they make (one per host and per way of decoding an answer), and the hang guard.

#![allow(dead_code)] // Each test binary uses part of it.

use std::time::Duration;

use digitalocean::{Client, ClientBuilder, Error, RetryPolicy};

pub const TOKEN: &str = "dop_v1_hostile-TOKEN-7c1e5a93";
pub const KEY: &str = "sk-do-hostile-KEY-4b8d2f60";
/// The parts of the two secrets no other text has: searched for case-insensitively.
pub const SECRET_CORES: [&str; 2] = ["TOKEN-7c1e5a93", "KEY-4b8d2f60"];

/// The longest any case or test may take.
pub const HANG_GUARD: Duration = Duration::from_secs(15);
pub const MIB: usize = 1024 * 1024;
pub const NAMESPACE: &[u8] = br#"{"namespace": {"label": "ok"}}"#;

/// Whether `text` shows either secret, in any case.
pub fn leaks(text: &str) -> bool {
    let text = text.to_ascii_lowercase();
    SECRET_CORES
        .iter()
        .any(|core| text.contains(&core.to_ascii_lowercase()))
}

/// Everything an error shows: `Display`, `Debug` (both forms) and its sources' `Display`.
pub fn shown(err: &Error) -> String {
    let mut text = format!("{err}\n{err:?}\n{err:#?}");
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(&format!("\n{cause}\n{cause:?}"));
        source = cause.source();
    }
    text
}

/// Retries that are quick (1-5 ms backoff, server waits capped at 200 ms).
pub fn quick_retries() -> RetryPolicy {
    RetryPolicy::default()
        .base_delay(Duration::from_millis(1))
        .max_delay(Duration::from_millis(5))
        .max_retry_wait(Duration::from_millis(200))
}

/// Both credentials, both hosts at `uri`, a 2 s attempt timeout, quick retries.
pub fn builder(uri: &str) -> ClientBuilder {
    Client::builder()
        .token(TOKEN)
        .model_access_key(KEY)
        .base_url(uri)
        .inference_base_url(uri)
        .timeout(Duration::from_secs(2))
        .retry_policy(quick_retries())
}

/// Which operation a case calls, and so which host and credential, and how the answer decodes.
#[derive(Clone, Copy, Debug)]
pub enum Call {
    /// `GET /v2/functions/namespaces/{id}` on the API host with the token (JSON).
    Api,
    /// `GET /v1/models` on the inference host with the model access key (JSON).
    Inference,
    /// The kubeconfig (text).
    Text,
    /// An invoice's CSV (bytes).
    Bytes,
}

pub async fn call(client: &Client, call: Call) -> Result<(), Error> {
    match call {
        Call::Api => client.functions().get_namespace("ns-1").await.map(drop),
        Call::Inference => client.serverless_inference().list_models().await.map(drop),
        Call::Text => client
            .kubernetes()
            .get_kubeconfig("c-1")
            .await
            .map(drop),
        Call::Bytes => client
            .billing()
            .invoices_get_csv_by_uuid("inv-1")
            .await
            .map(drop),
    }
}

/// Runs `test` under the hang guard.
pub async fn guarded<T>(test: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(HANG_GUARD, test)
        .await
        .expect("the test hung")
}
