//! Requests on loopback (issue 17): how much a call through the generated client costs beyond
//! the HTTP library it is built on. A server in this process answers every `GET` with the one
//! Droplet body; [`REQUESTS`] requests are sent with [`IN_FLIGHT`] in flight three ways, in turn
//! within each run:
//!
//! - ours: `client.droplets().get(1).await` (the whole client: retry loop, headers, rate-limit
//!   parse, tracing, decoding);
//! - bare reqwest, decoding the body into the same type (`serde_json::from_slice`);
//! - bare reqwest, without decoding.
//!
//! The figures are requests per second and CPU time per request (the whole process, server
//! included, from `/proc/self/stat`), and the per-run ratio of ours to bare reqwest with the
//! same decoding.

use std::time::Instant;

use futures_util::{stream, StreamExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::measure::median;

/// Requests per way per run.
pub const REQUESTS: usize = 10_000;
/// Requests in flight at once.
pub const IN_FLIGHT: usize = 64;

/// One way of sending the requests.
#[derive(Clone, Copy)]
enum Way {
    Ours,
    BareDecoded,
    Bare,
}

const WAYS: [Way; 3] = [Way::Ours, Way::BareDecoded, Way::Bare];

/// Runs the three ways `runs` times each against a loopback server answering `body`; the lines
/// of the report.
pub fn run(body: Vec<u8>, runs: usize) -> Result<Vec<String>, String> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.map_err(|e| e.to_string())?;
        let base = format!("http://{}", listener.local_addr().map_err(|e| e.to_string())?);
        tokio::spawn(serve(listener, body));
        let ours = digitalocean::Client::builder().base_url(&base).token("bench-token").build().map_err(|e| e.to_string())?;
        let bare = reqwest::Client::new();
        let url = format!("{base}/v2/droplets/1");
        // (requests per second, CPU µs per request) of each way in each run.
        let mut figures = vec![Vec::new(); WAYS.len()];
        for round in 0..=runs {
            for k in 0..WAYS.len() {
                let way = (round + k) % WAYS.len();
                let cpu = cpu_seconds();
                let started = Instant::now();
                send_all(WAYS[way], &ours, &bare, &url).await?;
                let wall = started.elapsed().as_secs_f64();
                let cpu = cpu_seconds() - cpu;
                // Round 0 warms up (connections, allocator) and is not counted.
                if round > 0 {
                    figures[way].push((REQUESTS as f64 / wall, cpu / REQUESTS as f64 * 1e6));
                }
            }
        }
        Ok(report(&figures))
    })
}

fn report(figures: &[Vec<(f64, f64)>]) -> Vec<String> {
    let names = ["ours (client.droplets().get)", "bare reqwest + the same decoding", "bare reqwest, no decoding"];
    let mut out = vec![
        format!("requests on loopback: {REQUESTS} GETs of the one-Droplet answer, {IN_FLIGHT} in flight, {} runs; medians", figures[0].len()),
        String::new(),
        "| way | requests/s | CPU µs per request (process, server included) |".to_owned(),
        "|---|--:|--:|".to_owned(),
    ];
    for (name, runs) in names.iter().zip(figures) {
        let rate: Vec<f64> = runs.iter().map(|r| r.0).collect();
        let cpu: Vec<f64> = runs.iter().map(|r| r.1).collect();
        out.push(format!("| {name} | {:.0} | {:.1} |", median(&rate), median(&cpu)));
    }
    let ratios: Vec<f64> = figures[0].iter().zip(&figures[1]).map(|(o, b)| o.1 / b.1).collect();
    out.push(String::new());
    out.push(format!("CPU per request, ours / (bare reqwest + the same decoding), median of the runs: {:.2}", median(&ratios)));
    out
}

/// Sends [`REQUESTS`] requests `way`, [`IN_FLIGHT`] at once; fails on the first failure.
async fn send_all(way: Way, ours: &digitalocean::Client, bare: &reqwest::Client, url: &str) -> Result<(), String> {
    let calls = stream::iter(0..REQUESTS).map(|_| async move {
        match way {
            Way::Ours => ours.droplets().get(1).await.map(drop).map_err(|e| e.to_string()),
            Way::BareDecoded => {
                let bytes = fetch(bare, url).await?;
                serde_json::from_slice::<digitalocean::models::ExistingDroplet>(&bytes).map(drop).map_err(|e| e.to_string())
            }
            Way::Bare => fetch(bare, url).await.map(drop),
        }
    });
    let mut results = calls.buffer_unordered(IN_FLIGHT);
    while let Some(result) = results.next().await {
        result?;
    }
    Ok(())
}

/// The body of `GET url` with a bearer token, as bare reqwest reads it.
async fn fetch(client: &reqwest::Client, url: &str) -> Result<bytes::Bytes, String> {
    let answer = client.get(url).bearer_auth("bench-token").send().await.map_err(|e| e.to_string())?;
    answer.error_for_status().map_err(|e| e.to_string())?.bytes().await.map_err(|e| e.to_string())
}

/// Answers every request on every connection with `body` (HTTP/1.1, kept alive).
async fn serve(listener: TcpListener, body: Vec<u8>) {
    let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len());
    let answer: std::sync::Arc<[u8]> = [head.as_bytes(), &body].concat().into();
    while let Ok((mut socket, _)) = listener.accept().await {
        let answer = answer.clone();
        tokio::spawn(async move {
            let mut pending = Vec::new();
            let mut chunk = vec![0; 16 * 1024];
            loop {
                let Ok(read) = socket.read(&mut chunk).await else { return };
                if read == 0 {
                    return;
                }
                pending.extend_from_slice(&chunk[..read]);
                // Every request is a GET without a body: one answer per end of headers.
                while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                    pending.drain(..end + 4);
                    if socket.write_all(&answer).await.is_err() {
                        return;
                    }
                }
            }
        });
    }
}

/// The CPU time this process has used (user and system), in seconds; Linux reports it in ticks
/// of 1/100 s.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else { return 0.0 };
    // The fields after the command name (which is in parentheses and may hold spaces).
    let fields: Vec<&str> = stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().collect()).unwrap_or_default();
    // utime and stime are fields 14 and 15 of the line; the fields after the name start at 3.
    let ticks = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}
