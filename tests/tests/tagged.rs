//! Tagged JSON (`tagged_json` + `tag_field`), end to end over loopback HTTP, on the test spec
//! `tests/specs/im-tagged.yaml` (generated here by the proc-macro): a message's `content` is
//! a JSON document carried in a string, its kind named by the sibling `msg_type`.
//!
//! - the client writes both keys from one typed value (`MessageContent::text("hi")`);
//! - answers decode into the typed kind for known tags and into `Unknown` with the raw JSON
//!   for others;
//! - a kind's constraints are checked before sending, under the field (`body.content.text`);
//! - content that does not decode as its kind: an optional field is `None` and reported, a
//!   required one fails the call with `Error::Mismatch` at the field.

mod support;

use lark_client::runtime::{Error, TaggedJson, collect_mismatches};
use serde_json::json;
use support::*;

/// The test spec's service, as a module of this test.
mod api {
    larkgen_macros::client!("specs/im-tagged.yaml");
}

use api::im_v1::*;

const MESSAGES: &str = "/open-apis/im/v1/messages";
const GET: &str = "/open-apis/im/v1/messages/om_1";

fn im(base: &str) -> Client {
    Client::new(runtime(base))
}

fn sent() -> serde_json::Value {
    json!({ "message_id": "om_1", "msg_type": "text", "content": "{\"text\":\"hi\"}" })
}

/// Sends `content` to a chat and returns the JSON body the server received.
async fn body_sent(content: MessageContent) -> serde_json::Value {
    let server = server_with("POST", MESSAGES, lark_ok(sent())).await;
    let body = MessageBody { uuid: Some("u-1".into()), ..MessageBody::new("oc_1".into(), content) };
    im(&server.uri()).message().create(ReceiveIdType::ChatId, body).send().await.expect("sent");
    let request = api_request(&server).await;
    assert_eq!(query(&request), pairs(&[("receive_id_type", "chat_id")]));
    json_body(&request)
}

#[tokio::test]
async fn a_text_message_is_sent_as_msg_type_and_its_json_text() {
    let body = body_sent(MessageContent::text("hi \"there\"")).await;
    assert_eq!(
        body,
        json!({ "receive_id": "oc_1", "msg_type": "text", "content": "{\"text\":\"hi \\\"there\\\"\"}", "uuid": "u-1" })
    );
}

#[tokio::test]
async fn image_media_and_post_messages_are_sent_with_their_tags() {
    let body = body_sent(MessageContent::image("img_v2_1")).await;
    assert_eq!((&body["msg_type"], &body["content"]), (&json!("image"), &json!("{\"image_key\":\"img_v2_1\"}")));

    let body = body_sent(MessageContent::media("file_v2_1".into(), "img_v2_2".into())).await;
    assert_eq!(body["msg_type"], "media");
    assert_eq!(body["content"], "{\"file_key\":\"file_v2_1\",\"image_key\":\"img_v2_2\"}");

    let link = PostElement { href: Some("https://open.feishu.cn".into()), ..PostElement::new("a") };
    let text = PostElement { text: Some("see ".into()), ..PostElement::new("text") };
    let post = PostContent {
        en_us: Some(PostBody { title: Some("News".into()), ..PostBody::new(vec![vec![text, link]]) }),
        ..PostContent::default()
    };
    let body = body_sent(MessageContent::post(post)).await;
    assert_eq!(body["msg_type"], "post");
    let content: serde_json::Value = serde_json::from_str(body["content"].as_str().expect("a string")).expect("JSON");
    assert_eq!(
        content,
        json!({ "en_us": { "title": "News", "content": [[
            { "tag": "text", "text": "see " },
            { "tag": "a", "href": "https://open.feishu.cn" },
        ]] } })
    );
}

#[tokio::test]
async fn a_json_kind_is_sent_and_read_as_any_json() {
    let card = json!({ "header": { "title": { "tag": "plain_text", "content": "Hi" } }, "elements": [] });
    let body = body_sent(MessageContent::interactive(card.clone())).await;
    assert_eq!(body["msg_type"], "interactive");
    assert_eq!(serde_json::from_str::<serde_json::Value>(body["content"].as_str().expect("text")).expect("JSON"), card);
    let read = MessageContent::from_parts("interactive", &card.to_string()).expect("any JSON");
    assert_eq!(read, MessageContent::Interactive(card));
}

#[tokio::test]
async fn an_unknown_kind_is_sent_as_written() {
    let content = MessageContent::Unknown { tag: "share_chat".into(), content: json!({ "chat_id": "oc_2" }) };
    let body = body_sent(content).await;
    assert_eq!((&body["msg_type"], &body["content"]), (&json!("share_chat"), &json!("{\"chat_id\":\"oc_2\"}")));
}

#[tokio::test]
async fn answers_decode_known_kinds_typed_and_others_as_raw_json() {
    let server = server_with("POST", MESSAGES, lark_ok(sent())).await;
    let answer = im(&server.uri())
        .message()
        .create(ReceiveIdType::OpenId, MessageBody::new("ou_1".into(), MessageContent::text("hi")));
    let answer = answer.send().await.expect("sent");
    assert_eq!(answer.content, MessageContent::text("hi"));
    assert_eq!(answer.content.tag(), "text");

    for (msg_type, content, expected) in
        [("vote", "{\"topic\":\"lunch?\"}", json!({ "topic": "lunch?" })), ("system", "not JSON", json!("not JSON"))]
    {
        let data = json!({ "message": { "message_id": "om_1", "msg_type": msg_type, "content": content } });
        let server = server_with("GET", GET, lark_ok(data)).await;
        let found = im(&server.uri()).message().get("om_1").send().await.expect("answered");
        let content = found.message.expect("a message").content.expect("content");
        assert_eq!(content, MessageContent::Unknown { tag: msg_type.into(), content: expected });
        assert_eq!(content.tag(), msg_type);
    }
}

#[tokio::test]
async fn from_parts_reads_a_tag_and_a_content_that_come_apart() {
    // IM's message list puts `msg_type` on the item and `content` inside `body`.
    let content = MessageContent::from_parts("image", "{\"image_key\":\"k\"}").expect("an image");
    assert_eq!(content, MessageContent::from(ImageContent::new("k")));
    assert!(MessageContent::from_parts("image", "{}").is_err(), "no image_key");
    assert_eq!(content.to_content().expect("JSON"), "{\"image_key\":\"k\"}");
}

#[tokio::test]
async fn a_kinds_constraints_are_checked_under_the_field_before_sending() {
    // No answer mounted: nothing may reach the server, not even a token request.
    let server = wiremock::MockServer::start().await;
    let body = MessageBody::new("oc_1".into(), MessageContent::text("x".repeat(151)));
    let result = im(&server.uri()).message().create(ReceiveIdType::ChatId, body).send().await;
    let Err(MessageCreateError::Unhandled(Error::Validation(found))) = result else { panic!("got {result:?}") };
    assert_eq!(found.iter().map(|v| v.field.as_str()).collect::<Vec<_>>(), ["body.content.text"]);
    assert!(server.received_requests().await.expect("recorded").is_empty(), "nothing was sent");
}

#[tokio::test]
async fn an_optional_content_that_is_not_its_kind_is_none_and_reported() {
    let data = json!({ "message": { "message_id": "om_1", "msg_type": "image", "content": "{\"file_key\":\"f\"}" } });
    let server = server_with("GET", GET, lark_ok(data)).await;
    let client = im(&server.uri());
    let (answer, mismatches) = collect_mismatches(client.message().get("om_1").send()).await;
    let message = answer.expect("the call succeeds").message.expect("a message");
    assert_eq!((message.message_id.as_ref().map(|m| m.as_str()), message.content), (Some("om_1"), None));
    assert_eq!(mismatches.len(), 1, "{mismatches:?}");
    assert_eq!((mismatches[0].field.as_str(), mismatches[0].endpoint), ("message.content", "message.get"));
    assert_eq!(mismatches[0].expected, "the JSON of a `image` content");
    assert_eq!(mismatches[0].raw, json!("{\"file_key\":\"f\"}"));
}

#[tokio::test]
async fn a_required_content_that_is_not_its_kind_fails_the_call_at_the_field() {
    let data = json!({ "message_id": "om_1", "msg_type": "text", "content": "{\"text\":" });
    let server = server_with("POST", MESSAGES, lark_ok(data.clone())).await;
    let body = MessageBody::new("oc_1".into(), MessageContent::text("hi"));
    let err = im(&server.uri()).message().create(ReceiveIdType::ChatId, body).send().await.expect_err("broken content");
    let MessageCreateError::Unhandled(Error::Mismatch(m)) = &err else { panic!("got {err:?}") };
    assert_eq!(m.path, "content");
    assert_eq!(m.found, "string \"{\\\"text\\\":\"");
    assert!(m.expected.starts_with("the JSON of a `text` content (EOF while parsing"), "{}", m.expected);
    assert_eq!(m.data(), Some(data), "the raw data is in the error");

    // Only one of the two keys is as broken as a missing field.
    let server = server_with("POST", MESSAGES, lark_ok(json!({ "message_id": "om_1", "content": "{}" }))).await;
    let body = MessageBody::new("oc_1".into(), MessageContent::text("hi"));
    let err = im(&server.uri()).message().create(ReceiveIdType::ChatId, body).send().await.expect_err("no msg_type");
    let MessageCreateError::Unhandled(Error::Mismatch(m)) = &err else { panic!("got {err:?}") };
    assert_eq!(m.path, "msg_type");
}
