"""The one permission resolver: what a user may see and do with region-owned data.

Every view, API handler, admin page and command that reads region-owned data goes through
`visible_to` (a queryset scoped to the user) or `can`/`get_for_user` (one object). Nothing
else filters by region by hand, so the rules below are the whole story:

| role | view | act (handle cases) | approve | manage (configure) |
| --- | --- | --- | --- | --- |
| anyone | published data only | — | — | — |
| citizen | + own records | own records | — | — |
| officer | + own agency / service point | own agency / service point | — | — |
| agency head | + own agency / service point | own agency / service point | own agency / service point | — |
| region administrator | whole region | whole region | whole region | whole region |
| platform administrator | everything | everything | everything | everything |

Region-level records that belong to no agency (calendar changes, memberships) are visible to
every staff member of the region when the model's scope says `staff_view=True`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import MultipleObjectsReturned, ObjectDoesNotExist, PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404, HttpRequest

from pendopo.regions.models import (
    Agency,
    CalendarOverride,
    Membership,
    OfficeHours,
    Region,
    Role,
    ServicePoint,
    User,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

M = TypeVar("M", bound=models.Model)


class Action(StrEnum):
    VIEW = "view"
    ACT = "act"
    APPROVE = "approve"
    MANAGE = "manage"


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.OFFICER: frozenset({Action.VIEW, Action.ACT}),
    Role.HEAD: frozenset({Action.VIEW, Action.ACT, Action.APPROVE}),
    Role.REGION_ADMIN: frozenset(Action),
}


@dataclass(frozen=True)
class Scope:
    """How a model's rows relate to regions, agencies, service points and owners (ORM paths)."""

    region: str
    agency: str | None = None
    service_point: str | None = None
    owner: str | None = None
    public: Q | None = None
    staff_view: bool = False


_SCOPES: dict[type[models.Model], Scope] = {}


def register_scope(model: type[models.Model], scope: Scope) -> None:
    _SCOPES[model] = scope


def scope_of(model: type[models.Model]) -> Scope:
    try:
        return _SCOPES[model]
    except KeyError:
        raise LookupError(f"{model.__name__} has no permission scope; call register_scope for it.") from None


_NOTHING = Q(pk__in=[])


def _q(path: str | None, value: Any) -> Q | None:
    return Q(**{path: value}) if path else None


def scope_filter(user: User | AnonymousUser | None, model: type[models.Model], action: Action = Action.VIEW) -> Q:
    """The filter of the rows of `model` that `user` may `action`."""
    scope = scope_of(model)
    condition = _NOTHING
    if action == Action.VIEW and scope.public is not None:
        condition |= scope.public
    if user is None or not user.is_authenticated:
        return condition
    if user.is_platform_admin:
        return Q()
    if scope.owner and action in (Action.VIEW, Action.ACT):
        condition |= Q(**{scope.owner: user.pk})
    for membership in user.active_memberships:
        if action not in ROLE_ACTIONS[membership.role]:
            continue
        in_region = Q(**{scope.region: membership.region_id})
        if membership.role == Role.REGION_ADMIN:
            condition |= in_region
            continue
        local = _NOTHING
        if membership.agency_id and scope.agency:
            local |= Q(**{scope.agency: membership.agency_id})
        if membership.service_point_id and scope.service_point:
            local |= Q(**{scope.service_point: membership.service_point_id})
        if action == Action.VIEW and scope.staff_view:
            local = Q()
        condition |= in_region & local
    return condition


def visible_to(
    user: User | AnonymousUser | None, queryset: models.QuerySet[M], action: Action = Action.VIEW
) -> models.QuerySet[M]:
    """`queryset` narrowed to what `user` may `action` (view by default)."""
    return queryset.filter(scope_filter(user, queryset.model, action))


def can(user: User | AnonymousUser | None, action: Action, obj: models.Model) -> bool:
    """May `user` `action` this object? One query, answered by the same rules as `visible_to`."""
    if user is not None and user.is_authenticated and user.is_platform_admin:
        return True
    model = type(obj)
    return model._default_manager.filter(pk=obj.pk).filter(scope_filter(user, model, action)).exists()


def get_for_user(
    user: User | AnonymousUser | None, queryset: models.QuerySet[M], action: Action = Action.VIEW, **lookup: Any
) -> M:
    """One object the user may `action`, or 404 — never revealing that it exists elsewhere."""
    try:
        return visible_to(user, queryset, action).get(**lookup)
    except (ObjectDoesNotExist, MultipleObjectsReturned, ValueError):
        raise Http404 from None


def region_for(user: User | AnonymousUser | None, slug: str) -> Region:
    """The region at `slug` if `user` may view it, else 404: the answer of
    `get_for_user(user, Region.objects.select_related("regency"), slug=slug)`.

    A member of the region who may view it (it is active, or they administer it, or they are a
    platform administrator) gets it from their cached memberships without a query; everyone else
    asks the database. The region returned to a member is shared with their other requests and
    threads: read it, never change it (its `regency` is loaded, `regency.province` is not).
    """
    if user is not None and user.is_authenticated:
        for membership in user.active_memberships:
            region = membership.region
            if region.slug == slug and (region.is_active or membership.role == Role.REGION_ADMIN or user.is_platform_admin):
                return region
    return get_for_user(user, Region.objects.select_related("regency"), slug=slug)


def regions_managed_by(user: User | AnonymousUser | None) -> models.QuerySet[Region]:
    return visible_to(user, Region.objects.all(), Action.MANAGE)


def users_managed_by(user: User | AnonymousUser | None) -> models.QuerySet[User]:
    """The accounts a user may manage: every account for a platform administrator; for a region
    administrator, the staff whose memberships all lie in regions they administer.

    An account that also belongs to another region, a platform administrator's, and a citizen's
    (no membership) are out of reach: a region administrator must not be able to take over an
    account by resetting its password.
    """
    if user is None or not user.is_authenticated:
        return User.objects.none()
    if user.is_platform_admin:
        return User.objects.all()
    managed = regions_managed_by(user).values("pk")
    own = Membership.objects.filter(user=models.OuterRef("pk"), region__in=managed)
    elsewhere = Membership.objects.filter(user=models.OuterRef("pk")).exclude(region__in=managed)
    return User.objects.filter(models.Exists(own), ~models.Exists(elsewhere), is_superuser=False)


def staff_regions(user: User | AnonymousUser | None) -> list[int]:
    """Ids of the regions in which the user holds any staff role."""
    if user is None or not user.is_authenticated:
        return []
    return sorted({m.region_id for m in user.active_memberships})


def acting_user(request: HttpRequest) -> User | None:
    """The signed-in user of a request, None when anonymous: the actor an action takes (and checks)."""
    user = request.user
    return user if isinstance(user, User) and user.is_authenticated else None


def signed_in(request: HttpRequest) -> User:
    """The user of a view behind `login_required`, typed as such (PermissionDenied were it reached anonymously)."""
    user = acting_user(request)
    if user is None:
        raise PermissionDenied
    return user


def role_in(user: User | AnonymousUser | None, region: Region) -> Role:
    """The strongest role a user holds in a region."""
    if user is None or not user.is_authenticated:
        return Role.CITIZEN
    if user.is_platform_admin:
        return Role.PLATFORM_ADMIN
    roles = {m.role for m in user.active_memberships if m.region_id == region.pk}
    for role in (Role.REGION_ADMIN, Role.HEAD, Role.OFFICER):
        if role in roles:
            return role
    return Role.CITIZEN


# --- scopes of this app's models -----------------------------------------------------------------

register_scope(Region, Scope(region="pk", public=Q(is_active=True)))
register_scope(Agency, Scope(region="region_id", agency="pk", public=Q(is_active=True, region__is_active=True)))
register_scope(
    ServicePoint,
    Scope(region="region_id", agency="agency_id", service_point="pk", public=Q(is_active=True, region__is_active=True)),
)
register_scope(OfficeHours, Scope(region="region_id", public=Q(region__is_active=True)))
register_scope(CalendarOverride, Scope(region="region_id", public=Q(region__is_active=True)))
register_scope(
    Membership, Scope(region="region_id", agency="agency_id", service_point="service_point_id", owner="user_id", staff_view=True)
)
