larkgen_macros::client!(spec / baike);
fn main() {}
