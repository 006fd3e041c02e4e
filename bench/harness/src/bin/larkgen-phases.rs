//! `larkgen-phases`: larkgen's pipeline in-process, to explain the whole-process figures of
//! the generator. Uses the system allocator, like the larkgen CLI. Every command prints one
//! JSON object.
//!
//! ```text
//! larkgen-phases phases SPEC... [--repeat R]     load+check / expand / render, medians in ms
//! larkgen-phases floor RUST_FILE... [--repeat R] syn + prettyplease alone on finished code
//! larkgen-phases yaml YAML_FILE... [--repeat R]  granit-parser's events alone, nothing built
//! larkgen-phases inline SPEC... --out F           what `client!` expands to, as a file
//! ```

use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let mut argv = std::env::args().skip(1);
    let command = argv.next().unwrap_or_default();
    let (mut inputs, mut repeat, mut out) = (Vec::new(), 5usize, None);
    while let Some(a) = argv.next() {
        match a.as_str() {
            "--repeat" => repeat = argv.next().and_then(|v| v.parse().ok()).expect("--repeat N"),
            "--out" => out = Some(argv.next().expect("--out F")),
            _ => inputs.push(PathBuf::from(a)),
        }
    }
    let json = match command.as_str() {
        "phases" => phases(&inputs, repeat),
        "floor" => floor(&inputs, repeat),
        "yaml" => yaml(&inputs, repeat),
        "inline" => inline(&inputs, &out.expect("--out F")),
        _ => {
            eprintln!("usage: larkgen-phases phases|floor|yaml|inline …");
            std::process::exit(2);
        }
    };
    println!("{json}");
}

fn ms(a: Instant, b: Instant) -> f64 {
    (b - a).as_secs_f64() * 1e3
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The stages of `larkgen::generate`, timed apart on one thread: load + check (spec files →
/// IR), expand (IR → tokens per module) and render (prettyplease over every module; the CLI
/// spreads this over a thread scope); then `generate` as a whole, with its thread scope.
fn phases(specs: &[PathBuf], repeat: usize) -> serde_json::Value {
    let base = std::env::current_dir().expect("cwd");
    let mut rows: Vec<[f64; 5]> = Vec::new();
    for _ in 0..repeat {
        let t0 = Instant::now();
        let checked = larkgen::check(specs, &base);
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
        let generated = larkgen::generate(specs, &base).expect("valid spec");
        let t4 = Instant::now();
        std::hint::black_box(generated);
        rows.push([ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t0, t3), ms(t3, t4)]);
    }
    let col = |i: usize| median(rows.iter().map(|r| r[i]).collect());
    serde_json::json!({
        "bench": "phases", "specs": specs, "repeat": repeat,
        "check_ms": col(0), "expand_ms": col(1), "render_ms": col(2), "total_ms": col(3),
        "generate_ms": col(4),
    })
}

/// The least any generator that formats with syn + prettyplease can spend on a given output:
/// parsing the finished code's tokens into syntax trees, printing them, freeing them. The
/// file is parsed once beforehand (untimed) and its top-level items are formatted in groups
/// of [`FLOOR_CHUNK`], from their tokens: small trees cost less per item than one tree of
/// the whole file (≈ 260 vs 450 ms for 1,000 endpoints), and a generator is free to format
/// item by item. Summed over the files, one thread.
fn floor(files: &[PathBuf], repeat: usize) -> serde_json::Value {
    let chunks: Vec<proc_macro2::TokenStream> = files
        .iter()
        .flat_map(|f| {
            let text = std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            let file = syn::parse_file(&text).expect("a Rust file");
            let items: Vec<proc_macro2::TokenStream> =
                file.items.iter().map(quote::ToTokens::to_token_stream).collect();
            items.chunks(FLOOR_CHUNK).map(|c| c.iter().cloned().collect()).collect::<Vec<_>>()
        })
        .collect();
    let (mut parse, mut print, mut total) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..repeat {
        let (mut p, mut u, mut t) = (0.0, 0.0, 0.0);
        for tokens in chunks.clone() {
            let t0 = Instant::now();
            let file = syn::parse2::<syn::File>(tokens).expect("a Rust file");
            let t1 = Instant::now();
            let printed = prettyplease::unparse(&file);
            let t2 = Instant::now();
            drop(file);
            drop(printed);
            let t3 = Instant::now();
            (p, u, t) = (p + ms(t0, t1), u + ms(t1, t2), t + ms(t0, t3));
        }
        parse.push(p);
        print.push(u);
        total.push(t);
    }
    serde_json::json!({
        "bench": "floor", "files": files, "repeat": repeat, "chunk_items": FLOOR_CHUNK,
        "parse_ms": median(parse), "print_ms": median(print), "total_ms": median(total),
    })
}

/// Top-level items per formatted piece in [`floor`] (3–30 all measure within 10%).
const FLOOR_CHUNK: usize = 10;

/// The least any generator reading its spec with larkgen's YAML parser spends on it: every
/// event of every file drained, nothing built (no tree, no spans kept).
fn yaml(files: &[PathBuf], repeat: usize) -> serde_json::Value {
    let texts: Vec<String> =
        files.iter().map(|f| std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{}: {e}", f.display()))).collect();
    let mut total = Vec::new();
    for _ in 0..repeat {
        let t0 = Instant::now();
        for text in &texts {
            let mut parser = granit_parser::Parser::new_from_str(text);
            while let Some(event) = parser.next_event() {
                std::hint::black_box(event.expect("YAML"));
            }
        }
        total.push(ms(t0, Instant::now()));
    }
    serde_json::json!({"bench": "yaml", "files": files, "repeat": repeat, "total_ms": median(total)})
}

/// Writes the single-file inline form (what `larkgen_macros::client!` expands to, formatted)
/// of the specs to `out`: the pre-generated twin of a crate using the macro.
fn inline(specs: &[PathBuf], out: &str) -> serde_json::Value {
    let base = std::env::current_dir().expect("cwd");
    let (generated, _) = larkgen::generate(specs, &base).unwrap_or_else(|d| panic!("spec errors: {d:?}"));
    std::fs::write(out, generated.inline()).expect("write inline");
    serde_json::json!({"bench": "inline", "out": out, "lines": generated.inline().lines().count()})
}
