//! Lists every Droplet that carries a tag, however many pages the API splits them into:
//! `DIGITALOCEAN_TOKEN=... cargo run -p digitalocean --example droplets_by_tag -- web`.

use digitalocean::{Client, Error};
use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let tag = std::env::args().nth(1).unwrap_or_else(|| "web".to_owned());
    for line in run(&Client::from_env()?, &tag).await? {
        println!("{line}");
    }
    Ok(())
}

pub async fn run(client: &Client, tag: &str) -> Result<Vec<String>, Error> {
    let droplets = client.droplets().list().tag_name(tag).per_page(200).stream();
    droplets.map_ok(|d| format!("{} {} {}", d.id, d.name, d.status)).try_collect().await
}
