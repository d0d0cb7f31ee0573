//! A walk holds at most one page: the peak of live heap bytes while walking 300 large pages is
//! about that of walking 20. A counting global allocator measures it; this binary has a single
//! test so that nothing else allocates meanwhile (but the loopback server, the same for every page).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use digitalocean::Client;
use futures_util::StreamExt;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const IMAGES_PER_PAGE: i64 = 200;

/// A minimal HTTP/1.1 server on loopback (keep-alive, no recording: wiremock keeps every
/// request it matched, which would grow with the page count) serving `pages` pages of
/// `IMAGES_PER_PAGE` images each at any path. Returns its base URL.
async fn server(pages: u64) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                loop {
                    let Ok(n) = socket.read(&mut buf).await else { return };
                    if n == 0 {
                        return;
                    }
                    head.extend_from_slice(&buf[..n]);
                    let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") else { continue };
                    let text = String::from_utf8_lossy(&head[..end]).into_owned();
                    head.drain(..end + 4);
                    let target = text.split(' ').nth(1).unwrap_or("/").to_owned();
                    let page: u64 = target
                        .split(['?', '&'])
                        .find_map(|pair| pair.strip_prefix("page="))
                        .map_or(1, |v| v.parse().unwrap());
                    let body = page_body(page, pages);
                    let answer = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
                        body.len()
                    );
                    if socket.write_all(answer.as_bytes()).await.is_err() || socket.write_all(&body).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    url
}

fn page_body(page: u64, pages: u64) -> Vec<u8> {
    let images: Vec<_> = (0..IMAGES_PER_PAGE)
        .map(|i| json!({"id": page as i64 * 1000 + i, "slug": format!("image-{page}-{i}-with-a-long-enough-slug"), "regions": ["nyc1", "ams3"]}))
        .collect();
    let mut body = json!({"images": images, "meta": {"total": pages as i64 * IMAGES_PER_PAGE}});
    if page < pages {
        body["links"] = json!({"pages": {"next": format!("https://api.digitalocean.com/v2/images?page={}&per_page=200", page + 1)}});
    }
    serde_json::to_vec(&body).unwrap()
}

/// Walks every item of a `pages`-page listing; the peak of live bytes above the start, and
/// the number of items.
async fn walk(pages: u64) -> (usize, usize) {
    let base_url = server(pages).await;
    let client = Client::builder().token("t").base_url(base_url).build().unwrap();
    // Warm up the connection pool and the client's lazily built parts.
    let _ = client.images().list().per_page(200).pages().next().await;
    let start = LIVE.load(Ordering::Relaxed);
    PEAK.store(start, Ordering::Relaxed);
    let mut stream = client.images().list().per_page(200).stream();
    let mut items = 0;
    while let Some(item) = stream.next().await {
        item.unwrap();
        items += 1;
    }
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(start);
    (peak, items)
}

#[tokio::test(flavor = "current_thread")]
async fn the_peak_of_live_memory_does_not_grow_with_the_number_of_pages() {
    let (peak_20, items_20) = walk(20).await;
    let (peak_300, items_300) = walk(300).await;
    assert_eq!(items_20, 20 * IMAGES_PER_PAGE as usize);
    assert_eq!(items_300, 300 * IMAGES_PER_PAGE as usize);
    eprintln!("peak live bytes above the start: 20 pages {peak_20}, 300 pages {peak_300}");
    // Holding every page would make the second peak about 20 times the first.
    assert!(
        peak_300 < peak_20 * 3 / 2,
        "20 pages peaked at {peak_20} bytes, 300 pages at {peak_300}"
    );
}
