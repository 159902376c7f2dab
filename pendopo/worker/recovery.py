"""Tasks left RUNNING by a worker that died (`kill -9`, power loss) go back to the queue.

django_tasks_db marks a task RUNNING when a worker claims it and has no lease: if that worker dies,
the row stays RUNNING for ever and the task never runs again. The periodic job
`worker.requeue_abandoned_tasks` (every `PENDOPO_WORKER_RECOVERY_SECONDS`, 60 s) puts every task
RUNNING for longer than `PENDOPO_WORKER_TASK_LEASE_SECONDS` (600 s) back to READY, to be claimed by
any worker. Keep the lease above the longest task: a task still running past it would run a second
time. Tasks that must not do their work twice keep their own state (the notification outbox claims
each message, so a re-queued delivery task whose message was already sent does nothing).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pendopo.lib import dates

logger = logging.getLogger("pendopo.worker")


def task_lease() -> dt.timedelta:
    return dt.timedelta(seconds=max(int(getattr(settings, "PENDOPO_WORKER_TASK_LEASE_SECONDS", 600)), 1))


def recovery_seconds() -> int:
    return max(int(getattr(settings, "PENDOPO_WORKER_RECOVERY_SECONDS", 60)), 1)


def requeue_abandoned_tasks(now: dt.datetime | None = None, *, lease: dt.timedelta | None = None) -> int:
    """Put tasks RUNNING for longer than the lease back to READY; returns how many.

    On PostgreSQL the rows are locked with SKIP LOCKED, so two workers running the job at once
    each re-queue a different share (and a row a worker is updating right now is left alone).
    """
    now = now or dates.now()
    cutoff = now - (lease or task_lease())
    with transaction.atomic():
        stale = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
        ids = list(stale.select_for_update(skip_locked=True).values_list("pk", flat=True))
        requeued = DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None, run_after=now
        )
    if requeued:
        logger.warning("Re-queued %d task(s) left running by a worker that stopped.", requeued)
    return requeued
