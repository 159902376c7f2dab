"""Retention of personal data (UU 27/2022): each region's terms, what each run did, citizens' requests."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pendopo.lib import dates
from pendopo.regions.models import Region
from pendopo.regions.permissions import Scope, register_scope

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Kind(models.TextChoices):
    APPLICATIONS = "applications", _("applications")
    COMPLAINTS = "complaints", _("complaints")
    SURVEY_ANSWERS = "survey_answers", _("survey answers")
    BOOKINGS = "bookings", _("queue bookings")
    UPLOADS = "uploads", _("uploaded files")
    LOGS = "logs", _("login records")
    OUTBOX = "outbox", _("outbox messages")
    SESSIONS = "sessions", _("sessions")


# Days after the record is finished (case closed, message delivered, session expired, answer given).
# The reasons are in docs/privacy.md; a region may lengthen or shorten each term.
DEFAULT_DAYS = {
    Kind.APPLICATIONS: 5 * 365,
    Kind.COMPLAINTS: 2 * 365,
    Kind.SURVEY_ANSWERS: 365,
    Kind.BOOKINGS: 90,
    Kind.UPLOADS: 365,
    Kind.LOGS: 90,
    Kind.OUTBOX: 30,
    Kind.SESSIONS: 0,
}


def _days_field(kind: Kind, help_text: StrOrPromise) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(kind.label, default=DEFAULT_DAYS[kind], help_text=help_text)


class RetentionPolicy(models.Model):
    """How long a region keeps each kind of personal data before it is erased or anonymised."""

    region = models.OneToOneField(Region, on_delete=models.CASCADE, related_name="retention_policy", verbose_name=_("region"))
    applications_days = _days_field(
        Kind.APPLICATIONS,
        _(
            "Days after an application is closed until the applicant's name, NIK, phone, email and form answers are removed. "
            "The application itself stays (the agency's archive)."
        ),
    )
    complaints_days = _days_field(
        Kind.COMPLAINTS, _("Days after a complaint is closed until the reporter's name, email and phone are removed.")
    )
    survey_answers_days = _days_field(
        Kind.SURVEY_ANSWERS,
        _(
            "Days after a survey answer until its suggestion text and its links to an application and a device are removed. "
            "The scores stay for the index."
        ),
    )
    bookings_days = _days_field(
        Kind.BOOKINGS,
        _(
            "Days after the day of a queue booking until its name, NIK and contact are removed. "
            "The booking's code, service and state stay for the queue's statistics."
        ),
    )
    uploads_days = _days_field(
        Kind.UPLOADS, _("Days after a case is closed until its uploaded documents and photos are deleted.")
    )
    logs_days = _days_field(
        Kind.LOGS,
        _(
            "Days a login record (account name, address) is kept. "
            "Not owned by one region: the shortest term of all regions applies."
        ),
    )
    outbox_days = _days_field(
        Kind.OUTBOX, _("Days after a message was delivered (or given up) until it is deleted from the outbox.")
    )
    sessions_days = _days_field(
        Kind.SESSIONS,
        _("Days after a session expired until it is deleted. Not owned by one region: the shortest term of all regions applies."),
    )
    updated_at = models.DateTimeField(_("updated at"), default=dates.now)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self) -> str:
        return str(self.region)

    def days(self, kind: Kind | str) -> int:
        return int(getattr(self, f"{Kind(kind).value}_days"))


class Trigger(models.TextChoices):
    SCHEDULE = "schedule", _("scheduled run")
    MANUAL = "manual", _("started by hand")


class RetentionRun(models.Model):
    """What one retention run did: counts per kind, never the data itself. Never updated or deleted."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    ran_at = models.DateTimeField(_("ran at"), default=dates.now)
    trigger = models.CharField(_("trigger"), max_length=10, choices=Trigger.choices, default=Trigger.SCHEDULE)
    counts = models.JSONField(_("records erased or anonymised per kind"), default=dict)

    class Meta:
        ordering = ["-ran_at", "-pk"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        indexes = [models.Index(fields=["region", "ran_at"], name="privacy_run_region_idx")]

    def __str__(self) -> str:
        return f"{self.region or '-'} {self.ran_at:%Y-%m-%d %H:%M}"


class RequestState(models.TextChoices):
    PENDING = "pending", _("waiting for staff")
    DONE = "done", _("carried out")
    REFUSED = "refused", _("refused")


class ErasureRequest(models.Model):
    """A citizen's request to erase their account's data, carried out by a platform administrator.

    After it is carried out the link to the account is cut (`user` is empty): what stays is the
    date, who handled it and the counts, as for a retention run.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("account")
    )
    requested_at = models.DateTimeField(_("requested at"), default=dates.now)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=RequestState.choices, default=RequestState.PENDING)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("handled by")
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    counts = models.JSONField(_("records erased or anonymised per kind"), default=dict, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=models.Q(state="pending"), name="privacy_one_pending_request")
        ]

    def __str__(self) -> str:
        return f"{self.get_state_display()} {self.requested_at:%Y-%m-%d}"


register_scope(RetentionPolicy, Scope(region="region_id"))
register_scope(RetentionRun, Scope(region="region_id"))
