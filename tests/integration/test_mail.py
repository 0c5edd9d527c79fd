"""E-mail: API.md section 9 - the outbox, the sender, the mails.

A real SMTP server (python3-aiosmtpd) runs in this process on a free port;
leerkansd is pointed at it with LEERKANS_SMTP_URL.  Every mail is read with
Python's email package (multipart/alternative, headers, the RFC 2047
subject, the /r/ link) and its calendar part with python3-icalendar, whose
UID and SEQUENCE must be the personal feed's; the check-in code's QR code
(an inline image/png in a multipart/related, named by the HTML's cid:) is
read back with zbarimg.  Each test has a database of its own (the shared
one's outbox fills with every other test's mails)."""

import email
import email.policy
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time

import pytest

from conftest import ctl_env_for
from harness import (assert_json, at, describe, event_body, free_port,
                     registration_body, run_ctl, session_body, unique,
                     wait_until)

aiosmtpd = pytest.importorskip("aiosmtpd.controller")
icalendar = pytest.importorskip("icalendar")

MAIL_FROM = "inschrijvingen@leerkans.example"


class Sink:
    """An SMTP server that keeps every message; refuses RCPT with 550 for
    addresses in self.refuse."""

    def __init__(self, port=None, login=None):
        self.port = port or free_port()
        self.messages = []   # (rcpt, bytes)
        self.refuse = set()
        self.lock = threading.Lock()
        self.controller = None
        self.login = login   # (user, password): AUTH required
        self.logins = []

    def authenticate(self, server, session, envelope, mechanism, data):
        from aiosmtpd.smtp import AuthResult
        got = (data.login.decode(), data.password.decode())
        self.logins.append((mechanism, got[0]))
        return AuthResult(success=got == self.login)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.messages.append((rcpt, envelope.original_content or
                                      envelope.content))
        return "250 Message accepted for delivery"

    def start(self):
        kw = {}
        if self.login:
            # AUTH without TLS: the test has no certificate a client trusts
            kw = dict(authenticator=self.authenticate, auth_required=True,
                      auth_require_tls=False)
        self.controller = aiosmtpd.Controller(self, hostname="127.0.0.1",
                                              port=self.port,
                                              server_hostname="sink.invalid", **kw)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, rcpt):
        with self.lock:
            return [email.message_from_bytes(m, policy=email.policy.default)
                    for r, m in self.messages if r.lower() == rcpt.lower()]

    def wait(self, rcpt, n=1, timeout=20):
        wait_until(lambda: len(self.to(rcpt)) >= n, timeout,
                   what="%d mail(s) for %s" % (n, rcpt))
        return self.to(rcpt)

    @property
    def url(self):
        return "smtp://127.0.0.1:%d" % self.port


@pytest.fixture
def sink():
    s = Sink()
    s.start()
    yield s
    s.stop()


@pytest.fixture
def maildb(pg):
    """A database of the test's own, migrated: (dbname, ctl env, token)."""
    name = unique("mail").replace("-", "_")
    pg.create_database(name)
    env = ctl_env_for(pg, name)
    run_ctl("migrate", env=env)
    tok = run_ctl("token", "create", unique("mailer"), env=env).stdout.strip()
    return name, env, tok


def mail_env(sink, **extra):
    env = {"LEERKANS_SMTP_URL": sink.url, "LEERKANS_MAIL_FROM": MAIL_FROM,
           "LEERKANS_MAIL_LEASE": "5"}
    env.update(extra)
    return env


def make_event(d, tok, **fields):
    r = d.post("/api/v1/events", token=tok, json=event_body(**fields))
    return assert_json(r, 201)


def register(d, slug, **fields):
    body = registration_body(email="%s@example.be" % unique("p"), **fields)
    r = d.post("/api/v1/events/%s/registrations" % slug, json=body)
    assert r.status_code == 201, describe(r)
    return body["email"], r.json()


def parts(msg):
    """(text, html, calendar part or None) of a mail, its shape checked."""
    assert msg["Auto-Submitted"] == "auto-generated"
    assert re.match(r"^<[^@<>]+@leerkans\.example>$", msg["Message-ID"].strip())
    assert msg["Date"] is not None and msg["Date"].datetime is not None
    assert MAIL_FROM in str(msg["From"])
    alt = [p for p in msg.walk() if p.get_content_type() == "multipart/alternative"]
    assert len(alt) == 1, "one multipart/alternative"
    kids = [p.get_content_type() for p in alt[0].iter_parts()]
    assert kids == ["text/plain", "text/html"]
    text = alt[0].get_body(("plain",)).get_content()
    html = alt[0].get_body(("html",)).get_content()
    cal = [p for p in msg.walk() if p.get_content_type() == "text/calendar"]
    # every mail's footer links the privacy notice (issue 14)
    assert privacy_link(text) is not None, "the text links the privacy notice"
    assert 'href="%s"' % privacy_link(text) in html
    return text, html, (cal[0] if cal else None)


def privacy_link(text):
    found = [x for x in text.splitlines()
             if re.search(r" (http://\S+/privacy(\?lang=en)?)$", x)]
    return found[-1].rsplit(" ", 1)[1] if found else None


def raw_subject(msg_bytes):
    m = re.search(rb"^Subject: (.*(?:\r?\n[ \t].*)*)", msg_bytes, re.M)
    return m.group(1).decode("ascii")


def vevents(cal_bytes):
    c = icalendar.Calendar.from_ical(cal_bytes)
    return c, {str(e["UID"]): e for e in c.walk("VEVENT")}


def personal_feed(d, reg):
    r = d.get(reg["calendar_url"])
    assert r.status_code == 200, describe(r)
    return vevents(r.content)


def check_calendar(d, msg, reg, method, status=None):
    _, _, cal = parts(msg)
    assert cal is not None, "a text/calendar part"
    assert cal.get_param("method") == method
    c, evs = vevents(cal.get_payload(decode=True))
    assert str(c["METHOD"]) == method
    _, feed = personal_feed(d, reg)
    assert set(evs) == set(feed), "the feed's UIDs"
    for uid, e in evs.items():
        assert int(e["SEQUENCE"]) == int(feed[uid]["SEQUENCE"]), uid
        if status is not None:
            assert str(e["STATUS"]) == status
    return evs


def manage_link(d, reg):
    return d.url + reg["manage_url"]


def checkin_url(d, pg, dbname, reg):
    code = pg.psql("SELECT checkin_code FROM registrations WHERE id = %d"
                   % reg["id"], dbname=dbname)[0][0]
    return d.url + "/beheer/c/" + code


def zbar(png):
    """The text of the QR code in png, read by zbarimg."""
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg (zbar-tools) is not installed")
    with tempfile.NamedTemporaryFile(suffix=".png") as f:
        f.write(png)
        f.flush()
        r = subprocess.run(["zbarimg", "-q", "--raw", f.name],
                           capture_output=True, text=True)
    assert r.returncode == 0, "zbarimg found no code"
    return r.stdout.strip()


def check_qr(msg, url):
    """The mail carries the check-in code: the text says the address, the
    HTML shows an image the message holds (RFC 2387: multipart/related of
    the alternative and the image, inside the mixed with the calendar),
    and the image reads as the address."""
    top = [p.get_content_type() for p in msg.iter_parts()]
    assert msg.get_content_type() == "multipart/mixed"
    assert top == ["multipart/related", "text/calendar"], top
    related = next(msg.iter_parts())
    assert related.get_param("type") == "multipart/alternative"
    kids = list(related.iter_parts())
    assert [k.get_content_type() for k in kids] == ["multipart/alternative",
                                                    "image/png"]
    img = kids[1]
    assert img.get_content_disposition() == "inline"
    cid = img["Content-ID"].strip()
    assert re.match(r"^<[^<>@]+@[^<>]+>$", cid), cid
    text, html, _ = parts(msg)
    assert url in text.splitlines(), "the address on a line of its own"
    assert ("aan de ingang" in text) or ("at the door" in text)
    m = re.search(r'<img src="cid:([^"]+)"[^>]* alt="([^"]+)"', html)
    assert m, "the HTML shows an image"
    assert "<%s>" % m.group(1) == cid, "the image the HTML names is the part"
    assert url in m.group(2), "its alt text gives the address"
    assert zbar(img.get_payload(decode=True)) == url


def check_no_qr(msg):
    assert [p for p in msg.walk() if p.get_content_maintype() == "image"] == []
    assert [p for p in msg.walk()
            if p.get_content_type() == "multipart/related"] == []
    text, html, _ = parts(msg)
    assert "/beheer/c/" not in text and "cid:" not in html
    assert "<img" not in html


def test_registered_mail_has_its_parts_link_and_calendar(pg, maildb, sink, start_daemon):
    name, env, tok = maildb
    d = start_daemon(env=mail_env(sink), dbname=name)
    ev = make_event(d, tok, title="Netwerkevent — Levenslang Leren in Brugge",
                    language="nl")
    s = assert_json(d.post("/api/v1/events/%s/sessions" % ev["slug"], token=tok,
                           json=session_body()), 201)
    addr, reg = register(d, ev["slug"], sessions=[s["slug"]])
    msg = sink.wait(addr)[0]
    assert len(sink.to(addr)) == 1
    text, html, _ = parts(msg)
    # RFC 2047: the raw header is ASCII, encoded; decoded, the title
    raw = [m for r, m in sink.messages if r.lower() == addr.lower()][0]
    assert "=?" in raw_subject(raw)
    assert "Netwerkevent — Levenslang Leren in Brugge" in str(msg["Subject"])
    assert str(msg["Subject"]).startswith("Inschrijving bevestigd")
    assert manage_link(d, reg) in text
    assert 'href="%s"' % manage_link(d, reg) in html
    assert "Beste An Peeters" in text
    assert privacy_link(text) == d.url + "/privacy"
    assert "POM West-Vlaanderen" in text
    evs = check_calendar(d, msg, reg, "REQUEST")
    assert len(evs) == 2  # the event and the chosen session
    check_qr(msg, checkin_url(d, pg, name, reg))


def test_english_and_waitlisted_then_promoted_and_cancelled(pg, maildb, sink,
                                                            start_daemon):
    name, env, tok = maildb
    d = start_daemon(env=mail_env(sink), dbname=name)
    ev = make_event(d, tok, capacity=1)
    first, reg1 = register(d, ev["slug"])
    second, reg2 = register(d, ev["slug"], language="en")
    assert reg2["status"] == "waitlisted"
    m = sink.wait(second)[0]
    text, _, _ = parts(m)
    assert str(m["Subject"]).startswith("On the waiting list")
    # the privacy notice in the mail's language, and it is there
    link = privacy_link(text)
    assert link == d.url + "/privacy?lang=en"
    page = d.get(link[len(d.url):])
    assert page.status_code == 200 and '<html lang="en"' in page.text
    assert "place 1" in text and manage_link(d, reg2) in text
    check_no_qr(m)
    # the first cancels: the second is promoted, in the same transaction
    assert d.request("DELETE", "/api/v1/registrations/" +
                     reg1["manage_url"].rsplit("/", 1)[1]).status_code == 200
    cancelled = sink.wait(first, 2)[1]
    assert str(cancelled["Subject"]).startswith("Inschrijving geannuleerd")
    text, _, _ = parts(cancelled)
    assert "Je hebt je inschrijving geannuleerd" in text
    check_calendar(d, cancelled, reg1, "CANCEL", "CANCELLED")
    check_no_qr(cancelled)
    promoted = sink.wait(second, 2)[1]
    assert str(promoted["Subject"]).startswith("You have a place")
    check_calendar(d, promoted, reg2, "REQUEST", "CONFIRMED")
    check_qr(promoted, checkin_url(d, pg, name, reg2))


def test_event_changed_and_cancelled(pg, maildb, sink, start_daemon):
    name, env, tok = maildb
    d = start_daemon(env=mail_env(sink), dbname=name)
    ev = make_event(d, tok)
    addr, reg = register(d, ev["slug"])
    sink.wait(addr)
    r = d.patch("/api/v1/events/" + ev["slug"], token=tok,
                json={"starts_at": at(3, 18, 15), "ends_at": at(3, 18, 18)})
    assert r.status_code == 200, describe(r)
    changed = sink.wait(addr, 2)[1]
    assert str(changed["Subject"]).startswith("Gewijzigd")
    text, _, _ = parts(changed)
    assert "15:00" in text and manage_link(d, reg) in text
    evs = check_calendar(d, changed, reg, "REQUEST")
    assert all(int(e["SEQUENCE"]) >= 1 for e in evs.values())
    check_qr(changed, checkin_url(d, pg, name, reg))
    r = d.patch("/api/v1/events/" + ev["slug"], token=tok, json={"status": "cancelled"})
    assert r.status_code == 200, describe(r)
    gone = sink.wait(addr, 3)[2]
    assert str(gone["Subject"]).startswith("Geannuleerd")
    check_calendar(d, gone, reg, "CANCEL", "CANCELLED")
    check_no_qr(gone)


def test_reminder_once_to_confirmed_only(pg, maildb, sink, start_daemon):
    name, env, tok = maildb
    d = start_daemon(dbname=name)   # no mail: the mails wait
    soon = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() + 10 * 3600))
    later = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(time.time() + 12 * 3600))
    ev = make_event(d, tok, starts_at=soon, ends_at=later, capacity=1)
    yes, reg = register(d, ev["slug"])
    no, _ = register(d, ev["slug"])     # waitlisted: no reminder
    # registered well before the reminder's time
    pg.psql("UPDATE registrations SET confirmed_at = now() - interval '7 days'",
            dbname=name)
    m = start_daemon(env=mail_env(sink), dbname=name)
    sink.wait(yes, 2)
    subjects = [str(x["Subject"]) for x in sink.wait(yes, 2)]
    assert any(s.startswith("Herinnering") for s in subjects), subjects
    reminder = [x for x in sink.to(yes)
                if str(x["Subject"]).startswith("Herinnering")][0]
    check_qr(reminder, checkin_url(m, pg, name, reg))
    m.stop()
    start_daemon(env=mail_env(sink), dbname=name)   # ticks again at start
    time.sleep(3)
    assert len(sink.to(yes)) == 2, "the reminder once"
    assert not any(str(x["Subject"]).startswith("Herinnering") for x in sink.to(no))


def test_links_202_for_any_address_mail_only_for_known(pg, maildb, sink, start_daemon):
    name, env, tok = maildb
    d = start_daemon(env=mail_env(sink), dbname=name)
    ev1 = make_event(d, tok)
    ev2 = make_event(d, tok, title="Infosessie voor KMO's")
    addr, reg1 = register(d, ev1["slug"])
    r = d.post("/api/v1/events/%s/registrations" % ev2["slug"],
               json=registration_body(email=addr.upper()))
    reg2 = r.json()
    sink.wait(addr, 2)
    unknown = "%s@example.be" % unique("nobody")
    a = d.post("/api/v1/links", json={"email": unknown})
    b = d.post("/api/v1/links", json={"email": addr.upper()})
    assert a.status_code == 202 and b.status_code == 202
    assert a.content == b.content, "nothing tells the two apart"
    links = sink.wait(addr, 3)[2]
    text, html, cal = parts(links)
    assert cal is None
    check_no_qr(links)
    assert manage_link(d, reg1) in text and manage_link(d, reg2) in text
    time.sleep(2)
    assert sink.to(unknown) == []
    bad = d.post("/api/v1/links", json={"email": "not an address"})
    assert bad.status_code == 422


def test_refused_mail_fails_visibly_and_retry_sends_it(pg, maildb, sink, start_daemon):
    name, env, tok = maildb
    d = start_daemon(env=mail_env(sink), dbname=name)
    ev = make_event(d, tok)
    addr = "%s@example.be" % unique("refused")
    sink.refuse.add(addr)
    r = d.post("/api/v1/events/%s/registrations" % ev["slug"],
               json=registration_body(email=addr))
    assert r.status_code == 201
    def failed():
        out = run_ctl("mail", "status", env=env).stdout
        return re.search(r"^failed 1$", out, re.M) and out
    out = wait_until(failed, 20, what="the mail failed")
    assert "registered" in out and ev["slug"] in out and "smtp 550" in out
    assert addr not in out
    mail_id = re.search(r"^(\d+)\s+registered", out, re.M).group(1)
    sink.refuse.clear()
    assert "queued 1 failed" in run_ctl("mail", "retry", mail_id, env=env).stdout
    sink.wait(addr)
    out = run_ctl("mail", "status", env=env).stdout
    assert re.search(r"^failed 0$", out, re.M) and re.search(r"^sent 1$", out, re.M)
    assert addr not in d.stderr_text()


def test_smtp_down_then_up_delivers_everything(pg, maildb, start_daemon):
    name, env, tok = maildb
    s = Sink()      # not started: nothing listens on its port
    d = start_daemon(env=mail_env(s), dbname=name)
    ev = make_event(d, tok)
    addrs = [register(d, ev["slug"])[0] for _ in range(5)]
    time.sleep(3)
    s.start()
    try:
        for a in addrs:
            s.wait(a, 1, timeout=40)
        time.sleep(2)
        assert all(len(s.to(a)) == 1 for a in addrs)
    finally:
        s.stop()


def test_sigkill_between_claim_and_send_delivers_once(pg, maildb, sink, start_daemon):
    name, env, tok = maildb
    # a server that takes the connection and never answers: the daemon
    # has claimed the mail and is sending it when it is killed
    hole = socket.socket()
    hole.bind(("127.0.0.1", 0))
    hole.listen(16)
    try:
        d = start_daemon(env=mail_env(sink, LEERKANS_SMTP_URL="smtp://127.0.0.1:%d" %
                                      hole.getsockname()[1]), dbname=name)
        ev = make_event(d, tok)
        addr, _ = register(d, ev["slug"])
        hole.settimeout(10)
        conn, _ = hole.accept()     # the sender is at it
        d.kill()
        conn.close()
    finally:
        hole.close()
    start_daemon(env=mail_env(sink), dbname=name)
    sink.wait(addr, 1, timeout=30)
    time.sleep(6)   # more than the lease
    assert len(sink.to(addr)) == 1


def test_two_daemons_send_each_mail_once(pg, maildb, sink, start_daemon):
    name, env, tok = maildb
    a = start_daemon(env=mail_env(sink), dbname=name)
    b = start_daemon(env=mail_env(sink), dbname=name)
    ev = make_event(a, tok, capacity=500)
    addrs = []
    for i in range(40):
        addrs.append(register(a if i % 2 else b, ev["slug"])[0])
    for x in addrs:
        sink.wait(x, 1, timeout=30)
    time.sleep(3)
    assert all(len(sink.to(x)) == 1 for x in addrs)
    ids = [m["Message-ID"] for x in addrs for m in sink.to(x)]
    assert len(set(ids)) == len(ids)
    for x in addrs:
        assert x not in a.stderr_text() and x not in b.stderr_text()


def test_erasure_removes_queued_mails(pg, maildb, sink, start_daemon):
    name, env, tok = maildb
    secret = {"LEERKANS_ERASURE_SECRET": "mail-tests-secret-0123456789"}
    d = start_daemon(dbname=name, env=secret)   # no sender: mails wait
    ev = make_event(d, tok)
    gone, _ = register(d, ev["slug"])
    kept, _ = register(d, ev["slug"])
    # both confirmations from their flags into the outbox (a claim of none)
    pg.psql("SELECT lk_mail_claim(0, 5)", dbname=name)
    assert pg.psql("SELECT count(*) FROM mail_outbox", dbname=name) == [["2"]]
    r = d.post("/api/v1/erasure", token=tok, json={"email": gone})
    assert r.status_code == 200, describe(r)
    assert pg.psql("SELECT count(*) FROM registrations WHERE token_sealed IS NOT NULL "
                   "OR mail_new", dbname=name) == [["1"]]
    assert pg.psql("SELECT count(*) FROM mail_outbox", dbname=name) == [["1"]]
    start_daemon(env=dict(mail_env(sink), **secret), dbname=name)
    sink.wait(kept)
    time.sleep(2)
    assert sink.to(gone) == [], "no mail for the erased"
    out = run_ctl("mail", "status", env=env).stdout
    assert re.search(r"^queued 0$", out, re.M) and re.search(r"^failed 0$", out, re.M)


def test_maildir_without_smtp_url(pg, maildb, start_daemon, tmp_path):
    name, env, tok = maildb
    md = tmp_path / "mail"
    d = start_daemon(dbname=name, env={"LEERKANS_MAILDIR": str(md),
                                      "LEERKANS_MAIL_FROM": MAIL_FROM})
    ev = make_event(d, tok)
    addr, reg = register(d, ev["slug"])
    wait_until(lambda: (md / "new").is_dir() and len(os.listdir(md / "new")) == 1, 20,
               what="a mail in the maildir")
    assert os.listdir(md / "tmp") == []
    raw = (md / "new" / os.listdir(md / "new")[0]).read_bytes()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert addr in str(msg["To"])
    text, _, cal = parts(msg)
    assert manage_link(d, reg) in text and cal is not None
    check_qr(msg, checkin_url(d, pg, name, reg))
    assert b"\r\n" not in raw, "LF line ends in the Maildir, the image's too"


def test_links_page_and_the_duplicate_form_leading_to_it(pg, maildb, sink, start_daemon):
    from test_web import Visitor, field_error, good_fields, page_of
    name, env, tok = maildb
    d = start_daemon(env=mail_env(sink), dbname=name)
    ev = make_event(d, tok)
    addr = "%s@example.be" % unique("web")
    v = Visitor(d)
    assert v.register(ev["slug"], good_fields(email=addr)).status_code == 303
    sink.wait(addr)
    dup = page_of(v.register(ev["slug"], good_fields(email=addr)), 409)
    link = dup.by_id("f-email-links").find("a")
    assert link.attrs["href"] == "/links"
    page = page_of(v.get("/links"))
    form = page.form("/links")
    assert form is not None and page.label_for("f-email") is not None
    csrf = page.hidden(form, "csrf")
    bad = page_of(v.post("/links", [("csrf", csrf), ("email", "geen adres")]), 422)
    assert field_error(bad, "email")
    assert bad.by_id("f-email").attrs["value"] == "geen adres"
    known = v.post("/links", [("csrf", csrf), ("email", addr)])
    unknown = v.post("/links", [("csrf", csrf),
                                ("email", "%s@example.be" % unique("nobody"))])
    assert page_of(known, 202).find("h1").text() == page_of(unknown, 202).find("h1").text()
    assert known.text == unknown.text
    mails = sink.wait(addr, 2)
    assert str(mails[1]["Subject"]) == "Je inschrijvingen bij Leerkans"
    # a form from elsewhere
    assert v.post("/links", [("email", addr)]).status_code == 403


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_smtp_auth_from_the_url(pg, maildb, start_daemon):
    name, env, tok = maildb
    s = Sink(login=("leerkans", "geheim-wachtwoord-42"))
    s.start()
    try:
        d = start_daemon(env=mail_env(s, LEERKANS_SMTP_URL="smtp://leerkans:geheim-wachtwoord-42@"
                                      "127.0.0.1:%d" % s.port), dbname=name)
        ev = make_event(d, tok)
        addr, _ = register(d, ev["slug"])
        s.wait(addr)
        assert s.logins and s.logins[0][1] == "leerkans"
        assert "geheim-wachtwoord-42" not in d.stderr_text()
    finally:
        s.stop()


def test_cancelled_by_an_organiser_says_so(pg, maildb, sink, start_daemon):
    """The console's paths set leerkans.actor in their transaction; the
    trigger words the mail by it.  lk_roster_cancel is what the console's
    cancel button calls (lk_cancel_registration sets the actor from who
    cancels, so a setting made before lk_cancel does not count)."""
    name, env, tok = maildb
    d = start_daemon(env=mail_env(sink), dbname=name)
    ev = make_event(d, tok)
    addr, reg = register(d, ev["slug"], language="en")
    sink.wait(addr)
    pg.psql("SELECT lk_roster_cancel('%s', %d, 'organiser@example.be')"
            % (ev["slug"], reg["id"]), dbname=name)
    m = sink.wait(addr, 2)[1]
    text, _, _ = parts(m)
    assert "The organiser cancelled your registration" in text
    check_calendar(d, m, reg, "CANCEL", "CANCELLED")


def test_ctl_mail_retry_of_no_failed_mail(pg, maildb):
    name, env, tok = maildb
    r = run_ctl("mail", "retry", "424242", env=env, check=False)
    assert r.returncode == 1 and "no such failed mail" in r.stderr
    r = run_ctl("mail", "retry", "--all-failed", env=env)
    assert r.stdout == "queued 0 failed mails again\n"
    assert run_ctl("mail", "retry", env=env, check=False).returncode == 2
    assert run_ctl("mail", "status", env=env).stdout == "queued 0\nsent 0\nfailed 0\n"


def test_starttls_offered_is_used_and_its_certificate_checked(pg, maildb, start_daemon,
                                                               tmp_path):
    """A server that offers STARTTLS gets it (CURLUSESSL_TRY), with the
    certificate checked: one no system trusts takes no mail, in clear or
    otherwise; the mail waits and is tried again."""
    import ssl
    name, env, tok = maildb
    key, crt = tmp_path / "k.pem", tmp_path / "c.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                    "-keyout", str(key), "-out", str(crt), "-days", "1",
                    "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(str(crt), str(key))
    s = Sink()
    s.controller = aiosmtpd.Controller(s, hostname="127.0.0.1", port=s.port,
                                       server_hostname="sink.invalid",
                                       tls_context=ctx)
    s.controller.start()
    try:
        d = start_daemon(env=mail_env(s), dbname=name)
        ev = make_event(d, tok)
        addr, _ = register(d, ev["slug"])
        # curl 60: CURLE_PEER_FAILED_VERIFICATION, in the TLS of STARTTLS
        wait_until(lambda: "not sent (curl 60)" in d.stderr_text(), 20,
                   what="the certificate refused")
        time.sleep(1)
        assert s.to(addr) == [], "nothing in clear"
        out = run_ctl("mail", "status", env=env).stdout
        assert re.search(r"^queued 1$", out, re.M), out
    finally:
        s.stop()


def test_walk_ins_mailed_only_with_an_address(pg, maildb, sink, start_daemon,
                                              issued_tokens):
    """A walk-in typed in at the door (the console) without an e-mail
    address makes no outbox row, now or when the event changes, and so no
    sender error; one with an address gets one confirmation worded for
    the door (registered and checked in, no QR code: it is used) whose
    /r/ link works, and the event's later mails like anyone."""
    from test_console_roster import Console
    name, env, tok = maildb
    user, password = "%s@pom.example" % unique("org"), "wachtwoord %s" % unique()
    issued_tokens.extend([user, password])
    run_ctl("user", "add", user, "--role", "organiser", env=env,
            input=password + "\n")
    d = start_daemon(env=mail_env(sink), dbname=name)
    ev = make_event(d, tok, capacity=5)
    c = Console(d, issued_tokens)
    c.login(user, password)
    new = "/beheer/events/%s/registrations/new" % ev["slug"]
    post = "/beheer/events/%s/registrations" % ev["slug"]
    addr = "%s@example.be" % unique("deur")
    for mail in ("", addr):
        r = c.post(post, {"csrf": c.csrf(new), "given_name": "Wim",
                          "family_name": "Deur", "email": mail,
                          "role": "citizen", "organisation_type": "none"})
        assert r.status_code == 303, describe(r)
    confirmation = sink.wait(addr)[0]
    assert str(confirmation["Subject"]).startswith("Inschrijving bevestigd")
    text, html, cal = parts(confirmation)
    assert "aan de ingang ingeschreven en ingecheckt" in text
    assert cal is not None
    check_no_qr(confirmation)
    link = [x for x in text.splitlines()
            if re.match(r"^http://\S+/r/[A-Za-z0-9_-]{43}$", x)][0]
    assert d.get(link[len(d.url):]).status_code == 200, "the /r/ link works"
    # the event moves, then is cancelled: the one with an address hears it
    r = d.patch("/api/v1/events/" + ev["slug"], token=tok,
                json={"starts_at": at(3, 18, 15), "ends_at": at(3, 18, 18)})
    assert r.status_code == 200, describe(r)
    assert d.patch("/api/v1/events/" + ev["slug"], token=tok,
                   json={"status": "cancelled"}).status_code == 200
    later = sink.wait(addr, 3)
    assert str(later[1]["Subject"]).startswith("Gewijzigd")
    assert str(later[2]["Subject"]).startswith("Geannuleerd")
    assert pg.psql("SELECT count(*) FROM mail_outbox o JOIN registrations r "
                   "ON r.id = o.registration_id WHERE r.email IS NULL",
                   dbname=name) == [["0"]]
    assert pg.psql("SELECT count(*) FROM registrations WHERE email IS NULL "
                   "AND (mail_new OR token_sealed IS NOT NULL)",
                   dbname=name) == [["0"]]
    out = run_ctl("mail", "status", env=env).stdout
    assert out == "queued 0\nsent 3\nfailed 0\n", out
    assert "no-address" not in d.stderr_text() and addr not in d.stderr_text()
