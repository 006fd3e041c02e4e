//! What the `larkgen_macros::client!` proc-macro does, as a plain function so it can be
//! tested and compared with the CLI's output. Spec errors become `compile_error!`s whose
//! message names the spec file, line and column.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{LitStr, Token};

/// Expands `client!("spec/baike-v1.yaml", …)`; paths are relative to `manifest_dir`.
pub fn expand(input: TokenStream, manifest_dir: &Path) -> TokenStream {
    let parser = Punctuated::<LitStr, Token![,]>::parse_terminated;
    let literals = match parser.parse2(input) {
        Ok(l) if !l.is_empty() => l,
        Ok(_) => {
            return syn::Error::new(
                proc_macro2::Span::call_site(),
                "expected a spec path: `client!(\"spec/baike-v1.yaml\")`",
            )
            .to_compile_error();
        }
        Err(e) => return e.to_compile_error(),
    };
    let first = literals.first().expect("non-empty").clone();
    let paths: Vec<PathBuf> = literals.iter().map(|l| manifest_dir.join(l.value())).collect();
    let checked = crate::check(&paths, manifest_dir);
    let Some(api) = checked.api else {
        let errors = checked.diagnostics.errors().map(|d| {
            // rustc prints `error: ` itself; the rendering then names file:line:col under it.
            let rendered = d.render_plain();
            let message = rendered.strip_prefix("error: ").unwrap_or(&rendered).trim_end().to_owned();
            syn::Error::new(first.span(), message).to_compile_error()
        });
        return quote!(#(#errors)*);
    };
    let tokens = crate::expand(&api).inline();
    // Recompile when a spec file changes.
    let tracked = checked.inputs.iter().filter_map(|p| p.canonicalize().ok()).map(|p| {
        let p = p.to_string_lossy().into_owned();
        quote!(
            const _: &[u8] = include_bytes!(#p);
        )
    });
    quote!(#tokens #(#tracked)*)
}
