"""Scheduling messages: the write half of the transactional outbox.

An action calls `schedule(...)` (or `schedule_template(...)`) inside its own transaction. The
message row is written in that transaction, so it exists exactly when the action's changes do:
if the transaction rolls back, there is nothing to send. After the commit, delivery is enqueued
on the worker (`tasks.deliver_message`); should that enqueue be lost (the process dies right
after the commit, the task store is down), the periodic sweep `delivery.deliver_due()` finds the
row anyway. The event key makes scheduling idempotent: a second call with the same key returns
the first message and sends nothing more.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, select_template
from django.utils import translation
from django.utils.translation import gettext as _

from pendopo.lib import dates
from pendopo.notifications.models import PHONE_CHANNELS, Channel, Message
from pendopo.regions import personal

if TYPE_CHECKING:
    from pendopo.regions.models import Region

logger = logging.getLogger(__name__)

# Indonesian numbers after normalisation (08…), or an international number in E.164 form.
_PHONE = re.compile(r"^(?:0\d{8,14}|\+\d{8,15})$")


def schedule(
    *,
    event_key: str,
    channel: Channel | str,
    to: str,
    body_text: str,
    subject: str = "",
    body_html: str = "",
    language: str = "",
    region: Region | None = None,
    send_after: dt.datetime | None = None,
) -> Message:
    """Write a message to the outbox in the caller's transaction; deliver it after the commit.

    Returns the message — the one already scheduled under `event_key` if there is one, in
    which case nothing else happens (get-or-create on the unique key, also under concurrency).
    Raises ValidationError (code `invalid_recipient`, `empty_message` or `invalid_event_key`)
    for input that could never be delivered; ValueError for an unknown channel.
    """
    channel = Channel(channel)
    to = _clean_recipient(channel, to)
    if not body_text.strip():
        raise ValidationError(_("A message needs a text."), code="empty_message")
    if not event_key or len(event_key) > (Message._meta.get_field("event_key").max_length or 0):
        raise ValidationError(_("The event key is empty or too long."), code="invalid_event_key")
    now = dates.now()
    message = Message(region=region, channel=channel)
    message.set_recipient(to)
    defaults: dict[str, Any] = {
        "region": region,
        "channel": channel,
        "to_email": message.to_email,
        "to_phone_encrypted": message.to_phone_encrypted,
        "to_phone_hash": message.to_phone_hash,
        "subject": " ".join(subject.split())[:200],
        "body_text": body_text,
        "body_html": body_html,
        "language": _language(language),
        "next_attempt_at": max(send_after, now) if send_after else now,
        "created_at": now,
    }
    # get_or_create inserts in a savepoint, so a concurrent duplicate (IntegrityError on the
    # unique key) neither breaks the caller's transaction nor produces a second row.
    message, created = Message.objects.get_or_create(event_key=event_key, defaults=defaults)
    if created:
        logger.info("Message %s scheduled (%s, event %s).", message.pk, channel, event_key)
        if message.next_attempt_at <= now:
            transaction.on_commit(partial(enqueue_delivery, message.pk))
    return message


@dataclass(frozen=True)
class Rendered:
    subject: str
    body_text: str
    body_html: str


def render(template_name: str, context: dict[str, Any], *, channel: Channel | str, language: str = "") -> Rendered:
    """Render a message from templates in `language` (the recipient's, else the site default).

    Templates, by the name given (e.g. "applications/notifications/step"):
    `<name>.subject.txt` (email only, required), the text `<name>.<channel>.txt` or else
    `<name>.txt` (required), `<name>.html` (email only, optional). Text templates are rendered
    without HTML escaping.
    """
    channel = Channel(channel)
    with translation.override(_language(language)):
        subject = ""
        html = ""
        if channel == Channel.EMAIL:
            subject = " ".join(_render_text([f"{template_name}.subject.txt"], context).split())
            try:
                html = get_template(f"{template_name}.html").render(context).strip()
            except TemplateDoesNotExist:
                html = ""
        text = _render_text([f"{template_name}.{channel}.txt", f"{template_name}.txt"], context)
    return Rendered(subject=subject, body_text=text, body_html=html)


def schedule_template(
    template_name: str,
    context: dict[str, Any],
    *,
    event_key: str,
    channel: Channel | str,
    to: str,
    language: str = "",
    region: Region | None = None,
    send_after: dt.datetime | None = None,
) -> Message:
    """`render(...)` then `schedule(...)`: the message in the recipient's language."""
    language = _language(language)
    rendered = render(template_name, context, channel=channel, language=language)
    return schedule(
        event_key=event_key,
        channel=channel,
        to=to,
        subject=rendered.subject,
        body_text=rendered.body_text,
        body_html=rendered.body_html,
        language=language,
        region=region,
        send_after=send_after,
    )


def enqueue_delivery(message_id: int) -> None:
    """Hand one message to the worker. Never raises: if this fails, the periodic sweep delivers it."""
    from pendopo.notifications.tasks import deliver_message

    try:
        deliver_message.enqueue(message_id)
    except Exception as exc:  # noqa: BLE001 -- any failure of the task store is covered by the sweep; the caller has committed
        logger.warning("Message %s: could not enqueue delivery (%s); the sweep will send it.", message_id, type(exc).__name__)


# --- helpers ---------------------------------------------------------------------------------------


def _language(language: str) -> str:
    try:
        return translation.get_supported_language_variant(language or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


def _clean_recipient(channel: Channel, to: str) -> str:
    to = (to or "").strip()
    if channel in PHONE_CHANNELS:
        phone = personal.normalise(to)
        if not _PHONE.match(phone):
            raise ValidationError(_("This is not a phone number that can receive messages."), code="invalid_recipient")
        return phone
    try:
        validate_email(to)
    except ValidationError:
        raise ValidationError(_("This is not a valid email address."), code="invalid_recipient") from None
    return to


def _render_text(names: list[str], context: dict[str, Any]) -> str:
    template = select_template(names)
    # The Django backend's template wraps the engine's; rendering it with a plain Context
    # switches autoescaping off, which text messages need ("&" must stay "&").
    return template.template.render(Context(context, autoescape=False)).strip()
