"""The inbox as a spreadsheet (XLSX) or CSV, with the filters of the page it was downloaded from
(written by the one table writer of pendopo/lib/exports.py: formula-safe text cells)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from pendopo.applications.models import Channel
from pendopo.lib import exports as tables

if TYPE_CHECKING:
    from django.http import HttpResponse

    from pendopo.applications.selectors import InboxRow

EXPORT_LIMIT = tables.EXPORT_LIMIT


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
        str(Channel(row.channel).label) if row.channel in Channel.values else row.channel,
        row.state_label,
        row.state_due_text,
        row.due_text,
        _("overdue") if row.is_overdue else "",
        row.assigned_to,
    ]


def as_csv(rows: list[InboxRow]) -> bytes:
    return tables.as_csv(header(), [_cells(row) for row in rows])


def as_xlsx(rows: list[InboxRow]) -> bytes:
    return tables.as_xlsx(header(), [_cells(row) for row in rows], _("Inbox"))


def download(rows: list[InboxRow], fmt: str, filename: str) -> HttpResponse:
    return tables.download(header(), [_cells(row) for row in rows], fmt=fmt, filename=filename, sheet_name=_("Inbox"))
