"""The web pages in a real browser: headless Chromium through Selenium,
with JavaScript turned off (the pages have none and must not need any).

A person opens the event page, finds the form with the keyboard, makes a
mistake, reads the message, puts it right, registers, sees the
confirmation page and cancels.  Skipped, with the reason, when Chromium,
chromedriver or python3-selenium is missing.
"""

from datetime import date
from urllib.parse import urlsplit

import pytest

import browser as chromium
from harness import YEAR, at, describe, event_body, session_body, unique

try:
    from selenium.common.exceptions import (StaleElementReferenceException,
                                            WebDriverException)
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait
    # while a page is replaced by the next, reading the old one's nodes
    # fails in either of these ways; a wait tries again
    NAVIGATING = [StaleElementReferenceException, WebDriverException]
except ImportError:  # pragma: no cover - depends on the machine
    pass

pytestmark = pytest.mark.skipif(chromium.missing() is not None,
                                reason=chromium.missing() or "")


@pytest.fixture
def event(daemon, token):
    r = daemon.post("/api/v1/events", token=token, json=event_body(
        kind="network-event", title="Netwerkevent Levenslang Leren " + unique(),
        starts_at=at(3, 18, 13, 30), ends_at=at(3, 18, 17, 30)))
    assert r.status_code == 201, describe(r)
    ev = r.json()
    sessions = []
    for slug, title, start, end in (
            ("experts", "Samenwerken met experts", (14, 30), (15, 45)),
            ("financiering", "Financieringsmogelijkheden", (14, 30), (15, 45)),
            ("digitaal", "Leernetwerken digitale basisvaardigheden", (16, 0), (17, 0))):
        r = daemon.post("/api/v1/events/%s/sessions" % ev["slug"], token=token,
                        json=session_body(slug=slug, title=title,
                                          starts_at=at(3, 18, *start),
                                          ends_at=at(3, 18, *end)))
        assert r.status_code == 201, describe(r)
        sessions.append(r.json())
    return ev, sessions


def wait_for_path(drv, test, what):
    WebDriverWait(drv, 10, ignored_exceptions=NAVIGATING).until(
        lambda d: test(urlsplit(d.current_url).path),
                                 "the browser never reached " + what)
    WebDriverWait(drv, 10, ignored_exceptions=NAVIGATING).until(
        lambda d: d.execute_script("return document.readyState") == "complete",
        "the page never finished loading")


def active_id(drv):
    return drv.switch_to.active_element.get_attribute("id")


def tab_to(drv, ident, limit=40):
    """Presses Tab until the element with ident has focus; returns the ids
    focused on the way (the tab order)."""
    seen = []
    for _ in range(limit):
        drv.switch_to.active_element.send_keys(Keys.TAB)
        seen.append(active_id(drv))
        if seen[-1] == ident:
            return seen
    raise AssertionError("Tab never reached #%s; order: %s" % (ident, seen))


def test_javascript_is_off(browser):
    browser.get("data:text/html,<title>plain</title>"
                "<script>document.title='script ran'</script>")
    assert browser.title == "plain", "JavaScript runs in the test browser"


def test_register_and_cancel_with_the_keyboard(browser, daemon, event):
    ev, sessions = event
    drv = browser
    drv.get(daemon.url + "/events/" + ev["slug"])
    assert ev["title"] in drv.title
    assert drv.find_element(By.TAG_NAME, "h1").text == ev["title"]
    # the style sheet loaded under the CSP (the header is the brand colour)
    header = drv.find_element(By.CSS_SELECTOR, "header.site")
    assert header.value_of_css_property("background-color") == "rgba(0, 90, 125, 1)"
    # the honeypot is not to be seen
    assert not drv.find_element(By.ID, "f-homepage").is_displayed()

    # the keyboard reaches every field in order, and never the honeypot
    drv.switch_to.active_element.send_keys(Keys.TAB)
    assert drv.switch_to.active_element.get_attribute("class") == "skip", \
        "the first Tab should reach the skip link"
    assert drv.switch_to.active_element.is_displayed()
    tab_to(drv, "f-given_name", limit=80)
    order = tab_to(drv, "f-consent_privacy")
    assert order == ["f-family_name", "f-email", "f-role", "f-organisation", "f-organisation_type",
                     "f-enterprise_number", "f-postcode", "f-language",
                     "f-sessions-" + sessions[0]["slug"],
                     "f-sessions-" + sessions[1]["slug"],
                     "f-sessions-" + sessions[2]["slug"], "f-consent_privacy"], order
    assert "f-homepage" not in order

    # fill in the form by keyboard, with a mistake in the e-mail address
    given, family = "Éliane <b>An</b>", "Van den Bossche & \"Zonen\""
    drv.find_element(By.ID, "f-given_name").send_keys(given)
    drv.find_element(By.ID, "f-family_name").send_keys(family)
    drv.find_element(By.ID, "f-email").send_keys("an.peeters@")
    Select(drv.find_element(By.ID, "f-role")).select_by_value("employer")
    drv.find_element(By.ID, "f-organisation").send_keys("Bakkerij Peeters bv")
    Select(drv.find_element(By.ID, "f-organisation_type")).select_by_visible_text("KMO")
    drv.find_element(By.ID, "f-postcode").send_keys("8900")
    box = drv.find_element(By.ID, "f-sessions-" + sessions[0]["slug"])
    box.send_keys(Keys.SPACE)
    assert box.is_selected()
    drv.find_element(By.ID, "f-sessions-" + sessions[2]["slug"]).send_keys(Keys.SPACE)
    consent = drv.find_element(By.ID, "f-consent_privacy")
    consent.send_keys(Keys.SPACE)
    assert consent.is_selected()
    drv.find_element(By.CSS_SELECTOR, "form.register button[type=submit]").send_keys(Keys.ENTER)

    # the form again: a summary on top, the message beside the field
    wait_for_path(drv, lambda p: p.endswith("/register"), "the form again")
    summary = drv.find_element(By.CSS_SELECTOR, ".error-summary")
    assert summary.is_displayed()
    link = summary.find_element(By.CSS_SELECTOR, "a[href='#f-email']")
    assert "e-mailadres" in link.text
    assert "Fout:" in drv.title
    email = drv.find_element(By.ID, "f-email")
    assert email.get_attribute("aria-invalid") == "true"
    assert drv.find_element(By.ID, "f-email-error").is_displayed()
    assert drv.find_element(By.ID, "f-given_name").get_attribute("value") == given
    assert drv.find_element(By.ID, "f-family_name").get_attribute("value") == family
    assert drv.find_element(By.ID, "f-sessions-" + sessions[2]["slug"]).is_selected()
    assert drv.find_element(By.ID, "f-consent_privacy").is_selected()
    link.send_keys(Keys.ENTER)  # follow the summary's link to the field
    assert urlsplit(drv.current_url).fragment == "f-email"

    email.clear()
    email.send_keys("an.peeters+%s@example.be" % unique())
    email.send_keys(Keys.ENTER)  # Enter in a field submits the form

    # the confirmation page
    wait_for_path(drv, lambda p: p.startswith("/r/"), "the registration page")
    token = urlsplit(drv.current_url).path[3:]
    status = drv.find_element(By.CSS_SELECTOR, ".notice[role=status]")
    assert "Je bent ingeschreven." in status.text
    body = drv.find_element(By.TAG_NAME, "main").text
    assert given + " " + family in body and sessions[0]["title"] in body
    assert sessions[1]["title"] not in body
    links = [a.get_attribute("href") for a in drv.find_elements(By.CSS_SELECTOR, ".calendar a")]
    assert any(h.startswith("webcal://") and h.endswith(token + ".ics") for h in links)
    assert daemon.get("/api/v1/registrations/" + token).json()["status"] == "confirmed"

    # cancel, by keyboard
    drv.find_element(By.CSS_SELECTOR, "button.warning").send_keys(Keys.ENTER)
    WebDriverWait(drv, 10, ignored_exceptions=NAVIGATING).until(
        lambda d: "geannuleerd" in d.find_element(By.TAG_NAME, "main").text,
        "the cancelled page never came")
    assert urlsplit(drv.current_url).path == "/r/" + token
    assert "Deze inschrijving is geannuleerd." in drv.find_element(By.TAG_NAME, "main").text
    assert not drv.find_elements(By.CSS_SELECTOR, "button.warning")
    assert daemon.get("/api/v1/registrations/" + token).json()["status"] == "cancelled"

    # no Content-Security-Policy violation along the way (the 422 answer
    # and the missing favicon are logged too, as network errors)
    errors = [e for e in drv.get_log("browser") if e.get("source") != "network"]
    assert not errors, errors


def test_pages_fit_a_phone(browser, daemon, event):
    ev, _ = event
    browser.set_window_size(375, 812)
    for path in ("/", "/events/" + ev["slug"]):
        browser.get(daemon.url + path)
        width = browser.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], (path, width)
    for ident in ("f-given_name", "f-family_name"):
        field = browser.find_element(By.ID, ident)
        assert field.size["width"] >= 250, field.size  # a finger-sized field
    button = browser.find_element(By.CSS_SELECTOR, "form.register button")
    assert button.size["height"] >= 44, button.size


def test_english_in_the_browser(browser, daemon, event):
    ev, _ = event
    browser.get(daemon.url + "/events/%s?lang=en" % ev["slug"])
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    day = date(YEAR, 3, 18).strftime("%A")
    assert day + " 18 March %d, 13:30\u201317:30" % YEAR in \
        browser.find_element(By.TAG_NAME, "main").text
    assert browser.find_element(By.CSS_SELECTOR, "form.register button").text == "Register"
