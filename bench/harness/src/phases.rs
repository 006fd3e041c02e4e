//! larkgen's pipeline phase by phase, in-process, to explain the whole-process figures:
//! load + validate (`check`), `expand` (IR → tokens) and `pretty` (syn + prettyplease) of
//! every crate file. (`render` assembles the single-file inline form from the formatted
//! files since 0dd8067, so it is not formatted a second time.)

use std::path::PathBuf;
use std::time::Instant;

use crate::Args;

pub fn run(args: &Args) -> String {
    let paths: Vec<PathBuf> = args.positional.iter().map(PathBuf::from).collect();
    let repeat: usize = args.num("repeat", 5);
    let base = std::env::current_dir().expect("cwd");
    let mut rows: Vec<[f64; 4]> = Vec::new();
    for _ in 0..repeat {
        let t0 = Instant::now();
        let checked = larkgen::check(&paths, &base);
        let api = checked.api.expect("valid spec");
        let t1 = Instant::now();
        let expanded = larkgen::expand(&api);
        let t2 = Instant::now();
        let mut lines = 0;
        for (_, tokens) in &expanded.services {
            lines += larkgen::pretty(tokens.clone()).expect("pretty").lines().count();
        }
        let platform = larkgen::pretty(expanded.platform.clone()).expect("pretty platform");
        let t3 = Instant::now();
        std::hint::black_box((lines, platform.len()));
        let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1e3;
        rows.push([ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t0, t3)]);
    }
    let median = |i: usize| {
        let mut v: Vec<f64> = rows.iter().map(|r| r[i]).collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    serde_json::json!({
        "bench": "phases", "specs": args.positional, "repeat": repeat,
        "check_ms": median(0), "expand_ms": median(1), "pretty_ms": median(2), "total_ms": median(3),
    })
    .to_string()
}

/// Writes the single-file inline form (what `larkgen_macros::client!` expands to, formatted)
/// of the specs to `--out`: the pre-generated twin of a crate using the macro.
pub fn inline(args: &Args) -> String {
    let paths: Vec<PathBuf> = args.positional.iter().map(PathBuf::from).collect();
    let base = std::env::current_dir().expect("cwd");
    let (generated, _) = larkgen::generate(&paths, &base).unwrap_or_else(|d| panic!("spec errors: {d:?}"));
    let out = args.str("out");
    std::fs::write(&out, generated.inline()).expect("write inline");
    serde_json::json!({"bench": "inline", "out": out, "lines": generated.inline().lines().count()}).to_string()
}
