"""The raw responses' exports: the XLSX's raw sheet read back with openpyxl, the CSV read back with
Python's csv module; every response of the unit, in order, as it was given, and for its staff only."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import random

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pendopo.surveys import exports
from pendopo.surveys.choices import ELEMENT_TABLE, AgeBand, Channel, Education, Occupation, Sex
from pendopo.surveys.models import SurveyResponse
from pendopo.surveys.tests.conftest import answer

pytestmark = pytest.mark.django_db

SUGGESTIONS = [
    "",
    "Antrian cepat",
    '=HYPERLINK("http://x")',
    "=1+1",
    "Petugas ramah 👍, ruang tunggu sejuk",
    "  spasi di depan",
    "bel\x07 di tengah",  # a control character: not allowed in XLSX, dropped
    "baris\nkedua",
    "+62 812 3456",  # starts like a formula in a spreadsheet: + - @ as well as =
    "-",
    "@SUM(1+1)",
]
HEADER = (
    "Date",
    "Service",
    "Service point",
    "Channel",
    *[element.code for element in ELEMENT_TABLE],
    "Sex",
    "Age",
    "Education",
    "Occupation",
    "Suggestion",
)


@pytest.fixture
def responses(world, services):
    rng = random.Random(2017)
    made = []
    for number in range(40):
        moment = dt.datetime(2026, 1 + number % 12, 1 + number % 28, 2, number, tzinfo=dt.UTC)
        with time_machine.travel(moment, tick=False):
            made.append(
                answer(
                    [services.ktp, services.akta][number % 2],
                    [rng.randint(1, 4) for _ in range(9)],
                    channel=[Channel.QR, Channel.KIOSK, Channel.API][number % 3],
                    service_point=world.counter_a if number % 3 else None,
                    profile={
                        "sex": rng.choice(["", *Sex.values]),
                        "age": rng.choice(["", *AgeBand.values]),
                        "education": rng.choice(["", *Education.values]),
                        "occupation": rng.choice(["", *Occupation.values]),
                    },
                    suggestion=SUGGESTIONS[number % len(SUGGESTIONS)],
                )
            )
    # The forms strip a suggestion; stored by whatever other way, a leading tab stays.
    SurveyResponse.objects.filter(pk=made[1].pk).update(suggestion="\t=1+1")
    # Not the unit's: another agency's and another region's.
    with time_machine.travel(dt.datetime(2026, 5, 5, 2, 0, tzinfo=dt.UTC), tick=False):
        answer(services.vaksin, 2)
        answer(services.ktp_b, 3)
    return made


def expected_row(response: SurveyResponse) -> tuple:
    def label(choices, value):
        return str(choices(value).label) if value else None

    suggestion = response.suggestion.replace("\x07", "")
    return (
        dt.datetime.combine(response.local_date, dt.time()),
        response.service.name,
        response.service_point.name if response.service_point else None,
        label(Channel, response.channel),
        *response.scores,
        label(Sex, response.sex),
        label(AgeBand, response.age),
        label(Education, response.education),
        label(Occupation, response.occupation),
        suggestion or None,
    )


def test_the_raw_sheet_holds_every_response_of_the_unit_as_given(client, world, responses):
    client.force_login(world.officer_a1)
    url = reverse("surveys:report_xlsx", args=[world.region_a.slug]) + "?opd=DISDUKCAPIL&periode=2026"
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="skm-disdukcapil-2026.xlsx"'
    content = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(content)

    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Index", "Respondents", "Responses"]
    raw = book["Responses"]
    rows = list(raw.iter_rows(values_only=True))
    assert rows[0] == HEADER
    assert [tuple(row) for row in rows[1:]] == [expected_row(made) for made in in_order(responses)]
    assert len(rows) == 1 + 40
    # Text that looks like a formula is text; no cell of the workbook is a formula.
    assert {'=HYPERLINK("http://x")', "=1+1", "+62 812 3456", "-", "@SUM(1+1)"} <= {row[-1] for row in rows}
    assert [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.data_type == "f"] == []
    assert {cell.number_format for cell in next(raw.iter_cols(min_row=2, max_col=1))} == {"yyyy-mm-dd"}


def in_order(responses):
    """The unit's responses as the exports list them: by date, then as they came."""
    return sorted(
        SurveyResponse.objects.filter(pk__in=[made.pk for made in responses]).select_related("service", "service_point"),
        key=lambda made: (made.local_date, made.pk),
    )


def test_responses_past_a_sheets_rows_go_on_in_the_next_sheet(client, world, responses, monkeypatch):
    monkeypatch.setattr(exports, "SHEET_ROWS", 16)  # a header and 15 responses a sheet
    client.force_login(world.officer_a1)
    url = reverse("surveys:report_xlsx", args=[world.region_a.slug]) + "?opd=DISDUKCAPIL&periode=2026"
    book = openpyxl.load_workbook(io.BytesIO(b"".join(client.get(url, HTTP_ACCEPT_LANGUAGE="en").streaming_content)))
    assert book.sheetnames == ["Index", "Respondents", "Responses", "Responses (2)", "Responses (3)"]
    parts = [list(book[name].iter_rows(values_only=True)) for name in book.sheetnames[2:]]
    assert [len(rows) for rows in parts] == [16, 16, 1 + 10]
    assert all(rows[0] == HEADER for rows in parts)
    assert [row for rows in parts for row in rows[1:]] == [expected_row(made) for made in in_order(responses)]


def csv_url(world, query="opd=DISDUKCAPIL&periode=2026"):
    return reverse("surveys:report_csv", args=[world.region_a.slug]) + "?" + query


def read_csv(response) -> list[list[str]]:
    content = b"".join(response.streaming_content)
    assert content.startswith(codecs.BOM_UTF8)  # Excel reads the file as UTF-8 only with it
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def expected_csv_row(response: SurveyResponse) -> list[str]:
    def label(choices, value):
        return str(choices(value).label) if value else ""

    def text(value):
        value = value.replace("\x07", "")
        # OWASP: a cell Excel would run as a formula starts with a quote.
        return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value

    return [
        response.local_date.isoformat(),
        text(response.service.name),
        text(response.service_point.name) if response.service_point else "",
        label(Channel, response.channel),
        *[str(score) for score in response.scores],
        label(Sex, response.sex),
        label(AgeBand, response.age),
        label(Education, response.education),
        label(Occupation, response.occupation),
        text(response.suggestion),
    ]


def test_the_csv_holds_every_response_of_the_unit_as_given(client, world, responses):
    # A carriage return too (XLSX stores it escaped, which openpyxl does not read back).
    SurveyResponse.objects.filter(pk=responses[2].pk).update(suggestion="\r=1+1")
    client.force_login(world.officer_a1)
    response = client.get(csv_url(world), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="skm-disdukcapil-2026.csv"'
    rows = read_csv(response)
    assert rows[0] == list(HEADER)
    assert rows[1:] == [expected_csv_row(made) for made in in_order(responses)]
    assert len(rows) == 1 + 40
    suggestions = {row[-1] for row in rows[1:]}
    assert {'\'=HYPERLINK("http://x")', "'=1+1", "'+62 812 3456", "'-", "'@SUM(1+1)", "'\t=1+1", "'\r=1+1"} <= suggestions
    assert {"Antrian cepat", "spasi di depan", "bel di tengah", "baris\nkedua", ""} <= suggestions


def test_the_csv_speaks_the_readers_language(client, world, responses):
    client.force_login(world.officer_a1)
    rows = read_csv(client.get(csv_url(world), HTTP_ACCEPT_LANGUAGE="id"))
    assert rows[0][:4] == ["Tanggal", "Layanan", "Tempat layanan", "Saluran"]


@pytest.mark.parametrize("name", ["officer_a2", "officer_b1", "admin_b", "citizen", "anonymous"])
def test_the_csv_is_not_found_for_anyone_but_the_units_staff(client, world, responses, name):
    """Another agency's officer, another region's staff, a citizen, anyone logged out: 404, as for the XLSX."""
    if name != "anonymous":
        client.force_login(getattr(world, name))
    for url in (csv_url(world), reverse("surveys:report_xlsx", args=[world.region_a.slug]) + "?opd=DISDUKCAPIL&periode=2026"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert not response.streaming
        assert b"Antrian cepat" not in response.content


def test_the_csv_runs_the_same_queries_however_many_responses(client, world, services, responses, monkeypatch):
    # Small chunks and blocks: the rows come from several database chunks and go out in several blocks.
    monkeypatch.setattr(exports, "EXPORT_CHUNK", 7)
    monkeypatch.setattr(exports, "CSV_BLOCK", 5)
    client.force_login(world.head_a1)
    client.get(csv_url(world))  # the staff's memberships are cached after their first request

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(csv_url(world))
            blocks = list(response.streaming_content)
        rows = list(csv.reader(io.StringIO(b"".join(blocks).decode("utf-8-sig"), newline=""), delimiter=";"))
        return len(queries), len(rows) - 1, len(blocks)

    small = count()
    with time_machine.travel(dt.datetime(2026, 6, 1, 3, 0, tzinfo=dt.UTC), tick=False):
        for number in range(60):
            answer([services.ktp, services.akta][number % 2], 1 + number % 4, suggestion=f"Saran {number}")
    large = count()
    assert (small[1], large[1]) == (40, 100)
    assert large[2] > small[2] > 1
    assert large[0] == small[0]


def test_the_report_page_links_the_csv_for_the_units_staff_only(client, world, responses):
    page = reverse("surveys:report", args=[world.region_a.slug]) + "?opd=DISDUKCAPIL&periode=2026"
    href = 'href="' + csv_url(world).replace("&", "&amp;") + '"'
    assert "laporan/csv/" not in client.get(page).content.decode()  # the public sees the figures only
    client.force_login(world.head_a1)
    html = client.get(page, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert href in html
    assert html.index("laporan/xlsx/") < html.index(href)  # beside the XLSX
    assert "CSV: jawaban" in html
    assert len(read_csv(client.get(csv_url(world)))) == 1 + 40
