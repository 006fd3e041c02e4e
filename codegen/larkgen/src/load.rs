//! Reading spec files: YAML → spec model, every value with its location. Syntax and
//! shape errors (unknown keys, missing keys, wrong types) become diagnostics here, worded
//! for the spec's author and placed on the offending key or value.

use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_saphyr::Error as YamlError;

use crate::diag::{Diagnostics, Loc};
use crate::source::{self, SourceFile};

/// Where spec files come from: the file system, or texts held in memory (tests, fuzzing).
#[derive(Clone, Copy)]
pub(crate) enum Files<'a> {
    /// Read files from disk.
    Disk,
    /// `(path, text)` pairs; a path not among them does not exist.
    Memory(&'a [(PathBuf, String)]),
}

impl Files<'_> {
    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        match self {
            Files::Disk => std::fs::read(path),
            Files::Memory(files) => files
                .iter()
                .find(|(p, _)| normalize(p) == normalize(path))
                .map(|(_, text)| text.as_bytes().to_vec())
                .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such file")),
        }
    }

    /// A path made absolute and free of `.` and `..` where possible, for comparisons.
    pub(crate) fn normalize(&self, path: &Path) -> PathBuf {
        match self {
            Files::Disk => path.canonicalize().unwrap_or_else(|_| normalize(path)),
            Files::Memory(_) => normalize(path),
        }
    }
}

/// `path` without `.` components and with `..` applied lexically.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Reads a file, naming it relative to `base` in diagnostics. `from` is where another file
/// names it. A file that is not UTF-8 is reported at its first bad byte.
pub(crate) fn read(
    files: Files<'_>,
    path: &Path,
    base: &Path,
    diags: &mut Diagnostics,
    from: Option<&Loc>,
) -> Option<Arc<SourceFile>> {
    let name = display_name(path, base);
    let bytes = match files.read(path) {
        Ok(bytes) => bytes,
        Err(e) => {
            let message = format!("cannot read spec file `{name}`: {e}");
            match from {
                Some(loc) => diags.error(
                    loc,
                    message,
                    "names a file that cannot be read",
                    Some("check the path; it is relative to the file that names it".into()),
                ),
                None => {
                    let file = Arc::new(SourceFile::new(path, name, String::new()));
                    diags.error(&Loc::start_of(&file), message, "", Some("check the path".into()));
                }
            }
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => Some(Arc::new(SourceFile::new(path, name, text))),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            let file = Arc::new(SourceFile::new(path, name, text));
            diags.error(
                &Loc::at(&file, (at, 1)),
                "the file is not UTF-8 text",
                "invalid UTF-8 starts here",
                Some("save the spec as UTF-8".into()),
            );
            None
        }
    }
}

/// A path as shown to the user: relative to `base` when inside it.
pub(crate) fn display_name(path: &Path, base: &Path) -> String {
    let shown: PathBuf = path.strip_prefix(base).map(Path::to_path_buf).unwrap_or_else(|_| path.to_path_buf());
    shown.to_string_lossy().replace('\\', "/")
}

/// Parses a file into the spec model. A YAML syntax error ends the file; after a shape
/// error (unknown or missing key, wrong type) inside an item of a top-level list, the item
/// is blanked out and the file parsed again, so one run reports the shape errors of every
/// item. A file with errors gives no model.
pub(crate) fn parse<T: DeserializeOwned>(file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Option<T> {
    const MAX_RECOVERIES: usize = 20;
    let mut current = Arc::clone(file);
    let mut blanked: Vec<(usize, usize)> = Vec::new();
    for _ in 0..=MAX_RECOVERIES {
        let e = match serde_saphyr::from_str::<T>(&current.text) {
            Ok(v) => return blanked.is_empty().then_some(v),
            Err(e) => e,
        };
        let e = e.without_snippet();
        let p = describe(&current, e);
        // Same offsets in the original: blanking keeps every byte offset and line.
        let loc = Loc { file: Arc::clone(file), ..p.loc.clone() };
        if blanked.iter().any(|&(s, end)| (s..end).contains(&loc.offset)) {
            break;
        }
        diags.error(&loc, p.message, p.label, p.hint);
        if !is_shape_error(e) {
            break;
        }
        let Some(item) = top_level_item(&current.text, p.loc.offset) else {
            break;
        };
        blanked.push(item);
        current = Arc::new(SourceFile::new(&file.path, file.name.clone(), blank(&current.text, item)));
    }
    None
}

/// Errors of a well-formed YAML document that does not fit the spec model.
fn is_shape_error(e: &YamlError) -> bool {
    matches!(
        e,
        YamlError::SerdeUnknownField { .. }
            | YamlError::SerdeMissingField { .. }
            | YamlError::SerdeInvalidType { .. }
            | YamlError::SerdeInvalidValue { .. }
            | YamlError::Unexpected { .. }
            | YamlError::NullIntoString { .. }
            | YamlError::InvalidScalar { .. }
            | YamlError::InvalidBooleanStrict { .. }
            | YamlError::DuplicateMappingKey { .. }
            | YamlError::Message { .. }
    )
}

/// The byte range of the item of a top-level list (`endpoints:`, `types:`, `errors:`, or
/// `errors:` of the platform block) that holds `at`, when blanking it out leaves valid
/// YAML: the list keeps another item and the item defines no anchor.
fn top_level_item(text: &str, at: usize) -> Option<(usize, usize)> {
    let at = source::floor(text, at);
    let mut offset = 0;
    let lines: Vec<(usize, &str)> = text
        .split_inclusive('\n')
        .map(|l| {
            let start = offset;
            offset += l.len();
            (start, l)
        })
        .collect();
    let indent = |l: &str| l.len() - l.trim_start_matches(' ').len();
    let content = |l: &str| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#')
    };
    let dash = |l: &str| {
        let rest = &l[indent(l)..];
        rest.starts_with("- ") || rest.trim_end() == "-"
    };
    let here = lines.iter().rposition(|(start, _)| *start <= at)?;
    // Walk up to the `- ` line whose parent is a top-level list key.
    let mut item = None;
    for i in (0..=here).rev() {
        let line = lines[i].1;
        if !content(line) {
            continue;
        }
        let ind = indent(line);
        if dash(line) {
            let parent = lines[..i]
                .iter()
                .rev()
                .map(|(_, l)| *l)
                .find(|l| content(l) && (indent(l) < ind || (indent(l) == ind && !dash(l))))?;
            let key = parent.trim();
            if matches!(key, "endpoints:" | "types:" | "errors:") && indent(parent) <= 2 {
                item = Some((i, ind));
                break;
            }
        } else if ind == 0 {
            return None;
        }
    }
    let (first, ind) = item?;
    let sibling = |l: &str| indent(l) == ind && dash(l);
    let before = lines[..first].iter().rev().map(|(_, l)| *l).filter(|l| content(l)).find(|l| indent(l) <= ind);
    let mut last = first;
    let mut after = None;
    for (j, (_, line)) in lines.iter().enumerate().skip(first + 1) {
        if content(line) && indent(line) <= ind {
            after = Some(*line);
            break;
        }
        last = j;
    }
    let has_sibling = before.is_some_and(sibling) || after.is_some_and(sibling);
    let start = lines[first].0;
    let end = lines[last].0 + lines[last].1.len();
    let body = &text[start..end];
    let anchor = body.match_indices('&').any(|(i, _)| {
        body[i + 1..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
            && (i == 0 || body[..i].ends_with([' ', '[', '{', ',', '-']))
    });
    (has_sibling && !anchor).then_some((start, end))
}

/// `text` with the bytes of `range` turned into spaces, line breaks kept.
fn blank(text: &str, (start, end): (usize, usize)) -> String {
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..start]);
    out.extend(text[start..end].bytes().map(|b| if b == b'\n' { '\n' } else { ' ' }));
    out.push_str(&text[end..]);
    out
}

/// A load error, worded for the spec's author.
struct Problem {
    loc: Loc,
    message: String,
    label: String,
    hint: Option<String>,
}

fn describe(file: &Arc<SourceFile>, e: &YamlError) -> Problem {
    let text = file.text.as_str();
    let loc = e.location().map_or_else(|| Loc::start_of(file), |l| Loc::from_saphyr(file, &l));
    let at = loc.offset;
    let token = Loc::at(file, (at, token_len(text, at).max(loc.len)));
    let problem = |loc: Loc, message: String, label: &str, hint: Option<String>| Problem {
        loc,
        message,
        label: label.to_owned(),
        hint,
    };
    match e {
        YamlError::SerdeUnknownField { field, expected, .. } => {
            let block = block_name(expected).map_or_else(String::new, |b| format!(" in {b}"));
            let keys: Vec<&str> = expected.iter().copied().filter(|k| *k != "x-anchors").collect();
            let hint = match closest(field, keys.iter().copied()) {
                Some(c) => format!("did you mean `{c}`?"),
                None => format!("the keys allowed here are {}", list(&keys)),
            };
            problem(token, format!("unknown key `{field}`{block}"), "unknown key", Some(hint))
        }
        YamlError::SerdeMissingField { field, .. } => {
            let start = mapping_start(text, at).map_or(token, |s| Loc::at(file, (s, token_len(text, s))));
            let top = source::line_col(text, start.offset).1 == 1;
            let label = if top {
                format!("the file has no top-level `{field}`")
            } else {
                format!("this mapping has no `{field}`")
            };
            problem(start, format!("missing key `{field}`"), &label, Some(missing_hint(field)))
        }
        YamlError::DuplicateMappingKey { key, .. } => {
            let key = key.clone().unwrap_or_else(|| token_text(text, at).to_owned());
            let token = match first_key(text, at, &key) {
                Some(first) => token.with_note(first, key.len(), "first given here"),
                None => token,
            };
            problem(
                token,
                format!("key `{key}` is given twice in this mapping"),
                "duplicate key",
                Some("keep one of the two; a YAML mapping holds each key once".into()),
            )
        }
        YamlError::Unexpected { expected, .. } => {
            let want = match *expected {
                "sequence start" => "a list",
                "mapping start" => "a mapping",
                "string scalar" | "scalar" => "a single value",
                other => other,
            };
            let hint = match want {
                "a list" => "write a list: `[a, b]`, or one `- item` per line",
                "a mapping" => "write a mapping: `{ key: value }`, or one `key: value` per line",
                _ => "write a single value; quote it if it starts with `[`, `{`, `*`, `&` or contains `: `",
            };
            type_problem(file, at, &token, want, hint)
        }
        YamlError::NullIntoString { .. } => type_problem(
            file,
            at,
            &token,
            "a string",
            "write a value after the colon; quote `~` and `null` to mean the text",
        ),
        YamlError::InvalidScalar { ty, .. } => {
            let (want, hint) = scalar_kind(ty);
            type_problem(file, at, &token, want, hint)
        }
        YamlError::InvalidBooleanStrict { .. } => {
            let (want, hint) = scalar_kind("bool");
            type_problem(file, at, &token, want, hint)
        }
        YamlError::Message { msg, .. } if msg.contains("untagged enum Scalar") => {
            type_problem(file, at, &token, "a string, a number or a boolean", "write a single value")
        }
        YamlError::SerdeInvalidType { expected, .. } | YamlError::SerdeInvalidValue { expected, .. } => {
            type_problem(file, at, &token, expected, "see the format of this key in docs/spec-format.md")
        }
        YamlError::UnknownAnchor { .. } => {
            let alias = token_text(text, at);
            let name = alias.trim_start_matches('*');
            problem(
                token.clone(),
                format!("alias `{alias}` names no anchor"),
                "unknown anchor",
                Some(format!("mark the value to reuse with `&{name}` before this alias")),
            )
        }
        YamlError::Eof { .. } if text.lines().all(|l| l.trim().is_empty() || l.trim_start().starts_with('#')) => {
            problem(
                Loc::start_of(file),
                "the file is empty".into(),
                "",
                Some("a service file starts with a `service:` block, a platform file with `platform:`".into()),
            )
        }
        YamlError::MultipleDocuments { .. } => problem(
            token,
            "a spec file holds one YAML document".into(),
            "second document",
            Some("remove the `---` separator: put each service in its own file".into()),
        ),
        YamlError::Budget { .. } => problem(
            loc,
            format!("the file is too large or too deeply nested: {}", clean_message(&e.to_string())),
            "limit reached here",
            Some("split the spec, or reduce nesting and aliases".into()),
        ),
        other => {
            let message = clean_message(&other.to_string());
            syntax_problem(file, loc, message)
        }
    }
}

/// A YAML syntax error, with notes on what usually causes it: an unclosed bracket or a
/// quote that runs on over several lines.
fn syntax_problem(file: &Arc<SourceFile>, mut loc: Loc, message: String) -> Problem {
    let text = file.text.as_str();
    let scan = scan_flow(text, loc.offset);
    let mut message = message;
    let mut label = "here";
    let mut hint = "check the indentation, brackets and quotes around here";
    if message.contains("tab") {
        // The scanner reports the token that runs into the tab; point at the tab itself.
        if let Some(tab) = indenting_tab(text, loc.offset) {
            loc = Loc::at(file, (tab, 1));
            message = "a tab in the indentation".into();
            label = "tab";
        }
        hint = "indent with spaces; YAML does not allow tabs in indentation";
    }
    let mut quote_note = false;
    if let Some((start, end)) = scan.last_quote
        && source::line_col(text, start).0 != source::line_col(text, end).0
        && loc.offset.saturating_sub(end) <= 2
    {
        loc = loc.with_note(start, 1, "this quote is not closed on its line".to_owned());
        label = "the quoted value ends before this";
        hint = "close the quote on the line where it starts";
        quote_note = true;
    } else if message.contains("quote") {
        hint = "close the quote; a quoted value ends with the same quote it starts with";
    }
    if let Some(&open) = scan.open.last().filter(|_| !quote_note) {
        let bracket = &text[open..open + 1];
        let close = if bracket == "{" { "}" } else { "]" };
        loc = loc.with_note(open, 1, format!("this `{bracket}` is not closed before the error"));
        hint = if close == "}" {
            "close the flow mapping with `}` on the line where it starts"
        } else {
            "close the flow list with `]` on the line where it starts"
        };
    }
    Problem { loc, message: format!("YAML syntax error: {message}"), label: label.into(), hint: Some(hint.into()) }
}

/// Flow brackets still open at `upto`, and the last quoted scalar that ends before it.
struct FlowScan {
    open: Vec<usize>,
    last_quote: Option<(usize, usize)>,
}

fn scan_flow(text: &str, upto: usize) -> FlowScan {
    let upto = source::floor(text, upto);
    let bytes = text.as_bytes();
    let mut open = Vec::new();
    let mut last_quote = None;
    let mut i = 0;
    // The last byte that is not a space, on this line: decides whether `{`, `[` or a quote
    // starts a token.
    let mut prev: Option<u8> = None;
    while i < upto {
        let c = bytes[i];
        match c {
            b'\n' => prev = None,
            b' ' | b'\t' | b'\r' => {}
            b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n') => {
                while i < upto && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' if matches!(prev, None | Some(b':' | b'-' | b',' | b'[' | b'{' | b'?')) => {
                let start = i;
                i += 1;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' if c == b'"' => i += 1,
                        b'\'' if c == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
                        q if q == c => break,
                        _ => {}
                    }
                    i += 1;
                }
                if i >= upto {
                    last_quote = None;
                    break;
                }
                last_quote = Some((start, i));
                prev = Some(c);
            }
            b'{' | b'[' if !open.is_empty() || matches!(prev, None | Some(b':' | b'-' | b'?')) => {
                open.push(i);
                prev = Some(c);
            }
            b'}' | b']' if !open.is_empty() => {
                open.pop();
                prev = Some(c);
            }
            other => prev = Some(other),
        }
        i += 1;
    }
    FlowScan { open, last_quote }
}

/// The first tab in the indentation of a line, from the line of `from` on.
fn indenting_tab(text: &str, from: usize) -> Option<usize> {
    let (start, _) = source::line_range(text, from);
    let mut offset = start;
    for line in text[start..].split_inclusive('\n').take(50) {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(i) = line[..indent].find('\t') {
            return Some(offset + i);
        }
        offset += line.len();
    }
    None
}

/// "`key` must be a list, found a string": the key is read from the text before the value.
fn type_problem(file: &Arc<SourceFile>, at: usize, token: &Loc, want: &str, hint: &str) -> Problem {
    let text = file.text.as_str();
    let (loc, found) = match found_at(text, at) {
        // A missing value: point just after the colon.
        None => (Loc::at(file, (after_colon(text, at), 0)), "nothing".to_owned()),
        Some(found) => (token.clone(), found),
    };
    let message = match key_of_value(text, at) {
        Some(Owner::Key(k)) => format!("`{k}` must be {want}, found {found}"),
        Some(Owner::ItemOf(k)) => format!("an item of `{k}` must be {want}, found {found}"),
        None => format!("expected {want}, found {found}"),
    };
    let label = format!("not {want}");
    Problem { loc, message, label, hint: Some(hint.to_owned()) }
}

fn scalar_kind(ty: &str) -> (&'static str, &'static str) {
    match ty {
        "u8" | "u16" => ("a whole number from 0 to 65535", "write a number without quotes, e.g. `400`"),
        "u32" => ("a whole number from 0 to 4294967295", "write a positive number without quotes, e.g. `100`"),
        "u64" | "usize" => ("a whole number of 0 or more", "write a positive number without quotes, e.g. `100`"),
        "i8" | "i16" | "i32" | "i64" | "isize" => ("a whole number", "write the number without quotes, e.g. `1540001`"),
        "f32" | "f64" => ("a number", "write the number without quotes"),
        "bool" | "boolean" => ("`true` or `false`", "write `true` or `false`"),
        _ => ("a different kind of value", "see the format of this key in docs/spec-format.md"),
    }
}

/// What the value at `at` is, in words; `None` when there is no value (null).
fn found_at(text: &str, at: usize) -> Option<String> {
    let rest = text.get(source::floor(text, at)..).unwrap_or("");
    let token = token_text(text, at);
    let first = rest.chars().next();
    Some(match first {
        None | Some('\n' | '\r' | ':' | '#') => return None,
        Some('~') => return None,
        _ if token == "null" || token == "Null" || token == "NULL" => return None,
        Some('[') => "a list".into(),
        Some('{') => "a mapping".into(),
        Some('-') if rest.starts_with("- ") || rest.starts_with("-\n") => "a list".into(),
        Some('"' | '\'') => format!("the string {token}"),
        _ if token.parse::<f64>().is_ok() => format!("the number `{token}`"),
        _ if rest_is_block_mapping(rest) => "a mapping".into(),
        _ => format!("`{token}`"),
    })
}

/// Whether a block value starting here is a mapping (`key: value` on its first line).
fn rest_is_block_mapping(rest: &str) -> bool {
    let line = rest.lines().next().unwrap_or("");
    line.find(": ").is_some_and(|i| !line[..i].contains(['"', '\'', '[', '{'])) || line.trim_end().ends_with(':')
}

/// Offset just after the colon before `at` (where a missing value would go).
fn after_colon(text: &str, at: usize) -> usize {
    let at = source::floor(text, at);
    let (start, end) = source::line_range(text, at);
    if text[at..end].starts_with(':') {
        return at + 1;
    }
    match text[start..at].rfind(':') {
        Some(i) => start + i + 1,
        None => at,
    }
}

enum Owner {
    Key(String),
    ItemOf(String),
}

/// The key whose value starts at `at`: `key: value` on the same line, an item of a flow
/// list `key: [a, b]`, or a block value under `key:` on an earlier line.
fn key_of_value(text: &str, at: usize) -> Option<Owner> {
    let at = source::floor(text, at);
    let (start, _) = source::line_range(text, at);
    let before = &text[start..at];
    let trimmed = before.trim_end();
    if let Some(k) = trimmed.strip_suffix(':') {
        return last_key(k).map(Owner::Key);
    }
    if at < text.len() && text[at..].starts_with(':') {
        return last_key(trimmed).map(Owner::Key);
    }
    if trimmed.ends_with('[') || trimmed.ends_with(',') {
        // An item of a flow list: the key before the innermost open `[`.
        let open = innermost_open(trimmed, '[', ']')?;
        return last_key(trimmed[..open].trim_end().strip_suffix(':')?).map(Owner::ItemOf);
    }
    if trimmed.trim_start_matches(['-', ' ']).is_empty() {
        // A block value: the nearest earlier line with less indentation names its key.
        let dash = trimmed.trim_start().starts_with('-');
        let indent = before.len() - before.trim_start().len();
        for line in text[..start].lines().rev() {
            let content = line.trim_start();
            if content.is_empty() || content.starts_with('#') {
                continue;
            }
            let ind = line.len() - content.len();
            if ind < indent || (ind == indent && !dash && content.starts_with("- ")) {
                let key = last_key(content.trim_end().strip_suffix(':')?)?;
                return Some(if dash { Owner::ItemOf(key) } else { Owner::Key(key) });
            }
            if ind == indent && dash && !content.starts_with('-') {
                let key = last_key(content.trim_end().strip_suffix(':')?)?;
                return Some(Owner::ItemOf(key));
            }
        }
    }
    None
}

/// The byte index of the innermost unclosed `open` in `s`.
fn innermost_open(s: &str, open: char, close: char) -> Option<usize> {
    let mut stack = Vec::new();
    for (i, c) in s.char_indices() {
        if c == open {
            stack.push(i);
        } else if c == close {
            stack.pop();
        }
    }
    stack.pop()
}

/// The key at the end of `s` (`  - { name: x, key` → `key`).
fn last_key(s: &str) -> Option<String> {
    let key = s.rsplit([' ', '{', ',', '[', '-']).next()?.trim_matches(['"', '\'']);
    (!key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.'))
        .then(|| key.to_owned())
}

/// The earlier occurrence of `key` in the mapping whose key is at `at`: a block mapping
/// (same column, above) or a flow mapping on the same line.
fn first_key(text: &str, at: usize, key: &str) -> Option<usize> {
    let at = source::floor(text, at);
    let (start, _) = source::line_range(text, at);
    let before = &text[start..at];
    if let Some(open) = innermost_open(before, '{', '}') {
        let inside = &before[open + 1..];
        return [format!("{{{key}:"), format!(",{key}:"), format!(" {key}:")]
            .iter()
            .filter_map(|p| inside.find(p.as_str()).map(|i| start + open + 1 + i + 1))
            .min();
    }
    let column = before.chars().count();
    let mut line_start = start;
    while line_start > 0 {
        let prev_end = line_start - 1;
        let prev_start = text[..prev_end].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[prev_start..prev_end];
        line_start = prev_start;
        let content = line.trim_start_matches([' ', '-']);
        if content.trim().is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.chars().count() - content.chars().count();
        if indent == column && content.starts_with(&format!("{key}:")) {
            return Some(prev_start + (line.len() - content.len()));
        }
        // Left the mapping: a line further left, or the `- ` line of this item.
        if indent < column || (indent == column && line.trim_start().starts_with('-')) {
            return None;
        }
    }
    None
}

/// The start of the mapping whose key or end is at `at`: its first key, or its `{`.
fn mapping_start(text: &str, at: usize) -> Option<usize> {
    let at = source::floor(text, at);
    let (start, end) = source::line_range(text, at);
    let before = &text[start..at];
    // Inside a flow mapping on this line.
    if let Some(open) = innermost_open(before, '{', '}') {
        return Some(start + open);
    }
    if text[at..end].starts_with('{') {
        return Some(at);
    }
    if text[at..end].starts_with('}') {
        return innermost_open(&text[..at], '{', '}');
    }
    // A block mapping: walk up over its keys (same column) and their nested values.
    let column = before.chars().count();
    if !before.trim_start_matches(['-', ' ']).is_empty() {
        return None;
    }
    let mut first = at;
    let mut line_start = start;
    while line_start > 0 {
        let prev_end = line_start - 1;
        let prev_start = text[..prev_end].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[prev_start..prev_end];
        line_start = prev_start;
        let content = line.trim_start();
        if content.trim().is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.chars().count() - content.chars().count();
        if indent > column {
            continue;
        }
        if indent == column {
            if content.starts_with("- ") || content == "-" {
                break;
            }
            first = prev_start + (line.len() - content.len());
            continue;
        }
        // `- key: value` whose key sits at the mapping's column.
        let after_dash = content.trim_start_matches(['-', ' ']);
        if content.starts_with('-') && indent + (content.len() - after_dash.len()) == column {
            first = prev_start + (line.len() - after_dash.len());
        }
        break;
    }
    Some(first)
}

/// Length of the YAML token at `at`: a quoted string, an alias or anchor, a key, or a word.
fn token_len(text: &str, at: usize) -> usize {
    token_text(text, at).len()
}

fn token_text(text: &str, at: usize) -> &str {
    let at = source::floor(text, at);
    let (_, end) = source::line_range(text, at);
    let rest = &text[at..end.max(at)];
    match rest.chars().next() {
        Some(q @ ('"' | '\'')) => match rest[1..].find(q) {
            Some(i) => &rest[..i + 2],
            None => rest,
        },
        Some('{' | '[' | '}' | ']' | ',') => &rest[..1],
        Some(_) => {
            let stop = rest
                .char_indices()
                .find(|&(i, c)| {
                    c == ',' || c == ']' || c == '}' || c == '#' || (c == ':' && rest[i + 1..].starts_with([' ', '\t']))
                })
                .map_or(rest.len(), |(i, _)| i);
            let stop = if rest[..stop].ends_with(':') { stop - 1 } else { stop };
            rest[..stop].trim_end()
        }
        None => "",
    }
}

/// The block of the spec a set of allowed keys belongs to, for messages.
fn block_name(expected: &[&str]) -> Option<&'static str> {
    let has = |k: &str| expected.contains(&k);
    Some(if has("endpoints") {
        "a service file (top level)"
    } else if expected == ["platform"] {
        "a platform file (top level)"
    } else if has("summary") {
        "an endpoint"
    } else if has("newtype") {
        "a type"
    } else if has("in") {
        "a field or parameter"
    } else if has("http") {
        "an error"
    } else if has("version") {
        "the `service` block"
    } else if has("base_urls") {
        "the `platform` block"
    } else if has("code_field") {
        "`envelope`"
    } else if has("refresh_margin_seconds") {
        "`tenant_token`"
    } else if has("url") {
        "a base URL"
    } else if has("per_second") {
        "`limits`"
    } else if has("any_of") {
        "`scopes`"
    } else if has("when") {
        "a field scope"
    } else if has("kind") {
        "a request or response body"
    } else if has("items") {
        "`pagination`"
    } else if has("value") {
        "an enum value"
    } else {
        return None;
    })
}

fn missing_hint(field: &str) -> String {
    let what = match field {
        "service" => "a `service:` block with name, version, title and platform",
        "endpoints" => "`endpoints:` with at least one endpoint",
        "platform" => {
            "`platform:`: in a service, the path of the platform file relative to this file (`platform.yaml`)"
        }
        "name" => "`name:`",
        "version" => "`version:`, e.g. `v1`",
        "title" => "`title:`, the service's human title",
        "summary" => "`summary:`, one line saying what the endpoint does",
        "doc" => "`doc:`, the https link of the official documentation page",
        "method" => "`method:` (GET, POST, PUT, PATCH or DELETE)",
        "path" => "`path:`, the path from the host, e.g. `/open-apis/baike/v1/entities/{entity_id}`",
        "tokens" => "`tokens: [tenant]`, `[user]` or `[tenant, user]`",
        "response" => "`response: { kind: json, type: SomeData }`, or `kind: binary` / `kind: empty`",
        "code" => "`code:`, the numeric Lark error code",
        "http" => "`http:`, the HTTP status sent with the code, e.g. 400",
        "message" => "`message:`, the message Lark documents for the code",
        "hint" => "`hint:`, how to fix the error",
        "type" => "`type:` (string, boolean, i32, i64, f64, binary, a declared type, or `T[]`)",
        "kind" => "`kind:` (`json` or `multipart` for requests; `json`, `binary` or `empty` for responses)",
        "items" => "`items:`, the list field of the page type",
        "any_of" => "`any_of: [some:scope]`, the scopes of which any one is enough",
        "scope" => "`scope:`, e.g. `contact:user.employee_id:readonly`",
        "when" => "`when: param=value`",
        "value" => "`value:`, the value on the wire",
        "url" => "`url:`, e.g. `https://open.feishu.cn`",
        "base_urls" => "`base_urls:`, e.g. `[{ name: feishu, url: \"https://open.feishu.cn\" }]`",
        "envelope" => "`envelope:` with code_field, message_field, data_field, error_field and log_id_header",
        "tenant_token" => "`tenant_token:` with path and refresh_margin_seconds",
        "refresh_margin_seconds" => "`refresh_margin_seconds:`, e.g. 180",
        _ => return format!("add `{field}:` to this mapping"),
    };
    format!("add {what}")
}

/// `a`, `b` and `c`.
fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [rest @ .., last] => {
            format!("{} and `{last}`", rest.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", "))
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

/// Edit distance with adjacent transpositions (optimal string alignment), for
/// did-you-mean hints: `GTE` is one edit from `GET`.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

/// The best match of `name` among `known`, for did-you-mean hints: at most a third of the
/// candidate's letters differ (one for short names), and never the whole name.
pub(crate) fn closest<'a>(name: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = name.chars().count();
    if len > 64 {
        return None;
    }
    let lower = name.to_lowercase();
    known
        .into_iter()
        .map(|k| (edit_distance(&lower, &k.to_lowercase()), k))
        .filter(|(d, k)| *d <= 1.max(k.chars().count() / 3) && *d < len)
        .min()
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_values() {
        let text = "a:\n  tokens: tenant\n  list: [x, {b: 1}]\n  block:\n    - 5\n";
        let key = |needle: &str| match key_of_value(text, text.find(needle).expect("present")) {
            Some(Owner::Key(k)) => format!("key {k}"),
            Some(Owner::ItemOf(k)) => format!("item of {k}"),
            None => "none".into(),
        };
        assert_eq!(key("tenant"), "key tokens");
        assert_eq!(key("{b"), "item of list");
        assert_eq!(key("5"), "item of block");
    }

    #[test]
    fn mapping_starts() {
        let text = "items:\n  - name: x\n    doc: y\n    nested:\n      deep: 1\n    last: z\n";
        assert_eq!(mapping_start(text, text.find("last").expect("present")), text.find("name"));
        let flow = "- { name: a, http: 400 }";
        assert_eq!(mapping_start(flow, flow.find("http").expect("present")), Some(2));
    }

    #[test]
    fn first_keys() {
        let text = "- a: 1\n  b: 2\n  a: 3\n";
        assert_eq!(first_key(text, text.rfind("a:").expect("present"), "a"), Some(2));
        let flow = "x: { a: 1, b: 2, a: 3 }";
        assert_eq!(first_key(flow, flow.rfind("a:").expect("present"), "a"), Some(5));
    }

    #[test]
    fn items_of_top_level_lists() {
        let text = "service: {}\nendpoints:\n  - name: a\n    x: 1\n\n  - name: b\n    y: [\n      2]\n  - name: c\n";
        let b = text.find("name: b").expect("present");
        let (s, e) = top_level_item(text, text.find("2]").expect("present")).expect("an item");
        assert_eq!((s, &text[s..e]), (b - 4, "  - name: b\n    y: [\n      2]\n"));
        assert_eq!(top_level_item(text, 3), None, "not in a list");
        let only = "endpoints:\n- name: a\n  x: 1\n";
        assert_eq!(top_level_item(only, 20), None, "the only item");
        let anchored = "types:\n  - &t { a: 1 }\n  - b\n";
        assert_eq!(top_level_item(anchored, 12), None, "defines an anchor");
    }

    #[test]
    fn tokens() {
        assert_eq!(token_text("key: \"a b\" # c", 5), "\"a b\"");
        assert_eq!(token_text("summary: x", 0), "summary");
        assert_eq!(token_text("[tenant, user]", 1), "tenant");
        assert_eq!(token_text("星云: 1", 0), "星云");
    }

    #[test]
    fn closest_names() {
        assert_eq!(closest("sumary", ["summary", "name"]), Some("summary"));
        assert_eq!(closest("x", ["a", "b"]), None);
        assert_eq!(closest("GTE", ["GET", "PUT"]), Some("GET"));
        assert_eq!(closest("InvalidParm", ["InvalidParam", "NetworkAnomaly"]), Some("InvalidParam"));
    }
}
