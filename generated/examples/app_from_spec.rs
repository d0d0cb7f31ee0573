//! Creates an App Platform app from an app spec (one service built from a GitHub repository)
//! and lists its deployments: `DIGITALOCEAN_TOKEN=... cargo run -p digitalocean --example app_from_spec`.

use digitalocean::models::{AppServiceSpec, AppSpec, AppsCreateAppRequest, AppsGithubSourceSpec};
use digitalocean::{Client, Error};
use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Error> {
    for line in run(&Client::from_env()?).await? {
        println!("{line}");
    }
    Ok(())
}

pub async fn run(client: &Client) -> Result<Vec<String>, Error> {
    let source = AppsGithubSourceSpec::new().repo("digitalocean/sample-golang").branch("main").deploy_on_push(true);
    let web = AppServiceSpec::new("web").github(source).http_port(8080).instance_size_slug("apps-s-1vcpu-1gb");
    let spec = AppSpec::new("sample-golang").region("nyc").services([web]);
    let app = client.apps().create(AppsCreateAppRequest::new(spec)).await?.app;
    let id = app.id.expect("the API answers with the new app's id");
    let deployments = client.apps().list_deployments(id).stream();
    deployments.map_ok(|d| format!("{} {}", d.id.unwrap_or_default(), d.phase.unwrap_or_default())).try_collect().await
}
