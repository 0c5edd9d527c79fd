"""axe-core on every public page, in headless Chromium, at desktop and
phone width: no violation of impact serious or critical.

The pages are reached as people reach them: the list, an event with its
form, the form sent back with mistakes, the registrant's own page while
confirmed, waitlisted and cancelled, a cancelled and a full event, and an
error page.  New pages join PUBLIC_PAGES (or a test of their own here).
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


def test_axe_finds_what_it_should(axe_browser):
    """The sweep can fail: a page with an image without alt text and a
    field without a label is reported."""
    axe_browser.get("data:text/html,<!DOCTYPE html><html lang=nl><title>x"
                    "</title><main><h1>x</h1><img src=a.png>"
                    "<input type=text></main></html>")
    ids = {v[0] for v in chromium.axe_violations(axe_browser)}
    assert {"image-alt", "label"} <= ids, ids
