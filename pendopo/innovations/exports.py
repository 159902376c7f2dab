"""Export for the ministry's yearly report: the register and scores (XLSX), the evidence (ZIP), a profile (PDF).

- `register_xlsx(region, year)`: three sheets — the innovations reported for the period (with
  their claimed and verified totals and why one is left out), every row (SID and SPD) with its
  evidence and verdict (rows 28, 29 and 34 read from Pendopo's own data with their source and
  page), and the index as claimed and as verified. Every cell is written as text
  (`lib/text.sheet_text`, never a formula) or a number; Decimal figures are rounded half up to
  2 decimals and carry the `0.00` number format, so they read back as the reference prints them.
- `evidence_zip(region, year)`: every evidence file of the period's rows under
  `<innovation code>/<row>-<file name>` (`SPD/` for the region's rows) and `indeks-bukti.csv`
  listing every row with evidence: the file in the archive or the link, the document's number and
  date, the verdict (CSV cells through `lib/text.csv_cell`).
- `profile_pdf(innovation, user)`: one innovation's profile (A4, WeasyPrint, nothing fetched),
  with the rows `user` may see.

The team's pages serve the first two (they carry the claims); the profile follows the innovation's
own visibility.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import Decimal
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from pendopo.innovations import catalogue, scoring, selectors
from pendopo.innovations.catalogue import SID
from pendopo.innovations.models import Innovation, Score
from pendopo.lib.pdf import html_to_pdf
from pendopo.lib.text import csv_cell, sheet_text
from pendopo.regions.links import absolute
from pendopo.surveys.ikm import round_half_up

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from pendopo.regions.models import Region, User

TWO_PLACES = re.compile(r"-?\d+\.\d\d")
WORKBOOK_OPTIONS = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}


def _all_rows(region: Region, year: int) -> list[Score]:
    reported = set(selectors.reported(region, year).values_list("pk", flat=True))
    rows = (
        Score.objects.filter(region=region, period=year)
        .select_related("innovation")
        .order_by("-aspect", "innovation__name", "pk")
    )
    return [row for row in rows if row.innovation_id is None or row.innovation_id in reported]


def register_xlsx(region: Region, year: int) -> bytes:
    import xlsxwriter

    period = catalogue.period(year)
    result = scoring.region_index(region, year)
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, WORKBOOK_OPTIONS)
    bold = book.add_format({"bold": True})
    # Figures are Decimal: written rounded half up to 2 decimals with a 2-decimal number format, so
    # the cell reads back (and shows) exactly as the reference prints it (47.04, never 47.039999…).
    two_places = book.add_format({"num_format": "0.00"})

    def write(sheet: Any, row: int, values: list[Any], style: Any = None) -> None:
        for column, value in enumerate(values):
            if isinstance(value, Decimal):
                sheet.write_number(row, column, float(round_half_up(value, 2)), style or two_places)
            elif isinstance(value, int) and not isinstance(value, bool):
                sheet.write_number(row, column, value, style)
            else:
                sheet.write_string(row, column, sheet_text("" if value is None else str(value)), style)

    register = book.add_worksheet(_("Innovation register"))
    header = [
        _("Code"),
        _("Name"),
        _("Agency"),
        _("Form"),
        _("Stage"),
        _("Implementation date"),
        _("Latest development"),
        _("Kind"),
        _("Initiator"),
        _("Theme"),
        _("Government affair"),
        _("Basic service"),
        _("Status"),
        _("Budget (Rp)"),
        _("Claimed"),
        _("Verified"),
        _("Replications"),
        _("Counts in the verified index"),
        _("Reasons"),
        _("Video link"),
    ]
    write(register, 0, header, bold)
    for number, entry in enumerate(result.entries, start=1):
        item = entry.innovation
        write(
            register,
            number,
            [
                item.code,
                item.name,
                item.agency.name,
                item.get_form_display(),
                item.get_stage_display(),
                item.implemented_on.isoformat() if item.implemented_on else "",
                item.developed_on.isoformat() if item.developed_on else "",
                item.get_kind_display(),
                item.get_initiator_display(),
                item.get_theme_display(),
                item.get_affair_display(),
                _("basic service") if item.is_basic_service else "",
                item.get_status_display(),
                item.budget,
                entry.claimed,
                entry.verified,
                entry.replications,
                _("counted") if entry.counts_verified else _("left out"),
                " ".join(entry.verified_problems),
                item.video_url,
            ],
        )

    rows = book.add_worksheet(_("Rows"))
    write(
        rows,
        0,
        [
            _("Innovation"),
            _("Aspect"),
            _("Row"),
            _("Indicator"),
            _("Weight"),
            _("Level"),
            _("Basis"),
            _("Value"),
            _("Score"),
            _("Evidence"),
            _("Document number"),
            _("Document date"),
            _("Verification"),
            _("Note"),
        ],
        bold,
    )
    own = {entry.innovation.pk: entry.own for entry in result.entries}
    all_rows = _all_rows(region, year)
    for number, row in enumerate(all_rows, start=1):
        indicator = period.indicator(row.aspect, row.indicator)
        write(
            rows,
            number,
            [
                row.innovation.code if row.innovation is not None else _("region (SPD)"),
                row.aspect.upper(),
                row.indicator,
                indicator.name,
                indicator.weight,
                row.level if row.level is not None else "",
                row.basis,
                row.value if row.value is not None else "",
                indicator.score(row.level)
                if row.counts_claimed and row.indicator not in own.get(row.innovation_id or 0, {})
                else Decimal(0),
                row.evidence_url or row.evidence_name,
                row.document_number,
                row.document_date.isoformat() if row.document_date else "",
                row.get_verdict_display(),
                row.note,
            ],
        )

    # The rows read from Pendopo's own data (28, 29, 34): their source and page are the evidence.
    number = len(all_rows)
    for entry in result.entries:
        for code, figure in sorted(entry.own.items()):
            number += 1
            indicator = period.indicator(SID, code)
            write(
                rows,
                number,
                [
                    entry.innovation.code,
                    SID.upper(),
                    code,
                    indicator.name,
                    indicator.weight,
                    figure.level,
                    "",
                    figure.value if figure.value is not None else "",
                    indicator.score(figure.level),
                    f"{figure.source} ({absolute(figure.url)})",
                    "",
                    "",
                    _("Pendopo data"),
                    "",
                ],
            )

    figures = book.add_worksheet(_("Index"))
    write(figures, 0, [region.name, period.title], bold)
    write(figures, 1, ["", _("Claimed"), _("Verified")], bold)
    claimed, verified = result.claimed.display(), result.verified.display()
    for number, key in enumerate(claimed, start=2):
        write(figures, number, [key, _figure(claimed[key]), _figure(verified[key])])
    if not period.confirmed or period.unconfirmed:
        number = len(claimed) + 3
        write(figures, number, [_("Not confirmed"), period.note], bold)
        rows_text = ", ".join(f"{row.aspect.upper()} {row.code} {row.name}" for row in period.unconfirmed)
        write(figures, number + 1, [_("Rows not confirmed"), rows_text])
    book.close()
    return out.getvalue()


def _figure(value: object) -> object:
    """A published figure for a cell: "47.04" becomes the number 47.04 (2-decimal format), counts stay counts."""
    if isinstance(value, str) and TWO_PLACES.fullmatch(value):
        return Decimal(value)
    return value


def _member_name(row: Score) -> str:
    folder = row.innovation.code if row.innovation is not None else "SPD"
    original = PurePosixPath(row.evidence_name or row.evidence_file.name or "").name
    return f"{folder}/{row.indicator}-{original}"


def evidence_zip(region: Region, year: int) -> bytes:
    """The period's evidence files with `indeks-bukti.csv`, the index of every row's evidence."""
    out = io.BytesIO()
    table = io.StringIO()
    index = csv.writer(table)
    index.writerow(
        [
            _("Innovation"),
            _("Row"),
            _("File in this archive"),
            _("Evidence link"),
            _("Document number"),
            _("Document date"),
            _("Verification"),
        ]
    )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for row in _all_rows(region, year):
            if not row.has_evidence:
                continue
            member = ""
            if row.evidence_file:
                member = _member_name(row)
                with row.evidence_file.open("rb") as handle:
                    archive.writestr(member, handle.read())
            index.writerow(
                [
                    csv_cell(row.innovation.code if row.innovation is not None else "SPD"),
                    csv_cell(row.indicator),
                    csv_cell(member),
                    csv_cell(row.evidence_url),
                    csv_cell(row.document_number),
                    row.document_date.isoformat() if row.document_date else "",
                    csv_cell(str(row.get_verdict_display())),
                ]
            )
        archive.writestr("indeks-bukti.csv", "\ufeff" + table.getvalue())
    return out.getvalue()


def profile_context(innovation: Innovation, user: User | AnonymousUser | None) -> dict[str, Any]:
    period = catalogue.period(innovation.period)
    visible = {s.indicator: s for s in selectors.scores_of(user, innovation)}
    count = selectors.counted_replications(innovation)
    rows = []
    for indicator in period.sid:
        score = visible.get(indicator.code)
        points = indicator.score(score.level) if score is not None and score.counts_claimed else None
        rows.append((indicator, score, points))
    return {
        "innovation": innovation,
        "region": innovation.region,
        "period": period,
        "rows": rows,
        "replications": list(selectors.replications_of(user, innovation)),
        "replication_count": count,
        "replication_score": scoring.replication_score(period, count),
        "provenance": getattr(innovation, "replicated_from", None),
    }


def profile_pdf(innovation: Innovation, user: User | AnonymousUser | None) -> bytes:
    html = render_to_string("innovations/profile_pdf.html", profile_context(innovation, user))
    return html_to_pdf(html)
