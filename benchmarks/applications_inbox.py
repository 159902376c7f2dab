"""Benchmark: the officer inbox on a million applications (issue #4 item 9).

    python -m benchmarks.applications_inbox [--size 1000000] [--repeat 30]

Generates the applications (benchmarks/applications_data.py) on PostgreSQL, then opens the
inbox page of an agency's officer — 50 rows, filtered by step, sorted by step deadline — through
Django's full request cycle (middleware, session, permission scope, template). It prints:

- the number of SQL queries of the page at a small and at the full data size (must be equal);
- the page's median time and the median time of the raw SQL of the same rows (the count and the
  rows query the page ran, executed directly), and their ratio (goal: at most 2).

Nothing is asserted on time: the numbers are printed for comparison across machines and runs.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Any

from benchmarks.applications_data import ensure_world, generate, generated_count, setup_django

GOAL_RATIO = 2.0


def _page(client: Any, url: str) -> tuple[float, list[dict[str, str]], str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise SystemExit(f"The inbox answered {response.status_code}.")
    return elapsed, list(captured.captured_queries), response.content.decode()


def _time_page(client: Any, url: str, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    return statistics.median(times)


def _time_raw(statements: list[str], repeat: int) -> float:
    from django.db import connection

    times = []
    with connection.cursor() as cursor:
        for _ in range(repeat):
            start = time.perf_counter()
            for sql in statements:
                cursor.execute(sql)
                cursor.fetchall()
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def run(size: int = 1_000_000, small: int = 2_000, repeat: int = 30) -> dict[str, Any]:
    setup_django()
    from django.conf import settings
    from django.test import Client

    settings.DEBUG = False  # no query log, no template debug: as in production
    world = ensure_world()
    client = Client()
    client.force_login(world["officer"])
    agency = world["agencies"][0]
    url = f"/r/banyuwangi/kotak-masuk/?place=agency:{agency.pk}&state=processing&sort=deadline"

    before = generated_count()
    if before < small:
        generate(small, world, quiet=True)
    small_rows = generated_count()
    _page(client, url)  # warm up: templates, first connection
    _elapsed, small_queries, _html = _page(client, url)
    print(f"Generating {size:,} applications with 2 events each (INSERT ... SELECT generate_series) …", flush=True)
    start = time.monotonic()
    generate(size, world)
    print(f"  done in {time.monotonic() - start:.0f} s", flush=True)
    full_rows = generated_count()
    _page(client, url)
    _elapsed, full_queries, html = _page(client, url)
    rows_shown = html.count('href="/permohonan/BWX-')
    statements = [q["sql"] for q in full_queries if 'FROM "workflow_case"' in q["sql"]]
    page_time = _time_page(client, url, repeat)
    raw_time = _time_raw(statements, repeat)
    ratio = page_time / raw_time if raw_time else float("inf")
    result = {
        "rows_small": small_rows,
        "rows_full": full_rows,
        "queries_small": len(small_queries),
        "queries_full": len(full_queries),
        "rows_shown": rows_shown,
        "page_ms": page_time * 1000,
        "raw_sql_ms": raw_time * 1000,
        "ratio": ratio,
    }
    print(f"Inbox of {agency.name}: step 'processing', sorted by step deadline, {rows_shown} rows shown")
    print(f"  SQL queries per page: {len(small_queries)} at {small_rows:,} applications, {len(full_queries)} at {full_rows:,}")
    print(f"  page (full request cycle): {page_time * 1000:.1f} ms median of {repeat}")
    print(f"  raw SQL of the same rows ({len(statements)} statements: count + rows): {raw_time * 1000:.1f} ms")
    verdict = "meets" if ratio <= GOAL_RATIO else "misses"
    print(f"  ratio page / raw SQL: {ratio:.2f} ({verdict} the goal of at most {GOAL_RATIO:g})")
    if len(small_queries) != len(full_queries):
        print("  WARNING: the number of queries grew with the data size")
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1_000_000, help="applications to generate (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests (default 30)")
    args = parser.parse_args(argv)
    result = run(args.size, repeat=args.repeat)
    return 0 if result["queries_small"] == result["queries_full"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
