"""The weekly brief for the Monday coordination meeting: one page per region and week.

What the meeting asks of a region (reference, "the weekly brief"): the IPH and the commodities
that drive it, the commodities above their reference, the alerts and what was done, and the
main commodities over eight weeks. `build` gathers it in a fixed number of queries; `pdf` and
`docx` print it (the PDF from the same template and SVG charts as the page, the DOCX with the
same charts drawn as images, since Word documents carry no SVG); `produce` keeps both files and
mails the team once, as the worker does every Monday morning in the region's time zone.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pendopo.lib import dates
from pendopo.lib.pdf import html_to_pdf
from pendopo.prices import charts, dashboard, indicators, selectors
from pendopo.prices.models import Alert, Commodity, Intervention, WeeklyBrief
from pendopo.prices.templatetags.prices import fig, pct, rp
from pendopo.regions.models import Region

logger = logging.getLogger(__name__)

TOP = 5  # contributors listed
CHARTS = 3  # commodities charted over eight weeks
SEND_FROM_HOUR = 6  # local time on Monday


@dataclass
class Charted:
    commodity: Commodity
    chart: charts.Chart
    weekly: list[tuple[dt.date, Decimal | None]]  # the chart's data table: each week's mean


@dataclass
class Brief:
    region: Region
    week_start: dt.date
    week_end: dt.date
    board: dashboard.Dashboard
    contributors: list[dict[str, object]] = field(default_factory=list)
    above: list[dashboard.Row] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    interventions: list[Intervention] = field(default_factory=list)
    charted: list[Charted] = field(default_factory=list)

    @property
    def title(self) -> str:
        return _("Weekly price brief, %(region)s, %(first)s – %(last)s") % {
            "region": self.region.name,
            "first": date_format(self.week_start, "j M"),
            "last": date_format(self.week_end, "j M Y"),
        }


def last_week(today: dt.date) -> dt.date:
    """The Monday of the last whole week before `today` (on a Monday: the week that just ended)."""
    return indicators.week_start(today) - dt.timedelta(days=7)


def build(region: Region, week_start: dt.date) -> Brief:
    week_start = indicators.week_start(week_start)
    week_end = week_start + dt.timedelta(days=6)
    board = dashboard.build(region, week_end)
    brief = Brief(region=region, week_start=week_start, week_end=week_end, board=board)
    brief.contributors = board.contributions[:TOP]
    brief.above = sorted(
        (r for r in board.rows if r.deviation.status == indicators.Status.ABOVE),
        key=lambda r: -(r.deviation.percent or Decimal(0)),
    )
    brief.alerts = list(
        Alert.objects.filter(region=region, opened_on__lte=week_end)
        .filter(Q(ended_on__isnull=True, status=Alert.Status.OPEN) | Q(ended_on__gte=week_start) | Q(opened_on__gte=week_start))
        .select_related("commodity", "market")
        .order_by("opened_on", "pk")
    )
    brief.interventions = list(
        Intervention.objects.filter(region=region, date__range=(week_start, week_end))
        .select_related("commodity")
        .order_by("date", "pk")
    )
    if board.day is None:
        return brief
    chosen = [c["item"].commodity for c in brief.contributors][:CHARTS]  # type: ignore[attr-defined]  # contributors hold their item as object in a typed dict
    by_key = {str(row.commodity.pk): row for row in board.rows}
    first = week_end - dt.timedelta(days=dashboard.CHART_DAYS - 1)
    series = selectors.series(region, first, week_end)
    for key in chosen:
        row = by_key.get(key)
        if row is None:
            continue
        days = series.get(row.commodity.pk, {})
        chart = charts.line_chart(
            days,
            upper=row.reference.upper if row.reference else None,
            lower=row.reference.lower if row.reference else None,
            markers=[(i.date, str(i.get_kind_display())) for i in brief.interventions if i.commodity_id == row.commodity.pk],
        )
        if chart is None:
            continue
        mondays = [first + dt.timedelta(days=7 * n) for n in range(dashboard.CHART_DAYS // 7)]
        weekly = [(m, indicators.mean_between(days, m, m + dt.timedelta(days=6))) for m in mondays]
        brief.charted.append(Charted(row.commodity, chart, weekly))
    return brief


def context(brief: Brief) -> dict[str, Any]:
    return {"brief": brief, "region": brief.region, "board": brief.board}


def pdf(brief: Brief) -> bytes:
    html = render_to_string("prices/brief_pdf.html", context(brief))
    return html_to_pdf(html)


def docx(brief: Brief) -> bytes:
    from docx import Document
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    section.left_margin = section.right_margin = Cm(1.8)
    section.top_margin = section.bottom_margin = Cm(1.5)
    document.styles["Normal"].font.size = Pt(9)
    document.add_heading(brief.title, level=1)
    iph = brief.board.iph
    if brief.board.day is None or iph is None:
        document.add_paragraph(_("No approved prices yet."))
    else:
        document.add_paragraph(
            _("IPH %(month)s to date against %(prev)s (Pendopo's estimate, not BPS's figure): %(value)s")
            % {
                "month": date_format(iph.month, "F Y"),
                "prev": date_format(iph.previous_month, "F Y"),
                "value": pct(iph.value),
            }
        )
        document.add_heading(_("Top contributors"), level=2)
        _table(
            document,
            [_("Commodity"), _("Change"), _("Contribution")],
            [[str(c["name"]), pct(c["item"].change), fig(c["item"].andil)] for c in brief.contributors],  # type: ignore[attr-defined]  # contributors hold their item as object in a typed dict
        )
        document.add_heading(_("Above the reference"), level=2)
        if brief.above:
            _table(
                document,
                [_("Commodity"), _("Price"), _("Reference"), _("Deviation")],
                [
                    [str(r.commodity), rp(r.price), rp(r.reference.upper) if r.reference else "–", pct(r.deviation.percent)]
                    for r in brief.above
                ],
            )
        else:
            document.add_paragraph(_("No commodity above its reference."))
    document.add_heading(_("Alerts and actions"), level=2)
    lines = [_alert_line(a) for a in brief.alerts] + [_intervention_line(i) for i in brief.interventions]
    for line in lines or [_("No alerts and no interventions this week.")]:
        document.add_paragraph(line, style="List Bullet" if lines else None)
    if brief.charted:
        document.add_heading(_("The last eight weeks"), level=2)
        for item in brief.charted:
            document.add_paragraph(str(item.commodity))
            document.add_picture(io.BytesIO(charts.png(item.chart)), width=Cm(14))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document: Any, header: list[str], body: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for values in body:
        for cell, text in zip(table.add_row().cells, values, strict=True):
            cell.text = text


def _alert_line(alert: Alert) -> str:
    from pendopo.prices.alerts import describe

    line = f"{date_format(alert.opened_on, 'j M')}: {describe(alert)}"
    if alert.action_taken:
        line += " " + _("Action: %(action)s") % {"action": alert.action_taken}
    return line


def _intervention_line(item: Intervention) -> str:
    text = f"{date_format(item.date, 'j M')}: {item.get_kind_display()}, {item.commodity}"
    if item.place:
        text += f", {item.place}"
    if item.quantity:
        text += f" ({item.quantity})"
    return text


def _summary(brief: Brief) -> str:
    lines = [brief.title, ""]
    iph = brief.board.iph
    if iph is not None and brief.board.day is not None:
        lines.append(_("IPH month to date: %(value)s") % {"value": pct(iph.value)})
        lines.extend(f"- {c['name']}: {fig(c['item'].andil)}" for c in brief.contributors[:3])  # type: ignore[attr-defined]  # contributors hold their item as object in a typed dict
    lines.append(
        _("%(count)s commodity(ies) above the reference, %(alerts)s alert(s).")
        % {"count": len(brief.above), "alerts": len(brief.alerts)}
    )
    return "\n".join(lines)


def produce(region: Region, week_start: dt.date) -> WeeklyBrief | None:
    """Render the week's brief once, keep it, and mail the team a link (once per address). None if it exists."""
    if WeeklyBrief.objects.filter(region=region, week_start=week_start).exists():
        return None
    from pendopo.notifications.outbox import schedule

    with translation.override("id"):
        brief = build(region, week_start)
        pdf_bytes, docx_bytes = pdf(brief), docx(brief)
        name = f"{region.slug}-{week_start:%Y-%m-%d}"
        kept = WeeklyBrief(region=region, week_start=week_start, iph=brief.board.iph.value if brief.board.iph else None)
        kept.pdf.save(f"{name}.pdf", ContentFile(pdf_bytes), save=False)
        kept.docx.save(f"{name}.docx", ContentFile(docx_bytes), save=False)
        try:
            with transaction.atomic():
                kept.save()
                link = (
                    settings.PENDOPO_BASE_URL.rstrip("/")
                    + reverse("prices:brief", args=[region.slug])
                    + f"?minggu={week_start:%Y-%m-%d}"
                )
                body = _summary(brief) + "\n\n" + _("The brief (PDF and DOCX): %(link)s") % {"link": link}
                for email in selectors.team_emails(region):
                    schedule(
                        event_key=f"prices:brief:{region.pk}:{week_start:%Y-%m-%d}:email:{email}"[:200],
                        channel="email",
                        to=email,
                        subject=brief.title,
                        body_text=body,
                        language="id",
                        region=region,
                    )
        except IntegrityError:
            # Another worker produced it first: keep theirs, drop our files.
            kept.pdf.delete(save=False)
            kept.docx.delete(save=False)
            return None
    logger.info("Weekly price brief of region %s for %s produced.", region.pk, week_start)
    return kept


def due(region: Region) -> dt.date | None:
    """The week whose brief is due now: the week that ended, from Monday SEND_FROM_HOUR local time on (a
    worker that was down on Monday catches up later in the week); None early on Monday."""
    local = dates.local_now(region.time_zone)
    if local.weekday() == 0 and local.hour < SEND_FROM_HOUR:
        return None
    return last_week(local.date())
