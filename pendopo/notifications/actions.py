"""Writes on outbox messages other than scheduling (which is pendopo.notifications.outbox.schedule)."""

from __future__ import annotations

import logging
from functools import partial
from typing import TYPE_CHECKING

from django.db import transaction

from pendopo.lib import dates
from pendopo.notifications.models import Message, Status
from pendopo.notifications.outbox import enqueue_delivery

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from pendopo.regions.models import User

logger = logging.getLogger(__name__)

RETRYABLE = (Status.DEAD, Status.FAILED)


def retry_messages(messages: QuerySet[Message], actor: User) -> int:
    """Give dead or failed messages a fresh set of attempts, starting now. Returns how many.

    `messages` must already be scoped to what `actor` may manage (the admin's queryset is).
    Others in the selection (pending, sending, sent) are left alone: a sent message is never
    sent again by a retry.
    """
    with transaction.atomic():
        ids = list(messages.filter(status__in=RETRYABLE).select_for_update().values_list("pk", flat=True))
        count = Message.objects.filter(pk__in=ids, status__in=RETRYABLE).update(
            status=Status.PENDING, attempts=0, next_attempt_at=dates.now(), claimed_at=None
        )
        for message_id in ids:
            transaction.on_commit(partial(enqueue_delivery, message_id))
    logger.info("User %s retried %s message(s): %s.", actor.pk, count, ids)
    return count
