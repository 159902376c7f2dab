"""The PK and the LKjIP really produced as PDF, DOCX and XLSX, and read back."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import docx
import openpyxl
import pytest
from pypdf import PdfReader

from pendopo.performance import actions
from pendopo.performance.models import Agreement

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


@pytest.fixture
def reported(world, plan, in_q3):
    for quarter, value in ((1, "60"), (2, "70")):
        realisation = actions.enter_realisation(
            world.officer_a1, plan.docs, 2026, quarter, value=Decimal(value), explanation=f"TW{quarter} sesuai SIAK"
        )
        actions.review_realisation(world.head_a1, realisation, approve=True)
    agreement = Agreement.objects.create(
        region=world.region_a, agency=world.agency_a1, year=2026, head_name="Dr. Sri Wahyuni", signed_on=dt.date(2026, 1, 15)
    )
    agreement.indicators.set([plan.docs, plan.sop])
    return agreement


def text_of_pdf(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages)


def test_lkjip_pdf_docx_xlsx(client, world, reported):
    base = "/r/banyuwangi/sakip/laporan/lkjip/2026"
    response = client.get(f"{base}.pdf?agency=DISDUKCAPIL", headers=EN)
    assert response["Content-Type"] == "application/pdf"
    text = text_of_pdf(response.content)
    # The year: the last quarter entered (TW2, 70) against the yearly target 80 → 87.50.
    assert "Performance report (LKjIP) 2026" in text and "A1-1" in text and "87.50" in text and "TW2 sesuai SIAK" in text

    document = docx.Document(io.BytesIO(client.get(f"{base}.docx?agency=DISDUKCAPIL", headers=EN).content))
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["Indicator", "Unit", "Target", "Realisation", "Achievement (%)", "Explanation"]
    assert ["A1-1 Indikator A1-1", "%", "80.00", "70.00", "87.50", "TW2 sesuai SIAK"] in rows

    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{base}.xlsx?agency=DISDUKCAPIL", headers=EN).content))
    values = [list(row) for row in book.active.iter_rows(values_only=True)]
    assert ["A1-1", "Indikator A1-1", "%", 80, 60, 70, None, None, 87.5, "TW2 sesuai SIAK"] in values
    # The figures are numbers a sheet can sum, shown with two decimals.
    line = next(row for row in book.active.iter_rows(min_row=2) if row[0].value == "A1-1")
    assert [(cell.data_type, cell.number_format) for cell in (line[3], line[4], line[8])] == [("n", "0.00")] * 3


def test_the_lkjip_docx_writes_its_figures_in_the_readers_notation(client, world, reported):
    document = docx.Document(io.BytesIO(client.get("/r/banyuwangi/sakip/laporan/lkjip/2026.docx?agency=DISDUKCAPIL").content))
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows[0] == ["Indikator", "Satuan", "Target", "Realisasi", "Capaian (%)", "Penjelasan"]
    assert ["A1-1 Indikator A1-1", "%", "80,00", "70,00", "87,50", "TW2 sesuai SIAK"] in rows
    pk = docx.Document(io.BytesIO(client.get("/r/banyuwangi/sakip/laporan/pk/DISDUKCAPIL/2026.docx").content))
    assert [cell.text for cell in pk.tables[0].rows[1].cells] == ["A1-1 Indikator A1-1", "%", "80,00"]


def test_agreement_pdf_and_docx(client, world, reported):
    base = "/r/banyuwangi/sakip/laporan/pk/DISDUKCAPIL/2026"
    text = text_of_pdf(client.get(f"{base}.pdf", headers=EN).content)
    assert "Performance agreement (PK) 2026" in text and "Dr. Sri Wahyuni" in text and "A1-1" in text
    document = docx.Document(io.BytesIO(client.get(f"{base}.docx", headers=EN).content))
    assert [cell.text for cell in document.tables[0].rows[1].cells] == ["A1-1 Indikator A1-1", "%", "80.00"]
    assert client.get(f"{base}.xlsx").status_code == 404


def test_unsigned_agreement_and_unpublished_plan_stay_private(client, world, reported, plan):
    reported.signed_on = None
    reported.save()
    client.force_login(world.admin_b)
    assert client.get("/r/banyuwangi/sakip/laporan/pk/DISDUKCAPIL/2026.pdf").status_code == 404
    plan.period.is_published = False
    plan.period.save()
    document = docx.Document(io.BytesIO(client.get("/r/banyuwangi/sakip/laporan/lkjip/2026.docx?agency=DISDUKCAPIL").content))
    assert len(document.tables[0].rows) == 1  # the header only
    client.force_login(world.officer_a1)
    assert client.get("/r/banyuwangi/sakip/laporan/pk/DISDUKCAPIL/2026.pdf").status_code == 200


def test_evaluation_report_pdf_read_back(client, world, plan, in_q3):
    from pendopo.performance.models import Criterion, EvaluatorSeat
    from pendopo.regions.tests.factories import UserFactory

    inspector = UserFactory(username="inspektur_a")
    EvaluatorSeat.objects.create(region=world.region_a, user=inspector, title="Inspektorat")
    round_ = actions.start_round(world.admin_a, world.region_a.pk, 2026)
    for criterion in Criterion.objects.filter(subcomponent__component__round=round_):
        actions.answer_criterion(world.admin_a, criterion, evaluator=False, value=Decimal(1))
        met = criterion.code != "1.c.1"
        actions.answer_criterion(
            inspector, criterion, evaluator=True, value=Decimal(int(met)), note="" if met else "Anggaran belum selaras",
            recommendation=None if met else "Agar anggaran dialokasikan untuk sasaran.",
        )  # fmt: skip
    address = "/r/banyuwangi/sakip/laporan/lke/2026.pdf"
    assert client.get(address, headers=EN).status_code == 404  # unpublished: staff only
    client.force_login(world.officer_a1)
    response = client.get(address, headers=EN)
    assert response["Content-Type"] == "application/pdf"
    text = text_of_pdf(response.content)
    assert "Evaluation report of SAKIP (LHE) 2026" in text
    # 1.c = 3/4 × 15 = 11.25, component 1 = 26.25, total 96.25 (AA); the unit's own 100.00; gap −3.75.
    assert "11.25" in text and "26.25" in text and "96.25 (AA)" in text and "100.00 (AA)" in text and "-3.75" in text
    assert "Agar anggaran dialokasikan untuk sasaran." in text and "Anggaran belum selaras" in text
    assert "Performance achieved" in text and "IKU-1" in text
    client.force_login(world.admin_b)
    assert client.get(address, headers=EN).status_code == 404  # another region's user, round not published
    # In Indonesian the worksheet and its report write the same figures in Indonesian notation.
    client.force_login(world.officer_a1)
    page = client.get("/r/banyuwangi/sakip/lke/2026/").content.decode()
    indonesian = text_of_pdf(client.get(address).content)
    for text in (page, indonesian):
        assert "11,25" in text and "26,25" in text
        assert "96,25 (AA)" in text and "100,00 (AA)" in text and "-3,75" in text and "96.25" not in text
