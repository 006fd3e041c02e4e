use serde_json::json;

use super::{TaggedJson, read, read_any, write};
use crate::Json;

fn tree(data: &Json) -> crate::decode::Tree<'static> {
    serde::Deserialize::deserialize(data.clone()).expect("any JSON is a tree")
}

#[derive(Debug, PartialEq)]
struct Text {
    text: String,
}
crate::json_object!(Text { text = "text" required, });

/// What the generator writes for a `tagged_json` type with one kind.
#[derive(Debug, PartialEq)]
enum Content {
    Text(Text),
    Unknown { tag: String, content: Json },
}

impl TaggedJson for Content {
    fn tag(&self) -> &str {
        match self {
            Self::Text(_) => "text",
            Self::Unknown { tag, .. } => tag,
        }
    }
    fn to_content(&self) -> Result<String, super::ContentError> {
        match self {
            Self::Text(kind) => write(kind),
            Self::Unknown { content, .. } => write(content),
        }
    }
    fn from_parts(tag: &str, content: &str) -> Result<Self, super::ContentError> {
        Ok(match tag {
            "text" => Self::Text(read(content)?),
            _ => Self::Unknown { tag: tag.to_owned(), content: read_any(content) },
        })
    }
}

#[derive(Debug, PartialEq)]
struct Message {
    id: String,
    content: Content,
    reply: Option<Content>,
}
crate::json_object!(Message {
    id = "id" required,
    content = "content" required tagged "msg_type",
    reply = "reply" optional tagged "reply_type",
});

fn text(s: &str) -> Content {
    Content::Text(Text { text: s.into() })
}

#[test]
fn a_tagged_field_is_sent_as_its_tag_and_its_json_text() {
    let m = Message { id: "1".into(), content: text("hi \"you\""), reply: None };
    let sent = serde_json::to_value(&m).expect("serializes");
    assert_eq!(sent, json!({ "id": "1", "msg_type": "text", "content": "{\"text\":\"hi \\\"you\\\"\"}" }));
    assert_eq!(serde_json::from_value::<Message>(sent).expect("reads back"), m);
}

#[test]
fn both_keys_are_read_in_either_order() {
    let m: Message = serde_json::from_str(
        r#"{"content":"{\"text\":\"a\"}","reply_type":"text","id":"1","reply":"{\"text\":\"b\"}","msg_type":"text"}"#,
    )
    .expect("valid");
    assert_eq!(m, Message { id: "1".into(), content: text("a"), reply: Some(text("b")) });
}

#[test]
fn an_unknown_tag_keeps_its_content_as_json_or_as_text() {
    let m: Message =
        serde_json::from_value(json!({ "id": "1", "msg_type": "vote", "content": "{\"options\":[1,2]}" })).expect("ok");
    assert_eq!(m.content, Content::Unknown { tag: "vote".into(), content: json!({ "options": [1, 2] }) });
    let m: Message = serde_json::from_value(json!({ "id": "1", "msg_type": "x", "content": "not json" })).expect("ok");
    assert_eq!(m.content, Content::Unknown { tag: "x".into(), content: json!("not json") });
}

#[test]
fn a_known_tag_with_other_content_or_a_missing_key_is_an_error() {
    let bad = json!({ "id": "1", "msg_type": "text", "content": "{\"image_key\":\"k\"}" });
    let e = serde_json::from_value::<Message>(bad).unwrap_err().to_string();
    assert!(e.starts_with("invalid value: string \"{\\\"image_key\\\":\\\"k\\\"}\", expected the JSON of a `text` content (missing field `text`"), "{e}");
    let e = serde_json::from_value::<Message>(json!({ "id": "1", "content": "{}" })).unwrap_err().to_string();
    assert_eq!(e, "missing field `msg_type`");
    let e = serde_json::from_value::<Message>(json!({ "id": "1", "msg_type": "text" })).unwrap_err().to_string();
    assert_eq!(e, "missing field `content`");
    // An optional tagged field may be absent, both keys at once, and only that way.
    let e = serde_json::from_value::<Message>(json!({ "id": "1", "msg_type": "text", "content": "{\"text\":\"a\"}",
        "reply_type": "text" }))
    .unwrap_err()
    .to_string();
    assert_eq!(e, "missing field `reply`");
}

#[test]
fn in_the_tolerant_pass_an_optional_tagged_field_that_does_not_decode_is_none_and_reported() {
    let data = json!({ "message": { "id": "1", "msg_type": "text", "content": "{\"text\":\"a\"}",
        "reply_type": "text", "reply": "{\"text\":3}" } });
    #[derive(Debug)]
    struct Data {
        message: Message,
    }
    crate::json_object!(Data { message = "message" required, });
    let (decoded, mismatches) = crate::decode::tolerant::<Data>(tree(&data)).expect("the call succeeds");
    assert_eq!(decoded.message, Message { id: "1".into(), content: text("a"), reply: None });
    assert_eq!(mismatches.len(), 1, "{mismatches:?}");
    assert_eq!(mismatches[0].field, "message.reply");
    assert_eq!(mismatches[0].expected, "the JSON of a `text` content");
    assert!(mismatches[0].found.starts_with("invalid type: integer `3`"), "{}", mismatches[0].found);
    assert_eq!(mismatches[0].raw, json!("{\"text\":3}"));

    // A required one fails the call, where the object is.
    let data = json!({ "message": { "id": "1", "msg_type": "text", "content": "[]" } });
    let failure = crate::decode::tolerant::<Data>(tree(&data)).unwrap_err();
    assert_eq!(failure.detail().path, "message.content");
    assert_eq!(failure.detail().found, "string \"[]\"");
    assert!(
        failure.detail().expected.starts_with("the JSON of a `text` content (invalid type: sequence"),
        "{failure:?}"
    );
}
