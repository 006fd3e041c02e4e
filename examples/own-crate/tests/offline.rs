//! The app's own code (`own_crate::classification_lines`, `own_crate::is_entry`) tested
//! offline: the runtime's fake Lark server issues the token, answers from the spec's
//! examples or what each test sets, and checks every request against the spec.

use std::time::Duration;

use larkgen_runtime::testing::FakeLark;
use own_crate::via_build::{PLATFORM, baike_v1, baike_v1::endpoints};
use serde_json::json;

async fn start() -> (FakeLark, baike_v1::Client) {
    let lark = FakeLark::start(&PLATFORM, &[endpoints::ALL]).await;
    let baike = baike_v1::Client::new(lark.client());
    (lark, baike)
}

#[tokio::test]
async fn lists_every_page_of_classifications() {
    let (lark, baike) = start().await;
    lark.on(&endpoints::CLASSIFICATION_LIST).pages([
        json!({ "items": [{ "id": "1", "name": "Terms" }, { "id": "2", "name": "Teams" }] }),
        json!({ "items": [{ "id": "3" }] }),
    ]);
    let lines = own_crate::classification_lines(&baike).await.expect("listed");
    assert_eq!(lines, ["1 Terms", "2 Teams", "3 "]);
    let sent = lark.requests_to(&endpoints::CLASSIFICATION_LIST);
    let tokens: Vec<Option<&str>> = sent.iter().map(|r| r.query("page_token")).collect();
    assert_eq!(tokens, [None, Some("fake-page-2")], "the second page asked with the first page's token");
    assert!(sent.iter().all(|r| r.query("page_size") == Some("50")));
    lark.assert_no_violations();
}

#[tokio::test]
async fn the_spec_example_is_the_default_answer() {
    let (lark, baike) = start().await;
    assert!(own_crate::is_entry(&baike, "Lark").await.expect("matched"), "the example has one result");
    assert_eq!(lark.requests_to(&endpoints::ENTITY_MATCH)[0].json(), Some(&json!({ "word": "Lark" })));
    lark.on(&endpoints::ENTITY_MATCH).reply(json!({}));
    assert!(!own_crate::is_entry(&baike, "nothing").await.expect("no match is not an error"));
}

#[tokio::test]
async fn a_lark_error_reaches_the_app_typed() {
    let (lark, baike) = start().await;
    lark.on(&endpoints::ENTITY_MATCH).fail(1540001, "invalid param");
    let err = own_crate::is_entry(&baike, "Lark").await.expect_err("refused");
    assert!(matches!(err, baike_v1::EntityMatchError::InvalidParam(_)), "{err:?}");
    assert_eq!(err.log_id().map(|id| id.starts_with("fake-log-")), Some(true));
}

#[tokio::test]
async fn a_throttled_call_waits_the_reset_and_succeeds() {
    let (lark, baike) = start().await;
    lark.on(&endpoints::ENTITY_MATCH).throttle(Duration::from_millis(200));
    assert!(own_crate::is_entry(&baike, "Lark").await.expect("answered after the reset"));
    assert_eq!(lark.requests_to(&endpoints::ENTITY_MATCH).len(), 2, "one throttled, one answered");
}

#[tokio::test]
async fn a_word_the_spec_forbids_never_reaches_lark() {
    let (lark, baike) = start().await;
    // `word` has at most 100 characters (the official doc); no minimum is documented.
    let err = own_crate::is_entry(&baike, &"词".repeat(101)).await.expect_err("a long word breaks max_length = 100");
    assert!(err.to_string().contains("body.word"), "{err}");
    assert!(lark.requests().is_empty(), "refused before sending");
}
