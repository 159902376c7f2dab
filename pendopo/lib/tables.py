"""Reading a spreadsheet table (XLSX or CSV) row by row, for every import of the project.

Rows come as `(number, values)` with the number the spreadsheet shows (the header is row 1).
Formulas are never evaluated: an XLSX formula cell and a CSV cell starting with =, +, - or @
that is not a plain number come back as `Formula` (a `str`), for the caller to refuse — the
value a formula shows is not what was typed, and a formula can run code when the file is opened
again. CSV is read as UTF-8 (with or without BOM) or Windows-1252, with `,`, `;` or tab as
separator (Indonesian Excel saves CSV with semicolons). Used by the survey, price, performance
and region-setup imports.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from typing import Any

from django.utils.translation import gettext as _

PLAIN_NUMBER = re.compile(r"^[+-]?\d+(?:[.,]\d+)?$")
FORMULA_START = ("=", "+", "-", "@")
BLANK_MARKS = {"", "-"}


class ImportFileError(ValueError):
    """The file cannot be read at all."""


class Formula(str):
    """Marks a cell that held a formula."""


def _csv_rows(data: bytes) -> int:
    lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    return max(lines - 1, 0)


def _xlsx_rows(book: Any) -> int | None:
    """Rows of the first sheet after the header: its stated dimension, or its <row> elements counted."""
    sheet = book.worksheets[0] if book.worksheets else None
    if sheet is None:
        return None
    if sheet.max_row:
        return max(sheet.max_row - 1, 0)
    # Files written in streaming mode state no dimension; counting the row tags in the
    # compressed XML takes a fraction of a second, far less than reading the cells.
    path = getattr(sheet, "_worksheet_path", None)
    archive = getattr(book, "_archive", None)
    if not path or archive is None:
        return None
    count, tail = 0, b""
    with archive.open(path) as stream:
        while chunk := stream.read(1 << 20):
            block = tail + chunk
            count += block.count(b"<row ") + block.count(b"<row>")
            tail = block[-5:]
            count -= tail.count(b"<row ") + tail.count(b"<row>")
        count += tail.count(b"<row ") + tail.count(b"<row>")
    return max(count - 1, 0)


def is_xlsx(data: bytes, filename: str) -> bool:
    return filename.lower().endswith((".xlsx", ".xlsm")) or data[:4] == b"PK\x03\x04"


def read_table(
    data: bytes, filename: str, on_total: Callable[[int | None], None] | None = None
) -> Iterator[tuple[int, list[Any]]]:
    """The rows of the file's first sheet (or of the CSV); `on_total` hears about how many rows follow the header."""
    if not data.strip():
        raise ImportFileError(_("The file is empty."))
    if is_xlsx(data, filename):
        return _read_xlsx(data, on_total)
    if on_total is not None:
        on_total(_csv_rows(data))
    return _read_csv(data)


def _read_xlsx(data: bytes, on_total: Callable[[int | None], None] | None = None) -> Iterator[tuple[int, list[Any]]]:
    import openpyxl

    try:
        # data_only=False: a formula cell gives its formula, not the last value Excel cached.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFileError(_("This is not a readable XLSX file.")) from exc
    if on_total is not None:
        try:
            total = _xlsx_rows(book)
        except (zipfile.BadZipFile, KeyError, OSError):
            total = None
        on_total(total)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            sheet = book.worksheets[0]
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [_xlsx_cell(value) for value in values]
        finally:
            book.close()

    return rows()


def _xlsx_cell(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | dt.datetime | dt.date | dt.time):
        return value
    if isinstance(value, str):
        return Formula(value) if value.startswith("=") else value
    # ArrayFormula, DataTableFormula and the like.
    return Formula(str(getattr(value, "text", value)))


def _read_csv(data: bytes) -> Iterator[tuple[int, list[Any]]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover -- cp1252 decodes nearly anything; latin-1 below decodes everything
        text = data.decode("latin-1")
    first_line = text.split("\n", 1)[0]
    # Indonesian Excel saves CSV with semicolons (the comma is the decimal mark).
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, values in enumerate(reader, start=1):
                yield number, [_csv_cell(value) for value in values]
        except csv.Error as exc:
            raise ImportFileError(_("This is not a readable CSV file: %(error)s") % {"error": exc}) from exc

    return rows()


def _csv_cell(value: str) -> Any:
    stripped = value.strip()
    if stripped[:1] in FORMULA_START and stripped not in BLANK_MARKS and not PLAIN_NUMBER.match(stripped):
        return Formula(stripped)
    return stripped
