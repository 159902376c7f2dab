"""Benchmark: importing a paper-survey file of 100,000 rows (docs/surveys.md; issue #10 item 5).

    python -m benchmarks surveys_import [--rows 100000] [--repeat 3]

This replaces the wall-clock assertion that surveys/tests/test_import.py used to make. On
PostgreSQL (`BENCH_DATABASE_URL`, else `DATABASE_URL` when it is PostgreSQL, else
postgres://postgres@127.0.0.1:5432/pendopo_bench_surveys_import; created and migrated if missing),
with the region, agencies and services of `surveys_ikm`, each round times, alternating the two:

1. the import as an officer's upload runs it: importing.parse of the CSV, then
   actions.import_responses (checks, one transaction, the batch and every response);
2. the baseline: a bare `INSERT ... SELECT` of the same rows (every column but the id) in SQL.

It prints min/median/max of each and of their ratio, checks the rows (the count and the index:
every element gets each score 1..4 equally often, so NRR 2.5 and index 62.50) and removes them.
Nothing is asserted on time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from typing import Any

from benchmarks import spread, surveys_ikm

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pendopo_bench_surveys_import"
HEADER = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9", "jk"]


def database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else DEFAULT_URL


def csv_file(rows: int) -> bytes:
    lines = [",".join(HEADER)]
    lines += [",".join([str((n + k) % 4 + 1) for k in range(9)] + ["L" if n % 2 else "P"]) for n in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def officer(world: dict[str, Any]) -> Any:
    from pendopo.regions.models import Membership, Role, User

    user, _ = User.objects.get_or_create(username="bench.import", defaults={"first_name": "Petugas"})
    agency = world["agencies"][0]
    Membership.objects.get_or_create(user=user, region=world["region"], role=Role.OFFICER, agency=agency)
    return user


def run(rows: int, repeat: int) -> dict[str, Any]:
    from django.db import connection, transaction

    from pendopo.surveys import actions, importing, indices
    from pendopo.surveys.models import ImportBatch, SurveyResponse

    world = surveys_ikm.ensure_world()
    user = officer(world)
    service = world["services"][0]
    data = csv_file(rows)
    table = SurveyResponse._meta.db_table
    columns = ", ".join(connection.ops.quote_name(f.column) for f in SurveyResponse._meta.concrete_fields if not f.primary_key)
    imports: list[float] = []
    inserts: list[float] = []
    for _round in range(repeat):
        started = time.perf_counter()
        batch = actions.import_responses(
            user,
            world["region"],
            importing.parse(data, "survei.csv"),
            service=service,
            file_name="survei.csv",
            survey_date=dt.date(2026, 2, 10),
        )
        imports.append(time.perf_counter() - started)
        saved = SurveyResponse.objects.filter(import_batch=batch)
        if batch.imported != rows or saved.count() != rows:
            raise SystemExit(f"the import saved {saved.count()} rows of {rows}")
        converted = indices.index_of(saved).display()["converted"]
        if converted != "62.50":
            raise SystemExit(f"the imported rows give the index {converted}, not 62.50")
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {table} WHERE import_batch_id = %s",
                [batch.pk],
            )
            copied = cursor.rowcount
        inserts.append(time.perf_counter() - started)
        if copied != rows:
            raise SystemExit(f"the baseline copied {copied} rows of {rows}")
        SurveyResponse.objects.filter(import_batch=batch).delete()
        ImportBatch.objects.filter(pk=batch.pk).delete()
    return {"rows": rows, "import": imports, "insert": inserts}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks surveys_import", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args(argv)
    surveys_ikm.setup_django(database_url())
    result = run(options.rows, options.repeat)
    ratios = [a / b for a, b in zip(result["import"], result["insert"], strict=True)]
    print(f"surveys_import: {options.rows:,} rows, {options.repeat} rounds")
    print(f"  import (parse + actions.import_responses) s: {spread(result['import'], 3)}")
    print(f"  bare INSERT ... SELECT of the same rows   s: {spread(result['insert'], 3)}")
    print(f"  ratio import / bare insert:                  {spread(ratios, 3)}")
    print(f"  rows per second through the import:          {options.rows / statistics.median(result['import']):,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
