"""TAP output for pytest, for automake's tap-driver.sh.

Active when the environment has LEERKANS_TAP=1.  Load it with `-p tap` (with
this directory on sys.path) or let conftest.py register it.

- One line per test, written when the test's teardown has run:
    ok N - nodeid
    not ok N - nodeid                 (failure or error in setup/call/teardown)
    ok N - nodeid # SKIP reason
    not ok N - nodeid # TODO reason   (expected failure)
    ok N - nodeid # TODO reason       (unexpected pass of a non-strict xfail)
  A collection error is a `not ok` line of its own.
- The plan `1..N` comes last (pytest_unconfigure), as TAP allows.
- Everything pytest itself prints (progress, tracebacks, summary) is turned
  into TAP diagnostics by prefixing each line with "# ", so no line of it can
  be misread as a result, a plan or "Bail out!".
"""

import os
import sys

import pytest

PLUGIN_NAME = "leerkans_tap"


def enabled():
    return os.environ.get("LEERKANS_TAP", "") not in ("", "0")


class _DiagnosticStream:
    """A text stream that writes every line to `out` prefixed with '# '."""

    def __init__(self, out):
        self._out = out
        self._at_line_start = True

    def write(self, text):
        if not text:
            return 0
        pieces = []
        for chunk in text.splitlines(keepends=True):
            if self._at_line_start:
                pieces.append("# ")
            # A bare carriage return would let a later "ok" start a line.
            body = chunk.rstrip("\r\n").replace("\r", "\n# ")
            pieces.append(body)
            if chunk.endswith(("\n", "\r")):
                pieces.append("\n")
                self._at_line_start = True
            else:
                self._at_line_start = False
        self._out.write("".join(pieces))
        return len(text)

    def flush(self):
        self._out.flush()

    def isatty(self):
        return False

    @property
    def encoding(self):
        return getattr(self._out, "encoding", "utf-8")

    def end_line(self):
        """Make sure our own next line starts at column 0."""
        if not self._at_line_start:
            self._out.write("\n")
            self._at_line_start = True


def _escape(text):
    # '#' starts a directive in TAP; keep results on one line.
    return " ".join(str(text).split()).replace("\\", "\\\\").replace("#", "\\#")


class TapReporter:
    def __init__(self, config):
        self.config = config
        self.out = sys.stdout
        self.count = 0
        self.pending = {}  # nodeid -> dict(failed, skipped, reason, xfail)
        self.diag = None
        tr = config.pluginmanager.get_plugin("terminalreporter")
        tw = getattr(tr, "_tw", None)
        if tw is not None and hasattr(tw, "_file"):
            self.out = tw._file
            self.diag = _DiagnosticStream(tw._file)
            tw._file = self.diag
            if config.option.color != "yes":
                tw.hasmarkup = False

    def _emit(self, line):
        if self.diag is not None:
            self.diag.end_line()
        self.out.write(line + "\n")
        self.out.flush()

    def _result(self, ok, nodeid, directive=None):
        self.count += 1
        line = "%s %d - %s" % ("ok" if ok else "not ok", self.count, _escape(nodeid))
        if directive:
            line += " # " + directive
        self._emit(line)

    @staticmethod
    def _skip_reason(report):
        longrepr = report.longrepr
        if isinstance(longrepr, tuple) and len(longrepr) == 3:
            reason = str(longrepr[2])
        else:
            reason = str(longrepr or "")
        if reason.startswith("Skipped: "):
            reason = reason[len("Skipped: "):]
        return _escape(reason) or "skipped"

    @pytest.hookimpl(trylast=True)
    def pytest_runtest_logreport(self, report):
        state = self.pending.setdefault(report.nodeid, {
            "failed": False, "skipped": None, "xfail": None, "xpass": None})
        if hasattr(report, "wasxfail"):
            reason = _escape(report.wasxfail) or "expected failure"
            if report.skipped:
                state["xfail"] = reason
            elif report.passed:
                state["xpass"] = reason
            else:
                state["failed"] = True
        elif report.failed:
            state["failed"] = True
        elif report.skipped:
            state["skipped"] = self._skip_reason(report)
        if report.when == "teardown":
            del self.pending[report.nodeid]
            self._finish(report.nodeid, state)

    def _finish(self, nodeid, state):
        if state["failed"]:
            self._result(False, nodeid)
        elif state["xfail"] is not None:
            self._result(False, nodeid, "TODO " + state["xfail"])
        elif state["xpass"] is not None:
            self._result(True, nodeid, "TODO " + state["xpass"])
        elif state["skipped"] is not None:
            self._result(True, nodeid, "SKIP " + state["skipped"])
        else:
            self._result(True, nodeid)

    def pytest_collectreport(self, report):
        if report.failed:
            self._result(False, "collecting " + (report.nodeid or "tests"))

    @pytest.hookimpl(trylast=True)
    def pytest_unconfigure(self, config):
        # Tests whose teardown never reported (interrupted run) still count.
        for nodeid, state in list(self.pending.items()):
            state["failed"] = True
            self._finish(nodeid, state)
        self.pending.clear()
        self._emit("1..%d" % self.count)


def register(config):
    """Register the TAP reporter once, if LEERKANS_TAP asks for it."""
    if not enabled() or config.pluginmanager.has_plugin(PLUGIN_NAME):
        return
    config.pluginmanager.register(TapReporter(config), PLUGIN_NAME)


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    # Used when loaded with `-p tap`; trylast so the terminal reporter exists.
    register(config)
