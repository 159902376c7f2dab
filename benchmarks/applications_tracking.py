"""Benchmark: the public tracking page under concurrent load (issue #4 item 9).

    python -m benchmarks.applications_tracking [--size 1000000] [--threads 8] [--requests 3000] [--no-uncached]

With the applications of benchmarks/applications_data.py in PostgreSQL (and 100 real
applications with real tracking codes among them), it starts gunicorn on 127.0.0.1 only, on a
free port, serving Pendopo plus one bare Django view (`benchmarks/applications_wsgi.py`), with
DEBUG off. Client threads send a bounded number of requests (and stop after a time limit) over
keep-alive connections. After a warm-up that reads every tracking page ten times, the bare view
and tracking pages of random codes are loaded in turn, in five rounds; it prints both
throughputs and the median of the rounds' ratios (goal: the tracking page at least 0.5 of the
bare view). A second server with the cache switched off (`BENCH_CACHE=none`) shows the page
when every request reads and renders it; `--no-uncached` skips it. With `REDIS_URL` set, the
cache is Redis. It also prints how many server processes had their case-change listener
connected (pendopo.workflow.changes; without one, every tracking read asks the database).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from benchmarks.applications_data import ROOT, ensure_world, generate, setup_django

GOAL_RATIO = 0.5
TIME_LIMIT_SECONDS = 60.0
REAL_APPLICATIONS = 100
ROUNDS = 5


def real_codes(world: dict[str, Any], count: int = REAL_APPLICATIONS) -> list[str]:
    """Tracking codes of real applications (made through the actions), created once."""
    from pendopo.applications import actions
    from pendopo.applications.forms import Applicant, ApplicationInput
    from pendopo.applications.models import Application

    existing = list(
        Application.objects.filter(region=world["region"], case__code__startswith="BWI-").values_list("case__code", flat=True)[
            :count
        ]
    )
    service = world["services"][0]
    while len(existing) < count:
        data = ApplicationInput(Applicant("Pemohon Benchmark", "", "3510015203900001", "", ""), {}, {}, [])
        application = actions.submit_application(world["citizen"], service, data)
        actions.take_action(application, "receive", world["officer"])
        existing.append(application.code)
    return existing


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(port: int, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/bench/bare/")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def load(port: int, paths: list[str], threads: int, total: int) -> dict[str, float]:
    """`total` GET requests over `threads` keep-alive connections; requests per second and latency."""
    lock = threading.Lock()
    remaining = [total]
    latencies: list[float] = []
    errors = [0]
    stop_at = time.monotonic() + TIME_LIMIT_SECONDS

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        while time.monotonic() < stop_at:
            with lock:
                if remaining[0] <= 0:
                    break
                remaining[0] -= 1
            start = time.perf_counter()
            try:
                connection.request("GET", rng.choice(paths), headers={"Accept-Language": "id"})
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
            except OSError:
                errors[0] += 1
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
        connection.close()

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "errors": errors[0],
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "median_ms": statistics.median(latencies) * 1000 if latencies else 0.0,
    }


def _serve(url: str, port: int, static: str, workers: int, cache: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": "benchmark-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PYTHONPATH": str(ROOT),
        "LOG_LEVEL": "WARNING",
        "STATIC_ROOT": static,
        "BENCH_CACHE": cache,
    }
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "benchmarks.applications_wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        "4",
        "--worker-class",
        "gthread",
        "--log-level",
        "warning",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 -- our own gunicorn, bound to 127.0.0.1 only


def measure(url: str, static: str, codes: list[str], *, threads: int, requests: int, workers: int, cache: str) -> dict:
    """Start a server, warm it up, then load the bare view and the tracking pages in turn."""
    port = _free_port()
    server = _serve(url, port, static, workers, cache)
    try:
        _wait(port)
        tracking_paths = [f"/lacak/{code}/" for code in codes]
        load(port, ["/bench/bare/"], threads, min(300, requests))
        # Every page read ten times, so that each server process has met every code: the steady
        # state of a cached page. The uncached run (cache "none") shows the cost of a first read.
        load(port, tracking_paths, threads, 10 * len(tracking_paths))
        # Short bursts of each in turn, so that both meet the same load from the rest of the machine;
        # the ratio is the median of the rounds' ratios.
        rounds: list[tuple[dict[str, float], dict[str, float]]] = []
        for _ in range(ROUNDS):
            bare = load(port, ["/bench/bare/"], threads, requests // ROUNDS)
            rounds.append((bare, load(port, tracking_paths, threads, requests // ROUNDS)))
    finally:
        server.terminate()
        server.wait(timeout=30)
    ratio = statistics.median(t["rps"] / b["rps"] if b["rps"] else 0.0 for b, t in rounds)
    return {
        "port": port,
        "bare": _total([b for b, _ in rounds]),
        "tracking": _total([t for _, t in rounds]),
        "ratio": ratio,
    }


def _total(runs: list[dict[str, float]]) -> dict[str, float]:
    return {
        "requests": sum(r["requests"] for r in runs),
        "errors": sum(r["errors"] for r in runs),
        "rps": statistics.median(r["rps"] for r in runs),
        "median_ms": statistics.median(r["median_ms"] for r in runs),
    }


def run(size: int = 1_000_000, threads: int = 8, requests: int = 3000, workers: int = 2, uncached: bool = True) -> dict[str, Any]:
    url = setup_django()
    world = ensure_world()
    print(f"Generating {size:,} applications with 2 events each …", flush=True)
    generate(size, world)
    codes = real_codes(world)
    static = tempfile.mkdtemp(prefix="pendopo-bench-static-")
    # As in production (DEBUG off): static files come from the collected, hashed copies.
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false", "SECRET_KEY": "benchmark-only-" + "x" * 40}
    env["STATIC_ROOT"] = static
    collect = [str(Path(sys.executable).with_name("pendopo")), "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, cwd=ROOT, env=env, check=True)  # noqa: S603 -- our own command
    backend = "Redis at REDIS_URL" if os.environ.get("REDIS_URL") else "local memory in each process"
    runs = {"cached": ("default", f"the cache: {backend}")}
    if uncached:
        runs["uncached"] = ("none", "no cache: every request reads the application and renders the page")
    results: dict[str, Any] = {}
    try:
        for name, (cache, label) in runs.items():
            result = measure(url, static, codes, threads=threads, requests=requests, workers=workers, cache=cache)
            results[name] = result
            print(
                f"gunicorn on 127.0.0.1:{result['port']}, {workers} workers × 4 threads; {threads} client threads,"
                f" {requests} requests each run; {label}"
            )
            for title, numbers in (("bare Django view", result["bare"]), ("tracking page", result["tracking"])):
                print(
                    f"  {title:18} {numbers['rps']:.0f} requests/s (median {numbers['median_ms']:.1f} ms,"
                    f" {numbers['errors']} errors)"
                )
            verdict = "meets" if result["ratio"] >= GOAL_RATIO else "misses"
            goal = f"{verdict} the goal of at least {GOAL_RATIO:g}" if name == "cached" else "for comparison"
            print(f"  ratio tracking / bare: {result['ratio']:.2f} ({goal})", flush=True)
    finally:
        shutil.rmtree(static, ignore_errors=True)
    cached = results["cached"]
    return {**cached, "runs": results}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--no-uncached", dest="uncached", action="store_false", help="skip the run without the cache")
    args = parser.parse_args(argv)
    result = run(args.size, args.threads, args.requests, uncached=args.uncached)
    errors = sum(r["tracking"]["errors"] + r["bare"]["errors"] for r in result["runs"].values())
    return 0 if errors == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
