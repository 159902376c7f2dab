"""Study visits, cooperation agreements and the adoption roadmap (docs/cooperation.md).

The rules (term, signatories, council approval, evaluation cadence) are in `rules.py`, the
writes in `actions.py`; an agreement's stages run on the shared workflow engine (its `case`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pendopo.lib import dates
from pendopo.regions.models import Agency, Region, ServicePoint

if TYPE_CHECKING:
    from pendopo.cooperation.results import Result

# --- study visits ---------------------------------------------------------------------------------


class VisitKind(models.TextChoices):
    """The classes visit-booking apps use."""

    STUDY = "study", _("comparative study (studi tiru / studi banding)")
    WORKING = "working", _("working visit (kunjungan kerja)")
    TRAINING = "training", _("education and training")
    AUDIENCE = "audience", _("audience")
    CONSULTATION = "consultation", _("consultation")


class VisitState(models.TextChoices):
    REQUESTED = "requested", _("requested")
    SCHEDULED = "scheduled", _("scheduled")
    HELD = "held", _("held")
    DECLINED = "declined", _("declined")
    CANCELLED = "cancelled", _("cancelled")


class Visit(models.Model):
    """A delegation of one region visiting another: requested by the visitor, scheduled by the host."""

    host = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="visits_hosted", verbose_name=_("host region"))
    visitor = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="visits_made", verbose_name=_("visiting region"))
    code = models.CharField(_("code"), max_length=24, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=VisitKind.choices, default=VisitKind.STUDY)
    purpose = models.TextField(_("purpose"))
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    delegation = models.TextField(_("delegation"), help_text=_("Who comes: one person or group per line."))
    places = models.TextField(_("places to see"), blank=True, help_text=_("One place per line."))
    state = models.CharField(_("state"), max_length=12, choices=VisitState.choices, default=VisitState.REQUESTED)
    host_note = models.TextField(_("host's note"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    idempotency_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("requested at"), default=dates.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=dates.now, editable=False)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("study visit")
        verbose_name_plural = _("study visits")
        constraints = [
            models.UniqueConstraint(
                fields=["requested_by", "idempotency_key"], condition=~Q(idempotency_key=""), name="coop_visit_once_per_token"
            ),
            models.CheckConstraint(condition=Q(starts_on__lte=models.F("ends_on")), name="coop_visit_dates_in_order"),
            models.CheckConstraint(condition=~Q(host=models.F("visitor")), name="coop_visit_two_regions"),
        ]
        indexes = [
            models.Index(fields=["host", "starts_on"], name="coop_visit_host_idx"),
            models.Index(fields=["visitor", "starts_on"], name="coop_visit_visitor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.visitor} → {self.host} ({self.starts_on:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("cooperation:visit", args=[self.host.slug, self.code])

    @property
    def is_public(self) -> bool:
        return self.state == VisitState.HELD


class Topic(models.Model):
    """What the visitors want to learn (tata kelola pelayanan publik, innovation, tourism…)."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="topics", verbose_name=_("visit"))
    title = models.CharField(_("topic"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["visit", "order", "pk"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.title


class AgendaKind(models.TextChoices):
    SITE = "site", _("site visit")
    MEETING = "meeting", _("discussion with an agency")
    RECEPTION = "reception", _("reception")
    OTHER = "other", _("other")


class AgendaItem(models.Model):
    """One item of the host's agenda: a site (the service mall, a village office), an agency to meet."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="agenda", verbose_name=_("visit"))
    day = models.DateField(_("day"))
    starts_at = models.TimeField(_("from"))
    ends_at = models.TimeField(_("until"))
    kind = models.CharField(_("kind"), max_length=12, choices=AgendaKind.choices, default=AgendaKind.SITE)
    title = models.CharField(_("what"), max_length=200)
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("place")
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("agency")
    )
    hosts = models.CharField(_("hosts"), max_length=300, blank=True)

    class Meta:
        ordering = ["visit", "day", "starts_at", "pk"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.CheckConstraint(condition=Q(starts_at__lt=models.F("ends_at")), name="coop_agenda_times_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.starts_at:%H:%M} {self.title}"


class Participant(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="participants", verbose_name=_("visit"))
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=200)
    is_council_member = models.BooleanField(_("member of the regional council (DPRD)"), default=False)

    class Meta:
        ordering = ["visit", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self) -> str:
        return f"{self.name} ({self.position})"


class Lesson(models.Model):
    """What the visitors learnt on one topic, linked to what they saw of the host."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="lessons", verbose_name=_("visit"))
    topic = models.ForeignKey(
        Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="lessons", verbose_name=_("topic")
    )
    title = models.CharField(_("lesson"), max_length=200)
    learnt = models.TextField(_("what was learnt"))
    service = models.ForeignKey(
        "catalog.Service", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("host's service")
    )
    innovation = models.ForeignKey(
        "innovations.Innovation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host's innovation"),
    )
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("host's place or queue")
    )
    document_url = models.URLField(_("document seen (e.g. a SAKIP document)"), blank=True)
    photo = models.FileField(_("photo"), upload_to="cooperation/photos/%Y/%m/", blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["visit", "order", "pk"]
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def __str__(self) -> str:
        return self.title


# --- cooperation agreements ---------------------------------------------------------------------


class Form(models.TextChoices):
    """The forms of PP 28/2018 (reference §2) and the memorandum with the central government."""

    KSDD = "ksdd", _("with another region (KSDD)")
    KSDPK = "ksdpk", _("with a third party (KSDPK)")
    KSDPL = "ksdpl", _("with a regional government abroad (KSDPL)")
    KSDLL = "ksdll", _("with an institution abroad (KSDLL)")
    CENTRAL = "central", _("with a ministry or central agency (Nota Kesepakatan)")


FOREIGN_FORMS = frozenset({Form.KSDPL, Form.KSDLL})


class Nature(models.TextChoices):
    MANDATORY = "mandatory", _("mandatory (wajib)")
    VOLUNTARY = "voluntary", _("voluntary (sukarela)")


class DocumentKind(models.TextChoices):
    OFFER = "offer", _("offer letter (surat penawaran)")
    KB = "kb", _("joint agreement (Kesepakatan Bersama)")
    PKS = "pks", _("cooperation agreement (Perjanjian Kerja Sama)")
    NK = "nk", _("memorandum (Nota Kesepakatan)")
    WORK_PLAN = "work_plan", _("work plan (rencana kerja)")
    LOI = "loi", _("letter of intent (LoI)")
    MOU = "mou", _("memorandum of understanding (MoU)")
    KUASA = "kuasa", _("power of attorney (surat kuasa)")
    COUNCIL = "council", _("council approval (persetujuan DPRD)")
    CENTRAL_APPROVAL = "central_approval", _("central-government approval")
    EVALUATION = "evaluation", _("evaluation report")
    OTHER = "other", _("other document")


class Capacity(models.TextChoices):
    REGIONAL_HEAD = "regional_head", _("regional head (kepala daerah)")
    KUASA = "kuasa", _("official holding the regional head's power of attorney")
    OTHER = "other", _("other official")


class Agreement(models.Model):
    """A cooperation of the region with another region, a third party or the central government.

    Its stages are a workflow case (`case`, kind "agreement") on the region's `kerja-sama`
    workflow; its term, signatories, council gate and evaluations are checked by `rules.py`.
    """

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("region"))
    case = models.OneToOneField(
        "workflow.Case", on_delete=models.PROTECT, related_name="agreement", verbose_name=_("stages"), editable=False
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("initiating agency"))
    title = models.CharField(_("title"), max_length=300)
    form = models.CharField(_("form"), max_length=10, choices=Form.choices, default=Form.KSDD)
    nature = models.CharField(_("kind"), max_length=10, choices=Nature.choices, default=Nature.VOLUNTARY)
    partner_region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("partner region")
    )
    partner_name = models.CharField(_("partner"), max_length=300, blank=True)
    affair = models.CharField(_("government affair"), max_length=300, blank=True)
    objective = models.TextField(_("object and objective"), blank=True)
    visit = models.ForeignKey(
        Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="agreements", verbose_name=_("from the visit")
    )
    burdens_public = models.BooleanField(_("burdens the community and the region"), default=False)
    budgeted_this_year = models.BooleanField(_("funded in this year's budget (APBD)"), default=True)
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    ends_on = models.DateField(_("in force until"), null=True, blank=True)
    special_law_basis = models.CharField(
        _("legal basis for a term over 5 years"), max_length=300, blank=True, help_text=_("Only when a special law allows it.")
    )
    evaluations_per_year = models.PositiveSmallIntegerField(
        _("evaluations per year"), null=True, blank=True, help_text=_("Empty: the region's setting.")
    )
    extends = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="extension", verbose_name=_("extends")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    idempotency_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=dates.now, editable=False)

    class Meta:
        ordering = ["region", "-created_at", "pk"]
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"], condition=~Q(idempotency_key=""), name="coop_agreement_once_per_token"
            ),
        ]
        indexes = [
            models.Index(fields=["region", "ends_on"], name="coop_agreement_end_idx"),
            models.Index(fields=["partner_region"], name="coop_agreement_partner_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("cooperation:agreement", args=[self.region.slug, self.code])

    @property
    def code(self) -> str:
        return self.case.code

    @property
    def partner(self) -> str:
        return self.partner_region.name if self.partner_region is not None else self.partner_name


class Document(models.Model):
    """A document of an agreement with its number and date; signed ones name the region's signatory."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents", verbose_name=_("agreement"))
    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    number = models.CharField(_("number"), max_length=120)
    signed_on = models.DateField(_("date"))
    signatory_name = models.CharField(_("signed for the region by"), max_length=150, blank=True)
    capacity = models.CharField(_("as"), max_length=20, choices=Capacity.choices, blank=True)
    kuasa_number = models.CharField(_("number of the power of attorney"), max_length=120, blank=True)
    partner_signatory = models.CharField(_("signed for the partner by"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to="cooperation/documents/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=dates.now, editable=False)

    class Meta:
        ordering = ["agreement", "signed_on", "pk"]
        verbose_name = _("agreement document")
        verbose_name_plural = _("agreement documents")
        constraints = [models.UniqueConstraint(fields=["agreement", "kind", "number"], name="coop_document_unique_number")]
        indexes = [models.Index(fields=["region", "agreement"], name="coop_document_region_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"


class Evaluation(models.Model):
    """A monitoring and evaluation report of an agreement (at least the cadence's number a year)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("agreement"))
    held_on = models.DateField(_("date"))
    findings = models.TextField(_("findings"))
    document_number = models.CharField(_("report number"), max_length=120, blank=True)
    file = models.FileField(_("report"), upload_to="cooperation/evaluations/%Y/%m/", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(default=dates.now, editable=False)

    class Meta:
        ordering = ["agreement", "held_on", "pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        indexes = [models.Index(fields=["region", "agreement", "held_on"], name="coop_evaluation_region_idx")]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.held_on}"


# --- the adoption roadmap -----------------------------------------------------------------------


class CommitmentKind(models.TextChoices):
    SERVICE = "service", _("adopt a service (copied from the host)")
    INNOVATION = "innovation", _("replicate an innovation")
    QUEUE = "queue", _("set up the queue")
    SURVEY = "survey", _("set up the satisfaction survey")
    INDICATOR = "indicator", _("reach an indicator target (SAKIP)")
    OTHER = "other", _("other")


class CommitmentState(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    ADOPTED = "adopted", _("adopted")
    DROPPED = "dropped", _("dropped")


class Priority(models.IntegerChoices):
    HIGH = 1, _("high")
    MEDIUM = 2, _("medium")
    LOW = 3, _("low")


class ResultMetric(models.TextChoices):
    """A result measured from Pendopo's own data, by the owning app's definition (`results.py`)."""

    NONE = "", _("none")
    APPLICATIONS = "applications", _("applications received for the service")
    ON_TIME = "on_time", _("on-time rate of the service's applications")
    IKM = "ikm", _("satisfaction index (IKM) of the service")
    COMPLAINTS_ON_TIME = "complaints_on_time", _("complaints to the owner agency answered on time")


class Commitment(models.Model):
    """One step of the region's adoption roadmap, from a visit or an agreement."""

    # Not stored: set for the roadmap page (views.roadmap).
    result: Result | None
    may_move: bool
    next_states: list[CommitmentState]

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="commitments", verbose_name=_("region"))
    code = models.CharField(_("code"), max_length=24, unique=True, editable=False)
    visit = models.ForeignKey(
        Visit, on_delete=models.SET_NULL, null=True, blank=True, related_name="commitments", verbose_name=_("from the visit")
    )
    agreement = models.ForeignKey(
        Agreement,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
        verbose_name=_("from the agreement"),
    )
    title = models.CharField(_("commitment"), max_length=300)
    kind = models.CharField(_("kind"), max_length=12, choices=CommitmentKind.choices, default=CommitmentKind.OTHER)
    owner = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("owner agency"))
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices, default=Priority.MEDIUM)
    stage = models.CharField(_("stage"), max_length=7, help_text=_("The year or quarter it belongs to: 2022 or 2022-Q3."))
    due_on = models.DateField(_("deadline"))
    state = models.CharField(_("state"), max_length=12, choices=CommitmentState.choices, default=CommitmentState.PROPOSED)
    dropped_reason = models.TextField(_("why it was dropped"), blank=True)
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_url = models.URLField(_("evidence link"), blank=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    service = models.ForeignKey(
        "catalog.Service", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("service")
    )
    innovation = models.ForeignKey(
        "innovations.Innovation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("innovation"),
    )
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("service point")
    )
    indicator = models.ForeignKey(
        "performance.Indicator",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("indicator"),
    )
    result_metric = models.CharField(
        _("result indicator"), max_length=20, choices=ResultMetric.choices, default=ResultMetric.NONE, blank=True
    )
    result_months = models.PositiveSmallIntegerField(_("measured over months after adoption"), default=6)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    idempotency_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=dates.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=dates.now, editable=False)

    class Meta:
        ordering = ["region", "stage", "priority", "due_on", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "idempotency_key"], condition=~Q(idempotency_key=""), name="coop_commitment_once_per_token"
            ),
            models.CheckConstraint(
                condition=~Q(state="dropped") | ~Q(dropped_reason=""), name="coop_commitment_dropped_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["region", "state"], name="coop_commitment_region_idx")]

    def __str__(self) -> str:
        return self.title


class AgreementIntervention(models.Model):
    """A price intervention (prices app: a cooperation with a surplus region) done under an agreement.

    The link lives here, not on the intervention: `cooperation` sits above `prices` in the apps'
    order, so prices holds no reference to agreements (docs/architecture.md)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="intervention_links", verbose_name=_("agreement")
    )
    intervention = models.OneToOneField(
        "prices.Intervention", on_delete=models.CASCADE, related_name="+", verbose_name=_("intervention")
    )
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    linked_at = models.DateTimeField(default=dates.now, editable=False)

    class Meta:
        ordering = ["agreement", "pk"]
        verbose_name = _("intervention under an agreement")
        verbose_name_plural = _("interventions under agreements")
        indexes = [models.Index(fields=["region", "agreement"], name="coop_intervention_region_idx")]

    def __str__(self) -> str:
        return f"{self.agreement_id} {self.intervention_id}"
