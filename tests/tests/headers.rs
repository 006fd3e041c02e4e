//! Extra headers per call (`CallOptions::header`): sent with the request next to the token,
//! and never able to replace what the client writes itself.

mod support;

use lark_client::baike_v1;
use lark_client::runtime::{CallOptions, Error};
use support::*;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer};

const LIST: &str = "/open-apis/baike/v1/classifications";

async fn list_server() -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    Mock::given(method("GET"))
        .and(path(LIST))
        .and(header("authorization", format!("Bearer {TENANT_TOKEN}").as_str()))
        .and(header("x-request-id", "req-7f3a"))
        .respond_with(lark_ok(serde_json::json!({ "items": [] })))
        .expect(1)
        .mount(&server)
        .await;
    server
}

fn with(base: &str, options: CallOptions) -> baike_v1::Client {
    baike_v1::Client::new(runtime(base).with_options(options))
}

#[tokio::test]
async fn an_extra_header_is_sent_with_the_token() {
    let server = list_server().await;
    let client = with(&server.uri(), CallOptions::new().header("X-Request-Id", "req-7f3a"));
    client.classification().list().send().await.expect("the mock matched the header and the token");
}

#[tokio::test]
async fn setting_a_header_again_replaces_it() {
    let server = list_server().await;
    let first = runtime(&server.uri()).with_options(CallOptions::new().header("X-Request-Id", "old"));
    let again = first.with_options(CallOptions::new().header("x-request-id", "req-7f3a"));
    baike_v1::Client::new(again).classification().list().send().await.expect("only the newer value was sent");
    let list = api_request(&server).await;
    assert_eq!(list.url.path(), LIST);
    assert_eq!(list.headers.get_all("x-request-id").iter().count(), 1);
}

/// Each refused header fails the call before anything (even the token request) is sent.
#[tokio::test]
async fn headers_the_client_writes_cannot_be_added() {
    for (name, value, rule) in [
        ("Authorization", "Bearer u-stolen", "a header the client does not write itself"),
        ("content-type", "text/plain", "a header the client does not write itself"),
        ("Host", "evil.example", "a header the client does not write itself"),
        ("bad header", "x", "a valid header name"),
        ("X-Ok-Name", "line\nbreak", "a valid header value"),
    ] {
        let server = MockServer::start().await;
        let err = with(&server.uri(), CallOptions::new().header(name, value)).classification().list().send().await;
        let Err(baike_v1::ClassificationListError::Unhandled(Error::Validation(found))) = err else {
            panic!("{name}: refused before sending, got {err:?}")
        };
        let v = found.iter().next().expect("one violation");
        assert_eq!((v.field.as_str(), v.rule.as_str()), (format!("options.headers.{name}").as_str(), rule));
        assert!(server.received_requests().await.expect("recorded").is_empty(), "{name}: nothing was sent");
    }
}

#[test]
fn header_values_are_not_printed() {
    let options = CallOptions::new().header("X-Api-Key", "very-secret-value");
    assert!(!format!("{options:?}").contains("very-secret-value"), "{options:?}");
}
