//! Multipart bodies. Files are streamed from disk part by part and the form is rebuilt
//! for every attempt, so a retry never reuses a half-sent body.

use std::path::{Path, PathBuf};

use bytes::Bytes;
use reqwest::multipart::Part;

use crate::error::Error;
use crate::validate::Violations;

/// A file to upload: where its bytes come from, and the name and content type it is sent with.
///
/// Defaults: a file on disk is sent under its own file name; bytes under the form field's name
/// (e.g. `image`). The content type is the one set here, else guessed from the file name's
/// extension (`.png` → `image/png`), else the spec's for that field, else
/// `application/octet-stream`.
///
/// ```
/// # use larkgen_runtime::FileSource;
/// let from_disk = FileSource::path("reports/q3.pdf"); // sent as "q3.pdf", application/pdf
/// let from_memory = FileSource::bytes(vec![0x89, b'P', b'N', b'G']).file_name("chart.png");
/// let explicit = FileSource::bytes(b"a,b\n1,2\n".to_vec()).file_name("data.csv").content_type("text/csv");
/// assert_eq!(from_disk.name(), Some("q3.pdf"));
/// assert_eq!(from_memory.name(), Some("chart.png"));
/// assert_eq!(explicit.content_type_or(None), "text/csv");
/// ```
#[derive(Clone)]
pub struct FileSource {
    data: Data,
    file_name: Option<String>,
    content_type: Option<String>,
}

#[derive(Clone)]
enum Data {
    /// Bytes in memory.
    Bytes(Bytes),
    /// A file on disk, streamed when sent (never held whole in memory).
    Path(PathBuf),
}

impl FileSource {
    /// A file on disk, streamed when sent (never held whole in memory).
    pub fn path(path: impl AsRef<Path>) -> Self {
        Self::from_data(Data::Path(path.as_ref().to_path_buf()))
    }

    /// Bytes in memory.
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        Self::from_data(Data::Bytes(bytes.into()))
    }

    fn from_data(data: Data) -> Self {
        Self { data, file_name: None, content_type: None }
    }

    /// The file name sent in the part's `Content-Disposition` (for a file on disk, instead
    /// of its own name).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's `Content-Type`, instead of the one guessed from the file name.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file name it is sent with, if known before the form is built: the one set, else
    /// a path's last component. (Bytes without one are sent under the form field's name.)
    pub fn name(&self) -> Option<&str> {
        match (&self.file_name, &self.data) {
            (Some(name), _) => Some(name),
            (None, Data::Path(p)) => p.file_name().and_then(|n| n.to_str()),
            (None, Data::Bytes(_)) => None,
        }
    }

    /// The path of a file on disk.
    pub fn as_path(&self) -> Option<&Path> {
        match &self.data {
            Data::Path(p) => Some(p),
            Data::Bytes(_) => None,
        }
    }

    /// The bytes of an in-memory file.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.data {
            Data::Bytes(b) => Some(b),
            Data::Path(_) => None,
        }
    }

    /// The content type it is sent with: the one set, else the file name's, else
    /// `spec_default`, else `application/octet-stream`.
    pub fn content_type_or(&self, spec_default: Option<&str>) -> String {
        if let Some(set) = &self.content_type {
            return set.clone();
        }
        let guessed = self.name().and_then(|n| mime_guess::from_path(n).first_raw());
        guessed.or(spec_default).unwrap_or("application/octet-stream").to_owned()
    }

    /// The content type set with [`FileSource::content_type`].
    pub(crate) fn content_type_set(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// Its size in bytes (a file on disk is looked up, not read).
    pub(crate) async fn len(&self) -> std::io::Result<u64> {
        match &self.data {
            Data::Bytes(b) => Ok(b.len() as u64),
            Data::Path(p) => Ok(tokio::fs::metadata(p).await?.len()),
        }
    }

    /// [`FileSource::len`] without async, for checks before sending.
    pub(crate) fn len_now(&self) -> std::io::Result<u64> {
        match &self.data {
            Data::Bytes(b) => Ok(b.len() as u64),
            Data::Path(p) => Ok(std::fs::metadata(p)?.len()),
        }
    }

    /// What the file is, for error messages: its path or its size.
    pub(crate) fn describe(&self) -> String {
        match &self.data {
            Data::Bytes(b) => format!("{} bytes in memory", b.len()),
            Data::Path(p) => p.display().to_string(),
        }
    }

    /// The part's body: bytes as they are, a file opened anew and streamed.
    async fn body(&self) -> std::io::Result<reqwest::Body> {
        Ok(match &self.data {
            Data::Bytes(b) => reqwest::Body::from(b.clone()),
            Data::Path(p) => {
                let file = tokio::fs::File::open(p).await?;
                reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::with_capacity(file, 64 * 1024))
            }
        })
    }
}

/// Bytes are not printed: they can be large, and are the user's data.
impl std::fmt::Debug for FileSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileSource")
            .field("data", &self.describe())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Vec<u8>> for FileSource {
    fn from(v: Vec<u8>) -> Self {
        FileSource::bytes(v)
    }
}

impl From<Bytes> for FileSource {
    fn from(v: Bytes) -> Self {
        FileSource::bytes(v)
    }
}

impl From<&'static [u8]> for FileSource {
    fn from(v: &'static [u8]) -> Self {
        FileSource::bytes(Bytes::from_static(v))
    }
}

impl From<PathBuf> for FileSource {
    fn from(v: PathBuf) -> Self {
        FileSource::path(v)
    }
}

impl From<&Path> for FileSource {
    fn from(v: &Path) -> Self {
        FileSource::path(v)
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
        /// The spec's content type of this field, used when the file sets none and its name
        /// tells none.
        content_type: Option<&'static str>,
    },
}

impl FormPart {
    /// A text field.
    pub fn text(name: &'static str, value: impl Into<String>) -> Self {
        FormPart::Text { name, value: value.into() }
    }

    /// A file field.
    pub fn file(name: &'static str, source: FileSource, min_bytes: Option<u64>, max_bytes: Option<u64>) -> Self {
        FormPart::File { name, source, min_bytes, max_bytes, content_type: None }
    }

    /// The spec's content type of a file field (see [`FileSource`] for which one is sent).
    pub fn with_content_type(mut self, spec_content_type: &'static str) -> Self {
        if let FormPart::File { content_type, .. } = &mut self {
            *content_type = Some(spec_content_type);
        }
        self
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
            FormPart::File { name, source, min_bytes, max_bytes, content_type } => {
                let len = source.len().await.map_err(|e| io_violation(name, e))?;
                // Checked before sending too; this catches a file changed since.
                violations.byte_len("body", name, len, *min_bytes, *max_bytes);
                let body = source.body().await.map_err(|e| io_violation(name, e))?;
                let file_name = source.name().unwrap_or(name).to_owned();
                let part = Part::stream_with_length(body, len)
                    .file_name(file_name)
                    .mime_str(&source.content_type_or(*content_type))
                    .map_err(|e| content_type_violation(name, e))?;
                form = form.part(*name, part);
            }
        }
    }
    violations.into_result().map_err(Error::Validation)?;
    Ok(form)
}

/// The rule a content type set on a file breaks when it is not `type/subtype`.
const CONTENT_TYPE_RULE: &str = "content type `type/subtype`";

/// Checks the content types set on the files of a form, before anything is sent.
pub(crate) fn check_content_types(parts: &[FormPart], out: &mut Violations) {
    for part in parts {
        if let FormPart::File { name, source, .. } = part
            && let Some(set) = source.content_type_set().filter(|t| t.parse::<mime_guess::mime::Mime>().is_err())
        {
            out.push(crate::validate::join("body", name), CONTENT_TYPE_RULE, format!("{set:?} is not one"));
        }
    }
}

/// What reqwest refused of a content type `check_content_types` let through.
fn content_type_violation(name: &str, e: reqwest::Error) -> Error {
    let mut v = Violations::new();
    v.push(crate::validate::join("body", name), CONTENT_TYPE_RULE, e.to_string());
    Error::Validation(v)
}

fn io_violation(name: &str, e: std::io::Error) -> Error {
    let mut v = Violations::new();
    v.push(crate::validate::join("body", name), "readable file", e.to_string());
    Error::Validation(v)
}
