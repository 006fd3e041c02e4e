//! Multipart bodies. Files are streamed from disk part by part and the form is rebuilt
//! for every attempt, so a retry never reuses a half-sent body.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use reqwest::multipart::Part;

use crate::error::Error;
use crate::validate::Violations;

/// Where the bytes of an uploaded file come from.
#[derive(Clone, Debug)]
pub enum FileSource {
    /// Bytes in memory.
    Bytes(Bytes),
    /// A file on disk, streamed when sent (never held whole in memory).
    Path(PathBuf),
}

impl FileSource {
    /// A file on disk.
    pub fn path(path: impl AsRef<Path>) -> Self {
        FileSource::Path(path.as_ref().to_path_buf())
    }

    async fn len(&self) -> std::io::Result<u64> {
        match self {
            FileSource::Bytes(b) => Ok(b.len() as u64),
            FileSource::Path(p) => Ok(tokio::fs::metadata(p).await?.len()),
        }
    }
}

impl From<Vec<u8>> for FileSource {
    fn from(v: Vec<u8>) -> Self {
        FileSource::Bytes(v.into())
    }
}

impl From<Bytes> for FileSource {
    fn from(v: Bytes) -> Self {
        FileSource::Bytes(v)
    }
}

impl From<&'static [u8]> for FileSource {
    fn from(v: &'static [u8]) -> Self {
        FileSource::Bytes(Bytes::from_static(v))
    }
}

impl From<PathBuf> for FileSource {
    fn from(v: PathBuf) -> Self {
        FileSource::Path(v)
    }
}

impl From<&Path> for FileSource {
    fn from(v: &Path) -> Self {
        FileSource::Path(v.to_path_buf())
    }
}

/// One part of a multipart form.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum FormPart {
    /// A text field.
    Text {
        /// Field name.
        name: &'static str,
        /// Field value.
        value: String,
    },
    /// A file field with its documented size bounds.
    File {
        /// Field name.
        name: &'static str,
        /// The bytes.
        source: FileSource,
        /// Smallest accepted size in bytes.
        min_bytes: Option<u64>,
        /// Largest accepted size in bytes.
        max_bytes: Option<u64>,
    },
}

impl FormPart {
    /// A text field.
    pub fn text(name: &'static str, value: impl Into<String>) -> Self {
        FormPart::Text { name, value: value.into() }
    }

    /// A file field.
    pub fn file(name: &'static str, source: FileSource, min_bytes: Option<u64>, max_bytes: Option<u64>) -> Self {
        FormPart::File { name, source, min_bytes, max_bytes }
    }
}

/// A multipart form type generated from the spec.
pub trait Form {
    /// The parts of the form, in spec order.
    fn parts(&self) -> Vec<FormPart>;
}

/// Checks file sizes, then builds a fresh form (files opened anew, streamed).
pub(crate) async fn build_form(parts: &[FormPart]) -> Result<reqwest::multipart::Form, Error> {
    let mut violations = Violations::new();
    let mut form = reqwest::multipart::Form::new();
    for part in parts {
        match part {
            FormPart::Text { name, value } => form = form.text(*name, value.clone()),
            FormPart::File { name, source, min_bytes, max_bytes } => {
                let len = source.len().await.map_err(|e| io_violation(name, e))?;
                // Checked before sending too; this catches a file changed since.
                violations.byte_len("body", name, len, *min_bytes, *max_bytes);
                let file_name = match source {
                    FileSource::Path(p) => p.file_name().map(|n| n.to_string_lossy().into_owned()),
                    FileSource::Bytes(_) => None,
                };
                let body = match source {
                    FileSource::Bytes(b) => reqwest::Body::from(b.clone()),
                    FileSource::Path(p) => {
                        let file = tokio::fs::File::open(p).await.map_err(|e| io_violation(name, e))?;
                        reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::with_capacity(file, 64 * 1024))
                    }
                };
                let part =
                    Part::stream_with_length(body, len).file_name(file_name.unwrap_or_else(|| "unknown-file".into()));
                form = form.part(*name, part);
            }
        }
    }
    violations.into_result().map_err(Error::Validation)?;
    Ok(form)
}

fn io_violation(name: &str, e: std::io::Error) -> Error {
    let mut v = Violations::new();
    v.push(crate::validate::join("body", name), "readable file", e.to_string());
    Error::Validation(v)
}
