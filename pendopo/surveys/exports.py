"""The report as a PDF (the structure agencies publish) and as an XLSX (figures and raw anonymous responses)."""

from __future__ import annotations

import io
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NoReturn

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pendopo.surveys import ikm
from pendopo.surveys.choices import ELEMENT_TABLE, GRADE_LABELS, AgeBand, Channel, Education, Occupation, Sex
from pendopo.surveys.indices import UnitIndex

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from pendopo.surveys.models import SurveyResponse
    from pendopo.surveys.reports import Report

# Rows written per chunk when streaming raw responses out of the database.
EXPORT_CHUNK = 5_000


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    # The document is self-contained; WeasyPrint must never reach out to the network or the disk.
    raise ValueError(f"refusing to fetch {url}")


def render_pdf(request: HttpRequest | None, report: Report, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML

    html = render_to_string("surveys/report_pdf.html", {**context, "report": report}, request=request)
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()


class _Sheet:
    """A write-only sheet whose text cells are always stored as text, never as formulas.

    openpyxl stores a string starting with "=" as a formula; a suggestion typed by anyone must
    never become one, so such cells are written with the string type set explicitly.
    """

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet

    def append(self, values: list[Any]) -> None:
        from openpyxl.cell import WriteOnlyCell

        cells = []
        for value in values:
            if isinstance(value, str) and value.startswith("="):
                cell = WriteOnlyCell(self.sheet, value=value)
                cell.data_type = "s"
                cells.append(cell)
            else:
                cells.append(value)
        self.sheet.append(cells)


def _unit_row(unit: UnitIndex) -> list[Any]:
    figures = unit.figures
    if figures is None:
        return [unit.code, unit.name, 0, *[""] * 9, "", "", "", "", unit.population, unit.sample, unit.short_of_sample]
    return [
        unit.code,
        unit.name,
        figures["respondents"],
        *[float(figures["nrr"][element.code]) for element in ELEMENT_TABLE],
        float(figures["ikm"]),
        float(figures["converted"]),
        figures["grade"],
        str(GRADE_LABELS[figures["grade"]]),
        unit.population,
        unit.sample,
        unit.short_of_sample,
    ]


PROFILE_TITLES = {
    "sex": gettext_lazy("Sex"),
    "age": gettext_lazy("Age"),
    "education": gettext_lazy("Education"),
    "occupation": gettext_lazy("Occupation"),
}


def _profile_sheet(book: Any, report: Report) -> None:
    """The respondents' profile, as the report shows it: each answer's count and share."""
    sheet = _Sheet(book.create_sheet(_("Respondents")))
    sheet.append([_("Respondents' profile"), report.unit.name, report.period.label])
    total = report.summary.respondents
    sheet.append([_("Respondents"), total])
    for name, rows in report.profile.items():
        sheet.append([])
        sheet.append([str(PROFILE_TITLES[name]), _("Respondents"), _("Share (%)")])
        for row in rows:
            sheet.append([row.label, row.count, float(ikm.round_half_up(Fraction(row.count, total) * 100)) if total else 0.0])


def render_xlsx(report: Report, raw: QuerySet[SurveyResponse] | None) -> bytes:
    """Sheet 1: the figures of the unit and of the units it compares; sheet 2: the raw anonymous responses."""
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    figures = _Sheet(book.create_sheet(_("Index")))
    figures.append([_("Community satisfaction index (SKM), PermenPANRB 14/2017")])
    figures.append([_("Unit"), report.unit.name])
    figures.append([_("Period"), report.period.label])
    figures.append([])
    header = [
        _("Code"),
        _("Unit"),
        _("Respondents"),
        *[element.code for element in ELEMENT_TABLE],
        _("IKM (1–4)"),
        _("Converted IKM (25–100)"),
        _("Grade"),
        _("Performance"),
        _("People served"),
        _("Minimum sample"),
        _("Responses short"),
    ]
    figures.append(header)
    figures.append(_unit_row(report.summary))
    figures.append([])
    figures.append([_("By unit")])
    figures.append(header)
    for unit in report.comparison:
        figures.append(_unit_row(unit))
    figures.append([])
    figures.append([_("NRR are rounded half up to 2 decimals for display; the index is computed with the exact weight 1/9.")])
    if report.index is not None:
        figures.append([_("Exact IKM"), str(report.index.ikm), _("Exact converted IKM"), str(report.index.converted)])
        figures.append([_("Converted IKM, 4 decimals"), str(ikm.round_half_up(report.index.converted, 4))])

    _profile_sheet(book, report)

    if raw is not None:
        sheet = _Sheet(book.create_sheet(_("Responses")))
        # Translated once, not once per row (100,000 rows would look each label up 500,000 times).
        labels = {
            name: {value: str(label) for value, label in choices.choices}
            for name, choices in (
                ("sex", Sex),
                ("age", AgeBand),
                ("education", Education),
                ("occupation", Occupation),
                ("channel", Channel),
            )
        }
        sheet.append(
            [
                _("Date"),
                _("Service"),
                _("Service point"),
                _("Channel"),
                *[element.code for element in ELEMENT_TABLE],
                _("Sex"),
                _("Age"),
                _("Education"),
                _("Occupation"),
                _("Suggestion"),
            ]
        )
        rows = raw.order_by("local_date", "pk").values_list(
            "local_date",
            "service__name",
            "service_point__name",
            "channel",
            *[element.field for element in ELEMENT_TABLE],
            "sex",
            "age",
            "education",
            "occupation",
            "suggestion",
        )
        for row in rows.iterator(chunk_size=EXPORT_CHUNK):
            day, service, point, channel, *rest = row
            scores, (sex, age, education, occupation, suggestion) = rest[:9], rest[9:]
            sheet.append(
                [
                    day,
                    service,
                    point or "",
                    labels["channel"].get(channel, channel),
                    *scores,
                    labels["sex"].get(sex, ""),
                    labels["age"].get(age, ""),
                    labels["education"].get(education, ""),
                    labels["occupation"].get(occupation, ""),
                    suggestion,
                ]
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
