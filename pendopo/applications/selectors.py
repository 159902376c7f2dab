"""Permission-scoped reads of applications: one application, 'my applications', the officer inbox, tracking.

Every read goes through pendopo.regions.permissions (the scopes registered below): an officer
sees the applications of the agency or service point their membership binds them to, a head
the same, a region administrator the whole region, a citizen their own. Anything else is a 404,
never a hint that the application exists elsewhere. The public tracking page is the one read
by code alone, and it returns no personal data (see `Tracking`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db import router
from django.db.models import Exists, F, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import get_language

from pendopo.applications import links
from pendopo.applications.models import Application, Document, RequirementCheck
from pendopo.applications.requirements import ANSWER_PREFIX, answer_slots_of, requirement_slots_of
from pendopo.catalog.models import Service, ServiceStandard
from pendopo.lib import codes, dates
from pendopo.regions import hours, personal
from pendopo.regions.models import Region, Role
from pendopo.regions.permissions import Action, Scope, get_for_user, register_scope, visible_to
from pendopo.workflow.models import Case, CaseEvent, CaseKind, WorkflowDefinition, published_spec
from pendopo.workflow.selectors import Step, case_page, event_label, state_label, state_labels

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from pendopo.regions.models import User

register_scope(
    Application,
    Scope(region="region_id", agency="case__agency_id", service_point="case__service_point_id", owner="case__owner_id"),
)
register_scope(
    Document,
    Scope(
        region="region_id",
        agency="application__case__agency_id",
        service_point="application__case__service_point_id",
        owner="application__case__owner_id",
    ),
)

PAGE_SIZE = 50
# The inbox counts and pages through at most this many rows: beyond them an officer narrows the
# filters, and the count's cost stays bounded however many cases are open.
MAX_PAGES = 20
_RELATED = (
    "case__definition",
    "case__agency",
    "case__service_point",
    "case__assigned_to",
    "service",
    "standard",
    "region__regency",
)


def applications_visible_to(user: User | AnonymousUser | None, action: Action = Action.VIEW) -> QuerySet[Application]:
    return visible_to(user, Application.objects.select_related(*_RELATED), action)


def get_application_for_user(user: User | AnonymousUser | None, code: str, action: Action = Action.VIEW) -> Application:
    """The application with this tracking code if the user may `action` it; else Http404."""
    try:
        code = codes.normalise(code)
    except codes.CodeError:
        code = ""
    return get_for_user(user, Application.objects.select_related(*_RELATED), action, case__code=code)


def my_applications(user: User | AnonymousUser | None) -> QuerySet[Application]:
    """The user's own applications in every region, newest first."""
    if user is None or not user.is_authenticated:
        return Application.objects.none()
    return (
        visible_to(user, Application.objects.filter(case__owner=user))
        .select_related("case__definition", "service", "region__regency")
        .order_by("-case__received_at", "-pk")
    )


def documents_of(application: Application) -> list[Document]:
    """The application's documents, newest per slot first (the caller has checked it may see the application)."""
    return list(
        Document.objects.filter(application=application)
        .select_related("uploaded_by", "removed_by")
        .order_by("slot", "-uploaded_at", "-pk")
    )


@dataclass(frozen=True)
class RequirementRow:
    """One requirement of an application as the officer checks it and the applicant fixes it."""

    slot: str
    label: str
    required: bool
    is_upload: bool
    document: Document | None  # the current one (the newest of the slot)
    earlier: list[Document]  # replaced ones, newest first: kept, never shown as current
    check: RequirementCheck | None  # the newest check
    value: str = ""  # an answer row: the applicant's answer as shown
    corrected_at: dt.datetime | None = None  # an answer row: when the applicant last corrected it

    @property
    def is_answer(self) -> bool:
        return self.slot.startswith(ANSWER_PREFIX)

    @property
    def changed_at(self) -> dt.datetime | None:
        """When the applicant last sent this document or corrected this answer."""
        return self.document.uploaded_at if self.document is not None else self.corrected_at

    @property
    def replaced_at(self) -> dt.datetime | None:
        """When the current document replaced an earlier one ("diganti pada …")."""
        return self.document.uploaded_at if self.document is not None and self.earlier else None

    @property
    def status(self) -> str:
        """received / valid / invalid from the newest check; "replaced" when a new file came after an
        invalid mark (to be checked again); "" when not checked yet."""
        if self.check is None:
            return ""
        if (
            self.check.status == RequirementCheck.Status.INVALID
            and self.changed_at is not None
            and self.changed_at > self.check.checked_at
        ):
            return "replaced"
        return str(self.check.status)

    @property
    def to_fix(self) -> bool:
        """Marked invalid and not replaced since: what the applicant is asked to fix."""
        return self.status == RequirementCheck.Status.INVALID


def requirement_rows(application: Application) -> list[RequirementRow]:
    """The requirements of the application's standard with their documents and checks (two queries)."""
    documents: dict[str, list[Document]] = {}
    for document in (
        Document.objects.filter(application=application)
        .exclude(kind=Document.Kind.ACTION)
        .select_related("removed_by")
        .order_by("-uploaded_at", "-pk")
    ):
        documents.setdefault(document.slot, []).append(document)
    checks: dict[str, RequirementCheck] = {}
    for check in (
        RequirementCheck.objects.filter(application=application).select_related("checked_by").order_by("checked_at", "pk")
    ):
        checks[check.slot] = check
    rows = []
    for item in requirement_slots_of(application.standard):
        versions = documents.get(item.slot, [])
        rows.append(
            RequirementRow(
                item.slot,
                item.label,
                item.required,
                item.is_upload,
                versions[0] if versions else None,
                versions[1:],
                checks.get(item.slot),
            )
        )
    return rows


def answer_rows(application: Application, values: dict[str, str] | None = None) -> list[RequirementRow]:
    """The form's answers an officer may reopen, with their newest check and last correction (two queries).
    `values`: the answers as shown, by field key (the page's own list, so nothing is formatted twice)."""
    slots = answer_slots_of(application.standard)
    if not slots:
        return []
    checks: dict[str, RequirementCheck] = {}
    for check in (
        RequirementCheck.objects.filter(application=application, slot__startswith=ANSWER_PREFIX)
        .select_related("checked_by")
        .order_by("checked_at", "pk")
    ):
        checks[check.slot] = check
    corrected: dict[str, dt.datetime] = {}
    events = CaseEvent.objects.filter(case_id=application.case_id, action=CaseEvent.CORRECT).order_by("seq")
    for at, data in events.values_list("at", "data"):
        for key in data.get("fields", []) if isinstance(data, dict) else []:
            corrected[f"{ANSWER_PREFIX}{key}"] = at
    shown = values or {}
    return [
        RequirementRow(
            item.slot,
            item.label,
            item.required,
            False,
            None,
            [],
            checks.get(item.slot),
            value=shown.get(item.slot.removeprefix(ANSWER_PREFIX), ""),
            corrected_at=corrected.get(item.slot),
        )
        for item in slots
    ]


def rows_to_fix(application: Application) -> list[RequirementRow]:
    """What the applicant is asked to fix: documents marked invalid and not replaced, answers reopened and not corrected."""
    return [row for row in [*requirement_rows(application), *answer_rows(application)] if row.to_fix]


def step_documents(application: Application) -> list[Document]:
    """Documents attached to steps (an officer's report, a corrected copy sent with a step)."""
    return list(
        Document.objects.filter(application=application, kind=Document.Kind.ACTION)
        .select_related("removed_by")
        .order_by("uploaded_at", "pk")
    )


def get_document_for_user(user: User | AnonymousUser | None, code: str, key: str) -> Document:
    return get_for_user(
        user, Document.objects.select_related("application__case"), Action.VIEW, key=key, application__case__code=code
    )


# --- public tracking -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tracking:
    """What anyone holding the tracking code may read: no name, no NIK, no phone, no notes, no documents."""

    code: str
    region: Region
    service_name: str
    agency_name: str
    received_at: dt.datetime
    state_label: str
    is_closed: bool
    outcome: str
    is_paused: bool
    is_overdue: bool
    expected_completion: dt.datetime | None
    closed_at: dt.datetime | None
    steps: list[Step]
    survey_url: str = ""  # once completed: the survey of this application
    complaint_url: str = ""  # filing a complaint about it
    # Once completed: the finished product, where it is collected and when (public, no personal data).
    product: str = ""
    pickup_place: str = ""
    pickup_hours: str = ""


def tracking(code: str) -> Tracking | None:
    """The public view of an application by its tracking code, or None (unknown or mistyped code).

    Three queries: the application with its case and region; its service; its events (once
    completed, one more: the standard's product; the pickup hours come from the region's cached
    calendar, two queries when it is not cached yet). Not one join of all ten
    tables: at 1,000,000 applications PostgreSQL took 3.1 ms to plan that join and 0.1 ms to run it,
    against 0.7 ms to plan these. The labels come from the case's own version, parsed once per
    process (`published_spec`)."""
    try:
        code = codes.normalise(code)
    except codes.CodeError:
        return None
    found = list(
        Application.objects.filter(case__code=code, region__is_active=True)
        .select_related("case__agency", "case__service_point", "region__regency")
        .only(
            "service_id",
            "standard_id",
            "case__service_point__code",
            "region__slug",
            "region__prefix",
            "region__time_zone",
            "region__address",
            "region__contact_phone",
            "region__contact_email",
            "region__regency__name",
            "case__code",
            "case__definition_id",
            "case__state",
            "case__received_at",
            "case__closed_at",
            "case__outcome",
            "case__paused_at",
            "case__due_at",
            "case__is_overdue",
            "case__agency__name",
        )
        # A code is unique: no ORDER BY (`.first()` would add one, and compiling it costs a fifth of this query).
        .order_by()[:1]
    )
    if not found:
        return None
    application = found[0]
    case = application.case
    using = application._state.db or router.db_for_read(Application)
    application.service = (
        Service.objects.using(using)
        .select_related("agency")
        .only("name", "code", "agency__name", "agency__address")
        .get(pk=application.service_id)
    )
    completed = case.is_closed and case.outcome == "completed"
    if completed:
        application.standard = ServiceStandard.objects.using(using).only("product").get(pk=application.standard_id)
    spec = published_spec(case.definition_id, using)
    rows = CaseEvent.objects.filter(case_id=case.pk).order_by("seq").values_list("seq", "at", "action", "to_state", "actor_role")
    steps = [
        Step(seq, at, event_label(spec, action), state_label(spec, to_state), role == "system")
        for seq, at, action, to_state, role in rows
    ]
    return Tracking(
        code=case.code,
        region=application.region,
        service_name=application.service.name,
        agency_name=case.agency.name if case.agency is not None else "",
        received_at=case.received_at,
        state_label=state_label(spec, case.state) or case.state,
        is_closed=case.is_closed,
        outcome=case.outcome,
        is_paused=case.is_paused,
        is_overdue=case.is_overdue,
        expected_completion=case.expected_completion,
        closed_at=case.closed_at,
        steps=steps,
        survey_url=links.survey_path(application) if case.outcome == "completed" else "",
        complaint_url=_complaint_url(application.region),
        **(pickup_details(application) if completed else {}),
    )


def pickup_details(application: Application) -> dict[str, str]:
    """The finished product, the agency's office where it is collected, and its opening hours.

    The product is collected at the agency's office, not at a counter, so the hours are the
    region's, from its cached calendar (the hours its deadlines count, breaks included): no query
    once the calendar is cached, else its two."""
    return {
        "product": (application.standard.product or "").strip(),
        "pickup_place": pickup_place(application),
        "pickup_hours": hours.text(application.region.calendar().hours),
    }


def pickup_place(application: Application) -> str:
    """The agency that hands over the product, and its address."""
    agency = application.service.agency
    return ", ".join(part for part in (agency.name, agency.address) if part)


def _complaint_url(region: Region) -> str:
    try:
        return reverse("complaints:file", args=[region.slug])
    except NoReverseMatch:
        return ""


# --- the officer inbox ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    value: str  # "agency:<id>", "point:<id>" or "" (the whole region)
    label: str


def inbox_places(user: User | AnonymousUser | None, region: Region) -> list[Place]:
    """The inboxes the user may open in the region: one per agency or service point membership; all for admins."""
    if user is None or not user.is_authenticated:
        return []
    places: list[Place] = []
    admin = user.is_platform_admin
    for membership in user.active_memberships:
        if membership.region_id != region.pk:
            continue
        if membership.role == Role.REGION_ADMIN:
            admin = True
        elif membership.agency is not None:
            places.append(Place(f"agency:{membership.agency_id}", membership.agency.name))
        elif membership.service_point is not None:
            places.append(Place(f"point:{membership.service_point_id}", membership.service_point.name))
    unique = list({place.value: place for place in places}.values())
    if admin:
        from django.utils.translation import gettext as _

        unique.insert(0, Place("", _("The whole region")))
    return unique


@dataclass(frozen=True)
class InboxFilters:
    place: str = ""
    state: str = ""
    service: str = ""
    due: str = ""
    mine: bool = False
    closed: bool = False
    sort: str = "deadline"
    page: int = 1
    q: str = ""  # a tracking code or (part of) an applicant's name
    nik: str = ""  # the keyed hash of a NIK searched for (the NIK itself never travels in a URL)


@dataclass(frozen=True)
class InboxRow:
    code: str
    service: str
    applicant: str
    nik_masked: str
    channel: str
    state_label: str
    received_at: dt.datetime
    state_due_at: dt.datetime | None
    due_at: dt.datetime | None
    is_overdue: bool
    is_paused: bool
    is_closed: bool
    assigned_to: str
    url: str = ""
    state_due_text: str = ""
    due_text: str = ""
    # Which deadline is past: the step's (badge by the step deadline) or the overall one (by the expected completion).
    step_overdue: bool = False
    due_overdue: bool = False


@lru_cache(maxsize=8)
def _month_names(language: str) -> tuple[str, ...]:
    return tuple(date_format(dt.date(2000, month, 1), "F") for month in range(1, 13))


class MomentText:
    """`5 February 2026 15:30` in a zone and the active language: the inbox formats 100 moments a page,
    and Django's date filter would be most of the page's time."""

    def __init__(self, time_zone: str) -> None:
        self.zone = ZoneInfo(time_zone)
        self.months = _month_names(get_language() or "id")

    def __call__(self, moment: dt.datetime | None) -> str:
        if moment is None:
            return ""
        local = moment.astimezone(self.zone)
        return f"{local.day} {self.months[local.month - 1]} {local.year} {local:%H:%M}"


@dataclass(frozen=True)
class InboxPage:
    rows: list[InboxRow]
    total: int
    page: int
    pages: int
    page_size: int = PAGE_SIZE
    more: bool = False  # more rows than the inbox counts (MAX_PAGES pages): the count is a floor

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


SORTS: dict[str, tuple[str | OrderBy, str]] = {
    "deadline": (F("state_due_at").asc(nulls_last=True), "id"),
    "due": (F("due_at").asc(nulls_last=True), "id"),
    "-received": ("-received_at", "-id"),
    "received": ("received_at", "id"),
}


def local_day_bounds(region: Region, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Midnight to midnight of the region's current day, as aware datetimes."""
    day = dates.today(region.time_zone)
    zone = dates.local_now(region.time_zone).tzinfo
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    return start, start + dt.timedelta(days=1)


def overdue_q(now: dt.datetime, prefix: str = "case__") -> Q:
    """Open and past a deadline: marked by the sweep, or past it since the last sweep ran."""
    return Q(**{f"{prefix}closed_at": None}) & (
        Q(**{f"{prefix}is_overdue": True})
        | Q(**{f"{prefix}state_due_at__lt": now})
        | Q(**{f"{prefix}paused_at": None, f"{prefix}due_at__lt": now})
    )


def _place_filter(user: User | AnonymousUser | None, region: Region, place: str) -> Q | None:
    """The cases of one inbox, on the condition that the permission resolver lets `user` act there.

    The permission is checked once for the place (the agency, the service point, or the region for
    its administrators) rather than row by row, so that the inbox query is a plain range on the
    case table's inbox index, sorted by the index: the same few milliseconds at any data size. The
    check is an uncorrelated EXISTS inside the inbox's own queries (PostgreSQL runs it once per
    query), rather than a query of its own: on a busy server every round trip costs more than it.
    """
    from pendopo.regions.models import Agency, ServicePoint

    kind, _sep, ident = place.partition(":")
    try:
        if kind == "agency":
            allowed = visible_to(user, Agency.objects.filter(region=region, pk=int(ident)), Action.ACT)
            return Q(Exists(allowed), agency_id=int(ident))
        if kind == "point":
            points = visible_to(user, ServicePoint.objects.filter(region=region, pk=int(ident)), Action.ACT)
            return Q(Exists(points), service_point_id=int(ident))
        if kind == "":
            return Q(Exists(visible_to(user, Region.objects.filter(pk=region.pk), Action.ACT)))
    except ValueError:
        return None
    return None


def _search_q(text: str) -> Q:
    """A tracking code finds its application; anything else, the applicants whose name holds it."""
    from pendopo.lib import codes

    try:
        return Q(code=codes.normalise(text))
    except codes.CodeError:
        return Q(application__applicant_name__icontains=text.strip())


def inbox_queryset(user: User | AnonymousUser | None, region: Region, filters: InboxFilters, now: dt.datetime) -> QuerySet[Case]:
    """The application cases of one inbox, filtered and sorted (not yet sliced)."""
    allowed = [place.value for place in inbox_places(user, region)]
    place = filters.place if filters.place in allowed else (allowed[0] if allowed else None)
    condition = _place_filter(user, region, place) if place is not None else None
    if condition is None:
        return Case.objects.none()
    qs = Case.objects.filter(condition, region=region, kind=CaseKind.APPLICATION)
    if filters.state:
        qs = qs.filter(state=filters.state)
    elif not filters.closed:
        qs = qs.filter(closed_at=None)
    if filters.service:
        qs = qs.filter(application__service__code=filters.service)
    if filters.due == "today":
        start, end = local_day_bounds(region, now)
        qs = qs.filter(closed_at=None, state_due_at__gte=start, state_due_at__lt=end)
    elif filters.due == "overdue":
        qs = qs.filter(overdue_q(now, prefix=""))
    if filters.mine and user is not None and user.is_authenticated:
        qs = qs.filter(assigned_to=user)
    if filters.nik:
        qs = qs.filter(application__nik_hash=filters.nik)
    elif filters.q:
        qs = qs.filter(_search_q(filters.q))
    return qs.order_by(*SORTS.get(filters.sort, SORTS["deadline"]))


_INBOX_EXTRA = {
    "applicant": "application__applicant_name",
    "nik": "application__nik_encrypted",
    "channel": "application__channel",
    "service": "application__service__name",
}


@lru_cache(maxsize=4096)
def _masked_nik(encrypted: str) -> str:
    """`3510********0001` of a stored NIK: the inbox shows 50 a page, the same ones all day, and
    decrypting costs more than the rest of a row. Only the masked form is kept in memory."""
    return personal.mask(personal.reveal(encrypted))


def inbox(
    user: User | AnonymousUser | None,
    region: Region,
    filters: InboxFilters,
    now: dt.datetime | None = None,
    *,
    definitions: dict[int, dict[str, str]] | None = None,
    page_size: int = 0,
) -> InboxPage:
    """One page of an inbox: a count and the rows, at any data size.

    `definitions` are the step labels already known ({definition id: {step: label}}, as from
    `inbox_definitions`); the labels of other workflow versions the rows are on take one more query.
    """
    now = now or dates.now()
    queryset = inbox_queryset(user, region, filters, now)
    found = case_page(
        queryset,
        page=filters.page,
        page_size=page_size or PAGE_SIZE,  # the export asks for one big page
        max_pages=MAX_PAGES,
        extra=_INBOX_EXTRA,
        labels=definitions,
        now=now,
    )
    text = MomentText(region.time_zone)
    detail = reverse("applications:detail", args=["CODE"])
    rows = [
        InboxRow(
            code=row.code,
            service=row.extra["service"],
            applicant=row.extra["applicant"],
            nik_masked=_masked_nik(row.extra["nik"]) if row.extra["nik"] else "",
            channel=row.extra["channel"],
            state_label=row.state_label,
            received_at=row.received_at,
            state_due_at=row.state_due_at,
            due_at=row.due_at,
            is_overdue=row.is_overdue,
            is_paused=row.is_paused,
            is_closed=row.is_closed,
            assigned_to=row.assigned_to,
            url=detail.replace("CODE", row.code),
            state_due_text=text(row.state_due_at),
            due_text=text(row.due_at) if not row.is_paused else "",
            # A case the sweep marked late without either deadline past now: the step's badge.
            step_overdue=_step_late(row, now) or (row.is_overdue and not _due_late(row, now)),
            due_overdue=_due_late(row, now),
        )
        for row in found.rows
    ]
    return InboxPage(rows=rows, total=found.total, page=found.page, pages=found.pages, more=found.more)


def _step_late(row: Any, now: dt.datetime) -> bool:
    return not row.is_closed and row.state_due_at is not None and row.state_due_at < now


def _due_late(row: Any, now: dt.datetime) -> bool:
    return not row.is_closed and not row.is_paused and row.due_at is not None and row.due_at < now


CHOICES_TTL_SECONDS = 60


def _cached(key: str, compute: Callable[[], Any]) -> Any:
    """`compute()` kept in the cache for a minute (the inbox's filters and step labels)."""
    from django.core.cache import cache

    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, CHOICES_TTL_SECONDS)
    return found


def _active_definitions(region: Region) -> dict[int, dict[str, Any]]:
    """The stored active service workflows of the region ({id: definition}).

    Kept in the cache for a minute: they only feed the inbox's step filter and labels, change
    rarely, and would otherwise cost a query on every request. A row on a workflow version not
    among them has its labels read directly (`inbox`), so the rows are never wrong; a new step
    appears in the filter within the minute.
    """
    from pendopo.applications.workflows import service_workflows_q

    def compute() -> dict[int, dict[str, Any]]:
        definitions = WorkflowDefinition.objects.filter(
            service_workflows_q(), region=region, status=WorkflowDefinition.Status.ACTIVE
        ).order_by("code", "-version")
        return dict(definitions.values_list("pk", "definition"))

    return _cached(f"applications:inbox-definitions:{region.pk}", compute)


def inbox_definitions(region: Region) -> dict[int, dict[str, str]]:
    """{definition id: {step: label}} of the region's active service workflows, in the active language."""
    return {pk: state_labels(definition) for pk, definition in _active_definitions(region).items()}


def inbox_states(region: Region, definitions: dict[int, dict[str, str]] | None = None) -> list[tuple[str, str]]:
    """(key, label) of the steps of the region's active service workflows, for the step filter."""
    seen: dict[str, str] = {}
    for labels in (inbox_definitions(region) if definitions is None else definitions).values():
        for key, label in labels.items():
            seen.setdefault(key, label)
    return list(seen.items())


def place_services(region: Region, place: str) -> QuerySet[Service]:
    """The services an inbox handles: its agency's; at a service point, those offered on the
    point's channel (of the point's agency, if it has one); for the whole region, all of them.

    Only these are offered as the inbox's service filter, so that an officer's page does not grow
    with the services of the rest of the region (issue #10 item 7).
    """
    from pendopo.regions.models import ServicePoint

    services = Service.objects.filter(region=region)
    kind, _sep, ident = place.partition(":")
    if kind == "agency" and (ident.isascii() and ident.isdigit()):
        return services.filter(agency_id=int(ident))
    if kind == "point" and (ident.isascii() and ident.isdigit()):
        point = ServicePoint.objects.filter(region=region, pk=int(ident)).values("kind", "agency_id").first()
        if point is None:
            return services.none()
        if point["kind"] == ServicePoint.Kind.VILLAGE_OFFICE:
            services = services.filter(channel_village_office=True)
        else:
            services = services.filter(channel_service_mall=True)
        return services.filter(agency_id=point["agency_id"]) if point["agency_id"] else services
    if kind == "":
        return services
    return services.none()


def inbox_services(region: Region, place: str = "") -> list[tuple[str, str]]:
    """(code, name) of the services the inbox of `place` handles, for the service filter (cached a minute)."""

    def compute() -> list[tuple[str, str]]:
        return list(place_services(region, place).order_by("name").values_list("code", "name"))

    return _cached(f"applications:inbox-services:{region.pk}:{place}", compute)
