use lark_client::lingo_v1;
fn run(client: lingo_v1::Client, body: lingo_v1::EntityBody) {
    let _ = client.entity().create(body).user_access_token("u-x");
}
fn main() {}
