"""Benchmark of console logins; see bench/login.sh."""

import ctypes
import ctypes.util
import os
import statistics
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(TOP, "tests", "integration"))

import requests  # noqa: E402

from harness import Daemon, PgCluster, clean_env, free_port, run_ctl, unique  # noqa: E402

PASSWORD = "een lang genoeg wachtwoord voor de bench"
SAMPLES = 21          # sequential logins per kind
STORM = 5.0           # seconds of concurrent logins
STORM_CLIENTS = 8     # threads sending them
PROBE_EVERY = 0.005   # seconds between two /healthz probes


def sodium_costs():
    """ms per crypto_pwhash_str at INTERACTIVE and MODERATE, in-process."""
    lib = ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")
    if lib.sodium_init() < 0:
        raise RuntimeError("sodium_init failed")
    out = ctypes.create_string_buffer(128)
    pw = PASSWORD.encode()
    costs = {}
    for name in ("interactive", "moderate"):
        ops = getattr(lib, "crypto_pwhash_opslimit_" + name)
        mem = getattr(lib, "crypto_pwhash_memlimit_" + name)
        ops.restype = mem.restype = ctypes.c_size_t
        times = []
        for _ in range(3 if name == "moderate" else 7):
            t0 = time.perf_counter()
            rc = lib.crypto_pwhash_str(out, pw, ctypes.c_ulonglong(len(pw)),
                                       ctypes.c_ulonglong(ops()),
                                       ctypes.c_size_t(mem()))
            times.append(time.perf_counter() - t0)
            assert rc == 0
        costs[name] = (statistics.median(times) * 1000, mem() >> 20, ops())
    return costs


def form_token(url):
    s = requests.Session()
    r = s.get(url + "/beheer/login", timeout=10)
    token = r.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    return token, r.headers["Set-Cookie"].split(";")[0]


def login(url, token, cookie, email, password):
    t0 = time.perf_counter()
    r = requests.post(url + "/beheer/login", timeout=30, allow_redirects=False,
                      headers={"Cookie": cookie},
                      data={"csrf": token, "email": email, "password": password})
    return time.perf_counter() - t0, r.status_code


def healthz_latencies(url, stop):
    s = requests.Session()
    out = []
    while not stop.is_set():
        t0 = time.perf_counter()
        s.get(url + "/healthz", timeout=10)
        out.append(time.perf_counter() - t0)
        time.sleep(PROBE_EVERY)
    return out


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] * 1000


def main():
    print("## Console logins (bench/login.sh)\n")
    costs = sodium_costs()
    i, m = costs["interactive"], costs["moderate"]
    print("One Argon2id hash in this process (libsodium):\n")
    print("| cost | passes | memory | ms | ratio |")
    print("|---|---|---|---|---|")
    print("| INTERACTIVE (used) | %d | %d MiB | %.0f | 1.0 |" % (i[2], i[1], i[0]))
    print("| MODERATE | %d | %d MiB | %.0f | %.1f |\n" % (m[2], m[1], m[0],
                                                          m[0] / i[0]))

    cluster = PgCluster("bench")
    workdir = cluster.dir
    try:
        cluster.start()
        cluster.create_database("leerkans")
        env = clean_env(LEERKANS_DATABASE_URL=cluster.dsn(), LEERKANS_LOG_LEVEL="warning")
        run_ctl("migrate", env=env)
        email = "%s@pom.example" % unique("bench")
        run_ctl("user", "add", email, "--role", "organiser", env=env,
                input=PASSWORD + "\n")
        port = free_port()
        d = Daemon(workdir, "bench", clean_env(
            LEERKANS_DATABASE_URL=cluster.dsn(), LEERKANS_LISTEN="127.0.0.1:%d" % port,
            LEERKANS_PUBLIC_URL="http://127.0.0.1:%d" % port,
            LEERKANS_LOG_LEVEL="warning", LEERKANS_LOGIN_RATE_LIMIT="0",
            LEERKANS_LOGIN_ACCOUNT_RATE_LIMIT="0", LEERKANS_PASSWORD_QUEUE="4096"))
        d.start()
        d.wait_ready()
        url = d.url
        token, cookie = form_token(url)

        kinds = {"right password": (email, PASSWORD),
                 "wrong password": (email, PASSWORD + "!"),
                 "unknown account": ("%s@pom.example" % unique("x"), PASSWORD)}
        times = {k: [] for k in kinds}
        for _ in range(SAMPLES):
            for k, (e, p) in kinds.items():
                times[k].append(login(url, token, cookie, e, p)[0])
        ref = statistics.median(times["wrong password"])
        print("Sequential logins, %d each, median:\n" % SAMPLES)
        print("| login | ms | ratio to a wrong password |")
        print("|---|---|---|")
        for k in kinds:
            med = statistics.median(times[k])
            print("| %s | %.1f | %.2f |" % (k, med * 1000, med / ref))

        stop = threading.Event()
        alone = []
        t = threading.Thread(target=lambda: alone.extend(healthz_latencies(url, stop)))
        t.start()
        time.sleep(2)
        stop.set()
        t.join()

        stop = threading.Event()
        during, done = [], []

        def storm():
            n = 0
            tok, ck = form_token(url)
            while not stop.is_set():
                _, status = login(url, tok, ck, email, PASSWORD + "!")
                n += status == 401
            done.append(n)

        probe = threading.Thread(target=lambda: during.extend(healthz_latencies(url, stop)))
        workers = [threading.Thread(target=storm) for _ in range(STORM_CLIENTS)]
        for w in workers:
            w.start()
        probe.start()
        time.sleep(STORM)
        stop.set()
        for w in workers + [probe]:
            w.join()
        print("\nGET /healthz while %d clients send failing logins for %.0f s "
              "(%d logins, %.1f a second; 2 password threads):\n"
              % (STORM_CLIENTS, STORM, sum(done), sum(done) / STORM))
        print("| /healthz | probes | median ms | p99 ms |")
        print("|---|---|---|---|")
        print("| idle (reference) | %d | %.2f | %.2f |" % (len(alone), pct(alone, .5),
                                                      pct(alone, .99)))
        print("| during the logins | %d | %.2f | %.2f |" % (len(during), pct(during, .5),
                                                       pct(during, .99)))
        print("| ratio | | %.1f | %.1f |" % (pct(during, .5) / pct(alone, .5),
                                           pct(during, .99) / pct(alone, .99)))
        print("\nThe slowest probe during the logins waited %.1f ms, %.2f of one "
              "login (%.1f ms): had a check run on the event loop, a probe "
              "behind it would have waited a whole one or more."
              % (max(during) * 1000, max(during) / ref, ref * 1000))
        d.stop()
    finally:
        cluster.destroy()


if __name__ == "__main__":
    main()
