"""Reads of accounts: where a user lands after logging in, a region's staff and open invitations."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django.urls import NoReverseMatch, reverse

from pendopo.accounts.models import Invitation
from pendopo.lib import dates
from pendopo.regions.models import Membership, Role, User
from pendopo.regions.permissions import Action, Scope, register_scope, role_in, visible_to

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from pendopo.regions.models import Region

register_scope(Invitation, Scope(region="region_id"))


def _reverse(name: str, *args: str) -> str | None:
    try:
        return reverse(name, args=list(args) or None)
    except NoReverseMatch:
        return None


def landing_url(user: User | AnonymousUser) -> str:
    """Each role's work: administrators their region's settings, heads their dashboard, officers their inbox,
    citizens their applications. A member of several regions lands in the first, strongest role."""
    if not user.is_authenticated:
        return reverse("login")
    if user.is_platform_admin:
        return reverse("admin:index")
    memberships = sorted(
        user.active_memberships,
        key=lambda m: ([Role.REGION_ADMIN, Role.HEAD, Role.OFFICER].index(Role(m.role)), m.region.slug),
    )
    for membership in memberships:
        slug = membership.region.slug
        if membership.role == Role.REGION_ADMIN:
            # The region's settings: the setup checklist, profile, hours, imports, workflows.
            return _reverse("setup:home", slug) or reverse("regions:home", args=[slug])
        if membership.role == Role.HEAD:
            # The head's own page (performance's dashboard: the agency's day, deadlines, people, indicators).
            url: str | None = reverse("performance:head_dashboard", args=[slug])
        else:
            url = _reverse("applications:inbox", slug)
        if url:
            return url
    return _reverse("applications:mine") or reverse("home")


def may_manage_staff(user: User | AnonymousUser, region: Region) -> bool:
    return role_in(user, region) in (Role.REGION_ADMIN, Role.PLATFORM_ADMIN)


def staff_of(region: Region) -> QuerySet[User]:
    """The region's staff with their memberships in it (one query for each)."""
    memberships = Membership.objects.filter(region=region).select_related("agency", "service_point").order_by("role", "pk")
    return (
        User.objects.filter(memberships__region=region)
        .distinct()
        .prefetch_related(Prefetch("memberships", queryset=memberships, to_attr="region_memberships"))
        .order_by("full_name", "username")
    )


def open_invitations(user: User | AnonymousUser, region: Region) -> QuerySet[Invitation]:
    return (
        visible_to(user, Invitation.objects.filter(region=region, accepted_at=None, expires_at__gt=dates.now()), Action.MANAGE)
        .select_related("agency", "service_point")
        .order_by("-created_at")
    )
