//! The platform file a service names is read while the service is (guessed from its text);
//! the guess is used only when the parsed service names that very file.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("workspace root")
}

/// A service whose text mentions a decoy platform file before its real `platform:` key.
fn write_specs(dir: &Path) -> PathBuf {
    let baike = std::fs::read_to_string(root().join("spec/baike-v1.yaml")).expect("baike spec");
    let decoyed = baike.replacen("  description: >-\n", "  description: |-\n    platform: decoy.yaml\n", 1);
    assert_ne!(decoyed, baike, "the decoy is in the service block");
    std::fs::write(dir.join("svc.yaml"), decoyed).expect("write service");
    std::fs::copy(root().join("spec/platform.yaml"), dir.join("platform.yaml")).expect("copy platform");
    // A platform file with an error: reported only if the generator wrongly used it.
    std::fs::write(dir.join("decoy.yaml"), "platform:\n  name: decoy\n  bogus_key: 1\n").expect("write decoy");
    dir.join("svc.yaml")
}

#[test]
fn a_wrong_guess_is_not_used() {
    let dir = tempfile::tempdir().expect("temp dir");
    let service = write_specs(dir.path());
    let checked = larkgen::check(std::slice::from_ref(&service), dir.path());
    assert!(!checked.diagnostics.has_errors(), "{}", checked.diagnostics.render_plain());
    assert!(checked.inputs.iter().any(|p| p.ends_with("platform.yaml")));
    assert!(!checked.inputs.iter().any(|p| p.ends_with("decoy.yaml")));
    let (generated, warnings) = larkgen::generate(&[service], dir.path()).expect("valid specs");
    assert!(!warnings.render_plain().contains("decoy"), "{}", warnings.render_plain());
    let expected = larkgen::generate(&[root().join("spec/baike-v1.yaml")], &root()).expect("valid").0;
    assert_eq!(generated.files[1], expected.files[1], "platform.rs comes from the named platform file");
}

#[test]
fn an_unreadable_guess_is_reported_at_the_services_platform_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let service = write_specs(dir.path());
    std::fs::remove_file(dir.path().join("platform.yaml")).expect("remove platform");
    let diags = larkgen::generate(&[service], dir.path()).expect_err("the platform file is missing");
    let text = diags.render_plain();
    assert!(text.contains("cannot read spec file") && text.contains("svc.yaml"), "{text}");
}
