"""Who is who on a case, and the permission scopes of this app's models.

The roles of a user on one case follow the same rules as pendopo.regions.permissions (its
module docstring has the table): the owner is the applicant; an officer or head acts on the
cases of the agency or service point their membership binds them to; a region administrator on
every case of the region; a platform administrator counts as a region administrator
everywhere. `test_permissions.py` checks that these roles agree with `can(user, ACT, case)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from pendopo.regions.models import Membership, Role
from pendopo.regions.permissions import Scope, register_scope
from pendopo.workflow.definition import ActorRole
from pendopo.workflow.models import Case, CaseEvent, WorkflowDefinition
from pendopo.workflow.registry import hooks_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from pendopo.regions.models import User

_MEMBER_ROLES = {Role.OFFICER: ActorRole.OFFICER, Role.HEAD: ActorRole.HEAD, Role.REGION_ADMIN: ActorRole.REGION_ADMIN}


def is_owner(case: Case, user: User | AnonymousUser | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if case.owner_id is not None and case.owner_id == user.pk:
        return True
    check = hooks_for(case.kind).is_owner
    return bool(check and check(case, user))


def roles_for(case: Case, user: User | AnonymousUser | None) -> frozenset[ActorRole]:
    """The roles `user` holds on `case` (no query beyond the user's cached memberships)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    roles: set[ActorRole] = set()
    if is_owner(case, user):
        roles.add(ActorRole.APPLICANT)
    if user.is_platform_admin:
        roles.add(ActorRole.REGION_ADMIN)
    for membership in user.active_memberships:
        if membership.region_id != case.region_id:
            continue
        if membership.role == Role.REGION_ADMIN:
            roles.add(ActorRole.REGION_ADMIN)
        elif (membership.agency_id and membership.agency_id == case.agency_id) or (
            membership.service_point_id and membership.service_point_id == case.service_point_id
        ):
            roles.add(_MEMBER_ROLES[Role(membership.role)])
    return frozenset(roles)


# The role written on an event when the actor holds several: the strongest staff role first.
ROLE_PRECEDENCE = (ActorRole.REGION_ADMIN, ActorRole.HEAD, ActorRole.OFFICER, ActorRole.APPLICANT)


def staff_in_role(case: Case, role: ActorRole | str) -> QuerySet[User]:
    """Active users holding `role` (officer, head, region_admin) for this case: whom to notify."""
    memberships = Membership.objects.filter(region_id=case.region_id, is_active=True, role=str(role))
    if role != ActorRole.REGION_ADMIN:
        bound = Q(pk__in=[])
        if case.agency_id:
            bound |= Q(agency_id=case.agency_id)
        if case.service_point_id:
            bound |= Q(service_point_id=case.service_point_id)
        memberships = memberships.filter(bound)
    user_model = get_user_model()
    return user_model.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by("pk")


register_scope(WorkflowDefinition, Scope(region="region_id", staff_view=True))
register_scope(Case, Scope(region="region_id", agency="agency_id", service_point="service_point_id", owner="owner_id"))
register_scope(
    CaseEvent,
    Scope(region="region_id", agency="case__agency_id", service_point="case__service_point_id", owner="case__owner_id"),
)
