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


@periodic(name="notifications.deliver_due", every=dt.timedelta(minutes=1))
@task()
def deliver_due_messages() -> dict[str, int]:
    """The sweep: messages whose enqueue was lost, retries that are due, rows stuck while sending."""
    return delivery.deliver_due()
