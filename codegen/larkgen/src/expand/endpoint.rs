//! Per endpoint: the resource method, the request builder, the error enum and the static
//! descriptor. Behaviour stays in the runtime; this is only the typed surface.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use super::docs;
use super::moved::Moved;
use super::names::{arg, const_ident, descriptor_ident, field_ident, field_ty, init, stem, ty, type_ident};
use super::types::field_checks;
use crate::ir::{AppType, Endpoint, ErrorEntry, Field, Method, Response, Token};

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

/// The request builder: fields, optional setters, `send`, and `stream` for paged endpoints.
///
/// `call`, `send` and `stream` are `#[inline]`: their machine code (the validation and the
/// `send` future) is then generated in the crate that calls them, for the endpoints it
/// calls, instead of for every endpoint when the client crate is built (synthetic 100
/// endpoints: debug build 3.1 -> 2.7 s).
pub(crate) fn request(e: &Endpoint, service: &str) -> TokenStream {
    let name = format_ident!("{}Request", stem(e));
    let error = format_ident!("{}Error", stem(e));
    let descriptor = descriptor_ident(e);
    let doc = format!(
        " Request builder of `{}` ({} `{}`): set optional inputs, then `.send().await`.",
        e.name,
        e.method.as_str(),
        e.path
    );
    let fields = request_fields(e);
    let setters = setters(e);
    let prepare = Moved::from(prepare(e));
    let send = Moved::from(send(e, &error));
    let stream = stream(e, &error).map(Moved::from);
    let _ = service;
    let checks_anything =
        e.request.is_some() || e.path_params.iter().chain(&e.query_params).any(|p| p.rules != Default::default());
    let found = if checks_anything { quote!(let mut found) } else { quote!(let found) };
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        #[must_use = "a request does nothing until `.send()` is awaited"]
        pub struct #name {
            client: rt::Client,
            #(#fields)*
        }
        impl #name {
            #(#setters)*
            /// The prepared call, validated against the spec's constraints.
            #[inline]
            fn call(&self) -> rt::Call {
                let mut call = rt::Call::new(&endpoints::#descriptor);
                #found = rt::Violations::new();
                #prepare
                call.violations(found);
                call
            }
            #send
            #stream
        }
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
    if accepts_both(e) {
        out.push(
            quote! {
                /// Sends the request as a user, with this user access token, instead of as the app.
                pub fn user_access_token(mut self, token: impl Into<rt::UserAccessToken>) -> Self {
                    self.user_token = Some(Into::into(token));
                    self
                }
            }
            .into(),
        );
    }
    out
}

fn prepare(e: &Endpoint) -> TokenStream {
    let mut out: Vec<Moved> = Vec::new();
    for p in &e.path_params {
        let id = field_ident(&p.name);
        let name = &p.name;
        out.push(field_checks(p, quote!(self.#id), quote!(""), quote!(found)).into());
        out.push(quote!(call.path(#name, AsRef::<str>::as_ref(&self.#id));).into());
    }
    for q in &e.query_params {
        out.push(query(q).into());
    }
    if let Some(body) = &e.request {
        out.push(quote!(rt::Validate::validate(&self.body, "body", &mut found);).into());
        out.push(
            match (body.multipart, body.required) {
                (true, true) => quote!(call.multipart(rt::Form::parts(&self.body));),
                (true, false) => quote!(if let Some(body) = &self.body {
                    call.multipart(rt::Form::parts(body));
                }),
                (false, true) => quote!(call.json(&self.body);),
                (false, false) => quote!(call.json_or_empty(self.body.as_ref());),
            }
            .into(),
        );
    }
    if accepts_both(e) {
        out.push(quote!(call.user_token(self.user_token.clone());).into());
    } else if user_only(e) {
        out.push(quote!(call.user_token(Some(self.user_access_token.clone()));).into());
    }
    quote!(#(#out)*)
}

fn query(q: &Field) -> TokenStream {
    let id = field_ident(&q.name);
    let name = &q.name;
    let checks = Moved::from(field_checks(q, quote!(self.#id), quote!(""), quote!(found)));
    let add = if q.required {
        quote!(call.query(#name, &self.#id);)
    } else {
        quote!(call.query_opt(#name, self.#id.as_ref());)
    };
    quote!(#checks #add)
}

fn send(e: &Endpoint, error: &Ident) -> TokenStream {
    match &e.response {
        Response::Json(data) => {
            let data = type_ident(data);
            quote! {
                /// Sends the request and decodes the answer.
                #[inline]
                pub async fn send(self) -> Result<#data, #error> {
                    let call = self.call();
                    self.client.send_json::<#data>(call).await.map_err(#error::from)
                }
            }
        }
        Response::Empty => quote! {
            /// Sends the request.
            #[inline]
                pub async fn send(self) -> Result<(), #error> {
                let call = self.call();
                self.client.send_json::<rt::Empty>(call).await.map(|_| ()).map_err(#error::from)
            }
        },
        Response::Binary => quote! {
            /// Sends the request; the file is streamed from the answer (`save_to`, `into_stream`, `bytes`).
            #[inline]
                pub async fn send(self) -> Result<rt::Download, #error> {
                let call = self.call();
                self.client.send_download(call).await.map_err(#error::from)
            }
        },
    }
}

fn stream(e: &Endpoint, error: &Ident) -> Option<TokenStream> {
    let p = e.pagination.as_ref()?;
    let item = ty(&p.item_ty);
    let descriptor = descriptor_ident(e);
    Some(quote! {
        /// Every item of every page, fetched one page at a time as the stream is polled.
        /// Starts at the `page_token` set on the request (to resume), else at the first page.
        /// Ends when the server sends no `page_token`; fails if it repeats one.
        #[inline]
        pub fn stream(self) -> impl rt::Stream<Item = Result<#item, #error>> {
            rt::paging::items(&endpoints::#descriptor, self, |mut request: Self, token: Option<String>| {
                // `None` asks for the request's own first page.
                if token.is_some() {
                    request.page_token = token;
                }
                request.send()
            })
        }
    })
}

/// The error enum of an endpoint: one variant per declared code and a catch-all.
pub(crate) fn error_enum(e: &Endpoint) -> TokenStream {
    let name = format_ident!("{}Error", stem(e));
    let doc = format!(
        " Errors of `{}`. Dereferences to [`larkgen_runtime::ErrorMeta`]: `code()`, `log_id()`, `http_status()`, `is_retryable()`.",
        e.name
    );
    let variants = e.errors.iter().map(|err| {
        let id = type_ident(&err.name);
        let d = format!(" `{}` (HTTP {}): {}. {}", err.code, err.http, err.message, err.hint);
        quote!(#[doc = #d] #id(Box<rt::ApiError>),)
    });
    let mapping = e.errors.iter().map(|err| {
        let id = type_ident(&err.name);
        let code = Literal::i64_unsuffixed(err.code);
        quote!(#id = #code,)
    });
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// Anything else: another Lark code (kept with its message and log id), a transport,
            /// auth or validation failure, or an answer that is not a Lark envelope.
            Unhandled(rt::Error),
        }
        rt::endpoint_error!(#name { #(#mapping)* });
    }
}

/// The static descriptor of an endpoint.
pub(crate) fn descriptor(e: &Endpoint, service: &str) -> TokenStream {
    let id = descriptor_ident(e);
    let doc = format!(" Descriptor of `{}`: {}", e.name, e.summary);
    let name = &e.name;
    let summary = &e.summary;
    let doc_url = &e.doc;
    let path = &e.path;
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
        Token::Tenant => quote!(rt::TokenKind::Tenant),
        Token::User => quote!(rt::TokenKind::User),
    });
    let apps = e.app_types.iter().map(|a| match a {
        AppType::SelfBuilt => quote!(rt::AppType::SelfBuilt),
        AppType::Store => quote!(rt::AppType::Store),
    });
    let scopes = &e.scopes;
    let field_scopes = e.field_scopes.iter().map(|f| {
        let (s, p, v) = (&f.scope, &f.param, &f.equals);
        quote!(rt::FieldScope { scope: #s, param: #p, equals: #v })
    });
    let per_second = opt_u32(e.per_second);
    let per_minute = opt_u32(e.per_minute);
    let errors = e.errors.iter().map(|err| {
        let c = const_ident(&err.name);
        quote!(super::errors::#c)
    });
    let request = match &e.request {
        None => quote!(rt::BodyKind::None),
        Some(b) if b.multipart => quote!(rt::BodyKind::Multipart),
        Some(_) => quote!(rt::BodyKind::Json),
    };
    let response = match &e.response {
        Response::Json(_) => quote!(rt::ResponseKind::Json),
        Response::Binary => quote!(rt::ResponseKind::Binary),
        Response::Empty => quote!(rt::ResponseKind::Empty),
    };
    let idempotent = e.idempotent;
    let paginated = e.pagination.is_some();
    quote! {
        #[doc = #doc]
        pub static #id: rt::Endpoint = rt::Endpoint {
            service: #service,
            name: #name,
            summary: #summary,
            doc_url: #doc_url,
            method: rt::Method::#method,
            path: #path,
            token_kinds: &[#(#tokens),*],
            app_types: &[#(#apps),*],
            scopes: &[#(#scopes),*],
            field_scopes: &[#(#field_scopes),*],
            limits: rt::Limits { per_second: #per_second, per_minute: #per_minute },
            errors: &[#(#errors),*],
            request: #request,
            response: #response,
            idempotent: #idempotent,
            paginated: #paginated,
        };
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
    let doc = format!(" `{}` (HTTP {}): {}.", err.code, err.http, err.message);
    let code = Literal::i64_unsuffixed(err.code);
    let http = Literal::u16_unsuffixed(err.http);
    let (name, message, hint, retryable) = (&err.name, &err.message, &err.hint, err.retryable);
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
