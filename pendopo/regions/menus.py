"""The site's menus: what a visitor, a citizen and a region's staff can reach from every page.

The other apps' pages are found by URL name and left out when the app is not installed (a
`NoReverseMatch`), so this app still depends on none of them. Staff links follow the same role
the permission resolver gives (`role_in`); the pages themselves check permissions again.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _

from pendopo.regions.models import Role
from pendopo.regions.permissions import role_in

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import Promise

    from pendopo.regions.models import Region, User


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url: str
    current: bool = False
    description: str | Promise = ""


@dataclass(frozen=True)
class _Entry:
    label: Promise
    url_name: str
    # View names (or namespaces ending in ":") under which the entry is the current one.
    current_for: tuple[str, ...]
    in_region: bool = True
    description: Promise | str = ""
    # View names matched by `current_for` under which the entry is nevertheless not the current one.
    not_current_for: frozenset[str] = frozenset()


# The catalogue pages of officers: they have their own staff entry, not the public "Services" one.
_STAFF_CATALOG_VIEWS = frozenset(
    f"catalog:{name}"
    for name in (
        "manage",
        "create",
        "copy",
        "import",
        "export_full",
        "edit",
        "edit_standard",
        "start_draft",
        "preview",
        "publish",
        "discard",
    )
)

# The public pages of a region, in the order a citizen looks for them.
REGION_PAGES = (
    _Entry(_("Region home"), "regions:home", ("regions:home",)),
    _Entry(
        _("Services"),
        "catalog:list",
        ("catalog:",),
        not_current_for=_STAFF_CATALOG_VIEWS,
        description=_("What the region serves: requirements, procedure, time limit and fee of each service."),
    ),
    _Entry(_("Agencies"), "regions:agencies", ("regions:agencies", "regions:agency")),
    _Entry(_("Service points"), "regions:service_points", ("regions:service_points",)),
    _Entry(
        _("Complaints"),
        "complaints:list",
        ("complaints:list", "complaints:file", "complaints:map", "complaints:stats", "complaints:detail"),
        description=_("File a complaint, an aspiration or a question, and follow how the agency answers it."),
    ),
    _Entry(
        _("Satisfaction (SKM)"),
        "surveys:public",
        ("surveys:",),
        description=_("Rate a service you used and read the community satisfaction index."),
    ),
    _Entry(_("Staple-food prices"), "prices:public", ("prices:public",)),
    _Entry(
        _("Queue"),
        "queueing:index",
        ("queueing:index", "queueing:ticket"),
        description=_("How many people wait at the service mall now, and about how long."),
    ),
    _Entry(
        _("Innovations"),
        "innovations:list",
        ("innovations:list", "innovations:detail", "innovations:index"),
        description=_("The region's innovations, who replicated them, and its innovation index (IID)."),
    ),
    _Entry(
        _("Cooperation"),
        "cooperation:index",
        ("cooperation:", "insights:"),
        description=_("Study visits, cooperation agreements, the adoption roadmap, and regions compared side by side."),
    ),
    _Entry(
        _("Track an application"),
        "applications:track_search",
        ("applications:track_search", "applications:track"),
        in_region=False,
        description=_("Follow an application with its tracking code."),
    ),
    _Entry(
        _("Performance (SAKIP)"),
        "performance:indicators",
        ("performance:indicators", "performance:realisation", "performance:definitions", "performance:evaluation"),
        description=_("The region's plan, its indicators, targets and what each quarter achieved, and its SAKIP grade."),
    ),
)

# The working pages of a region's staff.
STAFF_PAGES = (
    _Entry(_("Application inbox"), "applications:inbox", ("applications:inbox",)),
    _Entry(_("Complaint inbox"), "complaints:inbox", ("complaints:inbox",)),
    _Entry(_("Queue counters"), "queueing:counters", ("queueing:counters", "queueing:counter")),
    _Entry(_("Manage services"), "catalog:manage", tuple(sorted(_STAFF_CATALOG_VIEWS))),
    _Entry(_("Price dashboard"), "prices:dashboard", ("prices:dashboard", "prices:review", "prices:entry", "prices:import")),
    _Entry(
        _("Innovations"),
        "innovations:manage",
        tuple(f"innovations:{name}" for name in ("manage", "create", "edit", "scores", "score_row", "verify", "spd", "spd_row")),
    ),
)
HEAD_PAGES = (
    _Entry(_("Service performance"), "applications:metrics", ("applications:metrics",)),
    _Entry(_("Agency dashboard"), "performance:head_dashboard", ("performance:head_dashboard",)),
)
# The region administrator's own pages (pendopo/accounts): inviting and switching off staff.
ADMIN_PAGES = (
    _Entry(_("Staff"), "accounts:staff", ("accounts:staff", "accounts:invite")),
    _Entry(_("Region setup"), "setup:home", ("setup:",)),
    _Entry(_("Leadership dashboard"), "performance:region_dashboard", ("performance:region_dashboard",)),
)


def _url(entry: _Entry, region: Region | None) -> str | None:
    if entry.in_region and region is None:
        return None
    return _reverse(entry.url_name, region.slug if entry.in_region and region is not None else None, get_script_prefix())


@lru_cache(maxsize=4096)
def _reverse(url_name: str, slug: str | None, prefix: str) -> str | None:
    """The menus' URLs: the same dozen on every page, so reversed once per region (and script prefix)."""
    try:
        return reverse(url_name, args=[slug] if slug is not None else None)
    except NoReverseMatch:
        return None


def _is_current(entry: _Entry, view_name: str) -> bool:
    if view_name in entry.not_current_for:
        return False
    return any(view_name == name or (name.endswith(":") and view_name.startswith(name)) for name in entry.current_for)


def _items(entries: tuple[_Entry, ...], region: Region | None, view_name: str) -> list[MenuItem]:
    items = []
    for entry in entries:
        url = _url(entry, region)
        if url is None:
            continue
        items.append(MenuItem(entry.label, url, _is_current(entry, view_name), entry.description))
    return items


def region_menu(region: Region | None, view_name: str = "") -> list[MenuItem]:
    """The public pages of a region (or, outside a region, the pages that need none)."""
    entries = REGION_PAGES if region is not None else tuple(e for e in REGION_PAGES if not e.in_region)
    return _items(entries, region, view_name)


def staff_menu(user: User | AnonymousUser | None, region: Region | None, view_name: str = "") -> list[MenuItem]:
    """The working pages of the region's officers, heads and administrators; empty for everyone else."""
    if region is None or user is None or not user.is_authenticated:
        return []
    role = role_in(user, region)
    if role == Role.CITIZEN:
        return []
    entries = STAFF_PAGES + (HEAD_PAGES if role in (Role.HEAD, Role.REGION_ADMIN, Role.PLATFORM_ADMIN) else ())
    entries += ADMIN_PAGES if role in (Role.REGION_ADMIN, Role.PLATFORM_ADMIN) else ()
    if role not in (Role.REGION_ADMIN, Role.PLATFORM_ADMIN) and not any(
        m.region_id == region.pk and m.agency_id for m in user.active_memberships
    ):
        # Services belong to agencies: staff of a counter or a village office edit none.
        entries = tuple(e for e in entries if e.url_name != "catalog:manage")
    return _items(entries, region, view_name)


def citizen_menu(user: User | AnonymousUser | None, view_name: str = "") -> list[MenuItem]:
    """What a logged-in user reaches from any page: their own applications and their account."""
    if user is None or not user.is_authenticated:
        return []
    entries = (
        _Entry(_("My applications"), "applications:mine", ("applications:mine",), in_region=False),
        _Entry(_("My account"), "accounts:profile", ("accounts:profile",), in_region=False),
    )
    return _items(entries, None, view_name)
