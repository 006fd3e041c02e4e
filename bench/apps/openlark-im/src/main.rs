//! Sends one text message to a chat with openlark 0.21 (feature `communication`, its IM
//! client). Compiled by bench/run.sh (section `apps`) for its cold build time; it is never
//! run by the bench. Usage: openlark-im CHAT_ID [TEXT]  (LARK_APP_ID / LARK_APP_SECRET).

use open_lark::communication::MessageRecipient;
use open_lark::prelude::*;

#[tokio::main]
async fn main() -> std::result::Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let chat_id = args.next().ok_or("usage: openlark-im CHAT_ID [TEXT]")?;
    let text = args.next().unwrap_or_else(|| "hello from openlark".to_string());

    let client = Client::builder()
        .app_id(std::env::var("LARK_APP_ID")?)
        .app_secret(std::env::var("LARK_APP_SECRET")?)
        .build()?;
    // POST /open-apis/im/v1/messages?receive_id_type=chat_id, msg_type "text".
    let sent = client.communication.im.send_text(MessageRecipient::chat_id(chat_id), text).await?;
    println!("{sent}");
    Ok(())
}
