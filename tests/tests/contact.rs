//! Contact v3 (`spec/contact-v3.yaml`), every endpoint end to end over loopback HTTP:
//!
//! - the exact request: method, path, query (the id kinds; `user_ids` as one key per id, in
//!   order), the tenant token, no body;
//! - the example answers (`tests/fixtures/metadata/contact_*.json`, the official doc pages'
//!   examples) decode into the generated types without losing a field, with typed ids, enums
//!   and int64 strings;
//! - `find_by_department` pages through every member, resuming with the page token;
//! - documented bounds (1–50 ids, page size 1–50) refused before anything is sent;
//! - declared error codes come back as their endpoint's variants, others as `Unhandled`;
//! - the descriptors carry the tier-4 limits and the `user_id_type=user_id` field scope.

mod support;

use futures_util::TryStreamExt;
use lark_client::contact_v3::*;
use lark_client::runtime::serde::Serialize;
use lark_client::runtime::serde::de::DeserializeOwned;
use lark_client::runtime::{Error, FieldScope};
use serde_json::{Value, json};
use support::*;
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer};

const USERS: &str = "/open-apis/contact/v3/users";
const OPEN_ID: &str = "ou_7dab8a3d3cdcc9da365777c7ad535d62";
const DEPARTMENT: &str = "od-4e6ac4d14bcd5071a37a39de902c7141";

fn contact(base: &str) -> Client {
    Client::new(runtime(base))
}

/// A whole example answer (envelope included).
fn example(name: &str) -> Value {
    let file = format!("{}/fixtures/metadata/{name}.response.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"));
    serde_json::from_str(&text).expect("fixtures are JSON")
}

/// Decodes `data` of an example into `T`, checking that encoding it again gives it back whole.
fn lossless<T: DeserializeOwned + Serialize>(name: &str, decoded: &T) {
    let data = example(name)["data"].clone();
    let again: T = serde_json::from_value(data.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(serde_json::to_value(&again).expect("serializes"), data, "{name}: a field was lost or changed");
    assert_eq!(serde_json::to_value(decoded).expect("serializes"), data, "{name}: the call decoded something else");
}

/// The violations of a call refused before sending, as `(field, rule)`; checks that nothing
/// (not even a token request) reached the server.
async fn refused<T: std::fmt::Debug, E: std::fmt::Debug>(server: &MockServer, result: Result<T, E>) -> String {
    let err = format!("{:?}", result.expect_err("refused before sending"));
    assert!(err.contains("Validation"), "a validation error: {err}");
    assert!(server.received_requests().await.expect("recorded").is_empty(), "nothing reached the server");
    err
}

#[tokio::test]
async fn user_get_sends_the_id_and_its_kinds_and_decodes_the_example() {
    let server =
        server_with("GET", &format!("{USERS}/{OPEN_ID}"), lark_ok(example("contact_users_get")["data"].clone())).await;
    let data = contact(&server.uri())
        .user()
        .get(OPEN_ID)
        .user_id_type(UserIdType::OpenId)
        .department_id_type(DepartmentIdType::OpenDepartmentId)
        .send()
        .await
        .expect("decodes");

    let request = api_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(query(&request), pairs(&[("user_id_type", "open_id"), ("department_id_type", "open_department_id")]));
    assert_no_body(&request);

    lossless("contact_users_get", &data);
    let user = &data.user;
    assert_eq!(user.open_id, Some(OpenId::new(OPEN_ID)));
    assert_eq!(user.union_id, Some(UnionId::new("on_94a1ee5551019f18cd73d9f111898cf2")));
    assert_eq!(user.user_id, Some(UserId::new("3e3cf96b")));
    assert_eq!((user.name.as_deref(), user.en_name.as_deref()), (Some("张三"), Some("San Zhang")));
    assert_eq!(user.gender, Some(Gender::Male));
    assert_eq!(user.join_time, Some(2_147_483_647));
    assert_eq!(user.employee_type, Some(EmployeeType::Regular));
    assert_eq!(user.avatar_key.as_deref(), Some("2500c7a9-5fff-4d9a-a2de-3d59614ae28g"));
    assert_eq!(user.department_ids, Some(vec![DepartmentId::new(DEPARTMENT)]));
    assert_eq!(user.leader_user_id, Some(AnyUserId::new(OPEN_ID)));
    assert_eq!(user.status.as_ref().and_then(|s| s.is_activated), Some(true));
    let order = &user.orders.as_ref().expect("orders")[0];
    assert_eq!((order.user_order, order.is_primary_dept), (Some(100), Some(true)));
    let attr = &user.custom_attrs.as_ref().expect("custom_attrs")[0];
    assert_eq!(attr.r#type, Some(CustomAttrType::Text));
    assert_eq!(attr.value.as_ref().and_then(|v| v.option_id.as_deref()), Some("option"));
    let generic = attr.value.as_ref().and_then(|v| v.generic_user.as_ref()).expect("generic_user");
    assert_eq!((generic.id.as_str(), generic.r#type), ("9b2fabg5", 1));
    let seat = &user.assign_info.as_ref().expect("assign_info")[0];
    assert_eq!((seat.subscription_id, seat.start_time), (Some(7_079_609_167_680_782_300), Some(1_674_981_000)));
    let path = &user.department_path.as_ref().expect("department_path")[0];
    let ids = path.department_path.as_ref().and_then(|p| p.department_ids.clone());
    assert_eq!(ids, Some(vec![DepartmentId::new(DEPARTMENT)]));
}

#[tokio::test]
async fn an_unknown_gender_is_kept() {
    let mut data = example("contact_users_get")["data"].clone();
    data["user"]["gender"] = json!(7);
    let server = server_with("GET", &format!("{USERS}/{OPEN_ID}"), lark_ok(data)).await;
    let user = contact(&server.uri()).user().get(OPEN_ID).send().await.expect("decodes").user;
    assert_eq!(user.gender, Some(Gender::Unknown(7)));
    assert!(query(&api_request(&server).await).is_empty(), "unset kinds are not sent");
}

#[tokio::test]
async fn user_batch_sends_one_user_ids_key_per_id_in_order() {
    let answer = lark_ok(example("contact_users_batch")["data"].clone());
    let server = server_with("GET", &format!("{USERS}/batch"), answer).await;
    let ids = vec![AnyUserId::new("ou_b"), AnyUserId::new("ou_a"), AnyUserId::new("ou_c")];
    let data = contact(&server.uri()).user().batch(ids).user_id_type(UserIdType::UserId).send().await.expect("decodes");

    let request = api_request(&server).await;
    assert_eq!(request.url.query(), Some("user_ids=ou_b&user_ids=ou_a&user_ids=ou_c&user_id_type=user_id"));
    assert_no_body(&request);

    lossless("contact_users_batch", &data);
    let items = data.items.expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0].subscription_ids, Some(vec!["23213213213123123".to_owned()]));
    assert_eq!(items[0].is_frozen, Some(false));
    assert_eq!((items[0].name.as_deref(), items[0].mobile.as_deref()), (Some("张三"), Some("13011111111")));
}

#[tokio::test]
async fn user_batch_takes_one_to_fifty_ids() {
    let server = MockServer::start().await;
    let client = contact(&server.uri());
    let many: Vec<AnyUserId> = (0..51).map(|i| AnyUserId::new(format!("ou_{i}"))).collect();
    let err = refused(&server, client.user().batch(many).send().await).await;
    assert!(err.contains("user_ids") && err.contains("51"), "{err}");
    let err = refused(&server, client.user().batch(Vec::new()).send().await).await;
    assert!(err.contains("user_ids"), "{err}");
}

#[tokio::test]
async fn find_by_department_pages_through_every_member() {
    let server = MockServer::start().await;
    mount_token(&server, TENANT_TOKEN, 1).await;
    let first = example("contact_users_find_by_department")["data"].clone();
    let token = first["page_token"].as_str().expect("a page token").to_owned();
    let route = format!("{USERS}/find_by_department");
    Mock::given(method("GET"))
        .and(path(route.as_str()))
        .and(header("authorization", format!("Bearer {TENANT_TOKEN}")))
        .and(query_param_is_missing("page_token"))
        .respond_with(lark_ok(first))
        .expect(1)
        .mount(&server)
        .await;
    let last = json!({ "has_more": false, "items": [{ "open_id": "ou_last", "name": "李四" }] });
    Mock::given(method("GET"))
        .and(path(route.as_str()))
        .and(query_param("page_token", token.as_str()))
        .respond_with(lark_ok(last))
        .expect(1)
        .mount(&server)
        .await;

    let users: Vec<User> = contact(&server.uri())
        .user()
        .find_by_department("0")
        .department_id_type(DepartmentIdType::DepartmentId)
        .page_size(50)
        .stream()
        .try_collect()
        .await
        .expect("both pages");
    let names: Vec<_> = users.iter().map(|u| u.name.as_deref().unwrap_or_default()).collect();
    assert_eq!(names, ["John", "李四"]);

    let requests = api_requests(&server).await;
    assert_eq!(requests.len(), 2);
    let base = [("department_id_type", "department_id"), ("department_id", "0"), ("page_size", "50")];
    assert_eq!(query(&requests[0]), pairs(&base));
    let mut resumed = base.to_vec();
    resumed.push(("page_token", token.as_str()));
    assert_eq!(query(&requests[1]), pairs(&resumed));
}

#[tokio::test]
async fn find_by_department_decodes_a_page() {
    let data = example("contact_users_find_by_department")["data"].clone();
    let server = server_with("GET", &format!("{USERS}/find_by_department"), lark_ok(data)).await;
    let page = contact(&server.uri()).user().find_by_department(DEPARTMENT).send().await.expect("decodes");
    lossless("contact_users_find_by_department", &page);
    assert_eq!(page.has_more, Some(true));
    assert_eq!(query(&api_request(&server).await), pairs(&[("department_id", DEPARTMENT)]));
}

#[tokio::test]
async fn page_sizes_outside_1_to_50_are_refused() {
    let server = MockServer::start().await;
    let client = contact(&server.uri());
    for (size, rule) in [(0, "min = 1"), (51, "max = 50")] {
        let err = refused(&server, client.user().find_by_department("0").page_size(size).send().await).await;
        assert!(err.contains("page_size") && err.contains(rule), "{size}: {err}");
    }
}

#[tokio::test]
async fn declared_errors_are_typed_per_endpoint() {
    let server = failing(USERS, 400, 41050).await;
    let err = contact(&server.uri()).user().get(OPEN_ID).send().await.expect_err("fails");
    assert!(matches!(err, UserGetError::NoUserAuthority(_)), "{err:?}");
    assert_eq!((err.code(), err.log_id()), (Some(41050), Some("log-err")));

    let server = failing(USERS, 400, 40011).await;
    let err = contact(&server.uri()).user().find_by_department("0").send().await.expect_err("fails");
    assert!(matches!(err, UserFindByDepartmentError::PageSizeTooLarge(_)), "{err:?}");

    let server = failing(USERS, 403, 40004).await;
    let err = contact(&server.uri()).user().batch(vec![OPEN_ID.into()]).send().await.expect_err("fails");
    assert!(matches!(err, UserBatchError::NoDeptAuthority(_)), "{err:?}");

    // 41012 is declared by `get` only: `batch` keeps it, code and all, in the catch-all.
    let server = failing(USERS, 400, 41012).await;
    let err = contact(&server.uri()).user().batch(vec![OPEN_ID.into()]).send().await.expect_err("fails");
    assert!(matches!(&err, UserBatchError::Unhandled(Error::Api(api)) if api.code == 41012), "{err:?}");
}

#[test]
fn descriptors_carry_the_tier_4_limits_and_the_user_id_field_scope() {
    let employee_id =
        FieldScope { scope: "contact:user.employee_id:readonly", param: "user_id_type", equals: "user_id" };
    for e in [&endpoints::USER_GET, &endpoints::USER_BATCH, &endpoints::USER_FIND_BY_DEPARTMENT] {
        assert_eq!((e.limits.per_second, e.limits.per_minute), (Some(50), Some(1000)), "{}", e.name);
        assert_eq!(e.field_scopes, [employee_id], "{}", e.name);
        assert!(e.scopes.contains(&"contact:contact.base:readonly"), "{}", e.name);
    }
    assert!(endpoints::USER_FIND_BY_DEPARTMENT.paginated);
}
