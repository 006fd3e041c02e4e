//! The `larkgen` binary: `generate` writes the committed crate, `check` validates and
//! detects stale generated code.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

fn larkgen(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_larkgen")).args(args).current_dir(root()).output().expect("larkgen runs")
}

/// Copies a directory tree (without `target/`).
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for e in std::fs::read_dir(from).expect("readable").flatten() {
        let path = e.path();
        if path.is_dir() {
            if e.file_name() != "target" {
                copy_dir(&path, &to.join(e.file_name()));
            }
        } else {
            std::fs::copy(&path, to.join(e.file_name())).expect("copy");
        }
    }
}

#[test]
fn generate_reproduces_the_committed_crate() {
    // The crate form: a Cargo.toml next to --out, a crate per service beside it.
    let krate = tempfile::tempdir().expect("tempdir");
    std::fs::copy(root().join("generated/Cargo.toml"), krate.path().join("Cargo.toml")).expect("copy");
    let out = krate.path().join("src");
    let o = larkgen(&["generate", "--out", out.to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for name in
        ["Cargo.toml", "src/lib.rs", "src/platform.rs", "services/baike/Cargo.toml", "services/baike/src/lib.rs"]
            .into_iter()
            .chain(["services/baike/src/baike_v1.rs", "services/im/src/im_v2.rs"])
    {
        let fresh = std::fs::read_to_string(krate.path().join(name)).expect("generated");
        let committed = std::fs::read_to_string(root().join("generated").join(name)).expect("committed");
        assert!(
            fresh == committed,
            "{name} differs from the committed file: run `cargo run -p larkgen-cli -- generate`"
        );
    }
    // The flat form, without a manifest: every module in --out, declared by its lib.rs.
    let flat = tempfile::tempdir().expect("tempdir");
    let o = larkgen(&["generate", "--out", flat.path().to_str().expect("utf-8")]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let module = std::fs::read_to_string(flat.path().join("baike_v1.rs")).expect("generated");
    let committed =
        std::fs::read_to_string(root().join("generated/services/baike/src/baike_v1.rs")).expect("committed");
    assert!(module == committed, "a module is the same text in both forms");
    let lib = std::fs::read_to_string(flat.path().join("lib.rs")).expect("generated");
    assert!(lib.contains("pub mod baike_v1;") && !flat.path().join("services").exists(), "{lib}");
}

#[test]
fn check_passes_on_the_committed_crate() {
    let o = larkgen(&["check"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("up to date"));
}

#[test]
fn check_names_stale_and_extra_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&root().join("generated"), dir.path());
    let service = dir.path().join("services/baike/src/baike_v1.rs");
    let text = std::fs::read_to_string(&service).expect("read");
    std::fs::write(&service, text.replace("Download the original image", "Download an image")).expect("edit");
    std::fs::write(dir.path().join("src/leftover.rs"), "// old service").expect("extra");
    std::fs::write(dir.path().join("services/im/src/im_v0.rs"), "// old version").expect("extra");
    // A service crate larkgen wrote, for a service the specs no longer have.
    copy_dir(&dir.path().join("services/lingo"), &dir.path().join("services/gone"));
    // A crate of someone else's under services/ is not larkgen's to report.
    std::fs::create_dir_all(dir.path().join("services/mine")).expect("mkdir");
    std::fs::write(dir.path().join("services/mine/Cargo.toml"), "[package]\nname = \"mine\"\n").expect("write");
    let o = larkgen(&["check", "--generated", dir.path().join("src").to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    for stale in ["baike_v1.rs", "src/leftover.rs", "im_v0.rs", "services/gone"] {
        assert!(err.contains(stale), "{stale} not reported: {err}");
    }
    assert!(!err.contains("platform.rs") && !err.contains("mine"), "unchanged files are not reported: {err}");
}

#[test]
fn check_reports_spec_errors_with_file_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(root().join("spec/platform.yaml"), dir.path().join("platform.yaml")).expect("copy");
    let spec = std::fs::read_to_string(root().join("spec/baike-v1.yaml")).expect("read");
    let broken = spec.replacen(
        "method: GET\n  path: /open-apis/baike/v1/files/{file_token}/download",
        "method: FETCH\n  path: /open-apis/baike/v1/files/{file_token}/download",
        1,
    );
    assert_ne!(spec, broken);
    let path = dir.path().join("baike-v1.yaml");
    std::fs::write(&path, broken).expect("write");
    let o = Command::new(env!("CARGO_BIN_EXE_larkgen"))
        .args(["check", "--no-drift", "baike-v1.yaml"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("baike-v1.yaml:") && err.contains("`FETCH` is not an HTTP method"), "{err}");
    assert!(err.contains("GET, POST, PUT, PATCH or DELETE"), "hint shown: {err}");
}

#[test]
fn warnings_alone_do_not_fail_check() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::copy(root().join("spec/platform.yaml"), dir.path().join("platform.yaml")).expect("copy");
    let spec = std::fs::read_to_string(root().join("spec/baike-v1.yaml")).expect("read");
    let no_errors = spec.replacen(
        "  response:\n    kind: binary\n  errors:\n  - InvalidParam\n  - NetworkAnomaly\n",
        "  response:\n    kind: binary\n",
        1,
    );
    assert_ne!(spec, no_errors);
    std::fs::write(dir.path().join("baike-v1.yaml"), no_errors).expect("write");
    let o = Command::new(env!("CARGO_BIN_EXE_larkgen"))
        .args(["check", "--no-drift", "baike-v1.yaml"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("declares no errors"));
}

/// Outside this repository there is no generated/src: `check` validates the specs named and
/// says it compared nothing, instead of calling every generated file stale.
#[test]
fn check_outside_the_repository_compares_only_what_exists_or_is_named() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["platform.yaml", "baike-v1.yaml"] {
        std::fs::copy(root().join("spec").join(name), dir.path().join(name)).expect("copy");
    }
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_larkgen")).args(args).current_dir(dir.path()).output().expect("runs")
    };
    let o = run(&["check", "baike-v1.yaml"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("no generated code compared"));
    // Named but missing: every file is stale.
    let o = run(&["check", "baike-v1.yaml", "--generated", "out"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("lib.rs"));
    // Once generated into generated/src, a plain `check` finds it and compares.
    let o = run(&["generate", "baike-v1.yaml", "--out", "generated/src"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = run(&["check", "baike-v1.yaml"]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("is up to date"), "{}", String::from_utf8_lossy(&o.stdout));
}

#[test]
fn help_names_defaults_and_exit_codes() {
    let o = larkgen(&["--help"]);
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(help.contains("Exit codes: 0") && help.contains("spec/"), "{help}");
    let o = larkgen(&["check", "--help"]);
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(help.contains("generated/src") && help.contains("Exit code 1"), "{help}");
}

/// `generate` keeps the service crates, dependencies and features of the Cargo.toml next to
/// `--out` (one per service name, `all`), leaving the hand-written rest alone; `check` names
/// that file when they are stale.
#[test]
fn generate_writes_the_features_and_check_names_a_stale_manifest() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["platform.yaml", "baike-v1.yaml", "im-v1.yaml"] {
        std::fs::copy(root().join("spec").join(name), dir.path().join(name)).expect("copy");
    }
    std::fs::create_dir(dir.path().join("client")).expect("mkdir");
    let manifest = dir.path().join("client/Cargo.toml");
    std::fs::write(&manifest, "[package]\nname = \"client\"\n").expect("write");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_larkgen")).args(args).current_dir(dir.path()).output().expect("runs")
    };
    let specs = ["baike-v1.yaml", "im-v1.yaml"];
    let o = run(&[&["generate"][..], &specs, &["--out", "client/src"]].concat());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Cargo.toml"));
    let written = std::fs::read_to_string(&manifest).expect("read");
    assert!(written.starts_with("[package]\nname = \"client\"\n\n[dependencies]\n"), "{written}");
    for line in [
        "client-im = { path = \"services/im\", optional = true }\n",
        "\n\n[features]\ndefault = []\n",
        "all = [\"baike\", \"im\"]\n",
        "baike = [\"dep:client-baike\"] # baike_v1\n",
        "im = [\"dep:client-im\"] # im_v1\n",
        "# @generated end\n",
    ] {
        assert!(written.contains(line), "{line:?} missing from:\n{written}");
    }
    let lib = std::fs::read_to_string(dir.path().join("client/src/lib.rs")).expect("read");
    assert!(lib.contains("#[cfg(feature = \"im\")]\n#[doc(inline)]\npub use client_im::im_v1;"), "{lib}");
    let service = std::fs::read_to_string(dir.path().join("client/services/im/src/lib.rs")).expect("read");
    assert!(service.contains("#[rustfmt::skip]\npub mod im_v1;"), "{service}");

    let check = || run(&[&["check"][..], &specs, &["--generated", "client/src"]].concat());
    assert!(check().status.success(), "{}", String::from_utf8_lossy(&check().stderr));
    // A service feature lost by hand (or a spec added since): stale, and only the manifest.
    let edited = written.replace("default = []", "default = [\"im\"]");
    std::fs::write(&manifest, edited.replace("im = [\"dep:client-im\"] # im_v1\n", "")).expect("edit");
    let o = check();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("Cargo.toml") && !err.contains("lib.rs"), "{err}");
    // `generate` puts the line back and keeps the hand-written `default`.
    assert!(run(&[&["generate"][..], &specs, &["--out", "client/src"]].concat()).status.success());
    assert_eq!(std::fs::read_to_string(&manifest).expect("read"), edited);
    assert!(check().status.success());
}

#[test]
fn a_manifest_with_one_marker_is_refused_with_the_markers_to_write() {
    let dir = tempfile::tempdir().expect("tempdir");
    for name in ["platform.yaml", "baike-v1.yaml"] {
        std::fs::copy(root().join("spec").join(name), dir.path().join(name)).expect("copy");
    }
    std::fs::create_dir(dir.path().join("client")).expect("mkdir");
    let marker = "# @generated end\n";
    std::fs::write(
        dir.path().join("client/Cargo.toml"),
        format!("[package]\nname = \"client\"\n\n[features]\n{marker}"),
    )
    .expect("write");
    let o = Command::new(env!("CARGO_BIN_EXE_larkgen"))
        .args(["generate", "baike-v1.yaml", "--out", "client/src"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("Cargo.toml") && err.contains("# @generated by `larkgen generate`"), "{err}");
    // The service crates are named after the package: a manifest without a name is refused,
    // and nothing is written.
    std::fs::write(dir.path().join("client/Cargo.toml"), "[package]\nversion = \"1.0.0\"\n").expect("write");
    let o = Command::new(env!("CARGO_BIN_EXE_larkgen"))
        .args(["generate", "baike-v1.yaml", "--out", "client/src"])
        .current_dir(dir.path())
        .output()
        .expect("runs");
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("client/Cargo.toml") && err.contains("no `name` in its `[package]` table"), "{err}");
    assert!(!dir.path().join("client/services").exists() && !dir.path().join("client/src").exists());
}
