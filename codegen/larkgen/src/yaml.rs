//! The one YAML parse of a spec file: text → a tree of nodes, each knowing the bytes it was
//! written at. An alias becomes a copy of its anchor's node that remembers where it was
//! used, so a mistake inside an anchor is reported at the anchor with a note at each use.
//! A syntax error ends the file; its hint comes from the parser's own state (the flow
//! brackets still open, what the last event was), not from scanning the text again.

use std::collections::HashMap;
use std::sync::Arc;

use granit_parser::{ErrorKind, Event, Parser, ScalarStyle, ScanError};

use crate::diag::{Diagnostics, Loc};
use crate::source::{self, SourceFile};

/// Byte offset and length in the file.
pub(crate) type Span = (usize, usize);

/// One YAML value with its place in the file.
#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub(crate) value: Value,
    /// The scalar as written (quotes included), or the opening bracket of a flow collection;
    /// a block collection has an empty span at its first entry.
    pub(crate) span: Span,
    /// The alias (`*name`) this copy of an anchored node was made for.
    pub(crate) used: Option<Span>,
}

#[derive(Debug, Clone)]
pub(crate) enum Value {
    /// `~`, `null` or nothing at all.
    Null,
    /// A scalar's text; `plain` when written without quotes (only those are numbers or booleans).
    Scalar {
        text: String,
        plain: bool,
    },
    Seq(Vec<Node>),
    Map {
        flow: bool,
        entries: Vec<(Node, Node)>,
    },
}

impl Node {
    /// The text of a scalar.
    pub(crate) fn text(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }

    fn count(&self) -> usize {
        1 + match &self.value {
            Value::Seq(items) => items.iter().map(Node::count).sum(),
            Value::Map { entries, .. } => entries.iter().map(|(k, v)| k.count() + v.count()).sum(),
            Value::Null | Value::Scalar { .. } => 0,
        }
    }

    /// Marks this node and everything in it, not already reached through an inner alias, as
    /// used at `at`.
    fn use_at(&mut self, at: Span) {
        self.used.get_or_insert(at);
        match &mut self.value {
            Value::Seq(items) => items.iter_mut().for_each(|n| n.use_at(at)),
            Value::Map { entries, .. } => entries.iter_mut().for_each(|(k, v)| {
                k.use_at(at);
                v.use_at(at);
            }),
            Value::Null | Value::Scalar { .. } => {}
        }
    }
}

/// Nesting deeper than any spec needs; it also keeps the tree's recursion shallow.
const MAX_DEPTH: usize = 64;
/// Nodes that aliases may copy in all: a few aliases of nested anchors must not blow up.
const MAX_ALIASED_NODES: usize = 100_000;
/// What to do when the spec reaches one of these limits.
const LIMIT_HINT: &str = "split the spec, or reduce nesting and aliases";

/// A collection whose end has not been read yet.
struct Open {
    node: Node,
    anchor: usize,
    /// A mapping's key, waiting for its value.
    key: Option<Node>,
}

/// Parses `file`. `None` after a syntax error or an empty file (reported); a duplicate key is
/// reported and the tree still returned, so its shape errors are found in the same run.
pub(crate) fn parse(file: &Arc<SourceFile>, diags: &mut Diagnostics) -> Option<Node> {
    let text = file.text.as_str();
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Open> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let (mut root, mut documents, mut aliased, mut last_end) = (None, 0, 0, 0);
    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(ok) => ok,
            Err(e) => {
                syntax_error(file, &e, &stack, last_end, diags);
                return None;
            }
        };
        let start = span.start.byte_offset().unwrap_or(0);
        let end = span.end.byte_offset().unwrap_or(start).max(start);
        let (node, anchor) = match event {
            Event::DocumentStart(..) => {
                documents += 1;
                continue;
            }
            Event::Scalar(value, style, anchor, _) => (scalar(value.into_owned(), style, text, (start, end)), anchor),
            Event::SequenceStart(_, anchor, _) | Event::MappingStart(_, anchor, _) => {
                let flow = text.get(start..end).is_some_and(|t| t.starts_with(['[', '{']));
                let span = (start, end - start);
                let value = match event {
                    Event::SequenceStart(..) => Value::Seq(Vec::new()),
                    _ => Value::Map { flow, entries: Vec::new() },
                };
                stack.push(Open { node: Node { value, span, used: None }, anchor, key: None });
                if stack.len() > MAX_DEPTH {
                    let loc = Loc::at(file, (start, 1));
                    diags.error(&loc, "the file is nested too deeply", "limit reached here", LIMIT_HINT);
                    return None;
                }
                last_end = end;
                continue;
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(open) => (open.node, open.anchor),
                None => continue,
            },
            Event::Alias(id) => {
                let Some(mut node) = anchors.get(&id).cloned() else { continue };
                aliased += node.count();
                if aliased > MAX_ALIASED_NODES {
                    let loc = Loc::at(file, (start, end - start));
                    diags.error(&loc, "aliases copy too many values", "limit reached here", LIMIT_HINT);
                    return None;
                }
                node.use_at((start, end - start));
                (node, 0)
            }
            _ => continue,
        };
        last_end = end;
        if documents > 1 {
            let loc = Loc::at(file, node.span);
            let hint = "remove the `---` separator: put each service in its own file";
            diags.error(&loc, "a spec file holds one YAML document", "second document", hint);
            return None;
        }
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            None => root = Some(node),
            Some(open) => add(open, node, file, diags),
        }
    }
    let root = root.filter(|r| !matches!(r.value, Value::Null) || r.span.1 > 0);
    if root.is_none() {
        let hint = "a service file starts with a `service:` block, a platform file with `platform:`";
        diags.error(&Loc::start_of(file), "the file is empty", "", hint);
    }
    root
}

/// A scalar event as a node: plain `~`, `null` and the empty value are null.
fn scalar(text: String, style: ScalarStyle, source: &str, (start, end): (usize, usize)) -> Node {
    let plain = style == ScalarStyle::Plain;
    if plain && matches!(text.as_str(), "~" | "null" | "Null" | "NULL") {
        // An empty value sits right after its key: point after the colon.
        let start =
            if end == start && source.get(start..).is_some_and(|s| s.starts_with(':')) { start + 1 } else { start };
        return Node { value: Value::Null, span: (start, end.max(start) - start), used: None };
    }
    Node { value: Value::Scalar { text, plain }, span: (start, end - start), used: None }
}

/// Adds a finished node to the collection being read; a key given twice is reported.
fn add(open: &mut Open, node: Node, file: &Arc<SourceFile>, diags: &mut Diagnostics) {
    match &mut open.node.value {
        Value::Seq(items) => items.push(node),
        Value::Map { entries, .. } => match open.key.take() {
            None => open.key = Some(node),
            Some(key) => {
                let first = key.text().and_then(|k| entries.iter().find(|(e, _)| e.text() == Some(k)));
                if let Some((first, _)) = first {
                    let loc = Loc::at(file, key.span).with_note(first.span.0, first.span.1, "first given here");
                    let message = format!("key `{}` is given twice in this mapping", key.text().unwrap_or_default());
                    let hint = "keep one of the two; a YAML mapping holds each key once";
                    diags.error(&loc, message, "duplicate key", hint);
                }
                entries.push((key, node));
            }
        },
        Value::Null | Value::Scalar { .. } => {}
    }
}

/// A YAML syntax error, with what usually causes it: an unclosed bracket, a quote that runs
/// on over several lines, a tab in the indentation, an alias of no anchor.
fn syntax_error(file: &Arc<SourceFile>, e: &ScanError, stack: &[Open], last_end: usize, diags: &mut Diagnostics) {
    let text = file.text.as_str();
    let at = source::floor(text, e.marker().byte_offset().unwrap_or(text.len()));
    if *e.kind() == ErrorKind::UnknownAnchor {
        let alias = alias_at(text, at);
        let name = alias.trim_start_matches('*');
        let hint = format!("mark the value to reuse with `&{name}` before this alias");
        let loc = Loc::at(file, (at, alias.len()));
        diags.error(&loc, format!("alias `{alias}` names no anchor"), "unknown anchor", hint);
        return;
    }
    if *e.kind() == ErrorKind::RecursionLimitExceeded {
        diags.error(&Loc::at(file, (at, 1)), "the file is nested too deeply", "limit reached here", LIMIT_HINT);
        return;
    }
    let mut message = clean_message(&e.to_string());
    let mut loc = Loc::at(file, (at, 1));
    let (mut label, mut hint) = ("here", "check the indentation, brackets and quotes around here");
    if message.contains("tab") {
        if let Some(tab) = indenting_tab(text, at) {
            loc = Loc::at(file, (tab, 1));
            message = "a tab in the indentation".into();
            label = "tab";
        }
        hint = "indent with spaces; YAML does not allow tabs in indentation";
    }
    // A quoted value read over lines and closed by the opening quote of a later value: the
    // error comes just after that quote, and the runaway value starts after the last event.
    let opened = text[last_end.min(at)..at].find(['"', '\'']).map(|i| last_end + i);
    let runaway = opened.filter(|&q| {
        text[..at].ends_with(&text[q..q + 1]) && source::line_col(text, q).0 != source::line_col(text, at).0
    });
    if let Some(quote) = runaway {
        loc = loc.with_note(quote, 1, "this quote is not closed on its line");
        label = "the quoted value ends before this";
        hint = "close the quote on the line where it starts";
    } else if let Some(open) = unclosed_bracket(text, stack, last_end, at) {
        let bracket = &text[open..open + 1];
        loc = loc.with_note(open, 1, format!("this `{bracket}` is not closed before the error"));
        hint = if bracket == "{" {
            "close the flow mapping with `}` on the line where it starts"
        } else {
            "close the flow list with `]` on the line where it starts"
        };
    } else if message.contains("quote") {
        hint = "close the quote; a quoted value ends with the same quote it starts with";
    }
    diags.error(&loc, format!("YAML syntax error: {message}"), label, hint);
}

/// The innermost flow bracket open at the error: one the parser was still reading (it looks
/// ahead before it reports a collection: the first bracket after its last event), else the
/// innermost flow collection it reported.
fn unclosed_bracket(text: &str, stack: &[Open], last_end: usize, at: usize) -> Option<usize> {
    let pending = text[last_end.min(at)..at].find(['{', '[']).map(|i| last_end + i);
    pending.or_else(|| stack.iter().rev().find(|o| o.node.span.1 == 1).map(|o| o.node.span.0))
}

/// The alias token (`*name`) at `at`.
fn alias_at(text: &str, at: usize) -> &str {
    let rest = &text[at..];
    let end = rest.find(|c: char| c.is_whitespace() || ",]}".contains(c)).unwrap_or(rest.len());
    &rest[..end]
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

/// The parser's message without the position it appends (the diagnostic shows its own).
fn clean_message(raw: &str) -> String {
    let first = raw.lines().next().unwrap_or(raw).trim();
    let cut = first.find(" at char ").unwrap_or(first.len());
    let message = first[..cut].trim_end_matches([':', ',']).trim();
    if message.is_empty() { "invalid YAML".to_owned() } else { message.to_owned() }
}
