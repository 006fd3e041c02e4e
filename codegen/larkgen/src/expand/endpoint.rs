//! Per endpoint: the resource method, the request builder, the error enum and the static
//! descriptor. Behaviour stays in the runtime; this is only the typed surface.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{ToTokens, format_ident, quote};

use super::names::{MAX_CONVERTING_ARGS, arg, field_ty, ident, init, opt, same_variant, ty};
use super::types::checks;
use super::{docs, example};
use crate::ir::{Endpoint, ErrorEntry, Response, Service, Token, Ty, TypeKind};

/// The method on the resource handle that starts a request.
pub(crate) fn resource_method(e: &Endpoint, service: &str) -> TokenStream {
    let method = ident(&e.rust.method);
    let request = ident(&e.rust.builder);
    let doc = docs::attrs(&docs::endpoint(e, service));
    let positional = positional(e);
    let params = positional.iter().map(|(id, t, _)| quote!(#id: #t));
    let mut inits: Vec<TokenStream> = positional.iter().map(|(id, _, conv)| init(id, conv)).collect();
    for q in e.query_params.iter().chain(&e.header_params).filter(|q| !q.required) {
        let id = ident(&q.rust);
        inits.push(quote!(#id: None));
    }
    if e.request.as_ref().is_some_and(|b| !b.required) {
        inits.push(quote!(body: None));
    }
    if accepts_both(e) {
        inits.push(quote!(user_token: None));
    }
    // Clippy's allowance of arguments is seven, `&self` included; the spec decides how many.
    let many = (positional.len() >= 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    quote! {
        #doc
        #many
        #[inline]
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

/// Positional inputs, in order: path parameters, required query and header parameters, a
/// required body, and the user token of user-only endpoints. Forgetting one does not compile, and
/// with more than one each takes its exact type (see `MAX_CONVERTING_ARGS`).
fn positional(e: &Endpoint) -> Vec<(Ident, TokenStream, TokenStream)> {
    let required = e.query_params.iter().chain(&e.header_params).filter(|q| q.required);
    let params: Vec<_> = e.path_params.iter().chain(required).collect();
    let body = e.request.as_ref().filter(|b| b.required);
    let count = params.len() + usize::from(body.is_some()) + usize::from(user_only(e));
    let exact = count > MAX_CONVERTING_ARGS;
    let mut out = Vec::new();
    for f in params {
        let id = ident(&f.rust);
        let (t, conv) = arg(&f.ty, &id, exact);
        out.push((id, t, conv));
    }
    if let Some(body) = body {
        let t = ident(&body.ty);
        out.push((format_ident!("body"), quote!(#t), quote!(body)));
    }
    if user_only(e) {
        let id = format_ident!("user_access_token");
        out.push(if exact {
            (id.clone(), quote!(rt::UserAccessToken), quote!(#id))
        } else {
            (id.clone(), quote!(impl Into<rt::UserAccessToken>), quote!(Into::into(#id)))
        });
    }
    out
}

/// The request builder: its fields, its optional setters, `call` (the inputs written into a
/// runtime `Call`, one statement each), `send` and, for paged endpoints, `stream`.
pub(crate) fn request(e: &Endpoint, service: &str) -> TokenStream {
    let name = ident(&e.rust.builder);
    let error = ident(&e.rust.error);
    let descriptor = ident(&e.rust.descriptor);
    let doc = Literal::string(&format!(
        " Request builder of `{}` ({} `{}`): set optional inputs, then `.send().await`.",
        e.name,
        e.method.as_str(),
        e.path
    ));
    let fields = request_fields(e);
    let setters = setters(e).into_iter();
    let inputs = inputs(e);
    let call = if inputs.is_empty() {
        quote!(rt::Call::new(&endpoints::#descriptor))
    } else {
        quote! {
            let mut call = rt::Call::new(&endpoints::#descriptor);
            #(#inputs)*
            call
        }
    };
    let (answer, send, what) = match &e.response {
        Response::Json(data) => {
            (ident(data).into_token_stream(), "sending_json", "Sends the request and decodes the answer")
        }
        Response::Empty => (quote!(()), "sending_empty", "Sends the request"),
        Response::Binary => (
            quote!(rt::Download),
            "sending_download",
            "Sends the request; the file is streamed from the answer (`save_to`, `into_stream`, `bytes`)",
        ),
    };
    let send = format_ident!("{send}");
    let send_doc =
        Literal::string(&format!(" {what}. See the [official documentation of `{}.{}`]({}).", service, e.name, e.doc));
    let stream = e.pagination.as_ref().map(|p| {
        let item = ty(&p.item_ty);
        quote! {
            /// Every item of every page, fetched one page at a time as the stream is polled.
            /// Starts at the `page_token` set on the request (to resume), else at the first page.
            /// Ends when the server sends no `page_token`; fails if it repeats one.
            #[inline]
            pub fn stream(self) -> impl rt::Stream<Item = Result<#item, #error>> {
                rt::paging::items(&endpoints::#descriptor, self, |request, token| request.page_token = Some(token), Self::send)
            }
        }
    });
    // `send` is a plain function returning the runtime's `Sending` future, not an `async fn`:
    // no state machine per endpoint for rustc to check here and compile in the app.
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
            /// The prepared call, checked against the spec's constraints.
            #[inline]
            fn call(&self) -> rt::Call {
                #call
            }
            #[doc = #send_doc]
            #[inline]
            pub fn send(self) -> rt::Sending<#answer, #error> {
                let call = self.call();
                self.client.#send(call)
            }
            #stream
        }
    }
}

fn request_fields(e: &Endpoint) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for f in e.path_params.iter().chain(&e.query_params).chain(&e.header_params) {
        let id = ident(&f.rust);
        let t = field_ty(&f.ty, f.required);
        out.push(quote!(#id: #t,));
    }
    if let Some(body) = &e.request {
        let t = ident(&body.ty);
        out.push(if body.required { quote!(body: #t,) } else { quote!(body: Option<#t>,) });
    }
    if accepts_both(e) {
        out.push(quote!(user_token: Option<rt::UserAccessToken>,));
    } else if user_only(e) {
        out.push(quote!(user_access_token: rt::UserAccessToken,));
    }
    out
}

fn setters(e: &Endpoint) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for q in e.query_params.iter().filter(|q| !q.required) {
        let id = ident(&q.rust);
        let (t, conv) = arg(&q.ty, &id, false);
        let doc = docs::attrs(&docs::query_param(q));
        out.push(quote! {
            #doc
            #[inline]
            pub fn #id(mut self, #id: #t) -> Self {
                self.#id = Some(#conv);
                self
            }
        });
    }
    for h in e.header_params.iter().filter(|h| !h.required) {
        let id = ident(&h.rust);
        let (t, conv) = arg(&h.ty, &id, false);
        let doc = docs::attrs(&docs::header_param(h));
        out.push(quote! {
            #doc
            #[inline]
            pub fn #id(mut self, #id: #t) -> Self {
                self.#id = Some(#conv);
                self
            }
        });
    }
    if let Some(body) = e.request.as_ref().filter(|b| !b.required) {
        let t = ident(&body.ty);
        out.push(quote! {
            /// The request body (optional; an empty JSON object is sent when unset).
            #[inline]
            pub fn body(mut self, body: #t) -> Self {
                self.body = Some(body);
                self
            }
        });
    }
    if accepts_both(e) {
        out.push(quote! {
            /// Sends the request as a user, with this user access token, instead of as the app.
            #[inline]
            pub fn user_access_token(mut self, token: impl Into<rt::UserAccessToken>) -> Self {
                self.user_token = Some(Into::into(token));
                self
            }
        });
    }
    out
}

/// The statements of `call`, in request order: path, query and header parameters with the
/// checks of their constraints, the body (checked), the user token.
fn inputs(e: &Endpoint) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for (f, path) in e.path_params.iter().map(|p| (p, true)).chain(e.query_params.iter().map(|q| (q, false))) {
        let (id, wire) = (ident(&f.rust), Literal::string(&f.name));
        // A list is sent as one `key=value` per item.
        let list = matches!(f.ty, Ty::List(_));
        out.push(match (path, list, f.required) {
            (true, _, _) => quote!(call.path(#wire, &self.#id);),
            (false, false, true) => quote!(call.query(#wire, &self.#id);),
            (false, false, false) => quote!(call.query_opt(#wire, self.#id.as_ref());),
            (false, true, true) => quote!(call.query_each(#wire, &self.#id);),
            (false, true, false) => quote!(call.query_each(#wire, self.#id.iter().flatten());),
        });
        out.extend(checks(f, false, &quote!(call.violations()), &quote!(""), &quote!(self.#id)));
    }
    for h in &e.header_params {
        let (id, wire) = (ident(&h.rust), Literal::string(&h.name));
        out.push(if h.required {
            quote!(call.header(#wire, &self.#id);)
        } else {
            quote!(call.header_opt(#wire, self.#id.as_ref());)
        });
        out.extend(checks(h, false, &quote!(call.violations()), &quote!(""), &quote!(self.#id)));
    }
    if let Some(b) = &e.request {
        out.push(quote!(call.validate("body", &self.body);));
        out.push(match (b.multipart, b.required) {
            (false, true) => quote!(call.json(&self.body);),
            (false, false) => quote!(call.json_or_empty(self.body.as_ref());),
            (true, true) => quote!(call.multipart(rt::Form::parts(&self.body));),
            (true, false) => quote! {
                if let Some(body) = &self.body {
                    call.multipart(rt::Form::parts(body));
                }
            },
        });
    }
    if accepts_both(e) {
        out.push(quote!(call.user_token(self.user_token.clone());));
    } else if user_only(e) {
        out.push(quote!(call.user_token(Some(self.user_access_token.clone()));));
    }
    out
}

/// The error enum of an endpoint: one variant per declared code, holding the `ApiError`, and
/// the `Unhandled` catch-all; `From<rt::Error>` by code, and `Deref` to `rt::ErrorMeta` so
/// `code()`, `log_id()`, `http_status()` and `is_retryable()` work on every enum.
pub(crate) fn error_enum(e: &Endpoint) -> TokenStream {
    let name = ident(&e.rust.error);
    let doc = Literal::string(&format!(
        " Errors of `{}`. Dereferences to [`rt::ErrorMeta`]: `code()`, `log_id()`, `http_status()`, `is_retryable()`.",
        e.name
    ));
    let variants: Vec<Ident> = e.errors.iter().map(|err| ident(&err.name)).collect();
    // With no declared error, `Unhandled` is the only variant and a catch-all arm is unreachable.
    let other_variants = (!variants.is_empty()).then(|| quote!(_ => None,));
    let docs = e.errors.iter().map(|err| {
        Literal::string(&format!(" `{}` (HTTP {}): {}", err.code, err.http, docs::sentences(&err.message, &err.hint)))
    });
    let codes = e.errors.iter().map(|err| Literal::i64_unsuffixed(err.code));
    let from_error = if variants.is_empty() {
        quote!(Self::Unhandled(error))
    } else {
        quote! {
            match error {
                #(rt::Error::Api(api) if api.code == #codes => Self::#variants(api),)*
                other => Self::Unhandled(other),
            }
        }
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #name {
            #(#[doc = #docs] #variants(Box<rt::ApiError>),)*
            /// Anything else: another Lark code (kept with its message and log id), a transport,
            /// auth or validation failure, or an answer that is not a Lark envelope.
            Unhandled(rt::Error),
        }
        impl From<rt::Error> for #name {
            #[inline]
            fn from(error: rt::Error) -> Self {
                #from_error
            }
        }
        impl ::std::ops::Deref for #name {
            type Target = dyn rt::ErrorMeta;
            #[inline]
            fn deref(&self) -> &Self::Target {
                match self {
                    #(Self::#variants(api) => &**api,)*
                    Self::Unhandled(other) => other,
                }
            }
        }
        impl ::std::fmt::Display for #name {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&**self, f)
            }
        }
        impl ::std::error::Error for #name {
            #[inline]
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    Self::Unhandled(other) => ::std::error::Error::source(other),
                    #other_variants
                }
            }
        }
    }
}

/// The static descriptor of an endpoint.
pub(crate) fn descriptor(e: &Endpoint, s: &Service) -> TokenStream {
    let id = ident(&e.rust.descriptor);
    let doc = Literal::string(&format!(" Descriptor of `{}`: {}", e.name, e.summary));
    let service = Literal::string(&s.qualified());
    let name = Literal::string(&e.name);
    let summary = Literal::string(&e.summary);
    let doc_url = Literal::string(&e.doc);
    let path = Literal::string(&e.path);
    let method = same_variant(e.method);
    let tokens = e.tokens.iter().map(same_variant);
    let apps = e.app_types.iter().map(same_variant);
    let scopes = e.scopes.iter().map(|s| Literal::string(s));
    let field_scopes = e.field_scopes.iter().map(|f| {
        let (s, p, v) = (Literal::string(&f.scope), Literal::string(&f.param), Literal::string(&f.equals));
        quote!(rt::FieldScope { scope: #s, param: #p, equals: #v })
    });
    let per_second = opt(e.per_second, Literal::u32_unsuffixed);
    let per_minute = opt(e.per_minute, Literal::u32_unsuffixed);
    let errors = e.errors.iter().map(|err| {
        let c = ident(&err.constant);
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
    let mut inputs: Vec<TokenStream> = e
        .path_params
        .iter()
        .map(|p| {
            let n = Literal::string(&p.name);
            quote!(rt::Input::path(#n))
        })
        .collect();
    let query = e.query_params.iter().map(|q| (q, quote!(query)));
    inputs.extend(query.chain(e.header_params.iter().map(|h| (h, quote!(header)))).map(|(q, location)| {
        let (n, r, rules) = (Literal::string(&q.name), q.required, &q.rules);
        let mut input = quote!(rt::Input::#location(#n, #r));
        if rules.min_length.is_some() || rules.max_length.is_some() {
            let (min, max) =
                (opt(rules.min_length, Literal::u64_unsuffixed), opt(rules.max_length, Literal::u64_unsuffixed));
            input.extend(quote!(.length(#min, #max)));
        }
        if rules.min.is_some() || rules.max.is_some() {
            let (min, max) = (opt(rules.min, Literal::i64_unsuffixed), opt(rules.max, Literal::i64_unsuffixed));
            input.extend(quote!(.range(#min, #max)));
        }
        if !rules.forbidden_chars.is_empty() {
            let chars = Literal::string(&rules.forbidden_chars);
            input.extend(quote!(.forbidden_chars(#chars)));
        }
        input
    }));
    // Form fields, or the top-level fields of a JSON body (a tagged field writes two keys).
    let body = e.request.as_ref();
    if let Some((body, TypeKind::Struct(fields))) = body.and_then(|b| Some((b, &s.type_def(&b.ty)?.kind))) {
        inputs.extend(fields.fields.iter().flat_map(|f| {
            let keys = std::iter::once(&f.name).chain(f.tag_field.as_ref());
            keys.map(move |key| {
                let (n, r) = (Literal::string(key), f.required);
                if body.multipart { quote!(rt::Input::form(#n, #r)) } else { quote!(rt::Input::body(#n, #r)) }
            })
        }));
    }
    let example = example::literal(&example::example(s, e));
    quote! {
        #[doc = #doc]
        pub static #id: rt::Endpoint = rt::Endpoint {
            service: #service,
            name: #name,
            summary: #summary,
            doc_url: #doc_url,
            method: rt::Method::#method,
            path: #path,
            token_kinds: &[#(rt::TokenKind::#tokens),*],
            app_types: &[#(rt::AppType::#apps),*],
            scopes: &[#(#scopes),*],
            field_scopes: &[#(#field_scopes),*],
            limits: rt::Limits { per_second: #per_second, per_minute: #per_minute },
            errors: &[#(#errors),*],
            request: rt::BodyKind::#request,
            response: rt::ResponseKind::#response,
            idempotent: #idempotent,
            paginated: #paginated,
            inputs: &[#(#inputs),*],
            example: #example,
        };
    }
}

/// An `ErrorSpec` constant of an error table.
pub(crate) fn error_const(err: &ErrorEntry) -> TokenStream {
    let id = ident(&err.constant);
    let doc = Literal::string(&format!(" `{}` (HTTP {}): {}", err.code, err.http, docs::sentences(&err.message, "")));
    let code = Literal::i64_unsuffixed(err.code);
    let http = Literal::u16_unsuffixed(err.http);
    let (name, message, hint, retryable) =
        (Literal::string(&err.name), Literal::string(&err.message), Literal::string(&err.hint), err.retryable);
    let action = same_variant(err.action);
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
