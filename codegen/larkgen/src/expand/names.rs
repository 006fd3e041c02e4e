//! Identifiers and Rust types of IR names, fully qualified so user names never clash.

use heck::{ToShoutySnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Endpoint, Ty};

/// A field or parameter name as a Rust identifier (`type` becomes `r#type`).
pub(crate) fn field_ident(name: &str) -> Ident {
    crate::names::ident(&crate::names::field(name))
}

/// A type name as an identifier.
pub(crate) fn type_ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// A constant name: `INVALID_PARAM`, `FILE_DOWNLOAD`.
pub(crate) fn const_ident(name: &str) -> Ident {
    Ident::new(&name.to_shouty_snake_case(), Span::call_site())
}

/// `EntityGet` for `entity.get`.
pub(crate) fn stem(e: &Endpoint) -> String {
    format!("{}{}", e.resource.to_upper_camel_case(), e.action.to_upper_camel_case())
}

/// The descriptor static of an endpoint: `FILE_DOWNLOAD`.
pub(crate) fn descriptor_ident(e: &Endpoint) -> Ident {
    format_ident!("{}_{}", e.resource.to_shouty_snake_case(), e.action.to_shouty_snake_case())
}

/// The Rust type of a type expression.
pub(crate) fn ty(t: &Ty) -> TokenStream {
    match t {
        Ty::String => quote!(String),
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::Binary => quote!(rt::FileSource),
        Ty::Named(n) => {
            let id = type_ident(n);
            quote!(#id)
        }
        Ty::List(inner) => {
            let inner = ty(inner);
            quote!(Vec<#inner>)
        }
    }
}

/// The Rust type of a field: wrapped in `Option` unless required.
pub(crate) fn field_ty(t: &Ty, required: bool) -> TokenStream {
    let t = ty(t);
    if required { t } else { quote!(Option<#t>) }
}

/// The argument type a constructor or setter takes for a value of type `t`, and how it
/// becomes `t`: strings, ids and files accept anything that converts into them.
pub(crate) fn arg(t: &Ty, value: &Ident) -> (TokenStream, TokenStream) {
    match t {
        Ty::String | Ty::Named(_) | Ty::Binary => {
            let target = ty(t);
            (quote!(impl Into<#target>), quote!(Into::into(#value)))
        }
        other => (ty(other), quote!(#value)),
    }
}

/// A struct-literal field `id: value`, shortened to `id` when the value is the binding itself.
pub(crate) fn init(id: &Ident, value: &TokenStream) -> TokenStream {
    let mut tokens = value.clone().into_iter();
    let is_binding =
        matches!((tokens.next(), tokens.next()), (Some(proc_macro2::TokenTree::Ident(v)), None) if v == *id);
    if is_binding { quote!(#id) } else { quote!(#id: #value) }
}
