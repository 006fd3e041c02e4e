#!/usr/bin/env python3
"""Check that synth-larkgen.py N and synth-openapi.py N describe the same API.

usage: check-twins.py [N ...]   (default: 1 4 13 100 1000)

Compares, endpoint by endpoint: method, path, every parameter (name, location, type,
required, default, bounds, description) and every request-body field, recursively through
named object types (name, type, required, bounds), and the response `data` type's fields.
Exits 1 and prints the first differences when they disagree.
"""
import importlib.util
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load(name):
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"), os.path.join(HERE, name + ".py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


OA = load("synth-openapi")
LG = load("synth-larkgen")

SCALARS = {("string", None): "string", ("boolean", None): "boolean", ("integer", "int32"): "i32",
           ("integer", "int64"): "i64", ("integer", None): "i64"}


# ------------------------------------------------------------ OpenAPI → normal form
def oa_resolve(doc, obj, section):
    while "$ref" in obj:
        name = obj["$ref"].rsplit("/", 1)[1]
        obj = doc["components"][section][name]
    return obj


def oa_type(doc, s, depth):
    if "$ref" in s:
        name = s["$ref"].rsplit("/", 1)[1]
        target = doc["components"]["schemas"][name]
        if "enum" in target:
            return ("enum", tuple(target["enum"]))
        return ("object", oa_object(doc, target, depth + 1) if depth < 4 else name)
    if s.get("type") == "array":
        return ("array", oa_type(doc, s["items"], depth))
    if "enum" in s:
        return ("enum", tuple(s["enum"]))
    return SCALARS[(s["type"], s.get("format"))]


def oa_rules(s):
    r = {}
    for a, b in [("maxLength", "max_length"), ("minLength", "min_length"), ("maxItems", "max_items"),
                 ("minimum", "min"), ("maximum", "max")]:
        if a in s:
            r[b] = s[a]
    return tuple(sorted(r.items()))


def oa_object(doc, s, depth=0):
    req = set(s.get("required", []))
    return tuple((k, oa_type(doc, v, depth), k in req, oa_rules(v)) for k, v in s["properties"].items())


def oa_endpoints(n):
    doc = OA.build(n)
    out = {}
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            params = []
            for p in op.get("parameters", []):
                p = oa_resolve(doc, p, "parameters")
                schema = p["schema"]
                default = schema.get("default")
                if "$ref" in schema:
                    default = oa_resolve(doc, schema, "schemas").get("default")
                params.append((p["name"], p["in"], oa_type(doc, schema, 0), p.get("required", False),
                               default, oa_rules(schema), p.get("description")))
            body = None
            if "requestBody" in op:
                rb = op["requestBody"]
                s = oa_resolve(doc, rb["content"]["application/json"]["schema"], "schemas")
                body = (rb.get("required", False), oa_object(doc, s))
            env = oa_resolve(doc, op["responses"]["200"]["content"]["application/json"]["schema"], "schemas")
            data = oa_object(doc, oa_resolve(doc, env["properties"]["data"], "schemas"))
            errors = tuple(sorted(k for k in op["responses"] if k != "200"))
            out[op["operationId"]] = (method.upper(), path, tuple(params), body, data, errors)
    return out


# ------------------------------------------------------------ larkgen → normal form
def lg_type(types, t, depth):
    if t.endswith("[]"):
        return ("array", lg_type(types, t[:-2], depth))
    if t in ("string", "boolean", "i32", "i64"):
        return t
    d = types[t]
    if "enum" in d:
        return ("enum", tuple(v["value"] for v in d["values"]))
    return ("object", lg_object(types, d, depth + 1) if depth < 4 else t)


def lg_rules(f):
    return tuple(sorted((k, f[k]) for k in ("max_length", "min_length", "max_items", "min", "max") if k in f))


def lg_object(types, d, depth=0):
    return tuple((f["name"], lg_type(types, f["type"], depth), f.get("required", False), lg_rules(f))
                 for f in d["fields"])


def lg_endpoints(n):
    doc = LG.build(n, "platform.yaml")
    types = {t["name"]: t for t in doc["types"]}
    http = {e["name"]: str(e["http"]) for e in doc["errors"]}
    out = {}
    for e in doc["endpoints"]:
        params = tuple((p["name"], p["in"], lg_type(types, p["type"], 0), p.get("required", False),
                        p.get("default"), lg_rules(p), p.get("description")) for p in e.get("params", []))
        body = None
        if "request" in e:
            body = (e["request"].get("required", True), lg_object(types, types[e["request"]["type"]]))
        data = lg_object(types, types[e["response"]["type"]])
        errors = tuple(sorted(http[x] for x in e["errors"]))
        out[e["name"].replace(".", "_")] = (e["method"], e["path"], params, body, data, errors)
    return out


def main(argv):
    ns = [int(a) for a in argv[1:]] or [1, 4, 13, 100, 1000]
    bad = 0
    for n in ns:
        a, b = oa_endpoints(n), lg_endpoints(n)
        if sorted(a) != sorted(b):
            print("N=%d: endpoint sets differ:\n  openapi %s\n  larkgen %s" % (n, list(a)[:8], list(b)[:8]))
            bad += 1
            continue
        for k in a:
            if a[k] != b[k]:
                bad += 1
                print("N=%d: %s differs" % (n, k))
                for label, x, y in zip(["method", "path", "params", "body", "data", "errors"], a[k], b[k]):
                    if x != y:
                        print("  %s:\n    openapi %r\n    larkgen %r" % (label, x, y))
                break
        else:
            print("N=%d: %d endpoints identical (method, path, params, body fields, data fields, errors)" % (n, len(a)))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
