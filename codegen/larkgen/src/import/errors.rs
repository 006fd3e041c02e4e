//! The error rows of a service, from each operation's `x-lark-error-mappings`: one row per
//! code, named from its message (`invalid param` → `InvalidParam`) or, when the metadata has
//! no English message, `Code1540001`. Codes the platform file already has stay there.

use std::collections::{BTreeMap, HashSet};

use heck::ToUpperCamelCase;

use super::text::doc_text;
use super::tree::Y;

#[derive(Default)]
pub(crate) struct ErrorTable {
    rows: BTreeMap<i64, Row>,
    names: HashSet<String>,
    platform: HashSet<i64>,
}

struct Row {
    name: String,
    http: i64,
    message: String,
}

/// Words that make a variant name read badly or clash with generated names.
const MAX_WORDS: usize = 6;

impl ErrorTable {
    pub(crate) fn new(
        platform_codes: impl IntoIterator<Item = i64>,
        platform_names: impl IntoIterator<Item = String>,
    ) -> Self {
        ErrorTable {
            platform: platform_codes.into_iter().collect(),
            names: platform_names.into_iter().chain(["Unhandled".to_owned()]).collect(),
            ..Default::default()
        }
    }

    /// Adds an operation's mappings; returns the names its endpoint refers to.
    pub(crate) fn add(&mut self, mappings: &[Y]) -> Vec<String> {
        let mut refs = Vec::new();
        for m in mappings {
            let Ok(code) = m.text("code").parse::<i64>() else { continue };
            if code == 0 || self.platform.contains(&code) {
                continue;
            }
            let http = m.text("httpCode").parse::<i64>().ok().filter(|h| (100..=599).contains(h)).unwrap_or(400);
            let message = m.text("msg").trim().to_owned();
            if !self.rows.contains_key(&code) {
                let name = self.name_for(code, &message);
                self.names.insert(name.clone());
                self.rows.insert(code, Row { name, http, message: message.clone() });
            }
            let row = &self.rows[&code];
            if !refs.contains(&row.name) {
                refs.push(row.name.clone());
            }
        }
        refs
    }

    fn name_for(&self, code: i64, message: &str) -> String {
        let ascii = message.is_ascii() && message.chars().any(|c| c.is_ascii_alphabetic());
        let words: Vec<&str> =
            message.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).take(MAX_WORDS).collect();
        let derived = words.join(" ").to_upper_camel_case();
        let usable = ascii && derived.chars().next().is_some_and(|c| c.is_ascii_alphabetic());
        if usable && !self.names.contains(&derived) {
            return derived;
        }
        let base = if usable { derived } else { "Code".to_owned() };
        format!("{base}{code}")
    }

    /// The rows as the spec's `errors:` table, by code.
    pub(crate) fn to_yaml(&self) -> Y {
        Y::Seq(
            self.rows
                .iter()
                .map(|(code, r)| {
                    let message = if r.message.is_empty() {
                        "(no message in the metadata)".to_owned()
                    } else {
                        doc_text(&r.message)
                    };
                    Y::map()
                        .with("name", Y::str(&r.name))
                        .with("code", Y::int(*code))
                        .with("http", Y::int(r.http))
                        .with("message", Y::str(message))
                        .with("hint", Y::str("See the error codes on the endpoint's official documentation page."))
                        .with("retryable", Y::bool(r.http >= 500))
                })
                .collect(),
        )
    }
}
