//! The facts the Baike v1 and Lingo v1 specs took from the official API metadata
//! (docs/reconcile.md), over real loopback HTTP:
//!
//! - Lingo entries carry `full_names` (the official SDKs decode it), typed as terms;
//! - related users, chats and on-call groups have a required `id` (`Referer`); related docs
//!   and links have none (`LinkReferer`): a related user without an id is dropped and
//!   reported, a doc or link without one decodes;
//! - the `entity`, `draft` and `file_token` wrappers are optional: an answer without them is a
//!   success with `None`;
//! - Lingo repos have a required `id` and `name`;
//! - `create_time` and `update_time` are int64 carried as strings, read from a number too.

mod support;

use lark_client::runtime::collect_mismatches;
use lark_client::{baike_v1, lingo_v1};
use serde_json::{Value, json};
use support::*;

fn term(key: &str) -> Value {
    json!({ "key": key, "display_status": { "allow_highlight": true, "allow_search": false } })
}

fn lingo(base: &str) -> lingo_v1::Client {
    lingo_v1::Client::new(runtime(base))
}

#[tokio::test]
async fn a_lingo_entry_with_full_names_decodes_them_as_terms() {
    let entry = json!({
        "id": "enterprise_1",
        "main_keys": [term("Lark")],
        "full_names": [term("Lark Suite"), term("飞书")],
        "create_time": "1627540853",
        "update_time": 1627541853u64,
    });
    let server =
        server_with("GET", "/open-apis/lingo/v1/entities/enterprise_1", lark_ok(json!({ "entity": entry }))).await;
    let (answer, mismatches) = collect_mismatches(lingo(&server.uri()).entity().get("enterprise_1").send()).await;
    let entity = answer.expect("ok").entity.expect("entity");
    assert!(mismatches.is_empty(), "{mismatches:?}");
    let full_names = entity.full_names.clone().expect("full_names");
    let keys: Vec<&str> = full_names.iter().map(|t| t.key.as_str()).collect();
    assert_eq!(keys, ["Lark Suite", "飞书"]);
    assert_eq!(full_names[0].display_status, lingo_v1::DisplayStatus::new(true, false));
    assert_eq!((entity.create_time, entity.update_time), (Some(1_627_540_853), Some(1_627_541_853)));
    // Sent back as the server sends it: the times as strings.
    let back = serde_json::to_value(lingo_v1::Entity { full_names: None, ..entity }).expect("serializes");
    assert_eq!((&back["create_time"], &back["update_time"]), (&json!("1627540853"), &json!("1627541853")));
}

#[tokio::test]
async fn a_related_user_without_an_id_is_dropped_but_docs_and_links_need_none() {
    let meta = json!({
        "users": [{ "id": "ou_1", "title": "Owner" }, { "title": "no id" }],
        "chats": [{ "id": "oc_1" }],
        "docs": [{ "title": "FAQ", "url": "https://example.com/faq" }],
        "links": [{ "url": "https://example.com" }],
    });
    let entry = json!({ "id": "enterprise_1", "main_keys": [term("Lark")], "related_meta": meta });
    let server =
        server_with("GET", "/open-apis/baike/v1/entities/enterprise_1", lark_ok(json!({ "entity": entry }))).await;
    let client = baike_v1::Client::new(runtime(&server.uri()));
    let (answer, mismatches) = collect_mismatches(client.entity().get("enterprise_1").send()).await;
    let meta = answer.expect("ok").entity.expect("entity").related_meta.expect("related_meta");
    assert_eq!(meta.users, None, "a user without its required id empties the optional list");
    let chats = meta.chats.expect("chats");
    assert_eq!(chats[0].id, "oc_1", "the id of a related chat is a plain `String`");
    let docs: Vec<baike_v1::LinkReferer> = meta.docs.expect("docs");
    assert_eq!((docs[0].title.as_deref(), docs[0].url.as_deref()), (Some("FAQ"), Some("https://example.com/faq")));
    assert_eq!(
        meta.links.expect("links")[0],
        baike_v1::LinkReferer { title: None, url: Some("https://example.com".into()) }
    );
    let [m] = mismatches.as_slice() else { panic!("one mismatch: {mismatches:?}") };
    assert_eq!((m.field.as_str(), m.path.as_str()), ("entity.related_meta.users", "entity.related_meta.users[1].id"));
    assert_eq!(m.found, "nothing: the field is absent");
}

#[tokio::test]
async fn a_lingo_related_on_call_group_keeps_its_id() {
    let meta = json!({ "oncalls": [{ "id": "oncall_1", "title": "SRE", "url": "https://example.com/sre" }] });
    let entry = json!({ "main_keys": [term("Lark")], "related_meta": meta });
    let server =
        server_with("GET", "/open-apis/lingo/v1/entities/enterprise_1", lark_ok(json!({ "entity": entry }))).await;
    let data = lingo(&server.uri()).entity().get("enterprise_1").send().await.expect("ok");
    let oncalls = data.entity.and_then(|e| e.related_meta).and_then(|m| m.oncalls).expect("oncalls");
    assert_eq!(
        oncalls,
        vec![lingo_v1::Referer {
            title: Some("SRE".into()),
            url: Some("https://example.com/sre".into()),
            ..lingo_v1::Referer::new("oncall_1")
        }]
    );
}

#[tokio::test]
async fn answers_without_the_optional_wrappers_are_successes() {
    let server = server_with("GET", "/open-apis/baike/v1/entities/enterprise_1", lark_ok(json!({}))).await;
    let data = baike_v1::Client::new(runtime(&server.uri())).entity().get("enterprise_1").send().await.expect("ok");
    assert_eq!(data.entity, None);

    let server = server_with("PUT", "/open-apis/lingo/v1/drafts/5347", lark_ok(json!({}))).await;
    let body = lingo_v1::DraftUpdateBody {
        description: Some("d".into()),
        ..lingo_v1::DraftUpdateBody::new(vec![lingo_v1::Term::new(
            "k".into(),
            lingo_v1::DisplayStatus::new(true, true),
        )])
    };
    let data = lingo(&server.uri()).draft().update("5347".into(), body).send().await.expect("ok");
    assert_eq!(data.draft, None);

    let server = server_with("POST", "/open-apis/lingo/v1/files/upload", lark_ok(json!({}))).await;
    let form = lingo_v1::FileUploadForm::new("cat.png".into(), vec![7u8; 4096].into());
    let data = lingo(&server.uri()).file().upload(form).send().await.expect("ok");
    assert_eq!(data.file_token, None);
}

#[tokio::test]
async fn a_repo_without_its_required_name_is_reported() {
    let items = json!([{ "id": "7152790921053274113" }]);
    let server = server_with("GET", "/open-apis/lingo/v1/repos", lark_ok(json!({ "items": items }))).await;
    let (answer, mismatches) = collect_mismatches(lingo(&server.uri()).repo().list().send()).await;
    assert_eq!(answer.expect("the list is optional: a success").items, None);
    let [m] = mismatches.as_slice() else { panic!("one mismatch: {mismatches:?}") };
    assert_eq!((m.field.as_str(), m.path.as_str()), ("items", "items[0].name"));

    let items = json!([{ "id": "7152790921053274113", "name": "全员词库" }]);
    let server = server_with("GET", "/open-apis/lingo/v1/repos", lark_ok(json!({ "items": items }))).await;
    let repos = lingo(&server.uri()).repo().list().send().await.expect("ok").items.expect("items");
    assert_eq!(repos, vec![lingo_v1::Repo::new("7152790921053274113".into(), "全员词库".into())]);
}
