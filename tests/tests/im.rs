//! IM v1 end to end over loopback HTTP, one test per endpoint and behaviour:
//! - the exact request on the wire (wiremock): method, path, `receive_id_type` and the other
//!   query parameters, the JSON body; the official examples (`tests/fixtures/im`, sources in
//!   its SOURCES.md) decoded into the generated types, int64 strings as `i64`;
//! - uploads and downloads on the runtime's fake Lark (it records multipart parts and checks
//!   every request against the spec): parts with file name and content type, the documented
//!   size limits refused before sending, a download saved to disk;
//! - paging through a chat with `.stream()`, and declared error codes as typed variants.

mod support;

use futures_util::TryStreamExt;
use lark_client::im_v1::*;
use lark_client::runtime::testing::FakeLark;
use lark_client::runtime::{Error, FileSource, TaggedJson};
use serde_json::{Value, json};
use support::*;
use wiremock::ResponseTemplate;

const MESSAGE: &str = "om_dc13264520392913993dd051dba21dcf";
const MB: usize = 1024 * 1024;

fn fixture(name: &str) -> Value {
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/im").join(name);
    serde_json::from_str(&std::fs::read_to_string(&file).expect("fixture exists")).expect("fixture is JSON")
}

/// The official answer of a fixture, as the server sends it.
fn answer(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(fixture(name))
}

/// A fake Lark serving IM v1, and its client.
async fn fake() -> (FakeLark, Client) {
    let lark = FakeLark::start(&lark_client::PLATFORM, &[endpoints::ALL]).await;
    let client = Client::new(lark.client());
    (lark, client)
}

/// The checks the client made before refusing to send, as `(field, rule)`.
fn refused(err: Error) -> Vec<(String, String)> {
    let Error::Validation(v) = err else { panic!("expected a validation error, got {err:?}") };
    v.iter().map(|v| (v.field.clone(), v.rule.clone())).collect()
}

/// The official send example, checked field by field (it is also the reply's answer).
fn assert_is_the_doc_example(m: &Message) {
    assert_eq!(m.message_id, Some(MessageId::new(MESSAGE)));
    assert_eq!(m.thread_id, Some(ThreadId::new("omt_d4be107c616a")));
    assert_eq!(m.msg_type, Some(MsgType::Interactive));
    assert_eq!((m.create_time, m.update_time), (Some(1_615_380_573_411), Some(1_615_380_573_411)));
    assert_eq!(m.chat_id, Some(ChatId::new("oc_5ad11d72b830411d72b836c20")));
    let sender = m.sender.as_ref().expect("a sender");
    assert_eq!((sender.id_type.as_deref(), &sender.sender_type), (Some("app_id"), &Some(SenderType::App)));
    assert_eq!(m.body.as_ref().expect("a body").content, r#"{"text":"@_user_1 test content"}"#);
    let mention = &m.mentions.as_ref().expect("mentions")[0];
    assert_eq!((mention.key.as_str(), mention.name.as_str()), ("@_user_1", "Tom"));
}

#[tokio::test]
async fn message_create_posts_the_body_with_receive_id_type_in_the_query() {
    let server = server_with("POST", "/open-apis/im/v1/messages", answer("message_create.response.json")).await;
    let im = Client::new(runtime(&server.uri()));
    let sent = fixture("message_create.request.json");
    let body =
        MessageCreateBody::new(sent["receive_id"].as_str().unwrap().into(), MessageContent::text("test content"));
    let message = im.message().create(ReceiveIdType::ChatId, body).send().await.expect("sent");
    assert_is_the_doc_example(&message);

    let request = api_request(&server).await;
    assert_eq!(query(&request), pairs(&[("receive_id_type", "chat_id")]));
    assert_eq!(json_body(&request), sent, "the body of the official cURL example, nothing more");
}

#[tokio::test]
async fn message_reply_posts_to_the_message_and_decodes_the_answer() {
    let route = format!("/open-apis/im/v1/messages/{MESSAGE}/reply");
    let server = server_with("POST", &route, answer("message_create.response.json")).await;
    let im = Client::new(runtime(&server.uri()));
    let body = MessageReplyBody {
        reply_in_thread: Some(true),
        uuid: Some("a0d69e20-1dd1-458b-k525-dfeca4015204".into()),
        ..MessageReplyBody::new(MessageContent::text("ok"))
    };
    assert_is_the_doc_example(&im.message().reply(MESSAGE.into(), body).send().await.expect("replied"));

    let request = api_request(&server).await;
    assert!(query(&request).is_empty());
    let expected = json!({
        "content": "{\"text\":\"ok\"}", "msg_type": "text", "reply_in_thread": true,
        "uuid": "a0d69e20-1dd1-458b-k525-dfeca4015204"
    });
    assert_eq!(json_body(&request), expected);
}

#[tokio::test]
async fn message_get_sends_its_query_and_decodes_an_undocumented_type_as_unknown() {
    let route = format!("/open-apis/im/v1/messages/{MESSAGE}");
    let server = server_with("GET", &route, answer("message_get.response.json")).await;
    let im = Client::new(runtime(&server.uri()));
    let data = im.message().get(MESSAGE).user_id_type(UserIdType::UserId).with_sender_name(true).send().await;
    let items = data.expect("got").items.expect("items");
    assert_eq!(items.len(), 1);
    // The example says `card`, which no page lists: kept, not an error.
    assert_eq!(items[0].msg_type, Some(MsgType::Unknown("card".into())));
    assert_eq!(items[0].create_time, Some(1_615_380_573_411));

    let request = api_request(&server).await;
    assert_eq!(query(&request), pairs(&[("user_id_type", "user_id"), ("with_sender_name", "true")]));
    assert_no_body(&request);
}

#[tokio::test]
async fn message_delete_sends_a_bodiless_delete_and_accepts_empty_data() {
    let route = format!("/open-apis/im/v1/messages/{MESSAGE}");
    let server = server_with("DELETE", &route, lark_ok(json!({}))).await;
    let im = Client::new(runtime(&server.uri()));
    im.message().delete(MESSAGE).send().await.expect("recalled");
    let request = api_request(&server).await;
    assert!(query(&request).is_empty());
    assert_no_body(&request);
}

#[tokio::test]
async fn paging_through_a_chat_streams_every_page_with_its_query() {
    let (lark, im) = fake().await;
    let page = |ids: &[&str]| json!({ "items": ids.iter().map(|id| json!({ "message_id": id })).collect::<Vec<_>>() });
    lark.on(&endpoints::MESSAGE_LIST).pages([page(&["om_3", "om_2"]), page(&["om_1"])]);

    let history = im.message().list(ContainerIdType::Chat, "oc_234jsi43d3ssi993d43545f".into());
    let history = history.sort_type(SortType::ByCreateTimeDesc).start_time(1_608_594_809).page_size(50);
    let messages: Vec<Message> = history.stream().try_collect().await.expect("all pages");
    let ids: Vec<_> = messages.iter().map(|m| m.message_id.as_ref().unwrap().as_str()).collect();
    assert_eq!(ids, ["om_3", "om_2", "om_1"]);

    lark.assert_no_violations();
    let sent = lark.requests_to(&endpoints::MESSAGE_LIST);
    assert_eq!(sent.len(), 2, "`has_more: false` ends the stream");
    for request in &sent {
        assert_eq!(request.query("container_id_type"), Some("chat"));
        assert_eq!(request.query("container_id"), Some("oc_234jsi43d3ssi993d43545f"));
        assert_eq!(request.query("sort_type"), Some("ByCreateTimeDesc"));
        assert_eq!((request.query("start_time"), request.query("page_size")), (Some("1608594809"), Some("50")));
    }
    assert_eq!((sent[0].query("page_token"), sent[1].query("page_token")), (None, Some("fake-page-2")));
}

#[tokio::test]
async fn page_sizes_outside_1_to_50_and_long_uuids_are_refused_before_sending() {
    let (lark, im) = fake().await;
    let list = im.message().list(ContainerIdType::Thread, "omt_d4be107c616a".into()).page_size(51).send().await;
    let MessageListError::Unhandled(err) = list.expect_err("refused") else { panic!("untyped refusal") };
    assert_eq!(refused(err), [("page_size".to_owned(), "max = 50".to_owned())]);

    let body = MessageCreateBody {
        uuid: Some("u".repeat(51)),
        ..MessageCreateBody::new("ou_1".into(), MessageContent::text("hi"))
    };
    let create = im.message().create(ReceiveIdType::OpenId, body).send().await;
    let MessageCreateError::Unhandled(err) = create.expect_err("refused") else { panic!("untyped refusal") };
    assert_eq!(refused(err), [("body.uuid".to_owned(), "max_length = 50".to_owned())]);
    assert!(lark.requests().is_empty() && lark.tokens_issued() == 0, "nothing reached the server");
}

#[tokio::test]
async fn text_that_cannot_fit_150_kb_is_refused_under_the_kind_and_the_longest_that_can_is_sent() {
    let (lark, im) = fake().await;
    // `{"text":""}` takes 11 of the 153,600 bytes.
    let at_limit = MessageCreateBody::new("oc_1".into(), MessageContent::text("a".repeat(153_589)));
    im.message().create(ReceiveIdType::ChatId, at_limit).send().await.expect("150 KB of text is sent");
    let sent = lark.requests_to(&endpoints::MESSAGE_CREATE)[0].json().expect("a JSON body").clone();
    assert_eq!(sent["content"].as_str().map(str::len), Some(153_600));
    let over = MessageCreateBody::new("oc_1".into(), MessageContent::text("a".repeat(153_590)));
    let MessageCreateError::Unhandled(err) = im.message().create(ReceiveIdType::ChatId, over).send().await.unwrap_err()
    else {
        panic!("untyped refusal")
    };
    assert_eq!(refused(err), [("body.content.text".to_owned(), "max_length = 153589".to_owned())]);
    assert_eq!(lark.requests_to(&endpoints::MESSAGE_CREATE).len(), 1);
    lark.assert_no_violations();
}

#[tokio::test]
async fn every_kind_is_sent_as_msg_type_and_the_json_text_of_create_json() {
    let server = wiremock::MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    wiremock::Mock::given(wiremock::matchers::path("/open-apis/im/v1/messages"))
        .respond_with(answer("message_create.response.json"))
        .expect(10)
        .mount(&server)
        .await;
    let im = Client::new(runtime(&server.uri()));
    let post = PostContent {
        zh_cn: Some(PostBody {
            title: Some("我是一个标题".into()),
            ..PostBody::new(vec![vec![
                PostElement { text: Some("第一行:".into()), ..PostElement::new("text") },
                PostElement {
                    href: Some("http://www.feishu.cn".into()),
                    text: Some("超链接".into()),
                    ..PostElement::new("a")
                },
                PostElement { user_id: Some("ou_1".into()), ..PostElement::new("at") },
            ]])
        }),
        ..PostContent::default()
    };
    let cases = [
        (MessageContent::text("test content"), "text", json!({ "text": "test content" })),
        (MessageContent::image("img_1"), "image", json!({ "image_key": "img_1" })),
        (MessageContent::file("file_1"), "file", json!({ "file_key": "file_1" })),
        (MessageContent::audio("file_2"), "audio", json!({ "file_key": "file_2" })),
        (
            MessageContent::media("file_3".into(), "img_3".into()),
            "media",
            json!({ "file_key": "file_3", "image_key": "img_3" }),
        ),
        (MessageContent::sticker("file_4"), "sticker", json!({ "file_key": "file_4" })),
        (MessageContent::share_chat("oc_1"), "share_chat", json!({ "chat_id": "oc_1" })),
        (MessageContent::share_user("ou_1"), "share_user", json!({ "user_id": "ou_1" })),
        (
            MessageContent::post(post),
            "post",
            json!({ "zh_cn": { "title": "我是一个标题", "content": [[
            { "tag": "text", "text": "第一行:" },
            { "tag": "a", "text": "超链接", "href": "http://www.feishu.cn" },
            { "tag": "at", "user_id": "ou_1" },
        ]] } }),
        ),
        // Cards are no kind (any card JSON): sent as written.
        (
            MessageContent::Unknown {
                tag: "interactive".into(),
                content: json!({ "type": "template", "data": { "template_id": "ctp_1" } }),
            },
            "interactive",
            json!({ "type": "template", "data": { "template_id": "ctp_1" } }),
        ),
    ];
    for (content, msg_type, json) in cases {
        im.message()
            .create(ReceiveIdType::ChatId, MessageCreateBody::new("oc_1".into(), content))
            .send()
            .await
            .expect("sent");
        let body = json_body(&api_requests(&server).await.pop().expect("a request"));
        assert_eq!(body["msg_type"], msg_type);
        let content: Value = serde_json::from_str(body["content"].as_str().expect("a string")).expect("JSON text");
        assert_eq!(content, json, "{msg_type}");
    }
}

#[tokio::test]
async fn a_message_s_content_is_read_typed_with_from_parts() {
    let server = server_with("POST", "/open-apis/im/v1/messages", answer("message_create.response.json")).await;
    let im = Client::new(runtime(&server.uri()));
    let sent =
        im.message().create(ReceiveIdType::ChatId, MessageCreateBody::new("oc_1".into(), MessageContent::text("a")));
    let message = sent.send().await.expect("sent");
    // The official answer: `msg_type` on the message (`interactive` in the DOC example), the
    // JSON text in `body.content`.
    let msg_type = message.msg_type.as_ref().expect("a msg_type");
    let content = MessageContent::from_parts(msg_type.as_str(), &message.body.expect("a body").content).expect("JSON");
    assert_eq!(content, MessageContent::Interactive(json!({ "text": "@_user_1 test content" })));
    let merged = MessageContent::from_parts("merge_forward", "Merged and Forwarded Message").expect("any text");
    let unknown =
        MessageContent::Unknown { tag: "merge_forward".into(), content: json!("Merged and Forwarded Message") };
    assert_eq!(merged, unknown);
    let text = MessageContent::from_parts(MsgType::Text.as_str(), r#"{"text":"@_user_1 hi"}"#).expect("a text");
    assert_eq!(text, MessageContent::text("@_user_1 hi"));
}

#[tokio::test]
async fn image_create_sends_the_type_and_the_named_image_and_returns_its_key() {
    let (lark, im) = fake().await;
    lark.on(&endpoints::IMAGE_CREATE).reply(&fixture("image_create.response.json")["data"]);
    let png = FileSource::bytes(vec![0x89, b'P', b'N', b'G']).file_name("cat.png");
    let data = im.image().create(ImageCreateForm::new(ImageType::Message, png)).send().await.expect("uploaded");
    assert_eq!(data.image_key, ImageKey::new("img_8d5181ca-0aed-40f0-b0d1-b1452132afbg"));

    lark.assert_no_violations();
    let request = &lark.requests_to(&endpoints::IMAGE_CREATE)[0];
    assert_eq!(request.part_names(), ["image_type", "image"], "the documented order");
    assert_eq!(request.part("image_type").unwrap().text(), "message");
    let image = request.part("image").unwrap();
    assert_eq!((image.file_name.as_deref(), image.content_type.as_deref()), (Some("cat.png"), Some("image/png")));
    assert_eq!(&image.bytes[..], [0x89, b'P', b'N', b'G']);
}

#[tokio::test]
async fn file_create_sends_type_name_duration_and_file_and_returns_its_key() {
    let (lark, im) = fake().await;
    lark.on(&endpoints::FILE_CREATE).reply(&fixture("file_create.response.json")["data"]);
    let video = FileSource::bytes(vec![7u8; 1000]).file_name("测试视频.mp4");
    let form =
        FileCreateForm { duration: Some(3000), ..FileCreateForm::new(FileType::Mp4, "测试视频.mp4".into(), video) };
    let data = im.file().create(form).send().await.expect("uploaded");
    assert_eq!(data.file_key, FileKey::new("file_456a92d6-c6ea-4de4-ac3f-7afcf44ac78g"));

    lark.assert_no_violations();
    let request = &lark.requests_to(&endpoints::FILE_CREATE)[0];
    assert_eq!(request.part_names(), ["file_type", "file_name", "duration", "file"]);
    let text = |name| request.part(name).unwrap().text();
    assert_eq!(
        (text("file_type"), text("file_name"), text("duration")),
        ("mp4".into(), "测试视频.mp4".into(), "3000".into())
    );
    let file = request.part("file").unwrap();
    assert_eq!((file.file_name.as_deref(), file.content_type.as_deref()), (Some("测试视频.mp4"), Some("video/mp4")));
    assert_eq!(file.bytes.len(), 1000);
}

#[tokio::test]
async fn uploads_over_10_mb_or_30_mb_or_empty_are_refused_before_sending() {
    let (lark, im) = fake().await;
    let image = |len: usize| ImageCreateForm::new(ImageType::Message, vec![1u8; len].into());
    let file = |len: usize| FileCreateForm::new(FileType::Stream, "a.bin".into(), vec![1u8; len].into());
    let violation = |err| match err {
        ImageCreateError::Unhandled(e) => refused(e),
        other => panic!("untyped refusal expected, got {other:?}"),
    };
    assert_eq!(violation(im.image().create(image(10 * MB + 1)).send().await.unwrap_err())[0].1, "max_bytes = 10485760");
    assert_eq!(violation(im.image().create(image(0)).send().await.unwrap_err())[0].1, "min_bytes = 1");
    let FileCreateError::Unhandled(err) = im.file().create(file(30 * MB + 1)).send().await.unwrap_err() else {
        panic!()
    };
    assert_eq!(refused(err)[0].1, "max_bytes = 31457280");
    let FileCreateError::Unhandled(err) = im.file().create(file(0)).send().await.unwrap_err() else { panic!() };
    assert_eq!(refused(err)[0].1, "min_bytes = 1");
    assert!(lark.requests().is_empty(), "nothing reached the server");

    im.image().create(image(10 * MB)).send().await.expect("exactly 10 MB is sent");
    lark.assert_no_violations();
}

#[tokio::test]
async fn a_message_resource_is_downloaded_with_its_type_and_saved_to_disk() {
    let (lark, im) = fake().await;
    let bytes: Vec<u8> = (0..70_000u32).map(|i| (i % 251) as u8).collect();
    lark.on(&endpoints::MESSAGE_RESOURCE_GET).download(bytes.clone());
    let key = "file_v2_83e69b47-5d67-4e21-bfb4-66f8bf80b7ej";
    let download =
        im.message_resource().get(MESSAGE.into(), key.into(), ResourceType::File).send().await.expect("found");
    let dir = tempfile::tempdir().unwrap();
    download.save_to(dir.path().join("video.mp4")).await.expect("saved");
    assert!(std::fs::read(dir.path().join("video.mp4")).unwrap() == bytes, "the bytes arrive unchanged");

    lark.assert_no_violations();
    let request = &lark.requests_to(&endpoints::MESSAGE_RESOURCE_GET)[0];
    assert_eq!(request.path, format!("/open-apis/im/v1/messages/{MESSAGE}/resources/{key}"));
    assert_eq!(request.query, [("type".to_owned(), "file".to_owned())]);
}

#[tokio::test]
async fn uploaded_images_and_files_download_by_their_keys() {
    let (lark, im) = fake().await;
    lark.on(&endpoints::IMAGE_GET).download(&b"png bytes"[..]);
    lark.on(&endpoints::FILE_GET).download(&b"pdf bytes"[..]);
    let image = im.image().get("img_8d5181ca-0aed-40f0-b0d1-b1452132afbg").send().await.expect("image");
    assert_eq!(&image.bytes().await.unwrap()[..], b"png bytes");
    let file = im.file().get("file_456a92d6-c6ea-4de4-ac3f-7afcf44ac78g").send().await.expect("file");
    assert_eq!(&file.bytes().await.unwrap()[..], b"pdf bytes");

    lark.assert_no_violations();
    assert_eq!(
        lark.requests_to(&endpoints::IMAGE_GET)[0].path,
        "/open-apis/im/v1/images/img_8d5181ca-0aed-40f0-b0d1-b1452132afbg"
    );
    assert_eq!(
        lark.requests_to(&endpoints::FILE_GET)[0].path,
        "/open-apis/im/v1/files/file_456a92d6-c6ea-4de4-ac3f-7afcf44ac78g"
    );
}

#[tokio::test]
async fn declared_codes_come_back_as_the_endpoint_s_own_variants() {
    let (lark, im) = fake().await;
    lark.on(&endpoints::MESSAGE_CREATE).fail(230013, "Bot has NO availability to this user.");
    lark.on(&endpoints::MESSAGE_RESOURCE_GET).fail(234037, "Downloaded file size exceeds limit.");
    lark.on(&endpoints::MESSAGE_DELETE).fail(230026, "No permission to recall this message.");
    // 234037 is declared by the resource download, not by message.get: untyped there, with its code.
    lark.on(&endpoints::MESSAGE_GET).fail(234037, "Downloaded file size exceeds limit.");

    let body = MessageCreateBody::new("ou_7d8a6e6df7621556ce0d21922b676706ccs".into(), MessageContent::text("hi"));
    match im.message().create(ReceiveIdType::OpenId, body).send().await {
        Err(MessageCreateError::BotNotAvailableToUser(e)) => assert_eq!((e.code, e.http_status), (230013, 400)),
        other => panic!("expected BotNotAvailableToUser, got {other:?}"),
    }
    let resource = im.message_resource().get(MESSAGE.into(), "file_1".into(), ResourceType::File).send().await;
    assert!(matches!(resource, Err(MessageResourceGetError::DownloadTooLarge(_))), "{resource:?}");
    let recall = im.message().delete(MESSAGE).send().await;
    assert!(matches!(recall, Err(MessageDeleteError::NoPermissionToRecall(_))), "{recall:?}");
    match im.message().get(MESSAGE).send().await {
        Err(MessageGetError::Unhandled(Error::Api(e))) => assert_eq!(e.code, 234037),
        other => panic!("expected an untyped 234037, got {other:?}"),
    }
}

#[test]
fn receiving_by_user_id_needs_the_employee_id_field_scope() {
    let scopes: Vec<_> = endpoints::MESSAGE_CREATE.field_scopes.iter().map(|s| (s.scope, s.param, s.equals)).collect();
    assert_eq!(scopes, [("contact:user.employee_id:readonly", "receive_id_type", "user_id")]);
    let limits = endpoints::MESSAGE_CREATE.limits;
    assert_eq!((limits.per_second, limits.per_minute), (Some(50), Some(1000)));
}

#[tokio::test]
async fn every_endpoint_decodes_its_descriptor_example_and_passes_the_fake_s_checks() {
    let (lark, im) = fake().await;
    let text = || MessageCreateBody::new("oc_1".into(), MessageContent::text("hi"));
    assert!(im.message().create(ReceiveIdType::ChatId, text()).send().await.unwrap().message_id.is_some());
    let reply = MessageReplyBody::new(MessageContent::image("img_1"));
    assert!(im.message().reply(MESSAGE.into(), reply).send().await.unwrap().message_id.is_some());
    assert_eq!(im.message().get(MESSAGE).send().await.unwrap().items.unwrap().len(), 1);
    let all: Vec<Message> =
        im.message().list(ContainerIdType::Chat, "oc_1".into()).stream().try_collect().await.unwrap();
    assert_eq!(all.len(), 1);
    im.message().delete(MESSAGE).send().await.unwrap();
    im.image().create(ImageCreateForm::new(ImageType::Avatar, vec![1u8].into())).send().await.unwrap();
    im.file().create(FileCreateForm::new(FileType::Pdf, "a.pdf".into(), vec![1u8].into())).send().await.unwrap();
    assert!(!im.image().get("img_1").send().await.unwrap().bytes().await.unwrap().is_empty());
    assert!(!im.file().get("file_1").send().await.unwrap().bytes().await.unwrap().is_empty());
    let resource = im.message_resource().get(MESSAGE.into(), "img_1".into(), ResourceType::Image).send().await;
    assert!(!resource.unwrap().bytes().await.unwrap().is_empty());
    lark.assert_no_violations();
    assert_eq!(lark.requests().len(), 10, "one request per endpoint");
}
