//! Test your app offline: a fake Lark server driven by the generated descriptors
//! (feature `testing`).
//!
//! A test starts it in one line with the services it calls, points the generated client at
//! it, and gets, without writing a mock:
//!
//! - **tenant tokens** issued to [`APP_ID`]/[`APP_SECRET`] ([`FakeLark::builder`] and
//!   [`FakeLark::client`] use them), and revocable ([`FakeLark::revoke_tokens`]);
//! - **answers**: each endpoint's example `data` from the spec by default (a few bytes for
//!   downloads), or what the test sets with [`FakeLark::on`]: a reply (fixed, or made from the
//!   request), a Lark error (typed on the client), pages (with `page_token`/`has_more`), a
//!   file, a throttled answer with `x-ogw-ratelimit-reset`, a late answer; standing or one-time;
//! - **checks** of each request against the spec: method and path template, the token
//!   (issued by it, of a kind the endpoint accepts), required query parameters and form
//!   fields, no undeclared ones, query and header values within their documented constraints,
//!   and a JSON body an object with its required top-level fields and no undeclared one (the
//!   client checks deeper rules before sending). A request that breaks the spec gets Lark's answer (404, 99991661,
//!   or 99992402 "field validation failed" with the field) and is kept as a [`Violation`];
//! - **records** of every request ([`FakeLark::requests`], [`FakeLark::requests_to`]): endpoint,
//!   path parameters, query, headers (not the token), JSON body or multipart parts.
//!
//! ```ignore
//! use lark_client::baike_v1::{self, endpoints};
//! use larkgen_runtime::testing::FakeLark;
//!
//! #[tokio::test]
//! async fn shows_the_entry() {
//!     let lark = FakeLark::start(&lark_client::PLATFORM, &[endpoints::ALL]).await;
//!     lark.on(&endpoints::ENTITY_GET).fail(1540001, "invalid param");
//!     let baike = baike_v1::Client::new(lark.client());
//!
//!     let err = baike.entity().get("enterprise_1").send().await.unwrap_err();
//!     assert!(matches!(err, baike_v1::EntityGetError::InvalidParam(_)));
//!     assert_eq!(lark.requests_to(&endpoints::ENTITY_GET)[0].path_param("entity_id"), Some("enterprise_1"));
//!     lark.assert_no_violations();
//! }
//! ```
//!
//! The server is [wiremock](https://docs.rs/wiremock)'s, on a free loopback port; it stops
//! when the `FakeLark` is dropped. The README's "Test your app offline" has a longer example.

mod answers;
mod check;
mod record;
mod server;

pub use answers::On;
pub use record::{Auth, Body, Part, Recorded, Violation};
pub use server::{APP_ID, APP_SECRET, FakeLark};
