"""The organiser console in a real browser: headless Chromium through
Selenium, JavaScript off (the console has none and needs none).

An organiser opens /beheer/, is sent to the login, logs in with the
keyboard alone, sees the dashboard, logs out with the keyboard, and the
Back button shows nothing private (the pages are no-store); at desktop
and at phone width.  A door account is refused what is not its own.
Skipped, with the reason, when Chromium, chromedriver or
python3-selenium is missing.
"""

from urllib.parse import parse_qs, urlsplit

import pytest

import browser as chromium
from harness import at, describe, event_body, unique

from browser import NAVIGATING, By, Keys, WebDriverWait

pytestmark = chromium.needed

SIZES = {"desktop": chromium.DESKTOP, "phone": chromium.PHONE}


def settle(drv, test, what):
    WebDriverWait(drv, 10, ignored_exceptions=NAVIGATING).until(
        lambda d: test(urlsplit(d.current_url)) and
        d.execute_script("return document.readyState") == "complete",
        "the browser never reached " + what)


def active_id(drv):
    return drv.switch_to.active_element.get_attribute("id")


def tab_until(drv, test, what, limit=40):
    """Presses Tab until test(the focused element) holds."""
    for _ in range(limit):
        drv.switch_to.active_element.send_keys(Keys.TAB)
        if test(drv.switch_to.active_element):
            return drv.switch_to.active_element
    raise AssertionError("Tab never reached " + what)


@pytest.mark.parametrize("size", sorted(SIZES))
def test_log_in_see_the_dashboard_log_out_by_keyboard(browser, daemon, token,
                                                      console_user, issued_tokens,
                                                      size):
    title = "Netwerkevent Levenslang Leren " + unique()
    r = daemon.post("/api/v1/events", token=token, json=event_body(
        kind="network-event", title=title, starts_at=at(3, 18, 13, 30),
        ends_at=at(3, 18, 17, 30)))
    assert r.status_code == 201, describe(r)
    email, password = console_user("organiser")
    drv = browser
    drv.set_window_size(*SIZES[size])

    drv.get(daemon.url + "/beheer/")
    settle(drv, lambda u: u.path == "/beheer/login", "the login page")
    assert parse_qs(urlsplit(drv.current_url).query)["next"] == ["/beheer/"]
    assert drv.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl"
    # the keyboard: the skip link first, then the fields in order
    drv.switch_to.active_element.send_keys(Keys.TAB)
    assert drv.switch_to.active_element.get_attribute("class") == "skip"
    tab_until(drv, lambda e: e.get_attribute("id") == "f-email", "the address")
    drv.switch_to.active_element.send_keys(email)
    drv.switch_to.active_element.send_keys(Keys.TAB)
    assert active_id(drv) == "f-password"
    drv.switch_to.active_element.send_keys(password)
    drv.switch_to.active_element.send_keys(Keys.ENTER)

    settle(drv, lambda u: u.path == "/beheer/", "the dashboard")
    cookie = drv.get_cookie("lk_session")
    issued_tokens.append(cookie["value"])
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
    assert drv.find_element(By.TAG_NAME, "h1").text == "Overzicht"
    header = drv.find_element(By.CSS_SELECTOR, "header.site").text
    assert email in header and "organisator" in header
    main = drv.find_element(By.TAG_NAME, "main").text
    assert title in main and "Komende activiteiten" in main
    width = drv.execute_script(
        "return [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], "the page scrolls sideways: %s" % width
    # wide tables scroll in their own region, which the keyboard reaches
    region = tab_until(drv, lambda e: e.get_attribute("role") == "region",
                       "a table's region")
    assert region.get_attribute("aria-labelledby") == "upcoming"

    # log out, by keyboard: from the top of the page, Tab to its button
    drv.get(daemon.url + "/beheer/")
    button = tab_until(drv, lambda e: e.tag_name == "button" and
                       e.text == "Afmelden", "the logout button")
    assert button.is_displayed() and button.size["height"] >= 36
    button.send_keys(Keys.ENTER)
    settle(drv, lambda u: u.path == "/beheer/login", "the login page again")
    assert "Je bent afgemeld." in drv.find_element(By.TAG_NAME, "main").text
    assert drv.get_cookie("lk_session") is None

    # Back: the dashboard is asked for again (no-store), and refused
    drv.back()
    WebDriverWait(drv, 10, ignored_exceptions=NAVIGATING).until(
        lambda d: d.execute_script("return document.readyState") == "complete")
    assert urlsplit(drv.current_url).path == "/beheer/login", drv.current_url
    source = drv.page_source
    assert email not in source and title not in source, \
        "Back showed a private page from the cache"

    errors = [e for e in drv.get_log("browser") if e.get("source") != "network"]
    assert not errors, errors


def test_a_door_account_sees_only_its_own(browser, daemon, console_user, issued_tokens):
    email, password = console_user("door")
    drv = browser
    chromium.console_login(drv, daemon.url, email, password, issued_tokens)
    assert urlsplit(drv.current_url).path == "/beheer/"
    nav = drv.find_element(By.CSS_SELECTOR, "nav.console-nav").text
    assert "Beheer" not in nav
    for path in ("/beheer/users", "/beheer/tokens", "/beheer/audit",
                 "/beheer/events/" + unique()):
        drv.get(daemon.url + path)
        assert drv.find_element(By.TAG_NAME, "h1").text == "Geen toegang", path


def test_the_login_page_in_english(browser, daemon):
    browser.get(daemon.url + "/beheer/?lang=en")
    settle(browser, lambda u: u.path == "/beheer/login", "the login page")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Log in"
