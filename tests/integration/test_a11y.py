"""axe-core on every public page and every console page, in headless
Chromium, at desktop and phone width: no violation of impact serious or
critical.

The pages are reached as people reach them: the list, an event with its
form, an event with parallel sessions as time slots and a price, the
form sent back with mistakes, the registrant's own page while confirmed,
waitlisted and cancelled, the cancel confirmation, a cancelled and a
full event, the privacy notice and the accessibility statement, and an
error page; the console's login (also refused), the dashboard of each
role, an event's summary, the admin's pages and their forms sent back
with mistakes, a new token's one showing, and its error pages.  New
pages join the lists below (or a test of their own here).
"""

from urllib.parse import urlsplit

import pytest

import browser as chromium
from harness import at, describe, registration_body, session_body, unique

pytestmark = pytest.mark.skipif(chromium.missing() is not None,
                                reason=chromium.missing() or "")

SIZES = {"desktop": chromium.DESKTOP, "phone": chromium.PHONE}


@pytest.fixture(scope="module")
def pages(daemon, token):
    """The paths of one of each public page, made through the API."""
    def event(**fields):
        body = {"slug": "a11y-" + unique(), "kind": "network-event",
                "title": "Netwerkevent toegankelijkheid " + unique(),
                "description": "Parallelle netwerksessies.\n\nMet koffie.",
                "starts_at": at(4, 22, 13, 30), "ends_at": at(4, 22, 17, 0),
                "venue": {"name": "Provinciehuis Boeverbos",
                          "address": "Koning Leopold III-laan 41",
                          "postcode": "8200", "city": "Brugge"},
                "capacity": 1, "status": "published"}
        body.update(fields)
        r = daemon.post("/api/v1/events", token=token, json=body)
        assert r.status_code == 201, describe(r)
        return r.json()["slug"]

    open_slug = event(capacity=50)
    for slug, start in (("ochtend", (14, 0)), ("middag", (15, 30))):
        r = daemon.post("/api/v1/events/%s/sessions" % open_slug, token=token,
                        json=session_body(slug=slug, title="Sessie " + slug,
                                          starts_at=at(4, 22, *start),
                                          ends_at=at(4, 22, start[0] + 1, 0)))
        assert r.status_code == 201, describe(r)
    full_slug = event(capacity=1)
    regs = {}
    for what, slug in (("confirmed", full_slug), ("waitlisted", full_slug),
                       ("cancelled", open_slug)):
        r = daemon.post("/api/v1/events/%s/registrations" % slug,
                        json=registration_body(
                            email="a11y-%s@example.be" % unique()))
        assert r.status_code == 201, describe(r)
        assert r.json()["status"] == ("waitlisted" if what == "waitlisted"
                                      else "confirmed"), r.json()
        regs[what] = r.json()["manage_url"]
    r = daemon.request("DELETE", "/api/v1/registrations/" +
                       regs["cancelled"].rsplit("/", 1)[1])
    assert r.status_code == 200, describe(r)
    # parallel sessions: two time slots of several, one of one; a price
    slots_slug = event(capacity=80, price_text="\u20ac 25, lunch inbegrepen")
    for slug, start, end in (("a", (14, 0), (15, 0)), ("b", (14, 0), (15, 0)),
                             ("c", (14, 30), (15, 30)), ("d", (15, 45), (16, 30)),
                             ("e", (15, 45), (16, 30)), ("f", (16, 30), (17, 0))):
        r = daemon.post("/api/v1/events/%s/sessions" % slots_slug, token=token,
                        json=session_body(slug=slug, title="Netwerksessie " + slug,
                                          starts_at=at(4, 22, *start),
                                          ends_at=at(4, 22, *end)))
        assert r.status_code == 201, describe(r)
    r = daemon.post("/api/v1/events/%s/registrations" % slots_slug,
                    json=registration_body(email="a11y-%s@example.be" % unique(),
                                           sessions=["a", "d"]))
    assert r.status_code == 201, describe(r)
    to_cancel = r.json()["manage_url"]
    cancelled_slug = event(capacity=20)
    r = daemon.patch("/api/v1/events/" + cancelled_slug, token=token,
                     json={"status": "cancelled"})
    assert r.status_code == 200, describe(r)
    return {
        "index": "/",
        "event with sessions": "/events/" + open_slug,
        "full event": "/events/" + full_slug,
        "cancelled event": "/events/" + cancelled_slug,
        "registration confirmed": regs["confirmed"],
        "registration waitlisted": regs["waitlisted"],
        "registration cancelled": regs["cancelled"],
        "event with time slots": "/events/" + slots_slug,
        "time slots in english": "/events/%s?lang=en" % slots_slug,
        "cancel confirmation": to_cancel + "/cancel",
        "cancel confirmation waitlisted": regs["waitlisted"] + "/cancel",
        "cancel confirmation english": to_cancel + "/cancel?lang=en",
        "nothing left to cancel": regs["cancelled"] + "/cancel",
        "privacy notice": "/privacy",
        "privacy notice english": "/privacy?lang=en",
        "accessibility statement": "/accessibility",
        "accessibility statement english": "/accessibility?lang=en",
        "send me my links": "/links",
        "send me my links, english": "/links?lang=en",
        "not found": "/events/bestaat-niet",
        "english event": "/events/%s?lang=en" % open_slug,
        "problem type": "/problems/validation-failed",
        "problem type, english": "/problems/event-full?lang=en",
        "_form": "/events/" + open_slug,
    }


def check(drv, url, what):
    drv.get(url)
    found = chromium.axe_violations(drv)
    assert not found, "%s (%s): %s" % (what, urlsplit(url).path, found)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_public_pages_have_no_serious_violations(axe_browser, daemon, pages, size):
    axe_browser.set_window_size(*SIZES[size])
    for what, path in sorted(pages.items()):
        if not what.startswith("_"):
            check(axe_browser, daemon.url + path, what)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_form_with_mistakes_has_no_serious_violations(axe_browser, daemon, pages, size):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    drv = axe_browser
    drv.set_window_size(*SIZES[size])
    drv.get(daemon.url + pages["_form"])
    drv.find_element(By.ID, "f-email").send_keys("niet-geldig@")
    drv.find_element(By.CSS_SELECTOR, "form.register button[type=submit]").click()
    # click() returns before the answer is in: wait for the page it brings
    WebDriverWait(drv, 10).until(
        lambda d: d.current_url.endswith("/register") and
        d.execute_script("return document.readyState") == "complete" and
        d.find_elements(By.CSS_SELECTOR, ".error-summary"),
        "the form did not come back with its mistakes")
    found = chromium.axe_violations(drv)
    assert not found, "form with mistakes: %s" % found


@pytest.fixture(scope="module")
def console_pages(daemon, token, pages):
    """The console's pages worth a look, beyond what every role's login
    shows (paths, with the event of `pages` that has sessions)."""
    slug = pages["event with sessions"].rsplit("/", 1)[1]
    draft = "a11y-ontwerp-" + unique()
    r = daemon.post("/api/v1/events", token=token, json={
        "slug": draft, "kind": "sme-info-session",
        "title": "Infosessie KMO-portefeuille " + unique(),
        "starts_at": at(5, 12, 9, 0), "ends_at": at(5, 12, 11, 0),
        "online_url": "https://meet.example/kmo"})
    assert r.status_code == 201, describe(r)
    return {
        "dashboard": "/beheer/",
        "event": "/beheer/events/" + slug,
        "draft": "/beheer/events/" + draft,
        "users": "/beheer/users",
        "new user": "/beheer/users/new",
        "tokens": "/beheer/tokens",
        "new token": "/beheer/tokens/new",
        "audit log": "/beheer/audit",
        "registrations": "/beheer/events/%s/registrations" % slug,
        "walk-in": "/beheer/events/%s/registrations/new" % slug,
        "door list": "/beheer/events/%s/registrations/print" % slug,
        "erasure": "/beheer/wissen",
        "english dashboard": "/beheer/?lang=en",
        "door": "/beheer/deur",
        "teller": "/beheer/teller",
        "teller, one event": "/beheer/teller?event=" + slug,
        "not found": "/beheer/events/bestaat-niet",
        "new event": "/beheer/events/new",
        "edit event": "/beheer/events/%s/edit" % draft,
        "preview": "/beheer/events/%s/preview" % draft,
        "cancel event": "/beheer/events/%s/cancel" % slug,
        "duplicate event": "/beheer/events/%s/duplicate" % slug,
        "english event form": "/beheer/events/new?lang=en",
    }


def submit(drv, fields, button="main form button[type=submit]"):
    """Fills in the fields {id: text} of the page's form and sends it;
    returns once the answer is in."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    before = drv.find_element(By.TAG_NAME, "html")
    for ident, text in fields.items():
        el = drv.find_element(By.ID, ident)
        if el.tag_name == "select":
            from selenium.webdriver.support.ui import Select
            Select(el).select_by_value(text)
        else:
            el.clear()
            el.send_keys(text)
    drv.find_element(By.CSS_SELECTOR, button).click()
    WebDriverWait(drv, 10).until(
        lambda d: d.find_element(By.TAG_NAME, "html") != before and
        d.execute_script("return document.readyState") == "complete",
        "the form's answer never came")


@pytest.mark.parametrize("size", sorted(SIZES))
def test_console_pages_have_no_serious_violations(axe_browser, daemon, console_user,
                                                  console_pages, issued_tokens, size):
    drv = axe_browser
    drv.set_window_size(*SIZES[size])
    check(drv, daemon.url + "/beheer/login", "login")
    email, password = console_user("admin")
    submit(drv, {"f-email": email, "f-password": "fout wachtwoord!"})
    found = chromium.axe_violations(drv)
    assert not found, "login refused: %s" % found
    chromium.console_login(drv, daemon.url, email, password, issued_tokens)
    for what, path in sorted(console_pages.items()):
        check(drv, daemon.url + path, what)
    drv.get(daemon.url + "/beheer/users/new")
    submit(drv, {"f-email": "geen adres", "f-password": "kort",
                 "f-password2": "anders"})
    found = chromium.axe_violations(drv)
    assert not found, "new user with mistakes: %s" % found
    drv.get(daemon.url + "/beheer/events/new")
    submit(drv, {"f-title": "", "f-s1-title": "Sessie zonder tijd"},
           button="main form button[name=save]")
    found = chromium.axe_violations(drv)
    assert not found, "event form with mistakes: %s" % found
    drv.get(daemon.url + "/beheer/tokens/new")
    submit(drv, {"f-name": "a11y " + unique(), "f-scope": "door"})
    from selenium.webdriver.common.by import By
    issued_tokens.append(drv.find_element(By.CSS_SELECTOR, "code.secret").text)
    found = chromium.axe_violations(drv)
    assert not found, "a new token shown: %s" % found


@pytest.mark.parametrize("size", sorted(SIZES))
def test_console_pages_of_the_door_have_no_serious_violations(
        axe_browser, daemon, console_user, issued_tokens, size):
    drv = axe_browser
    drv.set_window_size(*SIZES[size])
    email, password = console_user("door")
    chromium.console_login(drv, daemon.url, email, password, issued_tokens)
    check(drv, daemon.url + "/beheer/", "the door's dashboard")
    check(drv, daemon.url + "/beheer/deur", "the door's events")
    check(drv, daemon.url + "/beheer/users", "no access")


def test_axe_finds_what_it_should(axe_browser):
    """The sweep can fail: a page with an image without alt text and a
    field without a label is reported."""
    axe_browser.get("data:text/html,<!DOCTYPE html><html lang=nl><title>x"
                    "</title><main><h1>x</h1><img src=a.png>"
                    "<input type=text></main></html>")
    ids = {v[0] for v in chromium.axe_violations(axe_browser)}
    assert {"image-alt", "label"} <= ids, ids


@pytest.mark.parametrize("size", sorted(SIZES))
def test_links_form_with_a_mistake_and_its_answer(axe_browser, daemon, size):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    drv = axe_browser
    drv.set_window_size(*SIZES[size])
    for typed, want in (("niet-geldig@", ".error-summary"),
                        ("%s@example.be" % unique("a11y"), ".notice")):
        drv.get(daemon.url + "/links")
        drv.find_element(By.ID, "f-email").send_keys(typed)
        drv.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
        WebDriverWait(drv, 10).until(
            lambda d: d.execute_script("return document.readyState") == "complete" and
            d.find_elements(By.CSS_SELECTOR, want),
            "the links page did not answer")
        found = chromium.axe_violations(drv)
        assert not found, "links page after %r: %s" % (typed, found)
