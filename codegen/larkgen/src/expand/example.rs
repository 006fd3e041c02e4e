//! An example `data` of each JSON answer, built from the spec: the spec has `example:` on
//! fields and parameters but no whole-response example, so one is synthesized from the
//! response type. It goes into the descriptor (`Endpoint::example`) as JSON text, where the
//! runtime's fake server (`testing` feature) answers with it by default.
//!
//! Every field is present (optional ones too, so code under test sees values): a field's
//! `example` when it has one, else a plausible value of its kind inside its constraints;
//! enums take their first value; lists hold one item (or `min_items`). A type already being
//! written (a cycle through a list) gets an empty list, or is left out when optional.

use std::fmt::Write;

use crate::ir::{Endpoint, Field, Response, Service, Ty, TypeKind};

/// The JSON text of an example `data` of `e`'s successful answer (`""` for binary answers).
pub(crate) fn example(s: &Service, e: &Endpoint) -> String {
    let ty = match &e.response {
        Response::Json(ty) => ty,
        Response::Empty => return "{}".to_owned(),
        Response::Binary => return String::new(),
    };
    let mut out = String::new();
    let mut cx = Cx { service: s, stack: Vec::new(), out: &mut out };
    // A paged answer's example is one last page: a `page_token` would make `.stream()` ask
    // for a page the example does not have.
    cx.object(ty, e.pagination.is_some());
    out
}

struct Cx<'a> {
    service: &'a Service,
    /// The object types being written, outermost first.
    stack: Vec<&'a str>,
    out: &'a mut String,
}

impl<'a> Cx<'a> {
    fn object(&mut self, name: &'a str, last_page: bool) {
        let fields = match self.service.type_def(name).map(|t| &t.kind) {
            Some(TypeKind::Struct(s)) => &s.fields,
            _ => return self.out.push_str("{}"),
        };
        self.stack.push(name);
        self.out.push('{');
        let mut first = true;
        for f in fields {
            if (last_page && f.name == "page_token") || (!f.required && self.cycles(&f.ty)) {
                continue;
            }
            if !first {
                self.out.push(',');
            }
            first = false;
            string(self.out, &f.name);
            self.out.push(':');
            if last_page && f.name == "has_more" {
                self.out.push_str("false");
            } else {
                self.value(f, &f.ty);
            }
        }
        self.out.push('}');
        self.stack.pop();
    }

    /// Whether writing `ty` would enter an object type already being written.
    fn cycles(&self, ty: &Ty) -> bool {
        match ty {
            Ty::Named(n) => self.stack.contains(&n.as_str()),
            Ty::List(inner) | Ty::Map(inner) => self.cycles(inner),
            _ => false,
        }
    }

    fn value(&mut self, f: &'a Field, ty: &'a Ty) {
        let example = f.example.as_deref();
        match ty {
            Ty::String => string(self.out, &text(f, example)),
            Ty::Bool => self.out.push_str(if example == Some("false") { "false" } else { "true" }),
            Ty::I32 | Ty::I64 => {
                let n = example.and_then(|x| x.parse::<i64>().ok()).unwrap_or_else(|| number(f));
                let _ = write!(self.out, "{n}");
            }
            // On the wire as a string, as Lark sends it.
            Ty::I64String => {
                let n = example.and_then(|x| x.parse::<i64>().ok()).unwrap_or_else(|| number(f));
                string(self.out, &n.to_string());
            }
            // Any JSON: an empty object fits every field the docs leave unspecified.
            Ty::Json => self.out.push_str("{}"),
            Ty::Map(inner) => {
                self.out.push('{');
                if !self.cycles(inner) && f.rules.max_items != Some(0) {
                    string(self.out, "key");
                    self.out.push(':');
                    self.value(f, inner);
                }
                self.out.push('}');
            }
            Ty::F64 => match example.and_then(|x| x.parse::<f64>().ok()).filter(|x| x.is_finite()) {
                Some(x) => {
                    let _ = write!(self.out, "{x:?}");
                }
                None => {
                    let _ = write!(self.out, "{}.0", number(f));
                }
            },
            // Not in answers (a checked spec has files in request forms only).
            Ty::Binary => self.out.push_str("null"),
            Ty::List(inner) => {
                let n = if self.cycles(inner) {
                    0
                } else {
                    let min = f.rules.min_items.unwrap_or(1).max(1);
                    f.rules.max_items.map_or(min, |max| min.min(max))
                };
                self.out.push('[');
                for i in 0..n {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.value(f, inner);
                }
                self.out.push(']');
            }
            Ty::Named(name) => match self.service.type_def(name).map(|t| &t.kind) {
                Some(TypeKind::Struct(_)) => self.object(name, false),
                Some(TypeKind::StringEnum(values)) => {
                    string(self.out, example.or(values.first().map(|v| v.wire.as_str())).unwrap_or_default())
                }
                Some(TypeKind::IntEnum(values)) => {
                    self.out.push_str(example.or(values.first().map(|v| v.wire.as_str())).unwrap_or("0"))
                }
                // Id newtypes: the example, else the type's name (`EntityId` → `entity_id_1`).
                Some(TypeKind::Newtype) | None => match example {
                    Some(x) => string(self.out, x),
                    None => string(self.out, &format!("{}_1", heck::AsSnakeCase(name))),
                },
            },
        }
    }
}

/// A string field's value: its example, else its name, fitted to its length bounds.
fn text(f: &Field, example: Option<&str>) -> String {
    if let Some(x) = example {
        return x.to_owned();
    }
    let mut s: String = f.name.clone();
    if let Some(max) = f.rules.max_length {
        s = s.chars().take(max as usize).collect();
    }
    while (s.chars().count() as u64) < f.rules.min_length.unwrap_or(0) {
        s.push('x');
    }
    // A forbidden character in the name (e.g. `_`) is replaced, so the example passes the checks.
    s.chars().map(|c| if f.rules.forbidden_chars.contains(c) { 'x' } else { c }).collect()
}

/// A number inside the field's bounds: 1 when allowed.
fn number(f: &Field) -> i64 {
    let mut n = 1;
    if let Some(min) = f.rules.min {
        n = n.max(min);
    }
    if let Some(max) = f.rules.max {
        n = n.min(max);
    }
    n
}

/// JSON text as a Rust raw string literal (`r#"{"a":1}"#`), which reads like the JSON itself.
pub(crate) fn literal(json: &str) -> proc_macro2::Literal {
    if json.is_empty() {
        return proc_macro2::Literal::string("");
    }
    let mut hashes = String::from("#");
    while json.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{json}\"{hashes}").parse().unwrap_or_else(|_| proc_macro2::Literal::string(json))
}

/// `s` as a JSON string literal.
fn string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    const PLATFORM: &str = include_str!("../../tests/fixtures/platform.yaml");
    const SERVICE: &str = r#"
service: { name: demo, version: v1, title: Demo, platform: platform.yaml }
errors:
  - { name: InvalidParam, code: 1540001, http: 400, message: invalid param, hint: Check. }
types:
  - { name: NodeId, description: An id., newtype: string }
  - name: Color
    description: A color.
    enum: string
    values: [{ value: red, description: Red. }, { value: blue, description: Blue. }]
  - name: Node
    description: A tree node.
    fields:
      - { name: id, type: NodeId, required: true, description: Id. }
      - { name: code, type: string, description: Code., max_length: 3 }
      - { name: long_name, type: string, description: Name., min_length: 12, forbidden_chars: "_" }
      - { name: size, type: i32, description: Size., min: 5 }
      - { name: color, type: Color, description: Color. }
      - { name: label, type: string, description: "Label \"quoted\".", example: "a \"b\"" }
      - { name: children, type: "Node[]", required: true, description: Children. }
      - { name: siblings, type: "Node[]", description: Siblings. }
  - name: NodePage
    description: A page.
    fields:
      - { name: nodes, type: "Node[]", description: Nodes. }
      - { name: page_token, type: string, description: Next. }
      - { name: has_more, type: boolean, description: More. }
endpoints:
  - name: node.list
    summary: List nodes.
    doc: https://open.feishu.cn/document/demo
    method: GET
    path: /open-apis/demo/v1/nodes
    tokens: [tenant]
    app_types: [self_built]
    scopes: { any_of: [demo:read] }
    params:
      - { name: page_token, in: query, type: string, description: Token. }
    response: { kind: json, type: NodePage }
    pagination: { items: nodes }
    errors: [InvalidParam]
"#;

    #[test]
    fn examples_fit_the_constraints_end_cycles_and_are_one_last_page() {
        let checked = crate::check_sources(&[("demo.yaml", SERVICE), ("platform.yaml", PLATFORM)]);
        assert!(!checked.diagnostics.has_errors(), "{}", checked.diagnostics.render_plain());
        let api = checked.api.expect("checks");
        let service = &api.services[0];
        let json = super::example(service, &service.endpoints[0]);
        // The cycle ends at once: a required list of the type being written is empty, an
        // optional one is left out.
        let node = r#"{"id":"node_id_1","code":"cod","long_name":"longxnamexxx","size":5,"color":"red","label":"a \"b\"","children":[]}"#;
        let expected = format!(r#"{{"nodes":[{node}],"has_more":false}}"#);
        assert_eq!(json, expected);
        assert_eq!(super::literal(&json).to_string(), format!("r#\"{json}\"#"));
        assert_eq!(super::literal(r##"{"a":"\"#"}"##).to_string(), r###"r##"{"a":"\"#"}"##"###);
    }
}
