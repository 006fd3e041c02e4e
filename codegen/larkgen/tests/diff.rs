//! `larkgen::diff`: one small edit of a spec per rule, and what it is weighed as.

use larkgen::diff::{Change, ChangeKind, Impact, Rule, Semver, diff, semver};
use larkgen::ir::Api;

const PLATFORM: &str = include_str!("fixtures/platform.yaml");

/// A small service with what the rules look at: a path and a query parameter, a request body,
/// a response object, an enum, an error table.
const BASE: &str = r#"service: { name: shop, version: v1, title: Shop, platform: platform.yaml }
errors:
  - { name: InvalidParam, code: 1000001, http: 400, message: invalid param, hint: Check the request. }
  - { name: NotFound, code: 1000002, http: 404, message: not found, hint: Check the id. }
types:
  - { name: ItemId, description: Id of an item., newtype: string }
  - name: Color
    description: A color.
    enum: string
    values:
      - { value: red, description: Red. }
      - { value: blue, description: Blue. }
  - name: Item
    description: An item.
    fields:
      - { name: id, type: ItemId, required: true, description: Id. }
      - { name: title, type: string, required: true, description: Title. }
      - { name: color, type: Color, description: Color. }
      - { name: stock, type: i64, description: Items in stock. }
  - name: ItemBody
    description: A new item.
    fields:
      - { name: title, type: string, required: true, description: Title., max_length: 64 }
      - { name: note, type: string, description: A note. }
endpoints:
  - name: item.get
    summary: Get an item.
    doc: https://example.com/item/get
    method: GET
    path: /open-apis/shop/v1/items/{item_id}
    tokens: [tenant]
    limits: { per_second: 10 }
    scopes: { any_of: ["shop:item:readonly"] }
    params:
      - { name: item_id, in: path, type: ItemId, required: true, description: Id. }
      - { name: lang, in: query, type: string, description: Language. }
    response: { kind: json, type: Item }
    errors: [InvalidParam, NotFound]
  - name: item.create
    summary: Create an item.
    doc: https://example.com/item/create
    method: POST
    path: /open-apis/shop/v1/items
    tokens: [tenant]
    request: { kind: json, type: ItemBody, required: true }
    response: { kind: json, type: Item }
    errors: [InvalidParam]
"#;

fn api(service: &str) -> Api {
    let checked = larkgen::check_sources(&[("shop.yaml", service), ("platform.yaml", PLATFORM)]);
    assert!(!checked.diagnostics.has_errors(), "{:?}", checked.diagnostics);
    checked.api.expect("checked")
}

/// The base spec with `from` replaced by `to` (which must be in it).
fn edited(edits: &[(&str, &str)]) -> String {
    edits.iter().fold(BASE.to_owned(), |text, (from, to)| {
        assert!(text.contains(from), "`{from}` is not in the spec");
        text.replacen(from, to, 1)
    })
}

/// The changes from the base spec to the base spec with the edits.
fn changes_after(edits: &[(&str, &str)]) -> Vec<Change> {
    diff(&api(BASE), &api(&edited(edits)))
}

/// The one change of `rule`, checked to have the impact and path expected.
fn the(changes: &[Change], rule: Rule, impact: Impact, path: &str) -> Change {
    let found: Vec<&Change> = changes.iter().filter(|c| c.rule == rule).collect();
    assert_eq!(found.len(), 1, "one {rule:?} expected in {changes:#?}");
    assert_eq!((found[0].impact, found[0].path.as_str()), (impact, path), "{changes:#?}");
    found[0].clone()
}

#[test]
fn identical_specs_have_no_changes() {
    let changes = changes_after(&[]);
    assert_eq!(changes, []);
    assert_eq!(semver(&changes), Semver::None);
}

#[test]
fn a_removed_endpoint_is_breaking() {
    let spec = edited(&[]);
    let cut = &spec[..spec.find("  - name: item.create").expect("there")];
    let changes = diff(&api(&spec), &api(cut));
    let c = the(&changes, Rule::EndpointRemoved, Impact::Breaking, "shop_v1 / item.create");
    assert_eq!(c.kind, ChangeKind::Removed);
    assert!(c.description.contains("POST /open-apis/shop/v1/items"), "{}", c.description);
    assert_eq!(semver(&changes), Semver::Major);
    // The other way round, it is an addition, and the only change.
    let changes = diff(&api(cut), &api(&spec));
    the(&changes, Rule::EndpointAdded, Impact::Additive, "shop_v1 / item.create");
    assert_eq!(changes.len(), 1, "{changes:#?}");
    assert_eq!(semver(&changes), Semver::Minor);
}

const LANG: &str = "{ name: lang, in: query, type: string, description: Language. }";

#[test]
fn a_new_required_param_is_breaking() {
    let with = format!("{LANG}\n      - {{ name: region, in: query, type: string, required: true }}");
    let changes = changes_after(&[(LANG, &with)]);
    let c = the(&changes, Rule::InputAddedRequired, Impact::Breaking, "shop_v1 / item.get / region");
    assert!(c.description.contains("positional argument `region: String`"), "{}", c.description);
}

#[test]
fn a_new_optional_param_is_additive() {
    let with = format!("{LANG}\n      - {{ name: region, in: query, type: string }}");
    let changes = changes_after(&[(LANG, &with)]);
    the(&changes, Rule::InputAddedOptional, Impact::Additive, "shop_v1 / item.get / region");
    assert_eq!(semver(&changes), Semver::Minor);
}

#[test]
fn a_removed_param_is_breaking() {
    let changes = changes_after(&[(&format!("      - {LANG}\n"), "")]);
    the(&changes, Rule::InputRemoved, Impact::Breaking, "shop_v1 / item.get / lang");
}

#[test]
fn a_param_that_turns_required_or_optional_is_breaking() {
    let required = "{ name: lang, in: query, type: string, required: true, description: Language. }";
    let changes = changes_after(&[(LANG, required)]);
    the(&changes, Rule::InputNowRequired, Impact::Breaking, "shop_v1 / item.get / lang");
    // A required body that turns optional goes from positional argument to setter.
    let changes = changes_after(&[("type: ItemBody, required: true", "type: ItemBody, required: false")]);
    let c = the(&changes, Rule::InputNowOptional, Impact::Breaking, "shop_v1 / item.create / body");
    assert!(c.description.contains("positional argument → setter"), "{}", c.description);
}

#[test]
fn a_param_type_change_is_breaking() {
    let changes = changes_after(&[(LANG, "{ name: lang, in: query, type: Color, description: Language. }")]);
    let c = the(&changes, Rule::InputTypeChanged, Impact::Breaking, "shop_v1 / item.get / lang");
    assert!(c.description.contains("Option<String> → Option<Color>"), "{}", c.description);
}

#[test]
fn swapped_path_params_are_breaking() {
    let two = |path: &str| {
        edited(&[
            ("path: /open-apis/shop/v1/items/{item_id}", path),
            (LANG, "{ name: shelf, in: path, type: string, required: true }"),
        ])
    };
    let changes = diff(&api(&two("path: /a/{item_id}/{shelf}")), &api(&two("path: /a/{shelf}/{item_id}")));
    let c = the(&changes, Rule::ArgumentsReordered, Impact::Breaking, "shop_v1 / item.get");
    assert!(c.description.contains("(item_id, shelf) → (shelf, item_id)"), "{}", c.description);
}

#[test]
fn a_removed_response_field_is_breaking() {
    let changes = changes_after(&[("      - { name: stock, type: i64, description: Items in stock. }\n", "")]);
    let c = the(&changes, Rule::FieldRemoved, Impact::Breaking, "shop_v1 / Item / stock");
    assert_eq!(c.description, "field `stock: Option<i64>` removed");
}

#[test]
fn a_field_type_change_is_breaking_but_not_its_encoding() {
    let changes = changes_after(&[("{ name: stock, type: i64,", "{ name: stock, type: string,")]);
    let c = the(&changes, Rule::FieldTypeChanged, Impact::Breaking, "shop_v1 / Item / stock");
    assert!(c.description.contains("Option<i64> → Option<String>"), "{}", c.description);
    // `i64_string` is an `i64` in Rust too: only the wire changes.
    let changes = changes_after(&[("{ name: stock, type: i64,", "{ name: stock, type: i64_string,")]);
    the(&changes, Rule::WireChanged, Impact::Patch, "shop_v1 / Item / stock");
    assert_eq!(semver(&changes), Semver::Patch);
}

#[test]
fn a_field_that_turns_required_or_optional_is_breaking_for_readers_and_builders() {
    let changes = changes_after(&[("{ name: stock, type: i64,", "{ name: stock, type: i64, required: true,")]);
    let c = the(&changes, Rule::FieldNowRequired, Impact::Breaking, "shop_v1 / Item / stock");
    assert!(c.description.contains("in responses reads get `i64`"), "{}", c.description);
    let body_title = "{ name: title, type: string, required: true, description: Title., max_length: 64 }";
    let changes = changes_after(&[(body_title, "{ name: title, type: string, description: Title., max_length: 64 }")]);
    let c = the(&changes, Rule::FieldNowOptional, Impact::Breaking, "shop_v1 / ItemBody / title");
    assert!(c.description.contains("in requests `ItemBody::new(..)` loses `title`"), "{}", c.description);
    assert!(!c.description.contains("responses"), "ItemBody is only sent: {}", c.description);
}

/// Objects have public fields and no `#[non_exhaustive]`: a struct literal without `..` of
/// the old fields no longer compiles, so even an optional field breaks.
#[test]
fn a_new_field_is_breaking_because_objects_are_exhaustive() {
    let stock = "{ name: stock, type: i64, description: Items in stock. }";
    let changes = changes_after(&[(stock, &format!("{stock}\n      - {{ name: sold, type: i64 }}"))]);
    the(&changes, Rule::FieldAddedOptional, Impact::Breaking, "shop_v1 / Item / sold");
    let changes = changes_after(&[(stock, &format!("{stock}\n      - {{ name: sold, type: i64, required: true }}"))]);
    the(&changes, Rule::FieldAddedRequired, Impact::Breaking, "shop_v1 / Item / sold");
}

const BLUE: &str = "      - { value: blue, description: Blue. }\n";

#[test]
fn an_added_enum_value_is_additive_and_a_removed_one_breaking() {
    let changes = changes_after(&[(BLUE, &format!("{BLUE}      - {{ value: green, description: Green. }}\n"))]);
    let c = the(&changes, Rule::EnumValueAdded, Impact::Additive, "shop_v1 / Color / Green");
    assert!(Rule::EnumValueAdded.caution().is_some_and(|n| n.contains("Unknown")));
    assert_eq!(c.kind, ChangeKind::Added);
    let changes = changes_after(&[(BLUE, "")]);
    the(&changes, Rule::EnumValueRemoved, Impact::Breaking, "shop_v1 / Color / Blue");
}

#[test]
fn an_error_added_to_an_endpoint_is_additive_and_a_removed_one_breaking() {
    let changes = changes_after(&[("errors: [InvalidParam]\n", "errors: [InvalidParam, NotFound]\n")]);
    the(&changes, Rule::ErrorRefAdded, Impact::Additive, "shop_v1 / item.create / NotFound");
    assert_eq!(semver(&changes), Semver::Minor);
    let changes = changes_after(&[("errors: [InvalidParam, NotFound]", "errors: [InvalidParam]")]);
    the(&changes, Rule::ErrorRefRemoved, Impact::Breaking, "shop_v1 / item.get / NotFound");
}

#[test]
fn error_table_rows_added_removed_and_recoded() {
    let row = "  - { name: NotFound, code: 1000002,";
    let extra = "  - { name: Gone, code: 1000003, http: 410, message: gone, hint: Gone. }\n";
    let changes = changes_after(&[(row, &format!("{extra}{row}"))]);
    the(&changes, Rule::ErrorRowAdded, Impact::Additive, "shop_v1 / errors / Gone");
    let changes = changes_after(&[(row, "  - { name: NotFound, code: 1000009,")]);
    let c = the(&changes, Rule::ErrorRowChanged, Impact::Patch, "shop_v1 / errors / NotFound");
    assert_eq!(c.description, "code 1000002 → 1000009");
}

#[test]
fn a_limit_change_is_patch() {
    let changes = changes_after(&[("limits: { per_second: 10 }", "limits: { per_second: 5, per_minute: 100 }")]);
    let c = the(&changes, Rule::LimitsChanged, Impact::Patch, "shop_v1 / item.get");
    assert_eq!(c.description, "limits 10/s → 5/s 100/min");
    assert_eq!(semver(&changes), Semver::Patch);
}

#[test]
fn tighter_constraints_are_patch_with_a_caution() {
    let changes = changes_after(&[("max_length: 64 }", "max_length: 32, min_length: 1 }")]);
    let c = the(&changes, Rule::ConstraintTightened, Impact::Patch, "shop_v1 / ItemBody / title");
    assert_eq!(c.description, "min_length none → 1, max_length 64 → 32");
    assert_eq!(Rule::ConstraintTightened.caution(), Some("may refuse calls that passed"));
    let changes = changes_after(&[("max_length: 64 }", "max_length: 128 }")]);
    the(&changes, Rule::ConstraintLoosened, Impact::Patch, "shop_v1 / ItemBody / title");
}

#[test]
fn description_changes_are_counted_per_item_not_printed() {
    let changes = changes_after(&[
        ("summary: Get an item.", "summary: Get one item by id."),
        ("type: string, description: Language. }", "type: string, description: Language of the answer. }"),
    ]);
    let c = the(&changes, Rule::DocsChanged, Impact::Patch, "shop_v1 / item.get");
    assert_eq!(c.description, "2 doc texts changed: summary, lang description");
    assert_eq!(changes.len(), 1, "{changes:#?}");
}

#[test]
fn token_changes_weigh_by_what_the_builder_takes() {
    let both = changes_after(&[("tokens: [tenant]\n    limits", "tokens: [tenant, user]\n    limits")]);
    the(&both, Rule::UserTokenSetterAdded, Impact::Additive, "shop_v1 / item.get");
    let user_only = changes_after(&[("tokens: [tenant]\n    limits", "tokens: [user]\n    limits")]);
    let c = the(&user_only, Rule::UserTokenInputChanged, Impact::Breaking, "shop_v1 / item.get");
    assert!(c.description.contains("positional `user_access_token`"), "{}", c.description);
}

#[test]
fn a_response_type_change_is_breaking() {
    let changes = changes_after(&[(
        "response: { kind: json, type: Item }\n    errors: [InvalidParam]\n",
        "response: { kind: empty }\n    errors: [InvalidParam]\n",
    )]);
    let c = the(&changes, Rule::ResponseChanged, Impact::Breaking, "shop_v1 / item.create");
    assert_eq!(c.description, "`send()` returns Item → ()");
}

#[test]
fn a_removed_service_is_breaking() {
    let old = api(BASE);
    let mut new = old.clone();
    new.services.clear();
    let changes = diff(&old, &new);
    the(&changes, Rule::ServiceRemoved, Impact::Breaking, "shop_v1");
    assert_eq!(changes.len(), 1, "nothing inside a removed service is listed: {changes:#?}");
}

#[test]
fn changes_come_in_a_fixed_order() {
    let edits = [
        ("type: ItemBody, required: true", "type: ItemBody, required: false"),
        (LANG, "{ name: lang, in: query, type: Color, description: Language. }"),
        ("      - { name: stock, type: i64, description: Items in stock. }\n", ""),
        ("limits: { per_second: 10 }", "limits: { per_second: 5 }"),
    ];
    let paths: Vec<String> = changes_after(&edits).into_iter().map(|c| c.path).collect();
    assert_eq!(
        paths,
        ["shop_v1 / item.create / body", "shop_v1 / item.get / lang", "shop_v1 / item.get", "shop_v1 / Item / stock"]
    );
    let reversed: Vec<(&str, &str)> = edits.iter().rev().copied().collect();
    assert_eq!(changes_after(&reversed).into_iter().map(|c| c.path).collect::<Vec<_>>(), paths);
}

#[test]
fn diff_files_reports_spec_errors_of_either_side() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("platform.yaml"), PLATFORM).expect("write");
    std::fs::write(dir.path().join("good.yaml"), BASE).expect("write");
    std::fs::write(dir.path().join("bad.yaml"), BASE.replace("method: GET", "method: FETCH")).expect("write");
    let (good, bad) = (vec![dir.path().join("good.yaml")], vec![dir.path().join("bad.yaml")]);
    let errors = larkgen::diff_files(&good, &bad, dir.path()).expect_err("bad spec");
    assert!(errors.0.iter().all(|d| d.file == "bad.yaml"), "{errors:?}");
    assert_eq!(larkgen::diff_files(&good, &good, dir.path()).expect("same"), []);
}

/// docs/diff.md has a row for every rule, with its impact.
#[test]
fn every_rule_is_documented() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/diff.md")).expect("docs/diff.md");
    for rule in Rule::ALL {
        let row = format!("| `{}` | {} |", rule.id(), rule.impact().as_str());
        assert!(doc.contains(&row), "docs/diff.md lacks the row starting `{row}`");
    }
}
