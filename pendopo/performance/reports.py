"""Reports offices file: the performance agreement (PK) and the yearly performance report (LKjIP),
as PDF (WeasyPrint, the page's own SVG charts) and as an editable DOCX (python-docx); the LKjIP
table also as XLSX.

The year's figure of an indicator is its realisation of the last quarter entered (quarter 4 when
there is one: quarterly realisations of an LKjIP are cumulative) against the yearly target,
with that quarter's explanation.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from pendopo.lib.pdf import html_to_pdf
from pendopo.performance import progress, scoring, svg
from pendopo.performance.models import Agreement, Criterion, EvaluationRound, Indicator
from pendopo.performance.selectors import readable

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from pendopo.regions.models import Agency, Region, User


@dataclass
class ReportLine:
    indicator: Indicator
    year_row: progress.Row  # yearly target, with the last quarter's realisation
    quarters: list[progress.Row]

    @property
    def explanation(self) -> str:
        for row in reversed(self.quarters):
            if row.realisation is not None and row.realisation.explanation:
                return row.realisation.explanation
        return ""


def lkjip(user: User | AnonymousUser | None, region: Region, agency: Agency | None, year: int) -> dict[str, Any]:
    """The LKjIP of an agency (or of the region's own indicators when `agency` is None) for a year."""
    items = list(
        readable(
            user, Indicator.objects.filter(region=region, agency=agency, period__start_year__lte=year, period__end_year__gte=year)
        )
        .select_related("region", "agency")
        .order_by("order", "code")
    )
    by_quarter = [progress.quarter_rows(region, items, year, quarter, user=user) for quarter in range(1, 5)]
    yearly = progress.quarter_rows(region, items, year, 0, user=user)
    lines = []
    for position, item in enumerate(items):
        quarters = [rows[position] for rows in by_quarter]
        last = next((row for row in reversed(quarters) if not row.missing), None)
        year_row = yearly[position]
        year_row.realisation = last.realisation if last else None
        year_row.live = last.live if last else year_row.live
        year_row.result = progress._achievement(item, year_row.target, year_row.value)
        lines.append(ReportLine(item, year_row, quarters))
    chart = svg.bar_chart(
        _("Achievement per indicator (%)"),
        [line.indicator.code for line in lines],
        [svg.Series(_("achievement"), [line.year_row.achievement for line in lines])],
    )
    return {"region": region, "agency": agency, "year": year, "lines": lines, "chart": chart}


def agreement(user: User | AnonymousUser | None, region: Region, agency: Agency, year: int) -> dict[str, Any] | None:
    found = readable(user, Agreement.objects.filter(region=region, agency=agency, year=year)).first()
    if found is None:
        return None
    items = list(readable(user, found.indicators.all()).select_related("region", "agency").order_by("order", "code"))
    rows = progress.quarter_rows(region, items, year, 0, user=user)
    return {"region": region, "agency": agency, "year": year, "agreement": found, "rows": rows}


@dataclass
class EvaluationLine:
    code: str
    name: str
    weight: str
    self_score: str
    evaluator_score: str
    gap: str
    is_component: bool = False


def evaluation(user: User | AnonymousUser | None, region: Region, round_: EvaluationRound) -> dict[str, Any]:
    """The evaluation report (LHE) of a round: both values' scores per sub-component and component, the
    totals and grades, the gap, unanswered criteria, the consistency checks, every criterion with its
    notes, the recommendations ("Agar …"), and the year's achievement of the region's own indicators."""
    from pendopo.performance import lke

    score = lke.round_score(round_)
    figures = score.display()
    results = score.results
    lines: list[EvaluationLine] = []
    by_component: dict[str, list[lke.SubScore]] = {}
    for sub in score.subs:
        by_component.setdefault(sub.component_code, []).append(sub)
    for code, subs in by_component.items():
        own = sum((s.line("self_value").score for s in subs), Fraction(0))
        theirs = sum((s.line("evaluator_value").score for s in subs), Fraction(0))
        lines.append(
            EvaluationLine(
                code, subs[0].component_name, scoring.fmt(sum((s.weight for s in subs), Fraction(0))),
                scoring.fmt(own), scoring.fmt(theirs), scoring.fmt(theirs - own), is_component=True,
            )
        )  # fmt: skip
        lines.extend(
            EvaluationLine(
                sub.code, sub.name, scoring.fmt(sub.weight), scoring.fmt(sub.line("self_value").score),
                scoring.fmt(sub.line("evaluator_value").score), scoring.fmt(sub.gap),
            )
            for sub in subs
        )  # fmt: skip
    components = [line for line in lines if line.is_component]
    chart = svg.bar_chart(
        _("Component scores: self-assessment and evaluator"),
        [line.code for line in components],
        [
            svg.Series(_("self-assessment"), [float(line.self_score) for line in components]),
            svg.Series(_("evaluator"), [float(line.evaluator_score) for line in components]),
        ],
    )
    criteria = list(
        Criterion.objects.filter(subcomponent__component__round=round_, is_active=True)
        .select_related("subcomponent")
        .order_by("code")
    )
    achievement = lkjip(user, region, None, round_.year)["lines"]
    return {
        "region": region,
        "round": round_,
        "year": round_.year,
        "score": score,
        "figures": figures,
        "lines": lines,
        "chart": chart,
        "criteria": criteria,
        "achievement": achievement,
        "self_result": results["self_value"],
        "evaluator_result": results["evaluator_value"],
    }


def pdf(template: str, context: dict[str, Any]) -> bytes:
    return html_to_pdf(render_to_string(template, context))


def _number(value: Decimal) -> str:
    """A figure to 2 decimals in the active language's notation ("87,50" in Indonesian), as the PDF prints it."""
    return number_format(value, 2)


def _target(row: progress.Row) -> str:
    if row.target is None or row.target.value is None:
        return ""
    text = _number(row.target.value)
    return text + (f" – {_number(row.target.value_high)}" if row.target.value_high is not None else "")


def _realisation(row: progress.Row) -> str:
    return _number(row.rounded) if row.rounded is not None else row.shown_value


def _achievement(row: progress.Row) -> str:
    return _number(row.achievement) if row.achievement is not None else ("" if row.missing else _("not computable"))


def _table(document: Any, header: list[str], body: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for values in body:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = text


def _unit_name(context: dict[str, Any]) -> str:
    return context["agency"].name if context["agency"] else context["region"].name


def lkjip_docx(context: dict[str, Any]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(_("Performance report (LKjIP) %(year)s") % {"year": context["year"]}, level=1)
    document.add_paragraph(_unit_name(context))
    _table(
        document,
        [_("Indicator"), _("Unit"), _("Target"), _("Realisation"), _("Achievement (%)"), _("Explanation")],
        [
            [
                f"{line.indicator.code} {line.indicator.name}",
                line.indicator.unit,
                _target(line.year_row),
                _realisation(line.year_row),
                _achievement(line.year_row),
                line.explanation,
            ]
            for line in context["lines"]
        ],
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def agreement_docx(context: dict[str, Any]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(_("Performance agreement (PK) %(year)s") % {"year": context["year"]}, level=1)
    document.add_paragraph(context["agency"].name)
    if context["agreement"].head_name:
        document.add_paragraph(_("Agency head: %(name)s") % {"name": context["agreement"].head_name})
    _table(
        document,
        [_("Indicator"), _("Unit"), _("Target")],
        [[f"{row.indicator.code} {row.indicator.name}", row.indicator.unit, _target(row)] for row in context["rows"]],
    )
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def lkjip_xlsx(context: dict[str, Any]) -> bytes:
    """The LKjIP table with its figures as numbers (2 decimals shown), so a sheet can sum and chart them.

    A yes/no realisation stays ✓/✗, a target range its text, an achievement that cannot be computed its reason.
    """
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "LKjIP"
    sheet.append(
        [_("Indicator"), _("Name"), _("Unit"), _("Target"), "TW1", "TW2", "TW3", "TW4", _("Achievement (%)"), _("Explanation")]
    )
    for line in context["lines"]:
        year = line.year_row
        target = year.target.value if year.target and year.target.value_high is None else _target(year) or None
        sheet.append(
            [
                line.indicator.code,
                line.indicator.name,
                line.indicator.unit,
                target,
                *[row.rounded if row.rounded is not None else row.shown_value or None for row in line.quarters],
                year.achievement if year.achievement is not None else _achievement(year) or None,
                line.explanation,
            ]
        )
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, Decimal):
                cell.number_format = "0.00"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
