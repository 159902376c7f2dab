"""The inbox as a spreadsheet (XLSX) or CSV, with the filters of the page it was downloaded from."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

import xlsxwriter
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from pendopo.applications.selectors import InboxRow

EXPORT_LIMIT = 10_000  # rows in one download; narrow the filters for more


def header() -> list[str]:
    return [
        _("Tracking code"),
        _("Service"),
        _("Applicant"),
        _("NIK"),
        _("Channel"),
        _("Step"),
        _("Step deadline"),
        _("Expected completion"),
        _("Overdue"),
        _("Assigned to"),
    ]


def _cells(row: InboxRow) -> list[str]:
    return [
        row.code,
        row.service,
        row.applicant,
        row.nik_masked,  # masked, as on the page
        row.channel,
        row.state_label,
        row.state_due_text,
        row.due_text,
        _("overdue") if row.is_overdue else "",
        row.assigned_to,
    ]


def as_csv(rows: list[InboxRow]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header())
    writer.writerows(_cells(row) for row in rows)
    return ("\ufeff" + out.getvalue()).encode()  # the BOM: spreadsheet programs then read UTF-8


def as_xlsx(rows: list[InboxRow]) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet(_("Inbox")[:31])
    bold = book.add_format({"bold": True})
    sheet.write_row(0, 0, header(), bold)
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, _cells(row))  # all text: codes and NIKs keep their leading zeros
    sheet.freeze_panes(1, 0)
    book.close()
    return out.getvalue()
