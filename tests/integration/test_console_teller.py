""""De teller loopt" in the organiser console (API.md sections 7 and
10; docs/CONSOLE.md): the reach report as a page for any dates or one
event, whose numbers are those of GET /api/v1/stats/reach, with four
charts in SVG that parse as XML, each with its table (waiting list
apart, the Westhoek marked), the filter's mistakes beside their
fields, and the workbook in Dutch read with openpyxl.  In Chromium at
desktop width: axe-core, and a screenshot for the README.
"""

import io
import os
import xml.etree.ElementTree as ET

import pytest

from harness import at, describe, event_body, registration_body, unique
from test_console import Console, page_of
from webpage import Page

import browser as chromium

openpyxl = pytest.importorskip("openpyxl")

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def console(daemon, issued_tokens):
    return lambda d=None: Console(d or daemon, issued_tokens)


@pytest.fixture(scope="module")
def year_data(daemon, token, pg):
    """A year of its own (no other test's) with two kinds, roles,
    regions (the Westhoek among them), a waiting list, a cancellation and
    attendance; in winter, as every test's dates keep clear of summer
    time (harness.YEAR)."""
    year = 2051
    def event(**fields):
        fields.setdefault("starts_at", at(3, 18, 14, year=year))
        fields.setdefault("ends_at", at(3, 18, 17, year=year))
        r = daemon.post("/api/v1/events", token=token, json=event_body(**fields))
        assert r.status_code == 201, describe(r)
        return r.json()

    def reg(slug, **fields):
        r = daemon.post("/api/v1/events/%s/registrations" % slug,
                        json=registration_body(**fields))
        assert r.status_code == 201, describe(r)
        return r.json()

    net = event(kind="network-event", capacity=3, waitlist=True,
                title="Netwerkevent " + unique())
    aca = event(kind="academy-session", capacity=None,
                title="Academie " + unique(), starts_at=at(2, 3, 9, year=year),
                ends_at=at(2, 3, 12, year=year))
    a = reg(net["slug"], postcode="8900", role="employer")           # Ieper
    reg(net["slug"], postcode="8630", role="intermediary",           # Veurne
        organisation_type="intermediary")
    reg(net["slug"], postcode="8000", role="employee")               # Brugge
    w = reg(net["slug"], postcode="8500", role="job-seeker",         # Kortrijk
            organisation_type="none", organisation=None)
    assert w["status"] == "waitlisted"
    b = reg(aca["slug"], postcode="1000", role="training-provider",
            organisation_type="education")
    gone = reg(aca["slug"], postcode="8600")
    daemon.request("DELETE", "/api/v1/registrations/" +
                   gone["manage_url"].rsplit("/", 1)[-1])
    for rid in (a["id"], b["id"]):
        pg.psql("UPDATE registrations SET checked_in_at = now() WHERE id = %d" % rid)
    return {"year": year, "net": net, "aca": aca}


def teller(c, **params):
    return c.get("/beheer/teller", params=params)


def table_of(page, ident):
    """{row key: (registered, attended, waitlisted)} of a chart's table."""
    cap = page.by_id("t-" + ident)
    table = cap.parent
    out = {}
    for tr in table.find_all("tr"):
        if "data-key" in tr.attrs:
            cells = [int(td.text()) for td in tr.find_all("td")]
            out[tr.attrs["data-key"]] = tuple(cells)
    return out


def totals_of(page):
    dl = page.find("dl", **{"class": "teller-totals"})
    return {d.attrs["data-key"]: int(d.find("dd").text())
            for d in dl.find_all("div")}


def test_the_page_says_what_the_api_says(daemon, token, year_data, console,
                                         console_user):
    year = year_data["year"]
    api = daemon.get("/api/v1/stats/reach", token=token,
                     params={"year": year}).json()
    c = console()
    c.login(*console_user("organiser"))
    r = teller(c, **{"from": "%d-01-01" % year, "to": "%d-12-31" % year})
    page = page_of(r, 200)
    tot = totals_of(page)
    for k in ("events", "registrations", "attended", "people",
              "organisations", "westhoek"):
        assert tot[k] == api["total"][k], k
    assert tot["waitlisted"] == 1
    roles = table_of(page, "rol")
    assert {k: v[0] for k, v in roles.items()} == api["total"]["by_role"]
    types = table_of(page, "organisatietype")
    assert {k: v[0] for k, v in types.items()} == api["total"]["by_organisation_type"]
    regions = table_of(page, "regio")
    assert {k: v[0] for k, v in regions.items()} == api["total"]["by_region"]
    kinds = table_of(page, "actie")
    for k in api["kinds"]:
        assert kinds[k["kind"]][0] == k["counts"]["registrations"], k["kind"]
        assert kinds[k["kind"]][1] == k["counts"]["attended"], k["kind"]
    assert regions["ieper"] == (1, 1, 0) and regions["kortrijk"] == (1, 0, 1)
    assert roles["job-seeker"] == (1, 0, 1), "the waiting list apart"
    # the Westhoek is marked, in the table and the chart
    marked = {tr.attrs["data-key"] for tr in page.find_all("tr", **{"class": "westhoek"})}
    assert marked == {"diksmuide", "ieper", "veurne"}
    assert "Ieper (Westhoek)" in page.by_id("t-regio").parent.text()


def test_the_charts_are_svg_with_text_alternatives(daemon, year_data, console,
                                                   console_user):
    year = year_data["year"]
    c = console()
    c.login(*console_user("organiser"))
    r = teller(c, **{"from": "%d-01-01" % year, "to": "%d-12-31" % year})
    text = r.text
    charts = []
    start = 0
    while True:
        i = text.find("<svg", start)
        if i < 0:
            break
        j = text.index("</svg>", i) + 6
        charts.append(ET.fromstring(text[i:j]))
        start = j
    assert len(charts) == 4
    for svg in charts:
        assert svg.tag == SVG + "svg" and svg.attrib["role"] == "img"
        ids = svg.attrib["aria-labelledby"].split()
        assert {e.attrib.get("id") for e in svg.iter()} >= set(ids)
        assert svg.find(SVG + "title").text
        bars = [e for e in svg.iter(SVG + "rect")
                if e.attrib.get("class") in ("bar-reg", "bar-att")]
        assert len(bars) >= 4
    region = charts[3]
    marks = [e for e in region.iter(SVG + "rect") if e.attrib.get("class") == "westhoek"]
    assert len(marks) == 3, "Diksmuide, Ieper, Veurne"
    page = Page(text)
    assert len(page.find_all("figure")) == 4
    assert len(page.find_all("table")) == 4


def test_one_event(daemon, token, year_data, console, console_user):
    c = console()
    c.login(*console_user("organiser"))
    slug = year_data["net"]["slug"]
    page = page_of(teller(c, event=slug), 200)
    tot = totals_of(page)
    assert tot["events"] == 1 and tot["registrations"] == 4
    assert tot["attended"] == 1 and tot["waitlisted"] == 1
    assert year_data["net"]["title"] in page.find("main").text()
    r = teller(c, event="bestaat-niet-" + unique())
    assert r.status_code == 404


def test_bad_dates_are_said_beside_their_field(console, console_user):
    c = console()
    c.login(*console_user("organiser"))
    page = page_of(teller(c, **{"from": "2051-13-01"}), 422)
    assert page.by_id("f-from").attrs["aria-invalid"] == "true"
    assert page.by_id("f-from").attrs["value"] == "2051-13-01"
    assert page.by_id("f-from-error") is not None
    page = page_of(teller(c, **{"from": "2051-05-01", "to": "2051-04-01"}), 422)
    assert "vóór de begindatum" in page.by_id("f-to-error").text()
    r = c.get("/beheer/teller", params={"jaar": "2043"})
    assert r.status_code == 301, "a parameter it does not take"
    r = c.get("/beheer/teller.xlsx", params={"from": "gisteren"})
    assert r.status_code == 422


def test_the_workbook_in_dutch(daemon, token, year_data, console, console_user):
    year = year_data["year"]
    c = console()
    c.login(*console_user("organiser"))
    r = c.get("/beheer/teller.xlsx", params={"from": "%d-01-01" % year,
                                             "to": "%d-12-31" % year})
    assert r.status_code == 200, describe(r)
    assert r.headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert 'filename="teller-%d-01-01-%d-12-31.xlsx"' % (year, year) in \
        r.headers["Content-Disposition"]
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    assert wb.sheetnames == ["Samenvatting", "Per actie", "Per rol",
                             "Per type organisatie", "Per regio"]
    summary = {row[0]: row[1] for row in wb["Samenvatting"].iter_rows(
        min_row=5, values_only=True) if row[0]}
    api = daemon.get("/api/v1/stats/reach", token=token,
                     params={"year": year}).json()["total"]
    assert summary["Inschrijvingen"] == api["registrations"]
    assert summary["Aanwezig"] == api["attended"]
    assert summary["Verschillende personen"] == api["people"]
    assert summary["Inschrijvingen uit de Westhoek"] == api["westhoek"]
    regio = list(wb["Per regio"].iter_rows(values_only=True))
    assert regio[0] == ("Regio", "Ingeschreven", "Aanwezig", "Op de wachtlijst")
    got = {row[0]: row[1:] for row in regio[1:]}
    assert got["Ieper (Westhoek)"] == (1, 1, 0)
    assert got["Kortrijk"] == (1, 0, 1)
    assert got["Buiten West-Vlaanderen"] == (1, 1, 0)
    rol = {row[0]: row[1:] for row in wb["Per rol"].iter_rows(min_row=2,
                                                               values_only=True)}
    assert rol["Werkzoekende"] == (1, 0, 1)


def test_organisers_only(console, console_user):
    c = console()
    r = c.get("/beheer/teller")
    assert r.status_code == 303 and "/beheer/login" in r.headers["Location"]
    c.login(*console_user("door"))
    assert c.get("/beheer/teller").status_code == 403
    assert c.get("/beheer/teller.xlsx").status_code == 403
    a = console()
    a.login(*console_user("admin"))
    assert a.get("/beheer/teller").status_code == 200


def test_teller_in_a_browser(axe_browser, daemon, year_data, console_user,
                             issued_tokens):
    from selenium.webdriver.common.by import By
    year = year_data["year"]
    drv = axe_browser
    drv.set_window_size(*chromium.DESKTOP)
    chromium.console_login(drv, daemon.url, *console_user("organiser"),
                           issued=issued_tokens)
    for what, path in (("teller", "/beheer/teller?from=%d-01-01&to=%d-12-31"
                        % (year, year)),
                       ("teller, english", "/beheer/teller?lang=en&from=%d-01-01"
                        % year),
                       ("one event", "/beheer/teller?event=" + year_data["net"]["slug"]),
                       ("bad date", "/beheer/teller?from=2051-02-30")):
        drv.get(daemon.url + path)
        found = chromium.axe_violations(drv)
        assert not found, "%s: %s" % (what, found)
    drv.get(daemon.url + "/beheer/teller?from=%d-01-01&to=%d-12-31" % (year, year))
    assert len(drv.find_elements(By.CSS_SELECTOR, "svg.chart")) == 4
    shots = os.environ.get("LEERKANS_SCREENSHOTS")
    if shots:
        drv.set_window_size(1100, 1500)
        drv.save_screenshot(os.path.join(shots, "teller-desktop.png"))
