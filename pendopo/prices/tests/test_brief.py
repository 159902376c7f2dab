"""The weekly brief: its figures on fixed data, the PDF and DOCX read back, the Monday job, the pages."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from docx import Document
from PIL import Image
from pypdf import PdfReader

from pendopo.notifications.models import Message
from pendopo.prices import brief, charts
from pendopo.prices.models import Alert, AlertRule, CommodityWeight, Intervention, WeeklyBrief
from pendopo.prices.tasks import send_weekly_briefs
from pendopo.prices.tests.conftest import approved

MONDAY = dt.date(2025, 3, 10)
WEEK = dt.date(2025, 3, 3)


def _at(day: dt.date, hour: int, minute: int = 0):
    """A moment in Banyuwangi's local time (WIB, UTC+7)."""
    return time_machine.travel(
        dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False
    )


@pytest.fixture
def week(world, prices):
    for day in range(1, 29):
        approved(prices.pasar_a, prices.beras, dt.date(2025, 2, day), 13000)
        approved(prices.pasar_a, prices.cabai, dt.date(2025, 2, day), 50000)
    for day in range(1, 10):
        approved(prices.pasar_a, prices.beras, dt.date(2025, 3, day), 14000)
        approved(prices.pasar_a, prices.cabai, dt.date(2025, 3, day), 60000)
    CommodityWeight.objects.create(region=world.region_a, commodity=prices.beras, weight=5)
    CommodityWeight.objects.create(region=world.region_a, commodity=prices.cabai, weight=3)
    rule = AlertRule.objects.create(region=world.region_a, commodity=prices.cabai, kind="jump", threshold=15)
    Alert.objects.create(
        region=world.region_a, rule=rule, commodity=prices.cabai, opened_on=dt.date(2025, 3, 5), value=20, price=60000,
        status=Alert.Status.CLOSED, action_taken="Operasi pasar di Pasar Banyuwangi",
    )  # fmt: skip
    Intervention.objects.create(
        region=world.region_a, kind="cheap_market", date=dt.date(2025, 3, 6), commodity=prices.cabai, place="Pasar Banyuwangi",
        quantity="2 ton",
    )  # fmt: skip
    Intervention.objects.create(region=world.region_a, kind="cheap_market", date=dt.date(2025, 2, 20), commodity=prices.cabai)
    return world.region_a


def test_the_brief_has_the_iph_its_contributors_what_is_above_and_the_weeks_actions(week, prices):
    with _at(MONDAY, 7):
        made = brief.build(week, WEEK)
    assert (made.week_start, made.week_end, made.board.day) == (WEEK, dt.date(2025, 3, 9), dt.date(2025, 3, 9))
    # 5/8 × (14000/13000 − 1) × 100 + 3/8 × (60000/50000 − 1) × 100 = 4.8077 + 7.5
    assert f"{made.board.iph.value:.2f}" == "12.31"
    assert [c["item"].commodity for c in made.contributors] == [str(prices.cabai.pk), str(prices.beras.pk)]
    assert prices.beras in [r.commodity for r in made.above]
    beras = next(r for r in made.above if r.commodity == prices.beras)
    assert f"{beras.deviation.percent:.2f}" == "12.00"  # (14000 − 12500) / 12500
    assert [a.action_taken for a in made.alerts] == ["Operasi pasar di Pasar Banyuwangi"]
    assert [i.quantity for i in made.interventions] == ["2 ton"]  # the one of February is another week's
    assert [c.commodity for c in made.charted] == [prices.cabai, prices.beras]
    assert len(made.charted[0].weekly) == 8 and made.charted[0].weekly[-1][1] == 60000


def test_the_pdf_is_one_page_with_the_figures(week, prices):
    with _at(MONDAY, 7):
        data = brief.pdf(brief.build(week, WEEK))
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "12,31 %" in text and "+12,00 %" in text
    assert "Operasi pasar di Pasar Banyuwangi" in text and "2 ton" in text
    assert str(prices.cabai) in text


def test_the_docx_has_the_tables_and_the_charts_as_pictures(week, prices):
    with _at(MONDAY, 7):
        data = brief.docx(brief.build(week, WEEK))
    document = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "12,31 %" in text and "Operasi pasar di Pasar Banyuwangi" in text
    assert "naik 20,00 % dari hari sebelumnya" in text  # the alert's figure in the reader's notation
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    assert [str(prices.beras), "Rp 14.000", "Rp 12.500", "+12,00 %"] in tables[1]
    assert len(document.inline_shapes) == 2


def test_the_chart_png_draws_the_svgs_line():
    chart = charts.line_chart({dt.date(2025, 3, d): v for d, v in [(1, 100), (8, 200)]}, upper=150)
    image = Image.open(io.BytesIO(charts.png(chart)))
    assert image.size == (chart.width * 2, chart.height * 2)
    start = chart.points[0]
    assert image.getpixel((round(start.x * 2), round(start.y * 2))) == (0x9C, 0x3D, 0x1C)


def test_the_chart_axis_is_labelled_with_round_prices():
    chart = charts.line_chart({dt.date(2025, 3, d): Decimal(v) for d, v in [(1, 48123), (8, 55870)]})
    labels = [label for _y, label in chart.ticks]
    assert labels == ["45.000", "47.500", "50.000", "52.500", "55.000", "57.500"]
    ys = [y for y, _label in chart.ticks]
    assert ys[0] == chart.height - charts.BOTTOM and ys[-1] == charts.TOP  # the axis ends on its first and last label
    flat = charts.line_chart({dt.date(2025, 3, 1): Decimal(12), dt.date(2025, 3, 2): Decimal(12)})
    assert all(label.isdigit() for _y, label in flat.ticks)  # whole rupiah even for a flat, tiny price


def test_the_monday_job_produces_once_and_mails_the_team_once(week, world, settings):
    world.head_a1.email = "kepala@example.id"
    world.head_a1.save()
    with _at(MONDAY, 4, 59):
        assert brief.due(week) is None
        assert send_weekly_briefs.call() == 0
    with _at(MONDAY, 5):  # 06:00 in Mamuju Tengah (WITA), still 05:00 in Banyuwangi (WIB)
        assert brief.due(week) is None
        assert send_weekly_briefs.call() == 1
        assert WeeklyBrief.objects.get().region == world.region_b
    with _at(MONDAY, 6):
        assert brief.due(week) == WEEK
        assert send_weekly_briefs.call() == 1
        assert send_weekly_briefs.call() == 0  # the next hour: already produced
    with _at(dt.date(2025, 3, 11), 9):
        assert brief.due(week) == WEEK
        assert send_weekly_briefs.call() == 0
    kept = WeeklyBrief.objects.get(region=week)
    assert kept.week_start == WEEK and kept.pdf.read().startswith(b"%PDF")
    messages = Message.objects.filter(event_key__startswith=f"prices:brief:{week.pk}:")
    assert "kepala@example.id" in [m.to_email for m in messages]
    assert len({m.to_email for m in messages}) == messages.count()
    body = messages.first().body_text
    assert "12,31 %" in body and "/r/banyuwangi/harga/ringkasan/?minggu=2025-03-03" in body


def test_the_team_sees_the_brief_and_downloads_it(client, week, world):
    client.force_login(world.head_a1)
    with _at(MONDAY, 7):
        page = client.get("/r/banyuwangi/harga/ringkasan/?minggu=2025-03-05")
        assert page.status_code == 200
        body = page.content.decode()
        assert "12,31 %" in body and body.count("<svg") == 2
        # Each table scrolls inside its own box on a phone, not the whole page.
        assert body.count('<table class="table">') == body.count('<div class="table-wrap" tabindex="0"><table class="table">') > 0
        fresh = client.get("/r/banyuwangi/harga/ringkasan/2025-03-03.pdf")
        assert fresh.status_code == 200 and fresh["Content-Type"] == "application/pdf"
        assert fresh.content.startswith(b"%PDF")
        word = client.get("/r/banyuwangi/harga/ringkasan/2025-03-03.docx")
        assert "attachment" in word["Content-Disposition"]
        Document(io.BytesIO(word.content))
        brief.produce(week, WEEK)
        kept = client.get("/r/banyuwangi/harga/ringkasan/2025-03-03.pdf")
        assert b"".join(kept.streaming_content) == WeeklyBrief.objects.get().pdf.open("rb").read()
        assert client.get("/r/banyuwangi/harga/ringkasan/2025-04-07.pdf").status_code == 404  # a future week


@pytest.mark.parametrize("who", ["citizen", "admin_b", None])
def test_the_brief_is_for_the_regions_staff(client, week, world, who):
    if who:
        client.force_login(getattr(world, who))
    expected = 302 if who is None else 404  # anonymous: to the login page
    with _at(MONDAY, 7):
        assert client.get("/r/banyuwangi/harga/ringkasan/").status_code == expected
        assert client.get("/r/banyuwangi/harga/ringkasan/2025-03-03.pdf").status_code == expected
