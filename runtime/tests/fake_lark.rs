//! The fake Lark server of the `testing` feature, over real loopback HTTP with the runtime's
//! own client: tokens, example and set answers, errors, pages, downloads, throttling, request
//! checks and records. The descriptors are written by hand here, as the generator would.

use std::time::{Duration, Instant};

use larkgen_runtime::testing::{APP_SECRET, Auth, Body, FakeLark};
use larkgen_runtime::{
    AppType, BodyKind, Call, Client, Endpoint, Error, ErrorAction, ErrorSpec, FileSource, FormPart, Input, Limits,
    Method, Platform, ResponseKind, RetryPolicy, Sending, TokenKind,
};
use serde_json::{Value, json};

static PLATFORM: Platform = Platform {
    name: "lark",
    base_urls: &[("feishu", "https://open.feishu.cn")],
    tenant_token_path: "/open-apis/auth/v3/tenant_access_token/internal",
    refresh_margin_secs: 180,
    log_id_header: "X-Tt-Logid",
    errors: &[
        ErrorSpec {
            code: 99991400,
            name: "RateLimited",
            http_status: 429,
            message: "request trigger frequency limit",
            hint: "",
            retryable: true,
            action: ErrorAction::RateLimited,
        },
        ErrorSpec {
            code: 99991663,
            name: "AccessTokenInvalid",
            http_status: 400,
            message: "Invalid access token for authorization",
            hint: "",
            retryable: false,
            action: ErrorAction::RefreshToken,
        },
    ],
};

const REVIEWED: ErrorSpec = ErrorSpec {
    code: 1540100,
    name: "DraftReviewed",
    http_status: 403,
    message: "draft has been reviewed",
    hint: "",
    retryable: false,
    action: ErrorAction::None,
};

const fn endpoint(name: &'static str, method: Method, path: &'static str) -> Endpoint {
    Endpoint {
        service: "test.v1",
        name,
        summary: "",
        doc_url: "",
        method,
        path,
        token_kinds: &[TokenKind::Tenant, TokenKind::User],
        app_types: &[AppType::SelfBuilt],
        scopes: &[],
        field_scopes: &[],
        limits: Limits { per_second: None, per_minute: None },
        errors: &[REVIEWED],
        request: BodyKind::None,
        response: ResponseKind::Json,
        idempotent: true,
        paginated: false,
        inputs: &[],
        example: r#"{"item":{"id":"item_1","name":"name"}}"#,
    }
}

static GET: Endpoint = Endpoint {
    inputs: &[Input::path("item_id"), Input::query("user_id_type", false)],
    ..endpoint("item.get", Method::Get, "/open-apis/test/v1/items/{item_id}")
};
static SEARCH: Endpoint = Endpoint {
    inputs: &[Input::query("size", true)],
    ..endpoint("item.search", Method::Get, "/open-apis/test/v1/items/search")
};
static CREATE: Endpoint = Endpoint {
    request: BodyKind::Json,
    idempotent: false,
    inputs: &[Input::body("name", true), Input::body("note", false)],
    ..endpoint("item.create", Method::Post, "/open-apis/test/v1/items")
};
static LIST: Endpoint = Endpoint {
    paginated: true,
    inputs: &[Input::query("page_token", false)],
    example: r#"{"items":[]}"#,
    ..endpoint("item.list", Method::Get, "/open-apis/test/v1/items")
};
static UPLOAD: Endpoint = Endpoint {
    request: BodyKind::Multipart,
    inputs: &[Input::form("name", true), Input::form("file", true)],
    example: r#"{"file_token":"file_token_1"}"#,
    ..endpoint("file.upload", Method::Post, "/open-apis/test/v1/files")
};
static DOWNLOAD: Endpoint = Endpoint {
    response: ResponseKind::Binary,
    inputs: &[Input::path("file_token")],
    example: "",
    ..endpoint("file.download", Method::Get, "/open-apis/test/v1/files/{file_token}")
};
static USER_ONLY: Endpoint =
    Endpoint { token_kinds: &[TokenKind::User], ..endpoint("me.get", Method::Get, "/open-apis/test/v1/me") };
static ALL: &[&Endpoint] = &[&GET, &SEARCH, &CREATE, &LIST, &UPLOAD, &DOWNLOAD, &USER_ONLY];

async fn fake() -> FakeLark {
    FakeLark::start(&PLATFORM, &[ALL]).await
}

/// A client that sends each call once, so each test sees exactly the answers it set.
fn once(lark: &FakeLark) -> Client {
    lark.builder().retry(RetryPolicy::none()).build().expect("client builds")
}

fn get(id: &str) -> Call {
    let mut call = Call::new(&GET);
    call.path("item_id", id);
    call
}

fn api_error(result: Result<impl std::fmt::Debug, Error>) -> Box<larkgen_runtime::ApiError> {
    match result {
        Err(Error::Api(api)) => api,
        other => panic!("expected a Lark error, got {other:?}"),
    }
}

#[tokio::test]
async fn issues_one_token_and_answers_with_the_example() {
    let lark = fake().await;
    let client = lark.client();
    for id in ["a", "b"] {
        let data: Value = client.send_json(get(id)).await.expect("example answer");
        assert_eq!(data, json!({ "item": { "id": "item_1", "name": "name" } }));
    }
    assert_eq!(lark.tokens_issued(), 1, "the token is cached by the client");
    let sent = lark.requests_to(&GET);
    assert_eq!(sent.len(), 2);
    assert_eq!((sent[1].auth, sent[1].path_param("item_id")), (Auth::Tenant, Some("b")));
    lark.assert_no_violations();
}

#[tokio::test]
async fn wrong_app_credentials_get_no_token() {
    let lark = fake().await;
    let client = larkgen_runtime::Client::builder(&PLATFORM)
        .base_url(lark.uri())
        .app_credentials("cli_fake_app", "not-the-secret")
        .build()
        .expect("client builds");
    match client.send_json::<Value>(get("a")).await {
        Err(Error::Auth(auth)) => assert_eq!(auth.code, Some(10014)),
        other => panic!("expected an auth error, got {other:?}"),
    }
    assert_eq!(lark.tokens_issued(), 0);
    assert!(lark.requests().is_empty(), "no API request without a token");
}

#[tokio::test]
async fn a_set_reply_stands_and_a_one_time_answer_comes_first() {
    let lark = fake().await;
    let client = once(&lark);
    lark.on(&GET).reply(json!({ "item": { "id": "i-9" } }));
    lark.on(&GET).once().fail(1540100, "draft has been reviewed");
    let first = api_error(client.send_json::<Value>(get("x")).await);
    assert_eq!((first.http_status, first.code), (403, 1540100), "the status documented for the code");
    assert!(first.log_id.as_deref().is_some_and(|id| id.starts_with("fake-log-")), "{:?}", first.log_id);
    for _ in 0..2 {
        let data: Value = client.send_json(get("x")).await.expect("standing reply");
        assert_eq!(data["item"]["id"], "i-9");
    }
    lark.on(&GET).example();
    let data: Value = client.send_json(get("x")).await.expect("example again");
    assert_eq!(data["item"]["id"], "item_1");
}

#[tokio::test]
async fn an_answer_can_depend_on_the_request() {
    let lark = fake().await;
    let client = once(&lark);
    lark.on(&GET).reply_with(|r| match r.path_param("item_id") {
        Some("known") => Ok(json!({ "item": { "id": "known", "by": r.query("user_id_type") } })),
        _ => Err((1540100, "no such item".to_owned())),
    });
    let mut call = get("known");
    call.query("user_id_type", "open_id");
    let data: Value = client.send_json(call).await.expect("known item");
    assert_eq!(data["item"], json!({ "id": "known", "by": "open_id" }));
    let err = api_error(client.send_json::<Value>(get("other")).await);
    assert_eq!((err.http_status, err.code, err.msg.as_str()), (403, 1540100, "no such item"));
}

#[tokio::test]
async fn a_late_answer_times_the_call_out_and_the_retry_gets_it() {
    let lark = fake().await;
    lark.on(&GET).delay(Duration::from_secs(2));
    let policy = RetryPolicy::new().backoff(Duration::from_millis(5), Duration::from_millis(5));
    let client = lark.builder().timeout(Some(Duration::from_millis(300))).retry(policy).build().expect("client");
    let t0 = Instant::now();
    let data: Value = client.send_json(get("x")).await.expect("answered on the retry");
    assert_eq!(data["item"]["id"], "item_1");
    assert!(t0.elapsed() < Duration::from_secs(2), "the late answer was not awaited: {:?}", t0.elapsed());
    assert_eq!(lark.requests_to(&GET).len(), 2);
}

#[tokio::test]
async fn undeclared_codes_fail_with_400_or_the_status_given() {
    let lark = fake().await;
    let client = once(&lark);
    lark.on(&GET).fail(1234567, "something else");
    assert_eq!(api_error(client.send_json::<Value>(get("x")).await).http_status, 400);
    lark.on(&GET).fail_with_status(500, 1540002, "network anomaly");
    let err = api_error(client.send_json::<Value>(get("x")).await);
    assert_eq!((err.http_status, err.code, err.msg.as_str()), (500, 1540002, "network anomaly"));
}

#[tokio::test]
async fn pages_carry_page_tokens_and_has_more_until_the_last() {
    let lark = fake().await;
    let client = lark.client();
    lark.on(&LIST).pages([json!({ "items": [1, 2] }), json!({ "items": [3] }), json!({ "items": [] })]);
    let mut token: Option<String> = None;
    let mut seen = Vec::new();
    loop {
        let mut call = Call::new(&LIST);
        call.query_opt("page_token", token.as_ref());
        let page: Value = client.send_json(call).await.expect("page");
        seen.push((page["items"].clone(), page["has_more"].clone()));
        token = page["page_token"].as_str().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    assert_eq!(
        seen,
        [(json!([1, 2]), json!(true)), (json!([3]), json!(true)), (json!([]), json!(false))],
        "three pages, in order"
    );
    let tokens: Vec<Option<String>> =
        lark.requests_to(&LIST).iter().map(|r| r.query("page_token").map(str::to_owned)).collect();
    assert_eq!(tokens, [None, Some("fake-page-2".into()), Some("fake-page-3".into())]);
    lark.assert_no_violations();
}

#[tokio::test]
async fn a_page_token_it_did_not_hand_out_is_a_violation() {
    let lark = fake().await;
    lark.on(&LIST).pages([json!({ "items": [1] })]);
    let mut call = Call::new(&LIST);
    call.query("page_token", "fake-page-2");
    let err = api_error(once(&lark).send_json::<Value>(call).await);
    assert_eq!((err.http_status, err.code), (400, 99992402));
    assert_eq!(err.field_violations[0].subject, "page_token");
    assert_eq!(lark.violations().len(), 1);
}

#[tokio::test]
async fn downloads_answer_the_bytes_set_or_example_bytes() {
    let lark = fake().await;
    let client = lark.client();
    let mut call = Call::new(&DOWNLOAD);
    call.path("file_token", "box1");
    let example = client.send_download(call.clone()).await.expect("download").bytes().await.expect("bytes");
    assert_eq!(&example[..], b"example file of test.v1 file.download");
    lark.on(&DOWNLOAD).download(vec![7u8; 100_000]);
    let download = client.send_download(call).await.expect("download");
    assert_eq!(download.content_type(), Some("application/octet-stream"));
    assert_eq!(download.bytes().await.expect("bytes").len(), 100_000);
}

#[tokio::test]
async fn throttling_answers_429_with_the_reset_then_the_normal_answer() {
    let lark = fake().await;
    lark.on(&GET).throttle(Duration::from_millis(300));
    // Without retries the client reports the throttle and the reset it was given.
    match once(&lark).send_json::<Value>(get("x")).await {
        Err(Error::RateLimited(limited)) => {
            // The reset, plus up to 50 ms of the policy's jitter.
            let after = limited.retry_after.expect("a reset");
            assert!((Duration::from_millis(300)..Duration::from_millis(351)).contains(&after), "{after:?}");
            let last = limited.last.expect("the server's answer");
            assert_eq!((last.http_status, last.code), (429, 99991400));
        }
        other => panic!("expected RateLimited, got {other:?}"),
    }
    // With the default policy it waits the reset and gets the standing answer.
    lark.on(&GET).throttle(Duration::from_millis(300));
    let t0 = Instant::now();
    let data: Value = lark.client().send_json(get("x")).await.expect("answered after the wait");
    assert!(t0.elapsed() >= Duration::from_millis(300), "waited {:?}", t0.elapsed());
    assert_eq!(data["item"]["id"], "item_1");
    assert_eq!(lark.requests_to(&GET).len(), 3);
}

#[tokio::test]
async fn broken_inputs_get_lark_s_validation_error_and_are_violations() {
    let lark = fake().await;
    let client = once(&lark);
    // A required query parameter missing, and one the spec does not declare.
    let mut call = Call::new(&SEARCH);
    call.query("sise", &3);
    let err = api_error(client.send_json::<Value>(call).await);
    assert_eq!((err.http_status, err.code, err.msg.as_str()), (400, 99992402, "field validation failed"));
    let fields: Vec<&str> = err.field_violations.iter().map(|v| v.subject.as_str()).collect();
    assert_eq!(fields, ["size", "sise"]);
    // A body with a field the spec does not declare, one that lacks a required field, and one
    // that is not an object.
    for (body, field) in
        [(json!({ "name": "n", "nmae": "x" }), "body.nmae"), (json!({}), "body.name"), (json!([1]), "body")]
    {
        let mut call = Call::new(&CREATE);
        call.json(&body);
        let err = api_error(client.send_json::<Value>(call).await);
        assert_eq!(err.field_violations[0].subject, field, "{:?}", err.field_violations);
    }
    // A body where the endpoint takes none.
    let mut call = get("x");
    call.json(&json!({}));
    assert_eq!(api_error(client.send_json::<Value>(call).await).code, 99992402);
    // A form without its required file, one with a field the spec does not declare, and a JSON
    // body where a form belongs.
    let file = || FormPart::file("file", FileSource::from(vec![1u8; 16]), None, None);
    let forms =
        [vec![FormPart::text("name", "a")], vec![FormPart::text("name", "a"), file(), FormPart::text("x", "1")]];
    for (parts, field) in forms.into_iter().zip(["file", "x"]) {
        let mut call = Call::new(&UPLOAD);
        call.multipart(parts);
        let err = api_error(client.send_json::<Value>(call).await);
        assert_eq!(err.field_violations[0].subject, field, "{:?}", err.field_violations);
    }
    let mut call = Call::new(&UPLOAD);
    call.json(&json!({ "name": "a" }));
    assert_eq!(api_error(client.send_json::<Value>(call).await).field_violations[0].subject, "body");
    let problems: Vec<String> = lark.violations().iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 9, "{problems:#?}");
    assert!(problems[2].contains("POST /open-apis/test/v1/items (test.v1 item.create): `body.nmae`"), "{problems:#?}");
}

#[tokio::test]
#[should_panic(expected = "1 request(s) broke the spec")]
async fn assert_no_violations_lists_them() {
    let lark = fake().await;
    let mut call = Call::new(&SEARCH);
    call.query("size", &1).query("extra", &2);
    let _ = once(&lark).send_json::<Value>(call).await;
    lark.assert_no_violations();
}

#[tokio::test]
async fn an_unknown_route_gets_a_404_and_a_valid_body_passes() {
    let lark = fake().await;
    let client = lark.client();
    let http = reqwest::Client::new();
    let answer = http.delete(format!("{}/open-apis/test/v1/items/x", lark.uri())).send().await.expect("answered");
    assert_eq!(answer.status(), 404);
    let mut call = Call::new(&CREATE);
    call.json(&json!({ "name": "ok" }));
    let _: Value = client.send_json(call).await.expect("a valid body is answered");
    // Only top-level fields are the fake's to check: what is inside them is the client's.
    let mut call = Call::new(&CREATE);
    call.json(&json!({ "name": "ok", "note": { "anything": [1] } }));
    let _: Value = client.send_json(call).await.expect("nested values are not checked");
    let violations = lark.violations();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0].endpoint, None);
    assert!(
        violations[0].to_string().starts_with("DELETE /open-apis/test/v1/items/x: no endpoint"),
        "{}",
        violations[0]
    );
}

#[tokio::test]
async fn tokens_must_be_issued_and_of_an_accepted_kind() {
    let lark = fake().await;
    let http = reqwest::Client::new();
    let url = |path: &str| format!("{}/open-apis/test/v1/{path}", lark.uri());
    let code = |answer: reqwest::Response| async move { answer.json::<Value>().await.expect("JSON")["code"].clone() };
    let mut call = Call::new(&USER_ONLY);
    call.user_token(Some("u-someone".into()));
    let _: Value = once(&lark).send_json(call).await.expect("a user token is accepted");
    assert_eq!(lark.requests_to(&USER_ONLY)[0].auth, Auth::User);
    // The app's tenant token on a user-only endpoint: refused, and a violation.
    let token: Value = http
        .post(format!("{}{}", lark.uri(), PLATFORM.tenant_token_path))
        .json(&json!({ "app_id": larkgen_runtime::testing::APP_ID, "app_secret": APP_SECRET }))
        .send()
        .await
        .expect("answered")
        .json()
        .await
        .expect("JSON");
    let tenant = token["tenant_access_token"].as_str().expect("a token");
    let answer = http.get(url("me")).bearer_auth(tenant).send().await.expect("answered");
    assert_eq!(code(answer).await, 99991663);
    // No token at all.
    assert_eq!(code(http.get(url("me")).send().await.expect("answered")).await, 99991661);
    // A token the fake did not issue, on an endpoint that takes tenant tokens: refused, but
    // not a violation (a revoked token looks the same, and the client recovers from it).
    let answer = http.get(url("items/x")).bearer_auth("t-forged").send().await.expect("answered");
    assert_eq!(code(answer).await, 99991663);
    let problems: Vec<String> = lark.violations().iter().map(|v| v.problem.clone()).collect();
    assert_eq!(problems, ["the endpoint does not accept a tenant token", "no `Authorization: Bearer <token>` header"]);
}

#[tokio::test]
async fn revoked_tokens_are_refused_and_the_client_fetches_a_new_one() {
    let lark = fake().await;
    let client = lark.client();
    let _: Value = client.send_json(get("x")).await.expect("first call");
    lark.revoke_tokens();
    let _: Value = client.send_json(get("x")).await.expect("refetched and resent");
    assert_eq!(lark.tokens_issued(), 2);
    let auths: Vec<Auth> = lark.requests_to(&GET).iter().map(|r| r.auth).collect();
    assert_eq!(auths, [Auth::Tenant, Auth::Invalid, Auth::Tenant]);
    lark.assert_no_violations();
}

#[tokio::test]
async fn a_sending_future_owns_its_call_and_can_be_spawned() {
    let lark = fake().await;
    let client = lark.client();
    // What a generated `send()` returns: `Send + 'static`, so `tokio::spawn` takes it as is.
    let sending: Sending<Value, Error> = client.clone().sending_json(get("item_1"));
    let item = tokio::spawn(sending).await.expect("the task ran").expect("answered");
    assert_eq!(item["item"]["id"], "item_1");
    // A failure comes out as the error type asked for.
    let refused: Result<(), String> = client.sending_empty::<Refusal>(get("")).await.map_err(|r| r.0);
    assert!(refused.unwrap_err().contains("item_id"), "the empty path parameter is named");
}

/// An endpoint error type as generated code has one: made from the runtime's error.
struct Refusal(String);

impl From<Error> for Refusal {
    fn from(error: Error) -> Self {
        Refusal(error.to_string())
    }
}

#[tokio::test]
async fn query_values_arrive_as_they_were_set() {
    let lark = fake().await;
    let client = lark.client();
    // Characters that form encoding must escape: space, `&`, `=`, `+`, `%`, `#`, `?`, `/`, non-ASCII.
    let awkward = "a b&c=d+e%f#g?h/飞书";
    let mut call = get("item_1");
    call.query("user_id_type", awkward);
    let _: Value = client.send_json(call).await.expect("answered");
    let mut call = Call::new(&SEARCH);
    call.query("size", &1).query("extra", &2);
    let _ = client.send_json::<Value>(call).await;

    let requests = lark.requests();
    assert_eq!(requests[0].query("user_id_type"), Some(awkward));
    assert_eq!(requests[0].query.len(), 1);
    let search: Vec<(&str, &str)> = requests[1].query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    assert_eq!(search, [("size", "1"), ("extra", "2")], "every pair, in the order set");
}

#[tokio::test]
async fn requests_are_recorded_without_secrets() {
    let lark = fake().await;
    let client = lark.client();
    let mut call = get("a b/c");
    call.query("user_id_type", "open_id");
    let _: Value = client.send_json(call).await.expect("answered");
    let mut call = Call::new(&UPLOAD);
    call.multipart(vec![
        FormPart::text("name", "cat.png"),
        FormPart::file("file", FileSource::from(vec![1u8; 4096]), None, None),
    ]);
    let uploaded: Value = client.send_json(call).await.expect("uploaded");
    assert_eq!(uploaded["file_token"], "file_token_1");

    let requests = lark.requests();
    let get = &requests[0];
    assert_eq!((get.method.as_str(), get.path.as_str()), ("GET", "/open-apis/test/v1/items/a%20b%2Fc"));
    assert_eq!(get.path_param("item_id"), Some("a b/c"));
    assert_eq!(get.query("user_id_type"), Some("open_id"));
    assert!(get.header("user-agent").is_some_and(|ua| ua.starts_with("larkgen/")));
    assert_eq!(get.header("authorization"), None, "the token is not kept");
    let upload = &requests[1];
    assert_eq!(upload.part_names(), ["name", "file"]);
    assert_eq!(upload.part("name").map(|p| p.text()), Some("cat.png".into()));
    assert_eq!(upload.part("file").map(|p| p.bytes.len()), Some(4096));
    assert!(matches!(upload.body, Body::Multipart(_)));
    lark.assert_no_violations();

    let printed = format!("{lark:?} {requests:?}");
    assert!(!printed.contains(APP_SECRET) && !printed.contains("t-fake-tenant-token"), "{printed}");
}

#[tokio::test]
#[should_panic(expected = "is not served by this fake")]
async fn answers_can_be_set_only_for_served_endpoints() {
    static OTHER: Endpoint = endpoint("other.get", Method::Get, "/open-apis/other/v1/x");
    static ONE: &[&Endpoint] = &[&GET];
    let lark = FakeLark::start(&PLATFORM, &[ONE]).await;
    lark.on(&OTHER).example();
}
