"""Worker tasks: thin wrappers around the sweep."""

from __future__ import annotations

from django_tasks import task

from pendopo.workflow.sweep import sweep_overdue


@task()
def sweep_overdue_task() -> dict[str, int]:
    """The periodic overdue sweep (every few minutes); idempotent, so a repeated run is harmless."""
    return sweep_overdue().as_dict()
