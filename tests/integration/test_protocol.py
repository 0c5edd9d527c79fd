"""HTTP/1.1 on the wire, with raw sockets: persistent connections,
pipelining, chunked request bodies, 100-continue, HEAD, the requests the
daemon refuses (daemon/http/parse.h lists them) and the limits on
connections and slow clients.

These pin down what the daemon's own HTTP layer (daemon/http/parse.[ch]) must
do.  Every socket operation has a timeout, so a daemon that does not
answer fails a test instead of hanging it."""

import email.utils
import http.client
import json
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone

import pytest
import requests

import harness
from harness import LEERKANSD, describe, unique, wait_until

# Seconds any one socket operation may take.
TIMEOUT = 3


# -- a raw HTTP/1.x client ----------------------------------------------------

class Closed(Exception):
    """The daemon closed the connection (or reset it) before we were done."""


class Silent(AssertionError):
    """Nothing came from the daemon within the socket's timeout."""


class Response:
    def __init__(self, version, status, reason, headers, body):
        self.version = version        # b"HTTP/1.1"
        self.status = status          # int
        self.reason = reason          # str
        self.headers = headers        # [(name, value)] as sent, in order
        self.body = body              # bytes, de-chunked

    def header(self, name):
        """The first value of the field name (any case), or None."""
        for n, v in self.headers:
            if n.lower() == name.lower():
                return v
        return None

    def tokens(self, name):
        """The comma-separated, lowercased tokens of every field name."""
        return {t.strip().lower() for n, v in self.headers if n.lower() == name.lower()
                for t in v.split(",") if t.strip()}

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def __repr__(self):
        head = "\n".join("%s: %s" % h for h in self.headers)
        body = self.body[:1000]
        return "%s %d %s\n%s\n\n%r" % (self.version.decode(), self.status,
                                        self.reason, head, body)


class Conn:
    """One client connection to 127.0.0.1:port.  send() bytes as they are;
    response() reads exactly one response (status line, fields, and a body
    framed by Content-Length, chunked coding or the end of the connection),
    leaving whatever follows it for the next call."""

    def __init__(self, port, timeout=TIMEOUT):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.sock.close()

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self):
        try:
            data = self.sock.recv(65536)
        except ConnectionResetError as exc:
            raise Closed("connection reset; have %r" % self.buf[:200]) from exc
        except socket.timeout:
            raise Silent("no answer within %s s; have %r"
                         % (self.sock.gettimeout(), self.buf[:200])) from None
        if not data:
            raise Closed("connection closed; have %r" % self.buf[:200])
        self.buf += data

    def _line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _take(self, n):
        while len(self.buf) < n:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def response(self, head=False):
        """The next response; head=True if it answers a HEAD (no body)."""
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        status_line = self._line()
        m = re.fullmatch(rb"(HTTP/\d\.\d) (\d{3}) ?(.*)", status_line)
        assert m, "not a status line: %r" % status_line
        version, status, reason = m.group(1), int(m.group(2)), m.group(3).decode("latin-1")
        headers = []
        while True:
            line = self._line()
            if not line:
                break
            name, sep, value = line.partition(b":")
            assert sep and name and name == name.strip(), "bad header line %r" % line
            headers.append((name.decode("latin-1"), value.strip().decode("latin-1")))
        r = Response(version, status, reason, headers, b"")
        te = r.tokens("Transfer-Encoding")
        cl = [v for n, v in headers if n.lower() == "content-length"]
        if head or status < 200 or status in (204, 304):
            return r
        if te:
            assert te == {"chunked"} and not cl, "framing: %r" % r
            r.body = self._chunked()
        elif cl:
            assert len(set(cl)) == 1 and cl[0].isdigit(), "Content-Length: %r" % r
            r.body = self._take(int(cl[0]))
        else:  # delimited by the end of the connection
            while True:
                try:
                    self._fill()
                except Closed:
                    break
            r.body, self.buf = self.buf, b""
        return r

    def _chunked(self):
        body = b""
        while True:
            size = int(self._line().split(b";")[0].strip(), 16)
            if size == 0:
                while self._line():  # trailer fields, then the empty line
                    pass
                return body
            body += self._take(size)
            assert self._take(2) == b"\r\n", "chunk not followed by CRLF"

    def closed(self, timeout=TIMEOUT):
        """True if the daemon closes (or resets) the connection within
        timeout with nothing more sent; False if it stays open or sends."""
        if self.buf:
            return False
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except (ConnectionResetError, BrokenPipeError):
            return True
        except socket.timeout:
            return False
        self.buf += data
        return not data


def request(method, target, version="HTTP/1.1", headers=(("Host", "localhost"),),
            body=b""):
    """The bytes of a request; a body gets a Content-Length."""
    lines = ["%s %s %s" % (method, target, version)]
    lines += ["%s: %s" % h for h in headers]
    if body:
        lines.append("Content-Length: %d" % len(body))
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def get(target, **kw):
    return request("GET", target, **kw)


def json_post(target, token=None, body=b"", extra=()):
    headers = [("Host", "localhost"), ("Content-Type", "application/json")]
    if token:
        headers.append(("Authorization", "Bearer " + token))
    return request("POST", target, headers=headers + list(extra), body=body)


def chunked(data, sizes, ext=b"", trailer=b""):
    """data in chunks of the given sizes (the rest in one more), then the
    last chunk and the trailer; ext is appended to each size line."""
    out, i = b"", 0
    for n in list(sizes) + [len(data)]:
        part = data[i:i + n]
        i += len(part)
        if part:
            out += b"%x%s\r\n%s\r\n" % (len(part), ext, part)
    return out + b"0%s\r\n%s\r\n" % (ext, trailer)


def media_type(resp):
    return (resp.header("Content-Type") or "").split(";")[0].strip().lower()


def assert_wire_problem(resp, status):
    """resp (read off the wire) is an RFC 9457 problem with this status;
    returns its body."""
    return harness.check_problem(resp.status, media_type(resp), resp.json, status,
                                 repr(resp))


def assert_healthy(port, timeout=TIMEOUT):
    with Conn(port, timeout) as c:
        c.send(get("/healthz"))
        r = c.response()
        assert r.status == 200, r


# An access line: "leerkansd: info: GET /path 200 1234 0.4ms[ note]".
ACCESS = re.compile(r": info: .* (\d{3}) \d+ \d+(?:\.\d+)?ms\b")


def access_statuses(text):
    return [int(m.group(1)) for m in map(ACCESS.search, text.splitlines()) if m]


def assert_one_access_line(d, mark, status):
    """Since stderr offset mark, d logged exactly one access line with
    status, besides the /healthz probes (GET /healthz 200)."""
    def new():
        return d.stderr_text()[mark:]

    wait_until(lambda: status in access_statuses(new()) and "/healthz 200" in new(),
               timeout=3, what="an access line with %d" % status)
    time.sleep(0.2)  # no late extra lines
    lines = [l for l in new().splitlines() if ACCESS.search(l) and "/healthz 200" not in l]
    assert len(lines) == 1 and access_statuses(lines[0]) == [status], lines


# -- persistent connections ---------------------------------------------------

def test_two_requests_on_one_http11_connection(daemon):
    with Conn(daemon.port) as c:
        c.send(get("/healthz"))
        r = c.response()
        assert r.status == 200, r
        assert "close" not in r.tokens("Connection"), r
        c.send(get("/api/v1/events"))
        r = c.response()
        assert r.status == 200, r
        assert "events" in r.json(), r


def test_http10_without_connection_is_closed_after_the_answer(daemon):
    with Conn(daemon.port) as c:
        c.send(b"GET /healthz HTTP/1.0\r\n\r\n")
        r = c.response()
        assert r.status == 200, r
        assert r.json() == {"status": "ok"}, r
        assert c.closed(), "HTTP/1.0 connection left open after the answer"


def test_http10_keep_alive_stays_open(daemon):
    with Conn(daemon.port) as c:
        c.send(b"GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        r = c.response()
        assert r.status == 200, r
        assert "keep-alive" in r.tokens("Connection"), \
            "an HTTP/1.0 client only keeps a connection the answer says is kept: %r" % r
        c.send(b"GET /api/v1/events HTTP/1.0\r\n\r\n")
        r = c.response()
        assert r.status == 200, r
        assert "events" in r.json(), r
        assert c.closed(), "the second HTTP/1.0 request asked for no keep-alive"


def test_http11_connection_close_is_honoured(daemon):
    with Conn(daemon.port) as c:
        c.send(get("/healthz", headers=[("Host", "localhost"), ("Connection", "close")]))
        r = c.response()
        assert r.status == 200, r
        assert "close" in r.tokens("Connection"), r
        assert c.closed(), "connection left open after Connection: close"


def test_pipelined_requests_are_answered_in_order(daemon):
    with Conn(daemon.port) as c:
        c.send(get("/healthz") + get("/api/v1/events") + get("/healthz"))
        first, second, third = c.response(), c.response(), c.response()
        assert first.status == 200 and first.json() == {"status": "ok"}, first
        assert second.status == 200 and "events" in second.json(), second
        assert third.status == 200 and third.json() == {"status": "ok"}, third
        assert not c.closed(timeout=0.3), "connection closed after pipelined requests"


# -- request bodies -------------------------------------------------------------

def test_chunked_body_creates_an_event(daemon, token):
    ev = harness.event_body()
    raw = json.dumps(ev).encode()
    with Conn(daemon.port) as c:
        c.send(request("POST", "/api/v1/events", headers=[
            ("Host", "localhost"), ("Content-Type", "application/json"),
            ("Authorization", "Bearer " + token), ("Transfer-Encoding", "chunked")]))
        c.send(chunked(raw, [1, 16, 100]))
        r = c.response()
        assert r.status == 201, r
        assert r.json()["slug"] == ev["slug"], r
    got = daemon.get("/api/v1/events/" + ev["slug"])
    assert got.status_code == 200, describe(got)
    assert got.json()["title"] == ev["title"]


def test_chunked_body_with_extensions_and_trailer(daemon, new_event):
    slug = new_event()["slug"]
    person = {"name": "An Peeters", "email": "%s@example.be" % unique("chunk"),
              "role": "employer", "organisation_type": "sme",
              "consent": {"privacy": True}}
    raw = json.dumps(person).encode()
    with Conn(daemon.port) as c:
        # and a request right behind it: the body must end where it ends
        c.send(request("POST", "/api/v1/events/%s/registrations" % slug, headers=[
            ("Host", "localhost"), ("Content-Type", "application/json"),
            ("Transfer-Encoding", "chunked")])
            + chunked(raw, [10, 10], ext=b';name="value";flag',
                      trailer=b"X-Checksum: none\r\nX-More: 1\r\n")
            + get("/healthz"))
        r = c.response()
        assert r.status == 201, r
        answer = r.json()
        after = c.response()
        assert after.status == 200 and after.json() == {"status": "ok"}, after
    m = re.fullmatch(r"/r/([A-Za-z0-9_-]+)", answer["manage_url"])
    assert m, answer
    got = daemon.get("/api/v1/registrations/" + m.group(1))
    assert got.status_code == 200, describe(got)


def test_expect_100_continue(daemon, token):
    ev = harness.event_body()
    raw = json.dumps(ev).encode()
    with Conn(daemon.port) as c:
        head = json_post("/api/v1/events", token, raw, extra=[("Expect", "100-continue")])
        c.send(head[:-len(raw)])
        interim = c.response()
        assert interim.version == b"HTTP/1.1" and interim.status == 100, interim
        assert not interim.body
        c.send(raw)
        r = c.response()
        assert r.status == 201, r
        assert r.json()["slug"] == ev["slug"], r
    assert daemon.get("/api/v1/events/" + ev["slug"]).status_code == 200


# -- HEAD -------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/healthz", "event"])
def test_head_is_get_without_the_body(daemon, new_event, path):
    if path == "event":
        path = "/api/v1/events/" + new_event()["slug"]
    with Conn(daemon.port) as c:
        c.send(get(path))
        g = c.response()
        assert g.status == 200, g
        # HEAD, then a GET right behind it: no body bytes may sit between
        c.send(request("HEAD", path) + get("/healthz"))
        h = c.response(head=True)
        assert h.status == g.status, h
        assert h.header("Content-Length") == g.header("Content-Length") == str(len(g.body)), (g, h)
        assert media_type(h) == media_type(g), (g, h)
        assert b"HTTP/".startswith(c.buf[:5]), \
            "bytes after the HEAD answer's head: %r" % c.buf[:100]
        after = c.response()
        assert after.status == 200 and after.json() == {"status": "ok"}, after


# -- refusals ---------------------------------------------------------------------

POST_JSON = b"POST /api/v1/events HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"

REFUSALS = [
    ("malformed-request-line", b"GARBAGE\r\n\r\n", 400),
    ("http11-without-host", b"GET /healthz HTTP/1.1\r\n\r\n", 400),
    ("content-length-not-a-number", POST_JSON + b"Content-Length: abc\r\n\r\n", 400),
    ("content-length-and-transfer-encoding",
     POST_JSON + b"Content-Length: 7\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n", 400),
    ("unknown-method", b"BREW / HTTP/1.1\r\nHost: localhost\r\n\r\n", 501),
    ("transfer-encoding-gzip", POST_JSON + b"Transfer-Encoding: gzip\r\n\r\n", 501),
    ("http-2.0", b"GET /healthz HTTP/2.0\r\nHost: localhost\r\n\r\n", 505),
    ("101-header-fields", b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n"
     + b"".join(b"X-Field-%d: %d\r\n" % (i, i) for i in range(100)) + b"\r\n", 431),
    ("head-over-max-header-size", b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n"
     + b"X-Big: " + b"a" * 20000 + b"\r\n\r\n", 431),
    ("expect-something-else",
     b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nExpect: something-else\r\n\r\n", 417),
    # Host is uri-host [":" port] (RFC 9112 3.2)
    ("host-with-a-space", b"GET /healthz HTTP/1.1\r\nHost: local host\r\n\r\n", 400),
    ("host-with-a-slash", b"GET /healthz HTTP/1.1\r\nHost: localhost/x\r\n\r\n", 400),
    ("host-with-userinfo", b"GET /healthz HTTP/1.1\r\nHost: user@localhost\r\n\r\n", 400),
    ("host-with-a-bad-port", b"GET /healthz HTTP/1.1\r\nHost: localhost:80a\r\n\r\n", 400),
    ("two-hosts", b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nHost: localhost\r\n\r\n",
     400),
    # a request target over 8 KiB, within max_header_size and beyond it
    ("uri-too-long", get("/healthz?q=" + "q" * 9000), 414),
    ("uri-too-long-beyond-max-header-size", get("/" + "a" * 20000), 414),
    # chunked framing (RFC 9112 7.1): CRLF only, extensions that are
    # tokens, trailer fields counted
    ("chunk-size-line-ending-in-a-bare-lf",
     POST_JSON + b"Transfer-Encoding: chunked\r\n\r\n2\n{}\r\n0\r\n\r\n", 400),
    ("chunk-data-ending-in-a-bare-lf",
     POST_JSON + b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\n0\r\n\r\n", 400),
    ("chunk-extension-without-a-semicolon",
     POST_JSON + b"Transfer-Encoding: chunked\r\n\r\n2 ext\r\n{}\r\n0\r\n\r\n", 400),
    ("chunk-extension-value-not-a-token",
     POST_JSON + b"Transfer-Encoding: chunked\r\n\r\n2;a=b/c\r\n{}\r\n0\r\n\r\n", 400),
    ("101-trailer-fields",
     POST_JSON + b"Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n"
     + b"".join(b"X-T-%d: %d\r\n" % (i, i) for i in range(101)) + b"\r\n", 400),
]


@pytest.mark.parametrize("raw,status", [r[1:] for r in REFUSALS],
                         ids=[r[0] for r in REFUSALS])
def test_refused_with_a_problem_and_closed(daemon, raw, status):
    mark = len(daemon.stderr_text())
    with Conn(daemon.port) as c:
        c.send(raw)
        r = c.response()
        assert_wire_problem(r, status)
        assert c.closed(), "connection left open after a %d" % status
    assert_healthy(daemon.port)
    assert_one_access_line(daemon, mark, status)


def test_http_1_2_is_answered_as_1_1(daemon):
    """RFC 9110 2.5: a later minor version is answered with the highest
    the server speaks, and kept alive as HTTP/1.1 is."""
    with Conn(daemon.port) as c:
        c.send(get("/healthz", version="HTTP/1.2"))
        r = c.response()
        assert r.version == b"HTTP/1.1" and r.status == 200, r
        assert "close" not in r.tokens("Connection"), r
        c.send(get("/healthz", version="HTTP/1.9"))
        r = c.response()
        assert r.version == b"HTTP/1.1" and r.status == 200, r
        assert r.json() == {"status": "ok"}, r


def test_a_bad_host_on_a_web_route_is_a_page(daemon):
    mark = len(daemon.stderr_text())
    with Conn(daemon.port) as c:
        c.send(b"GET / HTTP/1.1\r\nHost: user@localhost\r\nAccept: text/html\r\n\r\n")
        r = c.response()
        assert r.status == 400 and media_type(r) == "text/html", r
        assert c.closed(), "connection left open after a 400"
    assert_healthy(daemon.port)
    assert_one_access_line(daemon, mark, 400)


def test_body_over_max_body_size_is_413_before_it_is_sent(start_daemon, token):
    d = start_daemon(env={"LEERKANS_MAX_BODY_SIZE": 4096})
    mark = len(d.stderr_text())
    with Conn(d.port) as c:
        c.send(POST_JSON + b"Authorization: Bearer " + token.encode()
               + b"\r\nContent-Length: 1000000\r\n\r\n")
        r = c.response()  # the body never comes: the answer may not wait for it
        assert_wire_problem(r, 413)
        assert c.closed(), "connection left open after a 413"
    assert_healthy(d.port)
    assert_one_access_line(d, mark, 413)


def large_json(size):
    """A JSON object of about size bytes."""
    return b'{"description": "' + b"a" * (size - 20) + b'"}'


@pytest.mark.parametrize("client", ["requests", "http.client"])
def test_a_body_far_over_the_limit_sent_whole_still_reads_its_413(daemon, client):
    """Most libraries send a whole body with Content-Length (no Expect)
    before they read anything.  The 413 goes out when the head is in; the
    daemon then reads and drops what the client still sends, so that the
    client, done writing, reads the 413 instead of a broken pipe or a
    reset."""
    body = large_json(8 * 1024 * 1024)
    mark = len(daemon.stderr_text())
    if client == "requests":
        r = requests.post(daemon.url + "/api/v1/events", data=body, timeout=30,
                          headers={"Content-Type": "application/json"})
        status, ctype, problem = r.status_code, harness.media_type(r), r.json
    else:
        conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=30)
        try:
            conn.request("POST", "/api/v1/events", body=body,
                         headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            raw = resp.read()
        finally:
            conn.close()
        status = resp.status
        ctype = (resp.getheader("Content-Type") or "").split(";")[0].strip()
        problem = lambda: json.loads(raw)
    got = harness.check_problem(status, ctype, problem, 413, "%s: %d" % (client, status))
    assert str(setting(daemon, "max_body_size", 1048576)) in got["detail"], got
    assert_healthy(daemon.port)
    assert_one_access_line(daemon, mark, 413)


def test_a_body_beyond_the_drain_cap_does_not_hold_the_daemon(daemon):
    """20 MiB is past what the daemon drains after a 413 (16 MiB): the
    client may then see a reset rather than the answer, but the daemon
    goes on serving, and the connection is gone once the client stops."""
    body = large_json(20 * 1024 * 1024)
    mark = len(daemon.stderr_text())
    done = []

    def post():
        try:
            r = requests.post(daemon.url + "/api/v1/events", data=body, timeout=30,
                              headers={"Content-Type": "application/json"})
            done.append(r.status_code)
        except requests.ConnectionError as exc:
            done.append(type(exc).__name__)
    t = threading.Thread(target=post, daemon=True)
    t.start()
    while t.is_alive():
        assert_healthy(daemon.port)  # served all the while
        t.join(timeout=0.1)
    assert done and done[0] in (413, "ConnectionError"), done
    assert_healthy(daemon.port)
    assert_one_access_line(daemon, mark, 413)


def test_a_client_that_never_stops_sending_after_a_refusal_is_closed(start_daemon):
    """The drain after a refusal has a time cap (5 s): a client that goes
    on sending a byte now and then, for ever, cannot keep its connection
    (nor its place among max_connections).  The clients give up after
    15 s; the daemon must have closed every one of them by then, and
    serves others all the while."""
    d = start_daemon(env={"LEERKANS_MAX_CONNECTIONS": 16})
    conns = []
    try:
        for i in range(16):
            c = Conn(d.port)
            c.send(b"GARBAGE\r\n\r\n" if i % 2 else
                   POST_JSON + b"Content-Length: 99999999\r\n\r\n")
            conns.append(c)
        for c in conns:
            assert c.response().status in (400, 413)
        open_ = set(range(len(conns)))
        end = time.monotonic() + 15
        while open_ and time.monotonic() < end:
            for i in sorted(open_):
                try:
                    conns[i].send(b"x" * 100)
                except (BrokenPipeError, ConnectionResetError):
                    open_.discard(i)
            time.sleep(0.3)
        assert not open_, "%d of 16 trickling connections still open after 15 s" % len(open_)
    finally:
        for c in conns:
            c.close()
    wait_until(lambda: assert_healthy(d.port, timeout=1) or True, timeout=3,
               interval=0.05, what="served once the drains are over")


def test_just_under_the_head_limits_is_served(daemon):
    fields = b"".join(b"X-Field-%d: %d\r\n" % (i, i) for i in range(99))
    with Conn(daemon.port) as c:
        c.send(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n" + fields + b"\r\n")
        r = c.response()
        assert r.status == 200, "100 header fields must be served: %r" % r
        c.send(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: "
               + b"a" * 10000 + b"\r\n\r\n")
        r = c.response()
        assert r.status == 200, "a 10000-byte head must be served: %r" % r


# -- connections and slow clients ---------------------------------------------------

def setting(d, name, default):
    """name's value as d's own leerkansd --check-config prints it."""
    proc = subprocess.run([LEERKANSD, "--check-config"], env=d.env, capture_output=True,
                          text=True, timeout=10)
    m = re.search(r"^%s = (\d+)$" % re.escape(name), proc.stdout, re.M)
    return int(m.group(1)) if m else default


def test_connections_over_max_connections_wait_their_turn(start_daemon):
    """At the cap the daemon stops accepting: a further connection waits in
    the kernel's backlog, unanswered, and is served once a place is free."""
    d = start_daemon(env={"LEERKANS_MAX_CONNECTIONS": 20})
    cap = setting(d, "max_connections", 20)
    idle = []
    try:
        for _ in range(cap):
            idle.append(socket.create_connection(("127.0.0.1", d.port), timeout=TIMEOUT))
        time.sleep(0.3)  # let the daemon take them all
        with Conn(d.port) as extra:
            extra.send(get("/healthz"))
            extra.sock.settimeout(1)
            with pytest.raises(Silent):
                extra._fill()
            idle.pop().close()
            extra.sock.settimeout(TIMEOUT)
            r = extra.response()
            assert r.status == 200 and r.json() == {"status": "ok"}, r
    finally:
        for s in idle:
            s.close()
    t0 = time.monotonic()
    wait_until(lambda: assert_healthy(d.port, timeout=1) or True, timeout=2,
               interval=0.05, what="a connection served after the idle ones closed")
    assert time.monotonic() - t0 < 2.5


def many_registrations(cluster, slug, n):
    """n confirmed registrations for slug, straight into the database,
    each with a name long enough to make an export of some size."""
    tag = unique("bulk")
    cluster.psql(
        "INSERT INTO registrations (event_id, token_hash, status, given_name,"
        " family_name, email, email_norm, role, organisation_type,"
        " consented_at)"
        " SELECT e.id, sha256(convert_to('%s-' || i, 'UTF8')), 'confirmed',"
        " repeat('n', 150) || i, '', '%s-' || i || '@example.be',"
        " '%s-' || i || '@example.be', 'employee', 'sme', now()"
        " FROM events e, generate_series(1, %d) AS i"
        " WHERE e.slug = '%s'" % (tag, tag, tag, n, slug))


def connect_from(source, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    s.bind((source, 0))
    s.connect(("127.0.0.1", port))
    return s


def served(s):
    s.sendall(get("/healthz"))
    return s.recv(64).startswith(b"HTTP/1.1 200 ")


def refused_at_once(s):
    s.settimeout(2)
    try:
        return s.recv(64) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def test_one_address_cannot_take_every_connection(start_daemon):
    d = start_daemon(env={"LEERKANS_MAX_CONNECTIONS_PER_ADDRESS": 5})
    mark = len(d.stderr_text())
    idle = [connect_from("127.0.0.1", d.port) for _ in range(5)]
    try:
        time.sleep(0.2)
        sixth = connect_from("127.0.0.1", d.port)
        assert refused_at_once(sixth), "a sixth connection from one address was kept"
        sixth.close()
        # another address is served all the same
        other = connect_from("127.0.0.2", d.port)
        assert served(other), "another address was not served"
        other.close()
        # and the address itself once one of its five is gone
        idle.pop().close()
        wait_until(lambda: served(connect_from("127.0.0.1", d.port)), timeout=3,
                   interval=0.1, what="a connection served again from that address")
    finally:
        for s in idle:
            s.close()
    assert re.search(r"1 connection refused: one address had 5 open "
                     r"\(max_connections_per_address\)", d.stderr_text()[mark:]), \
        d.stderr_text()[mark:]


def test_behind_a_proxy_the_address_limit_is_off(start_daemon):
    d = start_daemon(env={"LEERKANS_MAX_CONNECTIONS_PER_ADDRESS": 2,
                          "LEERKANS_TRUST_FORWARDED_FOR": "true"})
    conns = [connect_from("127.0.0.1", d.port) for _ in range(4)]
    try:
        for s in conns:
            assert served(s), "a proxy's connection was refused"
    finally:
        for s in conns:
            s.close()


def test_max_connections_is_kept_within_the_open_files_limit(start_daemon):
    # 100 descriptors: the pool, the log and a margin of 64 leave room for
    # 30 clients, not the 1000 asked for
    d = start_daemon(env={"LEERKANS_MAX_CONNECTIONS": 1000, "LEERKANS_POOL_SIZE": 4},
                     nofile=100)
    assert re.search(r"max_connections 1000 does not fit in the open-files limit "
                     r"\(100\); serving 30 at once", d.stderr_text()), d.stderr_text()
    conns = []
    try:
        for _ in range(40):
            conns.append(socket.create_connection(("127.0.0.1", d.port),
                                                  timeout=TIMEOUT))
        time.sleep(0.3)
        # the first 30 are served; the daemon lives and keeps its descriptors
        for s in conns[:30]:
            s.sendall(get("/healthz"))
        for s in conns[:30]:
            s.settimeout(TIMEOUT)
            assert s.recv(64).startswith(b"HTTP/1.1 200 "), "one of the 30 not served"
    finally:
        for s in conns:
            s.close()
    wait_until(lambda: assert_healthy(d.port, timeout=1) or True, timeout=3,
               interval=0.05, what="served again once the 40 are gone")
    assert d.alive()
    assert "cannot accept" not in d.stderr_text(), d.stderr_text()


def test_partial_head_is_dropped_after_idle_timeout(start_daemon):
    d = start_daemon(env={"LEERKANS_IDLE_TIMEOUT": 2})
    with Conn(d.port, timeout=6) as c:
        c.send(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
        t0 = time.monotonic()
        try:
            data = c.sock.recv(65536)
        except ConnectionResetError:
            data = b""
        except socket.timeout:
            pytest.fail("a half-sent head kept its connection past 6 s")
        took = time.monotonic() - t0
        # closed without an answer: the daemon sends no 408
        assert data == b"", "answered a half-sent head: %r" % data[:200]
        assert 1 <= took < 5, "dropped after %.1f s, idle_timeout is 2 s" % took
    assert_healthy(d.port)


# -- request targets and response fields -----------------------------------------------

def test_absolute_form_target(daemon):
    with Conn(daemon.port) as c:
        c.send(get("/healthz"))
        origin = c.response()
        c.send(get("http://localhost/healthz"))
        absolute = c.response()
    assert absolute.status == origin.status == 200, absolute
    assert absolute.body == origin.body, absolute
    assert media_type(absolute) == media_type(origin), absolute


def assert_sound_fields(r):
    names = [n.lower() for n, _ in r.headers]
    twice = {n for n in names if names.count(n) > 1} - {"set-cookie"}
    assert not twice, "header fields repeated: %s\n%r" % (sorted(twice), r)
    date = r.header("Date")
    assert date and date.endswith(" GMT"), r
    when = email.utils.parsedate_to_datetime(date)
    assert abs((when - datetime.now(timezone.utc)).total_seconds()) < 120, r
    framed_by = ("Content-Length" if r.header("Content-Length") is not None else "") + \
        ("chunked" if "chunked" in r.tokens("Transfer-Encoding") else "")
    assert framed_by in ("Content-Length", "chunked"), "framing %r: %r" % (framed_by, r)


def test_responses_carry_date_and_framing_once(daemon, token, new_event):
    slug = new_event()["slug"]
    ev = json.dumps(harness.event_body()).encode()
    exchanges = [
        (get("/healthz"), 200),
        (get("/api/v1/events"), 200),
        (get("/api/v1/events/" + slug), 200),
        (get("/api/v1/" + unique("nothing")), 404),
        (get("/"), 200),
        (get("/feeds/events.ics"), 200),
        (json_post("/api/v1/events", token, ev), 201),
        (request("PUT", "/api/v1/events", body=b"{}",
                 headers=[("Host", "localhost"), ("Content-Type", "application/json")]), 405),
        # a streamed answer
        (get("/api/v1/events/%s/attendees?format=csv" % slug,
             headers=[("Host", "localhost"), ("Authorization", "Bearer " + token)]), 200),
    ]
    for raw, status in exchanges:
        with Conn(daemon.port) as c:
            c.send(raw)
            r = c.response()
            assert r.status == status, (raw.split(b"\r\n")[0], r)
            assert_sound_fields(r)


# -- stress: one pipeline, however it is cut ------------------------------------

def mixed_pipeline():
    """~20 requests of every kind the connection treats apart: answered at
    once, from the database, HEAD, refused with a body read (401), 404, and
    a chunked body; with the statuses they must get and whether each
    answers a HEAD."""
    body = json.dumps(harness.event_body()).encode()
    kinds = [
        (get("/healthz"), 200, False),
        (get("/api/v1/events"), 200, False),
        (request("HEAD", "/api/v1/events"), 200, True),
        (json_post("/api/v1/events", body=body), 401, False),
        (get("/api/v1/" + unique("nothing")), 404, False),
        (request("POST", "/api/v1/events", headers=[
            ("Host", "localhost"), ("Content-Type", "application/json"),
            ("Transfer-Encoding", "chunked")]) + chunked(body, [1, 7, 50]), 401, False),
        (request("HEAD", "/healthz"), 200, True),
    ]
    order = [0, 1, 2, 3, 4, 5, 6, 3, 0, 5, 2, 4, 1, 6, 5, 3, 0, 2, 4, 1]
    return [kinds[i] for i in order]


def pipeline_answers(port, pipeline, pieces):
    """Sends the pipeline's bytes cut into pieces (from a thread, so that
    the answers are read while it goes on) and reads one answer for each
    request; returns them."""
    data = b"".join(raw for raw, _, _ in pipeline)
    errors = []
    with Conn(port, timeout=5) as c:
        c.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def send():
            try:
                i = 0
                for n in pieces(len(data)):
                    c.sock.sendall(data[i:i + n])
                    i += n
                assert i == len(data)
            except Exception as exc:  # reported by the main thread
                errors.append(exc)

        sender = threading.Thread(target=send, daemon=True)
        sender.start()
        answers = [c.response(head=is_head) for _, _, is_head in pipeline]
        sender.join(timeout=10)
        assert not errors, errors
        assert not c.closed(timeout=0.3), "closed after the pipeline, or more sent"
    return answers


def test_a_pipeline_is_answered_whole_and_in_order_however_it_is_cut(daemon):
    pipeline = mixed_pipeline()

    def whole(n):
        return [n]

    def bytewise(n):
        return [1] * n

    rnd = random.Random(1234)

    def pieces(n):
        out = []
        while n > 0:
            k = min(n, rnd.choice([1, 2, 3, 5, 17, 64, 200, 700, 1500]))
            out.append(k)
            n -= k
        return out

    t0 = time.monotonic()
    runs = {name: pipeline_answers(daemon.port, pipeline, cut)
            for name, cut in (("one sendall", whole), ("byte by byte", bytewise),
                              ("random pieces", pieces))}
    assert time.monotonic() - t0 < 10
    want = [status for _, status, _ in pipeline]
    for name, answers in runs.items():
        got = [r.status for r in answers]
        assert got == want, "%s: %s" % (name, got)
        for (raw, status, is_head), r in zip(pipeline, answers):
            line = raw.split(b"\r\n")[0]
            if is_head:
                assert r.body == b"" and int(r.header("Content-Length")) > 0, (line, r)
            elif line.startswith(b"GET /healthz"):
                assert r.json() == {"status": "ok"}, (name, r)
            elif line.startswith(b"GET /api/v1/events"):
                assert "events" in r.json(), (name, r)
            else:
                assert_wire_problem(r, status)


# -- stress: a client that is done sending --------------------------------------

def read_to_the_end(sock):
    """Every byte until the daemon closes; fails on a reset or a timeout."""
    data = b""
    while True:
        try:
            block = sock.recv(65536)
        except ConnectionResetError:
            pytest.fail("reset after %d bytes: %r" % (len(data), data[:300]))
        except socket.timeout:
            pytest.fail("not closed within %s s after %d bytes: %r"
                        % (sock.gettimeout(), len(data), data[:300]))
        if not block:
            return data
        data += block


def answers_in(data, heads=()):
    """The responses in data, which must hold them all and nothing more."""
    c = Conn.__new__(Conn)
    c.buf = data
    c.sock = None

    def fill():
        raise Closed("the data ends; have %r" % c.buf[:200])
    c._fill = fill
    out = []
    while c.buf:
        out.append(c.response(head=len(out) in heads))
    return out


def test_a_client_that_shuts_its_sending_side_gets_the_whole_answer(daemon, token, new_event):
    slug = new_event()["slug"]
    authed = [("Host", "localhost"), ("Authorization", "Bearer " + token)]
    cases = [
        # answered at once
        ([get("/healthz")], [200]),
        # answered from the database (the token is looked up)
        ([get("/api/v1/events/" + slug, headers=authed)], [200]),
        # streams
        ([get("/api/v1/events/%s/attendees?format=csv" % slug, headers=authed)], [200]),
        ([get("/api/v1/events/%s/attendees?format=json" % slug, headers=authed)], [200]),
        # the feed, by reference from the answer cache
        ([get("/feeds/events.ics")], [200]),
        # pipelined behind a request answered from the database (a
        # stream would end its connection)
        ([get("/api/v1/events/" + slug, headers=authed), get("/healthz"),
          get("/api/v1/events/" + slug)], [200, 200, 200]),
        ([get("/healthz"), get("/api/v1/events/" + slug, headers=authed),
          get("/healthz")], [200, 200, 200]),
        # refused: the answer, then the close
        ([b"GET /healthz HTTP/1.1\r\n\r\n"], [400]),
    ]
    for reqs, statuses in cases:
        for _ in range(5):
            s = socket.create_connection(("127.0.0.1", daemon.port), timeout=TIMEOUT)
            try:
                s.sendall(b"".join(reqs))
                s.shutdown(socket.SHUT_WR)
                data = read_to_the_end(s)
            finally:
                s.close()
            got = answers_in(data)
            assert [r.status for r in got] == statuses, (reqs[0].split(b"\r\n")[0], got)
    assert_healthy(daemon.port)



def test_pipelined_requests_are_all_answered_when_the_client_shuts_its_side(daemon, token,
                                                                            new_event):
    """The client's end of input (a FIN) may come while the daemon moves on
    from an answer made by a database callback to the requests pipelined
    behind it: those are whole, so they are answered all the same.  A race,
    so it is run 800 times over 8 connections at once, with the FIN sent a
    little after the requests."""
    slug = new_event()["slug"]
    authed = [("Host", "localhost"), ("Authorization", "Bearer " + token)]
    reqs = get("/api/v1/events/" + slug, headers=authed) + get("/healthz") + get("/healthz")
    bad = []

    def client(seed):
        rnd = random.Random(seed)
        for _ in range(100):
            with Conn(daemon.port) as c:
                try:
                    c.send(reqs)
                    time.sleep(rnd.uniform(0.0005, 0.004))
                    c.sock.shutdown(socket.SHUT_WR)
                    got = [c.response().status for _ in range(3)]
                    if got != [200, 200, 200]:
                        bad.append(got)
                    elif not c.closed():
                        bad.append("left open")
                except (Closed, Silent) as exc:
                    bad.append(str(exc)[:120])
    t0 = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    assert time.monotonic() - t0 < 10
    assert not bad, "%d of 800 pipelines not answered whole: %s" % (len(bad), bad[:5])
    assert_healthy(daemon.port)


# -- stress: clients that leave in the middle of an answer ----------------------

def log_troubles(text):
    """The log's warning and error lines."""
    return [l for l in text.splitlines() if ": warning: " in l or ": error: " in l]


def test_clients_that_leave_during_a_large_answer_do_not_disturb_the_daemon(
        own_cluster, start_daemon):
    from conftest import ctl_env_for
    tok = harness.run_ctl("token", "create", unique("org"),
                          env=ctl_env_for(own_cluster)).stdout.strip()
    d = start_daemon(cluster=own_cluster, env={"LEERKANS_POOL_SIZE": "2"})
    # a feed of about 1 MB, and an export of about 2.5 MB
    for _ in range(50):
        r = d.post("/api/v1/events", token=tok, json=harness.event_body(
            description="Levenslang leren in de bedrijfsacademie. " * 450))
        assert r.status_code == 201, describe(r)
    slug = harness.event_body()["slug"]
    assert d.post("/api/v1/events", token=tok, json=harness.event_body(
        slug=slug, capacity=None)).status_code == 201
    many_registrations(own_cluster, slug, 15000)
    feed = get("/feeds/events.ics")
    full_feed = None
    with Conn(d.port, timeout=10) as c:
        c.send(feed)
        full_feed = c.response()
    assert full_feed.status == 200 and len(full_feed.body) > 500000, full_feed.status
    answers = {
        "feed": feed,
        "csv": get("/api/v1/events/%s/attendees?format=csv" % slug,
                   headers=[("Host", "localhost"), ("Authorization", "Bearer " + tok)]),
        "json": get("/api/v1/events/%s/attendees?format=json" % slug,
                    headers=[("Host", "localhost"), ("Authorization", "Bearer " + tok)]),
    }
    mark = len(d.stderr_text())
    t0 = time.monotonic()
    rnd = random.Random(7)
    for i in range(24):
        name = ("feed", "csv", "json")[i % 3]
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(TIMEOUT)
        if i % 2:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", d.port))
        try:
            s.sendall(answers[name])
            got = 0
            stop_at = rnd.choice([1, 1000, 20000, 200000])
            while got < stop_at:
                block = s.recv(min(65536, stop_at - got))
                assert block, "%s closed after %d bytes" % (name, got)
                got += len(block)
            if i % 4 == 3:  # a reset rather than a close
                s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
        finally:
            s.close()
        # the daemon goes on serving, the same answers too
        assert_healthy(d.port)
        if i % 6 == 5:
            with Conn(d.port, timeout=10) as c:
                c.send(feed)
                r = c.response()
                assert r.status == 200 and r.body == full_feed.body
    assert time.monotonic() - t0 < 10
    r = d.get("/api/v1/events/%s/attendees?format=json" % slug, token=tok, timeout=30)
    assert r.status_code == 200 and r.json()["count"] == 15000
    wait_until(lambda: d.get("/readyz").status_code == 200, timeout=5,
               what="the pool back to ready")
    assert d.alive()
    assert not log_troubles(d.stderr_text()[mark:]), log_troubles(d.stderr_text()[mark:])


# -- stress: connections that come and go --------------------------------------

def test_connections_coming_and_going_at_random_do_not_disturb_the_others(start_daemon):
    """200 connections, each closed at a random moment: before sending, in
    the head, in the body, after the request, in the answer; meanwhile
    other clients make requests on kept connections.  Those are all
    answered, the daemon stays up, and it serves once they are gone.  A
    cap of 40 connections makes the listener stop and start again."""
    d = start_daemon(env={"LEERKANS_MAX_CONNECTIONS": 40})
    mark = len(d.stderr_text())
    body = json.dumps(harness.event_body()).encode()
    post = json_post("/api/v1/events", body=body)
    bad, served = [], []
    lock = threading.Lock()

    def note(what):
        with lock:
            bad.append(what)

    def churn(seed):
        rnd = random.Random(seed)
        for _ in range(20):
            way = rnd.randrange(8)
            pause = lambda: time.sleep(rnd.uniform(0, 0.03))
            try:
                with Conn(d.port, timeout=5) as c:
                    pause()
                    if way == 0:
                        continue                     # nothing sent
                    if way == 1:
                        c.send(get("/healthz")[:rnd.randrange(1, 30)])
                    elif way == 2:
                        c.send(post[:len(post) - rnd.randrange(1, len(body))])
                    elif way == 3:
                        c.send(get("/api/v1/events") + get("/healthz"))
                    elif way == 4:
                        c.send(get("/api/v1/events") + get("/healthz")[:10])
                        c.sock.recv(rnd.randrange(1, 200))
                    elif way == 5:
                        c.send(get("/healthz"))
                        c.sock.shutdown(socket.SHUT_WR)
                        if c.response().status != 200:
                            note("way 5 not 200")
                    elif way == 6:
                        c.send(get("/healthz") + post)
                        r1, r2 = c.response(), c.response()
                        if (r1.status, r2.status) != (200, 401):
                            note("way 6: %d %d" % (r1.status, r2.status))
                    else:
                        c.send(post)
                        c.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                          b"\x01\0\0\0\0\0\0\0")
                    pause()
            except (OSError, Closed, Silent) as exc:
                note("churn way %d: %r" % (way, exc))

    def work(seed):
        rnd = random.Random(seed)
        end = time.monotonic() + 3
        while time.monotonic() < end:
            try:
                with Conn(d.port, timeout=5) as c:
                    for _ in range(rnd.randrange(1, 6)):
                        which = rnd.randrange(3)
                        if which == 0:
                            c.send(get("/healthz"))
                            r = c.response()
                            ok = r.status == 200 and r.json() == {"status": "ok"}
                        elif which == 1:
                            c.send(get("/api/v1/events"))
                            r = c.response()
                            ok = r.status == 200 and "events" in r.json()
                        else:
                            c.send(post)
                            r = c.response()
                            ok = r.status == 401
                        if not ok:
                            note("work: %r" % r)
                        with lock:
                            served.append(r.status)
            except (OSError, Closed, Silent) as exc:
                note("work: %r" % exc)

    t0 = time.monotonic()
    threads = [threading.Thread(target=churn, args=(i,), daemon=True) for i in range(10)]
    threads += [threading.Thread(target=work, args=(100 + i,), daemon=True) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    assert not any(t.is_alive() for t in threads), "clients stuck"
    assert time.monotonic() - t0 < 10
    assert not bad, bad[:10]
    assert len(served) > 100, len(served)
    assert d.alive()
    wait_until(lambda: assert_healthy(d.port, timeout=1) or True, timeout=3,
               interval=0.05, what="/healthz once they are all gone")
    # none is left holding a place: 40 at once (the cap) are all served
    time.sleep(0.2)
    conns = [Conn(d.port) for _ in range(40)]
    try:
        for c in conns:
            c.send(get("/healthz"))
        assert all(c.response().status == 200 for c in conns)
    finally:
        for c in conns:
            c.close()
    assert not log_troubles(d.stderr_text()[mark:]), log_troubles(d.stderr_text()[mark:])


def test_a_refused_head_request_gets_no_body(daemon):
    """A HEAD the daemon refuses is still a HEAD: the problem's head only,
    with its Content-Length, then the close; no body bytes after it."""
    for raw, status in [
            (b"HEAD /healthz HTTP/1.1\r\n\r\n", 400),
            (b"HEAD /healthz HTTP/1.1\r\nHost: localhost\r\nExpect: something-else\r\n\r\n", 417),
            (b"HEAD /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999\r\n\r\n",
             413)]:
        with Conn(daemon.port) as c:
            c.send(raw)
            r = c.response(head=True)
            assert r.status == status, r
            assert int(r.header("Content-Length")) > 0, r
            assert c.closed(), "bytes after the head of a %d to HEAD: %r" % (status, c.buf[:200])


def test_empty_lines_do_not_keep_a_connection_open(start_daemon):
    """Empty lines before a request are allowed, but they are no request:
    a client that sends only those, a little at a time, is an idle
    connection and is closed after idle_timeout like one."""
    d = start_daemon(env={"LEERKANS_IDLE_TIMEOUT": 2})
    with Conn(d.port) as c:
        t0 = time.monotonic()
        closed = False
        while time.monotonic() - t0 < 6:
            try:
                c.send(b"\r\n")
            except (BrokenPipeError, ConnectionResetError):
                closed = True
                break
            if c.closed(timeout=0.5):
                closed = True
                break
        took = time.monotonic() - t0
        assert closed, "empty lines kept the connection open for 6 s (idle_timeout 2 s)"
        assert took < 4.5, "closed after %.1f s, idle_timeout is 2 s" % took
    assert_healthy(d.port)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_client_gone_before_its_stream_starts_cuts_the_stream_short(own_cluster,
                                                                      start_daemon, fmt):
    """A client that resets its connection while its export waits for the
    database has gone while the handler holds the request: the stream,
    once it starts, hears of it and ends cut short, instead of making the
    whole export for no one and logging it as sent.  (The workbook is
    sent in one loop turn once zipped: its first write must already stop
    on a connection that is gone.)"""
    from conftest import ctl_env_for
    tok = harness.run_ctl("token", "create", unique("org"),
                          env=ctl_env_for(own_cluster)).stdout.strip()
    d = start_daemon(cluster=own_cluster)
    slug = harness.event_body()["slug"]
    assert d.post("/api/v1/events", token=tok, json=harness.event_body(
        slug=slug, capacity=None)).status_code == 201
    many_registrations(own_cluster, slug, 20000)
    mark = len(d.stderr_text())
    own_cluster.freeze()
    try:
        s = socket.create_connection(("127.0.0.1", d.port), timeout=TIMEOUT)
        s.sendall(get("/api/v1/events/%s/attendees?format=%s" % (slug, fmt), headers=[
            ("Host", "localhost"), ("Authorization", "Bearer " + tok)]))
        time.sleep(0.3)  # read, and waiting for the database
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\0\0\0\0\0\0\0")
        s.close()  # a reset
        time.sleep(0.3)
    finally:
        own_cluster.thaw()

    def export_line():
        lines = [l for l in d.stderr_text()[mark:].splitlines()
                 if "/attendees 200 " in l]
        return lines[0] if lines else None
    line = wait_until(export_line, timeout=10, what="the export's access line")
    assert line.endswith("(cut short)"), "made whole for a client that had gone: %s" % line
    assert_healthy(d.port)


# -- stress: one client's pipeline cannot stall the others ---------------------

# A second client, in a process of its own (so that the test's own work
# never delays it): asks GET /healthz on a new connection every 20 ms
# until a line comes on its stdin, then prints the latencies it saw.
PROBE = r"""
import json, select, socket, sys, time
port = int(sys.argv[1])
req = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
took = []
print("ready", flush=True)
while not select.select([sys.stdin], [], [], 0.02)[0]:
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    t0 = time.perf_counter()  # the kernel's connect is not the daemon's
    s.sendall(req)
    data = b""
    while True:
        block = s.recv(4096)
        if not block:
            break
        data += block
    s.close()
    assert data.startswith(b"HTTP/1.1 200 "), data[:100]
    took.append(time.perf_counter() - t0)
print(json.dumps(took), flush=True)
"""


def probe_latencies(port, during):
    """The latencies of another client's GET /healthz while during() runs."""
    proc = subprocess.Popen([sys.executable, "-c", PROBE, str(port)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        during()
        out, _ = proc.communicate("stop\n", timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, "the probe failed"
    took = json.loads(out)
    assert len(took) >= 10, took
    return took


def read_statuses(sock, n):
    """The statuses of n answers read off sock, each framed by its
    Content-Length, and the bodies of those that are short; parsed by
    offset, since a pipeline's answers run to megabytes."""
    buf, pos, got = bytearray(), 0, []
    length = re.compile(rb"\r\ncontent-length: *(\d+)", re.I)
    while len(got) < n:
        end = buf.find(b"\r\n\r\n", pos)
        if end >= 0:
            head = bytes(buf[pos:end])
            m = length.search(head)
            assert head.startswith(b"HTTP/1.1 ") and m, head[:300]
            stop = end + 4 + int(m.group(1))
            if len(buf) >= stop:
                body = bytes(buf[end + 4:stop]) if stop - end < 200 else None
                got.append((int(head[9:12]), body))
                pos = stop
                if pos > (1 << 20):
                    del buf[:pos]
                    pos = 0
                continue
        block = sock.recv(1 << 20)
        assert block, "closed after %d of %d answers" % (len(got), n)
        buf += block
    return got


def test_a_long_pipeline_behind_a_large_body_does_not_stall_other_clients(daemon):
    """One connection sends a 1 MB body, then 30,500 requests pipelined
    behind it, and reads nothing for 3 s.  Moving what is left of the
    buffer to its front after every request made the cost grow with the
    square of what was buffered: another client's /healthz waited 300-400
    ms, over 1000 times its median without the attack, in every attack.
    Now the worst is a few milliseconds.  The attack's answers must all
    come, right and in order.

    Measured against the same probe during a control: the same pipeline
    behind a 1 KB body, just before.  A machine shared with other work can
    make any one probe wait now and then (the probe or the daemon not
    scheduled, a write of the log held back), so up to three rounds are
    run and one within the bound passes; the stall this is about came
    back in every round."""
    def pipeline(body):
        return (request("GET", "/readyz", body=b"x" * body)
                + get("/") * 1500 + get("/healthz") * 29000)
    want = [200] * (1 + 1500 + 29000)
    rounds = []

    def attack(body):
        answers = []
        s = socket.create_connection(("127.0.0.1", daemon.port), timeout=30)
        sender = threading.Thread(target=s.sendall, args=(pipeline(body),),
                                  daemon=True)
        try:
            sender.start()
            time.sleep(3)
            answers.extend(read_statuses(s, len(want)))
            sender.join(timeout=30)
        finally:
            s.close()
        assert [status for status, _ in answers] == want, \
            [(i, s) for i, (s, _) in enumerate(answers) if s != 200][:5]
        assert all(json.loads(b) == {"status": "ok"} for _, b in answers[1501:])

    # The control is the same pipeline behind a 1 KB body: the same
    # requests and the same machine, without the large buffer behind
    # which the old code stalled.  A round passes when the worst probe
    # under the attack stays within 100 times the control's median or
    # 10 times the control's own worst probe (the latter absorbs a
    # machine busy with other work, which delays both alike).
    for _ in range(3):
        control = probe_latencies(daemon.port, lambda: attack(1000))
        attacked = probe_latencies(daemon.port, lambda: attack(1000000))
        worst, median = max(attacked), statistics.median(control)
        rounds.append("%.1f ms against %.2f ms (control's worst %.1f ms)"
                      % (worst * 1e3, median * 1e3, max(control) * 1e3))
        if worst < max(100 * median, 10 * max(control)):
            break
    else:
        pytest.fail("another client waited during the attack, at worst, against "
                    "the control: %s" % "; ".join(rounds))
    assert_healthy(daemon.port)
