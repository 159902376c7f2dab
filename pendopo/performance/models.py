"""SAKIP as data: the plan chain, targets, realisations with evidence, and the LKE per round.

Every row carries `region` (region-owned tables are indexed by it first, DESIGN.md). The plan
chain: a planning period (RPJMD) holds the region's goals (tujuan → sasaran); indicators belong
to a goal and to a responsible agency (none for a region-level RPJMD indicator), and cascade
from a region indicator to the agency indicators that support it (`parent`). Key indicators
(IKU) are flagged. Each indicator has yearly targets (quarter 0) and quarterly targets (1–4);
the yearly performance agreement (PK) of an agency head lists the indicators it commits to.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from pendopo.performance.achievement import Polarity
from pendopo.regions.models import Agency, Region


class PlanningPeriod(models.Model):
    """A medium-term plan (RPJMD) of a region: five years, published when adopted."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="planning_periods", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=200)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("planning period")
        verbose_name_plural = _("planning periods")
        constraints = [
            models.UniqueConstraint(fields=["region", "start_year"], name="perf_period_unique"),
            models.CheckConstraint(condition=models.Q(end_year__gte=models.F("start_year")), name="perf_period_years"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> range:
        return range(self.start_year, self.end_year + 1)


class Goal(models.Model):
    """A goal of the RPJMD: a tujuan (no parent) or a sasaran under it."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    period = models.ForeignKey(PlanningPeriod, on_delete=models.CASCADE, related_name="goals", verbose_name=_("period"))
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    code = models.CharField(_("code"), max_length=20)
    statement = models.TextField(_("statement"))

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = pgettext_lazy("SAKIP", "goals")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["period", "code"], name="perf_goal_unique")]
        indexes = [models.Index(fields=["region", "period"], name="perf_goal_region_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.statement}"


class Source(models.TextChoices):
    """Where the realisation comes from: entered by the agency, or computed live from Pendopo's data."""

    MANUAL = "manual", _("entered by the agency")
    IKM = "ikm", _("satisfaction index (IKM), computed")
    ON_TIME = "on_time", _("applications completed on time (%), computed")
    COMPLAINTS_ON_TIME = "complaints_on_time", _("complaints answered on time (%), computed")


class Indicator(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    period = models.ForeignKey(PlanningPeriod, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("period"))
    goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, null=True, blank=True, related_name="indicators", verbose_name=_("goal")
    )
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="performance_indicators",
        verbose_name=_("responsible agency"),
        help_text=_("Empty for an indicator of the region's plan itself."),
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supporting",
        verbose_name=_("supports"),
        help_text=_("The region or agency indicator this one cascades from."),
    )
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=500)
    unit = models.CharField(_("unit"), max_length=50)
    formula = models.TextField(_("formula"), blank=True)
    data_source = models.CharField(_("data source"), max_length=300, blank=True)
    polarity = models.CharField(_("polarity"), max_length=10, choices=[(p.value, p.value) for p in Polarity])
    range_polarity = models.CharField(
        _("polarity outside the range"),
        max_length=10,
        choices=[(Polarity.HIGHER.value, Polarity.HIGHER.value), (Polarity.LOWER.value, Polarity.LOWER.value)],
        default=Polarity.HIGHER,
    )
    is_key = models.BooleanField(_("key indicator (IKU)"), default=False)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["period", "code"], name="perf_indicator_unique")]
        indexes = [models.Index(fields=["region", "agency"], name="perf_indicator_region_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_computed(self) -> bool:
        return self.source != Source.MANUAL


class Target(models.Model):
    """The target of one year (quarter 0) or one quarter (1–4); a range has `value_high`."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets", verbose_name=_("indicator"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"), default=0, help_text=_("0 for the whole year."))
    value = models.DecimalField(_("target"), null=True, blank=True, max_digits=18, decimal_places=4)
    value_high = models.DecimalField(_("upper end of the range"), null=True, blank=True, max_digits=18, decimal_places=4)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "quarter"], name="perf_target_unique"),
            models.CheckConstraint(condition=models.Q(quarter__lte=4), name="perf_target_quarter"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}/{self.quarter}"


class Agreement(models.Model):
    """The yearly performance agreement (Perjanjian Kinerja) of an agency head."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="performance_agreements", verbose_name=_("agency"))
    year = models.PositiveSmallIntegerField(_("year"))
    head_name = models.CharField(_("agency head"), max_length=200, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    indicators = models.ManyToManyField(Indicator, related_name="agreements", verbose_name=_("indicators"))

    class Meta:
        verbose_name = _("performance agreement")
        verbose_name_plural = _("performance agreements")
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="perf_agreement_unique")]

    def __str__(self) -> str:
        return f"PK {self.agency} {self.year}"


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("waiting for verification")
    VERIFIED = "verified", _("verified")
    RETURNED = "returned", _("returned for correction")


class Realisation(models.Model):
    """What an indicator reached in one quarter, entered by the agency's officer and verified by its head."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="realisations", verbose_name=_("indicator"))
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    value = models.DecimalField(_("realisation"), null=True, blank=True, max_digits=18, decimal_places=4)
    achieved = models.BooleanField(_("achieved"), null=True, blank=True, help_text=_("For a yes/no indicator."))
    explanation = models.TextField(_("explanation"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("entered at"))
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    head_note = models.TextField(_("note of the head"), blank=True)

    class Meta:
        verbose_name = _("realisation")
        verbose_name_plural = _("realisations")
        ordering = ["year", "quarter"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year", "quarter"], name="perf_realisation_unique"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="perf_realisation_quarter"),
        ]
        indexes = [models.Index(fields=["region", "agency", "year", "quarter"], name="perf_realisation_region_idx")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year}-Q{self.quarter}"


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"performance/{instance.region_id}/{instance.realisation_id}/{instance.sha256[:16]}.{instance.extension}"


class Evidence(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    realisation = models.ForeignKey(Realisation, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name


class LeadershipSeat(models.Model):
    """A read-only seat for the region's leadership (regent, secretary, DPRD members) on its performance pages."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="leadership_seats")
    title = models.CharField(
        pgettext_lazy("job title", "title"), max_length=100, help_text=_("Bupati, Sekretaris Daerah, Anggota DPRD …")
    )

    class Meta:
        verbose_name = _("leadership seat")
        verbose_name_plural = _("leadership seats")
        constraints = [models.UniqueConstraint(fields=["region", "user"], name="perf_seat_unique")]

    def __str__(self) -> str:
        return f"{self.title} ({self.user})"


class EvaluatorSeat(models.Model):
    """The evaluator of the region's LKE (APIP: the Inspektorat): enters the evaluator's values, never the self-assessment."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="evaluator_seats")
    title = models.CharField(pgettext_lazy("job title", "title"), max_length=100, help_text=_("Inspektorat Daerah (APIP) …"))

    class Meta:
        verbose_name = _("evaluator seat")
        verbose_name_plural = _("evaluator seats")
        constraints = [models.UniqueConstraint(fields=["region", "user"], name="perf_evaluator_seat_unique")]

    def __str__(self) -> str:
        return f"{self.title} ({self.user})"


class Event(models.Model):
    """The audit trail of the app: who did what, when (append-only)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    verb = models.CharField(max_length=50)
    subject = models.CharField(max_length=200)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("performance event")
        verbose_name_plural = _("performance events")
        indexes = [models.Index(fields=["region", "at"], name="perf_event_region_idx")]

    def __str__(self) -> str:
        return f"{self.verb} {self.subject}"


# --- the evaluation worksheet (LKE), data per round -------------------------------------------


class Method(models.TextChoices):
    MEAN = "mean", _("mean of the criterion values")
    PREDIKAT = "predikat", _("predikat × weight")


class RoundStatus(models.TextChoices):
    SELF_ASSESSMENT = "self", _("self-assessment")
    EVALUATION = "evaluation", _("evaluation")
    COMPLETED = "completed", _("completed")


class EvaluationRound(models.Model):
    """One year's evaluation (LKE) of a region, its worksheet copied from a template version."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    year = models.PositiveSmallIntegerField(_("year evaluated"))
    template = models.CharField(_("worksheet"), max_length=100, default="PermenPANRB 88/2021")
    template_version = models.PositiveSmallIntegerField(_("worksheet version"), default=1)
    method = models.CharField(_("scoring method"), max_length=10, choices=Method.choices, default=Method.MEAN)
    status = models.CharField(_("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.SELF_ASSESSMENT)
    is_published = models.BooleanField(_("published"), default=False)

    class Meta:
        verbose_name = _("evaluation round")
        verbose_name_plural = _("evaluation rounds")
        constraints = [models.UniqueConstraint(fields=["region", "year"], name="perf_round_unique")]

    def __str__(self) -> str:
        return f"LKE {self.year}"


class Component(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="components")
    code = models.CharField(_("code"), max_length=5)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["round", "code"], name="perf_component_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.name}"


class SubComponent(models.Model):
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    component = models.ForeignKey(Component, on_delete=models.CASCADE, related_name="subcomponents")
    code = models.CharField(_("code"), max_length=6)
    name = models.CharField(_("name"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["component", "code"], name="perf_subcomponent_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Criterion(models.Model):
    """One criterion with both values: the unit's own (self-assessment) and the evaluator's (APIP)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    subcomponent = models.ForeignKey(SubComponent, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("code"), max_length=10)
    text = models.TextField(_("criterion"))
    scale = models.CharField(_("answer scale"), max_length=20, default="yes_no")
    is_active = models.BooleanField(_("active"), default=True)
    self_value = models.DecimalField(_("self-assessment"), max_digits=4, decimal_places=2, null=True, blank=True)
    self_note = models.TextField(_("self-assessment note"), blank=True)
    evaluator_value = models.DecimalField(_("evaluator's value"), max_digits=4, decimal_places=2, null=True, blank=True)
    evaluator_note = models.TextField(_("evaluator's note"), blank=True)
    recommendation = models.TextField(_("recommendation"), blank=True, help_text=_("Starts with 'Agar …'."))
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["subcomponent", "code"], name="perf_criterion_unique")]

    def __str__(self) -> str:
        return self.code


class ConsistencyRule(models.Model):
    """A criterion may not score above its comparator: a sub-component's mean ("average") or one criterion ("value")."""

    AVERAGE, VALUE = "average", "value"

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    round = models.ForeignKey(EvaluationRound, on_delete=models.CASCADE, related_name="rules")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(max_length=10, choices=[(AVERAGE, AVERAGE), (VALUE, VALUE)])
    comparator_subcomponent = models.ForeignKey(SubComponent, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    comparator_criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    message = models.CharField(_("message"), max_length=300)

    def __str__(self) -> str:
        return self.message


ANSWER_SCALES: dict[str, tuple[Decimal, ...]] = {
    "yes_no": (Decimal(0), Decimal(1)),
    "graded": (Decimal(0), Decimal("0.25"), Decimal("0.5"), Decimal("0.75"), Decimal(1)),
}
