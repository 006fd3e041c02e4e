//! larkgen: YAML specs of Lark/Feishu open-API endpoints → a typed async Rust client.
//!
//! ```text
//! spec/*.yaml ─load─▶ YAML tree (spans) ─check─▶ IR (names decided) ─expand─▶ items ─render─▶ files
//! ```
//!
//! load: `load.rs` reads files, `yaml.rs` parses each once into a tree of spanned nodes,
//! `shape.rs` reads the tree into the spec model (`spec.rs`); check: `valid/`; expand:
//! `expand/` (the parts of each module); render: `output.rs` (prettyplease, the files;
//! `layout.rs`: the crate form, a crate per service).
//!
//! Three entry points share this library and emit identical code: the `larkgen` CLI
//! (writes the committed crate), [`Builder`] for build scripts, and the `larkgen-macros`
//! proc-macro (through [`macro_support`]).
//!
//! [`diff`] compares two versions of the specs and weighs each change by semver
//! (`larkgen diff`, [`diff_files`]).

#![deny(missing_docs)]

mod builder;
pub mod diag;
pub mod diff;
mod expand;
pub mod features;
pub mod import;
pub mod ir;
mod layout;
mod load;
pub mod macro_support;
mod names;
mod output;
mod shape;
mod source;
mod spec;
mod valid;
mod yaml;

use std::path::{Path, PathBuf};

pub use builder::{BuildError, Builder};
pub use diag::{Diagnostic, Diagnostics, Severity};
pub use expand::{Expanded, expand};
pub use output::{BANNER, Generated, Written, pretty};

/// The result of checking specs: the IR when there is no error, and every diagnostic.
#[derive(Debug)]
pub struct Checked {
    /// The checked model, when the specs have no error.
    pub api: Option<ir::Api>,
    /// Errors and warnings, in file order.
    pub diagnostics: Diagnostics,
    /// Files read (service files and the platform file).
    pub inputs: Vec<PathBuf>,
}

/// The spec files of a directory (`*.yaml`, `*.yml`), sorted: what `larkgen generate`
/// reads from `spec/` when no file is named. An unreadable directory has none.
pub fn spec_files(dir: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
        .collect();
    found.sort();
    found
}

/// Loads and validates spec files; diagnostics name files relative to `base`.
pub fn check(paths: &[PathBuf], base: &Path) -> Checked {
    valid::check(load::Files::Disk, paths, base)
}

/// Like [`check`], for specs held in memory as `(name, text)` pairs, e.g. in tests and
/// fuzzing: every pair is checked as if given on the command line, a service's
/// `platform:` is looked up among the names (relative to the service's name), and
/// diagnostics name files as given. No file is read.
///
/// ```
/// let checked = larkgen::check_sources(&[("svc.yaml", "service: 1\n")]);
/// assert!(checked.diagnostics.has_errors());
/// ```
pub fn check_sources(sources: &[(&str, &str)]) -> Checked {
    let files: Vec<(PathBuf, String)> = sources.iter().map(|(n, t)| (PathBuf::from(n), (*t).to_owned())).collect();
    let paths: Vec<PathBuf> = files.iter().map(|(p, _)| p.clone()).collect();
    valid::check(load::Files::Memory(&files), &paths, Path::new(""))
}

/// Loads, checks, expands and renders. `Err` holds every diagnostic when there is an error;
/// warnings come back with the output.
pub fn generate(paths: &[PathBuf], base: &Path) -> Result<(Generated, Diagnostics), Diagnostics> {
    let checked = check(paths, base);
    let Some(api) = checked.api else {
        return Err(checked.diagnostics);
    };
    match output::render(&api, checked.inputs) {
        Ok(generated) => Ok((generated, checked.diagnostics)),
        Err(message) => {
            let mut d = Diagnostics::default();
            let loc = diag::Loc::nowhere(Path::new("<larkgen>"), "<larkgen>");
            d.error(&loc, message, "", "please report this with the spec that triggers it");
            Err(d)
        }
    }
}

/// Checks two versions of the specs and lists what changed from `old` to `new`, each change
/// with its semver impact ([`diff::diff`]; [`diff::semver`] gives the verdict). `old` and
/// `new` are spec files as [`check`] takes them (a directory's are [`spec_files`]);
/// diagnostics name files relative to `base`. `Err` holds the errors of both sides when
/// either has one; warnings are left out.
pub fn diff_files(old: &[PathBuf], new: &[PathBuf], base: &Path) -> Result<Vec<diff::Change>, Diagnostics> {
    let (old, new) = (check(old, base), check(new, base));
    match (old.api, new.api) {
        (Some(old), Some(new)) => Ok(diff::diff(&old, &new)),
        _ => {
            let errors =
                old.diagnostics.0.into_iter().chain(new.diagnostics.0).filter(|d| d.severity == Severity::Error);
            Err(Diagnostics(errors.collect()))
        }
    }
}
