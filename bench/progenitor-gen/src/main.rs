//! `progenitor-gen SPEC.yaml OUT.rs`: the whole progenitor pipeline as one process
//! (read + parse the OpenAPI document, generate tokens, format with prettyplease, write).
//! Positional interface style (progenitor's default), like the reference figures.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [spec, out] = args.as_slice() else {
        eprintln!("usage: progenitor-gen SPEC.(yaml|json) OUT.rs");
        return ExitCode::from(2);
    };
    let text = std::fs::read_to_string(spec).expect("read spec");
    let api: openapiv3::OpenAPI = if spec.ends_with(".json") {
        serde_json::from_str(&text).expect("parse JSON")
    } else {
        serde_yaml::from_str(&text).expect("parse YAML")
    };
    let mut settings = progenitor::GenerationSettings::default();
    settings.with_interface(progenitor::InterfaceStyle::Positional);
    let mut generator = progenitor::Generator::new(&settings);
    let tokens = match generator.generate_tokens(&api) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("progenitor: {e}");
            return ExitCode::FAILURE;
        }
    };
    let file: syn::File = syn::parse2(tokens).expect("progenitor emitted valid Rust");
    let text = prettyplease::unparse(&file);
    std::fs::write(out, text).expect("write output");
    ExitCode::SUCCESS
}
