//! Per endpoint: the resource method, the request builder, the error enum and the static
//! descriptor. Behaviour stays in the runtime; this is only the typed surface.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::docs;
use super::literal::str_lit;
use super::moved::Moved;
use super::names::{arg, const_ident, descriptor_ident, field_ident, field_ty, init, stem, ty, type_ident};
use super::types::rules;
use crate::ir::{AppType, Endpoint, ErrorEntry, Method, Response, Token};

/// The method on the resource handle that starts a request.
pub(crate) fn resource_method(e: &Endpoint, service: &str) -> TokenStream {
    let method = field_ident(&e.action);
    let request = format_ident!("{}Request", stem(e));
    let doc = docs::attrs(&docs::endpoint(e, service));
    let positional = positional(e);
    let params = positional.iter().map(|(id, t, _)| quote!(#id: #t));
    let mut inits: Vec<TokenStream> = positional.iter().map(|(id, _, conv)| init(id, conv)).collect();
    for q in e.query_params.iter().filter(|q| !q.required) {
        let id = field_ident(&q.name);
        inits.push(quote!(#id: None));
    }
    if e.request.as_ref().is_some_and(|b| !b.required) {
        inits.push(quote!(body: None));
    }
    if accepts_both(e) {
        inits.push(quote!(user_token: None));
    }
    quote! {
        #doc
        pub fn #method(&self, #(#params),*) -> #request {
            #request { client: self.client.clone(), #(#inits,)* }
        }
    }
}

fn accepts_both(e: &Endpoint) -> bool {
    e.tokens.contains(&Token::Tenant) && e.tokens.contains(&Token::User)
}

fn user_only(e: &Endpoint) -> bool {
    !e.tokens.contains(&Token::Tenant)
}

/// Positional inputs, in order: path parameters, required query parameters, a required
/// body, and the user token of user-only endpoints. Forgetting one does not compile.
fn positional(e: &Endpoint) -> Vec<(Ident, TokenStream, TokenStream)> {
    let mut out = Vec::new();
    for f in e.path_params.iter().chain(e.query_params.iter().filter(|q| q.required)) {
        let id = field_ident(&f.name);
        let (t, conv) = arg(&f.ty, &id);
        out.push((id, t, conv));
    }
    if let Some(body) = e.request.as_ref().filter(|b| b.required) {
        let t = type_ident(&body.ty);
        out.push((format_ident!("body"), quote!(#t), quote!(body)));
    }
    if user_only(e) {
        let id = format_ident!("user_access_token");
        out.push((id.clone(), quote!(impl Into<rt::UserAccessToken>), quote!(Into::into(#id))));
    }
    out
}

/// The request builder: its fields and optional setters, then `rt::request!`, which writes
/// `call`, `send`, `stream` and the user-token setter from the declared inputs (generic
/// code belongs in the runtime; see runtime/src/request.rs).
pub(crate) fn request(e: &Endpoint, service: &str) -> TokenStream {
    let name = format_ident!("{}Request", stem(e));
    let error = format_ident!("{}Error", stem(e));
    let descriptor = descriptor_ident(e);
    let doc = str_lit(&format!(
        " Request builder of `{}` ({} `{}`): set optional inputs, then `.send().await`.",
        e.name,
        e.method.as_str(),
        e.path
    ));
    let fields = request_fields(e);
    let setters = setters(e);
    let setters = (!setters.is_empty()).then(|| Moved::from(quote!(impl #name { #(#setters)* })));
    let inputs = Moved::from(inputs(e));
    let answer = match &e.response {
        Response::Json(data) => {
            let data = type_ident(data);
            quote!(json(#data))
        }
        Response::Empty => quote!(empty()),
        Response::Binary => quote!(binary()),
    };
    let body = format_ident!(
        "{}",
        match &e.request {
            None => "none",
            Some(b) => match (b.multipart, b.required) {
                (true, true) => "multipart",
                (true, false) => "multipart_opt",
                (false, true) => "json",
                (false, false) => "json_opt",
            },
        }
    );
    let token = format_ident!(
        "{}",
        if accepts_both(e) {
            "both"
        } else if user_only(e) {
            "user"
        } else {
            "app"
        }
    );
    let stream = e.pagination.as_ref().map(|p| {
        let item = ty(&p.item_ty);
        quote!(, stream #item)
    });
    let _ = service;
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        #[must_use = "a request does nothing until `.send()` is awaited"]
        pub struct #name {
            client: rt::Client,
            #(#fields)*
        }
        #setters
        rt::request!(#name for endpoints::#descriptor => #answer or #error, body #body, token #token #stream {
            #inputs
        });
    }
}

fn request_fields(e: &Endpoint) -> Vec<Moved> {
    let mut out = Vec::new();
    for f in e.path_params.iter().chain(&e.query_params) {
        let id = field_ident(&f.name);
        let t = field_ty(&f.ty, f.required);
        out.push(quote!(#id: #t,).into());
    }
    if let Some(body) = &e.request {
        let t = type_ident(&body.ty);
        out.push(if body.required { quote!(body: #t,) } else { quote!(body: Option<#t>,) }.into());
    }
    if accepts_both(e) {
        out.push(quote!(user_token: Option<rt::UserAccessToken>,).into());
    } else if user_only(e) {
        out.push(quote!(user_access_token: rt::UserAccessToken,).into());
    }
    out
}

fn setters(e: &Endpoint) -> Vec<Moved> {
    let mut out = Vec::new();
    for q in e.query_params.iter().filter(|q| !q.required) {
        let id = field_ident(&q.name);
        let (t, conv) = arg(&q.ty, &id);
        let doc = docs::attrs(&docs::field(q));
        out.push(
            quote! {
                #doc
                pub fn #id(mut self, #id: #t) -> Self {
                    self.#id = Some(#conv);
                    self
                }
            }
            .into(),
        );
    }
    if let Some(body) = e.request.as_ref().filter(|b| !b.required) {
        let t = type_ident(&body.ty);
        out.push(
            quote! {
                /// The request body (optional; an empty JSON object is sent when unset).
                pub fn body(mut self, body: #t) -> Self {
                    self.body = Some(body);
                    self
                }
            }
            .into(),
        );
    }
    out
}

/// The path and query inputs of `rt::request!`, in request order, with their constraints.
fn inputs(e: &Endpoint) -> TokenStream {
    let inputs = e
        .path_params
        .iter()
        .map(|p| (quote!(path), p))
        .chain(e.query_params.iter().map(|q| if q.required { (quote!(query), q) } else { (quote!(query_opt), q) }));
    let inputs = inputs.map(|(kind, f)| {
        let id = field_ident(&f.name);
        let wire = str_lit(&f.name);
        let rules = rules(f, false);
        quote!(#kind #id = #wire #rules,)
    });
    quote!(#(#inputs)*)
}

/// The error enum of an endpoint: one variant per declared code and a catch-all (declared
/// through the runtime's `endpoint_error!`, which writes the variants' payloads and impls).
pub(crate) fn error_enum(e: &Endpoint) -> TokenStream {
    let name = format_ident!("{}Error", stem(e));
    let doc = str_lit(&format!(
        " Errors of `{}`. Dereferences to [`larkgen_runtime::ErrorMeta`]: `code()`, `log_id()`, `http_status()`, `is_retryable()`.",
        e.name
    ));
    let variants = e.errors.iter().map(|err| {
        let id = type_ident(&err.name);
        let d = str_lit(&format!(" `{}` (HTTP {}): {}. {}", err.code, err.http, err.message, err.hint));
        let code = Literal::i64_unsuffixed(err.code);
        quote!(#[doc = #d] #id = #code,)
    });
    quote! {
        rt::endpoint_error! {
            #[doc = #doc]
            pub enum #name {
                #(#variants)*
            }
        }
    }
}

/// The static descriptor of an endpoint.
pub(crate) fn descriptor(e: &Endpoint, service: &str) -> TokenStream {
    let id = descriptor_ident(e);
    let doc = str_lit(&format!(" Descriptor of `{}`: {}", e.name, e.summary));
    let service = str_lit(service);
    let name = str_lit(&e.name);
    let summary = str_lit(&e.summary);
    let doc_url = str_lit(&e.doc);
    let path = str_lit(&e.path);
    let method = format_ident!(
        "{}",
        match e.method {
            Method::Get => "Get",
            Method::Post => "Post",
            Method::Put => "Put",
            Method::Patch => "Patch",
            Method::Delete => "Delete",
        }
    );
    let tokens = e.tokens.iter().map(|t| match t {
        Token::Tenant => quote!(Tenant),
        Token::User => quote!(User),
    });
    let apps = e.app_types.iter().map(|a| match a {
        AppType::SelfBuilt => quote!(SelfBuilt),
        AppType::Store => quote!(Store),
    });
    let scopes = e.scopes.iter().map(|s| str_lit(s));
    let field_scopes = e.field_scopes.iter().map(|f| {
        let (s, p, v) = (&f.scope, &f.param, &f.equals);
        let (s, p, v) = (str_lit(s), str_lit(p), str_lit(v));
        quote!((#s, #p, #v))
    });
    let per_second = opt_u32(e.per_second);
    let per_minute = opt_u32(e.per_minute);
    let errors = e.errors.iter().map(|err| {
        let c = const_ident(&err.name);
        quote!(super::errors::#c)
    });
    let request = match &e.request {
        None => quote!(None),
        Some(b) if b.multipart => quote!(Multipart),
        Some(_) => quote!(Json),
    };
    let response = match &e.response {
        Response::Json(_) => quote!(Json),
        Response::Binary => quote!(Binary),
        Response::Empty => quote!(Empty),
    };
    let idempotent = e.idempotent;
    let paginated = e.pagination.is_some();
    quote! {
        rt::endpoint! {
            #[doc = #doc]
            pub static #id = #method #path {
                service = #service, name = #name, summary = #summary, doc_url = #doc_url,
                token_kinds = [#(#tokens),*], app_types = [#(#apps),*], scopes = [#(#scopes),*],
                field_scopes = [#(#field_scopes),*],
                per_second = #per_second, per_minute = #per_minute, errors = [#(#errors),*],
                request = #request, response = #response, idempotent = #idempotent, paginated = #paginated,
            }
        }
    }
}

fn opt_u32(v: Option<u32>) -> TokenStream {
    match v {
        Some(v) => {
            let v = Literal::u32_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}

/// An `ErrorSpec` constant of an error table.
pub(crate) fn error_const(err: &ErrorEntry) -> TokenStream {
    let id = const_ident(&err.name);
    let doc = str_lit(&format!(" `{}` (HTTP {}): {}.", err.code, err.http, err.message));
    let code = Literal::i64_unsuffixed(err.code);
    let http = Literal::u16_unsuffixed(err.http);
    let (name, message, hint, retryable) =
        (str_lit(&err.name), str_lit(&err.message), str_lit(&err.hint), err.retryable);
    let action = format_ident!(
        "{}",
        match err.action {
            crate::ir::Action::None => "None",
            crate::ir::Action::RefreshToken => "RefreshToken",
            crate::ir::Action::RateLimited => "RateLimited",
            crate::ir::Action::AuthFailed => "AuthFailed",
        }
    );
    quote! {
        #[doc = #doc]
        pub const #id: rt::ErrorSpec = rt::ErrorSpec {
            code: #code,
            name: #name,
            http_status: #http,
            message: #message,
            hint: #hint,
            retryable: #retryable,
            action: rt::ErrorAction::#action,
        };
    }
}
