//! The `larkgen` command.
//!
//! - `larkgen generate` regenerates the committed client crate from `spec/*.yaml`.
//! - `larkgen check` validates specs (exit 1 on errors, 0 on warnings only) and fails,
//!   naming the stale files, when the committed crate differs from what the specs produce.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The generator makes and frees millions of small token and syntax trees; mimalloc runs it
/// 15-18% faster than the system allocator (BENCHMARKS.md, "Allocator"). Built without
/// transparent huge pages, which would double a small spec's peak memory. Only this binary:
/// the library leaves the allocator to its host (build scripts, rustc running the macro).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "larkgen", version, about = "Generate a typed Lark/Feishu API client from YAML specs")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the generated crate's sources (default: generated/src from spec/*.yaml).
    Generate {
        /// Spec files (default: every .yaml file in spec/).
        specs: Vec<PathBuf>,
        /// Directory of the generated crate's sources.
        #[arg(long, default_value = "generated/src")]
        out: PathBuf,
    },
    /// Validate specs and check that the committed generated code is up to date.
    Check {
        /// Spec files (default: every .yaml file in spec/).
        specs: Vec<PathBuf>,
        /// Directory of the generated crate's sources to compare with.
        #[arg(long, default_value = "generated/src")]
        generated: PathBuf,
        /// Only validate the specs.
        #[arg(long)]
        no_drift: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let base = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    match cli.command {
        Command::Generate { specs, out } => generate(&specs_or_default(specs), &base, &out),
        Command::Check { specs, generated, no_drift } => {
            check(&specs_or_default(specs), &base, (!no_drift).then_some(generated.as_path()))
        }
    }
}

fn specs_or_default(specs: Vec<PathBuf>) -> Vec<PathBuf> {
    if !specs.is_empty() {
        return specs;
    }
    larkgen::spec_files(Path::new("spec"))
}

fn report(diags: &larkgen::Diagnostics) {
    for d in &diags.0 {
        eprintln!("{:?}", miette::Report::new(d.clone()));
    }
}

fn generate(specs: &[PathBuf], base: &Path, out: &Path) -> ExitCode {
    match larkgen::generate(specs, base) {
        Ok((generated, warnings)) => {
            report(&warnings);
            if let Err(e) = generated.write_crate(out) {
                eprintln!("error: cannot write {}: {e}", out.display());
                return ExitCode::FAILURE;
            }
            for (path, _) in &generated.files {
                println!("wrote {}", out.join(path).display());
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
        println!("specs are valid ({} warning(s))", warnings.0.len());
        return ExitCode::SUCCESS;
    };
    match generated.stale_files(dir) {
        Ok(stale) if stale.is_empty() => {
            println!("specs are valid and {} is up to date", dir.display());
            ExitCode::SUCCESS
        }
        Ok(stale) => {
            eprintln!("error: the generated code is stale; run `cargo run -p larkgen-cli -- generate`. Stale files:");
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
