//! Creates a PostgreSQL cluster, lets one IP address through its firewall and adds a user
//! for the application: `DIGITALOCEAN_TOKEN=... cargo run -p digitalocean --example postgres_cluster`.

use digitalocean::models::{
    DatabasesAddUserRequest, DatabasesCreateClusterRequest, DatabasesUpdateFirewallRulesRequest, FirewallRule,
};
use digitalocean::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    println!("{}", run(&Client::from_env()?).await?);
    Ok(())
}

pub async fn run(client: &Client) -> Result<String, Error> {
    let request = DatabasesCreateClusterRequest::new("pg-main", "pg", 1, "db-s-1vcpu-1gb", "nyc1").version("17");
    let cluster = client.databases().create_cluster(request).await?.database;
    let id = cluster.id.expect("the API answers with the new cluster's id");
    let office = FirewallRule::new("ip_addr", "203.0.113.7");
    let rules = DatabasesUpdateFirewallRulesRequest::new().rules([office]);
    client.databases().update_firewall_rules(&id, rules).await?;
    let user = client.databases().add_user(&id, DatabasesAddUserRequest::new("app")).await?.user;
    let host = cluster.connection.and_then(|c| c.host).unwrap_or_default();
    Ok(format!("cluster {id} at {host}: user {} password {}", user.name, user.password.unwrap_or_default()))
}
