"""The shared spreadsheet reader: CSV separators, formulas marked, the row total announced."""

from __future__ import annotations

import io

import openpyxl
import pytest

from pendopo.lib.tables import Formula, ImportFileError, read_table


def test_csv_with_semicolons_and_a_formula():
    totals = []
    rows = list(read_table(b"kode;nama\nA;=HYPERLINK(1)\nB;-2.5\n", "x.csv", totals.append))
    assert totals == [2]
    assert rows[0] == (1, ["kode", "nama"])
    assert isinstance(rows[1][1][1], Formula)
    assert rows[2][1] == ["B", "-2.5"] and not isinstance(rows[2][1][1], Formula)


def test_xlsx_rows_and_a_formula_cell():
    book = openpyxl.Workbook()
    book.active.append(["kode", "nilai"])
    book.active.append(["A", "=1+1"])
    out = io.BytesIO()
    book.save(out)
    totals = []
    rows = list(read_table(out.getvalue(), "x.xlsx", totals.append))
    assert totals == [1]
    assert isinstance(rows[1][1][1], Formula)


def test_unreadable_files():
    with pytest.raises(ImportFileError):
        read_table(b"  ", "x.csv")
    with pytest.raises(ImportFileError):
        read_table(b"PK\x03\x04 broken", "x.xlsx")
