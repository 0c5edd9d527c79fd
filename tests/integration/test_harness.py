"""The harness itself: the throwaway cluster and the TAP plugin.  These need
neither leerkansd nor leerkansctl."""

import os
import re
import shutil
import subprocess
import sys
import textwrap

import harness


def test_cluster_answers_on_its_socket_only(pg_cluster):
    assert pg_cluster.psql("select 1") == [["1"]]
    assert pg_cluster.psql("show listen_addresses") == [[""]]
    assert pg_cluster.psql("show fsync") == [["off"]]
    assert pg_cluster.psql("select current_database()") == [["leerkans"]]
    assert os.path.exists(os.path.join(pg_cluster.sockdir, ".s.PGSQL.%d" % pg_cluster.port))
    assert "host=%s " % pg_cluster.sockdir in pg_cluster.conninfo
    assert "dbname=leerkans" in pg_cluster.conninfo
    mode = os.stat(pg_cluster.sockdir).st_mode
    assert mode & 0o005 == 0o005, oct(mode)  # others may traverse (daemon, psql)


def test_psql_helper_returns_rows_of_strings(pg_cluster):
    rows = pg_cluster.psql("select 'a b', null, 3 union all select 'c|d', 'e', 4 order by 3")
    assert rows == [["a b", "", "3"], ["c|d", "e", "4"]]
    assert pg_cluster.psql("select 1 where false") == []


TAP_SAMPLE = '''
import pytest

def test_pass():
    print("ok 99 - this is captured output, not a result")

def test_fail():
    print("not ok 98 - neither is this")
    print("1..97")
    print("Bail out! nor this")
    assert False, "ok 1 - in an assertion message"

@pytest.mark.skip(reason="no # reason")
def test_skip():
    pass

@pytest.mark.xfail(reason="known")
def test_xfail():
    assert False

@pytest.fixture
def broken():
    yield
    raise RuntimeError("teardown breaks")

def test_teardown_error(broken):
    pass

@pytest.mark.parametrize("x", ["a#b", "c d"])
def test_param(x):
    assert x
'''


def test_tap_plugin_output_is_clean_tap(tmp_path_factory):
    d = tmp_path_factory.mktemp("tap")
    shutil.copy(os.path.join(harness.HERE, "tap.py"), d / "tap.py")
    (d / "test_sample.py").write_text(textwrap.dedent(TAP_SAMPLE))
    env = dict(os.environ, LEERKANS_TAP="1", PYTHONDONTWRITEBYTECODE="1",
               PYTHONPATH=str(d))
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "tap", "-q",
         "-rA", str(d)], env=env, cwd=str(d), capture_output=True, text=True, timeout=60)
    lines = proc.stdout.splitlines()
    results = [l for l in lines if re.match(r"(not )?ok\b", l)]
    plans = [l for l in lines if l.startswith("1..")]
    assert not [l for l in lines if l.startswith("Bail out!")], proc.stdout
    for l in lines:
        assert l == "" or l.startswith(("ok ", "not ok ", "1..", "#")), l
    assert plans == ["1..7"] and lines[-1] == "1..7", proc.stdout
    want = [
        r"ok 1 - test_sample.py::test_pass$",
        r"not ok 2 - test_sample.py::test_fail$",
        r"ok 3 - test_sample.py::test_skip # SKIP no \\# reason$",
        r"not ok 4 - test_sample.py::test_xfail # TODO known$",
        r"not ok 5 - test_sample.py::test_teardown_error$",
        r"ok 6 - test_sample.py::test_param\[a\\#b\]$",
        r"ok 7 - test_sample.py::test_param\[c d\]$",
    ]
    assert len(results) == len(want), proc.stdout
    for pattern, line in zip(want, results):
        assert re.match(pattern, line), (pattern, line)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert any("teardown breaks" in l for l in lines), proc.stdout


def test_tap_plugin_reports_collection_errors(tmp_path_factory):
    d = tmp_path_factory.mktemp("tapcoll")
    shutil.copy(os.path.join(harness.HERE, "tap.py"), d / "tap.py")
    (d / "test_broken.py").write_text("import no_such_module_here\n")
    env = dict(os.environ, LEERKANS_TAP="1", PYTHONDONTWRITEBYTECODE="1",
               PYTHONPATH=str(d))
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "tap", "-q", str(d)],
        env=env, cwd=str(d), capture_output=True, text=True, timeout=60)
    lines = proc.stdout.splitlines()
    assert [l for l in lines if re.match(r"(not )?ok\b", l)] == [
        "not ok 1 - collecting test_broken.py"], proc.stdout
    assert lines[-1] == "1..1"
    assert proc.returncode != 0
