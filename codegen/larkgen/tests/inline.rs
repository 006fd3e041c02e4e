//! Every non-generic function of a service module is `#[inline]` (expand/mod.rs says why: its
//! machine code is made in the crate that calls it). An emitter that forgets the attribute
//! fails here, naming the function.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

/// `(path, has #[inline])` of every function in an `impl` block of `items`, nested modules
/// included, skipping functions with type parameters (compiled where used anyway).
fn impl_functions(items: &[syn::Item], path: &str, out: &mut Vec<(String, bool)>) {
    for item in items {
        match item {
            syn::Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    impl_functions(inner, &format!("{path}::{}", m.ident), out);
                }
            }
            syn::Item::Impl(block) => {
                let ty = quote::ToTokens::to_token_stream(&block.self_ty).to_string();
                for f in block.items.iter().filter_map(|i| if let syn::ImplItem::Fn(f) = i { Some(f) } else { None }) {
                    let generic = f.sig.generics.params.iter().any(|p| matches!(p, syn::GenericParam::Type(_)));
                    if !generic {
                        let inline = f.attrs.iter().any(|a| a.path().is_ident("inline"));
                        out.push((format!("{path}::{ty}::{}", f.sig.ident), inline));
                    }
                }
            }
            _ => {}
        }
    }
}

#[test]
fn every_generated_function_is_inline() {
    // Baike (uploads, downloads, id types), Lingo (pages, enums) and IM (tagged JSON, error
    // enums with many codes): every emitter's shapes.
    let specs: Vec<PathBuf> =
        ["baike-v1.yaml", "lingo-v1.yaml", "im-v1.yaml"].iter().map(|f| root().join("spec").join(f)).collect();
    let (generated, _) = larkgen::generate(&specs, &root()).expect("the committed specs are valid");
    let file = syn::parse_file(&generated.inline()).expect("valid Rust");
    let mut functions = Vec::new();
    impl_functions(&file.items, "crate", &mut functions);
    let missing: Vec<&str> = functions.iter().filter(|(_, inline)| !inline).map(|(p, _)| p.as_str()).collect();
    assert!(functions.len() > 1_000, "the specs yield functions to check: {}", functions.len());
    assert!(missing.is_empty(), "{} generated functions lack #[inline]: {missing:?}", missing.len());
}
