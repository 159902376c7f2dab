"""The one table writer of the inbox exports: text cells only, formula-safe in CSV and XLSX."""

from __future__ import annotations

import csv
import io

import openpyxl

from pendopo.lib import exports

HEADER = ["Kode", "Nama"]
ROWS = [["BWI-0001", "=1+1"], ["BWI-0002", "@SUM(A1)\x0b"], ["007", "+62 812"]]


def test_csv_cells_never_start_a_formula():
    rows = list(csv.reader(io.StringIO(exports.as_csv(HEADER, ROWS).decode("utf-8-sig"))))
    assert rows == [HEADER, ["BWI-0001", "'=1+1"], ["BWI-0002", "'@SUM(A1)"], ["007", "'+62 812"]]


def test_xlsx_cells_are_text():
    sheet = openpyxl.load_workbook(io.BytesIO(exports.as_xlsx(HEADER, ROWS, "Kotak masuk"))).active
    assert sheet.title == "Kotak masuk"
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type == "s" for cell in cells)
    assert [cell.value for cell in cells] == ["BWI-0001", "=1+1", "BWI-0002", "@SUM(A1)", "007", "+62 812"]


def test_download_is_an_uncached_attachment():
    response = exports.download(HEADER, ROWS, fmt="xlsx", filename="kotak", sheet_name="Kotak")
    assert response["Content-Disposition"] == 'attachment; filename="kotak.xlsx"'
    assert response["Content-Type"] == exports.XLSX_TYPE and response["Cache-Control"] == "private, no-store"
