//! Multipart bodies as the server received them: split into parts by the boundary of their
//! content type, each with its headers and content.
#![allow(dead_code)]

use wiremock::Request;

/// One part of a multipart body.
#[derive(Debug)]
pub struct Part {
    pub headers: String,
    pub content: Vec<u8>,
}

impl Part {
    /// The `Content-Disposition` header line, lower-cased.
    pub fn disposition(&self) -> String {
        let line = self.headers.lines().find(|l| l.to_ascii_lowercase().starts_with("content-disposition:"));
        line.unwrap_or_default().to_ascii_lowercase()
    }

    /// The `Content-Type` header's value.
    pub fn content_type(&self) -> Option<&str> {
        let line = self.headers.lines().find(|l| l.to_ascii_lowercase().starts_with("content-type:"))?;
        Some(line["content-type:".len()..].trim())
    }
}

/// Splits a `multipart/form-data` body into its parts, using the boundary of its content type.
pub fn parts(request: &Request) -> Vec<Part> {
    let content_type = request.headers.get("content-type").and_then(|v| v.to_str().ok()).expect("content type");
    let boundary = content_type.strip_prefix("multipart/form-data; boundary=").expect("multipart content type");
    let delimiter = format!("--{boundary}").into_bytes();
    let body = &request.body;
    let mut starts = Vec::new();
    let mut i = 0;
    while let Some(p) = find(&body[i..], &delimiter) {
        starts.push(i + p);
        i += p + delimiter.len();
    }
    assert!(body[starts[starts.len() - 1]..].starts_with(&[delimiter.as_slice(), b"--"].concat()), "closing boundary");
    starts
        .windows(2)
        .map(|w| {
            let raw = &body[w[0] + delimiter.len() + 2..w[1] - 2]; // skip "\r\n" after the boundary and before the next
            let split = find(raw, b"\r\n\r\n").expect("part headers end");
            Part { headers: String::from_utf8_lossy(&raw[..split]).into_owned(), content: raw[split + 4..].to_vec() }
        })
        .collect()
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
