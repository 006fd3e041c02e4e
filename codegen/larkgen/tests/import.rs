//! `larkgen import` on two versions of one metadata document (tests/import/v1.yaml and
//! v2.yaml) with one overlay (tests/import/overlay.yaml): the specs check, the curation
//! survives the second import, and `diff` tells what the new version breaks.

use std::collections::BTreeMap;

use larkgen::diff::{Impact, Semver};
use larkgen::import::{ImportedService, import};

const PLATFORM: &str = include_str!("../../../spec/platform.yaml");
const V1: &str = include_str!("import/v1.yaml");
const V2: &str = include_str!("import/v2.yaml");
const OVERLAY: &str = include_str!("import/overlay.yaml");

fn imported(metadata: &str, overlay: Option<&str>) -> (ImportedService, Vec<larkgen::import::LeftOut>) {
    let overlays: BTreeMap<String, String> =
        overlay.map(|o| ("demo-v1.yaml".to_owned(), o.to_owned())).into_iter().collect();
    let out = import(&[("demo.yaml".to_owned(), metadata.to_owned())], PLATFORM, &overlays)
        .unwrap_or_else(|d| panic!("{}", d.render_plain()));
    assert!(out.overlay_errors.is_empty(), "{:?}", out.overlay_errors);
    assert_eq!(out.services.len(), 1);
    (out.services[0].clone(), out.left_out)
}

fn api(service: &ImportedService) -> larkgen::ir::Api {
    let checked = larkgen::check_sources(&[(&service.file_name, &service.text), ("platform.yaml", PLATFORM)]);
    // Not even a warning: an operation without error mappings gets `errors: []`.
    assert!(checked.diagnostics.0.is_empty(), "{}\n{}", checked.diagnostics.render_plain(), service.text);
    checked.api.expect("checked")
}

/// The curation of overlay.yaml, as it must read in any import it is merged into.
fn assert_curated(text: &str) {
    for kept in [
        "title: Demo v1 (notes)",
        "description: Notes, curated in English.",
        "summary: Create a note.",
        "summary: Get a note.",
        "description: The note's title.",
        "max_length: 100",
        "at_least_one_of:\n  - body\n  - tags",
        "description: Which kind of user id the answer carries.",
        "- name: NoteId\n  newtype: string",
        "- name: InvalidParam\n  code: 1990001",
        "hint: Check the request against the docs.",
    ] {
        assert!(text.contains(kept), "lost `{kept}`:\n{text}");
    }
    assert!(text.contains("  - name: note_id\n    in: path\n    type: NoteId"), "{text}");
    assert!(!text.contains("create_time"), "the overlay removes `create_time`:\n{text}");
}

#[test]
fn the_metadata_alone_gives_a_spec_that_checks_with_every_fact_of_it() {
    let (service, left_out) = imported(V1, None);
    assert_eq!(service.file_name, "demo-v1.yaml");
    assert_eq!((service.operations, service.endpoints), (4, 3));
    let api = api(&service);
    let demo = &api.services[0];
    let create = demo.endpoints.iter().find(|e| e.name == "note.create").expect("note.create");
    assert_eq!((create.per_second, create.per_minute), (Some(50), Some(1000)), "tier 4 is confirmed");
    assert_eq!(create.scopes, ["demo:note"]);
    assert_eq!(create.field_scopes.len(), 1, "the employee-id scope, when user_id_type=user_id");
    let names: Vec<&str> = create.errors.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, ["InvalidParam", "Code1990002"], "named from the message, else from the code");
    let get = demo.endpoints.iter().find(|e| e.name == "note.get").expect("note.get");
    assert_eq!((get.per_second, get.per_minute), (None, None), "tier 7 has no confirmed numbers");
    assert!(service.text.contains("tier 7 of the official metadata; its numbers are UNVERIFIED"));
    assert!(service.text.contains("type: i64_string"), "string/int64 is an i64 carried as a string");
    assert_eq!(left_out.len(), 1);
    assert_eq!(left_out[0].operation_id, "demo_app_token_create");
    assert!(left_out[0].reason.contains("app_access_token"), "{}", left_out[0].reason);
}

#[test]
fn the_overlay_is_merged_into_the_import() {
    let (service, _) = imported(V1, Some(OVERLAY));
    api(&service);
    assert_curated(&service.text);
    assert!(service.text.contains("merged with spec/overlay/demo-v1.yaml"));
}

#[test]
fn the_curation_survives_the_import_of_a_newer_metadata_version() {
    let (service, _) = imported(V2, Some(OVERLAY));
    api(&service);
    assert_curated(&service.text);
    // …and the new version's facts are in: a required query parameter, a field, a new text.
    assert!(service.text.contains("- name: folder_token\n    in: query\n    type: string\n    required: true"));
    assert!(service.text.contains("- name: color"));
    assert!(service.text.contains("version: \"1.0.0+bbbb\""));
    assert!(!service.text.contains("note.delete"), "gone from the metadata, gone from the spec");
}

#[test]
fn a_re_import_is_deterministic() {
    assert_eq!(imported(V2, Some(OVERLAY)).0.text, imported(V2, Some(OVERLAY)).0.text);
}

#[test]
fn diff_of_the_two_imports_names_what_breaks_users() {
    let (old, _) = imported(V1, Some(OVERLAY));
    let (new, _) = imported(V2, Some(OVERLAY));
    let changes = larkgen::diff::diff(&api(&old), &api(&new));
    let breaking: Vec<&str> =
        changes.iter().filter(|c| c.impact == Impact::Breaking).map(|c| c.path.as_str()).collect();
    assert!(breaking.contains(&"demo_v1 / note.delete"), "{breaking:?}");
    assert!(breaking.iter().any(|p| p.ends_with("note.create / folder_token")), "{breaking:?}");
    assert_eq!(larkgen::diff::semver(&changes), Semver::Major);
}

#[test]
fn a_curated_endpoint_that_no_longer_checks_fails_the_import() {
    // The overlay names a field the metadata does not have in `at_least_one_of`.
    let broken = OVERLAY.replace("at_least_one_of: [body, tags]", "at_least_one_of: [body, colour]");
    let overlays = BTreeMap::from([("demo-v1.yaml".to_owned(), broken)]);
    let out = import(&[("demo.yaml".to_owned(), V1.to_owned())], PLATFORM, &overlays).expect("YAML");
    assert_eq!(out.overlay_errors.len(), 1, "{:?}", out.overlay_errors);
    let error = &out.overlay_errors[0];
    assert!(error.contains("note.create"), "{error}");
    // The check's whole diagnostic: where in the merged spec, what, and the hint.
    assert!(error.contains("--> demo-v1.yaml:") && error.contains("colour") && error.contains("help:"), "{error}");
}

#[test]
fn two_documents_with_one_service_version_are_refused() {
    let documents = [("a.yaml".to_owned(), V1.to_owned()), ("b.yaml".to_owned(), V2.to_owned())];
    let Err(diags) = import(&documents, PLATFORM, &BTreeMap::new()) else { panic!("two demo-v1.yaml files") };
    assert!(diags.render_plain().contains("both have paths of demo-v1.yaml"), "{}", diags.render_plain());
}

#[test]
fn the_whole_vendored_corpus_imports_and_checks() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../corpus/lark-openapi/openapi");
    let documents: Vec<(String, String)> = larkgen::spec_files(std::path::Path::new(dir))
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read_to_string(&p).expect("readable")))
        .collect();
    assert_eq!(documents.len(), 55);
    let out = import(&documents, PLATFORM, &BTreeMap::new()).unwrap_or_else(|d| panic!("{}", d.render_plain()));
    let endpoints: usize = out.services.iter().map(|s| s.endpoints).sum();
    assert_eq!(endpoints + out.left_out.len(), 1631, "every operation is imported or left out with a reason");
    assert!(endpoints * 100 >= 1631 * 95, "{endpoints} of 1631 imported");
}
