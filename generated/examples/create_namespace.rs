//! Creates a Functions namespace, like the official Python sample:
//!
//! ```sh
//! DIGITALOCEAN_TOKEN=dop_v1_... cargo run -p digitalocean --example create_namespace
//! ```
//!
//! `DIGITALOCEAN_API_URL` points it at another server (for example a Prism mock).

use std::process::ExitCode;

use digitalocean::models::CreateNamespace;
use digitalocean::Client;

#[tokio::main]
async fn main() -> ExitCode {
    let client = match Client::from_env() {
        Ok(client) => client,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
    };
    let request = CreateNamespace::new("nyc1", "my namespace");
    match client.functions().create_namespace(request).await {
        Ok(created) => {
            println!("{:#?}", created.namespace);
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
