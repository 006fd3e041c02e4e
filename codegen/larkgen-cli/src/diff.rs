//! `larkgen diff OLD NEW`: the changes between two versions of the specs, grouped by impact
//! (breaking first), and the semver verdict.

use std::path::Path;
use std::process::ExitCode;

use larkgen::diff::{Change, Impact, semver};

/// How to print, and when to fail.
pub(crate) struct Output {
    pub(crate) breaking_only: bool,
    pub(crate) json: bool,
    pub(crate) fail_on_breaking: bool,
}

/// The exit code of `--fail-on-breaking` when a change is breaking; 1 and 2 are taken by spec
/// errors and usage errors.
const BREAKING_FOUND: u8 = 3;

const GROUPS: [(Impact, &str, &str); 3] =
    [(Impact::Breaking, "Breaking", "!"), (Impact::Additive, "Additive", "+"), (Impact::Patch, "Patch", "~")];

pub(crate) fn run(old: &Path, new: &Path, base: &Path, output: Output) -> ExitCode {
    let (old, new) = match (crate::yaml_files(old), crate::yaml_files(new)) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let changes = match larkgen::diff_files(&old, &new, base) {
        Ok(changes) => changes,
        Err(diags) => {
            crate::report(&diags);
            eprintln!("error: {} error(s) in the specs; nothing compared", diags.errors().count());
            return ExitCode::FAILURE;
        }
    };
    let shown: Vec<&Change> =
        changes.iter().filter(|c| !output.breaking_only || c.impact == Impact::Breaking).collect();
    if output.json {
        println!("{}", json(&changes, &shown));
    } else {
        print!("{}", text(&changes, &shown));
    }
    if output.fail_on_breaking && changes.iter().any(|c| c.impact == Impact::Breaking) {
        return ExitCode::from(BREAKING_FOUND);
    }
    ExitCode::SUCCESS
}

fn count(changes: &[Change], impact: Impact) -> usize {
    changes.iter().filter(|c| c.impact == impact).count()
}

/// `semver impact: major (3 breaking, 12 additive, 40 patch)`, over every change.
fn verdict(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "semver impact: none (no changes)".to_owned();
    }
    let counts = GROUPS.map(|(impact, ..)| format!("{} {}", count(changes, impact), impact.as_str()));
    format!("semver impact: {} ({})", semver(changes), counts.join(", "))
}

/// One section per impact, each change on a line with its mark; a breaking change says why on
/// the next line, a change that compiles but behaves differently says what to watch.
fn text(changes: &[Change], shown: &[&Change]) -> String {
    let mut out = String::new();
    for (impact, title, mark) in GROUPS {
        let group: Vec<&&Change> = shown.iter().filter(|c| c.impact == impact).collect();
        if group.is_empty() {
            continue;
        }
        out.push_str(&format!("{title} ({}):\n", group.len()));
        for c in group {
            out.push_str(&format!("  {mark} {}: {}\n", c.path, c.description));
            if impact == Impact::Breaking {
                out.push_str(&format!("      why: {}\n", c.rule.why()));
            }
            if let Some(caution) = c.rule.caution() {
                out.push_str(&format!("      note: {caution}\n"));
            }
        }
        out.push('\n');
    }
    out.push_str(&verdict(changes));
    out.push('\n');
    out
}

fn json(changes: &[Change], shown: &[&Change]) -> String {
    let items: Vec<serde_json::Value> = GROUPS
        .iter()
        .flat_map(|(impact, ..)| shown.iter().filter(move |c| c.impact == *impact))
        .map(|c| {
            serde_json::json!({
                "path": c.path,
                "kind": c.kind.as_str(),
                "impact": c.impact.as_str(),
                "rule": c.rule.id(),
                "description": c.description,
                "why": c.rule.why(),
                "caution": c.rule.caution(),
            })
        })
        .collect();
    let value = serde_json::json!({
        "semver": semver(changes).to_string(),
        "breaking": count(changes, Impact::Breaking),
        "additive": count(changes, Impact::Additive),
        "patch": count(changes, Impact::Patch),
        "changes": items,
    });
    serde_json::to_string_pretty(&value).unwrap_or_default()
}
