//! Small helpers over reqwest responses, shared by the token source, the envelope decoder
//! and downloads.

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use reqwest::header::HeaderMap;

/// A header as an owned string, if present and valid UTF-8.
pub(crate) fn header_str(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|v| v.to_str().ok()).map(str::to_owned)
}

/// Whether a `Content-Type` announces JSON.
pub(crate) fn is_json(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|ct| {
        let ct = ct.to_ascii_lowercase();
        ct.starts_with("application/json") || ct.contains("+json")
    })
}

/// Reads at most `limit` bytes of a body; the flag says whether more was left unread (the
/// rest is not read: dropping the response then closes the connection).
pub(crate) async fn read_limited(response: reqwest::Response, limit: usize) -> Result<(Bytes, bool), reqwest::Error> {
    // Grown as bytes arrive, not sized by `Content-Length`: an answer may announce more than
    // it sends.
    let mut stream = response.bytes_stream();
    let mut buf = BytesMut::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        let room = limit - buf.len();
        if chunk.len() > room {
            buf.extend_from_slice(&chunk[..room]);
            return Ok((buf.freeze(), true));
        }
        buf.extend_from_slice(&chunk);
    }
    Ok((buf.freeze(), false))
}

/// At most `max` bytes of a body as text, for error messages.
pub(crate) fn snippet(bytes: &[u8], max: usize) -> String {
    let mut end = bytes.len().min(max);
    // Do not cut a UTF-8 sequence in half.
    while end > 0 && end < bytes.len() && (bytes[end] & 0b1100_0000) == 0b1000_0000 {
        end -= 1;
    }
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}
