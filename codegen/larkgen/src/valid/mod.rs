//! Checks of a loaded spec, each rule a diagnostic with a location and a hint; the result
//! is the IR. All problems of all files are reported in one run.

mod endpoints;
mod names;
mod types;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_saphyr::Spanned;

use crate::diag::{Diagnostics, Loc};
use crate::ir;
use crate::load;
use crate::source::SourceFile;
use crate::spec;

/// Where a rule reports: the file being checked and the diagnostics of the run.
pub(crate) struct Ctx<'a> {
    pub(crate) file: Arc<SourceFile>,
    pub(crate) diags: &'a mut Diagnostics,
}

impl Ctx<'_> {
    pub(crate) fn loc<T>(&self, s: &Spanned<T>) -> Loc {
        Loc::from_saphyr(&self.file, &s.defined)
    }

    pub(crate) fn error<T>(
        &mut self,
        at: &Spanned<T>,
        message: impl Into<String>,
        label: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let loc = self.loc(at);
        self.diags.error(&loc, message, label, Some(hint.into()));
    }

    pub(crate) fn warning<T>(
        &mut self,
        at: &Spanned<T>,
        message: impl Into<String>,
        label: impl Into<String>,
        hint: impl Into<String>,
    ) {
        let loc = self.loc(at);
        self.diags.warning(&loc, message, label, Some(hint.into()));
    }
}

/// Loads and checks spec files (service files, and optionally the platform file they name).
/// `base` is the directory diagnostics name files relative to.
pub fn check(paths: &[PathBuf], base: &Path) -> (Option<ir::Api>, Diagnostics, Vec<PathBuf>) {
    let mut diags = Diagnostics::default();
    let mut inputs: Vec<PathBuf> = paths.to_vec();
    let mut platform: Option<(PathBuf, ir::Platform)> = None;
    let mut services = Vec::new();
    let mut loaded: Vec<(Arc<SourceFile>, spec::ServiceFile)> = Vec::new();

    for path in paths {
        let Some(file) = load::read(path, base, &mut diags, None) else {
            continue;
        };
        if is_platform_file(&file.text) {
            load_platform(path, &file, &mut platform, &mut diags);
        } else if let Some(service) = load::parse::<spec::ServiceFile>(&file, &mut diags) {
            loaded.push((file, service));
        }
    }
    if paths.is_empty() {
        let file = Arc::new(SourceFile::new(Path::new("<none>"), "<none>".into(), String::new()));
        diags.error(
            &Loc::start_of(&file),
            "no spec file given",
            "",
            Some("pass at least one service file, e.g. spec/baike-v1.yaml".into()),
        );
    }

    let mut seen_modules: HashMap<String, ()> = HashMap::new();
    for (file, service) in &loaded {
        let mut ctx = Ctx { file: Arc::clone(file), diags: &mut diags };
        // The platform file named by the service, relative to it.
        let rel = &service.service.value.platform;
        let platform_path = normalize(&file.path.parent().unwrap_or(Path::new(".")).join(&rel.value));
        match &platform {
            Some((p, _)) if same_file(p, &platform_path) => {}
            Some((p, _)) => ctx.error(
                rel,
                format!("this service uses platform `{}`, another service uses `{}`", rel.value, p.display()),
                "different platform file",
                "generate services of one platform together; all must name the same platform file",
            ),
            None => {
                let loc = ctx.loc(rel);
                inputs.push(platform_path.clone());
                if let Some(pfile) = load::read(&platform_path, base, ctx.diags, Some(&loc)) {
                    load_platform(&platform_path, &pfile, &mut platform, ctx.diags);
                }
            }
        }
        if let Some(svc) = check_service(&mut ctx, service) {
            if seen_modules.insert(svc.module(), ()).is_some() {
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
        let file = Arc::new(SourceFile::new(&paths[0], load::display_name(&paths[0], base), String::new()));
        diags.error(
            &Loc::start_of(&file),
            "no service file given",
            "",
            Some("pass a service file (one with a `service:` block)".into()),
        );
    }
    let api = match (platform, diags.has_errors()) {
        (Some((_, platform)), false) => Some(ir::Api { platform, services }),
        _ => None,
    };
    (api, diags, inputs)
}

fn is_platform_file(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("platform:")) && !text.lines().any(|l| l.starts_with("service:"))
}

fn load_platform(
    path: &Path,
    file: &Arc<SourceFile>,
    slot: &mut Option<(PathBuf, ir::Platform)>,
    diags: &mut Diagnostics,
) {
    if slot.as_ref().is_some_and(|(p, _)| same_file(p, path)) {
        return;
    }
    // A platform file given on the command line and named by a service is checked once.
    if diags.0.iter().any(|d| d.file == file.name) {
        return;
    }
    let Some(parsed) = load::parse::<spec::PlatformFile>(file, diags) else {
        return;
    };
    let mut ctx = Ctx { file: Arc::clone(file), diags };
    if let Some(platform) = check_platform(&mut ctx, &parsed.platform.value) {
        *slot = Some((normalize(path), platform));
    }
}

fn normalize(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

fn same_file(a: &Path, b: &Path) -> bool {
    normalize(a) == normalize(b)
}

fn check_platform(ctx: &mut Ctx<'_>, p: &spec::PlatformDef) -> Option<ir::Platform> {
    let mut base_urls = Vec::new();
    for b in &p.base_urls.value {
        let url = &b.value.url;
        if !url.value.starts_with("https://") && !url.value.starts_with("http://") || url.value.ends_with('/') {
            ctx.error(
                url,
                format!("base URL `{}` is not an absolute URL without trailing slash", url.value),
                "bad URL",
                "write it as `https://host`",
            );
        }
        base_urls.push((b.value.name.value.clone(), url.value.clone()));
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
    let env = &p.envelope.value;
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
    let errors = check_errors(ctx, &p.errors, "platform");
    Some(ir::Platform {
        name: p.name.value.clone(),
        base_urls,
        tenant_token_path: token_path.value.clone(),
        refresh_margin_secs: p.tenant_token.value.refresh_margin_seconds.value,
        log_id_header: p.envelope.value.log_id_header.value.clone(),
        errors,
    })
}

/// Checks an error table: names are UpperCamelCase and unique, codes unique, actions known.
pub(crate) fn check_errors(ctx: &mut Ctx<'_>, defs: &[Spanned<spec::ErrorDef>], owner: &str) -> Vec<ir::ErrorEntry> {
    let mut by_code: HashMap<i64, ()> = HashMap::new();
    let mut by_name: HashMap<String, ()> = HashMap::new();
    let mut out = Vec::new();
    for def in defs {
        let e = &def.value;
        names::check_type_name(ctx, &e.name, "error");
        if by_name.insert(e.name.value.clone(), ()).is_some() {
            ctx.error(
                &e.name,
                format!("error name `{}` is declared twice in the {owner} table", e.name.value),
                "duplicate name",
                "give every error its own variant name",
            );
        }
        if by_code.insert(e.code.value, ()).is_some() {
            ctx.error(
                &e.code,
                format!("error code {} is declared twice in the {owner} table", e.code.value),
                "duplicate code",
                "keep one row per code",
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
        let action = match e.action.as_ref().map(|a| a.value.as_str()) {
            None | Some("none") => ir::Action::None,
            Some("refresh_token") => ir::Action::RefreshToken,
            Some("rate_limited") => ir::Action::RateLimited,
            Some("auth_failed") => ir::Action::AuthFailed,
            Some(other) => {
                let at = e.action.as_ref().expect("matched Some");
                ctx.error(
                    at,
                    format!("unknown error action `{other}`"),
                    "unknown action",
                    "use one of: none, refresh_token, rate_limited, auth_failed",
                );
                ir::Action::None
            }
        };
        out.push(ir::ErrorEntry {
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

fn check_service(ctx: &mut Ctx<'_>, s: &spec::ServiceFile) -> Option<ir::Service> {
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
    let errors = check_errors(ctx, &s.errors, "service");
    let types = types::check_types(ctx, &s.types);
    let endpoints = endpoints::check_endpoints(ctx, &s.endpoints, &types, &errors);
    names::check_generated_names(ctx, &s.types, &endpoints);
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
