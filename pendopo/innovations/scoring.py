"""A region's index for a period from the register: as claimed and as verified, per agency, what-if.

- **Claimed** (*klaim*): the agencies' own choices — every reported innovation (submitted or
  verified), every row with a level and evidence.
- **Verified** (*terverifikasi*): only rows the team accepted, of verified innovations that are
  eligible (reference §8: implemented — or last developed — inside the period's window, the
  design text long enough, every mandatory row filled).
- Row 31 (Replikasi) is never typed in: it is read from the replication records (the number of
  different regions whose published copy names the innovation), and those records are its evidence.

A constant number of queries whatever the number of innovations (innovations, rows, replications,
SPD rows, and the own-data rows 28, 29 and 34 of `own_data.py`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pendopo.innovations import catalogue, index, own_data
from pendopo.innovations.catalogue import SID, Period
from pendopo.innovations.models import BASIC_SERVICE_AFFAIRS, Affair, Innovation, Replication, Score, Stage, Status
from pendopo.innovations.selectors import reported, spd_scores
from pendopo.surveys.ikm import round_half_up

if TYPE_CHECKING:
    from pendopo.regions.models import Agency, Region

REPLICATION_ROW = "31"


@dataclass
class Entry:
    """One reported innovation's part in the index."""

    innovation: Innovation
    claimed: Decimal = Decimal(0)
    verified: Decimal = Decimal(0)
    replications: int = 0
    own: dict[str, own_data.OwnFigure] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    verified_problems: list[str] = field(default_factory=list)
    included: bool = True

    @property
    def counts_verified(self) -> bool:
        return self.innovation.status == Status.VERIFIED and not self.verified_problems


@dataclass
class AgencyRow:
    agency: Agency
    reported: int = 0
    verified: int = 0
    claimed_total: Decimal = Decimal(0)
    verified_total: Decimal = Decimal(0)
    claimed_points: Decimal = Decimal(0)
    verified_points: Decimal = Decimal(0)

    @property
    def difference(self) -> Decimal:
        return self.claimed_points - self.verified_points


@dataclass
class RegionIndex:
    period: Period
    claimed: index.Index
    verified: index.Index
    entries: list[Entry]
    agencies: list[AgencyRow]
    spd_claimed: Decimal
    spd_verified: Decimal
    missing_affairs_claimed: list[str]
    missing_affairs_verified: list[str]

    @property
    def difference(self) -> Decimal:
        return self.claimed.iid - self.verified.iid


def problems(
    innovation: Innovation, period: Period, rows: Iterable[Score], *, verified: bool, own: Collection[str] = ()
) -> list[str]:
    """Why an innovation does not count in the index (empty when it does), in the reader's language."""
    reasons = []
    if innovation.stage != Stage.IMPLEMENTATION:
        reasons.append(_("It is not at the implementation stage."))
    window = (period.eligible_from, period.eligible_to)
    in_window = any(
        day is not None and window[0] <= day <= window[1] for day in (innovation.implemented_on, innovation.developed_on)
    )
    if not in_window:
        reasons.append(
            _("Its implementation (or latest development) is not between %(start)s and %(end)s.")
            % {"start": date_format(window[0]), "end": date_format(window[1])}
        )
    words = innovation.design_words
    if words < period.design_words:
        reasons.append(
            _("The design text has %(words)s words; at least %(needed)s are needed.")
            % {"words": words, "needed": period.design_words}
        )
    filled = {row.indicator for row in rows if (row.counts_verified if verified else row.counts_claimed)} | set(own)
    missing = [row.code for row in period.sid if row.mandatory and row.code not in filled and row.code != REPLICATION_ROW]
    if missing:
        reasons.append(_("Mandatory rows not filled with evidence: %(rows)s.") % {"rows": ", ".join(missing)})
    return reasons


def _row_total(
    period: Period, rows: Iterable[Score], *, verified: bool, own: dict[str, own_data.OwnFigure] | None = None
) -> Decimal:
    """An innovation's SID rows; a row filled from Pendopo's own data replaces its hand entry."""
    own = own or {}
    total = sum((period.indicator(SID, code).score(figure.level) for code, figure in own.items()), Decimal(0))
    for row in rows:
        if row.indicator == REPLICATION_ROW or row.indicator in own:
            continue
        if row.counts_verified if verified else row.counts_claimed:
            total += period.indicator(row.aspect, row.indicator).score(row.level)
    return total


def replication_score(period: Period, count: int) -> Decimal:
    row = period.indicator(SID, REPLICATION_ROW)
    return row.score(row.level_for(count)) if count else Decimal(0)


def _affairs_missing(entries: Iterable[Entry]) -> list[str]:
    covered = {e.innovation.affair for e in entries}
    return [str(Affair(a).label) for a in sorted(BASIC_SERVICE_AFFAIRS) if a not in covered]


def region_index(region: Region, year: int, *, exclude: Collection[str] = ()) -> RegionIndex:
    """The region's claimed and verified index for `year`; `exclude` (innovation codes) for the what-if view."""
    period = catalogue.period(year)
    innovations = list(reported(region, year).select_related("agency").order_by("agency__name", "name"))
    rows: dict[int, list[Score]] = defaultdict(list)
    for score in Score.objects.filter(innovation__in=[i.pk for i in innovations], period=year, aspect=SID):
        rows[score.innovation_id].append(score)  # type: ignore[index]  # filtered on reported innovations: never None
    counts = dict(
        Replication.objects.filter(source__in=[i.pk for i in innovations], adopted__published_at__isnull=False)
        .exclude(region=region)
        .values_list("source")
        .annotate(regions=Count("region", distinct=True))
    )
    own_figures = own_data.figures(period, innovations)
    entries = []
    for innovation in innovations:
        entry = Entry(innovation, replications=counts.get(innovation.pk, 0), own=own_figures.get(innovation.pk, {}))
        replicated = replication_score(period, entry.replications)
        own = rows[innovation.pk]
        entry.claimed = _row_total(period, own, verified=False, own=entry.own) + replicated
        entry.verified = _row_total(period, own, verified=True, own=entry.own) + replicated
        entry.problems = problems(innovation, period, own, verified=False, own=entry.own)
        entry.verified_problems = problems(innovation, period, own, verified=True, own=entry.own)
        entry.included = innovation.code not in exclude
        entries.append(entry)

    spd_rows = list(spd_scores(region, year))
    spd_claimed = _spd_total(period, spd_rows, verified=False)
    spd_verified = _spd_total(period, spd_rows, verified=True)
    claimed_entries = [e for e in entries if e.included]
    verified_entries = [e for e in claimed_entries if e.counts_verified]

    def basic(chosen: list[Entry]) -> int:
        return len({e.innovation.affair for e in chosen} & BASIC_SERVICE_AFFAIRS)

    claimed = index.compute(period, spd_claimed, [e.claimed for e in claimed_entries], basic(claimed_entries))
    verified = index.compute(period, spd_verified, [e.verified for e in verified_entries], basic(verified_entries))
    return RegionIndex(
        period=period,
        claimed=claimed,
        verified=verified,
        entries=entries,
        agencies=_agencies(claimed_entries, claimed, verified),
        spd_claimed=spd_claimed,
        spd_verified=spd_verified,
        missing_affairs_claimed=_affairs_missing(claimed_entries),
        missing_affairs_verified=_affairs_missing(verified_entries),
    )


def _spd_total(period: Period, rows: Iterable[Score], *, verified: bool) -> Decimal:
    total = Decimal(0)
    for row in rows:
        if row.counts_verified if verified else row.counts_claimed:
            total += period.indicator(row.aspect, row.indicator).score(row.level)
    return total


def _points(result: index.Index, rows: Decimal) -> Decimal:
    """IID points that `rows` (an agency's SID row totals) bring into `result`."""
    return round_half_up(Fraction(rows) / result.divisor / Fraction(result.period.total_maximum) * 100, 2)


def _agencies(entries: list[Entry], claimed: index.Index, verified: index.Index) -> list[AgencyRow]:
    by_agency: dict[int, AgencyRow] = {}
    for entry in entries:
        agency = entry.innovation.agency
        row = by_agency.setdefault(agency.pk, AgencyRow(agency))
        row.reported += 1
        row.claimed_total += entry.claimed
        if entry.counts_verified:
            row.verified += 1
            row.verified_total += entry.verified
    for row in by_agency.values():
        row.claimed_points = _points(claimed, row.claimed_total)
        row.verified_points = _points(verified, row.verified_total)
    return sorted(by_agency.values(), key=lambda r: (-r.difference, r.agency.name))
