"""Acting on an unassigned application assigns it to whoever acted; an assigned one stays with its holder."""

from __future__ import annotations

import pytest

from pendopo.applications import actions

pytestmark = pytest.mark.django_db


def test_the_officer_who_acts_first_holds_the_application(world, apply):
    application = apply()
    application = actions.take_action(application, "receive", world.officer_a1)
    assert application.case.assigned_to == world.officer_a1
    application = actions.take_action(application, "verify", world.head_a1)
    assert application.case.assigned_to == world.officer_a1  # already assigned: unchanged


def test_the_citizen_acting_assigns_nobody(world, apply):
    application = actions.take_action(apply(), "withdraw", world.citizen)
    assert application.case.assigned_to is None
