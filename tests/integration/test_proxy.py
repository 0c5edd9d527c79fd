"""Several daemons behind a proxy: two leerkansd on one database behind a
real nginx, with contrib/nginx-leerkans-proxy.conf included as it is and
the http part of contrib/nginx-leerkans.conf (upstream, rate limit zones,
log format) with the test's ports.  Under load, one daemon is killed
with SIGKILL: no registration that was acknowledged is lost or made
twice (a client repeats what got no answer, with its Idempotency-Key),
GETs go on through the other daemon, and its feeds stay current."""

import os
import re
import shutil
import signal
import subprocess
import threading
import time

import pytest
import requests

import harness
from harness import (TOP, assert_json, assert_problem, describe, event_body,
                     free_port, is_root, registration_body, unique, wait_until)

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CONTRIB = os.path.join(TOP, "contrib")


def nginx_missing():
    if not os.access(NGINX, os.X_OK):
        return "nginx is not installed (Debian: nginx)"
    return None


class Nginx:
    """nginx in the foreground (daemon off, a master and one worker) with
    its pid file, logs and temporary files in a directory of its own."""

    def __init__(self, upstreams, register_rate="10000r/s", links_rate="10000r/s"):
        self.dir = harness._make_traversable_tmpdir("leerkans-nginx-")
        self.port = free_port()
        self.url = "http://127.0.0.1:%d" % self.port
        with open(os.path.join(CONTRIB, "nginx-leerkans.conf")) as f:
            site = f.read()
        # the http part of the example: everything before its servers,
        # without its comments
        head = site.split("\nserver {", 1)[0]
        head = re.sub(r"(?m)^\s*#.*\n", "", head)
        servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+ ", head, re.M)
        assert len(servers) == len(upstreams) == 2, servers
        for port in upstreams:
            head = re.sub(r"(?m)^(\s*server 127\.0\.0\.1:)(80\d\d) ",
                          r"\g<1>%d " % port, head, count=1)
        head = re.sub(r"zone=leerkans_register:10m rate=\S+;",
                      "zone=leerkans_register:1m rate=%s;" % register_rate, head)
        head = re.sub(r"zone=leerkans_links:10m rate=\S+;",
                      "zone=leerkans_links:1m rate=%s;" % links_rate, head)
        assert "8080" not in head and "8081" not in head, head
        tmp = os.path.join(self.dir, "tmp")
        os.mkdir(tmp, 0o755)
        conf = """
# written by test_proxy.py
daemon off;
master_process on;
worker_processes 1;
%(user)s
pid %(dir)s/nginx.pid;
error_log %(dir)s/error.log info;
events { worker_connections 1024; }
http {
    client_body_temp_path %(tmp)s/body;
    proxy_temp_path %(tmp)s/proxy;
    fastcgi_temp_path %(tmp)s/fastcgi;
    uwsgi_temp_path %(tmp)s/uwsgi;
    scgi_temp_path %(tmp)s/scgi;
%(head)s
    server {
        listen 127.0.0.1:%(port)d;
        access_log %(dir)s/access.log leerkans;
        include %(proxy)s;
    }
}
""" % {"user": "user nobody nogroup;" if is_root() else "",
       "dir": self.dir, "tmp": tmp, "head": head, "port": self.port,
       "proxy": os.path.join(CONTRIB, "nginx-leerkans-proxy.conf")}
        self.conf = os.path.join(self.dir, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(conf)
        self.proc = None

    def start(self):
        check = subprocess.run([NGINX, "-t", "-c", self.conf, "-p", self.dir],
                               capture_output=True, text=True, timeout=30)
        assert check.returncode == 0, check.stderr
        self.proc = subprocess.Popen([NGINX, "-c", self.conf, "-p", self.dir],
                                     stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL,
                                     stderr=open(os.path.join(self.dir, "stderr"), "wb"))

        def up():
            try:
                requests.get(self.url + "/healthz", timeout=2)
                return True
            except requests.ConnectionError:
                assert self.proc.poll() is None, self.error_log()
                return False
        wait_until(up, 10, what="nginx listening")
        return self

    def error_log(self):
        try:
            with open(os.path.join(self.dir, "error.log"), errors="replace") as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)   # graceful
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if not os.environ.get("LEERKANS_KEEP_TMP"):
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def behind_nginx(start_daemon):
    """behind_nginx(**nginx_options) -> (nginx, [daemon, daemon]): two
    daemons on the shared database behind a running nginx, which goes
    before they do."""
    why = nginx_missing()
    if why is not None:
        pytest.skip(why)
    started = []

    def start(**options):
        ports = [free_port(), free_port()]
        nginx = Nginx(ports, **options)
        started.append(nginx)
        env = {"LEERKANS_PUBLIC_URL": nginx.url, "LEERKANS_TRUST_FORWARDED_FOR": "yes"}
        daemons = [start_daemon(port=p, env=env) for p in ports]
        return nginx.start(), daemons
    yield start
    for nginx in started:
        nginx.stop()


def post_until_answered(url, slug, body, key, deadline):
    """POST a registration until it is answered 201 (or refused for good):
    after a transport error or a 503 it goes again with the same body and
    Idempotency-Key, as a careful client does.  Returns (response, tries)."""
    tries = 0
    while True:
        tries += 1
        try:
            r = requests.post("%s/api/v1/events/%s/registrations" % (url, slug),
                              json=body, headers={"Idempotency-Key": key}, timeout=10)
            if r.status_code != 503:
                return r, tries
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            return None, tries
        time.sleep(0.05)


def test_a_daemon_killed_under_load_loses_no_acknowledged_registration(
        behind_nginx, pg, token):
    nginx, (victim, survivor) = behind_nginx()
    ev = assert_json(requests.post(nginx.url + "/api/v1/events", json=event_body(capacity=None),
                                   headers={"Authorization": "Bearer " + token},
                                   timeout=10), 201)
    slug = ev["slug"]
    stop = threading.Event()
    lock = threading.Lock()
    acked = {}          # email -> (registration id, tries)
    unanswered = []     # emails whose POST never got a final answer
    refused = []        # (email, status): a final answer other than 201
    gets = []           # (monotonic time, path, status or the exception's name)

    def registrar():
        while not stop.is_set():
            body = registration_body(email="%s@example.be" % unique("px"))
            r, tries = post_until_answered(nginx.url, slug, body, unique("key"),
                                           time.monotonic() + 20)
            with lock:
                if r is None:
                    unanswered.append(body["email"])
                elif r.status_code == 201:
                    acked[body["email"]] = (r.json()["id"], tries)
                else:
                    refused.append((body["email"], r.status_code, r.text[:200]))

    def reader():
        paths = ["/feeds/events.ics", "/api/v1/events/%s" % slug,
                 "/events/%s.ics" % slug, "/healthz"]
        i = 0
        while not stop.is_set():
            path = paths[i % len(paths)]
            i += 1
            try:
                status = requests.get(nginx.url + path, timeout=10).status_code
            except requests.RequestException as exc:
                status = type(exc).__name__
            with lock:
                gets.append((time.monotonic(), path, status))

    threads = [threading.Thread(target=registrar) for _ in range(4)]
    threads += [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        # both daemons take their share before one dies
        wait_until(lambda: len(acked) >= 40, 30, what="40 registrations")
        victim.proc.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        victim.proc.wait(timeout=10)
        # and the load goes on through the other for a while
        wait_until(lambda: len(acked) >= 120 and time.monotonic() > killed_at + 6,
                   60, what="120 registrations and 6 s")
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    ended_at = time.monotonic()

    # both daemons served registrations before the kill
    for d in (victim, survivor):
        assert "POST /api/v1/events/%s/registrations 201" % slug in d.stderr_text(), d.name
    assert not unanswered, "%d registrations never answered" % len(unanswered)
    assert not refused, refused[:5]

    # every acknowledged registration is stored, once, under the id answered
    rows = pg.psql("SELECT r.email_norm, r.id FROM registrations r JOIN events e "
                   "ON e.id = r.event_id WHERE e.slug = '%s'" % slug)
    stored = {}
    for email, rid in rows:
        assert email not in stored, "%s registered twice" % email
        stored[email] = int(rid)
    assert set(acked) <= set(stored), "acknowledged but lost: %s" % (set(acked) - set(stored))
    for email, (rid, _) in acked.items():
        assert stored[email] == rid, email
    # what was stored was answered: a retry got the first answer back
    assert set(stored) == set(acked), set(stored) - set(acked)

    # GETs went on: failures only in the moments around the kill
    failed = [(t - killed_at, p, s) for t, p, s in gets if s != 200]
    assert all(-0.5 <= dt <= 3.0 for dt, _, _ in failed), failed
    after = [s for t, _, s in gets if t > killed_at + 3.0]
    assert len(after) >= 10 and all(s == 200 for s in after), after[:10]
    assert len(failed) <= 4, failed
    assert ended_at - killed_at > 3.0

    # a change made after the kill shows in the survivor's feeds at once
    r = requests.patch(nginx.url + "/api/v1/events/" + slug,
                       json={"title": "Netwerkevent najaar: gewijzigd na de val"},
                       headers={"Authorization": "Bearer " + token}, timeout=10)
    assert_json(r, 200)
    for url in (nginx.url, survivor.url):
        feed = requests.get(url + "/events/%s.ics" % slug, timeout=10)
        assert feed.status_code == 200, describe(feed)
        assert "gewijzigd na de val" in feed.text.replace("\r\n ", "")
        assert "SEQUENCE:1" in feed.text
    count = requests.get(survivor.url + "/api/v1/events/" + slug, timeout=10).json()
    assert count["seats_left"] is None and count["title"].endswith("na de val")


def test_the_proxy_limits_registrations_and_answers_problem_json(behind_nginx):
    nginx, _ = behind_nginx(register_rate="1r/m")
    url = nginx.url + "/api/v1/events/%s/registrations" % unique("none")
    statuses = []
    for _ in range(25):
        r = requests.post(url, json=registration_body(), timeout=10)
        statuses.append(r.status_code)
        if r.status_code == 429:
            break
    # the burst of 20 (and the first) reach a daemon: no such event
    assert statuses[:21] == [404] * 21, statuses
    p = assert_problem(r, 429)
    assert p["type"].endswith("/problems/rate-limited"), p
    assert r.headers.get("Retry-After") == "60"
    assert r.content.endswith(b"}\n")
    # other paths are not limited
    assert requests.get(nginx.url + "/api/v1/events", timeout=10).status_code == 200
    # a body over the limit is refused by nginx, in the same shape
    r = requests.post(url, data=b"x" * (1024 * 1024 + 1),
                      headers={"Content-Type": "application/json"}, timeout=10)
    p = assert_problem(r, 413)
    assert p["type"].endswith("/problems/body-too-large"), p


def test_with_both_daemons_gone_nginx_answers_503_problem_json(behind_nginx):
    nginx, daemons = behind_nginx()
    assert requests.get(nginx.url + "/readyz", timeout=10).status_code == 200
    for d in daemons:
        d.stop()
    r = requests.get(nginx.url + "/api/v1/events", timeout=10)
    p = assert_problem(r, 503)
    assert p["type"].endswith("/problems/unavailable"), p
    assert r.headers.get("Retry-After") == "5"
