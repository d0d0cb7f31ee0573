//! Request types are built from their required members (`new`) and optional ones chained;
//! unions that requests send convert from their variants' values.

use digitalocean::models::{
    Cluster, CreateNamespace, DropletCreateImage, DropletCreateSshKeysItem, DropletSingleCreate,
    DropletsCreateRequest, KubernetesNodePool,
};
use serde_json::json;

#[test]
fn new_takes_the_required_members_and_leaves_the_optional_ones_unset() {
    let namespace = CreateNamespace::new("nyc1", "my namespace");
    assert_eq!(serde_json::to_value(&namespace).unwrap(), json!({"region": "nyc1", "label": "my namespace"}));

    let droplet = DropletSingleCreate::new("web-1", "s-1vcpu-1gb", "ubuntu-24-04-x64");
    assert_eq!(
        serde_json::to_value(&droplet).unwrap(),
        json!({"name": "web-1", "size": "s-1vcpu-1gb", "image": "ubuntu-24-04-x64"})
    );
}

#[test]
fn optional_members_are_chained_and_take_what_converts() {
    let droplet = DropletSingleCreate::new("web-1", "s-1vcpu-1gb", 12345)
        .region("nyc3")
        .ssh_keys([DropletCreateSshKeysItem::from(289794), "3b:16:e4".into()])
        .tags(["web", "env:prod"])
        .monitoring(true);
    assert_eq!(droplet.image, DropletCreateImage::Integer(12345));
    assert_eq!(
        serde_json::to_value(DropletsCreateRequest::from(droplet)).unwrap(),
        json!({
            "name": "web-1", "region": "nyc3", "size": "s-1vcpu-1gb", "image": 12345,
            "ssh_keys": [289794, "3b:16:e4"], "monitoring": true, "tags": ["web", "env:prod"]
        })
    );
}

#[test]
fn a_cluster_needs_four_members_of_its_thirty_one() {
    let pool = KubernetesNodePool::new("s-1vcpu-2gb", "worker-pool", 3);
    let cluster = Cluster::new("prod", "nyc1", "latest", [pool]).tags(["web"]).ha(true);
    assert_eq!(
        serde_json::to_value(&cluster).unwrap(),
        json!({
            "name": "prod", "region": "nyc1", "version": "latest", "tags": ["web"], "ha": true,
            "node_pools": [{"size": "s-1vcpu-2gb", "name": "worker-pool", "count": 3}]
        })
    );
}

