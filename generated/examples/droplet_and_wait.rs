//! Uploads an SSH public key, creates a tagged Droplet that accepts it, and waits until the
//! Droplet is up: `cargo run -p digitalocean --example droplet_and_wait -- "$(cat ~/.ssh/id_ed25519.pub)"`
//! with `DIGITALOCEAN_TOKEN` set.

use digitalocean::models::{DropletCreateResponse, DropletSingleCreate, SshKeys};
use digitalocean::{Client, Error, WaitOptions};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let public_key = std::env::args().nth(1).expect("usage: droplet_and_wait <ssh public key>");
    run(&Client::from_env()?, &public_key, WaitOptions::default()).await
}

pub async fn run(client: &Client, public_key: &str, wait: WaitOptions) -> Result<(), Error> {
    let key = client.ssh_keys().create(SshKeys::new(public_key, "laptop")).await?.ssh_key;
    let key_id = key.id.expect("the API answers with the new key's id");
    let droplet = DropletSingleCreate::new("web-1", "s-1vcpu-1gb", "ubuntu-24-04-x64")
        .region("nyc3")
        .ssh_keys([key_id])
        .tags(["web", "env:demo"]);
    let DropletCreateResponse::SingleDropletResponse(created) = client.droplets().create(droplet).await? else {
        unreachable!("one name, one Droplet");
    };
    let create_action = created.links.actions.unwrap_or_default().into_iter().next();
    let done = client.actions().wait_for(&create_action, wait).await?;
    let (id, name) = (created.droplet.id, created.droplet.name);
    println!("Droplet {id} ({name}) is ready since {}", done.completed_at.unwrap_or_default());
    Ok(())
}
