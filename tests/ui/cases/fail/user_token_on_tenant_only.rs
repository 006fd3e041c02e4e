mod lingo {
    larkgen_macros::client!("tests/ui/specs/lingo-v1.yaml");
}
use lingo::lingo_v1;
fn run(client: lingo_v1::Client) {
    let _ = client.entity().create(lingo_v1::EntityBody::new("d")).user_access_token("u-token");
}
fn main() {}
