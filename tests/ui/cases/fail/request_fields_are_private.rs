fn run(client: lark_client::baike_v1::Client) {
    let mut request = client.entity().list();
    request.page_token = Some("forged".into());
}
fn main() {}
