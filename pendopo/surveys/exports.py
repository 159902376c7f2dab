"""The report as a PDF (the structure agencies publish) and as an XLSX (figures and raw anonymous
responses); the raw anonymous responses alone as a CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from fractions import Fraction
from typing import IO, TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from pendopo.lib.pdf import html_to_pdf
from pendopo.lib.text import csv_cell, sheet_text
from pendopo.surveys import ikm
from pendopo.surveys.choices import ELEMENT_TABLE, GRADE_LABELS, AgeBand, Channel, Education, Occupation, Sex
from pendopo.surveys.indices import UnitIndex

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from pendopo.surveys.models import SurveyResponse
    from pendopo.surveys.reports import Report

# Rows fetched per chunk when streaming raw responses out of the database.
EXPORT_CHUNK = 5_000
# Rows of the CSV sent to the browser at a time (about 60 kB).
CSV_BLOCK = 1_000
CSV_DELIMITER = ";"
# Rows of one worksheet, header included (Excel's limit).
SHEET_ROWS = 1_048_576
# Day 0 of Excel's serial dates (right for every date from 1 March 1900 on).
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Strings stay strings: XlsxWriter turns none into a formula, a link or a number, whatever it looks like.
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


def render_pdf(request: HttpRequest | None, report: Report, context: dict[str, Any]) -> bytes:
    html = render_to_string("surveys/report_pdf.html", {**context, "report": report}, request=request)
    return html_to_pdf(html)


class _Sheet:
    """A sheet written row after row (XlsxWriter's constant_memory mode keeps only the current row).

    Every text goes in with write_string, so text that looks like a formula (=, +, -, @) is stored
    as text: a suggestion typed by anyone must never become a formula. XlsxWriter's own
    conversions of strings (to formulas, URLs, numbers) are off for the workbook too (WORKBOOK_OPTIONS).
    """

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self.row = 0

    def append(self, values: list[Any]) -> None:
        for column, value in enumerate(values):
            if isinstance(value, str):
                if value:
                    self.sheet.write_string(self.row, column, sheet_text(value))
            elif isinstance(value, bool):  # before int: a bool is an int
                self.sheet.write_boolean(self.row, column, value)
            elif isinstance(value, int | float):
                self.sheet.write_number(self.row, column, value)
            elif value is not None:
                self.sheet.write_string(self.row, column, sheet_text(str(value)))
        self.row += 1


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
    sheet = _Sheet(book.add_worksheet(_("Respondents")))
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
    import xlsxwriter

    book = xlsxwriter.Workbook(out, WORKBOOK_OPTIONS)
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    figures = _Sheet(book.add_worksheet(_("Index")))
    figures.append([_("Community satisfaction index (SKM), PermenPANRB 14/2017")])
    figures.append([pgettext("service unit", "Unit"), report.unit.name])
    figures.append([_("Period"), report.period.label])
    figures.append([])
    header = [
        _("Code"),
        pgettext("service unit", "Unit"),
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
        _raw_sheet(book, raw, date_format)
    book.close()


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


def raw_header() -> list[str]:
    """The column titles of the raw responses, in the order of raw_rows (XLSX sheet and CSV alike)."""
    return [
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


def _labels() -> tuple[dict[str, str], ...]:
    """The channel and profile answers' labels in the active language: looked up once per export, not once
    per row (100,000 rows would look each label up 500,000 times)."""
    return tuple(
        {value: str(label) for value, label in choices.choices} for choices in (Channel, Sex, AgeBand, Education, Occupation)
    )


def _raw_sheet(book: Any, raw: QuerySet[SurveyResponse], date_format: Any) -> None:
    """Every response of the unit and period, one row each, streamed: rows come from a database
    iterator in chunks and XlsxWriter's constant_memory mode sends each row to a temporary file
    as the next one starts, so memory stays flat however many there are. Empty answers are left
    as empty cells. A sheet holds at most SHEET_ROWS rows (Excel's limit): past them the responses
    go on in a sheet *Responses (2)* under the same header, and so on, so none is ever left out."""
    channels, sexes, ages, educations, occupations = _labels()
    header = raw_header()
    title = _("Responses")
    profile = 4 + len(ELEMENT_TABLE)  # the first column after U1..U9
    # Excel's serial day numbers of the dates (a year has at most 366), and the services' and
    # points' names cleaned once each.
    serials: dict[dt.date, int] = {}
    names: dict[str, str] = {}

    def start(part: int) -> Any:
        sheet = book.add_worksheet(title if part == 1 else f"{title} ({part})")
        for column, text in enumerate(header):
            sheet.write_string(0, column, text)
        return sheet

    sheet, part, row = start(1), 1, 1
    for day, service, point, channel, *scores, sex, age, education, occupation, suggestion in raw_rows(raw).iterator(
        chunk_size=EXPORT_CHUNK
    ):
        if row == SHEET_ROWS:
            part += 1
            sheet, row = start(part), 1
        serial = serials.get(day)
        if serial is None:
            serial = serials[day] = (day - EXCEL_EPOCH).days
        # Typed write_* calls only (write() would guess each type) and none for an empty cell:
        # this loop is the export's whole cost (benchmarks/surveys_export.py).
        sheet.write_number(row, 0, serial, date_format)
        for column, value in ((1, service), (2, point)):
            if value:
                cleaned = names.get(value)
                if cleaned is None:
                    cleaned = names[value] = sheet_text(value)
                sheet.write_string(row, column, cleaned)
        sheet.write_string(row, 3, channels.get(channel, channel))
        for column, score in enumerate(scores, 4):
            sheet.write_number(row, column, score)
        for column, label in enumerate(
            (sexes.get(sex), ages.get(age), educations.get(education), occupations.get(occupation)), profile
        ):
            if label:
                sheet.write_string(row, column, label)
        if suggestion and (cleaned := sheet_text(suggestion)):
            sheet.write_string(row, profile + 4, cleaned)
        row += 1


def write_csv(raw: QuerySet[SurveyResponse]) -> Iterator[bytes]:
    """The raw responses as CSV for Excel in an Indonesian locale, in blocks of CSV_BLOCK rows, for a
    StreamingHttpResponse: read through the same iterator as the raw sheet and sent as they are read.

    UTF-8 with a byte order mark (without it Excel reads UTF-8 as the Windows code page and garbles
    anything beyond ASCII), `;` between fields (Excel takes the list separator of Windows' regional
    settings, which is `;` wherever the decimal separator is a comma, as in Indonesian), dates as
    YYYY-MM-DD. The same columns, labels and cleaning as the raw sheet; a text cell that Excel would
    run as a formula (it starts with = + - @, a tab or a carriage return) gets a leading `'`, as
    OWASP recommends against CSV injection.

    The header and the labels are taken here, in the request's language: the blocks are made
    after the view has returned.
    """
    header = raw_header()
    channels, sexes, ages, educations, occupations = _labels()
    rows = raw_rows(raw).iterator(chunk_size=EXPORT_CHUNK)
    names: dict[str, str] = {}

    def text(value: str | None) -> str:
        if not value:
            return ""
        return csv_cell(value)

    def name(value: str | None) -> str:
        if value is None:
            return ""
        cleaned = names.get(value)
        if cleaned is None:
            cleaned = names[value] = text(value)
        return cleaned

    def blocks() -> Iterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=CSV_DELIMITER)
        buffer.write("\ufeff")
        writer.writerow(header)
        for count, (day, service, point, channel, *scores, sex, age, education, occupation, suggestion) in enumerate(rows, 1):
            writer.writerow(
                (
                    day.isoformat(),
                    name(service),
                    name(point),
                    channels.get(channel, channel),
                    *scores,
                    sexes.get(sex),
                    ages.get(age),
                    educations.get(education),
                    occupations.get(occupation),
                    text(suggestion),
                )
            )
            if count % CSV_BLOCK == 0:
                yield buffer.getvalue().encode()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue().encode()

    return blocks()
