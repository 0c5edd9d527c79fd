"""The answer cache stays within cache_size, however many distinct
queries anonymous clients send."""

import pytest

import harness
from conftest import ctl_env_for


def sanitized():
    """An ASan build keeps freed memory in quarantine: its RSS says
    nothing about what the cache holds."""
    with open(harness.LEERKANSD, "rb") as f:
        return b"__asan_init" in f.read()


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(sanitized(), reason="RSS under ASan's quarantine measures nothing")
def test_distinct_queries_do_not_grow_memory_past_cache_size(own_cluster, start_daemon):
    # a cluster of its own: these long events would swell every other
    # test's feeds
    d = start_daemon(cluster=own_cluster, env={"LEERKANS_CACHE_SIZE": "1"})
    token = harness.run_ctl("token", "create", harness.unique("org"),
                            env=ctl_env_for(own_cluster)).stdout.strip()
    for _ in range(30):
        body = harness.event_body(
            description="Opleidingsmogelijkheden en incentives. " * 80)
        assert d.post("/api/v1/events", token=token, json=body).status_code == 201
    whole = d.get("/api/v1/events").json()["events"]
    size = len(d.get("/api/v1/events").content)
    assert size > 90000, size
    before = rss_kib(d.proc.pid)
    n = 250
    for i in range(n):
        r = d.get("/api/v1/events?from=2000-01-01T00:00:%02d.%03dZ" % (i % 60, i))
        assert r.status_code == 200
        assert len(r.json()["events"]) == len(whole)
    grown = rss_kib(d.proc.pid) - before
    # unbounded, the renderings alone would be n * size bytes (about 25 MB)
    assert grown < 12 * 1024, "grew %d KiB for %d answers of %d bytes" % (
        grown, n, size)
