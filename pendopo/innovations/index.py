"""The regional innovation index (Indeks Inovasi Daerah, IID), computed exactly (framework-free).

Rules (/work/shared/reference/innovation.md §3, §4, §11; docs/innovations.md):

    SPD = Σ SPD row scores                                   (the region)
    SID = Σ_j Σ SID row scores of innovation j / MAX(k, n) + Skor Jumlah Inovasi
    Skor Jumlah Inovasi = MIN(n, cap) × factor   if the innovations cover the period's required
                          number of the six basic-service affairs, otherwise 0
    IID = (SPD + SID) / Skor Total Maksimum × 100, rounded half up to 2 decimals

k (the minimum divisor), the coverage rule, cap, factor and the bands are the period's data
(`catalogue.py`). Everything is exact (`Fraction`) until it is shown; figures are given as
`Decimal` rounded half up to 2 decimals, and the category is read from the rounded IID (the
published figure: the 2023 table's 0.01 gaps between bands close only for rounded values).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.utils.translation import gettext as _

from pendopo.innovations.catalogue import CatalogueError, Period
from pendopo.surveys.ikm import round_half_up

BASIC_SERVICE_AFFAIRS = 6


class IndexInputError(CatalogueError):
    """Figures that cannot make an index (a negative score, more than the maximum, …)."""


def number(value: str | int | Decimal | Fraction, what: str) -> Fraction:
    """A figure typed by a person ("47,5" or "47.5") as an exact fraction, or a clear error."""
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise IndexInputError(_("%(what)s: %(value)r is not a number.") % {"what": what, "value": value}, "number") from None
    try:
        result = Fraction(value)
    except (ValueError, TypeError, OverflowError):
        raise IndexInputError(_("%(what)s: %(value)r is not a number.") % {"what": what, "value": value}, "number") from None
    return result


def _within(value: Fraction, maximum: Decimal, what: str) -> Fraction:
    if value < 0 or value > Fraction(maximum):
        raise IndexInputError(
            _("%(what)s must be between 0 and %(maximum)s, not %(value)s.")
            % {"what": what, "maximum": maximum.normalize(), "value": Decimal(value.numerator) / value.denominator},
            "range",
        )
    return value


@dataclass(frozen=True)
class Index:
    """The index of one region for one period; `display()` gives the published figures."""

    period: Period
    spd: Fraction
    scores: tuple[Fraction, ...]
    basic_services: int

    @property
    def innovations(self) -> int:
        return len(self.scores)

    @property
    def divisor(self) -> int:
        return max(self.period.min_divisor, self.innovations)

    @property
    def empty_seats(self) -> int:
        """Innovations still needed to reach the divisor: each one still divides."""
        return self.divisor - self.innovations

    @property
    def rows_total(self) -> Fraction:
        return sum(self.scores, Fraction(0))

    @property
    def rows_score(self) -> Fraction:
        return self.rows_total / self.divisor

    @property
    def coverage_met(self) -> bool:
        return self.basic_services >= self.period.basic_services_required

    @property
    def count_points(self) -> Fraction:
        """What Skor Jumlah Inovasi would be if the coverage were met."""
        return min(self.innovations, self.period.count_cap) * Fraction(self.period.count_factor)

    @property
    def count_score(self) -> Fraction:
        return self.count_points if self.coverage_met else Fraction(0)

    @property
    def sid(self) -> Fraction:
        return self.rows_score + self.count_score

    @property
    def total(self) -> Fraction:
        return self.spd + self.sid

    def _points(self, score: Fraction) -> Fraction:
        return score / Fraction(self.period.total_maximum) * 100

    @property
    def exact_iid(self) -> Fraction:
        return self._points(self.total)

    @property
    def iid(self) -> Decimal:
        return round_half_up(self.exact_iid, 2)

    @property
    def category(self) -> str:
        return self.period.category(self.iid)

    @property
    def empty_seats_cost(self) -> Fraction:
        """IID points the empty seats cost: the rows divided by n instead of k (the same average filling every seat)."""
        if not self.empty_seats or not self.innovations:
            return Fraction(0)
        return self._points(self.rows_total / self.innovations - self.rows_score)

    @property
    def coverage_cost(self) -> Fraction:
        """IID points lost because the basic-service affairs are not covered (Skor Jumlah Inovasi is 0)."""
        return Fraction(0) if self.coverage_met else self._points(self.count_points)

    def display(self) -> dict[str, object]:
        """The published figures: every number a string with 2 decimals ("47.04"), counts as integers."""

        def shown(value: Fraction) -> str:
            return str(round_half_up(value, 2))

        return {
            "period": self.period.year,
            "spd": shown(self.spd),
            "innovations": self.innovations,
            "divisor": self.divisor,
            "empty_seats": self.empty_seats,
            "rows_total": shown(self.rows_total),
            "rows_score": shown(self.rows_score),
            "basic_services": self.basic_services,
            "basic_services_required": self.period.basic_services_required,
            "count_score": shown(self.count_score),
            "sid": shown(self.sid),
            "total": shown(self.total),
            "maximum": shown(Fraction(self.period.total_maximum)),
            "iid": str(self.iid),
            "category": self.category,
            "empty_seats_cost": shown(self.empty_seats_cost),
            "coverage_cost": shown(self.coverage_cost),
        }


def compute(
    period: Period,
    spd: str | int | Decimal | Fraction,
    scores: Iterable[str | int | Decimal | Fraction],
    basic_services: int,
) -> Index:
    """The index of a region: its SPD total, each innovation's SID row total, and how many of the
    six basic-service affairs its innovations cover. Out-of-range figures are refused."""
    spd_value = _within(number(spd, "SPD"), period.spd_maximum, "SPD")
    values = tuple(
        _within(number(score, _("Innovation %(n)s") % {"n": n}), period.sid_maximum, _("Innovation %(n)s") % {"n": n})
        for n, score in enumerate(scores, start=1)
    )
    if (
        isinstance(basic_services, bool)
        or not isinstance(basic_services, int)
        or not 0 <= basic_services <= BASIC_SERVICE_AFFAIRS
    ):
        raise IndexInputError(
            _("The basic-service affairs covered must be a whole number from 0 to %(n)s, not %(value)s.")
            % {"n": BASIC_SERVICE_AFFAIRS, "value": basic_services},
            "basic_services",
        )
    return Index(period, spd_value, values, basic_services)


def row_total(period: Period, aspect: str, levels: dict[str, int | None]) -> Decimal:
    """Σ weight × level over a set of rows {code: level}; a level outside 1–3 is refused."""
    return sum((period.indicator(aspect, code).score(level) for code, level in levels.items()), Decimal(0))


def parse_scores(text: str) -> Sequence[str]:
    """`47,5;60` or `47.5,60` → ["47.5", "60"]. Commas separate scores unless semicolons are used."""
    text = text.strip()
    if not text:
        return []
    if ";" in text:
        return [part.strip() for part in text.split(";")]
    return [part.strip() for part in text.split(",")]
