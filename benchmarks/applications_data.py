"""Benchmark data for applications: up to a million applications with their events, on PostgreSQL.

Used by benchmarks/applications_inbox.py and benchmarks/applications_tracking.py. The rows are
written by `INSERT ... SELECT generate_series(...)` (seconds per million rows, not hours through
the ORM) into the database of `DATABASE_URL` (or `BENCH_DATABASE_URL`, default
postgres://postgres@127.0.0.1:5432/pendopo_bench_applications), created and migrated if missing.

The data: Kabupaten Banyuwangi (prefix BWI) with 10 agencies and 2 services each, the default
service workflow, and applications received over the last 365 days. 70 % are completed, the rest
are open, spread over the workflow's steps, with step deadlines from yesterday to two weeks
ahead, so inbox filters and the sort by deadline touch realistic numbers of rows. Each has 2
events. Generated codes are `BWX-…` (unique, without a valid check character); the tracking
benchmark creates a few real applications with real codes among them.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pendopo_bench_applications"
ROOT = Path(__file__).resolve().parent.parent


def setup_django(url: str | None = None) -> str:
    """Point Django at the benchmark database (created if missing) and set it up; returns the URL."""
    # DATABASE_URL as the README says (BENCH_DATABASE_URL still wins, for a database kept apart).
    url = url or os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_URL
    if not url.startswith("postgres"):
        raise SystemExit("The applications benchmarks need PostgreSQL: set DATABASE_URL=postgres://…")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pendopo.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    _create_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return url


def _create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    base, _sep, name = url.partition("?")[0].rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def ensure_world() -> dict:
    """The region, agencies, services, workflow and users the generated rows point at (idempotent)."""
    import datetime as dt

    from pendopo.catalog.models import Service, ServiceStandard, StandardStatus
    from pendopo.regions.models import Agency, Membership, Province, Regency, Region, Role, User
    from pendopo.workflow.actions import DEFAULT_SERVICE_CODE, ensure_default_definitions

    province, _ = Province.objects.get_or_create(code="35", defaults={"name": "Jawa Timur"})
    regency, _ = Regency.objects.get_or_create(
        code="35.10", defaults={"province": province, "name": "Kabupaten Banyuwangi", "kind": "kabupaten"}
    )
    region, _ = Region.objects.get_or_create(regency=regency, defaults={"slug": "banyuwangi", "prefix": "BWI"})
    agencies = []
    for number in range(10):
        agency, _ = Agency.objects.get_or_create(
            region=region,
            code=f"OPD{number:02d}",
            defaults={"name": f"Dinas Contoh {number:02d}", "short_name": f"DC{number:02d}"},
        )
        agencies.append(agency)
    services = []
    for agency in agencies:
        for number in range(2):
            code = f"{agency.code}-L{number}"
            service, created = Service.objects.get_or_create(
                region=region, code=code, defaults={"agency": agency, "name": f"Layanan {code}", "channel_online": True}
            )
            if created or service.published_standard_id is None:
                standard = ServiceStandard.objects.create(
                    region=region,
                    service=service,
                    version=1,
                    status=StandardStatus.PUBLISHED,
                    time_limit_value=5,
                    effective_from=dt.date(2025, 1, 1),
                    requirements=[{"text": "Kartu Keluarga", "required": True, "is_document_upload": True}],
                    form={"fields": [{"key": "nik", "type": "nik", "label_id": "NIK", "label_en": "NIK", "required": True}]},
                )
                service.published_standard = standard
                service.save()
            services.append(service)
    definition = ensure_default_definitions(region)[DEFAULT_SERVICE_CODE]
    officer, created = User.objects.get_or_create(username="bench.petugas", defaults={"full_name": "Petugas Benchmark"})
    if created:
        officer.set_password("bench")
        officer.save()
    Membership.objects.get_or_create(user=officer, region=region, role=Role.OFFICER, agency=agencies[0])
    citizen, _ = User.objects.get_or_create(username="bench.warga", defaults={"full_name": "Warga Benchmark"})
    return {
        "region": region,
        "agencies": agencies,
        "services": services,
        "definition": definition,
        "officer": officer,
        "citizen": citizen,
    }


def generated_count() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        # The tracking benchmark gives some generated rows real codes (BWI-…): they still count.
        cursor.execute("SELECT count(*) FROM workflow_case WHERE code LIKE 'BWX-%%' OR code LIKE 'BWI-%%'")
        return cursor.fetchone()[0]


def generate(target: int, world: dict, *, batch: int = 250_000, quiet: bool = False) -> int:
    """Add generated applications until there are `target` of them; returns how many were added."""
    from django.db import connection, transaction

    from pendopo.regions import personal

    have = generated_count()
    if have >= target:
        return 0
    nik_encrypted, nik_hash = personal.protect("3510015203900001")
    phone_encrypted, phone_hash = personal.protect("081234567890")
    region = world["region"]
    agency_ids = [a.pk for a in world["agencies"]]
    service_ids = [s.pk for s in world["services"]]
    standard_ids = [s.published_standard_id for s in world["services"]]
    start = time.monotonic()
    added = 0
    while have + added < target:
        first, last = have + added + 1, min(target, have + added + batch)
        with transaction.atomic(), connection.cursor() as cursor:
            # Cases: g is the case's number; everything else is derived from it.
            cursor.execute(
                """
                INSERT INTO workflow_case (region_id, kind, code, agency_id, service_point_id, owner_id, assigned_to_id,
                    definition_id, state, state_entered_at, received_at, due_at, state_due_at, time_limits, paused_at,
                    paused_minutes_total, is_overdue, overdue_since, escalation_level, closed_at, outcome, lock_version,
                    last_seq, created_at, updated_at)
                SELECT %(region)s, 'application',
                    'BWX-' || upper(substr(lpad(to_hex(g), 8, '0'), 1, 4)) || '-' || upper(substr(lpad(to_hex(g), 8, '0'), 5, 4)),
                    (%(agencies)s::bigint[])[1 + g %% 10], NULL,
                    CASE WHEN g %% 3 = 0 THEN %(citizen)s ELSE NULL END,
                    CASE WHEN g %% 7 = 0 THEN %(officer)s ELSE NULL END,
                    %(definition)s,
                    CASE WHEN (g / 10) %% 10 < 7 THEN 'completed'
                         ELSE (ARRAY['submitted','verification','processing','approval','revision'])[1 + (g / 100) %% 5] END,
                    rec, rec, rec + interval '7 days',
                    CASE WHEN (g / 10) %% 10 < 7 THEN NULL ELSE now() + ((g %% 360) - 24) * interval '1 hour' END,
                    '{}', CASE WHEN (g / 10) %% 10 >= 7 AND (g / 100) %% 5 = 4 THEN now() ELSE NULL END,
                    0, false, NULL, 0,
                    CASE WHEN (g / 10) %% 10 < 7 THEN rec + interval '3 days' ELSE NULL END,
                    CASE WHEN (g / 10) %% 10 < 7 THEN 'completed' ELSE '' END,
                    CASE WHEN (g / 10) %% 10 < 7 THEN 5 ELSE 2 END, 2, rec, rec
                FROM generate_series(%(first)s, %(last)s) AS g,
                     LATERAL (SELECT now() - ((g::bigint * 7919) %% 525600) * interval '1 minute' AS rec) AS r
                """,
                {
                    "region": region.pk,
                    "agencies": agency_ids,
                    "citizen": world["citizen"].pk,
                    "officer": world["officer"].pk,
                    "definition": world["definition"].pk,
                    "first": first,
                    "last": last,
                },
            )
            cursor.execute(
                """
                INSERT INTO applications_application (case_id, region_id, service_id, standard_id, channel, applicant_name,
                    applicant_email, nik_encrypted, nik_hash, phone_encrypted, phone_hash, notify_by, form_data, protected_data,
                    registered_by_id, created_at, idempotency_key)
                SELECT c.id, c.region_id, (%(services)s::bigint[])[1 + (n %% 10) * 2 + (n / 10) %% 2],
                    (%(standards)s::bigint[])[1 + (n %% 10) * 2 + (n / 10) %% 2],
                    'online', 'Pemohon ' || n, '', %(nik_e)s, %(nik_h)s, %(phone_e)s, %(phone_h)s, 'whatsapp', '{}', '{}', NULL,
                    c.received_at, ''
                FROM workflow_case c, LATERAL (SELECT ('x' || replace(substr(c.code, 5), '-', ''))::bit(32)::bigint AS n) AS x
                WHERE c.code LIKE 'BWX-%%' AND c.id > (SELECT coalesce(max(case_id), 0) FROM applications_application)
                """,
                {
                    "services": service_ids,
                    "standards": standard_ids,
                    "nik_e": nik_encrypted,
                    "nik_h": nik_hash,
                    "phone_e": phone_encrypted,
                    "phone_h": phone_hash,
                },
            )
            cursor.execute(
                """
                INSERT INTO workflow_caseevent (region_id, case_id, seq, at, actor_id, actor_role, action, from_state, to_state,
                    note, documents, data)
                SELECT c.region_id, c.id, s, c.received_at + (s - 1) * interval '1 hour', NULL,
                    CASE WHEN s = 1 THEN 'applicant' ELSE 'officer' END,
                    CASE WHEN s = 1 THEN 'start' ELSE 'receive' END,
                    CASE WHEN s = 1 THEN '' ELSE 'submitted' END,
                    CASE WHEN s = 1 THEN 'submitted' ELSE 'verification' END, '', '[]', '{}'
                FROM workflow_case c CROSS JOIN generate_series(1, 2) AS s
                WHERE c.code LIKE 'BWX-%%' AND c.id > (SELECT coalesce(max(case_id), 0) FROM workflow_caseevent)
                """
            )
        added += last - first + 1
        if not quiet:
            print(f"  generated {have + added:,} applications ({time.monotonic() - start:.0f} s)", flush=True)
    if added:
        # Written around submit_application: the monthly counts it keeps are rebuilt once.
        from pendopo.applications.received import recount
        from pendopo.regions.models import Region

        recount(Region.objects.filter(pk=world["region"].pk))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE workflow_case; ANALYZE applications_application; ANALYZE workflow_caseevent")
    return added
