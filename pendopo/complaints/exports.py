"""The complaint inbox as a spreadsheet (XLSX) or CSV, with the filters of the page it was downloaded from.

Written by the project's one table writer (pendopo/lib/exports.py: formula-safe text cells).
Only the staff who may act on the complaints download them (the inbox's own rows); an anonymous
complaint exports no complainant (nothing is kept), and no contact detail is exported at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from pendopo.lib import exports as tables

if TYPE_CHECKING:
    from django.http import HttpResponse

    from pendopo.complaints.selectors import InboxRow
    from pendopo.regions.models import Region

EXPORT_LIMIT = tables.EXPORT_LIMIT


def header(region: Region) -> list[str]:
    zone = region.time_zone_label
    return [
        _("Tracking code"),
        _("Category"),
        _("Complainant"),
        _("Channel"),
        _("Verification"),
        _("Step"),
        _("Received (%(zone)s)") % {"zone": zone},
        _("Step deadline (%(zone)s)") % {"zone": zone},
        _("Overdue"),
        _("Agency"),
        _("Assigned to"),
    ]


def _cells(row: InboxRow) -> list[str]:
    return [
        row.code,
        row.category,
        _("anonymous") if row.is_anonymous else row.complainant,
        row.channel,
        row.verification_label,
        row.state_label,
        row.received_text,
        row.state_due_text,
        _("overdue") if row.is_overdue else "",
        row.agency,
        row.assigned_to,
    ]


def download(region: Region, rows: list[InboxRow], *, fmt: str, filename: str) -> HttpResponse:
    return tables.download(header(region), [_cells(row) for row in rows], fmt=fmt, filename=filename, sheet_name=_("Complaints"))
