"""Builders of survey spreadsheets (CSV and XLSX bytes) for tests."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import openpyxl

HEADER = ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]


def csv_bytes(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER, delimiter: str = ",") -> bytes:
    lines = [delimiter.join(header)] + [delimiter.join("" if v is None else str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def xlsx_bytes(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
