"""The API reference, docs/openapi.yaml: that it says what the code does
(the route table, the problem types, the field tables and their choices),
that the daemon serves it, and that the validator every other test runs
through (openapi.py, hooked into harness.Daemon.request and
check_problem) refuses what the spec does not say."""

import copy
import http.server
import json
import os
import re
import threading

import pytest

import harness
import openapi
from harness import TOP, describe

SPEC = openapi.spec()

# what API.md promises and this tree does not answer yet; marked
# x-leerkans-pending in the spec
PENDING_PROBLEMS = {name for name, row in
                    SPEC.components["x-problem-types"].items()
                    if row.get("x-leerkans-pending")}


def source(*parts):
    with open(os.path.join(TOP, *parts), encoding="utf-8") as f:
        return f.read()


def spec_operations(pending=True):
    """{(METHOD, path template)} of the spec."""
    ops = set()
    for template, item in SPEC.doc["paths"].items():
        if not pending and item.get("x-leerkans-pending"):
            continue
        for method in openapi.METHODS:
            if method in item:
                ops.add((method.upper(), template))
    return ops


def route_table():
    """{(METHOD, path template)} of daemon/handlers/routes.c, the
    console's routes left out (pages for people, docs/CONSOLE.md)."""
    text = source("daemon", "handlers", "routes.c")
    rows = re.findall(r'\{\s*EVHTTP_REQ_(\w+),\s*"([^"]+)",\s*\w+,\s*'
                      r'(\w+),\s*(\w+),\s*(\w+),', text)
    assert len(rows) > 30, rows
    ops = set()
    for method, pattern, _, _, face in rows:
        if face == "FACE_CONSOLE":
            continue
        template = re.sub(r":(\w+)", r"{\1}", pattern)
        ops.add((method, template))
    return ops


def c_choices(name):
    """The strings of `static const char *const NAME[] = {...}` in
    input/validate.c."""
    text = source("daemon", "input", "validate.c")
    m = re.search(r"\b%s\[\]\s*=\s*\{(.*?)\};" % name, text, re.S)
    assert m, name
    return re.findall(r'"([^"]*)"', m.group(1))


def c_fields(table):
    """{name: (type, flags, max)} of a field table of input/validate.c."""
    text = source("daemon", "input", "validate.c")
    m = re.search(r"\b%s\[\]\s*=\s*\{(.*?)\{\s*NULL" % table, text, re.S)
    assert m, table
    fields = {}
    for name, vtype, flags, vmax in re.findall(
            r'\{\s*("[^"]+"|VALIDATE_WHOLE_NAME),\s*(V_\w+),\s*([\w |]+),\s*(\d+)',
            m.group(1)):
        name = "name" if name == "VALIDATE_WHOLE_NAME" else name.strip('"')
        fields[name] = (vtype, flags, int(vmax))
    assert fields, table
    return fields


def schema(name):
    return SPEC.components["schemas"][name]


# -- the spec says what the code does ------------------------------------

def test_every_route_is_in_the_spec_and_no_other():
    routes = route_table()
    ops = spec_operations()
    assert routes - ops == set(), "routes.c has, the spec lacks: %s" % sorted(routes - ops)
    extra = spec_operations(pending=False) - routes
    assert extra == set(), ("the spec has, routes.c lacks (mark it "
                            "x-leerkans-pending if API.md promises it): %s"
                            % sorted(extra))


def test_pending_parts_are_marked_and_the_rest_is_not():
    pending_paths = {t for t, item in SPEC.doc["paths"].items()
                     if item.get("x-leerkans-pending")}
    assert pending_paths <= {"/api/v1/links"}, pending_paths
    assert PENDING_PROBLEMS <= {"registration-waitlisted"}, PENDING_PROBLEMS
    erasure = (SPEC.doc["paths"]["/api/v1/erasure"]["post"]["responses"]["200"]
               ["content"]["application/json"]["schema"])
    assert "seats_freed" in erasure["properties"]
    assert erasure["properties"]["seats_freed"].get("x-leerkans-pending") \
        or "seats_freed" in erasure["required"]


def test_the_problem_types_are_those_of_problems_c():
    text = source("daemon", "render", "problems.c")
    rows = dict((name, int(status)) for name, status in
                re.findall(r'\{\s*"([a-z0-9-]+)",\s*(\d{3}),', text))
    assert len(rows) >= 40, rows
    spec_types = SPEC.problem_types()
    for name in PENDING_PROBLEMS:
        if name not in rows:        # not in this tree yet
            spec_types.pop(name)
    assert spec_types == rows
    # the Problem schema's type pattern names the same
    pattern = schema("Problem")["properties"]["type"]["pattern"]
    m = re.fullmatch(r"/problems/\(([a-z0-9|-]+)\)\$", pattern)
    assert m, pattern
    assert set(m.group(1).split("|")) == set(SPEC.problem_types())


def test_every_type_the_sources_send_is_in_the_spec():
    from test_problems import types_in_the_sources
    known = SPEC.problem_types()
    for name, statuses in types_in_the_sources().items():
        assert name in known, name
        assert statuses == {known[name]}, (name, statuses, known[name])


def test_the_choices_are_those_of_validate_c():
    assert schema("Language")["enum"] == c_choices("languages")
    assert schema("EventStatus")["enum"] == c_choices("statuses")
    assert schema("Role")["enum"] == c_choices("roles")
    assert schema("OrganisationType")["enum"] == c_choices("organisation_types")


@pytest.mark.parametrize("table,create,patch", [
    ("event_fields", "EventCreate", "EventPatch"),
    ("session_fields", "SessionCreate", "SessionPatch"),
    ("registration_fields", "RegistrationCreate", None),
])
def test_the_body_fields_are_those_of_validate_c(table, create, patch):
    fields = c_fields(table)
    s = schema(create)
    props = s["properties"]
    assert set(props) == set(fields), (table, set(props) ^ set(fields))
    assert s["additionalProperties"] is False
    required = set(s.get("required", []))
    name_parts = set()
    for name, (vtype, flags, vmax) in fields.items():
        if "VF_NAME_PART" in flags:
            name_parts.add(name)
        elif "VF_REQUIRED" in flags:
            assert name in required, (table, name)
        else:
            assert name not in required, (table, name)
        p = SPEC.resolve(props[name])
        types = p.get("type")
        types = types if isinstance(types, list) else [types]
        if "VF_NULLABLE" in flags:
            assert "null" in types or "oneOf" in p or name == "venue", (table, name, p)
        elif types != [None]:
            assert "null" not in types, (table, name)
        if vtype in ("V_LINE", "V_TEXT") and vmax:
            assert p.get("maxLength") == vmax, (table, name, p)
        if vtype == "V_COUNT":
            assert p.get("maximum") == vmax and p.get("minimum") == 0, (table, name)
        if vtype == "V_SLUGS":
            assert p.get("maxItems") == vmax, (table, name)
    if name_parts:
        assert {"required": sorted(name_parts)} in \
            [{"required": sorted(a["required"])} for a in s["anyOf"]]
    if patch is not None:
        assert schema(patch)["properties"] == props
        assert "required" not in schema(patch)


def test_every_schema_is_json_schema_2020_12():
    """openapi.py builds a validator of every response schema (which
    checks it against the 2020-12 meta-schema)."""
    n = 0
    for item in SPEC.doc["paths"].values():
        for method in openapi.METHODS:
            for response in item.get(method, {}).get("responses", {}).values():
                for media in SPEC.resolve(response).get("content", {}).values():
                    if "schema" in media:
                        SPEC.validator(media["schema"])
                        n += 1
    for s in SPEC.components["schemas"].values():
        SPEC.validator(s)
    assert n > 30


# -- the validator can fail ------------------------------------------------

EVENT = {
    "slug": "netwerkdag", "kind": "network-event", "title": "Netwerkdag",
    "description": None, "language": "nl",
    "starts_at": "2027-03-18T14:00:00+01:00",
    "ends_at": "2027-03-18T17:00:00+01:00", "timezone": "Europe/Brussels",
    "venue": {"name": "Hangar K", "address": None, "postcode": "8500",
              "city": "Kortrijk"},
    "online_url": None, "price_text": None, "capacity": 10, "waitlist": True,
    "registration_opens_at": None, "registration_closes_at": None,
    "status": "published", "sequence": 0, "seats_left": 10,
    "waitlist_length": 0, "sessions": [],
    "created_at": "2026-12-01T10:00:00+01:00",
    "updated_at": "2026-12-01T10:00:00+01:00",
}

PROBLEM = {"type": "http://127.0.0.1:8080/problems/not-found",
           "title": "Not found", "status": 404}


def errors(method, path, status, media, body):
    return SPEC.answer_errors(method, path, status, media, body)


def test_the_validator_passes_what_the_spec_says():
    assert errors("GET", "/api/v1/events/netwerkdag", 200,
                  "application/json", EVENT) == []
    assert errors("GET", "/api/v1/events", 200, "application/json",
                  {"events": [EVENT]}) == []
    assert errors("GET", "/api/v1/events/nope", 404,
                  "application/problem+json", PROBLEM) == []
    # a path the spec does not have, a method it does not list: a problem
    assert errors("GET", "/api/v1/nothing", 404, "application/problem+json",
                  PROBLEM) == []
    assert errors("DELETE", "/api/v1/events", 405, "application/problem+json",
                  dict(PROBLEM, status=405, type="x/problems/method-not-allowed",
                       title="Method not allowed")) == []
    # what came after the spec was first written passes
    assert errors("POST", "/api/v1/links", 202, "application/json",
                  {"status": "accepted"}) == []
    assert errors("POST", "/api/v1/erasure", 200, "application/json",
                  {"erased": 2, "seats_freed": 1}) == []
    assert errors("POST", "/api/v1/registrations/7/check-in", 409,
                  "application/problem+json",
                  dict(PROBLEM, status=409, title="Registration waitlisted",
                       type="x/problems/registration-waitlisted")) == []


@pytest.mark.parametrize("why,method,path,status,media,body", [
    ("a field of the wrong type", "GET", "/api/v1/events/netwerkdag", 200,
     "application/json", dict(EVENT, capacity="10")),
    ("a field more than the spec", "GET", "/api/v1/events/netwerkdag", 200,
     "application/json", dict(EVENT, secret=1)),
    ("a field missing", "GET", "/api/v1/events/netwerkdag", 200,
     "application/json", {k: v for k, v in EVENT.items() if k != "sequence"}),
    ("a value not among the choices", "GET", "/api/v1/events/netwerkdag", 200,
     "application/json", dict(EVENT, status="postponed")),
    ("a venue part more", "GET", "/api/v1/events/netwerkdag", 200,
     "application/json", dict(EVENT, venue=dict(EVENT["venue"], room="K1"))),
    ("a status the operation does not list", "GET",
     "/api/v1/events/netwerkdag", 418, "application/problem+json", PROBLEM),
    ("a media type the response does not have", "GET",
     "/api/v1/events/netwerkdag", 200, "application/problem+json", EVENT),
    ("JSON where the spec has no path", "GET", "/api/v1/nothing", 200,
     "application/json", {}),
    ("JSON for a method the path does not take", "PUT",
     "/api/v1/events/netwerkdag", 200, "application/json", EVENT),
    ("a problem type nobody defined", "GET", "/api/v1/events/nope", 404,
     "application/problem+json", dict(PROBLEM, type="x/problems/gone")),
    ("an error still carrying its code", "POST", "/api/v1/events", 422,
     "application/problem+json",
     dict(PROBLEM, status=422, type="x/problems/validation-failed",
          errors=[{"field": "slug", "message": "taken", "code": "duplicate"}])),
    ("an erasure answer with a count that is no number", "POST",
     "/api/v1/erasure", 200, "application/json", {"erased": "2"}),
    ("a 304 with a body the spec does not give it", "GET",
     "/api/v1/events", 304, "application/json", {"events": []}),
    ("a problem type with another status than its own", "GET",
     "/api/v1/events/nope", 404, "application/problem+json",
     dict(PROBLEM, type="x/problems/event-full")),
])
def test_the_validator_refuses_what_the_spec_does_not_say(
        why, method, path, status, media, body):
    assert errors(method, path, status, media, body), why


def test_check_problem_refuses_a_problem_the_spec_does_not_describe():
    bad = dict(PROBLEM, instance="/x")
    with pytest.raises(AssertionError, match="openapi.yaml"):
        harness.check_problem(404, "application/problem+json", lambda: bad,
                              404, "a problem with a member more")
    assert harness.check_problem(404, "application/problem+json",
                                 lambda: PROBLEM, 404, "") == PROBLEM


class _WrongDaemon(http.server.BaseHTTPRequestHandler):
    """Answers /healthz with a document the spec does not allow."""

    def do_GET(self):
        body = b'{"status":"fine"}\n'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_daemon_request_checks_every_answer_against_the_spec(workdir):
    """The hook is in place: harness.Daemon.request fails an answer that
    disagrees with the spec, whoever sent it."""
    server = http.server.HTTPServer(("127.0.0.1", 0), _WrongDaemon)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        d = harness.Daemon(workdir, "not-leerkansd",
                           {"LEERKANS_LISTEN": "127.0.0.1:%d" % port})
        with pytest.raises(AssertionError, match="GET /healthz 200: status"):
            d.get("/healthz")
    finally:
        server.shutdown()
        server.server_close()


# -- the daemon serves it ----------------------------------------------------

def test_the_daemon_serves_the_spec_as_json(daemon):
    r = daemon.get("/api/v1/openapi.json")
    assert r.status_code == 200, describe(r)
    assert r.headers["Content-Type"] == "application/json"
    assert r.json() == SPEC.doc
    etag = r.headers["ETag"]
    assert re.fullmatch(r'"[0-9a-f]{16}"', etag), etag
    again = daemon.get("/api/v1/openapi.json", headers={"If-None-Match": etag})
    assert again.status_code == 304, describe(again)
    assert again.content == b""
    head = daemon.request("HEAD", "/api/v1/openapi.json")
    assert head.status_code == 200
    assert int(head.headers["Content-Length"]) == len(r.content)
    # no drafts or personal data in it: it is the same for everyone
    assert daemon.get("/api/v1/openapi.json", token="not-a-token").json() == SPEC.doc


def test_the_spec_refuses_query_parameters_as_the_daemon_does(daemon):
    r = daemon.get("/api/v1/openapi.json?pretty=1")
    p = harness.assert_problem(r, 422)
    assert harness.error_fields(p) == {"pretty"}


def test_a_copy_that_drifts_is_caught():
    """Drift in the other direction: a spec that forgot a field of the
    code's answer fails the code's answer."""
    doc = copy.deepcopy(SPEC.doc)
    del doc["components"]["schemas"]["Event"]["properties"]["price_text"]
    doc["components"]["schemas"]["Event"]["required"].remove("price_text")
    drifted = openapi.Spec(doc)
    assert drifted.answer_errors("GET", "/api/v1/events/netwerkdag", 200,
                                 "application/json", EVENT)
    assert SPEC.answer_errors("GET", "/api/v1/events/netwerkdag", 200,
                              "application/json", EVENT) == []
    assert json.loads(json.dumps(SPEC.doc)) == SPEC.doc
