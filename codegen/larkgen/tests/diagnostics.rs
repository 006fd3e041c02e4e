//! Golden tests of spec diagnostics: every file of `tests/invalid/` (but the shared, valid
//! `platform.yaml`) holds one focused mistake, named in its first comment line, and its
//! rendered diagnostics are pinned as an insta snapshot `snapshots/diagnostics__<file>.snap`.
//!
//! Service files name `platform.yaml` (or an invalid platform file of the directory);
//! platform files are checked alone. Update with
//! `INSTA_UPDATE=always cargo test -p larkgen --test diagnostics`, then read every snapshot.

use std::path::{Path, PathBuf};

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn cases() -> Vec<PathBuf> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(manifest_dir().join("tests/invalid"))
        .expect("tests/invalid exists")
        .map(|e| e.expect("readable").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml") && !p.ends_with("platform.yaml"))
        .collect();
    cases.sort();
    cases
}

fn stem(path: &Path) -> String {
    path.file_stem().expect("a file name").to_string_lossy().into_owned()
}

/// The rendered diagnostics of one case, and a summary line.
fn render(path: &Path) -> String {
    let checked = larkgen::check(&[path.to_path_buf()], &manifest_dir());
    let d = &checked.diagnostics;
    let errors = d.errors().count();
    let warnings = d.0.len() - errors;
    let result = if checked.api.is_some() { "generates" } else { "nothing generated" };
    format!("{}\n---\n{errors} error(s), {warnings} warning(s); {result}\n", d.render_plain())
}

#[test]
fn invalid_specs() {
    let cases = cases();
    assert!(cases.len() >= 30, "only {} golden cases", cases.len());
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(true);
    settings.set_omit_expression(true);
    let _guard = settings.bind_to_scope();
    for case in &cases {
        let text = std::fs::read_to_string(case).expect("readable");
        let first = text.trim_start_matches('\u{feff}').lines().next().unwrap_or_default().trim_end();
        let what = first.strip_prefix("# ").unwrap_or_default();
        assert!(!what.is_empty(), "{}: first line must be `# <the mistake>`", case.display());
        insta::with_settings!({ description => what }, {
            insta::assert_snapshot!(stem(case), render(case));
        });
    }
}

#[test]
fn every_case_reports_a_problem_and_never_an_internal_error() {
    for case in cases() {
        let checked = larkgen::check(std::slice::from_ref(&case), &manifest_dir());
        let d = &checked.diagnostics;
        assert!(!d.0.is_empty(), "{}: no diagnostic", case.display());
        for diag in &d.0 {
            assert!(!diag.message.contains(" at line "), "{}: location twice in `{}`", case.display(), diag.message);
            assert!(diag.hint.is_some(), "{}: `{}` has no hint", case.display(), diag.message);
        }
    }
}

#[test]
fn no_stale_snapshots() {
    let names: Vec<String> = cases().iter().map(|c| format!("diagnostics__{}.snap", stem(c))).collect();
    for e in std::fs::read_dir(manifest_dir().join("tests/snapshots")).expect("snapshots exist") {
        let name = e.expect("readable").file_name().to_string_lossy().into_owned();
        if name.starts_with("diagnostics__") && name.ends_with(".snap") {
            assert!(names.contains(&name), "snapshot {name} has no case in tests/invalid; delete it");
        }
    }
}

#[test]
fn the_shared_platform_file_is_valid() {
    let base = manifest_dir();
    let checked = larkgen::check(&[base.join("tests/invalid/platform.yaml")], &base);
    let only = checked.diagnostics.errors().map(|d| d.message.clone()).collect::<Vec<_>>();
    assert_eq!(only, ["no service file given"], "{}", checked.diagnostics.render_plain());
}

#[test]
fn x_keys_at_the_top_of_a_service_file_are_ignored() {
    let dir = manifest_dir().join("tests/invalid");
    let service = std::fs::read_to_string(dir.join("warning-no-errors.yaml")).expect("readable");
    let service = format!("{service}x-notes:\n  anything: [goes, here]\nx-more: 1\n");
    let platform = std::fs::read_to_string(dir.join("platform.yaml")).expect("readable");
    let checked = larkgen::check_sources(&[("svc.yaml", &service), ("platform.yaml", &platform)]);
    assert!(checked.api.is_some(), "{}", checked.diagnostics.render_plain());
    assert_eq!(checked.diagnostics.0.len(), 1, "only the warning of the case");
}
