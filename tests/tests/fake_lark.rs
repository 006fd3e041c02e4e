//! The runtime's fake Lark server (feature `testing`) with the generated clients: every
//! endpoint of Baike and Lingo, called through its typed request builder, passes the fake's
//! checks of the spec and decodes the example `data` the generator put in its descriptor (IM's
//! endpoints: im.rs); and each descriptor of every service agrees with the checked spec in
//! its inputs (path, query and header parameters, form or top-level body fields) and example.
use futures_util::TryStreamExt;
use lark_client::runtime::testing::FakeLark;
use lark_client::runtime::{Endpoint, InputLocation, ResponseKind};
use lark_client::{baike_v1, contact_v3, drive_v1, im_v1, lingo_v1};
use larkgen::ir;
use serde_json::Value;

fn checked_services() -> Vec<ir::Service> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("workspace root").to_path_buf();
    let specs =
        ["baike-v1", "lingo-v1", "im-v1", "contact-v3", "drive-v1"].map(|s| root.join(format!("spec/{s}.yaml")));
    let checked = larkgen::check(&specs, &root);
    assert!(!checked.diagnostics.has_errors(), "spec errors:\n{}", checked.diagnostics.render_plain());
    checked.api.expect("the specs check").services
}

fn descriptor(service: &str, name: &str) -> &'static Endpoint {
    let all = [
        baike_v1::endpoints::ALL,
        lingo_v1::endpoints::ALL,
        im_v1::endpoints::ALL,
        contact_v3::endpoints::ALL,
        drive_v1::endpoints::ALL,
    ];
    let found = all.iter().flat_map(|a| a.iter()).find(|e| e.service == service && e.name == name);
    found.unwrap_or_else(|| panic!("no descriptor of {service} {name}"))
}

#[test]
fn descriptors_declare_the_spec_s_inputs_and_an_example_of_the_data() {
    for service in checked_services() {
        for e in &service.endpoints {
            let d = descriptor(&service.qualified(), &e.name);
            let mut inputs: Vec<(&str, InputLocation, bool)> =
                e.path_params.iter().map(|p| (p.name.as_str(), InputLocation::Path, true)).collect();
            inputs.extend(e.query_params.iter().map(|q| (q.name.as_str(), InputLocation::Query, q.required)));
            inputs.extend(e.header_params.iter().map(|h| (h.name.as_str(), InputLocation::Header, h.required)));
            if let Some(body) = e.request.as_ref() {
                let Some(ir::TypeKind::Struct(s)) = service.type_def(&body.ty).map(|t| &t.kind) else {
                    panic!("{} has an object body", e.name)
                };
                let location = if body.multipart { InputLocation::Form } else { InputLocation::Body };
                for f in &s.fields {
                    inputs.push((f.name.as_str(), location, f.required));
                    inputs.extend(f.tag_field.as_deref().map(|tag| (tag, location, f.required)));
                }
            }
            let declared: Vec<(&str, InputLocation, bool)> =
                d.inputs.iter().map(|i| (i.name, i.location, i.required)).collect();
            assert_eq!(declared, inputs, "{}", e.name);
            for q in e.query_params.iter().chain(&e.header_params) {
                let input = d.inputs.iter().find(|i| i.name == q.name).expect("declared");
                let r = &q.rules;
                let bounds = (input.min_length, input.max_length, input.min, input.max, input.forbidden_chars);
                assert_eq!(
                    bounds,
                    (r.min_length, r.max_length, r.min, r.max, r.forbidden_chars.as_str()),
                    "{}",
                    q.name
                );
            }
            match d.response {
                ResponseKind::Binary => assert_eq!(d.example, "", "{}", e.name),
                _ => {
                    let example: Value = serde_json::from_str(d.example).expect("the example is JSON");
                    assert!(example.is_object(), "{}: {example}", e.name);
                    // A paged answer's example is one last page: `.stream()` over it ends.
                    if e.pagination.is_some() {
                        assert!(example.get("page_token").is_none(), "{}: {example}", e.name);
                    }
                }
            }
        }
    }
}

fn terms() -> Vec<baike_v1::Term> {
    vec![baike_v1::Term::new("Lark".into(), baike_v1::DisplayStatus::new(true, true))]
}

#[tokio::test]
async fn every_baike_endpoint_answers_its_example_through_the_typed_client() {
    use baike_v1::*;
    let lark = FakeLark::start(&lark_client::PLATFORM, &[endpoints::ALL]).await;
    let baike = Client::new(lark.client());
    let entity = || EntityBody { description: Some("d".into()), ..EntityBody::new(terms()) };

    let classifications: Vec<Classification> = baike.classification().list().stream().try_collect().await.unwrap();
    assert_eq!(classifications[0].id.as_str(), "classification_id_1");
    let draft = DraftCreateBody { description: Some("d".into()), ..DraftCreateBody::new(terms()) };
    assert_eq!(
        baike.draft().create(draft).send().await.unwrap().draft.unwrap().draft_id.unwrap().as_str(),
        "draft_id_1"
    );
    let draft = DraftUpdateBody { rich_text: Some("<p>d</p>".into()), ..DraftUpdateBody::new(terms()) };
    baike.draft().update("5347".into(), draft).send().await.unwrap();
    assert_eq!(baike.entity().create(entity()).send().await.unwrap().entity.unwrap().main_keys[0].key, "key");
    baike.entity().update("enterprise_1".into(), entity()).send().await.unwrap();
    let got = baike.entity().get("enterprise_1").provider("星云").outer_id("1").send().await.unwrap();
    assert_eq!(got.entity.and_then(|e| e.outer_info).map(|o| o.provider), Some("provider".into()));
    assert_eq!(baike.entity().list().page_size(5).stream().try_collect::<Vec<_>>().await.unwrap().len(), 1);
    baike.entity().r#match(EntityMatchBody::new("Lark")).send().await.unwrap();
    let found: Vec<Entity> = baike.entity().search().stream().try_collect().await.unwrap();
    assert_eq!(found[0].id.as_ref().map(EntityId::as_str), Some("entity_id_1"));
    let phrases = baike.entity().highlight(EntityHighlightBody::new("Lark is here")).send().await.unwrap().phrases;
    assert_eq!(phrases.unwrap()[0].span, Span::new(1, 1));
    baike.entity().extract().send().await.unwrap();
    let uploaded =
        baike.file().upload(FileUploadForm::new("a.png".into(), vec![0u8; 4096].into())).send().await.unwrap();
    let file = baike.file().download(uploaded.file_token.unwrap()).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(&file[..], b"example file of baike.v1 file.download");

    let mut called: Vec<&str> = lark.requests().iter().filter_map(|r| r.endpoint.map(|e| e.name)).collect();
    let mut all: Vec<&str> = endpoints::ALL.iter().map(|e| e.name).collect();
    called.sort();
    all.sort();
    assert_eq!(called, all, "each endpoint once");
    lark.assert_no_violations();
}

#[tokio::test]
async fn every_lingo_endpoint_answers_its_example_through_the_typed_client() {
    use lingo_v1::*;
    let lark = FakeLark::start(&lark_client::PLATFORM, &[endpoints::ALL]).await;
    let lingo = Client::new(lark.client());
    let terms = || vec![Term::new("Lark".into(), DisplayStatus::new(true, true))];
    let entity = || EntityBody { description: Some("d".into()), ..EntityBody::new(terms()) };

    lingo.classification().list().stream().try_collect::<Vec<_>>().await.unwrap();
    let draft = DraftCreateBody { description: Some("d".into()), ..DraftCreateBody::new(terms()) };
    lingo.draft().create(draft).send().await.unwrap();
    let draft = DraftUpdateBody { description: Some("d".into()), ..DraftUpdateBody::new(terms()) };
    lingo.draft().update("5347".into(), draft).send().await.unwrap();
    lingo.entity().create(entity()).send().await.unwrap();
    lingo.entity().update("enterprise_1".into(), entity()).send().await.unwrap();
    lingo.entity().delete("enterprise_1").send().await.unwrap();
    lingo.entity().get("enterprise_1").send().await.unwrap();
    lingo.entity().list().stream().try_collect::<Vec<_>>().await.unwrap();
    lingo.entity().r#match(EntityMatchBody::new("Lark")).send().await.unwrap();
    lingo.entity().search().stream().try_collect::<Vec<_>>().await.unwrap();
    lingo.entity().highlight(EntityHighlightBody::new("Lark is here")).send().await.unwrap();
    let uploaded =
        lingo.file().upload(FileUploadForm::new("a.png".into(), vec![0u8; 4096].into())).send().await.unwrap();
    lingo.file().download(uploaded.file_token.unwrap()).send().await.unwrap().bytes().await.unwrap();
    lingo.repo().list().send().await.unwrap();

    let mut called: Vec<&str> = lark.requests().iter().filter_map(|r| r.endpoint.map(|e| e.name)).collect();
    let mut all: Vec<&str> = endpoints::ALL.iter().map(|e| e.name).collect();
    called.sort();
    all.sort();
    assert_eq!(called, all, "each endpoint once");
    lark.assert_no_violations();
}

#[tokio::test]
async fn a_declared_error_set_on_the_fake_is_the_endpoint_s_typed_error() {
    use baike_v1::*;
    let lark = FakeLark::start(&lark_client::PLATFORM, &[endpoints::ALL]).await;
    lark.on(&endpoints::DRAFT_UPDATE).fail(1540100, "draft has been reviewed and cannot be edited");
    let draft = DraftUpdateBody { description: Some("d".into()), ..DraftUpdateBody::new(terms()) };
    let err = Client::new(lark.client()).draft().update("5347".into(), draft).send().await.unwrap_err();
    let DraftUpdateError::DraftReviewed(api) = &err else { panic!("got {err:?}") };
    assert_eq!((api.http_status, api.spec.map(|s| s.name)), (403, Some("DraftReviewed")));
}
