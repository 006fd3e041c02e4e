//! Client-side checks of the documented Baike v1 constraints, before anything is sent.
//!
//! Each broken constraint comes back as `Error::Validation` inside the endpoint's error
//! enum, naming the field path (`body.main_keys`, `body.outer_info.provider`…), the rule
//! (`max_items = 1`…) and the problem (`has 2 items`…); the server receives nothing, not
//! even a token request. Values exactly at a limit pass.

mod bodies;
mod support;

use std::fmt::Debug;
use std::future::Future;

use bodies::*;
use lark_client::baike_v1::*;
use lark_client::runtime::Error;
use lark_client::runtime::validate::Violation;
use serde_json::json;
use support::*;
use wiremock::MockServer;

/// The violations carried by an endpoint error, if it is a validation failure.
trait Refusal {
    fn violations(&self) -> Option<Vec<Violation>>;
}

macro_rules! refusal {
    ($($error:ty),*) => {$(
        impl Refusal for $error {
            fn violations(&self) -> Option<Vec<Violation>> {
                match self {
                    Self::Unhandled(Error::Validation(v)) => Some(v.iter().cloned().collect()),
                    _ => None,
                }
            }
        }
    )*};
}

refusal!(
    ClassificationListError,
    DraftCreateError,
    DraftUpdateError,
    EntityCreateError,
    EntityUpdateError,
    EntityGetError,
    EntityListError,
    EntityMatchError,
    EntitySearchError,
    EntityHighlightError,
    EntityExtractError
);

/// Runs a call against a server that must receive nothing; returns `(field, rule, problem)`s.
async fn refused<T, E, F, Fut>(call: F) -> Vec<(String, String, String)>
where
    T: Debug,
    E: Refusal + Debug + std::fmt::Display,
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Result<T, E>>,
{
    let server = MockServer::start().await;
    let err = call(baike(&server.uri())).await.expect_err("refused before sending");
    let found = err.violations().unwrap_or_else(|| panic!("expected a validation error, got {err:?}"));
    assert!(server.received_requests().await.expect("recorded").is_empty(), "nothing reached the server");
    let text = err.to_string();
    for v in &found {
        assert!(text.contains(&v.field) && text.contains(&v.rule) && text.contains(&v.problem), "Display: {text}");
    }
    found.into_iter().map(|v| (v.field, v.rule, v.problem)).collect()
}

fn one(field: &str, rule: &str, problem: &str) -> Vec<(String, String, String)> {
    vec![(field.into(), rule.into(), problem.into())]
}

/// An entry body that passes every check, to break one thing at a time.
fn valid_entry() -> EntityBody {
    EntityBody { description: Some("定义".into()), ..EntityBody::new(vec![shown("词典")]) }
}

fn chars(n: usize) -> String {
    "词".repeat(n) // multi-byte on purpose: limits count characters, not bytes
}

// ---- main_keys ----

#[tokio::test]
async fn main_keys_must_not_be_empty() {
    let body = EntityBody { main_keys: vec![], ..valid_entry() };
    let found = refused(|c| c.entity().create(body).send()).await;
    assert_eq!(found, one("body.main_keys", "min_items = 1", "has 0 items"));
}

#[tokio::test]
async fn main_keys_must_have_exactly_one_element() {
    let body = EntityBody { main_keys: vec![shown("a"), shown("b")], ..valid_entry() };
    let found = refused(|c| c.entity().update("enterprise_1".into(), body).send()).await;
    assert_eq!(found, one("body.main_keys", "max_items = 1", "has 2 items"));
}

#[tokio::test]
async fn draft_bodies_check_main_keys_too() {
    let create = DraftCreateBody { description: Some("d".into()), ..DraftCreateBody::new(vec![]) };
    assert_eq!(refused(|c| c.draft().create(create).send()).await[0].0, "body.main_keys");
    let update =
        DraftUpdateBody { rich_text: Some("<p>d</p>".into()), ..DraftUpdateBody::new(vec![shown("a"), shown("b")]) };
    assert_eq!(
        refused(|c| c.draft().update("1".into(), update).send()).await,
        one("body.main_keys", "max_items = 1", "has 2 items")
    );
}

#[tokio::test]
async fn an_empty_term_key_is_left_to_the_server() {
    // No official source gives a name a minimum length (docs/reconcile.md), so none is checked here.
    let server =
        server_with("POST", "/open-apis/baike/v1/entities", lark_ok(fixture_data("entities_create.response"))).await;
    let body = EntityBody { aliases: Some(vec![shown("ok"), shown("")]), ..valid_entry() };
    baike(&server.uri()).entity().create(body).send().await.expect("sent: the server decides");
}

// ---- aliases ----

#[tokio::test]
async fn at_most_ten_aliases() {
    let aliases = |n: usize| (0..n).map(|i| shown(&format!("alias {i}"))).collect::<Vec<_>>();
    let body = DraftCreateBody {
        aliases: Some(aliases(11)),
        description: Some("d".into()),
        ..DraftCreateBody::new(vec![shown("k")])
    };
    let found = refused(|c| c.draft().create(body).send()).await;
    assert_eq!(found, one("body.aliases", "max_items = 10", "has 11 items"));
}

#[tokio::test]
async fn ten_aliases_pass() {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .and(wiremock::matchers::path("/open-apis/baike/v1/entities"))
        .respond_with(wiremock::ResponseTemplate::new(200).set_body_json(fixture("entities_create.response")))
        .expect(1)
        .mount(&server)
        .await;
    let aliases = (0..10).map(|i| shown(&format!("alias {i}"))).collect();
    let body = EntityBody { aliases: Some(aliases), description: Some(chars(5000)), ..valid_entry() };
    baike(&server.uri()).entity().create(body).send().await.expect("limits themselves are allowed");
}

// ---- description / rich_text ----

#[tokio::test]
async fn description_is_at_most_5000_characters() {
    let body = EntityBody { description: Some(chars(5001)), ..valid_entry() };
    let found = refused(|c| c.entity().create(body).send()).await;
    assert_eq!(found, one("body.description", "max_length = 5000", "has 5001 characters"));
}

#[tokio::test]
async fn rich_text_is_at_most_5000_characters() {
    let body = DraftUpdateBody { rich_text: Some(chars(5001)), ..DraftUpdateBody::new(vec![shown("k")]) };
    let found = refused(|c| c.draft().update("1".into(), body).send()).await;
    assert_eq!(found, one("body.rich_text", "max_length = 5000", "has 5001 characters"));
}

#[tokio::test]
async fn description_or_rich_text_is_required() {
    let expected =
        one("body.description|rich_text", "at_least_one_of = [description, rich_text]", "none of them is set");
    let entity = EntityBody::new(vec![shown("k")]);
    assert_eq!(refused(|c| c.entity().create(entity).send()).await, expected);
    let draft = DraftCreateBody::new(vec![shown("k")]);
    assert_eq!(refused(|c| c.draft().create(draft).send()).await, expected);
    let draft = DraftUpdateBody::new(vec![shown("k")]);
    assert_eq!(refused(|c| c.draft().update("1".into(), draft).send()).await, expected);
}

// ---- outer_info ----

fn with_outer(provider: &str, outer_id: &str) -> EntityBody {
    EntityBody { outer_info: Some(OuterInfo::new(provider.into(), outer_id.into())), ..valid_entry() }
}

#[tokio::test]
async fn provider_has_2_to_32_characters() {
    let short = refused(|c| c.entity().create(with_outer("星", "1")).send()).await;
    assert_eq!(short, one("body.outer_info.provider", "min_length = 2", "has 1 characters"));
    let long = refused(|c| c.entity().create(with_outer(&chars(33), "1")).send()).await;
    assert_eq!(long, one("body.outer_info.provider", "max_length = 32", "has 33 characters"));
}

#[tokio::test]
async fn provider_and_outer_id_must_not_contain_a_dash() {
    let found = refused(|c| c.entity().create(with_outer("star-cloud", "id-1")).send()).await;
    assert_eq!(
        found,
        vec![
            ("body.outer_info.provider".into(), "forbidden_chars = \"-\"".into(), "contains '-'".into()),
            ("body.outer_info.outer_id".into(), "forbidden_chars = \"-\"".into(), "contains '-'".into()),
        ]
    );
}

#[tokio::test]
async fn draft_outer_info_is_checked_too() {
    let body = DraftCreateBody {
        outer_info: Some(OuterInfo::new("a".into(), "x".into())),
        description: Some("d".into()),
        ..DraftCreateBody::new(vec![shown("k")])
    };
    assert_eq!(refused(|c| c.draft().create(body).send()).await[0].0, "body.outer_info.provider");
}

// ---- related_meta ----

#[tokio::test]
async fn at_most_ten_images() {
    let images = (0..11).map(|i| BaikeImage::new(format!("box{i}"))).collect();
    let meta = RelatedMetaInput { images: Some(images), ..RelatedMetaInput::default() };
    let body = EntityBody { related_meta: Some(meta), ..valid_entry() };
    let found = refused(|c| c.entity().create(body).send()).await;
    assert_eq!(found, one("body.related_meta.images", "max_items = 10", "has 11 items"));
}

// ---- match / highlight / extract / search ----

#[tokio::test]
async fn match_word_is_at_most_100_characters() {
    let long = refused(|c| c.entity().r#match(EntityMatchBody::new(chars(101))).send()).await;
    assert_eq!(long, one("body.word", "max_length = 100", "has 101 characters"));
}

#[tokio::test]
async fn an_empty_match_word_is_left_to_the_server() {
    // No official source states a minimum length for `word` (docs/reconcile.md).
    let server = server_with("POST", "/open-apis/baike/v1/entities/match", lark_ok(json!({ "results": [] }))).await;
    let data = baike(&server.uri()).entity().r#match(EntityMatchBody::new("")).send().await.expect("sent");
    assert_eq!(data.results, Some(vec![]));
}

#[tokio::test]
async fn highlight_text_is_at_most_1000_characters() {
    let found = refused(|c| c.entity().highlight(EntityHighlightBody::new(chars(1001))).send()).await;
    assert_eq!(found, one("body.text", "max_length = 1000", "has 1001 characters"));
}

#[tokio::test]
async fn an_empty_highlight_text_is_left_to_the_server() {
    // No official source states a minimum length for `text` (docs/reconcile.md).
    let server = server_with("POST", "/open-apis/baike/v1/entities/highlight", lark_ok(json!({ "phrases": [] }))).await;
    baike(&server.uri()).entity().highlight(EntityHighlightBody::new("")).send().await.expect("sent");
}

#[tokio::test]
async fn extract_text_is_at_most_128_characters() {
    let body = EntityExtractBody { text: Some(chars(129)) };
    let found = refused(|c| c.entity().extract().body(body).send()).await;
    assert_eq!(found, one("body.text", "max_length = 128", "has 129 characters"));
}

#[tokio::test]
async fn search_query_is_at_most_100_characters() {
    let body = EntitySearchBody { query: Some(chars(101)), ..EntitySearchBody::default() };
    let found = refused(|c| c.entity().search().body(body).send()).await;
    assert_eq!(found, one("body.query", "max_length = 100", "has 101 characters"));
}

// ---- query and path parameters ----

#[tokio::test]
async fn page_size_is_at_least_1() {
    let found = refused(|c| c.entity().list().page_size(0).send()).await;
    assert_eq!(found, one("page_size", "min = 1", "is 0"));
    assert_eq!(refused(|c| c.classification().list().page_size(-5).send()).await[0].0, "page_size");
    assert_eq!(refused(|c| c.entity().search().page_size(0).send()).await[0].0, "page_size");
}

#[tokio::test]
async fn entity_get_checks_provider_and_outer_id() {
    let found = refused(|c| c.entity().get("enterprise_0").provider("x").outer_id("").send()).await;
    assert_eq!(
        found,
        vec![
            ("provider".into(), "min_length = 2".into(), "has 1 characters".into()),
            ("outer_id".into(), "min_length = 1".into(), "has 0 characters".into()),
        ]
    );
}

#[tokio::test]
async fn an_empty_path_id_is_refused() {
    let found = refused(|c| c.entity().get("").send()).await;
    assert_eq!(found[0].0, "entity_id");
    let found = refused(|c| c.draft().update("..".into(), draft_update_body()).send()).await;
    assert_eq!(found[0].0, "draft_id");
}

// ---- several at once ----

#[tokio::test]
async fn every_broken_constraint_is_reported_at_once() {
    let body = EntityBody {
        main_keys: vec![],
        aliases: Some((0..11).map(|i| shown(&i.to_string())).collect()),
        outer_info: Some(OuterInfo::new("-".into(), "1".into())),
        ..EntityBody::new(vec![])
    };
    let fields: Vec<String> = refused(|c| c.entity().create(body).send()).await.into_iter().map(|v| v.0).collect();
    assert_eq!(
        fields,
        [
            "body.main_keys",
            "body.aliases",
            "body.outer_info.provider",
            "body.outer_info.provider",
            "body.description|rich_text"
        ]
    );
}
