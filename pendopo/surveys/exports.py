"""The report as a PDF (the structure agencies publish) and as an XLSX (figures and raw anonymous responses)."""

from __future__ import annotations

import io
from fractions import Fraction
from typing import IO, TYPE_CHECKING, Any, NoReturn

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
        return [
            unit.code,
            unit.name,
            0,
            *[""] * 9,
            "",
            "",
            "",
            "",
            unit.population,
            unit.sample,
            unit.short_of_sample,
            unit.population_source_label,
        ]
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
        unit.population_source_label,
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
    """The workbook of write_xlsx as bytes (small reports, tests)."""
    out = io.BytesIO()
    write_xlsx(report, raw, out)
    return out.getvalue()


def write_xlsx(report: Report, raw: QuerySet[SurveyResponse] | None, out: IO[bytes]) -> None:
    """Write the workbook to `out`: the figures of the unit and of the units it compares, the
    respondents' profile and, given `raw`, every raw anonymous response (streamed, see _raw_sheet)."""
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
        _("People served: source"),
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
        _raw_sheet(book, raw)
    book.save(out)


def raw_rows(raw: QuerySet[SurveyResponse]) -> QuerySet[Any]:
    """The columns of the raw sheet, as plain tuples in date order (no model instances)."""
    return raw.order_by("local_date", "pk").values_list(
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


def _raw_sheet(book: Any, raw: QuerySet[SurveyResponse]) -> None:
    """Every response of the unit and period, one row each, streamed: rows come from a database
    iterator in chunks and openpyxl's write-only sheet sends each to a temporary file at once, so
    memory stays flat however many there are. The time goes to openpyxl's writing of each cell
    (benchmarks/surveys_export.py), so empty answers are left as empty cells, not written."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    sheet = book.create_sheet(_("Responses"))

    def text(value: str | None) -> Any:
        """Text people typed (names, suggestions) as a text cell: never a formula, no control character."""
        if not value:
            return None
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if not value.startswith("="):
            return value
        # A fresh cell each time: openpyxl reuses a cell handed to it for the rest of the row.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell

    # Translated once, not once per row (100,000 rows would look each label up 500,000 times).
    sexes, ages, educations, occupations, channels = (
        {value: str(label) for value, label in choices.choices} for choices in (Sex, AgeBand, Education, Occupation, Channel)
    )
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
    rows = raw_rows(raw).iterator(chunk_size=EXPORT_CHUNK)
    for day, service, point, channel, *scores, sex, age, education, occupation, suggestion in rows:
        sheet.append(
            [
                day,
                text(service),
                text(point),
                channels.get(channel, channel),
                *scores,
                sexes.get(sex),
                ages.get(age),
                educations.get(education),
                occupations.get(occupation),
                text(suggestion),
            ]
        )
