use lark_client::baike_v1::EntityBody;
fn main() {
    let _ = EntityBody { description: Some("d".into()), ..Default::default() };
}
