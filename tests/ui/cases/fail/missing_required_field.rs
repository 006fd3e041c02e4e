use lark_client::baike_v1::EntityBody;
fn main() {
    let _ = EntityBody { aliases: None, description: Some("d".into()), related_meta: None, outer_info: None, rich_text: None };
}
