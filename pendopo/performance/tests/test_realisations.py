"""Entering, verifying and reading realisations: permissions, closed quarters, evidence, bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pendopo.applications.tests.conftest import exe_bytes, pdf_bytes, upload
from pendopo.performance import actions, selectors
from pendopo.performance.models import Evidence, LeadershipSeat, Realisation, Status

pytestmark = pytest.mark.django_db


def enter(user, indicator, quarter=2, value="75", **kwargs):
    return actions.enter_realisation(
        user, indicator, 2026, quarter, value=Decimal(value) if value is not None else None, **kwargs
    )


def test_officer_enters_with_evidence_and_head_verifies(world, plan, in_q3):
    realisation = enter(world.officer_a1, plan.docs, files=[upload("laporan.pdf", pdf_bytes())], explanation="Sesuai data SIAK")
    assert (realisation.status, realisation.value, realisation.agency_id) == (Status.SUBMITTED, Decimal(75), world.agency_a1.pk)
    evidence = Evidence.objects.get(realisation=realisation)
    assert (evidence.original_name, evidence.content_type) == ("laporan.pdf", "application/pdf")
    assert evidence.file.read().startswith(b"%PDF")

    verified = actions.review_realisation(world.head_a1, realisation, approve=True)
    assert verified.status == Status.VERIFIED and verified.verified_by == world.head_a1


def test_a_double_submit_keeps_one_realisation(world, plan, in_q3):
    enter(world.officer_a1, plan.docs, value="70")
    enter(world.officer_a1, plan.docs, value="71")
    assert list(Realisation.objects.values_list("value", flat=True)) == [Decimal(71)]


def test_officers_enter_only_their_agencys_indicators(world, plan, in_q3):
    for user in (world.officer_a2, world.officer_b1, world.admin_b, world.citizen, world.counter_officer_a):
        with pytest.raises(PermissionDenied):
            enter(user, plan.docs)
    with pytest.raises(PermissionDenied):
        enter(world.officer_a1, plan.region_indicator)  # the region's own indicator: administrators only
    enter(world.admin_a, plan.region_indicator)
    enter(world.officer_a2, plan.stunting)
    assert Realisation.objects.count() == 2


def test_computed_indicators_take_no_entry(world, plan, in_q3):
    with pytest.raises(PermissionDenied):
        enter(world.officer_a1, plan.on_time)


def test_only_the_head_verifies(world, plan, in_q3):
    realisation = enter(world.officer_a1, plan.docs)
    for user in (world.officer_a1, world.officer_a2, world.admin_b):
        with pytest.raises(PermissionDenied):
            actions.review_realisation(user, realisation, approve=True)
    assert Realisation.objects.get().status == Status.SUBMITTED


def test_returned_needs_a_note_then_can_be_corrected(world, plan, in_q3):
    realisation = enter(world.officer_a1, plan.docs)
    with pytest.raises(ValidationError) as error:
        actions.review_realisation(world.head_a1, realisation, approve=False)
    assert error.value.message_dict == {"note": ["Say what to correct."]}
    actions.review_realisation(world.head_a1, realisation, approve=False, note="Lampirkan data SIAK")
    corrected = enter(world.officer_a1, plan.docs, value="78")
    assert corrected.status == Status.SUBMITTED and corrected.value == 78


def test_a_verified_quarter_is_closed(world, plan, in_q3):
    actions.review_realisation(world.head_a1, enter(world.officer_a1, plan.docs), approve=True)
    with pytest.raises(ValidationError) as error:
        enter(world.officer_a1, plan.docs, value="99")
    assert error.value.message_dict == {"quarter": ["This quarter is verified and closed."]}
    assert Realisation.objects.get().value == 75


def test_bad_input_per_field_and_nothing_saved(world, plan, in_q3):
    cases = [
        ({"quarter": 4}, {"quarter": ["This quarter has not begun yet."]}),
        ({"quarter": 5}, {"quarter": ["Give a quarter from 1 to 4."]}),
        ({"value": "-1"}, {"value": ["A negative figure is not allowed here."]}),
        ({"value": None}, {"value": ["Give the realisation."]}),
    ]
    for kwargs, expected in cases:
        with pytest.raises(ValidationError) as error:
            enter(world.officer_a1, plan.docs, **kwargs)
        assert error.value.message_dict == expected
    with pytest.raises(ValidationError) as error:
        enter(world.officer_a1, plan.docs, files=[upload("laporan.pdf", pdf_bytes()), upload("virus.pdf", exe_bytes())])
    assert list(error.value.message_dict) == ["files"]
    assert error.value.message_dict["files"][0].startswith("virus.pdf: This file is not a PDF/JPG/PNG document")
    with pytest.raises(ValidationError) as error:
        actions.enter_realisation(world.officer_a1, plan.docs, 2031, 1, value=Decimal(1))
    assert error.value.message_dict == {"year": ["The year is outside the planning period."]}
    assert not Realisation.objects.exists() and not Evidence.objects.exists()


def test_yes_no_needs_an_answer(world, plan, in_q3):
    with pytest.raises(ValidationError) as error:
        actions.enter_realisation(world.officer_a1, plan.sop, 2026, 1)
    assert error.value.message_dict == {"achieved": ["Say whether the target was achieved."]}
    realisation = actions.enter_realisation(world.officer_a1, plan.sop, 2026, 1, achieved=True, value=Decimal(5))
    assert (realisation.achieved, realisation.value) == (True, None)


def test_targets_set_by_the_region_administrator_with_checks(world, plan):
    with pytest.raises(PermissionDenied):
        actions.set_target(world.officer_a1, plan.docs, 2027, 0, Decimal(85))
    assert actions.set_target(world.admin_a, plan.docs, 2027, 0, Decimal(85)).value == 85
    with pytest.raises(ValidationError) as error:
        actions.set_target(world.admin_a, plan.ikm, 2027, 0, Decimal(90), Decimal(80))
    assert error.value.message_dict == {"value_high": ["The upper end of the range is below its lower end."]}
    with pytest.raises(ValidationError) as error:
        actions.set_target(world.admin_a, plan.docs, 2027, 1, Decimal(-5), Decimal(9))
    assert error.value.message_dict == {
        "value": ["A negative figure is not allowed here."],
        "value_high": ["Only a range target has an upper end."],
    }


def test_who_reads_what(world, plan, in_q3):
    submitted = enter(world.officer_a1, plan.docs)
    verified = enter(world.officer_a2, plan.stunting)
    actions.review_realisation(world.admin_a, verified, approve=True)
    region = world.region_a

    def seen(user):
        return set(selectors.realisations(user, region))

    assert seen(world.officer_a2) == {submitted, verified}  # staff of the region see the plan's progress
    assert seen(None) == {verified}  # the public: verified and published only
    assert seen(world.officer_b1) == {verified}  # another region: what is published
    assert set(selectors.evidence_for(world.officer_b1, submitted)) == set()
    leader = world.citizen
    assert seen(leader) == {verified}
    LeadershipSeat.objects.create(region=region, user=leader, title="Bupati")
    assert seen(leader) == {submitted, verified}
    assert selectors.may_see_region_dashboard(leader, region)
    assert not selectors.may_see_region_dashboard(leader, world.region_b)
    with pytest.raises(PermissionDenied):  # the leadership reads only
        enter(leader, plan.docs)
    with pytest.raises(PermissionDenied):
        actions.review_realisation(leader, submitted, approve=True)


def test_an_unpublished_plan_is_private(world, plan):
    plan.period.is_published = False
    plan.period.save()
    assert not selectors.indicators(None, world.region_a).exists()
    assert not selectors.indicators(world.admin_b, world.region_a).exists()
    assert selectors.indicators(world.officer_a1, world.region_a).count() == 6
