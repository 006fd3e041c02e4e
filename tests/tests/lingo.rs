//! Lingo v1 (飞书词典, Baike's successor), generated from `spec/lingo-v1.yaml` alone.
//!
//! - every official example (`tests/fixtures/api/lingo_*.json`): responses decode into the
//!   generated `data` types without losing a field and carry the documented values; request
//!   bodies are built with the generated request types and serialize to exactly the example;
//! - every one of the 14 endpoints end to end over loopback HTTP: method, path, query string
//!   (`repo_id`, `user_id_type`, paging…), body, the tenant token in `Authorization`, the
//!   decoded answer; `entity.delete` returns `()`;
//! - every declared error code (225xxxx) maps to its variant of the endpoint's enum;
//! - the descriptors: tenant-only entry writes, scopes, rate-limit tiers, paging, inventory;
//! - `has_more: false` ends auto-paging even when the server still sends a `page_token`.

mod bodies;
mod support;

use std::time::Duration;

use bodies::{DEFINITION, fixture, fixture_data};
use futures_util::TryStreamExt;
use lark_client::lingo_v1::*;
use lark_client::runtime::serde::Serialize;
use lark_client::runtime::serde::de::DeserializeOwned;
use lark_client::runtime::validate::Violation;
use lark_client::runtime::{
    self, CallOptions, Error, Method, ResponseKind, RetryPolicy, TokenKind, Validate, Violations,
};
use serde_json::{Value, json};
use support::*;
use wiremock::matchers::{header, method, path, path_regex, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const BEARER: &str = "Bearer t-test-tenant-token-1";
const BASE: &str = "/open-apis/lingo/v1";
const REPO: &str = "7152790921053274113";

/// The Lingo client pointed at `base`, configured like every other end-to-end test.
fn lingo(base: &str) -> Client {
    Client::new(runtime(base))
}

/// The same, sending each call exactly once (declared errors: one request per code).
fn lingo_once(base: &str) -> Client {
    Client::new(runtime(base).with_options(CallOptions::new().retry(RetryPolicy::none())))
}

// =======================================================================================
// Request bodies of the official examples, built from the generated types
// =======================================================================================

fn shown(key: &str) -> Term {
    Term::new(key, DisplayStatus::new(true, true))
}

fn rich(text: &str) -> String {
    format!("<p>{text}</p>")
}

/// The one internationalized definition every example carries.
fn chinese_desc() -> I18nEntryDesc {
    I18nEntryDesc {
        description: Some("国际化中文释义".into()),
        rich_text: Some(rich("国际化中文释义")),
        ..I18nEntryDesc::new(Language::Chinese)
    }
}

fn link(title: &str, url: &str) -> LinkRef {
    LinkRef { title: Some(title.into()), url: Some(url.into()) }
}

/// `related_meta` of the four entry examples (identical in all of them).
fn related_meta() -> RelatedMetaInput {
    RelatedMetaInput {
        users: Some(vec![
            UserRef { title: Some("负责人".into()), ..UserRef::new("ou_30b07b6****ea46518789914dac63d36") },
            UserRef { title: Some(String::new()), ..UserRef::new("ou_b292c0****c14754639fa4501e80c36a") },
        ]),
        chats: Some(vec![
            ChatRef::new("oc_c13831833e****92c52befa759ea4806"),
            ChatRef::new("oc_c8161c910****a24127e73b10233b295"),
        ]),
        docs: Some(vec![
            link("猜你想问 / FAQs", "https://example.feishu.cn/wiki/wikcnZ8Lq4f9DMCDOtdcIzCUjAh"),
            link(
                "快速了解飞书文档 | Introducing Feishu Docs",
                "https://example.feishu.cn/docs/doccnxlVCCFjMsJE15I7PLAjIWc",
            ),
        ]),
        links: Some(vec![link("飞书官网", "https://feishu.cn")]),
        oncalls: Some(vec![OncallRef::new("702368904****548034"), OncallRef::new("70240637****0910850")]),
        abbreviations: Some(
            ["enterprise_44***90", "enterprise_70348****374354564", "enterprise_70365****3106796547"]
                .into_iter()
                .map(|id| AbbreviationRef { id: Some(id.into()) })
                .collect(),
        ),
        classifications: Some(vec![ClassificationRef {
            father_id: Some("7049606926****37777".into()),
            ..ClassificationRef::new("7049606926****37761")
        }]),
        images: Some(vec![BaikeImage::new("boxbcEcmKiD3SGHvgqWTpvdc7jc")]),
    }
}

/// lingo_entities_create.request.json and lingo_entities_update.request.json (the same body).
fn entity_body() -> EntityBody {
    EntityBody {
        aliases: Some(vec![shown("词典")]),
        description: Some(DEFINITION.into()),
        rich_text: Some(rich(DEFINITION)),
        i18n_descs: Some(vec![chinese_desc()]),
        related_meta: Some(related_meta()),
        outer_info: Some(OuterInfo::new("星云", "client_653****98d")),
        ..EntityBody::new(vec![shown("飞书词典")])
    }
}

/// lingo_drafts_create.request.json
fn draft_create_body() -> DraftCreateBody {
    DraftCreateBody {
        id: Some(EntityId::new("enterprise_40217***521")),
        aliases: Some(vec![shown("词典")]),
        description: Some(DEFINITION.into()),
        rich_text: Some(rich(DEFINITION)),
        i18n_descs: Some(vec![chinese_desc()]),
        related_meta: Some(related_meta()),
        outer_info: Some(OuterInfo::new("星云", "client_653****98d")),
        ..DraftCreateBody::new(vec![shown("飞书词典")])
    }
}

/// lingo_drafts_update.request.json (no `outer_info` in a draft update).
fn draft_update_body() -> DraftUpdateBody {
    DraftUpdateBody {
        id: Some(EntityId::new("enterprise_40217***521")),
        aliases: Some(vec![shown("词典")]),
        description: Some(DEFINITION.into()),
        rich_text: Some(rich(DEFINITION)),
        i18n_descs: Some(vec![chinese_desc()]),
        related_meta: Some(related_meta()),
        ..DraftUpdateBody::new(vec![shown("飞书词典")])
    }
}

/// lingo_entities_match.request.json
fn match_body() -> EntityMatchBody {
    EntityMatchBody::new("飞书词典")
}

/// lingo_entities_search.request.json
fn search_body() -> EntitySearchBody {
    EntitySearchBody {
        query: Some("飞书词典".into()),
        classification_filter: Some(ClassificationFilter {
            include: Some(vec!["7195482254012055580".into()]),
            exclude: Some(vec!["7195482254012055581".into()]),
        }),
        sources: Some(vec![EntitySource::UserCreated]),
        creators: Some(vec!["ou_30b07b63089ea46518789914dac63d36".into()]),
    }
}

/// lingo_entities_highlight.request.json
fn highlight_body() -> EntityHighlightBody {
    EntityHighlightBody::new("词典是飞书提供的一款知识管理工具")
}

/// A small upload form that passes the size check.
fn upload_form() -> FileUploadForm {
    FileUploadForm::new("cat.png", vec![9u8; 4096])
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
    assert_eq!(entity.outer_info, Some(OuterInfo::new("星云", outer_id)));
    assert_eq!(
        (entity.create_time.as_deref(), entity.update_time.as_deref()),
        (Some("1627540853"), Some("1627541853"))
    );
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
    assert_eq!(items[0].i18n_names, Some(vec![I18nClsName::new(Language::Chinese, "词典分类")]));
    assert_eq!(data.page_token.as_deref(), Some("408ecac018b2e3518db37275e812****bb8ad3e755fc886f322ac6c430ba"));
    assert_eq!(data.has_more, Some(false));
}

#[test]
fn drafts_create_response_decodes() {
    let data: DraftData = decode("drafts_create.response");
    assert_eq!(data.draft.draft_id, Some(DraftId::new("54567***567897")));
    assert_example_entry(&data.draft.entity.expect("entity"), "enterprise_40****21", "client_6539i3498d");
}

#[test]
fn drafts_update_response_decodes() {
    let data: DraftData = decode("drafts_update.response");
    assert_eq!(data.draft.draft_id, Some(DraftId::new("54567***567897")));
    assert_example_entry(&data.draft.entity.expect("entity"), "enterprise_40****21", "client_6539i3498d");
}

#[test]
fn entities_create_response_decodes() {
    let data: EntityData = decode("entities_create.response");
    assert_example_entry(&data.entity, "enterprise_402***21", "client_6539***498d");
}

#[test]
fn entities_update_response_decodes() {
    let data: EntityData = decode("entities_update.response");
    assert_example_entry(&data.entity, "enterprise_402***21", "client_6539***498d");
}

#[test]
fn entities_get_response_decodes() {
    let data: EntityData = decode("entities_get.response");
    assert_example_entry(&data.entity, "enterprise_402***21", "client_6539***498d");
    let chats = data.entity.related_meta.and_then(|m| m.chats).expect("chats");
    assert_eq!(chats[1].id.as_deref(), Some("oc_c8161c9109966a24***e73b10233b295"));
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
    assert_eq!(data.file_token, FileToken::new("boxbcEcmKiD****vgqWTpvdc7jc"));
}

#[test]
fn repos_list_response_decodes() {
    let data: RepoListData = decode("repos_list.response");
    let items = data.items.expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].id, Some(RepoId::new("71527909***274113")));
    assert_eq!(items[0].name.as_deref(), Some("全员词库"));
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
// Every endpoint over loopback HTTP
// =======================================================================================

/// A server with the token endpoint and one route, reached only with the tenant token.
async fn server_with(verb: &str, route: &str, answer: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    Mock::given(method(verb))
        .and(path(route))
        .and(header("authorization", BEARER))
        .respond_with(answer)
        .expect(1)
        .named(format!("{verb} {route}"))
        .mount(&server)
        .await;
    server
}

/// The official example answer of a lingo response fixture.
fn example(name: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).insert_header("X-Tt-Logid", "log-ok").set_body_json(fixture(&format!("lingo_{name}")))
}

/// The `data` of a lingo response fixture, decoded directly (what the client must return).
fn expected<T: DeserializeOwned>(name: &str) -> T {
    serde_json::from_value(fixture_data(&format!("lingo_{name}"))).expect("fixture decodes")
}

/// The API requests the server received, the token fetch aside.
async fn api_requests(server: &MockServer) -> Vec<Request> {
    let requests = server.received_requests().await.expect("recording is on");
    requests.into_iter().filter(|r| r.url.path() != TOKEN_PATH).collect()
}

/// The one API request the server received, the token fetch aside.
async fn api_request(server: &MockServer) -> Request {
    let mut requests = api_requests(server).await;
    assert_eq!(requests.len(), 1, "exactly one API request");
    requests.remove(0)
}

/// The query string as decoded `(name, value)` pairs, in order.
fn query(request: &Request) -> Vec<(String, String)> {
    request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
}

fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
    expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

/// The JSON body, after checking it is declared as JSON.
fn json_body(request: &Request) -> Value {
    let content_type = request.headers.get("content-type").and_then(|v| v.to_str().ok());
    assert_eq!(content_type, Some("application/json; charset=utf-8"));
    serde_json::from_slice(&request.body).expect("the body is JSON")
}

fn assert_no_body(request: &Request) {
    assert!(request.body.is_empty(), "no body: {:?}", String::from_utf8_lossy(&request.body));
    assert!(request.headers.get("content-type").is_none(), "no content type on a body-less request");
}

// ---- classification ----

#[tokio::test]
async fn classification_list_sends_paging_and_repo_id_and_decodes_the_example() {
    let route = format!("{BASE}/classifications");
    let server = server_with("GET", &route, example("classifications_list.response")).await;
    let page = lingo(&server.uri())
        .classification()
        .list()
        .page_size(20)
        .page_token("p-1")
        .repo_id(REPO)
        .send()
        .await
        .expect("ok");
    assert_eq!(page, expected::<ClassificationListData>("classifications_list.response"));
    assert_eq!(page.has_more, Some(false));
    let request = api_request(&server).await;
    assert_eq!(query(&request), pairs(&[("page_size", "20"), ("page_token", "p-1"), ("repo_id", REPO)]));
    assert_no_body(&request);
}

#[tokio::test]
async fn classification_stream_stops_at_has_more_false_although_a_page_token_came_back() {
    // The official example answers `has_more: false` *and* a `page_token`: one request only.
    let route = format!("{BASE}/classifications");
    let server = server_with("GET", &route, example("classifications_list.response")).await;
    let all: Vec<Classification> =
        lingo(&server.uri()).classification().list().repo_id(REPO).stream().try_collect().await.expect("ok");
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].name.as_deref(), Some("行业术语"));
    assert_eq!(query(&api_request(&server).await), pairs(&[("repo_id", REPO)]));
}

// ---- draft ----

#[tokio::test]
async fn draft_create_posts_the_example_body_with_repo_id_and_user_id_type() {
    let route = format!("{BASE}/drafts");
    let server = server_with("POST", &route, example("drafts_create.response")).await;
    let data = lingo(&server.uri())
        .draft()
        .create(draft_create_body())
        .repo_id(RepoId::new(REPO))
        .user_id_type(UserIdType::UserId)
        .send()
        .await
        .expect("ok");
    assert_eq!(data, expected::<DraftData>("drafts_create.response"));
    assert_eq!(data.draft.draft_id, Some(DraftId::new("54567***567897")));
    let request = api_request(&server).await;
    assert_eq!(query(&request), pairs(&[("repo_id", REPO), ("user_id_type", "user_id")]));
    assert_eq!(json_body(&request), fixture("lingo_drafts_create.request"));
}

#[tokio::test]
async fn draft_create_accepts_a_user_access_token_instead_of_the_tenant_token() {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 0).await;
    Mock::given(method("POST"))
        .and(path(format!("{BASE}/drafts")))
        .and(header("authorization", "Bearer u-reviewer"))
        .respond_with(example("drafts_create.response"))
        .expect(1)
        .mount(&server)
        .await;
    lingo(&server.uri()).draft().create(draft_create_body()).user_access_token("u-reviewer").send().await.expect("ok");
}

#[tokio::test]
async fn draft_update_puts_the_example_body_to_the_draft_path() {
    let route = format!("{BASE}/drafts/5347");
    let server = server_with("PUT", &route, example("drafts_update.response")).await;
    let data = lingo(&server.uri())
        .draft()
        .update("5347", draft_update_body())
        .user_id_type(UserIdType::OpenId)
        .send()
        .await
        .expect("ok");
    assert_eq!(data, expected::<DraftData>("drafts_update.response"));
    let request = api_request(&server).await;
    assert_eq!(query(&request), pairs(&[("user_id_type", "open_id")]));
    let body = json_body(&request);
    assert_eq!(body, fixture("lingo_drafts_update.request"));
    assert!(body.get("outer_info").is_none());
}

// ---- entity writes (tenant token only) ----

#[tokio::test]
async fn entity_create_posts_the_example_body_with_the_tenant_token() {
    let route = format!("{BASE}/entities");
    let server = server_with("POST", &route, example("entities_create.response")).await;
    let data = lingo(&server.uri())
        .entity()
        .create(entity_body())
        .repo_id(REPO)
        .user_id_type(UserIdType::UnionId)
        .send()
        .await
        .expect("ok");
    assert_eq!(data, expected::<EntityData>("entities_create.response"));
    assert_eq!(data.entity.id, Some(EntityId::new("enterprise_402***21")));
    let request = api_request(&server).await;
    assert_eq!(query(&request), pairs(&[("repo_id", REPO), ("user_id_type", "union_id")]));
    assert_eq!(json_body(&request), fixture("lingo_entities_create.request"));
}

#[tokio::test]
async fn entity_update_puts_the_example_body_to_the_entity_path() {
    let route = format!("{BASE}/entities/enterprise_40217521");
    let server = server_with("PUT", &route, example("entities_update.response")).await;
    let data = lingo(&server.uri())
        .entity()
        .update("enterprise_40217521", entity_body())
        .user_id_type(UserIdType::UserId)
        .send()
        .await
        .expect("ok");
    assert_eq!(data, expected::<EntityData>("entities_update.response"));
    let request = api_request(&server).await;
    assert_eq!(query(&request), pairs(&[("user_id_type", "user_id")]));
    assert_eq!(json_body(&request), fixture("lingo_entities_update.request"));
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

// ---- entity reads ----

#[tokio::test]
async fn entity_get_by_id() {
    let route = format!("{BASE}/entities/enterprise_515879");
    let server = server_with("GET", &route, example("entities_get.response")).await;
    let data = lingo(&server.uri()).entity().get("enterprise_515879").send().await.expect("ok");
    assert_eq!(data, expected::<EntityData>("entities_get.response"));
    let request = api_request(&server).await;
    assert_eq!(request.url.query(), None);
    assert_no_body(&request);
}

#[tokio::test]
async fn entity_get_by_provider_and_outer_id_uses_enterprise_0() {
    let route = format!("{BASE}/entities/enterprise_0");
    let server = server_with("GET", &route, example("entities_get.response")).await;
    let data = lingo(&server.uri())
        .entity()
        .get("enterprise_0")
        .provider("星云")
        .outer_id("12345")
        .user_id_type(UserIdType::UserId)
        .send()
        .await
        .expect("ok");
    assert_eq!(data.entity.outer_info, Some(OuterInfo::new("星云", "client_6539***498d")));
    let request = api_request(&server).await;
    assert_eq!(query(&request), pairs(&[("provider", "星云"), ("outer_id", "12345"), ("user_id_type", "user_id")]));
}

#[tokio::test]
async fn entity_list_sends_every_query_parameter() {
    let route = format!("{BASE}/entities");
    let server = server_with("GET", &route, example("entities_list.response")).await;
    let page = lingo(&server.uri())
        .entity()
        .list()
        .page_size(50)
        .page_token("tok-2")
        .provider("星云")
        .repo_id(REPO)
        .user_id_type(UserIdType::UserId)
        .send()
        .await
        .expect("ok");
    assert_eq!(page, expected::<EntityListData>("entities_list.response"));
    assert_eq!((page.page_token.as_deref(), page.has_more), (Some(NEXT_PAGE), Some(true)));
    let request = api_request(&server).await;
    assert_eq!(
        query(&request),
        pairs(&[
            ("page_size", "50"),
            ("page_token", "tok-2"),
            ("provider", "星云"),
            ("repo_id", REPO),
            ("user_id_type", "user_id")
        ])
    );
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
async fn entity_match_posts_the_word_with_repo_id() {
    let route = format!("{BASE}/entities/match");
    let server = server_with("POST", &route, example("entities_match.response")).await;
    let data = lingo(&server.uri()).entity().r#match(match_body()).repo_id(REPO).send().await.expect("ok");
    assert_eq!(data, expected::<EntityMatchData>("entities_match.response"));
    let request = api_request(&server).await;
    assert_eq!(query(&request), pairs(&[("repo_id", REPO)]));
    assert_eq!(json_body(&request), fixture("lingo_entities_match.request"));
}

#[tokio::test]
async fn entity_search_puts_paging_and_repo_in_the_query_and_filters_in_the_body() {
    let route = format!("{BASE}/entities/search");
    let server = server_with("POST", &route, example("entities_search.response")).await;
    let page = lingo(&server.uri())
        .entity()
        .search()
        .page_size(10)
        .page_token("next-1")
        .repo_id(REPO)
        .user_id_type(UserIdType::OpenId)
        .body(search_body())
        .send()
        .await
        .expect("ok");
    assert_eq!(page, expected::<EntityListData>("entities_search.response"));
    let request = api_request(&server).await;
    assert_eq!(
        query(&request),
        pairs(&[("page_size", "10"), ("page_token", "next-1"), ("repo_id", REPO), ("user_id_type", "open_id")])
    );
    let body = json_body(&request);
    assert_eq!(body, fixture("lingo_entities_search.request"));
    assert!(body.get("repo_id").is_none() && body.get("page_token").is_none(), "query parameters stay in the query");
}

#[tokio::test]
async fn entity_search_without_a_body_sends_an_empty_object() {
    let route = format!("{BASE}/entities/search");
    let server = server_with("POST", &route, example("entities_search.response")).await;
    lingo(&server.uri()).entity().search().send().await.expect("ok");
    let request = api_request(&server).await;
    assert_eq!(request.url.query(), None);
    assert_eq!(json_body(&request), json!({}));
}

#[tokio::test]
async fn entity_highlight_posts_the_text() {
    let route = format!("{BASE}/entities/highlight");
    let server = server_with("POST", &route, example("entities_highlight.response")).await;
    let data = lingo(&server.uri()).entity().highlight(highlight_body()).send().await.expect("ok");
    assert_eq!(data, expected::<EntityHighlightData>("entities_highlight.response"));
    let request = api_request(&server).await;
    assert_eq!(request.url.query(), None);
    assert_eq!(json_body(&request), fixture("lingo_entities_highlight.request"));
}

// ---- file ----

#[tokio::test]
async fn file_upload_posts_a_multipart_form_and_decodes_the_token() {
    let route = format!("{BASE}/files/upload");
    let server = server_with("POST", &route, example("files_upload.response")).await;
    let data = lingo(&server.uri()).file().upload(upload_form()).send().await.expect("ok");
    assert_eq!(data.file_token, FileToken::new("boxbcEcmKiD****vgqWTpvdc7jc"));
    let request = api_request(&server).await;
    assert_eq!(request.url.query(), None);
    let content_type = request.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(content_type.starts_with("multipart/form-data; boundary="), "{content_type}");
    let body = String::from_utf8_lossy(&request.body);
    assert!(body.contains("name=\"name\"") && body.contains("cat.png") && body.contains("name=\"file\""), "{body}");
}

#[tokio::test]
async fn file_download_gets_the_token_path() {
    let route = format!("{BASE}/files/boxbcEcmKiD3vgqWTpvdc7jc/download");
    let png = ResponseTemplate::new(200).insert_header("content-type", "image/png").set_body_bytes(vec![1, 2, 3]);
    let server = server_with("GET", &route, png).await;
    let download = lingo(&server.uri()).file().download("boxbcEcmKiD3vgqWTpvdc7jc").send().await.expect("ok");
    assert_eq!(download.bytes().await.expect("body").as_ref(), &[1, 2, 3]);
    let request = api_request(&server).await;
    assert_eq!(request.url.query(), None);
    assert_no_body(&request);
}

// ---- repo ----

#[tokio::test]
async fn repo_list_gets_every_dictionary_and_its_id_feeds_repo_id() {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    Mock::given(method("GET"))
        .and(path(format!("{BASE}/repos")))
        .and(header("authorization", BEARER))
        .respond_with(example("repos_list.response"))
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
    assert_eq!(repos, expected::<RepoListData>("repos_list.response"));
    let repo = repos.items.expect("items").remove(0);
    assert_eq!(repo.name.as_deref(), Some("全员词库"));
    let page = client.entity().list().repo_id(repo.id.expect("id")).send().await.expect("ok");
    assert_eq!((page.entities, page.has_more), (Some(vec![]), Some(false)));
    let requests = api_requests(&server).await;
    assert_eq!(requests[0].url.query(), None, "repo.list takes no parameters");
    assert_no_body(&requests[0]);
}

// =======================================================================================
// Declared errors
// =======================================================================================

/// A server whose every Lingo route answers with one Lark error.
async fn failing(status: u16, code: i64) -> MockServer {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    Mock::given(path_regex("^/open-apis/lingo/v1/"))
        .respond_with(lark_error(status, code, "declared failure", "log-err"))
        .mount(&server)
        .await;
    server
}

/// One test per endpoint: each declared `(HTTP status, code)` comes back as its variant,
/// carrying the code, status, message, log id and the spec's row.
macro_rules! declared_errors {
    ($test:ident: $error:ident = |$client:ident| $call:expr; $($variant:ident => ($status:literal, $code:literal)),+ $(,)?) => {
        #[tokio::test]
        async fn $test() {
            $({
                let server = failing($status, $code).await;
                let $client = lingo_once(&server.uri());
                let err: $error = $call.await.expect_err("the server refused");
                let $error::$variant(api) = &err else {
                    panic!("{} {}: got {err:?}", stringify!($variant), $code)
                };
                assert_eq!((api.code, api.http_status), ($code, $status));
                assert_eq!((api.msg.as_str(), api.log_id.as_deref()), ("declared failure", Some("log-err")));
                assert_eq!(api.spec.map(|s| (s.name, s.code, s.http_status)), Some((stringify!($variant), $code, $status)));
                assert_eq!((err.code(), err.http_status()), (Some($code), Some($status)));
                assert_eq!(api_requests(&server).await.len(), 1, "sent once");
            })+
        }
    };
}

declared_errors!(classification_list_errors: ClassificationListError =
    |c| c.classification().list().repo_id(REPO).send();
    InvalidParam => (400, 2250001), NetworkAnomaly => (500, 2250002));
declared_errors!(draft_create_errors: DraftCreateError =
    |c| c.draft().create(draft_create_body()).send();
    InvalidParam => (400, 2250001), NetworkAnomaly => (500, 2250002));
declared_errors!(draft_update_errors: DraftUpdateError =
    |c| c.draft().update("5347", draft_update_body()).send();
    InvalidParam => (400, 2250001), NetworkAnomaly => (500, 2250002), DraftReviewed => (403, 2250100));
declared_errors!(entity_create_errors: EntityCreateError =
    |c| c.entity().create(entity_body()).send();
    InvalidParam => (400, 2250001), NetworkAnomaly => (500, 2250002));
declared_errors!(entity_update_errors: EntityUpdateError =
    |c| c.entity().update("enterprise_1", entity_body()).send();
    InvalidParam => (400, 2250001), NetworkAnomaly => (500, 2250002));
declared_errors!(entity_delete_errors: EntityDeleteError =
    |c| c.entity().delete("enterprise_1").send();
    InvalidParam => (400, 2250001), NetworkAnomaly => (500, 2250002));
declared_errors!(entity_get_errors: EntityGetError =
    |c| c.entity().get("enterprise_1").send();
    InvalidParam => (400, 2250001), NetworkAnomaly => (500, 2250002));
declared_errors!(entity_list_errors: EntityListError =
    |c| c.entity().list().send();
    InvalidParam => (400, 2250001), NetworkAnomaly => (500, 2250002));
declared_errors!(entity_match_errors: EntityMatchError =
    |c| c.entity().r#match(match_body()).send();
    InvalidParam => (400, 2250001), NetworkAnomaly => (500, 2250002));
declared_errors!(entity_search_errors: EntitySearchError =
    |c| c.entity().search().send();
    InvalidParam => (400, 2250001), NetworkAnomaly => (500, 2250002));
declared_errors!(entity_highlight_errors: EntityHighlightError =
    |c| c.entity().highlight(highlight_body()).send();
    InvalidParam => (400, 2250001), NetworkAnomaly => (500, 2250002));
declared_errors!(file_upload_errors: FileUploadError =
    |c| c.file().upload(upload_form()).send();
    InvalidParam => (400, 2250001), NetworkAnomaly => (500, 2250002));
declared_errors!(file_download_errors: FileDownloadError =
    |c| c.file().download("boxbc").send();
    InvalidParam => (400, 2250001), NetworkAnomaly => (500, 2250002));
declared_errors!(repo_list_errors: RepoListError =
    |c| c.repo().list().send();
    InvalidParam => (400, 2250001));

#[tokio::test]
async fn draft_reviewed_is_only_a_variant_of_draft_update() {
    let server = failing(403, 2250100).await;
    let err = lingo_once(&server.uri()).draft().create(draft_create_body()).send().await.expect_err("refused");
    let DraftCreateError::Unhandled(Error::Api(api)) = &err else { panic!("got {err:?}") };
    assert_eq!((api.code, api.http_status), (2250100, 403));
    assert!(api.spec.is_none(), "draft.create does not declare 2250100");
}

#[tokio::test]
async fn baike_codes_are_not_lingo_variants() {
    let server = failing(403, 1540100).await;
    let err = lingo_once(&server.uri()).draft().update("5347", draft_update_body()).send().await.expect_err("refused");
    let DraftUpdateError::Unhandled(Error::Api(api)) = &err else { panic!("got {err:?}") };
    assert_eq!(api.code, 1540100);
    assert!(api.spec.is_none());
}

/// Retries with millisecond backoffs.
fn lingo_fast(base: &str) -> Client {
    let policy = RetryPolicy::new().backoff(Duration::from_millis(5), Duration::from_millis(20));
    Client::new(runtime(base).with_options(CallOptions::new().retry(policy)))
}

#[tokio::test]
async fn retryability_follows_the_spec_and_idempotency() {
    // 2250002 is retryable: an idempotent read is resent (3 attempts)…
    let server = failing(500, 2250002).await;
    let err = lingo_fast(&server.uri()).entity().get("enterprise_1").send().await.expect_err("refused");
    assert!(matches!(err, EntityGetError::NetworkAnomaly(_)) && err.is_retryable());
    assert_eq!(api_requests(&server).await.len(), 3);
    // …a delete too (DELETE is idempotent)…
    let server = failing(500, 2250002).await;
    lingo_fast(&server.uri()).entity().delete("enterprise_1").send().await.expect_err("refused");
    assert_eq!(api_requests(&server).await.len(), 3);
    // …but a create the server may have processed is not.
    let server = failing(500, 2250002).await;
    let err = lingo_fast(&server.uri()).entity().create(entity_body()).send().await.expect_err("refused");
    assert!(matches!(err, EntityCreateError::NetworkAnomaly(_)));
    assert_eq!(api_requests(&server).await.len(), 1);
    // 2250100 is not retryable at all.
    let server = failing(403, 2250100).await;
    let err = lingo_fast(&server.uri()).draft().update("1", draft_update_body()).send().await.expect_err("refused");
    assert!(!err.is_retryable());
    assert_eq!(api_requests(&server).await.len(), 1);
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
    let all: Vec<_> = endpoints::ALL.iter().map(|d| (d.name, d.method, d.path)).collect();
    assert_eq!(all, INVENTORY);
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
