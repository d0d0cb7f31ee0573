//! Server-sent events end to end through the generated streaming variants
//! (`create_chat_completion(..).events()`, ...), against a hand-rolled loopback HTTP/1.1 server that
//! writes its answer in small pieces with short pauses (wiremock sends a body at once).
//!
//! Every test runs under a timeout, so that a stream that never ends fails instead of hanging.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use digitalocean::models::{
    ChatCompletionChunk, ChatCompletionRequest, MessagesCreateRequest, MessagesStreamEventType,
};
use digitalocean::{Client, Error, EventStream, StreamErrorKind, DEFAULT_MAX_EVENT_SIZE};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const TOKEN: &str = "dop_v1_api-token-SECRET";
const KEY: &str = "sk-do-model-access-key-SECRET";

/// How a test's server ends its answer.
#[derive(Clone, Copy, PartialEq)]
enum End {
    /// Chunked body, finished with its last chunk.
    Chunked,
    /// Chunked body, and the connection closed without the last chunk (a dropped connection).
    Drop,
    /// Body delimited by closing the connection (no `Content-Length`, not chunked).
    Close,
    /// Keep the connection open, sending nothing more (the stream must end by itself).
    Hang,
}

/// One answer: status line, content type, body (sent in pieces of `piece` bytes), end.
struct Answer {
    status: &'static str,
    content_type: &'static str,
    body: Vec<u8>,
    piece: usize,
    end: End,
}

impl Answer {
    fn events(body: &str) -> Answer {
        Answer {
            status: "200 OK",
            content_type: "text/event-stream",
            body: body.as_bytes().to_vec(),
            piece: 7,
            end: End::Chunked,
        }
    }

    fn end(mut self, end: End) -> Answer {
        self.end = end;
        self
    }
}

/// What the server received: request head (lower-cased header names) and body.
#[derive(Default, Clone)]
struct Received {
    head: String,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_owned())
        })
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("the request body is JSON")
    }
}

/// Starts a server that answers one request with `answer`; returns its URL and what it got.
async fn serve(answer: Answer) -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("address"));
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = received.clone();
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else { return };
        // The request: the head up to the blank line, then Content-Length bytes of body.
        let mut data = Vec::new();
        let mut buf = [0u8; 4096];
        let head_end = loop {
            if let Some(at) = data.windows(4).position(|w| w == b"\r\n\r\n") {
                break at + 4;
            }
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => data.extend_from_slice(&buf[..n]),
            }
        };
        let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
        let length = head
            .lines()
            .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0);
        while data.len() < head_end + length {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => data.extend_from_slice(&buf[..n]),
            }
        }
        log.lock().unwrap().push(Received { head, body: data[head_end..head_end + length].to_vec() });

        let framing = if answer.end == End::Close { "connection: close" } else { "transfer-encoding: chunked" };
        let head = format!(
            "HTTP/1.1 {}\r\ncontent-type: {}\r\nx-request-id: req-42\r\n{framing}\r\n\r\n",
            answer.status, answer.content_type
        );
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        for piece in answer.body.chunks(answer.piece.max(1)) {
            let bytes = if answer.end == End::Close {
                piece.to_vec()
            } else {
                let mut chunk = format!("{:x}\r\n", piece.len()).into_bytes();
                chunk.extend_from_slice(piece);
                chunk.extend_from_slice(b"\r\n");
                chunk
            };
            if socket.write_all(&bytes).await.is_err() || socket.flush().await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(3)).await;
        }
        match answer.end {
            End::Chunked => {
                let _ = socket.write_all(b"0\r\n\r\n").await;
            }
            End::Hang => tokio::time::sleep(Duration::from_secs(60)).await,
            End::Drop | End::Close => {}
        }
        let _ = socket.shutdown().await;
    });
    (url, received)
}

/// A client whose inference host (and agent URL) is `url`, and whose API host is elsewhere.
fn client(url: &str) -> Client {
    Client::builder()
        .token(TOKEN)
        .model_access_key(KEY)
        .base_url("http://127.0.0.1:9")
        .inference_base_url(url)
        .agent_base_url(url)
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client")
}

/// Runs a test body with a bound, so that a stream that never ends fails the test.
async fn bounded<F: Future<Output = ()>>(test: F) {
    tokio::time::timeout(Duration::from_secs(20), test).await.expect("the test hung");
}

fn chat_request() -> ChatCompletionRequest {
    serde_json::from_value(json!({
        "model": "llama3.3-70b-instruct",
        "messages": [{"role": "user", "content": "Hello?"}],
        "stream": false
    }))
    .expect("a chat completion request")
}

fn messages_request() -> MessagesCreateRequest {
    serde_json::from_value(json!({
        "model": "anthropic-claude-3.5-haiku",
        "max_tokens": 64,
        "messages": [{"role": "user", "content": "Hello?"}]
    }))
    .expect("a messages request")
}

fn chunk(content: &str) -> String {
    json!({
        "id": "chatcmpl-1",
        "object": "chat.completion.chunk",
        "created": 1_700_000_000,
        "model": "llama3.3-70b-instruct",
        "choices": [{"index": 0, "delta": {"content": content}, "finish_reason": null}]
    })
    .to_string()
}

fn content(chunk: &ChatCompletionChunk) -> String {
    chunk.choices[0].delta.content.clone().unwrap_or_default()
}

/// Every item of the stream until it ends, with a bound on how many.
async fn collect<T>(mut stream: EventStream<T>) -> Vec<Result<T, Error>> {
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(item);
        assert!(items.len() < 100, "the stream does not end");
    }
    items
}

fn stream_kind(err: &Error) -> (&StreamErrorKind, u64) {
    match err {
        Error::Stream(stream) => (&stream.kind, stream.event),
        other => panic!("expected a stream error, got {other:?}"),
    }
}

#[tokio::test]
async fn events_split_across_pieces_arrive_whole_with_stream_true_and_the_key_on_the_inference_host() {
    bounded(async {
        let body = format!("data: {}\n\ndata: {}\n\ndata: {}\n\ndata: [DONE]\n\n", chunk("Hel"), chunk("lo"), chunk("!"));
        let (url, received) = serve(Answer::events(&body)).await;
        let stream = client(&url)
            .serverless_inference()
            .create_chat_completion(chat_request()).events()
            .await
            .expect("the stream starts");
        assert_eq!(stream.request_id(), Some("req-42"));
        let items = collect(stream).await;
        let texts: Vec<String> = items.iter().map(|i| content(i.as_ref().expect("an event"))).collect();
        assert_eq!(texts, ["Hel", "lo", "!"]);

        let received = received.lock().unwrap().clone();
        assert_eq!(received.len(), 1);
        let request = &received[0];
        assert!(request.head.starts_with("POST /v1/chat/completions "), "{}", request.head);
        assert_eq!(request.header("authorization").as_deref(), Some(format!("Bearer {KEY}").as_str()));
        assert!(!request.head.contains(TOKEN), "the API token went to the inference host");
        assert_eq!(request.header("accept").as_deref(), Some("text/event-stream"));
        let sent = request.json();
        assert_eq!(sent["stream"], json!(true), "the caller's `stream: false` is replaced");
        assert_eq!(sent["model"], json!("llama3.3-70b-instruct"));
    })
    .await;
}

#[tokio::test]
async fn multi_line_data_is_one_event_whatever_the_line_ends() {
    bounded(async {
        // One JSON value spread over three `data:` lines (CRLF line ends), one over two (CR).
        let first = "data: {\"id\": \"c\", \"object\": \"chat.completion.chunk\",\r\ndata: \"created\": 1, \"model\": \"m\",\r\ndata: \"choices\": [{\"index\": 0, \"delta\": {\"content\": \"multi\"}, \"finish_reason\": null}]}\r\n\r\n";
        let second = format!("data: {}\rdata: \r\r", chunk("line"));
        let body = format!("{first}{second}data: [DONE]\n\n");
        let (url, _) = serve(Answer::events(&body)).await;
        let stream = client(&url).serverless_inference().create_chat_completion(chat_request()).events().await.unwrap();
        let items = collect(stream).await;
        let texts: Vec<String> = items.iter().map(|i| content(i.as_ref().expect("an event"))).collect();
        assert_eq!(texts, ["multi", "line"]);
    })
    .await;
}

#[tokio::test]
async fn comments_keep_alives_and_blocks_without_data_are_skipped() {
    bounded(async {
        let body = format!(
            ": connected\n\ndata: {}\n\n: keep-alive\n\n:\n\ndata:\n\nretry: 1000\n\nid: 7\n\nevent: ping\n\ndata: {}\n: trailing comment\n\ndata: [DONE]\n\n",
            chunk("a"),
            chunk("b")
        );
        let (url, _) = serve(Answer::events(&body)).await;
        let stream = client(&url).serverless_inference().create_chat_completion(chat_request()).events().await.unwrap();
        let items = collect(stream).await;
        let texts: Vec<String> = items.iter().map(|i| content(i.as_ref().expect("an event"))).collect();
        assert_eq!(texts, ["a", "b"]);
    })
    .await;
}

#[tokio::test]
async fn done_ends_the_stream_while_the_connection_stays_open() {
    bounded(async {
        // After [DONE] the server neither sends nor closes: the stream ends all the same, and
        // what follows [DONE] is never read as an event.
        let body = format!("data: {}\n\ndata: [DONE]\n\ndata: {}\n\n", chunk("only"), chunk("after"));
        let (url, _) = serve(Answer::events(&body).end(End::Hang)).await;
        let stream = client(&url).serverless_inference().create_chat_completion(chat_request()).events().await.unwrap();
        let items = collect(stream).await;
        assert_eq!(items.len(), 1);
        assert_eq!(content(items[0].as_ref().unwrap()), "only");
    })
    .await;
}

#[tokio::test]
async fn an_error_event_is_an_err_item_and_ends_the_stream() {
    bounded(async {
        // Anthropic style: `event: error`.
        let body = "event: message_start\ndata: {\"type\": \"message_start\", \"message\": {}}\n\n\
                    event: error\ndata: {\"type\": \"error\", \"error\": {\"type\": \"overloaded_error\", \"message\": \"Overloaded\"}}\n\n\
                    event: message_stop\ndata: {\"type\": \"message_stop\"}\n\n";
        let (url, _) = serve(Answer::events(body)).await;
        let stream = client(&url).serverless_inference().create_messages(messages_request()).events().await.unwrap();
        let items = collect(stream).await;
        assert_eq!(items.len(), 2, "the stream ends at the error");
        assert_eq!(items[0].as_ref().unwrap().type_, MessagesStreamEventType::MessageStart);
        let err = items[1].as_ref().unwrap_err();
        let (kind, event) = stream_kind(err);
        assert_eq!(event, 2);
        match kind {
            StreamErrorKind::Server { message, code, .. } => {
                assert_eq!(message.as_deref(), Some("Overloaded"));
                assert_eq!(code.as_deref(), Some("overloaded_error"));
            }
            other => panic!("expected a server error, got {other:?}"),
        }
        assert!(err.to_string().contains("POST /v1/messages"), "{err}");

        // OpenAI style: a data payload that is an error object, no event name.
        let body = format!(
            "data: {}\n\ndata: {{\"error\": {{\"message\": \"rate limited\", \"code\": 429}}}}\n\ndata: [DONE]\n\n",
            chunk("x")
        );
        let (url, _) = serve(Answer::events(&body)).await;
        let stream = client(&url).serverless_inference().create_chat_completion(chat_request()).events().await.unwrap();
        let items = collect(stream).await;
        assert_eq!(items.len(), 2);
        match stream_kind(items[1].as_ref().unwrap_err()).0 {
            StreamErrorKind::Server { message, code, .. } => {
                assert_eq!(message.as_deref(), Some("rate limited"));
                assert_eq!(code.as_deref(), Some("429"));
            }
            other => panic!("expected a server error, got {other:?}"),
        }
    })
    .await;
}

#[tokio::test]
async fn a_connection_dropped_mid_stream_is_an_err_not_a_silent_end() {
    bounded(async {
        // The chunked body stops without its last chunk, in the middle of an event.
        let body = format!("data: {}\n\ndata: {{\"id\": \"chatcmpl", chunk("first"));
        let (url, _) = serve(Answer::events(&body).end(End::Drop)).await;
        let stream = client(&url).serverless_inference().create_chat_completion(chat_request()).events().await.unwrap();
        let items = collect(stream).await;
        assert_eq!(items.len(), 2);
        assert_eq!(content(items[0].as_ref().unwrap()), "first");
        let (kind, event) = stream_kind(items[1].as_ref().unwrap_err());
        assert!(matches!(kind, StreamErrorKind::Read(_)), "{kind:?}");
        assert_eq!(event, 2);

        // The connection closes (a clean end of a close-delimited body) in the middle of an
        // event, in a stream without a sentinel: a whole event then the end would be complete.
        let body = "event: message_start\ndata: {\"type\": \"message_start\"}\n\nevent: ping\ndata: {\"type\": \"pi";
        let (url, _) = serve(Answer::events(body).end(End::Close)).await;
        let stream = client(&url).serverless_inference().create_messages(messages_request()).events().await.unwrap();
        let items = collect(stream).await;
        assert_eq!(items.len(), 2);
        assert!(matches!(stream_kind(items[1].as_ref().unwrap_err()).0, StreamErrorKind::Incomplete));

        // A whole event, then the end, but no [DONE]: a chat completion stream is incomplete.
        let body = format!("data: {}\n\n", chunk("first"));
        let (url, _) = serve(Answer::events(&body)).await;
        let stream = client(&url).serverless_inference().create_chat_completion(chat_request()).events().await.unwrap();
        let items = collect(stream).await;
        assert_eq!(items.len(), 2);
        assert!(matches!(stream_kind(items[1].as_ref().unwrap_err()).0, StreamErrorKind::Incomplete));
    })
    .await;
}

#[tokio::test]
async fn a_messages_stream_without_a_sentinel_ends_cleanly_after_a_whole_event() {
    bounded(async {
        let body = "event: message_start\ndata: {\"type\": \"message_start\", \"message\": {}}\n\n\
                    event: ping\ndata: {\"type\": \"ping\"}\n\n\
                    event: message_stop\ndata: {\"type\": \"message_stop\"}\n\n";
        let (url, received) = serve(Answer::events(body)).await;
        let stream = client(&url).serverless_inference().create_messages(messages_request()).events().await.unwrap();
        let items = collect(stream).await;
        let types: Vec<MessagesStreamEventType> = items.into_iter().map(|i| i.expect("an event").type_).collect();
        assert_eq!(
            types,
            [MessagesStreamEventType::MessageStart, MessagesStreamEventType::Ping, MessagesStreamEventType::MessageStop]
        );
        // The request had no `stream` member: it is added.
        assert_eq!(received.lock().unwrap()[0].json()["stream"], json!(true));
    })
    .await;
}

#[tokio::test]
async fn an_error_status_before_the_stream_is_the_usual_api_error() {
    bounded(async {
        let answer = Answer {
            status: "401 Unauthorized",
            content_type: "application/json",
            body: br#"{"id": "unauthorized", "message": "Unable to authenticate you."}"#.to_vec(),
            piece: 5,
            end: End::Chunked,
        };
        let (url, _) = serve(answer).await;
        let err = client(&url)
            .serverless_inference()
            .create_chat_completion(chat_request()).events()
            .await
            .expect_err("a 401 is an error");
        let api = err.api_error().expect("an API error");
        assert_eq!(api.status().as_u16(), 401);
        assert_eq!(api.id(), Some("unauthorized"));
        assert_eq!(api.message(), Some("Unable to authenticate you."));
    })
    .await;
}

#[tokio::test]
async fn a_success_that_is_not_an_event_stream_is_an_error() {
    bounded(async {
        let answer = Answer { content_type: "application/json", ..Answer::events("{\"id\": \"chatcmpl\"}") };
        let (url, _) = serve(answer).await;
        let err = client(&url).serverless_inference().create_chat_completion(chat_request()).events().await.unwrap_err();
        match stream_kind(&err).0 {
            StreamErrorKind::NotEventStream { content_type } => assert_eq!(content_type.as_deref(), Some("application/json")),
            other => panic!("expected NotEventStream, got {other:?}"),
        }
    })
    .await;
}

#[tokio::test]
async fn an_event_over_the_size_limit_is_an_error() {
    assert_eq!(DEFAULT_MAX_EVENT_SIZE, 16 * 1024 * 1024);
    bounded(async {
        let small = format!("data: {}\n\n", chunk("ok"));
        let limit = small.len() + 10;
        // The big event never ends: without the limit the client would buffer it all.
        let big = format!("data: {{\"pad\": \"{}", "x".repeat(4 * limit));
        let (url, _) = serve(Answer::events(&format!("{small}{big}")).end(End::Hang)).await;
        let client = Client::builder()
            .model_access_key(KEY)
            .inference_base_url(&url)
            .max_event_size(limit)
            .build()
            .unwrap();
        let stream = client.serverless_inference().create_chat_completion(chat_request()).events().await.unwrap();
        let items = collect(stream).await;
        assert_eq!(items.len(), 2);
        assert_eq!(content(items[0].as_ref().unwrap()), "ok");
        match stream_kind(items[1].as_ref().unwrap_err()) {
            (StreamErrorKind::TooLarge { limit: reported }, 2) => assert_eq!(*reported, limit),
            other => panic!("expected TooLarge at event 2, got {other:?}"),
        }
    })
    .await;
}

#[tokio::test]
async fn an_event_that_does_not_decode_is_an_err_naming_the_event_and_the_stream_goes_on() {
    bounded(async {
        let bad = json!({"id": "c", "created": "yesterday", "choices": []}).to_string();
        let body = format!("data: {}\n\ndata: {bad}\n\ndata: {}\n\ndata: [DONE]\n\n", chunk("one"), chunk("three"));
        let (url, _) = serve(Answer::events(&body)).await;
        let stream = client(&url).serverless_inference().create_chat_completion(chat_request()).events().await.unwrap();
        let items = collect(stream).await;
        assert_eq!(items.len(), 3);
        let err = items[1].as_ref().unwrap_err();
        match stream_kind(err) {
            (StreamErrorKind::Decode { json_path, .. }, 2) => assert_eq!(json_path.as_deref(), Some("created")),
            other => panic!("expected a decode error at event 2, got {other:?}"),
        }
        let text = err.to_string();
        assert!(text.contains("POST /v1/chat/completions") && text.contains("event 2"), "{text}");
        assert_eq!(content(items[2].as_ref().unwrap()), "three");
    })
    .await;
}

#[tokio::test]
async fn the_agent_stream_goes_to_the_agent_url_with_its_query() {
    bounded(async {
        let body = format!("data: {}\n\ndata: [DONE]\n\n", chunk("agent"));
        let (url, received) = serve(Answer::events(&body)).await;
        let stream = client(&url)
            .agent_inference()
            .create_chat_completion(true, chat_request()).events()
            .await
            .unwrap();
        let items = collect(stream).await;
        assert_eq!(items.len(), 1);
        let request = received.lock().unwrap()[0].clone();
        assert!(request.head.starts_with("POST /api/v1/chat/completions?agent=true "), "{}", request.head);
        assert_eq!(request.header("authorization").as_deref(), Some(format!("Bearer {KEY}").as_str()));
        assert_eq!(request.json()["stream"], json!(true));
    })
    .await;
}
