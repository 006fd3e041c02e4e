use lark_client::baike_v1::Term;
fn main() {
    let _ = Term::new("Lark".into());
}
