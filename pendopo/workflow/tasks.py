"""Worker tasks: thin wrappers around the sweep, and its registration as a periodic job."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from pendopo.workflow.sweep import sweep_overdue

# Every five minutes: state time limits can be counted in working minutes, and a run that finds
# nothing to do costs one indexed query per region.
SWEEP_EVERY = dt.timedelta(minutes=5)


@task()
def sweep_overdue_task() -> dict[str, int]:
    """The periodic overdue sweep; idempotent, so a repeated or concurrent run is harmless."""
    return sweep_overdue().as_dict()


try:
    from pendopo.worker.periodic import periodic
except ImportError:  # pragma: no cover -- a deployment without the worker's scheduler runs `pendopo sweep_overdue` from cron
    pass
else:
    periodic(name="workflow.sweep_overdue", every=SWEEP_EVERY, task=sweep_overdue_task)
