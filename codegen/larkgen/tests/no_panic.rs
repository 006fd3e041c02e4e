//! No input makes the checker panic: random bytes, YAML-ish token soup, and mutations of
//! the real specs (lines deleted, duplicated or swapped, characters changed, text
//! inserted, the file truncated anywhere) all come back as diagnostics. Every diagnostic
//! must point inside its file on character boundaries and render; a spec that passes
//! must generate Rust that parses.
//!
//! Case counts are small so this stays fast in debug builds; for a long run set
//! `PROPTEST_CASES`, e.g. `PROPTEST_CASES=100000 cargo test --release -p larkgen --test no_panic`.

use std::collections::HashMap;

use proptest::prelude::*;

const SERVICE: &str = include_str!("../../../spec/baike-v1.yaml");
/// The test spec with spec format v2's shapes (query lists, maps, json, i64_string, field
/// scopes with several conditions); its platform is named as the checks here name it.
const SHAPES: &str = include_str!("../../../tests/specs/contact-v3.yaml");

fn shapes() -> String {
    SHAPES.replace("../../spec/platform.yaml", "platform.yaml")
}
/// The test spec of tagged JSON (`tagged_json`, `tag_field`).
const TAGGED: &str = include_str!("../../../tests/specs/im-tagged.yaml");

fn tagged() -> String {
    TAGGED.replace("../../spec/platform.yaml", "platform.yaml")
}
const PLATFORM: &str = include_str!("../../../spec/platform.yaml");

/// Checks `service.yaml` (naming `platform.yaml`) and `platform.yaml`, and checks what
/// comes back.
fn check(service: &str, platform: &str) {
    let checked = larkgen::check_sources(&[("service.yaml", service), ("platform.yaml", platform)]);
    let texts: HashMap<&str, &str> = [("service.yaml", service), ("platform.yaml", platform)].into();
    for d in &checked.diagnostics.0 {
        let rendered = d.render_plain();
        assert!(rendered.contains(&d.message), "{rendered}");
        let _ = format!("{d}{:?}", miette::Report::new(d.clone()));
        let Some(text) = texts.get(d.file.as_str()) else {
            continue;
        };
        for (at, len) in std::iter::once(d.span).chain(d.notes.iter().map(|n| n.span)) {
            assert!(at + len <= text.len(), "{rendered}: span {at}+{len} past the end ({})", text.len());
            assert!(
                text.is_char_boundary(at) && text.is_char_boundary(at + len),
                "{rendered}: span inside a character"
            );
        }
        assert!(d.line >= 1 && d.column >= 1);
    }
    if let Some(api) = checked.api {
        assert!(!checked.diagnostics.has_errors());
        let expanded = larkgen::expand(&api);
        if let Err(e) = larkgen::pretty(expanded.inline()) {
            panic!("a spec that passes the checks generates invalid Rust: {e}\n--- spec:\n{service}");
        }
    }
}

/// One edit of a text, applied by line or by byte (then repaired to valid UTF-8, so
/// multi-byte characters get cut in half).
#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    ReplaceByte(usize, u8),
    Insert(usize, String),
    Truncate(usize),
}

fn apply(text: &str, mutations: &[Mutation]) -> String {
    let mut text = text.to_owned();
    for m in mutations {
        let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_owned).collect();
        let n = lines.len().max(1);
        match m {
            Mutation::DeleteLine(i) if !lines.is_empty() => {
                lines.remove(i % n);
                text = lines.concat();
            }
            Mutation::DuplicateLine(i) if !lines.is_empty() => {
                let l = lines[i % n].clone();
                lines.insert(i % n, l);
                text = lines.concat();
            }
            Mutation::SwapLines(a, b) if !lines.is_empty() => {
                lines.swap(a % n, b % n);
                text = lines.concat();
            }
            Mutation::ReplaceByte(at, b) if !text.is_empty() => {
                let mut bytes = text.into_bytes();
                let at = at % bytes.len();
                bytes[at] = *b;
                text = String::from_utf8_lossy(&bytes).into_owned();
            }
            Mutation::Insert(at, s) => {
                let mut bytes = text.into_bytes();
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, s.bytes());
                text = String::from_utf8_lossy(&bytes).into_owned();
            }
            Mutation::Truncate(at) => {
                let bytes = text.into_bytes();
                let at = at % (bytes.len() + 1);
                text = String::from_utf8_lossy(&bytes[..at]).into_owned();
            }
            _ => {}
        }
    }
    text
}

/// Pieces of YAML and of the spec format, to build texts that get past the parser.
fn fragment() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "\n",
            "\r\n",
            "  ",
            "    ",
            "\t",
            "- ",
            ": ",
            ":",
            ",",
            "{",
            "}",
            "[",
            "]",
            "\"",
            "'",
            "#",
            "&a ",
            "*a",
            "&b ",
            "*b",
            "<<: ",
            "---\n",
            "~",
            "null",
            "true",
            "0",
            "-1",
            "99999999999999999999",
            "1e999",
            "星云",
            "é",
            "\u{feff}",
            "service:",
            "endpoints:",
            "types:",
            "errors:",
            "platform:",
            "name:",
            "fields:",
            "type:",
            "in: path",
            "in: query",
            "path: /a/{b}",
            "{x}",
            "method: GET",
            "tokens: [tenant]",
            "response: { kind: json, type: T }",
            "required: true",
            "min: 5",
            "max: 1",
            "enum: string",
            "values:",
            "newtype: string",
            "value: a",
            "type: json",
            "type: i64_string",
            "type: \"map<string, T>\"",
            "map<",
            "[]",
            "max_items: 2",
            "when: [a=b, c=d]",
            "when: a=b",
            "x-anchors:",
            "!!str ",
            "? ",
            "|\n",
            ">-\n",
        ])
        .prop_map(str::to_owned),
        "[a-zA-Z_]{1,8}",
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::DeleteLine),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Mutation::ReplaceByte(a, b)),
        (any::<usize>(), fragment()).prop_map(|(a, s)| Mutation::Insert(a, s)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(default);
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(cases(128))]

    #[test]
    fn random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        check(&String::from_utf8_lossy(&bytes), PLATFORM);
    }

    #[test]
    fn yaml_token_soup(parts in prop::collection::vec(fragment(), 0..64)) {
        let text = parts.concat();
        check(&format!("service:\n  platform: platform.yaml\n{text}"), PLATFORM);
        check(SERVICE, &text);
    }
}

proptest! {
    #![proptest_config(cases(80))]

    #[test]
    fn mutated_service(mutations in prop::collection::vec(mutation(), 1..5)) {
        check(&apply(SERVICE, &mutations), PLATFORM);
    }

    #[test]
    fn mutated_shapes_service(mutations in prop::collection::vec(mutation(), 1..5)) {
        check(&apply(&shapes(), &mutations), PLATFORM);
    }

    #[test]
    fn mutated_tagged_service(mutations in prop::collection::vec(mutation(), 1..5)) {
        check(&apply(&tagged(), &mutations), PLATFORM);
    }

    #[test]
    fn mutated_platform(mutations in prop::collection::vec(mutation(), 1..4)) {
        check(SERVICE, &apply(PLATFORM, &mutations));
    }
}

/// Inputs that once panicked, kept in `fuzz/regressions/` (found by `cargo fuzz run check`;
/// see fuzz/README.md). Same input format as the fuzz target: a NUL byte separates the
/// service file from its platform file.
#[test]
fn fuzz_findings_stay_fixed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("fuzz/regressions exists") {
        let input = std::fs::read(entry.expect("readable").path()).expect("readable");
        let (service, platform) = match input.iter().position(|b| *b == 0) {
            Some(i) => (&input[..i], &input[i + 1..]),
            None => (&input[..], PLATFORM.as_bytes()),
        };
        check(&String::from_utf8_lossy(service), &String::from_utf8_lossy(platform));
        n += 1;
    }
    assert!(n > 0);
}

#[test]
fn the_unmutated_specs_pass() {
    for service in [SERVICE, &shapes(), &tagged()] {
        let checked = larkgen::check_sources(&[("service.yaml", service), ("platform.yaml", PLATFORM)]);
        assert!(checked.api.is_some(), "{}", checked.diagnostics.render_plain());
    }
}

#[test]
fn a_file_that_is_not_utf8_is_reported_at_its_first_bad_byte() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("svc.yaml");
    std::fs::write(&path, b"service:\n  name: d\xffmo\n").expect("write");
    let checked = larkgen::check(&[path], dir.path());
    let d = &checked.diagnostics.0[0];
    assert_eq!((d.message.as_str(), d.line, d.column), ("the file is not UTF-8 text", 2, 10));
    assert!(d.render_plain().contains("invalid UTF-8 starts here"), "{}", d.render_plain());
}

/// Aliases of aliases double the tree at each level ("billion laughs"), and brackets can
/// nest without end: both stop at a limit with a diagnostic, in little time and memory.
#[test]
fn alias_bombs_and_deep_nesting_stop_at_a_limit() {
    let mut bomb = String::from("x-a0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n");
    for i in 1..12 {
        let p = i - 1;
        bomb += &format!("x-a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n");
    }
    let deep = format!("service: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
    for (text, message) in [(bomb, "aliases copy too many values"), (deep, "the file is nested too deeply")] {
        let checked = larkgen::check_sources(&[("service.yaml", &text), ("platform.yaml", PLATFORM)]);
        let messages: Vec<&str> = checked.diagnostics.0.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages, [message], "{}", checked.diagnostics.render_plain());
        check(&text, PLATFORM);
    }
}
