"""Benchmark: one region's pages with 2 active regions and with 50, the same data in each (issue #10 item 6).

    python -m benchmarks regions_scale [--per-region 2000] [--rounds 5] [--repeat 10]

Two PostgreSQL databases side by side, named after `BENCH_DATABASE_URL` (else `DATABASE_URL` when
it is PostgreSQL, else postgres://postgres@127.0.0.1:5432/pendopo_bench_regions) with `_r2` and
`_r50` appended, created and migrated if missing: one holds 2 active regions, the other 50. Every
region has the same data — 5 agencies of 4 services with a published standard, `--per-region`
applications (cases spread over the workflow's steps, written in SQL) and as many survey
responses in 2026. Each database is served by a process of its own (Django's whole request cycle
through the test client, DEBUG off); each round asks both in turn, the one that goes first
alternating, for `--repeat` requests of each page of the first region:

- the officer inbox (an agency officer, filtered by step, sorted by step deadline),
- the catalogue search (`?q=layanan`),
- the IKM report for 2026,

and checks that each page shows its content. It prints min/median/max over the rounds of each
page's time and of the ratio 50/2 (the goal: at most 1.2), then, from the 50-region database, the
plan nodes of each page's main query that read an index (the region-leading ones are the point).
Nothing is asserted on time.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pendopo_bench_regions"
ROOT = Path(__file__).resolve().parent.parent
GOAL_RATIO = 1.2
AGENCIES, SERVICES_PER_AGENCY = 5, 4
YEAR = 2026
PAGES = ("inbox", "catalogue", "ikm")


def base_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else DEFAULT_URL


# --- the child: one database, its regions, its pages ----------------------------------------------


def _region(number: int) -> Any:
    from pendopo.regions.models import Province, Regency, Region
    from pendopo.workflow.actions import ensure_default_definitions

    province, _ = Province.objects.get_or_create(code="35", defaults={"name": "Jawa Timur"})
    regency, _ = Regency.objects.get_or_create(
        code=f"35.{50 + number}", defaults={"province": province, "name": f"Kabupaten Uji {number:02d}", "kind": "kabupaten"}
    )
    prefix = "U" + chr(65 + number // 26) + chr(65 + number % 26)
    region, _ = Region.objects.get_or_create(
        regency=regency, defaults={"slug": f"uji-{number:02d}", "prefix": prefix, "time_zone": "Asia/Jakarta"}
    )
    ensure_default_definitions(region)
    return region


def _fill(region: Any, per_region: int) -> None:
    """The region's agencies, services, applications and survey responses (skipped if already there)."""
    import datetime as dt

    from django.db import connection, transaction

    from pendopo.catalog.models import Service, ServiceStandard, StandardStatus
    from pendopo.regions.models import Agency
    from pendopo.workflow.actions import DEFAULT_SERVICE_CODE
    from pendopo.workflow.models import WorkflowDefinition

    if Agency.objects.filter(region=region).exists():
        return
    with transaction.atomic():
        agencies = Agency.objects.bulk_create(
            Agency(region=region, code=f"OPD{n}", name=f"Dinas Contoh {n}", short_name=f"DC{n}") for n in range(AGENCIES)
        )
        services = []
        for agency in agencies:
            for n in range(SERVICES_PER_AGENCY):
                service = Service(
                    region=region,
                    agency=agency,
                    code=f"{agency.code}-L{n}",
                    name=f"Layanan {agency.code} {n}",
                    category="civil_registration",
                    channel_online=True,
                )
                service.save()
                standard = ServiceStandard.objects.create(
                    region=region,
                    service=service,
                    version=1,
                    status=StandardStatus.PUBLISHED,
                    time_limit_value=5,
                    effective_from=dt.date(2025, 1, 1),
                    requirements=[{"text": "Kartu Keluarga", "required": True, "is_document_upload": True}],
                )
                service.published_standard = standard
                service.save(update_fields=["published_standard"])
                services.append(service)
        definition = WorkflowDefinition.objects.get(
            region=region, code=DEFAULT_SERVICE_CODE, status=WorkflowDefinition.Status.ACTIVE
        )
        params = {
            "region": region.pk,
            "prefix": region.prefix,
            "agencies": [a.pk for a in agencies],
            "services": [s.pk for s in services],
            "standards": [s.published_standard_id for s in services],
            "definition": definition.pk,
            "rows": per_region,
            "year": YEAR,
            "per_agency": SERVICES_PER_AGENCY,
        }
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO workflow_case (region_id, kind, code, agency_id, service_point_id, owner_id, assigned_to_id,
                    definition_id, state, state_entered_at, received_at, due_at, state_due_at, time_limits, paused_at,
                    paused_minutes_total, is_overdue, overdue_since, escalation_level, closed_at, outcome, lock_version,
                    created_at, updated_at)
                SELECT %(region)s, 'application', %(prefix)s || '-' || lpad(to_hex(g), 4, '0') || '-' || lpad(to_hex(g), 4, '0'),
                    (%(agencies)s::bigint[])[1 + (g / 20) %% 5], NULL, NULL, NULL, %(definition)s,
                    CASE WHEN g %% 10 < 6 THEN 'completed'
                         ELSE (ARRAY['submitted','verification','processing','approval'])[1 + (g / 10) %% 4] END,
                    rec, rec, rec + interval '7 days',
                    CASE WHEN g %% 10 < 6 THEN NULL ELSE now() + ((g %% 360) - 24) * interval '1 hour' END,
                    '{}', NULL, 0, false, NULL, 0,
                    CASE WHEN g %% 10 < 6 THEN rec + interval '3 days' ELSE NULL END,
                    CASE WHEN g %% 10 < 6 THEN 'completed' ELSE '' END, 2, rec, rec
                FROM generate_series(1, %(rows)s) AS g,
                     LATERAL (SELECT make_timestamptz(%(year)s, 1, 1, 9, 0, 0) + ((g * 7919) %% 300) * interval '1 day') AS r(rec)
                """,
                params,
            )
            cursor.execute(
                """
                INSERT INTO applications_application (case_id, region_id, service_id, standard_id, channel, applicant_name,
                    applicant_email, nik_encrypted, nik_hash, phone_encrypted, phone_hash, notify_by, form_data,
                    protected_data, registered_by_id, created_at, idempotency_key)
                SELECT c.id, c.region_id, (%(services)s::bigint[])[1 + c.id %% 20], (%(standards)s::bigint[])[1 + c.id %% 20],
                    'online', 'Pemohon ' || c.id, '', '', '', '', '', '', '{}', '{}', NULL, c.received_at, ''
                FROM workflow_case c WHERE c.region_id = %(region)s
                """,
                params,
            )
            cursor.execute(
                """
                INSERT INTO surveys_surveyresponse (region_id, agency_id, service_id, service_point_id, application_key,
                    u1, u2, u3, u4, u5, u6, u7, u8, u9, sex, age, education, occupation, suggestion, channel,
                    import_batch_id, submitted_at, local_date, year, semester, quarter, month, device_key, idempotency_key)
                SELECT %(region)s, (%(agencies)s::bigint[])[1 + (g %% 20) / %(per_agency)s],
                    (%(services)s::bigint[])[1 + g %% 20], NULL, NULL,
                    1 + g %% 4, 1 + (g / 2) %% 4, 3, 4, 1 + (g / 3) %% 4, 3, 4, 2 + g %% 3, 3,
                    (ARRAY['male', 'female'])[1 + g %% 2], (ARRAY['u20', '20-29', '30-39', '40-49', '50-59', '60+'])[1 + g %% 6],
                    (ARRAY['sd', 'smp', 'sma', 'd1-d3', 'd4-s1', 's2'])[1 + (g / 7) %% 6],
                    (ARRAY['civil_servant', 'private', 'self_employed', 'student', 'other'])[1 + (g / 11) %% 5],
                    '', 'online', NULL, day + time '03:00', day, %(year)s,
                    CASE WHEN extract(month FROM day) <= 6 THEN 1 ELSE 2 END,
                    extract(quarter FROM day)::int, extract(month FROM day)::int, '', ''
                FROM generate_series(1, %(rows)s) AS g,
                     LATERAL (SELECT make_date(%(year)s, 1, 1) + ((g * 7919) %% 365)::int AS day) AS d
                """,
                params,
            )
    from pendopo.applications.received import recount

    recount([region])


def _officer(region: Any) -> Any:
    from pendopo.regions.models import Agency, Membership, Role, User

    agency = Agency.objects.get(region=region, code="OPD0")
    officer, _ = User.objects.get_or_create(username=f"bench.petugas.{region.slug}", defaults={"full_name": "Petugas"})
    Membership.objects.get_or_create(user=officer, region=region, role=Role.OFFICER, agency=agency)
    return officer


def _urls(region: Any) -> dict[str, tuple[str, bytes]]:
    """Each page's address and a piece of content that must be on it."""
    return {
        "inbox": (f"/r/{region.slug}/kotak-masuk/?state=submitted&sort=deadline", f'href="/permohonan/{region.prefix}-'.encode()),
        "catalogue": (f"/r/{region.slug}/layanan/?q=layanan", b"Layanan OPD0 0"),
        "ikm": (f"/r/{region.slug}/skm/laporan/?periode={YEAR}", b"Dinas Contoh 0"),
    }


def _explain(region: Any, officer: Any) -> dict[str, list[str]]:
    """The index-reading nodes of each page's main query."""
    from django.db import connection
    from django.db.models import Count

    from pendopo.applications.selectors import InboxFilters, inbox_queryset
    from pendopo.catalog.selectors import CatalogFilters, catalog_services
    from pendopo.lib import dates
    from pendopo.surveys.models import SurveyResponse

    queries = {
        "inbox": inbox_queryset(officer, region, InboxFilters(state="submitted"), dates.now()).values_list("code")[:50],
        "catalogue": catalog_services(None, region, CatalogFilters(query="layanan"))[:20],
        "ikm": SurveyResponse.objects.filter(region=region, year=YEAR).values("agency_id").order_by().annotate(n=Count("pk")),
    }
    out: dict[str, list[str]] = {}
    for name, qs in queries.items():
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            lines = [row[0] for row in cursor.fetchall()]
        out[name] = [line.strip() for line in lines if "Index" in line or "Seq Scan" in line]
    return out


def child(url: str, regions: int, per_region: int) -> int:
    """Serve one database: answer `time <repeat>` and `explain` on stdin with one JSON line each."""
    from benchmarks.applications_data import setup_django

    setup_django(url)
    import logging

    logging.disable(logging.INFO)
    from django.test import Client

    started = time.monotonic()
    made = [_region(number) for number in range(regions)]
    for region in made:
        _fill(region, per_region)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    first = made[0]
    officer = _officer(first)
    client = Client()
    client.force_login(officer)
    urls = _urls(first)
    print("READY " + json.dumps({"seconds": round(time.monotonic() - started)}), flush=True)
    for line in sys.stdin:
        command, _sep, argument = line.strip().partition(" ")
        if command == "time":
            result = {}
            for name, (address, needle) in urls.items():
                times = []
                for _ in range(int(argument or "10")):
                    start = time.perf_counter()
                    response = client.get(address)
                    times.append(time.perf_counter() - start)
                    if response.status_code != 200 or needle not in response.content:
                        print("ERROR " + json.dumps({"page": name, "status": response.status_code}), flush=True)
                        return 1
                result[name] = statistics.median(times)
            print("RESULT " + json.dumps(result), flush=True)
        elif command == "explain":
            print("RESULT " + json.dumps(_explain(first, officer)), flush=True)
        else:
            return 0
    return 0


# --- the parent: both sides, alternating -----------------------------------------------------------


class Side:
    def __init__(self, url: str, regions: int, per_region: int) -> None:
        self.regions = regions
        # This same module, run by this same interpreter: no outside input in the command.
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "benchmarks.regions_scale",
                "--child",
                url,
                "--regions",
                str(regions),
                "--per-region",
                str(per_region),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        ready = self._read("READY ")
        print(f"  {regions} regions ready ({ready['seconds']} s)", flush=True)

    def _read(self, marker: str) -> Any:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("ERROR "):
                raise SystemExit(f"{self.regions} regions: a page did not show its content: {line[6:].strip()}")
            if line.startswith(marker):
                return json.loads(line[len(marker) :])
        raise SystemExit(f"The {self.regions}-region process ended early.")

    def ask(self, command: str) -> Any:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self._read("RESULT ")

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.write("quit\n")
            self.process.stdin.close()
        self.process.wait(timeout=60)


def spread(values: list[float], scale: float = 1.0, unit: str = "") -> str:
    return (
        f"min {min(values) * scale:.2f}{unit} / median {statistics.median(values) * scale:.2f}{unit} / "
        f"max {max(values) * scale:.2f}{unit}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-region", type=int, default=2_000, help="applications and survey responses per region")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=10, help="requests of each page per round and side")
    parser.add_argument("--small", type=int, default=2, help="active regions on the small side (default 2)")
    parser.add_argument("--large", type=int, default=50, help="active regions on the large side (default 50)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--regions", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.regions, args.per_region)

    base = base_url().partition("?")[0]
    print(f"regions_scale: {args.per_region:,} applications and responses per region, {args.small} and {args.large} regions")
    small = Side(f"{base}_r{args.small}", args.small, args.per_region)
    large = Side(f"{base}_r{args.large}", args.large, args.per_region)
    try:
        times: dict[str, dict[int, list[float]]] = {page: {args.small: [], args.large: []} for page in PAGES}
        for number in range(args.rounds):
            order = (small, large) if number % 2 == 0 else (large, small)
            for side in order:
                for page, seconds in side.ask(f"time {args.repeat}").items():
                    times[page][side.regions].append(seconds)
        for page in PAGES:
            few, many = times[page][args.small], times[page][args.large]
            ratios = [b / a for a, b in zip(few, many, strict=True)]
            print(f"  {page:<10} {args.small} regions {spread(few, 1000, ' ms')}")
            print(f"  {'':<10} {args.large} regions {spread(many, 1000, ' ms')}")
            print(f"  {'':<10} ratio {args.large}/{args.small}  {spread(ratios)}  (goal ≤ {GOAL_RATIO})")
        print(f"  plans with {args.large} regions (the nodes that read the tables):")
        for page, nodes in large.ask("explain").items():
            for node in nodes:
                print(f"    {page:<10} {node}")
    finally:
        small.close()
        large.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
