"""Importing paper surveys: all or nothing unless only the valid rows are chosen; one transaction."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pendopo.surveys import actions, importing, indices
from pendopo.surveys.choices import Channel
from pendopo.surveys.models import ImportBatch, SurveyResponse
from pendopo.surveys.tests.sheets import HEADER, csv_bytes, xlsx_bytes

DAY = dt.date(2026, 2, 10)


def run_import(world, services, data, actor=None, **kwargs):
    parsed = importing.parse(data, "survei.csv")
    return actions.import_responses(
        actor or world.officer_a1,
        world.region_a,
        parsed,
        service=services.ktp,
        file_name="survei.csv",
        survey_date=DAY,
        **kwargs,
    )


def test_import_saves_every_row(world, services):
    rows = [[4] * 9 + ["P", "2026-01-20"], [3] * 9 + ["L", ""]]
    batch = run_import(world, services, csv_bytes(rows, header=[*HEADER, "jk", "tanggal"]), service_point=world.counter_a)
    assert (batch.imported, batch.skipped, batch.created_by, batch.agency) == (2, 0, world.officer_a1, world.agency_a1)
    responses = SurveyResponse.objects.order_by("local_date")
    assert [(r.local_date, r.month, r.sex, r.channel, r.service_point) for r in responses] == [
        (dt.date(2026, 1, 20), 1, "female", Channel.PAPER, world.counter_a),
        (DAY, 2, "male", Channel.PAPER, world.counter_a),
    ]
    assert indices.index_of(SurveyResponse.objects.all()).display()["converted"] == "87.50"


def test_invalid_rows_stop_the_whole_import(world, services):
    rows = [[4] * 9, [5] * 9, [3] * 9]
    with pytest.raises(ValidationError, match="nothing was imported"):
        run_import(world, services, csv_bytes(rows))
    assert not SurveyResponse.objects.exists()
    assert not ImportBatch.objects.exists()


def test_only_the_valid_rows_when_chosen(world, services):
    rows = [[4] * 9, [5] * 9, [3] * 9]
    batch = run_import(world, services, csv_bytes(rows), only_valid=True)
    assert (batch.imported, batch.skipped) == (2, 1)
    assert SurveyResponse.objects.count() == 2


@pytest.mark.parametrize(
    "data",
    [
        b"",
        csv_bytes([[4] * 8], header=HEADER[:8]),
        csv_bytes([[4] * 10], header=[*HEADER, "nama"]),
        csv_bytes([]),
    ],
    ids=["empty", "missing-column", "wrong-column", "no-rows"],
)
def test_a_bad_file_is_never_imported(world, services, data):
    with pytest.raises(ValidationError):
        run_import(world, services, data, only_valid=True)
    assert not SurveyResponse.objects.exists()


def test_formula_rows_are_refused(world, services):
    data = xlsx_bytes([[4] * 9, ["=4", 4, 4, 4, 4, 4, 4, 4, 4]])
    parsed = importing.parse(data, "a.xlsx")
    with pytest.raises(ValidationError):
        actions.import_responses(
            world.officer_a1, world.region_a, parsed, service=services.ktp, file_name="a.xlsx", survey_date=DAY
        )
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("persona", ["officer_a2", "officer_b1", "admin_b", "citizen", "counter_officer_a"])
def test_only_the_agencys_staff_import(world, services, persona):
    with pytest.raises(PermissionDenied):
        run_import(world, services, csv_bytes([[4] * 9]), actor=getattr(world, persona))
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("persona", ["officer_a1", "head_a1", "admin_a", "platform_admin"])
def test_the_agencys_staff_and_the_region_admin_import(world, services, persona):
    run_import(world, services, csv_bytes([[4] * 9]), actor=getattr(world, persona))
    assert SurveyResponse.objects.count() == 1


def test_future_survey_date_is_refused(world, services):
    parsed = importing.parse(csv_bytes([[4] * 9]), "a.csv")
    with pytest.raises(ValidationError):
        actions.import_responses(
            world.officer_a1,
            world.region_a,
            parsed,
            service=services.ktp,
            file_name="a.csv",
            survey_date=dt.date(2100, 1, 1),
        )


def test_a_large_file_is_saved_whole(world, services):
    # The time of 100,000 rows is measured by `python -m benchmarks surveys_import`, not here.
    rows = [[(n + k) % 4 + 1 for k in range(9)] + ["L" if n % 2 else "P"] for n in range(4_000)]
    data = csv_bytes(rows, header=[*HEADER, "jk"])
    batch = run_import(world, services, data)
    assert batch.imported == 4_000
    assert SurveyResponse.objects.count() == 4_000
    index = indices.index_of(SurveyResponse.objects.all())
    # Each element gets 1,000 of each score 1..4: NRR 2.5 exactly.
    assert index.display()["converted"] == "62.50"
