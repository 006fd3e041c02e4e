//! A tenant-only endpoint is called without a user token; a user-only one takes it as an argument.
mod lingo {
    larkgen_macros::client!("tests/ui/specs/lingo-v1.yaml");
}
use lingo::lingo_v1;

async fn usage(client: lingo_v1::Client) {
    let _ = client.entity().create(lingo_v1::EntityBody::new("definition")).send().await;
    let _ = client.entity().get("enterprise_1").user_access_token("u-token").send().await;
    let _ = client.report().list("u-token").send().await;
}

fn main() {
    let _ = usage;
}
