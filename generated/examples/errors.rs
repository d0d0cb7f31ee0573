//! Looks a Droplet up by id: a 404 and a 429 are answers to handle, not failures, and every
//! answer, errors included, carries the rate limit:
//! `DIGITALOCEAN_TOKEN=... cargo run -p digitalocean --example errors -- 3164444`.

use digitalocean::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let id = std::env::args().nth(1).and_then(|arg| arg.parse().ok()).unwrap_or(3164444);
    println!("{}", run(&Client::from_env()?, id).await?);
    Ok(())
}

pub async fn run(client: &Client, id: i64) -> Result<String, Error> {
    match client.droplets().get(id).with_meta().await {
        Ok(found) => {
            let left = found.rate_limit().map_or(0, |rate| rate.remaining);
            let name = found.into_inner().droplet.name;
            Ok(format!("Droplet {id} is {name}; {left} requests left this hour"))
        }
        Err(err) if err.is_not_found() => {
            let left = err.rate_limit().map_or(0, |rate| rate.remaining);
            Ok(format!("no Droplet {id}; {left} requests left this hour"))
        }
        Err(err) if err.is_rate_limited() => {
            let reset = err.rate_limit().map_or(0, |rate| rate.reset);
            Ok(format!("rate limited until {reset} (Unix time)"))
        }
        Err(err) => Err(err),
    }
}
