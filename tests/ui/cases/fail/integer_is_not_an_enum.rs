use lark_client::baike_v1::EntitySearchBody;
fn main() {
    let _ = EntitySearchBody { sources: Some(vec![1]), ..Default::default() };
}
