"""Messages to the complainant through the notifications outbox (email only, identified complainants only).

An anonymous complaint has no address to write to, and nothing about it is ever emailed to
anyone but the staff's escalation notices (pendopo.workflow.sweep), which carry no identity.
Event keys name the tracking code and a sequence number or message id, never personal data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from pendopo.notifications import outbox
from pendopo.regions.links import absolute

if TYPE_CHECKING:
    from pendopo.complaints.models import Complaint, ComplaintMessage
    from pendopo.workflow.models import CaseEvent


def _language(complaint: Complaint) -> str:
    owner = complaint.case.owner
    return (owner.preferred_language if owner is not None else "") or ""


def tracking_path(complaint: Complaint) -> str:
    return reverse("complaints:detail", args=[complaint.region.slug, complaint.code])


def _context(complaint: Complaint, **extra: Any) -> dict[str, Any]:
    return {
        "code": complaint.code,
        "category": complaint.category.name,
        "state": complaint.case.state_label,
        "region_name": complaint.region.name,
        "tracking_path": absolute(tracking_path(complaint)),
        **extra,
    }


def _send(complaint: Complaint, template: str, key: str, **extra: Any) -> None:
    if complaint.is_anonymous or not complaint.reporter_email:
        return
    language = _language(complaint)
    with translation.override(language or settings.LANGUAGE_CODE):
        context = _context(complaint, **extra)
    outbox.schedule_template(
        template,
        context,
        event_key=f"complaints:{complaint.code}:{key}:email",
        channel="email",
        to=complaint.reporter_email,
        language=language,
        region=complaint.region,
    )


def receipt(complaint: Complaint) -> None:
    _send(complaint, "complaints/notifications/received", "received")


def response(complaint: Complaint, message: ComplaintMessage) -> None:
    _send(complaint, "complaints/notifications/response", f"message:{message.pk}", body=message.body)


def step(complaint: Complaint, event: CaseEvent) -> None:
    _send(complaint, "complaints/notifications/step", f"event:{event.seq}", waiting=complaint.case.is_paused)
