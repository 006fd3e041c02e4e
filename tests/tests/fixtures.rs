//! The official Baike v1 examples against the generated types.
//!
//! Every `*.response.json` decodes into its generated `data` type, keeps every field (it
//! serializes back to the same JSON) and carries the documented values. Every
//! `*.request.json` is built in Rust with the generated request types and serializes to
//! exactly the fixture. Unknown enum values and unknown fields from the server are tolerated.

mod bodies;

use bodies::*;
use lark_client::baike_v1::*;
use lark_client::runtime::serde::Serialize;
use lark_client::runtime::serde::de::DeserializeOwned;
use lark_client::runtime::{Validate, Violations};
use serde_json::{Value, json};

/// Decodes the `data` of a response fixture into `T` and checks that nothing was lost.
fn decode<T: DeserializeOwned + Serialize>(name: &str) -> T {
    let data = fixture_data(name);
    let decoded: T = serde_json::from_value(data.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
    let back = serde_json::to_value(&decoded).expect("serializes");
    assert_eq!(back, data, "{name}: a field was lost or changed in decoding");
    decoded
}

/// Asserts a built request body serializes to its fixture and passes client-side validation.
fn assert_body<T: Serialize + Validate>(body: &T, name: &str) {
    assert_eq!(serde_json::to_value(body).expect("serializes"), fixture(name), "{name}");
    let mut found = Violations::new();
    body.validate("body", &mut found);
    assert!(found.is_empty(), "{name}: the official example breaks a constraint: {found}");
}

fn main_key(entity: &Entity) -> &str {
    &entity.main_keys[0].key
}

// ---- responses ----

#[test]
fn classifications_list_response_decodes() {
    let data: ClassificationListData = decode("classifications_list.response");
    let items = data.items.expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].id.as_str(), "7049606926****37761");
    assert_eq!(items[0].name.as_deref(), Some("行业术语"));
    assert_eq!(items[0].father_id.as_ref().map(|f| f.as_str()), Some("7049606926****37777"));
    assert_eq!(data.page_token.as_deref(), Some("408ecac018b2e3518db37275e812****bb8ad3e755fc886f322ac6c430ba"));
}

#[test]
fn drafts_create_response_decodes() {
    let data: DraftData = decode("drafts_create.response");
    let draft = data.draft.expect("draft");
    assert_eq!(draft.draft_id.as_ref().map(|d| d.as_str()), Some("54*7"));
    let entity = draft.entity.expect("entity");
    assert_eq!(entity.id.as_ref().map(|i| i.as_str()), Some("enterprise_40****21"));
    assert_eq!(main_key(&entity), "飞书词典");
    assert_eq!(entity.statistics, Some(Statistics::new(100, 20)));
    assert_eq!(entity.create_time, Some(1_627_540_853));
    let meta = entity.related_meta.expect("related_meta");
    assert_eq!(meta.abbreviations.expect("abbreviations").len(), 3);
    assert_eq!(meta.users.expect("users")[0].title.as_deref(), Some("负责人"));
}

#[test]
fn drafts_update_response_decodes() {
    let data: DraftData = decode("drafts_update.response");
    let draft = data.draft.expect("draft");
    assert_eq!(draft.draft_id, Some(DraftId::new("5467")));
    let entity = draft.entity.expect("entity");
    assert_eq!(entity.id, Some(EntityId::new("enterprise_40217521")));
    assert_eq!(entity.outer_info, Some(OuterInfo::new("星云".into(), "client_6539i3498d".into())));
}

#[test]
fn entities_create_response_decodes() {
    let data: EntityData = decode("entities_create.response");
    let entity = data.entity.expect("entity");
    assert_eq!(entity.id, Some(EntityId::new("enterprise_40217521")));
    assert_eq!(entity.aliases.as_ref().map(|a| a[0].key.as_str()), Some("词典"));
    assert_eq!(entity.description.as_deref(), Some(DEFINITION));
    let meta = entity.related_meta.expect("related_meta");
    assert_eq!(meta.images.expect("images")[0].token, FileToken::new("boxbcEcmKiD3SGHvgqWTpvdc7jc"));
    assert_eq!(meta.chats.expect("chats")[1].id, "oc_c8161c9109966a24127e73b10233b295");
}

#[test]
fn entities_update_response_decodes() {
    let data: EntityData = decode("entities_update.response");
    let entity = data.entity.expect("entity");
    assert_eq!(main_key(&entity), "飞书词典");
    assert_eq!(entity.update_time, Some(1_627_541_853));
    let meta = entity.related_meta.expect("related_meta");
    let classification = &meta.classifications.expect("classifications")[0];
    assert_eq!(classification.id.as_str(), "7049606926****37761");
}

#[test]
fn entities_get_response_decodes() {
    let data: EntityData = decode("entities_get.response");
    let entity = data.entity.expect("entity");
    assert_eq!(entity.id, Some(EntityId::new("enterprise_402***21")));
    assert_eq!(entity.main_keys[0].display_status, DisplayStatus::new(true, true));
    let docs = entity.related_meta.and_then(|m| m.docs).expect("docs");
    assert_eq!(docs[0].title.as_deref(), Some("猜你想问 / FAQs"));
}

#[test]
fn entities_list_response_decodes() {
    let data: EntityListData = decode("entities_list.response");
    let entities = data.entities.expect("entities");
    assert_eq!(entities.len(), 1);
    assert_eq!(entities[0].id, Some(EntityId::new("enterprise_402***21")));
    assert_eq!(
        data.page_token.as_deref(),
        Some("b152fa6e6f62a291019a04c3a93f365****641910506ff15ff4cad6534e087cb4ed8fa2c")
    );
}

#[test]
fn entities_search_response_decodes() {
    let data: EntityListData = decode("entities_search.response");
    let entity = &data.entities.expect("entities")[0];
    assert_eq!(entity.source, Some(EntitySource::OfficialWord));
    assert_eq!(entity.creator.as_deref(), Some("ou_dc5227a2bdb*******b61e0b5aff99fe5"));
    assert_eq!(entity.updater, entity.creator);
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
fn entities_extract_response_decodes() {
    let data: EntityExtractData = decode("entities_extract.response");
    let word = &data.entity_word[0];
    assert_eq!(word.name, "飞书词典");
    assert_eq!(word.aliases, Some(vec!["Lingo".to_owned()]));
}

#[test]
fn files_upload_response_decodes() {
    let data: FileUploadData = decode("files_upload.response");
    assert_eq!(data.file_token, Some(FileToken::new("boxbcEcmKiD****vgqWTpvdc7jc")));
}

// ---- requests ----

#[test]
fn entities_create_request_is_built_from_generated_types() {
    assert_body(&entity_create_body(), "entities_create.request");
}

#[test]
fn entities_update_request_is_built_from_generated_types() {
    assert_body(&entity_update_body(), "entities_update.request");
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
fn entities_extract_request_is_built_from_generated_types() {
    assert_body(&extract_body(), "entities_extract.request");
}

#[test]
fn unset_optional_fields_are_left_out_of_requests() {
    let body = EntityBody { description: Some("d".into()), ..EntityBody::new(vec![shown("k")]) };
    assert_eq!(
        serde_json::to_value(&body).expect("serializes"),
        json!({
            "main_keys": [{ "key": "k", "display_status": { "allow_highlight": true, "allow_search": true } }],
            "description": "d"
        })
    );
    assert_eq!(serde_json::to_value(EntitySearchBody::default()).expect("serializes"), json!({}));
}

// ---- tolerance of newer servers ----

/// The entities_get example with extra, newer things in it.
fn entity_with(changes: impl FnOnce(&mut Value)) -> Entity {
    let mut data = fixture_data("entities_get.response");
    changes(&mut data["entity"]);
    serde_json::from_value::<EntityData>(data).expect("decodes").entity.expect("entity")
}

#[test]
fn unknown_entity_source_decodes_into_unknown() {
    let entity = entity_with(|e| e["source"] = json!(9));
    assert_eq!(entity.source, Some(EntitySource::Unknown(9)));
    assert_eq!(entity.source.map(EntitySource::value), Some(9));
    // And it goes back on the wire as it came.
    assert_eq!(serde_json::to_value(entity.source).expect("serializes"), json!(9));
}

#[test]
fn unknown_match_type_decodes_into_unknown() {
    let data: EntityMatchData = serde_json::from_value(json!({
        "results": [{ "entity_id": "enterprise_1", "type": 7 }, { "entity_id": "enterprise_2", "type": 2 }]
    }))
    .expect("decodes");
    let types: Vec<_> = data.results.expect("results").iter().map(|r| r.r#type).collect();
    assert_eq!(types, vec![Some(MatchType::Unknown(7)), Some(MatchType::Alias)]);
}

#[test]
fn unknown_user_id_type_is_kept_as_sent() {
    let kind: UserIdType = serde_json::from_value(json!("lark_id")).expect("decodes");
    assert_eq!(kind, UserIdType::Unknown("lark_id".into()));
    assert_eq!(kind.as_str(), "lark_id");
    assert_eq!(serde_json::from_value::<UserIdType>(json!("user_id")).expect("decodes"), UserIdType::UserId);
}

#[test]
fn unknown_fields_are_ignored() {
    let entity = entity_with(|e| {
        e["i18n_descs"] = json!([{ "language": 1, "description": "x" }]);
        e["statistics"]["view_count"] = json!(12);
        e["related_meta"]["images"][0]["width"] = json!(640);
        e["main_keys"][0]["display_status"]["allow_ai"] = json!(true);
    });
    assert_eq!(entity.id, Some(EntityId::new("enterprise_402***21")));
    assert_eq!(entity.statistics, Some(Statistics::new(100, 20)));
    assert_eq!(entity.main_keys[0].display_status, DisplayStatus::new(true, true));
}

#[test]
fn full_names_are_decoded_when_present() {
    let entity = entity_with(|e| {
        e["full_names"] =
            json!([{ "key": "飞书词典全称", "display_status": { "allow_highlight": false, "allow_search": true } }])
    });
    let full = entity.full_names.expect("full_names");
    assert_eq!(full[0].key, "飞书词典全称");
    assert_eq!(full[0].display_status, DisplayStatus::new(false, true));
}

#[test]
fn missing_required_field_is_a_decoding_error() {
    let mut data = fixture_data("entities_highlight.response");
    data["phrases"][0].as_object_mut().expect("phrase").remove("span");
    let err = serde_json::from_value::<EntityHighlightData>(data).expect_err("span is required");
    assert!(err.to_string().contains("span"), "{err}");
}

/// Fixtures this file checks; a new fixture must be added here (and tested) to pass.
const COVERED: &[&str] = &[
    "classifications_list.response",
    "drafts_create.request",
    "drafts_create.response",
    "drafts_update.request",
    "drafts_update.response",
    "entities_create.request",
    "entities_create.response",
    "entities_extract.request",
    "entities_extract.response",
    "entities_get.response",
    "entities_highlight.request",
    "entities_highlight.response",
    "entities_list.response",
    "entities_match.request",
    "entities_match.response",
    "entities_search.request",
    "entities_search.response",
    "entities_update.request",
    "entities_update.response",
    "files_upload.response",
];

#[test]
fn every_baike_fixture_is_covered() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/api");
    let mut found: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().trim_end_matches(".json").to_owned())
        .filter(|n| !n.starts_with("lingo_") && !n.starts_with("auth_"))
        .collect();
    found.sort();
    assert_eq!(found, COVERED);
}
