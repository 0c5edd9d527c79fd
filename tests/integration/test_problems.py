"""Problem types: every `type` the daemon can send (RFC 9457) is an
address with a page that explains it, in Dutch and English; an unknown
name is 404.  The types are read from the sources (C and the SQL
functions), and every type any test of this run saw is fetched at the
end."""

import glob
import os
import re

import pytest

import harness
from harness import TOP, describe, unique
from test_refusals import call_arguments, sql_code
from webpage import Page

BROWSER = {"Accept": "text/html"}


def types_in_the_sources():
    """{name: {status, ...}} for every literal problem type in daemon/ and
    the function files."""
    found = {}

    def add(name, status):
        found.setdefault(name, set()).add(int(status))

    for path in glob.glob(os.path.join(TOP, "daemon", "**", "*.c"), recursive=True):
        if path.endswith("embedded.c"):
            continue
        with open(path, encoding="utf-8") as f:
            text = f.read()
        for m in re.finditer(r'request_problem\(\s*[\w>-]+\s*,\s*(\d{3})\s*,\s*"([^"]*)"', text):
            add(m.group(2), m.group(1))
        for m in re.finditer(r'request_not_configured\(\s*[\w>-]+\s*,\s*"([^"]*)"', text):
            add(m.group(1), 503)
        if path.endswith(os.path.join("http", "dispatch.c")):
            for m in re.finditer(r'\{\s*(\d{3}),\s*"([a-z-]+)",\s*"', text):
                add(m.group(2), m.group(1))
    for path in glob.glob(os.path.join(TOP, "migrations", "functions", "*.sql")):
        with open(path, encoding="utf-8") as f:
            text = sql_code(f.read())
        for m in re.finditer(r"\blk_fail\s*\(", text):
            args = call_arguments(text, m.end() - 1)
            if re.fullmatch(r"\d{3}", args[0]) and re.fullmatch(r"'[a-z-]+'", args[1]):
                add(args[1].strip("'"), args[0])
    return found


def problem_page(daemon, name, lang="nl"):
    r = daemon.get("/problems/%s?lang=%s" % (name, lang), headers=BROWSER)
    assert r.status_code == 200, describe(r)
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    page = Page(r.text)
    assert not page.errors, page.errors
    return page


def shown_status(page):
    """The status a problem page names (the <dd> after HTTP status)."""
    dts = page.find_all("dt")
    dds = page.find_all("dd")
    for dt, dd in zip(dts, dds):
        if "HTTP" in dt.text():
            return int(dd.text())
    raise AssertionError("no HTTP status on the page")


def test_the_sources_name_the_types_we_know(daemon):
    found = types_in_the_sources()
    # the reading of the sources works: some of each origin are there
    assert {"malformed-request", "body-too-large"} <= set(found), found
    assert {"validation-failed", "not-found", "unauthorized"} <= set(found)
    assert {"duplicate-registration", "event-full", "slug-taken"} <= set(found)
    assert found["erasure-not-configured"] == {503}
    assert len(found) >= 30, sorted(found)


def test_every_problem_type_has_a_page_in_both_languages(daemon):
    for name, statuses in sorted(types_in_the_sources().items()):
        assert len(statuses) == 1, (name, statuses)
        nl = problem_page(daemon, name, "nl")
        en = problem_page(daemon, name, "en")
        assert nl.find("html").attrs["lang"] == "nl"
        assert en.find("html").attrs["lang"] == "en"
        assert shown_status(nl) == shown_status(en) == next(iter(statuses)), name
        h1_nl, h1_en = nl.find("h1").text(), en.find("h1").text()
        assert h1_nl and h1_en, name
        assert "%s/problems/%s" % (daemon.url, name) in en.root.text()
        # more than a title: what it means
        paragraphs = [p.text() for p in en.find_all("p")]
        assert max(len(p) for p in paragraphs) > 40, (name, paragraphs)


def test_an_unknown_problem_type_is_404(daemon):
    r = daemon.get("/problems/%s" % unique("no-such-problem"), headers=BROWSER)
    assert r.status_code == 404, describe(r)
    assert r.headers["Content-Type"].startswith("text/html")
    r = daemon.get("/problems/not-found?x=1", headers=BROWSER)
    assert r.status_code == 301 and r.headers["Location"] == "/problems/not-found"


def test_a_problem_answer_names_a_page_that_explains_it(daemon, token):
    p = harness.assert_problem(daemon.post("/api/v1/events", token=token, json={}), 422)
    assert p["type"] == daemon.url + "/problems/validation-failed"
    page = problem_page(daemon, "validation-failed", "en")
    assert "errors" in page.root.text()


@pytest.mark.run_last
def test_every_problem_type_seen_in_this_run_resolves(daemon):
    """Every type in a problem document that check_problem saw during the
    run (harness.PROBLEM_TYPES_SEEN) is a page of the daemon that sent it,
    whatever its port: fetched here by its path."""
    seen = sorted(harness.PROBLEM_TYPES_SEEN)
    assert seen, "no problem document was seen"
    for t in seen:
        m = re.fullmatch(r"https?://[^/]+/problems/([a-z0-9-]+)", t)
        assert m, t
        problem_page(daemon, m.group(1), "en")
