//! The tolerant pass over `json_object!` types: which field becomes `None`, which path and
//! words are reported, and that a required field still fails.

use serde::Deserialize;
use serde_json::{Value, json};

use super::tolerant;
use crate::mismatch::Mismatch;

#[derive(Debug, PartialEq)]
struct Image {
    token: String,
}
crate::json_object!(Image { token = "token" required, });

#[derive(Debug, PartialEq, Default)]
struct Meta {
    images: Option<Vec<Image>>,
    tags: Option<Vec<String>>,
}
crate::json_object!(Meta { images = "images" optional, tags = "tags" optional, });

#[derive(Debug, PartialEq)]
struct Entity {
    id: Option<String>,
    keys: Vec<String>,
    create_time: Option<String>,
    count: Option<i32>,
    meta: Option<Meta>,
}
crate::json_object!(Entity {
    id = "id" optional,
    keys = "keys" required,
    create_time = "create_time" optional,
    count = "count" optional,
    meta = "meta" optional,
});

#[derive(Debug, PartialEq)]
struct Data {
    entity: Entity,
    items: Option<Vec<Entity>>,
}
crate::json_object!(Data { entity = "entity" required, items = "items" optional, });

fn decode<T: super::FromJson + Send + 'static>(data: &Value) -> Result<(T, Vec<Mismatch>), super::Failure> {
    tolerant::<T>(super::Tree::deserialize(data.clone()).expect("any JSON is a tree"))
}

fn tolerant_data(data: Value) -> (Data, Vec<Mismatch>) {
    decode::<Data>(&data).expect("decodes tolerantly")
}

fn brief(m: &Mismatch) -> (&str, &str, &str, &str) {
    (&m.field, &m.path, &m.expected, &m.found)
}

#[test]
fn a_mistyped_optional_field_is_none_and_the_rest_is_kept() {
    let (data, found) =
        tolerant_data(json!({ "entity": { "id": "e1", "keys": ["a"], "create_time": 1700000000000u64, "count": 3 } }));
    assert_eq!(data.entity.id.as_deref(), Some("e1"));
    assert_eq!((data.entity.create_time, data.entity.count), (None, Some(3)));
    let [m] = found.as_slice() else { panic!("{found:?}") };
    assert_eq!(brief(m), ("entity.create_time", "entity.create_time", "a string", "integer `1700000000000`"));
    assert_eq!(m.raw, json!(1700000000000u64));
}

#[test]
fn a_mismatch_deep_inside_makes_the_nearest_optional_field_none() {
    let data =
        json!({ "entity": { "keys": [], "meta": { "images": [{ "token": "t1" }, { "token": 7 }], "tags": ["x"] } } });
    let (data, found) = tolerant_data(data);
    let meta = data.entity.meta.expect("meta itself matched but for its images");
    assert_eq!((meta.images, meta.tags), (None, Some(vec!["x".to_owned()])));
    let [m] = found.as_slice() else { panic!("{found:?}") };
    assert_eq!(brief(m), ("entity.meta.images", "entity.meta.images[1].token", "a string", "integer `7`"));
    assert_eq!(m.raw, json!([{ "token": "t1" }, { "token": 7 }]), "the caller can still reach the whole field");
}

#[test]
fn a_missing_required_field_inside_an_optional_one_is_named() {
    let (data, found) = tolerant_data(json!({ "entity": { "keys": [], "meta": { "images": [{}] } } }));
    assert_eq!(data.entity.meta, Some(Meta::default()));
    let [m] = found.as_slice() else { panic!("{found:?}") };
    assert_eq!(m.path, "entity.meta.images[0].token");
    assert_eq!(m.found, "nothing: the field is absent");
}

#[test]
fn every_mismatch_is_reported_with_list_indexes_in_paths() {
    let item = |count: Value| json!({ "keys": ["k"], "count": count });
    let data = json!({ "entity": { "keys": [] }, "items": [item(json!(1)), item(json!("two")), item(json!(1e3))] });
    let (data, found) = tolerant_data(data);
    let counts: Vec<_> = data.items.expect("items kept").iter().map(|e| e.count).collect();
    assert_eq!(counts, vec![Some(1), None, None]);
    let paths: Vec<_> = found.iter().map(|m| (m.path.as_str(), m.found.as_str())).collect();
    assert_eq!(paths, vec![("items[1].count", "string \"two\""), ("items[2].count", "floating point `1000.0`")]);
}

#[test]
fn a_mistyped_required_field_fails_with_its_path_and_words() {
    let failure = decode::<Data>(&json!({ "entity": { "keys": ["a", 2] } })).expect_err("keys is required");
    assert_eq!(failure.detail().path, "entity.keys[1]");
    assert_eq!((failure.detail().expected.as_str(), failure.detail().found.as_str()), ("a string", "integer `2`"));
    let failure = decode::<Data>(&json!({ "entity": { "id": "e1" } })).expect_err("keys is missing");
    assert_eq!(failure.detail().path, "entity.keys");
    let failure = decode::<Data>(&json!({ "entity": null })).expect_err("entity is null");
    assert_eq!((failure.detail().path.as_str(), failure.detail().found.as_str()), ("entity", "null"));
}

#[test]
fn a_required_failure_inside_an_optional_list_drops_only_that_list() {
    let (data, found) = tolerant_data(json!({ "entity": { "keys": [] }, "items": [{ "keys": "not a list" }] }));
    assert_eq!(data.items, None);
    assert_eq!(brief(&found[0]), ("items", "items[0].keys", "a sequence", "string \"not a list\""));
}

#[test]
fn the_strict_decoding_fails_where_the_tolerant_one_leaves_out() {
    let _ = tolerant_data(json!({ "entity": { "keys": [], "count": "x" } }));
    let strict = serde_json::from_value::<Data>(json!({ "entity": { "keys": [], "count": "x" } }));
    assert!(strict.is_err(), "the strict decoding every call tries first still fails");
}

#[test]
fn a_long_found_value_is_cut_in_the_report_but_whole_in_raw() {
    let long = "x".repeat(1000);
    let (_, found) = tolerant_data(json!({ "entity": { "keys": [], "count": long } }));
    assert!(found[0].found.chars().count() < 130, "{}", found[0].found);
    assert_eq!(found[0].raw, json!(long));
}

#[derive(Debug, PartialEq)]
struct Stamped {
    id: i64,
    at: Option<i64>,
}
crate::json_object!(Stamped { id = "id" required as_string, at = "at" optional as_string, });

#[test]
fn an_int64_as_string_field_is_tolerated_like_any_other() {
    let (value, found) = decode::<Stamped>(&json!({ "id": "17", "at": "soon" })).expect("at is optional");
    assert_eq!(value, Stamped { id: 17, at: None });
    assert_eq!((found[0].path.as_str(), found[0].raw.clone()), ("at", json!("soon")));
    let (value, found) = decode::<Stamped>(&json!({ "id": 17, "at": "1700000000" })).expect("matches");
    assert_eq!((value.at, found.len()), (Some(1_700_000_000), 0));
    let failure = decode::<Stamped>(&json!({ "id": "x" })).expect_err("id is required");
    assert_eq!((failure.detail().path.as_str(), failure.detail().found.as_str()), ("id", "string \"x\""));
}

#[test]
fn the_tree_borrows_plain_strings_and_owns_escaped_ones() {
    let text = r#"{"a":"plain","b":"esc\"aped","n":[1,-2,3.5,18446744073709551615],"o":{},"z":null}"#;
    let tree: super::Tree<'_> = serde_json::from_str(text).expect("parses");
    let super::Tree::Object(members) = &tree else { panic!("{tree:?}") };
    let names: Vec<_> = members.iter().map(|(k, _)| k.as_ref()).collect();
    assert_eq!(names, ["a", "b", "n", "o", "z"], "members in the order sent");
    assert!(matches!(&members[0].1, super::Tree::String(std::borrow::Cow::Borrowed("plain"))));
    assert!(matches!(&members[1].1, super::Tree::String(std::borrow::Cow::Owned(s)) if s == "esc\"aped"));
    assert_eq!(tree.to_value(), serde_json::from_str::<Value>(text).expect("parses"));
}

#[test]
fn fields_are_found_in_any_order_and_the_first_of_twins_is_taken() {
    let (data, found) = tolerant_data(json!({ "items": [], "entity": { "count": 2, "keys": ["k"], "id": "e" } }));
    assert_eq!(
        (data.entity.id.as_deref(), data.entity.count, data.entity.keys),
        (Some("e"), Some(2), vec!["k".to_owned()])
    );
    assert!(found.is_empty());
    let twice = r#"{"entity":{"keys":[],"id":"first","id":"second"}}"#;
    let data: Data = serde_json::from_str(twice).expect("decodes");
    assert_eq!(data.entity.id.as_deref(), Some("first"));
}

#[test]
fn a_strict_failure_names_its_path() {
    let e = serde_json::from_value::<Data>(json!({ "entity": { "keys": ["a", 2] } })).unwrap_err().to_string();
    assert_eq!(e, "invalid type: integer `2`, expected a string at `entity.keys[1]`");
    let e = serde_json::from_value::<Data>(json!({ "entity": { "keys": [], "count": 1e3 } })).unwrap_err().to_string();
    assert_eq!(e, "invalid type: floating point `1000.0`, expected i32 at `entity.count`");
    let e = serde_json::from_value::<Data>(json!([])).unwrap_err().to_string();
    assert_eq!(e, "invalid type: sequence, expected a JSON object (Data)");
}
