//! One OpenAPI operation → one spec endpoint (`resource.action`), or the reason it cannot be
//! one. Its types go into the service's [`Types`], its error rows into the [`ErrorTable`].

use heck::ToUpperCamelCase;

use super::errors::ErrorTable;
use super::schema::{Types, field, singular};
use super::text::doc_text;
use super::tiers;
use super::tree::Y;

/// Where an operation sits: its path, method and the project it came from.
pub(crate) struct Operation<'a> {
    pub(crate) project: &'a str,
    pub(crate) path: &'a str,
    pub(crate) method: &'a str,
    pub(crate) op: &'a Y,
}

impl Operation<'_> {
    /// `message.create` from operation id `im_message_create` and tag `message`; a nested
    /// tag (`app.table.record`) becomes one resource `app_table_record`.
    pub(crate) fn endpoint_name(&self) -> Result<(String, String), String> {
        let id = self.op.text("operationId");
        let tag = self.op.list("tags").first().and_then(Y::as_str).unwrap_or_default();
        let resource = tag.replace(['.', '-'], "_");
        let prefix = format!("{}_{}_", self.project, resource);
        let action =
            id.strip_prefix(&prefix).ok_or_else(|| format!("operation id `{id}` is not `{prefix}<action>`"))?;
        if resource.is_empty() || action.is_empty() {
            return Err(format!("operation id `{id}` has no resource or action"));
        }
        // `batchDelete` in four corehr ids: endpoint names are snake_case.
        Ok((resource, heck::ToSnakeCase::to_snake_case(action)))
    }
}

/// The endpoint, or why the operation cannot be one.
pub(crate) fn convert(o: &Operation<'_>, types: &mut Types<'_>, errors: &mut ErrorTable) -> Result<Y, String> {
    let (resource, action) = o.endpoint_name()?;
    let stem = format!("{}{}", resource.to_upper_camel_case(), action.to_upper_camel_case());
    for suffix in ["Request", "Error", "Resource"] {
        types.reserve(format!("{stem}{suffix}"));
    }
    types.reserve(format!("{}Resource", resource.to_upper_camel_case()));
    types.resource = singular(&format!("{}s", resource.rsplit('_').next().unwrap_or_default().to_upper_camel_case()));
    let op = o.op;
    let tokens: Vec<Y> = op
        .list("x-lark-access-tokens")
        .iter()
        .filter_map(Y::as_str)
        .filter(|t| matches!(*t, "tenant" | "user"))
        .map(Y::str)
        .collect();
    if tokens.is_empty() {
        let given: Vec<&str> = op.list("x-lark-access-tokens").iter().filter_map(Y::as_str).collect();
        return Err(format!("no tenant or user token (metadata: {:?}); the runtime has no app_access_token", given));
    }
    let doc = op.get("externalDocs").map(|d| d.text("url")).unwrap_or_default();
    if !doc.starts_with("https://") {
        return Err("no https documentation link".into());
    }
    let summary = op.text("summary").lines().next().unwrap_or_default().trim().to_owned();
    let mut e = Y::map()
        .with("name", Y::str(format!("{resource}.{action}")))
        .with("summary", Y::str(if summary.is_empty() { format!("{resource} {action}") } else { doc_text(&summary) }));
    let tier = op.get("x-lark-rate-limit").map(|r| r.text("tier")).and_then(|t| t.parse::<i64>().ok());
    let mut description = op.get("description").and_then(Y::as_str).map(doc_text).unwrap_or_default();
    if let Some(n) = tier {
        description =
            [description, tiers::note(n)].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("\n\n");
    }
    if !description.is_empty() {
        e.set("description", Y::str(description));
    }
    e.set("doc", Y::str(doc));
    e.set("method", Y::str(o.method.to_ascii_uppercase()));
    e.set("path", Y::str(o.path));
    e.set("tokens", Y::Seq(dedup(tokens)));
    if let Some(t) = tier.and_then(tiers::tier) {
        let mut limits = Y::map();
        if let Some(s) = t.per_second {
            limits.set("per_second", Y::int(s.into()));
        }
        if let Some(m) = t.per_minute {
            limits.set("per_minute", Y::int(m.into()));
        }
        e.set("limits", limits);
    }
    let params = params(op, types, &stem)?;
    if let Some(scopes) = scopes(op, &params) {
        e.set("scopes", scopes);
    }
    if !params.is_empty() {
        e.set("params", Y::Seq(params.clone()));
    }
    if let Some(request) = request(op, types, &stem)? {
        e.set("request", request);
    }
    let (response, data_ty) = response(op, types, &stem)?;
    e.set("response", response);
    if op.is_true("x-lark-pagination")
        && let Some(data) = data_ty.as_deref()
    {
        types.page_token_optional(data);
    }
    if op.is_true("x-lark-pagination")
        && let Some(items) = pagination_items(&params, data_ty.as_deref(), types)
    {
        e.set("pagination", Y::map().with("items", Y::str(items)));
    }
    // `[]` where the metadata maps no code: the spec says so rather than forgetting.
    let refs = errors.add(op.list("x-lark-error-mappings"));
    e.set("errors", Y::Seq(refs.into_iter().map(Y::str).collect()));
    Ok(e)
}

fn dedup(items: Vec<Y>) -> Vec<Y> {
    let mut out: Vec<Y> = Vec::new();
    for i in items {
        if !out.contains(&i) {
            out.push(i);
        }
    }
    out
}

fn params(op: &Y, types: &mut Types<'_>, stem: &str) -> Result<Vec<Y>, String> {
    let mut out = Vec::new();
    for p in op.list("parameters") {
        let (name, location) = (p.text("name"), p.text("in"));
        if !matches!(location, "path" | "query" | "header") {
            return Err(format!("parameter `{name}` in {location}"));
        }
        let schema = p.get("schema").cloned().unwrap_or(Y::map().with("type", Y::str("string")));
        let ty = if location == "path" {
            "string".to_owned()
        } else {
            types.expr(&schema, &name.to_upper_camel_case(), stem)?
        };
        let leaf = ty.trim_end_matches("[]");
        if ty.ends_with("[][]") || matches!(leaf, "json" | "binary") || ty.starts_with("map<") {
            return Err(format!("query parameter `{name}` of type `{ty}`"));
        }
        let mut schema_with_doc = schema.clone();
        if let Some(d) = p.get("description") {
            schema_with_doc.set("description", d.clone());
        }
        if let Some(x) = p.get("example") {
            schema_with_doc.set("example", x.clone());
        }
        let f = field(name, &ty, location == "path" || p.is_true("required"), &schema_with_doc, types);
        // `in` right after the name, as people write it.
        let mut ordered = Y::map();
        for (k, v) in f.entries() {
            ordered.set(k, v.clone());
            if k == "name" {
                ordered.set("in", Y::str(location));
            }
        }
        out.push(ordered);
    }
    Ok(out)
}

/// `any_of` from `x-lark-scopes`; field scopes from `x-lark-field-scopes` where the metadata's
/// only condition is known: the employee-id scope is what `user_id_type=user_id` needs.
fn scopes(op: &Y, params: &[Y]) -> Option<Y> {
    let any_of: Vec<Y> = op.list("x-lark-scopes").iter().filter_map(Y::as_str).map(Y::str).collect();
    if any_of.is_empty() {
        return None;
    }
    let mut scopes = Y::map().with("any_of", Y::Seq(dedup(any_of)));
    let has_user_id_type = params.iter().any(|p| p.text("name") == "user_id_type" && p.text("in") == "query");
    let fields: Vec<Y> = op
        .list("x-lark-field-scopes")
        .iter()
        .filter_map(Y::as_str)
        .filter(|s| *s == "contact:user.employee_id:readonly" && has_user_id_type)
        .map(|s| Y::map().with("scope", Y::str(s)).with("when", Y::str("user_id_type=user_id")))
        .collect();
    if !fields.is_empty() {
        scopes.set("fields", Y::Seq(fields));
    }
    Some(scopes)
}

fn request(op: &Y, types: &mut Types<'_>, stem: &str) -> Result<Option<Y>, String> {
    let Some(body) = op.get("requestBody") else { return Ok(None) };
    let content = body.get("content").cloned().unwrap_or(Y::map());
    let (kind, schema) = if let Some(s) = content.get("application/json") {
        ("json", s.get("schema").cloned().unwrap_or(Y::map()))
    } else if let Some(s) = content.get("multipart/form-data") {
        ("multipart", s.get("schema").cloned().unwrap_or(Y::map()))
    } else {
        return Err("request body is neither JSON nor multipart".into());
    };
    let (resolved, _) = types.resolve(&schema);
    if resolved.get("properties").is_none_or(|p| p.entries().is_empty()) {
        // The metadata lists no fields: nothing to send.
        return Ok(None);
    }
    let ty = types.expr(&schema, &format!("{stem}Body"), stem)?;
    if ty.ends_with("[]") || !ty.chars().next().is_some_and(|c| c.is_ascii_uppercase()) {
        return Err(format!("request body of type `{ty}`"));
    }
    let mut r = Y::map().with("kind", Y::str(kind)).with("type", Y::str(ty));
    if !body.is_true("required") {
        r.set("required", Y::bool(false));
    }
    Ok(Some(r))
}

/// The response body and, for JSON, the name of its `data` type.
fn response(op: &Y, types: &mut Types<'_>, stem: &str) -> Result<(Y, Option<String>), String> {
    if op.is_true("x-lark-file-download") {
        return Ok((Y::map().with("kind", Y::str("binary")), None));
    }
    let schema = op
        .get("responses")
        .and_then(|r| r.get("200"))
        .and_then(|r| r.get("content"))
        .and_then(|c| c.get("application/json"))
        .and_then(|c| c.get("schema"))
        .cloned()
        .unwrap_or(Y::map());
    let (envelope, _) = types.resolve(&schema);
    let data = envelope.get("properties").and_then(|p| p.get("data")).cloned();
    let Some(data) = data else { return Ok((Y::map().with("kind", Y::str("empty")), None)) };
    let (resolved, _) = types.resolve(&data);
    if resolved.get("properties").is_none_or(|p| p.entries().is_empty()) {
        return Ok((Y::map().with("kind", Y::str("empty")), None));
    }
    let ty = types.expr(&data, &format!("{stem}Data"), stem)?;
    if !ty.chars().next().is_some_and(|c| c.is_ascii_uppercase()) || ty.contains(['[', '<']) {
        return Err(format!("response data of type `{ty}`"));
    }
    Ok((Y::map().with("kind", Y::str("json")).with("type", Y::str(&ty)), Some(ty)))
}

/// The list field of a paged answer, when the endpoint has what paging needs: a `page_token`
/// query parameter, and a `page_token` field and one list field in its data.
fn pagination_items(params: &[Y], data_ty: Option<&str>, types: &Types<'_>) -> Option<String> {
    params.iter().find(|p| p.text("name") == "page_token" && p.text("in") == "query" && p.text("type") == "string")?;
    let def = types.def(data_ty?)?;
    let fields = def.list("fields");
    fields.iter().find(|f| f.text("name") == "page_token" && f.text("type") == "string" && !f.is_true("required"))?;
    let lists: Vec<&Y> = fields.iter().filter(|f| f.text("type").ends_with("[]")).collect();
    match lists.as_slice() {
        [one] => Some(one.text("name").to_owned()),
        _ => lists.iter().find(|f| f.text("name") == "items").map(|f| f.text("name").to_owned()),
    }
}
