//! The shape of a spec: a YAML tree (yaml.rs) read into the spec model (spec.rs). Unknown
//! keys, missing keys and values of the wrong kind become diagnostics worded for the spec's
//! author, placed on the offending key or value; reading goes on past each, so one run
//! reports every shape error of a file (a file with any gives no model).

use std::sync::Arc;

use crate::diag::{Diagnostics, Loc};
use crate::load::closest;
use crate::source::SourceFile;
use crate::yaml::{Node, Span, Value};

/// A value of the spec with where it was written, for diagnostics.
#[derive(Debug, Clone, Default)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it is written (see [`Node::span`]).
    pub span: Span,
    /// The alias it was reached through, if any.
    pub used: Option<Span>,
}

/// Reads a file's tree into `T`; `None` when the tree has a shape error (reported).
pub(crate) fn read<T: FromNode>(file: &Arc<SourceFile>, root: &Node, diags: &mut Diagnostics) -> Option<T> {
    let mut cx = Shape { file, diags, failed: false };
    let value = T::from_node(root, &mut cx, Whose::Top);
    value.filter(|_| !cx.failed)
}

/// The reader's state: where to report, and whether anything was.
pub(crate) struct Shape<'a> {
    file: &'a Arc<SourceFile>,
    diags: &'a mut Diagnostics,
    failed: bool,
}

/// Whose value a node is, for messages: "`tokens` must be…", "an item of `tokens`…".
#[derive(Clone, Copy)]
pub(crate) enum Whose<'k> {
    Top,
    Key(&'k str),
    ItemOf(&'k str),
}

impl Shape<'_> {
    fn error(&mut self, node: &Node, span: Span, message: String, label: impl Into<String>, hint: String) {
        self.failed = true;
        let loc = Loc::of(self.file, span, node.used);
        self.diags.error(&loc, message, label, hint);
    }

    /// "`key` must be `want`, found …" at `node`. Returns `None` for the caller's convenience.
    pub(crate) fn wrong<T>(&mut self, node: &Node, whose: Whose<'_>, want: &str, hint: &str) -> Option<T> {
        let found = match &node.value {
            Value::Null => "nothing".to_owned(),
            Value::Seq(_) => "a list".to_owned(),
            Value::Map { .. } => "a mapping".to_owned(),
            Value::Scalar { text, plain: true } if text.parse::<f64>().is_ok() => format!("the number `{text}`"),
            Value::Scalar { text, plain: true } => format!("`{text}`"),
            Value::Scalar { text, .. } => {
                let written = self.file.text.get(node.span.0..node.span.0 + node.span.1);
                format!("the string {}", written.map_or_else(|| format!("{text:?}"), str::to_owned))
            }
        };
        let message = match whose {
            Whose::Key(k) => format!("`{k}` must be {want}, found {found}"),
            Whose::ItemOf(k) => format!("an item of `{k}` must be {want}, found {found}"),
            Whose::Top => format!("expected {want}, found {found}"),
        };
        self.error(node, node.span, message, format!("not {want}"), hint.to_owned());
        None
    }
}

/// A part of the spec model that can be read from a node.
pub(crate) trait FromNode: Sized {
    fn from_node(node: &Node, cx: &mut Shape<'_>, whose: Whose<'_>) -> Option<Self>;
}

/// A block of the spec written as a YAML mapping with known keys.
pub(crate) trait FromMap: Default {
    /// The block's name in messages, e.g. "an endpoint".
    const WHAT: &'static str;
    /// Whether keys starting with `x-` are allowed (and ignored), e.g. `x-anchors`.
    const EXTENSIONS: bool = false;
    /// Reads every key the block has; the keys asked for are the keys allowed.
    fn from_map(m: &mut Fields<'_, '_, '_>) -> Self;
}

impl<T: FromMap> FromNode for T {
    fn from_node(node: &Node, cx: &mut Shape<'_>, whose: Whose<'_>) -> Option<Self> {
        let Value::Map { entries, flow } = &node.value else {
            let hint = "write a mapping: `{ key: value }`, or one `key: value` per line";
            return cx.wrong(node, whose, "a mapping", hint);
        };
        let mut fields = Fields { node, entries, flow: *flow, asked: Vec::new(), missing: Vec::new(), cx };
        let value = T::from_map(&mut fields);
        fields.finish(T::WHAT, T::EXTENSIONS);
        Some(value)
    }
}

/// The keys of a mapping being read.
pub(crate) struct Fields<'n, 'c, 'a> {
    node: &'n Node,
    entries: &'n [(Node, Node)],
    flow: bool,
    asked: Vec<&'static str>,
    missing: Vec<&'static str>,
    cx: &'c mut Shape<'a>,
}

impl<'n> Fields<'n, '_, '_> {
    fn find(&mut self, key: &'static str) -> Option<&'n Node> {
        self.asked.push(key);
        self.entries.iter().find(|(k, _)| k.text() == Some(key)).map(|(_, v)| v)
    }

    /// A key the block must have.
    pub(crate) fn req<T: FromNode + Default>(&mut self, key: &'static str) -> T {
        match self.find(key) {
            Some(value) => T::from_node(value, self.cx, Whose::Key(key)).unwrap_or_default(),
            None => {
                self.missing.push(key);
                T::default()
            }
        }
    }

    /// A key the block may have, its type's default when absent (`false`, an empty list).
    pub(crate) fn or_default<T: FromNode + Default>(&mut self, key: &'static str) -> T {
        self.opt(key).unwrap_or_default()
    }

    /// A key the block may have; `~` is the same as leaving it out.
    pub(crate) fn opt<T: FromNode>(&mut self, key: &'static str) -> Option<T> {
        let value = self.find(key).filter(|v| !matches!(v.value, Value::Null))?;
        T::from_node(value, self.cx, Whose::Key(key))
    }

    /// Reports unknown keys, then missing keys but those an unknown key misspells (the
    /// did-you-mean says it all).
    fn finish(&mut self, what: &str, extensions: bool) {
        let misspelt = self.unknown_keys(what, extensions);
        for key in std::mem::take(&mut self.missing) {
            if !misspelt.contains(&key) {
                self.report_missing(key);
            }
        }
    }

    fn report_missing(&mut self, key: &str) {
        // A flow mapping is shown at its `{`, a block mapping at its first key.
        let span = match self.entries.first() {
            Some((first, _)) if !self.flow => first.span,
            _ => self.node.span,
        };
        let top = self.cx.file.line_col(span.0).1 == 1;
        let label =
            if top { format!("the file has no top-level `{key}`") } else { format!("this mapping has no `{key}`") };
        self.cx.error(self.node, span, format!("missing key `{key}`"), label, missing_hint(key));
    }

    /// Reports the keys not asked for; returns the allowed keys they seem to misspell.
    fn unknown_keys(&mut self, what: &str, extensions: bool) -> Vec<&'static str> {
        let allowed = self.asked.clone();
        let mut misspelt = Vec::new();
        for (i, (key, value)) in self.entries.iter().enumerate() {
            let Some(name) = key.text() else {
                let hint = "write each key as a plain word, e.g. `name:`";
                self.cx.wrong::<()>(key, Whose::Top, "a key (a single value)", hint);
                continue;
            };
            if self.asked.contains(&name) || (extensions && name.starts_with("x-")) {
                continue;
            }
            let hint = match closest(name, allowed.iter().copied()) {
                Some(c) => {
                    misspelt.push(c);
                    format!("did you mean `{c}`?")
                }
                None if self.flow && i > 0 && matches!(value.value, Value::Null) => comma_hint(self, i),
                None => format!("the keys allowed here are {}", list(&allowed)),
            };
            self.cx.error(key, key.span, format!("unknown key `{name}` in {what}"), "unknown key", hint);
        }
        misspelt
    }
}

/// `{ hint: Check this, then that. }` reads `then that.` as a key: the value before it
/// held a comma, which ends a value inside `{ }`.
fn comma_hint(fields: &Fields<'_, '_, '_>, i: usize) -> String {
    let (before, value) = &fields.entries[i - 1];
    let (key, _) = &fields.entries[i];
    let text = &fields.cx.file.text;
    let written = text.get(value.span.0..key.span.0 + key.span.1).unwrap_or_default();
    format!(
        "a comma ends a value inside `{{ }}`: quote the value that holds it, e.g. `{}: \"{written}\"`",
        before.text().unwrap_or_default()
    )
}

impl FromNode for String {
    fn from_node(node: &Node, cx: &mut Shape<'_>, whose: Whose<'_>) -> Option<Self> {
        match &node.value {
            Value::Scalar { text, .. } => Some(text.clone()),
            Value::Null => cx.wrong(
                node,
                whose,
                "a string",
                "write a value after the colon; quote `~` and `null` to mean the text",
            ),
            _ => cx.wrong(
                node,
                whose,
                "a single value",
                "write a single value; quote it if it starts with `[`, `{`, `*`, `&` or contains `: `",
            ),
        }
    }
}

impl FromNode for bool {
    fn from_node(node: &Node, cx: &mut Shape<'_>, whose: Whose<'_>) -> Option<Self> {
        match plain(node) {
            Some("true" | "True" | "TRUE") => Some(true),
            Some("false" | "False" | "FALSE") => Some(false),
            _ => cx.wrong(node, whose, "`true` or `false`", "write `true` or `false`"),
        }
    }
}

/// The text of a plain (unquoted) scalar.
fn plain(node: &Node) -> Option<&str> {
    match &node.value {
        Value::Scalar { text, plain: true } => Some(text),
        _ => None,
    }
}

/// Whole numbers, with the words of their range.
macro_rules! whole_numbers {
    ($($ty:ty: $want:literal, $hint:literal;)*) => {$(
        impl FromNode for $ty {
            fn from_node(node: &Node, cx: &mut Shape<'_>, whose: Whose<'_>) -> Option<Self> {
                plain(node).and_then(|t| t.parse().ok()).or_else(|| cx.wrong(node, whose, $want, $hint))
            }
        }
    )*};
}

whole_numbers! {
    u16: "a whole number from 0 to 65535", "write a number without quotes, e.g. `400`";
    u32: "a whole number from 0 to 4294967295", "write a positive number without quotes, e.g. `100`";
    u64: "a whole number of 0 or more", "write a positive number without quotes, e.g. `100`";
    i64: "a whole number", "write the number without quotes, e.g. `1540001`";
}

impl<T: FromNode> FromNode for Vec<T> {
    fn from_node(node: &Node, cx: &mut Shape<'_>, whose: Whose<'_>) -> Option<Self> {
        let Value::Seq(items) = &node.value else {
            return cx.wrong(node, whose, "a list", "write a list: `[a, b]`, or one `- item` per line");
        };
        let key = match whose {
            Whose::Key(k) | Whose::ItemOf(k) => k,
            Whose::Top => "the file",
        };
        Some(items.iter().filter_map(|item| T::from_node(item, cx, Whose::ItemOf(key))).collect())
    }
}

impl<T: FromNode> FromNode for Spanned<T> {
    fn from_node(node: &Node, cx: &mut Shape<'_>, whose: Whose<'_>) -> Option<Self> {
        let value = T::from_node(node, cx, whose)?;
        Some(Spanned { value, span: node.span, used: node.used })
    }
}

/// What to add for a missing key.
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
        "type" => {
            "`type:` (string, boolean, i32, i64, i64_string, f64, json, binary, a declared type, `T[]` or `map<string, T>`)"
        }
        "kind" => "`kind:` (`json` or `multipart` for requests; `json`, `binary` or `empty` for responses)",
        "items" => "`items:`, the list field of the page type",
        "any_of" => "`any_of: [some:scope]`, the scopes of which any one is enough",
        "scope" => "`scope:`, e.g. `contact:user.employee_id:readonly`",
        "when" => "`when: param=value` (or a list of conditions, any one of which needs the scope)",
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
pub(crate) fn list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => format!("`{one}`"),
        [rest @ .., last] => {
            format!("{} and `{last}`", rest.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", "))
        }
    }
}
