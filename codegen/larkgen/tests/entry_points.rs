//! The three entry points (CLI files, build.rs builder, proc-macro) emit identical code,
//! and the committed crate is what the spec produces.

use std::path::{Path, PathBuf};

use quote::{ToTokens, quote};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

fn baike() -> (larkgen::Generated, larkgen::Diagnostics) {
    let root = root();
    larkgen::generate(&[root.join("spec/baike-v1.yaml")], &root).expect("the committed spec is valid")
}

fn without_banner(text: &str) -> &str {
    text.strip_prefix(larkgen::BANNER).expect("banner first")
}

/// Each item pretty-printed alone at top level, so nesting depth does not change wrapping.
fn normalized(item: &syn::Item) -> String {
    prettyplease::unparse(&{
        let mut f = syn::parse_file("").expect("empty file");
        f.items.push(item.clone());
        f
    })
}

fn items(text: &str) -> Vec<String> {
    syn::parse_file(text).expect("valid Rust").items.iter().map(normalized).collect()
}

/// Every spec file in spec/, as `larkgen generate` reads them by default.
fn all_specs() -> Vec<PathBuf> {
    let specs = larkgen::spec_files(&root().join("spec"));
    assert!(specs.len() >= 2, "spec/ holds the Baike and lingo services");
    specs
}

#[test]
fn committed_crate_is_up_to_date() {
    // The committed crate holds every service of spec/, not only Baike.
    let (generated, _) = larkgen::generate(&all_specs(), &root()).expect("the committed specs are valid");
    let stale = generated.stale_files(&root().join("generated/src")).expect("readable");
    assert!(stale.is_empty(), "run `cargo run -p larkgen-cli -- generate`; stale: {stale:?}");
}

#[test]
fn build_rs_builder_writes_the_inline_form() {
    let (generated, _) = baike();
    let out = tempfile::tempdir().expect("tempdir");
    let written =
        larkgen::Builder::new().base_dir(root()).spec("spec/baike-v1.yaml").write_to(out.path()).expect("generates");
    assert_eq!(std::fs::read_to_string(written).expect("written"), generated.inline());
}

#[test]
fn macro_expands_to_the_inline_form() {
    let (generated, _) = baike();
    let expanded = larkgen::macro_support::expand(quote!("spec/baike-v1.yaml"), &root());
    let mut file: syn::File = syn::parse2(expanded).expect("valid Rust");
    // The macro adds `include_bytes!` constants so rustc recompiles when a spec changes.
    let tracked = file.items.iter().filter(|i| i.to_token_stream().to_string().contains("include_bytes")).count();
    assert_eq!(tracked, 2, "both the service and the platform file are tracked");
    file.items.retain(|i| !i.to_token_stream().to_string().contains("include_bytes"));
    let inline = syn::parse_file(without_banner(&generated.inline())).expect("valid Rust");
    let (from_macro, from_builder) = (tree(&file.items), tree(&inline.items));
    assert_eq!(from_macro.len(), from_builder.len());
    for (a, b) in from_macro.iter().zip(&from_builder) {
        assert!(a == b, "the macro and the builder differ:\n{a}\n---\n{b}");
    }
}

/// Every item normalized, modules flattened into their own items (with their inner docs).
fn tree(items: &[syn::Item]) -> Vec<String> {
    let mut out = Vec::new();
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                let docs: Vec<String> = m
                    .attrs
                    .iter()
                    .filter_map(|a| match &a.meta {
                        syn::Meta::NameValue(nv) => match &nv.value {
                            syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. }) => Some(s.value()),
                            _ => None,
                        },
                        _ => None,
                    })
                    .collect();
                out.push(format!("mod {} {docs:?}", m.ident));
                out.extend(tree(&m.content.as_ref().expect("inline module").1));
            }
            other => out.push(normalized(other)),
        }
    }
    out
}

#[test]
fn cli_files_hold_the_same_items_as_the_inline_form() {
    let (generated, _) = baike();
    let inline = syn::parse_file(&generated.inline()).expect("valid");
    let file =
        |name: &str| generated.files.iter().find(|(p, _)| p == Path::new(name)).map(|(_, t)| t.clone()).expect(name);
    let mut platform_items = Vec::new();
    for item in &inline.items {
        match item {
            syn::Item::Mod(m) => {
                let body: Vec<String> = m.content.as_ref().expect("inline module").1.iter().map(normalized).collect();
                let cli = items(&file(&format!("{}.rs", m.ident)));
                assert_eq!(body.len(), cli.len(), "module {}", m.ident);
                for (a, b) in body.iter().zip(&cli) {
                    assert!(a == b, "module {} differs:\n{a}\n---\n{b}", m.ident);
                }
            }
            other => platform_items.push(normalized(other)),
        }
    }
    assert_eq!(platform_items, items(&file("platform.rs")));
}

#[test]
fn snapshot_of_a_download_only_service() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let (generated, warnings) = larkgen::generate(&[dir.join("download-only.yaml")], &dir).expect("valid fixture");
    assert!(warnings.0.is_empty(), "{}", warnings.render_plain());
    let service = &generated.files.iter().find(|(p, _)| p == Path::new("baike_v1.rs")).expect("service file").1;
    insta::assert_snapshot!("download_only_baike_v1", service);
    let platform = &generated.files.iter().find(|(p, _)| p == Path::new("platform.rs")).expect("platform file").1;
    insta::assert_snapshot!("download_only_platform", platform);
}

#[test]
fn parallel_formatting_equals_one_pass_over_each_module() {
    // `generate` expands and formats a service module part by part on several threads; joined,
    // the text must be exactly what one prettyplease pass over the whole module prints.
    let root = root();
    let specs = all_specs();
    let (generated, _) = larkgen::generate(&specs, &root).expect("valid");
    let checked = larkgen::check(&specs, &root);
    let expanded = larkgen::expand(&checked.api.expect("valid"));
    assert!(expanded.services.len() >= 2, "both Baike and lingo");
    for (module, tokens) in &expanded.services {
        let one_pass = larkgen::pretty(tokens.clone()).expect("valid Rust");
        let (_, file) =
            generated.files.iter().find(|(p, _)| *p == Path::new(&format!("{module}.rs"))).expect("a file per service");
        assert!(without_banner(file) == one_pass, "{module}.rs differs from one formatting pass");
    }
}
