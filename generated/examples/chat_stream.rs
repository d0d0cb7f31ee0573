//! Streams a chat completion from the serverless inference API, printing the answer as it arrives:
//! `DIGITALOCEAN_MODEL_ACCESS_KEY=... cargo run -p digitalocean --example chat_stream -- "Why is the sky blue?"`.

use std::io::Write;

use digitalocean::models::{ChatCompletionRequest, ChatMessage};
use digitalocean::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Error> {
    let question = std::env::args().nth(1).unwrap_or_else(|| "Tell me a joke.".to_owned());
    run(&Client::from_env()?, &question).await?;
    println!();
    Ok(())
}

pub async fn run(client: &Client, question: &str) -> Result<String, Error> {
    let request = ChatCompletionRequest::new([ChatMessage::new("user").content(question)], "llama3.3-70b-instruct");
    let mut events = client.serverless_inference().create_chat_completion(request).events().await?;
    let mut answer = String::new();
    while let Some(chunk) = events.next().await {
        for choice in chunk?.choices {
            let piece = choice.delta.content.unwrap_or_default();
            print!("{piece}");
            let _ = std::io::stdout().flush();
            answer.push_str(&piece);
        }
    }
    Ok(answer)
}
