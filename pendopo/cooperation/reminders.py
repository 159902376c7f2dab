"""Expiry and evaluation reminders of cooperation agreements: listed, and mailed to the people who act.

`due(region, as_of)` is the one definition of what is due (the region's page, the `pendopo
cooperation reminders` command and the mail all read it):

- **expiring**: an agreement in implementation (or reporting) whose end falls within
  `PENDOPO_COOPERATION_EXPIRY_NOTICE_DAYS` (default 90) of `as_of`. An extension is a new procedure
  that takes months (offer, drafting, signatures, perhaps the council), so the people who start it
  hear of the end three times: when it comes within the notice, at 30 days and at 7 days;
- **evaluation_overdue**: an agreement in implementation with a part of the year (the evaluation
  cadence) that has ended without an evaluation dated in it.

`send_region(region, now)` mails each due reminder through the notifications outbox to the
region's administrators, the head of the agreement's initiating agency and the region's contact
address, in the recipient's language. The event key names the agreement, the reason and the step
(the notice step, or the missing period), so the hourly job mails each reminder once per person
whatever the number of runs. The job sends from `PENDOPO_COOPERATION_REMINDER_HOUR` (default 7)
in the region's time, so nobody is mailed at night.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from pendopo.cooperation import actions, rules, selectors
from pendopo.cooperation.models import Agreement
from pendopo.lib import dates
from pendopo.regions.models import Membership, Region, Role

EXPIRING = "expiring"
EVALUATION_OVERDUE = "evaluation_overdue"
# The later reminders before the end, in days (the first is the notice setting itself).
LATER_STEPS = (30, 7)


@dataclass(frozen=True)
class Reminder:
    agreement: Agreement
    reason: str
    days_left: int | None = None
    missing: list[rules.EvaluationPeriod] = field(default_factory=list)

    @property
    def periods(self) -> list[str]:
        return [period.label for period in self.missing]

    @property
    def step(self) -> str:
        """What the reminder is about within its reason: the notice step before the end, or the missing periods."""
        if self.reason == EXPIRING and self.days_left is not None:
            steps = sorted({actions.expiry_notice_days(), *(s for s in LATER_STEPS if s < actions.expiry_notice_days())})
            return f"d{next(s for s in steps if self.days_left <= s)}"
        return "+".join(self.periods)


def due(region: Region, as_of: dt.date, days: int | None = None) -> list[Reminder]:
    """The reminders on `as_of`: agreements ending within `days` (default: the notice), then those short of an evaluation."""
    days = actions.expiry_notice_days() if days is None else days
    out = [
        Reminder(agreement, EXPIRING, days_left=(agreement.ends_on - as_of).days)
        for agreement in selectors.expiring(region, as_of, days).select_related("case", "region__regency", "agency")
        if agreement.ends_on is not None
    ]
    running = (
        Agreement.objects.filter(region=region, case__state__in=["pelaksanaan", "pelaporan"])
        .select_related("case", "region__regency", "agency")
        .prefetch_related("evaluations")
        .order_by("ends_on", "pk")
    )
    for agreement in running:
        missing = [p for p in actions.evaluation_status(agreement, as_of) if not p.evaluated]
        if missing:
            out.append(Reminder(agreement, EVALUATION_OVERDUE, missing=missing))
    return out


def recipients(region: Region, agreement: Agreement) -> list[tuple[str, str, str]]:
    """(who, email, language) of those who act: the region's administrators, the initiating agency's head, the contact address."""
    members = (
        Membership.objects.filter(region=region, is_active=True, user__is_active=True)
        .filter(Q(role=Role.REGION_ADMIN) | Q(role=Role.HEAD, agency=agreement.agency_id))
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id")
    )
    out: dict[str, tuple[str, str, str]] = {}
    for membership in members:
        user = membership.user
        out.setdefault(user.email.lower(), (f"u{user.pk}", user.email, user.preferred_language or settings.LANGUAGE_CODE))
    if region.contact_email and region.contact_email.lower() not in out:
        out[region.contact_email.lower()] = ("contact", region.contact_email, settings.LANGUAGE_CODE)
    return list(out.values())


def _hour() -> int:
    return int(getattr(settings, "PENDOPO_COOPERATION_REMINDER_HOUR", 7))


def send_region(region: Region, now: dt.datetime | None = None) -> int:
    """Mail the region's due reminders (from the reminder hour, local time); returns how many messages were new."""
    from pendopo.notifications import outbox
    from pendopo.notifications.models import Message

    now = now or dates.now()
    local = now.astimezone(ZoneInfo(region.time_zone))
    if local.hour < _hour():
        return 0
    base = settings.PENDOPO_BASE_URL.rstrip("/")
    sent = 0
    for reminder in due(region, local.date()):
        agreement = reminder.agreement
        for who, email, language in recipients(region, agreement):
            key = f"cooperation:{reminder.reason}:{agreement.pk}:{reminder.step}:{who}"[:200]
            if Message.objects.filter(event_key=key).exists():
                continue
            context = {
                "region_name": region.name,
                "agreement": agreement,
                "reminder": reminder,
                "url": base + agreement.get_absolute_url(),
            }
            with transaction.atomic():
                outbox.schedule_template(
                    "cooperation/notifications/reminder",
                    context,
                    event_key=key,
                    channel="email",
                    to=email,
                    language=language,
                    region=region,
                )
            sent += 1
    return sent
