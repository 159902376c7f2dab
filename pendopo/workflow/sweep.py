"""The overdue sweep: mark late cases, escalate them per their definition, run timeouts.

Run periodically by the worker (tasks.sweep_overdue_task) and by `pendopo sweep_overdue`.
Safe to run twice, or in two workers at once: each case is handled in its own transaction
under its row lock, and every change is decided from the case's stored flags (is_overdue,
escalation_level), so a second run finds nothing left to do and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation

from pendopo.lib import dates
from pendopo.regions.models import Region
from pendopo.workflow.definition import ActorRole, EscalationRule, WorkflowSpec
from pendopo.workflow.engine import append_event, lock_case, transition
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


def sweep_overdue(now: dt.datetime | None = None) -> SweepResult:
    """Mark and escalate every open case past a deadline; take timeout actions of waiting states."""
    now = now or dates.now()
    result = SweepResult()
    specs: dict[int, WorkflowSpec] = {}
    calendars: dict[tuple[int, int | None], dates.WorkCalendar] = {}
    for region_id in Region.objects.order_by("pk").values_list("pk", flat=True):
        # Running cases past either deadline, and waiting cases past the applicant's deadline.
        rows = (
            Case.objects.filter(region_id=region_id, closed_at=None)
            .filter(Q(state_due_at__lt=now) | Q(paused_at=None, due_at__lt=now))
            .order_by("pk")
            .values_list("pk", "definition_id", "state", "paused_at", "is_overdue", "escalation_level")
        )
        for pk, definition_id, state, paused_at, is_overdue, level in rows.iterator():
            spec = specs.get(definition_id)
            if spec is None:
                spec = specs[definition_id] = WorkflowDefinition.objects.get(pk=definition_id).spec
            if paused_at is not None:
                if not spec.state(state).timeout_action:
                    continue  # waiting for the applicant, with no consequence when they are late
            elif is_overdue and level >= len(spec.escalation):
                continue  # already marked and fully escalated
            result.checked += 1
            _sweep_case(pk, now, result, calendars)
    if result.marked_overdue or result.escalations or result.timed_out:
        logger.info("Overdue sweep: %s", result.as_dict())
    return result


def _sweep_case(case_id: int, now: dt.datetime, result: SweepResult, calendars: dict[Any, dates.WorkCalendar]) -> None:
    with transaction.atomic():
        case = lock_case(case_id)
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
            (moment, which)
            for moment, which in ((case.state_due_at, "step"), (case.due_at, "overall"))
            if moment and moment < now
        ]
        if not passed:
            return
        if not case.is_overdue:
            since, which = min(passed)
            case.is_overdue, case.overdue_since = True, since
            case.save(update_fields=["is_overdue", "overdue_since"])
            data = {"deadline": since.isoformat(), "which": which}
            event = append_event(case, CaseEvent.OVERDUE, None, ActorRole.SYSTEM, case.state, case.state, "", [], data, now)
            hook = hooks_for(case.kind).on_overdue
            if hook:
                hook(case, event)
            result.marked_overdue += 1
        key = (case.region_id, case.service_point_id if case.service_point and case.service_point.has_own_hours else None)
        if key not in calendars:
            calendars[key] = case.calendar()
        assert case.overdue_since is not None  # noqa: S101 -- set above
        days = calendars[key].working_days_between(case.overdue_since, now)
        level = sum(1 for rule in spec.escalation if rule.after_working_days <= days)
        while case.escalation_level < level:
            case.escalation_level += 1
            _escalate(case, spec.escalation[case.escalation_level - 1], days, now)
            result.escalations += 1


def _escalate(case: Case, rule: EscalationRule, days: int, now: dt.datetime) -> None:
    reassigned_to = None
    if rule.reassign_to_head:
        head = staff_in_role(case, ActorRole.HEAD).first()
        if head is not None and head.pk != case.assigned_to_id:
            case.assigned_to, reassigned_to = head, head.pk
    case.save(update_fields=["escalation_level", "assigned_to"])
    recipients: list[User] = []
    for role in rule.notify:
        recipients += [user for user in staff_in_role(case, role) if user not in recipients]
    data = {
        "level": case.escalation_level,
        "overdue_working_days": days,
        "notify": [str(role) for role in rule.notify],
        "recipients": [user.pk for user in recipients],
        "reassigned_to": reassigned_to,
    }
    event = append_event(case, CaseEvent.ESCALATE, None, ActorRole.SYSTEM, case.state, case.state, "", [], data, now)
    hook = hooks_for(case.kind).on_escalate
    if hook:
        hook(case, event, rule)
    notify_staff(case, event, recipients)


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
