//! Requests checked against the spec: which endpoint a method and path are (path templates
//! matched segment by segment), then its inputs: required query parameters and form fields
//! present, none the spec does not declare, and the JSON body decoded into the body type with
//! its documented constraints checked (the descriptor's `check_body`).

use percent_encoding::percent_decode_str;

use super::record::Body;
use crate::endpoint::{BodyKind, Endpoint, InputLocation};

/// The endpoint of `method` + `path` and the decoded values of its placeholders. Where several
/// templates match (`/entities/match` and `/entities/{entity_id}`), the one with the most
/// literal segments wins, as in Lark's router.
pub(crate) fn route(
    endpoints: &[&'static Endpoint],
    method: &str,
    path: &str,
) -> Option<(&'static Endpoint, Vec<(String, String)>)> {
    let segments: Vec<&str> = path.split('/').collect();
    let mut best: Option<(usize, &'static Endpoint, Vec<(String, String)>)> = None;
    for &e in endpoints.iter().filter(|e| e.method.as_str() == method) {
        let template: Vec<&str> = e.path.split('/').collect();
        if template.len() != segments.len() {
            continue;
        }
        let mut literal = 0;
        let mut params = Vec::new();
        let matched =
            template.iter().zip(&segments).all(|(t, s)| match t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                Some(name) if !s.is_empty() => {
                    params.push((name.to_owned(), percent_decode_str(s).decode_utf8_lossy().into_owned()));
                    true
                }
                Some(_) => false,
                None => {
                    literal += 1;
                    t == s
                }
            });
        if matched && best.as_ref().is_none_or(|(l, _, _)| literal > *l) {
            best = Some((literal, e, params));
        }
    }
    best.map(|(_, e, params)| (e, params))
}

/// What breaks the spec in a request's query and body, as `(field, problem)`.
pub(crate) fn inputs(
    endpoint: &Endpoint,
    query: &[(String, String)],
    body: &Body,
    raw: &[u8],
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let declared = |location| endpoint.inputs.iter().filter(move |i| i.location == location);
    for input in declared(InputLocation::Query).filter(|i| i.required) {
        if !query.iter().any(|(k, _)| k == input.name) {
            out.push((input.name.to_owned(), "required query parameter is missing".to_owned()));
        }
    }
    for (k, _) in query {
        if !declared(InputLocation::Query).any(|i| i.name == k) {
            out.push((k.clone(), "query parameter not in the spec".to_owned()));
        }
    }
    match (endpoint.request, body) {
        (BodyKind::None, Body::None) => {}
        (BodyKind::None, _) => out.push(("body".into(), "the endpoint takes no body".into())),
        (BodyKind::Json, Body::Json(_)) => {
            if let Some(check) = endpoint.check_body {
                out.extend(check(raw).iter().map(|v| (v.field.clone(), format!("breaks {}: {}", v.rule, v.problem))));
            }
        }
        (BodyKind::Json, _) => out.push(("body".into(), "expected a JSON body (`application/json`)".into())),
        (BodyKind::Multipart, Body::Multipart(parts)) => {
            for input in declared(InputLocation::Form).filter(|i| i.required) {
                if !parts.iter().any(|p| p.name == input.name) {
                    out.push((input.name.to_owned(), "required form field is missing".to_owned()));
                }
            }
            for p in parts {
                if !declared(InputLocation::Form).any(|i| i.name == p.name) {
                    out.push((p.name.clone(), "form field not in the spec".to_owned()));
                }
            }
        }
        (BodyKind::Multipart, _) => out.push(("body".into(), "expected a `multipart/form-data` body".into())),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::{Input, Limits, Method, ResponseKind};

    const INPUTS: &[Input] = &[Input::path("id"), Input::query("size", true)];

    const fn endpoint(name: &'static str, method: Method, path: &'static str) -> Endpoint {
        Endpoint {
            service: "test.v1",
            name,
            summary: "",
            doc_url: "",
            method,
            path,
            token_kinds: &[],
            app_types: &[],
            scopes: &[],
            field_scopes: &[],
            limits: Limits { per_second: None, per_minute: None },
            errors: &[],
            request: BodyKind::None,
            response: ResponseKind::Json,
            idempotent: true,
            paginated: false,
            inputs: INPUTS,
            check_body: None,
            example: "{}",
        }
    }

    static GET: Endpoint = endpoint("item.get", Method::Get, "/open-apis/test/v1/items/{id}");
    static MATCH: Endpoint = endpoint("item.match", Method::Get, "/open-apis/test/v1/items/match");

    #[test]
    fn literal_segments_win_and_placeholders_are_decoded() {
        let all = [&GET, &MATCH];
        let (e, _) = route(&all, "GET", "/open-apis/test/v1/items/match").expect("routed");
        assert_eq!(e.name, "item.match");
        let (e, params) = route(&all, "GET", "/open-apis/test/v1/items/a%2Fb").expect("routed");
        assert_eq!((e.name, params), ("item.get", vec![("id".to_owned(), "a/b".to_owned())]));
        assert!(route(&all, "POST", "/open-apis/test/v1/items/x").is_none(), "wrong method");
        assert!(route(&all, "GET", "/open-apis/test/v1/items/").is_none(), "empty segment");
        assert!(route(&all, "GET", "/open-apis/test/v1/items/x/y").is_none(), "extra segment");
    }

    #[test]
    fn missing_and_undeclared_inputs_are_named() {
        let query = vec![("sise".to_owned(), "1".to_owned())];
        let problems = inputs(&GET, &query, &Body::Json(serde_json::json!({})), b"{}");
        let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["size", "sise", "body"]);
    }
}
