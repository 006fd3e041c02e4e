use lark_client::baike_v1::{Client, DisplayStatus, DraftUpdateBody, EntityId, Term};
fn run(client: Client) {
    let body = DraftUpdateBody::new(vec![Term::new("x".into(), DisplayStatus::new(true, true))]);
    let _ = client.draft().update(EntityId::new("enterprise_1"), body);
}
fn main() {}
