"""Complaints (pengaduan): a kind of workflow case with a category, a place, photos and responses.

The workflow fields (state, deadlines, pause, events, escalation) live on `workflow.Case`; a
complaint adds what it is about, where, who filed it (unless anonymous), its photos and the
public responses. The tracking code is the case's code, and it is also the Open311
`service_request_id`.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from pendopo.catalog.models import Service
from pendopo.lib import dates
from pendopo.regions import personal
from pendopo.regions.models import Agency, Region, Village
from pendopo.workflow.models import Case

category_code_validator = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{0,39}$",
    _("Use capital letters, digits and hyphens (up to 40), e.g. JALAN-RUSAK."),
    code="invalid_code",
)


class Tier(models.TextChoices):
    """How long the agency has to carry out its follow-up (regions publish these tiers; regulations.md §3)."""

    LIGHT = "light", _("light (2 working days)")
    NORMATIVE = "normative", _("normative (5 working days)")
    SUPERVISION = "supervision", _("needing supervision (14 working days)")
    INVESTIGATION = "investigation", _("needing investigation (60 working days)")


TIER_DAYS: dict[str, int] = {Tier.LIGHT: 2, Tier.NORMATIVE: 5, Tier.SUPERVISION: 14, Tier.INVESTIGATION: 60}


class Open311Type(models.TextChoices):
    REALTIME = "realtime", _("realtime (the request id is returned at once)")
    BATCH = "batch", _("batch (a token is returned)")


class ComplaintCategory(models.Model):
    """What a complaint is about, the agency that must answer it, and its deadlines (an Open311 service)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="complaint_categories", verbose_name=_("region"))
    code = models.CharField(_("code"), max_length=40, validators=[category_code_validator])
    name = models.CharField(_("name"), max_length=200)
    description = models.CharField(_("description"), max_length=500, blank=True)
    group = models.CharField(_("group"), max_length=100, blank=True, help_text=_("e.g. roads, health, civil registration."))
    keywords = models.CharField(_("keywords"), max_length=300, blank=True, help_text=_("Separated by commas."))
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="complaint_categories", verbose_name=_("responsible agency")
    )
    service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaint_categories",
        verbose_name=_("service of the catalogue"),
        help_text=_("Set when complaints of this category are about one service."),
    )
    verification_days = models.PositiveSmallIntegerField(
        _("verification and forwarding (working days)"), default=3, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    follow_up_days = models.PositiveSmallIntegerField(
        _("agency's follow-up plan (working days)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    tier = models.CharField(_("follow-up tier"), max_length=15, choices=Tier.choices, default=Tier.SUPERVISION)
    confirmation_days = models.PositiveSmallIntegerField(
        _("period to confirm or reopen (working days)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    service_notice = models.CharField(_("service notice"), max_length=300, blank=True)
    open311_type = models.CharField(_("Open311 type"), max_length=10, choices=Open311Type.choices, default=Open311Type.REALTIME)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=dates.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=dates.now, editable=False)

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("complaint category")
        verbose_name_plural = _("complaint categories")
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="complaint_category_unique_code")]
        indexes = [models.Index(fields=["region", "is_active", "name"], name="complaint_category_region_idx")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.updated_at = dates.now()
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.agency_id and self.region_id and self.agency.region_id != self.region_id:
            raise ValidationError({"agency": _("The agency must belong to the same region.")})
        if self.service is not None and self.region_id and self.service.region_id != self.region_id:
            raise ValidationError({"service": _("The service must belong to the same region.")})

    @property
    def answer_days(self) -> int:
        return TIER_DAYS[self.tier]

    def state_time_limits(self) -> dict[str, tuple[int, str]]:
        """The per-case time limits of the complaint workflow's states for this category."""
        days = "working_days"
        return {
            "new": (self.verification_days, days),
            "follow_up": (self.follow_up_days, days),
            "answered": (self.answer_days, days),
            "awaiting_confirmation": (self.confirmation_days, days),
        }

    def notice(self) -> str:
        if self.service_notice:
            return self.service_notice
        return str(
            _(
                "Verified and forwarded within %(verify)s working days; the agency sets out its follow-up within "
                "%(follow)s working days and carries it out within %(answer)s."
            )
            % {"verify": self.verification_days, "follow": self.follow_up_days, "answer": self.answer_days}
        )


class Datatype(models.TextChoices):
    STRING = "string", "string"
    NUMBER = "number", "number"
    DATETIME = "datetime", "datetime"
    TEXT = "text", "text"
    SINGLE = "singlevaluelist", "singlevaluelist"
    MULTI = "multivaluelist", "multivaluelist"


class CategoryAttribute(models.Model):
    """An extra question of a category (an Open311 service definition attribute)."""

    category = models.ForeignKey(ComplaintCategory, on_delete=models.CASCADE, related_name="attributes")
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", editable=False)
    code = models.CharField(_("code"), max_length=40, validators=[category_code_validator])
    variable = models.BooleanField(_("asks for input"), default=True)
    datatype = models.CharField(_("type"), max_length=20, choices=Datatype.choices, default=Datatype.STRING)
    required = models.BooleanField(_("required"), default=False)
    datatype_description = models.CharField(_("help for the type"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), validators=[MinValueValidator(1)])
    description = models.CharField(_("question"), max_length=300)
    values = models.JSONField(_("choices"), default=list, blank=True, help_text=_('[{"key": "…", "name": "…"}]'))

    class Meta:
        ordering = ["category", "order"]
        verbose_name = _("category question")
        verbose_name_plural = _("category questions")
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="complaint_attribute_unique_code"),
            models.UniqueConstraint(fields=["category", "order"], name="complaint_attribute_unique_order"),
        ]
        indexes = [models.Index(fields=["region", "category"], name="complaint_attribute_region_idx")]

    def __str__(self) -> str:
        return self.code

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.region_id = self.category.region_id
        super().save(*args, **kwargs)

    @property
    def keys(self) -> list[str]:
        return [str(value.get("key")) for value in self.values or []]


class ResponseTemplate(models.Model):
    """A ready answer an officer starts from; for one category, or for every category when empty."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", verbose_name=_("region"))
    category = models.ForeignKey(
        ComplaintCategory, on_delete=models.CASCADE, null=True, blank=True, related_name="templates", verbose_name=_("category")
    )
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("text"))

    class Meta:
        ordering = ["region", "title"]
        verbose_name = _("response template")
        verbose_name_plural = _("response templates")
        indexes = [models.Index(fields=["region", "category"], name="complaint_template_region_idx")]

    def __str__(self) -> str:
        return self.title


class Classification(models.TextChoices):
    COMPLAINT = "complaint", _("complaint")
    ASPIRATION = "aspiration", _("aspiration")
    INFORMATION = "information_request", _("information request")


class Privacy(models.TextChoices):
    IDENTIFIED = "identified", _("identified")
    ANONYMOUS = "anonymous", _("anonymous (no identity kept)")
    CONFIDENTIAL = "confidential", _("confidential (not shown publicly)")


class Channel(models.TextChoices):
    WEB = "web", _("website")
    WALK_IN = "walk_in", _("in person")
    PHONE = "phone", _("telephone")
    OPEN311 = "open311", _("Open311 application")


class Verification(models.TextChoices):
    """Whether the region's administration has checked that a report is a real complaint (SP4N-LAPOR!: it is
    public only once verified)."""

    PENDING = "pending", _("awaiting verification")
    VERIFIED = "verified", _("verified")
    REJECTED = "rejected", _("rejected")


class RejectionKind(models.TextChoices):
    NOT_A_COMPLAINT = "not_a_complaint", _("not a complaint")
    SPAM = "spam", _("spam or abuse")


class Complaint(models.Model):
    """One complaint, aspiration or information request.

    Anonymous: no name, contact, account or IP address is stored (not on the case either: its
    owner is empty); the complainant follows it with the tracking code and a secret shown once.
    Confidential: the identity is kept for the staff handling it and the complaint is never
    public (lists, map, Open311).
    """

    MAX_DESCRIPTION = 4000

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="complaint", verbose_name=_("case"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("region"))
    category = models.ForeignKey(
        ComplaintCategory, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("category")
    )
    classification = models.CharField(
        _("classification"), max_length=20, choices=Classification.choices, default=Classification.COMPLAINT
    )
    privacy = models.CharField(_("protection"), max_length=12, choices=Privacy.choices, default=Privacy.IDENTIFIED)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    description = models.TextField(_("description"), max_length=MAX_DESCRIPTION, blank=True)
    attributes = models.JSONField(_("answers to the category's questions"), default=dict, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    village = models.ForeignKey(Village, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("village"))
    address = models.CharField(_("address or place"), max_length=300, blank=True)
    media_url = models.URLField(_("media link"), max_length=1000, blank=True)
    # The complainant (empty when anonymous). The phone is personal data: encrypted + keyed hash.
    reporter_name = models.CharField(_("name"), max_length=150, blank=True)
    reporter_email = models.EmailField(_("email"), blank=True)
    reporter_phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    reporter_phone_hash = models.CharField(_("phone (keyed hash)"), max_length=64, blank=True, editable=False)
    # Hash of the secret the complainant got when filing: lets someone without an account act.
    access_hash = models.CharField(max_length=64, blank=True, editable=False)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
        help_text=_("The officer who took a walk-in or telephone complaint."),
    )
    api_client = models.ForeignKey(
        "ApiClient", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("Open311 client")
    )
    open311_token = models.CharField(max_length=40, blank=True, editable=False)
    response_due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    first_response_at = models.DateTimeField(_("first answered at"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("hidden from the public at"), null=True, blank=True)
    hidden_reason = models.CharField(_("why hidden"), max_length=300, blank=True)
    # Public (list, map, Open311, counts) only once verified; rows that existed before were verified by migration 0004.
    verification = models.CharField(_("verification"), max_length=10, choices=Verification.choices, default=Verification.PENDING)
    verified_at = models.DateTimeField(_("verified or rejected at"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("verified or rejected by"),
    )
    rejection_kind = models.CharField(_("rejected as"), max_length=20, choices=RejectionKind.choices, blank=True)
    rejection_reason = models.CharField(_("why rejected"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=dates.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=dates.now)
    # The filing form's token (pendopo/lib/once.py): a double click or a resend finds this row.
    idempotency_key = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "idempotency_key"], condition=~Q(idempotency_key=""), name="complaint_once_per_token"
            ),
            models.CheckConstraint(
                condition=(Q(latitude=None) & Q(longitude=None)) | (~Q(latitude=None) & ~Q(longitude=None)),
                name="complaint_lat_long_together",
            ),
            models.CheckConstraint(
                condition=~Q(privacy="anonymous")
                | (Q(reporter_name="") & Q(reporter_email="") & Q(reporter_phone_encrypted="") & Q(reporter_phone_hash="")),
                name="complaint_anonymous_has_no_identity",
            ),
        ]
        indexes = [
            # The public list and Open311: a region's complaints by date.
            models.Index(fields=["region", "privacy", "created_at"], name="complaint_public_idx"),
            # The public list's keyset pages (selectors.public_page): newest first, public rows only
            # (verified, not hidden, not confidential: `public_q`), so a page reads its rows straight
            # from the index however many reports wait for verification.
            models.Index(
                fields=["region", "-created_at", "-id"],
                name="complaint_public_list_idx",
                condition=Q(hidden_at=None) & ~Q(privacy="confidential") & Q(verification="verified"),
            ),
            models.Index(fields=["region", "category", "created_at"], name="complaint_category_idx"),
            models.Index(fields=["region", "open311_token"], name="complaint_token_idx"),
            models.Index(fields=["region", "verification"], name="complaint_verification_idx"),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("complaints:detail", args=[self.region.slug, self.code])

    @property
    def place_text(self) -> str:
        """Where, as an Indonesian address reads: street, village, district."""
        parts = [self.address.strip()] if self.address.strip() else []
        if self.village is not None:
            parts.append(self.village.name)
            parts.append(self.village.district.name)
        return ", ".join(parts)

    @property
    def code(self) -> str:
        return self.case.code

    @property
    def is_public(self) -> bool:
        return self.privacy != Privacy.CONFIDENTIAL and self.hidden_at is None and self.is_verified

    @property
    def is_verified(self) -> bool:
        return self.verification == Verification.VERIFIED

    @property
    def is_pending(self) -> bool:
        return self.verification == Verification.PENDING

    @property
    def is_anonymous(self) -> bool:
        return self.privacy == Privacy.ANONYMOUS

    def set_phone(self, phone: str) -> None:
        self.reporter_phone_encrypted, self.reporter_phone_hash = personal.protect(phone) if phone else ("", "")

    @property
    def reporter_phone(self) -> str:
        """The phone in full: only for staff allowed to act on the complaint (never log it)."""
        return personal.reveal(self.reporter_phone_encrypted)

    @property
    def reporter_phone_masked(self) -> str:
        return personal.mask(self.reporter_phone, keep=3) if self.reporter_phone_encrypted else ""


def public_q(prefix: str = "") -> Q:
    """Complaints anyone may see: verified, not confidential, not hidden by a moderator, in an active region."""
    return Q(
        **{f"{prefix}hidden_at": None, f"{prefix}region__is_active": True, f"{prefix}verification": Verification.VERIFIED}
    ) & ~Q(**{f"{prefix}privacy": "confidential"})


class MessageKind(models.TextChoices):
    RESPONSE = "response", _("public response")
    NOTE = "note", _("internal note")
    REPLY = "reply", _("complainant's reply")


class ComplaintMessage(models.Model):
    """A public response by the agency, an internal note between staff, or a reply by the complainant."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="messages", verbose_name=_("complaint"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=MessageKind.choices)
    body = models.TextField(_("text"), max_length=4000)
    # Staff authors only: a complainant's reply has no author (an anonymous one must leave no trace).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    agency = models.ForeignKey(Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("at"), default=dates.now)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    hidden_reason = models.CharField(_("why hidden"), max_length=300, blank=True)

    class Meta:
        ordering = ["complaint", "created_at", "pk"]
        verbose_name = _("complaint message")
        verbose_name_plural = _("complaint messages")
        indexes = [models.Index(fields=["region", "complaint", "created_at"], name="complaint_message_idx")]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.kind}"

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


def photo_path(instance: ComplaintPhoto, filename: str) -> str:
    """Under MEDIA_ROOT, never the uploaded name, never guessable."""
    now = dates.now()
    return f"complaints/{instance.region.prefix}/{now:%Y/%m}/{secrets.token_hex(16)}.{instance.extension}"


def new_photo_key() -> str:
    return secrets.token_urlsafe(16)


class ComplaintPhoto(models.Model):
    """A photo of a complaint, re-encoded on upload (which drops its EXIF data, GPS and camera owner included).

    Served only by `views.photo`, which checks that the user may see the complaint. Redaction
    replaces the file by a blurred copy and deletes the original from storage.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="photos", verbose_name=_("complaint"))
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", editable=False)
    key = models.CharField(max_length=32, unique=True, default=new_photo_key, editable=False)
    file = models.FileField(_("file"), upload_to=photo_path, max_length=200)
    extension = models.CharField(max_length=5)
    content_type = models.CharField(max_length=30)
    size = models.PositiveIntegerField(_("size (bytes)"))
    created_at = models.DateTimeField(_("uploaded at"), default=dates.now)
    redacted_at = models.DateTimeField(_("redacted at"), null=True, blank=True)
    redacted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    redaction_reason = models.CharField(_("why redacted"), max_length=300, blank=True)

    class Meta:
        ordering = ["complaint", "created_at", "pk"]
        verbose_name = _("complaint photo")
        verbose_name_plural = _("complaint photos")
        indexes = [models.Index(fields=["region", "complaint"], name="complaint_photo_idx")]

    def __str__(self) -> str:
        return self.key

    def get_absolute_url(self) -> str:
        return reverse("complaints:photo", args=[self.complaint.region.slug, self.complaint.code, self.key])


class ApiClient(models.Model):
    """An Open311 client of one region with its API key (stored as a SHA-256 digest; shown once)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="open311_clients", verbose_name=_("region"))
    name = models.CharField(_("client"), max_length=150)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    key_prefix = models.CharField(_("key starts with"), max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(_("issued at"), default=dates.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")
        indexes = [models.Index(fields=["region", "revoked_at"], name="complaint_apiclient_region_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
