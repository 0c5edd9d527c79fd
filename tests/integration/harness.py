"""Building blocks for the leerkans integration tests.

A throwaway PostgreSQL cluster (PgCluster), a leerkansd process (Daemon),
the leerkansctl runner (run_ctl) and small HTTP/JSON helpers.  conftest.py
turns these into pytest fixtures; test modules may import the helpers.
"""

import json
import os
import pwd
import resource
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import requests

import openapi

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.normpath(os.path.join(HERE, "..", ".."))

PG_BINDIR = os.environ.get("LEERKANS_PG_BINDIR", "/usr/lib/postgresql/15/bin")
PSQL = shutil.which("psql", path=PG_BINDIR) or shutil.which("psql") or "psql"

# Every HTTP call in the suite uses a timeout; this is the default.
HTTP_TIMEOUT = 10


def binary(envvar, name):
    """Path of a program under test: $ENVVAR, else <repo top>/name."""
    path = os.environ.get(envvar) or os.path.join(TOP, name)
    return os.path.abspath(path)


LEERKANSD = binary("LEERKANSD", "leerkansd")
LEERKANSCTL = binary("LEERKANSCTL", "leerkansctl")


def require_binary(path, envvar):
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise RuntimeError(
            "%s not found or not executable at %s (build it, or set %s)"
            % (os.path.basename(path), path, envvar))


def unique(prefix="t"):
    """A fresh slug-safe name: [a-z0-9-], well under 80 characters."""
    return "%s-%s" % (prefix, uuid.uuid4().hex[:12])


_ports_given = set()


def free_port():
    """A loopback TCP port that was free a moment ago (never the same twice)."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port not in _ports_given:
            _ports_given.add(port)
            return port
    raise RuntimeError("no fresh loopback port")


def wait_until(predicate, timeout, interval=0.1, what="condition"):
    """Poll predicate() until it is truthy; return its value or raise."""
    deadline = time.monotonic() + timeout
    last_exc = None
    while True:
        try:
            value = predicate()
            if value:
                return value
        except Exception as exc:  # keep polling, report the last error
            last_exc = exc
        if time.monotonic() >= deadline:
            raise AssertionError("timed out after %ss waiting for %s%s" % (
                timeout, what, " (last error: %r)" % last_exc if last_exc else ""))
        time.sleep(interval)


def is_root():
    return os.geteuid() == 0


def _make_traversable_tmpdir(prefix):
    """mkdtemp in a place the postgres user can reach when we are root.

    The unix socket path must stay short (sun_path is ~107 bytes), so a long
    or unreachable $TMPDIR falls back to /tmp.
    """
    base = tempfile.gettempdir()
    if len(base) > 60 or (is_root() and not _others_can_traverse(base)):
        base = "/tmp"
    path = tempfile.mkdtemp(prefix=prefix, dir=base)
    os.chmod(path, 0o755)
    return path


def _others_can_traverse(path):
    path = os.path.abspath(path)
    while True:
        if not os.stat(path).st_mode & 0o001:
            return False
        parent = os.path.dirname(path)
        if parent == path:
            return True
        path = parent


class PgCluster:
    """A private PostgreSQL cluster listening only on a unix socket in its
    own temporary directory.  Never touches a system cluster."""

    def __init__(self, name="pg"):
        self.dir = _make_traversable_tmpdir("leerkans-%s-" % name)
        self.datadir = os.path.join(self.dir, "data")
        self.sockdir = self.dir
        self.logfile = os.path.join(self.dir, "postgres.log")
        self.port = 5432  # only names the socket file; no TCP listener
        self.running = False
        self.frozen = []
        try:
            if is_root():
                pw = pwd.getpwnam("postgres")
                os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self._pg(["initdb", "-D", self.datadir, "-A", "trust", "-U", "postgres",
                      "--no-sync", "-E", "UTF8", "--locale=C"], timeout=120)
        except BaseException:
            shutil.rmtree(self.dir, ignore_errors=True)
            raise

    # -- running PostgreSQL programs ------------------------------------
    def _pg(self, argv, timeout=60, check=True):
        cmd = [os.path.join(PG_BINDIR, argv[0])] + list(argv[1:])
        if is_root():
            cmd = ["runuser", "-u", "postgres", "--"] + cmd
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=timeout, cwd=self.dir)
        if check and proc.returncode != 0:
            raise RuntimeError("%s failed (%d):\n%s\n%s" % (
                " ".join(cmd), proc.returncode,
                proc.stdout.decode(errors="replace"), self.log_tail()))
        return proc

    def log_tail(self, n=40):
        try:
            with open(self.logfile, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""

    def start(self):
        opts = ("-c listen_addresses='' -c unix_socket_directories='%s' "
                "-c port=%d -c fsync=off -c synchronous_commit=off "
                "-c full_page_writes=off -c max_connections=100"
                % (self.sockdir, self.port))
        self.running = True  # so that a failed or slow start is still stopped
        self._pg(["pg_ctl", "start", "-w", "-t", "60", "-D", self.datadir,
                  "-l", self.logfile, "-o", opts], timeout=90)

    def stop(self, mode="fast"):
        if self.running:
            self._pg(["pg_ctl", "stop", "-w", "-t", "60", "-D", self.datadir,
                      "-m", mode], timeout=90, check=False)
            self.running = False

    def pids(self):
        """The postmaster and its children (backends, checkpointer, ...)."""
        with open(os.path.join(self.datadir, "postmaster.pid")) as f:
            master = int(f.readline())
        pids = [master]
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open("/proc/%s/stat" % entry) as f:
                        ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                if ppid == master:
                    pids.append(int(entry))
        return pids

    def freeze(self):
        """SIGSTOP every process of this cluster: a database that hangs."""
        self.frozen = []
        for pid in self.pids():
            try:
                os.kill(pid, signal.SIGSTOP)
            except ProcessLookupError:
                continue  # a backend that was just ending (a psql's)
            self.frozen.append(pid)

    def thaw(self):
        for pid in self.frozen:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
        self.frozen = []

    def destroy(self):
        self.thaw()
        try:
            self.stop(mode="immediate")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    # -- talking to it --------------------------------------------------
    def dsn(self, dbname="leerkans"):
        """A libpq conninfo string for dbname over the unix socket."""
        return "host=%s port=%d dbname=%s user=postgres" % (
            self.sockdir, self.port, dbname)

    @property
    def conninfo(self):
        """The conninfo of the leerkans database."""
        return self.dsn("leerkans")

    def psql(self, sql, dbname="leerkans", timeout=30):
        """Run sql with psql; return the rows as lists of strings (NULL is '')."""
        cmd = [PSQL, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
               "-F", "\x1f", "-R", "\x1e",
               "-h", self.sockdir, "-p", str(self.port), "-U", "postgres",
               "-d", dbname, "-c", sql]
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=timeout, env=dict(os.environ, PGCONNECT_TIMEOUT="5"))
        if proc.returncode != 0:
            raise RuntimeError("psql failed (%d): %s" % (
                proc.returncode, proc.stderr.decode(errors="replace")))
        out = proc.stdout.decode()
        if not out:  # no rows at all; a row prints at least its "\n" end
            return []
        if out.endswith("\n"):
            out = out[:-1]
        return [rec.split("\x1f") for rec in out.split("\x1e")]

    def create_database(self, dbname):
        self.psql('CREATE DATABASE "%s"' % dbname, dbname="postgres")

    def user_tables(self, dbname="leerkans"):
        rows = self.psql(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name)"
            " FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
            " AND table_schema NOT IN ('pg_catalog', 'information_schema')"
            " ORDER BY 1", dbname=dbname)
        return [r[0] for r in rows]

    def table_counts(self, dbname="leerkans"):
        """{table: row count} for every user table."""
        tables = self.user_tables(dbname)
        if not tables:
            return {}
        rows = self.psql(" UNION ALL ".join(
            "SELECT %s, count(*) FROM %s" % (quote_literal(t), t) for t in tables),
            dbname=dbname)
        return {t: int(n) for t, n in rows}


def quote_literal(text):
    return "'" + str(text).replace("'", "''") + "'"


def clean_env(**settings):
    """os.environ without any inherited LEERKANS_* setting, plus settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEERKANS_")}
    env.update({k: str(v) for k, v in settings.items() if v is not None})
    return env


def run_ctl(*args, env, timeout=60, check=True, input=None):
    """Run leerkansctl; return the CompletedProcess (text mode).  input:
    text for its standard input (a password), else it reads nothing."""
    require_binary(LEERKANSCTL, "LEERKANSCTL")
    proc = subprocess.run([LEERKANSCTL] + [str(a) for a in args], env=env,
                          input=input,
                          stdin=subprocess.DEVNULL if input is None else None,
                          capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise RuntimeError("leerkansctl %s exited %d\nstdout: %s\nstderr: %s" % (
            " ".join(map(str, args)), proc.returncode, proc.stdout, proc.stderr))
    return proc


class Daemon:
    """One leerkansd process, stderr captured to <workdir>/<name>.stderr."""

    def __init__(self, workdir, name, env, args=(), port=None, nofile=None):
        """port: where to talk to it when env has no LEERKANS_LISTEN (config file);
        nofile: an open-files limit (soft and hard) to start it under."""
        require_binary(LEERKANSD, "LEERKANSD")
        self.name = name
        self.nofile = nofile
        self.env = env
        self.args = list(args)
        self.stderr_path = os.path.join(workdir, name + ".stderr")
        self.stdout_path = os.path.join(workdir, name + ".stdout")
        listen = env.get("LEERKANS_LISTEN", "")
        tail = listen.rsplit(":", 1)[-1]
        self.port = int(tail) if ":" in listen and tail.isdigit() else port
        self.url = "http://127.0.0.1:%d" % self.port if self.port else None
        self.proc = None
        self.returncode = None

    def start(self):
        with open(self.stderr_path, "wb") as err, open(self.stdout_path, "wb") as out:
            limit = None
            if self.nofile is not None:
                n = self.nofile
                limit = lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (n, n))
            self.proc = subprocess.Popen([LEERKANSD] + self.args, env=self.env,
                                         stdin=subprocess.DEVNULL, stdout=out,
                                         stderr=err, preexec_fn=limit)
        return self

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def wait_ready(self, timeout=20):
        """Wait until GET /healthz answers 200; fail early if the process dies."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise AssertionError("leerkansd exited with %s before it was ready;"
                                     " stderr:\n%s" % (self.proc.poll(), self.stderr_text()))
            try:
                r = requests.get(self.url + "/healthz", timeout=2)
                if r.status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise AssertionError("leerkansd not ready within %ss; stderr:\n%s"
                             % (timeout, self.stderr_text()))

    def wait_exit(self, timeout=10):
        """For daemons expected to refuse to start: the exit code."""
        try:
            self.returncode = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError("leerkansd still running after %ss; stderr:\n%s"
                                 % (timeout, self.stderr_text()))
        return self.returncode

    def stop(self, timeout=15):
        """SIGTERM and wait; return the exit code (kills and raises on a hang)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                raise AssertionError("leerkansd did not exit within %ss of SIGTERM"
                                     % timeout)
        self.returncode = self.proc.returncode
        return self.returncode

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)

    def stderr_text(self):
        try:
            with open(self.stderr_path, "rb") as f:
                return f.read().decode("utf-8", errors="replace")
        except OSError:
            return ""

    def stderr_tail(self, n=60):
        return "\n".join(self.stderr_text().splitlines()[-n:])

    # -- HTTP ------------------------------------------------------------
    def request(self, method, path, token=None, timeout=HTTP_TIMEOUT, headers=None, **kw):
        """Every JSON answer that comes through here is checked to be
        compact and to end in a newline (check_compact_json) and to be
        what docs/openapi.yaml says this method, path and status answer
        (openapi.check_response)."""
        h = dict(headers or {})
        if token is not None:
            h["Authorization"] = "Bearer " + token
        resp = requests.request(method, self.url + path, headers=h,
                                timeout=timeout, allow_redirects=False, **kw)
        if not kw.get("stream"):
            check_compact_json(resp)
            openapi.check_response(resp)
        return resp

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, **kw):
        return self.request("POST", path, **kw)

    def patch(self, path, **kw):
        return self.request("PATCH", path, **kw)


# -- assertions ------------------------------------------------------------

def media_type(resp):
    return resp.headers.get("Content-Type", "").split(";")[0].strip().lower()


JSON_TYPES = ("application/json", "application/problem+json")


def compact_json_text(text):
    """Is text one JSON document written compact, ending in one newline?
    Returns why not, or None.  Compact: no white space outside strings,
    so {"a":1,"b":[1,2]}, never {"a" : 1, "b" : [1, 2]}."""
    if not text.endswith("\n") or text.endswith("\n\n"):
        return "does not end in exactly one newline"
    try:
        json.loads(text)
    except ValueError as exc:
        return "not JSON: %s" % exc
    in_string = escaped = False
    for i, c in enumerate(text[:-1]):
        if in_string:
            if escaped:
                escaped = False
            elif c == "\\":
                escaped = True
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
        elif c in " \t\r\n":
            return "white space outside a string at %d: %r" % (i, text[max(0, i - 20):i + 20])
    return None


def check_compact_json(resp):
    """A JSON answer (not HEAD, not 304) is compact with a newline."""
    if (resp.request.method == "HEAD" or resp.status_code == 304
            or media_type(resp) not in JSON_TYPES):
        return
    why = compact_json_text(resp.content.decode("utf-8"))
    assert why is None, "%s: %s" % (why, describe(resp))


def assert_json(resp, status):
    assert resp.status_code == status, describe(resp)
    assert media_type(resp) == "application/json", describe(resp)
    return resp.json()


# every problem type check_problem saw in this run; test_problems.py
# fetches each at the end
PROBLEM_TYPES_SEEN = set()


def check_problem(got, ctype, body, status, what):
    """An answer with status code got, media type ctype and JSON body()
    is an RFC 9457 problem with this status, as docs/openapi.yaml's
    Problem describes it; return the parsed body."""
    assert got == status, what
    assert ctype == "application/problem+json", what
    body = body()
    assert isinstance(body, dict), body
    assert isinstance(body.get("type"), str) and body["type"], body
    PROBLEM_TYPES_SEEN.add(body["type"])
    assert isinstance(body.get("title"), str) and body["title"], body
    assert body.get("status") == status, body
    openapi.check_problem(body)
    return body


def assert_problem(resp, status):
    """resp (requests) is an RFC 9457 problem with this status; return the body."""
    return check_problem(resp.status_code, media_type(resp), resp.json, status,
                         describe(resp))


def error_fields(problem):
    """The set of field names listed in a 422 problem's errors member."""
    errors = problem.get("errors")
    assert isinstance(errors, list) and errors, problem
    fields = set()
    for e in errors:
        assert isinstance(e, dict) and isinstance(e.get("field"), str), problem
        assert isinstance(e.get("message"), str) and e["message"], problem
        # "venue.city", "/venue/city" (JSON Pointer) and "venue/city" compare equal.
        fields.add(e["field"].lstrip("/").replace("/", "."))
    return fields


def describe(resp):
    body = resp.text
    if len(body) > 2000:
        body = body[:2000] + "..."
    return "%s %s -> %d %s\n%s" % (resp.request.method, resp.request.url,
                                   resp.status_code, dict(resp.headers), body)


def parse_time(value):
    """Parse an RFC 3339 timestamp that must carry an offset."""
    assert isinstance(value, str), value
    dt = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    assert dt.tzinfo is not None, "no offset in %r" % value
    return dt


def dumps(obj):
    return json.dumps(obj, ensure_ascii=False)


# -- request bodies ----------------------------------------------------------

# Far enough ahead that every event is upcoming; the dates used in the tests
# keep clear of DST changes (Europe/Brussels: last Sundays of March, October).
YEAR = date.today().year + 2
BRUSSELS = "Europe/Brussels"

DROP = object()  # event_body(field=DROP) leaves the field out


def at(month, day, hour, minute=0, tz=BRUSSELS, year=None):
    """RFC 3339 for a wall-clock time in tz, e.g. '2028-03-18T14:00:00+01:00'."""
    return datetime(year or YEAR, month, day, hour, minute,
                    tzinfo=ZoneInfo(tz)).isoformat()


def today(**fields):
    """starts_at and ends_at of an event going on now (an hour ago to two
    hours ahead, Brussels time), whose check-in is open whatever the time
    of day (lk_checkin_open), and fields."""
    now = datetime.now(ZoneInfo(BRUSSELS)).replace(microsecond=0)
    out = {"starts_at": (now - timedelta(hours=1)).isoformat(),
           "ends_at": (now + timedelta(hours=2)).isoformat()}
    out.update(fields)
    return out


def mark_attended(pg, rid):
    """Records attendance in the database itself, for a test of what
    counts it (the API checks in on the event's day only)."""
    pg.psql("UPDATE registrations SET checked_in_at = now() WHERE id = %d"
            % rid)


def event_body(**fields):
    """A complete, valid event (published, in March, Brussels time)."""
    body = {
        "slug": unique("ev"),
        "kind": "academy-session",
        "title": "Inspiratiesessie in-company academies",
        "description": "Samen leren tussen bedrijfsacademies.",
        "language": "nl",
        "starts_at": at(3, 18, 14),
        "ends_at": at(3, 18, 17),
        "timezone": BRUSSELS,
        "venue": {"name": "POM West-Vlaanderen", "address": "Baron Ruzettelaan 33",
                  "postcode": "8310", "city": "Brugge"},
        "capacity": 30,
        "waitlist": True,
        "status": "published",
    }
    body.update(fields)
    return {k: v for k, v in body.items() if v is not DROP}


def session_body(**fields):
    body = {
        "slug": unique("s"),
        "title": "Digitale basisvaardigheden",
        "description": "Parallelle netwerksessie.",
        "starts_at": at(3, 18, 14, 30),
        "ends_at": at(3, 18, 15, 30),
        "room": "Zaal 1",
        "capacity": 10,
    }
    body.update(fields)
    return {k: v for k, v in body.items() if v is not DROP}


def registration_body(**fields):
    """A complete, valid registration (an employer of an SME in Ieper)."""
    body = {
        "given_name": "An",
        "family_name": "Peeters",
        "email": "%s@example.be" % unique("p"),
        "organisation": "Bakkerij Peeters bv",
        "role": "employer",
        "organisation_type": "sme",
        "postcode": "8900",
        "consent": {"privacy": True},
        "language": "nl",
    }
    body.update(fields)
    return {k: v for k, v in body.items() if v is not DROP}
