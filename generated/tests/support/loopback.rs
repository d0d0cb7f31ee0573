//! A scripted HTTP/1.1 server on a loopback address, for the answers a mock server cannot give:
//! a body that stalls, trickles or floods, a lying `Content-Length`, bytes that are not HTTP.
//!
//! Each connection carries one request: the server reads its head (and its body, by
//! `Content-Length`), records the head, and plays the script for that request's number; a
//! script that does not end in [`Step::Hold`] closes the connection. Everything is bounded:
//! a connection lives at most [`CONNECTION_LIFETIME`], and dropping the server stops it and
//! all its connections.

#![allow(dead_code)] // Each test binary uses part of it.

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// The longest a connection is served, whatever its script says.
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(20);

/// The largest request head the server reads.
const MAX_HEAD: usize = 64 * 1024;

/// One step of an answer.
#[derive(Clone, Debug)]
pub enum Step {
    /// Write these bytes.
    Send(Vec<u8>),
    /// Wait this long.
    Pause(Duration),
    /// Write `piece` every `every`, without end (until the client goes away or the lifetime ends).
    Trickle { piece: Vec<u8>, every: Duration },
    /// Write pieces of `piece_size` bytes until `total` bytes are written or the client goes away.
    Flood { piece_size: usize, total: u64 },
    /// Keep the connection open without writing (until the client goes away or the lifetime ends).
    Hold,
}

/// The script: the steps of the answer to request `n` (0 for the first).
pub type Script = Arc<dyn Fn(usize) -> Vec<Step> + Send + Sync>;

/// A running server; stops when dropped.
pub struct Loopback {
    addr: SocketAddr,
    heads: Arc<Mutex<Vec<String>>>,
    sent: Arc<AtomicU64>,
    task: JoinHandle<()>,
}

impl Loopback {
    /// A server on `ip` (any port) answering every request with `steps`.
    pub async fn start(ip: &str, steps: Vec<Step>) -> Loopback {
        Loopback::scripted(ip, Arc::new(move |_| steps.clone())).await
    }

    /// A server on `ip` (any port) answering request `n` with `script(n)`.
    pub async fn scripted(ip: &str, script: Script) -> Loopback {
        let ip: IpAddr = ip.parse().expect("an IP address");
        let listener = TcpListener::bind((ip, 0))
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let heads = Arc::new(Mutex::new(Vec::new()));
        let sent = Arc::new(AtomicU64::new(0));
        let task = tokio::spawn(serve(listener, script, heads.clone(), sent.clone()));
        Loopback {
            addr,
            heads,
            sent,
            task,
        }
    }

    /// `http://<ip>:<port>`.
    pub fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The heads of the requests received so far, as text.
    pub fn heads(&self) -> Vec<String> {
        self.heads.lock().unwrap().clone()
    }

    /// How many bytes of answers were written so far.
    pub fn bytes_sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }
}

impl Drop for Loopback {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    listener: TcpListener,
    script: Script,
    heads: Arc<Mutex<Vec<String>>>,
    sent: Arc<AtomicU64>,
) {
    // Owned here: aborting the server drops the set, which aborts every connection.
    let mut connections = JoinSet::new();
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            return;
        };
        let (script, heads, sent) = (script.clone(), heads.clone(), sent.clone());
        connections.spawn(async move {
            let _ = tokio::time::timeout(CONNECTION_LIFETIME, answer(stream, script, heads, sent))
                .await;
        });
        // Forget the finished ones.
        while connections.try_join_next().is_some() {}
    }
}

async fn answer(
    mut stream: TcpStream,
    script: Script,
    heads: Arc<Mutex<Vec<String>>>,
    sent: Arc<AtomicU64>,
) {
    let Some(head) = read_request(&mut stream).await else {
        return;
    };
    let number = {
        let mut heads = heads.lock().unwrap();
        heads.push(head);
        heads.len() - 1
    };
    for step in script(number) {
        let ok = match step {
            Step::Send(bytes) => write(&mut stream, &bytes, &sent).await,
            Step::Pause(pause) => {
                tokio::time::sleep(pause).await;
                true
            }
            Step::Trickle { piece, every } => loop {
                if !write(&mut stream, &piece, &sent).await {
                    break false;
                }
                tokio::time::sleep(every).await;
            },
            Step::Flood { piece_size, total } => {
                let piece = vec![b'x'; piece_size];
                let mut written = 0u64;
                let mut ok = true;
                while written < total && ok {
                    ok = write(&mut stream, &piece, &sent).await;
                    written += piece_size as u64;
                }
                ok
            }
            Step::Hold => {
                // Until the client closes its side.
                let mut buf = [0u8; 1024];
                while matches!(stream.read(&mut buf).await, Ok(n) if n > 0) {}
                false
            }
        };
        if !ok {
            return;
        }
    }
    let _ = stream.shutdown().await;
}

/// Writes `bytes`; false once the client has gone away.
async fn write(stream: &mut TcpStream, bytes: &[u8], sent: &AtomicU64) -> bool {
    match stream.write_all(bytes).await {
        Ok(()) => {
            sent.fetch_add(bytes.len() as u64, Ordering::Relaxed);
            stream.flush().await.is_ok()
        }
        Err(_) => false,
    }
}

/// Reads a request's head and body (by `Content-Length`); returns the head as text.
async fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut piece = [0u8; 4096];
    let end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        if buf.len() > MAX_HEAD {
            return None;
        }
        let n = stream.read(&mut piece).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&piece[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..end]).into_owned();
    let length: usize = head
        .lines()
        .filter_map(|line| line.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, value)| value.trim().parse().ok())
        .unwrap_or(0);
    let mut body = buf.len() - end;
    while body < length {
        let n = stream.read(&mut piece).await.ok()?;
        if n == 0 {
            return None;
        }
        body += n;
    }
    Some(head)
}

/// A response head: the status line, `connection: close` and the given headers.
pub fn head(status: &str, headers: &[(&str, &str)]) -> Vec<u8> {
    let mut text = format!("HTTP/1.1 {status}\r\nconnection: close\r\n");
    for (name, value) in headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    text.into_bytes()
}

/// A whole answer: the head with `content-type` and `content-length`, then `body`.
pub fn whole(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let length = body.len().to_string();
    let mut bytes = head(
        status,
        &[("content-type", content_type), ("content-length", &length)],
    );
    bytes.extend_from_slice(body);
    bytes
}

/// One chunk of a `transfer-encoding: chunked` body.
pub fn chunk(data: &[u8]) -> Vec<u8> {
    let mut bytes = format!("{:x}\r\n", data.len()).into_bytes();
    bytes.extend_from_slice(data);
    bytes.extend_from_slice(b"\r\n");
    bytes
}
