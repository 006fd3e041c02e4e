//! larkgen: YAML specs of Lark/Feishu open-API endpoints → a typed async Rust client.
//!
//! ```text
//! spec/*.yaml ─load─▶ spec model (spans) ─valid─▶ IR ─expand─▶ tokens ─prettyplease─▶ files
//! ```
//!
//! Three entry points share this library and emit identical code: the `larkgen` CLI
//! (writes the committed crate), [`Builder`] for build scripts, and the `larkgen-macros`
//! proc-macro (through [`macro_support`]).

#![deny(missing_docs)]

mod builder;
mod case;
pub mod diag;
mod expand;
pub mod ir;
mod load;
pub mod macro_support;
mod output;
mod pool;
mod source;
mod spec;
mod split;
mod valid;

use std::path::{Path, PathBuf};

pub use builder::{BuildError, Builder};
pub use diag::{Diagnostic, Diagnostics, Severity};
pub use expand::{Expanded, expand};
pub use output::{BANNER, Generated, pretty};

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
    check_with(paths, base, &pool::Helpers::own_threads(), &|_| {})
}

/// [`check`], with background work (other copies of a big file, the platform file) sent to
/// `helpers`, and `on_platform` told the checked platform as soon as it is known.
fn check_with(
    paths: &[PathBuf],
    base: &Path,
    helpers: &pool::Helpers<'_>,
    on_platform: &dyn Fn(&ir::Platform),
) -> Checked {
    let (api, diagnostics, inputs) = valid::check(load::Files::Disk, paths, base, helpers, on_platform);
    Checked { api, diagnostics, inputs }
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
    let helpers = pool::Helpers::own_threads();
    let (api, diagnostics, inputs) =
        valid::check(load::Files::Memory(&files), &paths, Path::new(""), &helpers, &|_| {});
    Checked { api, diagnostics, inputs }
}

/// Loads, validates and generates. `Err` holds every diagnostic when there is an error;
/// warnings come back with the output.
pub fn generate(paths: &[PathBuf], base: &Path) -> Result<(Generated, Diagnostics), Diagnostics> {
    match output::check_then_render(|helpers, on_platform| check_with(paths, base, helpers, on_platform)) {
        Ok(Ok(done)) => Ok(done),
        Ok(Err(diagnostics)) => Err(diagnostics),
        Err(message) => Err(internal_error(message)),
    }
}

/// Threads the generator uses for reading and formatting: the cores, up to 8 (beyond that
/// the pieces of a typical spec are too few to gain). Asked once: the answer comes from
/// cgroup files.
pub(crate) fn workers() -> usize {
    static WORKERS: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *WORKERS.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()).min(8))
}

fn internal_error(message: String) -> Diagnostics {
    let file = std::sync::Arc::new(source::SourceFile::new(Path::new("<larkgen>"), "<larkgen>".into(), String::new()));
    let mut d = Diagnostics::default();
    d.error(&diag::Loc::start_of(&file), message, "", Some("please report this with the spec that triggers it".into()));
    d
}
