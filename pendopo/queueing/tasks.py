"""Background work of the queue: bookings not checked in by the end of their window expire."""

from __future__ import annotations

from django_tasks import task


@task()
def expire_bookings() -> int:
    from pendopo.queueing.booking import expire_bookings as expire

    return expire()
