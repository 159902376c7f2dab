"""The community satisfaction index (IKM) of PermenPANRB 14/2017, computed exactly (framework-free).

Rules (docs/surveys.md, /work/shared/reference/regulations.md §1):

- nine elements U1..U9, each scored 1–4;
- NRR of an element = sum of its scores / number of respondents who answered it;
- IKM = the sum of the NRR weighted 1/9 each, i.e. the mean of the nine NRR (scale 1–4) —
  with the *exact* 1/9: published reports that shorten the weight to 0.11 or 0.111 get a
  different index from the same data;
- converted IKM = IKM × 25 (scale 25–100);
- grade: the converted value rounded half up to 2 decimals, classified by the regulation's table.

Everything is a `Fraction` until it is shown; `display()` rounds half up to 2 decimals.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

ELEMENTS: tuple[str, ...] = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
MIN_SCORE, MAX_SCORE = 1, 4
WEIGHT = Fraction(1, len(ELEMENTS))
CONVERSION = 25

# (lowest converted value shown with 2 decimals, grade, the regulation's performance label)
GRADES: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
    (Decimal("25.00"), "D", "Tidak Baik"),
)

# Krejcie & Morgan (1970): chi-square of 1 degree of freedom at 95 % (3.841), P = 0.5, d = 0.05.
CHI_SQUARE = Fraction("3.841")
PROPORTION = Fraction(1, 2)
MARGIN = Fraction(5, 100)


class IkmError(ValueError):
    """The figures given cannot make an index (no respondents, a score out of range, a missing element)."""


def round_half_up(value: Fraction | Decimal | int, places: int = 2) -> Decimal:
    """`value` rounded half up (away from zero) to `places` decimals, as published reports do.

    Exact: the rounding is done on the fraction itself, so no binary or decimal precision limit
    can move a value that lies exactly on a half.
    """
    exact = Fraction(value)
    scaled = abs(exact) * 10**places
    units = math.floor(scaled + Fraction(1, 2))
    sign = -1 if exact < 0 else 1
    return Decimal(sign * units).scaleb(-places)


def grade_of(converted: Fraction | Decimal | int) -> tuple[str, str]:
    """Grade (A–D) and the regulation's performance label of a converted index (25–100)."""
    shown = round_half_up(converted, 2)
    for lowest, grade, label in GRADES:
        if shown >= lowest:
            return grade, label
    return GRADES[-1][1], GRADES[-1][2]


@dataclass(frozen=True)
class Index:
    """The index of a set of responses, exact; `display()` gives the published 2-decimal figures."""

    respondents: int
    nrr: Mapping[str, Fraction]

    @property
    def ikm(self) -> Fraction:
        return sum((value * WEIGHT for value in self.nrr.values()), Fraction(0))

    @property
    def converted(self) -> Fraction:
        return self.ikm * CONVERSION

    @property
    def grade(self) -> str:
        return grade_of(self.converted)[0]

    @property
    def label(self) -> str:
        return grade_of(self.converted)[1]

    def display(self) -> dict[str, object]:
        """The figures as reports show them: 2 decimals, half up; strings keep the trailing zeros."""
        return {
            "respondents": self.respondents,
            "nrr": {code: str(round_half_up(value)) for code, value in self.nrr.items()},
            "ikm": str(round_half_up(self.ikm)),
            "converted": str(round_half_up(self.converted)),
            "grade": self.grade,
            "label": self.label,
        }


def nrr(total: int, answered: int) -> Fraction:
    """Mean score of one element: the sum of its scores over the number who answered it."""
    if answered <= 0:
        raise IkmError("An element nobody answered has no NRR.")
    value = Fraction(total, answered)
    if not MIN_SCORE <= value <= MAX_SCORE:
        raise IkmError(f"An NRR must lie between {MIN_SCORE} and {MAX_SCORE}, not {value}.")
    return value


def from_sums(respondents: int, sums: Mapping[str, int], answered: Mapping[str, int] | None = None) -> Index:
    """The index from per-element sums (and per-element answer counts; default: every respondent answered).

    This is what the database hands back from one aggregate query (SUM per element, COUNT).
    """
    if respondents <= 0:
        raise IkmError("There are no responses.")
    missing = [code for code in ELEMENTS if code not in sums]
    if missing:
        raise IkmError(f"Missing element(s): {', '.join(missing)}.")
    counts = answered or dict.fromkeys(ELEMENTS, respondents)
    return Index(respondents, {code: nrr(int(sums[code]), int(counts[code])) for code in ELEMENTS})


def from_nrr(values: Mapping[str, Fraction | Decimal | int | str] | Sequence[Fraction | Decimal | int | str]) -> Index:
    """An index from nine given NRR values (as in a published worked example); respondents unknown (0)."""
    items = list(values.values()) if isinstance(values, Mapping) else list(values)
    if len(items) != len(ELEMENTS):
        raise IkmError(f"Give {len(ELEMENTS)} NRR values, not {len(items)}.")
    return Index(0, {code: Fraction(value) for code, value in zip(ELEMENTS, items, strict=True)})


def from_scores(rows: Iterable[Sequence[int]]) -> Index:
    """The index of respondents' nine scores each (one sequence per respondent, in U1..U9 order)."""
    sums = [0] * len(ELEMENTS)
    respondents = 0
    for row in rows:
        if len(row) != len(ELEMENTS):
            raise IkmError(f"A response has {len(ELEMENTS)} scores, not {len(row)}.")
        for position, score in enumerate(row):
            if isinstance(score, bool) or not isinstance(score, int) or not MIN_SCORE <= score <= MAX_SCORE:
                raise IkmError(f"{ELEMENTS[position]}: a score is a whole number from {MIN_SCORE} to {MAX_SCORE}.")
            sums[position] += score
        respondents += 1
    return from_sums(respondents, dict(zip(ELEMENTS, sums, strict=True)))


def sample_size(population: int) -> int:
    """Minimum number of respondents for `population` people served (Krejcie–Morgan), rounded to nearest.

    S = λ²·N·P·(1−P) / (d²·(N−1) + λ²·P·(1−P)) with λ² = 3.841, P = 0.5, d = 0.05; this reproduces
    the published table (100 → 80, 1000 → 278, 10000 → 370).
    """
    if isinstance(population, bool) or not isinstance(population, int) or population < 0:
        raise IkmError("The number of people served is a whole number, 0 or more.")
    if population == 0:
        return 0
    spread = CHI_SQUARE * PROPORTION * (1 - PROPORTION)
    exact = spread * population / (MARGIN**2 * (population - 1) + spread)
    return int(round_half_up(exact, 0))
