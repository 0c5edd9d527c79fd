"""Headless Chromium for the tests, and axe-core in it.

chromium(javascript=False, ...) starts Debian's chromium through
chromedriver (selenium), as a person's browser would be: a fresh profile,
Dutch first, no network of its own.  The pages have no JavaScript and
must not need any, so the journeys run with it turned off.

axe-core needs JavaScript to run its rules (its promises and timers do not
fire in a page whose scripts are off), so the accessibility sweep uses a
browser with JavaScript on: the pages behave the same, and their CSP
(script-src 'none') still holds for anything the page itself would load;
what WebDriver injects is not the page's.

axe_violations(driver) injects axe.min.js and returns the violations of
impact serious or critical, each as (rule id, impact, help, [targets]).
console_login(driver, url, email, password) logs a browser in to the
organiser console by its form, as a person would.  Browser(downloads=dir)
saves what a link downloads into dir (test_console_journey.py reads the
exports so).

axe.min.js comes from $LEERKANS_AXE, else tests/node_modules/axe-core
(npm ci --prefix tests).  Without it the sweep is skipped with the reason,
unless LEERKANS_REQUIRE_AXE=1 (contrib/dev.sh test sets it), which makes
a missing axe-core a failure.
"""

import os
import shutil
import tempfile
import time

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"

try:
    from selenium import webdriver
    from selenium.common.exceptions import (StaleElementReferenceException,
                                            WebDriverException)
    from selenium.webdriver.chrome.service import Service
    # for the browser tests: from browser import By, Keys, ...
    from selenium.webdriver.common.by import By  # noqa: F401
    from selenium.webdriver.common.keys import Keys  # noqa: F401
    from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: F401
    # while a page is replaced by the next, reading the old one's nodes
    # fails in either of these ways; a wait tries again
    NAVIGATING = [StaleElementReferenceException, WebDriverException]
    SELENIUM = None
except ImportError as exc:  # pragma: no cover - depends on the machine
    SELENIUM = str(exc)
    By = Keys = Select = WebDriverWait = None
    NAVIGATING = []

PHONE = (375, 812)
DESKTOP = (1100, 900)


def missing():
    """Why no browser test can run here, or None."""
    if SELENIUM is not None:
        return "python3-selenium is not installed (%s)" % SELENIUM
    if not os.access(CHROMIUM, os.X_OK):
        return "chromium is not installed (no %s)" % CHROMIUM
    if not os.access(CHROMEDRIVER, os.X_OK):
        return "chromium-driver is not installed (no %s)" % CHROMEDRIVER
    return None


# a browser test module's pytestmark: skipped, saying why, without one
needed = pytest.mark.skipif(missing() is not None, reason=missing() or "")


class Browser:
    """A chromium with its own profile directory; quit() removes both."""

    def __init__(self, javascript=False, size=DESKTOP, lang="nl-BE",
                 downloads=None):
        self.profile = tempfile.mkdtemp(prefix="leerkans-chromium-")
        opts = webdriver.ChromeOptions()
        opts.binary_location = CHROMIUM
        short = lang.split("-")[0]
        for arg in ("--headless=new", "--no-sandbox", "--disable-gpu",
                    "--disable-dev-shm-usage", "--no-first-run",
                    "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--user-data-dir=" + self.profile,
                    "--window-size=%d,%d" % size, "--lang=" + lang,
                    "--accept-lang=%s,%s" % (lang, short)):
            opts.add_argument(arg)
        prefs = {"intl.accept_languages": "%s,%s" % (lang, short)}
        if not javascript:
            prefs["profile.managed_default_content_settings.javascript"] = 2
        if downloads is not None:
            prefs["download.default_directory"] = downloads
            prefs["download.prompt_for_download"] = False
        opts.add_experimental_option("prefs", prefs)
        opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        try:
            self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER),
                                           options=opts)
        except Exception:
            shutil.rmtree(self.profile, ignore_errors=True)
            raise
        self.driver.set_page_load_timeout(20)
        if downloads is not None:
            # headless Chromium saves downloads only when told where
            self.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {
                "behavior": "allow", "downloadPath": downloads})

    def quit(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)


def console_login(driver, url, email, password, issued=None):
    """Logs driver in to the console of the daemon at url through the
    login form; the session cookie's value joins issued (the secrets no
    daemon may log).  Returns once the page after the login is in."""
    from urllib.parse import urlsplit
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    driver.get(url + "/beheer/login")
    driver.find_element(By.ID, "f-email").send_keys(email)
    field = driver.find_element(By.ID, "f-password")
    field.send_keys(password)
    field.submit()
    WebDriverWait(driver, 10).until(
        lambda d: urlsplit(d.current_url).path != "/beheer/login" and
        d.execute_script("return document.readyState") == "complete",
        "the login never led on")
    cookie = driver.get_cookie("lk_session")
    assert cookie is not None, "no session after the login"
    if issued is not None:
        issued.append(cookie["value"])


def axe_source():
    """The path of axe.min.js, or None."""
    here = os.path.dirname(os.path.abspath(__file__))
    for path in (os.environ.get("LEERKANS_AXE", ""),
                 os.path.join(os.environ.get("LEERKANS_SRCDIR", ""), "tests",
                              "node_modules", "axe-core", "axe.min.js"),
                 os.path.join(here, "..", "node_modules", "axe-core",
                              "axe.min.js")):
        if path and os.path.isfile(path):
            return path
    return None


def require_axe():
    """Skips (or, with LEERKANS_REQUIRE_AXE=1, fails) without axe-core."""
    if axe_source() is not None:
        return
    why = ("axe-core is not installed: npm ci --prefix tests, or point "
           "LEERKANS_AXE at axe.min.js")
    if os.environ.get("LEERKANS_REQUIRE_AXE", "") not in ("", "0"):
        pytest.fail(why)
    pytest.skip(why)


RUN_AXE = """
window.__leerkans_axe = null;
axe.run(document, {resultTypes: ['violations']}).then(function (r) {
    window.__leerkans_axe = r.violations.map(function (v) {
        return [v.id, v.impact, v.help,
                v.nodes.map(function (n) { return n.target.join(' '); })];
    });
}, function (e) { window.__leerkans_axe = 'axe failed: ' + e; });
"""


def axe_violations(driver, impacts=("serious", "critical"), timeout=30):
    """Runs axe-core on the page the driver shows; the violations of the
    given impacts as a list of (id, impact, help, targets)."""
    with open(axe_source(), encoding="utf-8") as f:
        driver.execute_script(f.read() + RUN_AXE)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = driver.execute_script("return window.__leerkans_axe")
        if isinstance(got, str):
            raise AssertionError(got)
        if got is not None:
            return [tuple(v) for v in got if v[1] in impacts]
        time.sleep(0.05)
    raise AssertionError("axe-core gave no answer in %d s (is JavaScript "
                         "on in this browser?)" % timeout)
