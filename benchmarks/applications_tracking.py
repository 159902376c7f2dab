"""Benchmark: the public tracking page under concurrent load, a first read and a repeat (304) read.

    python -m benchmarks.applications_tracking [--size 1000000] [--threads 8] [--requests 400] [--rounds 5]

With the applications of benchmarks/applications_data.py in PostgreSQL (`DATABASE_URL`), some of
them given real tracking codes, it starts gunicorn on 127.0.0.1 only, on a free port, serving
Pendopo plus one bare Django view (`benchmarks/applications_wsgi.py`), with DEBUG off. Citizens
read a code once or twice, so every round reads `--requests` codes never read before (a first
read: the page rendered, its fragment cached) and then the same codes again with the `ETag` they
got (`If-None-Match`: a `304`), and loads the bare view as often; the bare view goes first in
even rounds and last in odd ones. It prints both ratios to the bare view per round as
min/median/max (goals: a first read at least 0.4 of the bare view, a repeat read at least 0.6).
Every response is checked: the bare view's body, the page's code and timeline, the 304's empty
body. With `REDIS_URL` set, the cache is Redis.

Each round also loads the two floors of `benchmarks/applications_urls.py` as often, each alone: the
bare view plus the one indexed query a 304 needs, and the page's layout around an empty fragment
with no query. Their ratios bound what any tracking page can reach on this machine.
"""

from __future__ import annotations

import argparse
import http.client
import os
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

from benchmarks import spread
from benchmarks.applications_data import ROOT, ensure_world, generate, setup_django

GOAL_FIRST, GOAL_REPEAT = 0.4, 0.6
TIME_LIMIT_SECONDS = 120.0
ROUNDS = 5


def tracking_codes(world: dict[str, Any], count: int) -> list[str]:
    """`count` generated applications given real tracking codes (the generator's `BWX-` codes have no valid check symbol)."""
    from django.db import connection

    from pendopo.lib import codes
    from pendopo.workflow.models import Case

    found = list(
        Case.objects.filter(region=world["region"], kind="application", code__startswith="BWI-", application__isnull=False)
        .order_by("pk")
        .values_list("code", flat=True)[:count]
    )
    missing = count - len(found)
    if missing > 0:
        ids = Case.objects.filter(code__startswith="BWX-").order_by("pk").values_list("pk", flat=True)[:missing]
        new = [(codes.new_code("BWI"), pk) for pk in ids]
        with connection.cursor() as cursor:
            cursor.executemany("UPDATE workflow_case SET code = %s WHERE id = %s", new)
        found += [code for code, _pk in new]
    return found


Request = tuple[str, dict[str, str], Any]  # path, headers, check(status, headers, body) -> str | None (what is wrong)


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


def load(port: int, requests: list[Request], threads: int) -> dict[str, Any]:
    """Each request once, over `threads` keep-alive connections; requests per second, latency, answers checked."""
    lock = threading.Lock()
    queue = list(reversed(requests))
    latencies: list[float] = []
    problems: list[str] = []
    answers: dict[str, dict[str, str]] = {}
    stop_at = time.monotonic() + TIME_LIMIT_SECONDS

    def worker() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine = []
        while time.monotonic() < stop_at:
            with lock:
                if not queue:
                    break
                path, headers, check = queue.pop()
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Language": "id", **headers})
                response = connection.getresponse()
                body = response.read()
            except OSError as exc:
                problems.append(f"{path}: {exc}")
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            mine.append(time.perf_counter() - start)
            wrong = check(response.status, response, body)
            with lock:
                if wrong:
                    problems.append(f"{path}: {wrong}")
                answers[path] = {"etag": response.getheader("ETag") or ""}
        with lock:
            latencies.extend(mine)
        connection.close()

    started = time.perf_counter()
    pool = [threading.Thread(target=worker) for _n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "requests": len(latencies),
        "errors": len(problems),
        "problems": problems[:5],
        "rps": len(latencies) / elapsed if elapsed else 0.0,
        "median_ms": statistics.median(latencies) * 1000 if latencies else 0.0,
        "answers": answers,
    }


def _bare_ok(status: int, response: Any, body: bytes) -> str | None:
    return None if status == 200 and body == b"ok" else f"bare view answered {status}"


def _page_ok(code: str) -> Any:
    def check(status: int, response: Any, body: bytes) -> str | None:
        if status != 200:
            return f"answered {status}"
        if code.encode() not in body or b'id="timeline"' not in body or not response.getheader("ETag"):
            return "the page lacks its code, its timeline or its ETag"
        return None

    return check


def _layout_ok(status: int, response: Any, body: bytes) -> str | None:
    return None if status == 200 and b'id="main"' in body else f"the layout answered {status}"


def _not_modified(status: int, response: Any, body: bytes) -> str | None:
    return None if status == 304 and body == b"" else f"answered {status} to a conditional repeat read"


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


def measure(url: str, static: str, codes: list[str], *, threads: int, requests: int, rounds: int, workers: int) -> dict:
    """Start a server, warm it up, then run the rounds: first reads, repeat reads, the bare view."""
    port = _free_port()
    server = _serve(url, port, static, workers, "default")
    bare: list[Request] = [("/bench/bare/", {}, _bare_ok)] * requests
    floors: dict[str, list[Request]] = {
        "query": [(f"/bench/query/?code={codes[0]}", {}, _bare_ok)] * requests,
        "layout": [(f"/bench/layout/?code={codes[0]}", {}, _layout_ok)] * requests,
    }
    results: list[dict[str, Any]] = []
    try:
        _wait(port)
        # Warm-up: templates, connections, every worker's first requests, on codes the rounds do not use.
        warm = codes[rounds * requests :]
        load(port, bare, threads)
        load(port, [(f"/lacak/{code}/", {}, _page_ok(code)) for code in warm], threads)
        for number in range(rounds):
            mine = codes[number * requests : (number + 1) * requests]
            first_reads: list[Request] = [(f"/lacak/{code}/", {}, _page_ok(code)) for code in mine]
            if number % 2 == 0:
                baseline = load(port, bare, threads)
                floor = {name: load(port, reads, threads) for name, reads in floors.items()}
            first = load(port, first_reads, threads)
            repeats = [
                (path, {"If-None-Match": first["answers"][path]["etag"]}, _not_modified)
                for path, _headers, _check in first_reads
                if path in first["answers"]
            ]
            repeat = load(port, repeats, threads)
            if number % 2 == 1:
                floor = {name: load(port, reads, threads) for name, reads in reversed(floors.items())}
                baseline = load(port, bare, threads)
            results.append({"bare": baseline, "first": first, "repeat": repeat, **floor})
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {"port": port, "rounds": results}


def run(size: int = 1_000_000, threads: int = 8, requests: int = 400, rounds: int = ROUNDS, workers: int = 2) -> dict[str, Any]:
    url = setup_django()
    world = ensure_world()
    print(f"Generating {size:,} applications with 2 events each …", flush=True)
    generate(size, world)
    codes = tracking_codes(world, rounds * requests + 50)
    static = tempfile.mkdtemp(prefix="pendopo-bench-static-")
    # As in production (DEBUG off): static files come from the collected, hashed copies.
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "false", "SECRET_KEY": "benchmark-only-" + "x" * 40}
    env["STATIC_ROOT"] = static
    collect = [str(Path(sys.executable).with_name("pendopo")), "collectstatic", "--noinput", "-v0"]
    subprocess.run(collect, cwd=ROOT, env=env, check=True)  # noqa: S603 -- our own command
    backend = "Redis at REDIS_URL" if os.environ.get("REDIS_URL") else "local memory in each process"
    try:
        # Codes never read before: a fresh server per run, and the codes used once per round.
        result = measure(url, static, codes, threads=threads, requests=requests, rounds=rounds, workers=workers)
    finally:
        shutil.rmtree(static, ignore_errors=True)
    first = [r["first"]["rps"] / r["bare"]["rps"] for r in result["rounds"]]
    repeat = [r["repeat"]["rps"] / r["bare"]["rps"] for r in result["rounds"]]
    sides = ("bare", "first", "repeat", "query", "layout")
    errors = sum(r[side]["errors"] for r in result["rounds"] for side in sides)
    query = [r["query"]["rps"] / r["bare"]["rps"] for r in result["rounds"]]
    layout = [r["layout"]["rps"] / r["bare"]["rps"] for r in result["rounds"]]
    print(
        f"gunicorn on 127.0.0.1:{result['port']}, {workers} workers × 4 threads; {threads} client threads;"
        f" {rounds} rounds of {requests} codes; the cache: {backend}; {size:,} applications"
    )
    for side in sides:
        rps = [r[side]["rps"] for r in result["rounds"]]
        print(f"  {side:7} requests/s per round: {spread(rps)}")
    print(f"  first read / bare view:      {spread(first)} (goal at least {GOAL_FIRST:g})")
    print(f"  repeat read (304) / bare:    {spread(repeat)} (goal at least {GOAL_REPEAT:g})")
    print("  the floors, each alone (what no tracking page can do without):")
    print(f"    one indexed query / bare:  {spread(query)} (a 304's floor)")
    print(f"    the layout, no query / bare: {spread(layout)} (a rendered page's floor)")
    print(f"  wrong answers: {errors}")
    for r in result["rounds"]:
        for side in sides:
            for problem in r[side]["problems"]:
                print(f"    {side}: {problem}")
    return {"first": first, "repeat": repeat, "query": query, "layout": layout, "errors": errors}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="applications to generate (default 1,000,000)")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--requests", type=int, default=400, help="codes read per round (default 400)")
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args(argv)
    result = run(args.size, args.threads, args.requests, args.rounds)
    return 0 if result["errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
