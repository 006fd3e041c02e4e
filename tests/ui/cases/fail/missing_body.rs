fn run(client: lark_client::baike_v1::Client) {
    let _ = client.entity().create();
}
fn main() {}
