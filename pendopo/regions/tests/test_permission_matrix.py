"""The whole permission matrix, generated: every persona × every action × objects in own/other region and agency.

The expected answer comes from the table in pendopo/regions/permissions.py's docstring, written
out here independently; `can()` and `visible_to()` must both agree with it for every cell.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import pytest

from pendopo.regions.models import Agency, Membership, Role
from pendopo.regions.permissions import Action, can, visible_to


@dataclass(frozen=True)
class Persona:
    role: Role
    region: str | None
    agency: str | None = None
    service_point: str | None = None


PERSONAS = {
    "anonymous": Persona(Role.CITIZEN, None),
    "citizen": Persona(Role.CITIZEN, None),
    "officer_a1": Persona(Role.OFFICER, "a", agency="a1"),
    "officer_a2": Persona(Role.OFFICER, "a", agency="a2"),
    "counter_officer_a": Persona(Role.OFFICER, "a", service_point="counter_a"),
    "head_a1": Persona(Role.HEAD, "a", agency="a1"),
    "admin_a": Persona(Role.REGION_ADMIN, "a"),
    "officer_b1": Persona(Role.OFFICER, "b", agency="b1"),
    "admin_b": Persona(Role.REGION_ADMIN, "b"),
    "platform_admin": Persona(Role.PLATFORM_ADMIN, None),
}

ROLE_ACTIONS = {
    Role.OFFICER: {Action.VIEW, Action.ACT},
    Role.HEAD: {Action.VIEW, Action.ACT, Action.APPROVE},
    Role.REGION_ADMIN: set(Action),
}


def expected(
    persona: Persona, action: Action, *, region: str, agency: str | None, public: bool, staff_view: bool, owner: bool
) -> bool:
    if persona.role == Role.PLATFORM_ADMIN:
        return True
    if action == Action.VIEW and public:
        return True
    if owner and action in (Action.VIEW, Action.ACT):
        return True
    if persona.region != region or persona.role == Role.CITIZEN:
        return False
    if persona.role == Role.REGION_ADMIN:
        return True
    if action not in ROLE_ACTIONS[persona.role]:
        return False
    if action == Action.VIEW and staff_view:
        return True
    return agency is not None and agency in (persona.agency, persona.service_point)


def _user(world, name):
    if name == "anonymous":
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return getattr(world, name)


CELLS = list(itertools.product(PERSONAS, list(Action), ["a1", "a2", "b1"]))


@pytest.mark.parametrize(("persona_name", "action", "agency_key"), CELLS)
def test_agency_matrix(world, persona_name, action, agency_key):
    """Agencies are public to view; acting on, approving for and managing them follows the roles."""
    agency: Agency = getattr(world, f"agency_{agency_key}")
    user = _user(world, persona_name)
    want = expected(
        PERSONAS[persona_name], action, region=agency_key[0], agency=agency_key, public=True, staff_view=False, owner=False
    )
    assert can(user, action, agency) is want
    assert visible_to(user, Agency.objects.all(), action).filter(pk=agency.pk).exists() is want


MEMBERS = {"officer_a2": ("a", "a2"), "counter_officer_a": ("a", "counter_a"), "officer_b1": ("b", "b1")}


@pytest.mark.parametrize(("persona_name", "action", "member_name"), list(itertools.product(PERSONAS, list(Action), MEMBERS)))
def test_membership_matrix(world, persona_name, action, member_name):
    """Memberships are private: staff of the region see them, only region admins change them, nobody else sees them."""
    membership = Membership.objects.get(user=getattr(world, member_name))
    user = _user(world, persona_name)
    region, scope = MEMBERS[member_name]
    want = expected(
        PERSONAS[persona_name],
        action,
        region=region,
        agency=scope,
        public=False,
        staff_view=True,
        owner=persona_name == member_name,
    )
    assert can(user, action, membership) is want
    assert visible_to(user, Membership.objects.all(), action).filter(pk=membership.pk).exists() is want


def test_no_cross_region_private_data(world):
    """A summary of the matrix: nobody in region B can see a single private row of region A."""
    for name in ("officer_b1", "admin_b"):
        user = getattr(world, name)
        assert not visible_to(user, Membership.objects.filter(region=world.region_a)).exists()
        for action in (Action.ACT, Action.APPROVE, Action.MANAGE):
            assert not visible_to(user, Agency.objects.filter(region=world.region_a), action).exists()


def test_inactive_membership_grants_nothing(world):
    Membership.objects.filter(user=world.admin_a).update(is_active=False)
    world.admin_a.refresh_from_db()
    assert not can(world.admin_a, Action.MANAGE, world.agency_a1)
