//! `larkgen_macros::client!("spec/baike-v1.yaml")`: the generated client, expanded in place.
//!
//! Paths are relative to `CARGO_MANIFEST_DIR`. The expansion is the same code the `larkgen`
//! CLI writes (services as inline modules), and the crate recompiles when a spec changes.
//! A spec error is a compile error naming the spec file, line and column.

use proc_macro::TokenStream;

/// Expands to `PLATFORM`, `builder()` and one `pub mod <service>_<version>` per spec file.
#[proc_macro]
pub fn client(input: TokenStream) -> TokenStream {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(std::path::PathBuf::from).unwrap_or_default();
    larkgen::macro_support::expand(input.into(), &manifest_dir).into()
}
