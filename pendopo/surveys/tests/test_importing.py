"""Reading paper surveys: every kind of bad input is named by row and column, nothing slips through."""

from __future__ import annotations

import datetime as dt

import pytest

from pendopo.surveys import importing
from pendopo.surveys.tests.sheets import HEADER, csv_bytes, xlsx_bytes

FULL = [4, 3, 4, 3, 4, 3, 4, 3, 4]


def codes(result):
    return [(p.row, p.column, p.code) for p in result.problems]


@pytest.mark.parametrize("build", [csv_bytes, xlsx_bytes], ids=["csv", "xlsx"])
def test_reads_scores_and_profile(build):
    header = [*HEADER, "No", "Jenis Kelamin", "umur", "pendidikan", "pekerjaan", "saran", "tanggal"]
    rows = [
        [*FULL, 1, "L", 34, "S1", "PNS", "Antrian lebih cepat", "2026-03-02"],
        [*[1] * 9, 2, "Perempuan", "60+", "sma", "lainnya", "-", ""],
    ]
    result = importing.parse(build(rows, header), "survei." + ("csv" if build is csv_bytes else "xlsx"))
    assert result.ok, [str(p) for p in result.problems]
    first, second = result.rows
    assert first.row == 2 and first.scores == tuple(FULL)
    assert (first.sex, first.age, first.education, first.occupation) == ("male", "30-39", "d4-s1", "civil_servant")
    assert first.suggestion == "Antrian lebih cepat"
    assert first.date == dt.date(2026, 3, 2)
    assert (second.sex, second.age, second.education, second.occupation, second.suggestion) == (
        "female",
        "60+",
        "sma",
        "other",
        "",
    )


def test_semicolon_csv_and_float_scores():
    data = csv_bytes([["4", "3.0", "4", "3", "4", "3", "4", "3", "4"]], delimiter=";")
    result = importing.parse(data, "a.csv")
    assert result.ok
    assert result.rows[0].scores == tuple(FULL)


def test_blank_rows_are_skipped_and_rows_keep_spreadsheet_numbers():
    result = importing.parse(xlsx_bytes([FULL, [None] * 9, [5, *FULL[1:]]]), "a.xlsx")
    assert codes(result) == [(4, "U1", "score_out_of_range")]
    assert len(result.rows) == 1 and result.bad_rows == 1


@pytest.mark.parametrize("value", [0, 5, -1, "2.5", "empat", True])
def test_score_outside_one_to_four(value):
    row = list(FULL)
    row[2] = value
    result = importing.parse(csv_bytes([FULL, row]), "a.csv")
    assert codes(result) == [(3, "U3", "score_out_of_range")]
    assert "Row 3, column U3" in str(result.problems[0])


def test_missing_element():
    row = list(FULL)
    row[8] = ""
    result = importing.parse(csv_bytes([row]), "a.csv")
    assert codes(result) == [(2, "U9", "missing_score")]
    assert not result.ok


def test_short_row_misses_the_last_elements():
    result = importing.parse(b"U1,U2,U3,U4,U5,U6,U7,U8,U9\n4,4,4,4,4,4,4\n", "a.csv")
    assert codes(result) == [(2, "U8", "missing_score"), (2, "U9", "missing_score")]


def test_missing_column():
    result = importing.parse(csv_bytes([FULL[:8]], header=HEADER[:8]), "a.csv")
    assert codes(result) == [(None, "U9", "missing_column")]
    assert result.file_error


def test_wrong_column():
    result = importing.parse(csv_bytes([[*FULL, "x"]], header=[*HEADER, "Nama"]), "a.csv")
    assert codes(result) == [(None, "Nama", "unknown_column")]


def test_duplicate_column():
    result = importing.parse(csv_bytes([[*FULL, 4]], header=[*HEADER, "u1"]), "a.csv")
    assert codes(result) == [(None, "u1", "duplicate_column")]


@pytest.mark.parametrize("data", [b"", b"   \n\n", b"\xef\xbb\xbf"])
def test_empty_file(data):
    result = importing.parse(data, "a.csv")
    assert [p.code for p in result.problems] in (["unreadable"], ["empty"])
    assert result.file_error and not result.ok


def test_header_without_rows_is_empty():
    result = importing.parse(csv_bytes([]), "a.csv")
    assert codes(result) == [(None, None, "empty")]


def test_empty_xlsx():
    result = importing.parse(xlsx_bytes([], header=[]), "a.xlsx")
    assert codes(result) == [(None, None, "empty")]


def test_not_an_xlsx():
    result = importing.parse(b"PK\x03\x04 this is no zip", "a.xlsx")
    assert codes(result) == [(None, None, "unreadable")]


def test_formula_in_an_xlsx_cell():
    row = list(FULL)
    row[3] = "=2+2"
    result = importing.parse(xlsx_bytes([FULL, row]), "a.xlsx")
    assert codes(result) == [(3, "U4", "formula")]
    assert "formula" in str(result.problems[0])


def test_formula_in_an_xlsx_profile_cell():
    result = importing.parse(xlsx_bytes([[*FULL, '=HYPERLINK("http://x","y")']], header=[*HEADER, "saran"]), "a.xlsx")
    assert codes(result) == [(2, "saran", "formula")]


@pytest.mark.parametrize("cell", ["=1+3", "+4*1", "@SUM(A1)", "-2+6", '=cmd|" /C calc"!A0'])
def test_formula_like_csv_cells(cell):
    row = [str(v) for v in FULL]
    row[0] = cell
    result = importing.parse(csv_bytes([row]), "a.csv")
    assert codes(result) == [(2, "U1", "formula")]


def test_plain_signed_numbers_are_numbers_not_formulas():
    row = [str(v) for v in FULL]
    row[0], row[1] = "-1", "+4"
    result = importing.parse(csv_bytes([row]), "a.csv")
    assert codes(result) == [(2, "U1", "score_out_of_range")]


def test_unknown_profile_value():
    result = importing.parse(csv_bytes([[*FULL, "X"]], header=[*HEADER, "jenis_kelamin"]), "a.csv")
    assert codes(result) == [(2, "jenis_kelamin", "unknown_value")]


def test_bad_date():
    result = importing.parse(csv_bytes([[*FULL, "31/02/2026"]], header=[*HEADER, "tanggal"]), "a.csv")
    assert codes(result) == [(2, "tanggal", "bad_date")]


def test_every_problem_of_a_row_is_listed_and_the_count_of_bad_rows_is_exact():
    rows = [[9, *FULL[1:]], FULL, [None, 7, *FULL[2:]]]
    result = importing.parse(csv_bytes(rows), "a.csv")
    assert codes(result) == [(2, "U1", "score_out_of_range"), (4, "U1", "missing_score"), (4, "U2", "score_out_of_range")]
    assert (len(result.rows), result.bad_rows, result.total) == (1, 2, 3)


def test_latin1_csv_is_read():
    data = "U1,U2,U3,U4,U5,U6,U7,U8,U9,saran\n4,4,4,4,4,4,4,4,4,Pelayanan ramah café\n".encode("cp1252")
    result = importing.parse(data, "a.csv")
    assert result.ok and result.rows[0].suggestion == "Pelayanan ramah café"
