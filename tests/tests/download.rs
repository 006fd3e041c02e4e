//! file.download end to end over loopback HTTP: request shape, streaming, atomic saves,
//! truncated bodies, hostile path values.

mod support;

use futures_util::StreamExt;
use lark_client::baike_v1::FileDownloadError;
use support::*;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn image(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

#[tokio::test]
async fn download_sends_exact_request_and_exposes_headers() {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    let body = image(4096);
    Mock::given(method("GET"))
        .and(path("/open-apis/baike/v1/files/boxbcEcmKiD3vgqWTpvdc7jc/download"))
        .and(header("authorization", format!("Bearer {TENANT_TOKEN}").as_str()))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "image/png")
                .insert_header("content-disposition", "attachment; filename=\"cat.png\"")
                .insert_header("X-Tt-Logid", "20261125-dl")
                .set_body_bytes(body.clone()),
        )
        .expect(1)
        .mount(&server)
        .await;

    let download = baike(&server.uri()).file().download("boxbcEcmKiD3vgqWTpvdc7jc").send().await.expect("download");
    assert_eq!(download.file_name(), Some("cat.png"));
    assert_eq!(download.content_type(), Some("image/png"));
    assert_eq!(download.content_length(), Some(4096));
    assert_eq!(download.log_id(), Some("20261125-dl"));
    assert_eq!(download.bytes().await.expect("body"), body);
}

#[tokio::test]
async fn user_token_replaces_tenant_token() {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 0).await;
    Mock::given(method("GET"))
        .and(path("/open-apis/baike/v1/files/tok/download"))
        .and(header("authorization", "Bearer u-user-token"))
        .respond_with(
            ResponseTemplate::new(200).insert_header("content-type", "image/png").set_body_bytes(vec![1, 2, 3]),
        )
        .expect(1)
        .mount(&server)
        .await;
    let download =
        baike(&server.uri()).file().download("tok").user_access_token("u-user-token").send().await.expect("download");
    assert_eq!(download.bytes().await.expect("body").as_ref(), &[1, 2, 3]);
}

#[tokio::test]
async fn large_download_streams_to_disk_atomically() {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    let body = image(20 * 1024 * 1024);
    Mock::given(method("GET"))
        .and(path("/open-apis/baike/v1/files/big/download"))
        .respond_with(
            ResponseTemplate::new(200).insert_header("content-type", "image/png").set_body_bytes(body.clone()),
        )
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("big.png");
    let download = baike(&server.uri()).file().download("big").send().await.expect("download");
    let saved = download.save_to(&target).await.expect("saved");
    assert_eq!(saved.bytes, body.len() as u64);
    assert_eq!(saved.path, target);
    assert!(std::fs::read(&target).expect("file") == body, "saved bytes differ");
    assert_eq!(files_in(dir.path()), vec!["big.png".to_string()], "no temporary file left");
}

#[tokio::test]
async fn download_into_stream_yields_every_chunk() {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    let body = image(1024 * 1024 + 17);
    Mock::given(method("GET"))
        .and(path("/open-apis/baike/v1/files/s/download"))
        .respond_with(
            ResponseTemplate::new(200).insert_header("content-type", "image/webp").set_body_bytes(body.clone()),
        )
        .mount(&server)
        .await;
    let download = baike(&server.uri()).file().download("s").send().await.expect("download");
    let mut stream = std::pin::pin!(download.into_stream());
    let mut got = Vec::new();
    while let Some(chunk) = stream.next().await {
        got.extend_from_slice(&chunk.expect("chunk"));
    }
    assert_eq!(got, body);
}

#[tokio::test]
async fn truncated_body_is_an_error_and_leaves_no_file() {
    let head = "HTTP/1.1 200 OK\r\ncontent-type: image/png\r\ncontent-length: 100000\r\nx-tt-logid: trunc-1\r\nconnection: close\r\n\r\n".to_string();
    let base = raw_server(head, image(40_000), true).await;
    let dir = tempfile::tempdir().expect("tempdir");
    let target = dir.path().join("cut.png");
    let download = baike(&base).file().download("cut").send().await.expect("headers arrive");
    let err = download.save_to(&target).await.expect_err("truncated body must fail");
    let text = err.to_string();
    assert!(matches!(err, lark_client::runtime::Error::Body(_)), "got {err:?}");
    assert!(text.contains("100000"), "error names the expected length: {text}");
    assert!(text.contains("trunc-1"), "error carries the log id: {text}");
    assert!(!target.exists(), "no file at the target");
    assert!(files_in(dir.path()).is_empty(), "no partial file left: {:?}", files_in(dir.path()));
}

#[tokio::test]
async fn truncated_body_fails_bytes_too() {
    let head =
        "HTTP/1.1 200 OK\r\ncontent-type: image/png\r\ncontent-length: 5000\r\nconnection: close\r\n\r\n".to_string();
    let base = raw_server(head, image(1000), true).await;
    let download = baike(&base).file().download("cut").send().await.expect("headers arrive");
    assert!(download.bytes().await.is_err());
}

#[tokio::test]
async fn hostile_file_tokens_stay_in_one_path_segment() {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200).insert_header("content-type", "image/png").set_body_bytes(vec![0u8; 8]),
        )
        .mount(&server)
        .await;
    let client = baike(&server.uri());
    for token in ["../x", "a/b", "x?y=1#z", "%2e%2e", "..%2F..%2Fauth"] {
        client.file().download(token).send().await.expect("sent");
    }
    let paths: Vec<String> = server
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .filter(|r| r.method.as_str() == "GET")
        .map(|r| r.url.path().to_string())
        .collect();
    assert_eq!(
        paths,
        vec![
            "/open-apis/baike/v1/files/..%2Fx/download",
            "/open-apis/baike/v1/files/a%2Fb/download",
            "/open-apis/baike/v1/files/x%3Fy%3D1%23z/download",
            "/open-apis/baike/v1/files/%252e%252e/download",
            "/open-apis/baike/v1/files/..%252F..%252Fauth/download",
        ]
    );
}

#[tokio::test]
async fn dot_segments_and_empty_tokens_are_refused_before_sending() {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 0).await;
    let client = baike(&server.uri());
    for token in ["..", ".", ""] {
        let err = client.file().download(token).send().await.expect_err("refused");
        assert!(
            matches!(&err, FileDownloadError::Unhandled(lark_client::runtime::Error::Validation(_))),
            "{token:?}: {err:?}"
        );
        assert!(err.to_string().contains("file_token"), "names the parameter: {err}");
    }
    assert!(server.received_requests().await.expect("recorded").is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_slow_but_steady_download_outlives_the_json_timeout() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let mut buf = [0u8; 4096];
        let _ = socket.read(&mut buf).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: image/png\r\ncontent-length: 1000\r\n\r\n";
        socket.write_all(head.as_bytes()).await.expect("head");
        // 10 chunks, 100 ms apart: 1 s in all, longer than the 300 ms JSON timeout.
        for _ in 0..10 {
            socket.write_all(&[9u8; 100]).await.expect("chunk");
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    });
    let runtime = lark_client::builder()
        .base_url(&base)
        .timeout(Some(std::time::Duration::from_millis(300)))
        .read_timeout(Some(std::time::Duration::from_secs(2)))
        .build()
        .expect("client");
    let client = lark_client::baike_v1::Client::new(runtime);
    let download = client.file().download("slow").user_access_token("u-user").send().await.expect("headers");
    assert_eq!(download.bytes().await.expect("whole body").len(), 1000);
}

/// A `Range` asked for (here through `CallOptions`; Drive declares it as a header parameter)
/// is answered `206 Partial Content`: a normal streamed download that says which part it is.
#[tokio::test]
async fn a_partial_content_answer_is_a_download_of_that_part() {
    use lark_client::runtime::{ByteRange, CallOptions, ContentRange};
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    let whole = image(4096);
    mount_partial(&server, "/open-apis/baike/v1/files/tok/download", &whole).await;
    let options = CallOptions::new().header("Range", &ByteRange::from(1024..2048).to_string());
    let client = lark_client::baike_v1::Client::new(runtime(&server.uri()).with_options(options));
    let download = client.file().download("tok").send().await.expect("a part is a success");
    assert!(download.is_partial());
    let range = ContentRange { first: 1024, last: 2047, total: Some(4096) };
    assert_eq!(download.content_range(), Some(range));
    let dir = tempfile::tempdir().expect("tempdir");
    let saved = download.save_to(dir.path().join("part.bin")).await.expect("saved");
    assert_eq!(saved.bytes, range.len());
    assert_eq!(std::fs::read(&saved.path).expect("read"), &whole[1024..2048]);
}

/// A JSON success envelope where a file was expected is an error that keeps the answer's
/// status, content type and log id.
#[tokio::test]
async fn a_json_success_where_a_file_was_expected_keeps_its_log_id() {
    use lark_client::runtime::{Error, UnexpectedKind};
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    Mock::given(method("GET"))
        .and(path("/open-apis/baike/v1/files/tok/download"))
        .respond_with(lark_ok(serde_json::json!({})).insert_header("X-Tt-Logid", "20261203-json"))
        .expect(1)
        .mount(&server)
        .await;
    let err = baike(&server.uri()).file().download("tok").send().await.expect_err("not a file");
    let FileDownloadError::Unhandled(Error::UnexpectedResponse(u)) = err else { panic!("unexpected: {err:?}") };
    assert_eq!((u.kind, u.http_status, u.log_id.as_deref()), (UnexpectedKind::NotAFile, 200, Some("20261203-json")));
    assert!(u.content_type.as_deref().is_some_and(|ct| ct.starts_with("application/json")), "{:?}", u.content_type);
}
