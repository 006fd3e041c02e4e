//! Every endpoint of both services (Baike v1 and Lingo v1), end to end over loopback HTTP.
//!
//! One test per behaviour, run over a table of (service, endpoint) cases: the exact method,
//! path, query string and body on the wire, the tenant token in `Authorization: Bearer …`
//! and the official example answer decoded into the generated type; a user token replacing
//! the tenant token; every error code a service declares coming back as its endpoint's own
//! variant (or in the catch-all where that endpoint does not declare it); retries following
//! the spec. Each case calls the service's own generated client, so the two services share
//! the test bodies and not the types. What only Lingo has is tested in `lingo.rs`.

mod bodies;
mod support;

use std::future::Future;
use std::pin::Pin;

use lark_client::runtime::{ApiError, Error};
use serde_json::{Value, json};
use support::*;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A generated service under test: where its routes are, its fixtures, its error codes.
struct Service {
    /// The path prefix of its routes.
    base: &'static str,
    /// What its file names in tests/fixtures/api start with.
    fixtures: &'static str,
    /// The codes its spec declares, by variant name (every endpoint declares some of them).
    codes: [Code; 3],
}

struct Code {
    variant: &'static str,
    status: u16,
    code: i64,
    retryable: bool,
}

impl Service {
    /// Both specs declare the same three errors, each with its own codes:
    /// `InvalidParam`, `NetworkAnomaly` (the one retryable) and `DraftReviewed`.
    const fn new(base: &'static str, fixtures: &'static str, [invalid, network, reviewed]: [i64; 3]) -> Self {
        Service {
            base,
            fixtures,
            codes: [
                Code { variant: "InvalidParam", status: 400, code: invalid, retryable: false },
                Code { variant: "NetworkAnomaly", status: 500, code: network, retryable: true },
                Code { variant: "DraftReviewed", status: 403, code: reviewed, retryable: false },
            ],
        }
    }

    fn fixture(&self, name: &str) -> String {
        format!("{}{name}", self.fixtures)
    }

    fn code(&self, variant: &str) -> &Code {
        self.codes.iter().find(|c| c.variant == variant).unwrap_or_else(|| panic!("no code {variant}"))
    }
}

/// What a Baike case has in scope: the generated module and the example bodies.
mod baike_v1 {
    pub use crate::bodies::*;
    pub use lark_client::baike_v1::*;

    pub const SERVICE: crate::Service = crate::Service::new("/open-apis/baike/v1", "", [1540001, 1540002, 1540100]);
}

/// What a Lingo case has in scope: the generated module and the example bodies.
mod lingo_v1 {
    pub use crate::bodies::lingo::*;
    pub use lark_client::lingo_v1::*;

    pub const SERVICE: crate::Service =
        crate::Service::new("/open-apis/lingo/v1", "lingo_", [2250001, 2250002, 2250100]);

    /// A dictionary (`repo_id`).
    pub const REPO: &str = "7152790921053274113";
}

/// A call a case makes, given the mock server's base URL.
type Call<T> = fn(String) -> Pin<Box<dyn Future<Output = T>>>;

fn boxed<T>(call: impl Future<Output = T> + 'static) -> Pin<Box<dyn Future<Output = T>>> {
    Box::pin(call)
}

/// A [`Call`] running `$body` with `$c`, the `$service` client on the server (its runtime
/// made by `$runtime`), and the service's generated types and example bodies in scope.
macro_rules! on {
    ($service:ident, $runtime:ident, |$c:ident| $body:expr) => {
        |base: String| {
            boxed(async move {
                #[allow(unused_imports)]
                use $service::*;
                let $c = Client::new($runtime(&base));
                $body
            })
        }
    };
}

// =======================================================================================
// The request on the wire and the decoded answer
// =======================================================================================

/// One call and what must go over the wire.
struct Exchange {
    service: &'static Service,
    method: &'static str,
    /// After the service's base.
    path: &'static str,
    answer: Answer,
    /// Decoded, in order.
    query: &'static [(&'static str, &'static str)],
    sent: Sent,
    /// Sends the request and returns the decoded answer as JSON.
    call: Call<Value>,
}

enum Answer {
    /// The official example of this response fixture, which the client must decode whole.
    Example(&'static str),
    /// Three bytes of an image, which the client must hand over as they came.
    Png,
}

#[derive(Clone, Copy)]
enum Sent {
    Nothing,
    /// The official example of this request fixture.
    Example(&'static str),
    EmptyObject,
    /// The form of `upload_form()`.
    Multipart,
}

/// The [`Exchange`]s of one call, the same on each `$service`: `$request` on client `$c`,
/// sent by `send()`, answered with the response fixture `$answer`, or with an image (`png`)
/// for a download.
macro_rules! exchange {
    ($($service:ident),+: $method:literal $path:literal -> png, |$c:ident| $request:expr) => {
        Exchanges(vec![$(Exchange::new(&$service::SERVICE, $method, $path, Answer::Png, on!($service, runtime, |$c| {
            json!($request.send().await.expect("ok").bytes().await.expect("body").to_vec())
        }))),+])
    };
    ($($service:ident),+: $method:literal $path:literal -> $answer:literal, |$c:ident| $request:expr) => {
        Exchanges(vec![$(Exchange::new(&$service::SERVICE, $method, $path, Answer::Example($answer), on!($service, runtime, |$c| {
            serde_json::to_value($request.send().await.expect("ok")).expect("serializes")
        }))),+])
    };
}

impl Exchange {
    fn new(
        service: &'static Service,
        method: &'static str,
        path: &'static str,
        answer: Answer,
        call: Call<Value>,
    ) -> Self {
        Exchange { service, method, path, answer, query: &[], sent: Sent::Nothing, call }
    }
}

/// The same call on one service or more.
struct Exchanges(Vec<Exchange>);

impl Exchanges {
    fn query(self, query: &'static [(&'static str, &'static str)]) -> Self {
        Exchanges(self.0.into_iter().map(|e| Exchange { query, ..e }).collect())
    }

    fn sends(self, sent: Sent) -> Self {
        Exchanges(self.0.into_iter().map(|e| Exchange { sent, ..e }).collect())
    }
}

fn exchanges() -> Vec<Exchange> {
    use Sent::*;
    const REPO: &str = lingo_v1::REPO;
    let tables = [
        // ---- classification.list, with paging (and the repo) and without parameters ----
        exchange!(baike_v1: "GET" "/classifications" -> "classifications_list.response",
            |c| c.classification().list().page_size(20).page_token("p-1"))
        .query(&[("page_size", "20"), ("page_token", "p-1")]),
        exchange!(lingo_v1: "GET" "/classifications" -> "classifications_list.response",
            |c| c.classification().list().page_size(20).page_token("p-1").repo_id(REPO))
        .query(&[("page_size", "20"), ("page_token", "p-1"), ("repo_id", REPO)]),
        exchange!(baike_v1, lingo_v1: "GET" "/classifications" -> "classifications_list.response",
            |c| c.classification().list()),
        // ---- draft.create, draft.update ----
        exchange!(baike_v1: "POST" "/drafts" -> "drafts_create.response",
            |c| c.draft().create(draft_create_body()).user_id_type(UserIdType::UserId))
        .query(&[("user_id_type", "user_id")])
        .sends(Example("drafts_create.request")),
        exchange!(lingo_v1: "POST" "/drafts" -> "drafts_create.response",
            |c| c.draft().create(draft_create_body()).repo_id(RepoId::new(REPO)).user_id_type(UserIdType::UserId))
        .query(&[("repo_id", REPO), ("user_id_type", "user_id")])
        .sends(Example("drafts_create.request")),
        exchange!(baike_v1, lingo_v1: "PUT" "/drafts/5347" -> "drafts_update.response",
            |c| c.draft().update("5347".into(), draft_update_body()).user_id_type(UserIdType::OpenId))
        .query(&[("user_id_type", "open_id")])
        .sends(Example("drafts_update.request")),
        // ---- entity.create ----
        exchange!(baike_v1: "POST" "/entities" -> "entities_create.response",
            |c| c.entity().create(entity_create_body()).user_id_type(UserIdType::UnionId))
        .query(&[("user_id_type", "union_id")])
        .sends(Example("entities_create.request")),
        exchange!(lingo_v1: "POST" "/entities" -> "entities_create.response",
            |c| c.entity().create(entity_body()).repo_id(REPO).user_id_type(UserIdType::UnionId))
        .query(&[("repo_id", REPO), ("user_id_type", "union_id")])
        .sends(Example("entities_create.request")),
        // ---- entity.update (Baike's without `user_id_type`: none is sent) ----
        exchange!(baike_v1: "PUT" "/entities/enterprise_40217521" -> "entities_update.response",
            |c| c.entity().update("enterprise_40217521".into(), entity_update_body()))
        .sends(Example("entities_update.request")),
        exchange!(lingo_v1: "PUT" "/entities/enterprise_40217521" -> "entities_update.response",
            |c| c.entity().update("enterprise_40217521".into(), entity_body()).user_id_type(UserIdType::UserId))
        .query(&[("user_id_type", "user_id")])
        .sends(Example("entities_update.request")),
        // ---- entity.get, by id, and by provider and outer id (as `enterprise_0`) ----
        exchange!(baike_v1, lingo_v1: "GET" "/entities/enterprise_515879" -> "entities_get.response",
            |c| c.entity().get("enterprise_515879")),
        exchange!(baike_v1, lingo_v1: "GET" "/entities/enterprise_0" -> "entities_get.response",
            |c| c.entity().get("enterprise_0").provider("星云").outer_id("12345").user_id_type(UserIdType::UserId))
        .query(&[("provider", "星云"), ("outer_id", "12345"), ("user_id_type", "user_id")]),
        // ---- entity.list, every query parameter ----
        exchange!(baike_v1: "GET" "/entities" -> "entities_list.response",
            |c| c.entity().list().page_size(50).page_token("tok-2").provider("星云").user_id_type(UserIdType::UserId))
        .query(&[("page_size", "50"), ("page_token", "tok-2"), ("provider", "星云"), ("user_id_type", "user_id")]),
        exchange!(lingo_v1: "GET" "/entities" -> "entities_list.response", |c| c
            .entity()
            .list()
            .page_size(50)
            .page_token("tok-2")
            .provider("星云")
            .repo_id(REPO)
            .user_id_type(UserIdType::UserId))
        .query(&[
            ("page_size", "50"),
            ("page_token", "tok-2"),
            ("provider", "星云"),
            ("repo_id", REPO),
            ("user_id_type", "user_id"),
        ]),
        // ---- entity.match ----
        exchange!(baike_v1: "POST" "/entities/match" -> "entities_match.response", |c| c.entity().r#match(match_body()))
            .sends(Example("entities_match.request")),
        exchange!(lingo_v1: "POST" "/entities/match" -> "entities_match.response",
            |c| c.entity().r#match(match_body()).repo_id(REPO))
        .query(&[("repo_id", REPO)])
        .sends(Example("entities_match.request")),
        // ---- entity.search: paging (and the repo) in the query, filters in the body; no body: `{}` ----
        exchange!(baike_v1: "POST" "/entities/search" -> "entities_search.response",
            |c| c.entity().search().page_size(10).page_token("next-1").user_id_type(UserIdType::OpenId).body(search_body()))
        .query(&[("page_size", "10"), ("page_token", "next-1"), ("user_id_type", "open_id")])
        .sends(Example("entities_search.request")),
        exchange!(lingo_v1: "POST" "/entities/search" -> "entities_search.response", |c| c
            .entity()
            .search()
            .page_size(10)
            .page_token("next-1")
            .repo_id(REPO)
            .user_id_type(UserIdType::OpenId)
            .body(search_body()))
        .query(&[("page_size", "10"), ("page_token", "next-1"), ("repo_id", REPO), ("user_id_type", "open_id")])
        .sends(Example("entities_search.request")),
        exchange!(baike_v1, lingo_v1: "POST" "/entities/search" -> "entities_search.response", |c| c.entity().search())
            .sends(EmptyObject),
        // ---- entity.highlight ----
        exchange!(baike_v1, lingo_v1: "POST" "/entities/highlight" -> "entities_highlight.response",
            |c| c.entity().highlight(highlight_body()))
        .sends(Example("entities_highlight.request")),
        // ---- entity.extract (Baike only), with and without a body ----
        exchange!(baike_v1: "POST" "/entities/extract" -> "entities_extract.response",
            |c| c.entity().extract().body(extract_body()))
        .sends(Example("entities_extract.request")),
        exchange!(baike_v1: "POST" "/entities/extract" -> "entities_extract.response", |c| c.entity().extract())
            .sends(EmptyObject),
        // ---- file.upload, file.download ----
        exchange!(baike_v1, lingo_v1: "POST" "/files/upload" -> "files_upload.response", |c| c.file().upload(upload_form()))
            .sends(Multipart),
        exchange!(baike_v1, lingo_v1: "GET" "/files/boxbcEcmKiD3vgqWTpvdc7jc/download" -> png,
            |c| c.file().download("boxbcEcmKiD3vgqWTpvdc7jc")),
    ];
    tables.into_iter().flat_map(|t| t.0).collect()
}

/// The query string the client must send for `pairs`: UTF-8, percent-encoded (unreserved
/// characters as they are), in order; none at all without parameters.
fn encoded(pairs: &[(&str, &str)]) -> Option<String> {
    let encode = |text: &str| -> String {
        text.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    let joined: Vec<String> = pairs.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
    (!joined.is_empty()).then(|| joined.join("&"))
}

/// Checks the body of `request` against what the case says was sent.
fn assert_sent(sent: &Sent, service: &Service, request: &Request) {
    match sent {
        Sent::Nothing => assert_no_body(request),
        Sent::Example(name) => assert_eq!(json_body(request), bodies::fixture(&service.fixture(name))),
        Sent::EmptyObject => assert_eq!(json_body(request), json!({})),
        Sent::Multipart => {
            let content_type = request.headers.get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default();
            assert!(content_type.starts_with("multipart/form-data; boundary="), "{content_type}");
            let body = String::from_utf8_lossy(&request.body);
            assert!(
                body.contains("name=\"name\"") && body.contains("cat.png") && body.contains("name=\"file\""),
                "{body}"
            );
        }
    }
}

#[tokio::test]
async fn every_endpoint_sends_its_request_and_decodes_the_example_answer() {
    for case in exchanges() {
        let (route, service) = (format!("{}{}", case.service.base, case.path), case.service);
        let what = format!("{} {route}", case.method);
        let (answer, expected) = match case.answer {
            Answer::Example(name) => {
                (bodies::example(&service.fixture(name)), bodies::fixture_data(&service.fixture(name)))
            }
            Answer::Png => (
                ResponseTemplate::new(200).insert_header("content-type", "image/png").set_body_bytes(vec![1, 2, 3]),
                json!([1, 2, 3]),
            ),
        };
        let server = server_with(case.method, &route, answer).await;
        assert_eq!((case.call)(server.uri()).await, expected, "{what}: the answer, decoded");
        let request = api_request(&server).await;
        assert_eq!(query(&request), pairs(case.query), "{what}: the query");
        assert_eq!(request.url.query().map(str::to_owned), encoded(case.query), "{what}: the query's encoding");
        assert_sent(&case.sent, service, &request);
    }
}

// =======================================================================================
// A user token instead of the tenant token
// =======================================================================================

#[tokio::test]
async fn a_user_access_token_replaces_the_tenant_token() {
    let cases: [(&Service, Call<()>); 2] = [
        (
            &baike_v1::SERVICE,
            on!(baike_v1, runtime, |c| {
                c.draft().create(draft_create_body()).user_access_token("u-reviewer").send().await.expect("ok");
            }),
        ),
        (
            &lingo_v1::SERVICE,
            on!(lingo_v1, runtime, |c| {
                c.draft().create(draft_create_body()).user_access_token("u-reviewer").send().await.expect("ok");
            }),
        ),
    ];
    for (service, call) in cases {
        let server = MockServer::start().await;
        mount_token(&server, TENANT_TOKEN, 0).await;
        Mock::given(method("POST"))
            .and(path(format!("{}/drafts", service.base)))
            .and(header("authorization", "Bearer u-reviewer"))
            .respond_with(bodies::example(&service.fixture("drafts_create.response")))
            .expect(1)
            .mount(&server)
            .await;
        call(server.uri()).await;
    }
}

// =======================================================================================
// Declared errors
// =======================================================================================

/// How a call was refused: the variant it came back as (`None`: the catch-all,
/// `Unhandled(Error::Api(…))`), the Lark error in it and what the error enum says of itself.
struct Refusal {
    variant: Option<&'static str>,
    api: ApiError,
    code: Option<i64>,
    http_status: Option<u16>,
    retryable: bool,
}

/// One endpoint's error enum and the variants its spec declares.
struct Declared {
    service: &'static Service,
    error: &'static str,
    variants: &'static [&'static str],
    /// Sends the request once (no retries) and returns how it was refused.
    call: Call<Refusal>,
}

/// The [`Declared`]s of one call, the same on each `$service`: `$request` on client `$c`,
/// refused into `$error`, whose declared variants are `{ $variant, … }`.
macro_rules! declared {
    (@ $service:ident, $error:ident, { $($variant:ident),+ }, |$c:ident| $request:expr) => {
        Declared {
            service: &$service::SERVICE,
            error: stringify!($error),
            variants: &[$(stringify!($variant)),+],
            call: on!($service, runtime_once, |$c| {
                let err: $error = $request.send().await.expect_err("the server refused");
                let (variant, api) = match &err {
                    $($error::$variant(api) => (Some(stringify!($variant)), ApiError::clone(api)),)+
                    $error::Unhandled(Error::Api(api)) => (None, ApiError::clone(api)),
                    other => panic!("{}: got {other:?}", stringify!($error)),
                };
                Refusal { variant, api, code: err.code(), http_status: err.http_status(), retryable: err.is_retryable() }
            }),
        }
    };
    ($($service:ident),+: $error:ident $variants:tt = |$c:ident| $request:expr) => {
        vec![$(declared!(@ $service, $error, $variants, |$c| $request)),+]
    };
}

fn declared() -> Vec<Declared> {
    let tables = [
        declared!(baike_v1: ClassificationListError { InvalidParam, NetworkAnomaly } = |c| c.classification().list()),
        declared!(lingo_v1: ClassificationListError { InvalidParam, NetworkAnomaly } =
            |c| c.classification().list().repo_id(REPO)),
        declared!(baike_v1, lingo_v1: DraftCreateError { InvalidParam, NetworkAnomaly } =
            |c| c.draft().create(draft_create_body())),
        declared!(baike_v1, lingo_v1: DraftUpdateError { InvalidParam, NetworkAnomaly, DraftReviewed } =
            |c| c.draft().update("5347".into(), draft_update_body())),
        declared!(baike_v1: EntityCreateError { InvalidParam, NetworkAnomaly } = |c| c.entity().create(entity_create_body())),
        declared!(lingo_v1: EntityCreateError { InvalidParam, NetworkAnomaly } = |c| c.entity().create(entity_body())),
        declared!(baike_v1: EntityUpdateError { InvalidParam, NetworkAnomaly } =
            |c| c.entity().update("enterprise_1".into(), entity_update_body())),
        declared!(lingo_v1: EntityUpdateError { InvalidParam, NetworkAnomaly } =
            |c| c.entity().update("enterprise_1".into(), entity_body())),
        declared!(lingo_v1: EntityDeleteError { InvalidParam, NetworkAnomaly } = |c| c.entity().delete("enterprise_1")),
        declared!(baike_v1, lingo_v1: EntityGetError { InvalidParam, NetworkAnomaly } = |c| c.entity().get("enterprise_1")),
        declared!(baike_v1, lingo_v1: EntityListError { InvalidParam, NetworkAnomaly } = |c| c.entity().list()),
        declared!(baike_v1, lingo_v1: EntityMatchError { InvalidParam, NetworkAnomaly } =
            |c| c.entity().r#match(match_body())),
        declared!(baike_v1, lingo_v1: EntitySearchError { InvalidParam, NetworkAnomaly } = |c| c.entity().search()),
        declared!(baike_v1, lingo_v1: EntityHighlightError { InvalidParam, NetworkAnomaly } =
            |c| c.entity().highlight(highlight_body())),
        declared!(baike_v1: EntityExtractError { InvalidParam, NetworkAnomaly } = |c| c.entity().extract()),
        declared!(baike_v1, lingo_v1: FileUploadError { InvalidParam, NetworkAnomaly } = |c| c.file().upload(upload_form())),
        declared!(baike_v1, lingo_v1: FileDownloadError { InvalidParam, NetworkAnomaly } = |c| c.file().download("boxbc")),
        declared!(lingo_v1: RepoListError { InvalidParam } = |c| c.repo().list()),
    ];
    tables.into_iter().flatten().collect()
}

/// The table has a row for every endpoint of both services, naming the variants that the
/// endpoint's descriptor declares (a new endpoint or code must be added there to pass).
#[test]
fn the_declared_errors_table_covers_every_endpoint() {
    let error_enum = |endpoint: &str| -> String {
        let mut name: String = endpoint.split('.').map(|word| word[..1].to_uppercase() + &word[1..]).collect();
        name.push_str("Error");
        name
    };
    let descriptors = [
        (baike_v1::SERVICE.base, lark_client::baike_v1::endpoints::ALL),
        (lingo_v1::SERVICE.base, lark_client::lingo_v1::endpoints::ALL),
    ];
    let mut expected: Vec<(&str, String, Vec<&str>)> = descriptors
        .iter()
        .flat_map(|(base, all)| {
            all.iter().map(|d| (*base, error_enum(d.name), d.errors.iter().map(|e| e.name).collect()))
        })
        .collect();
    let mut rows: Vec<(&str, String, Vec<&str>)> =
        declared().iter().map(|d| (d.service.base, d.error.to_owned(), d.variants.to_vec())).collect();
    expected.sort();
    rows.sort();
    assert_eq!(rows, expected);
}

/// Every code of the service, against every endpoint: a declared one comes back as its
/// variant, carrying the code, status, message, log id and the spec's row; one the endpoint
/// does not declare (`DraftReviewed` outside `draft.update`) lands in the catch-all with no
/// row. Either way the error answers `code()`, `http_status()` and `is_retryable()` as the
/// spec says, and the request went out once.
#[tokio::test]
async fn every_declared_error_code_comes_back_as_its_variant() {
    for case in declared() {
        for code in &case.service.codes {
            let what = format!("{} {}", case.error, code.code);
            let server = failing(case.service.base, code.status, code.code).await;
            let refusal = (case.call)(server.uri()).await;
            let api = &refusal.api;
            assert_eq!((api.code, api.http_status), (code.code, code.status), "{what}");
            assert_eq!((api.msg.as_str(), api.log_id.as_deref()), ("declared failure", Some("log-err")), "{what}");
            assert_eq!((refusal.code, refusal.http_status), (Some(code.code), Some(code.status)), "{what}");
            assert_eq!(api_requests(&server).await.len(), 1, "{what}: sent once");
            if case.variants.contains(&code.variant) {
                assert_eq!(refusal.variant, Some(code.variant), "{what}");
                let row = api.spec.map(|s| (s.name, s.code, s.http_status));
                assert_eq!(row, Some((code.variant, code.code, code.status)), "{what}");
                assert_eq!(refusal.retryable, code.retryable, "{what}: retryable");
            } else {
                assert_eq!(refusal.variant, None, "{what}: not declared, so the catch-all");
                assert!(api.spec.is_none(), "{what}: no row for an undeclared code");
            }
        }
    }
}

// =======================================================================================
// Retries
// =======================================================================================

/// One call, the code its server refuses it with and how many times it must go out.
struct Retried {
    service: &'static Service,
    variant: &'static str,
    attempts: usize,
    /// Sends the request, retrying with millisecond backoffs, and says whether the error it
    /// got calls itself retryable.
    call: Call<bool>,
}

/// The [`Retried`]s of one call, the same on each `$service`: `$request` on client `$c`,
/// refused with the code of `$variant`, sent `$attempts` times.
macro_rules! retried {
    ($($service:ident),+: $variant:ident sent $attempts:literal, |$c:ident| $request:expr) => {
        vec![$(Retried {
            service: &$service::SERVICE,
            variant: stringify!($variant),
            attempts: $attempts,
            call: on!($service, runtime_fast_retries, |$c| {
                $request.send().await.expect_err("refused").is_retryable()
            }),
        }),+]
    };
}

/// A retryable code on an idempotent call is retried (3 attempts); a create the server may
/// have processed, or a code that is not retryable, is sent once.
#[tokio::test]
async fn retries_follow_the_spec_and_idempotency() {
    let tables = [
        retried!(baike_v1, lingo_v1: NetworkAnomaly sent 3, |c| c.entity().get("enterprise_1")),
        // DELETE is idempotent too.
        retried!(lingo_v1: NetworkAnomaly sent 3, |c| c.entity().delete("enterprise_1")),
        retried!(baike_v1: NetworkAnomaly sent 1, |c| c.entity().create(entity_create_body())),
        retried!(lingo_v1: NetworkAnomaly sent 1, |c| c.entity().create(entity_body())),
        retried!(baike_v1, lingo_v1: DraftReviewed sent 1, |c| c.draft().update("1".into(), draft_update_body())),
    ];
    for case in tables.into_iter().flatten() {
        let code = case.service.code(case.variant);
        let what = format!("{} {}", case.service.base, code.code);
        let server = failing(case.service.base, code.status, code.code).await;
        assert_eq!((case.call)(server.uri()).await, code.retryable, "{what}: retryable");
        assert_eq!(api_requests(&server).await.len(), case.attempts, "{what}: attempts");
    }
}
