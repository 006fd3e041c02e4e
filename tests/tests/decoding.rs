//! A call that succeeded never looks failed: answers whose `data` does not match the spec,
//! over real loopback HTTP. An optional field of another type is `None`, reported (a `warn`
//! event, and `collect_mismatches` with the raw value) and the call returns its data; a
//! required field that does not match is `Error::Mismatch`, with the raw body, and never
//! resent.

mod support;

use futures_util::TryStreamExt;
use lark_client::runtime::{Error, Mismatch, collect_mismatches};
use lark_client::{baike_v1, im_v1, lingo_v1};
use serde_json::{Value, json};
use support::capture::capture;
use support::*;
use tracing_subscriber::filter::LevelFilter;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer};

/// The JSON at a dotted path without list indexes (`entity.create_time`).
fn at<'v>(data: &'v Value, path: &str) -> &'v Value {
    path.split('.').fold(data, |v, key| &v[key])
}

const TERM: fn() -> Value =
    || json!({ "key": "飞书", "display_status": { "allow_highlight": true, "allow_search": true } });

/// One endpoint answered with an optional field of another type than the spec says: the
/// call returns its data (checked by `keeps`), the field (`drops`, from `data`) is reported
/// once with its raw value, in a `warn` event naming endpoint, path, expected and found;
/// the request was sent once. A new service's endpoint is one more entry.
macro_rules! survives {
    ($($name:ident: $verb:literal $route:literal, $endpoint:literal, answer $data:expr,
        call |$rt:ident| $call:expr, keeps |$kept:ident| $keeps:expr, drops $drops:literal;)*) => {$(
        #[tokio::test]
        async fn $name() {
            let data: Value = $data;
            let server = server_with($verb, $route, lark_ok(data.clone()).insert_header("X-Tt-Logid", "log-ok")).await;
            let (logs, _guard) = capture(LevelFilter::WARN);
            let $rt = runtime_once(&server.uri());
            let (answer, mismatches) = collect_mismatches($call).await;
            let $kept = answer.expect("the call succeeded: it must not look failed");
            assert!($keeps, "the rest of the data is kept");
            let [m] = mismatches.as_slice() else { panic!("one mismatch: {mismatches:?}") };
            assert_eq!((m.endpoint, m.field.as_str(), m.path.as_str()), ($endpoint, $drops, $drops));
            assert_eq!((m.expected.as_str(), m.log_id.as_deref()), ("a string", Some("log-ok")));
            assert_eq!(&m.raw, at(&data, $drops), "the raw value is reachable");
            let logged = logs.text();
            for part in ["WARN", "does not match the spec", $endpoint, $drops, "a string", &m.found] {
                assert!(logged.contains(part), "the warning names {part:?}: {logged}");
            }
        }
    )*};
}

survives! {
    baike_entity_create_keeps_the_new_id: "POST" "/open-apis/baike/v1/entities", "entity.create",
        // `create_time` is an int64 carried as a string (metadata `format: int64`): a number is read too.
        answer json!({ "entity": { "id": "enterprise_1", "main_keys": [TERM()], "create_time": 1700000000000u64, "creator": 7 } }),
        call |rt| baike_v1::Client::new(rt).entity().create(baike_body()).send(),
        keeps |data| data.entity.as_ref().and_then(|e| e.id.as_ref()).map(|id| id.as_str()) == Some("enterprise_1")
            && data.entity.as_ref().map(|e| (e.create_time, e.creator.is_none())) == Some((Some(1700000000000), true)),
        drops "entity.creator";
    lingo_entity_create_keeps_the_new_id: "POST" "/open-apis/lingo/v1/entities", "entity.create",
        answer json!({ "entity": { "id": "enterprise_2", "main_keys": [TERM()], "description": 42, "update_time": "1" } }),
        call |rt| lingo_v1::Client::new(rt).entity().create(lingo_body()).send(),
        keeps |data| data.entity.as_ref().and_then(|e| e.id.as_ref()).map(|id| id.as_str()) == Some("enterprise_2")
            && data.entity.as_ref().and_then(|e| e.update_time) == Some(1),
        drops "entity.description";
    // The case: the message was sent, so the caller must get its id back. Lark sends
    // `create_time` as a string; a number is read too (i64_string), a wrong `root_id` is dropped.
    im_message_create_keeps_the_message_id: "POST" "/open-apis/im/v1/messages", "message.create",
        answer json!({ "message_id": "om_dc13264520392913993dd051dba21dcf", "create_time": 1700000000000u64, "root_id": 7 }),
        call |rt| im_v1::Client::new(rt).message().create(im_v1::ReceiveIdType::OpenId, im_body()).send(),
        keeps |data| data.message_id.as_ref().map(|id| id.as_str()) == Some("om_dc13264520392913993dd051dba21dcf")
            && data.create_time == Some(1700000000000),
        drops "root_id";
}

fn baike_body() -> baike_v1::EntityBody {
    let term = baike_v1::Term::new("飞书".to_owned(), baike_v1::DisplayStatus::new(true, true));
    baike_v1::EntityBody { description: Some("定义".into()), ..baike_v1::EntityBody::new(vec![term]) }
}

fn im_body() -> im_v1::MessageCreateBody {
    let content = im_v1::MessageContent::text("hi");
    im_v1::MessageCreateBody::new("ou_7d8a6e6df7621556ce0d21922b676706ccs".into(), content)
}

fn lingo_body() -> lingo_v1::EntityBody {
    let term = lingo_v1::Term::new("飞书".to_owned(), lingo_v1::DisplayStatus::new(true, true));
    lingo_v1::EntityBody { description: Some("定义".into()), ..lingo_v1::EntityBody::new(vec![term]) }
}

#[tokio::test]
async fn a_mismatch_deep_inside_empties_only_the_nearest_optional_field() {
    let images = json!([{ "token": "boxbc1" }, { "token": 7 }]);
    let meta = json!({ "images": images, "classifications": [{ "id": "c1", "name": "Tech" }] });
    let data = json!({ "entity": { "id": "enterprise_1", "main_keys": [TERM()], "related_meta": meta } });
    let server = server_with("GET", "/open-apis/baike/v1/entities/enterprise_1", lark_ok(data)).await;
    let client = baike_v1::Client::new(runtime_once(&server.uri()));
    let (answer, mismatches) = collect_mismatches(client.entity().get("enterprise_1").send()).await;
    let entity = answer.expect("succeeded").entity.expect("entity");
    let meta = entity.related_meta.expect("related_meta matched but for its images");
    assert!(meta.images.is_none());
    assert_eq!(meta.classifications.map(|c| c.len()), Some(1), "its other fields are kept");
    let [m] = mismatches.as_slice() else { panic!("{mismatches:?}") };
    assert_eq!(m.field, "entity.related_meta.images");
    assert_eq!(m.path, "entity.related_meta.images[1].token");
    assert_eq!((m.expected.as_str(), m.found.as_str()), ("a string", "integer `7`"));
    assert_eq!(m.raw, images);
    assert_eq!(
        m.to_string(),
        "entity.get: `entity.related_meta.images[1].token` expected a string, found integer `7`; \
         `entity.related_meta.images` decoded as None"
    );
}

#[tokio::test]
async fn a_missing_required_field_fails_with_the_raw_body_and_is_not_resent() {
    // `entity_word` is required (the metadata's `required: [entity_word]` for baike_entity_extract).
    let data = json!({ "words": [] });
    let server = server_with("POST", "/open-apis/baike/v1/entities/extract", lark_ok(data.clone())).await;
    // Retries on, and extract is idempotent: a mismatch is no transient failure (`server_with` expects one request).
    let client = baike_v1::Client::new(runtime_fast_retries(&server.uri()));
    let err = client.entity().extract().send().await.expect_err("entity_word");
    let baike_v1::EntityExtractError::Unhandled(Error::Mismatch(m)) = &err else { panic!("got {err:?}") };
    assert_eq!((m.path.as_str(), m.http_status), ("entity_word", 200));
    assert_eq!(m.found, "nothing: the field is absent");
    assert_eq!(m.data(), Some(data), "the raw data is in the error");
    assert!(!err.is_retryable());
    let shown = err.to_string();
    assert!(shown.starts_with("entity.extract succeeded (HTTP 200"), "{shown}");
    assert!(shown.contains("`entity_word`"), "{shown}");
}

#[tokio::test]
async fn an_entry_without_its_required_main_keys_empties_the_optional_entity_wrapper() {
    // `main_keys` is required in an entry, but the `entity` wrapper is optional (the metadata has no
    // `required` list for it), so the call succeeds with `entity: None` and one mismatch keeping the raw entry.
    let entry = json!({ "id": "enterprise_1" });
    let server = server_with("POST", "/open-apis/baike/v1/entities", lark_ok(json!({ "entity": entry }))).await;
    let client = baike_v1::Client::new(runtime_fast_retries(&server.uri()));
    let (answer, mismatches) = collect_mismatches(client.entity().create(baike_body()).send()).await;
    assert!(answer.expect("the entry was created: the call succeeds").entity.is_none());
    let [m] = mismatches.as_slice() else { panic!("one mismatch: {mismatches:?}") };
    assert_eq!((m.field.as_str(), m.path.as_str()), ("entity", "entity.main_keys"));
    assert_eq!(m.found, "nothing: the field is absent");
    assert_eq!(m.raw, entry, "the raw entry, with the new id, is reachable");
}

#[tokio::test]
async fn a_wrongly_typed_required_field_names_its_path_expected_and_found() {
    // `entity_word` and its items' `name` are required (baike_entity_extract's `required` lists).
    let data = json!({ "entity_word": [{ "name": "飞书" }, { "name": ["Lark"] }] });
    let server = server_with("POST", "/open-apis/baike/v1/entities/extract", lark_ok(data)).await;
    let err = baike_v1::Client::new(runtime_once(&server.uri())).entity().extract().send().await.expect_err("name");
    let baike_v1::EntityExtractError::Unhandled(Error::Mismatch(m)) = &err else { panic!("got {err:?}") };
    assert_eq!(m.path, "entity_word[1].name");
    assert_eq!(m.expected.as_str(), "a string");
}

#[tokio::test]
async fn a_wrongly_typed_field_deep_in_an_entry_empties_the_optional_entity_wrapper() {
    let data = json!({ "entity": { "main_keys": [{ "key": "飞书", "display_status": { "allow_highlight": "yes", "allow_search": true } }] } });
    let server = server_with("GET", "/open-apis/baike/v1/entities/e1", lark_ok(data)).await;
    let client = baike_v1::Client::new(runtime_once(&server.uri()));
    let (answer, mismatches) = collect_mismatches(client.entity().get("e1").send()).await;
    assert_eq!(answer.expect("the wrapper is optional: a success").entity, None);
    let [m] = mismatches.as_slice() else { panic!("one mismatch: {mismatches:?}") };
    assert_eq!((m.field.as_str(), m.path.as_str()), ("entity", "entity.main_keys[0].display_status.allow_highlight"));
    assert_eq!((m.expected.as_str(), m.found.as_str()), ("a boolean", "string \"yes\""));
}

#[tokio::test]
async fn answers_that_match_report_nothing() {
    let data = json!({ "entity": { "id": "enterprise_1", "main_keys": [TERM()], "create_time": "1700000000" } });
    let server = server_with("GET", "/open-apis/baike/v1/entities/e1", lark_ok(data)).await;
    let (logs, _guard) = capture(LevelFilter::WARN);
    let client = baike_v1::Client::new(runtime_once(&server.uri()));
    let (answer, mismatches): (_, Vec<Mismatch>) = collect_mismatches(client.entity().get("e1").send()).await;
    assert_eq!(answer.expect("matches").entity.expect("entity").create_time, Some(1_700_000_000));
    assert!(mismatches.is_empty() && logs.text().is_empty(), "{mismatches:?} {}", logs.text());
}

#[tokio::test]
async fn the_mismatches_of_every_page_of_a_stream_are_collected() {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    let route = "/open-apis/baike/v1/classifications";
    let first = json!({ "items": [{ "id": "c1", "name": "Tech" }], "page_token": "p2" });
    let second = json!({ "items": [{ "id": "c2", "name": 2 }, { "id": "c3", "name": "Ops" }] });
    for (token, data) in [(None, first), (Some("p2"), second)] {
        let mock = Mock::given(method("GET")).and(path(route));
        let mock = match token {
            Some(t) => mock.and(query_param("page_token", t)),
            None => mock.and(query_param_is_missing("page_token")),
        };
        mock.respond_with(lark_ok(data)).expect(1).mount(&server).await;
    }
    let client = baike_v1::Client::new(runtime_once(&server.uri()));
    let (items, mismatches) = collect_mismatches(client.classification().list().stream().try_collect::<Vec<_>>()).await;
    let names: Vec<_> = items.expect("every page succeeded").into_iter().map(|c| c.name).collect();
    assert_eq!(names, vec![Some("Tech".to_owned()), None, Some("Ops".to_owned())]);
    let [m] = mismatches.as_slice() else { panic!("{mismatches:?}") };
    assert_eq!((m.endpoint, m.path.as_str(), &m.raw), ("classification.list", "items[0].name", &json!(2)));
}
