"""Achievement (capaian) of an indicator against its target, computed exactly (framework-free).

Rules (docs/performance.md, /work/shared/reference/performance.md §3):

| polarity | achievement (%) |
| --- | --- |
| higher is better | R / T × 100 |
| lower is better | (2 − R / T) × 100 |
| range [T_low, T_high] | 100 inside (bounds included); above: the range's polarity with T_high; below: with T_low |
| yes/no | achieved 100, not achieved 0 |

- A target of 0 makes the ratio undefined: the achievement is *not computable* (None), never 0.
- The inverse formula goes negative when R > 2T: the figure is kept as computed and flagged.
- Everything is a `Fraction` until shown; `shown` rounds half up to 2 decimals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from pendopo.surveys.ikm import round_half_up

HUNDRED = Fraction(100)


class Polarity(StrEnum):
    HIGHER = "higher"
    LOWER = "lower"
    RANGE = "range"
    YES_NO = "yes_no"


POLARITY_LABELS = {
    Polarity.HIGHER: _("higher is better"),
    Polarity.LOWER: _("lower is better"),
    Polarity.RANGE: _("within a range"),
    Polarity.YES_NO: _("yes/no"),
}


class Flag(StrEnum):
    NOT_COMPUTABLE = "not_computable"  # the target is 0
    NEGATIVE = "negative"  # the inverse formula gave a figure below 0 (R > 2T)


class AchievementError(ValueError):
    """The figures cannot make an achievement (a missing target, a range upside down, not a number)."""


@dataclass(frozen=True)
class Achievement:
    exact: Fraction | None
    flags: tuple[Flag, ...] = field(default=())

    @property
    def computable(self) -> bool:
        return self.exact is not None

    @property
    def shown(self) -> Decimal | None:
        return round_half_up(self.exact, 2) if self.exact is not None else None

    def display(self) -> dict[str, object]:
        shown = self.shown
        return {
            "achievement": f"{shown:.2f}" if shown is not None else None,
            "computable": self.computable,
            "flags": [str(flag) for flag in self.flags],
        }


def to_fraction(value: Decimal | Fraction | int | str | float) -> Fraction:
    """An exact number from a Decimal, int or text ("87.5", "87,5"); floats go through their shortest text."""
    if isinstance(value, Fraction | int | Decimal):
        return Fraction(value)
    text = str(value).strip()
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise AchievementError(_("%(value)s is not a number.") % {"value": value}) from None
    if not number.is_finite():
        raise AchievementError(_("%(value)s is not a number.") % {"value": value})
    return Fraction(number)


def _ratio(polarity: Polarity, target: Fraction, realisation: Fraction) -> Achievement:
    if target == 0:
        return Achievement(None, (Flag.NOT_COMPUTABLE,))
    if polarity == Polarity.HIGHER:
        return Achievement(realisation / target * HUNDRED)
    value = (2 - realisation / target) * HUNDRED
    return Achievement(value, (Flag.NEGATIVE,) if value < 0 else ())


def achievement(
    polarity: Polarity | str,
    target: Decimal | Fraction | int | str | None,
    realisation: Decimal | Fraction | int | str | bool | None,
    *,
    target_high: Decimal | Fraction | int | str | None = None,
    range_polarity: Polarity | str = Polarity.HIGHER,
) -> Achievement:
    """The achievement of `realisation` against `target` (the low end of a range; `target_high` its top).

    A yes/no indicator takes a boolean realisation (True = achieved) and needs no target.
    """
    polarity = Polarity(polarity)
    if realisation is None:
        raise AchievementError(_("No realisation was given."))
    if polarity == Polarity.YES_NO:
        achieved = realisation if isinstance(realisation, bool) else to_fraction(realisation) != 0
        return Achievement(HUNDRED if achieved else Fraction(0))
    if isinstance(realisation, bool):
        raise AchievementError(_("A yes/no answer is only a realisation of a yes/no indicator."))
    if target is None:
        raise AchievementError(_("No target was given."))
    low, real = to_fraction(target), to_fraction(realisation)
    if polarity != Polarity.RANGE:
        return _ratio(polarity, low, real)
    if target_high is None:
        raise AchievementError(_("A range target needs its upper end."))
    high = to_fraction(target_high)
    if high < low:
        raise AchievementError(_("The upper end of the range is below its lower end."))
    basis = Polarity(range_polarity)
    if basis not in (Polarity.HIGHER, Polarity.LOWER):
        raise AchievementError(_("Outside its range an indicator is either higher or lower is better."))
    if real > high:
        return _ratio(basis, high, real)
    if real < low:
        return _ratio(basis, low, real)
    return Achievement(HUNDRED)


# --- achievement bands ---------------------------------------------------------------------------

# (lowest achievement shown with 2 decimals, band code, label). Often quoted from Permendagri
# 86/2017 (not confirmed, and reports use their own): a setting, PENDOPO_SAKIP_BANDS.
DEFAULT_BANDS: tuple[tuple[str, str, str], ...] = (
    ("91", "very_high", "Sangat Tinggi"),
    ("76", "high", "Tinggi"),
    ("66", "medium", "Sedang"),
    ("51", "low", "Rendah"),
    ("0", "very_low", "Sangat Rendah"),
)


def bands() -> Sequence[tuple[str, str, str]]:
    from django.conf import settings

    return getattr(settings, "PENDOPO_SAKIP_BANDS", DEFAULT_BANDS)


def band_of(result: Achievement) -> tuple[str, str] | None:
    """(code, label) of the band an achievement falls in, by its shown figure; None when not computable."""
    shown = result.shown
    if shown is None:
        return None
    table = bands()
    for lowest, code, label in table:
        if shown >= Decimal(lowest):
            return code, label
    return table[-1][1], table[-1][2]
