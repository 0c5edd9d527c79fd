"""The console's event form in a real browser, by keyboard only: headless
Chromium through Selenium, JavaScript off (the console has none and
needs none), at desktop (1280 px) and phone (375 px) width.

An organiser logs in, goes from the dashboard to "Nieuwe activiteit",
fills in a network event with four parallel sessions (adding a fifth
row with the keyboard on the way), saves the draft, sees the sessions as
one time slot on the event page and publishes it; the public page then
shows it.  With LEERKANS_SCREENSHOTS=dir the form and the event page are
kept as PNG files (docs/screenshots/ was made so).  Skipped, with the
reason, when Chromium, chromedriver or python3-selenium is missing.
"""

import os
from urllib.parse import urlsplit

import pytest

import browser as chromium
from harness import YEAR, at, unique

from browser import NAVIGATING, By, Keys, WebDriverWait

pytestmark = chromium.needed

SIZES = {"desktop": (1280, 900), "phone": chromium.PHONE}


def settle(drv, test, what):
    WebDriverWait(drv, 10, ignored_exceptions=NAVIGATING).until(
        lambda d: test(urlsplit(d.current_url)) and
        d.execute_script("return document.readyState") == "complete",
        "the browser never reached " + what)


def focused(drv):
    return drv.switch_to.active_element


def tab_until(drv, test, what, limit=200):
    """Presses Tab until test(the focused element) holds."""
    for _ in range(limit):
        focused(drv).send_keys(Keys.TAB)
        if test(focused(drv)):
            return focused(drv)
    raise AssertionError("Tab never reached " + what)


def tab_to(drv, ident):
    return tab_until(drv, lambda e: e.get_attribute("id") == ident, ident)


def type_in(drv, ident, text):
    """Tabs to the field ident and types text into it."""
    tab_to(drv, ident).send_keys(text)


def type_time(drv, ident, day, month, hour, minute):
    """A date and time, typed as a person types it into the browser's own
    date and time field: digit after digit, each part moving on to the
    next when whole, the year (up to six digits) left with the arrow key.
    Debian's headless Chromium lays the field out as en-US whatever the
    page's and the browser's language (mm/dd/yyyy hh:mm AM/PM)."""
    el = tab_to(drv, ident)
    el.send_keys("%02d%02d%04d" % (month, day, YEAR) + Keys.RIGHT +
                 "%02d%02d" % ((hour + 11) % 12 + 1, minute) +
                 ("P" if hour >= 12 else "A"))
    want = "%04d-%02d-%02dT%02d:%02d" % (YEAR, month, day, hour, minute)
    assert el.get_attribute("value") == want, \
        "the field took %r for %s (another layout?)" % (
            el.get_attribute("value"), want)


def shot(drv, name):
    """The whole page (up to 3000 px high) as a PNG file in
    $LEERKANS_SCREENSHOTS, when that is set."""
    where = os.environ.get("LEERKANS_SCREENSHOTS")
    if not where:
        return
    os.makedirs(where, exist_ok=True)
    size = drv.get_window_size()
    height = drv.execute_script(
        "return document.documentElement.scrollHeight")
    drv.set_window_size(size["width"], min(int(height) + 120, 3000))
    drv.execute_script("window.scrollTo(0, 0)")
    drv.save_screenshot(os.path.join(where, name))
    drv.set_window_size(size["width"], size["height"])


def fits(drv):
    width = drv.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], "the page scrolls sideways: %s" % width


def log_in_by_keyboard(drv, url, email, password, issued):
    drv.get(url + "/beheer/")
    settle(drv, lambda u: u.path == "/beheer/login", "the login page")
    type_in(drv, "f-email", email)
    focused(drv).send_keys(Keys.TAB)
    focused(drv).send_keys(password)
    focused(drv).send_keys(Keys.ENTER)
    settle(drv, lambda u: u.path == "/beheer/", "the dashboard")
    issued.append(drv.get_cookie("lk_session")["value"])


@pytest.mark.parametrize("size", sorted(SIZES))
def test_a_network_event_with_four_sessions_by_keyboard(browser, daemon, token,
                                                        console_user,
                                                        issued_tokens, size):
    drv = browser
    drv.set_window_size(*SIZES[size])
    email, password = console_user("organiser")
    log_in_by_keyboard(drv, daemon.url, email, password, issued_tokens)

    link = tab_until(drv, lambda e: e.tag_name == "a" and
                     e.text == "Nieuwe activiteit", "the new event's link")
    link.send_keys(Keys.ENTER)
    settle(drv, lambda u: u.path == "/beheer/events/new", "the event form")
    assert drv.find_element(By.TAG_NAME, "h1").text == "Nieuwe activiteit"
    fits(drv)

    slug = unique("netwerk-" + size)
    title = "Netwerkevent Levenslang Leren \u2013 voorjaar"
    # a select takes the first letters of its choice
    tab_to(drv, "f-kind").send_keys("Netwerk")
    type_in(drv, "f-title", title)
    type_in(drv, "f-slug", slug)
    type_time(drv, "f-starts_at", 18, 3, 13, 30)
    type_time(drv, "f-ends_at", 18, 3, 17, 30)
    type_in(drv, "f-venue_name", "Hangar K")
    type_in(drv, "f-venue_postcode", "8500")
    type_in(drv, "f-venue_city", "Kortrijk")
    type_in(drv, "f-capacity", "120")
    # one more row than the four the form has, by keyboard, without
    # JavaScript: the form comes back with what was typed
    add = tab_until(drv, lambda e: e.get_attribute("name") == "add_row",
                    "the button that adds a row")
    add.send_keys(Keys.ENTER)
    settle(drv, lambda u: u.path == "/beheer/events", "the form again")
    assert drv.find_element(By.ID, "f-s5-title") is not None
    assert drv.find_element(By.ID, "f-title").get_attribute("value") == title
    rooms = ["Zaal A", "Zaal B", "Zaal C", "Zaal D"]
    for n in range(1, 5):
        type_in(drv, "f-s%d-slug" % n, "sessie-%d" % n)
        type_in(drv, "f-s%d-title" % n, "Parallelle sessie %d" % n)
        type_time(drv, "f-s%d-starts_at" % n, 18, 3, 14, 0)
        type_time(drv, "f-s%d-ends_at" % n, 18, 3, 15, 15)
        type_in(drv, "f-s%d-room" % n, rooms[n - 1])
    fits(drv)
    shot(drv, "console-event-form-%s.png" % size)
    save = tab_until(drv, lambda e: e.get_attribute("name") == "save",
                     "the save button")
    assert save.text == "Ontwerp bewaren"
    save.send_keys(Keys.ENTER)
    settle(drv, lambda u: u.path == "/beheer/events/" + slug, "the event page")

    main = drv.find_element(By.TAG_NAME, "main").text
    assert "Het ontwerp is bewaard" in main
    assert "Tijdslot 1" in main and "4 sessies tegelijk" in main
    body = daemon.get("/api/v1/events/" + slug, token=token).json()
    assert body["status"] == "draft" and body["kind"] == "network-event"
    assert body["starts_at"] == at(3, 18, 13, 30)
    assert len(body["sessions"]) == 4
    fits(drv)
    shot(drv, "console-event-%s.png" % size)

    publish = tab_until(drv, lambda e: e.tag_name == "button" and
                        e.text == "Publiceren", "the publish button")
    publish.send_keys(Keys.ENTER)
    settle(drv, lambda u: u.query == "m=event-published", "published")
    assert "De activiteit is gepubliceerd" in \
        drv.find_element(By.TAG_NAME, "main").text
    assert daemon.get("/api/v1/events/" + slug).json()["status"] == \
        "published"
    drv.get(daemon.url + "/events/" + slug)
    assert drv.find_element(By.TAG_NAME, "h1").text == title

    errors = [e for e in drv.get_log("browser") if e.get("source") != "network"]
    assert not errors, errors
