"""Survey responses (SKM), their imports, the people served per period, and the follow-up plans."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from pendopo.lib import crypto, dates
from pendopo.regions.models import Agency, Region, ServicePoint
from pendopo.surveys.choices import ELEMENT_TABLE, AgeBand, Channel, Education, Occupation, Sex
from pendopo.surveys.ikm import MAX_SCORE, MIN_SCORE

SUGGESTION_MAX_LENGTH = 2_000


def _score_field(index: int) -> models.PositiveSmallIntegerField:
    element = ELEMENT_TABLE[index]
    return models.PositiveSmallIntegerField(
        format_lazy("{} {}", element.code, element.name),
        validators=[MinValueValidator(MIN_SCORE), MaxValueValidator(MAX_SCORE)],
    )


def application_key(code: str) -> str:
    """The keyed hash under which a response remembers the application it rates (never the code itself).

    Keyed with PENDOPO_DATA_KEY like the NIK look-up hashes, so a copy of the database alone cannot
    match responses to applications; the server checks "already rated" by hashing the code again.
    """
    return crypto.keyed_hash(settings.PENDOPO_DATA_KEY, f"surveys.application:{code.strip().upper()}")


def device_key(device: str) -> str:
    """The keyed hash a response keeps of the device that sent it (see throttling.device)."""
    return crypto.keyed_hash(settings.PENDOPO_DATA_KEY, f"surveys.device:{device}") if device else ""


def period_fields(day: dt.date) -> dict[str, int | dt.date]:
    """The period columns of a response given on `day` (a date in the region's time zone)."""
    return {
        "local_date": day,
        "year": day.year,
        "semester": 1 if day.month <= 6 else 2,
        "quarter": (day.month - 1) // 3 + 1,
        "month": day.month,
    }


class ImportBatch(models.Model):
    """One upload of paper surveys: who imported which file, for which unit, how many rows."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+", verbose_name=_("service"))
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("service point")
    )
    file_name = models.CharField(_("file name"), max_length=255)
    imported = models.PositiveIntegerField(_("rows imported"), default=0)
    skipped = models.PositiveIntegerField(_("invalid rows left out"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("imported by")
    )
    created_at = models.DateTimeField(_("imported at"), default=dates.now)

    class Meta:
        ordering = ["region", "-created_at"]
        verbose_name = _("survey import")
        verbose_name_plural = _("survey imports")
        indexes = [models.Index(fields=["region", "agency", "created_at"], name="surveys_import_region_idx")]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.imported})"


class CountedResponses(models.Manager["SurveyResponse"]):
    """The responses that count: those held for review (a repeat from one device) are left out."""

    def get_queryset(self) -> models.QuerySet[SurveyResponse]:
        return super().get_queryset().filter(held_at=None)


class SurveyResponse(models.Model):
    """One respondent's answers. Anonymous: nothing here identifies the person who answered
    (not even the application rated: only a keyed hash of its code is kept)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    service = models.ForeignKey("catalog.Service", on_delete=models.PROTECT, related_name="+", verbose_name=_("service"))
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("service point")
    )
    # Which application this answer rates, as a keyed hash of its tracking code: enough for the
    # database to allow one response per application, not enough to tell whose answer it is
    # (the code would lead straight to the applicant's name and NIK). See application_key().
    application_key = models.CharField(_("application (keyed hash)"), max_length=64, null=True, blank=True, editable=False)
    u1 = _score_field(0)
    u2 = _score_field(1)
    u3 = _score_field(2)
    u4 = _score_field(3)
    u5 = _score_field(4)
    u6 = _score_field(5)
    u7 = _score_field(6)
    u8 = _score_field(7)
    u9 = _score_field(8)
    sex = models.CharField(_("sex"), max_length=6, choices=Sex.choices, blank=True)
    age = models.CharField(_("age"), max_length=5, choices=AgeBand.choices, blank=True)
    education = models.CharField(_("education"), max_length=5, choices=Education.choices, blank=True)
    occupation = models.CharField(_("occupation"), max_length=16, choices=Occupation.choices, blank=True)
    suggestion = models.TextField(_("suggestion"), max_length=SUGGESTION_MAX_LENGTH, blank=True)
    channel = models.CharField(_("channel"), max_length=6, choices=Channel.choices)
    import_batch = models.ForeignKey(
        ImportBatch, on_delete=models.CASCADE, null=True, blank=True, related_name="responses", verbose_name=_("import")
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=dates.now)
    # The period in the region's time zone, as plain columns: reports group and filter on
    # small integers without date functions, the same on SQLite and PostgreSQL.
    local_date = models.DateField(_("date"))
    year = models.PositiveSmallIntegerField(_("year"))
    semester = models.PositiveSmallIntegerField(_("semester"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    month = models.PositiveSmallIntegerField(_("month"))
    # The questionnaire's token (pendopo/lib/once.py): a double click or a resend finds this row.
    idempotency_key = models.CharField(max_length=64, blank=True, editable=False)
    # Keyed hash of the answering device (its cookie and client address), never the address itself:
    # the same answers again from one device within minutes are held for review (actions.submit_response).
    device_key = models.CharField(max_length=64, blank=True, editable=False)
    held_at = models.DateTimeField(_("held for review at"), null=True, blank=True, editable=False)

    with_held = models.Manager()  # every response, those held for review too
    objects = CountedResponses()

    class Meta:
        ordering = ["region", "-submitted_at"]
        default_manager_name = "objects"
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        constraints = [
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{element.field}__gte": MIN_SCORE, f"{element.field}__lte": MAX_SCORE}),
                    name=f"surveys_response_{element.field}_range",
                )
                for element in ELEMENT_TABLE
            ],
            models.UniqueConstraint(
                fields=["region", "application_key"],
                condition=Q(application_key__isnull=False),
                name="surveys_response_one_per_application",
            ),
            models.UniqueConstraint(
                fields=["region", "idempotency_key"], condition=~Q(idempotency_key=""), name="surveys_response_once_per_token"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "year", "month"], name="surveys_resp_region_idx"),
            models.Index(fields=["region", "agency", "year", "month"], name="surveys_resp_agency_idx"),
            models.Index(fields=["region", "service", "year", "month"], name="surveys_resp_service_idx"),
            models.Index(fields=["region", "service_point", "year", "month"], name="surveys_resp_point_idx"),
            models.Index(fields=["region", "local_date"], name="surveys_resp_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.local_date}"

    @property
    def scores(self) -> tuple[int, ...]:
        return tuple(getattr(self, element.field) for element in ELEMENT_TABLE)


class ServedCount(models.Model):
    """How many people an agency (or one of its services) served in a month: the population of the sample.

    Pendopo counts the applications received (selectors.applications_received); the region's
    administrator enters a number here where a unit also serves people outside Pendopo, and the
    entered number wins over the count (indices.served).
    """

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency"))
    service = models.ForeignKey(
        "catalog.Service",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("service"),
        help_text=_("Empty: everyone the agency served."),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    month = models.PositiveSmallIntegerField(_("month"), validators=[MinValueValidator(1), MaxValueValidator(12)])
    served = models.PositiveIntegerField(_("people served"))

    class Meta:
        ordering = ["region", "agency", "year", "month"]
        verbose_name = _("people served")
        verbose_name_plural = _("people served")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "month"], condition=Q(service=None), name="surveys_served_unique_agency"
            ),
            models.UniqueConstraint(
                fields=["agency", "service", "year", "month"],
                condition=Q(service__isnull=False),
                name="surveys_served_unique_service",
            ),
            models.CheckConstraint(condition=Q(month__gte=1, month__lte=12), name="surveys_served_month_range"),
        ]
        indexes = [models.Index(fields=["region", "year", "month"], name="surveys_served_region_idx")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.year}-{self.month:02d}: {self.served}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.agency_id and self.region_id and self.agency.region_id != self.region_id:
            raise ValidationError({"agency": _("The agency must belong to the same region.")})
        if self.service is not None and self.agency_id and self.service.agency_id != self.agency_id:
            raise ValidationError({"service": _("The service must belong to the agency.")})


class FollowUpPlan(models.Model):
    """What the agency will do about its survey results in a period, written by the agency head."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+", verbose_name=_("agency"))
    period = models.CharField(_("period"), max_length=24, help_text=_("e.g. 2026, 2026-S1, 2026-Q3, 2026-07"))
    text = models.TextField(_("follow-up plan"), max_length=10_000)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("entered by")
    )
    updated_at = models.DateTimeField(_("updated at"), default=dates.now)

    class Meta:
        ordering = ["region", "agency", "-period"]
        verbose_name = _("follow-up plan")
        verbose_name_plural = _("follow-up plans")
        constraints = [models.UniqueConstraint(fields=["agency", "period"], name="surveys_followup_unique_period")]
        indexes = [models.Index(fields=["region", "agency", "period"], name="surveys_followup_region_idx")]

    def __str__(self) -> str:
        return f"{self.agency} {self.period}"


class Poster(models.Model):
    """A survey QR poster printed by the region's staff: where the survey link has been published.

    One row per region, service point and service, kept from the first print; the setup checklist
    reads it ("the survey link is published") and the posters page lists what is out there.
    """

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("service point")
    )
    service = models.ForeignKey(
        "catalog.Service", on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("service")
    )
    # "<service point id>:<service id>" (either may be empty): one row per place, NULLs included, on both databases.
    place = models.CharField(_("place"), max_length=40, editable=False)
    first_printed_at = models.DateTimeField(_("first printed at"), default=dates.now, editable=False)
    printed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("printed by")
    )

    class Meta:
        verbose_name = _("survey poster")
        verbose_name_plural = _("survey posters")
        constraints = [models.UniqueConstraint(fields=["region", "place"], name="surveys_poster_unique_place")]
