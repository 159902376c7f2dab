"""`pendopo deadline "YYYY-MM-DD HH:MM" N --region CODE [--json]`."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pendopo.regions.models import CalendarOverride, OfficeHours
from pendopo.regions.tests.factories import ServicePointFactory


@pytest.fixture(autouse=True)
def _no_language_from_the_shell(monkeypatch):
    monkeypatch.delenv("LANGUAGE", raising=False)


def run(*args: str, **options) -> str:
    out = io.StringIO()
    call_command("deadline", *args, stdout=out, **options)
    return out.getvalue()


def run_json(*args: str, **options) -> dict:
    return json.loads(run(*args, json=True, **options))


def test_banyuwangi_example(world):
    result = run_json("2026-03-17 10:00", "5", region="35.10")
    assert result["deadline"] == "2026-03-31T15:30:00+07:00"
    assert result["start"] == "2026-03-17T10:00:00+07:00"
    assert result["day_zero"] == "2026-03-17"
    assert result["working_days"] == 5
    assert result["region"] == "35.10"
    assert result["region_name"] == "Kabupaten Banyuwangi"
    assert result["time_zone"] == "Asia/Jakarta"
    assert result["holidays_skipped"] == [
        {"date": "2026-03-18", "name": "Cuti Bersama Hari Suci Nyepi"},
        {"date": "2026-03-19", "name": "Hari Suci Nyepi"},
        {"date": "2026-03-20", "name": "Cuti Bersama Hari Raya Idul Fitri"},
        {"date": "2026-03-23", "name": "Cuti Bersama Hari Raya Idul Fitri"},
        {"date": "2026-03-24", "name": "Cuti Bersama Hari Raya Idul Fitri"},
    ]


def test_human_line_in_indonesian_by_default(world):
    assert run("2026-03-17 10:00", "5", region="35.10") == "Selasa, 31 Maret 2026 15:30 WIB\n"


def test_human_line_in_english(world, monkeypatch):
    assert run("2026-03-17 10:00", "5", region="35.10", language="en") == "Tuesday, 31 March 2026 15:30 WIB\n"
    monkeypatch.setenv("LANGUAGE", "en_US:en")
    assert run("2026-03-17 10:00", "5", region="35.10") == "Tuesday, 31 March 2026 15:30 WIB\n"


def test_holiday_names_follow_the_language(world):
    result = run_json("2026-03-17 10:00", "5", region="35.10", language="en")
    assert result["holidays_skipped"][1] == {"date": "2026-03-19", "name": "Day of Silence"}
    assert result["deadline_text"] == "Tuesday, 31 March 2026 15:30 WIB"


def test_verbose_output_shows_day_zero_and_days_off(world):
    lines = run("2026-03-17 16:00", "0", region="35.10", language="en", verbosity=2).splitlines()
    assert lines[0] == "Wednesday, 25 March 2026 15:30 WIB"
    assert "Day 0: Wednesday, 25 March 2026" in lines
    assert any("Thursday, 19 March 2026 (Day of Silence)" in line for line in lines)


def test_zero_days_after_closing_on_friday(world):
    result = run_json("2026-03-13 14:30", "0", region="35.10")
    assert result["day_zero"] == "2026-03-16"
    assert result["deadline"] == "2026-03-16T15:30:00+07:00"
    assert result["holidays_skipped"] == []


def test_wita_region(world):
    result = run_json("2026-03-10 09:00", "2", region="76.06")
    assert result["deadline"] == "2026-03-12T16:00:00+08:00"
    assert result["time_zone"] == "Asia/Makassar"
    assert run("2026-03-10 09:00", "2", region="76.06").endswith(" WITA\n")


def test_regional_day_off_is_listed_with_its_name(world):
    CalendarOverride.objects.create(
        region=world.region_a, date=dt.date(2026, 12, 18), kind=CalendarOverride.Kind.HOLIDAY, name="Hari Jadi Banyuwangi"
    )
    result = run_json("2026-12-17 10:00", "1", region="35.10", language="en")
    assert result["deadline"] == "2026-12-21T15:30:00+07:00"
    assert {"date": "2026-12-18", "name": "Hari Jadi Banyuwangi"} in result["holidays_skipped"]


def test_service_point_with_its_own_saturday(world):
    point = ServicePointFactory(region=world.region_a, code="MPP", kind="mall", has_own_hours=True)
    OfficeHours.objects.create(region=world.region_a, service_point=point, weekday=4, opens=dt.time(8), closes=dt.time(16))
    OfficeHours.objects.create(region=world.region_a, service_point=point, weekday=5, opens=dt.time(8), closes=dt.time(12))
    result = run_json("2026-03-13 16:30", "0", region="35.10", service_point="MPP")
    assert result["deadline"] == "2026-03-14T12:00:00+07:00"
    assert result["service_point"] == "MPP"
    assert run_json("2026-03-13 16:30", "0", region="35.10")["deadline"] == "2026-03-16T15:30:00+07:00"


def test_command_only_reads(world):
    with CaptureQueriesContext(connection) as queries:
        run_json("2026-03-17 10:00", "5", region="35.10")
    statements = [query["sql"].split()[0].upper() for query in queries]
    assert set(statements) <= {"SELECT"}, statements


@pytest.mark.parametrize(
    ("args", "options", "message"),
    [
        (("2026-03-17 10:00", "5"), {"region": "99.99"}, "No switched-on region has the code “99.99”"),
        (("2026-02-30 10:00", "5"), {"region": "35.10"}, "“2026-02-30 10:00” is not a real date and time"),
        (("17/03/2026 10:00", "5"), {"region": "35.10"}, "of the form YYYY-MM-DD HH:MM"),
        (("2026-03-17 10:00", "-1"), {"region": "35.10"}, "cannot be negative"),
        (("2026-03-17 10:00", "lima"), {"region": "35.10"}, "must be a whole number, not “lima”"),
        (("2026-03-17 10:00", "2.5"), {"region": "35.10"}, "must be a whole number, not “2.5”"),
        (("2026-03-17 10:00", "99999"), {"region": "35.10"}, "at most 2500"),
        (("2026-03-17 10:00", "5"), {"region": "35.10", "service_point": "NOPE"}, "no active service point"),
    ],
)
def test_bad_input_is_a_clear_command_error(world, args, options, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        run(*args, language="en", **options)


def test_switched_off_region_is_refused(world):
    world.region_b.is_active = False
    world.region_b.save()
    with pytest.raises(CommandError, match=re.escape("“76.06”")):
        run("2026-03-10 09:00", "1", region="76.06", language="en")


def test_region_is_required(world):
    with pytest.raises(CommandError, match="--region"):
        run("2026-03-10 09:00", "1")


def test_unknown_language_is_refused(world):
    with pytest.raises(CommandError, match="--language"):
        run("2026-03-10 09:00", "1", "--language=fr", region="35.10")


def test_language_from_the_environment_falls_back_to_indonesian(world, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "fr_FR:de")
    assert run("2026-03-17 10:00", "5", region="35.10") == "Selasa, 31 Maret 2026 15:30 WIB\n"
