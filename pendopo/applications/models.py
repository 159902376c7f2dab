"""Applications (permohonan): a kind of workflow case with an applicant, form data and documents.

The workflow fields (state, deadlines, pause, events) live on `workflow.Case`; an application
adds who applied, for which service under which version of its standard, what they filled in
and what they uploaded. The tracking code is the case's code.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pendopo.catalog.models import Service, ServiceStandard
from pendopo.lib import dates
from pendopo.regions import personal
from pendopo.regions.models import Region
from pendopo.workflow.models import Case


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    COUNTER = "counter", _("at a service counter")
    VILLAGE_OFFICE = "village_office", _("at a village office")


class Application(models.Model):
    """One application for one service, in the version of the standard in force when it was made."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="application", verbose_name=_("case"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="applications", verbose_name=_("region"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="applications", verbose_name=_("service"))
    standard = models.ForeignKey(
        ServiceStandard, on_delete=models.PROTECT, related_name="applications", verbose_name=_("service standard version")
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.ONLINE)
    applicant_name = models.CharField(_("applicant's name"), max_length=150)
    applicant_email = models.EmailField(_("applicant's email"), blank=True)
    # Personal data (UU 27/2022): encrypted for display to the officers allowed, keyed hash to find it.
    nik_encrypted = models.TextField(_("NIK (encrypted)"), blank=True, editable=False)
    nik_hash = models.CharField(_("NIK (keyed hash)"), max_length=64, blank=True, editable=False)
    phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    phone_hash = models.CharField(_("phone (keyed hash)"), max_length=64, blank=True, editable=False)
    notify_by = models.CharField(
        _("notify by"),
        max_length=10,
        choices=[("sms", _("SMS")), ("whatsapp", _("WhatsApp")), ("", _("email only"))],
        blank=True,
        default="whatsapp",
    )
    # The service form's answers; NIK and phone fields are kept out of it (see protected_data).
    form_data = models.JSONField(_("form data"), default=dict, blank=True)
    # Other NIK/phone-type answers of the service form, each encrypted: {field key: token}.
    protected_data = models.JSONField(_("protected form data"), default=dict, blank=True, editable=False)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
        help_text=_("The officer who registered a walk-in applicant; empty for online applications."),
    )
    created_at = models.DateTimeField(_("created at"), default=dates.now, editable=False)
    # A walk-in's original documents were seen at the counter (asli sudah diperiksa): set once, by whom and when.
    originals_checked_at = models.DateTimeField(_("originals checked at"), null=True, blank=True, editable=False)
    originals_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("originals checked by"),
        editable=False,
    )
    # The create form's token (pendopo/lib/once.py): a double click or a resend finds this row.
    idempotency_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "idempotency_key"], condition=~Q(idempotency_key=""), name="application_once_per_token"
            )
        ]
        indexes = [
            models.Index(fields=["region", "service", "created_at"], name="application_service_idx"),
            models.Index(fields=["region", "nik_hash"], name="application_nik_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("applications:detail", args=[self.code])

    @property
    def code(self) -> str:
        return self.case.code

    # --- personal data ---------------------------------------------------------------------------

    def set_nik(self, nik: str) -> None:
        self.nik_encrypted, self.nik_hash = personal.protect(nik) if nik else ("", "")

    def set_phone(self, phone: str) -> None:
        self.phone_encrypted, self.phone_hash = personal.protect(phone) if phone else ("", "")

    @property
    def nik(self) -> str:
        """The NIK in full: only for officers allowed on this application (never log it)."""
        return personal.reveal(self.nik_encrypted)

    @property
    def phone(self) -> str:
        return personal.reveal(self.phone_encrypted)

    @property
    def nik_masked(self) -> str:
        return personal.mask(self.nik) if self.nik_encrypted else ""

    @property
    def phone_masked(self) -> str:
        return personal.mask(self.phone, keep=3) if self.phone_encrypted else ""

    def protected_value(self, key: str) -> str:
        token = self.protected_data.get(key, "")
        return personal.reveal(token) if token else ""


def document_path(instance: Document, filename: str) -> str:
    """Where a document lies under MEDIA_ROOT: never the uploaded name, never guessable."""
    now = dates.now()
    prefix = instance.region.prefix if instance.region_id else "X"
    return f"applications/{prefix}/{now:%Y/%m}/{secrets.token_hex(16)}.{instance.extension}"


def new_document_key() -> str:
    return secrets.token_urlsafe(16)


class Document(models.Model):
    """An uploaded file: a requirement of the standard, a file field of its form, or evidence for an action.

    Stored under MEDIA_ROOT (outside the web root; nothing serves that folder) and delivered only
    by `views.document`, which checks that the user may see the application. Append-only: a
    corrected document is a new row; the old one stays in the history. The one exception is the
    region administrator's removal for good (`actions.remove_document`, e.g. a file that shows
    another person's identity card): the file and every file derived from it are deleted, the row
    stays as the record of the removal (when, by whom, why) with no file.
    """

    class Kind(models.TextChoices):
        REQUIREMENT = "requirement", _("requirement")
        FORM_FIELD = "form_field", _("form answer")
        ACTION = "action", _("attached to a step")

    key = models.CharField(_("key"), max_length=32, unique=True, default=new_document_key, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="documents", verbose_name=_("application")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    slot = models.CharField(_("slot"), max_length=50, help_text=_("req-N for the Nth requirement, or the form field's key."))
    label = models.CharField(_("label"), max_length=500)
    file = models.FileField(_("file"), upload_to=document_path, max_length=255)
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    extension = models.CharField(_("extension"), max_length=10)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=dates.now)
    event_seq = models.PositiveIntegerField(_("with step number"), null=True, blank=True)
    removed_at = models.DateTimeField(_("removed for good at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("removed by"),
    )
    removal_reason = models.CharField(_("why it was removed"), max_length=300, blank=True)

    class Meta:
        ordering = ["application", "uploaded_at", "pk"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        indexes = [models.Index(fields=["region", "application", "slot"], name="application_document_idx")]

    def __str__(self) -> str:
        return f"{self.label} ({self.original_name})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("Documents are never changed; upload a new one."), code="append_only")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("applications:document", args=[self.application.code, self.key])

    @property
    def kind_label(self) -> str:
        """The file's kind as a person names it (PDF, JPEG), not its media type (application/pdf)."""
        return {"application/pdf": "PDF", "image/jpeg": "JPEG", "image/png": "PNG"}.get(self.content_type, self.content_type)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class RequirementCheck(models.Model):
    """An officer's check of one requirement of an application: received, valid or invalid, with a note.

    Append-only, so the rows are the audit trail of the checks: the newest row per slot is the
    requirement's current check (`selectors.requirement_checks`). An invalid requirement is the
    one the applicant is asked to replace while the application waits for their revision.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("received")
        VALID = "valid", _("valid")
        INVALID = "invalid", _("invalid")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="requirement_checks", verbose_name=_("application")
    )
    slot = models.CharField(_("requirement"), max_length=50, help_text=_("req-N for the Nth requirement of the standard."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("checked by")
    )
    checked_at = models.DateTimeField(_("checked at"), default=dates.now)

    class Meta:
        ordering = ["application", "slot", "checked_at", "pk"]
        verbose_name = _("requirement check")
        verbose_name_plural = _("requirement checks")
        indexes = [models.Index(fields=["region", "application", "slot"], name="application_check_idx")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.slot}: {self.status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValidationError(_("Checks are never changed; record a new one."), code="append_only")
        super().save(*args, **kwargs)


class ReceivedMonth(models.Model):
    """How many applications a service received in one month of its region's calendar.

    Kept as applications arrive (`received.count_received`, in the transaction that writes the
    application), so that a public figure over a period — the people served of the survey report —
    reads one row per service and month instead of counting every application (issue #10 item 7).
    """

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+", verbose_name=_("service"))
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    received = models.PositiveIntegerField(_("applications received"), default=0)

    class Meta:
        verbose_name = _("applications received in a month")
        verbose_name_plural = _("applications received per month")
        constraints = [models.UniqueConstraint(fields=["service", "year", "month"], name="applications_received_unique")]
        indexes = [models.Index(fields=["region", "year", "month"], name="applications_received_idx")]

    def __str__(self) -> str:
        return f"{self.service_id} {self.year}-{self.month:02d}: {self.received}"
