//! Rules of scopes: their form, and the conditions of field scopes (`when:`), whose values
//! must be values of the parameter they name.

use super::Ctx;
use super::types::TypeIndex;
use crate::ir::{self, Ty};
use crate::load::closest;
use crate::shape::Spanned;
use crate::spec;

/// `app:resource.sub:readonly`: lower-case words joined by `:`; `-` occurs in one official
/// scope (`security_and_compliance:user_migration:multi-geo`).
fn is_scope(s: &str) -> bool {
    let parts: Vec<&str> = s.split(':').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            !p.is_empty()
                && !p.starts_with('-')
                && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-'))
        })
        && parts[0].chars().next().is_some_and(|c| c.is_ascii_lowercase())
}

pub(crate) fn check_scopes(
    ctx: &mut Ctx<'_>,
    scopes: Option<&Spanned<spec::ScopesDef>>,
    query: &[ir::Field],
    types: &TypeIndex<'_>,
) -> (Vec<String>, Vec<ir::FieldScope>) {
    let Some(scopes) = scopes else {
        return (Vec::new(), Vec::new());
    };
    let mut any_of = Vec::new();
    for s in &scopes.value.any_of.value {
        if !is_scope(&s.value) {
            ctx.error(
                s,
                format!("`{}` is not a scope", s.value),
                "malformed scope",
                "scopes look like `baike:entity` or `contact:user.employee_id:readonly`",
            );
        } else if any_of.contains(&s.value) {
            ctx.error(s, format!("scope `{}` is listed twice", s.value), "duplicate scope", "list each scope once");
        }
        any_of.push(s.value.clone());
    }
    if scopes.value.any_of.value.is_empty() {
        ctx.error(&scopes.value.any_of, "`any_of` is empty", "no scope", "list the scopes of which any one is enough");
    }
    let mut fields = Vec::new();
    for f in scopes.value.fields.as_deref().unwrap_or_default() {
        fields.extend(check_field_scope(ctx, &f.value, query, types));
    }
    (any_of, fields)
}

/// One field scope: one `FieldScope` per condition, as it is needed when any holds.
fn check_field_scope(
    ctx: &mut Ctx<'_>,
    f: &spec::FieldScopeDef,
    query: &[ir::Field],
    types: &TypeIndex<'_>,
) -> Vec<ir::FieldScope> {
    if !is_scope(&f.scope.value) {
        ctx.error(
            &f.scope,
            format!("`{}` is not a scope", f.scope.value),
            "malformed scope",
            "scopes look like `contact:user.employee_id:readonly`",
        );
    }
    if f.when.value.0.is_empty() {
        ctx.error(
            &f.when,
            "`when` lists no condition",
            "no condition",
            "write `when: param=value`, or a list of them of which any one makes the scope needed",
        );
    }
    let mut out: Vec<ir::FieldScope> = Vec::new();
    for c in &f.when.value.0 {
        let Some((param, value)) = check_condition(ctx, c, query, types) else {
            continue;
        };
        if out.iter().any(|o| o.param == param && o.equals == value) {
            ctx.error(c, format!("condition `{}` is listed twice", c.value), "duplicate condition", "list it once");
            continue;
        }
        out.push(ir::FieldScope { scope: f.scope.value.clone(), param: param.to_owned(), equals: value.to_owned() });
    }
    out
}

/// `param=value`: a query parameter of the endpoint and a value it can take.
fn check_condition<'c>(
    ctx: &mut Ctx<'_>,
    c: &'c Spanned<String>,
    query: &[ir::Field],
    types: &TypeIndex<'_>,
) -> Option<(&'c str, &'c str)> {
    let Some((param, value)) = c.value.split_once('=') else {
        ctx.error(c, "`when` must be `param=value`", "bad condition", "e.g. `when: user_id_type=user_id`");
        return None;
    };
    let Some(field) = query.iter().find(|q| q.name == param) else {
        let hint = match closest(param, query.iter().map(|q| q.name.as_str())) {
            Some(q) => format!("did you mean `{q}`?"),
            None => "name a query parameter declared in `params`".to_owned(),
        };
        let loc = ctx.loc_within(c, 0, param.len());
        ctx.diags.error(
            &loc,
            format!("`{param}` is not a query parameter of this endpoint"),
            "unknown parameter",
            hint,
        );
        return None;
    };
    let Some((problem, hint)) = value_problem(value, field, types) else {
        return Some((param, value));
    };
    let loc = ctx.loc_within(c, param.len() + 1, value.len());
    ctx.diags.error(&loc, problem, "not a value of the parameter", hint);
    None
}

/// Why `value` cannot be a value of the parameter `field` (of a list parameter: of an item),
/// with a hint; `None` when it can.
fn value_problem(value: &str, field: &ir::Field, types: &TypeIndex<'_>) -> Option<(String, String)> {
    let item = match &field.ty {
        Ty::List(inner) => inner,
        other => other,
    };
    let name = &field.name;
    let fits = |ok: bool, what: &str, hint: &str| (!ok).then(|| (format!("`{value}` is not {what}"), hint.to_owned()));
    match item {
        Ty::Bool => {
            fits(matches!(value, "true" | "false"), &format!("a boolean (`{name}`)"), "write `true` or `false`")
        }
        Ty::I32 => fits(value.parse::<i32>().is_ok(), &format!("an i32 (`{name}`)"), "write a whole number"),
        Ty::I64 | Ty::I64String => {
            fits(value.parse::<i64>().is_ok(), &format!("an integer (`{name}`)"), "write a whole number")
        }
        Ty::F64 => fits(value.parse::<f64>().is_ok(), &format!("a number (`{name}`)"), "write a number"),
        Ty::String => fits(!value.is_empty(), &format!("a value of `{name}`"), "write the value after `=`"),
        Ty::Named(n) => match types.get(n).map(|t| &t.kind) {
            Some(ir::TypeKind::StringEnum(values) | ir::TypeKind::IntEnum(values))
                if !values.iter().any(|v| v.wire == value) =>
            {
                let wires: Vec<&str> = values.iter().map(|v| v.wire.as_str()).collect();
                let all = crate::shape::list(&wires);
                let hint = match closest(value, wires.iter().copied()) {
                    Some(w) => format!("did you mean `{w}`? The values of `{n}` are {all}"),
                    None => format!("the values of `{n}` are {all}"),
                };
                Some((format!("`{value}` is not a value of `{name}` (enum `{n}`)"), hint))
            }
            Some(ir::TypeKind::Newtype) if value.is_empty() => {
                Some((format!("`{name}` is compared with nothing"), "write the value after `=`".to_owned()))
            }
            _ => None,
        },
        Ty::Json | Ty::Map(_) | Ty::List(_) | Ty::Binary => None,
    }
}
