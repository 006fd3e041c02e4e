larkgen_macros::client!("tests/ui/specs/unknown-type.yaml");
fn main() {}
