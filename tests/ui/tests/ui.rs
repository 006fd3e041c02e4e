//! Misuse of the generated client fails to compile with a message that says what to do.
//!
//! The `.stderr` files are rustc's output on the toolchain named in `rustc-version.txt`;
//! on another compiler the compile-fail half only prints a notice (rustc's wording changes
//! between releases), the pass cases still run. Re-bless: `TRYBUILD=overwrite cargo test -p larkgen-ui`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The directories, relative to the workspace root, whose specs the cases name
/// (`tests/ui/specs/…`, the end-to-end tests' `tests/specs/…`) or those specs name in turn
/// (`spec/platform.yaml`).
const SPEC_DIRS: &[&str] = &["tests/ui/specs", "tests/specs", "spec"];

#[test]
fn ui() {
    mirror_the_specs();
    let t = trybuild::TestCases::new();
    t.pass("cases/pass/*.rs");
    let expected = include_str!("../rustc-version.txt").trim();
    let actual = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    if actual == expected {
        t.compile_fail("cases/fail/*.rs");
    } else {
        eprintln!("compile-fail cases skipped: blessed on `{expected}`, running `{actual}`");
    }
}

/// Copies [`SPEC_DIRS`] into the crate trybuild builds the cases in, at the same relative
/// places as in the workspace.
///
/// `client!` resolves a spec path against `CARGO_MANIFEST_DIR`, and for a case that is
/// trybuild's crate, `<target dir>/tests/trybuild/<this package>/`, not a directory of the
/// checkout: a path climbing from there back into the checkout only works when the target
/// directory is the checkout's `target/`. With the copies, `client!("tests/ui/specs/…")` and
/// the specs' own `platform: ../../../spec/platform.yaml` resolve as they do from the
/// workspace root, wherever the target directory and the checkout are.
fn mirror_the_specs() {
    let metadata = cargo_metadata();
    let workspace = Path::new(metadata["workspace_root"].as_str().expect("cargo metadata names the workspace root"));
    let target_dir = metadata["target_directory"].as_str().expect("cargo metadata names the target directory");
    // Where trybuild (1.0.122, see Cargo.lock) writes its crate.
    let trybuild_crate = Path::new(target_dir).join("tests/trybuild").join(env!("CARGO_PKG_NAME"));
    for dir in SPEC_DIRS {
        let destination = trybuild_crate.join(dir);
        std::fs::create_dir_all(&destination).unwrap_or_else(|e| panic!("create {}: {e}", destination.display()));
        for entry in std::fs::read_dir(workspace.join(dir)).unwrap_or_else(|e| panic!("read {dir}: {e}")) {
            let spec: PathBuf = entry.expect("list a spec directory").path();
            if !spec.is_file() {
                continue; // spec/overlay/: read by `larkgen import` only, never by the macro
            }
            let copy = destination.join(spec.file_name().expect("a file name"));
            std::fs::copy(&spec, &copy)
                .unwrap_or_else(|e| panic!("copy {} to {}: {e}", spec.display(), copy.display()));
        }
    }
}

/// `cargo metadata`, run as trybuild runs it (same cargo, same working directory), so that
/// it names the target directory trybuild uses.
fn cargo_metadata() -> serde_json::Value {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output =
        Command::new(cargo).args(["metadata", "--no-deps", "--format-version=1"]).output().expect("run cargo metadata");
    assert!(output.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).expect("cargo metadata prints JSON")
}
