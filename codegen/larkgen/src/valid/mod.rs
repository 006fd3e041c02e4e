//! Checks of a loaded spec, each rule a diagnostic with a location and a hint; the result
//! is the IR. All problems of all files are reported in one run.

mod endpoints;
mod names;
mod params;
mod scopes;
mod tagged;
mod type_expr;

pub(crate) use type_expr::named_leaf;
mod types;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Diagnostic, Diagnostics, Loc, Severity};
use crate::load::{self, Files};
use crate::shape::{self, Spanned};
use crate::source::SourceFile;
use crate::spec;
use crate::yaml::{self, Node, Value};
use crate::{Checked, ir};

/// Where a rule reports: the file being checked and the diagnostics of the run.
pub(crate) struct Ctx<'a> {
    pub(crate) file: Arc<SourceFile>,
    pub(crate) diags: &'a mut Diagnostics,
}

impl Ctx<'_> {
    /// Where a value is written; for a value reached through an alias, the diagnostic also
    /// notes where it is used.
    pub(crate) fn loc<T>(&self, s: &Spanned<T>) -> Loc {
        Loc::of(&self.file, s.span, s.used)
    }

    /// The location of `len` bytes at byte `at` of the string value `s`, when the source
    /// holds the value verbatim there (plain or simply quoted); the whole value otherwise.
    pub(crate) fn loc_within(&self, s: &Spanned<String>, at: usize, len: usize) -> Loc {
        let mut loc = self.loc(s);
        let text = &self.file.text;
        let Some(part) = s.value.get(at..at.saturating_add(len)) else {
            return loc;
        };
        for skip in [0, 1] {
            let start = loc.offset + skip + at;
            if text.get(start..start + len) == Some(part) && text.get(loc.offset + skip..start) == s.value.get(..at) {
                loc.offset = start;
                loc.len = len;
                return loc;
            }
        }
        loc
    }

    /// `at`, with a note on `first`: where the thing it repeats or contradicts was written.
    pub(crate) fn loc_also<T, U>(&self, at: &Spanned<T>, first: &Spanned<U>, note: &str) -> Loc {
        let f = self.loc(first);
        self.loc(at).with_note(f.offset, f.len, note)
    }

    pub(crate) fn error<T>(
        &mut self,
        at: &Spanned<T>,
        message: impl Into<String>,
        label: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.diags.error(&self.loc(at), message, label, hint);
    }

    pub(crate) fn warning<T>(
        &mut self,
        at: &Spanned<T>,
        message: impl Into<String>,
        label: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.diags.0.push(Diagnostic::new(Severity::Warning, &self.loc(at), message, label, Some(hint.into())));
    }
}

/// Loads and checks spec files (service files, and the platform file they name, which may
/// also be given). `base` is the directory diagnostics name files relative to.
pub(crate) fn check(files: Files<'_>, paths: &[PathBuf], base: &Path) -> Checked {
    let mut diags = Diagnostics::default();
    let mut inputs: Vec<PathBuf> = paths.to_vec();
    let mut platform: Option<(PathBuf, ir::Platform)> = None;
    let mut services = Vec::new();
    let mut loaded: Vec<(Arc<SourceFile>, spec::ServiceFile)> = Vec::new();

    for path in paths {
        let Some(file) = load::read(files, path, base, &mut diags, None) else {
            continue;
        };
        let Some(tree) = yaml::parse(&file, &mut diags) else {
            continue;
        };
        if is_platform_file(&tree) {
            load_platform(files, path, &file, Some(tree), &mut platform, &mut diags);
        } else if let Some(service) = shape::read::<spec::ServiceFile>(&file, &tree, &mut diags) {
            loaded.push((file, service));
        }
    }
    if paths.is_empty() {
        let loc = Loc::nowhere(Path::new("<none>"), "<none>");
        diags.error(&loc, "no spec file given", "", "pass at least one service file, e.g. spec/baike-v1.yaml");
    }

    let mut seen_modules: HashSet<String> = HashSet::new();
    for (file, service) in &loaded {
        let mut ctx = Ctx { file: Arc::clone(file), diags: &mut diags };
        // The platform file named by the service, relative to it.
        let rel = &service.service.value.platform;
        let platform_path = files.normalize(&file.path.parent().unwrap_or(Path::new(".")).join(&rel.value));
        match &platform {
            Some((p, _)) if files.normalize(p) == platform_path => {}
            Some((p, _)) => ctx.error(
                rel,
                format!("this service uses platform `{}`, another service uses `{}`", rel.value, p.display()),
                "different platform file",
                "generate services of one platform together; all must name the same platform file",
            ),
            None => {
                let loc = ctx.loc(rel);
                inputs.push(platform_path.clone());
                if let Some(pfile) = load::read(files, &platform_path, base, ctx.diags, Some(&loc)) {
                    load_platform(files, &platform_path, &pfile, None, &mut platform, ctx.diags);
                }
            }
        }
        let platform_errors = platform.as_ref().map(|(_, p)| p.errors.as_slice()).unwrap_or_default();
        if let Some(svc) = check_service(&mut ctx, service, platform_errors) {
            if !seen_modules.insert(svc.module()) {
                ctx.error(
                    &service.service.value.name,
                    format!("service `{}` is given twice", svc.qualified()),
                    "duplicate service",
                    "give each service file once",
                );
            } else {
                services.push(svc);
            }
        }
    }
    if loaded.is_empty() && !paths.is_empty() && !diags.has_errors() {
        let loc = Loc::nowhere(&paths[0], load::display_name(&paths[0], base));
        diags.error(&loc, "no service file given", "", "pass a service file (one with a `service:` block)");
    }
    diags.sort();
    let api = match (platform, diags.has_errors()) {
        (Some((_, platform)), false) => Some(ir::Api { platform, services }),
        _ => None,
    };
    Checked { api, diagnostics: diags, inputs }
}

/// Whether a parsed file is a platform file: its top-level keys look like `platform:`
/// rather than a service's (`service:`, `endpoints:`, `types:`), typos included.
fn is_platform_file(tree: &Node) -> bool {
    let Value::Map { entries, .. } = &tree.value else {
        return false;
    };
    let near =
        |target: &str| entries.iter().any(|(k, _)| load::edit_distance(k.text().unwrap_or_default(), target) <= 2);
    !["service", "endpoints", "types"].iter().any(|t| near(t)) && near("platform")
}

/// Checks a platform file into `slot`; `tree` is its parse when the caller has it.
fn load_platform(
    files: Files<'_>,
    path: &Path,
    file: &Arc<SourceFile>,
    tree: Option<Node>,
    slot: &mut Option<(PathBuf, ir::Platform)>,
    diags: &mut Diagnostics,
) {
    // A platform file given on the command line and named by a service is checked once: it
    // is the platform already, or it has diagnostics.
    if slot.as_ref().is_some_and(|(p, _)| *p == files.normalize(path)) || diags.0.iter().any(|d| d.file == file.name) {
        return;
    }
    let Some(tree) = tree.or_else(|| yaml::parse(file, diags)) else {
        return;
    };
    let Some(parsed) = shape::read::<spec::PlatformFile>(file, &tree, diags) else {
        return;
    };
    let mut ctx = Ctx { file: Arc::clone(file), diags };
    if let Some(platform) = check_platform(&mut ctx, &parsed.platform.value) {
        *slot = Some((files.normalize(path), platform));
    }
}

/// Lark tenant access tokens live two hours.
const TOKEN_LIFETIME_SECS: u64 = 7200;

fn check_platform(ctx: &mut Ctx<'_>, p: &spec::PlatformDef) -> Option<ir::Platform> {
    let mut base_urls: Vec<(String, String)> = Vec::new();
    for b in &p.base_urls.value {
        let (name, url) = (&b.value.name, &b.value.url);
        let host = url.value.strip_prefix("https://").or_else(|| url.value.strip_prefix("http://"));
        if host.is_none_or(|h| h.is_empty() || h.ends_with('/') || h.contains(char::is_whitespace)) {
            ctx.error(
                url,
                format!("base URL `{}` is not an absolute URL without trailing slash", url.value),
                "bad URL",
                "write it as `https://host`, e.g. `https://open.feishu.cn`",
            );
        }
        if base_urls.iter().any(|(n, _)| *n == name.value) {
            ctx.error(
                name,
                format!("base URL name `{}` is used twice", name.value),
                "duplicate name",
                "clients pick a base URL by name: give each its own, e.g. `feishu` and `lark`",
            );
        }
        base_urls.push((name.value.clone(), url.value.clone()));
    }
    if base_urls.is_empty() {
        ctx.error(
            &p.base_urls,
            "the platform has no base URL",
            "empty list",
            "add `- { name: feishu, url: \"https://open.feishu.cn\" }`",
        );
    }
    let token_path = &p.tenant_token.value.path;
    if !token_path.value.starts_with('/') {
        ctx.error(
            token_path,
            "the tenant-token path must start with `/`",
            "relative path",
            "write the path from the host, e.g. `/open-apis/auth/v3/tenant_access_token/internal`",
        );
    }
    let margin = &p.tenant_token.value.refresh_margin_seconds;
    if margin.value >= TOKEN_LIFETIME_SECS {
        ctx.error(
            margin,
            format!(
                "a refresh margin of {} s is not shorter than the token's lifetime ({TOKEN_LIFETIME_SECS} s)",
                margin.value
            ),
            "token would never be reused",
            "refresh a few minutes before expiry, e.g. `refresh_margin_seconds: 180`",
        );
    }
    let env = &p.envelope.value;
    let header = &env.log_id_header;
    if header.value.is_empty()
        || !header.value.chars().all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c))
    {
        ctx.error(
            header,
            format!("`{}` is not an HTTP header name", header.value),
            "bad header name",
            "write the header's name only, e.g. `X-Tt-Logid`",
        );
    }
    for (field, standard) in
        [(&env.code_field, "code"), (&env.message_field, "msg"), (&env.data_field, "data"), (&env.error_field, "error")]
    {
        if field.value != standard {
            ctx.error(
                field,
                format!("envelope field `{}` is not supported; the runtime decodes `{standard}`", field.value),
                "non-standard envelope",
                format!("Lark envelopes use `{standard}`; write `{standard}`"),
            );
        }
    }
    let errors = check_errors(ctx, &p.errors, "platform", &[]);
    Some(ir::Platform {
        name: p.name.value.clone(),
        base_urls,
        tenant_token_path: token_path.value.clone(),
        refresh_margin_secs: p.tenant_token.value.refresh_margin_seconds.value,
        log_id_header: p.envelope.value.log_id_header.value.clone(),
        errors,
    })
}

/// Checks an error table: names are UpperCamelCase and unique, codes unique, actions known;
/// a service table must not repeat the platform's codes or names (`platform`).
pub(crate) fn check_errors(
    ctx: &mut Ctx<'_>,
    defs: &[Spanned<spec::ErrorDef>],
    owner: &str,
    platform: &[ir::ErrorEntry],
) -> Vec<ir::ErrorEntry> {
    let mut by_code: HashMap<i64, &Spanned<spec::ErrorDef>> = HashMap::new();
    let mut by_name: HashMap<String, &Spanned<spec::ErrorDef>> = HashMap::new();
    let mut out = Vec::new();
    for def in defs {
        let e = &def.value;
        if names::check_type_name(ctx, &e.name, "error") && e.name.value == "Unhandled" {
            ctx.error(
                &e.name,
                "`Unhandled` is the catch-all variant of every endpoint error enum",
                "reserved name",
                "name the error after its meaning, e.g. `InvalidParam`",
            );
        }
        if let Some(first) = by_name.get(&e.name.value) {
            ctx.diags.error(
                &ctx.loc_also(&e.name, &first.value.name, "first declared here"),
                format!("error name `{}` is declared twice in the {owner} table", e.name.value),
                "duplicate name",
                "give every error its own variant name",
            );
        } else {
            by_name.insert(e.name.value.clone(), def);
        }
        if let Some(first) = by_code.get(&e.code.value) {
            ctx.diags.error(
                &ctx.loc_also(&e.code, &first.value.code, "first declared here"),
                format!("error code {} is declared twice in the {owner} table", e.code.value),
                "duplicate code",
                "keep one row per code",
            );
        } else {
            by_code.insert(e.code.value, def);
        }
        if let Some(p) = platform.iter().find(|p| p.code == e.code.value) {
            ctx.error(
                &e.code,
                format!("error code {} is the platform error `{}`", e.code.value, p.name),
                "platform code",
                "platform errors apply to every endpoint already; remove this row",
            );
        } else if let Some(p) = platform.iter().find(|p| p.name == e.name.value) {
            ctx.error(
                &e.name,
                format!("error name `{}` is the platform error for code {}", e.name.value, p.code),
                "platform name",
                "rename the service error so both can be told apart",
            );
        }
        if e.code.value == 0 {
            ctx.error(
                &e.code,
                "error code 0 means success",
                "not an error",
                "use the code Lark documents for the failure",
            );
        }
        if !(100..=599).contains(&e.http.value) {
            ctx.error(
                &e.http,
                format!("HTTP status {} is not a valid status", e.http.value),
                "not 100-599",
                "use the status Lark sends with this code, e.g. 400",
            );
        }
        let action = match &e.action {
            None => ir::Action::None,
            Some(a) => match a.value.as_str() {
                "none" => ir::Action::None,
                "refresh_token" => ir::Action::RefreshToken,
                "rate_limited" => ir::Action::RateLimited,
                "auth_failed" => ir::Action::AuthFailed,
                other => {
                    const ACTIONS: [&str; 4] = ["none", "refresh_token", "rate_limited", "auth_failed"];
                    let hint =
                        load::did_you_mean(other, ACTIONS, "use none, refresh_token, rate_limited or auth_failed");
                    ctx.error(a, format!("unknown error action `{other}`"), "unknown action", hint);
                    ir::Action::None
                }
            },
        };
        out.push(ir::ErrorEntry {
            constant: crate::names::constant(&[&e.name.value]),
            name: e.name.value.clone(),
            code: e.code.value,
            http: e.http.value,
            message: e.message.clone(),
            hint: e.hint.clone(),
            retryable: e.retryable,
            action,
        });
    }
    out
}

fn check_service(ctx: &mut Ctx<'_>, s: &spec::ServiceFile, platform: &[ir::ErrorEntry]) -> Option<ir::Service> {
    let header = &s.service.value;
    for part in [&header.name, &header.version] {
        if !names::is_snake(&part.value) {
            ctx.error(
                part,
                format!("`{}` must be lower snake_case", part.value),
                "not snake_case",
                "service names and versions become a module name, e.g. `baike` and `v1`",
            );
        }
    }
    if crate::features::RESERVED.contains(&header.name.value.as_str()) {
        ctx.error(
            &header.name,
            format!("`{}` cannot be a service name", header.name.value),
            "a cargo feature of its own",
            "a service's name is the generated crate's feature for it; `default` and `all` are taken",
        );
    }
    let errors = check_errors(ctx, &s.errors, "service", platform);
    let types = types::check_types(ctx, &s.types);
    let declared = types::declared(&s.types);
    let endpoints = endpoints::check_endpoints(ctx, &s.endpoints, &declared, &types::TypeIndex::new(&types), &errors);
    names::check_generated_names(ctx, &s.types, &s.endpoints.value, &endpoints);
    Some(ir::Service {
        name: header.name.value.clone(),
        version: header.version.value.clone(),
        title: header.title.clone(),
        description: header.description.clone(),
        doc: header.doc.clone(),
        types,
        errors,
        endpoints,
    })
}
