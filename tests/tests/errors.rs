//! Envelope decoding and per-endpoint error mapping, end to end.

mod support;

use lark_client::baike_v1::FileDownloadError;
use lark_client::runtime::Error;
use support::*;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn download_error(answer: ResponseTemplate) -> FileDownloadError {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    Mock::given(method("GET")).respond_with(answer).mount(&server).await;
    baike(&server.uri()).file().download("x").send().await.expect_err("must fail")
}

#[tokio::test]
async fn declared_invalid_param_maps_to_its_variant() {
    let err = download_error(lark_error(400, 1540001, "invalid param", "log-400")).await;
    let FileDownloadError::InvalidParam(api) = &err else { panic!("got {err:?}") };
    assert_eq!((api.http_status, api.code, api.msg.as_str()), (400, 1540001, "invalid param"));
    assert_eq!(api.log_id.as_deref(), Some("log-400"));
    assert_eq!(api.spec.map(|s| s.name), Some("InvalidParam"));
    assert_eq!((err.code(), err.http_status(), err.log_id()), (Some(1540001), Some(400), Some("log-400")));
    assert!(!err.is_retryable());
    let text = err.to_string();
    for part in ["1540001", "invalid param", "log-400", "HTTP 400"] {
        assert!(text.contains(part), "Display has {part}: {text}");
    }
}

#[tokio::test]
async fn declared_network_anomaly_maps_to_its_variant_and_is_retryable() {
    let err = download_error(lark_error(500, 1540002, "network anomaly, please try again", "log-500")).await;
    assert!(matches!(err, FileDownloadError::NetworkAnomaly(_)), "got {err:?}");
    assert!(err.is_retryable());
    assert_eq!(err.http_status(), Some(500));
}

#[tokio::test]
async fn unknown_code_keeps_code_msg_and_log_id_in_the_catch_all() {
    let err = download_error(lark_error(403, 1549999, "something new", "log-new")).await;
    let FileDownloadError::Unhandled(Error::Api(api)) = &err else { panic!("got {err:?}") };
    assert_eq!((api.code, api.msg.as_str(), api.log_id.as_deref()), (1549999, "something new", Some("log-new")));
    assert!(api.spec.is_none());
    assert_eq!(err.code(), Some(1549999));
}

#[tokio::test]
async fn platform_code_is_described_by_the_platform_table() {
    let err = download_error(lark_error(400, 99991672, "app has no scope", "log-scope")).await;
    let FileDownloadError::Unhandled(Error::Api(api)) = &err else { panic!("got {err:?}") };
    assert_eq!(api.spec.map(|s| s.name), Some("AppScopeMissing"));
    assert!(err.to_string().contains("developer console"), "hint shown: {err}");
}

#[tokio::test]
async fn html_502_becomes_a_typed_unexpected_response() {
    let html = format!("<html><head><title>502 Bad Gateway</title></head><body>{}</body></html>", "x".repeat(5000));
    let err = download_error(
        ResponseTemplate::new(502).insert_header("X-Tt-Logid", "gw-502").set_body_raw(html, "text/html"),
    )
    .await;
    let FileDownloadError::Unhandled(Error::UnexpectedResponse(u)) = &err else { panic!("got {err:?}") };
    assert_eq!(u.http_status, 502);
    assert_eq!(u.content_type.as_deref(), Some("text/html"));
    assert_eq!(u.log_id.as_deref(), Some("gw-502"));
    assert!(u.body_snippet.starts_with("<html><head><title>502 Bad Gateway"));
    assert!(u.body_snippet.len() <= 512, "snippet is bounded: {}", u.body_snippet.len());
    assert_eq!(err.http_status(), Some(502));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn invalid_json_becomes_a_typed_unexpected_response() {
    let err = download_error(ResponseTemplate::new(500).set_body_raw("{\"code\": 15", "application/json")).await;
    let FileDownloadError::Unhandled(Error::UnexpectedResponse(u)) = &err else { panic!("got {err:?}") };
    assert!(u.reason.contains("invalid JSON"), "{}", u.reason);
    assert_eq!(u.body_snippet, "{\"code\": 15");
}

#[tokio::test]
async fn plain_text_404_is_not_decoded_as_json() {
    let err = download_error(ResponseTemplate::new(404).set_body_raw("404 page not found", "text/plain")).await;
    let FileDownloadError::Unhandled(Error::UnexpectedResponse(u)) = &err else { panic!("got {err:?}") };
    assert_eq!((u.http_status, u.body_snippet.as_str()), (404, "404 page not found"));
}

#[tokio::test]
async fn json_envelope_with_code_zero_where_a_file_was_expected_is_an_error() {
    let err = download_error(lark_ok(serde_json::json!({}))).await;
    assert!(matches!(err, FileDownloadError::Unhandled(Error::UnexpectedResponse(_))), "got {err:?}");
}

#[tokio::test]
async fn errors_implement_std_error() {
    fn assert_error<E: std::error::Error + Send + Sync + 'static>(_: &E) {}
    let err = download_error(lark_error(400, 1540001, "invalid param", "l")).await;
    assert_error(&err);
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(err);
    assert!(boxed.to_string().contains("1540001"));
}
