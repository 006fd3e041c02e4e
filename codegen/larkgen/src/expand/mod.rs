//! IR → tokens. One function per artifact; per-concern token lists spliced with `#(#x)*`.
//! Service modules import the few outside names they use once, at the top (std items by
//! full path, the runtime as `rt`); the platform part, placed at the caller's root, uses
//! fully qualified paths. Either way no user name can clash.
//!
//! Every function of a service module is `#[inline]`, like the JSON impls of the runtime's
//! `json_object!`: its machine code is generated in the crate that calls it, for what that
//! crate calls, not for every endpoint and type of the service. A service crate then compiles
//! to little more than its metadata, and an app's build (release above all) pays for the
//! endpoints it uses (BENCHMARKS.md, "Against openlark").

mod docs;
mod endpoint;
mod example;
mod names;
mod tagged;
mod types;

use std::collections::{HashMap, HashSet};

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Api, Endpoint, Platform, Service};

/// The tokens of a whole API: the platform part and one module body per service.
pub struct Expanded {
    /// `PLATFORM` and `builder()`, placed at the crate (or macro call site) root.
    pub platform: TokenStream,
    /// `(module name, module body)` per service.
    pub services: Vec<(String, TokenStream)>,
}

impl Expanded {
    /// Everything as one token stream, services as inline modules (macro and build.rs form).
    /// A binary uses part of a service at most: its modules allow dead code.
    pub fn inline(&self) -> TokenStream {
        let platform = &self.platform;
        let runtime = runtime_reexport();
        let modules = self.services.iter().map(|(name, body)| {
            let id = format_ident!("{}", name);
            quote!(#[allow(dead_code)] pub mod #id { #body })
        });
        quote!(#platform #runtime #(#modules)*)
    }
}

/// `runtime`, next to `builder()` whichever entry point made the code, so user code names
/// runtime types the same way everywhere (`lark_client::runtime::FileSource`, or
/// `crate::lark::runtime::FileSource` where the macro or `include!` put the code in `mod lark`).
pub fn runtime_reexport() -> TokenStream {
    quote! {
        /// The runtime the generated code is built on: `runtime::FileSource`, `runtime::Error`, ….
        #[allow(unused_imports)]
        pub use ::larkgen_runtime as runtime;
    }
}

/// Expands the whole API.
pub fn expand(api: &Api) -> Expanded {
    Expanded {
        platform: platform(&api.platform),
        services: api.services.iter().map(|s| (s.module(), service(s))).collect(),
    }
}

pub(crate) fn platform(p: &Platform) -> TokenStream {
    let name = &p.name;
    let urls = p.base_urls.iter().map(|(n, u)| quote!((#n, #u)));
    let token_path = &p.tenant_token_path;
    let margin = Literal::u64_unsuffixed(p.refresh_margin_secs);
    let log_id = &p.log_id_header;
    let rows = p.errors.iter().map(|e| {
        let code = Literal::i64_unsuffixed(e.code);
        let http = Literal::u16_unsuffixed(e.http);
        let (n, m, h, r) = (&e.name, &e.message, &e.hint, e.retryable);
        let action = names::same_variant(e.action);
        quote! {
            ::larkgen_runtime::ErrorSpec {
                code: #code, name: #n, http_status: #http, message: #m, hint: #h, retryable: #r,
                action: ::larkgen_runtime::ErrorAction::#action,
            }
        }
    });
    let doc = format!(" The `{name}` platform: base URLs, tenant-token endpoint and platform error codes.");
    // Dead code where the inline form is included into a binary that does not use them.
    quote! {
        #[doc = #doc]
        #[allow(dead_code)]
        pub static PLATFORM: ::larkgen_runtime::Platform = ::larkgen_runtime::Platform {
            name: #name,
            base_urls: &[#(#urls),*],
            tenant_token_path: #token_path,
            refresh_margin_secs: #margin,
            log_id_header: #log_id,
            errors: &[#(#rows),*],
        };
        /// A client builder for this platform: add app credentials (and a region or base URL), then `build()`.
        #[allow(dead_code)]
        pub fn builder() -> ::larkgen_runtime::ClientBuilder {
            ::larkgen_runtime::Client::builder(&PLATFORM)
        }
    }
}

/// One piece of a service module, in module order. A module is the concatenation of its
/// parts, so parts can be expanded and formatted apart (in parallel) and joined as text:
/// prettyplease prints top-level items one after another, independently of each other.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Part {
    /// Module docs, imports, `Client`.
    Header,
    /// The handle of the n-th resource (see [`resources`]) with its methods.
    Resource(usize),
    /// The request builder of the n-th endpoint.
    Request(usize),
    /// The error enum of the n-th endpoint.
    ErrorEnum(usize),
    /// The n-th named type.
    Type(usize),
    /// `Page` impls of paged responses.
    Pages,
    /// `pub mod errors`.
    ErrorTable,
    /// `pub mod endpoints`.
    Descriptors,
}

/// Resources in order of first appearance, each with its endpoints (indices into
/// `endpoints`, in spec order).
pub(crate) fn resources(s: &Service) -> Vec<(&str, Vec<usize>)> {
    let mut out: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, e) in s.endpoints.iter().enumerate() {
        let r = *index.entry(&e.resource).or_insert_with(|| {
            out.push((&e.resource, Vec::new()));
            out.len() - 1
        });
        out[r].1.push(i);
    }
    out
}

/// What every part of one service needs, computed once.
pub(crate) struct ServiceCx<'a> {
    service: &'a Service,
    qualified: String,
    resources: Vec<(&'a str, Vec<usize>)>,
    validated: HashSet<String>,
}

impl<'a> ServiceCx<'a> {
    pub(crate) fn new(service: &'a Service) -> Self {
        ServiceCx {
            service,
            qualified: service.qualified(),
            resources: resources(service),
            validated: types::needs_validation(service),
        }
    }

    /// The parts of the service module, in order.
    pub(crate) fn parts(&self) -> Vec<Part> {
        let s = self.service;
        let mut out = vec![Part::Header];
        out.extend((0..self.resources.len()).map(Part::Resource));
        out.extend((0..s.endpoints.len()).map(Part::Request));
        out.extend((0..s.endpoints.len()).map(Part::ErrorEnum));
        out.extend((0..s.types.len()).map(Part::Type));
        out.extend([Part::Pages, Part::ErrorTable, Part::Descriptors]);
        out
    }

    /// The tokens of one part.
    pub(crate) fn part(&self, part: Part) -> TokenStream {
        let s = self.service;
        match part {
            Part::Header => header(s, self.resources.iter().map(|(_, endpoints)| &s.endpoints[endpoints[0]])),
            Part::Resource(r) => {
                let (name, endpoints) = &self.resources[r];
                let handle = &s.endpoints[endpoints[0]].rust.handle;
                resource_handle(name, handle, endpoints.iter().map(|i| &s.endpoints[*i]), &self.qualified)
            }
            Part::Request(i) => endpoint::request(&s.endpoints[i], &self.qualified),
            Part::ErrorEnum(i) => endpoint::error_enum(&s.endpoints[i]),
            Part::Type(i) => types::expand_type(&s.types[i], s, &self.validated),
            Part::Pages => types::pages(s).into_iter().collect(),
            Part::ErrorTable => {
                let error_consts = s.errors.iter().map(endpoint::error_const);
                // A service without error rows has nothing that names the runtime.
                let uses_rt = (!s.errors.is_empty()).then(|| {
                    quote!(
                        use super::rt;
                    )
                });
                quote! {
                    /// The service's error table.
                    pub mod errors {
                        #uses_rt
                        #(#error_consts)*
                    }
                }
            }
            Part::Descriptors => {
                let descriptors = s.endpoints.iter().map(|e| endpoint::descriptor(e, s));
                let all = s.endpoints.iter().map(|e| {
                    let id = names::ident(&e.rust.descriptor);
                    quote!(&#id)
                });
                quote! {
                    /// Static descriptors of every endpoint: method, path, tokens, scopes, limits, errors.
                    pub mod endpoints {
                        #[allow(unused_imports)]
                        use super::{None, Some, rt};
                        #(#descriptors)*
                        /// All endpoints of the service, in spec order.
                        pub static ALL: &[&rt::Endpoint] = &[#(#all),*];
                    }
                }
            }
        }
    }
}

fn service(s: &Service) -> TokenStream {
    let cx = ServiceCx::new(s);
    cx.parts().into_iter().map(|p| cx.part(p)).collect()
}

/// The module's docs and imports, and `Client` with an accessor per resource (`first` is the
/// first endpoint of each resource, whose names say the accessor's and handle's).
fn header<'a>(s: &Service, first: impl Iterator<Item = &'a Endpoint>) -> TokenStream {
    let mut module_doc = format!("{}\n", s.title);
    if let Some(d) = &s.description {
        module_doc += &format!("\n{d}\n");
    }
    if let Some(url) = &s.doc {
        module_doc += &format!("\n[Official documentation]({url})\n");
    }
    module_doc += &format!(
        "\nStart with [`Client::new`], then call `client.<resource>().<action>(…)`: {} endpoints.",
        s.endpoints.len()
    );
    let module_doc = module_doc.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") });
    let accessors = first.map(|e| {
        let (method, handle) = (names::ident(&e.rust.resource), names::ident(&e.rust.handle));
        let doc = Literal::string(&format!(" Endpoints of the `{}` resource.", e.resource));
        quote! {
            #[doc = #doc]
            #[inline]
            pub fn #method(&self) -> #handle {
                #handle { client: self.client.clone() }
            }
        }
    });
    let client_doc = format!(" Client of {}: one handle per resource. Cheap to clone.", s.title);
    let imports = crate::names::IMPORTS.iter().map(|(module, name)| {
        let module = module.split("::").map(names::ident);
        let name = names::ident(name);
        quote!(#(#module::)* #name)
    });
    quote! {
        #(#![doc = #module_doc])*

        // The module is its own scope: these imports are the only outside names its code
        // uses, so nothing a user defines can clash, and the code reads short.
        #[allow(unused_imports)]
        use ::std::{#(#imports),*};
        use ::larkgen_runtime as rt;

        #[doc = #client_doc]
        #[derive(Clone, Debug)]
        pub struct Client { client: rt::Client }

        impl Client {
            /// Wraps a runtime client (see the crate's `builder()`).
            #[inline]
            pub fn new(client: rt::Client) -> Self {
                Self { client }
            }
            /// The runtime client underneath.
            #[inline]
            pub fn runtime(&self) -> &rt::Client {
                &self.client
            }
            #(#accessors)*
        }
    }
}

fn resource_handle<'a>(
    r: &str,
    handle: &str,
    endpoints: impl Iterator<Item = &'a Endpoint>,
    qualified: &str,
) -> TokenStream {
    let handle = names::ident(handle);
    let doc = Literal::string(&format!(" The `{r}` resource of {qualified}."));
    let methods = endpoints.map(|e| endpoint::resource_method(e, qualified));
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #handle { client: rt::Client }
        impl #handle { #(#methods)* }
    }
}
