//! Tagged JSON (`tagged_json`): a message's content is built from a constructor named after
//! its kind, which takes what the kind type's `new` takes; a kind without required fields is
//! passed whole; every kind converts `Into` the content; matching needs a catch-all arm
//! (`#[non_exhaustive]`: a spec may add kinds).
mod api {
    larkgen_macros::client!("tests/specs/im-tagged.yaml");
}

use api::im_v1::{self, ImageContent, MessageBody, MessageContent, PostBody, PostContent, PostElement, ReceiveIdType};

async fn usage(client: im_v1::Client) {
    let text = MessageContent::text("hi");
    let image = MessageContent::image(String::from("img_v2_1"));
    let media = MessageContent::media("file_v2_1".into(), "img_v2_2".into());
    let post = MessageContent::post(PostContent {
        en_us: Some(PostBody::new(vec![vec![PostElement::new("text")]])),
        ..PostContent::default()
    });
    let converted: MessageContent = ImageContent::new("img_v2_3").into();
    for content in [text, image, media, post, converted] {
        let _: &str = content.tag();
        let _ = client.message().create(ReceiveIdType::ChatId, MessageBody::new("oc_1".into(), content)).send().await;
    }
    if let Ok(sent) = client.message().get("om_1").send().await
        && let Some(content) = sent.message.and_then(|m| m.content)
    {
        match content {
            MessageContent::Text(text) => drop(text.text),
            MessageContent::Unknown { tag, content } => drop((tag, content)),
            _ => {}
        }
    }
}

fn main() {
    let _ = usage;
}
