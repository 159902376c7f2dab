"""Benchmark: the overdue sweep against a bare UPDATE of the same rows, in one run (issue #10 item 7).

    python -m benchmarks workflow_sweep [--size 2000] [--rounds 3] [--batch 200]

On PostgreSQL (`BENCH_DATABASE_URL`, else `DATABASE_URL` when it is PostgreSQL, else
postgres://postgres@127.0.0.1:5432/pendopo_bench_sweep; created and migrated if missing): the
world of benchmarks/applications_data.py (Kabupaten Banyuwangi, 10 agencies, the default service
workflow) with a head in each agency, and `--size` open applications whose step deadline passed
two hours ago (codes `BWS-…`, written in SQL). Each round, in turn (the side that goes first
alternating):

- the sweep (`workflow.sweep.sweep_overdue`, batches of `--batch`): each case marked overdue with
  its `overdue` event, escalated to level 1 with its `escalate` event, and one email to the head
  in the outbox — checked after every run;
- the baseline: one bare `UPDATE workflow_case SET is_overdue = true, …` of the same rows.

Between runs the rows are put back as they were (flags cleared, the sweep's events and messages
deleted). It prints min/median/max of both times, of the ratio sweep/UPDATE, the sweep's cases
per second and what that makes of 44,000 late cases against the 5-minute schedule. Nothing is
asserted on time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from typing import Any

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pendopo_bench_sweep"
SCHEDULE_SECONDS = 300
TARGET_CASES = 44_000


def database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else DEFAULT_URL


def ensure_heads(world: dict[str, Any]) -> list[Any]:
    from pendopo.regions.models import Membership, Role, User

    heads = []
    for agency in world["agencies"]:
        head, _ = User.objects.get_or_create(
            username=f"bench.kepala.{agency.code.lower()}",
            defaults={"full_name": f"Kepala {agency.code}", "email": f"kepala.{agency.code.lower()}@bench.example"},
        )
        Membership.objects.get_or_create(user=head, region=world["region"], role=Role.HEAD, agency=agency)
        heads.append(head)
    return heads


def generate(size: int, world: dict[str, Any]) -> None:
    """Exactly `size` late applications `BWS-…` (step deadline two hours ago), with their start event."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM workflow_case WHERE code LIKE 'BWS-%%'")
        if cursor.fetchone()[0] == size:
            return
    service_ids = [s.pk for s in world["services"]]
    standard_ids = [s.published_standard_id for s in world["services"]]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM notifications_message WHERE event_key LIKE 'workflow:BWS-%%'")
        cursor.execute("DELETE FROM workflow_caseevent WHERE case_id IN (SELECT id FROM workflow_case WHERE code LIKE 'BWS-%%')")
        cursor.execute(
            "DELETE FROM applications_application WHERE case_id IN (SELECT id FROM workflow_case WHERE code LIKE 'BWS-%%')"
        )
        cursor.execute("DELETE FROM workflow_case WHERE code LIKE 'BWS-%%'")
        cursor.execute(
            """
            INSERT INTO workflow_case (region_id, kind, code, agency_id, service_point_id, owner_id, assigned_to_id,
                definition_id, state, state_entered_at, received_at, due_at, state_due_at, time_limits, paused_at,
                paused_minutes_total, is_overdue, overdue_since, escalation_level, closed_at, outcome, lock_version,
                last_seq, created_at, updated_at)
            SELECT %(region)s, 'application',
                'BWS-' || upper(substr(lpad(to_hex(g), 8, '0'), 1, 4)) || '-' || upper(substr(lpad(to_hex(g), 8, '0'), 5, 4)),
                (%(agencies)s::bigint[])[1 + g %% 10], NULL, NULL, NULL, %(definition)s, 'verification',
                now() - interval '1 day', now() - interval '1 day', now() + interval '7 days', now() - interval '2 hours',
                '{}', NULL, 0, false, NULL, 0, NULL, '', 2, 1, now() - interval '1 day', now() - interval '1 day'
            FROM generate_series(1, %(size)s) AS g
            """,
            {
                "region": world["region"].pk,
                "agencies": [a.pk for a in world["agencies"]],
                "definition": world["definition"].pk,
                "size": size,
            },
        )
        cursor.execute(
            """
            INSERT INTO applications_application (case_id, region_id, service_id, standard_id, channel, applicant_name,
                applicant_email, nik_encrypted, nik_hash, phone_encrypted, phone_hash, notify_by, form_data, protected_data,
                registered_by_id, created_at, idempotency_key)
            SELECT c.id, c.region_id, (%(services)s::bigint[])[1 + (c.id %% 20)], (%(standards)s::bigint[])[1 + (c.id %% 20)],
                'online', 'Pemohon ' || c.id, '', '', '', '', '', '', '{}', '{}', NULL, c.received_at, ''
            FROM workflow_case c WHERE c.code LIKE 'BWS-%%'
            """,
            {"services": service_ids, "standards": standard_ids},
        )
        cursor.execute(
            """
            INSERT INTO workflow_caseevent (region_id, case_id, seq, at, actor_id, actor_role, action, from_state, to_state,
                note, documents, data)
            SELECT c.region_id, c.id, 1, c.received_at, NULL, 'applicant', 'start', '', 'verification', '', '[]', '{}'
            FROM workflow_case c WHERE c.code LIKE 'BWS-%%'
            """
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE workflow_case; ANALYZE workflow_caseevent")


def reset() -> None:
    """The late cases as they were before any sweep: flags cleared, the sweep's events and messages gone."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE workflow_case SET is_overdue = false, overdue_since = NULL, escalation_level = 0, assigned_to_id = NULL "
            "WHERE code LIKE 'BWS-%%'"
        )
        cursor.execute(
            "DELETE FROM workflow_caseevent WHERE seq > 1 AND case_id IN (SELECT id FROM workflow_case WHERE code LIKE 'BWS-%%')"
        )
        cursor.execute("DELETE FROM notifications_message WHERE event_key LIKE 'workflow:BWS-%%'")


def check(size: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE is_overdue AND escalation_level = 1) FROM workflow_case WHERE code LIKE 'BWS-%%'"
        )
        marked = cursor.fetchone()[0]
        cursor.execute(
            "SELECT count(*) FROM workflow_caseevent e JOIN workflow_case c ON c.id = e.case_id "
            "WHERE c.code LIKE 'BWS-%%' AND e.action IN ('overdue', 'escalate')"
        )
        events = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM notifications_message WHERE event_key LIKE 'workflow:BWS-%%'")
        messages = cursor.fetchone()[0]
    if (marked, events, messages) != (size, 2 * size, size):
        raise SystemExit(
            f"The sweep left {marked} cases marked, {events} events, {messages} emails (expected {size}, {2 * size}, {size})."
        )


def run_sweep(size: int, batch: int) -> float:
    from pendopo.workflow.sweep import sweep_overdue

    reset()
    start = time.perf_counter()
    result = sweep_overdue(batch_size=batch)
    elapsed = time.perf_counter() - start
    if result.marked_overdue < size:
        raise SystemExit(f"The sweep marked {result.marked_overdue} of {size} cases.")
    check(size)
    return elapsed


def run_update() -> float:
    from django.db import connection, transaction

    reset()
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE workflow_case SET is_overdue = true, overdue_since = state_due_at, escalation_level = 1 "
            "WHERE code LIKE 'BWS-%%' AND closed_at IS NULL AND state_due_at < now()"
        )
    return time.perf_counter() - start


def spread(values: list[float], unit: str = "") -> str:
    return f"min {min(values):.3f}{unit} / median {statistics.median(values):.3f}{unit} / max {max(values):.3f}{unit}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2_000, help="late cases (default 2,000; the issue's figure is 44,000)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=200, help="cases per transaction (default 200)")
    args = parser.parse_args(argv)

    from benchmarks.applications_data import ensure_world, setup_django

    url = setup_django(database_url())
    world = ensure_world()
    ensure_heads(world)
    generate(args.size, world)
    print(f"workflow_sweep: {args.size:,} late cases, batches of {args.batch}, {args.rounds} rounds ({url.rpartition('/')[2]})")
    sweeps, updates = [], []
    for number in range(args.rounds):
        if number % 2 == 0:
            sweeps.append(run_sweep(args.size, args.batch))
            updates.append(run_update())
        else:
            updates.append(run_update())
            sweeps.append(run_sweep(args.size, args.batch))
    reset()
    ratios = [s / u for s, u in zip(sweeps, updates, strict=True)]
    rate = args.size / statistics.median(sweeps)
    print(f"  sweep            {spread(sweeps, ' s')}")
    print(f"  bare UPDATE      {spread(updates, ' s')}")
    print(f"  sweep / UPDATE   {spread(ratios)}")
    print(f"  sweep rate       {rate:,.0f} cases/s (each: overdue event, escalation event, an email to the head)")
    projected = TARGET_CASES / rate
    verdict = "within" if projected <= SCHEDULE_SECONDS else "beyond"
    print(f"  {TARGET_CASES:,} late cases: about {projected:,.0f} s, {verdict} the {SCHEDULE_SECONDS // 60}-minute schedule")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
