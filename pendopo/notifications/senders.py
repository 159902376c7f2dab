"""Senders: how a message leaves Pendopo.

Email goes through Django's mail backends (`EMAIL_BACKEND`: SMTP in production, the console in
development, locmem in tests). SMS and WhatsApp go through a `BaseSender` named by the settings
`PENDOPO_SMS_BACKEND` and `PENDOPO_WHATSAPP_BACKEND` (dotted paths). Pendopo ships two: the
`FileSender` (development: one JSON file per message under `PENDOPO_OUTBOX_DIR`, by default
var/outbox/) and the `LocmemSender` (tests). A provider's gateway (an SMS aggregator, the
WhatsApp Business API) is a subclass with its own `send`; none is bundled, so no code here
touches the network.

A sender raises `TransientSendError` (or any other exception) when trying again later may help,
and `PermanentSendError` when it cannot (an invalid number, a refused address): the outbox then
stops retrying that message.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import smtplib
from email.utils import parseaddr
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils.module_loading import import_string

from pendopo.lib import dates

if TYPE_CHECKING:
    from pendopo.notifications.models import Message


class SendError(Exception):
    """Delivery failed. The message text must not contain the recipient (it is stored and logged)."""


class TransientSendError(SendError):
    """Worth trying again later (the provider is down, rate limited, timed out)."""


class PermanentSendError(SendError):
    """Trying again cannot help (the number or address is invalid or refused)."""


class BaseSender:
    """Sends a short text to a phone number. Subclasses implement `send`.

    `idempotency_key` is the outbox message's event key: pass it to the provider when it accepts
    one, so that a resend after a crash (see docs/notifications.md) is dropped by the provider.
    """

    channel: str = ""

    def __init__(self, channel: str = "", **options: Any) -> None:
        self.channel = channel or self.channel
        self.options = options

    def send(self, to: str, text: str, idempotency_key: str) -> str:
        """Send `text` to `to`; return the provider's id of the message."""
        raise NotImplementedError


def outbox_dir() -> Path:
    return Path(getattr(settings, "PENDOPO_OUTBOX_DIR", None) or Path(settings.VAR_DIR) / "outbox")


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class FileSender(BaseSender):
    """Development sender: writes each message to `<PENDOPO_OUTBOX_DIR>/<channel>/<key>.json`.

    The file is named after the idempotency key, so sending the same message twice leaves one
    file — the behaviour of a provider that honours idempotency keys. The file holds the phone
    number, as a real provider would receive it; it is written readable by its owner only.
    """

    def send(self, to: str, text: str, idempotency_key: str) -> str:
        directory = outbox_dir() / (self.channel or "sms")
        directory.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256(idempotency_key.encode()).hexdigest()[:12]
        name = f"{_UNSAFE.sub('_', idempotency_key)[:100]}-{digest}.json"
        path = directory / name
        record = {
            "channel": self.channel,
            "to": to,
            "text": text,
            "idempotency_key": idempotency_key,
            "written_at": dates.now().isoformat(),
        }
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(record, handle, ensure_ascii=False, indent=2)
        return f"file:{name}"


# What the LocmemSender sent, oldest first (like django.core.mail.outbox). Tests clear it.
sent: list[dict[str, str]] = []


class LocmemSender(BaseSender):
    """Test sender: records every call in `pendopo.notifications.senders.sent`, duplicates included."""

    def send(self, to: str, text: str, idempotency_key: str) -> str:
        sent.append({"channel": self.channel, "to": to, "text": text, "idempotency_key": idempotency_key})
        return f"locmem:{len(sent)}"


_SETTING = {"sms": "PENDOPO_SMS_BACKEND", "whatsapp": "PENDOPO_WHATSAPP_BACKEND"}
DEFAULT_BACKEND = "pendopo.notifications.senders.FileSender"


def get_sender(channel: str) -> BaseSender:
    """The sender configured for a phone channel (`sms` or `whatsapp`)."""
    try:
        setting = _SETTING[channel]
    except KeyError:
        raise ValueError(f"No sender setting for channel {channel!r}.") from None
    path = getattr(settings, setting, "") or DEFAULT_BACKEND
    return import_string(path)(channel=channel)


# --- email ---------------------------------------------------------------------------------------


class EmailSender:
    """Email through Django's mail backend, with a Message-ID derived from the event key.

    A fixed Message-ID lets mail systems that de-duplicate by it (Gmail does) drop a resend.
    """

    # SMTP answers that say the address itself is refused: retrying will not help.
    PERMANENT: ClassVar[tuple[type[Exception], ...]] = (smtplib.SMTPRecipientsRefused,)

    def send(self, message: Message) -> str:
        message_id = self.message_id(message.event_key)
        email = EmailMultiAlternatives(
            subject=" ".join(message.subject.split()),
            body=message.body_text,
            to=[message.to_email],
            headers={"Message-ID": message_id},
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        try:
            count = email.send(fail_silently=False)
        except self.PERMANENT as exc:
            raise PermanentSendError(type(exc).__name__) from exc
        if count != 1:
            raise TransientSendError("The mail backend did not accept the message.")
        return message_id

    @staticmethod
    def message_id(event_key: str) -> str:
        domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].partition("@")[2] or "pendopo.local"
        return f"<{hashlib.sha256(event_key.encode()).hexdigest()[:32]}@{domain}>"
