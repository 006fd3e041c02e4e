mod lingo {
    larkgen_macros::client!("tests/ui/specs/lingo-v1.yaml");
}
fn run(client: lingo::lingo_v1::Client) {
    let _ = client.report().list();
}
fn main() {}
