//! A plain YAML value tree, read from OpenAPI documents and overlays and written as spec
//! text. Spans are not kept: the importer's output is checked as text afterwards, where every
//! problem gets its file, line and column.

use std::fmt::Write as _;
use std::sync::Arc;

use crate::diag::Diagnostics;
use crate::source::SourceFile;
use crate::yaml;

/// One YAML value. A scalar keeps whether it was written plain (only plain scalars are numbers,
/// booleans or null) so an overlay's `20` stays a number and its `"20"` a string.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Y {
    Null,
    Scalar(String, bool),
    Seq(Vec<Y>),
    Map(Vec<(String, Y)>),
}

impl Y {
    pub(crate) fn str(s: impl Into<String>) -> Y {
        Y::Scalar(s.into(), false)
    }
    pub(crate) fn int(i: i64) -> Y {
        Y::Scalar(i.to_string(), true)
    }
    pub(crate) fn bool(b: bool) -> Y {
        Y::Scalar(b.to_string(), true)
    }
    pub(crate) fn map() -> Y {
        Y::Map(Vec::new())
    }

    /// Sets `key` (replacing an existing entry in place); a builder for maps.
    pub(crate) fn with(mut self, key: &str, value: Y) -> Y {
        self.set(key, value);
        self
    }
    pub(crate) fn set(&mut self, key: &str, value: Y) {
        if let Y::Map(entries) = self {
            match entries.iter_mut().find(|(k, _)| k == key) {
                Some(entry) => entry.1 = value,
                None => entries.push((key.to_owned(), value)),
            }
        }
    }
    pub(crate) fn get(&self, key: &str) -> Option<&Y> {
        match self {
            Y::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut Y> {
        match self {
            Y::Map(entries) => entries.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Y::Scalar(s, _) => Some(s),
            _ => None,
        }
    }
    /// A key's text (`""` when absent or not a scalar).
    pub(crate) fn text(&self, key: &str) -> &str {
        self.get(key).and_then(Y::as_str).unwrap_or("")
    }
    pub(crate) fn is_true(&self, key: &str) -> bool {
        self.text(key) == "true"
    }
    pub(crate) fn items(&self) -> &[Y] {
        match self {
            Y::Seq(items) => items,
            _ => &[],
        }
    }
    pub(crate) fn entries(&self) -> &[(String, Y)] {
        match self {
            Y::Map(entries) => entries,
            _ => &[],
        }
    }
    /// The items of a list under `key` (none when absent).
    pub(crate) fn list(&self, key: &str) -> &[Y] {
        self.get(key).map_or(&[], Y::items)
    }
}

/// Parses YAML text with the spec loader's parser; `None` (with diagnostics) when it is not YAML.
pub(crate) fn parse(file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Option<Y> {
    yaml::parse(file, diags).map(|n| from_node(&n))
}

fn from_node(node: &yaml::Node) -> Y {
    match &node.value {
        yaml::Value::Null => Y::Null,
        yaml::Value::Scalar { text, plain } => Y::Scalar(text.clone(), *plain),
        yaml::Value::Seq(items) => Y::Seq(items.iter().map(from_node).collect()),
        yaml::Value::Map { entries, .. } => {
            Y::Map(entries.iter().map(|(k, v)| (k.text().unwrap_or_default().to_owned(), from_node(v))).collect())
        }
    }
}

/// Block-style YAML text of a mapping, as a person would write it: plain scalars where they
/// read the same, quotes elsewhere, `|-` blocks for text of several lines.
pub(crate) fn emit(root: &Y) -> String {
    let mut out = String::new();
    write_map_body(&mut out, root.entries(), 0);
    out
}

fn write_map_body(out: &mut String, entries: &[(String, Y)], indent: usize) {
    for (i, (key, value)) in entries.iter().enumerate() {
        if i > 0 {
            out.extend(std::iter::repeat_n(' ', indent));
        }
        write_entry(out, key, value, indent);
    }
}

fn write_entry(out: &mut String, key: &str, value: &Y, indent: usize) {
    out.push_str(&scalar_text(key, false, indent));
    out.push(':');
    match value {
        Y::Map(entries) if !entries.is_empty() => {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', indent + 2));
            write_map_body(out, entries, indent + 2);
        }
        Y::Seq(items) if !items.is_empty() => {
            out.push('\n');
            write_seq(out, items, indent);
        }
        other => {
            out.push(' ');
            write_inline(out, other, indent);
            out.push('\n');
        }
    }
}

fn write_seq(out: &mut String, items: &[Y], indent: usize) {
    for item in items {
        out.extend(std::iter::repeat_n(' ', indent));
        out.push_str("- ");
        match item {
            Y::Map(entries) if !entries.is_empty() => write_map_body(out, entries, indent + 2),
            Y::Seq(inner) if !inner.is_empty() => {
                out.pop(); // no space after a dash that ends its line
                out.push('\n');
                write_seq(out, inner, indent + 2);
            }
            other => {
                write_inline(out, other, indent + 2);
                out.push('\n');
            }
        }
    }
}

fn write_inline(out: &mut String, value: &Y, indent: usize) {
    match value {
        Y::Null => out.push('~'),
        Y::Scalar(text, plain) => out.push_str(&scalar_text(text, *plain, indent)),
        Y::Seq(_) => out.push_str("[]"),
        Y::Map(_) => out.push_str("{}"),
    }
}

/// A scalar as YAML text: a plain scalar (number, boolean) as written; a string plain when it
/// reads back as the same string, as a `|-` block when it has several lines, else quoted.
fn scalar_text(text: &str, plain: bool, indent: usize) -> String {
    if plain || reads_as_plain_string(text) {
        return text.to_owned();
    }
    if text.contains('\n') && block_safe(text) {
        let pad: String = " ".repeat(indent + 2);
        let mut s = String::from("|-");
        for line in text.lines() {
            s.push('\n');
            if !line.is_empty() {
                s.push_str(&pad);
                s.push_str(line);
            }
        }
        return s;
    }
    quoted(text)
}

fn reads_as_plain_string(s: &str) -> bool {
    let Some(first) = s.chars().next() else { return false };
    (first.is_ascii_alphabetic() || first == '/')
        && s.chars().all(|c| c.is_ascii_alphanumeric() || " _./<>,()-+=".contains(c))
        && !s.ends_with([' ', ':'])
        && !s.contains(": ")
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
        )
}

fn block_safe(s: &str) -> bool {
    !s.starts_with([' ', '\n'])
        && !s.ends_with(['\n', ' '])
        && !s.contains(['\t', '\r'])
        && s.lines().all(|l| !l.ends_with(' ') && !l.starts_with(' '))
}

fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(y: &Y) -> Y {
        let text = emit(y);
        let file = Arc::new(SourceFile::new(std::path::Path::new("t.yaml"), "t.yaml".into(), text.clone()));
        let mut diags = Diagnostics::default();
        let back = parse(&file, &mut diags).unwrap_or_else(|| panic!("{text}\n{}", diags.render_plain()));
        assert!(!diags.has_errors(), "{text}");
        back
    }

    #[test]
    fn emitted_text_reads_back_as_the_same_tree() {
        let y = Y::map()
            .with("name", Y::str("file.download"))
            .with("count", Y::int(20))
            .with("flag", Y::bool(true))
            .with("looks_like_number", Y::str("20"))
            .with("keyword", Y::str("true"))
            .with("colon", Y::str("a: b # c"))
            .with("lines", Y::str("第一行\n\n第二行 [链接](https://open.feishu.cn)"))
            .with("spaced", Y::str(" leading\nline"))
            .with("quote", Y::str("say \"hi\"\\"))
            .with("type", Y::str("map<string, string[]>"))
            .with("empty", Y::Seq(vec![]))
            .with("list", Y::Seq(vec![Y::str("a"), Y::map().with("k", Y::str("v")).with("j", Y::int(1))]))
            .with("nested", Y::map().with("inner", Y::Seq(vec![Y::Seq(vec![Y::int(1)])])));
        let back = roundtrip(&y);
        // Every value reads back with its text; strings that look like numbers or booleans
        // stay strings (a string written plain reads back plain, which means the same).
        assert_eq!(emit(&back), emit(&y));
        for (key, value) in y.entries() {
            assert_eq!(back.get(key).and_then(Y::as_str), value.as_str(), "{key}");
        }
        assert_eq!(back.get("looks_like_number"), Some(&Y::str("20")));
        assert_eq!(back.get("keyword"), Some(&Y::str("true")));
        assert_eq!(back.get("count"), Some(&Y::int(20)));
    }
}
