//! file.upload end to end: the multipart form on the wire (a text part `name` and a file
//! part `file`, from memory or streamed from disk), the documented limits (3 KB–10 MB, image
//! extensions) enforced before anything is sent, and the returned `FileToken` used as is by
//! `file.download` and in `related_meta.images`. Runs against the runtime's fake Lark
//! server (feature `testing`), which records the multipart parts and checks them against the spec.

use lark_client::baike_v1::*;
use lark_client::runtime::testing::{FakeLark, Part, Recorded};
use lark_client::runtime::{Error, FileSource};

/// The token the fake hands back.
const TOKEN: &str = "boxbcEcmKiD3vgqWTpvdc7jc";
const KB: usize = 1024;
const MB: usize = 1024 * 1024;

/// Image-like bytes (not constant, so a shifted or truncated copy is caught).
fn image(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 253) as u8).collect()
}

/// A fake Lark answering uploads with `TOKEN`, and its Baike client.
async fn lark() -> (FakeLark, Client) {
    let lark = FakeLark::start(&lark_client::PLATFORM, &[endpoints::ALL]).await;
    lark.on(&endpoints::FILE_UPLOAD).reply(FileUploadData { file_token: Some(FileToken::new(TOKEN)) });
    let client = Client::new(lark.client());
    (lark, client)
}

/// The one upload the fake received, checked against the spec.
fn upload_request(lark: &FakeLark) -> Recorded {
    lark.assert_no_violations();
    let mut uploads = lark.requests_to(&endpoints::FILE_UPLOAD);
    assert_eq!(uploads.len(), 1);
    uploads.remove(0)
}

/// The parts of a multipart request, in order.
fn parts(request: &Recorded) -> Vec<Part> {
    let names = request.part_names();
    assert!(!names.is_empty(), "a multipart body: {:?}", request.body);
    names.into_iter().map(|n| request.part(n).expect("a named part").clone()).collect()
}

/// The violations of a refused upload.
fn violations(err: &FileUploadError) -> Vec<(String, String, String)> {
    let FileUploadError::Unhandled(Error::Validation(v)) = err else {
        panic!("expected a validation error, got {err:?}")
    };
    v.iter().map(|v| (v.field.clone(), v.rule.clone(), v.problem.clone())).collect()
}

/// Sends `form` to a server that must receive nothing at all (not even a token request).
async fn refused(form: FileUploadForm) -> FileUploadError {
    let (lark, client) = lark().await;
    let err = client.file().upload(form).send().await.expect_err("refused before sending");
    assert!(lark.requests().is_empty() && lark.tokens_issued() == 0, "nothing reached the server");
    err
}

#[tokio::test]
async fn upload_from_bytes_sends_a_name_part_and_a_file_part() {
    let (lark, client) = lark().await;
    let bytes = image(5 * KB);
    let data = client.file().upload(FileUploadForm::new("cat.png".into(), bytes.clone().into())).send().await;
    assert_eq!(data.expect("uploaded").file_token, Some(FileToken::new(TOKEN)));

    let parts = parts(&upload_request(&lark));
    assert_eq!(parts.len(), 2, "{parts:?}");
    assert_eq!(
        (parts[0].name.as_str(), parts[0].text().as_str(), parts[0].file_name.as_deref()),
        ("name", "cat.png", None)
    );
    // Bytes without a name go under the field's name, with no type to guess from it.
    assert_eq!((parts[1].name.as_str(), parts[1].file_name.as_deref()), ("file", Some("file")));
    assert_eq!(parts[1].content_type.as_deref(), Some("application/octet-stream"));
    assert!(parts[1].bytes == bytes, "the file bytes arrive unchanged");
}

#[tokio::test]
async fn bytes_are_sent_under_the_name_and_content_type_they_are_given() {
    let (first, client) = lark().await;
    let named = FileSource::bytes(image(5 * KB)).file_name("cat.png");
    client.file().upload(FileUploadForm::new("cat.png".into(), named)).send().await.expect("uploaded");
    let sent = parts(&upload_request(&first));
    assert_eq!(sent[1].file_name.as_deref(), Some("cat.png"));
    assert_eq!(sent[1].content_type.as_deref(), Some("image/png"), "guessed from the file name");

    let (second, client) = lark().await;
    let explicit = FileSource::bytes(image(5 * KB)).file_name("cat.png").content_type("image/x-custom");
    client.file().upload(FileUploadForm::new("cat.png".into(), explicit)).send().await.expect("uploaded");
    let again = parts(&upload_request(&second));
    assert_eq!(again[1].content_type.as_deref(), Some("image/x-custom"), "set beats guessed");
}

#[tokio::test]
async fn a_file_on_disk_can_be_sent_under_another_name() {
    let (lark, client) = lark().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("tmp-upload-3f9a");
    std::fs::write(&file, image(4 * KB)).expect("written");
    let form = FileUploadForm::new("scan.jpg".into(), FileSource::path(&file).file_name("scan.jpg"));
    client.file().upload(form).send().await.expect("uploaded");
    let sent = parts(&upload_request(&lark));
    assert_eq!(sent[1].file_name.as_deref(), Some("scan.jpg"));
    assert_eq!(sent[1].content_type.as_deref(), Some("image/jpeg"));
}

#[tokio::test]
async fn a_malformed_content_type_is_refused_before_sending() {
    let bad = FileSource::bytes(image(4 * KB)).file_name("cat.png").content_type("not a type");
    let err = refused(FileUploadForm::new("cat.png".into(), bad)).await;
    let found = violations(&err);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("body.file", "content type `type/subtype`"));
}

#[tokio::test]
async fn upload_from_a_path_streams_the_file() {
    let (lark, client) = lark().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("photo.jpeg");
    let bytes = image(3 * MB + 11);
    std::fs::write(&file, &bytes).expect("written");

    let form = FileUploadForm::new("photo.jpeg".into(), FileSource::path(&file));
    client.file().upload(form).send().await.expect("uploaded");

    let parts = parts(&upload_request(&lark));
    assert_eq!(parts[0].text(), "photo.jpeg");
    assert_eq!((parts[1].name.as_str(), parts[1].file_name.as_deref()), ("file", Some("photo.jpeg")));
    assert_eq!(parts[1].content_type.as_deref(), Some("image/jpeg"), "from the extension");
    assert!(parts[1].bytes == bytes, "the file content arrives unchanged ({} bytes)", parts[1].bytes.len());
}

#[tokio::test]
async fn the_size_bounds_themselves_are_accepted() {
    for len in [3 * KB, 10 * MB] {
        let (lark, client) = lark().await;
        let form = FileUploadForm::new("edge.webp".into(), image(len).into());
        client.file().upload(form).send().await.unwrap_or_else(|e| panic!("{len} bytes: {e}"));
        assert_eq!(parts(&upload_request(&lark))[1].bytes.len(), len);
    }
}

#[tokio::test]
async fn a_1_kb_file_is_refused_before_sending() {
    let err = refused(FileUploadForm::new("small.png".into(), image(KB).into())).await;
    let found = violations(&err);
    assert_eq!(found.len(), 1, "{found:?}");
    let (field, rule, problem) = &found[0];
    assert_eq!(field, "body.file");
    assert!(rule.contains("3072"), "names the minimum: {rule}");
    assert!(problem.contains("1024"), "names the size: {problem}");
    assert!(err.to_string().contains("body.file"), "{err}");
}

#[tokio::test]
async fn an_11_mb_file_is_refused_before_sending() {
    let err = refused(FileUploadForm::new("big.png".into(), image(11 * MB).into())).await;
    let found = violations(&err);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "body.file");
    assert!(found[0].1.contains("10485760"), "names the maximum: {}", found[0].1);
}

#[tokio::test]
async fn a_too_large_file_on_disk_is_refused_before_sending() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("huge.png");
    std::fs::write(&file, image(11 * MB)).expect("written");
    let err = refused(FileUploadForm::new("huge.png".into(), FileSource::path(&file))).await;
    let found = violations(&err);
    assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("body.file", "max_bytes = 10485760"), "{found:?}");
}

#[tokio::test]
async fn a_missing_file_is_refused_before_sending() {
    let dir = tempfile::tempdir().expect("tempdir");
    let err = refused(FileUploadForm::new("gone.png".into(), FileSource::path(dir.path().join("gone.png")))).await;
    let found = violations(&err);
    assert_eq!((found[0].0.as_str(), found[0].1.as_str()), ("body.file", "readable file"), "{found:?}");
}

#[tokio::test]
async fn a_txt_name_is_refused_before_sending() {
    let err = refused(FileUploadForm::new("notes.txt".into(), image(4 * KB).into())).await;
    let found = violations(&err);
    assert_eq!(found.len(), 1, "{found:?}");
    let (field, rule, problem) = &found[0];
    assert_eq!(field, "body.name");
    assert!(rule.contains("extensions") && rule.contains("png"), "{rule}");
    assert!(problem.contains("notes.txt"), "{problem}");
}

#[tokio::test]
async fn every_broken_rule_is_reported_at_once() {
    let err = refused(FileUploadForm::new("notes.txt".into(), image(KB).into())).await;
    let fields: Vec<String> = violations(&err).into_iter().map(|v| v.0).collect();
    assert_eq!(fields, ["body.name", "body.file"]);
}

#[tokio::test]
async fn image_extensions_are_matched_case_insensitively() {
    let (lark, client) = lark().await;
    client.file().upload(FileUploadForm::new("SCAN.JPG".into(), image(4 * KB).into())).send().await.expect("ok");
    lark.assert_no_violations();
}

#[tokio::test]
async fn the_file_token_goes_straight_into_download_and_images() {
    let (lark, client) = lark().await;
    lark.on(&endpoints::FILE_DOWNLOAD).download(image(64));
    let token: FileToken = client
        .file()
        .upload(FileUploadForm::new("cat.png".into(), image(4 * KB).into()))
        .send()
        .await
        .expect("ok")
        .file_token
        .expect("file_token");

    let download = client.file().download(&token).send().await.expect("downloaded");
    assert_eq!(download.bytes().await.expect("body").as_ref(), image(64).as_slice());
    assert_eq!(lark.requests_to(&endpoints::FILE_DOWNLOAD)[0].path_param("file_token"), Some(TOKEN));
    lark.assert_no_violations();

    let meta = RelatedMetaInput { images: Some(vec![BaikeImage::new(token)]), ..RelatedMetaInput::default() };
    assert_eq!(serde_json::to_value(meta).expect("serializes"), serde_json::json!({ "images": [{ "token": TOKEN }] }));
}
