#!/usr/bin/env python3
"""Drill: restart PostgreSQL under load; only the requests in flight fail, the server recovers by itself.

What it does:
1. makes a new PostgreSQL cluster in a temporary folder (`initdb`, `pg_ctl start` on a free port
   of 127.0.0.1; as root it runs them as the `postgres` user) — never the shared cluster;
2. creates Pendopo's schema in it and starts gunicorn (2 workers × 4 threads, as in production)
   against it, with persistent connections (`CONN_MAX_AGE` 60 s) and the health checks on;
3. sends requests from 6 threads in a loop (`/` and `/healthz`, both read the database), and
   `pg_ctl restart -m fast` mid-way;
4. keeps sending for a few seconds after the database is back, then stops everything and removes
   the cluster (also on failure).

What it finds (and checks): requests ok and failed before, during and after the restart; every
failure overlapped the restart (failed only in flight), every request started after the
database was back succeeded, and the web server process is the one started before (it was not
restarted). Exit status 0 when every check holds, 1 otherwise.

    .venv/bin/python scripts/drills/pg_restart.py [--seconds-after 5] [--no-health-checks]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import PG_BIN, Cluster, drill_env, fail, free_port, gunicorn, pendopo, say, stop

THREADS = 6
PATHS = ("/", "/healthz")


class Load:
    """Threads that request the pages in a loop and record (start, end, ok) of every request."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.results: list[tuple[float, float, bool]] = []
        self.threads = [threading.Thread(target=self.loop, args=(i,), daemon=True) for i in range(THREADS)]

    def loop(self, number: int) -> None:
        i = number
        while not self.stop.is_set():
            path = PATHS[i % len(PATHS)]
            i += 1
            started = time.monotonic()
            try:
                with urllib.request.urlopen(self.base + path, timeout=10) as response:  # noqa: S310 -- our own server
                    response.read()
                    ok = response.status == 200
            except (urllib.error.URLError, OSError):
                ok = False
            with self.lock:
                self.results.append((started, time.monotonic(), ok))

    def __enter__(self) -> Load:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(15)


def run(*, seconds_before: float = 4, seconds_after: float = 5, health_checks: bool = True) -> dict[str, Any]:
    """Run the drill; returns the findings (also printed)."""
    with tempfile.TemporaryDirectory(prefix="pendopo-drill-pg-") as tmp:
        workdir = Path(tmp)
        cluster = Cluster(workdir / "cluster", free_port())
        server: subprocess.Popen[bytes] | None = None
        try:
            cluster.init()
            cluster.pg_ctl("start")
            say(f"started a throwaway PostgreSQL 15 cluster on 127.0.0.1:{cluster.port} in {cluster.directory}")
            cluster.run(str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "pendopo_drill")
            env = drill_env(workdir, cluster.url, DATABASE_HEALTH_CHECKS="true" if health_checks else "false")
            pendopo(env, "migrate", "--run-syncdb", "-v", "0")
            port = free_port()
            server = gunicorn(env, workdir, port)
            base = f"http://127.0.0.1:{port}"
            say(f"gunicorn (pid {server.pid}, 2 workers × 4 threads) on {base}, health checks {'on' if health_checks else 'off'}")
            with Load(base) as load:
                time.sleep(seconds_before)
                down = time.monotonic()
                cluster.pg_ctl("restart", "-m", "fast")
                up = time.monotonic()
                say(f"pg_ctl restart -m fast under load from {THREADS} threads: the database was back after {up - down:.1f} s")
                time.sleep(seconds_after)
            same_server = server.poll() is None
        finally:
            stop(server)
            cluster.stop()
        say("stopped gunicorn and the cluster; the temporary folder is removed")
    findings = summarise(load.results, down, up, same_server=same_server)
    report(findings)
    return findings


def summarise(results: list[tuple[float, float, bool]], down: float, up: float, *, same_server: bool) -> dict[str, Any]:
    """Sort the requests into before, in flight (overlapping the restart) and after."""
    phases: Counter[str] = Counter()
    for started, ended, ok in results:
        if ended < down:
            phase = "before"
        elif started > up:
            phase = "after"
        else:
            phase = "in_flight"
        phases[f"{phase}_{'ok' if ok else 'failed'}"] += 1
    return {
        "requests": len(results),
        "ok": sum(1 for *_, ok in results if ok),
        "failed": sum(1 for *_, ok in results if not ok),
        **{
            f"{phase}_{outcome}": phases[f"{phase}_{outcome}"]
            for phase in ("before", "in_flight", "after")
            for outcome in ("ok", "failed")
        },
        "restart_seconds": round(up - down, 1),
        "same_server": same_server,
    }


def problems(findings: dict[str, Any]) -> list[str]:
    found = []
    if findings["before_failed"]:
        found.append(f"{findings['before_failed']} request(s) failed before the restart")
    if findings["after_failed"]:
        found.append(f"{findings['after_failed']} request(s) failed after the database was back")
    if not findings["after_ok"]:
        found.append("no request succeeded after the restart")
    if not findings["same_server"]:
        found.append("the web server did not survive the restart")
    return found


def report(findings: dict[str, Any]) -> None:
    say(f"requests: {findings['requests']}, ok: {findings['ok']}, failed: {findings['failed']}")
    say(f"before the restart: {findings['before_ok']} ok, {findings['before_failed']} failed")
    say(
        f"in flight during the restart ({findings['restart_seconds']} s): {findings['in_flight_ok']} ok, "
        f"{findings['in_flight_failed']} failed"
    )
    say(f"after the database was back: {findings['after_ok']} ok, {findings['after_failed']} failed")
    say(f"the web server recovered by itself (same process, not restarted): {'yes' if findings['same_server'] else 'NO'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds-before", type=float, default=4, help="load before the restart (default: %(default)s)")
    parser.add_argument("--seconds-after", type=float, default=5, help="load after the restart (default: %(default)s)")
    parser.add_argument(
        "--no-health-checks",
        action="store_false",
        dest="health_checks",
        help="run with DATABASE_HEALTH_CHECKS=false, to see the broken persistent connections fail requests after the restart",
    )
    options = parser.parse_args(argv)
    findings = run(
        seconds_before=options.seconds_before, seconds_after=options.seconds_after, health_checks=options.health_checks
    )
    found = problems(findings)
    for problem in found:
        fail(problem)
    if not found:
        say("OK — only requests in flight failed; the server reconnected by itself")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
