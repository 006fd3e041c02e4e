larkgen_macros::client!("tests/ui/specs/bad-method.yaml");
fn main() {}
