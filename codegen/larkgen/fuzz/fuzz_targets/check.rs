//! Loads and checks arbitrary spec text; a panic anywhere (parser, diagnostics, rules,
//! rendering, or the emitter for a spec that passes) is a finding.
//!
//! The input is a service file; after a NUL byte, the rest is its platform file
//! (otherwise the real `spec/platform.yaml` is used).

#![no_main]

use libfuzzer_sys::fuzz_target;

const PLATFORM: &str = include_str!("../../../../spec/platform.yaml");

fuzz_target!(|data: &[u8]| {
    let (service, platform) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], String::from_utf8_lossy(&data[i + 1..]).into_owned()),
        None => (data, PLATFORM.to_owned()),
    };
    let service = String::from_utf8_lossy(service);
    let checked = larkgen::check_sources(&[("service.yaml", &service), ("platform.yaml", &platform)]);
    for d in &checked.diagnostics.0 {
        let _ = d.render_plain();
        let _ = format!("{d}");
    }
    if let Some(api) = checked.api {
        let expanded = larkgen::expand(&api);
        larkgen::pretty(expanded.inline()).expect("a spec that passes the checks generates valid Rust");
    }
});
