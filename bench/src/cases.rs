//! The six answers the bench decodes (the table of issue 17), each with the generated crate's
//! type for it ("ours") and `rsdo`'s (progenitor's output: serde's derive on the same shapes).
//!
//! A decoder decodes a body, counts the items of the answer's subject (so that a decode that
//! drops them is caught), and drops the value: dropping is part of what a caller pays.

use digitalocean::models;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes a body; the number of items of the subject, or the decode error.
pub type Decoder = fn(&[u8]) -> Result<usize, String>;

/// Where in a body a decode fails (`None`: it does not), as steps from the top.
pub type Locator = fn(&[u8]) -> Option<Vec<Step>>;

/// One step of a path into a JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// One answer of the table.
pub struct Case {
    /// The row's name.
    pub label: &'static str,
    /// The operation whose success answer it is (the spec's `operationId`).
    pub operation: &'static str,
    /// The member holding what the answer is about: a list of items, or the one item.
    pub subject: &'static str,
    /// How many items the list gets; `None`: the subject is one item.
    pub items: Option<usize>,
    /// The generated answer type, as the generator names it (checked against its IR).
    pub ours_type: &'static str,
    pub ours: Decoder,
    /// `rsdo::types::...` for the same answer.
    pub derive_type: &'static str,
    pub derive: Decoder,
    /// Where rsdo's decode fails (a second decode of its type, tracking the path).
    pub derive_locate: Locator,
}

impl Case {
    /// The number of items a body of this answer holds.
    pub fn expected(&self) -> usize {
        self.items.unwrap_or(1)
    }
}

fn decode<T: DeserializeOwned>(body: &[u8], count: fn(&T) -> usize) -> Result<usize, String> {
    serde_json::from_slice::<T>(body).map(|value| count(&value)).map_err(|e| e.to_string())
}

fn locate<T: DeserializeOwned>(body: &[u8]) -> Option<Vec<Step>> {
    let error = serde_path_to_error::deserialize::<_, T>(&mut serde_json::Deserializer::from_slice(body)).err()?;
    let steps = error.path().iter().map_while(|segment| match segment {
        serde_path_to_error::Segment::Map { key } => Some(Step::Key(key.clone())),
        serde_path_to_error::Segment::Seq { index } => Some(Step::Index(*index)),
        _ => None,
    });
    Some(steps.collect())
}

/// The `serde_json::Value` baseline. Its count is taken apart ([`value_items`]), not in the timing.
pub fn value(body: &[u8]) -> Result<usize, String> {
    serde_json::from_slice::<Value>(body).map(|_| 0).map_err(|e| e.to_string())
}

/// The number of items under `subject` in a body decoded as a `Value`.
pub fn value_items(body: &[u8], subject: &str) -> Result<usize, String> {
    let value: Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
    match value.get(subject) {
        Some(Value::Array(items)) => Ok(items.len()),
        Some(Value::Object(_)) => Ok(1),
        _ => Ok(0),
    }
}

/// The table's rows, in its order.
pub fn all() -> Vec<Case> {
    vec![
        Case {
            label: "200 Droplets",
            operation: "droplets_list",
            subject: "droplets",
            items: Some(200),
            ours_type: "AllDroplets",
            ours: |b| decode::<models::AllDroplets>(b, |a| a.droplets.len()),
            derive_type: "DropletsListResponse",
            derive: |b| decode::<rsdo::types::DropletsListResponse>(b, |a| a.droplets.len()),
            derive_locate: locate::<rsdo::types::DropletsListResponse>,
        },
        Case {
            label: "50 apps with specs",
            operation: "apps_list",
            subject: "apps",
            items: Some(50),
            ours_type: "AppsResponse",
            ours: |b| decode::<models::AppsResponse>(b, |a| a.apps.len()),
            derive_type: "AppsListResponse",
            derive: |b| decode::<rsdo::types::AppsListResponse>(b, |a| a.apps.len()),
            derive_locate: locate::<rsdo::types::AppsListResponse>,
        },
        Case {
            label: "100 database clusters",
            operation: "databases_list_clusters",
            subject: "databases",
            items: Some(100),
            ours_type: "DatabaseClusters",
            ours: |b| decode::<models::DatabaseClusters>(b, |a| a.databases.len()),
            derive_type: "DatabasesListClustersResponse",
            derive: |b| decode::<rsdo::types::DatabasesListClustersResponse>(b, |a| a.databases.len()),
            derive_locate: locate::<rsdo::types::DatabasesListClustersResponse>,
        },
        Case {
            label: "100 Kubernetes clusters",
            operation: "kubernetes_list_clusters",
            subject: "kubernetes_clusters",
            items: Some(100),
            ours_type: "AllClusters",
            ours: |b| decode::<models::AllClusters>(b, |a| a.kubernetes_clusters.len()),
            derive_type: "KubernetesListClustersResponse",
            derive: |b| decode::<rsdo::types::KubernetesListClustersResponse>(b, |a| a.kubernetes_clusters.len()),
            derive_locate: locate::<rsdo::types::KubernetesListClustersResponse>,
        },
        Case {
            label: "100 agents",
            operation: "genai_list_agents",
            subject: "agents",
            items: Some(100),
            ours_type: "ApiListAgentsOutputPublic",
            ours: |b| decode::<models::ApiListAgentsOutputPublic>(b, |a| a.agents.len()),
            derive_type: "GenaiListAgentsResponse",
            derive: |b| decode::<rsdo::types::GenaiListAgentsResponse>(b, |a| a.agents.len()),
            derive_locate: locate::<rsdo::types::GenaiListAgentsResponse>,
        },
        Case {
            label: "one Droplet",
            operation: "droplets_get",
            subject: "droplet",
            items: None,
            ours_type: "ExistingDroplet",
            // The subject is not an `Option` in ours: a body without it does not decode.
            ours: |b| decode::<models::ExistingDroplet>(b, |_| 1),
            derive_type: "DropletsGetResponse",
            derive: |b| decode::<rsdo::types::DropletsGetResponse>(b, |a| usize::from(a.droplet.is_some())),
            derive_locate: locate::<rsdo::types::DropletsGetResponse>,
        },
    ]
}
