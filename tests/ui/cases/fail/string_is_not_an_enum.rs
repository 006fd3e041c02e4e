fn run(client: lark_client::baike_v1::Client) {
    let _ = client.entity().get("enterprise_1").user_id_type("user_id");
}
fn main() {}
