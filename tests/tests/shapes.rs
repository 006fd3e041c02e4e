//! The shapes spec format v2 added, end to end over loopback HTTP, on the test spec
//! `tests/specs/contact-v3.yaml` (generated here by the proc-macro):
//!
//! - a list in the query (`users/batch?user_ids=a&user_ids=b`) is sent as repeated keys, in
//!   order, and nothing when an optional list is unset; its `min_items`/`max_items` are checked
//!   before anything is sent;
//! - `map<string, T>` and `json` fields go out and come back as JSON objects and any JSON; a
//!   map's `min_items`/`max_items` count its keys, its values' constraints are checked under
//!   their key (`body.mentions["@2"].name`);
//! - `i64_string` fields are `i64` in Rust, sent as JSON strings and read from strings or
//!   numbers (also inside lists and maps);
//! - a field scope with several conditions is one descriptor row per condition.

mod support;

use lark_client::runtime::validate::Violation;
use lark_client::runtime::{self, Error, FieldScope, Json};
use serde_json::json;
use support::*;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

/// The test spec's service, as a module of this test.
mod api {
    larkgen_macros::client!("specs/contact-v3.yaml");
}

use api::contact_v3::*;

const BATCH: &str = "/open-apis/contact/v3/users/batch";
const FIND: &str = "/open-apis/contact/v3/users/find";
const NOTES: &str = "/open-apis/contact/v3/notes";

fn contact(base: &str) -> Client {
    Client::new(runtime(base))
}

/// The violations of a call refused before sending, as `(field, rule, problem)`; checks that
/// nothing (not even a token request) reached the server.
async fn refused<T: std::fmt::Debug>(server: &MockServer, result: Result<T, Error>) -> Vec<(String, String, String)> {
    let Err(Error::Validation(found)) = result else {
        panic!("expected a validation error, got {result:?}");
    };
    assert!(server.received_requests().await.expect("recorded").is_empty(), "nothing reached the server");
    found.iter().map(|Violation { field, rule, problem }| (field.clone(), rule.clone(), problem.clone())).collect()
}

/// Unwraps the runtime error of an endpoint error enum's catch-all.
fn unhandled<T>(result: Result<T, impl Into<Option<Error>>>) -> Result<T, Error> {
    result.map_err(|e| e.into().expect("an unhandled error"))
}

impl From<UserBatchError> for Option<Error> {
    fn from(e: UserBatchError) -> Self {
        match e {
            UserBatchError::Unhandled(e) => Some(e),
            _ => None,
        }
    }
}

impl From<UserFindError> for Option<Error> {
    fn from(e: UserFindError) -> Self {
        match e {
            UserFindError::Unhandled(e) => Some(e),
            _ => None,
        }
    }
}

impl From<NoteCreateError> for Option<Error> {
    fn from(e: NoteCreateError) -> Self {
        match e {
            NoteCreateError::Unhandled(e) => Some(e),
            _ => None,
        }
    }
}

fn triple(field: &str, rule: &str, problem: &str) -> (String, String, String) {
    (field.into(), rule.into(), problem.into())
}

// ---- query lists ----

#[tokio::test]
async fn a_query_list_is_sent_as_one_key_per_item_in_order() {
    let users = json!({ "items": [
        { "user_id": "ou_2", "name": "B", "update_time": "1700000000", "custom_attrs": { "team": "core" } },
        { "user_id": "ou_1", "name": "A", "update_time": 1600000000 },
    ]});
    let server = server_with("GET", BATCH, lark_ok(users)).await;
    let ids = vec![UserId::new("ou_2"), UserId::new("ou_1"), UserId::new("ou_2")];
    let data =
        contact(&server.uri()).user().batch(ids).user_id_type(UserIdType::OpenId).send().await.expect("answered");

    let request = api_request(&server).await;
    assert_eq!(
        query(&request),
        pairs(&[("user_ids", "ou_2"), ("user_ids", "ou_1"), ("user_ids", "ou_2"), ("user_id_type", "open_id")])
    );
    assert_no_body(&request);
    let items = data.items.expect("items");
    assert_eq!(items[0].update_time, Some(1_700_000_000), "an int64 read from a string");
    assert_eq!(items[1].update_time, Some(1_600_000_000), "an int64 read from a number");
    let attrs = items[0].custom_attrs.as_ref().expect("a map");
    assert_eq!(attrs.get("team").map(String::as_str), Some("core"));
    assert_eq!(items[1].custom_attrs, None);
}

#[tokio::test]
async fn items_are_percent_encoded_one_by_one() {
    let server = server_with("GET", BATCH, lark_ok(json!({}))).await;
    let ids = vec![UserId::new("a&user_ids=b"), UserId::new("c d")];
    contact(&server.uri()).user().batch(ids).send().await.expect("answered");
    assert_eq!(query(&api_request(&server).await), pairs(&[("user_ids", "a&user_ids=b"), ("user_ids", "c d")]));
}

#[tokio::test]
async fn an_unset_optional_list_sends_nothing_and_a_set_one_each_item() {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    Mock::given(method("GET")).and(path(FIND)).respond_with(lark_ok(json!({}))).expect(3).mount(&server).await;
    let client = contact(&server.uri());

    client.user().find().send().await.expect("answered");
    client.user().find().emails(vec![]).send().await.expect("answered");
    let statuses = vec![UserStatus::Active, UserStatus::Frozen];
    client
        .user()
        .find()
        .emails(vec!["a@example.com".into(), "b@example.com".into()])
        .statuses(statuses)
        .since(1_700_000_000)
        .send()
        .await
        .expect("answered");

    let requests = api_requests(&server).await;
    assert_eq!(requests[0].url.query(), None, "unset: no key at all");
    assert_eq!(requests[1].url.query(), None, "empty: no key at all");
    assert_eq!(
        query(&requests[2]),
        pairs(&[
            ("emails", "a@example.com"),
            ("emails", "b@example.com"),
            ("statuses", "1"),
            ("statuses", "2"),
            ("since", "1700000000"),
        ])
    );
}

#[tokio::test]
async fn query_list_bounds_are_checked_before_sending() {
    let server = MockServer::start().await;
    let client = contact(&server.uri());

    let none = unhandled(client.user().batch(vec![]).send().await);
    assert_eq!(refused(&server, none).await, [triple("user_ids", "min_items = 1", "has 0 items")]);

    let many: Vec<UserId> = (0..51).map(|i| UserId::new(format!("ou_{i}"))).collect();
    let too_many = unhandled(client.user().batch(many).send().await);
    assert_eq!(refused(&server, too_many).await, [triple("user_ids", "max_items = 50", "has 51 items")]);

    let emails = vec![String::new(); 4];
    let found = unhandled(client.user().find().emails(emails).send().await);
    assert_eq!(refused(&server, found).await, [triple("emails", "max_items = 3", "has 4 items")]);
}

#[tokio::test]
async fn fifty_ids_are_allowed() {
    let server = server_with("GET", BATCH, lark_ok(json!({}))).await;
    let ids: Vec<UserId> = (0..50).map(|i| UserId::new(format!("ou_{i}"))).collect();
    contact(&server.uri()).user().batch(ids).send().await.expect("at the limit");
    assert_eq!(query(&api_request(&server).await).len(), 50);
}

// ---- maps, free JSON and int64 strings ----

fn note() -> NoteBody {
    NoteBody {
        related_ids: Some(vec![7152790921053274113, 2]),
        labels: Some([("color".to_owned(), "red".to_owned())].into()),
        weights: Some([("a".to_owned(), 5)].into()),
        extra: Some(runtime::json_value!({ "nested": [1, "two", null, { "three": true }] })),
        ..NoteBody::new(String::from("call back"), 1_700_000_000_000)
    }
}

#[tokio::test]
async fn maps_free_json_and_int64_strings_go_out_as_the_wire_expects() {
    let answer = json!({
        "note_id": 7152790921053274113_i64,
        "labels": { "color": "red" },
        "extra": { "kept": ["as", "sent"], "n": 1.5 },
    });
    let server = server_with("POST", NOTES, lark_ok(answer)).await;
    let data = contact(&server.uri()).note().create(note()).send().await.expect("answered");

    let sent = json_body(&api_request(&server).await);
    assert_eq!(
        sent,
        json!({
            "text": "call back",
            "due_time": "1700000000000",
            "related_ids": ["7152790921053274113", "2"],
            "labels": { "color": "red" },
            "weights": { "a": "5" },
            "extra": { "nested": [1, "two", null, { "three": true }] },
        })
    );
    assert_eq!(data.note_id, 7152790921053274113, "read from a number");
    assert_eq!(data.labels, Some([("color".to_owned(), "red".to_owned())].into()));
    let extra: Json = data.extra.expect("extra");
    assert_eq!(extra["kept"][1], Json::from("sent"));
    assert_eq!(extra["n"].as_f64(), Some(1.5));
}

#[tokio::test]
async fn an_int64_that_is_neither_a_number_nor_a_numeric_string_is_a_decoding_error() {
    let server = server_with("POST", NOTES, lark_ok(json!({ "note_id": "71527x" }))).await;
    let result = unhandled(contact(&server.uri()).note().create(note()).send().await);
    let err = result.expect_err("not an int64");
    assert!(err.to_string().contains("an int64 as a string or a number"), "{err}");
}

#[tokio::test]
async fn map_bounds_count_keys_and_int64_bounds_apply_before_sending() {
    let server = MockServer::start().await;
    let client = contact(&server.uri());
    let four: std::collections::BTreeMap<String, String> = (0..4).map(|i| (format!("k{i}"), String::new())).collect();
    let body = NoteBody { labels: Some(four), ..note() };
    let found = unhandled(client.note().create(body).send().await);
    assert_eq!(refused(&server, found).await, [triple("body.labels", "max_items = 3", "has 4 items")]);

    let mentions = [("@1".to_owned(), Mention::new("Ada")), ("@2".to_owned(), Mention::new("Bartholomew Ng"))];
    let body = NoteBody { mentions: Some(mentions.into()), ..note() };
    let found = unhandled(client.note().create(body).send().await);
    assert_eq!(
        refused(&server, found).await,
        [triple(r#"body.mentions["@2"].name"#, "max_length = 10", "has 14 characters")],
        "a map's values are checked under their key"
    );

    let body = NoteBody { labels: Some(Default::default()), due_time: -1, ..note() };
    let found = unhandled(client.note().create(body).send().await);
    assert_eq!(
        refused(&server, found).await,
        [triple("body.due_time", "min = 0", "is -1"), triple("body.labels", "min_items = 1", "has 0 items")]
    );
}

// ---- field scopes ----

#[test]
fn a_field_scope_with_several_conditions_is_a_row_per_condition() {
    let rows: Vec<(&str, &str, &str)> =
        endpoints::USER_BATCH.field_scopes.iter().map(|f: &FieldScope| (f.scope, f.param, f.equals)).collect();
    assert_eq!(
        rows,
        [
            ("contact:user.employee_id:readonly", "user_id_type", "user_id"),
            ("contact:department.organize:readonly", "department_id_type", "department_id"),
            ("contact:department.organize:readonly", "user_id_type", "union_id"),
        ]
    );
}
