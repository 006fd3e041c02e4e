//! IR → tokens. One function per artifact; per-concern token lists spliced with `#(#x)*`;
//! fully qualified paths in the output so user names never clash.

mod docs;
mod endpoint;
mod names;
mod types;

use heck::ToUpperCamelCase;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Api, Platform, Service};

/// The tokens of a whole API: the platform part and one module body per service.
pub struct Expanded {
    /// `PLATFORM` and `builder()`, placed at the crate (or macro call site) root.
    pub platform: TokenStream,
    /// `(module name, module body)` per service.
    pub services: Vec<(String, TokenStream)>,
}

impl Expanded {
    /// Everything as one token stream, services as inline modules (macro and build.rs form).
    pub fn inline(&self) -> TokenStream {
        let platform = &self.platform;
        let modules = self.services.iter().map(|(name, body)| {
            let id = format_ident!("{}", name);
            quote!(pub mod #id { #body })
        });
        quote!(#platform #(#modules)*)
    }
}

/// Expands the whole API.
pub fn expand(api: &Api) -> Expanded {
    Expanded {
        platform: platform(&api.platform),
        services: api.services.iter().map(|s| (s.module(), service(s))).collect(),
    }
}

fn platform(p: &Platform) -> TokenStream {
    let name = &p.name;
    let urls = p.base_urls.iter().map(|(n, u)| quote!((#n, #u)));
    let token_path = &p.tenant_token_path;
    let margin = Literal::u64_unsuffixed(p.refresh_margin_secs);
    let log_id = &p.log_id_header;
    let rows = p.errors.iter().map(|e| {
        let code = Literal::i64_unsuffixed(e.code);
        let http = Literal::u16_unsuffixed(e.http);
        let (n, m, h, r) = (&e.name, &e.message, &e.hint, e.retryable);
        let action = format_ident!("{}", format!("{:?}", e.action));
        quote! {
            ::larkgen_runtime::ErrorSpec {
                code: #code, name: #n, http_status: #http, message: #m, hint: #h, retryable: #r,
                action: ::larkgen_runtime::ErrorAction::#action,
            }
        }
    });
    let doc = format!(" The `{name}` platform: base URLs, tenant-token endpoint and platform error codes.");
    quote! {
        #[doc = #doc]
        pub static PLATFORM: ::larkgen_runtime::Platform = ::larkgen_runtime::Platform {
            name: #name,
            base_urls: &[#(#urls),*],
            tenant_token_path: #token_path,
            refresh_margin_secs: #margin,
            log_id_header: #log_id,
            errors: &[#(#rows),*],
        };
        /// A client builder for this platform: add app credentials (and a region or base URL), then `build()`.
        pub fn builder() -> ::larkgen_runtime::ClientBuilder {
            ::larkgen_runtime::Client::builder(&PLATFORM)
        }
    }
}

fn service(s: &Service) -> TokenStream {
    let qualified = s.qualified();
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

    let mut resources: Vec<&str> = Vec::new();
    for e in &s.endpoints {
        if !resources.contains(&e.resource.as_str()) {
            resources.push(&e.resource);
        }
    }
    let accessors = resources.iter().map(|r| {
        let method = names::field_ident(r);
        let handle = format_ident!("{}Resource", r.to_upper_camel_case());
        let doc = format!(" Endpoints of the `{r}` resource.");
        quote! {
            #[doc = #doc]
            pub fn #method(&self) -> #handle {
                #handle { client: self.client.clone() }
            }
        }
    });
    let handles = resources.iter().map(|r| {
        let handle = format_ident!("{}Resource", r.to_upper_camel_case());
        let doc = format!(" The `{r}` resource of {qualified}.");
        let methods = s.endpoints.iter().filter(|e| e.resource == *r).map(|e| endpoint::resource_method(e, &qualified));
        quote! {
            #[doc = #doc]
            #[derive(Clone, Debug)]
            pub struct #handle { client: ::larkgen_runtime::Client }
            impl #handle { #(#methods)* }
        }
    });
    let requests = s.endpoints.iter().map(|e| endpoint::request(e, &qualified));
    let errors = s.endpoints.iter().map(endpoint::error_enum);
    let descriptors = s.endpoints.iter().map(|e| endpoint::descriptor(e, &qualified));
    let all = s.endpoints.iter().map(|e| {
        let id = names::descriptor_ident(e);
        quote!(&#id)
    });
    let error_consts = s.errors.iter().map(endpoint::error_const);
    let types = types::expand(s);
    let client_doc = format!(" Client of {}: one handle per resource. Cheap to clone.", s.title);
    quote! {
        #(#![doc = #module_doc])*

        #[doc = #client_doc]
        #[derive(Clone, Debug)]
        pub struct Client { client: ::larkgen_runtime::Client }

        impl Client {
            /// Wraps a runtime client (see the crate's `builder()`).
            pub fn new(client: ::larkgen_runtime::Client) -> Self {
                Self { client }
            }
            /// The runtime client underneath.
            pub fn runtime(&self) -> &::larkgen_runtime::Client {
                &self.client
            }
            #(#accessors)*
        }

        #(#handles)*
        #(#requests)*
        #(#errors)*
        #types

        /// The service's error table.
        pub mod errors {
            #(#error_consts)*
        }

        /// Static descriptors of every endpoint: method, path, tokens, scopes, limits, errors.
        pub mod endpoints {
            #(#descriptors)*
            /// All endpoints of the service, in spec order.
            pub static ALL: &[&::larkgen_runtime::Endpoint] = &[#(#all),*];
        }
    }
}
