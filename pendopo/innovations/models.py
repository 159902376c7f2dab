"""The innovation register: innovations per region, their scores with evidence, replications, the audit.

The index catalogue itself is data per period (`data/catalogue.yaml`); scores name their row by
period, aspect and code, and `actions.py` checks them against that catalogue.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pendopo.catalog.models import Service
from pendopo.lib import dates
from pendopo.regions.models import Agency, Region
from pendopo.workflow.models import Case


class Form(models.TextChoices):
    GOVERNANCE = "governance", _("regional governance")
    PUBLIC_SERVICE = "public_service", _("public service")
    OTHER = "other", _("other matter within regional authority")


class Stage(models.TextChoices):
    INITIATIVE = "initiative", _("initiative")
    TRIAL = "trial", _("trial")
    IMPLEMENTATION = "implementation", _("implementation")


class Kind(models.TextChoices):
    DIGITAL = "digital", _("digital")
    NON_DIGITAL = "non_digital", _("non-digital")


class Initiator(models.TextChoices):
    REGIONAL_HEAD = "regional_head", _("regional head")
    COUNCIL_MEMBER = "council_member", _("member of the regional council (DPRD)")
    AGENCY = "agency", _("agency (OPD)")
    CIVIL_SERVANT = "civil_servant", _("civil servant (ASN)")
    COMMUNITY = "community", _("community")


class Theme(models.TextChoices):
    DIGITAL_SERVICES = "digital_services", _("digitalisation of government services")
    POVERTY = "poverty", _("poverty reduction")
    INVESTMENT = "investment", _("ease of investment")
    PRESIDENTIAL = "presidential", _("the President's current priorities")
    NONE = "none", _("no theme")


class Affair(models.TextChoices):
    """Government affairs (urusan pemerintahan, UU 23/2014); the first six are the basic services."""

    EDUCATION = "education", _("education")
    HEALTH = "health", _("health")
    PUBLIC_WORKS = "public_works", _("public works and spatial planning")
    HOUSING = "housing", _("public housing and settlements")
    PUBLIC_ORDER = "public_order", _("public order, peace and community protection")
    SOCIAL = "social", _("social affairs")
    CIVIL_REGISTRY = "civil_registry", _("population administration and civil registration")
    MANPOWER = "manpower", _("manpower")
    WOMEN_CHILDREN = "women_children", _("women's empowerment and child protection")
    FOOD = "food", _("food")
    ENVIRONMENT = "environment", _("environment")
    VILLAGES = "villages", _("village community empowerment")
    FAMILY_PLANNING = "family_planning", _("population control and family planning")
    TRANSPORT = "transport", _("transport")
    COMMUNICATION = "communication", _("communication and informatics")
    SMALL_BUSINESS = "small_business", _("cooperatives and small and medium enterprises")
    INVESTMENT = "investment", _("investment")
    YOUTH_SPORT = "youth_sport", _("youth and sport")
    CULTURE = "culture", _("culture")
    LIBRARY = "library", _("libraries and archives")
    TOURISM = "tourism", _("tourism")
    AGRICULTURE = "agriculture", _("agriculture")
    FISHERIES = "fisheries", _("marine affairs and fisheries")
    TRADE = "trade", _("trade and industry")
    GOVERNANCE = "governance", _("government support functions")


BASIC_SERVICE_AFFAIRS = frozenset(
    {Affair.EDUCATION, Affair.HEALTH, Affair.PUBLIC_WORKS, Affair.HOUSING, Affair.PUBLIC_ORDER, Affair.SOCIAL}
)


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted, awaiting verification")
    RETURNED = "returned", _("returned for revision")
    VERIFIED = "verified", _("verified")


class Innovation(models.Model):
    """One innovation of a region, entered in one period's report (a later year is a new entry)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="innovations", verbose_name=_("region"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="innovations", verbose_name=_("agency"))
    code = models.CharField(_("code"), max_length=20, unique=True, editable=False)
    period = models.PositiveSmallIntegerField(_("period"), help_text=_("The year of the index report it is entered in."))
    name = models.CharField(_("name"), max_length=200)
    form = models.CharField(_("form"), max_length=20, choices=Form.choices, default=Form.PUBLIC_SERVICE)
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.INITIATIVE)
    initiated_on = models.DateField(_("initiative date"), null=True, blank=True)
    trial_on = models.DateField(_("trial date"), null=True, blank=True)
    implemented_on = models.DateField(_("implementation date"), null=True, blank=True)
    developed_on = models.DateField(_("latest development date"), null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DIGITAL)
    initiator = models.CharField(_("initiator"), max_length=20, choices=Initiator.choices, default=Initiator.AGENCY)
    theme = models.CharField(_("theme"), max_length=20, choices=Theme.choices, default=Theme.NONE)
    affair = models.CharField(_("government affair"), max_length=20, choices=Affair.choices)
    design = models.TextField(_("design (rancang bangun)"), blank=True)
    goals = models.TextField(_("goals"), blank=True)
    benefits = models.TextField(_("benefits"), blank=True)
    results = models.TextField(_("results"), blank=True)
    budget = models.BigIntegerField(_("budget (Rp)"), default=0)
    location = models.CharField(_("location"), max_length=200, blank=True)
    services = models.ManyToManyField(Service, blank=True, related_name="innovations", verbose_name=_("services it changed"))
    video_url = models.URLField(_("video link"), blank=True)

    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    review_note = models.TextField(_("verifier's note"), blank=True, editable=False)
    # Submission and verification run on the shared workflow engine from the first submission
    # (innovations/workflow.py); `status` mirrors the case's state.
    case = models.OneToOneField(
        Case,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="innovation",
        editable=False,
        verbose_name=_("verification case"),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    # The create form's one-time token: a double submit finds the innovation it already made.
    idempotency_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=dates.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=dates.now, editable=False)

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("innovation")
        verbose_name_plural = _("innovations")
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"], condition=~Q(idempotency_key=""), name="innovations_once_per_token"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "period", "status"], name="innov_region_period_idx"),
            models.Index(fields=["region", "agency", "name"], name="innov_region_agency_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("innovations:detail", args=[self.region.slug, self.code])

    @property
    def is_basic_service(self) -> bool:
        return self.affair in BASIC_SERVICE_AFFAIRS

    @property
    def design_words(self) -> int:
        return len(re.findall(r"\w+", self.design))

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.RETURNED)


class Photo(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="photos")
    key = models.CharField(max_length=16, unique=True, editable=False)
    file = models.FileField(_("photo"), upload_to="innovations/photos/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField(default=dates.now, editable=False)

    class Meta:
        ordering = ["innovation", "uploaded_at", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        indexes = [models.Index(fields=["region", "innovation"], name="innov_photo_region_idx")]

    def __str__(self) -> str:
        return self.caption or self.key


class Aspect(models.TextChoices):
    SPD = "spd", _("region (SPD)")
    SID = "sid", _("innovation (SID)")


class Verdict(models.TextChoices):
    WAITING = "waiting", _("waiting for verification")
    ACCEPTED = "accepted", _("accepted")
    REJECTED = "rejected", _("rejected")


class Score(models.Model):
    """One row of the index: a region's SPD row (no innovation) or an innovation's SID row.

    A chosen level counts only with evidence (a file or a link, with the document's number and
    date); the verified index counts only rows the team accepted. Changing the evidence returns
    the row to "waiting" (actions.save_score).
    """

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, null=True, blank=True, related_name="scores", verbose_name=_("innovation")
    )
    period = models.PositiveSmallIntegerField(_("period"))
    aspect = models.CharField(_("aspect"), max_length=3, choices=Aspect.choices)
    indicator = models.CharField(_("indicator"), max_length=8)
    key = models.CharField(max_length=16, unique=True, editable=False)
    level = models.PositiveSmallIntegerField(_("parameter level"), null=True, blank=True)
    basis = models.CharField(_("basis"), max_length=2, blank=True)
    value = models.DecimalField(_("measured value"), max_digits=14, decimal_places=2, null=True, blank=True)
    evidence_file = models.FileField(_("evidence file"), upload_to="innovations/evidence/%Y/%m/", blank=True)
    evidence_name = models.CharField(_("evidence file name"), max_length=200, blank=True)
    evidence_url = models.URLField(_("evidence link"), blank=True)
    document_number = models.CharField(_("document number"), max_length=120, blank=True)
    document_date = models.DateField(_("document date"), null=True, blank=True)
    verdict = models.CharField(_("verification"), max_length=10, choices=Verdict.choices, default=Verdict.WAITING)
    note = models.CharField(_("verifier's note"), max_length=500, blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    verified_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=dates.now)

    class Meta:
        ordering = ["region", "period", "aspect", "pk"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "period", "aspect", "indicator"],
                condition=Q(innovation=None),
                name="innov_score_one_spd_row",
            ),
            models.UniqueConstraint(
                fields=["innovation", "period", "aspect", "indicator"],
                condition=~Q(innovation=None),
                name="innov_score_one_sid_row",
            ),
        ]
        indexes = [models.Index(fields=["region", "period", "aspect"], name="innov_score_region_idx")]

    def __str__(self) -> str:
        return f"{self.period} {self.aspect} {self.indicator}"

    @property
    def has_evidence(self) -> bool:
        return bool((self.evidence_file or self.evidence_url) and self.document_number and self.document_date)

    @property
    def counts_claimed(self) -> bool:
        return self.level is not None and self.has_evidence

    @property
    def counts_verified(self) -> bool:
        return self.counts_claimed and self.verdict == Verdict.ACCEPTED


class Replication(models.Model):
    """A region adopting another region's innovation: both sides' evidence for row 31 (Replikasi)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("adopting region"))
    source = models.ForeignKey(Innovation, on_delete=models.PROTECT, related_name="replications", verbose_name=_("original"))
    source_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("original region"))
    adopted = models.OneToOneField(
        Innovation, on_delete=models.CASCADE, related_name="replicated_from", verbose_name=_("adopted innovation")
    )
    inspiration = models.TextField(_("inspiration"))
    process = models.TextField(_("replication process"))
    difference = models.TextField(_("distinguishing factor"))
    agreement = models.CharField(_("cooperation agreement"), max_length=200, blank=True)
    agreed_on = models.DateField(_("agreement date"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=dates.now, editable=False)

    class Meta:
        ordering = ["source", "created_at", "pk"]
        verbose_name = _("replication")
        verbose_name_plural = _("replications")
        indexes = [
            models.Index(fields=["region", "created_at"], name="innov_repl_region_idx"),
            models.Index(fields=["source_region", "source"], name="innov_repl_source_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} -> {self.adopted_id}"


class Event(models.Model):
    """Append-only audit of what happened to an innovation and the region's index rows."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")
        SCORED = "scored", _("row filled")
        SUBMITTED = "submitted", _("submitted")
        ACCEPTED = "accepted", _("row accepted")
        REJECTED = "rejected", _("row rejected")
        VERIFIED = "verified", _("verified")
        RETURNED = "returned", _("returned for revision")
        REPLICATED = "replicated", _("replicated from another region")
        PHOTO = "photo", _("photo added")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, null=True, blank=True, related_name="events")
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    indicator = models.CharField(_("indicator"), max_length=8, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.CharField(_("note"), max_length=500, blank=True)
    at = models.DateTimeField(_("at"), default=dates.now)

    class Meta:
        ordering = ["region", "at", "pk"]
        verbose_name = _("innovation event")
        verbose_name_plural = _("innovation events")
        indexes = [models.Index(fields=["region", "innovation", "at"], name="innov_event_region_idx")]

    def __str__(self) -> str:
        return f"{self.innovation_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(_("Audit events are never changed."), code="append_only")
        super().save(*args, **kwargs)
