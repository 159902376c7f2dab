"""Each indicator's target, realisation and achievement for one quarter, in a fixed number of queries.

Entered realisations come from `Realisation`; computed ones from `live`, each source's metric
asked once for all agencies (never once per indicator). An indicator is *at risk* when its
achievement is below `PENDOPO_SAKIP_AT_RISK_BELOW` (default 90.00) or no realisation is there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.conf import settings

from pendopo.complaints import stats as complaint_stats
from pendopo.performance import achievement as capaian
from pendopo.performance.live import LiveFigure, period_of
from pendopo.performance.models import Indicator, Realisation, Source, Target
from pendopo.regions.models import Region
from pendopo.surveys import indices
from pendopo.surveys.models import SurveyResponse
from pendopo.workflow import metrics
from pendopo.workflow.models import Case, CaseKind

DEFAULT_AT_RISK_BELOW = Decimal(90)


def at_risk_below() -> Decimal:
    return Decimal(str(getattr(settings, "PENDOPO_SAKIP_AT_RISK_BELOW", DEFAULT_AT_RISK_BELOW)))


@dataclass
class Row:
    indicator: Indicator
    target: Target | None
    realisation: Realisation | None
    live: LiveFigure | None
    result: capaian.Achievement | None

    @property
    def value(self) -> Fraction | Decimal | bool | None:
        if self.live is not None:
            return self.live.value
        if self.realisation is None:
            return None
        return self.realisation.achieved if self.indicator.polarity == capaian.Polarity.YES_NO else self.realisation.value

    @property
    def shown_value(self) -> str:
        value = self.value
        if value is None:
            return ""
        if isinstance(value, bool):
            return "✓" if value else "✗"
        return f"{capaian.round_half_up(value, 2):.2f}"

    @property
    def rounded(self) -> Decimal | None:
        """The figure rounded half up to 2 decimals, for the pages to localise (none for yes/no)."""
        value = self.value
        if value is None or isinstance(value, bool):
            return None
        return capaian.round_half_up(value, 2)

    @property
    def achievement(self) -> Decimal | None:
        return self.result.shown if self.result is not None else None

    @property
    def band(self) -> tuple[str, str] | None:
        return capaian.band_of(self.result) if self.result is not None else None

    @property
    def missing(self) -> bool:
        return self.value is None

    @property
    def at_risk(self) -> bool:
        if self.missing:
            return True
        shown = self.achievement
        return shown is not None and shown < at_risk_below()


def _achievement(
    indicator: Indicator, target: Target | None, value: Fraction | Decimal | bool | None
) -> capaian.Achievement | None:
    if value is None:
        return None
    if indicator.polarity == capaian.Polarity.YES_NO:
        return capaian.achievement(capaian.Polarity.YES_NO, None, bool(value))
    if target is None or target.value is None:
        return None
    try:
        return capaian.achievement(
            indicator.polarity, target.value, value, target_high=target.value_high, range_polarity=indicator.range_polarity
        )
    except capaian.AchievementError:
        return None


class QuarterSources:
    """Each live source's metric for one region and quarter, asked once and kept (the owners' definitions).

    A dashboard that shows the same metrics beside the indicators passes its instance to
    `quarter_rows`, so the page asks each metric once for both.
    """

    def __init__(self, region: Region, year: int, quarter: int) -> None:
        self.region, self.period = region, period_of(year, quarter)
        self.start, self.end = self.period.bounds(region.time_zone)
        self._cache: dict[str, Any] = {}

    def _once(self, key: str, compute: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def applications(self) -> dict[Any, metrics.CaseMetrics]:
        cases = Case.objects.filter(region=self.region, kind=CaseKind.APPLICATION)
        return self._once(
            "applications",
            lambda: metrics.metrics_by(cases, "agency_id", start=self.start, end=self.end, processing=False, backlog=False),
        )

    def ikm_units(self) -> list[Any]:
        responses = SurveyResponse.objects.filter(region=self.region)
        return self._once("ikm", lambda: indices.by_unit(responses, indices.Level.AGENCY, self.period))

    def complaints(self) -> list[complaint_stats.AgencyStats]:
        return self._once(
            "complaints",
            lambda: complaint_stats.agency_stats(
                self.region, complaint_stats.counted(), start=self.start, end=self.end, median=False
            ),
        )


def live_figures(
    region: Region, items: Sequence[Indicator], year: int, quarter: int, *, sources: QuarterSources | None = None
) -> dict[int, LiveFigure]:
    """The live figure of every computed indicator in `items`: each source's metric asked once."""
    known = sources or QuarterSources(region, year, quarter)
    wanted = {Source(item.source) for item in items if item.is_computed}
    by_agency: dict[Source, dict[int | None, LiveFigure]] = {}
    if Source.ON_TIME in wanted:
        grouped = known.applications()
        figures: dict[int | None, LiveFigure] = {}
        for key, m in grouped.items():
            denominator = m.completed + m.open_overdue
            figures[key] = LiveFigure(Fraction(m.completed_on_time, denominator) * 100 if denominator else None, denominator)
        done = sum(m.completed_on_time for m in grouped.values())
        denominator = sum(m.completed + m.open_overdue for m in grouped.values())
        figures[None] = LiveFigure(Fraction(done, denominator) * 100 if denominator else None, denominator)
        by_agency[Source.ON_TIME] = figures
    if Source.IKM in wanted:
        units = known.ikm_units()
        figures = {unit.pk: LiveFigure(unit.index.converted if unit.index else None, unit.respondents) for unit in units}
        whole = indices.combine(units)
        figures[None] = LiveFigure(whole.converted if whole else None, whole.respondents if whole else 0)
        by_agency[Source.IKM] = figures
    if Source.COMPLAINTS_ON_TIME in wanted:
        rows = known.complaints()
        figures = {
            row.agency.pk if row.agency else -1: LiveFigure(
                Fraction(row.answered_on_time, row.answered) * 100 if row.answered else None, row.answered
            )
            for row in rows
        }
        answered, on_time = sum(r.answered for r in rows), sum(r.answered_on_time for r in rows)
        figures[None] = LiveFigure(Fraction(on_time, answered) * 100 if answered else None, answered)
        by_agency[Source.COMPLAINTS_ON_TIME] = figures
    return {
        item.pk: by_agency[Source(item.source)].get(item.agency_id, LiveFigure(None, 0)) for item in items if item.is_computed
    }


_EVERY_FIGURE: Any = object()


def quarter_rows(
    region: Region,
    items: Sequence[Indicator],
    year: int,
    quarter: int,
    *,
    user: Any = _EVERY_FIGURE,
    sources: QuarterSources | None = None,
) -> list[Row]:
    """One row per indicator (in the order given): three queries plus one metric per live source.

    With `user`, only the realisations that user may read count (the public: verified ones);
    without it every entered figure does (jobs, the demo's checks).
    """
    from pendopo.performance.selectors import readable

    items = list(items)
    pks = [item.pk for item in items]
    targets = {t.indicator_id: t for t in Target.objects.filter(indicator_id__in=pks, year=year, quarter=quarter)}
    entered = Realisation.objects.filter(indicator_id__in=pks, year=year, quarter=quarter)
    if user is not _EVERY_FIGURE:
        entered = readable(user, entered)
    realisations = {r.indicator_id: r for r in entered}
    live = live_figures(region, items, year, quarter, sources=sources) if any(item.is_computed for item in items) else {}
    rows = []
    for item in items:
        realisation = None if item.is_computed else realisations.get(item.pk)
        row = Row(item, targets.get(item.pk), realisation, live.get(item.pk), None)
        row.result = _achievement(item, row.target, row.value)
        rows.append(row)
    return rows
