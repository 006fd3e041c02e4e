//! Multipart bodies as a wiremock server received them, split into parts by the runtime's
//! own parser (the one its fake server records with).
#![allow(dead_code)]

use lark_client::runtime::testing::{Body, Part};
use wiremock::Request;

/// The parts of a `multipart/form-data` request, in order.
pub fn parts(request: &Request) -> Vec<Part> {
    let content_type = request.headers.get("content-type").and_then(|v| v.to_str().ok());
    match Body::parse(content_type, &request.body) {
        Body::Multipart(parts) => parts,
        other => panic!("not a multipart body: {other:?}"),
    }
}
