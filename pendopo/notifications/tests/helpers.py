"""Builders shared by the notification tests."""

from __future__ import annotations

import smtplib
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend

from pendopo.notifications.models import Channel, Message
from pendopo.notifications.outbox import schedule
from pendopo.notifications.senders import BaseSender, PermanentSendError, TransientSendError


def email(key: str = "application:BWI-7K3M-9QX2:event:1:email", **kwargs: Any) -> Message:
    values: dict[str, Any] = {
        "event_key": key,
        "channel": Channel.EMAIL,
        "to": "budi@example.com",
        "subject": "Permohonan BWI-7K3M-9QX2",
        "body_text": "Permohonan Anda sedang diverifikasi.",
    }
    values.update(kwargs)
    return schedule(**values)


def sms(key: str = "application:BWI-7K3M-9QX2:event:1:sms", to: str = "0812-3456-7890", **kwargs: Any) -> Message:
    values: dict[str, Any] = {
        "event_key": key,
        "channel": Channel.SMS,
        "to": to,
        "body_text": "Permohonan BWI-7K3M-9QX2 selesai.",
    }
    values.update(kwargs)
    return schedule(**values)


# --- senders and mail backends that fail like real ones ------------------------------------------

calls: list[str] = []


class FailingSender(BaseSender):
    """Fails like a gateway that quotes the number in its error (many do)."""

    def send(self, to: str, text: str, idempotency_key: str) -> str:
        calls.append(idempotency_key)
        raise TransientSendError(f"Gateway timeout while sending to {to} (+62 {to[1:4]} {to[4:8]} {to[8:]})")


class RefusingSender(BaseSender):
    def send(self, to: str, text: str, idempotency_key: str) -> str:
        calls.append(idempotency_key)
        raise PermanentSendError(f"Number {to} is not registered on WhatsApp")


class FailingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        address = email_messages[0].to[0]
        raise smtplib.SMTPDataError(451, f"4.3.0 Mailbox of {address} temporarily unavailable".encode())


class RefusingEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        address = email_messages[0].to[0]
        raise smtplib.SMTPRecipientsRefused({address: (550, b"5.1.1 No such user")})
