"""The inbox exports to XLSX and CSV with its current filters; only for those who may open the inbox."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from pendopo.applications import actions
from pendopo.applications.tests.conftest import form_data, valid_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def two(world, service):
    siti = actions.submit_application(world.citizen, service, valid_form(service).to_input())
    budi = actions.submit_application(
        world.citizen, service, valid_form(service, data=form_data(**{"applicant-name": "Budi Santoso"})).to_input()
    )
    actions.take_action(budi, "receive", world.officer_a1)
    return siti, budi


def test_csv_and_xlsx_follow_the_filters(client, world, two):
    siti, budi = two
    client.force_login(world.officer_a1)
    url = reverse("applications:inbox_export", args=[world.region_a.slug, "csv"])

    everything = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    submitted = list(csv.reader(io.StringIO(client.get(url + "?state=submitted").content.decode("utf-8-sig"))))

    assert len(everything) == 3 and {row[0] for row in everything[1:]} == {siti.code, budi.code}
    assert [row[0] for row in submitted[1:]] == [siti.code]
    assert "3510015203900001" not in client.get(url).content.decode("utf-8-sig")  # the NIK masked, as on the page

    xlsx = client.get(reverse("applications:inbox_export", args=[world.region_a.slug, "xlsx"]) + "?q=Budi")
    assert xlsx["Content-Disposition"].startswith("attachment") and xlsx["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == [budi.code]


def test_no_export_for_those_without_the_inbox(client, world, two):
    for user in (world.citizen, world.officer_b1):
        client.force_login(user)
        assert client.get(reverse("applications:inbox_export", args=[world.region_a.slug, "csv"])).status_code == 404


def test_the_export_says_the_channel_in_words(client, world, two):
    client.force_login(world.officer_a1)
    url = reverse("applications:inbox_export", args=[world.region_a.slug, "csv"])
    [header, *rows] = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    column = header.index("Saluran")
    assert {row[column] for row in rows} == {"daring"}  # both were made online, said as on the page
