//! Lingo v1 (飞书词典, Baike's successor), generated from `spec/lingo-v1.yaml` alone.
//!
//! - every official example (`tests/fixtures/api/lingo_*.json`): responses decode into the
//!   generated `data` types without losing a field and carry the documented values; request
//!   bodies are built with the generated request types and serialize to exactly the example;
//! - the calls only Lingo has, over loopback HTTP: `entity.delete` returns `()`, `repo.list`
//!   feeds `repo_id`, streams keep the repo, Baike's codes are not Lingo variants (what
//!   every endpoint of both services does, declared errors included, is in `endpoints.rs`);
//! - client-side validation of the Lingo-only constraints;
//! - the descriptors: tenant-only entry writes, scopes, rate-limit tiers, paging, inventory;
//! - `has_more: false` ends auto-paging even when the server still sends a `page_token`.

mod bodies;
mod support;

use bodies::lingo::*;
use bodies::{DEFINITION, example, fixture, fixture_data};
use futures_util::TryStreamExt;
use lark_client::lingo_v1::*;
use lark_client::runtime::serde::Serialize;
use lark_client::runtime::serde::de::DeserializeOwned;
use lark_client::runtime::validate::Violation;
use lark_client::runtime::{self, Error, Method, ResponseKind, TokenKind, Validate, Violations};
use serde_json::json;
use support::*;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const BEARER: &str = "Bearer t-test-tenant-token-1";
const BASE: &str = "/open-apis/lingo/v1";
const REPO: &str = "7152790921053274113";

/// The Lingo client pointed at `base`, configured like every other end-to-end test.
fn lingo(base: &str) -> Client {
    Client::new(runtime(base))
}

// =======================================================================================
// Fixtures: responses decode, requests are rebuilt exactly
// =======================================================================================

/// Decodes the `data` of a lingo response fixture into `T` and checks that nothing was lost.
fn decode<T: DeserializeOwned + Serialize>(name: &str) -> T {
    let name = format!("lingo_{name}");
    let data = fixture_data(&name);
    let decoded: T = serde_json::from_value(data.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let back = serde_json::to_value(&decoded).expect("serializes");
    assert_eq!(back, data, "{name}: a field was lost or changed in decoding");
    decoded
}

/// Asserts a built request body serializes to its lingo fixture and passes client-side validation.
fn assert_body<T: Serialize + Validate>(body: &T, name: &str) {
    let name = format!("lingo_{name}");
    assert_eq!(serde_json::to_value(body).expect("serializes"), fixture(&name), "{name}");
    let mut found = Violations::new();
    body.validate("body", &mut found);
    assert!(found.is_empty(), "{name}: the official example breaks a constraint: {found}");
}

/// The checks every entry of the lingo examples passes (the docs masked the ids differently).
fn assert_example_entry(entity: &Entity, id: &str, outer_id: &str) {
    assert_eq!(entity.id, Some(EntityId::new(id)));
    assert_eq!(entity.main_keys, vec![shown("飞书词典")]);
    assert_eq!(entity.aliases, Some(vec![shown("词典")]));
    assert_eq!(entity.description.as_deref(), Some(DEFINITION));
    assert_eq!(entity.rich_text, Some(rich(DEFINITION)));
    assert_eq!(entity.i18n_descs, Some(vec![chinese_desc()]));
    assert_eq!(entity.statistics, Some(Statistics::new(100, 20)));
    assert_eq!(entity.outer_info, Some(OuterInfo::new("星云".into(), outer_id.into())));
    assert_eq!((entity.create_time, entity.update_time), (Some(1_627_540_853), Some(1_627_541_853)));
    let meta = entity.related_meta.as_ref().expect("related_meta");
    assert_eq!(meta.users.as_ref().expect("users")[0].title.as_deref(), Some("负责人"));
    assert_eq!(meta.abbreviations.as_ref().expect("abbreviations").len(), 3);
    assert_eq!(meta.images.as_ref().expect("images")[0].token, FileToken::new("boxbcEcmKiD***vgqWTpvdc7jc"));
    let classification = &meta.classifications.as_ref().expect("classifications")[0];
    assert_eq!(classification.id, ClassificationId::new("70496069***2837761"));
    assert_eq!(classification.father_id, Some(ClassificationId::new("70496069***02837777")));
}

const NEXT_PAGE: &str = "b152fa6e6f62a291019a04c3a93f365***641910506ff15ff4cad6534e087cb4ed8fa2c";

#[test]
fn classifications_list_response_decodes() {
    let data: ClassificationListData = decode("classifications_list.response");
    let items = data.items.expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].id.as_str(), "7049606926****37761");
    assert_eq!(items[0].name.as_deref(), Some("行业术语"));
    assert_eq!(items[0].father_id, Some(ClassificationId::new("704960692***837777")));
    assert_eq!(items[0].i18n_names, Some(vec![I18nClsName::new(Language::Chinese, "词典分类".into())]));
    assert_eq!(data.page_token.as_deref(), Some("408ecac018b2e3518db37275e812****bb8ad3e755fc886f322ac6c430ba"));
    assert_eq!(data.has_more, Some(false));
}

#[test]
fn drafts_create_response_decodes() {
    let data: DraftData = decode("drafts_create.response");
    let draft = data.draft.expect("draft");
    assert_eq!(draft.draft_id, Some(DraftId::new("54567***567897")));
    assert_example_entry(&draft.entity.expect("entity"), "enterprise_40****21", "client_6539i3498d");
}

#[test]
fn drafts_update_response_decodes() {
    let data: DraftData = decode("drafts_update.response");
    let draft = data.draft.expect("draft");
    assert_eq!(draft.draft_id, Some(DraftId::new("54567***567897")));
    assert_example_entry(&draft.entity.expect("entity"), "enterprise_40****21", "client_6539i3498d");
}

#[test]
fn entities_create_response_decodes() {
    let data: EntityData = decode("entities_create.response");
    assert_example_entry(&data.entity.expect("entity"), "enterprise_402***21", "client_6539***498d");
}

#[test]
fn entities_update_response_decodes() {
    let data: EntityData = decode("entities_update.response");
    assert_example_entry(&data.entity.expect("entity"), "enterprise_402***21", "client_6539***498d");
}

#[test]
fn entities_get_response_decodes() {
    let data: EntityData = decode("entities_get.response");
    let entity = data.entity.expect("entity");
    assert_example_entry(&entity, "enterprise_402***21", "client_6539***498d");
    let chats = entity.related_meta.and_then(|m| m.chats).expect("chats");
    assert_eq!(chats[1].id, "oc_c8161c9109966a24***e73b10233b295");
    assert_eq!(chats[1].url, None, "chats come without a url");
}

#[test]
fn entities_list_response_decodes() {
    let data: EntityListData = decode("entities_list.response");
    let entities = data.entities.expect("entities");
    assert_eq!(entities.len(), 1);
    assert_example_entry(&entities[0], "enterprise_402***21", "client_6539***498d");
    assert_eq!((data.page_token.as_deref(), data.has_more), (Some(NEXT_PAGE), Some(true)));
}

#[test]
fn entities_search_response_decodes() {
    let data: EntityListData = decode("entities_search.response");
    assert_example_entry(&data.entities.expect("entities")[0], "enterprise_402***21", "client_6539***498d");
    assert_eq!((data.page_token.as_deref(), data.has_more), (Some(NEXT_PAGE), Some(true)));
}

#[test]
fn entities_match_response_decodes() {
    let data: EntityMatchData = decode("entities_match.response");
    let results = data.results.expect("results");
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].entity_id, Some(EntityId::new("enterprise_34***584")));
    assert_eq!(results[0].r#type, Some(MatchType::MainKey));
}

#[test]
fn entities_highlight_response_decodes() {
    let data: EntityHighlightData = decode("entities_highlight.response");
    let phrase = &data.phrases.expect("phrases")[0];
    assert_eq!(phrase.name, "词典");
    assert_eq!(phrase.entity_ids, vec![EntityId::new("enterprise_348***84")]);
    assert_eq!(phrase.span, Span::new(0, 2));
}

#[test]
fn files_upload_response_decodes() {
    let data: FileUploadData = decode("files_upload.response");
    assert_eq!(data.file_token, Some(FileToken::new("boxbcEcmKiD****vgqWTpvdc7jc")));
}

#[test]
fn repos_list_response_decodes() {
    let data: RepoListData = decode("repos_list.response");
    let items = data.items.expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].id, RepoId::new("71527909***274113"));
    assert_eq!(items[0].name, "全员词库");
}

#[test]
fn entities_create_request_is_built_from_generated_types() {
    assert_body(&entity_body(), "entities_create.request");
}

#[test]
fn entities_update_request_is_built_from_generated_types() {
    assert_body(&entity_body(), "entities_update.request");
}

#[test]
fn drafts_create_request_is_built_from_generated_types() {
    assert_body(&draft_create_body(), "drafts_create.request");
}

#[test]
fn drafts_update_request_is_built_from_generated_types() {
    assert_body(&draft_update_body(), "drafts_update.request");
}

#[test]
fn entities_match_request_is_built_from_generated_types() {
    assert_body(&match_body(), "entities_match.request");
}

#[test]
fn entities_search_request_is_built_from_generated_types() {
    assert_body(&search_body(), "entities_search.request");
}

#[test]
fn entities_highlight_request_is_built_from_generated_types() {
    assert_body(&highlight_body(), "entities_highlight.request");
}

#[test]
fn unknown_language_decodes_into_unknown_and_goes_back_as_it_came() {
    let desc: I18nEntryDesc = serde_json::from_value(json!({ "language": 9, "description": "x" })).expect("decodes");
    assert_eq!(desc.language, Language::Unknown(9));
    assert_eq!(serde_json::to_value(&desc).expect("serializes"), json!({ "language": 9, "description": "x" }));
    assert_eq!(serde_json::to_value(Language::Japanese).expect("serializes"), json!(3));
}

/// Lingo fixtures this file checks; a new one must be added here (and tested) to pass.
const COVERED: &[&str] = &[
    "lingo_classifications_list.response",
    "lingo_drafts_create.request",
    "lingo_drafts_create.response",
    "lingo_drafts_update.request",
    "lingo_drafts_update.response",
    "lingo_entities_create.request",
    "lingo_entities_create.response",
    "lingo_entities_get.response",
    "lingo_entities_highlight.request",
    "lingo_entities_highlight.response",
    "lingo_entities_list.response",
    "lingo_entities_match.request",
    "lingo_entities_match.response",
    "lingo_entities_search.request",
    "lingo_entities_search.response",
    "lingo_entities_update.request",
    "lingo_entities_update.response",
    "lingo_files_upload.response",
    "lingo_repos_list.response",
];

#[test]
fn every_lingo_fixture_is_covered() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/api");
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().trim_end_matches(".json").to_owned())
        .filter(|n| n.starts_with("lingo_"))
        .collect();
    found.sort();
    assert_eq!(found, COVERED);
}

// =======================================================================================
// Lingo-only calls over loopback HTTP (what both services do: `endpoints.rs`)
// =======================================================================================

#[tokio::test]
async fn classification_stream_stops_at_has_more_false_although_a_page_token_came_back() {
    // The official example answers `has_more: false` *and* a `page_token`: one request only.
    let route = format!("{BASE}/classifications");
    let server = server_with("GET", &route, example("lingo_classifications_list.response")).await;
    let all: Vec<Classification> =
        lingo(&server.uri()).classification().list().repo_id(REPO).stream().try_collect().await.expect("ok");
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].name.as_deref(), Some("行业术语"));
    assert_eq!(query(&api_request(&server).await), pairs(&[("repo_id", REPO)]));
}

#[tokio::test]
async fn entity_delete_sends_delete_and_returns_unit() {
    let route = format!("{BASE}/entities/enterprise_43742132363");
    let server = server_with("DELETE", &route, lark_ok(json!({}))).await;
    let (): () = lingo(&server.uri()).entity().delete("enterprise_43742132363").send().await.expect("deleted");
    let request = api_request(&server).await;
    assert_eq!(request.url.query(), None);
    assert_no_body(&request);
}

#[tokio::test]
async fn entity_delete_by_provider_and_outer_id_uses_enterprise_0() {
    // An envelope without `data` at all is a success too.
    let answer = ResponseTemplate::new(200).set_body_json(json!({ "code": 0, "msg": "success" }));
    let server = server_with("DELETE", &format!("{BASE}/entities/enterprise_0"), answer).await;
    lingo(&server.uri())
        .entity()
        .delete("enterprise_0")
        .provider("星云")
        .outer_id("client_1")
        .send()
        .await
        .expect("ok");
    let request = api_request(&server).await;
    assert_eq!(query(&request), pairs(&[("provider", "星云"), ("outer_id", "client_1")]));
    assert_eq!(request.url.query(), Some("provider=%E6%98%9F%E4%BA%91&outer_id=client_1"));
    assert_no_body(&request);
}

#[tokio::test]
async fn entity_list_stream_follows_has_more_and_keeps_the_repo() {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    let route = format!("{BASE}/entities");
    let first = fixture_data("lingo_entities_list.response"); // has_more: true, a page_token
    let mut last = first.clone();
    last["has_more"] = json!(false);
    last["page_token"] = json!("stale-token-the-server-still-sends");
    last["entities"][0]["id"] = json!("enterprise_2");
    Mock::given(method("GET"))
        .and(path(&route))
        .and(header("authorization", BEARER))
        .and(query_param_is_missing("page_token"))
        .respond_with(lark_ok(first))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(&route))
        .and(header("authorization", BEARER))
        .and(query_param("page_token", NEXT_PAGE))
        .respond_with(lark_ok(last))
        .expect(1)
        .mount(&server)
        .await;
    let ids: Vec<Option<EntityId>> = lingo(&server.uri())
        .entity()
        .list()
        .repo_id(REPO)
        .stream()
        .map_ok(|e| e.id)
        .try_collect()
        .await
        .expect("two pages");
    assert_eq!(ids, vec![Some(EntityId::new("enterprise_402***21")), Some(EntityId::new("enterprise_2"))]);
    let requests = api_requests(&server).await;
    assert_eq!(requests.len(), 2, "has_more: false ends the stream");
    assert_eq!(query(&requests[1]), pairs(&[("page_token", NEXT_PAGE), ("repo_id", REPO)]));
}

#[tokio::test]
async fn repo_list_gets_every_dictionary_and_its_id_feeds_repo_id() {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/repos")))
        .and(header("authorization", BEARER))
        .respond_with(example("lingo_repos_list.response"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/entities")))
        .and(header("authorization", BEARER))
        .and(query_param("repo_id", "71527909***274113"))
        .respond_with(lark_ok(json!({ "entities": [], "has_more": false })))
        .expect(1)
        .mount(&server)
        .await;
    let client = lingo(&server.uri());
    let repos = client.repo().list().send().await.expect("ok");
    assert_eq!(repos, decode::<RepoListData>("repos_list.response"));
    let repo = repos.items.expect("items").remove(0);
    assert_eq!(repo.name, "全员词库");
    let page = client.entity().list().repo_id(repo.id).send().await.expect("ok");
    assert_eq!((page.entities, page.has_more), (Some(vec![]), Some(false)));
    let requests = api_requests(&server).await;
    assert_eq!(requests[0].url.query(), None, "repo.list takes no parameters");
    assert_no_body(&requests[0]);
}

// =======================================================================================
// Declared errors (each endpoint's own: `endpoints.rs`)
// =======================================================================================

#[tokio::test]
async fn baike_codes_are_not_lingo_variants() {
    let server = failing(BASE, 403, 1540100).await;
    let err = Client::new(runtime_once(&server.uri()))
        .draft()
        .update("5347".into(), draft_update_body())
        .send()
        .await
        .expect_err("refused");
    let DraftUpdateError::Unhandled(Error::Api(api)) = &err else { panic!("got {err:?}") };
    assert_eq!(api.code, 1540100);
    assert!(api.spec.is_none());
}

// =======================================================================================
// Client-side validation of the lingo-only constraints
// =======================================================================================

/// Sends a body that breaks a constraint to a server that must receive nothing.
async fn refused_entity(body: EntityBody) -> Vec<(String, String, String)> {
    let server = MockServer::start().await;
    let err = lingo(&server.uri()).entity().create(body).send().await.expect_err("refused before sending");
    let EntityCreateError::Unhandled(Error::Validation(found)) = &err else { panic!("got {err:?}") };
    assert!(server.received_requests().await.expect("recorded").is_empty(), "nothing reached the server");
    found.iter().cloned().map(|v: Violation| (v.field, v.rule, v.problem)).collect()
}

fn valid_entry() -> EntityBody {
    EntityBody { description: Some("定义".into()), ..EntityBody::new(vec![shown("词典")]) }
}

fn one(field: &str, rule: &str, problem: &str) -> Vec<(String, String, String)> {
    vec![(field.into(), rule.into(), problem.into())]
}

#[tokio::test]
async fn at_most_three_i18n_descs() {
    let body = EntityBody { i18n_descs: Some(vec![chinese_desc(); 4]), ..valid_entry() };
    assert_eq!(refused_entity(body).await, one("body.i18n_descs", "max_items = 3", "has 4 items"));
}

#[tokio::test]
async fn i18n_desc_texts_have_1_to_5000_characters() {
    let empty = I18nEntryDesc { description: Some(String::new()), ..I18nEntryDesc::new(Language::English) };
    let long = I18nEntryDesc { rich_text: Some("词".repeat(5001)), ..I18nEntryDesc::new(Language::Japanese) };
    let body = EntityBody { i18n_descs: Some(vec![empty, long]), ..valid_entry() };
    assert_eq!(
        refused_entity(body).await,
        vec![
            ("body.i18n_descs[0].description".into(), "min_length = 1".into(), "has 0 characters".into()),
            ("body.i18n_descs[1].rich_text".into(), "max_length = 5000".into(), "has 5001 characters".into()),
        ]
    );
}

#[tokio::test]
async fn description_or_rich_text_is_still_required() {
    let body = EntityBody { i18n_descs: Some(vec![chinese_desc()]), ..EntityBody::new(vec![shown("k")]) };
    assert_eq!(
        refused_entity(body).await,
        one("body.description|rich_text", "at_least_one_of = [description, rich_text]", "none of them is set")
    );
}

// =======================================================================================
// Descriptors
// =======================================================================================

/// The official lingo v1 inventory (reference §7): 14 endpoints, no `extract`.
const INVENTORY: &[(&str, Method, &str)] = &[
    ("classification.list", Method::Get, "/open-apis/lingo/v1/classifications"),
    ("draft.create", Method::Post, "/open-apis/lingo/v1/drafts"),
    ("draft.update", Method::Put, "/open-apis/lingo/v1/drafts/{draft_id}"),
    ("entity.create", Method::Post, "/open-apis/lingo/v1/entities"),
    ("entity.update", Method::Put, "/open-apis/lingo/v1/entities/{entity_id}"),
    ("entity.delete", Method::Delete, "/open-apis/lingo/v1/entities/{entity_id}"),
    ("entity.get", Method::Get, "/open-apis/lingo/v1/entities/{entity_id}"),
    ("entity.list", Method::Get, "/open-apis/lingo/v1/entities"),
    ("entity.match", Method::Post, "/open-apis/lingo/v1/entities/match"),
    ("entity.search", Method::Post, "/open-apis/lingo/v1/entities/search"),
    ("entity.highlight", Method::Post, "/open-apis/lingo/v1/entities/highlight"),
    ("file.upload", Method::Post, "/open-apis/lingo/v1/files/upload"),
    ("file.download", Method::Get, "/open-apis/lingo/v1/files/{file_token}/download"),
    ("repo.list", Method::Get, "/open-apis/lingo/v1/repos"),
];

fn descriptor(name: &str) -> &'static runtime::Endpoint {
    endpoints::ALL.iter().copied().find(|d| d.name == name).unwrap_or_else(|| panic!("no descriptor {name}"))
}

#[test]
fn the_descriptors_cover_the_official_inventory() {
    // As sets: the spec lists endpoints in the metadata's order.
    let mut all: Vec<_> = endpoints::ALL.iter().map(|d| (d.name, d.method, d.path)).collect();
    let mut inventory = INVENTORY.to_vec();
    all.sort_by_key(|(name, ..)| *name);
    inventory.sort_by_key(|(name, ..)| *name);
    assert_eq!(all, inventory);
    for d in endpoints::ALL {
        assert_eq!(d.service, "lingo.v1");
        let url =
            format!("https://open.feishu.cn/document/uAjLw4CM/ukTMukTMukTM/lingo-v1/{}", d.name.replace('.', "/"));
        assert_eq!(d.doc_url, url);
        assert!(d.errors.iter().all(|e| (2250001..=2250100).contains(&e.code)), "{}: 225xxxx codes only", d.name);
    }
}

#[test]
fn entry_writes_accept_only_tenant_tokens() {
    for d in endpoints::ALL {
        let expected: &[TokenKind] = if ["entity.create", "entity.update", "entity.delete"].contains(&d.name) {
            &[TokenKind::Tenant]
        } else {
            assert!(d.token_kinds.contains(&TokenKind::User), "{}", d.name);
            d.token_kinds
        };
        assert_eq!(d.token_kinds, expected, "{}", d.name);
        assert!(d.token_kinds.contains(&TokenKind::Tenant), "{}", d.name);
    }
}

#[test]
fn delete_needs_the_exempt_delete_scope_and_returns_nothing() {
    let d = descriptor("entity.delete");
    assert_eq!(d.scopes, ["baike:entity:exempt_delete"]);
    assert!(d.field_scopes.is_empty());
    assert_eq!(d.response, ResponseKind::Empty);
    assert_eq!(d.request, runtime::BodyKind::None);
    assert!(d.idempotent);
    assert_eq!(descriptor("entity.create").scopes, ["baike:entity:exempt_review"]);
    assert_eq!(descriptor("repo.list").scopes, ["baike:entity", "baike:entity:exempt_review", "baike:entity:readonly"]);
}

#[test]
fn rate_limit_tiers() {
    for d in endpoints::ALL {
        let tier3 = ["draft.create", "draft.update", "entity.create", "entity.update"].contains(&d.name);
        let expected = if tier3 { (None, Some(100)) } else { (Some(50), Some(1000)) };
        assert_eq!((d.limits.per_second, d.limits.per_minute), expected, "{}", d.name);
    }
}

#[test]
fn exactly_the_three_list_endpoints_page() {
    let paged: Vec<&str> = endpoints::ALL.iter().filter(|d| d.paginated).map(|d| d.name).collect();
    assert_eq!(paged, ["classification.list", "entity.list", "entity.search"]);
    assert!(!descriptor("repo.list").paginated, "repo.list returns everything at once");
}
