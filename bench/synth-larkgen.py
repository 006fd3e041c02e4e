#!/usr/bin/env python3
"""Write a synthetic larkgen service spec with N endpoints: the larkgen twin of synth-openapi.py N.

usage: synth-larkgen.py N [-o FILE] [--platform PATH]

Deterministic (no randomness): the same N always gives the same bytes.
Python standard library only.

The service file describes exactly the endpoints, parameters and body fields of
`synth-openapi.py N`, so larkgen and progenitor do the same work:

  - endpoints in groups of five per resource ("res0001", ...), in the order list, get,
    create, update, search; a last partial group takes the first N % 5 kinds;
  - the same methods, paths, path/query parameters (names, types, defaults, bounds,
    descriptions) and JSON body fields (names, types, required, bounds);
  - the same per-resource types: item, status enum, tag, owner, settings, create/update/search
    bodies and the `data` payloads (ListData, Data), plus the shared UserIdType enum.

What is the same thing written differently:
  - OpenAPI spells out the `{code, msg, data}` envelope per resource (ListResponse,
    Response) and an ErrorResponse/ErrorInfo schema; in larkgen the envelope belongs to
    the platform (bench/inputs/platform.yaml) and `response.type` names the `data` type.
  - OpenAPI's three shared error responses (400, 429, 500) are three rows of the service
    error table (BadRequest, TooManyRequests, InternalError) that every endpoint lists.
  - larkgen requires a `doc` link and `tokens`; they get fixed values. No `limits`,
    `scopes` or `pagination` are declared (OpenAPI has no equivalent), so larkgen does
    not generate rate-limit metadata or auto-paging streams for the synthetic API.
"""
import json
import os
import re
import sys

KINDS = ["list", "get", "create", "update", "search"]

PAGE_SIZE = {"name": "page_size", "in": "query", "type": "i32", "default": 20, "min": 1,
             "description": "Items per page"}
PAGE_TOKEN = {"name": "page_token", "in": "query", "type": "string",
              "description": "Token of the next page"}
USER_ID_TYPE = {"name": "user_id_type", "in": "query", "type": "UserIdType", "default": "open_id",
                "description": "Id format of user ids"}
ITEM_ID = {"name": "item_id", "in": "path", "type": "string", "required": True,
           "description": "Item id"}
ERRORS = ["BadRequest", "TooManyRequests", "InternalError"]


def q(name, ty, desc):
    return {"name": name, "in": "query", "type": ty, "description": desc}


def f(name, ty, required=False, description=None, **rules):
    d = {"name": name, "type": ty}
    if required:
        d["required"] = True
    if description:
        d["description"] = description
    d.update(rules)
    return d


def body_fields(p, with_name_required):
    """Ten request-body fields, three of them nested (tags[], owner{}, settings{})."""
    req = with_name_required
    return [
        f("name", "string", req, max_length=100),
        f("description", "string", max_length=5000),
        f("status", p + "Status"),
        f("priority", "i32", min=0, max=10),
        f("tags", p + "Tag[]", max_items=20),
        f("owner", p + "Owner", req),
        f("settings", p + "Settings"),
        f("labels", "string[]"),
        f("parent_id", "string"),
        f("external_url", "string"),
    ]


def group_types(p, kinds):
    t = [
        {"name": p + "Status", "enum": "string",
         "values": [{"value": v} for v in ["draft", "active", "archived", "deleted"]]},
        {"name": p + "Tag", "fields": [f("key", "string", True), f("value", "string")]},
        {"name": p + "Owner", "fields": [f("id", "string", True), f("display_name", "string"),
                                        f("email", "string")]},
        {"name": p + "Settings", "fields": [f("visible", "boolean", True), f("notify", "boolean"),
                                           f("ttl_seconds", "i64")]},
    ]
    item = body_fields(p, False)
    item[0]["required"] = True  # OpenAPI: required [id, name]
    item += [
        f("id", "string", True),
        f("create_time", "string", description="Unix seconds as a string"),
        f("update_time", "string", description="Unix seconds as a string"),
    ]
    t.append({"name": p, "fields": item})
    if "list" in kinds or "search" in kinds:
        t.append({"name": p + "ListData", "fields": [
            f("items", p + "[]"), f("page_token", "string"), f("has_more", "boolean")]})
    if kinds & {"get", "create", "update"}:
        t.append({"name": p + "Data", "fields": [f("item", p)]})
    if "create" in kinds:
        t.append({"name": p + "CreateBody", "fields": body_fields(p, True)})
    if "update" in kinds:
        t.append({"name": p + "UpdateBody", "fields": body_fields(p, False)})
    if "search" in kinds:
        t.append({"name": p + "SearchBody", "fields": [
            f("query", "string", max_length=100),
            f("statuses", p + "Status[]"),
            f("owners", "string[]"),
            f("labels", "string[]"),
            f("created_after", "string"),
            f("created_before", "string")]})
    return t


def endpoint(kind, g, p):
    tag = "res%04d" % g
    base = "/open-apis/synth/v1/%s/items" % tag
    e = {"name": "%s.%s" % (tag, kind)}

    def common(summary, method, path):
        e.update({"summary": summary,
                  "doc": "https://open.example.invalid/document/synth-v1/%s/%s" % (tag, kind),
                  "method": method, "path": path, "tokens": ["tenant", "user"]})

    if kind == "list":
        common("List %s items" % tag, "GET", base)
        e["params"] = [PAGE_SIZE, PAGE_TOKEN, USER_ID_TYPE,
                       q("status", p + "Status", "Only items in this status"),
                       q("include_deleted", "boolean", "Also list deleted items")]
        e["response"] = {"kind": "json", "type": p + "ListData"}
    elif kind == "get":
        common("Get one %s item" % tag, "GET", base + "/{item_id}")
        e["params"] = [ITEM_ID, USER_ID_TYPE,
                       q("fields", "string", "Comma-separated field mask"),
                       q("locale", "string", "Language of localized fields")]
        e["response"] = {"kind": "json", "type": p + "Data"}
    elif kind == "create":
        common("Create a %s item" % tag, "POST", base)
        e["params"] = [USER_ID_TYPE]
        e["request"] = {"kind": "json", "type": p + "CreateBody"}
        e["response"] = {"kind": "json", "type": p + "Data"}
    elif kind == "update":
        common("Update a %s item" % tag, "PUT", base + "/{item_id}")
        e["params"] = [ITEM_ID, USER_ID_TYPE]
        e["request"] = {"kind": "json", "type": p + "UpdateBody"}
        e["response"] = {"kind": "json", "type": p + "Data"}
    elif kind == "search":
        common("Search %s items" % tag, "POST", base + "/search")
        e["params"] = [PAGE_SIZE, PAGE_TOKEN, USER_ID_TYPE]
        e["request"] = {"kind": "json", "type": p + "SearchBody"}
        e["response"] = {"kind": "json", "type": p + "ListData"}
    else:
        raise ValueError(kind)
    e["errors"] = ERRORS
    return e


def build(n, platform):
    types, endpoints = [], []
    groups = (n + len(KINDS) - 1) // len(KINDS)
    for g in range(1, groups + 1):
        first = (g - 1) * len(KINDS)
        kinds = KINDS[: min(len(KINDS), n - first)]
        p = "Res%04d" % g
        for kind in kinds:
            endpoints.append(endpoint(kind, g, p))
        types += group_types(p, set(kinds))
    types.append({"name": "UserIdType", "enum": "string",
                  "values": [{"value": v} for v in ["open_id", "union_id", "user_id"]]})
    return {
        "service": {"name": "synth", "version": "v1",
                    "title": "Synthetic Lark-style API (%d endpoints)" % n,
                    "platform": platform},
        "errors": [
            {"name": "BadRequest", "code": 9400, "http": 400, "message": "bad request",
             "hint": "Error envelope", "retryable": False},
            {"name": "TooManyRequests", "code": 9429, "http": 429, "message": "too many requests",
             "hint": "Error envelope", "retryable": True},
            {"name": "InternalError", "code": 9500, "http": 500, "message": "internal error",
             "hint": "Error envelope", "retryable": True},
        ],
        "types": types,
        "endpoints": endpoints,
    }


# ---------------------------------------------------------------- YAML emitter
# (the same block-style emitter as synth-openapi.py)
PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"}


def key(k):
    k = str(k)
    if PLAIN_KEY.match(k) and k.lower() not in RESERVED:
        return k
    return json.dumps(k, ensure_ascii=False)


def scalar(v):
    if v is True:
        return "true"
    if v is False:
        return "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return json.dumps(v)
    return json.dumps(v, ensure_ascii=False)


def emit(obj, indent, out):
    pad = " " * indent
    if isinstance(obj, dict):
        for k, v in obj.items():
            if isinstance(v, (dict, list)) and v:
                out.append("%s%s:" % (pad, key(k)))
                emit(v, indent + 2, out)
            elif isinstance(v, dict):
                out.append("%s%s: {}" % (pad, key(k)))
            elif isinstance(v, list):
                out.append("%s%s: []" % (pad, key(k)))
            else:
                out.append("%s%s: %s" % (pad, key(k), scalar(v)))
    else:
        for v in obj:
            if isinstance(v, (dict, list)) and v:
                start = len(out)
                emit(v, indent + 2, out)
                out[start] = pad + "- " + out[start][indent + 2:]
            elif isinstance(v, dict):
                out.append(pad + "- {}")
            elif isinstance(v, list):
                out.append(pad + "- []")
            else:
                out.append(pad + "- " + scalar(v))


def main(argv):
    args = list(argv[1:])
    outfile, platform = None, None
    if "-o" in args:
        i = args.index("-o")
        outfile = args[i + 1]
        del args[i:i + 2]
    if "--platform" in args:
        i = args.index("--platform")
        platform = args[i + 1]
        del args[i:i + 2]
    if len(args) != 1 or not args[0].isdigit() or int(args[0]) < 1:
        sys.stderr.write(__doc__)
        return 2
    # The platform path is relative to the service file; default: the copy in bench/inputs.
    here = os.path.dirname(os.path.abspath(__file__))
    target = platform or os.path.join(here, "inputs", "platform.yaml")
    out_dir = os.path.dirname(os.path.abspath(outfile)) if outfile else os.getcwd()
    rel = os.path.relpath(os.path.abspath(target), out_dir).replace(os.sep, "/")
    doc = build(int(args[0]), rel)
    lines = ["# Synthetic larkgen spec written by bench/synth-larkgen.py %s; twin of synth-openapi.py %s."
             % (args[0], args[0])]
    emit(doc, 0, lines)
    text = "\n".join(lines) + "\n"
    if outfile:
        with open(outfile, "w", encoding="utf-8") as fh:
            fh.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
