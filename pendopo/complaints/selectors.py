"""Permission-scoped reads of complaints, and the scopes the resolver applies to this app's models.

Who sees what (on top of pendopo.regions.permissions):

- anyone: non-confidential complaints no moderator hid: category, description, place, status,
  agency, public responses, photos (never an identity);
- the complainant (the owner, or whoever holds the code and its secret): their own complaint,
  even confidential, with the public responses and their own replies;
- officers and heads of the complaint's agency, the region administrator: the complaint,
  internal notes, hidden messages, and the identity unless the complaint is anonymous;
- other agencies, other regions: only what anyone sees.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.db.models import Case as SqlCase
from django.db.models import F, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse

from pendopo.complaints import keyring, keys
from pendopo.complaints.models import (
    ApiClient,
    CategoryAttribute,
    Channel,
    Complaint,
    ComplaintCategory,
    ComplaintMessage,
    ComplaintPhoto,
    MessageKind,
    Privacy,
    ResponseTemplate,
    Verification,
    public_q,
)
from pendopo.lib import codes, dates
from pendopo.regions.models import Agency, Region
from pendopo.regions.permissions import Action, Scope, get_for_user, register_scope, visible_to
from pendopo.workflow.definition import ActorRole
from pendopo.workflow.permissions import roles_for
from pendopo.workflow.selectors import case_page

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpRequest

    from pendopo.regions.models import User

register_scope(ComplaintCategory, Scope(region="region_id", agency="agency_id", public=Q(is_active=True, region__is_active=True)))
register_scope(CategoryAttribute, Scope(region="region_id", public=Q(category__is_active=True, region__is_active=True)))
register_scope(ResponseTemplate, Scope(region="region_id", agency="category__agency_id", staff_view=True))
register_scope(
    Complaint,
    Scope(
        region="region_id",
        agency="case__agency_id",
        service_point="case__service_point_id",
        owner="case__owner_id",
        public=public_q(),
    ),
)
register_scope(
    ComplaintMessage,
    Scope(
        region="region_id",
        agency="complaint__case__agency_id",
        public=Q(kind=MessageKind.RESPONSE, hidden_at=None) & public_q("complaint__"),
    ),
)
register_scope(
    ComplaintPhoto,
    Scope(
        region="region_id", agency="complaint__case__agency_id", owner="complaint__case__owner_id", public=public_q("complaint__")
    ),
)
register_scope(ApiClient, Scope(region="region_id"))

STAFF = frozenset({ActorRole.OFFICER, ActorRole.HEAD, ActorRole.REGION_ADMIN})


def active_categories(user: User | AnonymousUser | None, region: Region) -> QuerySet[ComplaintCategory]:
    return (
        visible_to(user, ComplaintCategory.objects.filter(region=region))
        .filter(is_active=True)
        .select_related("agency")
        .order_by("name")
    )


def complaints_base() -> QuerySet[Complaint]:
    return Complaint.objects.select_related(
        "case__definition", "case__agency", "case__region__regency", "category", "region__regency", "village__district"
    )


def public_complaints(region: Region) -> QuerySet[Complaint]:
    """What anyone may see of a region's complaints (the same for every visitor, staff included)."""
    return visible_to(None, complaints_base().filter(region=region))


def inbox(user: User | AnonymousUser | None, region: Region) -> QuerySet[Complaint]:
    """Open complaints the user may act on, soonest deadline first."""
    return (
        visible_to(user, complaints_base().filter(region=region), Action.ACT)
        .filter(case__closed_at=None)
        .order_by("case__state_due_at", "pk")
    )


INBOX_PAGE_SIZE = 20
INBOX_MAX_PAGES = 50


@dataclass(frozen=True)
class InboxFilters:
    """The complaint inbox's filters (forms.InboxFilterForm reads them from the query string)."""

    state: str = ""  # a step of the complaint workflow; "" = any open step
    category: str = ""  # a category code
    agency: str = ""  # an agency code
    due: str = ""  # "overdue"
    verification: str = ""  # Verification value
    received_from: dt.date | None = None  # the region's local dates, both included
    received_to: dt.date | None = None
    closed: bool = False  # finished complaints too
    q: str = ""  # a tracking code, or (part of) a complainant's name
    page: int = 1


@dataclass(frozen=True)
class InboxRow:
    code: str
    url: str
    category: str
    complainant: str  # "" when anonymous (nothing is kept) or not given
    is_anonymous: bool
    channel: str
    verification: str
    verification_label: str
    state: str
    state_label: str
    received_text: str
    state_due_text: str
    is_overdue: bool
    is_closed: bool
    agency: str
    assigned_to: str


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    total: int
    page: int
    pages: int
    more: bool = False

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def inbox_choices(user: User | AnonymousUser | None, region: Region) -> dict[str, list[tuple[str, str]]]:
    """The inbox filters' choices: the steps of the region's complaint workflow, its categories, its agencies."""
    from pendopo.workflow.actions import DEFAULT_COMPLAINT_CODE
    from pendopo.workflow.errors import DefinitionNotActive
    from pendopo.workflow.selectors import definition_for

    try:
        states = [(state.key, state.label) for state in definition_for(region, [DEFAULT_COMPLAINT_CODE]).spec.states]
    except DefinitionNotActive:
        states = []
    categories = visible_to(user, ComplaintCategory.objects.filter(region=region)).order_by("name")
    agencies = visible_to(user, Agency.objects.filter(region=region, is_active=True)).order_by("name")
    return {
        "states": states,
        "categories": list(categories.values_list("code", "name")),
        "agencies": list(agencies.values_list("code", "name")),
    }


def _local_midnight(region: Region, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=ZoneInfo(region.time_zone))


def _search_q(text: str) -> Q:
    """A tracking code finds its complaint; anything else, the complainants whose name holds it (an
    anonymous complaint keeps no name, so it is never found by one)."""
    try:
        return Q(case__code=codes.normalise(text))
    except codes.CodeError:
        return Q(reporter_name__icontains=text.strip())


def inbox_queryset(
    user: User | AnonymousUser | None, region: Region, filters: InboxFilters, now: dt.datetime | None = None
) -> QuerySet[Complaint]:
    """The complaints of the user's inbox with the filters: reports awaiting verification first, then
    the soonest deadline (not yet sliced)."""
    from pendopo.applications.selectors import overdue_q

    now = now or dates.now()
    qs = visible_to(user, complaints_base().filter(region=region), Action.ACT)
    if filters.state:
        qs = qs.filter(case__state=filters.state)
    elif not filters.closed:
        qs = qs.filter(case__closed_at=None)
    if filters.category:
        qs = qs.filter(category__code=filters.category)
    if filters.agency:
        qs = qs.filter(case__agency__code=filters.agency)
    if filters.due == "overdue":
        qs = qs.filter(overdue_q(now))
    if filters.verification:
        qs = qs.filter(verification=filters.verification)
    if filters.received_from:
        qs = qs.filter(case__received_at__gte=_local_midnight(region, filters.received_from))
    if filters.received_to:
        qs = qs.filter(case__received_at__lt=_local_midnight(region, filters.received_to + dt.timedelta(days=1)))
    if filters.q:
        qs = qs.filter(_search_q(filters.q))
    waiting_first = SqlCase(When(verification=Verification.PENDING, then=Value(0)), default=Value(1))
    return qs.order_by(waiting_first, F("case__state_due_at").asc(nulls_last=True), "pk")


_INBOX_EXTRA = {
    "category": "category__name",
    "reporter_name": "reporter_name",
    "privacy": "privacy",
    "channel": "channel",
    "verification": "verification",
}


def inbox_page(
    user: User | AnonymousUser | None,
    region: Region,
    filters: InboxFilters | None = None,
    *,
    page_size: int = INBOX_PAGE_SIZE,
    now: dt.datetime | None = None,
) -> InboxPage:
    """One page of the complaint inbox: its rows come from the cases' one read side
    (workflow.selectors.case_page), like the applications inbox; two queries at any size.
    The export asks for one big page (`page_size`)."""
    from pendopo.applications.selectors import MomentText

    filters = filters or InboxFilters()
    now = now or dates.now()
    found = case_page(
        inbox_queryset(user, region, filters, now),
        page=filters.page,
        page_size=page_size,
        max_pages=INBOX_MAX_PAGES if page_size == INBOX_PAGE_SIZE else 1,
        prefix="case__",
        extra=_INBOX_EXTRA,
        now=now,
    )
    text = MomentText(region.time_zone)
    detail = reverse("complaints:detail", args=[region.slug, "CODE"])
    verification_labels = dict(Verification.choices)
    channel_labels = dict(Channel.choices)
    rows = [
        InboxRow(
            code=row.code,
            url=detail.replace("CODE", row.code),
            category=row.extra["category"],
            complainant="" if row.extra["privacy"] == Privacy.ANONYMOUS else row.extra["reporter_name"],
            is_anonymous=row.extra["privacy"] == Privacy.ANONYMOUS,
            channel=str(channel_labels.get(row.extra["channel"], row.extra["channel"])),
            verification=row.extra["verification"],
            verification_label=str(verification_labels.get(row.extra["verification"], "")),
            state=row.state,
            state_label=row.state_label,
            received_text=text(row.received_at),
            state_due_text=text(row.state_due_at) if not row.is_closed else "",
            is_overdue=row.is_overdue,
            is_closed=row.is_closed,
            agency=row.agency,
            assigned_to=row.assigned_to,
        )
        for row in found.rows
    ]
    return InboxPage(rows=rows, total=found.total, page=found.page, pages=found.pages, more=found.more)


@dataclass(frozen=True)
class Access:
    """What the person asking may do with one complaint."""

    roles: frozenset[ActorRole]
    is_complainant: bool

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF)

    @property
    def is_admin(self) -> bool:
        return ActorRole.REGION_ADMIN in self.roles

    def can_see_identity(self, complaint: Complaint) -> bool:
        return self.is_staff and complaint.privacy != Privacy.ANONYMOUS


def holds_key(request: HttpRequest, complaint: Complaint) -> bool:
    """Whether this browser's keyring (pendopo/complaints/keyring.py) holds the complaint's key."""
    secret = keyring.keys(request).get(complaint.code)
    return bool(secret and complaint.access_hash and keys.secret_matches(secret, complaint.access_hash))


def grant_access(request: HttpRequest, complaint: Complaint, secret: str) -> bool:
    """Put the complaint's key on this browser's keyring (if it is the key): never in the session."""
    if not complaint.access_hash or not keys.secret_matches(secret, complaint.access_hash):
        return False
    keyring.add(request, complaint.code, keys.normalise_secret(secret))
    return True


def complaint_for(request: HttpRequest, region: Region, code: str) -> tuple[Complaint, Access]:
    """The complaint with this code if the visitor may see it (public, complainant, or staff); else 404."""
    user = request.user
    qs = complaints_base().filter(region=region)
    try:
        complaint = get_for_user(user, qs, Action.VIEW, case__code=code)
    except Http404:
        found = qs.filter(case__code=code).first()
        if found is None or not holds_key(request, found):
            raise
        complaint = found
    roles = roles_for(complaint.case, user)
    is_complainant = ActorRole.APPLICANT in roles or holds_key(request, complaint)
    return complaint, Access(frozenset(roles), is_complainant)


def messages_for(complaint: Complaint, access: Access) -> list[ComplaintMessage]:
    """Staff see everything (hidden messages marked); the complainant the visible responses and their own replies;
    everyone else the visible public responses only (a complainant's reply is between them and the handling staff)."""
    qs = ComplaintMessage.objects.filter(complaint=complaint).select_related("author", "agency").order_by("created_at", "pk")
    if not access.is_staff:
        kinds = [MessageKind.RESPONSE, MessageKind.REPLY] if access.is_complainant else [MessageKind.RESPONSE]
        qs = qs.filter(hidden_at=None, kind__in=kinds)
    return list(qs)


def photos_for(complaint: Complaint) -> list[ComplaintPhoto]:
    return list(ComplaintPhoto.objects.filter(complaint=complaint).order_by("created_at", "pk"))


def templates_for(user: User | AnonymousUser | None, complaint: Complaint) -> QuerySet[ResponseTemplate]:
    return visible_to(
        user,
        ResponseTemplate.objects.filter(region_id=complaint.region_id).filter(Q(category=None) | Q(category=complaint.category)),
    ).order_by("title")


def api_client_for_key(region: Region, key: str) -> ApiClient | None:
    """The active client of `region` holding this key, or None."""
    prefix = keys.split(key)
    if prefix is None:
        return None
    client = ApiClient.objects.filter(key_prefix=prefix, region=region, revoked_at=None).first()
    if client is None or not keys.matches(key, client.key_hash):
        return None
    return client


# --- the public list: keyset pages on the complaint's own columns ---------------------------------------

PUBLIC_PAGE_SIZE = 20


@dataclass(frozen=True)
class PublicPage:
    complaints: list[Complaint]
    next_cursor: str  # "" on the last page
    is_first: bool


def _cursor(complaint: Complaint) -> str:
    micros = (complaint.created_at - dt.datetime(1970, 1, 1, tzinfo=dt.UTC)) // dt.timedelta(microseconds=1)
    return f"{micros}-{complaint.pk}"


def _parse_cursor(cursor: str) -> tuple[dt.datetime, int] | None:
    micros, _sep, pk = cursor.partition("-")
    if not (micros.isdecimal() and micros.isascii() and pk.isdecimal() and pk.isascii()) or len(micros) > 18:
        return None
    return dt.datetime(1970, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=int(micros)), int(pk)


def public_page(region: Region, *, status: str = "", agency_id: int | None = None, cursor: str = "") -> PublicPage:
    """One page of the region's public complaints, newest first, after `cursor` (the previous page's last row).

    Sorted by the complaint's own `created_at` (the moment the case was received) and id, which
    the partial index `complaint_public_list_idx` holds in that order, so a page reads its 21 rows
    from the index whatever the number of complaints: no count, no offset, no sort of the table.
    """
    qs = visible_to(None, Complaint.objects.filter(region=region)).select_related(
        "case__definition", "case__agency", "category", "region"
    )
    if status == "open":
        qs = qs.filter(case__closed_at=None)
    elif status == "closed":
        qs = qs.exclude(case__closed_at=None)
    if agency_id is not None:
        qs = qs.filter(case__agency_id=agency_id)
    after = _parse_cursor(cursor) if cursor else None
    if after is not None:
        created_at, pk = after
        qs = qs.filter(Q(created_at__lt=created_at) | Q(created_at=created_at, pk__lt=pk))
    rows = list(qs.order_by("-created_at", "-pk")[: PUBLIC_PAGE_SIZE + 1])
    more = len(rows) > PUBLIC_PAGE_SIZE
    rows = rows[:PUBLIC_PAGE_SIZE]
    return PublicPage(complaints=rows, next_cursor=_cursor(rows[-1]) if more else "", is_first=after is None)
