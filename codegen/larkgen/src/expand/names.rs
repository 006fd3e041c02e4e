//! Identifiers and Rust types of the names decided in the IR (no case is converted here).

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use crate::ir::Ty;
pub(crate) use crate::names::ident;

/// The runtime's variant named as the IR's `value` (`Method::Get` → `Get`).
pub(crate) fn same_variant(value: impl std::fmt::Debug) -> Ident {
    format_ident!("{}", format!("{value:?}"))
}

/// `Some(literal)` or `None`.
pub(crate) fn opt<T>(v: Option<T>, lit: impl Fn(T) -> Literal) -> TokenStream {
    match v.map(lit) {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    }
}

/// The Rust type of a type expression.
pub(crate) fn ty(t: &Ty) -> TokenStream {
    match t {
        Ty::String => quote!(String),
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 | Ty::I64String => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::Json => quote!(rt::Json),
        Ty::Binary => quote!(rt::FileSource),
        Ty::Named(n) => {
            let id = ident(n);
            quote!(#id)
        }
        Ty::List(inner) => {
            let inner = ty(inner);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = ty(inner);
            quote!(BTreeMap<String, #inner>)
        }
    }
}

/// The Rust type of a field: wrapped in `Option` unless required.
pub(crate) fn field_ty(t: &Ty, required: bool) -> TokenStream {
    let t = ty(t);
    if required { t } else { quote!(Option<#t>) }
}

/// How many arguments a function may take before each must be given its exact type.
///
/// With one argument, `impl Into<T>` is pure convenience (`get("ent_1")`): a missing argument
/// is reported by name and a wrong one by its type. With two or more, generic arguments defeat
/// rustc's argument matching: a body passed where an id belongs becomes "the trait bound
/// `EntityId: From<EntityBody>` is not satisfied". Exact types let rustc say which argument is
/// missing ("argument #1 of type `EntityId` is missing", pointing at `entity_id`) or suggest
/// swapping them.
pub(crate) const MAX_CONVERTING_ARGS: usize = 1;

/// The argument type a constructor or setter takes for a value of type `t`, and how it
/// becomes `t`: strings, ids and files accept anything that converts into them, unless
/// `exact` (see [`MAX_CONVERTING_ARGS`]).
pub(crate) fn arg(t: &Ty, value: &Ident, exact: bool) -> (TokenStream, TokenStream) {
    match t {
        Ty::String | Ty::Named(_) | Ty::Binary if !exact => {
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
