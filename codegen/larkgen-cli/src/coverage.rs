//! The coverage table (docs/coverage.md): every service version imported, and every operation
//! left out with its reason.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use larkgen::import::Imported;

pub fn table(imported: &Imported) -> String {
    let mut out = String::from(
        "# Coverage of the official metadata\n\n\
         Written by `larkgen import` (do not edit): what the import of corpus/lark-openapi made of each\n\
         service version, and every operation it left out, with the reason.\n\n",
    );
    let endpoints: usize = imported.services.iter().map(|s| s.endpoints).sum();
    let total = endpoints + imported.left_out.len();
    let _ = writeln!(
        out,
        "**{endpoints} of {total} operations imported ({:.1}%)**, in {} service versions; {} left out.\n",
        100.0 * endpoints as f64 / total.max(1) as f64,
        imported.services.len(),
        imported.left_out.len()
    );
    out += "| spec file | project | operations | endpoints |\n|---|---|---:|---:|\n";
    for s in &imported.services {
        let _ = writeln!(out, "| {} | {} | {} | {} |", s.file_name, s.project, s.operations, s.endpoints);
    }
    out += "\n## Rate-limit tiers\n\n\
        The metadata gives each operation a tier; these are the tiers whose numbers an official page\n\
        states, which the imported endpoints enforce. Every other tier is UNVERIFIED: its endpoints\n\
        say so in their docs and get no client-side limit (the server still enforces its own).\n\n\
        | tier | per second | per minute | source |\n|---:|---:|---:|---|\n";
    for t in larkgen::import::TIERS {
        let n = |v: Option<u32>| v.map_or("—".to_owned(), |v| v.to_string());
        let _ = writeln!(out, "| {} | {} | {} | {} |", t.tier, n(t.per_second), n(t.per_minute), t.source);
    }
    out += "\n## Left out\n\n";
    if imported.left_out.is_empty() {
        out += "Nothing.\n";
        return out;
    }
    let mut by_reason: BTreeMap<String, usize> = BTreeMap::new();
    for l in &imported.left_out {
        *by_reason.entry(reason_kind(&l.reason)).or_default() += 1;
    }
    out += "| reason | operations |\n|---|---:|\n";
    for (r, n) in &by_reason {
        let _ = writeln!(out, "| {r} | {n} |");
    }
    out += "\n| project | operation | route | reason |\n|---|---|---|---|\n";
    for l in &imported.left_out {
        let _ = writeln!(
            out,
            "| {} | `{}` | `{}` | {} |",
            l.project,
            l.operation_id,
            l.route,
            l.reason.replace('|', "\\|")
        );
    }
    out
}

/// A reason without its particulars (names in backticks), to count reasons of one kind.
fn reason_kind(reason: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in reason.chars() {
        match c {
            '`' => {
                inside = !inside;
                if inside {
                    out += "`…`";
                }
            }
            _ if inside => {}
            c => out.push(c),
        }
    }
    out
}
