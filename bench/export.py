"""Benchmark of attendee exports; see bench/export.sh."""

import os
import statistics
import subprocess
import sys
import tempfile
import multiprocessing
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TOP, "tests", "integration"))

import requests  # noqa: E402

from harness import (PSQL, Daemon, PgCluster, clean_env, event_body,  # noqa
                     free_port, run_ctl, unique)

RUNS = 3            # each measurement is the median of this many
PROBE_EVERY = 0.01  # seconds between two /healthz probes during an export


def rss_kib(pid, field):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_peak(pid):
    """Linux: writing 5 to clear_refs resets VmHWM (peak RSS)."""
    try:
        with open("/proc/%d/clear_refs" % pid, "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def fill(cluster, slug, n):
    """n registrations, each with one of two sessions, straight in SQL."""
    cluster.psql(
        "WITH e AS (SELECT id FROM events WHERE slug = '%(slug)s'),"
        " r AS (INSERT INTO registrations (event_id, token_hash, status,"
        " given_name, family_name, email, email_norm, organisation, role,"
        " organisation_type, postcode, consented_at)"
        " SELECT e.id, sha256(convert_to('%(slug)s-' || i, 'UTF8')),"
        " 'confirmed', 'Deelnemer ' || i, 'Vandenbroucke',"
        " 'deelnemer' || i || '@voorbeeld.be', 'deelnemer' || i ||"
        " '@voorbeeld.be', 'Organisatie ' || (i %% 997) || ' bv',"
        " (ARRAY['employer','employee','intermediary'])[1 + i %% 3],"
        " 'sme', (ARRAY['8000','8500','8900','8630'])[1 + i %% 4], now()"
        " FROM e, generate_series(1, %(n)d) AS i RETURNING id)"
        " INSERT INTO registration_sessions (registration_id, session_id,"
        " status) SELECT r.id, (SELECT s.id FROM sessions s JOIN events e2"
        " ON e2.id = s.event_id WHERE e2.slug = '%(slug)s'"
        " ORDER BY s.id LIMIT 1 OFFSET (r.id %% 2)), 'confirmed' FROM r"
        % {"slug": slug, "n": n}, timeout=600)
    cluster.psql("ANALYZE registrations; ANALYZE registration_sessions")


def psql_copy(cluster, slug):
    sql = ("\\copy (SELECT * FROM lk_attendees('%s', NULL, 'active')) "
           "TO '/dev/null' WITH (FORMAT csv, HEADER)" % slug)
    cmd = [PSQL, "-X", "-q", "-h", cluster.sockdir, "-p", str(cluster.port),
           "-U", "postgres", "-d", "leerkans", "-c", sql]
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL)
    return time.perf_counter() - t0


def ctl_export(cluster, slug):
    env = clean_env(LEERKANS_DATABASE_URL=cluster.dsn())
    t0 = time.perf_counter()
    with open(os.devnull, "wb") as null:
        subprocess.run([os.path.join(TOP, "leerkansctl"), "export", slug],
                       env=env, check=True, stdout=null,
                       stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def probe(base, stop, out):
    """In a process of its own (no GIL shared with the download): GET
    /healthz every PROBE_EVERY seconds until stop is set."""
    s = requests.Session()
    lat = []
    while not stop.is_set():
        t0 = time.perf_counter()
        s.get(base + "/healthz", timeout=30)
        lat.append(time.perf_counter() - t0)
        time.sleep(PROBE_EVERY)
    out.put(lat)


def download(url, token, pid):
    """(seconds, bytes, peak RSS KiB, [probe latencies in s])"""
    reset_peak(pid)
    stop = multiprocessing.Event()
    out = multiprocessing.Queue()
    prober = multiprocessing.Process(target=probe, args=(
        url.split("/api/")[0], stop, out))
    prober.start()
    time.sleep(0.2)
    t0 = time.perf_counter()
    size = 0
    with requests.get(url, headers={"Authorization": "Bearer " + token},
                      stream=True, timeout=600) as r:
        r.raise_for_status()
        for chunk in r.iter_content(65536):
            size += len(chunk)
    took = time.perf_counter() - t0
    stop.set()
    latencies = out.get(timeout=60)
    prober.join()
    return took, size, rss_kib(pid, "VmHWM"), latencies


def median(xs):
    return statistics.median(xs)


def main(sizes):
    workdir = tempfile.mkdtemp(prefix="leerkans-bench-")
    os.chmod(workdir, 0o755)
    cluster = PgCluster("bench")
    daemon = None
    rows = []
    try:
        cluster.start()
        cluster.create_database("leerkans")
        env = clean_env(LEERKANS_DATABASE_URL=cluster.dsn())
        run_ctl("migrate", env=env)
        token = run_ctl("token", "create", "bench", env=env).stdout.strip()
        port = free_port()
        daemon = Daemon(workdir, "bench", clean_env(
            LEERKANS_DATABASE_URL=cluster.dsn(),
            LEERKANS_LISTEN="127.0.0.1:%d" % port,
            LEERKANS_PUBLIC_URL="http://127.0.0.1:%d" % port,
            LEERKANS_LOG_LEVEL="warning", LEERKANS_RATE_LIMIT="0",
            LEERKANS_REQUEST_TIMEOUT="60"))
        daemon.start()
        daemon.wait_ready()
        pid = daemon.proc.pid
        idle_rss = rss_kib(pid, "VmRSS")
        for n in sizes:
            body = event_body(slug=unique("bench"), capacity=None)
            r = daemon.post("/api/v1/events", token=token, json=body)
            r.raise_for_status()
            slug = body["slug"]
            for i in range(2):
                daemon.post("/api/v1/events/%s/sessions" % slug, token=token,
                            json={"slug": "s%d" % i, "title": "Sessie %d" % i,
                                  "starts_at": body["starts_at"],
                                  "ends_at": body["ends_at"],
                                  "capacity": None}).raise_for_status()
            t0 = time.perf_counter()
            fill(cluster, slug, n)
            fill_s = time.perf_counter() - t0
            ref = median([psql_copy(cluster, slug) for _ in range(RUNS)])
            ctl = median([ctl_export(cluster, slug) for _ in range(RUNS)])
            rows.append((n, "psql \\copy csv (reference)", ref, None, None,
                         None, None))
            rows.append((n, "leerkansctl export csv", ctl, None, None, None,
                         None))
            for fmt in ("csv", "json", "xlsx"):
                url = "%s/api/v1/events/%s/attendees?format=%s" % (
                    daemon.url, slug, fmt)
                runs = [download(url, token, pid) for _ in range(RUNS)]
                took = median([x[0] for x in runs])
                size = runs[0][1]
                peak = max(x[2] for x in runs)
                lat = [l for x in runs for l in x[3]]
                rows.append((n, "GET ?format=" + fmt, took, size, peak,
                             max(lat) if lat else None,
                             median(lat) if lat else None))
            sys.stderr.write("n=%d filled in %.1fs\n" % (n, fill_s))
        print("leerkansd idle RSS: %.1f MiB; each figure the median of %d "
              "runs\n" % (idle_rss / 1024, RUNS))
        print("| rows | what | seconds | x psql \\copy | bytes | leerkansd "
              "peak RSS | /healthz during it: max, median |")
        print("|---:|---|---:|---:|---:|---:|---:|")
        refs = {n: t for n, what, t, *_ in rows if what.startswith("psql")}
        for n, what, t, size, peak, lmax, lmed in rows:
            print("| %d | %s | %.2f | %.1f | %s | %s | %s |" % (
                n, what, t, t / refs[n],
                "%.1f MB" % (size / 1e6) if size else "",
                "%.1f MiB" % (peak / 1024) if peak else "",
                "%.0f ms, %.1f ms" % (lmax * 1e3, lmed * 1e3)
                if lmax is not None else ""))
    finally:
        if daemon is not None:
            daemon.stop()
        cluster.destroy()
        for f in os.listdir(workdir):
            os.unlink(os.path.join(workdir, f))
        os.rmdir(workdir)


if __name__ == "__main__":
    sizes = [int(a) for a in sys.argv[1:]] or [10000, 100000]
    main(sizes)
