//! The floor of the IM app's cold build: the same request as bench/apps/larkgen-im, written
//! on the HTTP stack directly (no token, no retries, no types). Compiled by bench/run.sh
//! (section `openlark`) for its cold build time; it is never run by the bench.
//! Usage: floor-im CHAT_ID [TEXT]  (LARK_TENANT_TOKEN).

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut args = std::env::args().skip(1);
    let chat_id = args.next().ok_or("usage: floor-im CHAT_ID [TEXT]")?;
    let text = args.next().unwrap_or_else(|| "hello from the floor".to_string());
    let token = std::env::var("LARK_TENANT_TOKEN")?;
    let content = serde_json::json!({ "text": text }).to_string();
    let body = serde_json::json!({ "receive_id": chat_id, "msg_type": "text", "content": content });
    let client = reqwest::Client::builder().build()?;
    let answer = client
        .post("https://open.feishu.cn/open-apis/im/v1/messages?receive_id_type=chat_id")
        .bearer_auth(token)
        .header("content-type", "application/json; charset=utf-8")
        .body(body.to_string())
        .send()
        .await?;
    let answer: serde_json::Value = serde_json::from_slice(&answer.bytes().await?)?;
    println!("{}", answer["data"]["message_id"]);
    Ok(())
}
