"""Benchmark: the public complaint list at a large size against its demo size, in one run (issue #10 item 7).

    python -m benchmarks complaints_list [--large 100000] [--small 200] [--rounds 30]

On PostgreSQL (`BENCH_DATABASE_URL`, else `DATABASE_URL` when it is PostgreSQL, else
postgres://postgres@127.0.0.1:5432/pendopo_bench_complaints; created and migrated if missing): two
regions as in the tests' personas, one with `--small` public complaints (the demo's order of size),
one with `--large`. One complaint of each is filed through actions.file_complaint; the rest are
copies of it made in SQL (a case and a complaint each, a minute apart), all verified (public). Each round then asks, in
turn, for the first page of each region's list (Django's test client, the whole view and
template) and for the large region's second page (its keyset link), checks the status and that
the newest complaint's code is on the page, and times them. It prints min/median/max of each and
of the ratio large/small (the goal: at most 1.5), and PostgreSQL's plan of the large list's query.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import spread

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pendopo_bench_complaints"
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


def ensure_region(make: Any, agency_code: str) -> tuple[Any, Any]:
    from pendopo.complaints.models import ComplaintCategory
    from pendopo.regions.models import Agency
    from pendopo.regions.tests.factories import AgencyFactory

    region = make()
    agency = Agency.objects.filter(region=region, code=agency_code).first() or AgencyFactory(region=region, code=agency_code)
    category, _ = ComplaintCategory.objects.get_or_create(
        region=region, code="JALAN-RUSAK", defaults={"name": "Jalan rusak", "agency": agency}
    )
    return region, category


def grow(region: Any, category: Any, target: int) -> None:
    """Make the region hold `target` public complaints: one filed by the action, the rest SQL copies of it."""
    from django.db import connection, transaction
    from django.db.models import F

    from pendopo.complaints import actions
    from pendopo.complaints.models import Complaint, Verification
    from pendopo.workflow.models import Case

    first = Complaint.objects.filter(region=region).order_by("pk").first()
    if first is None:
        filing = actions.Filing(category=category, description="Jalan berlubang besar di depan pasar.", privacy="identified")
        first = actions.file_complaint(region, filing).complaint
    # Public only once verified (SP4N-LAPOR!): the seed, its copies and the rows of an earlier run.
    if (
        Complaint.objects.filter(region=region)
        .exclude(verification=Verification.VERIFIED)
        .update(verification=Verification.VERIFIED, verified_at=F("created_at"))
    ):
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE complaints_complaint")
    have = Complaint.objects.filter(region=region).count()
    if have >= target:
        return
    missing = target - have
    case_columns = [f.column for f in Case._meta.concrete_fields if not f.primary_key]
    override = {
        "code": f"'X{region.pk}-' || lpad((g + {have})::text, 9, '0')",
        "received_at": f"s.received_at + (g + {have}) * interval '1 minute'",
        "created_at": f"s.created_at + (g + {have}) * interval '1 minute'",
    }
    case_select = ", ".join(override.get(c, f"s.{c}") for c in case_columns)
    complaint_columns = [f.column for f in Complaint._meta.concrete_fields if not f.primary_key]
    complaint_override = {"case_id": "c.id", "created_at": "c.received_at", "updated_at": "c.received_at"}
    complaint_select = ", ".join(complaint_override.get(c, f"s.{c}") for c in complaint_columns)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO workflow_case ({', '.join(case_columns)}) SELECT {case_select} "
            f"FROM workflow_case s, generate_series(1, %s) g WHERE s.id = %s",
            [missing, first.case_id],
        )
        cursor.execute(
            f"INSERT INTO complaints_complaint ({', '.join(complaint_columns)}) SELECT {complaint_select} "
            f"FROM complaints_complaint s, workflow_case c WHERE s.id = %s AND c.code LIKE %s "
            f"AND NOT EXISTS (SELECT 1 FROM complaints_complaint e WHERE e.case_id = c.id)",
            [first.pk, f"X{region.pk}-%"],
        )
        cursor.execute("ANALYZE workflow_case; ANALYZE complaints_complaint")


def _get(client: Any, url: str, newest: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200 or newest.encode() not in response.content:
        raise SystemExit(f"{url}: status {response.status_code}, the complaint {newest} is not on the page")
    return elapsed


def run(large: int, small: int, rounds: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from pendopo.complaints import selectors
    from pendopo.regions.tests.factories import banyuwangi, mamuju_tengah

    def existing(make: Any, regency: str) -> Any:
        from pendopo.regions.models import Region

        return Region.objects.filter(regency_id=regency).first() or make()

    small_region, small_category = ensure_region(lambda: existing(mamuju_tengah, "76.06"), "DISDUKCAPIL")
    large_region, large_category = ensure_region(lambda: existing(banyuwangi, "35.10"), "DISDUKCAPIL")
    grow(small_region, small_category, small)
    grow(large_region, large_category, large)
    client = Client()
    pages = {}
    for name, region in (("small", small_region), ("large", large_region)):
        page = selectors.public_page(region)
        url = reverse("complaints:list", args=[region.slug])
        pages[name] = (url, page.complaints[0].code)
        if name == "large":
            second = selectors.public_page(region, cursor=page.next_cursor)
            pages["large, page 2"] = (f"{url}?sebelum={page.next_cursor}", second.complaints[0].code)
    times: dict[str, list[float]] = {name: [] for name in pages}
    for url, newest in pages.values():  # warm-up
        _get(client, url, newest)
    for number in range(rounds):
        order = list(pages.items()) if number % 2 == 0 else list(reversed(pages.items()))
        for name, (url, newest) in order:
            times[name].append(_get(client, url, newest) * 1000)
    with connection.cursor() as cursor:
        from pendopo.complaints.models import Complaint
        from pendopo.regions.permissions import visible_to

        query = visible_to(None, Complaint.objects.filter(region=large_region)).order_by("-created_at", "-pk")[:21]
        sql, params = query.query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = [row[0] for row in cursor.fetchall()]
    return {"times": times, "plan": plan}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks complaints_list", description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=30)
    options = parser.parse_args(argv)
    setup_django(database_url())
    result = run(options.large, options.small, options.rounds)
    times = result["times"]
    ratios = [a / b for a, b in zip(times["large"], times["small"], strict=True)]
    print(f"complaints_list: {options.large:,} public complaints against {options.small:,}, {options.rounds} rounds (ms)")
    for name, values in times.items():
        print(f"  {name:<14} {spread(values)}")
    print(f"  ratio large / small: {spread(ratios)}  (goal at most 1.5)")
    print("  plan of the large list's query:")
    for line in result["plan"]:
        print("    " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
