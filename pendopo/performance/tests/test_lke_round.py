"""An evaluation round as data: loaded from PermenPANRB 88/2021, both values scored, the gap, the checks."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pendopo.performance import actions, lke
from pendopo.performance.models import Criterion, EvaluatorSeat, Method, RoundStatus, SubComponent
from pendopo.regions.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lke_round(world):
    return actions.start_round(world.admin_a, world.region_a.pk, 2025)


@pytest.fixture
def inspector(world):
    """The region's APIP evaluator (Inspektorat): a user with an evaluator seat and no role in the region."""
    user = UserFactory(username="inspektur_a")
    EvaluatorSeat.objects.create(region=world.region_a, user=user, title="Inspektorat Daerah")
    return user


def answer_all(world, round_, self_value, evaluator_value):
    inspector = EvaluatorSeat.objects.get(region=world.region_a).user
    for criterion in Criterion.objects.filter(subcomponent__component__round=round_):
        actions.answer_criterion(world.admin_a, criterion, evaluator=False, value=Decimal(self_value))
        actions.answer_criterion(inspector, criterion, evaluator=True, value=Decimal(evaluator_value))


def test_the_round_carries_the_reference_weights(lke_round):
    weights = dict(SubComponent.objects.filter(component__round=lke_round).values_list("code", "weight"))
    assert weights == {
        "1.a": 6, "1.b": 9, "1.c": 15, "2.a": 6, "2.b": 9, "2.c": 15,
        "3.a": 3, "3.b": Decimal("4.5"), "3.c": Decimal("7.5"), "4.a": 5, "4.b": Decimal("7.5"), "4.c": Decimal("12.5"),
    }  # fmt: skip
    figures = lke.round_score(lke_round).display()
    assert [(c["code"], c["weight"]) for c in figures["self"]["components"]] == [
        ("1", "30.00"), ("2", "30.00"), ("3", "15.00"), ("4", "25.00"),
    ]  # fmt: skip
    # Nothing answered: 0 and E, with every criterion shown as unanswered (never a silent 0).
    assert (figures["self"]["total"], figures["self"]["grade"]) == ("0.00", "E")
    assert figures["unanswered"]["self"] == Criterion.objects.count()


def test_both_values_scored_and_the_gap(world, lke_round, inspector):
    answer_all(world, lke_round, 1, 1)
    # The evaluator finds 1.c's first criterion not met: 1.c = 3/4 × 15 = 11.25, total 96.25.
    first = Criterion.objects.get(subcomponent__component__round=lke_round, code="1.c.1")
    actions.answer_criterion(inspector, first, evaluator=True, value=Decimal(0), recommendation="Agar anggaran ...")
    score = lke.round_score(lke_round)
    figures = score.display()
    assert (figures["self"]["total"], figures["self"]["grade"]) == ("100.00", "AA")
    assert (figures["evaluator"]["total"], figures["evaluator"]["grade"]) == ("96.25", "AA")
    assert figures["gap"] == "-3.75"
    assert score.recommendations == [("1.c.1", "Agar anggaran ...")]


def test_graded_scale_and_answer_outside_it(world, lke_round):
    criterion = Criterion.objects.filter(subcomponent__component__round=lke_round).first()
    with pytest.raises(ValidationError) as error:
        actions.answer_criterion(world.admin_a, criterion, evaluator=False, value=Decimal("0.5"))
    assert error.value.message_dict == {"value": ["Answer one of 0, 1."]}
    criterion.scale = "graded"
    criterion.save()
    assert actions.answer_criterion(world.admin_a, criterion, evaluator=False, value=Decimal("0.75")).self_value == Decimal(
        "0.75"
    )


def test_consistency_rule_flags_only_above_the_comparator(world, lke_round, inspector):
    answer_all(world, lke_round, 1, 1)
    assert lke.round_score(lke_round).violations == []  # equal passes
    # 3.c.1 may not exceed 3.a.1 (the report must exist before it is used).
    report = Criterion.objects.get(subcomponent__component__round=lke_round, code="3.a.1")
    actions.answer_criterion(inspector, report, evaluator=True, value=Decimal(0))
    violations = lke.round_score(lke_round).violations
    assert [(v.criterion, v.which) for v in violations] == [("3.c.1", "evaluator_value")]
    # The mean rule: 1.c.2 above the mean of 1.a (3 of 4 met = 0.75).
    plan_doc = Criterion.objects.get(subcomponent__component__round=lke_round, code="1.a.1")
    actions.answer_criterion(world.admin_a, plan_doc, evaluator=False, value=Decimal(0))
    assert ("1.c.2", "self_value") in [(v.criterion, v.which) for v in lke.round_score(lke_round).violations]


def test_predikat_method(world, lke_round, inspector):
    lke_round.method = Method.PREDIKAT
    lke_round.save()
    answer_all(world, lke_round, 1, 1)
    # Every criterion met as mandated: BB everywhere → 80.00, grade BB (AA and A need the evaluator's judgement).
    assert lke.round_score(lke_round).display()["self"]["total"] == "80.00"
    assert lke.predikat_of_share(Fraction(3, 4)) == "CC"
    assert lke.predikat_of_share(Fraction(4, 5)) == "B"


def test_only_the_region_administrator_answers_and_a_completed_round_is_closed(world, lke_round):
    criterion = Criterion.objects.filter(subcomponent__component__round=lke_round).first()
    for user in (world.officer_a1, world.head_a1, world.admin_b):
        with pytest.raises(PermissionDenied):
            actions.answer_criterion(user, criterion, evaluator=False, value=Decimal(1))
    actions.set_round_status(world.admin_a, lke_round, RoundStatus.COMPLETED, publish=True)
    with pytest.raises(ValidationError):
        actions.answer_criterion(world.admin_a, criterion, evaluator=False, value=Decimal(1))
    with pytest.raises(ValidationError):
        actions.start_round(world.admin_a, world.region_a.pk, 2025)
    with pytest.raises(PermissionDenied):
        actions.start_round(world.admin_b, world.region_a.pk, 2026)


def test_the_evaluator_enters_only_the_evaluators_values_and_the_region_only_its_own(world, lke_round, inspector):
    criterion = Criterion.objects.filter(subcomponent__component__round=lke_round).first()
    with pytest.raises(PermissionDenied):
        actions.answer_criterion(world.admin_a, criterion, evaluator=True, value=Decimal(1))  # no marking of one's own work
    with pytest.raises(PermissionDenied):
        actions.answer_criterion(inspector, criterion, evaluator=False, value=Decimal(1))
    for user in (world.head_a1, world.admin_b):
        with pytest.raises(PermissionDenied):
            actions.answer_criterion(user, criterion, evaluator=True, value=Decimal(1))
    other = UserFactory(username="inspektur_b")
    EvaluatorSeat.objects.create(region=world.region_b, user=other, title="Inspektorat")
    with pytest.raises(PermissionDenied):
        actions.answer_criterion(other, criterion, evaluator=True, value=Decimal(1))  # another region's evaluator
    actions.answer_criterion(world.admin_a, criterion, evaluator=False, value=Decimal(1), note="SK tersedia")
    done = actions.answer_criterion(inspector, criterion, evaluator=True, value=Decimal(0), note="Belum ditetapkan")
    assert (done.self_value, done.self_note, done.evaluator_value, done.evaluator_note) == (
        1,
        "SK tersedia",
        0,
        "Belum ditetapkan",
    )
