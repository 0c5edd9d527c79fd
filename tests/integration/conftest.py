"""Integration test harness for leerkans: a real leerkansd on a real PostgreSQL.

Run it
    make check                                   (runs run-tests.sh, TAP output)
    /usr/bin/python3 -m pytest -q tests/integration          (from the repo top)
    LEERKANSD=/path/leerkansd LEERKANSCTL=/path/leerkansctl /usr/bin/python3 -m pytest ...

Programs under test: $LEERKANSD and $LEERKANSCTL, defaulting to leerkansd and
leerkansctl at the top of the source tree (../../ from this directory).
PostgreSQL 15 server programs come from /usr/lib/postgresql/15/bin (override
with $LEERKANS_PG_BINDIR); psql from there or $PATH.

What a session does
- `pg_cluster`: initdb a throwaway cluster in a fresh temporary directory
  (as root: owned by `postgres`, programs run through `runuser -u postgres`),
  listening only on a unix socket in that directory, fsync off; creates the
  database `leerkans`.  Destroyed (pg_ctl stop -m immediate, rm -rf) at the end.
- `pg`: the same cluster after one `leerkansctl migrate`.  Exposes `.dir`
  (socket directory), `.conninfo` (libpq string for db leerkans),
  `.dsn(dbname)`, `.psql(sql)` -> rows as lists of strings, `.table_counts()`;
  `.stop()/.start()` and `.freeze()/.thaw()` (SIGSTOP/SIGCONT) for faults.
- `daemon`: one leerkansd on a free 127.0.0.1 port, LEERKANS_RATE_LIMIT=0,
  stderr in <workdir>/daemon.stderr; `.url`, `.stderr_text()`, `.get/.post/
  .patch/.request(method, path, token=..., ...)` (requests with a timeout).
  Stopped with SIGTERM at the end of the session; its exit code must be 0
  and its log may hold no token that `ctl` ever printed.
- `token`: an organiser token from `leerkansctl token create`.
- `ctl(*args, input=None)`: run leerkansctl against the shared database
  (input: its standard input, e.g. a password).
- `console_user(role)`: a console account made by `leerkansctl user add`,
  as (email, password); `console_login(daemon, email, password)`: a
  requests.Session logged in to /beheer/ (test_console.py's Console).
  Their addresses, passwords and session tokens join `issued_tokens`.
- `start_daemon(env={...}, args=[...], cluster=..., wait=True)`: an extra
  daemon for one test (env values of None unset a variable); stopped with
  SIGTERM after the test, exit code 0 required if it was still running;
  no issued token in its log either.
- `own_cluster`: a private, migrated cluster for one test (outage tests).
- `new_event(**fields)`: POST a valid event with a unique slug, assert 201,
  return the body.  `harness.event_body(**fields)` builds the request body.

Inherited LEERKANS_* variables are never passed to the programs.  With
LEERKANS_TAP=1 the `tap` plugin prints TAP (see tap.py).  Set
LEERKANS_KEEP_TMP=1 to keep the temporary directories (logs) after the run.
On a failing test the tail of each daemon's stderr is added to the report.
"""

import os
import shutil
import tempfile

import pytest

import harness
import tap
from harness import PgCluster, Daemon, clean_env, free_port, run_ctl, unique


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    # trylast: the terminal reporter must exist before tap takes over its output.
    tap.register(config)


def pytest_collection_modifyitems(config, items):
    """Tests marked run_last run after every other (they look at what the
    run saw)."""
    items.sort(key=lambda item: item.get_closest_marker("run_last") is not None)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if not rep.failed:
        return
    daemons = []
    funcargs = getattr(item, "funcargs", {})
    if isinstance(funcargs.get("daemon"), Daemon):
        daemons.append(funcargs["daemon"])
    daemons.extend(getattr(item, "_leerkans_daemons", []))
    for d in daemons:
        rep.sections.append(("leerkansd %s stderr (tail)" % d.name, d.stderr_tail()))


def _keep_tmp():
    return os.environ.get("LEERKANS_KEEP_TMP", "") not in ("", "0")


@pytest.fixture(scope="session")
def workdir():
    """Session temp dir for daemon logs and config files."""
    path = tempfile.mkdtemp(prefix="leerkans-it-")
    os.chmod(path, 0o755)
    yield path
    if not _keep_tmp():
        shutil.rmtree(path, ignore_errors=True)


def _new_cluster(name):
    cluster = PgCluster(name)
    try:
        cluster.start()
        cluster.create_database("leerkans")
    except BaseException:
        cluster.destroy()
        raise
    return cluster


def _finish_cluster(cluster):
    if _keep_tmp():
        cluster.stop(mode="immediate")
    else:
        cluster.destroy()


def ctl_env_for(cluster, dbname="leerkans", **extra):
    return clean_env(LEERKANS_DATABASE_URL=cluster.dsn(dbname),
                     LEERKANS_LOG_LEVEL="info", **extra)


@pytest.fixture(scope="session")
def pg_cluster():
    """The shared throwaway cluster with an empty database `leerkans`."""
    cluster = _new_cluster("pg")
    yield cluster
    _finish_cluster(cluster)


@pytest.fixture(scope="session")
def pg(pg_cluster):
    """The shared cluster with the schema applied by `leerkansctl migrate`."""
    run_ctl("migrate", env=ctl_env_for(pg_cluster))
    return pg_cluster


@pytest.fixture(scope="session")
def issued_tokens():
    """Every secret the tests were given: organiser tokens `ctl` printed,
    console session tokens, and the console users' addresses and
    passwords.  No daemon may log one."""
    return []


def assert_no_token_logged(d, tokens):
    text = d.stderr_text()
    leaked = [t for t in tokens if t and t in text]
    assert not leaked, ("%s wrote %d token(s), session token(s), password(s) "
                        "or console address(es) to its log"
                        % (d.name, len(leaked)))


@pytest.fixture(scope="session")
def ctl(pg, issued_tokens):
    """ctl(*args, check=True, env=None) runs leerkansctl on the shared database."""
    def run(*args, check=True, env=None, input=None):
        e = ctl_env_for(pg)
        e.update(env or {})
        proc = run_ctl(*args, env=e, check=check, input=input)
        if args[:2] == ("token", "create") and proc.returncode == 0:
            issued_tokens.append(proc.stdout.strip())
        return proc
    return run


@pytest.fixture
def console_user(ctl, issued_tokens):
    """console_user(role="organiser") -> (email, password) of a new
    account, made with `leerkansctl user add` (the password on stdin)."""
    def make(role="organiser"):
        email = "%s@pom.example" % unique(role)
        password = "wachtwoord %s" % unique()
        issued_tokens.extend([email, password])
        ctl("user", "add", email, "--role", role, input=password + "\n")
        return email, password
    return make


def daemon_env(cluster, port, dbname="leerkans", extra=None):
    env = clean_env(
        LEERKANS_DATABASE_URL=cluster.dsn(dbname) if cluster else None,
        LEERKANS_LISTEN="127.0.0.1:%d" % port,
        LEERKANS_PUBLIC_URL="http://127.0.0.1:%d" % port,
        LEERKANS_LOG_LEVEL="info",
        LEERKANS_RATE_LIMIT="0",
    )
    for k, v in (extra or {}).items():
        if v is None:
            env.pop(k, None)
        else:
            env[k] = str(v)
    return env


@pytest.fixture(scope="session")
def daemon(pg, workdir, issued_tokens):
    """The shared leerkansd, ready (GET /healthz 200)."""
    d = Daemon(workdir, "daemon", daemon_env(pg, free_port()))
    d.start()
    try:
        d.wait_ready()
    except BaseException:
        d.kill()
        raise
    yield d
    rc = d.stop()
    assert rc == 0, "leerkansd exited %s on SIGTERM; stderr tail:\n%s" % (
        rc, d.stderr_tail())
    assert_no_token_logged(d, issued_tokens)


@pytest.fixture(scope="session")
def token(ctl):
    """An organiser token, printed alone on one line by `token create`."""
    proc = ctl("token", "create", unique("organiser"))
    lines = proc.stdout.splitlines()
    assert len(lines) == 1 and lines[0].strip(), \
        "token create must print the token alone on one line: %r" % proc.stdout
    return lines[0].strip()


@pytest.fixture
def start_daemon(request, pg, workdir, issued_tokens):
    """Factory for extra daemons; see the module docstring."""
    started = []
    request.node._leerkans_daemons = started

    def start(env=None, args=(), cluster=pg, dbname="leerkans", wait=True, port=None,
              nofile=None):
        port = port or free_port()
        name = "%s-%d" % (request.node.name.replace("/", "_")[:60], len(started) + 1)
        d = Daemon(workdir, name, daemon_env(cluster, port, dbname, env), args, port=port,
                   nofile=nofile)
        started.append(d)
        d.start()
        if wait:
            d.wait_ready()
        d.was_ready = wait
        return d

    yield start
    failures = []
    for d in started:
        running = d.alive()
        try:
            rc = d.stop()
        except AssertionError as exc:
            failures.append(str(exc))
            continue
        if running and getattr(d, "was_ready", False) and rc != 0:
            failures.append("%s exited %s on SIGTERM" % (d.name, rc))
        try:
            assert_no_token_logged(d, issued_tokens)
        except AssertionError as exc:
            failures.append(str(exc))
    assert not failures, "; ".join(failures)


@pytest.fixture
def own_cluster():
    """A private cluster, migrated, for a test that stops or breaks it."""
    cluster = _new_cluster("own")
    try:
        run_ctl("migrate", env=ctl_env_for(cluster))
        yield cluster
    finally:
        _finish_cluster(cluster)


@pytest.fixture
def new_event(daemon, token):
    """new_event(**fields) -> the created event (201 asserted)."""
    def create(**fields):
        body = harness.event_body(**fields)
        r = daemon.post("/api/v1/events", token=token, json=body)
        assert r.status_code == 201, harness.describe(r)
        return r.json()
    return create


@pytest.fixture
def browser():
    """Headless Chromium with JavaScript off, as the pages must work
    (browser.py); skipped with the reason when it cannot run here."""
    import browser as chromium
    why = chromium.missing()
    if why is not None:
        pytest.skip(why)
    b = chromium.Browser(javascript=False)
    try:
        yield b.driver
    finally:
        b.quit()


@pytest.fixture
def axe_browser():
    """Headless Chromium with JavaScript on, for axe-core (browser.py)."""
    import browser as chromium
    why = chromium.missing()
    if why is not None:
        pytest.skip(why)
    chromium.require_axe()
    b = chromium.Browser(javascript=True)
    try:
        yield b.driver
    finally:
        b.quit()
