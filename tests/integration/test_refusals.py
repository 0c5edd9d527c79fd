"""Refusals are codes, not phrases: every field error the SQL functions
raise (lk_field_error) carries a code from input/validate.h, the web
pages word it by that code, and the API answers each as {field, message}
only (API.md section 1), whatever its source."""

import os
import re

import requests

import harness
from harness import TOP, at, describe, event_body, session_body, unique
from webpage import Page

FUNCTIONS = os.path.join(TOP, "migrations", "functions")
BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


# -- the SQL ------------------------------------------------------------------

def sql_code(text):
    """text without its comments; string literals kept."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith("--", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text[i] == "'":
            j = i + 1
            while j < n and not (text[j] == "'" and text[j + 1:j + 2] != "'"):
                j += 2 if text[j] == "'" else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def call_arguments(text, at_paren):
    """The top-level arguments of the call whose '(' is at at_paren."""
    args, depth, start, i = [], 0, at_paren + 1, at_paren
    while True:
        c = text[i]
        if c == "'":
            i = text.index("'", i + 1)
            while text[i + 1:i + 2] == "'":
                i = text.index("'", i + 2)
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                args.append(text[start:i].strip())
                return args
        elif c == "," and depth == 1:
            args.append(text[start:i].strip())
            start = i + 1
        i += 1


def validate_codes():
    with open(os.path.join(TOP, "daemon", "input", "validate.h")) as f:
        return set(re.findall(r'#define\s+VE_\w+\s+"([^"]+)"', f.read()))


def test_every_field_error_of_the_sql_has_a_known_code():
    codes = validate_codes()
    assert {"unknown", "overlap", "duplicate", "invalid"} <= codes, codes
    calls = 0
    for name in sorted(os.listdir(FUNCTIONS)):
        with open(os.path.join(FUNCTIONS, name)) as f:
            text = sql_code(f.read())
        for m in re.finditer(r"(?i)(FUNCTION\s+)?\blk_field_error\s*\(", text):
            if m.group(1):
                continue        # its definition
            calls += 1
            args = call_arguments(text, m.end() - 1)
            where = "%s: lk_field_error(%s)" % (name, ", ".join(args))
            assert len(args) == 3, where
            assert re.fullmatch(r"'[a-z-]+'", args[2]), where
            assert args[2].strip("'") in codes, where
    assert calls >= 15, calls


# -- the API: {field, message}, codes stripped ---------------------------------

def assert_fields(resp, status, field):
    problem = harness.assert_problem(resp, status)
    assert [e.get("field") for e in problem.get("errors", [])] == [field], \
        describe(resp)
    for e in problem["errors"]:
        assert set(e) == {"field", "message"}, e
        assert isinstance(e["message"], str) and e["message"], e


def person(**fields):
    body = {"name": "An Peeters", "email": unique("p") + "@example.be",
            "role": "employer", "organisation_type": "sme",
            "consent": {"privacy": True}}
    body.update(fields)
    return body


def test_the_api_answers_field_and_message_for_refusals_of_the_sql(
        daemon, token, new_event):
    api = "/api/v1/events"
    ev = new_event(capacity=5)
    slug = ev["slug"]
    assert_fields(daemon.post(api, token=token,
                              json=event_body(kind="no-such-kind")), 422, "kind")
    assert_fields(daemon.post(api, token=token, json=event_body(slug=slug)),
                  409, "slug")
    assert_fields(daemon.post("%s/%s/sessions" % (api, slug), token=token,
                              json=session_body(starts_at=at(3, 18, 13))),
                  422, "starts_at")
    for s in ("a", "b"):
        r = daemon.post("%s/%s/sessions" % (api, slug), token=token,
                        json=session_body(slug=s))
        assert r.status_code == 201, describe(r)

    reg = "%s/%s/registrations" % (api, slug)
    assert_fields(daemon.post(reg, json=person(sessions=["a", "b"])), 422,
                  "sessions")
    assert_fields(daemon.post(reg, json=person(sessions=["ghost"])), 422,
                  "sessions")
    key, body = unique("k"), person()
    for _ in range(2):
        r = daemon.post(reg, json=body, headers={"Idempotency-Key": key})
        assert r.status_code == 201, describe(r)
    assert_fields(daemon.post(reg, json=body), 409, "email")
    assert_fields(daemon.post(reg, json=person(),
                              headers={"Idempotency-Key": key}),
                  422, "Idempotency-Key")

    assert_fields(daemon.patch("%s/%s" % (api, slug), token=token,
                               json={"capacity": 0}), 409, "capacity")
    assert_fields(daemon.get("%s/%s/attendees?session=ghost" % (api, slug),
                             token=token), 422, "session")


# -- the pages: worded by code ---------------------------------------------------

def send_form(daemon, session, slug, fields, page=None):
    """Posts the event's form (the one on page, or a fresh one)."""
    if page is None:
        r = session.get(daemon.url + "/events/" + slug, timeout=10)
        assert r.status_code == 200, describe(r)
        page = Page(r.text)
    form = page.form("/events/%s/register" % slug)
    data = [("csrf", page.hidden(form, "csrf")),
            ("idempotency_key", page.hidden(form, "idempotency_key")),
            ("homepage", "")] + fields
    return page, session.post(daemon.url + form.attrs["action"], data=data,
                              allow_redirects=False, timeout=10)


def form_fields(**over):
    f = {"name": "An Peeters", "email": unique("web") + "@example.be",
         "role": "employer", "organisation_type": "sme", "language": "nl",
         "consent_privacy": "on"}
    f.update(over)
    return list(f.items())


def test_pages_word_what_the_sql_refuses_by_its_code(daemon, token, new_event):
    ev = new_event()
    r = daemon.post("/api/v1/events/%s/sessions" % ev["slug"], token=token,
                    json=session_body(slug="real"))
    assert r.status_code == 201, describe(r)
    s = requests.Session()
    s.headers.update(BROWSER)

    _, r = send_form(daemon, s, ev["slug"],
                     form_fields() + [("sessions", "ghost")])
    assert r.status_code == 422, describe(r)
    assert "Een sessie die je koos bestaat niet (meer)" in Page(r.text).root.text()

    # the same form again, with other values: its key was used already
    page, r = send_form(daemon, s, ev["slug"], form_fields())
    assert r.status_code == 303, describe(r)
    _, r = send_form(daemon, s, ev["slug"], form_fields(), page=page)
    assert r.status_code == 422, describe(r)
    text = Page(r.text).root.text()
    assert "Dit formulier werd al verstuurd" in text
    assert "Wat je nu verstuurt, verschilt van wat je de eerste keer" in text
    assert "Dit veld is niet juist ingevuld" not in text
