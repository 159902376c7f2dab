"""Reading codes and links out of the outbox, as the citizen reads them from their phone."""

from __future__ import annotations

import re

from pendopo.notifications.models import Message


def last_message(prefix: str = "accounts:otp:") -> Message | None:
    return Message.objects.filter(event_key__startswith=prefix).order_by("-pk").first()


def code_in(message: Message | None) -> str:
    assert message is not None
    found = re.search(r"\b(\d{6})\b", message.body_text)
    assert found, message.body_text
    return found.group(1)


def other_code(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"
