"""The rules of regional cooperation (shared/reference/cooperation.md), free of the database.

- term: at most 5 years; the latest end date is the day before the fifth anniversary of the
  effective date (a 29 February start: the anniversary is 1 March, so the end is 28 February);
- signatories: the regional head signs every document; an official holding the regional head's
  power of attorney (kuasa) signs only a PKS; the offer letter is the regional head's;
- council (DPRD) approval: when the cooperation burdens the community and the region, or needs
  funds not in this year's budget, and always for cooperation abroad;
- evaluations: the budget year is cut into `per_year` equal parts; every part that has ended
  while the agreement was in force needs at least one evaluation dated in it, else overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from pendopo.cooperation.models import FOREIGN_FORMS, Capacity, DocumentKind, Form

MAX_TERM_YEARS = 5

# Documents someone signs for the region (the others are recorded with their number and date).
SIGNED_KINDS = frozenset(
    {DocumentKind.OFFER, DocumentKind.KB, DocumentKind.PKS, DocumentKind.NK, DocumentKind.LOI, DocumentKind.MOU}
)
# The documents of each form, in order (reference §3): the last one starts implementation.
DOCUMENTS_OF: dict[str, tuple[str, ...]] = {
    Form.KSDD: (DocumentKind.OFFER, DocumentKind.KB, DocumentKind.PKS),
    Form.KSDPK: (DocumentKind.OFFER, DocumentKind.KB, DocumentKind.PKS),
    Form.KSDPL: (DocumentKind.OFFER, DocumentKind.LOI, DocumentKind.MOU),
    Form.KSDLL: (DocumentKind.OFFER, DocumentKind.LOI, DocumentKind.MOU),
    Form.CENTRAL: (DocumentKind.OFFER, DocumentKind.NK),
}


def anniversary(start: dt.date, years: int) -> dt.date:
    try:
        return start.replace(year=start.year + years)
    except ValueError:  # 29 February in a year without one
        return dt.date(start.year + years, 3, 1)


def latest_end(effective_on: dt.date, years: int = MAX_TERM_YEARS) -> dt.date:
    """The last day a cooperation may run: the day before the fifth anniversary (inclusive end)."""
    return anniversary(effective_on, years) - dt.timedelta(days=1)


def term_ok(effective_on: dt.date, ends_on: dt.date, *, special_law_basis: str = "") -> bool:
    return ends_on >= effective_on and (bool(special_law_basis.strip()) or ends_on <= latest_end(effective_on))


def may_sign(kind: str, capacity: str, *, kuasa_number: str = "") -> bool:
    """May a signatory in `capacity` sign a document of `kind` for the region?"""
    if kind not in SIGNED_KINDS:
        return True
    if capacity == Capacity.REGIONAL_HEAD:
        return True
    return capacity == Capacity.KUASA and kind == DocumentKind.PKS and bool(kuasa_number.strip())


def council_required(form: str, *, burdens_public: bool, budgeted_this_year: bool) -> bool:
    return form in FOREIGN_FORMS or burdens_public or not budgeted_this_year


def central_approval_required(form: str) -> bool:
    return form in FOREIGN_FORMS


@dataclass(frozen=True)
class EvaluationPeriod:
    first: dt.date
    last: dt.date
    evaluated: bool

    @property
    def label(self) -> str:
        return f"{self.first:%Y-%m-%d}..{self.last:%Y-%m-%d}"


def evaluation_periods(year: int, per_year: int) -> list[tuple[dt.date, dt.date]]:
    """The year cut into `per_year` parts of whole months (2: January–June and July–December)."""
    per_year = max(1, min(12, per_year))
    months = 12 // per_year if 12 % per_year == 0 else None
    out = []
    for part in range(per_year):
        if months:
            first = dt.date(year, part * months + 1, 1)
            end_month = (part + 1) * months
        else:  # a cadence that does not divide the year: parts of whole months, the last one longer
            first = dt.date(year, part * (12 // per_year) + 1, 1)
            end_month = 12 if part == per_year - 1 else (part + 1) * (12 // per_year)
        last = dt.date(year + (end_month == 12), end_month % 12 + 1, 1) - dt.timedelta(days=1)
        out.append((first, last))
    return out


def evaluation_status(
    *, effective_on: dt.date | None, ends_on: dt.date | None, per_year: int, held_on: Iterable[dt.date], as_of: dt.date
) -> list[EvaluationPeriod]:
    """Every part of this and earlier years, ended by `as_of`, in which the agreement was in force."""
    if effective_on is None or effective_on > as_of:
        return []
    held = sorted(held_on)
    out = []
    for year in range(effective_on.year, as_of.year + 1):
        for first, last in evaluation_periods(year, per_year):
            if last >= as_of or last < effective_on or (ends_on is not None and first > ends_on):
                continue
            out.append(EvaluationPeriod(first, last, any(first <= day <= last for day in held)))
    return out


def is_overdue(periods: Iterable[EvaluationPeriod]) -> bool:
    return any(not period.evaluated for period in periods)


def adoption_rates(adopted: int, dropped: int, total: int) -> tuple[Fraction | None, Fraction | None]:
    """(adopted / (all − dropped), adopted / all); None when the denominator is 0."""
    active = total - dropped
    return (Fraction(adopted, active) if active else None, Fraction(adopted, total) if total else None)
