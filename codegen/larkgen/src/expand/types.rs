//! Named types: id newtypes, open enums and objects (serde impls written out or through
//! `rt::json_object!`; no serde_derive), their constructors,
//! client-side validation (`impl Validate`, one statement per checked constraint) and
//! pagination impls.

use std::collections::HashSet;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::docs;
use super::names::{MAX_CONVERTING_ARGS, arg, field_ty, ident, init, opt, ty};
use crate::ir::{EnumValue, Field, Response, Rules, Service, Struct, Ty, TypeDef, TypeKind};

pub(crate) fn expand_type(t: &TypeDef, service: &Service, validated: &HashSet<String>) -> TokenStream {
    let name = ident(&t.name);
    let doc = docs::attrs(t.description.as_deref().unwrap_or(&t.name));
    match &t.kind {
        TypeKind::Newtype => quote! {
            #doc
            #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
            pub struct #name(String);
            impl #name {
                /// Wraps a raw value.
                #[inline]
                pub fn new(value: impl Into<String>) -> Self {
                    Self(value.into())
                }
                /// The raw value.
                #[inline]
                pub fn as_str(&self) -> &str {
                    &self.0
                }
                /// The raw value, owned.
                #[inline]
                pub fn into_inner(self) -> String {
                    self.0
                }
            }
            impl From<String> for #name {
                #[inline]
                fn from(value: String) -> Self {
                    Self(value)
                }
            }
            impl From<&str> for #name {
                #[inline]
                fn from(value: &str) -> Self {
                    Self(value.to_owned())
                }
            }
            impl From<&#name> for #name {
                #[inline]
                fn from(value: &#name) -> Self {
                    value.clone()
                }
            }
            impl AsRef<str> for #name {
                #[inline]
                fn as_ref(&self) -> &str {
                    &self.0
                }
            }
            impl ::std::fmt::Display for #name {
                #[inline]
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(&self.0)
                }
            }
            impl rt::serde::Serialize for #name {
                fn serialize<S: rt::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_str(&self.0)
                }
            }
            impl<'de> rt::serde::Deserialize<'de> for #name {
                fn deserialize<D: rt::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    <String as rt::serde::Deserialize>::deserialize(d).map(Self)
                }
            }
            impl rt::FromJson for #name {
                #[inline]
            fn from_json(value: rt::decode::Tree<'_>, d: &mut rt::decode::Decoder) -> Result<Self, rt::decode::Failure> {
                    <String as rt::FromJson>::from_json(value, d).map(Self)
                }
            }
            impl rt::Validate for #name {}
        },
        TypeKind::StringEnum(values) => {
            let e = open_enum(&name, doc, values, values.iter().map(|v| Literal::string(&v.wire)).collect(), false);
            quote! {
                #e
                impl AsRef<str> for #name {
                    #[inline]
                    fn as_ref(&self) -> &str {
                        self.as_str()
                    }
                }
            }
        }
        TypeKind::IntEnum(values) => {
            let wire = values.iter().map(|v| Literal::i64_unsuffixed(v.wire.parse().expect("validated integer")));
            open_enum(&name, doc, values, wire.collect(), true)
        }
        TypeKind::Struct(s) => expand_struct(t, s, validated),
        TypeKind::TaggedJson(kinds) => super::tagged::expand(t, kinds, service, validated),
    }
}

/// An open enum, of strings or of integers: unknown values from the server decode into
/// `Unknown`, not an error. Its wire value is `as_str()` or `value()`.
fn open_enum(name: &Ident, doc: TokenStream, values: &[EnumValue], wire: Vec<Literal>, int: bool) -> TokenStream {
    let ids: Vec<Ident> = values.iter().map(|v| ident(&v.variant)).collect();
    let docs = values.iter().map(|v| docs::attrs(v.description.as_deref().unwrap_or(&v.wire)));
    let (copy, raw, arg, unknown) = if int {
        (quote!(Copy,), quote!(i64), quote!(i64), quote!(other))
    } else {
        (quote!(), quote!(String), quote!(&str), quote!(other.to_owned()))
    };
    let (getter, get, serialize, from_raw) = if int {
        (quote!(pub fn value(self) -> i64), quote!(value), quote!(serialize_i64), quote!(Self::from_wire))
    } else {
        (quote!(pub fn as_str(&self) -> &str), quote!(as_str), quote!(serialize_str), quote!(|v| Self::from_wire(&v)))
    };
    quote! {
        #doc
        #[derive(Clone, #copy Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#docs #ids,)*
            /// A value this client does not know yet, kept as sent.
            Unknown(#raw),
        }
        impl #name {
            /// The value on the wire.
            #[inline]
            #getter {
                match self {
                    #(Self::#ids => #wire,)*
                    Self::Unknown(other) => other,
                }
            }
            /// The variant of a wire value (unknown values become `Unknown`). Deliberately not
            /// `From`: a bare value must not pass where the enum is expected.
            #[inline]
            pub fn from_wire(value: #arg) -> Self {
                match value {
                    #(#wire => Self::#ids,)*
                    other => Self::Unknown(#unknown),
                }
            }
        }
        impl ::std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.#get(), f)
            }
        }
        impl rt::serde::Serialize for #name {
            fn serialize<S: rt::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.#serialize(self.#get())
            }
        }
        impl<'de> rt::serde::Deserialize<'de> for #name {
            fn deserialize<D: rt::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                <#raw as rt::serde::Deserialize>::deserialize(d).map(#from_raw)
            }
        }
        impl rt::FromJson for #name {
            #[inline]
            fn from_json(value: rt::decode::Tree<'_>, d: &mut rt::decode::Decoder) -> Result<Self, rt::decode::Failure> {
                <#raw as rt::FromJson>::from_json(value, d).map(#from_raw)
            }
        }
        impl rt::Validate for #name {}
    }
}

fn expand_struct(t: &TypeDef, s: &Struct, validated: &HashSet<String>) -> TokenStream {
    let name = ident(&t.name);
    let doc = docs::attrs(t.description.as_deref().unwrap_or(&t.name));
    let fields = s.fields.iter().map(|f| {
        let id = ident(&f.rust);
        let fty = field_ty(&f.ty, f.required);
        let d = docs::attrs(&docs::field(f));
        quote!(#d pub #id: #fty,)
    });
    let derives = if s.multipart {
        quote!(#[derive(Clone, Debug)])
    } else if s.fields.iter().all(|f| !f.required) {
        quote!(#[derive(Clone, Debug, PartialEq, Default)])
    } else {
        quote!(#[derive(Clone, Debug, PartialEq)])
    };
    // `json_object!`, not serde_derive: `cargo check` of a generated crate takes half as long
    // (BENCHMARKS.md, "Macros in generated code").
    let json = (!s.multipart).then(|| {
        let entries = s.fields.iter().map(|f| {
            let (id, wire) = (ident(&f.rust), Literal::string(&f.name));
            let kind = if f.required { quote!(required) } else { quote!(optional) };
            // `i64_string` (alone, or in lists and maps): the runtime's `int_string` sends it
            // as a string and reads a string or a number.
            // A tagged JSON field: its tag under `tag_field`, its content as JSON text.
            let encoding = match &f.tag_field {
                Some(tag) => Some(quote!(tagged #tag)),
                None => (*f.ty.leaf() == Ty::I64String).then(|| quote!(as_string)),
            };
            quote!(#id = #wire #kind #encoding,)
        });
        quote!(rt::json_object!(#name { #(#entries)* });)
    });
    let constructor = constructor(&t.name, s);
    let validate = validate_impl(&name, s, validated);
    let form = s.multipart.then(|| form_impl(&name, s));
    quote! {
        #doc
        #derives
        pub struct #name { #(#fields)* }
        #json
        #constructor
        #validate
        #form
    }
}

/// The parameters of a constructor that takes `required` fields (each `impl Into<T>` only when
/// it is the one argument, see `MAX_CONVERTING_ARGS`), and clippy's allowance when there are
/// more than its limit of seven.
pub(crate) fn required_params(required: &[&Field]) -> (Vec<TokenStream>, Option<TokenStream>) {
    let exact = required.len() > MAX_CONVERTING_ARGS;
    let params = required
        .iter()
        .map(|f| {
            let id = ident(&f.rust);
            let (aty, _) = arg(&f.ty, &id, exact);
            quote!(#id: #aty)
        })
        .collect();
    (params, (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)])))
}

/// `new(required…)`: optional fields start unset; set them with struct-update syntax.
fn constructor(type_name: &str, s: &Struct) -> Option<TokenStream> {
    let required: Vec<&Field> = s.fields.iter().filter(|f| f.required).collect();
    if required.is_empty() {
        return None;
    }
    let name = ident(type_name);
    let exact = required.len() > MAX_CONVERTING_ARGS;
    let (params, many) = required_params(&required);
    let inits = s.fields.iter().map(|f| {
        let id = ident(&f.rust);
        if f.required {
            let (_, conv) = arg(&f.ty, &id, exact);
            init(&id, &conv)
        } else {
            quote!(#id: None)
        }
    });
    let doc =
        format!(" {} `{type_name}` with its required fields; the optional ones start unset.", docs::article(type_name));
    Some(quote! {
        impl #name {
            #[doc = #doc]
            #many
            #[inline]
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits,)* }
            }
        }
    })
}

/// Which types (transitively) carry a constraint, so validation only visits those.
pub(crate) fn needs_validation(service: &Service) -> HashSet<String> {
    let structs = || {
        service.types.iter().filter_map(|t| match &t.kind {
            TypeKind::Struct(s) => Some((&t.name, s)),
            _ => None,
        })
    };
    let mut out: HashSet<String> = structs()
        .filter(|(_, s)| !s.at_least_one_of.is_empty() || s.fields.iter().any(|f| f.rules != Rules::default()))
        .map(|(name, _)| name.clone())
        .collect();
    // Propagate until stable (types are few; cycles are bounded by the fixed point). A tagged
    // type checks the kinds that have constraints.
    loop {
        let inheriting: Vec<String> = service
            .types
            .iter()
            .filter(|t| !out.contains(&t.name))
            .filter(|t| match &t.kind {
                TypeKind::Struct(s) => s.fields.iter().any(|f| nests(f, &out)),
                TypeKind::TaggedJson(kinds) => kinds.iter().any(|k| out.contains(&k.ty)),
                _ => false,
            })
            .map(|t| t.name.clone())
            .collect();
        if inheriting.is_empty() {
            return out;
        }
        out.extend(inheriting);
    }
}

/// Whether a field's type (through lists and maps) has constraints of its own to check.
fn nests(f: &Field, validated: &HashSet<String>) -> bool {
    matches!(f.ty.leaf(), Ty::Named(n) if validated.contains(n))
}

/// One statement per documented constraint of a field (`value`, read as a required or an
/// optional field), checked into `out` at `path`, e.g.
/// `out.length(path, "key", Some(&self.key), Some(1), None);`.
pub(crate) fn checks(
    f: &Field,
    nested: bool,
    out: &TokenStream,
    path: &TokenStream,
    value: &TokenStream,
) -> Vec<TokenStream> {
    let (r, wire) = (&f.rules, Literal::string(&f.name));
    let (by_ref, copied) = if f.required {
        (quote!(Some(&#value)), quote!(Some(#value)))
    } else {
        (quote!(#value.as_ref()), quote!(#value))
    };
    let mut found = Vec::new();
    // File sizes are checked here, before any request (the token fetch included), and again
    // when the file is read for sending.
    let sizes = [
        ("length", r.min_length, r.max_length),
        ("items", r.min_items, r.max_items),
        ("file_size", r.min_bytes, r.max_bytes),
    ];
    for (check, min, max) in sizes.into_iter().filter(|(_, min, max)| min.is_some() || max.is_some()) {
        let (check, min, max) =
            (format_ident!("{check}"), opt(min, Literal::u64_unsuffixed), opt(max, Literal::u64_unsuffixed));
        found.push(quote!(#out.#check(#path, #wire, #by_ref, #min, #max);));
    }
    if !r.forbidden_chars.is_empty() {
        let chars = Literal::string(&r.forbidden_chars);
        found.push(quote!(#out.forbidden_chars(#path, #wire, #by_ref, #chars);));
    }
    if !r.extensions.is_empty() {
        let exts = r.extensions.iter().map(|x| Literal::string(x));
        found.push(quote!(#out.extensions(#path, #wire, #by_ref, &[#(#exts),*]);));
    }
    if r.min.is_some() || r.max.is_some() {
        // Bounds are written in the field's type: floats as float literals, and an `i32`
        // field's bounds clamped to `i32` (a bound beyond it constrains nothing).
        let bound = |b: i64| match f.ty {
            Ty::F64 => Literal::f64_unsuffixed(b as f64),
            Ty::I32 => Literal::i64_unsuffixed(b.clamp(i32::MIN.into(), i32::MAX.into())),
            _ => Literal::i64_unsuffixed(b),
        };
        let (min, max) = (opt(r.min, bound), opt(r.max, bound));
        found.push(quote!(#out.range(#path, #wire, #copied, #min, #max);));
    }
    if nested {
        found.push(quote!(#out.nested(#path, #wire, &#value);));
    }
    found
}

/// `impl Validate`: every constraint of every field, then the spec's `at_least_one_of`.
fn validate_impl(name: &Ident, s: &Struct, validated: &HashSet<String>) -> TokenStream {
    let (out, path) = (quote!(out), quote!(path));
    let mut body: Vec<TokenStream> = s
        .fields
        .iter()
        .flat_map(|f| {
            let id = ident(&f.rust);
            checks(f, nests(f, validated), &out, &path, &quote!(self.#id))
        })
        .collect();
    if !s.at_least_one_of.is_empty() {
        let pairs = s.at_least_one_of.iter().filter_map(|n| s.fields.iter().find(|f| f.name == *n)).map(|f| {
            let (n, id) = (&f.name, ident(&f.rust));
            quote!((#n, self.#id.is_some()))
        });
        body.push(quote!(out.at_least_one_of(path, &[#(#pairs),*]);));
    }
    if body.is_empty() {
        return quote!(impl rt::Validate for #name {});
    }
    quote! {
        impl rt::Validate for #name {
            #[inline]
            fn validate(&self, path: &str, out: &mut rt::Violations) {
                #(#body)*
            }
        }
    }
}

fn form_impl(name: &Ident, s: &Struct) -> TokenStream {
    let parts = s.fields.iter().map(|f| {
        let id = ident(&f.rust);
        let json = &f.name;
        let part = |v: TokenStream| match &f.ty {
            Ty::Binary => {
                let (min, max) =
                    (opt(f.rules.min_bytes, Literal::u64_unsuffixed), opt(f.rules.max_bytes, Literal::u64_unsuffixed));
                match &f.content_type {
                    Some(ct) => quote!(rt::FormPart::file(#json, #v.clone(), #min, #max).with_content_type(#ct)),
                    None => quote!(rt::FormPart::file(#json, #v.clone(), #min, #max)),
                }
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
            #[inline]
            fn parts(&self) -> Vec<rt::FormPart> {
                let mut parts = Vec::new();
                #(#parts)*
                parts
            }
        }
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
        out.push(page_impl(data, &p.items_field, &p.item_ty, service));
    }
    out
}

fn page_impl(data: &str, items: &str, item: &Ty, service: &Service) -> TokenStream {
    let name = ident(data);
    let item_ty = ty(item);
    let fields: &[Field] = match service.type_def(data).map(|t| &t.kind) {
        Some(TypeKind::Struct(s)) => &s.fields,
        _ => &[],
    };
    // Checking made sure the items field exists; a missing one would only leave the stream empty.
    let items_field = fields.iter().find(|f| f.name == items);
    let items_id = ident(items_field.map_or(items, |f| f.rust.as_str()));
    let required = items_field.is_some_and(|f| f.required);
    let items_expr = if required { quote!(self.#items_id) } else { quote!(self.#items_id.unwrap_or_default()) };
    // A boolean `has_more` (page_token + has_more paging) ends the stream when false, even if
    // the server still sends a `page_token` (the official examples do).
    let has_more = fields.iter().find(|f| f.name == "has_more" && f.ty == Ty::Bool);
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
            #[inline]
            fn into_parts(self) -> (Vec<#item_ty>, Option<String>) {
                #body
            }
        }
    }
}
