"""One-time codes (login, registration, password reset, verification) and staff invitations.

Neither stores what it protects in the clear: a code is kept as a keyed hash salted with the
challenge's token, which only the visitor's session holds; an invitation's link token as a
SHA-256 digest; a phone number encrypted with its keyed hash (pendopo/regions/personal.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from pendopo.lib import dates
from pendopo.regions.models import Agency, Region, Role, ServicePoint


class Purpose(models.TextChoices):
    REGISTER = "register", _("registration")
    LOGIN = "login", _("login")
    RESET = "reset", _("password reset")
    VERIFY = "verify", _("verification")


class CodeChannel(models.TextChoices):
    WHATSAPP = "whatsapp", _("WhatsApp")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("email")


class OneTimeCode(models.Model):
    """A 6-digit code sent to an email address or a phone number, for one purpose, used at most once.

    A challenge is written for every request, also when no account matches (then `user` is empty
    and no code leaves): the answer and the throttle are the same either way, so nobody learns
    from them whether an account exists. `payload` holds what the purpose needs once the code is
    right (a registration's name and password hash, the address being verified), personal data
    in it encrypted.
    """

    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=CodeChannel.choices)
    target_hash = models.CharField(_("address or number (keyed hash)"), max_length=64)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("user")
    )
    token_hash = models.CharField(_("token (digest)"), max_length=64, unique=True)
    code_hash = models.CharField(_("code (keyed hash)"), max_length=64)
    payload = models.JSONField(_("payload"), default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created_at = models.DateTimeField(_("created at"), default=dates.now)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["target_hash", "created_at"], name="otp_target_idx")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"


class Invitation(models.Model):
    """A region administrator's invitation to join the region's staff in a role, by email or phone."""

    MEMBER_ROLES = (Role.OFFICER, Role.HEAD, Role.REGION_ADMIN)

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("region"))
    role = models.CharField(_("role"), max_length=20, choices=[(role.value, role.label) for role in MEMBER_ROLES])
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("agency")
    )
    service_point = models.ForeignKey(
        ServicePoint, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("service point")
    )
    title = models.CharField(_("position"), max_length=150, blank=True)
    full_name = models.CharField(_("full name"), max_length=150)
    email = models.EmailField(_("email"), blank=True)
    phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    phone_hash = models.CharField(_("phone (keyed hash)"), max_length=64, blank=True, editable=False)
    token_hash = models.CharField(_("link token (digest)"), max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("created at"), default=dates.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("account")
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["region", "created_at"], name="invitation_region_idx")]
        constraints = [
            models.CheckConstraint(condition=~models.Q(email="") | ~models.Q(phone_encrypted=""), name="invitation_has_address"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.get_role_display()}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.expires_at > dates.now()


class AccountEvent(models.Model):
    """The audit trail of accounts: who registered, was invited, joined, reset a password, was switched off."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", _("registered")
        INVITED = "invited", _("invited")
        JOINED = "joined", _("joined the staff")
        PASSWORD_RESET = "password_reset", _("reset the password")
        VERIFIED = "verified", _("verified an address")
        DEACTIVATED = "deactivated", _("switched off")

    kind = models.CharField(_("what"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("account")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), default=dates.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("account event")
        verbose_name_plural = _("account events")
        indexes = [models.Index(fields=["region", "at"], name="account_event_region_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
