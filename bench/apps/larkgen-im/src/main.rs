//! Sends one text message to a chat with the generated client (`lark_client::im_v1`).
//! Compiled by bench/run.sh (section `openlark`) for its cold build time; it is never run by
//! the bench. Usage: larkgen-im CHAT_ID [TEXT]  (LARK_APP_ID / LARK_APP_SECRET).

use lark_client::im_v1::{self, MessageContent, MessageCreateBody, ReceiveIdType};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let chat_id = args.next().ok_or("usage: larkgen-im CHAT_ID [TEXT]")?;
    let text = args.next().unwrap_or_else(|| "hello from larkgen".to_string());

    let runtime = lark_client::builder()
        .app_credentials(std::env::var("LARK_APP_ID")?, std::env::var("LARK_APP_SECRET")?)
        .build()?;
    let im = im_v1::Client::new(runtime);
    // POST /open-apis/im/v1/messages?receive_id_type=chat_id, msg_type "text".
    let body = MessageCreateBody::new(chat_id.into(), MessageContent::text(text));
    let sent = im.message().create(ReceiveIdType::ChatId, body).send().await?;
    println!("{:?}", sent.message_id);
    Ok(())
}
