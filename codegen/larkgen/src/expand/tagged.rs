//! Tagged JSON types: an enum with one variant per kind and `Unknown`, constructors named
//! after the tags, `From` each kind, and `rt::TaggedJson` (the tag of each variant, the kind
//! of each tag); a field of one is written and read by `rt::json_object!` as two keys.

use std::collections::HashSet;

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::docs;
use super::names::ident;
use crate::ir::{Field, Kind, Service, TypeDef, TypeKind};

pub(crate) fn expand(t: &TypeDef, kinds: &[Kind], s: &Service, validated: &HashSet<String>) -> TokenStream {
    let name = ident(&t.name);
    let doc = docs::attrs(t.description.as_deref().unwrap_or(&t.name));
    let variants: Vec<Ident> = kinds.iter().map(|k| ident(&k.variant)).collect();
    let types: Vec<TokenStream> = kinds.iter().map(kind_ty).collect();
    // `From` each object kind; not `rt::Json`, which would make any JSON value a content.
    let from = kinds.iter().filter(|k| !k.is_json()).map(|k| {
        let (v, t) = (ident(&k.variant), kind_ty(k));
        quote! {
            impl From<#t> for #name {
                #[inline]
                fn from(kind: #t) -> Self {
                    Self::#v(kind)
                }
            }
        }
    });
    let tags: Vec<Literal> = kinds.iter().map(|k| Literal::string(&k.tag)).collect();
    let variant_docs = kinds.iter().map(|k| {
        let text = k.description.clone().unwrap_or_else(|| format!("{} `{}` content.", docs::article(&k.tag), k.tag));
        docs::attrs(&format!("{text}\n\nTag `{}`.", k.tag))
    });
    let constructors = kinds.iter().map(|k| constructor(&name, k, s));
    let checked: Vec<&Kind> = kinds.iter().filter(|k| validated.contains(&k.ty)).collect();
    let validate = if checked.is_empty() {
        quote!(impl rt::Validate for #name {})
    } else {
        let arms = checked.iter().map(|k| {
            let v = ident(&k.variant);
            quote!(Self::#v(kind) => rt::Validate::validate(kind, path, out),)
        });
        quote! {
            impl rt::Validate for #name {
                /// The constraints of the kind, under this field (`content.text`).
                #[inline]
                fn validate(&self, path: &str, out: &mut rt::Violations) {
                    #[allow(clippy::single_match)]
                    match self {
                        #(#arms)*
                        _ => {}
                    }
                }
            }
        }
    };
    quote! {
        #doc
        ///
        /// Sent as two keys of the object holding it: the tag, and the content as JSON text.
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#variant_docs #variants(#types),)*
            /// A kind this client does not know: its tag, and its content as JSON (a JSON
            /// string holding the text when it is not JSON). Sent as the JSON text of `content`.
            Unknown {
                /// The tag.
                tag: String,
                /// The content.
                content: rt::Json,
            },
        }
        impl #name {
            #(#constructors)*
            /// The tag of this kind (the value of the sibling field).
            #[inline]
            pub fn tag(&self) -> &str {
                rt::TaggedJson::tag(self)
            }
        }
        impl rt::TaggedJson for #name {
            #[inline]
            fn tag(&self) -> &str {
                match self {
                    #(Self::#variants(_) => #tags,)*
                    Self::Unknown { tag, .. } => tag,
                }
            }
            #[inline]
            fn to_content(&self) -> Result<String, rt::tagged::ContentError> {
                match self {
                    #(Self::#variants(kind) => rt::tagged::write(kind),)*
                    Self::Unknown { content, .. } => rt::tagged::write(content),
                }
            }
            #[inline]
            fn from_parts(tag: &str, content: &str) -> Result<Self, rt::tagged::ContentError> {
                Ok(match tag {
                    #(#tags => Self::#variants(rt::tagged::read(content)?),)*
                    _ => Self::Unknown { tag: tag.to_owned(), content: rt::tagged::read_any(content) },
                })
            }
        }
        #(#from)*
        #validate
    }
}

/// The Rust type of a kind's content.
fn kind_ty(k: &Kind) -> TokenStream {
    if k.is_json() {
        quote!(rt::Json)
    } else {
        let t = ident(&k.ty);
        quote!(#t)
    }
}

/// `text(text)`: the same arguments as the kind type's `new` (its required fields); a kind
/// without required fields has no `new`, and its constructor takes the kind itself (as a
/// `json` kind takes its JSON).
fn constructor(name: &Ident, k: &Kind, s: &Service) -> TokenStream {
    let (fun, variant, kind) = (ident(&k.constructor), ident(&k.variant), kind_ty(k));
    let required: Vec<&Field> = match s.type_def(&k.ty).map(|t| &t.kind) {
        Some(TypeKind::Struct(st)) => st.fields.iter().filter(|f| f.required).collect(),
        _ => Vec::new(),
    };
    if required.is_empty() {
        let doc = format!(" {} `{}` content.", docs::article(&k.tag), k.tag);
        return quote! {
            #[doc = #doc]
            #[inline]
            pub fn #fun(content: #kind) -> #name {
                #name::#variant(content)
            }
        };
    }
    let ids: Vec<Ident> = required.iter().map(|f| ident(&f.rust)).collect();
    let (params, many) = super::types::required_params(&required);
    let doc = format!(" {} `{}` content: [`{}::new`] with these arguments.", docs::article(&k.tag), k.tag, k.ty);
    quote! {
        #[doc = #doc]
        #many
        #[inline]
        pub fn #fun(#(#params),*) -> #name {
            #name::#variant(#kind::new(#(#ids),*))
        }
    }
}
