"""A table as a download, CSV or XLSX: the inboxes' exports (applications, complaints) write through here.

Every cell is text written as text: through `text.csv_cell` in a CSV (a leading `=`, `+`, `-` or `@`
gets a `'`, so a spreadsheet never runs a complainant's "=HYPERLINK(…)" as a formula) and with
`write_string` in an XLSX (never a formula, codes and NIKs keep their leading zeros), control
characters removed in both.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

import xlsxwriter
from django.http import HttpResponse

from pendopo.lib.text import csv_cell, sheet_text

EXPORT_LIMIT = 10_000  # rows in one download; narrow the filters for more
FORMATS = ("xlsx", "csv")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def as_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(str(cell)) for cell in header])
    writer.writerows([csv_cell(str(cell)) for cell in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode()  # the BOM: spreadsheet programs then read UTF-8


def as_xlsx(header: Sequence[str], rows: Iterable[Sequence[str]], sheet_name: str) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(sheet_text(sheet_name)[:31])
    bold = book.add_format({"bold": True})
    for column, cell in enumerate(header):
        sheet.write_string(0, column, sheet_text(str(cell)), bold)
    for number, row in enumerate(rows, start=1):
        for column, cell in enumerate(row):
            sheet.write_string(number, column, sheet_text(str(cell)))
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()


def download(header: Sequence[str], rows: Sequence[Sequence[str]], *, fmt: str, filename: str, sheet_name: str) -> HttpResponse:
    """The table as an attachment `filename.<fmt>`, never cached (it may hold personal data)."""
    if fmt == "csv":
        response = HttpResponse(as_csv(header, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(as_xlsx(header, rows, sheet_name), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
