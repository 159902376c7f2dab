"""The export for the ministry's yearly report, read back: XLSX of the register and rows, ZIP of evidence, PDF profile."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from pendopo.innovations import actions
from pendopo.innovations.catalogue import SID, SPD

from .conftest import PDF, evidence, filled, pdf, verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported(world):
    published = verified(world.officer_a1, world.admin_a, world.region_a, world.agency_a1)
    waiting = filled(world.officer_a2, world.region_a, world.agency_a2, name='=HYPERLINK("x") Tanggap Stunting')
    actions.save_score(world.officer_a2, waiting, 2026, SID, "18", evidence(2, url="", file=pdf("dpa 2025.pdf")))
    actions.submit(world.officer_a2, waiting)
    filled(world.officer_a1, world.region_a, world.agency_a1, name="Draf yang belum dilaporkan")
    actions.save_score(world.admin_a, world.region_a, 2026, SPD, "8", evidence(3, url="", file=pdf("lhp-bpk.pdf")))
    return published, waiting


def test_register_xlsx_read_back(client, world, reported):
    published, waiting = reported
    client.force_login(world.admin_a)
    response = client.get(reverse("innovations:export_register", args=[world.region_a.slug, 2026]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Daftar inovasi", "Baris", "Indeks"]
    register = list(book["Daftar inovasi"].iter_rows(values_only=True))
    assert register[0][0] == "Kode"
    by_code = {row[0]: row for row in register[1:]}
    assert set(by_code) == {published.code, waiting.code}  # the draft is not reported
    assert by_code[published.code][1] == "Lahir Procot Pulang Bawa Akta"
    assert by_code[published.code][14] == 37 and by_code[published.code][15] == 37  # claimed, verified totals
    assert by_code[waiting.code][1].startswith("=HYPERLINK")  # text, never a formula
    assert by_code[waiting.code][14] == 41 and by_code[waiting.code][15] == 0
    rows = list(book["Baris"].iter_rows(values_only=True))[1:]
    spd = [row for row in rows if row[1] == "SPD"]
    assert [(row[2], row[8], row[9]) for row in spd] == [("8", 4.5, "lhp-bpk.pdf")]
    assert len([row for row in rows if row[0] == published.code]) == 5
    figures = {row[0]: row[1:] for row in book["Indeks"].iter_rows(values_only=True)}
    # Decimal-exact: each figure is the published 2-decimal value, shown with 2 decimals.
    assert tuple(Decimal(str(v)) for v in figures["iid"]) == (Decimal("4.40"), Decimal("1.23"))
    assert tuple(Decimal(str(v)) for v in figures["rows_total"]) == (Decimal("78.00"), Decimal("37.00"))
    assert figures["innovations"] == (2, 1)
    assert figures["category"] == ("Kurang Inovatif", "Kurang Inovatif")
    index_cells = {row[0].value: row for row in book["Indeks"].iter_rows()}
    assert index_cells["iid"][1].number_format == "0.00" and index_cells["spd"][2].number_format == "0.00"
    assert index_cells["innovations"][1].number_format == "General"
    # Totals and scores: numbers with the 2-decimal format, equal to the Decimal the index computed.
    total = next(r for r in book["Daftar inovasi"].iter_rows() if r[0].value == published.code)
    assert total[14].number_format == "0.00" and Decimal(str(total[14].value)) == Decimal("37.00")
    weights = [r[4] for r in book["Baris"].iter_rows(min_row=2)]
    assert all(cell.number_format == "0.00" for cell in weights)
    assert {Decimal(str(cell.value)) for cell in weights} >= {Decimal("1.50"), Decimal("3.00")}


def test_evidence_zip_read_back(client, world, reported):
    published, waiting = reported
    client.force_login(world.admin_a)
    response = client.get(reverse("innovations:export_evidence", args=[world.region_a.slug, 2026]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = set(archive.namelist())
    assert names == {"indeks-bukti.csv", f"{waiting.code}/18-dpa 2025.pdf", "SPD/8-lhp-bpk.pdf"}
    assert archive.read("SPD/8-lhp-bpk.pdf") == PDF
    index = list(csv.reader(io.StringIO(archive.read("indeks-bukti.csv").decode("utf-8-sig"))))
    assert index[0][0] == "Inovasi"
    lines = {(row[0], row[1]): row for row in index[1:]}
    assert len(lines) == 12  # 5 + 6 rows of the two reported innovations, the SPD row
    assert lines[(waiting.code, "18")][2] == f"{waiting.code}/18-dpa 2025.pdf"
    assert lines[(published.code, "16")][3].startswith("https://") and lines[(published.code, "16")][6] == "diterima"


def test_exports_are_the_teams(client, world, reported):
    for user, status in ((world.officer_a1, 403), (world.officer_b1, 404)):
        client.force_login(user)
        for name in ("innovations:export_register", "innovations:export_evidence"):
            assert client.get(reverse(name, args=[world.region_a.slug, 2026])).status_code == status
    client.logout()
    assert client.get(reverse("innovations:export_register", args=[world.region_a.slug, 2026])).status_code == 302
    client.force_login(world.admin_a)
    assert client.get(reverse("innovations:export_register", args=[world.region_a.slug, 2031])).status_code == 404


def test_profile_pdf_read_back(client, world, reported):
    published, waiting = reported
    response = client.get(reverse("innovations:profile", args=[world.region_a.slug, published.code]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Lahir Procot Pulang Bawa Akta" in text and published.code in text
    assert "Regulasi inovasi daerah" in text and "9.00" in text
    # Someone who may not see the innovation gets the same 404 as for one that does not exist.
    assert client.get(reverse("innovations:profile", args=[world.region_a.slug, waiting.code])).status_code == 404
