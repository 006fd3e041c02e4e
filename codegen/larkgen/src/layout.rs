//! The generated crate as the CLI keeps it (a `Cargo.toml` next to `--out`): a facade
//! (`src/lib.rs`, `src/platform.rs`) and one crate per service under `services/<service>/`
//! (`Cargo.toml`, `src/lib.rs`, a module per version). The facade's feature of a service
//! enables that crate and re-exports its modules, so users see one crate. Why a crate per
//! service: rustc checks a crate on one core, in a time that grows faster than the crate
//! (BENCHMARKS.md, "Against openlark"), and cargo compiles separate crates side by side.
//! The modules are the same text as in the flat form (no manifest) and the one-file form.

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::features::{Feature, service_package};
use crate::output::{BANNER, Generated, lib_tokens, pretty};

/// The directory of the service crates, in the crate's root.
pub(crate) const SERVICES: &str = "services";

/// The first line of the manifests this module writes: [`BANNER`] as a TOML comment.
fn manifest_banner() -> String {
    format!("#{}", BANNER.trim_start_matches('/'))
}

/// The files of the crate form, relative to the crate's root directory: the facade's sources,
/// then each service crate's manifest, root and modules.
pub(crate) fn files(generated: &Generated, package: &str) -> Result<Vec<(PathBuf, String)>, String> {
    let mut files = vec![
        (PathBuf::from("src/lib.rs"), format!("{BANNER}{}", pretty(facade_lib(&generated.features, package))?)),
        (PathBuf::from("src/platform.rs"), generated.files[1].1.clone()),
    ];
    for feature in &generated.features {
        let dir = Path::new(SERVICES).join(&feature.name);
        files.push((dir.join("Cargo.toml"), manifest(feature, package)));
        files.push((dir.join("src/lib.rs"), format!("{BANNER}{}", pretty(service_lib(feature, package))?)));
        for module in &feature.modules {
            let name = PathBuf::from(format!("{module}.rs"));
            let text = generated.files.iter().find(|(path, _)| *path == name).map(|(_, text)| text.clone());
            let text = text.ok_or_else(|| format!("module {module} was not rendered (a generator bug)"))?;
            files.push((dir.join("src").join(name), text));
        }
    }
    Ok(files)
}

/// Whether a directory of `services/` is a service crate this module wrote (its manifest
/// starts with the banner): only those are removed when their service is gone.
pub(crate) fn is_generated_crate(dir: &Path) -> bool {
    std::fs::read_to_string(dir.join("Cargo.toml")).is_ok_and(|text| text.starts_with(&manifest_banner()))
}

/// The facade's `lib.rs`: each module re-exported from its service's crate, under its feature.
fn facade_lib(features: &[Feature], package: &str) -> TokenStream {
    let reexports = features.iter().flat_map(|feature| {
        let krate = format_ident!("{}", service_package(package, &feature.name).replace('-', "_"));
        let name = &feature.name;
        feature.modules.iter().map(move |module| {
            let module = format_ident!("{module}");
            quote!(#[cfg(feature = #name)] #[doc(inline)] pub use #krate::#module;)
        })
    });
    lib_tokens(features, quote!(#(#reexports)*))
}

/// A service crate's `lib.rs`: its modules, one per version.
fn service_lib(feature: &Feature, package: &str) -> TokenStream {
    let doc = format!(
        " The `{}` service of `{package}` ({}): depend on `{package}` with its feature `{}`, which re-exports these modules.",
        feature.name,
        feature.modules.join(", "),
        feature.name
    );
    // Module files are `#[rustfmt::skip]`, as in the facade: `cargo fmt` must not reformat
    // prettyplease output, or the drift check would fail.
    let modules = feature.modules.iter().map(|module| {
        let module = format_ident!("{module}");
        quote!(#[rustfmt::skip] pub mod #module;)
    });
    quote! {
        #![doc = #doc]
        #![deny(warnings, missing_docs)]
        #(#modules)*
    }
}

/// A service crate's `Cargo.toml`: the package fields and the runtime from the workspace.
fn manifest(feature: &Feature, package: &str) -> String {
    format!(
        "{}[package]\nname = \"{}\"\ndescription = \"The `{}` service of {package} ({}), which re-exports it under its feature `{}`.\"\n\
         version.workspace = true\nedition.workspace = true\nrust-version.workspace = true\nlicense.workspace = true\n\n\
         # No doctests in generated code: `cargo test` need not run rustdoc on it.\n[lib]\ndoctest = false\n\n\
         [dependencies]\nlarkgen-runtime.workspace = true\n",
        manifest_banner(),
        service_package(package, &feature.name),
        feature.name,
        feature.modules.join(", "),
        feature.name
    )
}
