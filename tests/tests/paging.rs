//! Auto-paging of the three paginated Baike v1 endpoints (classification.list, entity.list,
//! entity.search), end to end: `.stream()` follows `page_token` page after page, yields the
//! items in order, stops when the token is absent or empty, re-sends every other parameter
//! (and the search body) on each page, and turns a repeated token into an error instead of
//! looping forever. `.send()` fetches one page at a time.

mod support;

use futures_util::{Stream, StreamExt};
use lark_client::baike_v1::*;
use lark_client::runtime::Error;
use serde_json::{Value, json};
use support::*;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request};

const CLASSIFICATIONS: &str = "/open-apis/baike/v1/classifications";
const ENTITIES: &str = "/open-apis/baike/v1/entities";
const SEARCH: &str = "/open-apis/baike/v1/entities/search";

/// Upper bound on what a test pulls from a stream, so a looping stream fails instead of hanging.
const BOUND: usize = 50;

/// Serves one page: the answer to `verb route` with `page_token = token` (`None`: first page).
async fn page(server: &MockServer, verb: &str, route: &str, token: Option<&str>, data: Value) {
    let mock = Mock::given(method(verb)).and(path(route));
    let mock = match token {
        Some(t) => mock.and(query_param("page_token", t)),
        None => mock.and(query_param_is_missing("page_token")),
    };
    mock.respond_with(lark_ok(data)).expect(1).named(format!("page {token:?}")).mount(server).await;
}

async fn server() -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    server
}

fn classifications(ids: &[&str], next: Option<&str>) -> Value {
    let items: Vec<Value> = ids.iter().map(|id| json!({ "id": id, "name": format!("name {id}") })).collect();
    match next {
        Some(t) => json!({ "items": items, "page_token": t }),
        None => json!({ "items": items }),
    }
}

fn entities(ids: &[&str], next: Option<&str>) -> Value {
    let entities: Vec<Value> = ids
        .iter()
        .map(|id| {
            json!({ "id": id, "main_keys": [{ "key": format!("key {id}"),
                    "display_status": { "allow_highlight": true, "allow_search": true } }] })
        })
        .collect();
    match next {
        Some(t) => json!({ "entities": entities, "page_token": t }),
        None => json!({ "entities": entities }),
    }
}

/// Up to `BOUND` items of a stream.
async fn collect<T, E>(stream: impl Stream<Item = Result<T, E>>) -> Vec<Result<T, E>> {
    stream.take(BOUND).collect().await
}

fn classification_ids(items: Vec<Result<Classification, ClassificationListError>>) -> Vec<String> {
    items.into_iter().map(|r| r.expect("item").id.into_inner()).collect()
}

fn entity_ids<E: std::fmt::Debug>(items: Vec<Result<Entity, E>>) -> Vec<String> {
    items.into_iter().map(|r| r.expect("item").id.expect("id").into_inner()).collect()
}

/// Requests the server received for `route`, in order.
async fn requests_to(server: &MockServer, route: &str) -> Vec<Request> {
    server.received_requests().await.expect("recorded").into_iter().filter(|r| r.url.path() == route).collect()
}

fn query_value(request: &Request, name: &str) -> Option<String> {
    request.url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

#[tokio::test]
async fn classification_list_streams_three_pages_in_order() {
    let server = server().await;
    page(&server, "GET", CLASSIFICATIONS, None, classifications(&["c1", "c2"], Some("t2"))).await;
    page(&server, "GET", CLASSIFICATIONS, Some("t2"), classifications(&["c3"], Some("t3"))).await;
    page(&server, "GET", CLASSIFICATIONS, Some("t3"), classifications(&["c4", "c5"], None)).await;

    let items = collect(baike(&server.uri()).classification().list().page_size(2).stream()).await;
    assert_eq!(classification_ids(items), ["c1", "c2", "c3", "c4", "c5"]);

    let sent = requests_to(&server, CLASSIFICATIONS).await;
    let tokens: Vec<_> = sent.iter().map(|r| query_value(r, "page_token")).collect();
    assert_eq!(tokens, [None, Some("t2".into()), Some("t3".into())]);
    assert!(sent.iter().all(|r| query_value(r, "page_size").as_deref() == Some("2")), "page_size on every page");
}

#[tokio::test]
async fn entity_list_streams_three_pages_and_keeps_its_filters() {
    let server = server().await;
    page(&server, "GET", ENTITIES, None, entities(&["e1"], Some("t2"))).await;
    page(&server, "GET", ENTITIES, Some("t2"), entities(&["e2", "e3"], Some("t3"))).await;
    page(&server, "GET", ENTITIES, Some("t3"), entities(&["e4"], None)).await;

    let stream = baike(&server.uri()).entity().list().provider("星云").user_id_type(UserIdType::UserId).stream();
    assert_eq!(entity_ids(collect(stream).await), ["e1", "e2", "e3", "e4"]);

    for request in requests_to(&server, ENTITIES).await {
        assert_eq!(query_value(&request, "provider").as_deref(), Some("星云"));
        assert_eq!(query_value(&request, "user_id_type").as_deref(), Some("user_id"));
    }
}

#[tokio::test]
async fn entity_search_streams_three_pages_with_the_token_in_the_query_and_the_same_body() {
    let server = server().await;
    page(&server, "POST", SEARCH, None, entities(&["s1", "s2"], Some("t2"))).await;
    page(&server, "POST", SEARCH, Some("t2"), entities(&["s3"], Some("t3"))).await;
    page(&server, "POST", SEARCH, Some("t3"), entities(&["s4"], None)).await;

    let body = EntitySearchBody { query: Some("词典".into()), ..EntitySearchBody::default() };
    let stream = baike(&server.uri()).entity().search().page_size(2).body(body).stream();
    assert_eq!(entity_ids(collect(stream).await), ["s1", "s2", "s3", "s4"]);

    let sent = requests_to(&server, SEARCH).await;
    assert_eq!(sent.len(), 3);
    for request in sent {
        assert_eq!(request.body_json::<Value>().expect("JSON body"), json!({ "query": "词典" }));
        assert_eq!(query_value(&request, "page_size").as_deref(), Some("2"));
    }
}

#[tokio::test]
async fn an_empty_page_token_ends_the_stream() {
    let server = server().await;
    page(&server, "GET", ENTITIES, None, entities(&["e1"], Some("t2"))).await;
    page(&server, "GET", ENTITIES, Some("t2"), entities(&["e2"], Some(""))).await;

    let items = collect(baike(&server.uri()).entity().list().stream()).await;
    assert_eq!(entity_ids(items), ["e1", "e2"]);
    assert_eq!(requests_to(&server, ENTITIES).await.len(), 2, "no request with an empty token");
}

#[tokio::test]
async fn an_absent_page_token_ends_the_stream_after_one_page() {
    let server = server().await;
    page(&server, "POST", SEARCH, None, entities(&["only"], None)).await;
    let items = collect(baike(&server.uri()).entity().search().stream()).await;
    assert_eq!(entity_ids(items), ["only"]);
}

#[tokio::test]
async fn pages_without_items_are_skipped_not_ended_on() {
    let server = server().await;
    page(&server, "GET", CLASSIFICATIONS, None, classifications(&[], Some("t2"))).await;
    page(&server, "GET", CLASSIFICATIONS, Some("t2"), json!({ "page_token": "t3" })).await;
    page(&server, "GET", CLASSIFICATIONS, Some("t3"), classifications(&["c1"], None)).await;
    let items = collect(baike(&server.uri()).classification().list().stream()).await;
    assert_eq!(classification_ids(items), ["c1"]);
}

#[tokio::test]
async fn a_repeated_page_token_is_an_error_not_an_endless_loop() {
    let server = server().await;
    page(&server, "GET", CLASSIFICATIONS, None, classifications(&["c1"], Some("again"))).await;
    page(&server, "GET", CLASSIFICATIONS, Some("again"), classifications(&["c2"], Some("again"))).await;

    let mut items = collect(baike(&server.uri()).classification().list().stream()).await;
    assert_eq!(items.len(), 3, "two items, one error, then the end: {items:?}");
    let err = items.pop().expect("last").expect_err("the repeat is an error");
    assert_eq!(classification_ids(items), ["c1", "c2"], "items of every page served are yielded");
    let ClassificationListError::Unhandled(Error::UnexpectedResponse(u)) = &err else { panic!("got {err:?}") };
    assert!(u.reason.contains("again"), "names the token: {}", u.reason);
    assert_eq!(u.endpoint, "classification.list");
}

#[tokio::test]
async fn a_token_cycle_is_an_error_too() {
    let server = server().await;
    page(&server, "POST", SEARCH, None, entities(&["s1"], Some("a"))).await;
    page(&server, "POST", SEARCH, Some("a"), entities(&["s2"], Some("b"))).await;
    page(&server, "POST", SEARCH, Some("b"), entities(&["s3"], Some("a"))).await;

    let items = collect(baike(&server.uri()).entity().search().stream()).await;
    assert_eq!(items.len(), 4, "{items:?}");
    assert!(matches!(items[3], Err(EntitySearchError::Unhandled(Error::UnexpectedResponse(_)))), "{:?}", items[3]);
}

#[tokio::test]
async fn an_error_page_ends_the_stream_after_the_error() {
    let server = server().await;
    page(&server, "GET", ENTITIES, None, entities(&["e1"], Some("t2"))).await;
    Mock::given(method("GET"))
        .and(path(ENTITIES))
        .and(query_param("page_token", "t2"))
        .respond_with(lark_error(500, 1540002, "network anomaly, please try again", "log-page-2"))
        // 1540002 is retryable and entity.list idempotent: the default RetryPolicy makes 3 attempts.
        .expect(3)
        .mount(&server)
        .await;

    let items = collect(baike(&server.uri()).entity().list().stream()).await;
    assert_eq!(items.len(), 2, "{items:?}");
    assert_eq!(items[0].as_ref().expect("first page").id, Some(EntityId::new("e1")));
    let Err(EntityListError::NetworkAnomaly(api)) = &items[1] else { panic!("got {:?}", items[1]) };
    assert_eq!(api.log_id.as_deref(), Some("log-page-2"));
}

#[tokio::test]
async fn send_fetches_one_page_at_a_time() {
    let server = server().await;
    page(&server, "GET", ENTITIES, None, entities(&["e1"], Some("t2"))).await;
    page(&server, "GET", ENTITIES, Some("t2"), entities(&["e2"], None)).await;
    let client = baike(&server.uri());

    let first = client.entity().list().page_size(1).send().await.expect("page 1");
    assert_eq!(first.entities.as_ref().map(Vec::len), Some(1));
    let token = first.page_token.expect("a next page");
    assert_eq!(token, "t2");

    let second = client.entity().list().page_size(1).page_token(token).send().await.expect("page 2");
    assert_eq!(second.entities.expect("entities")[0].id, Some(EntityId::new("e2")));
    assert_eq!(second.page_token, None);
}

#[tokio::test]
async fn send_of_search_and_classifications_returns_the_next_token() {
    let server = server().await;
    page(&server, "POST", SEARCH, Some("s-2"), entities(&["x"], Some("s-3"))).await;
    page(&server, "GET", CLASSIFICATIONS, Some("c-2"), classifications(&["y"], Some("c-3"))).await;
    let client = baike(&server.uri());
    let search = client.entity().search().page_token("s-2").send().await.expect("search page");
    assert_eq!(search.page_token.as_deref(), Some("s-3"));
    let list = client.classification().list().page_token("c-2").send().await.expect("classification page");
    assert_eq!(list.page_token.as_deref(), Some("c-3"));
}

#[tokio::test]
async fn nothing_is_fetched_until_the_stream_is_polled() {
    let server = MockServer::start().await;
    let stream = baike(&server.uri()).entity().list().stream();
    drop(stream);
    assert!(server.received_requests().await.expect("recorded").is_empty());
}

#[tokio::test]
async fn a_stream_resumes_from_the_page_token_set_on_the_request() {
    let server = server().await;
    page(&server, "GET", ENTITIES, Some("t5"), entities(&["e5"], Some("t6"))).await;
    page(&server, "GET", ENTITIES, Some("t6"), entities(&["e6"], None)).await;
    let items = collect(baike(&server.uri()).entity().list().page_token("t5").stream()).await;
    assert_eq!(entity_ids(items), ["e5", "e6"], "the stream starts at the given page, not over");
}

#[tokio::test]
async fn tokens_with_reserved_characters_are_sent_back_intact() {
    let server = server().await;
    let tricky = "a+b/c=d&e f****%2F";
    page(&server, "GET", CLASSIFICATIONS, None, classifications(&["c1"], Some(tricky))).await;
    page(&server, "GET", CLASSIFICATIONS, Some(tricky), classifications(&["c2"], None)).await;
    let items = collect(baike(&server.uri()).classification().list().stream()).await;
    assert_eq!(classification_ids(items), ["c1", "c2"]);
    let sent = requests_to(&server, CLASSIFICATIONS).await;
    assert_eq!(query_value(&sent[1], "page_token").as_deref(), Some(tricky));
}
