//! Streamed binary responses. Nothing is buffered whole unless asked (`bytes()`), and
//! `save_to` never leaves a partial file that looks complete: it writes a temporary
//! file next to the target and renames it only after the whole body arrived.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use bytes::{Bytes, BytesMut};
use futures_util::{Stream, StreamExt};
use tokio::io::AsyncWriteExt;

use crate::error::{BodyError, Error};
use crate::http::header_str;
use crate::range::ContentRange;

/// A successful binary answer whose body has not been read yet.
#[derive(Debug)]
pub struct Download {
    endpoint: &'static str,
    status: u16,
    file_name: Option<String>,
    content_type: Option<String>,
    content_length: Option<u64>,
    content_range: Option<ContentRange>,
    log_id: Option<String>,
    response: reqwest::Response,
}

/// Where a download was saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedFile {
    /// The final path.
    pub path: PathBuf,
    /// Bytes written.
    pub bytes: u64,
}

impl Download {
    pub(crate) fn new(endpoint: &'static str, response: reqwest::Response, log_id_header: &str) -> Self {
        let headers = response.headers();
        Self {
            endpoint,
            status: response.status().as_u16(),
            file_name: header_str(headers, "content-disposition").and_then(|v| file_name_of(&v)),
            content_type: header_str(headers, "content-type"),
            content_length: response.content_length(),
            content_range: header_str(headers, "content-range").and_then(|v| ContentRange::parse(&v)),
            log_id: header_str(headers, log_id_header),
            response,
        }
    }

    /// File name from `Content-Disposition`, if the server sent one.
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// `Content-Type` of the body.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// Announced length of the body.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// Whether this is part of the file (`206 Partial Content`, the answer to a `Range`).
    pub fn is_partial(&self) -> bool {
        self.status == 206
    }

    /// Which part of the file the body is, from `Content-Range` (partial downloads).
    pub fn content_range(&self) -> Option<ContentRange> {
        self.content_range
    }

    /// Request log id.
    pub fn log_id(&self) -> Option<&str> {
        self.log_id.as_deref()
    }

    /// The body as a stream of chunks; ends with an error if the body is cut short.
    pub fn into_stream(self) -> impl Stream<Item = Result<Bytes, Error>> + Send + 'static {
        let meta = BodyMeta {
            endpoint: self.endpoint,
            status: self.status,
            expected: self.content_length,
            log_id: self.log_id,
        };
        let stream = self.response.bytes_stream();
        futures_util::stream::unfold((stream, meta, 0u64, false), |(mut stream, meta, received, done)| async move {
            if done {
                return None;
            }
            match stream.next().await {
                Some(Ok(chunk)) => {
                    let received = received + chunk.len() as u64;
                    Some((Ok(chunk), (stream, meta, received, false)))
                }
                Some(Err(e)) => {
                    // A stall (the read timeout) is told apart from a connection that broke.
                    let err = if e.is_timeout() {
                        meta.error(received, "no byte came within the read timeout", Some(Box::new(e))).timed_out()
                    } else {
                        meta.error(received, "the connection failed mid-body", Some(Box::new(e)))
                    };
                    Some((Err(err), (stream, meta, received, true)))
                }
                None => match meta.expected {
                    Some(expected) if expected != received => {
                        let err = meta.error(received, "the body is shorter than Content-Length", None);
                        Some((Err(err), (stream, meta, received, true)))
                    }
                    _ => None,
                },
            }
        })
    }

    /// The whole body in memory (for small files).
    pub async fn bytes(self) -> Result<Bytes, Error> {
        let capacity = self.content_length.unwrap_or(0).min(16 * 1024 * 1024) as usize;
        let mut buf = BytesMut::with_capacity(capacity);
        let mut stream = std::pin::pin!(self.into_stream());
        while let Some(chunk) = stream.next().await {
            buf.extend_from_slice(&chunk?);
        }
        Ok(buf.freeze())
    }

    /// Streams the body into `path`, atomically: a temporary file in the same directory is
    /// renamed to `path` only once the whole body arrived; on any failure it is removed.
    pub async fn save_to(self, path: impl AsRef<Path>) -> Result<SavedFile, Error> {
        let path = path.as_ref().to_path_buf();
        let meta = BodyMeta {
            endpoint: self.endpoint,
            status: self.status,
            expected: self.content_length,
            log_id: self.log_id.clone(),
        };
        let temp = TempFile::create_beside(&path)
            .await
            .map_err(|e| meta.error(0, "cannot create the temporary file", Some(Box::new(e))))?;
        let mut file =
            temp.file().await.map_err(|e| meta.error(0, "cannot open the temporary file", Some(Box::new(e))))?;
        let mut written = 0u64;
        let mut stream = std::pin::pin!(self.into_stream());
        while let Some(chunk) = stream.next().await {
            let chunk = chunk?;
            file.write_all(&chunk)
                .await
                .map_err(|e| meta.error(written, "cannot write the file", Some(Box::new(e))))?;
            written += chunk.len() as u64;
        }
        file.flush().await.map_err(|e| meta.error(written, "cannot flush the file", Some(Box::new(e))))?;
        file.sync_all().await.map_err(|e| meta.error(written, "cannot sync the file", Some(Box::new(e))))?;
        drop(file);
        temp.persist(&path)
            .await
            .map_err(|e| meta.error(written, "cannot rename the file into place", Some(Box::new(e))))?;
        Ok(SavedFile { path, bytes: written })
    }
}

struct BodyMeta {
    endpoint: &'static str,
    status: u16,
    expected: Option<u64>,
    log_id: Option<String>,
}

impl BodyMeta {
    fn error(&self, received: u64, reason: &str, source: Option<Box<dyn std::error::Error + Send + Sync>>) -> Error {
        Error::Body(Box::new(BodyError {
            endpoint: self.endpoint,
            http_status: self.status,
            expected: self.expected,
            received,
            log_id: self.log_id.clone(),
            reason: reason.to_owned(),
            timeout: false,
            source,
        }))
    }
}

impl Error {
    /// Marks a body error as a stall.
    fn timed_out(mut self) -> Self {
        if let Error::Body(body) = &mut self {
            body.timeout = true;
        }
        self
    }
}

/// A temporary file that removes itself unless persisted.
struct TempFile {
    path: Option<PathBuf>,
}

impl TempFile {
    async fn create_beside(target: &Path) -> std::io::Result<Self> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let dir = target.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let stem = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let unique = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(".{stem}.{}-{unique}.larkgen-part", std::process::id()));
        tokio::fs::OpenOptions::new().write(true).create_new(true).open(&path).await?;
        Ok(Self { path: Some(path) })
    }

    async fn file(&self) -> std::io::Result<tokio::fs::File> {
        let path = self.path.as_ref().expect("temp file is live until persisted");
        tokio::fs::OpenOptions::new().write(true).open(path).await
    }

    async fn persist(mut self, target: &Path) -> std::io::Result<()> {
        let path = self.path.take().expect("temp file is persisted once");
        match tokio::fs::rename(&path, target).await {
            Ok(()) => Ok(()),
            Err(e) => {
                let _ = std::fs::remove_file(&path);
                Err(e)
            }
        }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if let Some(path) = self.path.take() {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The file name of a `Content-Disposition` value (`filename*=` wins over `filename=`).
pub(crate) fn file_name_of(value: &str) -> Option<String> {
    let mut plain = None;
    for param in value.split(';').map(str::trim) {
        let Some((key, val)) = param.split_once('=') else {
            continue;
        };
        match key.trim().to_ascii_lowercase().as_str() {
            "filename*" => {
                // RFC 5987: charset'language'percent-encoded
                let encoded = val.trim().splitn(3, '\'').nth(2)?;
                let decoded = percent_encoding::percent_decode_str(encoded).decode_utf8().ok()?;
                return Some(decoded.into_owned());
            }
            "filename" => plain = Some(val.trim().trim_matches('"').to_owned()),
            _ => {}
        }
    }
    plain.filter(|n| !n.is_empty())
}

#[cfg(test)]
mod tests {
    use super::file_name_of;

    #[test]
    fn content_disposition_file_names() {
        assert_eq!(file_name_of("attachment; filename=\"a.png\"").as_deref(), Some("a.png"));
        assert_eq!(file_name_of("attachment; filename=b.jpg").as_deref(), Some("b.jpg"));
        assert_eq!(
            file_name_of("attachment; filename=\"x.png\"; filename*=UTF-8''%E8%AF%8D%E5%85%B8.png").as_deref(),
            Some("词典.png")
        );
        assert_eq!(file_name_of("inline"), None);
    }
}
