"""The XLSX export's raw sheet, read back with openpyxl: every response of the unit, in order, as it was given."""

from __future__ import annotations

import datetime as dt
import io
import random

import openpyxl
import pytest
import time_machine
from django.urls import reverse

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
]


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
    assert rows[0] == (
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
    given = sorted(
        SurveyResponse.objects.filter(pk__in=[made.pk for made in responses]).select_related("service", "service_point"),
        key=lambda made: (made.local_date, made.pk),
    )
    assert [tuple(row) for row in rows[1:]] == [expected_row(made) for made in given]
    assert len(rows) == 1 + 40
    # Text that looks like a formula is text; no cell of the workbook is a formula.
    assert '=HYPERLINK("http://x")' in {row[-1] for row in rows}
    assert [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.data_type == "f"] == []
