//! `larkgen diff OLD NEW`: the text report of a realistic re-import, `--json`,
//! `--breaking-only`, and the exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

/// `old/` holds the committed specs and `new/` the same with `edits` applied to
/// `baike-v1.yaml`, as a re-import would change them; `larkgen` runs from the directory, so
/// file names in the output are stable.
fn re_import(edits: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for side in ["old", "new"] {
        std::fs::create_dir(dir.path().join(side)).expect("mkdir");
        for spec in larkgen::spec_files(&root().join("spec")) {
            std::fs::copy(&spec, dir.path().join(side).join(spec.file_name().expect("name"))).expect("copy");
        }
    }
    let path = dir.path().join("new/baike-v1.yaml");
    let mut text = std::fs::read_to_string(&path).expect("read");
    for (from, to) in edits {
        assert!(text.contains(from), "`{from}` is not in baike-v1.yaml");
        text = text.replacen(from, to, 1);
    }
    std::fs::write(&path, text).expect("write");
    dir
}

fn larkgen(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_larkgen")).args(args).current_dir(dir).output().expect("larkgen runs")
}

/// What a re-import of baike might bring: one breaking change of each common sort, an
/// additive one or two, and patch-level noise.
const EDITS: &[(&str, &str)] = &[
    // A response field turns required.
    (
        "  - name: title\n    type: string\n    description: Title or description.",
        "  - name: title\n    type: string\n    required: true\n    description: Title or description.",
    ),
    // An endpoint is gone.
    ("- name: entity.extract\n", "- name: entity.extract_v2\n"),
    // A new optional query parameter, and a tighter bound on another.
    (
        "    description: External system of `outer_id`.\n    example: 星云\n    min_length: 2\n    max_length: 32\n",
        "    description: External system of `outer_id`.\n    example: 星云\n    min_length: 2\n    max_length: 16\n  - name: lang\n    in: query\n    type: string\n    description: Language.\n",
    ),
    // An integer enum value, an error code, and texts.
    (
        "  - value: 0\n    name: MainKey",
        "  - value: 9\n    name: Abbr\n    description: An abbreviation.\n  - value: 0\n    name: MainKey",
    ),
    ("- name: DraftReviewed\n  code: 1540100", "- name: DraftReviewed\n  code: 1540101"),
    ("summary: Get one entry by id, or by provider and outer_id.", "summary: Get one entry."),
];

#[test]
fn a_re_import_is_reported_breaking_first_with_the_verdict_last() {
    let dir = re_import(EDITS);
    let o = larkgen(dir.path(), &["diff", "old", "new"]);
    assert!(o.status.success(), "exit 0 whatever the verdict: {}", String::from_utf8_lossy(&o.stderr));
    insta::assert_snapshot!(String::from_utf8_lossy(&o.stdout));
}

#[test]
fn json_and_breaking_only_and_fail_on_breaking() {
    let dir = re_import(EDITS);
    let o = larkgen(dir.path(), &["diff", "old", "new", "--json", "--breaking-only"]);
    assert!(o.status.success());
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("JSON");
    assert_eq!(report["semver"], "major");
    let changes = report["changes"].as_array().expect("changes");
    assert!(!changes.is_empty() && changes.iter().all(|c| c["impact"] == "breaking"), "{report:#}");
    assert!(report["patch"].as_u64() > Some(0), "the counts cover every change: {report:#}");
    assert!(changes.iter().any(|c| c["rule"] == "endpoint-removed" && c["path"] == "baike_v1 / entity.extract"));
    let o = larkgen(dir.path(), &["diff", "old", "new", "--fail-on-breaking"]);
    assert_eq!(o.status.code(), Some(3));
}

#[test]
fn a_file_and_a_directory_compare_and_the_same_specs_have_no_changes() {
    let dir = re_import(&[]);
    // The directory holds every service, the file one: the others were removed, none changed.
    let services = larkgen::spec_files(&dir.path().join("old")).len() - 1;
    let o = larkgen(dir.path(), &["diff", "old", "new/baike-v1.yaml"]);
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("service contact.v3 removed") && !out.contains("baike_v1 /"), "{out}");
    let verdict = format!("semver impact: major ({} breaking, 0 additive, 0 patch)\n", services - 1);
    assert!(out.ends_with(&verdict), "{out}");
    let o = larkgen(dir.path(), &["diff", "new", "new", "--fail-on-breaking"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&o.stdout), "semver impact: none (no changes)\n");
}

#[test]
fn spec_errors_and_missing_sides_exit_1() {
    let dir = re_import(&[("method: GET\n", "method: FETCH\n")]);
    let o = larkgen(dir.path(), &["diff", "old", "new"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("new/baike-v1.yaml:") && err.contains("`FETCH` is not an HTTP method"), "{err}");
    let o = larkgen(dir.path(), &["diff", "old", "nowhere"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("nowhere is neither a file nor a directory"));
}

#[test]
fn help_documents_the_exit_codes() {
    let o = larkgen(&root(), &["diff", "--help"]);
    let help = String::from_utf8_lossy(&o.stdout);
    assert!(help.contains("0 whatever the verdict") && help.contains("3 breaking changes"), "{help}");
}
