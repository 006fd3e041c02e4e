use lark_client::baike_v1::{DisplayStatus, EntityBody, EntityId, Term};
fn run(client: lark_client::baike_v1::Client) {
    let body = EntityBody::new(vec![Term::new("Lark".into(), DisplayStatus::new(true, true))]);
    let _ = client.entity().update(body, EntityId::new("enterprise_123"));
}
fn main() {}
