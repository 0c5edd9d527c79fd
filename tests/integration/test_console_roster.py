"""The console's registrations (issue 12; API.md sections 7, 10 and 11)
over HTTP: an event's list searched without regard to accents and sorted
in Dutch, cancelling on someone's behalf (the waiting list moves as on a
self-cancel), walk-ins within the capacity, the export buttons ("CSV voor
Excel" read with python's csv, the workbook with openpyxl), the door
list, the admin's erasure form (a seat to come freed, attendance kept),
and the door kept out of all of it.  In Chromium: the list by keyboard
at desktop and phone width, and axe-core on the pages the sweep of
test_a11y.py does not reach.  docs/CONSOLE.md has the design.
"""

import csv
import io
import re

import pytest
import requests

from conftest import assert_no_token_logged, daemon_env
from harness import (Daemon, describe, event_body, free_port, mark_attended,
                     unique)
from webpage import Page

SECRET = "roster-erasure-secret-" + "x" * 16
# a Belgian enterprise number with its mod-97 check digits
KBO = "0123.456.749"


@pytest.fixture(scope="module")
def rdaemon(pg, workdir, issued_tokens):
    """A leerkansd with an erasure secret (the shared daemon has none)."""
    d = Daemon(workdir, "roster", daemon_env(
        pg, free_port(), extra={"LEERKANS_ERASURE_SECRET": SECRET}))
    d.start()
    try:
        d.wait_ready()
    except BaseException:
        d.kill()
        raise
    yield d
    assert d.stop() == 0, d.stderr_tail()
    assert_no_token_logged(d, issued_tokens)


class Console:
    """One browser's visit to /beheer/, with requests."""

    def __init__(self, daemon, issued):
        self.daemon = daemon
        self.issued = issued
        self.s = requests.Session()

    def get(self, path, **kw):
        return self.s.get(self.daemon.url + path, allow_redirects=False,
                          timeout=20, **kw)

    def post(self, path, data):
        r = self.s.post(self.daemon.url + path, data=data,
                        allow_redirects=False, timeout=20)
        for c in r.cookies:
            if c.name.endswith("lk_session") and c.value:
                self.issued.append(c.value)
        return r

    def csrf(self, path):
        r = self.get(path)
        assert r.status_code == 200, describe(r)
        field = Page(r.text).find("input", name="csrf")
        assert field is not None, "no form with a token at %s" % path
        return field.attrs["value"]

    def login(self, email, password):
        self.get("/beheer/login")
        token = self.csrf("/beheer/login")
        r = self.post("/beheer/login", {"csrf": token, "email": email,
                                        "password": password})
        assert r.status_code == 303, describe(r)


@pytest.fixture
def console(rdaemon, console_user, issued_tokens):
    """console(role) -> a Console logged in with a new account."""
    def make(role="organiser"):
        c = Console(rdaemon, issued_tokens)
        c.login(*console_user(role))
        return c
    return make


def make_event(daemon, token, **fields):
    body = event_body(**fields)
    r = daemon.post("/api/v1/events", token=token, json=body)
    assert r.status_code == 201, describe(r)
    return body["slug"]


def register(daemon, slug, **fields):
    body = {"given_name": "An", "family_name": "Peeters",
            "email": "%s@example.be" % unique("an"),
            "organisation": "Bakkerij Peeters bv", "role": "employer",
            "organisation_type": "sme", "postcode": "8900",
            "consent": {"privacy": True}}
    body.update(fields)
    r = daemon.post("/api/v1/events/%s/registrations" % slug, json=body)
    assert r.status_code == 201, describe(r)
    out = r.json()
    out["_token"] = out["manage_url"].rsplit("/", 1)[-1]
    out["_email"] = body["email"]
    return out


def names_listed(text):
    """The names of the list's rows, in order ("Peeters, An")."""
    table = Page(text).by_id("roster")
    if table is None:
        return []
    rows = []
    for th in Page(text).find_all("th", scope="row"):
        words = re.sub(r"\s+", " ", th.text()).strip()
        rows.append(re.sub(r" \((zonder inschrijving|walk-in)\)$", "", words))
    return rows


def status_of(daemon, token):
    r = daemon.get("/api/v1/registrations/" + token)
    assert r.status_code == 200, describe(r)
    return r.json()["status"]


# -- the list ------------------------------------------------------------------

def test_the_list_sorts_in_dutch_and_searches_without_accents(rdaemon, token, console):
    slug = make_event(rdaemon, token)
    tag = unique("org")
    for given, family in [("Zoe", "Zeeman"), ("Els", "\u00c9liaerts"),
                          ("Jan", "Eeckhout"), ("Piet", "Elst"),
                          ("anna", "eeckhout")]:
        register(rdaemon, slug, given_name=given, family_name=family,
                 organisation="Caf\u00e9 %s %s" % (family, tag))
    c = console()
    r = c.get("/beheer/events/%s/registrations" % slug)
    assert r.status_code == 200, describe(r)
    assert names_listed(r.text) == [
        "eeckhout, anna", "Eeckhout, Jan", "\u00c9liaerts, Els",
        "Elst, Piet", "Zeeman, Zoe"], "\u00e9 beside e, not after z"

    for q in ("eliaerts", "\u00c9LI", "els \u00e9li", "\u00e9liaerts, e"):
        r = c.get("/beheer/events/%s/registrations" % slug, params={"q": q})
        assert names_listed(r.text) == ["\u00c9liaerts, Els"], q
    r = c.get("/beheer/events/%s/registrations" % slug,
              params={"organisation": "cafe zeeman"})
    assert names_listed(r.text) == ["Zeeman, Zoe"]
    page = Page(c.get("/beheer/events/%s/registrations" % slug,
                      params={"q": "<b>geen</b>"}).text)
    assert page.find("input", name="q").attrs["value"] == "<b>geen</b>"
    assert "Geen inschrijvingen gevonden" in page.root.text()


def test_the_list_filters_by_status_session_and_check_in(rdaemon, token, console,
                                                         pg):
    slug = make_event(rdaemon, token, capacity=2)
    s = rdaemon.post("/api/v1/events/%s/sessions" % slug, token=token, json={
        "slug": "digitaal", "title": "Digitale vaardigheden",
        "starts_at": "%s" % event_body()["starts_at"],
        "ends_at": "%s" % event_body()["ends_at"], "capacity": 5})
    assert s.status_code == 201, describe(s)
    a = register(rdaemon, slug, family_name="Aerts", sessions=["digitaal"])
    register(rdaemon, slug, family_name="Baert")
    register(rdaemon, slug, family_name="Claes")    # waitlisted
    mark_attended(pg, a["id"])     # the API checks in on the day only
    c = console()
    base = "/beheer/events/%s/registrations" % slug

    def listed(**q):
        r = c.get(base, params=q)
        assert r.status_code == 200, describe(r)
        return [n.split(",")[0] for n in names_listed(r.text)]

    assert listed() == ["Aerts", "Baert", "Claes"]
    assert listed(status="waitlisted") == ["Claes"]
    assert listed(status="confirmed") == ["Aerts", "Baert"]
    assert listed(session="digitaal") == ["Aerts"]
    assert listed(checked="yes") == ["Aerts"]
    assert listed(checked="no") == ["Baert", "Claes"]
    # a link gone wrong is the whole list, not an error
    assert listed(status="bogus", session="geen-sessie") == [
        "Aerts", "Baert", "Claes"]
    r = c.get(base, params={"colour": "red"})
    assert r.status_code == 301, "a parameter the page does not take"


def test_the_door_and_strangers_get_none_of_it(rdaemon, token, console):
    slug = make_event(rdaemon, token)
    reg = register(rdaemon, slug)
    door = console("door")
    for path in ["/beheer/events/%s/registrations" % slug,
                 "/beheer/events/%s/registrations/new" % slug,
                 "/beheer/events/%s/registrations/print" % slug,
                 "/beheer/events/%s/registrations/%s/cancel" % (slug, reg["id"]),
                 "/beheer/events/%s/export?format=csv" % slug,
                 "/beheer/wissen"]:
        r = door.get(path)
        assert r.status_code == 403, (path, describe(r))
    org = console("organiser")
    assert org.get("/beheer/wissen").status_code == 403, "erasure is the admin's"
    r = requests.get(rdaemon.url + "/beheer/events/%s/registrations" % slug,
                     allow_redirects=False, timeout=10)
    assert r.status_code == 303 and "/beheer/login" in r.headers["Location"]
    # a cancel form without the session's token changes nothing
    r = org.post("/beheer/events/%s/registrations/%s/cancel" % (slug, reg["id"]),
                 {"csrf": "x" * 43})
    assert r.status_code == 403, describe(r)
    assert status_of(rdaemon, reg["_token"]) == "confirmed"


# -- cancelling on someone's behalf ---------------------------------------------

def test_cancel_on_behalf_asks_first_then_promotes_the_waiting_list(
        rdaemon, token, console, pg):
    slug = make_event(rdaemon, token, capacity=1)
    first = register(rdaemon, slug, family_name="Eerst")
    second = register(rdaemon, slug, family_name="Tweede")
    assert second["status"] == "waitlisted"
    c = console()
    path = "/beheer/events/%s/registrations/%s/cancel" % (slug, first["id"])
    r = c.get(path)
    assert r.status_code == 200, describe(r)
    page = Page(r.text)
    form = page.form(path)
    assert form is not None and "wachtlijst" in page.root.text()
    assert status_of(rdaemon, first["_token"]) == "confirmed", \
        "asking changes nothing"
    r = c.post(path, {"csrf": page.hidden(form, "csrf")})
    assert r.status_code == 303, describe(r)
    assert r.headers["Location"].endswith(
        "/beheer/events/%s/registrations?m=cancelled" % slug)
    assert status_of(rdaemon, first["_token"]) == "cancelled"
    assert status_of(rdaemon, second["_token"]) == "confirmed", \
        "the seat went to the waiting list, as on a self-cancel"
    rows = pg.psql("SELECT a.actor, u.email IS NOT NULL, a.detail->>'was' "
                   "FROM audit_log a LEFT JOIN users u ON u.id = a.user_id "
                   "WHERE a.action = 'registration-cancel' "
                   "AND a.detail->>'registration' = '%s'" % first["id"])
    assert len(rows) == 1 and rows[0][1] == "t" and rows[0][2] == "confirmed"
    ev = rdaemon.get("/api/v1/events/" + slug).json()
    assert ev["seats_left"] == 0 and ev["waitlist_length"] == 0
    # twice is once; a registration of another event is not found
    r = c.post(path, {"csrf": page.hidden(form, "csrf")})
    assert r.status_code == 303
    other = make_event(rdaemon, token)
    r = c.post("/beheer/events/%s/registrations/%s/cancel" % (other, second["id"]),
               {"csrf": page.hidden(form, "csrf")})
    assert r.status_code == 404, describe(r)
    assert status_of(rdaemon, second["_token"]) == "confirmed"


def test_the_mail_triggers_are_told_who_cancelled(rdaemon, token, console, pg):
    """leerkans.actor, which the mail triggers on registrations read, is
    'organiser' for a cancellation on someone's behalf and 'person' for
    the registrant's own; a probe trigger of this test records it."""
    slug = make_event(rdaemon, token)
    own = register(rdaemon, slug)
    other = register(rdaemon, slug)
    pg.psql("""
        CREATE TABLE roster_actor_probe (id bigint, actor text);
        CREATE FUNCTION roster_actor_probe() RETURNS trigger
        LANGUAGE plpgsql AS $$ BEGIN
            INSERT INTO roster_actor_probe VALUES (NEW.id,
                coalesce(current_setting('leerkans.actor', true), ''));
            RETURN NEW; END $$;
        CREATE TRIGGER roster_actor_probe AFTER UPDATE OF status
            ON registrations FOR EACH ROW
            WHEN (NEW.status = 'cancelled' AND OLD.status <> 'cancelled')
            EXECUTE FUNCTION roster_actor_probe();""")
    try:
        r = rdaemon.request("DELETE", "/api/v1/registrations/" + own["_token"])
        assert r.status_code == 200, describe(r)
        c = console()
        path = "/beheer/events/%s/registrations/%s/cancel" % (slug, other["id"])
        r = c.post(path, {"csrf": c.csrf(path)})
        assert r.status_code == 303, describe(r)
        got = pg.psql("SELECT id, actor FROM roster_actor_probe ORDER BY id")
        assert got == [[str(own["id"]), "person"],
                       [str(other["id"]), "organiser"]], got
    finally:
        pg.psql("DROP TRIGGER roster_actor_probe ON registrations;"
                "DROP FUNCTION roster_actor_probe(); "
                "DROP TABLE roster_actor_probe;")


def test_self_cancel_still_promotes_through_the_same_function(rdaemon, token):
    slug = make_event(rdaemon, token, capacity=1)
    first = register(rdaemon, slug)
    second = register(rdaemon, slug)
    r = rdaemon.request("DELETE", "/api/v1/registrations/" + first["_token"])
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    assert status_of(rdaemon, second["_token"]) == "confirmed"


# -- walk-ins ------------------------------------------------------------------

def test_a_walk_in_is_confirmed_and_checked_in_within_the_capacity(
        rdaemon, token, console, pg):
    slug = make_event(rdaemon, token, capacity=1)
    c = console()
    new = "/beheer/events/%s/registrations/new" % slug
    post = "/beheer/events/%s/registrations" % slug
    csrf = c.csrf(new)
    r = c.post(post, {"csrf": csrf, "given_name": "", "family_name": "Deur",
                      "email": "geen adres", "role": "citizen",
                      "organisation_type": "none"})
    assert r.status_code == 422, describe(r)
    page = Page(r.text)
    assert page.by_id("f-given_name-error") is not None
    assert page.by_id("f-email-error") is not None
    assert page.find("input", name="family_name").attrs["value"] == "Deur"
    r = c.post(post, {"csrf": csrf, "given_name": "Wim", "family_name": "Deur",
                      "organisation": "Stad Ieper", "email": "",
                      "role": "citizen", "organisation_type": "government"})
    assert r.status_code == 303, describe(r)
    assert r.headers["Location"].endswith("?m=walk-in-added")
    rows = pg.psql("SELECT r.status, r.source, r.checked_in_at IS NOT NULL, "
                   "r.email IS NULL FROM registrations r JOIN events e "
                   "ON e.id = r.event_id WHERE e.slug = '%s'" % slug)
    assert rows == [["confirmed", "walk-in", "t", "t"]]
    # full: refused beside the form, nothing written
    r = c.post(post, {"csrf": csrf, "given_name": "Nog", "family_name": "Iemand",
                      "role": "citizen", "organisation_type": "none"})
    assert r.status_code == 409, describe(r)
    assert "volzet" in Page(r.text).find("div", role="alert").text()
    assert Page(r.text).find("input", name="given_name").attrs["value"] == "Nog"
    assert pg.psql("SELECT count(*) FROM registrations r JOIN events e "
                   "ON e.id = r.event_id WHERE e.slug = '%s'" % slug) == [["1"]]
    ev = rdaemon.get("/api/v1/events/" + slug).json()
    assert ev["seats_left"] == 0


def test_walk_ins_racing_for_the_last_seats_never_pass_the_capacity(
        rdaemon, token, console, pg):
    import threading
    slug = make_event(rdaemon, token, capacity=5)
    register(rdaemon, slug)
    c = console()
    post = "/beheer/events/%s/registrations" % slug
    csrf = c.csrf(post + "/new")
    codes = []

    def walk_in(i):
        s = requests.Session()
        s.cookies.update(c.s.cookies)
        r = s.post(rdaemon.url + post, allow_redirects=False, timeout=30,
                   data={"csrf": csrf, "given_name": "Wim%d" % i,
                         "family_name": "Deur", "role": "citizen",
                         "organisation_type": "none"})
        codes.append(r.status_code)

    threads = [threading.Thread(target=walk_in, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [303] * 4 + [409] * 12, codes
    assert pg.psql("SELECT confirmed_count, capacity FROM events "
                   "WHERE slug = '%s'" % slug) == [["5", "5"]]
    assert pg.psql("SELECT count(*) FROM registrations r JOIN events e "
                   "ON e.id = r.event_id WHERE e.slug = '%s' AND "
                   "r.status = 'confirmed'" % slug) == [["5"]]


# -- exports -------------------------------------------------------------------

def test_the_export_buttons_csv_for_excel_xlsx_and_plain(rdaemon, token, console, pg,
                                                          ctl, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    slug = make_event(rdaemon, token)
    s = rdaemon.post("/api/v1/events/%s/sessions" % slug, token=token, json={
        "slug": "digitaal", "title": "Digitale vaardigheden; basis",
        "starts_at": event_body()["starts_at"],
        "ends_at": event_body()["ends_at"]})
    assert s.status_code == 201, describe(s)
    register(rdaemon, slug, given_name="Els", family_name="\u00c9liaerts",
             enterprise_number=KBO, sessions=["digitaal"], role="job-seeker")
    register(rdaemon, slug, given_name="Zoe", family_name="Zeeman",
             organisation="=HYPERLINK(\"x\")")
    register(rdaemon, slug, given_name="Jan", family_name="Eeckhout")
    c = console()
    page = Page(c.get("/beheer/events/%s/registrations" % slug).text)
    links = {a.text().strip(): a.attrs["href"] for a in page.find_all("a")
             if "/export?" in a.attrs.get("href", "")}
    assert set(links) == {"Excel-bestand (XLSX)", "CSV voor Excel",
                          "CSV (voor programma's)"}, links

    r = c.get(links["CSV voor Excel"])
    assert r.status_code == 200, describe(r)
    assert r.headers["Content-Type"].startswith("text/csv")
    assert r.content.startswith(b"\xef\xbb\xbf"), "a byte order mark"
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")),
                           delimiter=";"))
    assert rows[0][:4] == ["Nr.", "Familienaam", "Voornaam", "Status"]
    assert [x[1] for x in rows[1:]] == ["Eeckhout", "\u00c9liaerts", "Zeeman"]
    els = rows[2]
    head = rows[0]
    assert els[head.index("Ondernemingsnummer")] == KBO, "dotted, kept as text"
    assert els[head.index("Sessies")] == "Digitale vaardigheden; basis"
    assert els[head.index("Status")] == "Bevestigd"
    assert els[head.index("Doelgroep")] == "Werkzoekende"
    assert rows[3][head.index("Organisatie")].startswith("'="), "defused"

    r = c.get(links["Excel-bestand (XLSX)"])
    assert r.status_code == 200, describe(r)
    wb = openpyxl.load_workbook(io.BytesIO(r.content))
    ws = wb.active
    got = [[cell.value for cell in row] for row in ws.iter_rows()]
    fam = got[0].index("family_name")
    assert [x[fam] for x in got[1:]] == ["Eeckhout", "\u00c9liaerts", "Zeeman"]

    r = c.get(links["CSV (voor programma's)"])
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0][:3] == ["id", "status", "name"], "the API's columns"
    assert rows[2][rows[0].index("sessions")] == "digitaal"

    # the same profile through the API, with a token
    r = rdaemon.get("/api/v1/events/%s/attendees?format=csv&profile=excel" % slug,
                    token=token)
    assert r.status_code == 200 and r.content.startswith(b"\xef\xbb\xbfNr.;")
    api_sheet = r.content
    r = rdaemon.get("/api/v1/events/%s/attendees?format=json&profile=excel" % slug,
                    token=token)
    assert r.status_code == 422, describe(r)
    # and through leerkansctl: the same bytes
    ctl("export", slug, "--profile", "excel", "-o", str(tmp_path / "s.csv"))
    assert (tmp_path / "s.csv").read_bytes() == api_sheet, \
        "leerkansctl writes the same sheet"
    r = c.get("/beheer/events/%s/export?format=csv&profile=bogus" % slug)
    assert r.status_code == 422 and "text/html" in r.headers["Content-Type"]
    assert pg.psql("SELECT count(*) FROM audit_log WHERE action = 'export' "
                   "AND event_slug = '%s' AND actor LIKE '%%@pom.example'"
                   % slug) == [["3"]], "each button's export is recorded"


def test_the_door_list_prints_the_confirmed_by_family_name(rdaemon, token, console):
    slug = make_event(rdaemon, token, capacity=2)
    register(rdaemon, slug, given_name="Zoe", family_name="Zeeman")
    register(rdaemon, slug, given_name="Els", family_name="\u00c9liaerts")
    register(rdaemon, slug, given_name="Wacht", family_name="Aerts")
    c = console()
    r = c.get("/beheer/events/%s/registrations/print" % slug)
    assert r.status_code == 200, describe(r)
    page = Page(r.text)
    rows = [th.text() for th in page.find_all("th", scope="row")]
    assert rows == ["\u00c9liaerts", "Zeeman"], "confirmed only, by family name"


# -- erasure -------------------------------------------------------------------

def test_erasure_frees_a_seat_to_come_and_keeps_past_attendance(
        rdaemon, token, console, pg):
    email = "%s@example.be" % unique("wis")
    soon = make_event(rdaemon, token, capacity=1)
    held = register(rdaemon, soon, email=email)
    waiting = register(rdaemon, soon)
    past = make_event(rdaemon, token)
    went = register(rdaemon, past, email=email.upper())
    mark_attended(pg, went["id"])
    pg.psql("UPDATE events SET starts_at = now() - interval '3 days', "
            "ends_at = now() - interval '2 days' WHERE slug = '%s'" % past)
    admin = console("admin")
    csrf = admin.csrf("/beheer/wissen")
    r = admin.post("/beheer/wissen", {"csrf": csrf, "email": email})
    assert r.status_code == 422, "the box must be ticked"
    assert Page(r.text).by_id("f-confirm-error") is not None
    assert status_of(rdaemon, held["_token"]) == "confirmed", "nothing changed"
    r = admin.post("/beheer/wissen", {"csrf": csrf, "email": " " + email,
                                      "confirm": "yes"})
    assert r.status_code == 200, describe(r)
    text = Page(r.text).find("div", role="status").text()
    assert "Gewiste inschrijvingen: 2" in text and "wachtlijst): 1" in text
    assert email not in r.text, "the address is not drawn again"
    assert status_of(rdaemon, waiting["_token"]) == "confirmed"
    rows = pg.psql("SELECT status, checked_in_at IS NOT NULL, email IS NULL, "
                   "erased_at IS NOT NULL FROM registrations WHERE id = %s"
                   % went["id"])
    assert rows == [["confirmed", "t", "t", "t"]], "attendance stays counted"
    rows = pg.psql("SELECT status, email IS NULL FROM registrations "
                   "WHERE id = %s" % held["id"])
    assert rows == [["cancelled", "t"]]
    # the API answers seats_freed too
    soon2 = make_event(rdaemon, token, capacity=1)
    other = "%s@example.be" % unique("api")
    register(rdaemon, soon2, email=other)
    r = rdaemon.post("/api/v1/erasure", token=token, json={"email": other})
    assert r.status_code == 200, describe(r)
    assert r.json() == {"erased": 1, "seats_freed": 1}


# -- in a browser ----------------------------------------------------------------

@pytest.mark.parametrize("width", [1280, 375])
def test_the_list_by_keyboard(browser, rdaemon, token, console_user, issued_tokens,
                              width):
    import browser as chromium
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    slug = make_event(rdaemon, token)
    for given, family, org in [("Zo\u00eb", "Zeeman", "Stad Ieper"),
                               ("Els", "\u00c9liaerts", "VDAB West-Vlaanderen"),
                               ("Jan", "Eeckhout", "Bakkerij Peeters bv")]:
        register(rdaemon, slug, given_name=given, family_name=family,
                 organisation=org)
    drv = browser
    drv.set_window_size(width, 900)
    email, password = console_user("organiser")
    chromium.console_login(drv, rdaemon.url, email, password, issued_tokens)
    drv.get(rdaemon.url + "/beheer/events/%s/registrations" % slug)
    body = drv.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    for _ in range(40):
        el = drv.switch_to.active_element
        if el.get_attribute("id") == "f-q":
            break
        el.send_keys(Keys.TAB)
    else:
        pytest.fail("Tab never reached the name search")
    el.send_keys("eliaerts")
    el.send_keys(Keys.ENTER)
    rows = [e.text for e in drv.find_elements(By.CSS_SELECTOR,
                                               "#roster th[scope=row]")]
    if not rows:
        rows = [e.text for e in drv.find_elements(By.CSS_SELECTOR,
                                                   "table th[scope=row]")]
    assert [r.split("\n")[0] for r in rows] == ["\u00c9liaerts, Els"], rows
    # on to the cancel link by keyboard, and the question it opens
    for _ in range(40):
        el = drv.switch_to.active_element
        if "/cancel" in (el.get_attribute("href") or ""):
            break
        el.send_keys(Keys.TAB)
    else:
        pytest.fail("Tab never reached the cancel link")
    el.send_keys(Keys.ENTER)
    assert "Inschrijving annuleren" in drv.find_element(By.TAG_NAME, "h1").text
    width_px = drv.execute_script("return document.documentElement.scrollWidth")
    assert width_px <= width, "the page scrolls sideways at %d px" % width
    shots = __import__("os").environ.get("LEERKANS_SCREENSHOTS")
    if shots:
        drv.set_window_size(width, 1500)
        drv.get(rdaemon.url + "/beheer/events/%s/registrations" % slug)
        drv.save_screenshot("%s/console-registrations-%d.png" % (shots, width))


@pytest.mark.parametrize("width", [1280, 375])
def test_the_new_pages_have_no_serious_violations(axe_browser, rdaemon, token,
                                                  console_user, issued_tokens, width):
    import browser as chromium
    slug = make_event(rdaemon, token, capacity=1)
    reg = register(rdaemon, slug, family_name="\u00c9liaerts")
    drv = axe_browser
    drv.set_window_size(width, 900)
    email, password = console_user("admin")
    chromium.console_login(drv, rdaemon.url, email, password, issued_tokens)
    base = "/beheer/events/%s/registrations" % slug
    for path in [base, base + "?q=niemand", base + "/new", base + "/print",
                 base + "/%s/cancel" % reg["id"], "/beheer/wissen",
                 base + "?lang=en"]:
        drv.get(rdaemon.url + path)
        found = chromium.axe_violations(drv)
        assert not found, "%s: %s" % (path, found)
