//! Drive v1 (`spec/drive-v1.yaml`), both media endpoints end to end over loopback HTTP:
//!
//! - `media.upload_all`: the multipart form on the wire (every text field, then the file part
//!   with its file name and content type), the example answer decoded, the 20 MB bound and
//!   the required fields checked before sending, declared errors typed;
//! - `media.download`: the `Range` header sent as declared, a `206 Partial Content` answer
//!   saved to disk with its `Content-Range`, the whole file without `Range`.

mod support;

use lark_client::drive_v1::*;
use lark_client::runtime::{AppType, ByteRange, Error, FileSource};
use serde_json::Value;
use support::multipart::parts;
use support::*;

use wiremock::{MockServer, ResponseTemplate};

const UPLOAD: &str = "/open-apis/drive/v1/medias/upload_all";
const TOKEN: &str = "boxcnrHpsg1QDqXAAAyachabcef";
const DOC: &str = "doxcnXgNGAtaAraIRVeCfmabcef";

fn drive(base: &str) -> Client {
    Client::new(runtime(base))
}

fn upload_answer() -> Value {
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/metadata/drive_medias_upload_all.response.json");
    serde_json::from_str(&std::fs::read_to_string(file).expect("fixture")).expect("JSON")
}

fn form(file_name: &str, file: FileSource, size: i64) -> MediaUploadForm {
    MediaUploadForm::new(file_name.into(), ParentType::DocxImage, DOC.into(), size, file)
}

#[tokio::test]
async fn upload_all_sends_every_field_then_the_named_file() {
    let server = server_with("POST", UPLOAD, lark_ok(upload_answer()["data"].clone())).await;
    let bytes = b"%PDF-1.7 quarterly report".to_vec();
    let file = FileSource::bytes(bytes.clone()).file_name("q3-report.pdf");
    let upload =
        MediaUploadForm { checksum: Some("3344605113".into()), ..form("Q3 report.pdf", file, bytes.len() as i64) };
    let data = drive(&server.uri()).media().upload_all(upload).send().await.expect("uploads");
    assert_eq!(data.file_token, FileToken::new(TOKEN));

    let request = api_request(&server).await;
    let sent = parts(&request);
    let texts: Vec<(String, Option<String>, String)> =
        sent[..5].iter().map(|p| (p.name.clone(), p.file_name.clone(), p.text())).collect();
    let expect = |name: &str, value: &str| (name.to_owned(), None, value.to_owned());
    assert_eq!(
        texts,
        [
            expect("file_name", "Q3 report.pdf"),
            expect("parent_type", "docx_image"),
            expect("parent_node", DOC),
            expect("size", &bytes.len().to_string()),
            expect("checksum", "3344605113"),
        ]
    );
    assert_eq!(sent.len(), 6, "no `extra` part when unset");
    assert_eq!((sent[5].name.as_str(), sent[5].file_name.as_deref()), ("file", Some("q3-report.pdf")));
    assert_eq!(sent[5].content_type.as_deref(), Some("application/pdf"), "guessed from the file name");
    assert!(sent[5].bytes == bytes, "the file's bytes");
}

#[tokio::test]
async fn upload_all_bytes_without_a_name_go_out_under_the_field_name() {
    let server = server_with("POST", UPLOAD, lark_ok(upload_answer()["data"].clone())).await;
    let file = FileSource::bytes(vec![0u8; 16]);
    drive(&server.uri()).media().upload_all(form("blob", file, 16)).send().await.expect("uploads");
    let sent = parts(&api_request(&server).await);
    let file = sent.last().expect("a file part");
    assert_eq!((file.name.as_str(), file.file_name.as_deref()), ("file", Some("file")));
    assert_eq!(file.content_type.as_deref(), Some("application/octet-stream"), "the spec's content type");
}

#[tokio::test]
async fn upload_all_refuses_files_above_20_mb_and_bad_fields_before_sending() {
    let server = MockServer::start().await;
    let big = FileSource::bytes(vec![0u8; 20 * 1024 * 1024 + 1]);
    let err = drive(&server.uri()).media().upload_all(form("big.bin", big, 1)).send().await.expect_err("refused");
    let MediaUploadAllError::Unhandled(Error::Validation(v)) = &err else { panic!("a validation error: {err:?}") };
    assert_eq!(v.iter().map(|v| v.field.as_str()).collect::<Vec<_>>(), ["body.file"]);

    let long_name = "x".repeat(251);
    let bad = form(&long_name, FileSource::bytes(vec![1]), 21 * 1024 * 1024);
    let err = drive(&server.uri()).media().upload_all(bad).send().await.expect_err("refused");
    let MediaUploadAllError::Unhandled(Error::Validation(v)) = &err else { panic!("a validation error: {err:?}") };
    assert_eq!(v.iter().map(|v| v.field.as_str()).collect::<Vec<_>>(), ["body.file_name", "body.size"]);
    assert!(server.received_requests().await.expect("recorded").is_empty(), "nothing reached the server");
}

#[tokio::test]
async fn upload_errors_are_typed() {
    let server = failing("/open-apis/drive/v1", 400, 1061044).await;
    let err = drive(&server.uri())
        .media()
        .upload_all(form("a.png", FileSource::bytes(vec![1, 2, 3]), 3))
        .send()
        .await
        .expect_err("fails");
    assert!(matches!(err, MediaUploadAllError::ParentNodeNotExist(_)), "{err:?}");
    assert_eq!(err.code(), Some(1061044));
}

/// The file the download tests serve: 4 KiB of distinct bytes.
fn media() -> Vec<u8> {
    (0..4096u32).map(|i| (i * 7 % 251) as u8).collect()
}

#[tokio::test]
async fn a_range_download_sends_the_header_and_saves_the_part() {
    let route = format!("/open-apis/drive/v1/medias/{TOKEN}/download");
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    let whole = media();
    mount_partial(&server, route.as_str(), &whole).await;

    let download = drive(&server.uri())
        .media()
        .download(TOKEN)
        .range(ByteRange::from(1024..2048))
        .send()
        .await
        .expect("a partial answer");
    assert!(download.is_partial());
    let range = download.content_range().expect("Content-Range");
    assert_eq!((range.first, range.last, range.total), (1024, 2047, Some(4096)));

    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("part-1.png");
    let saved = download.save_to(&target).await.expect("saved");
    assert_eq!(saved.bytes, 1024);
    assert_eq!(std::fs::read(&target).expect("written"), &whole[1024..2048]);
    assert_eq!(files_in(dir.path()), ["part-1.png"], "no temporary file left");
}

#[tokio::test]
async fn a_download_without_range_sends_no_range_header_and_gets_the_whole_file() {
    let route = format!("/open-apis/drive/v1/medias/{TOKEN}/download");
    let answer = ResponseTemplate::new(200).set_body_bytes(media());
    let server = server_with("GET", &route, answer).await;
    let download = drive(&server.uri()).media().download(TOKEN).extra("{}").send().await.expect("whole");
    assert!(!download.is_partial());
    assert_eq!(download.bytes().await.expect("body"), media());
    let request = api_request(&server).await;
    assert!(request.headers.get("range").is_none(), "no Range when unset");
    assert_eq!(query(&request), pairs(&[("extra", "{}")]));
}

#[tokio::test]
async fn a_range_that_is_not_one_is_refused_before_sending() {
    let server = MockServer::start().await;
    let err = drive(&server.uri()).media().download(TOKEN).range("bytes").send().await.expect_err("refused");
    assert!(
        matches!(&err, MediaDownloadError::Unhandled(Error::Validation(v)) if v.iter().any(|v| v.field == "Range"))
    );
    let err =
        drive(&server.uri()).media().download(TOKEN).range("bytes=0-1\r\nX-Evil: 1").send().await.expect_err("refused");
    assert!(
        matches!(&err, MediaDownloadError::Unhandled(Error::Validation(v)) if v.iter().any(|v| v.rule == "a valid header value")),
        "{err:?}"
    );
    assert!(server.received_requests().await.expect("recorded").is_empty(), "nothing reached the server");
}

#[test]
fn the_descriptors_carry_the_documented_limits_and_app_types() {
    // download: 5 per second (its doc page); upload_all: no number in any source, no limit.
    let download = &endpoints::MEDIA_DOWNLOAD;
    assert_eq!((download.limits.per_second, download.limits.per_minute), (Some(5), None));
    let upload = &endpoints::MEDIA_UPLOAD_ALL;
    assert_eq!((upload.limits.per_second, upload.limits.per_minute), (None, None));
    for e in [download, upload] {
        assert_eq!(e.app_types, [AppType::SelfBuilt, AppType::Store], "{}", e.name);
    }
}
