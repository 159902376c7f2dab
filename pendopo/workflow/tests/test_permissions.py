"""The permission matrix of apply_action: every persona against cases of agency A1 and of a counter."""

from __future__ import annotations

import pytest

from pendopo.regions.permissions import Action, can, visible_to
from pendopo.workflow.engine import apply_action
from pendopo.workflow.errors import NotAllowed
from pendopo.workflow.models import Case, CaseEvent
from pendopo.workflow.permissions import roles_for

# Who may "receive" (officer, head) a new application of agency A1, and one at counter A.
AGENCY_CASE = {
    "citizen": False,  # the applicant, but receiving is not theirs
    "officer_a1": True,
    "officer_a2": False,  # another agency of the same region
    "counter_officer_a": False,  # a service point the case is not at
    "head_a1": True,
    "admin_a": False,  # region administrators are not in the default workflow's roles
    "officer_b1": False,  # another region
    "admin_b": False,
    "platform_admin": False,  # counts as region administrator only
}
COUNTER_CASE = {**AGENCY_CASE, "officer_a1": False, "head_a1": False, "counter_officer_a": True}


@pytest.mark.parametrize(("where", "expected"), [("agency", AGENCY_CASE), ("counter", COUNTER_CASE)])
def test_who_may_receive(world, open_application, where, expected):
    for name, allowed in expected.items():
        user = getattr(world, name)
        case = open_application(service_point=world.counter_a) if where == "counter" else open_application()
        if allowed:
            assert apply_action(case, "receive", user).case.state == "verification", name
        else:
            with pytest.raises(NotAllowed):
                apply_action(case, "receive", user)
            fresh = Case.objects.get(pk=case.pk)
            assert (fresh.state, fresh.events.count()) == ("submitted", 1), name


def test_only_the_owner_withdraws(world, open_application):
    for name in AGENCY_CASE:
        case = open_application()
        user = getattr(world, name)
        if name == "citizen":
            assert apply_action(case, "withdraw", user).case.outcome == "withdrawn"
        else:
            with pytest.raises(NotAllowed):
                apply_action(case, "withdraw", user)
    with pytest.raises(NotAllowed):
        apply_action(open_application(), "withdraw", None)


def test_roles_agree_with_the_resolver(world, open_application):
    """A user holds a role on a case exactly when pendopo.regions.permissions lets them act on it."""
    cases = [open_application(), open_application(service_point=world.counter_a), open_application(owner=None)]
    for case in cases:
        for name, user in world.personas().items():
            assert bool(roles_for(case, user)) == can(user, Action.ACT, case), (name, case.service_point_id, case.owner_id)


def test_cases_and_events_are_scoped(world, open_application):
    mine = open_application()
    other = open_application(service_point=world.counter_a, owner=None)
    for name, expected in {
        "citizen": {mine.pk},
        "officer_a1": {mine.pk},
        "officer_a2": set(),
        "counter_officer_a": {other.pk},
        "admin_a": {mine.pk, other.pk},
        "officer_b1": set(),
        "admin_b": set(),
    }.items():
        user = getattr(world, name)
        assert set(visible_to(user, Case.objects.all()).values_list("pk", flat=True)) == expected, name
        assert set(visible_to(user, CaseEvent.objects.all()).values_list("case_id", flat=True)) == expected, name
