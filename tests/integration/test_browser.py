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
from harness import (YEAR, at, describe, event_body, registration_body,
                     session_body, unique)

from browser import NAVIGATING, By, Keys, Select, WebDriverWait

pytestmark = chromium.needed


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
    # the two parallel sessions are one radio group: Tab enters it once,
    # on its chosen button ("none")
    assert order == ["f-family_name", "f-email", "f-role", "f-organisation", "f-organisation_type",
                     "f-enterprise_number", "f-postcode", "f-language",
                     "f-slot-1-none",
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

    # cancel, by keyboard: the link, then the confirmation's button
    drv.find_element(By.CSS_SELECTOR, "a.button.warning").send_keys(Keys.ENTER)
    wait_for_path(drv, lambda p: p.endswith("/cancel"), "the confirmation")
    drv.find_element(By.CSS_SELECTOR, "form.cancel button.warning").send_keys(Keys.ENTER)
    WebDriverWait(drv, 10, ignored_exceptions=NAVIGATING).until(
        lambda d: "geannuleerd" in d.find_element(By.TAG_NAME, "main").text,
        "the cancelled page never came")
    assert urlsplit(drv.current_url).path == "/r/" + token
    assert "Deze inschrijving is geannuleerd." in drv.find_element(By.TAG_NAME, "main").text
    assert not drv.find_elements(By.CSS_SELECTOR, "a.button.warning")
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


# -- issue 14: time slots, the cancel confirmation, the head ------------------

def programme_event(daemon, token, capacity=120):
    """A network event as action 7 runs it: parallel sessions in two time
    slots (the first a chain: westhoek starts before the others end) and
    a closing session of its own.  Returns the event and its sessions by
    slug."""
    r = daemon.post("/api/v1/events", token=token, json=event_body(
        kind="network-event", capacity=capacity,
        title="Netwerkevent Levenslang Leren \u2013 voorjaar",
        description="Parallelle netwerksessies over de acties van het "
                    "actieplan, met tijd om bij te praten. #blijfkennismaken",
        starts_at=at(3, 18, 13, 30), ends_at=at(3, 18, 17, 30),
        venue={"name": "Provinciehuis Boeverbos",
               "address": "Koning Leopold III-laan 41",
               "postcode": "8200", "city": "Brugge"}))
    assert r.status_code == 201, describe(r)
    ev = r.json()
    made = {}
    for slug, title, start, end, room, desc in (
            ("leernetwerken", "Lokale leernetwerken digitale basisvaardigheden",
             (14, 0), (15, 0), "Zaal 1", "Actie 1: ondernemingen versterken "
             "samen digitale basiscompetenties."),
            ("academies", "Samenwerken met en tussen in-company academies",
             (14, 0), (15, 0), "Zaal 2", "Actie 2: leren van elkaars academie."),
            ("westhoek", "Leerecosysteem Westhoek", (14, 15), (15, 15),
             "Zaal 3", "Actie 3: meer aanbod waar het ontbreekt."),
            ("werkveld", "Werkveldverkenning als ori\u00ebntatietool",
             (15, 30), (16, 30), "Zaal 1", ""),
            ("kmo", "Leren in KMO's: wat werkt?", (15, 30), (16, 30),
             "Zaal 2", "Actie 4: voor KMO's en intermediairen."),
            ("teller", "Slotmoment: de teller loopt", (16, 45), (17, 15),
             "Auditorium", "")):
        r = daemon.post("/api/v1/events/%s/sessions" % ev["slug"], token=token,
                        json=session_body(slug=slug, title=title, room=room,
                                          description=desc, capacity=30,
                                          starts_at=at(3, 18, *start),
                                          ends_at=at(3, 18, *end)))
        assert r.status_code == 201, describe(r)
        made[slug] = r.json()
    return ev, made


def press(drv, *keys):
    for k in keys:
        drv.switch_to.active_element.send_keys(k)


def selected(drv, ident):
    return drv.find_element(By.ID, ident).is_selected()


def tab_until(drv, test, what, limit=60):
    """Presses Tab until test(active element) holds; the element."""
    for _ in range(limit):
        drv.switch_to.active_element.send_keys(Keys.TAB)
        el = drv.switch_to.active_element
        if test(el):
            return el
    raise AssertionError("Tab never reached " + what)


def csp_reports(drv):
    return [e for e in drv.get_log("browser")
            if "Content Security Policy" in e.get("message", "")]


def fits(drv):
    w = drv.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]")
    return w[0] <= w[1], w


def shoot(drv, name, width, tmp_path, selector="main"):
    """A screenshot of the element selector at window width (Chromium's
    own capture, so the element may be taller than the window); kept in
    tmp_path, or in $LEERKANS_SCREENSHOTS when set (docs/screenshots/ is
    made so)."""
    import base64
    import os
    drv.set_window_size(width, 900)
    drv.execute_script("window.scrollTo(0, 0); document.activeElement.blur();")
    top, height = drv.execute_script(
        "var r = document.querySelector(arguments[0]).getBoundingClientRect();"
        "return [r.top + window.scrollY, r.height];", selector)
    shot = drv.execute_cdp_cmd("Page.captureScreenshot", {
        "captureBeyondViewport": True,
        "clip": {"x": 0, "y": max(top - 16, 0), "width": width,
                 "height": height + 32, "scale": 1}})
    where = os.environ.get("LEERKANS_SCREENSHOTS") or str(tmp_path)
    path = os.path.join(where, "%s-%d.png" % (name, width))
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    assert os.path.getsize(path) > 1000, path
    return path


def test_time_slots_by_keyboard(browser, daemon, token):
    ev, s = programme_event(daemon, token)
    drv = browser
    drv.get(daemon.url + "/events/" + ev["slug"])
    # the programme once: each session's title in the form only
    main = drv.find_element(By.TAG_NAME, "main")
    assert main.text.count(s["westhoek"]["title"]) == 1
    groups = drv.find_elements(By.CSS_SELECTOR, "fieldset.slot")
    assert len(groups) == 2
    assert groups[0].find_element(By.TAG_NAME, "legend").text.startswith(
        "14:00\u201315:15")

    drv.find_element(By.ID, "f-given_name").send_keys("Sofie")
    drv.find_element(By.ID, "f-family_name").send_keys("Vandendriessche")
    drv.find_element(By.ID, "f-email").send_keys("sofie+%s@example.be" % unique())
    Select(drv.find_element(By.ID, "f-role")).select_by_value("employer")
    Select(drv.find_element(By.ID, "f-organisation_type")).select_by_value("sme")
    drv.find_element(By.ID, "f-language").send_keys("")  # focus, as by Tab

    # Tab enters the first slot on its chosen button, "none"
    press(drv, Keys.TAB)
    assert active_id(drv) == "f-slot-1-none" and selected(drv, "f-slot-1-none")
    # the arrow keys move through the group (sessions of one time by
    # title) and choose as they go
    press(drv, Keys.ARROW_DOWN)
    assert active_id(drv) == "f-sessions-academies"
    assert selected(drv, "f-sessions-academies")
    assert not selected(drv, "f-slot-1-none")
    press(drv, Keys.ARROW_DOWN)
    assert active_id(drv) == "f-sessions-leernetwerken"
    assert selected(drv, "f-sessions-leernetwerken")
    assert not selected(drv, "f-sessions-academies"), \
        "two sessions of one slot chosen at once"
    # Tab leaves the group: the next slot, whose choice is its own
    press(drv, Keys.TAB)
    assert active_id(drv) == "f-slot-2-none" and selected(drv, "f-slot-2-none")
    assert selected(drv, "f-sessions-leernetwerken")
    press(drv, Keys.ARROW_DOWN, Keys.ARROW_DOWN)
    assert active_id(drv) == "f-sessions-werkveld"
    press(drv, Keys.ARROW_UP)
    assert active_id(drv) == "f-sessions-kmo" and selected(drv, "f-sessions-kmo")
    # a slot of one session is a checkbox
    press(drv, Keys.TAB)
    assert active_id(drv) == "f-sessions-teller"
    assert drv.switch_to.active_element.get_attribute("type") == "checkbox"
    press(drv, Keys.SPACE)
    press(drv, Keys.TAB)
    assert active_id(drv) == "f-consent_privacy"
    press(drv, Keys.SPACE)
    # the consent box's notice, then the button
    link = tab_until(drv, lambda e: e.tag_name == "a", "the privacy link")
    assert link.get_attribute("href").endswith("/privacy")
    assert link.get_attribute("target") == "_blank"
    button = tab_until(drv, lambda e: e.tag_name == "button", "the button")
    button.send_keys(Keys.ENTER)

    wait_for_path(drv, lambda p: p.startswith("/r/"), "the registration page")
    token_ = urlsplit(drv.current_url).path[3:]
    reg = daemon.get("/api/v1/registrations/" + token_).json()
    assert sorted(x["slug"] for x in reg["sessions"]) == ["kmo", "leernetwerken", "teller"]
    assert not csp_reports(drv)


def test_time_slots_at_phone_width(browser, daemon, token, tmp_path):
    ev, s = programme_event(daemon, token)
    drv = browser
    drv.set_window_size(375, 812)
    drv.get(daemon.url + "/events/" + ev["slug"])
    ok, w = fits(drv)
    assert ok, w
    for slot in drv.find_elements(By.CSS_SELECTOR, ".slot"):
        assert slot.size["width"] <= 375 - 2 * 16 + 1, slot.size
    for ident in ("f-slot-1-none", "f-sessions-westhoek", "f-sessions-teller"):
        box = drv.find_element(By.ID, ident)
        label = drv.find_element(By.CSS_SELECTOR, "label[for='%s']" % ident)
        assert box.size["width"] >= 24 and box.size["height"] >= 24, box.size
        assert label.is_displayed() and label.size["height"] >= 24
    # choosing by touch (a click on a label) keeps one per slot
    drv.find_element(By.CSS_SELECTOR, "label[for='f-sessions-westhoek']").click()
    drv.find_element(By.CSS_SELECTOR, "label[for='f-sessions-leernetwerken']").click()
    assert selected(drv, "f-sessions-leernetwerken")
    assert not selected(drv, "f-sessions-westhoek")
    shoot(drv, "event-time-slots", 375, tmp_path, "#programma")
    shoot(drv, "event-time-slots", 1100, tmp_path, "#programma")


def registered(daemon, ev, sessions):
    r = daemon.post("/api/v1/events/%s/registrations" % ev["slug"],
                    json=registration_body(sessions=sessions))
    assert r.status_code == 201, describe(r)
    return r.json()["manage_url"].rsplit("/", 1)[1]


def test_cancel_confirmation_by_keyboard(browser, daemon, token, tmp_path):
    ev, s = programme_event(daemon, token, capacity=1)
    tok = registered(daemon, ev, ["academies", "kmo"])
    waiting = registered(daemon, ev, [])
    drv = browser
    drv.get(daemon.url + "/r/" + waiting)
    status = drv.find_element(By.CSS_SELECTOR, ".notice[role=status]").text
    assert "Je staat op plaats 1 van de wachtlijst." in status
    assert "krijg je een e-mail" in status

    drv.get(daemon.url + "/r/" + tok)
    link = tab_until(drv, lambda e: "warning" in (e.get_attribute("class") or ""),
                     "the cancel link")
    assert link.tag_name == "a"
    link.send_keys(Keys.ENTER)
    wait_for_path(drv, lambda p: p == "/r/%s/cancel" % tok, "the confirmation")
    main = drv.find_element(By.TAG_NAME, "main").text
    assert "Wil je je inschrijving annuleren?" in main
    assert ev["title"] in main and s["kmo"]["title"] in main
    assert "eerste persoon op de wachtlijst" in main
    shoot(drv, "cancel-confirmation", 1100, tmp_path)
    drv.set_window_size(*chromium.DESKTOP)
    assert daemon.get("/api/v1/registrations/" + tok).json()["status"] == "confirmed"
    # the button first, then the way back, in that order
    button = tab_until(drv, lambda e: e.tag_name == "button", "the button")
    assert button.text == "Ja, annuleer"
    press(drv, Keys.TAB)
    assert drv.switch_to.active_element.text == "Nee, terug naar je inschrijving"
    press(drv, Keys.SHIFT + Keys.TAB)
    drv.switch_to.active_element.send_keys(Keys.ENTER)
    WebDriverWait(drv, 10, ignored_exceptions=NAVIGATING).until(
        lambda d: urlsplit(d.current_url).path == "/r/" + tok and
        "geannuleerd" in d.find_element(By.TAG_NAME, "main").text,
        "the cancelled page never came")
    assert daemon.get("/api/v1/registrations/" + tok).json()["status"] == "cancelled"
    # the place went to the waiting list: nothing left to register for
    assert "opnieuw in" not in drv.find_element(By.TAG_NAME, "main").text
    assert daemon.get("/api/v1/registrations/" + waiting).json()["status"] == "confirmed"
    assert not [e for e in drv.get_log("browser") if e.get("source") != "network"]


def test_cancel_confirmation_at_phone_width(browser, daemon, token, tmp_path):
    ev, _ = programme_event(daemon, token)
    tok = registered(daemon, ev, ["westhoek"])
    drv = browser
    drv.set_window_size(375, 812)
    drv.get(daemon.url + "/r/%s/cancel" % tok)
    ok, w = fits(drv)
    assert ok, w
    button = drv.find_element(By.CSS_SELECTOR, "form.cancel button")
    assert button.size["height"] >= 44 and button.size["width"] >= 250
    back = drv.find_element(By.LINK_TEXT, "Nee, terug naar je inschrijving")
    assert back.size["height"] >= 24
    shoot(drv, "cancel-confirmation", 375, tmp_path)
    drv.set_window_size(375, 812)
    # "no" by keyboard: back to the page, nothing cancelled
    tab_until(drv, lambda e: e.text == "Nee, terug naar je inschrijving",
              "the way back").send_keys(Keys.ENTER)
    wait_for_path(drv, lambda p: p == "/r/" + tok, "the registration page")
    assert daemon.get("/api/v1/registrations/" + tok).json()["status"] == "confirmed"
    # cancelled with seats left: the page offers to register again
    drv.get(daemon.url + "/r/%s/cancel" % tok)
    drv.find_element(By.CSS_SELECTOR, "form.cancel button").send_keys(Keys.ENTER)
    WebDriverWait(drv, 10, ignored_exceptions=NAVIGATING).until(
        lambda d: "Schrijf je opnieuw in" in d.find_element(By.TAG_NAME, "main").text,
        "no offer to register again")
    again = drv.find_element(By.LINK_TEXT, "Schrijf je opnieuw in")
    assert urlsplit(again.get_attribute("href")).path == "/events/" + ev["slug"]
    ok, w = fits(drv)
    assert ok, w


def test_json_ld_is_no_csp_violation(daemon, token):
    """With JavaScript on, as most readers have it: the event page's
    JSON-LD (a data block, not a script) raises no CSP report, where an
    inline script under the same policy does."""
    ev, _ = programme_event(daemon, token)
    b = chromium.Browser(javascript=True)
    try:
        drv = b.driver
        drv.get("data:text/html,<meta http-equiv='Content-Security-Policy' "
                "content=\"script-src 'none'\"><title>x</title>"
                "<script>document.title='ran'</script>")
        assert drv.title == "x" and csp_reports(drv), \
            "the check would not see a CSP report"
        drv.get(daemon.url + "/events/" + ev["slug"])
        assert drv.find_element(By.CSS_SELECTOR,
                                "script[type='application/ld+json']")
        assert not csp_reports(drv), csp_reports(drv)
    finally:
        b.quit()
