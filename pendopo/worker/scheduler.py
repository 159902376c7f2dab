"""Enqueue the periodic jobs that are due, exactly once however many workers check at the same time.

Every worker calls `run_due_jobs()` every few seconds. A run is claimed by one conditional
UPDATE (`... SET next_due_at = <next> WHERE id = %s AND next_due_at <= now`) in the same
transaction as the enqueue (a `DBTaskResult` insert): on PostgreSQL a second worker's UPDATE
waits for the first one's row lock and then finds the row no longer due; on SQLite writes are
serialised. So the run is enqueued once, and a failed enqueue rolls the claim back for the next
check. The schedule is stored, so a restart loses nothing; a job that was due while no worker ran
is enqueued once, not once per missed interval.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.db import OperationalError, transaction
from django.db.models import F
from django.db.models.functions import Least
from django_tasks_db.utils import is_locked_database_exception

from pendopo.lib import dates
from pendopo.worker import periodic
from pendopo.worker.models import PeriodicJob

logger = logging.getLogger("pendopo.worker")


@dataclass(frozen=True)
class Enqueued:
    name: str
    result_id: str


def next_due_after(due: dt.datetime, every: dt.timedelta, now: dt.datetime) -> dt.datetime:
    """The first moment of the job's rhythm (due + k × every) after `now`.

    Runs missed while no worker ran are skipped, not replayed, and the job keeps its time of day.
    """
    if due > now:
        return due
    return due + ((now - due) // every + 1) * every


def run_due_jobs() -> list[Enqueued]:
    """Enqueue every registered, enabled job whose `next_due_at` has passed; return what was enqueued."""
    specs = periodic.registered()
    if not specs:
        return []
    now = dates.now()
    try:
        jobs = _sync(specs, now)
    except OperationalError as exc:
        if not is_locked_database_exception(exc):
            raise
        logger.debug("Periodic jobs not checked: the database is locked by another worker.")
        return []
    enqueued = []
    for job in jobs:
        if not job.is_enabled or job.next_due_at > now:
            continue
        spec = specs[job.name]
        try:
            result_id = _claim_and_enqueue(job, spec, now)
        except Exception as exc:
            # The claim was rolled back with the failed enqueue: the job is still due at the next
            # check, and one broken job does not hold up the others.
            if isinstance(exc, OperationalError) and is_locked_database_exception(exc):
                logger.debug("Periodic job %s skipped: the database is locked by another worker.", job.name)
            else:
                logger.exception("Enqueuing periodic job %s failed; it stays due.", job.name)
            continue
        if result_id is not None:
            logger.info("Enqueued periodic job %s (task result %s).", job.name, result_id)
            enqueued.append(Enqueued(name=job.name, result_id=result_id))
    return enqueued


def _claim_and_enqueue(job: PeriodicJob, spec: periodic.PeriodicSpec, now: dt.datetime) -> str | None:
    with transaction.atomic():
        claimed = PeriodicJob.objects.filter(pk=job.pk, is_enabled=True, next_due_at__lte=now).update(
            next_due_at=next_due_after(job.next_due_at, spec.every, now), last_enqueued_at=now
        )
        if not claimed:
            return None
        result = spec.task.enqueue()
        PeriodicJob.objects.filter(pk=job.pk).update(last_task_result_id=str(result.id))
    return str(result.id)


def _sync(specs: dict[str, periodic.PeriodicSpec], now: dt.datetime) -> list[PeriodicJob]:
    """The rows of the registered jobs, created (due now) or updated to the code's interval."""
    jobs = {job.name: job for job in PeriodicJob.objects.filter(name__in=list(specs))}
    changed = False
    missing = [
        PeriodicJob(name=name, task_path=spec.task_path, every_seconds=spec.every_seconds, next_due_at=now)
        for name, spec in specs.items()
        if name not in jobs
    ]
    if missing:
        # Another worker may create the same rows at the same moment; the unique name keeps one.
        PeriodicJob.objects.bulk_create(missing, ignore_conflicts=True)
        changed = True
    for name, job in jobs.items():
        spec = specs[name]
        if (job.every_seconds, job.task_path) != (spec.every_seconds, spec.task_path):
            # The interval changed in code: a shorter one takes effect now rather than after the old
            # one. Least() in the UPDATE and the WHERE on the old values keep this safe against a
            # concurrent claim.
            PeriodicJob.objects.filter(pk=job.pk, every_seconds=job.every_seconds, task_path=job.task_path).update(
                every_seconds=spec.every_seconds,
                task_path=spec.task_path,
                next_due_at=Least(F("next_due_at"), now + spec.every),
            )
            changed = True
    if changed:
        return list(PeriodicJob.objects.filter(name__in=list(specs)))
    return list(jobs.values())
