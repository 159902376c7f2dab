"""The outbox: one row per message to one recipient for one event, written in the event's transaction."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from pendopo.lib import dates
from pendopo.regions import personal
from pendopo.regions.models import Region


class Channel(models.TextChoices):
    EMAIL = "email", _("email")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


PHONE_CHANNELS = (Channel.SMS, Channel.WHATSAPP)


class Status(models.TextChoices):
    PENDING = "pending", _("waiting to be sent")
    SENDING = "sending", _("being sent")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed (will not be retried)")
    DEAD = "dead", _("given up after the last attempt")


class Message(models.Model):
    """A message waiting for, in, or done with delivery.

    `event_key` is the idempotency key: one event (say, step 17 of application BWI-7K3M-9QX2)
    produces at most one message per channel, however often the action that schedules it runs.
    An email address is stored as it is (the mail server needs it and it is not an identifier
    under the rules in DESIGN.md); a phone number only encrypted, with a keyed hash to find it.
    """

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, null=True, blank=True, related_name="messages", verbose_name=_("region")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    to_email = models.EmailField(_("email address"), blank=True)
    to_phone_encrypted = models.TextField(_("phone (encrypted)"), blank=True, editable=False)
    to_phone_hash = models.CharField(_("phone (keyed hash)"), max_length=64, blank=True, editable=False)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML text"), blank=True)
    language = models.CharField(_("language"), max_length=5)
    event_key = models.CharField(_("event key"), max_length=200, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=dates.now)
    claimed_at = models.DateTimeField(_("sending started at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    provider_id = models.CharField(_("provider's message id"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=dates.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(channel=Channel.EMAIL) & ~models.Q(to_email=""))
                | (models.Q(channel__in=list(PHONE_CHANNELS)) & ~models.Q(to_phone_encrypted="")),
                name="notif_message_has_recipient",
            ),
        ]
        indexes = [
            # The sweep's look-up: pending rows whose time has come, and stuck 'sending' rows.
            models.Index(fields=["status", "next_attempt_at"], name="notif_message_due_idx"),
            models.Index(fields=["region", "created_at"], name="notif_message_region_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.event_key}"

    @property
    def is_phone(self) -> bool:
        return self.channel in PHONE_CHANNELS

    def set_recipient(self, to: str) -> None:
        if self.is_phone:
            self.to_email = ""
            self.to_phone_encrypted, self.to_phone_hash = personal.protect(to)
        else:
            self.to_email = to.strip()
            self.to_phone_encrypted = self.to_phone_hash = ""

    def recipient(self) -> str:
        """The address to deliver to (decrypts a phone number: never log the result)."""
        return personal.reveal(self.to_phone_encrypted) if self.is_phone else self.to_email

    @property
    def masked_recipient(self) -> str:
        if self.is_phone:
            return personal.mask(self.recipient())
        return mask_email(self.to_email)


def mask_email(address: str) -> str:
    """`b*****@example.com`: enough to tell two addresses apart in a list, not to write to one."""
    local, at, domain = address.partition("@")
    if not at:
        return "*" * len(address)
    return f"{local[:1]}{'*' * max(len(local) - 1, 3)}@{domain}"
