"""The API reference, docs/openapi.yaml, held against what the daemon answers.

Every JSON answer that comes through harness.Daemon.request, and every
problem document harness.check_problem sees (the raw sockets' too), is
checked here, so the reference cannot drift from the code:

- the answer's method and path are matched to the spec's path templates
  (a literal segment before a parameter: /feeds/events.ics before
  /feeds/{kind}.ics), its status to that operation's responses, its media
  type to that response's content, and the body is validated against the
  schema there (JSON Schema 2020-12, python3-jsonschema);
- an answer whose route, method, status or media type the spec lacks
  fails, except the refusals any path can get: a problem document on a
  path the spec does not have, or for a method it does not list (404,
  405, and what the HTTP layer refuses before routing), is validated
  against the Problem schema alone.

Only answers that arrive are checked: what the spec marks
x-leerkans-pending (API.md's promises this tree does not keep yet) fails
nothing by being absent.  Bodies not JSON (pages, feeds, exports), HEAD
and 304 are not checked.
"""

import json
import os
import re
from urllib.parse import urlsplit

try:
    import jsonschema
    import yaml
except ImportError as exc:  # pragma: no cover
    raise ImportError("the integration tests validate answers against "
                      "docs/openapi.yaml with python3-jsonschema and "
                      "python3-yaml (contrib/dev.sh installs them): %s" % exc)

HERE = os.path.dirname(os.path.abspath(__file__))
SPEC_PATH = os.path.normpath(os.path.join(HERE, "..", "..", "docs", "openapi.yaml"))

JSON_TYPES = ("application/json", "application/problem+json")
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class Spec:
    """One OpenAPI document, ready to check answers against."""

    def __init__(self, doc):
        self.doc = doc
        self.components = doc.get("components", {})
        self._validators = {}
        self.templates = []
        for template, item in doc.get("paths", {}).items():
            literal = 0
            pattern = ""
            for part in re.split(r"(\{[^}/]+\})", template):
                if part.startswith("{") and part.endswith("}"):
                    pattern += "[^/]+"
                else:
                    pattern += re.escape(part)
                    literal += len(part)
            nparams = template.count("{")
            self.templates.append((nparams, -literal, template,
                                   re.compile(pattern + r"\Z"), item))
        # the most literal template first, as the route table's order
        # puts /feeds/events.ics before /feeds/{kind}.ics
        self.templates.sort(key=lambda t: (t[0], t[1], t[2]))

    @classmethod
    def load(cls, path=SPEC_PATH):
        with open(path, encoding="utf-8") as f:
            return cls(yaml.safe_load(f))

    # -- lookups ------------------------------------------------------------
    def resolve(self, obj):
        """obj, or what its $ref into this document names."""
        while isinstance(obj, dict) and "$ref" in obj and len(obj) == 1:
            ref = obj["$ref"]
            assert ref.startswith("#/"), ref
            node = self.doc
            for part in ref[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            obj = node
        return obj

    def match(self, path):
        """(template, path item) of a request path, or (None, None)."""
        for _, _, template, rx, item in self.templates:
            if rx.match(path):
                return template, item
        return None, None

    def problem_types(self):
        """{name: status} of components.x-problem-types."""
        return {name: row["status"]
                for name, row in self.components.get("x-problem-types", {}).items()}

    # -- validation ---------------------------------------------------------
    def validator(self, schema):
        """A 2020-12 validator of schema whose #/components/... $refs
        resolve in this document."""
        key = id(schema)
        if key not in self._validators:
            root = dict(schema) if isinstance(schema, dict) else {"allOf": [schema]}
            # the refs are "#/components/...": give the root the components
            # (an unknown keyword to JSON Schema, so it changes nothing else)
            root["components"] = self.components
            cls = jsonschema.Draft202012Validator
            cls.check_schema(root)
            # the schema is kept beside it, so that its id stays its own
            self._validators[key] = (cls(root), schema)
        return self._validators[key][0]

    def errors(self, schema, body):
        """Every way body breaks schema, as short sentences."""
        v = self.validator(schema)
        out = []
        for e in sorted(v.iter_errors(body), key=lambda e: list(e.path)):
            where = "/".join(str(p) for p in e.path) or "(the document)"
            out.append("%s: %s" % (where, e.message[:300]))
        return out

    def problem_errors(self, body):
        """How body breaks the Problem schema, and whether its status is
        its type's (components.x-problem-types)."""
        out = self.errors(self.components["schemas"]["Problem"], body)
        if not out:
            name = body["type"].rsplit("/", 1)[-1]
            want = self.problem_types().get(name)
            if want != body["status"]:
                out.append("type %s comes with status %s, not %s"
                           % (name, want, body["status"]))
        return out

    def answer_errors(self, method, path, status, media, body):
        """Why an answer (its body already parsed JSON) does not agree
        with the spec: a list of sentences, empty when it does."""
        method = method.lower()
        template, item = self.match(path)
        op = item.get(method) if item is not None else None
        if op is None and method == "head" and item is not None:
            op = item.get("get")
        if op is None:
            # refused before any handler: an unknown path, a method the
            # path does not take, what the HTTP layer could not read
            if media == "application/problem+json" and status >= 400:
                return self.problem_errors(body)
            if template is None:
                return ["the spec has no path for %s (a %d %s answer came)"
                        % (path, status, media)]
            return ["the spec's %s has no %s (a %d %s answer came)"
                    % (template, method.upper(), status, media)]
        responses = op.get("responses", {})
        response = responses.get(str(status))
        if response is None:
            response = responses.get("%dXX" % (status // 100))
        if response is None:
            return ["%s %s: the spec lists no %d (it lists %s)"
                    % (method.upper(), template, status,
                       ", ".join(sorted(responses)))]
        response = self.resolve(response)
        content = response.get("content", {})
        if media not in content:
            return ["%s %s %d: the spec's content is %s, the answer's %s"
                    % (method.upper(), template, status,
                       ", ".join(sorted(content)) or "none", media)]
        schema = content[media].get("schema")
        out = self.errors(schema, body) if schema is not None else []
        if media == "application/problem+json" and not out:
            out = self.problem_errors(body)
        return ["%s %s %d: %s" % (method.upper(), template, status, e)
                for e in out]


_spec = None


def spec():
    """The tree's docs/openapi.yaml, read once."""
    global _spec
    if _spec is None:
        _spec = Spec.load()
    return _spec


def media_type(content_type):
    return (content_type or "").split(";")[0].strip().lower()


def check_response(resp):
    """resp (requests) agrees with docs/openapi.yaml, if it is a JSON
    answer; AssertionError saying how it does not."""
    media = media_type(resp.headers.get("Content-Type"))
    if (resp.request.method == "HEAD" or resp.status_code == 304
            or media not in JSON_TYPES):
        return
    body = json.loads(resp.content.decode("utf-8"))
    path = urlsplit(resp.request.url).path
    why = spec().answer_errors(resp.request.method, path, resp.status_code,
                               media, body)
    assert not why, ("the answer disagrees with docs/openapi.yaml:\n  %s\n"
                     "%s %s -> %d\n%s" % ("\n  ".join(why[:10]),
                                          resp.request.method, resp.request.url,
                                          resp.status_code, resp.text[:2000]))


def check_problem(body):
    """body (parsed) is a problem document as docs/openapi.yaml's Problem
    says: a known type, title, status, errors of {field, message} only."""
    why = spec().problem_errors(body)
    assert not why, ("the problem document disagrees with docs/openapi.yaml's"
                     " Problem:\n  %s\n%s" % ("\n  ".join(why), json.dumps(body)[:2000]))
