//! One endpoint through each route, against the runtime's fake Lark server on loopback: the
//! client fetches a tenant token, then calls `classification.list` and decodes the envelope's
//! data; the fake checks the request against the spec.

use larkgen_runtime::testing::{APP_ID, APP_SECRET, FakeLark};
use own_crate::via_build::{PLATFORM, baike_v1::endpoints};
use serde_json::json;

/// A fake Lark that answers one page of classifications.
async fn lark() -> FakeLark {
    let lark = FakeLark::start(&PLATFORM, &[endpoints::ALL]).await;
    lark.on(&endpoints::CLASSIFICATION_LIST).reply(json!({
        "items": [{ "id": "7001", "name": "Terms", "father_id": "7000" }],
        "page_token": "p-2",
    }));
    lark
}

/// The same test for each route's module (both serve the same spec, so the fake started with
/// one route's descriptors serves the other's calls too).
macro_rules! lists_classifications {
    ($route:ident) => {
        #[tokio::test]
        async fn $route() {
            use own_crate::$route::{baike_v1, builder};
            let lark = lark().await;
            let runtime = builder().base_url(lark.uri()).app_credentials(APP_ID, APP_SECRET).build().expect("client");
            let page = baike_v1::Client::new(runtime).classification().list().page_size(20).send().await.expect("ok");
            let items: Vec<_> = page
                .items
                .iter()
                .flatten()
                .map(|c| (c.id.as_str(), c.name.as_deref(), c.father_id.as_ref().map(|id| id.as_str())))
                .collect();
            assert_eq!(items, [("7001", Some("Terms"), Some("7000"))]);
            assert_eq!(page.page_token.as_deref(), Some("p-2"));
            assert_eq!(lark.requests_to(&endpoints::CLASSIFICATION_LIST)[0].query("page_size"), Some("20"));
            assert_eq!(lark.tokens_issued(), 1);
            lark.assert_no_violations();
        }
    };
}

lists_classifications!(via_build);
lists_classifications!(via_macro);

#[tokio::test]
async fn the_app_lists_classifications_from_the_base_url_it_is_given() {
    let lark = lark().await;
    let app = std::process::Command::new(env!("CARGO_BIN_EXE_own-crate"))
        .env("LARK_APP_ID", APP_ID)
        .env("LARK_APP_SECRET", APP_SECRET)
        .env("LARK_BASE_URL", lark.uri())
        .output();
    let out = tokio::task::spawn_blocking(move || app).await.expect("joined").expect("the app runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "7001 Terms\n");
    lark.assert_no_violations();
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
