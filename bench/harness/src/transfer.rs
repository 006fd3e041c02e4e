//! Streaming transfers: `file.download` into a file and `file.upload` of a file from disk,
//! generated client vs hand-written reqwest. One process per measurement, so the reported
//! peak RSS (`VmHWM`) is that transfer's.

use std::path::PathBuf;
use std::time::Instant;

use futures_util::StreamExt;
use lark_client::baike_v1::{FileUploadData, FileUploadForm};
use larkgen_runtime::FileSource;
use tokio::io::AsyncWriteExt;

use crate::clients::{Envelope, Raw, generated, server_url};
use crate::{Args, Mode, peak_rss_kib, runtime};

/// One download of `--bytes` into `--dir`, then the file is removed.
///
/// gen: `file().download(token).send().await?.save_to(path)`.
/// raw: GET with bearer, `bytes_stream()`, each chunk `write_all` to a `tokio::fs::File`,
/// then `flush` + `sync_all` (what `save_to` also does before renaming into place).
pub fn download(args: &Args) -> String {
    let mode = args.mode();
    let bytes: u64 = args.num("bytes", 1 << 30);
    let dir = PathBuf::from(args.str_or("dir", "/dev/shm"));
    let (_server, url) = server_url(args);
    let target = dir.join(format!("larkbench-download-{}-{}.bin", mode.name(), std::process::id()));
    let token = format!("bytes-{bytes}");
    let rss_before = peak_rss_kib();
    let (secs, written) = runtime().block_on(async {
        match mode {
            Mode::Generated => {
                let client = generated(&url, None);
                let start = Instant::now();
                let saved = client
                    .file()
                    .download(token.as_str())
                    .send()
                    .await
                    .expect("download")
                    .save_to(&target)
                    .await
                    .expect("save_to");
                (start.elapsed().as_secs_f64(), saved.bytes)
            }
            Mode::Raw => {
                let raw = Raw::new(&url, None).await;
                let start = Instant::now();
                let response = raw
                    .http
                    .get(format!("{url}/open-apis/baike/v1/files/{token}/download"))
                    .bearer_auth(&raw.token)
                    .send()
                    .await
                    .expect("send");
                assert_eq!(response.status(), reqwest::StatusCode::OK);
                let mut file = tokio::fs::File::create(&target).await.expect("create");
                let mut stream = response.bytes_stream();
                let mut written = 0u64;
                while let Some(chunk) = stream.next().await {
                    let chunk = chunk.expect("chunk");
                    file.write_all(&chunk).await.expect("write");
                    written += chunk.len() as u64;
                }
                file.flush().await.expect("flush");
                file.sync_all().await.expect("sync");
                (start.elapsed().as_secs_f64(), written)
            }
            Mode::GeneratedLimiter => unimplemented!("--mode gen|raw"),
        }
    });
    assert_eq!(written, bytes, "short download");
    assert_eq!(std::fs::metadata(&target).expect("saved file").len(), bytes);
    std::fs::remove_file(&target).ok();
    serde_json::json!({
        "bench": "download", "mode": mode.name(), "bytes": bytes, "secs": secs,
        "mib_per_s": bytes as f64 / secs / (1 << 20) as f64,
        "peak_rss_kib": peak_rss_kib(), "rss_before_kib": rss_before,
    })
    .to_string()
}

/// `--repeat` uploads of `--file` (streamed from disk).
///
/// gen: `file().upload(FileUploadForm::new("bench.png".into(), FileSource::path(p))).send()`.
/// raw: a reqwest multipart form with the `name` text part and the file streamed from disk
/// (`ReaderStream` of 64 KiB, with its length), POST with bearer, envelope decoded.
pub fn upload(args: &Args) -> String {
    let mode = args.mode();
    let file = PathBuf::from(args.str("file"));
    let repeat: u32 = args.num("repeat", 10);
    let len = std::fs::metadata(&file).expect("upload file").len();
    let (_server, url) = server_url(args);
    let secs = runtime().block_on(async {
        match mode {
            Mode::Generated => {
                let client = generated(&url, None);
                // Token fetch and connection set-up outside the timing, like for raw.
                client.entity().get("enterprise_1").send().await.expect("warm-up");
                let start = Instant::now();
                for _ in 0..repeat {
                    let form = FileUploadForm::new("bench.png".into(), FileSource::path(&file));
                    let data = client.file().upload(form).send().await.expect("upload");
                    assert_eq!(data.file_token.as_ref().map(AsRef::<str>::as_ref), Some("boxbcEcmKiD3vgqWTpvdc7jc"));
                }
                start.elapsed().as_secs_f64()
            }
            Mode::Raw => {
                let raw = Raw::new(&url, None).await;
                raw.entity_get("enterprise_1").await.expect("warm-up");
                let start = Instant::now();
                for _ in 0..repeat {
                    let f = tokio::fs::File::open(&file).await.expect("open");
                    let body = reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::with_capacity(f, 64 * 1024));
                    let part = reqwest::multipart::Part::stream_with_length(body, len).file_name("bench.png");
                    let form = reqwest::multipart::Form::new().text("name", "bench.png").part("file", part);
                    let response = raw
                        .http
                        .post(format!("{url}/open-apis/baike/v1/files/upload"))
                        .bearer_auth(&raw.token)
                        .multipart(form)
                        .send()
                        .await
                        .expect("send");
                    assert_eq!(response.status(), reqwest::StatusCode::OK);
                    let bytes = response.bytes().await.expect("body");
                    let envelope: Envelope<FileUploadData> = serde_json::from_slice(&bytes).expect("envelope");
                    assert_eq!(envelope.code, 0);
                    assert_eq!(envelope.data.and_then(|d| d.file_token).as_ref().map(AsRef::<str>::as_ref), Some("boxbcEcmKiD3vgqWTpvdc7jc"));
                }
                start.elapsed().as_secs_f64()
            }
            Mode::GeneratedLimiter => unimplemented!("--mode gen|raw"),
        }
    });
    let total = len * repeat as u64;
    serde_json::json!({
        "bench": "upload", "mode": mode.name(), "file_bytes": len, "repeat": repeat, "secs": secs,
        "mib_per_s": total as f64 / secs / (1 << 20) as f64,
        "peak_rss_kib": peak_rss_kib(),
    })
    .to_string()
}
