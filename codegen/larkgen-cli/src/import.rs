//! `larkgen import`: writes the imported spec files, never over a hand-written one, and the
//! coverage table of what was left out and why.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use larkgen::import::{IMPORT_BANNER, Imported};

/// Where the vendored metadata is, in this repository.
pub const DEFAULT_CORPUS: &str = "corpus/lark-openapi/openapi";

pub struct Args {
    pub inputs: Vec<PathBuf>,
    pub out: PathBuf,
    pub overlays: PathBuf,
    pub coverage: Option<PathBuf>,
    pub check: bool,
}

pub fn run(args: &Args) -> ExitCode {
    let documents = match read_documents(&args.inputs) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let platform_path = args.out.join("platform.yaml");
    let Ok(platform) = std::fs::read_to_string(&platform_path) else {
        eprintln!("error: cannot read {}: the imported specs name it as their platform file", platform_path.display());
        return ExitCode::FAILURE;
    };
    let overlays = read_overlays(&args.overlays);
    let imported = match larkgen::import::import(&documents, &platform, &overlays) {
        Ok(i) => i,
        Err(diags) => {
            crate::report(&diags);
            eprintln!("error: {} error(s) in the metadata or overlays; nothing written", diags.errors().count());
            return ExitCode::FAILURE;
        }
    };
    if !imported.overlay_errors.is_empty() {
        for e in &imported.overlay_errors {
            eprintln!("error: {e}");
        }
        eprintln!("error: an overlay's endpoint does not check once merged; nothing written");
        return ExitCode::FAILURE;
    }
    let operations: usize = imported.services.iter().map(|s| s.operations).sum::<usize>()
        + imported.left_out.iter().filter(|l| !imported.services.iter().any(|s| s.project == l.project)).count();
    let endpoints: usize = imported.services.iter().map(|s| s.endpoints).sum();
    let coverage = crate::coverage::table(&imported);
    let mut stale = Vec::new();
    let mut changed = Vec::new();
    for s in &imported.services {
        let path = args.out.join(&s.file_name);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref().is_some_and(|c| !c.starts_with(IMPORT_BANNER)) {
            println!("kept {} (written by hand; compare with `larkgen import --out <dir>`)", path.display());
            continue;
        }
        if current.as_deref() == Some(s.text.as_str()) {
            continue;
        }
        stale.push(path.clone());
        if !args.check
            && let Err(e) = std::fs::write(&path, &s.text)
        {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    for old in larkgen::spec_files(&args.out) {
        let name = old.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let imported_now = imported.services.iter().any(|s| s.file_name == name);
        let ours = std::fs::read_to_string(&old).is_ok_and(|t| t.starts_with(IMPORT_BANNER));
        if ours && !imported_now {
            stale.push(old.clone());
            changed.push((name.to_owned(), std::fs::read_to_string(&old).ok(), None));
            if !args.check
                && let Err(e) = std::fs::remove_file(&old)
            {
                eprintln!("error: cannot remove {}: {e}", old.display());
                return ExitCode::FAILURE;
            }
        }
    }
    if let Some(path) = &args.coverage
        && std::fs::read_to_string(path).ok().as_deref() != Some(coverage.as_str())
    {
        stale.push(path.clone());
        if !args.check
            && let Err(e) = std::fs::write(path, &coverage)
        {
            eprintln!("error: cannot write {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    summary(&imported, operations, endpoints);
    if !changed.is_empty() {
        what_changed(&changed, &platform);
    }
    if args.check {
        if stale.is_empty() {
            println!("imported specs are up to date with the metadata and overlays");
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "error: the imported specs are stale; run `larkgen import` (in this repository: `cargo run -p larkgen-cli -- import`). Stale:"
        );
        for s in stale {
            eprintln!("  {}", s.display());
        }
        return ExitCode::FAILURE;
    }
    for s in &stale {
        println!("wrote {}", s.display());
    }
    ExitCode::SUCCESS
}

/// One spec file the import changes: its name, the text before (none: new) and after (none: gone).
type Changed = (String, Option<String>, Option<String>);

/// Prints what the import changes for users of the generated crate (`larkgen diff` of the
/// files before and after), so the semver impact is known before committing.
fn what_changed(changed: &[Changed], platform: &str) {
    let dir = std::env::temp_dir().join(format!("larkgen-import-{}", std::process::id()));
    let written = (|| -> std::io::Result<()> {
        for side in ["old", "new"] {
            std::fs::create_dir_all(dir.join(side))?;
            std::fs::write(dir.join(side).join("platform.yaml"), platform)?;
        }
        for (name, old, new) in changed {
            for (side, text) in [("old", old), ("new", new)] {
                if let Some(text) = text {
                    std::fs::write(dir.join(side).join(name), text)?;
                }
            }
        }
        Ok(())
    })();
    match written {
        Err(e) => eprintln!("warning: cannot compare with the previous specs ({e})"),
        Ok(()) => {
            println!("\nWhat this import changes (larkgen diff of the spec files before and after):");
            let output = crate::diff::Output { breaking_only: false, json: false, fail_on_breaking: false };
            let services = |side: &str| larkgen::spec_files(&dir.join(side)).len() > 1;
            if services("old") && services("new") {
                crate::diff::run(&dir.join("old"), &dir.join("new"), &dir, output);
            } else {
                for (name, old, new) in changed {
                    let what = match (old, new) {
                        (None, _) => "new service file",
                        (_, None) => "service file removed",
                        _ => "changed",
                    };
                    println!("  {name}: {what}");
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn summary(imported: &Imported, operations: usize, endpoints: usize) {
    println!(
        "{} service versions, {endpoints} endpoints from {operations} operations; {} left out ({:.1}% imported)",
        imported.services.len(),
        imported.left_out.len(),
        100.0 * endpoints as f64 / operations.max(1) as f64
    );
}

/// The OpenAPI documents named, a directory standing for its `.yaml` files.
fn read_documents(inputs: &[PathBuf]) -> Result<Vec<(String, String)>, String> {
    let inputs = if inputs.is_empty() { vec![PathBuf::from(DEFAULT_CORPUS)] } else { inputs.to_vec() };
    let mut files = Vec::new();
    for i in &inputs {
        files.extend(crate::yaml_files(i)?);
    }
    files
        .iter()
        .map(|f| {
            std::fs::read_to_string(f)
                .map(|t| (f.display().to_string(), t))
                .map_err(|e| format!("cannot read {}: {e}", f.display()))
        })
        .collect()
}

fn read_overlays(dir: &Path) -> BTreeMap<String, String> {
    larkgen::spec_files(dir)
        .into_iter()
        .filter_map(|p| {
            let name = p.file_name()?.to_str()?.to_owned();
            Some((name, std::fs::read_to_string(&p).ok()?))
        })
        .collect()
}
