"""The evaluation worksheet (LKE) scored exactly (framework-free).

Rules (docs/performance.md, /work/shared/reference/performance.md §4–§9):

- a sub-component's value is on 0–100 (a predikat's value, or the mean of its criteria × 100);
  its score = value / 100 × its weight;
- a component's score = Σ of its sub-component scores; the final score = Σ of the components
  (a weighted sum, never the plain mean of the sub-component values);
- the weights add up to exactly 100;
- the grade is of the final score rounded half up to 2 decimals, lower bound exclusive, upper
  bound inclusive: AA > 90, A > 80, BB > 70, B > 60, CC > 50, C > 30, D > 0, E = 0.

Scores stay exact (`Fraction`) and only what is shown is rounded, so displayed subtotals may not
add up to the displayed total by 0.01: the total is the exact sum rounded once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from pendopo.surveys.ikm import round_half_up

TOTAL_WEIGHT = Fraction(100)
CODE = re.compile(r"^(\d{1,2})\.([a-z])$")

# Predikat letter values (SEMAR; an evaluator's guide).
LETTER_VALUES: dict[str, int] = {"AA": 100, "A": 90, "BB": 80, "B": 70, "CC": 60, "C": 50, "D": 30, "E": 0}

# (exclusive lower bound of the shown final score, grade, interpretation); E is exactly 0.
GRADES: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal(90), "AA", "Sangat Memuaskan"),
    (Decimal(80), "A", "Memuaskan"),
    (Decimal(70), "BB", "Sangat Baik"),
    (Decimal(60), "B", "Baik"),
    (Decimal(50), "CC", "Cukup (Memadai)"),
    (Decimal(30), "C", "Kurang"),
    (Decimal(0), "D", "Sangat Kurang"),
)
GRADE_E = ("E", "-")


class ScoringError(ValueError):
    """The worksheet cannot be scored; `problems` lists each reason."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


def grade_of(total: Fraction | Decimal | int) -> tuple[str, str]:
    """The grade (AA–E) and its interpretation of a final score (0–100), by its shown figure."""
    shown = round_half_up(total, 2)
    for bound, grade, label in GRADES:
        if shown > bound:
            return grade, label
    return GRADE_E


def fmt(value: Fraction | Decimal | int) -> str:
    return f"{round_half_up(value, 2):.2f}"


@dataclass(frozen=True)
class Line:
    """One sub-component: its code (`1.a`), weight and value (0–100)."""

    code: str
    weight: Fraction
    value: Fraction

    @property
    def component(self) -> str:
        return self.code.split(".", 1)[0]

    @property
    def score(self) -> Fraction:
        return self.value / 100 * self.weight


@dataclass(frozen=True)
class Component:
    code: str
    lines: tuple[Line, ...]

    @property
    def weight(self) -> Fraction:
        return sum((line.weight for line in self.lines), Fraction(0))

    @property
    def score(self) -> Fraction:
        return sum((line.score for line in self.lines), Fraction(0))


@dataclass(frozen=True)
class Result:
    components: tuple[Component, ...]

    @property
    def total(self) -> Fraction:
        return sum((component.score for component in self.components), Fraction(0))

    @property
    def grade(self) -> str:
        return grade_of(self.total)[0]

    @property
    def label(self) -> str:
        return grade_of(self.total)[1]

    def display(self) -> dict[str, object]:
        """Every figure as a string with 2 decimals, the grade as its letters."""
        return {
            "subcomponents": [
                {"code": line.code, "weight": fmt(line.weight), "value": fmt(line.value), "score": fmt(line.score)}
                for component in self.components
                for line in component.lines
            ],
            "components": [
                {"code": component.code, "weight": fmt(component.weight), "score": fmt(component.score)}
                for component in self.components
            ],
            "total": fmt(self.total),
            "grade": self.grade,
            "label": self.label,
        }


def _code_key(code: str) -> tuple[int, str]:
    number, letter = code.split(".", 1)
    return int(number), letter


def score(lines: Iterable[Line]) -> Result:
    """Score sub-component lines: checks the codes, the values (0–100) and that the weights add up to 100."""
    lines = list(lines)
    problems: list[str] = []
    if not lines:
        raise ScoringError([_("The worksheet has no sub-components.")])
    seen: set[str] = set()
    for line in lines:
        if not CODE.match(line.code):
            problems.append(_("%(code)s is not a sub-component code such as 1.a.") % {"code": line.code})
        elif line.code in seen:
            problems.append(_("Sub-component %(code)s appears twice.") % {"code": line.code})
        seen.add(line.code)
        if line.weight <= 0:
            problems.append(_("Sub-component %(code)s: the weight must be above 0.") % {"code": line.code})
        if not 0 <= line.value <= 100:
            problems.append(_("Sub-component %(code)s: the value must be between 0 and 100.") % {"code": line.code})
    total_weight = sum((line.weight for line in lines), Fraction(0))
    if total_weight != TOTAL_WEIGHT:
        problems.append(_("The weights add up to %(total)s, not 100.") % {"total": fmt(total_weight)})
    if problems:
        raise ScoringError(problems)
    grouped: dict[str, list[Line]] = {}
    for line in sorted(lines, key=lambda item: _code_key(item.code)):
        grouped.setdefault(line.component, []).append(line)
    return Result(tuple(Component(code, tuple(items)) for code, items in grouped.items()))


def predikat_value(letter: str) -> Fraction:
    try:
        return Fraction(LETTER_VALUES[letter.strip().upper()])
    except KeyError:
        raise ScoringError([_("%(letter)s is not a predikat (AA, A, BB, B, CC, C, D or E).") % {"letter": letter}]) from None


def mean_value(values: Sequence[Fraction | None], active: int) -> Fraction:
    """A sub-component's value (0–100) by the mean method: Σ criterion values (0–1) ÷ the number of
    all active criteria × 100. An unanswered criterion (None) therefore counts as 0."""
    if active <= 0:
        return Fraction(0)
    return sum((value for value in values if value is not None), Fraction(0)) / active * 100
