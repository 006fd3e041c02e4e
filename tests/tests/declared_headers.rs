//! Header parameters (`in: header`) and the spec's content type of a file part, end to end over
//! loopback HTTP, on the test spec `tests/specs/headers-v1.yaml` (generated here by the
//! proc-macro):
//!
//! - a required header is a positional argument, optional ones are setters named after the
//!   header (`X-Request-Id` → `x_request_id`); each goes out under its declared name, typed
//!   values written as their text, unset ones not at all;
//! - their constraints, and values no header can carry, are refused before anything is sent;
//! - a declared header replaces the same header of `CallOptions::header`, and a header the
//!   client writes itself cannot be added to a call by hand either;
//! - a file part goes out with, in order of preference, the call's content type, the one its
//!   file name implies, the spec's (`content_type: image/png`);
//! - the runtime's fake Lark server checks declared headers against the spec as well.

mod support;

use lark_client::runtime::{CallOptions, Error, FileSource};
use support::multipart::parts;
use support::*;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request};

mod api {
    larkgen_macros::client!("specs/headers-v1.yaml");
}

use api::headers_v1::*;

const REPORT: &str = "/open-apis/headers/v1/reports/r1";
const CHARTS: &str = "/open-apis/headers/v1/charts";

fn client(base: &str) -> Client {
    Client::new(runtime(base))
}

/// A server answering `GET REPORT` with an empty success; the request it saw.
async fn report_server() -> MockServer {
    server_with("GET", REPORT, lark_ok(serde_json::json!({}))).await
}

fn header_of<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn declared_headers_go_out_under_their_names() {
    let server = report_server().await;
    client(&server.uri())
        .report()
        .get("r1".into(), "trace-7f3a".into())
        .x_priority(3)
        .x_mode(Mode::Full)
        .x_report_version(9_007_199_254_740_993)
        .send()
        .await
        .expect("sent");
    let request = api_request(&server).await;
    assert_eq!(header_of(&request, "x-request-id"), Some("trace-7f3a"));
    assert_eq!(header_of(&request, "x-priority"), Some("3"));
    assert_eq!(header_of(&request, "x-mode"), Some("full"));
    assert_eq!(header_of(&request, "x-report-version"), Some("9007199254740993"));
    assert!(query(&request).is_empty(), "headers are not query parameters");
}

#[tokio::test]
async fn unset_optional_headers_are_not_sent() {
    let server = report_server().await;
    client(&server.uri()).report().get("r1".into(), "t".into()).send().await.expect("sent");
    let request = api_request(&server).await;
    for name in ["x-priority", "x-mode", "x-report-version"] {
        assert!(request.headers.get(name).is_none(), "{name} is unset");
    }
}

#[tokio::test]
async fn header_constraints_are_checked_before_sending() {
    let server = MockServer::start().await;
    let reports = client(&server.uri()).report();
    let cases = [
        (reports.get("r1".into(), String::new()), "X-Request-Id", "min_length = 1"),
        (reports.get("r1".into(), "x".repeat(65)), "X-Request-Id", "max_length = 64"),
        (reports.get("r1".into(), "t".into()).x_priority(10), "X-Priority", "max = 9"),
        (reports.get("r1".into(), "a\nb".into()), "X-Request-Id", "a valid header value"),
    ];
    for (request, field, rule) in cases {
        let err = request.send().await.expect_err("refused");
        let ReportGetError::Unhandled(Error::Validation(v)) = &err else { panic!("a validation error: {err:?}") };
        let found: Vec<_> = v.iter().map(|v| (v.field.as_str(), v.rule.as_str())).collect();
        assert!(found.contains(&(field, rule)), "{field} {rule}: {found:?}");
    }
    assert!(server.received_requests().await.expect("recorded").is_empty(), "nothing reached the server");
}

#[tokio::test]
async fn a_declared_header_replaces_the_same_header_of_the_options() {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    Mock::given(method("GET"))
        .and(path(REPORT))
        .and(header("x-request-id", "declared"))
        .respond_with(lark_ok(serde_json::json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let options = CallOptions::new().header("X-Request-Id", "from-options").header("X-Team", "blue");
    let with_options = Client::new(runtime(&server.uri()).with_options(options));
    with_options.report().get("r1".into(), "declared".into()).send().await.expect("sent");
    let request = api_request(&server).await;
    let ids: Vec<_> = request.headers.get_all("x-request-id").iter().collect();
    assert_eq!(ids, ["declared"], "one value, the declared one");
    assert_eq!(header_of(&request, "x-team"), Some("blue"), "other option headers stay");
}

/// Uploads `file` and returns the content type of its part.
async fn sent_content_type(file: FileSource) -> Option<String> {
    let answer = lark_ok(serde_json::json!({ "chart_id": "c1" }));
    let server = server_with("POST", CHARTS, answer).await;
    let form = ChartForm::new("Q3".into(), file);
    let data = client(&server.uri()).chart().upload(form).send().await.expect("uploaded");
    assert_eq!(data.chart_id, "c1");
    let sent = parts(&api_request(&server).await);
    sent[1].content_type.clone()
}

#[tokio::test]
async fn a_file_part_takes_the_spec_content_type_when_nothing_else_names_one() {
    let png = vec![0x89, b'P', b'N', b'G'];
    assert_eq!(sent_content_type(FileSource::bytes(png.clone())).await.as_deref(), Some("image/png"));
    assert_eq!(
        sent_content_type(FileSource::bytes(png.clone()).file_name("chart")).await.as_deref(),
        Some("image/png")
    );
    let named = FileSource::bytes(png.clone()).file_name("chart.gif");
    assert_eq!(sent_content_type(named).await.as_deref(), Some("image/gif"), "the file name's extension first");
    let explicit = FileSource::bytes(png).file_name("chart.gif").content_type("image/webp");
    assert_eq!(sent_content_type(explicit).await.as_deref(), Some("image/webp"), "the call's own first");
}

#[tokio::test]
async fn a_hand_made_call_cannot_declare_a_header_the_client_writes() {
    let server = MockServer::start().await;
    let mut call = lark_client::runtime::Call::new(support::recorder::endpoint("test.headers", None, None));
    call.header("Authorization", "Bearer someone-else").header("content-type", "text/plain").header("X-Ok", "1");
    let err = runtime(&server.uri()).send_empty(call).await.expect_err("refused");
    let Error::Validation(v) = &err else { panic!("a validation error: {err:?}") };
    let found: Vec<_> = v.iter().map(|v| (v.field.as_str(), v.problem.as_str())).collect();
    assert_eq!(found, [("Authorization", "written by the client"), ("content-type", "written by the client")]);
    assert!(server.received_requests().await.expect("recorded").is_empty(), "nothing reached the server");
}

/// The runtime's fake Lark server checks declared headers against the spec too: what the
/// generated builder sends passes, a hand-made call without the required header does not.
#[tokio::test]
async fn the_fake_lark_checks_declared_headers() {
    use lark_client::runtime::testing::FakeLark;
    let lark = FakeLark::start(&lark_client::PLATFORM, &[endpoints::ALL]).await;
    lark.on(&endpoints::REPORT_GET).reply(serde_json::json!({}));
    Client::new(lark.client()).report().get("r1".into(), "trace-1".into()).x_priority(2).send().await.expect("sent");
    lark.assert_no_violations();
    let sent = lark.requests_to(&endpoints::REPORT_GET);
    assert_eq!((sent[0].header("x-request-id"), sent[0].header("x-priority")), (Some("trace-1"), Some("2")));

    let mut bare = lark_client::runtime::Call::new(&endpoints::REPORT_GET);
    bare.path("report_id", "r1");
    lark.client().send_empty(bare).await.expect_err("the fake refuses it");
    let problems: Vec<String> = lark.violations().into_iter().map(|v| v.problem).collect();
    assert!(
        problems.iter().any(|p| p.contains("X-Request-Id") && p.contains("required header is missing")),
        "{problems:?}"
    );
}
