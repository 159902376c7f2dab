"""Worker tasks: thin wrappers around pendopo.notifications.delivery.

Neither task raises for a failed send: `delivery.deliver` records the failure on the message
(without personal data) and schedules the retry itself, so no traceback carrying a provider's
error text, which may quote the phone number, ends up in the task result table.
"""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from pendopo.notifications import delivery
from pendopo.worker.periodic import periodic


@task()
def deliver_message(message_id: int) -> str:
    """Enqueued after the commit that scheduled the message."""
    return delivery.deliver(message_id).value


@periodic(name="notifications.deliver_due", every=dt.timedelta(seconds=delivery.sweep_seconds()))
@task()
def deliver_due_messages() -> dict[str, int]:
    """The sweep: messages whose enqueue was lost, retries that are due, rows whose lease ran out.

    It runs every `PENDOPO_NOTIFICATIONS_SWEEP_SECONDS` (30 s), so a message claimed by a worker
    that died is sent again at most lease + sweep + the scheduler's check interval later (~100 s).
    """
    return delivery.deliver_due()
