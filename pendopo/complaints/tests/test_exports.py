"""The complaint inbox exports to XLSX and CSV with its current filters, for the staff who may see
those complaints; an anonymous complaint exports no complainant; no cell is ever a formula."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from pendopo.complaints.models import Privacy
from pendopo.complaints.tests.conftest import file

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(world, setup, frozen):
    siti = file(
        world.region_a, setup.road_a, reporter_name="Siti Rahayu", reporter_email="siti@example.id", reporter_phone="081234567890"
    ).complaint
    formula = file(world.region_a, setup.road_a, reporter_name='=HYPERLINK("http://x.invalid","klik")', verified=False).complaint
    anonymous = file(world.region_a, setup.lamp_a, privacy=Privacy.ANONYMOUS, verified=False).complaint
    return siti, formula, anonymous


def _url(world, fmt: str) -> str:
    return reverse("complaints:inbox_export", args=[world.region_a.slug, fmt])


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_follows_the_filters_and_carries_no_contact(client, world, three):
    siti, formula, anonymous = three
    client.force_login(world.admin_a)
    everything = _csv(client.get(_url(world, "csv")))
    assert everything[0][:3] == ["Kode lacak", "Kategori", "Pengadu"]
    rows = {row[0]: row for row in everything[1:]}
    assert set(rows) == {siti.code, formula.code, anonymous.code}
    assert rows[siti.code][2] == "Siti Rahayu"
    assert rows[anonymous.code][2] == "anonim"  # nothing kept, nothing exported
    assert rows[formula.code][2].startswith("'=")  # a spreadsheet shows the text, never runs it
    text = client.get(_url(world, "csv")).content.decode("utf-8-sig")
    assert "siti@example.id" not in text and "081234567890" not in text and "7890" not in text

    waiting = _csv(client.get(_url(world, "csv") + "?verification=pending"))
    assert {row[0] for row in waiting[1:]} == {formula.code, anonymous.code}
    assert {row[4] for row in waiting[1:]} == {"menunggu verifikasi"}
    assert [row[0] for row in _csv(client.get(_url(world, "csv") + "?q=rahayu"))[1:]] == [siti.code]


def test_xlsx_reads_back_with_the_filters(client, world, three):
    siti, formula, _anonymous = three
    client.force_login(world.admin_a)
    response = client.get(_url(world, "xlsx") + "?category=JALAN-RUSAK")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="pengaduan-banyuwangi-')
    assert response["Content-Disposition"].endswith('.xlsx"') and response["Cache-Control"] == "private, no-store"
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][6] == "Diterima (WIB)"
    assert {row[0] for row in rows[1:]} == {siti.code, formula.code}
    # The formula-like name is a text cell, not a formula.
    cell = next(row[2] for row in sheet.iter_rows(min_row=2) if row[0].value == formula.code)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def test_only_the_staff_who_may_see_them_export(client, world, three):
    siti, formula, _anonymous = three
    client.force_login(world.officer_a1)  # agency A1: the road complaints, not the lamp one
    assert {row[0] for row in _csv(client.get(_url(world, "csv")))[1:]} == {siti.code, formula.code}
    for user in (world.citizen, world.admin_b, world.officer_b1):
        client.force_login(user)
        assert client.get(_url(world, "csv")).status_code == 403
        assert client.get(_url(world, "xlsx")).status_code == 403
    client.logout()
    assert client.get(_url(world, "csv")).status_code == 302  # to the login page
