"""Services a region offers and their versioned service standards (UU 25/2009 Pasal 21, PermenPANRB 15/2014)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pendopo.catalog import search
from pendopo.lib import dates
from pendopo.regions.models import Agency, Region


class Category(models.TextChoices):
    CIVIL_REGISTRATION = "civil_registration", _("civil registration")
    LICENSING = "licensing", _("licensing")
    HEALTH = "health", _("health")
    SOCIAL = "social", _("social welfare")
    EDUCATION = "education", _("education")
    VILLAGE = "village", _("village letters")
    MANPOWER = "manpower", _("manpower")
    TRANSPORT = "transport", _("transport")
    ENVIRONMENT = "environment", _("environment")
    TAX = "tax", _("regional tax")
    OTHER = "other", _("other")


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    SERVICE_MALL = "service_mall", _("service mall counter")
    VILLAGE_OFFICE = "village_office", _("village office")


# The field behind each channel, so filters stay a plain indexed column on every database.
CHANNEL_FIELDS: dict[str, str] = {
    Channel.ONLINE.value: "channel_online",
    Channel.SERVICE_MALL.value: "channel_service_mall",
    Channel.VILLAGE_OFFICE.value: "channel_village_office",
}

service_code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{0,39}$",
    _("Use capital letters, digits and hyphens (up to 40), e.g. KTP-EL."),
    code="invalid_code",
)


class Service(models.Model):
    """A service a region offers; what it requires and promises lives in its versioned standards."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="services", verbose_name=_("region"))
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="services", verbose_name=_("responsible agency"))
    code = models.CharField(_("code"), max_length=40, validators=[service_code_validator])
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=30, choices=Category.choices, default=Category.OTHER)
    summary = models.CharField(_("short description"), max_length=500, blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Words citizens search with, separated by commas.")
    )
    channel_online = models.BooleanField(_("online"), default=False)
    channel_service_mall = models.BooleanField(_("at the service mall counter"), default=False)
    channel_village_office = models.BooleanField(_("at the village office"), default=False)
    is_active = models.BooleanField(_("offered"), default=True)
    # The code of the region's workflow its applications run on, chosen in the workflow editor
    # (pendopo/setup); empty: the region's default service workflow (pendopo.applications.workflows).
    workflow_code = models.SlugField(
        _("workflow"), max_length=50, blank=True, editable=False, help_text=_("Empty: the region's default workflow.")
    )

    # The standard in force now (or the one most recently published); kept by the publish action
    # so that the catalogue lists services and their fee with one join, however long the history.
    published_standard = models.OneToOneField(
        "ServiceStandard",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("published standard"),
    )

    # Provenance of a service copied from another region.
    source_region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("copied from region"),
    )
    source_service_code = models.CharField(_("copied from service"), max_length=40, blank=True, editable=False)
    source_version = models.PositiveIntegerField(_("copied from version"), null=True, blank=True, editable=False)
    copied_at = models.DateTimeField(_("copied at"), null=True, blank=True, editable=False)

    # Lower-case name, code, keywords, summary and agency names: the catalogue's search runs a
    # plain `icontains` per term on this one column, the same on SQLite and PostgreSQL.
    search_text = models.TextField(_("search text"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=dates.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=dates.now, editable=False)

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("service")
        verbose_name_plural = _("services")
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="catalog_service_unique_code")]
        indexes = [
            models.Index(fields=["region", "name"], name="catalog_service_region_idx"),
            models.Index(fields=["region", "agency", "name"], name="catalog_service_agency_idx"),
            models.Index(fields=["region", "category"], name="catalog_service_category_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = self.build_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("catalog:service", args=[self.region.slug, self.code])

    def clean(self) -> None:
        if self.agency_id and self.region_id and self.agency.region_id != self.region_id:
            raise ValidationError({"agency": _("The agency must belong to the same region.")}, code="agency_region")

    def build_search_text(self) -> str:
        agency = self.agency if self.agency_id else None
        parts = [self.code, self.name, self.keywords, self.summary]
        if agency is not None:
            parts += [agency.name, agency.short_name, agency.code]
        return search.index_text([p for p in parts if p])

    @property
    def channels(self) -> list[str]:
        return [channel for channel, field in CHANNEL_FIELDS.items() if getattr(self, field)]

    @property
    def is_copy(self) -> bool:
        return bool(self.source_service_code)


class StandardStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    SUPERSEDED = "superseded", _("superseded")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    MINUTES = "minutes", _("minutes (working time)")


# The fourteen components in the order of PermenPANRB 15/2014, with the fields that hold them.
DELIVERY_COMPONENTS: list[tuple[str, Any, tuple[str, ...]]] = [
    ("requirements", _("Requirements"), ("requirements",)),
    ("procedure", _("System, mechanism and procedure"), ("procedure",)),
    ("time_limit", _("Time limit"), ("time_limit_value", "time_limit_unit")),
    ("fee", _("Fee"), ("fee", "fee_basis")),
    ("product", _("Service product"), ("product",)),
    ("complaint_handling", _("Handling of complaints, suggestions and input"), ("complaint_handling",)),
]
MANAGEMENT_COMPONENTS: list[tuple[str, Any, tuple[str, ...]]] = [
    ("legal_basis", _("Legal basis"), ("legal_basis",)),
    ("facilities", _("Facilities and infrastructure"), ("facilities",)),
    ("officer_competence", _("Officer competence"), ("officer_competence",)),
    ("internal_supervision", _("Internal supervision"), ("internal_supervision",)),
    ("officer_count", _("Number of officers"), ("officer_count",)),
    ("service_guarantee", _("Service guarantee"), ("service_guarantee",)),
    ("security_guarantee", _("Security and safety guarantee"), ("security_guarantee",)),
    ("performance_evaluation", _("Evaluation of officer performance"), ("performance_evaluation",)),
]

# Fields a published standard may never change (everything that is the standard itself).
CONTENT_FIELDS: tuple[str, ...] = (
    "decree_number",
    "decree_date",
    "requirements",
    "procedure",
    "time_limit_value",
    "time_limit_unit",
    "fee",
    "fee_basis",
    "product",
    "complaint_handling",
    "legal_basis",
    "facilities",
    "officer_competence",
    "internal_supervision",
    "officer_count",
    "service_guarantee",
    "security_guarantee",
    "performance_evaluation",
    "form",
    "effective_from",
)


class PublishedStandardError(ValidationError):
    """Raised when something tries to change a standard that is no longer a draft."""


class ServiceStandard(models.Model):
    """One version of a service's standard: a draft, the published one, or a superseded one."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", editable=False, verbose_name=_("region"))
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="standards", verbose_name=_("service"))
    version = models.PositiveIntegerField(_("version"), editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=StandardStatus.choices, default=StandardStatus.DRAFT, editable=False
    )
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    superseded_on = models.DateField(_("superseded on"), null=True, blank=True, editable=False)
    decree_number = models.CharField(_("decree (SK) number"), max_length=120, blank=True)
    decree_date = models.DateField(_("decree (SK) date"), null=True, blank=True)
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)

    # Service delivery (published to the public).
    requirements = models.JSONField(_("requirements"), default=list, blank=True)
    procedure = models.TextField(_("system, mechanism and procedure"), blank=True)
    time_limit_value = models.PositiveIntegerField(_("time limit"), default=1, validators=[MinValueValidator(1)])
    time_limit_unit = models.CharField(
        _("time limit unit"), max_length=12, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    fee = models.PositiveBigIntegerField(_("fee (Rupiah)"), default=0, help_text=_("Whole Rupiah; 0 means free of charge."))
    fee_basis = models.TextField(_("legal basis of the fee"), blank=True)
    product = models.TextField(_("service product"), blank=True)
    complaint_handling = models.TextField(_("handling of complaints, suggestions and input"), blank=True)

    # Service management (internal, adopted in the decree).
    legal_basis = models.TextField(_("legal basis"), blank=True)
    facilities = models.TextField(_("facilities and infrastructure"), blank=True)
    officer_competence = models.TextField(_("officer competence"), blank=True)
    internal_supervision = models.TextField(_("internal supervision"), blank=True)
    officer_count = models.PositiveIntegerField(_("number of officers"), null=True, blank=True)
    service_guarantee = models.TextField(_("service guarantee"), blank=True)
    security_guarantee = models.TextField(_("security and safety guarantee"), blank=True)
    performance_evaluation = models.TextField(_("evaluation of officer performance"), blank=True)

    # The application form as data; see pendopo/catalog/forms_schema.py for its shape.
    form = models.JSONField(_("application form"), default=dict, blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("created at"), default=dates.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=dates.now, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["service", "-version"]
        verbose_name = _("service standard")
        verbose_name_plural = _("service standards")
        constraints = [
            models.UniqueConstraint(fields=["service", "version"], name="catalog_standard_unique_version"),
            models.UniqueConstraint(fields=["service"], condition=Q(status="published"), name="catalog_standard_one_published"),
            models.UniqueConstraint(fields=["service"], condition=Q(status="draft"), name="catalog_standard_one_draft"),
            models.CheckConstraint(condition=Q(time_limit_value__gte=1), name="catalog_standard_time_limit_positive"),
        ]
        indexes = [models.Index(fields=["region", "status"], name="catalog_standard_region_idx")]

    def __str__(self) -> str:
        return f"{self.service} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A published standard is a public promise adopted by decree: its content never changes,
        # whoever calls save(). Only the status may move on (published → superseded).
        if self.pk is not None and not kwargs.get("force_insert"):
            stored = ServiceStandard.objects.filter(pk=self.pk).values("status", *CONTENT_FIELDS).first()
            if stored and stored["status"] != StandardStatus.DRAFT:
                changed = [f for f in CONTENT_FIELDS if stored[f] != getattr(self, f)]
                if changed:
                    raise PublishedStandardError(
                        _("A published standard cannot be changed; edit a new draft instead."), code="published"
                    )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("catalog:version", args=[self.service.region.slug, self.service.code, self.version])

    def clean(self) -> None:
        from pendopo.catalog.forms_schema import validate_standard_content

        validate_standard_content(self)

    @property
    def is_draft(self) -> bool:
        return self.status == StandardStatus.DRAFT

    @property
    def is_free(self) -> bool:
        return self.fee == 0

    def in_force_on(self, day: dt.date) -> bool:
        if self.status == StandardStatus.DRAFT or self.effective_from is None or self.effective_from > day:
            return False
        return self.superseded_on is None or day < self.superseded_on

    def deadline(self, start: dt.datetime, calendar: dates.WorkCalendar) -> dt.datetime:
        """When an application received at `start` is due under this standard, in working time."""
        if self.time_limit_unit == TimeUnit.MINUTES:
            return calendar.add_working_minutes(start, self.time_limit_value)
        return calendar.add_working_days(start, self.time_limit_value)


class ServiceEvent(models.Model):
    """Append-only audit of what happened to a service and its standards."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        UPDATED = "updated", _("updated")
        DRAFTED = "drafted", _("draft started")
        DRAFT_EDITED = "draft_edited", _("draft edited")
        PUBLISHED = "published", _("published")
        SUPERSEDED = "superseded", _("superseded")
        COPIED = "copied", _("copied from another region")
        IMPORTED = "imported", _("imported")
        WITHDRAWN = "withdrawn", _("withdrawn")

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="events", verbose_name=_("service"))
    version = models.PositiveIntegerField(_("version"), null=True, blank=True)
    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    at = models.DateTimeField(_("at"), default=dates.now)

    class Meta:
        ordering = ["service", "at", "pk"]
        verbose_name = _("service event")
        verbose_name_plural = _("service events")
        indexes = [models.Index(fields=["region", "service", "at"], name="catalog_event_region_idx")]

    def __str__(self) -> str:
        return f"{self.service_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValidationError(_("Audit events are never changed."), code="append_only")
        super().save(*args, **kwargs)
