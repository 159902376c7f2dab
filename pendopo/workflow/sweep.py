"""The overdue sweep: mark late cases, escalate them per their definition, run timeouts.

Run periodically by the worker (tasks.sweep_overdue_task) and by `pendopo sweep_overdue`.
Safe to run twice, or in two workers at once: cases are handled in batches, one transaction per
batch under the rows' locks (SKIP LOCKED on PostgreSQL: a case locked elsewhere waits for the next
run), and every change is decided from the case's stored flags (is_overdue, escalation_level), so
a second run finds nothing left to do and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import translation

from pendopo.lib import dates
from pendopo.regions.models import Region
from pendopo.workflow.definition import ActorRole, EscalationRule, WorkflowSpec
from pendopo.workflow.engine import transition
from pendopo.workflow.models import Case, CaseEvent, WorkflowDefinition
from pendopo.workflow.permissions import staff_in_role
from pendopo.workflow.registry import hooks_for

if TYPE_CHECKING:
    from pendopo.regions.models import User

logger = logging.getLogger(__name__)


@dataclass
class SweepResult:
    checked: int = 0
    marked_overdue: int = 0
    escalations: int = 0
    timed_out: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


BATCH_SIZE = 200  # cases per transaction: one commit per batch, not per case


@dataclass
class _Batch:
    """What the cases of one batch share: read once per batch, not once per case."""

    now: dt.datetime
    result: SweepResult
    calendars: dict[tuple[int, int | None], dates.WorkCalendar]
    definitions: dict[int, WorkflowDefinition]
    staff: dict[tuple[int, int | None, int | None, str], list[User]] = field(default_factory=dict)
    # Written once per batch (one UPDATE, one INSERT), then the hooks and emails run in order.
    changed: dict[int, Case] = field(default_factory=dict)
    events: list[CaseEvent] = field(default_factory=list)
    then: list[Callable[[], Any]] = field(default_factory=list)

    def append(self, case: Case, action: str, data: dict[str, Any]) -> CaseEvent:
        seq = case.last_seq + 1  # under the case's row lock (engine.append_event)
        event = CaseEvent(
            region_id=case.region_id,
            case=case,
            seq=seq,
            at=self.now,
            actor=None,
            actor_role=str(ActorRole.SYSTEM),
            action=action,
            from_state=case.state,
            to_state=case.state,
            note="",
            documents=[],
            data=dict(data),
        )
        self.events.append(event)
        case.last_seq, case.updated_at = seq, max(case.updated_at, self.now)  # every event stamps its case
        self.changed[case.pk] = case
        return event

    def write(self) -> None:
        """The batch's changes to the cases in one UPDATE and its events in one INSERT, then what follows them."""
        if self.changed:
            Case.objects.bulk_update(
                list(self.changed.values()),
                ["is_overdue", "overdue_since", "escalation_level", "assigned_to", "last_seq", "updated_at"],
            )
        if self.events:
            CaseEvent.objects.bulk_create(self.events)
        for step in self.then:
            step()

    def staff_in_role(self, case: Case, role: ActorRole) -> list[User]:
        key = (case.region_id, case.agency_id, case.service_point_id, str(role))
        if key not in self.staff:
            self.staff[key] = list(staff_in_role(case, role))
        return self.staff[key]


def sweep_overdue(now: dt.datetime | None = None, *, batch_size: int = BATCH_SIZE) -> SweepResult:
    """Mark and escalate every open case past a deadline; take timeout actions of waiting states.

    The cases are handled in batches of `batch_size`: one transaction per batch, whose cases are
    locked together (`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, so a case an officer is
    changing at this moment is left to the next run instead of holding the sweep up). Every event,
    escalation and notification is written as before; a failure rolls back its batch only.
    """
    now = now or dates.now()
    result = SweepResult()
    specs: dict[int, WorkflowSpec] = {}
    definitions: dict[int, WorkflowDefinition] = {}
    calendars: dict[tuple[int, int | None], dates.WorkCalendar] = {}
    for region_id in Region.objects.order_by("pk").values_list("pk", flat=True):
        # Running cases past either deadline, and waiting cases past the applicant's deadline.
        rows = (
            Case.objects.filter(region_id=region_id, closed_at=None)
            .filter(Q(state_due_at__lt=now) | Q(paused_at=None, due_at__lt=now))
            .order_by("pk")
            .values_list("pk", "definition_id", "state", "paused_at", "is_overdue", "escalation_level")
        )
        batch: list[int] = []
        for pk, definition_id, state, paused_at, is_overdue, level in list(rows):
            spec = specs.get(definition_id)
            if spec is None:
                definitions[definition_id] = WorkflowDefinition.objects.get(pk=definition_id)
                spec = specs[definition_id] = definitions[definition_id].spec
            if paused_at is not None:
                if not spec.state(state).timeout_action:
                    continue  # waiting for the applicant, with no consequence when they are late
            elif is_overdue and level >= len(spec.escalation):
                continue  # already marked and fully escalated
            result.checked += 1
            batch.append(pk)
            if len(batch) >= batch_size:
                _sweep_batch(batch, _Batch(now, result, calendars, definitions))
                batch = []
        if batch:
            _sweep_batch(batch, _Batch(now, result, calendars, definitions))
    if result.marked_overdue or result.escalations or result.timed_out:
        logger.info("Overdue sweep: %s", result.as_dict())
    return result


def _sweep_batch(case_ids: list[int], batch: _Batch) -> None:
    with transaction.atomic():
        cases = list(
            Case.objects.select_for_update(of=("self",), skip_locked=connection.features.has_select_for_update_skip_locked)
            .select_related("region__regency", "agency", "service_point")
            .filter(pk__in=case_ids)
            .order_by("pk")
        )
        for case in cases:
            definition = batch.definitions.get(case.definition_id)
            if definition is not None:
                case.definition = definition
            _sweep_case(case, batch)
        batch.write()


def _sweep_case(case: Case, batch: _Batch) -> None:
    now, result, calendars = batch.now, batch.result, batch.calendars
    if case.is_closed:
        return
    spec = case.spec
    state = case.current_state
    if case.is_paused:
        if state.timeout_action and case.state_due_at and case.state_due_at < now:
            action = spec.action(state.timeout_action)
            if action is not None:
                event = transition(case, action, None, ActorRole.SYSTEM, data={"timeout": True}, now=now)
                hook = hooks_for(case.kind).on_timeout
                if hook:
                    hook(case, event)
                result.timed_out += 1
        return
    passed = [
        (moment, which) for moment, which in ((case.state_due_at, "step"), (case.due_at, "overall")) if moment and moment < now
    ]
    if not passed:
        return
    if not case.is_overdue:
        since, which = min(passed)
        case.is_overdue, case.overdue_since = True, since
        event = batch.append(case, CaseEvent.OVERDUE, {"deadline": since.isoformat(), "which": which})
        hook = hooks_for(case.kind).on_overdue
        if hook:
            batch.then.append(partial(hook, case, event))
        result.marked_overdue += 1
    key = (case.region_id, case.service_point_id if case.service_point and case.service_point.has_own_hours else None)
    if key not in calendars:
        calendars[key] = case.calendar()
    assert case.overdue_since is not None  # noqa: S101 -- set above
    days = calendars[key].working_days_between(case.overdue_since, now)
    level = sum(1 for rule in spec.escalation if rule.after_working_days <= days)
    while case.escalation_level < level:
        case.escalation_level += 1
        _escalate(case, spec.escalation[case.escalation_level - 1], days, batch)
        result.escalations += 1


def _escalate(case: Case, rule: EscalationRule, days: int, batch: _Batch) -> None:
    reassigned_to = None
    if rule.reassign_to_head:
        heads = batch.staff_in_role(case, ActorRole.HEAD)
        head = heads[0] if heads else None
        if head is not None and head.pk != case.assigned_to_id:
            case.assigned_to, reassigned_to = head, head.pk
    recipients: list[User] = []
    for role in rule.notify:
        recipients += [user for user in batch.staff_in_role(case, role) if user not in recipients]
    data = {
        "level": case.escalation_level,
        "overdue_working_days": days,
        "notify": [str(role) for role in rule.notify],
        "recipients": [user.pk for user in recipients],
        "reassigned_to": reassigned_to,
    }
    event = batch.append(case, CaseEvent.ESCALATE, data)
    hook = hooks_for(case.kind).on_escalate
    if hook:
        batch.then.append(partial(hook, case, event, rule))
    batch.then.append(partial(notify_staff, case, event, recipients))


def notify_staff(case: Case, event: CaseEvent, recipients: list[User]) -> int:
    """Email each recipient about an escalation through the notifications outbox, if installed.

    One message per recipient and event (the outbox's event key makes a repeat a no-op).
    Returns the number of messages scheduled.
    """
    if not recipients or not apps.is_installed("pendopo.notifications"):
        return 0
    from pendopo.notifications import outbox

    url_hook = hooks_for(case.kind).url
    url = url_hook(case) if url_hook else ""
    scheduled = 0
    for user in recipients:
        if not user.email:
            continue
        language = user.preferred_language or ""
        with translation.override(language or settings.LANGUAGE_CODE):
            context = {
                "case": case,
                "state": case.current_state.label,
                "kind": case.get_kind_display(),
                "agency": case.agency or case.service_point or "",
                "deadline": _local(case, case.overdue_since),
                "days": event.data.get("overdue_working_days", 0),
                "level": event.data.get("level"),
                "url": url,
                "user": user,
            }
        outbox.schedule_template(
            "workflow/notifications/escalated",
            context,
            event_key=f"workflow:{case.code}:{event.seq}:user:{user.pk}",
            channel="email",
            to=user.email,
            language=language,
            region=case.region,
        )
        scheduled += 1
    return scheduled


def _local(case: Case, moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(case.region.time_zone))
    return f"{local:%Y-%m-%d %H:%M} {case.region.time_zone_label}"
