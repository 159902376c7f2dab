"""The registry of periodic jobs: tasks the worker enqueues on a fixed interval.

Apps register their jobs while Django starts, from `AppConfig.ready()`::

    from datetime import timedelta

    from pendopo.worker.periodic import periodic

    class WorkflowConfig(AppConfig):
        def ready(self) -> None:
            from pendopo.workflow.tasks import sweep_overdue

            periodic(name="workflow.sweep_overdue", every=timedelta(minutes=5), task=sweep_overdue)

or as a decorator above `@task()` in a tasks module that `ready()` imports::

    @periodic(name="worker.prune_task_results", every=timedelta(days=1))
    @task()
    def prune_task_results() -> int: ...

This module only keeps the registry (no database access, safe to import anywhere); the schedule
state lives in `PeriodicJob` rows and `pendopo.worker.scheduler.run_due_jobs()` enqueues the due
runs, exactly once across any number of workers.
"""

from __future__ import annotations

import datetime as dt
import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, overload

from django.core.exceptions import ImproperlyConfigured
from django_tasks.base import Task

# "<app label>.<job>", e.g. "workflow.sweep_overdue": unique across apps, readable in the admin.
_NAME = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
_NAME_MAX_LENGTH = 100


@dataclass(frozen=True)
class PeriodicSpec:
    """A job as registered in code: the task to enqueue (without arguments) and its interval."""

    name: str
    every: dt.timedelta
    task: Task[Any, Any]

    @property
    def every_seconds(self) -> int:
        return int(self.every.total_seconds())

    @property
    def task_path(self) -> str:
        return self.task.module_path


_REGISTRY: dict[str, PeriodicSpec] = {}


@overload
def periodic(*, name: str, every: dt.timedelta, task: None = None) -> Callable[[Task[Any, Any]], Task[Any, Any]]: ...


@overload
def periodic(*, name: str, every: dt.timedelta, task: Task[Any, Any]) -> Task[Any, Any]: ...


def periodic(
    *, name: str, every: dt.timedelta, task: Task[Any, Any] | None = None
) -> Task[Any, Any] | Callable[[Task[Any, Any]], Task[Any, Any]]:
    """Register `task` to be enqueued every `every` under the unique `name`.

    Called with `task`, registers it and returns it; called without, returns a decorator for a
    `Task` (put it above `@task()`). The task is enqueued without arguments, so its function must
    take none (besides `context` for `takes_context=True` tasks). Registering the same name twice
    with the same task and interval is harmless; anything else raises ImproperlyConfigured.
    """
    if task is None:

        def decorator(decorated: Task[Any, Any]) -> Task[Any, Any]:
            _register(PeriodicSpec(name=name, every=every, task=decorated))
            return decorated

        return decorator
    _register(PeriodicSpec(name=name, every=every, task=task))
    return task


def registered() -> dict[str, PeriodicSpec]:
    """The registered jobs by name (a copy)."""
    return dict(_REGISTRY)


def _register(spec: PeriodicSpec) -> None:
    if not isinstance(spec.name, str) or len(spec.name) > _NAME_MAX_LENGTH or not _NAME.match(spec.name):
        raise ImproperlyConfigured(
            f"Periodic job name {spec.name!r} must look like 'app.job' (lowercase, at most {_NAME_MAX_LENGTH} characters)."
        )
    if not isinstance(spec.every, dt.timedelta):
        raise ImproperlyConfigured(f"Periodic job {spec.name!r}: `every` must be a timedelta.")
    seconds = spec.every.total_seconds()
    if seconds < 1 or seconds != int(seconds):
        raise ImproperlyConfigured(f"Periodic job {spec.name!r}: `every` must be a whole number of seconds, at least one.")
    if not isinstance(spec.task, Task):
        raise ImproperlyConfigured(f"Periodic job {spec.name!r}: `task` must be a django_tasks Task (use @task()).")
    try:
        inspect.signature(spec.task.func).bind(*([None] if spec.task.takes_context else []))
    except TypeError as exc:
        raise ImproperlyConfigured(
            f"Periodic job {spec.name!r}: {spec.task_path} is enqueued without arguments but requires some."
        ) from exc
    existing = _REGISTRY.get(spec.name)
    if existing is not None:
        if (existing.task_path, existing.every) != (spec.task_path, spec.every):
            raise ImproperlyConfigured(
                f"Periodic job {spec.name!r} is already registered for {existing.task_path} every {existing.every}."
            )
        return
    _REGISTRY[spec.name] = spec
