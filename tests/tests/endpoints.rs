//! Every one of the 13 Baike v1 endpoints, end to end over loopback HTTP.
//!
//! For each: the exact method, path, query string and body on the wire, the tenant token
//! in `Authorization: Bearer …`, the official example answer decoded into the generated
//! type, and every declared error code mapped to its own variant of the endpoint's enum.

mod bodies;
mod support;

use bodies::*;
use lark_client::baike_v1::*;
use lark_client::runtime::Error;
use serde_json::{Value, json};
use support::*;
use wiremock::matchers::{header, method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const BEARER: &str = "Bearer t-test-tenant-token-1";
const BASE: &str = "/open-apis/baike/v1";

/// A server with the token endpoint and one route, reached only with the tenant token.
async fn server_with(verb: &str, route: &str, answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    Mock::given(method(verb))
        .and(path(route))
        .and(header("authorization", BEARER))
        .respond_with(answer)
        .expect(1)
        .named(format!("{verb} {route}"))
        .mount(&server)
        .await;
    server
}

/// The official example answer of a response fixture.
fn example(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).insert_header("X-Tt-Logid", "log-ok").set_body_json(fixture(name))
}

/// The `data` of a response fixture, decoded directly (what the client must return).
fn expected<T: lark_client::runtime::serde::de::DeserializeOwned>(name: &str) -> T {
    serde_json::from_value(fixture_data(name)).expect("fixture decodes")
}

/// The one API request the server received, the token fetch aside.
async fn api_request(server: &MockServer) -> Request {
    let mut requests: Vec<Request> = server
        .received_requests()
        .await
        .expect("recording is on")
        .into_iter()
        .filter(|r| r.url.path() != TOKEN_PATH)
        .collect();
    assert_eq!(requests.len(), 1, "exactly one API request");
    requests.remove(0)
}

/// The query string as decoded `(name, value)` pairs, in order.
fn query(request: &Request) -> Vec<(String, String)> {
    request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// The JSON body, after checking it is declared as JSON.
fn json_body(request: &Request) -> Value {
    let content_type = request.headers.get("content-type").and_then(|v| v.to_str().ok());
    assert_eq!(content_type, Some("application/json; charset=utf-8"));
    serde_json::from_slice(&request.body).expect("the body is JSON")
}

fn assert_no_body(request: &Request) {
    assert!(request.body.is_empty(), "no body: {:?}", String::from_utf8_lossy(&request.body));
    assert!(request.headers.get("content-type").is_none(), "no content type on a body-less request");
}

// ---- classification.list ----

#[tokio::test]
async fn classification_list_sends_paging_query_and_decodes_the_example() {
    let route = format!("{BASE}/classifications");
    let server = server_with("GET", &route, example("classifications_list.response")).await;
    let page = baike(&server.uri()).classification().list().page_size(20).page_token("p-1").send().await.expect("ok");
    assert_eq!(page, expected::<ClassificationListData>("classifications_list.response"));
    assert_eq!(page.items.expect("items")[0].name.as_deref(), Some("行业术语"));
    let request = api_request(&server).await;
    assert_eq!(query(&request), pairs(&[("page_size", "20"), ("page_token", "p-1")]));
    assert_no_body(&request);
}

#[tokio::test]
async fn classification_list_without_parameters_sends_no_query() {
    let route = format!("{BASE}/classifications");
    let server = server_with("GET", &route, example("classifications_list.response")).await;
    baike(&server.uri()).classification().list().send().await.expect("ok");
    assert_eq!(api_request(&server).await.url.query(), None);
}

// ---- draft.create ----

#[tokio::test]
async fn draft_create_posts_the_example_body_with_user_id_type() {
    let route = format!("{BASE}/drafts");
    let server = server_with("POST", &route, example("drafts_create.response")).await;
    let data = baike(&server.uri())
        .draft()
        .create(draft_create_body())
        .user_id_type(UserIdType::UserId)
        .send()
        .await
        .expect("ok");
    assert_eq!(data, expected::<DraftData>("drafts_create.response"));
    assert_eq!(data.draft.draft_id, Some(DraftId::new("54*7")));
    let request = api_request(&server).await;
    assert_eq!(query(&request), pairs(&[("user_id_type", "user_id")]));
    assert_eq!(json_body(&request), fixture("drafts_create.request"));
}

#[tokio::test]
async fn user_access_token_replaces_the_tenant_token() {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 0).await;
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/drafts")))
        .and(header("authorization", "Bearer u-reviewer"))
        .respond_with(example("drafts_create.response"))
        .expect(1)
        .mount(&server)
        .await;
    baike(&server.uri()).draft().create(draft_create_body()).user_access_token("u-reviewer").send().await.expect("ok");
}

// ---- draft.update ----

#[tokio::test]
async fn draft_update_puts_the_example_body_to_the_draft_path() {
    let route = format!("{BASE}/drafts/5347");
    let server = server_with("PUT", &route, example("drafts_update.response")).await;
    let data = baike(&server.uri())
        .draft()
        .update("5347", draft_update_body())
        .user_id_type(UserIdType::OpenId)
        .send()
        .await
        .expect("ok");
    assert_eq!(data, expected::<DraftData>("drafts_update.response"));
    let request = api_request(&server).await;
    assert_eq!(query(&request), pairs(&[("user_id_type", "open_id")]));
    assert_eq!(json_body(&request), fixture("drafts_update.request"));
}

// ---- entity.create ----

#[tokio::test]
async fn entity_create_posts_the_example_body() {
    let route = format!("{BASE}/entities");
    let server = server_with("POST", &route, example("entities_create.response")).await;
    let data = baike(&server.uri())
        .entity()
        .create(entity_create_body())
        .user_id_type(UserIdType::UnionId)
        .send()
        .await
        .expect("ok");
    assert_eq!(data, expected::<EntityData>("entities_create.response"));
    assert_eq!(data.entity.id, Some(EntityId::new("enterprise_40217521")));
    let request = api_request(&server).await;
    assert_eq!(query(&request), pairs(&[("user_id_type", "union_id")]));
    assert_eq!(json_body(&request), fixture("entities_create.request"));
}

// ---- entity.update ----

#[tokio::test]
async fn entity_update_puts_the_example_body_to_the_entity_path() {
    let route = format!("{BASE}/entities/enterprise_40217521");
    let server = server_with("PUT", &route, example("entities_update.response")).await;
    let data =
        baike(&server.uri()).entity().update("enterprise_40217521", entity_update_body()).send().await.expect("ok");
    assert_eq!(data, expected::<EntityData>("entities_update.response"));
    let request = api_request(&server).await;
    assert_eq!(query(&request), pairs(&[]), "user_id_type unset: not sent");
    assert_eq!(json_body(&request), fixture("entities_update.request"));
}

// ---- entity.get ----

#[tokio::test]
async fn entity_get_by_id() {
    let route = format!("{BASE}/entities/enterprise_515879");
    let server = server_with("GET", &route, example("entities_get.response")).await;
    let data = baike(&server.uri()).entity().get("enterprise_515879").send().await.expect("ok");
    assert_eq!(data, expected::<EntityData>("entities_get.response"));
    let request = api_request(&server).await;
    assert_eq!(request.url.query(), None);
    assert_no_body(&request);
}

#[tokio::test]
async fn entity_get_by_provider_and_outer_id_uses_enterprise_0() {
    let route = format!("{BASE}/entities/enterprise_0");
    let server = server_with("GET", &route, example("entities_get.response")).await;
    let data = baike(&server.uri())
        .entity()
        .get("enterprise_0")
        .provider("星云")
        .outer_id("12345")
        .user_id_type(UserIdType::UserId)
        .send()
        .await
        .expect("ok");
    assert_eq!(data.entity.outer_info, Some(OuterInfo::new("星云", "client_6539***98d")));
    let request = api_request(&server).await;
    assert_eq!(query(&request), pairs(&[("provider", "星云"), ("outer_id", "12345"), ("user_id_type", "user_id")]));
    assert_eq!(request.url.query(), Some("provider=%E6%98%9F%E4%BA%91&outer_id=12345&user_id_type=user_id"));
}

// ---- entity.list ----

#[tokio::test]
async fn entity_list_sends_every_query_parameter() {
    let route = format!("{BASE}/entities");
    let server = server_with("GET", &route, example("entities_list.response")).await;
    let page = baike(&server.uri())
        .entity()
        .list()
        .page_size(50)
        .page_token("tok-2")
        .provider("星云")
        .user_id_type(UserIdType::UserId)
        .send()
        .await
        .expect("ok");
    assert_eq!(page, expected::<EntityListData>("entities_list.response"));
    assert!(page.page_token.is_some(), "the next page token comes back");
    let request = api_request(&server).await;
    assert_eq!(
        query(&request),
        pairs(&[("page_size", "50"), ("page_token", "tok-2"), ("provider", "星云"), ("user_id_type", "user_id")])
    );
    assert_no_body(&request);
}

// ---- entity.match ----

#[tokio::test]
async fn entity_match_posts_the_word() {
    let route = format!("{BASE}/entities/match");
    let server = server_with("POST", &route, example("entities_match.response")).await;
    let data = baike(&server.uri()).entity().r#match(match_body()).send().await.expect("ok");
    assert_eq!(data, expected::<EntityMatchData>("entities_match.response"));
    assert_eq!(data.results.expect("results")[0].r#type, Some(MatchType::MainKey));
    let request = api_request(&server).await;
    assert_eq!(request.url.query(), None);
    assert_eq!(json_body(&request), json!({ "word": "飞书词典" }));
}

// ---- entity.search ----

#[tokio::test]
async fn entity_search_puts_paging_in_the_query_and_filters_in_the_body() {
    let route = format!("{BASE}/entities/search");
    let server = server_with("POST", &route, example("entities_search.response")).await;
    let page = baike(&server.uri())
        .entity()
        .search()
        .page_size(10)
        .page_token("next-1")
        .user_id_type(UserIdType::OpenId)
        .body(search_body())
        .send()
        .await
        .expect("ok");
    assert_eq!(page, expected::<EntityListData>("entities_search.response"));
    let request = api_request(&server).await;
    assert_eq!(query(&request), pairs(&[("page_size", "10"), ("page_token", "next-1"), ("user_id_type", "open_id")]));
    let body = json_body(&request);
    assert_eq!(body, fixture("entities_search.request"));
    assert!(body.get("page_size").is_none() && body.get("page_token").is_none(), "paging is not in the body");
}

#[tokio::test]
async fn entity_search_without_a_body_sends_an_empty_object() {
    let route = format!("{BASE}/entities/search");
    let server = server_with("POST", &route, example("entities_search.response")).await;
    baike(&server.uri()).entity().search().send().await.expect("ok");
    let request = api_request(&server).await;
    assert_eq!(request.url.query(), None);
    assert_eq!(json_body(&request), json!({}));
}

// ---- entity.highlight ----

#[tokio::test]
async fn entity_highlight_posts_the_text() {
    let route = format!("{BASE}/entities/highlight");
    let server = server_with("POST", &route, example("entities_highlight.response")).await;
    let data = baike(&server.uri()).entity().highlight(highlight_body()).send().await.expect("ok");
    assert_eq!(data, expected::<EntityHighlightData>("entities_highlight.response"));
    let request = api_request(&server).await;
    assert_eq!(request.url.query(), None);
    assert_eq!(json_body(&request), fixture("entities_highlight.request"));
}

// ---- entity.extract ----

#[tokio::test]
async fn entity_extract_posts_the_text() {
    let route = format!("{BASE}/entities/extract");
    let server = server_with("POST", &route, example("entities_extract.response")).await;
    let data = baike(&server.uri()).entity().extract().body(extract_body()).send().await.expect("ok");
    assert_eq!(data, expected::<EntityExtractData>("entities_extract.response"));
    assert_eq!(json_body(&api_request(&server).await), fixture("entities_extract.request"));
}

#[tokio::test]
async fn entity_extract_without_a_body_sends_an_empty_object() {
    let route = format!("{BASE}/entities/extract");
    let server = server_with("POST", &route, example("entities_extract.response")).await;
    baike(&server.uri()).entity().extract().send().await.expect("ok");
    assert_eq!(json_body(&api_request(&server).await), json!({}));
}

// ---- file.upload ----

#[tokio::test]
async fn file_upload_posts_a_multipart_form_and_decodes_the_token() {
    let route = format!("{BASE}/files/upload");
    let server = server_with("POST", &route, example("files_upload.response")).await;
    let form = FileUploadForm::new("cat.png", vec![9u8; 4096]);
    let data = baike(&server.uri()).file().upload(form).send().await.expect("ok");
    assert_eq!(data.file_token, FileToken::new("boxbcEcmKiD****vgqWTpvdc7jc"));
    let request = api_request(&server).await;
    assert_eq!(request.url.query(), None);
    let content_type = request.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(content_type.starts_with("multipart/form-data; boundary="), "{content_type}");
}

// ---- file.download ----

#[tokio::test]
async fn file_download_gets_the_token_path() {
    let route = format!("{BASE}/files/boxbcEcmKiD3vgqWTpvdc7jc/download");
    let png = ResponseTemplate::new(200).insert_header("content-type", "image/png").set_body_bytes(vec![1, 2, 3]);
    let server = server_with("GET", &route, png).await;
    let download = baike(&server.uri()).file().download("boxbcEcmKiD3vgqWTpvdc7jc").send().await.expect("ok");
    assert_eq!(download.bytes().await.expect("body").as_ref(), &[1, 2, 3]);
    let request = api_request(&server).await;
    assert_eq!(request.url.query(), None);
    assert_no_body(&request);
}

// ---- declared errors ----

/// A server whose every Baike route answers with one Lark error.
async fn failing(status: u16, code: i64) -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    Mock::given(path_regex("^/open-apis/baike/v1/"))
        .respond_with(lark_error(status, code, "declared failure", "log-err"))
        .mount(&server)
        .await;
    server
}

/// One test per endpoint: each declared `(HTTP status, code)` comes back as its variant,
/// carrying the code, status, message, log id and the spec's row.
macro_rules! declared_errors {
    ($test:ident: $error:ident = |$client:ident| $call:expr; $($variant:ident => ($status:literal, $code:literal)),+ $(,)?) => {
        #[tokio::test]
        async fn $test() {
            $({
                let server = failing($status, $code).await;
                let $client = baike(&server.uri());
                let err: $error = $call.await.expect_err("the server refused");
                let $error::$variant(api) = &err else {
                    panic!("{} {}: got {err:?}", stringify!($variant), $code)
                };
                assert_eq!((api.code, api.http_status), ($code, $status));
                assert_eq!((api.msg.as_str(), api.log_id.as_deref()), ("declared failure", Some("log-err")));
                assert_eq!(api.spec.map(|s| (s.name, s.code, s.http_status)), Some((stringify!($variant), $code, $status)));
                assert_eq!((err.code(), err.http_status()), (Some($code), Some($status)));
            })+
        }
    };
}

declared_errors!(classification_list_errors: ClassificationListError =
    |c| c.classification().list().send();
    InvalidParam => (400, 1540001), NetworkAnomaly => (500, 1540002));
declared_errors!(draft_create_errors: DraftCreateError =
    |c| c.draft().create(draft_create_body()).send();
    InvalidParam => (400, 1540001), NetworkAnomaly => (500, 1540002));
declared_errors!(draft_update_errors: DraftUpdateError =
    |c| c.draft().update("5347", draft_update_body()).send();
    InvalidParam => (400, 1540001), NetworkAnomaly => (500, 1540002), DraftReviewed => (403, 1540100));
declared_errors!(entity_create_errors: EntityCreateError =
    |c| c.entity().create(entity_create_body()).send();
    InvalidParam => (400, 1540001), NetworkAnomaly => (500, 1540002));
declared_errors!(entity_update_errors: EntityUpdateError =
    |c| c.entity().update("enterprise_1", entity_update_body()).send();
    InvalidParam => (400, 1540001), NetworkAnomaly => (500, 1540002));
declared_errors!(entity_get_errors: EntityGetError =
    |c| c.entity().get("enterprise_1").send();
    InvalidParam => (400, 1540001), NetworkAnomaly => (500, 1540002));
declared_errors!(entity_list_errors: EntityListError =
    |c| c.entity().list().send();
    InvalidParam => (400, 1540001), NetworkAnomaly => (500, 1540002));
declared_errors!(entity_match_errors: EntityMatchError =
    |c| c.entity().r#match(match_body()).send();
    InvalidParam => (400, 1540001), NetworkAnomaly => (500, 1540002));
declared_errors!(entity_search_errors: EntitySearchError =
    |c| c.entity().search().send();
    InvalidParam => (400, 1540001), NetworkAnomaly => (500, 1540002));
declared_errors!(entity_highlight_errors: EntityHighlightError =
    |c| c.entity().highlight(highlight_body()).send();
    InvalidParam => (400, 1540001), NetworkAnomaly => (500, 1540002));
declared_errors!(entity_extract_errors: EntityExtractError =
    |c| c.entity().extract().send();
    InvalidParam => (400, 1540001), NetworkAnomaly => (500, 1540002));
declared_errors!(file_upload_errors: FileUploadError =
    |c| c.file().upload(FileUploadForm::new("cat.png", vec![0u8; 4096])).send();
    InvalidParam => (400, 1540001), NetworkAnomaly => (500, 1540002));
declared_errors!(file_download_errors: FileDownloadError =
    |c| c.file().download("boxbc").send();
    InvalidParam => (400, 1540001), NetworkAnomaly => (500, 1540002));

#[tokio::test]
async fn draft_reviewed_is_only_a_variant_of_draft_update() {
    let server = failing(403, 1540100).await;
    let err = baike(&server.uri()).draft().create(draft_create_body()).send().await.expect_err("refused");
    let DraftCreateError::Unhandled(Error::Api(api)) = &err else { panic!("got {err:?}") };
    assert_eq!((api.code, api.http_status), (1540100, 403));
    assert!(api.spec.is_none(), "draft.create does not declare 1540100");
}

#[tokio::test]
async fn retryability_follows_the_spec() {
    let server = failing(500, 1540002).await;
    let err = baike(&server.uri()).entity().get("enterprise_1").send().await.expect_err("refused");
    assert!(err.is_retryable());
    let server = failing(403, 1540100).await;
    let err = baike(&server.uri()).draft().update("1", draft_update_body()).send().await.expect_err("refused");
    assert!(!err.is_retryable());
}
