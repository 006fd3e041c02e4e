//! Generates the client through the build.rs entry point, into OUT_DIR/larkgen.rs.

fn main() {
    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    if let Err(e) = larkgen::Builder::new().spec("../spec/baike-v1.yaml").write_to(out) {
        panic!("larkgen failed: {e}");
    }
}
