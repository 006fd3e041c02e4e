//! Named types: id newtypes and open enums (through the runtime's macros), objects with
//! serde derives, their constructors, client-side validation and pagination impls.

use std::collections::HashMap;

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs;
use super::literal::str_lit;
use super::moved::Moved;
use super::names::{arg, field_ident, field_ty, init, ty, type_ident};
use crate::ir::{Endpoint, Field, Response, Rules, Service, Struct, Ty, TypeDef, TypeKind};

pub(crate) fn expand_type(t: &TypeDef, validated: &HashMap<String, bool>) -> TokenStream {
    let name = type_ident(&t.name);
    // Structs write their own (with the derives); the others through a runtime macro.
    let doc = || docs::attrs(t.description.as_deref().unwrap_or(&t.name));
    match &t.kind {
        TypeKind::Newtype => {
            let doc = doc();
            quote!(rt::string_newtype! { #doc pub struct #name; })
        }
        TypeKind::StringEnum(values) => {
            let doc = doc();
            let variants = values.iter().map(|v| {
                let id = type_ident(&v.variant);
                let d = docs::attrs(v.description.as_deref().unwrap_or(&v.wire));
                let wire = str_lit(&v.wire);
                quote!(#d #id = #wire,)
            });
            quote!(rt::string_enum! { #doc pub enum #name { #(#variants)* } })
        }
        TypeKind::IntEnum(values) => {
            let doc = doc();
            let variants = values.iter().map(|v| {
                let id = type_ident(&v.variant);
                let d = docs::attrs(v.description.as_deref().unwrap_or(&v.wire));
                let wire: i64 = v.wire.parse().expect("validated integer");
                let wire = Literal::i64_unsuffixed(wire);
                quote!(#d #id = #wire,)
            });
            quote!(rt::int_enum! { #doc pub enum #name { #(#variants)* } })
        }
        TypeKind::Struct(s) => expand_struct(t, s, validated),
    }
}

fn expand_struct(t: &TypeDef, s: &Struct, validated: &HashMap<String, bool>) -> TokenStream {
    let name = type_ident(&t.name);
    let doc = docs::attrs(t.description.as_deref().unwrap_or(&t.name));
    let fields = s.fields.iter().map(|f| {
        let id = field_ident(&f.name);
        let fty = field_ty(&f.ty, f.required);
        let d = docs::attrs(&docs::field(f));
        Moved::from(quote!(#d pub #id: #fty,))
    });
    let all_optional = s.fields.iter().all(|f| !f.required);
    let derives = if s.multipart {
        quote!(#[derive(Clone, Debug)])
    } else if all_optional {
        quote!(#[derive(Clone, Debug, PartialEq, Default)])
    } else {
        quote!(#[derive(Clone, Debug, PartialEq)])
    };
    // JSON through the runtime's `json_object!`, not serde_derive: see runtime/src/json.rs.
    // JSON and validation through the runtime's `json_object!`, not serde_derive and not an
    // `impl Validate` per type: see runtime/src/json.rs.
    let json = (!s.multipart).then(|| {
        let entries = s.fields.iter().map(|f| {
            let id = field_ident(&f.name);
            let wire = str_lit(&f.name);
            let kind = if f.required { quote!(required) } else { quote!(optional) };
            let rules = rules(f, nests(f, validated));
            quote!(#id = #wire #kind #rules,)
        });
        let one_of = (!s.at_least_one_of.is_empty()).then(|| {
            let pairs = s.at_least_one_of.iter().map(|n| {
                let (id, n) = (field_ident(n), str_lit(n));
                quote!(#n = #id)
            });
            quote!(at_least_one_of [#(#pairs),*])
        });
        Moved::from(quote!(rt::json_object!(#name { #(#entries)* } #one_of);))
    });
    let constructor = constructor(&t.name, s).map(Moved::from);
    let multipart = s.multipart.then(|| Moved::from(multipart_impls(&name, s, validated)));
    quote! {
        #doc
        #derives
        pub struct #name { #(#fields)* }
        #json
        #constructor
        #multipart
    }
}

/// `new(required…)`: optional fields start unset; set them with struct-update syntax.
fn constructor(type_name: &str, s: &Struct) -> Option<TokenStream> {
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    if required.is_empty() {
        return None;
    }
    let name = type_ident(type_name);
    let params = required.iter().map(|f| {
        let id = field_ident(&f.name);
        let (aty, _) = arg(&f.ty, &id);
        quote!(#id: #aty)
    });
    let inits = s.fields.iter().map(|f| {
        let id = field_ident(&f.name);
        if f.required {
            let (_, conv) = arg(&f.ty, &id);
            init(&id, &conv)
        } else {
            quote!(#id: None)
        }
    });
    let doc = format!(" A `{type_name}` with its required fields; the optional ones start unset.");
    Some(quote! {
        impl #name {
            #[doc = #doc]
            #[allow(clippy::too_many_arguments)]
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits,)* }
            }
        }
    })
}

/// Which types (transitively) carry a constraint, so validation only visits those.
pub(crate) fn needs_validation(service: &Service) -> HashMap<String, bool> {
    fn leaf(t: &Ty) -> &Ty {
        match t {
            Ty::List(inner) => leaf(inner),
            other => other,
        }
    }
    let mut out: HashMap<String, bool> = HashMap::new();
    for t in &service.types {
        let own = match &t.kind {
            TypeKind::Struct(s) => {
                !s.at_least_one_of.is_empty() || s.fields.iter().any(|f| f.rules != Rules::default())
            }
            _ => false,
        };
        out.insert(t.name.clone(), own);
    }
    // Propagate until stable (types are few; cycles are bounded by the fixed point).
    loop {
        let mut changed = false;
        for t in &service.types {
            let TypeKind::Struct(s) = &t.kind else {
                continue;
            };
            let inherited =
                s.fields.iter().any(|f| matches!(leaf(&f.ty), Ty::Named(n) if out.get(n).copied().unwrap_or(false)));
            if inherited && !out[&t.name] {
                out.insert(t.name.clone(), true);
                changed = true;
            }
        }
        if !changed {
            return out;
        }
    }
}

fn opt_usize(v: Option<u64>) -> TokenStream {
    match v {
        Some(v) => {
            let v = Literal::usize_unsuffixed(v as usize);
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}

fn opt_i64(v: Option<i64>) -> TokenStream {
    match v {
        Some(v) => {
            let v = Literal::i64_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}

/// Whether a field's type (through lists) has constraints of its own to check.
fn nests(f: &Field, validated: &HashMap<String, bool>) -> bool {
    fn leaf(t: &Ty) -> &Ty {
        match t {
            Ty::List(inner) => leaf(inner),
            other => other,
        }
    }
    matches!(leaf(&f.ty), Ty::Named(n) if validated.get(n).copied().unwrap_or(false))
}

/// A field's constraints in the runtime's rule syntax (`__check!`), e.g.
/// `[text(Some(1), Some(100), "", []), nested]`; nothing when it has none.
pub(crate) fn rules(f: &Field, nested: bool) -> Option<TokenStream> {
    let rules = rule_list(f, nested);
    (!rules.is_empty()).then(|| quote!([#(#rules),*]))
}

fn rule_list(f: &Field, nested: bool) -> Vec<TokenStream> {
    let r = &f.rules;
    let mut rules = Vec::new();
    if r.has_text() {
        let (min, max) = (opt_usize(r.min_length), opt_usize(r.max_length));
        let forbidden = str_lit(&r.forbidden_chars);
        let exts = r.extensions.iter().map(|x| str_lit(x));
        rules.push(quote!(text(#min, #max, #forbidden, [#(#exts),*])));
    }
    if r.min_items.is_some() || r.max_items.is_some() {
        let (min, max) = (opt_usize(r.min_items), opt_usize(r.max_items));
        rules.push(quote!(items(#min, #max)));
    }
    if r.min.is_some() || r.max.is_some() {
        let (min, max) = (opt_i64(r.min), opt_i64(r.max));
        rules.push(quote!(range(#min, #max)));
    }
    if nested {
        rules.push(quote!(nested));
    }
    rules
}

/// `Validate` and `Form` of a multipart body (not a JSON object, so not `json_object!`):
/// the same rules as JSON fields, plus the size of each file.
fn multipart_impls(name: &proc_macro2::Ident, s: &Struct, validated: &HashMap<String, bool>) -> TokenStream {
    let mut body = Vec::new();
    for f in &s.fields {
        let id = field_ident(&f.name);
        let wire = &f.name;
        if f.ty == Ty::Binary {
            // Checked here, before any request (the token fetch included), and again when
            // the file is read for sending.
            let file = if f.required { quote!(Some(&self.#id)) } else { quote!(self.#id.as_ref()) };
            let (min, max) = (opt_u64(f.rules.min_bytes), opt_u64(f.rules.max_bytes));
            if f.rules.min_bytes.is_some() || f.rules.max_bytes.is_some() {
                body.push(quote!(out.file_size(path, #wire, #file, #min, #max);));
            }
            continue;
        }
        let kind = if f.required { quote!(required) } else { quote!(optional) };
        for rule in rule_list(f, nests(f, validated)) {
            body.push(quote!(rt::__check!(out, path, #wire, #kind, self.#id, #rule);));
        }
    }
    if !s.at_least_one_of.is_empty() {
        let pairs = s.at_least_one_of.iter().map(|n| {
            let id = field_ident(n);
            quote!((#n, self.#id.is_some()))
        });
        body.push(quote!(out.at_least_one_of(path, &[#(#pairs),*]);));
    }
    let (path, out) = if body.is_empty() { (quote!(_path), quote!(_out)) } else { (quote!(path), quote!(out)) };
    let form = form_impl(name, s);
    quote! {
        impl rt::Validate for #name {
            fn validate(&self, #path: &str, #out: &mut rt::Violations) {
                #(#body)*
            }
        }
        #form
    }
}

fn form_impl(name: &proc_macro2::Ident, s: &Struct) -> TokenStream {
    let parts = s.fields.iter().map(|f| {
        let id = field_ident(&f.name);
        let json = &f.name;
        let part = |v: TokenStream| match &f.ty {
            Ty::Binary => {
                let (min, max) = (opt_u64(f.rules.min_bytes), opt_u64(f.rules.max_bytes));
                quote!(rt::FormPart::file(#json, #v.clone(), #min, #max))
            }
            _ => quote!(rt::FormPart::text(#json, #v.to_string())),
        };
        if f.required {
            let p = part(quote!(self.#id));
            quote!(parts.push(#p);)
        } else {
            let p = part(quote!(value));
            quote!(if let Some(value) = &self.#id { parts.push(#p); })
        }
    });
    quote! {
        impl rt::Form for #name {
            #[allow(clippy::vec_init_then_push)]
            fn parts(&self) -> Vec<rt::FormPart> {
                let mut parts = Vec::new();
                #(#parts)*
                parts
            }
        }
    }
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(v) => {
            let v = Literal::u64_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}

/// One `Page` impl per paged response type.
pub(crate) fn pages(service: &Service) -> Vec<TokenStream> {
    let mut done: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for e in &service.endpoints {
        let (Some(p), Response::Json(data)) = (&e.pagination, &e.response) else {
            continue;
        };
        if done.contains(&data.as_str()) {
            continue;
        }
        done.push(data);
        out.push(page_impl(e, data, &p.items_field, &p.item_ty, service));
    }
    out
}

fn page_impl(_e: &Endpoint, data: &str, items: &str, item: &Ty, service: &Service) -> TokenStream {
    let name = type_ident(data);
    let item_ty = ty(item);
    let items_id = field_ident(items);
    let required = match service.type_def(data).map(|t| &t.kind) {
        Some(TypeKind::Struct(s)) => s.fields.iter().any(|f| f.name == items && f.required),
        _ => false,
    };
    let items_expr = if required { quote!(self.#items_id) } else { quote!(self.#items_id.unwrap_or_default()) };
    // A boolean `has_more` (page_token + has_more paging) ends the stream when false, even if
    // the server still sends a `page_token` (the official examples do).
    let has_more = match service.type_def(data).map(|t| &t.kind) {
        Some(TypeKind::Struct(s)) => s.fields.iter().find(|f| f.name == "has_more" && f.ty == Ty::Bool),
        _ => None,
    };
    let body = match has_more {
        None => quote!((#items_expr, self.page_token)),
        Some(f) => {
            let more = if f.required { quote!(self.has_more) } else { quote!(self.has_more != Some(false)) };
            quote! {
                let more = #more;
                (#items_expr, self.page_token.filter(|_| more))
            }
        }
    };
    quote! {
        impl rt::paging::Page for #name {
            type Item = #item_ty;
            fn into_parts(self) -> (Vec<#item_ty>, Option<String>) {
                #body
            }
        }
    }
}
