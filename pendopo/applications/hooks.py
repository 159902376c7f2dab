"""What the application kind of case plugs into the workflow engine, and the messages to the applicant.

Every step of an application (its receipt included) schedules one message per channel to the
applicant through the notifications outbox, in the step's own transaction: by email when an
address is known, and by WhatsApp or SMS when a phone number is. The event key names the case
and the event's sequence number (`applications:<code>:<seq>:<channel>`), so a step is never
announced twice, however often the code that schedules it runs.

When the overdue sweep marks an application late, the agency head is emailed — unless the
workflow's own escalation rules already notify the head at once (the default workflow's do,
through pendopo.workflow.sweep.notify_staff), so the head never gets two mails for one event.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from pendopo.applications import links, selectors
from pendopo.applications.models import Application
from pendopo.notifications import outbox
from pendopo.workflow.definition import ActorRole
from pendopo.workflow.models import CaseEvent, CaseKind
from pendopo.workflow.permissions import staff_in_role
from pendopo.workflow.registry import register_case_kind

if TYPE_CHECKING:
    from pendopo.regions.models import Region
    from pendopo.workflow.models import Case

logger = logging.getLogger(__name__)


def local_text(region: Region, moment: dt.datetime | None) -> str:
    """`29 November 2026 14:00 WIB` in the active language."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(region.time_zone))
    return f"{date_format(local, 'j F Y H:i')} {region.time_zone_label}"


def _language(application: Application) -> str:
    owner = application.case.owner
    return (owner.preferred_language if owner is not None else "") or ""


def recipients(application: Application) -> list[tuple[str, str]]:
    """(channel, address) for each way the applicant is told (the phone is decrypted: never log it)."""
    out: list[tuple[str, str]] = []
    if application.applicant_email:
        out.append(("email", application.applicant_email))
    if application.phone_encrypted and application.notify_by in ("sms", "whatsapp"):
        out.append((application.notify_by, application.phone))
    return out


def template_for(case: Case, event: CaseEvent) -> str:
    if event.action == CaseEvent.START:
        return "applications/notifications/received"
    if case.is_closed:
        return f"applications/notifications/{case.outcome or 'completed'}"
    return "applications/notifications/step"


def message_context(application: Application, event: CaseEvent) -> dict[str, Any]:
    """Built in the recipient's language (labels of states and actions are translated data)."""
    case = application.case
    spec = case.spec
    action = spec.action(event.action)
    survey = links.survey_url(application) if case.is_closed and case.outcome == "completed" else ""
    return {
        "code": case.code,
        "service": application.service.name,
        "applicant": application.applicant_name,
        "region_name": application.region.name,
        "action": action.label if action else str(CaseEvent.SYSTEM_LABELS.get(event.action, event.action)),
        "state": case.state_label,
        "is_waiting": case.is_paused,
        "is_closed": case.is_closed,
        "outcome": case.outcome,
        "note": event.note,
        "expected": local_text(application.region, case.expected_completion),
        "received": local_text(application.region, case.received_at),
        "tracking_url": links.tracking_url(case.code),
        "survey_url": survey,
        # Where the finished product is collected: the responsible agency's office.
        "product": (application.standard.product or "").strip() if case.is_closed else "",
        "pickup": selectors.pickup_place(application) if case.is_closed and case.outcome == "completed" else "",
        # Returned for revision: the documents the officer marked invalid, each with what is wrong.
        "to_fix": documents_to_fix(application) if case.is_paused else [],
    }


def documents_to_fix(application: Application) -> list[dict[str, str]]:
    return [{"label": row.label, "note": row.check.note if row.check else ""} for row in selectors.rows_to_fix(application)]


def notify_applicant(application: Application, event: CaseEvent) -> int:
    """Schedule the applicant's messages for one event (in the caller's transaction). Returns how many are new or old."""
    language = _language(application)
    targets = recipients(application)
    if not targets:
        return 0
    with translation.override(language or settings.LANGUAGE_CODE):
        context = message_context(application, event)
    template = template_for(application.case, event)
    for channel, to in targets:
        outbox.schedule_template(
            template,
            context,
            event_key=f"applications:{application.case.code}:{event.seq}:{channel}",
            channel=channel,
            to=to,
            language=language,
            region=application.region,
        )
    return len(targets)


def on_timeout(case: Case, event: CaseEvent) -> None:
    """The sweep took a timeout action (the applicant did not answer in time): tell the applicant.

    A step taken by a person is announced by actions.take_action, with the application it already holds."""
    application = (
        Application.objects.select_related("service__agency", "standard", "region__regency").filter(case_id=case.pk).first()
    )
    if application is None:
        return
    application.case = case
    from pendopo.applications import caching

    caching.forget_on_commit(case.code)
    notify_applicant(application, event)


def _head_notified_by_escalation(case: Case) -> bool:
    return any(rule.after_working_days == 0 and ActorRole.HEAD in rule.notify for rule in case.spec.escalation)


def on_overdue(case: Case, event: CaseEvent) -> None:
    """Tell the agency head that an application is late (once per overdue event and head)."""
    from pendopo.applications import caching

    caching.forget_on_commit(case.code)  # the tracking page now says "past its deadline"
    if _head_notified_by_escalation(case):
        return
    application = (
        Application.objects.select_related("service__agency", "standard", "region__regency").filter(case_id=case.pk).first()
    )
    if application is None:
        return
    application.case = case
    for head in staff_in_role(case, ActorRole.HEAD):
        if not head.email:
            continue
        language = head.preferred_language or ""
        with translation.override(language or settings.LANGUAGE_CODE):
            context = {
                **message_context(application, event),
                "head": head,
                "deadline": local_text(case.region, case.overdue_since),
                "staff_url": staff_url(case),
            }
        outbox.schedule_template(
            "applications/notifications/overdue",
            context,
            event_key=f"applications:{case.code}:{event.seq}:head:{head.pk}",
            channel="email",
            to=head.email,
            language=language,
            region=case.region,
        )


def staff_url(case: Case) -> str:
    return links.absolute(reverse("applications:detail", args=[case.code]))


register_case_kind(CaseKind.APPLICATION, on_timeout=on_timeout, on_overdue=on_overdue, url=staff_url)
