//! Adds a domain and an A record pointing `www` at an address:
//! `DIGITALOCEAN_TOKEN=... cargo run -p digitalocean --example domain_record -- example.com 203.0.113.7`.

use digitalocean::models::{Domain, DomainRecord, DomainsCreateRecordRequest};
use digitalocean::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let (domain, address) = (args.next().expect("usage: domain_record <domain> <ip>"), args.next().expect("an ip"));
    println!("{}", run(&Client::from_env()?, &domain, &address).await?);
    Ok(())
}

pub async fn run(client: &Client, domain: &str, address: &str) -> Result<String, Error> {
    client.domains().create().body(Domain::new().name(domain)).await?;
    let a = DomainRecord::new("A").name("www").data(address).ttl(1800);
    let created = client.domain_records().create_record(domain, DomainsCreateRecordRequest::A(a)).await?;
    let record = created.domain_record;
    Ok(format!("record {} : www.{domain} A {}", record.id.unwrap_or_default(), record.data.unwrap_or_default()))
}
