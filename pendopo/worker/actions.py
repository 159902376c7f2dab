"""Writes of the worker app: running periodic jobs early and pruning old task results."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.db.models import Q
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pendopo.lib import dates
from pendopo.worker.models import PeriodicJob

logger = logging.getLogger("pendopo.worker")

# Successful results are only useful for a short look back; failures are kept longer so that
# an administrator returning from leave can still read the traceback.
KEEP_SUCCESSFUL_RESULTS = dt.timedelta(days=14)
KEEP_FAILED_RESULTS = dt.timedelta(days=30)


def run_jobs_soon(jobs: Iterable[PeriodicJob]) -> int:
    """Make the given periodic jobs due now, so the next scheduler check enqueues them.

    Their rhythm continues from now. Returns the number of jobs changed.
    """
    return PeriodicJob.objects.filter(pk__in=[job.pk for job in jobs]).update(next_due_at=dates.now())


def prune_task_results(
    *, keep_successful: dt.timedelta = KEEP_SUCCESSFUL_RESULTS, keep_failed: dt.timedelta = KEEP_FAILED_RESULTS
) -> int:
    """Delete finished task results older than their retention; ready and running ones are kept.

    Returns the number of results deleted.
    """
    now = dates.now()
    old = Q(status=TaskResultStatus.SUCCESSFUL, finished_at__lte=now - keep_successful) | Q(
        status=TaskResultStatus.FAILED, finished_at__lte=now - keep_failed
    )
    deleted, _ = DBTaskResult.objects.filter(old).delete()
    logger.info("Pruned %d finished task result(s).", deleted)
    return deleted
