//! The `larkgen` command.
//!
//! - `larkgen generate` regenerates the committed client crate from `spec/*.yaml`: its sources,
//!   and the feature lines (one per service) of the `Cargo.toml` next to them.
//! - `larkgen check` validates specs (exit 1 on errors, 0 on warnings only) and fails,
//!   naming the stale files, when the committed crate differs from what the specs produce.
//! - `larkgen diff OLD NEW` lists what changed between two versions of the specs and the
//!   semver impact of each change on the generated crate.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod coverage;
mod diff;
mod import;

/// The generator makes and frees millions of small token and syntax trees; mimalloc runs it
/// 15-18% faster than the system allocator (BENCHMARKS.md, "The CLI's allocator"). Built without
/// transparent huge pages, which would double a small spec's peak memory. Only this binary:
/// the library leaves the allocator to its host (build scripts, rustc running the macro).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "larkgen",
    version,
    about = "Generate a typed Lark/Feishu API client from YAML specs",
    long_about = "Generate a typed Lark/Feishu API client from YAML specs.\n\n\
        Run from a directory with `spec/*.yaml` (one file per service plus the platform file they \
        name), or name spec files. Paths are relative to the working directory; diagnostics name \
        spec files by file:line:column.",
    after_help = "Exit codes: 0 success (warnings may be printed), 1 spec errors or stale \
        generated code, 2 bad command-line usage, 3 breaking changes found by \
        `diff --fail-on-breaking`."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the generated crate's sources: lib.rs, platform.rs and one module per service.
    ///
    /// Files that already hold the right text are left alone; other `.rs` files in the
    /// directory are removed (they belong to services no longer in the specs). When the
    /// directory's parent has a Cargo.toml, the lines of its `[features]` table between the
    /// `# @generated` markers are rewritten: a feature per service and `all` (markers added
    /// when missing; the rest of the file, `default` included, is left as written).
    Generate {
        /// Spec files [default: every .yaml/.yml file in spec/].
        specs: Vec<PathBuf>,
        /// Directory of the generated crate's sources.
        #[arg(long, default_value = "generated/src")]
        out: PathBuf,
    },
    /// Validate specs, and check that generated code is up to date with them.
    ///
    /// The generated code compared is the directory given with --generated, else
    /// generated/src when it exists; with neither, only the specs are validated. The
    /// Cargo.toml next to that directory, when there is one, is compared too (its feature lines).
    /// Exit code 1 on a spec error or a stale, missing or extra generated file.
    Check {
        /// Spec files [default: every .yaml/.yml file in spec/].
        specs: Vec<PathBuf>,
        /// Directory of the generated crate's sources to compare with [default: generated/src,
        /// when it exists].
        #[arg(long)]
        generated: Option<PathBuf>,
        /// Only validate the specs, even when generated code exists.
        #[arg(long, conflicts_with = "generated")]
        no_drift: bool,
    },
    /// Import Lark's official API metadata (OpenAPI 3.0 with `x-lark-*` extensions) into spec
    /// files, one per service version, each passing `check`.
    ///
    /// Each spec file is the metadata merged with its overlay (`<overlays>/<service>-<version>.yaml`,
    /// the hand curation that survives re-import). A spec file in --out that `import` did not
    /// write (no import banner) is hand-written and never overwritten. Operations that cannot be
    /// imported are listed with their reason in the coverage table.
    /// Exit code 1 on unreadable input, or with --check when anything would change.
    Import {
        /// OpenAPI documents, or directories of them [default: corpus/lark-openapi/openapi].
        inputs: Vec<PathBuf>,
        /// Directory of the spec files; its platform.yaml is the imported specs' platform file.
        #[arg(long, default_value = "spec")]
        out: PathBuf,
        /// Directory of the overlays.
        #[arg(long, default_value = "spec/overlay")]
        overlays: PathBuf,
        /// Where to write the coverage table.
        #[arg(long, default_value = "docs/coverage.md")]
        coverage: PathBuf,
        /// Write nothing; fail when a spec file or the coverage table would change.
        #[arg(long)]
        check: bool,
    },
    /// List what changed from the OLD specs to the NEW ones, and the semver impact of each
    /// change on the generated crate: breaking changes first, then additive, then patch.
    ///
    /// OLD and NEW are each a spec file or a directory (every .yaml/.yml file in it, the
    /// platform file included). Both are checked first. The rules: docs/diff.md.
    #[command(after_help = "Exit codes: 0 whatever the verdict, 1 spec errors (or a missing OLD/NEW), \
        2 bad command-line usage, 3 breaking changes with --fail-on-breaking.")]
    Diff {
        /// The specs before: a service file or a directory of spec files.
        old: PathBuf,
        /// The specs after: a service file or a directory of spec files.
        new: PathBuf,
        /// Only list breaking changes (the verdict still counts every change).
        #[arg(long)]
        breaking_only: bool,
        /// Print the changes and the verdict as JSON.
        #[arg(long)]
        json: bool,
        /// Exit with code 3 when a change is breaking.
        #[arg(long)]
        fail_on_breaking: bool,
    },
}

/// The generated sources `check` compares with: those named, else the default directory
/// when there is one (outside this repository there usually is none).
const DEFAULT_GENERATED: &str = "generated/src";

fn main() -> ExitCode {
    let cli = Cli::parse();
    let base = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    match cli.command {
        Command::Generate { specs, out } => generate(&specs_or_default(specs), &base, &out),
        Command::Check { specs, generated, no_drift } => {
            let generated = generated.or_else(|| Some(PathBuf::from(DEFAULT_GENERATED)).filter(|d| d.is_dir()));
            check(&specs_or_default(specs), &base, generated.as_deref().filter(|_| !no_drift))
        }
        Command::Import { inputs, out, overlays, coverage, check } => {
            import::run(&import::Args { inputs, out, overlays, coverage: Some(coverage), check })
        }
        Command::Diff { old, new, breaking_only, json, fail_on_breaking } => {
            let output = diff::Output { breaking_only, json, fail_on_breaking };
            diff::run(&old, &new, &base, output)
        }
    }
}

fn specs_or_default(specs: Vec<PathBuf>) -> Vec<PathBuf> {
    if !specs.is_empty() {
        return specs;
    }
    larkgen::spec_files(Path::new("spec"))
}

pub(crate) fn report(diags: &larkgen::Diagnostics) {
    for d in &diags.0 {
        eprintln!("{:?}", miette::Report::new(d.clone()));
    }
}

fn generate(specs: &[PathBuf], base: &Path, out: &Path) -> ExitCode {
    match larkgen::generate(specs, base) {
        Ok((generated, warnings)) => {
            report(&warnings);
            let written = match generated.write_crate(out) {
                Ok(written) => written,
                Err(e) => {
                    eprintln!("error: cannot write {}: {e}", out.display());
                    return ExitCode::FAILURE;
                }
            };
            for path in &written.files {
                println!("wrote {}", path.display());
            }
            match written.manifest {
                Some(manifest) => println!("wrote the service crates and features of {}", manifest.display()),
                None => println!("no Cargo.toml next to {}: declare its service features yourself", out.display()),
            }
            ExitCode::SUCCESS
        }
        Err(diags) => {
            report(&diags);
            eprintln!("error: {} error(s); nothing written", diags.errors().count());
            ExitCode::FAILURE
        }
    }
}

fn check(specs: &[PathBuf], base: &Path, generated_dir: Option<&Path>) -> ExitCode {
    let (generated, warnings) = match larkgen::generate(specs, base) {
        Ok(ok) => ok,
        Err(diags) => {
            report(&diags);
            eprintln!("error: {} error(s) in the spec", diags.errors().count());
            return ExitCode::FAILURE;
        }
    };
    report(&warnings);
    let Some(dir) = generated_dir else {
        println!("specs are valid ({} warning(s)); no generated code compared", warnings.0.len());
        return ExitCode::SUCCESS;
    };
    match generated.stale_files(dir) {
        Ok(stale) if stale.is_empty() => {
            println!("specs are valid and {} is up to date", dir.display());
            ExitCode::SUCCESS
        }
        Ok(stale) => {
            eprintln!(
                "error: the generated code is stale; run `larkgen generate` with the same specs and `--out {}` \
                 (in the larkgen repository: `cargo run -p larkgen-cli -- generate`). Stale files:",
                dir.display()
            );
            for s in stale {
                eprintln!("  {}", s.display());
            }
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}

/// A YAML file, or every YAML file of a directory (as `larkgen::spec_files`): what `diff` and
/// `import` take.
pub(crate) fn yaml_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    if path.is_dir() {
        let files = larkgen::spec_files(path);
        if files.is_empty() {
            return Err(format!("{} holds no .yaml or .yml file", path.display()));
        }
        Ok(files)
    } else if path.is_file() {
        Ok(vec![path.to_owned()])
    } else {
        Err(format!("{} is neither a file nor a directory", path.display()))
    }
}
