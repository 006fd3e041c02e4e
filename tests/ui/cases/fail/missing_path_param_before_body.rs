use lark_client::baike_v1::{EntityBody, DisplayStatus, Term};
fn run(client: lark_client::baike_v1::Client) {
    let body = EntityBody::new(vec![Term::new("Lark".into(), DisplayStatus::new(true, true))]);
    let _ = client.entity().update(body);
}
fn main() {}
