"""Worker tasks of applications: clearing the files kept for application forms never sent again."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from pendopo.applications import kept
from pendopo.worker.periodic import periodic


@periodic(name="applications.remove_stale_kept_files", every=dt.timedelta(hours=6))
@task()
def remove_stale_kept_files() -> int:
    """Delete the files kept for a form with errors once their day is over (applications/kept.py)."""
    return kept.remove_stale()
