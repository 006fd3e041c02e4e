//! Requests checked against the spec: which endpoint a method and path are (path templates
//! matched segment by segment), then its inputs: required query parameters, headers and form
//! fields present, no query parameter or form field the spec does not declare, declared
//! values within their documented constraints, and a JSON body an object with the required
//! top-level fields and no undeclared one. (Deeper constraints of a body are the client's own
//! checks before sending; the descriptors carry no per-type code for them.)

use percent_encoding::percent_decode_str;

use super::record::Body;
use crate::endpoint::{BodyKind, Endpoint, Input, InputLocation};
use crate::validate::Violations;

/// An endpoint and the decoded values of its path placeholders, in path order.
pub(crate) type Routed = (&'static Endpoint, Vec<(String, String)>);

/// The endpoint of `method` + `path` and the decoded values of its placeholders. Where several
/// templates match (`/entities/match` and `/entities/{entity_id}`), the one with the most
/// literal segments wins, as in Lark's router.
pub(crate) fn route(endpoints: &[&'static Endpoint], method: &str, path: &str) -> Option<Routed> {
    let segments: Vec<&str> = path.split('/').collect();
    // With the number of literal segments it matched.
    let mut best: Option<(usize, Routed)> = None;
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
        if matched && best.as_ref().is_none_or(|(l, _)| literal > *l) {
            best = Some((literal, (e, params)));
        }
    }
    best.map(|(_, routed)| routed)
}

/// What breaks the spec in a request's query, declared headers and body, as `(field, problem)`.
/// Other headers are not checked: every client sends some of its own.
pub(crate) fn inputs(
    endpoint: &Endpoint,
    query: &[(String, String)],
    headers: &[(String, String)],
    body: &Body,
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let declared = |location| endpoint.inputs.iter().filter(move |i| i.location == location);
    for input in declared(InputLocation::Query).filter(|i| i.required) {
        if !query.iter().any(|(k, _)| k == input.name) {
            out.push((input.name.to_owned(), "required query parameter is missing".to_owned()));
        }
    }
    let mut broken = Violations::new();
    for (k, v) in query {
        match declared(InputLocation::Query).find(|i| i.name == k) {
            Some(input) => constraints(input, v, &mut broken),
            None => out.push((k.clone(), "query parameter not in the spec".to_owned())),
        }
    }
    for input in declared(InputLocation::Header) {
        match headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(input.name)) {
            Some((_, v)) => constraints(input, v, &mut broken),
            None if input.required => out.push((input.name.to_owned(), "required header is missing".to_owned())),
            None => {}
        }
    }
    out.extend(broken.iter().map(|v| (v.field.clone(), format!("breaks {}: {}", v.rule, v.problem))));
    match (endpoint.request, body) {
        (BodyKind::None, Body::None) => {}
        (BodyKind::None, _) => out.push(("body".into(), "the endpoint takes no body".into())),
        (BodyKind::Json, Body::Json(serde_json::Value::Object(fields))) => {
            for input in declared(InputLocation::Body).filter(|i| i.required) {
                if !fields.contains_key(input.name) {
                    out.push((format!("body.{}", input.name), "required field is missing".to_owned()));
                }
            }
            for name in fields.keys() {
                if !declared(InputLocation::Body).any(|i| i.name == name) {
                    out.push((format!("body.{name}"), "field not in the spec".to_owned()));
                }
            }
        }
        (BodyKind::Json, Body::Json(_)) => out.push(("body".into(), "expected a JSON object".into())),
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

/// The documented constraints of a query or header parameter, checked with the client's own checks.
fn constraints(input: &Input, value: &str, out: &mut Violations) {
    let size = |n: Option<u64>| n.map(|n| usize::try_from(n).unwrap_or(usize::MAX));
    out.length("", input.name, Some(value), size(input.min_length), size(input.max_length));
    if !input.forbidden_chars.is_empty() {
        out.forbidden_chars("", input.name, Some(value), input.forbidden_chars);
    }
    if input.min.is_some() || input.max.is_some() {
        match value.trim().parse::<f64>() {
            Ok(n) => out.range("", input.name, Some(n), input.min.map(|m| m as f64), input.max.map(|m| m as f64)),
            Err(_) => out.push(input.name.to_owned(), "a number", format!("{value:?} is not a number")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::{Limits, Method, ResponseKind};

    const INPUTS: &[Input] = &[
        Input::path("id"),
        Input::query("size", true).range(Some(1), Some(50)),
        Input::query("q", false).length(Some(2), Some(4)).forbidden_chars("-"),
        Input::header("X-Request-Id", true).length(Some(1), Some(8)),
        Input::header("Range", false),
    ];

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
        let problems = inputs(&GET, &query, &[], &Body::Json(serde_json::json!({})));
        let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["size", "sise", "X-Request-Id", "body"]);
    }

    #[test]
    fn query_values_are_checked_against_their_constraints() {
        let query = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
        let id = query(&[("x-request-id", "r1")]);
        let problems = |q: &[(&str, &str)]| -> Vec<String> {
            inputs(&GET, &query(q), &id, &Body::None).into_iter().map(|(f, p)| format!("{f} {p}")).collect()
        };
        assert!(problems(&[("size", "50"), ("q", "ab")]).is_empty());
        assert_eq!(problems(&[("size", "0")]), ["size breaks min = 1: is 0"]);
        assert_eq!(problems(&[("size", "many")]), ["size breaks a number: \"many\" is not a number"]);
        assert_eq!(
            problems(&[("size", "5"), ("q", "a-bcd")]),
            ["q breaks max_length = 4: has 5 characters", "q breaks forbidden_chars = \"-\": contains '-'"]
        );
    }

    #[test]
    fn declared_headers_are_checked_whatever_their_case_and_others_are_not() {
        let pairs = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
        };
        let size = pairs(&[("size", "5")]);
        let problems = |h: &[(&str, &str)]| -> Vec<String> {
            inputs(&GET, &size, &pairs(h), &Body::None).into_iter().map(|(f, p)| format!("{f} {p}")).collect()
        };
        assert!(problems(&[("x-request-id", "r1"), ("range", "bytes=0-1"), ("user-agent", "any")]).is_empty());
        assert_eq!(problems(&[("range", "bytes=0-1")]), ["X-Request-Id required header is missing"]);
        assert_eq!(
            problems(&[("X-REQUEST-ID", "123456789")]),
            ["X-Request-Id breaks max_length = 8: has 9 characters"]
        );
    }
}
