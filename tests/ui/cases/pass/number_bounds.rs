//! `min`/`max` on float and integer fields compile and are checked (an i32 field's bound
//! beyond i32 is clamped, so it compiles and constrains nothing).
mod bounds {
    larkgen_macros::client!("tests/ui/specs/number-bounds.yaml");
}
use bounds::bounds_v1::ScoreBody;
use larkgen_runtime::{Validate, Violations};

fn broken(body: &ScoreBody) -> Vec<String> {
    let mut out = Violations::default();
    body.validate("body", &mut out);
    out.iter().map(|v| format!("{} {}", v.field, v.rule)).collect()
}

fn main() {
    let fine = ScoreBody { count: Some(7), total: Some(10), ..ScoreBody::new(0.5) };
    assert!(broken(&fine).is_empty(), "{:?}", broken(&fine));
    let wrong = ScoreBody { count: Some(0), total: Some(11), ..ScoreBody::new(1.5) };
    assert_eq!(broken(&wrong), ["body.ratio max = 1", "body.count min = 1", "body.total max = 10"]);
    assert!(broken(&ScoreBody { count: Some(i32::MAX), ..ScoreBody::new(0.0) }).is_empty());
}
