//! The build-script entry point:
//!
//! ```no_run
//! // build.rs: `fn main()` runs this.
//! let out = std::env::var("OUT_DIR").unwrap();
//! larkgen::Builder::new().spec("spec/baike-v1.yaml").write_to(out).unwrap();
//! // lib.rs: include!(concat!(env!("OUT_DIR"), "/larkgen.rs"));
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostics;
use crate::output::Generated;

/// Generates the client from a build script into `OUT_DIR/larkgen.rs`.
#[derive(Debug, Default, Clone)]
pub struct Builder {
    specs: Vec<PathBuf>,
    base: Option<PathBuf>,
}

/// Why a build-script generation failed.
#[derive(Debug)]
pub enum BuildError {
    /// The specs have errors (already printed to stderr).
    Spec(Diagnostics),
    /// Writing the output failed.
    Io(std::io::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::Spec(d) => d.fmt(f),
            BuildError::Io(e) => write!(f, "cannot write the generated client: {e}"),
        }
    }
}

impl std::error::Error for BuildError {}

impl Builder {
    /// A builder with no spec yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a service spec file (relative paths are relative to `CARGO_MANIFEST_DIR`).
    pub fn spec(mut self, path: impl AsRef<Path>) -> Self {
        self.specs.push(path.as_ref().to_path_buf());
        self
    }

    /// Directory that relative spec paths and diagnostics are relative to
    /// (default: `CARGO_MANIFEST_DIR`, else the working directory).
    pub fn base_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.base = Some(dir.as_ref().to_path_buf());
        self
    }

    fn base(&self) -> PathBuf {
        self.base
            .clone()
            .or_else(|| std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from))
            .unwrap_or_else(|| PathBuf::from("."))
    }

    /// Generates without writing.
    pub fn generate(&self) -> Result<Generated, Diagnostics> {
        let base = self.base();
        let paths: Vec<PathBuf> = self.specs.iter().map(|p| base.join(p)).collect();
        crate::generate(&paths, &base).map(|(g, _warnings)| g)
    }

    /// Generates and writes `larkgen.rs` into `dir`; prints `cargo:rerun-if-changed` for
    /// every spec file read, and the diagnostics to stderr on failure.
    pub fn write_to(&self, dir: impl AsRef<Path>) -> Result<PathBuf, BuildError> {
        let base = self.base();
        let paths: Vec<PathBuf> = self.specs.iter().map(|p| base.join(p)).collect();
        for p in &paths {
            println!("cargo:rerun-if-changed={}", p.display());
        }
        let (generated, warnings) = match crate::generate(&paths, &base) {
            Ok(ok) => ok,
            Err(diags) => {
                eprintln!("{}", diags.render_plain());
                return Err(BuildError::Spec(diags));
            }
        };
        for input in &generated.inputs {
            println!("cargo:rerun-if-changed={}", input.display());
        }
        for w in &warnings.0 {
            println!("cargo:warning={w}");
        }
        let target = dir.as_ref().join("larkgen.rs");
        let inline = generated.inline();
        if std::fs::read_to_string(&target).ok().as_deref() != Some(inline.as_str()) {
            std::fs::write(&target, &inline).map_err(BuildError::Io)?;
        }
        Ok(target)
    }
}
