//! Reading spec files: YAML → spec model, every value with its location. Syntax and
//! shape errors (unknown keys, missing keys, wrong types) become diagnostics here.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::diag::{Diagnostics, Loc};
use crate::source::SourceFile;

/// Reads a file, naming it relative to `base` in diagnostics.
pub(crate) fn read(path: &Path, base: &Path, diags: &mut Diagnostics, from: Option<&Loc>) -> Option<Arc<SourceFile>> {
    let name = display_name(path, base);
    match std::fs::read_to_string(path) {
        Ok(text) => Some(Arc::new(SourceFile::new(path, name, text))),
        Err(e) => {
            let message = format!("cannot read spec file `{name}`: {e}");
            match from {
                Some(loc) => diags.error(
                    loc,
                    message,
                    "referenced here",
                    Some("check the path; it is relative to this file".into()),
                ),
                None => {
                    let file = Arc::new(SourceFile::new(path, name, String::new()));
                    diags.error(&Loc::start_of(&file), message, "", Some("check the path".into()));
                }
            }
            None
        }
    }
}

/// A path as shown to the user: relative to `base` when inside it.
pub(crate) fn display_name(path: &Path, base: &Path) -> String {
    let shown: PathBuf = path.strip_prefix(base).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf());
    shown.to_string_lossy().replace('\\', "/")
}

/// Parses a file into the spec model.
pub(crate) fn parse<T: DeserializeOwned>(file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Option<T> {
    match serde_saphyr::from_str::<T>(&file.text) {
        Ok(v) => Some(v),
        Err(e) => {
            let loc = e.location().map_or_else(|| Loc::start_of(file), |l| Loc::from_saphyr(file, &l));
            let message = clean_message(&e.without_snippet().to_string());
            let hint = hint_for(&message);
            diags.error(&loc, message, "here", hint);
            None
        }
    }
}

/// Drops the location suffix serde-saphyr appends (we show our own).
fn clean_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw).trim();
    let cut = [" at line ", " at <input>", ", line "].iter().filter_map(|m| first.find(m)).min().unwrap_or(first.len());
    let msg = first[..cut].trim_end_matches([':', ',']).trim();
    let msg = msg.strip_prefix("error: ").unwrap_or(msg);
    if msg.is_empty() { "invalid YAML".to_owned() } else { msg.to_owned() }
}

/// A fix for common serde messages: did-you-mean for unknown keys, the list of keys otherwise.
fn hint_for(message: &str) -> Option<String> {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (key, expected) = rest.split_once('`')?;
        let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let best =
            candidates.iter().copied().min_by_key(|c| edit_distance(key, c)).filter(|c| edit_distance(key, c) <= 3);
        return Some(match best {
            Some(c) => format!("did you mean `{c}`?"),
            None => format!("allowed keys here: {}", candidates.join(", ")),
        });
    }
    if message.starts_with("missing field") {
        return Some("add the key; see docs/spec-format.md for what it holds".into());
    }
    if message.contains("invalid type") || message.contains("invalid value") {
        return Some("see docs/spec-format.md for the type this key takes".into());
    }
    None
}

/// Levenshtein distance, for did-you-mean hints.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The best match of `name` among `known`, for did-you-mean hints.
pub(crate) fn closest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (edit_distance(&name.to_lowercase(), &k.to_lowercase()), k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}
