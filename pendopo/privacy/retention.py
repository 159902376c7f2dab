"""The retention run: per region, erase or anonymise what is past its term, and record the counts.

Terms count from the end of a record's use: a case's `closed_at`, a message's delivery, a survey
answer's submission, a session's expiry, a login record's time. An open case is never touched.
Login records and sessions belong to no region: the shortest term of all regions applies to them.
"""

from __future__ import annotations

import datetime as dt
import logging
from zoneinfo import ZoneInfo

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q

from pendopo.applications.models import Application, Document
from pendopo.complaints.models import Complaint, ComplaintPhoto
from pendopo.lib import dates
from pendopo.lib.files import delete_stored_file
from pendopo.notifications.models import Message, Status
from pendopo.privacy.models import DEFAULT_DAYS, Kind, RetentionPolicy, RetentionRun, Trigger
from pendopo.queueing.models import BOOKING_ACTIVE, Booking
from pendopo.regions.models import Region
from pendopo.surveys.models import SurveyResponse
from pendopo.workflow.models import Case

logger = logging.getLogger(__name__)

# What an anonymised application keeps in place of the applicant's name (the column is required).
ANONYMISED = "—"
FINISHED_MESSAGES = (Status.SENT, Status.FAILED, Status.DEAD)


def policy_for(region: Region) -> RetentionPolicy:
    """The region's policy, or the defaults (unsaved) when it has set none."""
    try:
        return RetentionPolicy.objects.get(region=region)
    except RetentionPolicy.DoesNotExist:
        return RetentionPolicy(region=region)


def _cutoff(now: dt.datetime, days: int) -> dt.datetime:
    return now - dt.timedelta(days=days)


def anonymise_applications(queryset) -> int:
    return queryset.exclude(applicant_name=ANONYMISED).update(
        applicant_name=ANONYMISED,
        applicant_email="",
        nik_encrypted="",
        nik_hash="",
        phone_encrypted="",
        phone_hash="",
        form_data={},
        protected_data={},
    )


def anonymise_complaints(queryset) -> int:
    found = queryset.filter(
        Q(reporter_name__gt="") | Q(reporter_email__gt="") | Q(reporter_phone_hash__gt="") | Q(case__owner__isnull=False)
    )
    Case.objects.filter(complaint__in=found).update(owner=None)
    return found.update(reporter_name="", reporter_email="", reporter_phone_encrypted="", reporter_phone_hash="")


def delete_documents(queryset) -> int:
    count = 0
    for upload in queryset.iterator():
        delete_stored_file(upload.file.name, upload.file.storage)
        upload.delete()
        count += 1
    return count


def apply_region(region: Region, *, now: dt.datetime, trigger: str = Trigger.SCHEDULE) -> RetentionRun:
    policy = policy_for(region)
    counts: dict[str, int] = {}
    with transaction.atomic():
        closed_before = _cutoff(now, policy.applications_days)
        counts[Kind.APPLICATIONS.value] = anonymise_applications(
            Application.objects.filter(region=region, case__closed_at__lt=closed_before)
        )
        counts[Kind.COMPLAINTS.value] = anonymise_complaints(
            Complaint.objects.filter(region=region, case__closed_at__lt=_cutoff(now, policy.complaints_days))
        )
        counts[Kind.SURVEY_ANSWERS.value] = (
            SurveyResponse.with_held.filter(region=region, submitted_at__lt=_cutoff(now, policy.survey_answers_days))
            .filter(Q(suggestion__gt="") | Q(application_key__isnull=False) | Q(device_key__gt="") | Q(idempotency_key__gt=""))
            .update(suggestion="", application_key=None, device_key="", idempotency_key="")
        )
        # A booking counts from its day; one still booked or checked in waits for the queue to close it.
        booked_before = _cutoff(now, policy.bookings_days).astimezone(ZoneInfo(region.time_zone)).date()
        counts[Kind.BOOKINGS.value] = (
            Booking.objects.filter(region=region, date__lt=booked_before)
            .exclude(state__in=BOOKING_ACTIVE)
            .exclude(name="", nik_hash="", contact_encrypted="")
            .update(name="", nik_hash="", nik_last4="", contact_encrypted="")
        )
        uploads_before = _cutoff(now, policy.uploads_days)
        counts[Kind.UPLOADS.value] = delete_documents(
            Document.objects.filter(region=region, application__case__closed_at__lt=uploads_before)
        ) + delete_documents(ComplaintPhoto.objects.filter(region=region, complaint__case__closed_at__lt=uploads_before))
        sent_before = _cutoff(now, policy.outbox_days)
        counts[Kind.OUTBOX.value], _ = (
            Message.objects.filter(region=region, status__in=FINISHED_MESSAGES)
            .filter(Q(sent_at__lt=sent_before) | Q(sent_at=None, created_at__lt=sent_before))
            .delete()
        )
        run = RetentionRun.objects.create(region=region, ran_at=now, trigger=trigger, counts=counts)
    return run


def shortest_days(kind: Kind) -> int:
    """The shortest term any region set for a kind that no region owns (the defaults for regions with none)."""
    field = f"{kind.value}_days"
    terms = list(RetentionPolicy.objects.values_list(field, flat=True))
    if Region.objects.exclude(retention_policy__isnull=False).exists() or not terms:
        terms.append(DEFAULT_DAYS[kind])
    return min(terms)


def apply_platform(*, now: dt.datetime, trigger: str = Trigger.SCHEDULE) -> RetentionRun:
    counts: dict[str, int] = {}
    with transaction.atomic():
        logs_before = _cutoff(now, shortest_days(Kind.LOGS))
        counts[Kind.LOGS.value] = sum(
            model.objects.filter(attempt_time__lt=logs_before).delete()[0]
            for model in (AccessAttempt, AccessLog, AccessFailureLog)
        )
        counts[Kind.SESSIONS.value], _ = Session.objects.filter(
            expire_date__lt=_cutoff(now, shortest_days(Kind.SESSIONS))
        ).delete()
        # Messages of no region (a citizen's login code, a staff invitation) follow the shortest term.
        sent_before = _cutoff(now, shortest_days(Kind.OUTBOX))
        counts[Kind.OUTBOX.value], _ = (
            Message.objects.filter(region=None, status__in=FINISHED_MESSAGES)
            .filter(Q(sent_at__lt=sent_before) | Q(sent_at=None, created_at__lt=sent_before))
            .delete()
        )
        run = RetentionRun.objects.create(region=None, ran_at=now, trigger=trigger, counts=counts)
    return run


def apply_all(*, trigger: str = Trigger.SCHEDULE) -> dict[str, int]:
    """Run every region's policy and the platform's; return the total per kind."""
    now = dates.now()
    totals: dict[str, int] = {}
    runs = [apply_region(region, now=now, trigger=trigger) for region in Region.objects.all()]
    runs.append(apply_platform(now=now, trigger=trigger))
    for run in runs:
        for kind, count in run.counts.items():
            totals[kind] = totals.get(kind, 0) + count
    logger.info("retention run: %s", totals)
    return totals
