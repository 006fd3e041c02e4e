use lark_client::baike_v1::{Client, FileToken};
fn run(client: Client) {
    let _ = client.entity().get(FileToken::new("boxbc"));
}
fn main() {}
