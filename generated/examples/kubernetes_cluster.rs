//! Creates a Kubernetes cluster with one pool of three nodes and prints its kubeconfig:
//! `DIGITALOCEAN_TOKEN=... cargo run -p digitalocean --example kubernetes_cluster > kubeconfig.yaml`.

use digitalocean::models::{Cluster, KubernetesNodePool};
use digitalocean::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    print!("{}", run(&Client::from_env()?).await?);
    Ok(())
}

pub async fn run(client: &Client) -> Result<String, Error> {
    let workers = KubernetesNodePool::new("s-2vcpu-4gb", "workers", 3);
    let cluster = Cluster::new("prod", "nyc1", "latest", [workers]).tags(["prod"]);
    let created = client.kubernetes().create_cluster(cluster).await?.kubernetes_cluster;
    let id = created.id.expect("the API answers with the new cluster's id");
    client.kubernetes().get_kubeconfig(id).await
}
