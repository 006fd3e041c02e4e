#![deny(unused_must_use)]
fn run(client: lark_client::baike_v1::Client) {
    client.file().download("boxbc");
}
fn main() {}
