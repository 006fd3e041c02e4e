//! One endpoint through each route, against a local HTTP server on loopback: the client
//! fetches a tenant token, then calls `classification.list` and decodes the envelope's data.

use serde_json::json;
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const APP_ID: &str = "cli_example_app";
const APP_SECRET: &str = "example-app-secret";
const TOKEN: &str = "t-example-tenant-token";

/// A server that issues one tenant token and answers one page of classifications.
async fn lark() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/open-apis/auth/v3/tenant_access_token/internal"))
        .and(body_json(json!({ "app_id": APP_ID, "app_secret": APP_SECRET })))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({ "code": 0, "msg": "ok", "tenant_access_token": TOKEN, "expire": 7200 })),
        )
        .expect(1)
        .mount(&server)
        .await;
    let page = json!({ "items": [{ "id": "7001", "name": "Terms", "father_id": "7000" }], "page_token": "p-2" });
    Mock::given(method("GET"))
        .and(path("/open-apis/baike/v1/classifications"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(query_param("page_size", "20"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({ "code": 0, "msg": "success", "data": page })))
        .expect(1)
        .mount(&server)
        .await;
    server
}

/// The same test for each route's module.
macro_rules! lists_classifications {
    ($route:ident) => {
        #[tokio::test]
        async fn $route() {
            use own_crate::$route::{baike_v1, builder};
            let server = lark().await;
            let runtime =
                builder().base_url(server.uri()).app_credentials(APP_ID, APP_SECRET).build().expect("client builds");
            let page = baike_v1::Client::new(runtime).classification().list().page_size(20).send().await.expect("ok");
            let items: Vec<_> = page
                .items
                .iter()
                .flatten()
                .map(|c| (c.id.as_str(), c.name.as_deref(), c.father_id.as_ref().map(|id| id.as_str())))
                .collect();
            assert_eq!(items, [("7001", Some("Terms"), Some("7000"))]);
            assert_eq!(page.page_token.as_deref(), Some("p-2"));
        }
    };
}

lists_classifications!(via_build);
lists_classifications!(via_macro);

#[tokio::test]
async fn the_app_lists_classifications_from_the_base_url_it_is_given() {
    let server = lark().await;
    let app = std::process::Command::new(env!("CARGO_BIN_EXE_own-crate"))
        .env("LARK_APP_ID", APP_ID)
        .env("LARK_APP_SECRET", APP_SECRET)
        .env("LARK_BASE_URL", server.uri())
        .output();
    let out = tokio::task::spawn_blocking(move || app).await.expect("joined").expect("the app runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "7001 Terms\n");
}

/// Both routes name the runtime at the same path as the generated crate does (`…::runtime`),
/// and it is one runtime: a value from one route's path is a value of the other's.
#[test]
fn both_routes_reexport_the_runtime_as_runtime() {
    let source: own_crate::via_build::runtime::FileSource = vec![1u8, 2, 3].into();
    let same: own_crate::via_macro::runtime::FileSource = source;
    let error: Option<own_crate::via_macro::runtime::Error> = None;
    let _: Option<own_crate::via_build::runtime::Error> = error;
    drop(same);
}
