"""Delivering messages: the read-and-send half of the transactional outbox.

Each attempt claims the row with one conditional UPDATE (pending and due → sending); only the
caller whose UPDATE changed the row sends, so two workers, a task and the sweep, or the same
task run twice never send one message twice. After sending, the row is marked sent; after a
failure it goes back to pending with an exponential backoff, until the last attempt (dead) or
an error that retrying cannot fix (failed).

What this does not promise: if the process dies after the provider accepted the message but
before the row is marked sent, the row stays 'sending', the sweep returns it to pending after
the lease (`PENDOPO_NOTIFICATIONS_LEASE_SECONDS`, 60 s by default), and the message is sent again
with the same idempotency key. Closing that gap needs the provider's help: the
email carries a Message-ID derived from the event key, and SMS/WhatsApp senders receive the event
key as an idempotency key. So delivery is at least once, and exactly once where the provider
de-duplicates (docs/notifications.md).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections import Counter
from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from django.conf import settings
from django.db import OperationalError
from django.db.models import F
from django_tasks_db.utils import is_locked_database_exception

from pendopo.lib import dates
from pendopo.lib.logs import redact
from pendopo.notifications.models import Channel, Message, Status
from pendopo.notifications.senders import EmailSender, PermanentSendError, get_sender

logger = logging.getLogger(__name__)
T = TypeVar("T")


def max_attempts() -> int:
    return int(getattr(settings, "PENDOPO_NOTIFICATIONS_MAX_ATTEMPTS", 6))


def stuck_after() -> dt.timedelta:
    """The lease: how long a row may stay 'sending' before the sweep decides its worker died.

    Must be longer than any sender can take (set EMAIL_TIMEOUT and the provider's timeout below it).
    """
    return dt.timedelta(seconds=lease_seconds())


def lease_seconds() -> int:
    """`PENDOPO_NOTIFICATIONS_LEASE_SECONDS` (default 60, at least 1)."""
    return max(int(getattr(settings, "PENDOPO_NOTIFICATIONS_LEASE_SECONDS", 60)), 1)


def sweep_seconds() -> int:
    """How often the sweep runs: `PENDOPO_NOTIFICATIONS_SWEEP_SECONDS` (default 30, at least 1)."""
    return max(int(getattr(settings, "PENDOPO_NOTIFICATIONS_SWEEP_SECONDS", 30)), 1)


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the `attempts`-th failed attempt: 1, 5, 25, 125, 625 minutes…, at most a day."""
    minutes = 5 ** max(attempts - 1, 0)
    return dt.timedelta(minutes=min(minutes, 24 * 60))


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    DEAD = "dead"
    SKIPPED = "skipped"


def deliver(message_id: int) -> Outcome:
    """Send one message if it is pending and due, and nobody else is sending it.

    Call outside a transaction (the worker does): the claim must be committed before the
    send, so that a concurrent caller sees it.
    """
    now = dates.now()
    claimed = _db(
        lambda: Message.objects.filter(pk=message_id, status=Status.PENDING, next_attempt_at__lte=now).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    )
    if claimed != 1:
        return Outcome.SKIPPED
    message = _db(lambda: Message.objects.get(pk=message_id))
    try:
        provider_id = _send(message)
    except PermanentSendError as exc:
        return _failed(message, exc, permanent=True)
    except Exception as exc:  # noqa: BLE001 -- any sender error becomes a retry; the worker must record it, not crash
        return _failed(message, exc, permanent=False)
    # Not conditional on 'sending': if the sweep took the row back meanwhile, marking it sent
    # stops a second send.
    sent_at = dates.now()
    _db(
        lambda: (
            Message.objects.filter(pk=message_id)
            .exclude(status=Status.SENT)
            .update(status=Status.SENT, sent_at=sent_at, provider_id=provider_id[:200], claimed_at=None)
        )
    )
    logger.info("Message %s sent (%s, event %s, attempt %s).", message.pk, message.channel, message.event_key, message.attempts)
    return Outcome.SENT


def deliver_due(limit: int = 200) -> dict[str, int]:
    """The periodic sweep: recover stuck rows, then deliver up to `limit` due messages, oldest first."""
    now = dates.now()
    counts: Counter[str] = Counter(recover_stuck(now))
    due = Message.objects.filter(status=Status.PENDING, next_attempt_at__lte=now).order_by("next_attempt_at", "pk")
    for message_id in _db(lambda: list(due.values_list("pk", flat=True)[:limit])):
        counts[deliver(message_id)] += 1
    return {key: counts[key] for key in ["recovered", "recovered_dead", *Outcome]}


def recover_stuck(now: dt.datetime | None = None) -> dict[str, int]:
    """Return rows left 'sending' longer than `stuck_after()` to pending (or dead after the last attempt)."""
    now = now or dates.now()
    stuck = Message.objects.filter(status=Status.SENDING, claimed_at__lt=now - stuck_after())
    note = "Worker stopped while sending; the message may have been sent."
    dead = _db(lambda: stuck.filter(attempts__gte=max_attempts()).update(status=Status.DEAD, claimed_at=None, last_error=note))
    recovered = _db(
        lambda: stuck.filter(attempts__lt=max_attempts()).update(
            status=Status.PENDING, claimed_at=None, next_attempt_at=now, last_error=note
        )
    )
    if dead or recovered:
        logger.warning("Recovered %s message(s) stuck while sending; %s given up.", recovered, dead)
    return {"recovered": recovered, "recovered_dead": dead}


# --- internals -------------------------------------------------------------------------------------


def _send(message: Message) -> str:
    if message.channel == Channel.EMAIL:
        return EmailSender().send(message)
    try:
        to = message.recipient()
    except ValueError:  # encrypted under another PENDOPO_DATA_KEY: no retry will read it
        raise PermanentSendError("The stored phone number cannot be decrypted with the current key.") from None
    return get_sender(message.channel).send(to, message.body_text, message.event_key)


def _failed(message: Message, exc: Exception, *, permanent: bool) -> Outcome:
    error = scrub(f"{type(exc).__name__}: {exc}", message)
    now = dates.now()
    changes: dict[str, Any]
    if permanent:
        outcome, changes = Outcome.FAILED, {"status": Status.FAILED}
    elif message.attempts >= max_attempts():
        outcome, changes = Outcome.DEAD, {"status": Status.DEAD}
    else:
        retry_at = now + backoff(message.attempts)
        outcome, changes = Outcome.RETRY, {"status": Status.PENDING, "next_attempt_at": retry_at}
    # `attempts` fences the claim: if the sweep recovered the row and another worker claimed
    # it since, this stale result must not overwrite that worker's state.
    _db(
        lambda: Message.objects.filter(pk=message.pk, status=Status.SENDING, attempts=message.attempts).update(
            last_error=error, claimed_at=None, **changes
        )
    )
    log = logger.warning if outcome == Outcome.RETRY else logger.error
    log(
        "Message %s (%s, event %s) attempt %s failed, %s: %s",
        message.pk,
        message.channel,
        message.event_key,
        message.attempts,
        outcome.value,
        error,
    )
    return outcome


_LOCK_PAUSES = (0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0)


def _db(statement: Callable[[], T]) -> T:
    """Run one short statement, waiting out SQLite's "database is locked".

    SQLite reports it when another writer holds the lock past busy_timeout (and at once in the
    shared-cache databases of tests). Giving up would be worst after a send: the row would stay
    'sending' and be sent again after recovery. PostgreSQL waits for row locks by itself.
    """
    for pause in _LOCK_PAUSES:
        try:
            return statement()
        except OperationalError as exc:
            if not is_locked_database_exception(exc):
                raise
            time.sleep(pause)
    return statement()


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Any run of 8 or more digits, possibly spaced or punctuated like a phone number.
_NUMBER = re.compile(r"\+?\d(?:[\s().-]*\d){7,}")


def scrub(text: str, message: Message | None = None) -> str:
    """An error text without personal data: no recipient, email address, phone number or NIK."""
    if message is not None:
        try:
            recipient = message.recipient()
        except ValueError:
            recipient = ""
        if recipient:
            text = text.replace(recipient, "[recipient]")
    text = redact(text)
    text = _EMAIL.sub("[email]", text)
    text = _NUMBER.sub("[number]", text)
    return text[:1000]
