"""Statistics on fixed timestamps (reference §9): honest share within target, percentile_cont, no-shows."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from pendopo.queueing import stats

HEADER = "ticket,issued,called,started,finished,canceled\n"
ROWS = """\
A-001,2026-12-07T09:00:00+07:00,2026-12-07T09:05:00+07:00,2026-12-07T09:06:00+07:00,2026-12-07T09:16:00+07:00,
A-002,2026-12-07T09:00:00+07:00,2026-12-07T09:12:00+07:00,2026-12-07T09:13:00+07:00,2026-12-07T09:18:00+07:00,
A-003,2026-12-07T09:10:00+07:00,2026-12-07T09:20:00+07:00,,,2026-12-07T09:25:00+07:00
A-004,2026-12-07T09:15:00+07:00,2026-12-07T09:40:00+07:00,,,2026-12-07T09:45:00+07:00
A-005,2026-12-07T09:30:00+07:00,,,,
A-006,2026-12-07T09:55:00+07:00,,,,
A-007,2026-12-07T09:00:00+07:00,,,,2026-12-07T09:05:00+07:00
A-008,2026-12-07T02:00:00+00:00,,,,2026-12-07T02:20:00+00:00
"""
# Called: waits 300, 720, 600 (exactly the target: within), 1500 → median 660, p90 720 + 0.7 × 780 = 1266.
# Within 10 min: A-001, A-003 = 2 of (4 called + A-005 still waiting 30 min + A-008 left after 20 min) = 33.33 %.
# A-006 (5 min, waiting) and A-007 (left after 5 min) count neither way. No-shows: 2 of 4 called.
EXPECTED = {
    "tickets": 8,
    "median_wait_seconds": 660,
    "p90_wait_seconds": 1266,
    "mean_service_seconds": 450,
    "within_target_percent": "33.33",
    "no_show_percent": "50.00",
}


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "antrian.csv"
    path.write_text(HEADER + ROWS, encoding="utf-8")
    return path


def test_percentile_matches_percentile_cont():
    assert stats.percentile([10], 0.9) == 10
    assert stats.percentile([1, 2, 3, 4], 0.5) == 2.5
    assert stats.percentile([300, 600, 720, 1500], 0.9) == 1266
    assert stats.percentile([], 0.5) is None


def test_command_json(export):
    out = StringIO()
    call_command(
        "queue", "stats", str(export), "--target-minutes", "10", "--at", "2026-12-07T10:00:00+07:00", "--json", stdout=out
    )
    assert json.loads(out.getvalue()) == EXPECTED


def test_command_text_and_a_later_moment(export):
    out = StringIO()
    # At 10:30 A-006 has waited 35 minutes too: 2 of 7.
    call_command("queue", "stats", str(export), "--target-minutes", "10", "--at", "2026-12-07T10:30:00+07:00", stdout=out)
    text = out.getvalue()
    assert "Called within target (%): 28.57" in text and "No-shows (%): 50.00" in text and "Tickets: 8" in text


def test_xlsx_export_reads_the_same(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in (HEADER + ROWS).splitlines():
        sheet.append(line.split(","))
    path = tmp_path / "antrian.xlsx"
    book.save(path)
    out = StringIO()
    call_command("queue", "stats", str(path), "--target-minutes", "10", "--at", "2026-12-07T10:00:00+07:00", "--json", stdout=out)
    assert json.loads(out.getvalue()) == EXPECTED


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("ticket,issued\nA-1,2026-12-07T09:00:00+07:00\n", "Missing column"),
        (HEADER + "A-1,2026-12-07 09:00,,,,\n", "no UTC offset"),
        (HEADER + "A-1,kemarin,,,,\n", "not an ISO 8601"),
        (HEADER + "A-1,2026-12-07T09:00:00+07:00,2026-12-07T08:00:00+07:00,,,\n", "called is before issued"),
    ],
)
def test_bad_files_are_refused(tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        call_command("queue", "stats", str(path))


def test_empty_figures_are_null():
    assert stats.figures([], target_seconds=600, at=None)["within_target_percent"] is None


# --- the page and the export, from the database ------------------------------------------------

import datetime as dt  # noqa: E402

from django.urls import reverse  # noqa: E402

from pendopo.queueing import actions  # noqa: E402


def _morning(mall, world, monday):
    first = actions.issue_ticket(mall.pool_a, service=mall.ktp)
    second = actions.issue_ticket(mall.pool_a)
    actions.issue_ticket(mall.pool_b)
    monday.shift(dt.timedelta(minutes=5))
    called = actions.call_next_ticket(mall.counter_a, world.counter_officer_a)
    actions.start_service(called, mall.counter_a, world.counter_officer_a)
    monday.shift(dt.timedelta(minutes=10))
    actions.finish_service(called, mall.counter_a, world.counter_officer_a)
    monday.shift(dt.timedelta(minutes=20))
    skipped = actions.call_next_ticket(mall.counter_a, world.counter_officer_a)
    actions.skip_ticket(skipped, mall.counter_a, world.counter_officer_a)
    return first, second


def test_page_figures_and_permissions(client, mall, world, monday, django_assert_max_num_queries):
    _morning(mall, world, monday)
    url = reverse("queueing:stats", args=["banyuwangi"])
    client.force_login(world.admin_a)
    with django_assert_max_num_queries(12):
        response = client.get(url + "?kelompok=pool")
    text = response.content.decode()
    # A-001 called after 5 min (within 15), A-002 after 35 min and skipped (against), B-001 waiting 35 min (against).
    assert "data-total-tickets>3<" in text and "data-within>33,33 %<" in text  # Indonesian notation
    assert 'data-label="Dalam target">50,00 %<' in text  # pool A: one of its two tickets
    english = client.get(url + "?kelompok=pool", headers={"Accept-Language": "en"}).content.decode()
    assert "data-within>33.33 %<" in english
    assert "<svg" in text and "A Kependudukan" in text
    for group in ("service", "counter", "agency", "day", "hour"):
        assert client.get(url + f"?kelompok={group}").status_code == 200
    assert client.get(url + "?dari=2026-12-09&sampai=2026-12-01").status_code == 400
    client.force_login(world.officer_a2)  # sees only agency A2's pool B
    assert "data-total-tickets>1<" in client.get(url).content.decode()
    for outsider in (world.admin_b, world.citizen):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.get(reverse("queueing:stats_export", args=["banyuwangi", "csv"])).status_code == 404


def test_export_feeds_the_command(client, mall, world, monday, tmp_path):
    _morning(mall, world, monday)
    client.force_login(world.admin_a)
    csv_file = client.get(reverse("queueing:stats_export", args=["banyuwangi", "csv"]))
    assert csv_file["Content-Disposition"].endswith('.csv"')
    body = csv_file.content.decode()
    assert body.splitlines()[0].startswith("ticket,issued,called,started,finished,canceled")
    assert "2026-12-07T09:00:00+07:00" in body
    path = tmp_path / "export.csv"
    path.write_bytes(csv_file.content)
    out = StringIO()
    call_command("queue", "stats", str(path), "--at", "2026-12-07T09:35:00+07:00", "--json", stdout=out)
    figures = json.loads(out.getvalue())
    assert figures["tickets"] == 3 and figures["within_target_percent"] == "33.33" and figures["no_show_percent"] == "50.00"
    xlsx = client.get(reverse("queueing:stats_export", args=["banyuwangi", "xlsx"]))
    path = tmp_path / "export.xlsx"
    path.write_bytes(xlsx.content)
    out = StringIO()
    call_command("queue", "stats", str(path), "--at", "2026-12-07T09:35:00+07:00", "--json", stdout=out)
    assert json.loads(out.getvalue()) == figures
