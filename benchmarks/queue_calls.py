"""Benchmark: counters calling "next" at once on PostgreSQL, and display boards polling (issue #13 item 10).

    python -m benchmarks queue_calls [--counters 40] [--displays 20] [--seconds 5] [--rounds 3] [--tickets 20000]

On PostgreSQL (`BENCH_DATABASE_URL`, else `DATABASE_URL` when it is PostgreSQL, else
postgres://postgres@127.0.0.1:5432/pendopo_bench_queue; created and migrated if missing): one
mall, one pool `A` called by `--counters` counters (the worst case: every counter on the same
rows), kept topped up to `--tickets` waiting tickets (inserted in SQL).

Calls. Each round runs, for `--seconds` each, `--counters` threads (one database connection each):

- **pendopo**: `actions.call_next_ticket(counter, officer)` — permission, the counter's row lock,
  the fairness cap, `SELECT … FOR UPDATE SKIP LOCKED`, the ticket, its request and its call event;
- **bare**: the same transaction reduced to `SELECT id … WHERE pool_id = … AND service_date = <today> AND
  state = 'waiting' ORDER BY priority, queued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED` and `UPDATE … SET state = 'called'`;

each call followed by the same bare `UPDATE` that frees the counter. It then checks that no ticket
was called twice (the ids the threads got, and for Pendopo the call events per ticket) and prints
calls per second of each, min/median/max over the rounds, and the ratio pendopo / bare.

Displays. `--displays` threads poll, for `--seconds` each, the display feed (`layar/feed/`,
Django's test client, the whole view, with a registered display's cookie) as `display.js` does —
the first time without a cursor, then `?after=<the cursor it got>` — and, as the baseline,
`/healthz` (a bare view: one `SELECT 1`); requests per second and the ratio feed / bare. Each
answer is checked (the next numbers are there).

Every thread holds one connection: the benchmark refuses to start when the server has fewer free
(`max_connections` less the reserved ones and those in use) than `max(--counters, --displays)`.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import spread

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pendopo_bench_queue"
ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else DEFAULT_URL


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pendopo.settings")
    os.environ.setdefault("DEBUG", "true")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import psycopg
    from psycopg import sql

    base, _sep, name = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def check_connections(threads: int) -> None:
    """Each thread holds a connection of its own: refuse to start with fewer free than that."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int,"
            " (SELECT count(*) FROM pg_stat_activity)"
        )
        limit, used = cursor.fetchone()
    # The threads, and this process's own connection (already counted in `used`).
    if threads > limit - used:
        raise SystemExit(
            f"{threads} threads need {threads} database connections; the server has {limit - used} free"
            f" (max_connections less the reserved ones: {limit}, in use: {used}). Use fewer --counters/--displays."
        )


def build(counters: int) -> dict[str, Any]:
    """The mall, its pool, `counters` counters of one agency, a region administrator, a display board."""
    from pendopo.queueing.models import Device, QueuePool
    from pendopo.queueing.selectors import device_token_hash
    from pendopo.regions.demo import _member, _user
    from pendopo.regions.models import Agency, Region, Role, ServicePoint
    from pendopo.regions.tests.factories import banyuwangi

    region = Region.objects.filter(regency_id="35.10").first() or banyuwangi()
    agency, _ = Agency.objects.get_or_create(
        region=region,
        code="DISPENDUKCAPIL",
        defaults={"name": "Dinas Kependudukan dan Pencatatan Sipil", "short_name": "Dukcapil"},
    )
    mall, _ = ServicePoint.objects.get_or_create(
        region=region, code="MPP", defaults={"name": "Mal Pelayanan Publik", "kind": ServicePoint.Kind.SERVICE_MALL}
    )
    points = []
    for number in range(1, counters + 1):
        point, _ = ServicePoint.objects.get_or_create(
            region=region,
            code=f"MPP-L{number:02d}",
            defaults={"name": f"Loket {number}", "kind": ServicePoint.Kind.COUNTER, "parent": mall, "agency": agency},
        )
        points.append(point)
    pool, _ = QueuePool.objects.get_or_create(
        region=region, service_point=mall, prefix="A", defaults={"name": "Kependudukan", "agency": agency}
    )
    pool.counters.add(*points)
    officer = _user("bench.queue", "Admin Antrian", secrets.token_urlsafe(12))
    _member(officer, region, Role.REGION_ADMIN)
    token = secrets.token_urlsafe(16)
    Device.objects.create(
        region=region, service_point=mall, kind=Device.Kind.DISPLAY, name="Layar", token_hash=device_token_hash(token)
    )
    return {"region": region, "pool": pool, "counters": points, "officer": officer, "display_token": token}


def top_up(pool: Any, region: Any, target: int) -> None:
    """`target` waiting tickets of today in the pool: SQL copies, numbered after the day's last."""
    from django.db import connection

    from pendopo.lib import dates
    from pendopo.queueing.models import Ticket

    # Earlier rounds leave tickets called: free every counter before the next measurement.
    Ticket.objects.filter(pool=pool, state="called").update(state="finished", counter=None)
    today = dates.today(region.time_zone)
    have = Ticket.objects.filter(pool=pool, service_date=today, state="waiting").count()
    if have >= target:
        return
    last = (
        Ticket.objects.filter(number_pool=pool, service_date=today)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
        .first()
        or 0
    )
    now = dates.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO queueing_ticket (region_id, pool_id, number_pool_id, service_date, sequence, number, code,"
            " priority, priority_group, source, state, issued_at, queued_at, cancel_reason)"
            " SELECT %s, %s, %s, %s, %s + g, 'A-' || (%s + g)::text, 'BQ' || md5(random()::text || g)::varchar(16),"
            " 2, '', 'kiosk', 'waiting', %s + g * interval '1 millisecond', %s + g * interval '1 millisecond', ''"
            " FROM generate_series(1, %s) g",
            [region.pk, pool.pk, pool.pk, today, last, last, now, now, target - have],
        )
        cursor.execute("ANALYZE queueing_ticket")


def _threads(count: int, seconds: float, work: Callable[[int], Callable[[], Any]]) -> tuple[int, list[list[Any]]]:
    """Run `count` threads calling their `work(i)()` until `seconds` have passed; (calls, results per thread)."""
    from django.db import connections

    barrier = threading.Barrier(count + 1)
    results: list[list[Any]] = [[] for _ in range(count)]
    errors: list[BaseException] = []
    stop = threading.Event()

    def run(index: int) -> None:
        step = work(index)
        try:
            barrier.wait()
            while not stop.is_set():
                got = step()
                if got is None:
                    return
                results[index].append(got)
        except BaseException as exc:  # noqa: BLE001 -- reported after the run
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    barrier.wait()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"a thread failed: {errors[0]!r}")
    return sum(len(r) for r in results), results


def calls_round(world: dict[str, Any], seconds: float, kind: str) -> tuple[float, list[int]]:
    from django.db import connection, transaction

    from pendopo.lib import dates
    from pendopo.queueing import actions
    from pendopo.queueing.errors import NobodyWaiting

    pool, counters, officer = world["pool"], world["counters"], world["officer"]
    today = dates.today(world["region"].time_zone)
    free = "UPDATE queueing_ticket SET state = 'finished', counter_id = NULL WHERE id = %s"

    def pendopo(index: int) -> Callable[[], int | None]:
        counter = counters[index]

        def step() -> int | None:
            try:
                ticket = actions.call_next_ticket(counter, officer)
            except NobodyWaiting:
                return None
            with connection.cursor() as cursor:
                cursor.execute(free, [ticket.pk])
            return ticket.pk

        return step

    def bare(index: int) -> Callable[[], int | None]:
        counter = counters[index]

        def step() -> int | None:
            with transaction.atomic(), connection.cursor() as cursor:
                # The same pick as Pendopo's: today's waiting tickets of the pool, in calling order.
                cursor.execute(
                    "SELECT id FROM queueing_ticket WHERE pool_id = %s AND service_date = %s AND state = 'waiting'"
                    " ORDER BY priority, queued_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
                    [pool.pk, today],
                )
                row = cursor.fetchone()
                if row is None:
                    return None
                cursor.execute("UPDATE queueing_ticket SET state = 'called', counter_id = %s WHERE id = %s", [counter.pk, row[0]])
            with connection.cursor() as cursor:
                cursor.execute(free, [row[0]])
            return int(row[0])

        return step

    calls, results = _threads(len(counters), seconds, pendopo if kind == "pendopo" else bare)
    ids = [i for r in results for i in r]
    if len(ids) != len(set(ids)):
        raise SystemExit(f"{kind}: a ticket was called twice")
    return calls / seconds, ids


def polls_round(world: dict[str, Any], displays: int, seconds: float, kind: str) -> float:
    from django.test import Client
    from django.urls import reverse

    from pendopo.queueing.selectors import DEVICE_COOKIE

    feed = reverse("queueing:display_feed", args=[world["region"].slug])

    def poll(_index: int) -> Callable[[], int | None]:
        client = Client()
        client.cookies[DEVICE_COOKIE] = world["display_token"]
        cursor: list[int] = []

        def step() -> int:
            # As display.js polls: the first time without a cursor, then after the cursor it got.
            url = "/healthz" if kind == "bare" else feed + (f"?after={cursor[0]}" if cursor else "")
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: {response.status_code}")
            if kind == "feed":
                data = response.json()
                if not data["next"] or "serving" not in data:
                    raise RuntimeError(f"{url}: the feed shows no next numbers")
                cursor[:] = [data["cursor"]]
            return 1

        return step

    count, _results = _threads(displays, seconds, poll)
    return count / seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks queue_calls", description=__doc__.splitlines()[0])
    parser.add_argument("--counters", type=int, default=40)
    parser.add_argument("--displays", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tickets", type=int, default=20_000)
    options = parser.parse_args(argv)
    setup_django(database_url())
    from django.db.models import Count

    from pendopo.queueing.models import TicketEvent

    check_connections(max(options.counters, options.displays))
    world = build(options.counters)
    rates: dict[str, list[float]] = {"pendopo": [], "bare": []}
    for number in range(options.rounds):
        for kind in ("pendopo", "bare") if number % 2 == 0 else ("bare", "pendopo"):
            top_up(world["pool"], world["region"], options.tickets)
            rate, _ids = calls_round(world, options.seconds, kind)
            rates[kind].append(rate)
    twice = TicketEvent.objects.filter(kind="called").values("ticket_id").annotate(n=Count("pk")).filter(n__gt=1).count()
    if twice:
        raise SystemExit(f"{twice} tickets have more than one call event")
    top_up(world["pool"], world["region"], options.tickets)
    polls: dict[str, list[float]] = {"feed": [], "bare": []}
    for number in range(options.rounds):
        for kind in ("feed", "bare") if number % 2 == 0 else ("bare", "feed"):
            polls[kind].append(polls_round(world, options.displays, options.seconds, kind))
    calls = [a / b for a, b in zip(rates["pendopo"], rates["bare"], strict=True)]
    feeds = [a / b for a, b in zip(polls["feed"], polls["bare"], strict=True)]
    print(f"queue_calls: {options.counters} counters on one pool, {options.rounds} rounds of {options.seconds:g} s (calls/s)")
    print(f"  pendopo call_next_ticket  {spread(rates['pendopo'], 1)}")
    print(f"  bare SKIP LOCKED loop     {spread(rates['bare'], 1)}")
    print(f"  ratio pendopo / bare      {min(calls):.2f} / {statistics.median(calls):.2f} / {max(calls):.2f}")
    print("  no ticket called twice (thread results and call events checked)")
    print(f"display feed: {options.displays} displays polling (requests/s)")
    print(f"  feed (layar/feed/)        {spread(polls['feed'], 1)}")
    print(f"  bare view (/healthz)      {spread(polls['bare'], 1)}")
    print(f"  ratio feed / bare         {min(feeds):.2f} / {statistics.median(feeds):.2f} / {max(feeds):.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
