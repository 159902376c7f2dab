"""Schedule state of the periodic jobs registered in code (see pendopo.worker.periodic)."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from pendopo.lib import dates


class PeriodicJob(models.Model):
    """One registered periodic job: when it is due next and when it was last enqueued.

    The row is the lock that makes several workers enqueue each run exactly once: a worker
    enqueues a run only if its conditional UPDATE moved `next_due_at` forward (scheduler.py).
    Rows are created by the scheduler for every job registered in code; the code owns the task
    and the interval, administrators may pause a job or move its next run.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    task_path = models.CharField(_("task"), max_length=255)
    every_seconds = models.PositiveIntegerField(_("interval (seconds)"))
    is_enabled = models.BooleanField(
        _("enabled"), default=True, help_text=_("A paused job is not enqueued until it is enabled again.")
    )
    next_due_at = models.DateTimeField(
        _("next due at"),
        help_text=_("The worker enqueues the job at its first check after this moment; later runs keep the same rhythm."),
    )
    last_enqueued_at = models.DateTimeField(_("last enqueued at"), null=True, blank=True)
    last_task_result_id = models.CharField(_("last task result"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), default=dates.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name

    @property
    def every(self) -> dt.timedelta:
        return dt.timedelta(seconds=self.every_seconds)
