"""The engine: start a case, list what a user may do with it, apply an action, assign, reroute.

Every write locks the case row (SELECT ... FOR UPDATE; on SQLite the IMMEDIATE transaction
takes the database write lock up front) inside one transaction.atomic(), writes the case and
an append-only CaseEvent, and calls the kind's hooks in the same transaction. Everything is
synchronous: a read right after the call sees the new state (DIGIT's asynchronous saves are
what we avoid).

Concurrency: `lock_version` counts the case's steps. When two officers act on one case at
once, the row lock serialises them; the second then sees that the version it loaded (the Case
instance it passes, or `expected_version`) is no longer current and gets `Conflict`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.db import DatabaseError, OperationalError, connection, transaction

from pendopo.lib import codes, dates
from pendopo.workflow.definition import (
    ActionSpec,
    ActorRole,
    StateSpec,
    TimeLimit,
    TimeUnit,
    check_time_limit_overrides,
)
from pendopo.workflow.errors import (
    AlreadyTaken,
    Conflict,
    DefinitionNotActive,
    DocumentRequired,
    NotAllowed,
    NoteRequired,
    WrongState,
)
from pendopo.workflow.models import Case, CaseEvent, CaseKind, WorkflowDefinition
from pendopo.workflow.permissions import ROLE_PRECEDENCE, roles_for

if TYPE_CHECKING:
    from pendopo.regions.models import Agency, Region, ServicePoint, User

Document = str | Mapping[str, Any]
TimeLimitLike = TimeLimit | Mapping[str, Any] | tuple[int, str]

_CASE_FIELDS = [
    "state",
    "state_entered_at",
    "due_at",
    "state_due_at",
    "paused_at",
    "paused_minutes_total",
    "is_overdue",
    "overdue_since",
    "escalation_level",
    "closed_at",
    "outcome",
    "assigned_to",
    "lock_version",
    "updated_at",
]


# --- deadlines ---------------------------------------------------------------------------------


def deadline(calendar: dates.WorkCalendar, start: dt.datetime, limit: TimeLimit) -> dt.datetime:
    """The moment a time limit counted from `start` runs out, in the calendar's working time."""
    if limit.unit == TimeUnit.WORKING_MINUTES:
        return calendar.add_working_minutes(start, limit.value)
    return calendar.add_working_days(start, limit.value)


def time_limit_of(case: Case, state: StateSpec) -> TimeLimit | None:
    """The state's time limit for this case: the case's own (a complaint category's tier) or the definition's."""
    own = (case.time_limits or {}).get(state.key)
    return TimeLimit.model_validate(own) if own else state.time_limit


# --- starting ----------------------------------------------------------------------------------


def start_case(
    kind: CaseKind | str,
    region: Region,
    definition: WorkflowDefinition,
    agency: Agency | None = None,
    service_point: ServicePoint | None = None,
    overall_time_limit: TimeLimitLike | None = None,
    actor: User | None = None,
    received_at: dt.datetime | None = None,
    *,
    owner: User | None = None,
    state_time_limits: Mapping[str, TimeLimitLike] | None = None,
    assigned_to: User | None = None,
    note: str = "",
    data: Mapping[str, Any] | None = None,
) -> Case:
    """Open a case in the start state of an active definition of `region`.

    The overall deadline counts `overall_time_limit` (the service standard's time limit) from
    `received_at` (default: now) in the working time of the region, or of the service point if
    it keeps its own hours. `state_time_limits` overrides the time limits of some states for
    this case only. Callers check that `actor` may open it (anyone may apply or complain).
    """
    kind = CaseKind(kind)
    if definition.status != WorkflowDefinition.Status.ACTIVE or definition.region_id != region.pk:
        raise DefinitionNotActive
    for place in (agency, service_point):
        if place is not None and place.region_id != region.pk:
            raise ValueError(f"{place} does not belong to {region}.")
    spec = definition.spec
    now = dates.now()
    received_at = received_at or now
    calendar = region.calendar(service_point)
    overall = TimeLimit.coerce(overall_time_limit)
    limits = check_time_limit_overrides(spec, state_time_limits or {})
    start = spec.start_state
    with transaction.atomic():
        case = Case(
            region=region,
            kind=kind,
            code=_unique_code(region.prefix),
            agency=agency,
            service_point=service_point,
            owner=owner,
            assigned_to=assigned_to,
            definition=definition,
            state=start.key,
            state_entered_at=received_at,
            received_at=received_at,
            due_at=deadline(calendar, received_at, overall) if overall else None,
            time_limits=limits,
            created_at=now,
            updated_at=now,
        )
        limit = time_limit_of(case, start)
        case.state_due_at = deadline(calendar, received_at, limit) if limit else None
        case.save(force_insert=True)
        roles = roles_for(case, actor)
        role = next((r for r in ROLE_PRECEDENCE if r in roles), ActorRole.APPLICANT)
        append_event(case, CaseEvent.START, actor, role, "", start.key, note, (), dict(data or {}), received_at)
    return case


def _unique_code(prefix: str) -> str:
    for _attempt in range(10):
        code = codes.new_code(prefix)
        if not Case.objects.filter(code=code).exists():
            return code
    raise RuntimeError("Could not draw an unused tracking code.")  # 34 billion codes per prefix: never in practice


# --- reading -----------------------------------------------------------------------------------


def available_actions(case: Case, user: User | None, *, as_applicant: bool = False) -> list[ActionSpec]:
    """The actions `user` may take on `case` now, in the definition's order (system actions never)."""
    if case.is_closed:
        return []
    roles = set(roles_for(case, user))
    if as_applicant:
        roles.add(ActorRole.APPLICANT)
    return [action for action in case.spec.actions_from(case.state) if roles.intersection(action.roles)]


# --- acting ------------------------------------------------------------------------------------


def apply_action(
    case_or_id: Case | int,
    action_key: str,
    actor: User | None,
    note: str = "",
    documents: Iterable[Document] = (),
    expected_version: int | None = None,
    *,
    system: bool = False,
    as_applicant: bool = False,
    data: Mapping[str, Any] | None = None,
) -> CaseEvent:
    """Take one action of the case's workflow and return the event it wrote (`event.case`: the case in its new state).

    Checks, in this order, under the row lock: that the actor holds a role on the case
    (NotAllowed), the version (Conflict: `expected_version`, or else the lock_version of the
    Case instance passed in), that the action leaves the current state (WrongState), that the
    actor holds one of the action's roles (NotAllowed), the note and the documents
    (NoteRequired, DocumentRequired).

    `system=True` acts as the system (actions whose roles include "system"); `as_applicant=True`
    lets a caller that has identified the applicant by other means (an anonymous complainant's
    tracking code and secret) act for them without an account.
    """
    case_id = case_or_id.pk if isinstance(case_or_id, Case) else int(case_or_id)
    if expected_version is None and isinstance(case_or_id, Case):
        expected_version = case_or_id.lock_version
    note = (note or "").strip()
    document_list = [_document(d) for d in documents]
    try:
        with transaction.atomic():
            case = lock_case(case_id)
            if system:
                roles: set[ActorRole] = {ActorRole.SYSTEM}
            else:
                roles = set(roles_for(case, actor))
                if as_applicant:
                    roles.add(ActorRole.APPLICANT)
            if not roles:
                raise NotAllowed
            if expected_version is not None and case.lock_version != expected_version:
                raise Conflict
            action = case.spec.action(action_key)
            if action is None or case.is_closed or case.state not in action.from_:
                raise WrongState
            allowed = [role for role in (*ROLE_PRECEDENCE, ActorRole.SYSTEM) if role in roles and role in action.roles]
            if not allowed:
                raise NotAllowed
            if action.requires_note and not note:
                raise NoteRequired
            if action.requires_document and not document_list:
                raise DocumentRequired
            event = transition(case, action, None if system else actor, allowed[0], note, document_list, data)
    except OperationalError as exc:
        if _is_lock_failure(exc):
            raise Conflict from exc
        raise
    return event


def transition(
    case: Case,
    action: ActionSpec,
    actor: User | None,
    role: ActorRole,
    note: str = "",
    documents: list[Any] | None = None,
    data: Mapping[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> CaseEvent:
    """Move a locked case along `action` (checks done by the caller): state, deadlines, pause, event.

    No kind's hook runs here: the caller that took the action tells whom it concerns (the kind's
    action after `apply_action`, the sweep's `on_timeout` hook after a timeout)."""
    now = now or dates.now()
    spec = case.spec
    target = spec.state(action.to)
    from_state = case.state
    calendar = case.calendar()
    event_data: dict[str, Any] = dict(data or {})

    if case.is_paused and not target.is_waiting:
        _resume(case, calendar, now, event_data)
    case.state = target.key
    case.state_entered_at = now
    if target.is_terminal:
        case.closed_at = now
        case.outcome = target.outcome.value if target.outcome else ""
        case.state_due_at = None
        _clear_overdue(case)
    else:
        limit = time_limit_of(case, target)
        case.state_due_at = deadline(calendar, now, limit) if limit else None
        if target.is_waiting:
            if case.paused_at is None:
                case.paused_at = now
            _clear_overdue(case)
        elif not (case.due_at and case.due_at < now):
            _clear_overdue(case)
    case.lock_version += 1
    case.updated_at = max(case.updated_at, now)  # never back: another machine's clock may be behind
    case.save(update_fields=_CASE_FIELDS)
    return append_event(case, action.key, actor, role, from_state, target.key, note, documents or [], event_data, now)


def _resume(case: Case, calendar: dates.WorkCalendar, now: dt.datetime, event_data: dict[str, Any]) -> None:
    """Restart the clock: the overall deadline moves forward by the working time spent waiting."""
    assert case.paused_at is not None  # noqa: S101 -- only called for paused cases
    paused = max(0, calendar.working_minutes_between(case.paused_at, now))
    case.paused_minutes_total += paused
    if paused and case.due_at is not None:
        # Zero minutes must leave the deadline alone: add_working_minutes(x, 0) moves a deadline
        # at closing time to the next opening.
        case.due_at = calendar.add_working_minutes(case.due_at, paused)
    case.paused_at = None
    event_data["paused_working_minutes"] = paused


def _clear_overdue(case: Case) -> None:
    case.is_overdue = False
    case.overdue_since = None
    case.escalation_level = 0


def assign_case(
    case_or_id: Case | int, assignee: User | None, actor: User, *, note: str = "", expected_version: int | None = None
) -> Case:
    """Give the case to one staff member (or to nobody).

    A head or region administrator assigns to anyone who may act on the case; an officer
    only takes it themselves. Like every change of the case it takes the version the actor
    loaded (`expected_version`, or the lock_version of the Case instance passed in) and moves it
    on, so when several officers press "I take it" at once one wins and the others get
    `AlreadyTaken`, which names who holds the case.
    """
    case_id = case_or_id.pk if isinstance(case_or_id, Case) else int(case_or_id)
    if expected_version is None and isinstance(case_or_id, Case):
        expected_version = case_or_id.lock_version
    try:
        with transaction.atomic():
            case = lock_case(case_id)
            roles = roles_for(case, actor) - {ActorRole.APPLICANT}
            if case.is_closed or not roles:
                raise NotAllowed
            if expected_version is not None and case.lock_version != expected_version:
                raise taken_or_conflict(case, actor)
            manager = bool(roles & {ActorRole.HEAD, ActorRole.REGION_ADMIN})
            if not manager and (assignee is None or assignee.pk != actor.pk):
                raise NotAllowed
            if assignee is not None and not (roles_for(case, assignee) - {ActorRole.APPLICANT}):
                raise NotAllowed
            now = dates.now()
            previous = case.assigned_to_id
            case.assigned_to = assignee
            case.lock_version += 1
            case.updated_at = max(case.updated_at, now)  # never back: another machine's clock may be behind
            case.save(update_fields=["assigned_to", "lock_version", "updated_at"])
            role = next(r for r in ROLE_PRECEDENCE if r in roles)
            data = {"assigned_to": assignee.pk if assignee else None, "previous": previous}
            append_event(case, CaseEvent.ASSIGN, actor, role, case.state, case.state, note, [], data, now)
    except OperationalError as exc:
        if _is_lock_failure(exc):
            raise taken_or_conflict(case_id, actor) from exc
        raise
    return case


WAIT_ATTEMPTS, WAIT_SECONDS = 20, 0.1  # how long a refused assignment waits to learn who won


def taken_or_conflict(case: Case | int, actor: User) -> Conflict:
    """The refusal of an assignment that lost a race: who holds the case now, if not the actor."""
    if not isinstance(case, Case):
        case_id = case
        for attempt in range(WAIT_ATTEMPTS):
            try:
                # Under the case's lock, so the winner's assignment is committed and seen.
                with transaction.atomic():
                    case = Case.objects.select_for_update(of=("self",)).select_related("assigned_to").get(pk=case_id)
                break
            except OperationalError as exc:
                # SQLite's shared-cache databases (the tests') fail at once instead of waiting.
                if not _is_lock_failure(exc) or attempt == WAIT_ATTEMPTS - 1:
                    return Conflict()
                time.sleep(WAIT_SECONDS)
    assert isinstance(case, Case)  # noqa: S101 -- for the type checker: the loop returned or found it
    holder = case.assigned_to
    if holder is not None and holder.pk != actor.pk:
        return AlreadyTaken(name=str(holder))
    return Conflict()


def reroute_case(
    case_or_id: Case | int, actor: User, *, agency: Agency | None, service_point: ServicePoint | None = None, note: str = ""
) -> Case:
    """Hand the case to another agency (or service point) of its region: region administrators only.

    Used by complaints (the administrator routes a report to the agency that must answer).
    The assignment is cleared; the step and its deadline stay.
    """
    case_id = case_or_id.pk if isinstance(case_or_id, Case) else int(case_or_id)
    with transaction.atomic():
        case = lock_case(case_id)
        if case.is_closed or ActorRole.REGION_ADMIN not in roles_for(case, actor):
            raise NotAllowed
        for place in (agency, service_point):
            if place is not None and place.region_id != case.region_id:
                raise NotAllowed
        now = dates.now()
        data = {
            "agency": agency.pk if agency else None,
            "service_point": service_point.pk if service_point else None,
            "previous_agency": case.agency_id,
            "previous_service_point": case.service_point_id,
        }
        case.agency, case.service_point, case.assigned_to = agency, service_point, None
        case.updated_at = max(case.updated_at, now)  # never back: another machine's clock may be behind
        case.save(update_fields=["agency", "service_point", "assigned_to", "updated_at"])
        append_event(case, CaseEvent.REROUTE, actor, ActorRole.REGION_ADMIN, case.state, case.state, note, [], data, now)
    return case


# --- helpers -----------------------------------------------------------------------------------


def lock_case(case_id: int) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("definition", "region__regency", "service_point")
        .get(pk=case_id)
    )


def append_event(
    case: Case,
    action: str,
    actor: User | None,
    role: ActorRole | str,
    from_state: str,
    to_state: str,
    note: str,
    documents: Iterable[Any],
    data: Mapping[str, Any],
    at: dt.datetime,
) -> CaseEvent:
    """Write the case's next event, numbered from the case's `last_seq`, and stamp the case: its
    `last_seq` and its `updated_at` (never earlier than its last event). Callers hold the case's row
    lock and pass the case read under it (a stale copy would repeat a number, which the unique
    constraint refuses). The case row alone then says when and how often the case changed: the
    tracking page's ETag is read from it (applications/caching.py)."""
    seq = case.last_seq + 1
    case.last_seq, case.updated_at = seq, max(case.updated_at, at)
    Case.objects.filter(pk=case.pk).update(last_seq=seq, updated_at=case.updated_at)
    event = CaseEvent(
        region_id=case.region_id,
        case=case,
        seq=seq,
        at=at,
        actor=actor,
        actor_role=str(role),
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
        documents=list(documents),
        data=dict(data),
    )
    event.save()
    return event


def _document(document: Any) -> Any:
    """A document reference as stored on the event: a string (a code, a file id) or a JSON object."""
    if isinstance(document, Mapping):
        return dict(document)
    return document if isinstance(document, str) else str(document)


@contextmanager
def lock_failures_as_conflicts() -> Iterator[None]:
    """Around a kind's own transaction that wraps an engine call: another writer's lock is a Conflict.

    On SQLite the outer transaction's BEGIN IMMEDIATE is where a second writer meets the first one's
    write lock, before the engine's own handling; on PostgreSQL it is the lock timeout. Both kinds
    (applications, complaints) wrap their actions in this, so both answer 409 with the same message.
    """
    try:
        yield
    except OperationalError as exc:
        if _is_lock_failure(exc):
            raise Conflict from exc
        raise


def _is_lock_failure(exc: DatabaseError) -> bool:
    """SQLite's busy timeout ran out, or PostgreSQL's lock_timeout: someone else holds the case."""
    if connection.vendor == "sqlite":
        return "locked" in str(exc)
    return getattr(exc.__cause__, "sqlstate", None) == "55P03"
