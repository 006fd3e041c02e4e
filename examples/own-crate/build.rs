//! The build.rs route: generates the client into `OUT_DIR/larkgen.rs` on every build where a
//! spec changed (the builder prints `cargo:rerun-if-changed` for each spec file it reads).

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    // Relative to this crate's directory (CARGO_MANIFEST_DIR); the spec's `platform:` file is
    // relative to the spec file.
    if let Err(e) = larkgen::Builder::new().spec("spec/baike-v1.yaml").write_to(out_dir) {
        panic!("larkgen failed: {e}");
    }
}
