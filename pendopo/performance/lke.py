"""A round's evaluation worksheet scored from its data: both values, the gap, the consistency checks.

Scoring is `scoring.py`'s (one definition); this module only reads a round's rows (three queries
whatever the round's size) and turns each sub-component's criteria into a value on 0–100:

- method `mean` (wp-eval-sakip "Rata-Rata"): Σ criterion values ÷ the number of active criteria
  × 100, an unanswered criterion counting 0 (and counted as unanswered);
- method `predikat`: the share of the active criteria met (value 1) gives the predikat — all met
  BB (AA and A need the evaluator's judgement of innovation and sustained effort), > 75 % B,
  > 50 % CC, > 25 % C, > 0 D, none E — and its letter value is the sub-component's value.

A consistency rule flags a criterion whose value is **greater than** its comparator (the mean of
a sub-component's active criteria, or one criterion's value); an equal value passes. The checks
run on the self-assessment and on the evaluator's values.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from pendopo.performance import scoring
from pendopo.performance.models import ConsistencyRule, Criterion, EvaluationRound, Method, SubComponent

VALUES = ("self_value", "evaluator_value")


def predikat_of_share(share: Fraction) -> str:
    if share >= 1:
        return "BB"
    for bound, letter in ((Fraction(3, 4), "B"), (Fraction(1, 2), "CC"), (Fraction(1, 4), "C"), (Fraction(0), "D")):
        if share > bound:
            return letter
    return "E"


@dataclass
class SubScore:
    code: str
    component_code: str
    component_name: str
    name: str
    weight: Fraction
    active: int
    values: dict[str, Fraction] = field(default_factory=dict)  # "self_value"/"evaluator_value" → 0–100
    unanswered: dict[str, int] = field(default_factory=dict)

    def line(self, which: str) -> scoring.Line:
        return scoring.Line(self.code, self.weight, self.values[which])

    @property
    def gap(self) -> Fraction:
        """Evaluator's score − self-assessment score (negative: the unit was optimistic)."""
        return self.line("evaluator_value").score - self.line("self_value").score


@dataclass(frozen=True)
class Violation:
    criterion: str
    which: str  # "self_value" or "evaluator_value"
    value: Fraction
    comparator: Fraction
    message: str


@dataclass
class RoundScore:
    round: EvaluationRound
    subs: list[SubScore]
    results: dict[str, scoring.Result]
    violations: list[Violation]
    recommendations: list[tuple[str, str]]

    @property
    def gap(self) -> Fraction:
        return self.results["evaluator_value"].total - self.results["self_value"].total

    def display(self) -> dict[str, object]:
        return {
            "self": self.results["self_value"].display(),
            "evaluator": self.results["evaluator_value"].display(),
            "gap": scoring.fmt(self.gap),
            "violations": [
                {"criterion": v.criterion, "values": v.which.removesuffix("_value"), "message": v.message}
                for v in self.violations
            ],
            "unanswered": {which.removesuffix("_value"): sum(sub.unanswered[which] for sub in self.subs) for which in VALUES},
        }


def _value(criterion: Criterion, which: str) -> Fraction | None:
    raw = getattr(criterion, which)
    return Fraction(raw) if raw is not None else None


def round_score(round_: EvaluationRound) -> RoundScore:
    """Scores, totals, grades of both values, the gap, the flagged criteria and the recommendations."""
    subcomponents = list(SubComponent.objects.filter(component__round=round_).select_related("component").order_by("code"))
    criteria = list(Criterion.objects.filter(subcomponent__component__round=round_).order_by("code"))
    rules = list(ConsistencyRule.objects.filter(round=round_).select_related("criterion", "comparator_criterion"))
    by_sub: dict[int, list[Criterion]] = {}
    for criterion in criteria:
        if criterion.is_active:
            by_sub.setdefault(criterion.subcomponent_id, []).append(criterion)
    subs: list[SubScore] = []
    means: dict[tuple[int, str], Fraction] = {}
    for sub in subcomponents:
        items = by_sub.get(sub.pk, [])
        score = SubScore(sub.code, sub.component.code, sub.component.name, sub.name, Fraction(sub.weight), len(items))
        for which in VALUES:
            values = [_value(item, which) for item in items]
            score.unanswered[which] = sum(1 for v in values if v is None)
            mean = scoring.mean_value(values, len(items))
            means[(sub.pk, which)] = mean / 100
            if round_.method == Method.PREDIKAT:
                met = sum(1 for v in values if v == 1)
                share = Fraction(met, len(items)) if items else Fraction(0)
                score.values[which] = scoring.predikat_value(predikat_of_share(share))
            else:
                score.values[which] = mean
        subs.append(score)
    results = {which: scoring.score(sub.line(which) for sub in subs) for which in VALUES}
    violations = []
    for rule in rules:
        for which in VALUES:
            value = _value(rule.criterion, which)
            if value is None:
                continue
            if rule.kind == ConsistencyRule.AVERAGE and rule.comparator_subcomponent_id:
                comparator = means.get((rule.comparator_subcomponent_id, which), Fraction(0))
            elif rule.comparator_criterion is not None:
                comparator = _value(rule.comparator_criterion, which) or Fraction(0)
            else:
                continue
            if value > comparator:
                violations.append(Violation(rule.criterion.code, which, value, comparator, rule.message))
    recommendations = [(item.code, item.recommendation) for item in criteria if item.recommendation]
    return RoundScore(round_, subs, results, violations, recommendations)
